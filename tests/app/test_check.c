/* tests/app/test_check.c: `flitz check` (app/check.h) on the real files of
 * $FLZ_TEST_DATA: its lines carry the frames, channels and rate that soxi
 * reports (manifest.tsv), pads in kit order, and every unusable file gets
 * its "error: PATH: REASON" line and a non-zero exit code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/check.h"
#include "app/kitformat.h"
#include "capture.h"
#include "engine/result.h"

#define PEARL "/usr/share/sounds/sf2/Black_Pearl_4_LV2.sf2"
#define ARGV(...) ((char *[]){__VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)))
#define CHECK(...) flz_capture_run(flz_check_main, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static const char *data_dir(void)
{
  const char *dir = getenv("FLZ_TEST_DATA");
  if (dir == NULL)
    fail_msg("FLZ_TEST_DATA is not set (the test_data fixture makes it)");
  return dir;
}

/* The manifest's frames, channels and rate of `relative` ("kit/01-kick.wav"). */
static void manifest_entry(const char *relative, unsigned long long *frames, unsigned *channels,
                           unsigned *rate)
{
  char path[512];
  snprintf(path, sizeof(path), "%s/manifest.tsv", data_dir());
  FILE *file = fopen(path, "r");
  assert_non_null(file);
  char line[1024];
  while (fgets(line, sizeof(line), file) != NULL) {
    char name[512];
    if (sscanf(line, "%511[^\t]\t%llu\t%u\t%u", name, frames, channels, rate) == 4 &&
        strcmp(name, relative) == 0) {
      fclose(file);
      return;
    }
  }
  fclose(file);
  fail_msg("%s is not in the manifest", relative);
}

static void test_kit_lines_match_the_manifest(void **state)
{
  (void)state;
  char kit[512];
  snprintf(kit, sizeof(kit), "%s/kit", data_dir());
  flz_capture c = CHECK("check", kit);
  assert_int_equal(c.code, 0);
  assert_string_equal(c.err, "");
  size_t lines = flz_capture_lines(c.out);
  assert_true(lines >= 8);

  char *save = NULL;
  unsigned expected_pad = 1;
  for (char *line = strtok_r(c.out, "\n", &save); line != NULL;
       line = strtok_r(NULL, "\n", &save), expected_pad++) {
    unsigned pad;
    char path[512];
    unsigned long long frames;
    unsigned channels;
    unsigned rate;
    char seconds[32];
    int consumed = 0;
    assert_int_equal(sscanf(line, "%u %511s frames=%llu channels=%u rate=%u seconds=%31s%n", &pad,
                            path, &frames, &channels, &rate, seconds, &consumed),
                     6);
    assert_int_equal((size_t)consumed, strlen(line));
    assert_int_equal(pad, expected_pad);
    /* The kit's files are named 01-... 10-...: pad N is the file N. */
    const char *name = strrchr(path, '/') + 1;
    assert_int_equal(atoi(name), (int)pad);
    assert_memory_equal(path, kit, strlen(kit));

    unsigned long long want_frames;
    unsigned want_channels;
    unsigned want_rate;
    char relative[512];
    snprintf(relative, sizeof(relative), "kit/%s", name);
    manifest_entry(relative, &want_frames, &want_channels, &want_rate);
    assert_int_equal(frames, want_frames);
    assert_int_equal(channels, want_channels);
    assert_int_equal(rate, want_rate);
    char want_seconds[32];
    snprintf(want_seconds, sizeof(want_seconds), "%.3f", (double)want_frames / want_rate);
    assert_string_equal(seconds, want_seconds);
  }
  assert_int_equal(expected_pad - 1, lines);
  flz_capture_free(&c);
}

/* The number a shell command prints. */
static unsigned long long command_number(const char *command)
{
  FILE *pipe = popen(command, "r");
  assert_non_null(pipe);
  unsigned long long value = 0;
  assert_int_equal(fscanf(pipe, "%llu", &value), 1);
  assert_int_equal(pclose(pipe), 0);
  return value;
}

/* The line of `text` that contains `needle`, copied into `line`; 0 if none. */
static int find_line(const char *text, const char *needle, char *line, size_t size)
{
  const char *hit = strstr(text, needle);
  if (hit == NULL)
    return 0;
  const char *start = hit;
  while (start > text && start[-1] != '\n')
    start--;
  size_t length = strcspn(start, "\n");
  snprintf(line, size, "%.*s", (int)length, start);
  return 1;
}

