/* tests/app/test_repeat_render.c: note repeat end to end through `flitz
 * render` on the real-files kit of $FLZ_TEST_DATA, the WAV read back with
 * SDL_LoadWAV: a pad played while repeat is on sounds on every grid line
 * after the press, frame-exactly, at the press's velocity until a pressure
 * event changes it, and stops at its release. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>
#include <cmocka.h>

#include "app/render.h"
#include "capture.h"
#include "engine/result.h"
#include "platform/decode.h"

#define ARGV(...) ((char *[]){__VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)))
#define RATE 48000

static void repeats_sound_on_the_grid_at_their_velocity_until_the_release(void **state)
{
  (void)state;
  const char *data = getenv("FLZ_TEST_DATA");
  if (data == NULL)
    fail_msg("FLZ_TEST_DATA is not set (the test_data fixture makes it)");
  char dir[] = "/tmp/flz-repeat-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char kit[512], events[64], out[64], kick_path[600];
  snprintf(kit, sizeof kit, "%s/kit", data);
  snprintf(kick_path, sizeof kick_path, "%s/01-kick.wav", kit);
  snprintf(events, sizeof events, "%s/events.txt", dir);
  snprintf(out, sizeof out, "%s/out.wav", dir);
  FILE *file = fopen(events, "w");
  assert_non_null(file);
  /* 120 BPM: a 1/4 is 24000 frames; the press at 4800 sounds first at
   * 24000; the pressure at 62400 sets the hit at 72000; the release at
   * 76800 ends it. */
  fputs("0 repeat 1/4\n0.1 play 1 0.5\n1.3 pressure 1 0.8\n1.6 release 1\n", file);
  fclose(file);
  flz_capture c = flz_capture_run(flz_render_main, ARGC("render", kit, events, out),
                                  ARGV("render", kit, events, out));
  if (c.code != 0)
    fail_msg("render exit %d: %s", c.code, c.err);
  flz_capture_free(&c);

  flz_decoded kick;
  char detail[128];
  assert_int_equal(flz_decode_file(kick_path, RATE, &kick, NULL, detail, sizeof detail), FLZ_OK);
  assert_true(kick.frame_count < 24000);
  SDL_AudioSpec spec;
  Uint8 *buffer = NULL;
  Uint32 length = 0;
  assert_non_null(SDL_LoadWAV(out, &spec, &buffer, &length));
  assert_int_equal(spec.format, AUDIO_F32LSB);
  const float *w = (const float *)buffer;
  size_t frames = length / 8;
  assert_true(frames >= 72000 + kick.frame_count); /* then silence: no hit after */

  const uint64_t hits[] = {24000, 48000, 72000};
  const float gains[] = {0.5f * 0.5f, 0.5f * 0.5f, 0.8f * 0.8f};
  size_t next = 0;
  for (size_t i = 0; i < frames; i++) {
    float expected = 0.0f;
    if (next < 3 && i >= hits[next] + kick.frame_count)
      next++;
    if (next < 3 && i >= hits[next]) {
      float x = kick.data[(i - hits[next]) * kick.channels] * gains[next];
      expected = x > 1.0f ? 1.0f : (x < -1.0f ? -1.0f : x);
    }
    if (w[2 * i] != expected)
      fail_msg("frame %zu: %g, expected %g", i, (double)w[2 * i], (double)expected);
  }
  SDL_FreeWAV(buffer);
  flz_decode_free(&kick);
  char command[64];
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  assert_int_equal(system(command), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(repeats_sound_on_the_grid_at_their_velocity_until_the_release),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
