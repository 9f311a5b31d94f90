/* tests/app/test_live.c: the live sampler end to end through real SDL: the
 * disk audio driver stands in for the sound card and writes what would have
 * been played; a virtual game controller presses A, which is pad 1 of the
 * default layout. The test finds pad 1's sample, sample for sample, in the
 * disk driver's output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <SDL.h>

#include "app/kit.h"
#include "app/run.h"
#include "engine/result.h"
#include "platform/decode.h"

#include "liverun.h"
#include "tempdir.h"
#include "virtualpad.h"

typedef struct flz_live_test {
  flz_virtualpad pad;
  uint64_t press_loop;
  uint64_t quit_loop;
  uint32_t max_voices_pad1;
} flz_live_test;

/* Loop counts at about 10 ms a loop: attach at once, press after 0.3 s (the
 * controller has been opened by then), release on the next loop, quit 1.5 s
 * later so the whole kick (under 1 s) is in the output. */
static void flz_live_tick(void *user, flz_run_state *state)
{
  flz_live_test *t = user;
  if (state->loops == 1) {
    flz_virtualpad_attach(&t->pad, "Flitz test pad");
    t->press_loop = state->loops + 30;
  }
  if (t->pad.joystick != NULL && state->loops == t->press_loop)
    SDL_JoystickSetVirtualButton(t->pad.joystick, SDL_CONTROLLER_BUTTON_A, 1);
  if (t->pad.joystick != NULL && state->loops == t->press_loop + 1) {
    SDL_JoystickSetVirtualButton(t->pad.joystick, SDL_CONTROLLER_BUTTON_A, 0);
    t->quit_loop = state->loops + 150;
  }
  if (state->voices[0] > t->max_voices_pad1)
    t->max_voices_pad1 = state->voices[0];
  if (t->quit_loop != 0 && state->loops >= t->quit_loop) {
    flz_virtualpad_detach(&t->pad);
    state->quit = 1;
  }
  if (state->loops > 2000) /* 20 s: something is wrong; end rather than hang */
    state->quit = 1;
}

static void gamepad_button_plays_pad_sample_through_sdl_disk_driver(void **state)
{
  (void)state;
  char dir[64];
  flz_tempdir_make(dir, sizeof dir, "flitz-live");
  flz_liverun run;
  flz_liverun_init(&run, dir, 0);

  const char *kit = FLZ_DEFAULT_KIT_DIR;
  flz_live_test t = {.pad.device_index = -1};
  flz_run_hooks hooks = {.tick = flz_live_tick, .user = &t};
  assert_int_equal(flz_run(&run.options, kit, &hooks), 0);
  assert_true(t.pad.opened);
  assert_int_equal(t.max_voices_pad1, 1);

  flz_kit pads;
  assert_int_equal(flz_kit_scan(kit, &pads), FLZ_OK);
  flz_decoded kick;
  assert_int_equal(flz_decode_file(pads.paths[0], 48000, &kick, NULL, NULL, 0), FLZ_OK);
  flz_kit_deinit(&pads);
  assert_int_equal(kick.channels, 1);

  size_t frames = 0;
  float *out = flz_liverun_output(&run, &frames);
  size_t onset = 0;
  while (onset < frames && out[2 * onset] == 0.0f && out[2 * onset + 1] == 0.0f)
    onset++;
  assert_true(onset < frames);
  /* The kick's first nonzero frame is where the voice starts, unless the
   * sample itself begins with exact zeros. */
  size_t lead = 0;
  while (lead < kick.frame_count && kick.data[lead] == 0.0f)
    lead++;
  assert_true(onset >= lead);
  size_t start = onset - lead;
  assert_true(start + kick.frame_count <= frames);
  /* Velocity 1.0, master 0 dB, mono to both channels: bit-exact. */
  for (size_t i = 0; i < kick.frame_count; i++) {
    assert_true(out[2 * (start + i)] == kick.data[i]);
    assert_true(out[2 * (start + i) + 1] == kick.data[i]);
  }
  for (size_t i = start + kick.frame_count; i < frames; i++)
    assert_true(out[2 * i] == 0.0f);
  free(out);
  flz_decode_free(&kick);
  flz_liverun_deinit(&run);
  flz_tempdir_remove(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(gamepad_button_plays_pad_sample_through_sdl_disk_driver),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
