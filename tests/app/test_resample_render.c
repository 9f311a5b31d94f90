/* tests/app/test_resample_render.c: resampling end to end through `flitz
 * render` (app/render.c, platform/resampler.h, app/resampling.h) on a copy of
 * the real-files kit of $FLZ_TEST_DATA, every WAV read back with
 * SDL_LoadWAV. Proves that the WAV a resampling saves in the kit folder is
 * the render's own output over the recorded span, float for float, for N
 * bars at the script's tempo; that the recording plays back on its pad at
 * once; that `resample stop` ends it at its frame and a pad's recording
 * holds that pad alone; that one past its reserved memory is cut there and
 * says so; and that a full pool refuses with one line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL.h>
#include <cmocka.h>

#include "app/render.h"
#include "capture.h"
#include "wavread.h"
#include "engine/limits.h"
#include "engine/result.h"
#include "platform/decode.h"

#define ARGV(...) ((char *[]){__VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)))
#define RENDER(...) flz_capture_run(flz_render_main, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

#define RATE 48000

typedef struct fixture {
  char dir[64];
  char kit[96];
  char events[96];
  char out[96];
  char saved[128]; /* the kit's resample-001.wav */
} fixture;

static void write_text(const char *path, const char *text)
{
  FILE *file = fopen(path, "w");
  assert_non_null(file);
  assert_int_equal(fputs(text, file) >= 0, 1);
  assert_int_equal(fclose(file), 0);
}

/* The stereo float WAV `path` at the render's rate. */
static flz_wavread_wav read_wav(const char *path)
{
  flz_wavread_wav w = flz_wavread_load(path, AUDIO_F32LSB);
  assert_int_equal(w.rate, RATE);
  return w;
}

