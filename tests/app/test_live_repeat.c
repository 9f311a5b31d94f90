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
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include <SDL.h>

#include "app/run.h"

#define EIGHTH 12000u /* frames of a 1/8 at 120 BPM and 48 kHz */

typedef struct live {
  int device_index;
  SDL_Joystick *joystick;
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
    SDL_VirtualJoystickDesc desc;
    SDL_zero(desc);
    desc.version = SDL_VIRTUAL_JOYSTICK_DESC_VERSION;
    desc.type = SDL_JOYSTICK_TYPE_GAMECONTROLLER;
    desc.naxes = SDL_CONTROLLER_AXIS_MAX;
    desc.nbuttons = SDL_CONTROLLER_BUTTON_MAX;
    desc.name = "Flitz repeat pad";
    t->device_index = SDL_JoystickAttachVirtualEx(&desc);
    t->joystick = SDL_JoystickOpen(t->device_index);
    t->press_loop = state->loops + 30;
  }
  if (state->started[0] != t->started && t->onset_count < 64) {
    t->started = state->started[0];
    t->onsets[t->onset_count++] = state->start_frame[0];
  }
  if (t->joystick == NULL)
    return;
  if (state->loops == t->press_loop)
    SDL_JoystickSetVirtualButton(t->joystick, SDL_CONTROLLER_BUTTON_GUIDE, 1);
  if (state->loops == t->press_loop + 1)
    SDL_JoystickSetVirtualButton(t->joystick, SDL_CONTROLLER_BUTTON_A, 1);
  if (state->loops == t->press_loop + 100) {
    SDL_JoystickSetVirtualButton(t->joystick, SDL_CONTROLLER_BUTTON_A, 0);
    t->release_frame = state->frame;
  }
  if (state->loops == t->press_loop + 101)
    SDL_JoystickSetVirtualButton(t->joystick, SDL_CONTROLLER_BUTTON_GUIDE, 0);
  if (state->loops == t->press_loop + 160) {
    SDL_JoystickClose(t->joystick);
    SDL_JoystickDetachVirtual(t->device_index);
    state->quit = 1;
  }
  if (state->loops > 2000) /* 20 s: something is wrong; end rather than hang */
    state->quit = 1;
}

static void a_held_repeat_button_repeats_a_held_pad_on_the_grid(void **state)
{
  (void)state;
  char dir[] = "/tmp/flitz-live-repeat-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char ini[96], raw[96], command[160];
  snprintf(ini, sizeof ini, "%s/flitz.ini", dir);
  snprintf(raw, sizeof raw, "%s/out.raw", dir);
  FILE *file = fopen(ini, "w");
  assert_non_null(file);
  fputs("[buttons]\na = 1\nguide = repeat-1/8\n", file);
  fclose(file);
  setenv("SDL_AUDIODRIVER", "disk", 1);
  setenv("SDL_DISKAUDIOFILE", raw, 1);

  flz_options options;
  flz_options_init(&options);
  options.headless = 1;
  options.no_fallback = 1;
  options.config_path = ini;
  live t = {.device_index = -1};
  flz_run_hooks hooks = {.tick = tick, .user = &t};
  assert_int_equal(flz_run(&options, FLZ_DEFAULT_KIT_DIR, &hooks), 0);

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
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  assert_int_equal(system(command), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_held_repeat_button_repeats_a_held_pad_on_the_grid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