static void test_bad_files_get_error_lines_and_a_failing_exit_code(void **state)
{
  (void)state;
  char bad[512];
  snprintf(bad, sizeof(bad), "%s/bad", data_dir());
  flz_capture c = CHECK("check", bad);
  assert_int_not_equal(c.code, 0);

  /* Each refused file gets "error: PATH: MESSAGE..." where MESSAGE is one of
   * the result messages; the two whose cause is unambiguous are named. Which
   * code a damaged file gets is the decoder's business (tests/platform). */
  static const struct {
    const char *name;
    int result; /* FLZ_OK: any error code */
  } refused[] = {
    {"empty.wav", FLZ_ERR_EMPTY_FILE}, {"truncated.wav", FLZ_OK},
    {"truncated.ogg", FLZ_OK},         {"noise.wav", FLZ_OK},
    {"x.ogg", FLZ_ERR_IS_DIRECTORY},
  };
  for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
    char prefix[700];
    snprintf(prefix, sizeof(prefix), "error: %s/%s: ", bad, refused[i].name);
    char line[1024];
    if (!find_line(c.err, prefix, line, sizeof(line)))
      fail_msg("no line \"%s...\" in:\n%s", prefix, c.err);
    assert_memory_equal(line, prefix, strlen(prefix)); /* at the start of its line */
    const char *reason = line + strlen(prefix);
    int known = 0;
    for (int code = -1; strcmp(flz_result_message(code), "unknown error") != 0; code--) {
      const char *message = flz_result_message(code);
      if (strncmp(reason, message, strlen(message)) == 0 &&
          (refused[i].result == FLZ_OK || refused[i].result == code))
        known = 1;
    }
    if (!known)
      fail_msg("unexpected reason in \"%s\"", line);
    assert_null(strstr(c.out, refused[i].name));
  }
  /* One line per file, on one stream or the other. */
  char command[600];
  snprintf(command, sizeof(command), "ls -1 '%s' | wc -l", bad);
  assert_int_equal(flz_capture_lines(c.out) + flz_capture_lines(c.err), command_number(command));

  char good[700];
  snprintf(good, sizeof(good), "%s/good.wav frames=", bad);
  char line[1024];
  assert_true(find_line(c.out, good, line, sizeof(line)));
  snprintf(command, sizeof(command), "soxi -s '%s/good.wav'", bad);
  unsigned long long want_frames = command_number(command);
  snprintf(command, sizeof(command), "soxi -c '%s/good.wav'", bad);
  unsigned want_channels = (unsigned)command_number(command);
  snprintf(command, sizeof(command), "soxi -r '%s/good.wav'", bad);
  unsigned want_rate = (unsigned)command_number(command);
  char expected_tail[128];
  snprintf(expected_tail, sizeof(expected_tail), "frames=%llu channels=%u rate=%u seconds=%.3f",
           want_frames, want_channels, want_rate, (double)want_frames / want_rate);
  assert_non_null(strstr(line, expected_tail));
  flz_capture_free(&c);
}

static void test_file_arguments_are_numbered_by_position(void **state)
{
  (void)state;
  char a[512];
  char b[512];
  char missing[512];
  snprintf(a, sizeof(a), "%s/kit/03-hat.wav", data_dir());
  snprintf(b, sizeof(b), "%s/kit/05-bell.oga", data_dir());
  snprintf(missing, sizeof(missing), "%s/kit/no-such-file.wav", data_dir());
  flz_capture c = CHECK("check", b, missing, a);
  assert_int_equal(c.code, 1);
  char expected_err[700];
  snprintf(expected_err, sizeof(expected_err), "error: %s: %s", missing,
           flz_result_message(FLZ_ERR_NOT_FOUND));
  assert_memory_equal(c.err, expected_err, strlen(expected_err));
  assert_int_equal(flz_capture_lines(c.err), 1);

  unsigned long long frames;
  unsigned channels;
  unsigned rate;
  manifest_entry("kit/05-bell.oga", &frames, &channels, &rate);
  char expected[2048];
  int n = snprintf(expected, sizeof(expected),
                   "1 %s frames=%llu channels=%u rate=%u seconds=%.3f\n", b, frames, channels, rate,
                   (double)frames / rate);
  manifest_entry("kit/03-hat.wav", &frames, &channels, &rate);
  snprintf(expected + n, sizeof(expected) - (size_t)n,
           "3 %s frames=%llu channels=%u rate=%u seconds=%.3f\n", a, frames, channels, rate,
           (double)frames / rate);
  assert_string_equal(c.out, expected);
  flz_capture_free(&c);
}

