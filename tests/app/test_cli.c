/* tests/app/test_cli.c: the built flitz binary run as a user runs it: its
 * options, one-line errors, the fallback that keeps it playing with no audio
 * device, and a clean shutdown on SIGTERM and SIGINT. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

typedef struct flz_cli {
  char dir[64];  /* a temporary folder: TMPDIR of the child, and its output */
  char out[128]; /* the child's stdout file */
  char err[128]; /* the child's stderr file */
  pid_t pid;
  int status;
} flz_cli;

/* An SDL audio driver name that does not exist: SDL's audio init fails the
 * way it does on a machine without any audio driver. */
#define FLZ_NO_AUDIO "SDL_AUDIODRIVER=flitz-test-no-such-driver"

static void flz_cli_start(flz_cli *cli, const char *const *args, const char *const *env)
{
  snprintf(cli->dir, sizeof cli->dir, "/tmp/flitz-cli-XXXXXX");
  assert_non_null(mkdtemp(cli->dir));
  snprintf(cli->out, sizeof cli->out, "%s/stdout", cli->dir);
  snprintf(cli->err, sizeof cli->err, "%s/stderr", cli->dir);
  char *argv[16];
  size_t argc = 0;
  argv[argc++] = (char *)FLZ_BINARY;
  for (; args[argc - 1] != NULL; argc++)
    argv[argc] = (char *)args[argc - 1];
  argv[argc] = NULL;
  /* The child's environment: ours without DISPLAY (no window), plus `env`. */
  static char tmpdir[96];
  snprintf(tmpdir, sizeof tmpdir, "TMPDIR=%s", cli->dir);
  char *envp[256];
  size_t n = 0;
  for (char **e = environ; *e != NULL && n < 200; e++)
    if (strncmp(*e, "DISPLAY=", 8) != 0 && strncmp(*e, "SDL_", 4) != 0 &&
        strncmp(*e, "TMPDIR=", 7) != 0)
      envp[n++] = *e;
  envp[n++] = tmpdir;
  for (size_t i = 0; env != NULL && env[i] != NULL; i++)
    envp[n++] = (char *)env[i];
  envp[n] = NULL;
  /* Made here, not only by the spawn's file actions: qemu-user runs
   * posix_spawn's vfork as a fork, so the child may not have opened them yet
   * when posix_spawn returns. */
  close(open(cli->out, O_WRONLY | O_CREAT | O_TRUNC, 0600));
  close(open(cli->err, O_WRONLY | O_CREAT | O_TRUNC, 0600));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, cli->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, cli->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  assert_int_equal(posix_spawn(&cli->pid, FLZ_BINARY, &actions, &attr, argv, envp), 0);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
}

static char *flz_cli_read(const char *path)
{
  FILE *file = fopen(path, "rb");
  assert_non_null(file);
  static char text[3][16384];
  static int next;
  char *buffer = text[next++ % 3];
  size_t n = fread(buffer, 1, sizeof text[0] - 1, file);
  buffer[n] = '\0';
  fclose(file);
  return buffer;
}

/* Waits up to 20 s for the child to exit; kills it and fails if it does not. */
static int flz_cli_wait(flz_cli *cli)
{
  for (int i = 0; i < 2000; i++) {
    pid_t done = waitpid(cli->pid, &cli->status, WNOHANG);
    if (done == cli->pid)
      return WIFEXITED(cli->status) ? WEXITSTATUS(cli->status) : 128 + WTERMSIG(cli->status);
    nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
  }
  kill(cli->pid, SIGKILL);
  waitpid(cli->pid, &cli->status, 0);
  fail_msg("flitz did not exit within 20 s");
  return -1;
}

/* Waits up to 20 s until the child's stdout contains `text`. */
static void flz_cli_wait_for(flz_cli *cli, const char *text)
{
  for (int i = 0; i < 2000; i++) {
    if (strstr(flz_cli_read(cli->out), text) != NULL)
      return;
    nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
  }
  kill(cli->pid, SIGKILL);
  fail_msg("flitz never printed '%s'; stderr: %s", text, flz_cli_read(cli->err));
}

/* Lines of `text`, but for the engine's counter lines ("flitz: xruns
 * rising: +1 (1 in all)", app/counters.h): a machine busy with other tests
 * may really lose a period, and saying so is right. */
static size_t flz_cli_lines(const char *text)
{
  size_t lines = 0;
  const char *start = text;
  for (; *text; text++)
    if (*text == '\n') {
      const char *rising = strstr(start, " rising: ");
      lines += rising == NULL || rising > text;
      start = text + 1;
    }
  return lines;
}

