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

#include <cmocka.h>

#include "app/render.h"
#include "capture.h"
#include "engine/result.h"
#include "platform/decode.h"
#include "tempdir.h"
#include "wavread.h"

#define ARGV(...) ((char *[]){__VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)))
#define RATE 48000

static void repeats_sound_on_the_grid_at_their_velocity_until_the_release(void **state)
{
  (void)state;
  const char *data = getenv("FLZ_TEST_DATA");
  if (data == NULL)
    fail_msg("FLZ_TEST_DATA is not set (the test_data fixture makes it)");
  char dir[64];
  flz_tempdir_make(dir, sizeof dir, "flz-repeat");
  char kit[512], events[128], out[128], kick_path[600];
  snprintf(kit, sizeof kit, "%s/kit", data);
  snprintf(kick_path, sizeof kick_path, "%s/01-kick.wav", kit);
  snprintf(events, sizeof events, "%s/events.txt", dir);
  snprintf(out, sizeof out, "%s/out.wav", dir);
  /* 120 BPM: a 1/4 is 24000 frames; the press at 4800 sounds first at
   * 24000; the pressure at 62400 sets the hit at 72000; the release at
   * 76800 ends it. */
  flz_tempdir_write(events, "0 repeat 1/4\n0.1 play 1 0.5\n1.3 pressure 1 0.8\n1.6 release 1\n");
  flz_capture c = flz_capture_run(flz_render_main, ARGC("render", kit, events, out),
                                  ARGV("render", kit, events, out));
  if (c.code != 0)
    fail_msg("render exit %d: %s", c.code, c.err);
  flz_capture_free(&c);

  flz_decoded kick;
  char detail[128];
  assert_int_equal(flz_decode_file(kick_path, RATE, &kick, NULL, detail, sizeof detail), FLZ_OK);
  assert_true(kick.frame_count < 24000);
  flz_wavread_wav wav = flz_wavread_load(out, AUDIO_F32LSB);
  const float *w = wav.data;
  size_t frames = wav.frames;
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
  free(wav.data);
  flz_decode_free(&kick);
  flz_tempdir_remove(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(repeats_sound_on_the_grid_at_their_velocity_until_the_release),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