static void test_empty_folder_and_usage_errors(void **state)
{
  (void)state;
  char dir[] = "/tmp/flz-check-XXXXXX";
  assert_non_null(mkdtemp(dir));
  flz_capture c = CHECK("check", dir);
  assert_int_equal(c.code, 1);
  char expected[256];
  snprintf(expected, sizeof(expected),
           "error: %s: contains no audio files (.wav, .ogg, .oga, .flac, .aif or .aiff)\n", dir);
  assert_string_equal(c.err, expected);
  assert_string_equal(c.out, "");
  flz_capture_free(&c);
  rmdir(dir);

  c = CHECK("check");
  assert_int_equal(c.code, 2);
  assert_string_equal(c.err, "flitz check: needs a KIT folder or audio FILEs (see flitz --help)\n");
  flz_capture_free(&c);

  c = CHECK("check", "--bogus", "kit");
  assert_int_equal(c.code, 2);
  assert_string_equal(c.err, "flitz check: unknown option --bogus (see flitz --help)\n");
  flz_capture_free(&c);
}

/* Each kit is checked through its row of the kit-format table
 * (app/kitformat.h): the row a path takes, and an SF2 bank's preset lines
 * (the sf2 row's list) before its regions, none for other formats. */
static void test_kits_are_checked_through_their_format_row(void **state)
{
  (void)state;
  char kit[512], wav[512];
  snprintf(kit, sizeof kit, "%s/kit", data_dir());
  snprintf(wav, sizeof wav, "%s/kit/03-hat.wav", data_dir());
  static const struct {
    const char *path, *name;
    unsigned flags;
  } rows[] = {
    {"/tmp/no-such-kit.sfz", "sfz", FLZ_KIT_FORMAT_BENCH_FILES},
    {PEARL, "sf2", 0},
    {"/usr/share/hydrogen/data/drumkits/GMRockKit", "hydrogen", 0},
    {"/usr/share/hydrogen/data/drumkits/GMRockKit/drumkit.xml", "hydrogen", 0},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const flz_kit_format *format = flz_kit_format_of(rows[i].path);
    assert_non_null(format);
    assert_string_equal(format->name, rows[i].name);
    assert_int_equal(format->flags, rows[i].flags);
  }
  assert_string_equal(flz_kit_format_of(kit)->name, "folder");
  assert_int_equal(flz_kit_format_of(kit)->flags, FLZ_KIT_FORMAT_FOLDER);
  assert_null(flz_kit_format_of(wav));
  assert_null(flz_kit_format_of("/tmp/no-such-file.wav"));

  flz_capture c = CHECK("check", PEARL);
  assert_int_equal(c.code, 0);
  assert_string_equal(c.err, "");
  assert_memory_equal(c.out, "preset 0:0 ", 11);
  const char *first_region = strstr(c.out, "\n1 " PEARL " offset=");
  assert_non_null(first_region);
  for (const char *line = c.out; line <= first_region; line = strchr(line, '\n') + 1)
    assert_memory_equal(line, "preset ", 7);
  flz_capture_free(&c);

  c = CHECK("check", "/usr/share/hydrogen/data/drumkits/GMRockKit");
  assert_int_equal(c.code, 0);
  assert_null(strstr(c.out, "preset "));
  assert_memory_equal(c.out, "1 /usr/share/hydrogen/data/drumkits/GMRockKit/", 46);
  flz_capture_free(&c);

  /* A bank that does not open: the list's error line, nothing checked. */
  char dir[] = "/tmp/flz-check-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char bad[64];
  snprintf(bad, sizeof bad, "%s/bad.sf2", dir);
  FILE *file = fopen(bad, "wb");
  assert_non_null(file);
  assert_int_equal(fwrite("RIFF", 1, 4, file), 4);
  assert_int_equal(fclose(file), 0);
  c = CHECK("check", bad);
  assert_int_equal(c.code, 1);
  assert_string_equal(c.out, "");
  assert_int_equal(flz_capture_lines(c.err), 1);
  assert_memory_equal(c.err, "error: ", 7);
  assert_non_null(strstr(c.err, bad));
  flz_capture_free(&c);
  unlink(bad);
  rmdir(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_kit_lines_match_the_manifest),
    cmocka_unit_test(test_bad_files_get_error_lines_and_a_failing_exit_code),
    cmocka_unit_test(test_file_arguments_are_numbered_by_position),
    cmocka_unit_test(test_empty_folder_and_usage_errors),
    cmocka_unit_test(test_kits_are_checked_through_their_format_row),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