static void flz_cli_cleanup(flz_cli *cli)
{
  char command[160];
  snprintf(command, sizeof command, "rm -rf %s", cli->dir);
  assert_int_equal(system(command), 0);
}

static int flz_cli_run(flz_cli *cli, const char *const *args, const char *const *env)
{
  flz_cli_start(cli, args, env);
  return flz_cli_wait(cli);
}

static void version_prints_name_and_version(void **state)
{
  (void)state;
  flz_cli cli;
  assert_int_equal(flz_cli_run(&cli, (const char *[]){"--version", NULL}, NULL), 0);
  assert_string_equal(flz_cli_read(cli.out), "flitz " FLZ_VERSION "\n");
  flz_cli_cleanup(&cli);
}

static void help_lists_every_subcommand(void **state)
{
  (void)state;
  flz_cli cli;
  assert_int_equal(flz_cli_run(&cli, (const char *[]){"--help", NULL}, NULL), 0);
  const char *out = flz_cli_read(cli.out);
  assert_non_null(strstr(out, "flitz render"));
  assert_non_null(strstr(out, "flitz check"));
  assert_non_null(strstr(out, "flitz devices"));
  assert_non_null(strstr(out, "--headless"));
  flz_cli_cleanup(&cli);
}

static void help_lists_the_note_event(void **state)
{
  (void)state;
  flz_cli cli;
  assert_int_equal(flz_cli_run(&cli, (const char *[]){"--help", NULL}, NULL), 0);
  assert_non_null(
    strstr(flz_cli_read(cli.out), "SECONDS note KEY VELOCITY [CHANNEL]   MIDI note on"));
  flz_cli_cleanup(&cli);
}

static void unknown_option_is_one_line_naming_it(void **state)
{
  (void)state;
  flz_cli cli;
  assert_int_not_equal(flz_cli_run(&cli, (const char *[]){"--bogus", NULL}, NULL), 0);
  const char *err = flz_cli_read(cli.err);
  assert_int_equal(flz_cli_lines(err), 1);
  assert_non_null(strstr(err, "--bogus"));
  flz_cli_cleanup(&cli);
}

static void missing_kit_is_one_line_naming_it(void **state)
{
  (void)state;
  flz_cli cli;
  int code = flz_cli_run(&cli, (const char *[]){"--headless", "/nonexistent/kit", NULL},
                         (const char *[]){FLZ_NO_AUDIO, NULL});
  assert_int_equal(code, 1);
  assert_string_equal(flz_cli_read(cli.err),
                      "error: /nonexistent/kit: no such file or directory\n");
  flz_cli_cleanup(&cli);
}

/* 1 if `path` begins with PNG's signature. */
static int flz_cli_is_png(const char *path)
{
  unsigned char head[8] = {0};
  FILE *file = fopen(path, "rb");
  if (file == NULL)
    return 0;
  size_t got = fread(head, 1, sizeof head, file);
  fclose(file);
  return got == sizeof head && memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0;
}

/* --screenshot with SDL's offscreen video driver: no display needed. A
 * font that cannot be used is one line, and the window is still drawn. */