static int setup(void **state)
{
  const char *data = getenv("FLZ_TEST_DATA");
  if (data == NULL)
    fail_msg("FLZ_TEST_DATA is not set (the test_data fixture makes it)");
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  snprintf(f->dir, sizeof f->dir, "/tmp/flz-resample-XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  snprintf(f->kit, sizeof f->kit, "%s/kit", f->dir);
  snprintf(f->events, sizeof f->events, "%s/events.txt", f->dir);
  snprintf(f->out, sizeof f->out, "%s/out.wav", f->dir);
  snprintf(f->saved, sizeof f->saved, "%s/resample-001.wav", f->kit);
  char command[512];
  snprintf(command, sizeof command,
           "mkdir '%s' && cp '%s'/kit/01-kick.wav '%s'/kit/02-snare.wav '%s'/kit/03-hat.wav '%s'",
           f->kit, data, data, data, f->kit);
  assert_int_equal(system(command), 0);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fixture *f = *state;
  char command[128];
  snprintf(command, sizeof command, "rm -rf '%s'", f->dir);
  assert_int_equal(system(command), 0);
  free(f);
  return 0;
}

/* Renders the fixture's script; asserts success and that stdout is
 * `resampled` followed by the summary line. */
static flz_wavread_wav render_ok(const fixture *f, const char *resampled)
{
  flz_capture c = RENDER("render", (char *)f->kit, (char *)f->events, (char *)f->out);
  if (c.code != 0)
    fail_msg("render exit %d: %s", c.code, c.err);
  assert_string_equal(c.err, "");
  flz_wavread_wav w = read_wav(f->out);
  char expected[512];
  snprintf(expected, sizeof expected,
           "%s%s frames=%llu channels=2 rate=48000 seconds=%.3f format=f32\n", resampled, f->out,
           (unsigned long long)w.frames, (double)w.frames / RATE);
  assert_string_equal(c.out, expected);
  flz_capture_free(&c);
  return w;
}

static void the_saved_recording_is_the_render_s_output_and_plays_back_at_once(void **state)
{
  fixture *f = *state;
  /* Pads hit before, during and across the span; the tempo sets the bar. */
  write_text(f->events, "0 tempo 100\n"
                        "0 play 1\n"
                        "0.2 play 2 0.8\n"
                        "0.25 resample master into 4 bars 1\n"
                        "0.25 play 3\n"
                        "1.3 play 1 0.5\n"
                        "2.5 play 2\n"
                        "5 play 4\n");
  char line[256];
  snprintf(line, sizeof line, "resampled into pad 4: 2.400 s saved as %s\n", f->saved);
  flz_wavread_wav out = render_ok(f, line);
  flz_wavread_wav saved = read_wav(f->saved);
  const uint64_t start = RATE / 4, length = 4 * 60 * RATE / 100; /* a bar at 100 BPM */
  assert_int_equal(saved.frames, length);
  assert_memory_equal(saved.data, out.data + 2 * start, sizeof(float) * 2 * length);
  float peak = 0.0f;
  for (uint64_t i = 0; i < 2 * length; i++)
    peak = fmaxf(peak, fabsf(saved.data[i]));
  assert_true(peak > 0.1f);
  /* Pad 4 did not exist before: at 5 s, alone, it plays the recording. */
  const uint64_t play = 5 * RATE;
  assert_true(out.frames >= play + length);
  assert_memory_equal(out.data + 2 * play, saved.data, sizeof(float) * 2 * length);
  assert_int_equal(access(f->saved + 0, F_OK), 0);
  char temporary[160];
  snprintf(temporary, sizeof temporary, "%s.tmp", f->saved);
  assert_int_equal(access(temporary, F_OK), -1);
  free(out.data);
  free(saved.data);
}

static void a_stop_ends_it_and_a_pad_s_recording_holds_that_pad_alone(void **state)
{
  fixture *f = *state;
  write_text(f->events, "0 volume -12\n"
                        "0.5 play 1\n"
                        "0.5 play 2\n"
                        "0.5 resample 2 into 7\n"
                        "0.75 resample stop\n");
  char line[256];
  snprintf(line, sizeof line, "resampled into pad 7: 0.250 s saved as %s\n", f->saved);
  flz_wavread_wav out = render_ok(f, line);
  flz_wavread_wav saved = read_wav(f->saved);
  assert_int_equal(saved.frames, RATE / 4);
  /* Pad 2 alone, before the master volume: its file's frames at gain 1,
   * clamped to -1..1 (engine/resample.h). */
  char path[160];
  snprintf(path, sizeof path, "%s/02-snare.wav", f->kit);
  flz_decoded snare;
  char detail[128];
  assert_int_equal(flz_decode_file(path, RATE, &snare, NULL, detail, sizeof detail), FLZ_OK);
  assert_true(snare.frame_count >= saved.frames);
  for (uint64_t i = 0; i < saved.frames; i++)
    for (uint32_t c = 0; c < 2; c++) {
      float expected = fminf(
        fmaxf(snare.data[i * snare.channels + (snare.channels == 2 ? c : 0)], -1.0f), 1.0f);
      if (saved.data[2 * i + c] != expected)
        fail_msg("frame %llu channel %u: %g, the pad's file has %g", (unsigned long long)i, c,
                 (double)saved.data[2 * i + c], (double)expected);
    }
  flz_decode_free(&snare);
  free(out.data);
  free(saved.data);
}

static void a_recording_past_its_memory_is_cut_and_says_so(void **state)
{
  fixture *f = *state;
  /* Until stopped, it reserves FLZ_RESAMPLE_SECONDS; the render runs on. */
  write_text(f->events, "0 play 1\n0 resample master into 3\n");
  char seconds[32];
  snprintf(seconds, sizeof seconds, "%d", FLZ_RESAMPLE_SECONDS + 1);
  flz_capture c = RENDER("render", "--seconds", seconds, (char *)f->kit, (char *)f->events,
                         (char *)f->out);
  assert_int_equal(c.code, 0);
  char line[256];
  snprintf(line, sizeof line,
           "resampled into pad 3: %d.000 s saved as %s, cut short: its reserved memory was full\n",
           FLZ_RESAMPLE_SECONDS, f->saved);
  assert_true(strncmp(c.out, line, strlen(line)) == 0);
  flz_wavread_wav out = read_wav(f->out);
  flz_wavread_wav saved = read_wav(f->saved);
  assert_int_equal(saved.frames, (uint64_t)FLZ_RESAMPLE_SECONDS * RATE);
  assert_memory_equal(saved.data, out.data, sizeof(float) * 2 * saved.frames);
  free(out.data);
  free(saved.data);
  flz_capture_free(&c);
}

static void a_full_pool_refuses_with_one_line_and_writes_nothing(void **state)
{
  fixture *f = *state;
  /* Recordings until stopped each reserve FLZ_RESAMPLE_SECONDS; started in
   * one period, none gives its memory back before the pool runs out. */
  char text[4096] = "";
  size_t n = 0;
  for (int i = 0; i < 40; i++)
    n += (size_t)snprintf(text + n, sizeof text - n, "0 resample master into %d\n", i + 4);
  write_text(f->events, text);
  flz_capture c = RENDER("render", (char *)f->kit, (char *)f->events, (char *)f->out);
  assert_int_equal(c.code, 1);
  assert_int_equal(flz_capture_lines(c.err), 1);
  char prefix[256];
  snprintf(prefix, sizeof prefix,
           "error: %s:%%u: does not fit in the sample pool (resampling needs 22.0 MiB of the "
           "sample pool, its largest free block has %%lf MiB)\n",
           f->events);
  unsigned bad_line = 0;
  double free_mib = -1.0;
  assert_int_equal(sscanf(c.err, prefix, &bad_line, &free_mib), 2);
  assert_true(bad_line > 1 && bad_line <= 40);
  assert_true(free_mib >= 0.0 && free_mib < 22.0);
  assert_int_equal(access(f->out, F_OK), -1);
  assert_int_equal(access(f->saved, F_OK), -1);
  flz_capture_free(&c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(
      the_saved_recording_is_the_render_s_output_and_plays_back_at_once, setup, teardown),
    cmocka_unit_test_setup_teardown(a_stop_ends_it_and_a_pad_s_recording_holds_that_pad_alone,
                                    setup, teardown),
    cmocka_unit_test_setup_teardown(a_recording_past_its_memory_is_cut_and_says_so, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(a_full_pool_refuses_with_one_line_and_writes_nothing, setup,
                                    teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
