/* tests/app/test_live_repeat.c: a repeat-RATE rule live, end to end through
 * real SDL: flitz.ini maps the game controller's guide button to
 * repeat-1/8 and A to pad 1; a virtual controller holds guide, then A for
 * about a second, with SDL's disk audio driver as the sound card. Pad 1's
 * voices start (engine events, as the loop sees them) on the 1/8 grid of
 * the default kit's 120 BPM: every 12000 frames, on whole multiples of it,
 * and stop when A is let go. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <SDL.h>

#include "app/run.h"

#include "liverun.h"
#include "tempdir.h"
#include "virtualpad.h"

#define EIGHTH 12000u /* frames of a 1/8 at 120 BPM and 48 kHz */

typedef struct live {
  flz_virtualpad pad;
  uint64_t press_loop;
  uint32_t started;
  uint64_t onsets[64];
  uint32_t onset_count;
  uint64_t release_frame;
} live;

static void tick(void *user, flz_run_state *state)
{
  live *t = user;
  if (state->loops == 1) {
    flz_virtualpad_attach(&t->pad, "Flitz repeat pad");
    t->press_loop = state->loops + 30;
  }
  if (state->started[0] != t->started && t->onset_count < 64) {
    t->started = state->started[0];
    t->onsets[t->onset_count++] = state->start_frame[0];
  }
  SDL_Joystick *joystick = t->pad.joystick;
  if (joystick == NULL)
    return;
  if (state->loops == t->press_loop)
    SDL_JoystickSetVirtualButton(joystick, SDL_CONTROLLER_BUTTON_GUIDE, 1);
  if (state->loops == t->press_loop + 1)
    SDL_JoystickSetVirtualButton(joystick, SDL_CONTROLLER_BUTTON_A, 1);
  if (state->loops == t->press_loop + 100) {
    SDL_JoystickSetVirtualButton(joystick, SDL_CONTROLLER_BUTTON_A, 0);
    t->release_frame = state->frame;
  }
  if (state->loops == t->press_loop + 101)
    SDL_JoystickSetVirtualButton(joystick, SDL_CONTROLLER_BUTTON_GUIDE, 0);
  if (state->loops == t->press_loop + 160) {
    flz_virtualpad_detach(&t->pad);
    state->quit = 1;
  }
  if (state->loops > 2000) /* 20 s: something is wrong; end rather than hang */
    state->quit = 1;
}

static void a_held_repeat_button_repeats_a_held_pad_on_the_grid(void **state)
{
  (void)state;
  char dir[64];
  flz_tempdir_make(dir, sizeof dir, "flitz-live-repeat");
  flz_liverun run;
  flz_liverun_init(&run, dir, 0);
  flz_liverun_config(&run, "[buttons]\na = 1\nguide = repeat-1/8\n");

  live t = {.pad.device_index = -1};
  flz_run_hooks hooks = {.tick = tick, .user = &t};
  assert_int_equal(flz_run(&run.options, FLZ_DEFAULT_KIT_DIR, &hooks), 0);

  /* About a second held: 3 or more eighths, each on the grid. */
  if (t.onset_count < 3)
    fail_msg("pad 1 started %u times while held", t.onset_count);
  for (uint32_t i = 0; i < t.onset_count; i++) {
    if (t.onsets[i] % EIGHTH != 0)
      fail_msg("hit %u at frame %llu, off the 1/8 grid", i, (unsigned long long)t.onsets[i]);
    if (i > 0)
      assert_int_equal(t.onsets[i] - t.onsets[i - 1], EIGHTH);
  }
  /* None after the release (the loop saw its frame after the fact). */
  assert_true(t.onsets[t.onset_count - 1] <= t.release_frame + EIGHTH);
  flz_liverun_deinit(&run);
  flz_tempdir_remove(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_held_repeat_button_repeats_a_held_pad_on_the_grid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