static void screenshot_writes_a_png_and_a_missing_font_is_one_line(void **state)
{
  (void)state;
  for (int missing_font = 0; missing_font < 2; missing_font++) {
    char dir[64], png[96];
    snprintf(dir, sizeof dir, "/tmp/flitz-shot-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(png, sizeof png, "%s/view.png", dir);
    /* Leak detection off under AddressSanitizer, as for test_window: the
     * offscreen driver's Mesa EGL allocations (tests/platform/CMakeLists.txt). */
    const char *env[] = {"SDL_VIDEODRIVER=offscreen",
                         "SDL_RENDER_DRIVER=software",
                         "SDL_AUDIODRIVER=dummy",
                         "ASAN_OPTIONS=detect_leaks=0",
                         missing_font ? "FLZ_FONT=/nonexistent/font.ttf" : NULL,
                         NULL};
    flz_cli cli;
    assert_int_equal(flz_cli_run(&cli, (const char *[]){"--screenshot", png, NULL}, env), 0);
    assert_true(flz_cli_is_png(png));
    assert_non_null(strstr(flz_cli_read(cli.out), "flitz: screenshot: "));
    const char *err = flz_cli_read(cli.err);
    const char *font = strstr(err, "flitz: window: no usable font");
    if (missing_font) {
      assert_non_null(font);
      assert_non_null(strchr(font, '\n'));
      assert_null(strstr(strchr(font, '\n') + 1, "font"));
    } else {
      assert_null(font);
    }
    flz_cli_cleanup(&cli);
    assert_int_equal(remove(png), 0);
    assert_int_equal(rmdir(dir), 0);
  }
}

static void no_audio_device_with_no_fallback_is_one_line_error(void **state)
{
  (void)state;
  flz_cli cli;
  int code = flz_cli_run(&cli, (const char *[]){"--headless", "--no-fallback", NULL},
                         (const char *[]){FLZ_NO_AUDIO, NULL});
  assert_int_equal(code, 1);
  const char *err = flz_cli_read(cli.err);
  assert_int_equal(flz_cli_lines(err), 1);
  assert_non_null(strstr(err, "no audio output device"));
  flz_cli_cleanup(&cli);
}

/* Reads the data size, rate and channels of a 16-bit WAV written by the
 * fallback (the canonical 44-byte header of platform/wav_file.c). */
static void flz_cli_wav_header(const char *path, uint32_t *rate, uint32_t *channels,
                               uint32_t *data_bytes)
{
  FILE *file = fopen(path, "rb");
  assert_non_null(file);
  unsigned char h[44];
  assert_int_equal(fread(h, 1, sizeof h, file), sizeof h);
  fclose(file);
  assert_memory_equal(h, "RIFF", 4);
  assert_memory_equal(h + 8, "WAVE", 4);
  *channels = (uint32_t)(h[22] | h[23] << 8);
  *rate = (uint32_t)h[24] | (uint32_t)h[25] << 8 | (uint32_t)h[26] << 16 | (uint32_t)h[27] << 24;
  assert_memory_equal(h + 36, "data", 4);
  *data_bytes = (uint32_t)h[40] | (uint32_t)h[41] << 8 | (uint32_t)h[42] << 16 |
                (uint32_t)h[43] << 24;
}

/* With no audio device and no display, flitz says so in one line each,
 * keeps running in real time into a WAV whose path it prints, and `signal`
 * shuts it down cleanly with a complete WAV left behind. */
static void flz_cli_fallback_until(int signal_number)
{
  flz_cli cli;
  flz_cli_start(&cli, (const char *[]){NULL}, (const char *[]){FLZ_NO_AUDIO, NULL});
  flz_cli_wait_for(&cli, "flitz: ready: 16 pads from ");
  nanosleep(&(struct timespec){.tv_nsec = 500000000}, NULL);
  assert_int_equal(kill(cli.pid, signal_number), 0);
  assert_int_equal(flz_cli_wait(&cli), 0);

  const char *out = flz_cli_read(cli.out);
  const char *said = strstr(out, "no audio output device; writing what it plays to ");
  assert_non_null(said);
  char wav[256];
  assert_int_equal(sscanf(said, "no audio output device; writing what it plays to %255s", wav), 1);
  assert_int_equal(strncmp(wav, cli.dir, strlen(cli.dir)), 0);
  assert_non_null(strstr(out, "flitz: audio: driver wav, device "));
  assert_non_null(strstr(out, "flitz: shutting down\n"));
  const char *err = flz_cli_read(cli.err);
  assert_int_equal(flz_cli_lines(err), 1);
  assert_non_null(strstr(err, "running headless"));

  uint32_t rate = 0, channels = 0, bytes = 0;
  flz_cli_wav_header(wav, &rate, &channels, &bytes);
  assert_int_equal(rate, 48000);
  assert_int_equal(channels, 2);
  /* It ran in real time for the 0.5 s the test waited after the ready line
   * (and longer: the output starts before the kit loads); at least half of
   * that reached the file even on a machine busy with other tests (4 bytes
   * a frame). */
  assert_true(bytes >= 48000u / 4u * 4u);
  flz_cli_cleanup(&cli);
}

static void no_audio_device_falls_back_to_wav_and_sigterm_quits_cleanly(void **state)
{
  (void)state;
  flz_cli_fallback_until(SIGTERM);
}

static void sigint_quits_cleanly(void **state)
{
  (void)state;
  flz_cli_fallback_until(SIGINT);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(version_prints_name_and_version),
    cmocka_unit_test(help_lists_every_subcommand),
    cmocka_unit_test(help_lists_the_note_event),
    cmocka_unit_test(unknown_option_is_one_line_naming_it),
    cmocka_unit_test(missing_kit_is_one_line_naming_it),
    cmocka_unit_test(no_audio_device_with_no_fallback_is_one_line_error),
    cmocka_unit_test(screenshot_writes_a_png_and_a_missing_font_is_one_line),
    cmocka_unit_test(no_audio_device_falls_back_to_wav_and_sigterm_quits_cleanly),
    cmocka_unit_test(sigint_quits_cleanly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
