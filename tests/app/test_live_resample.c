/* tests/app/test_live_resample.c: a resample rule live, end to end through
 * real SDL: flitz.ini maps the game controller's guide button to
 * resample-1; a virtual controller presses A (pad 1) and then guide, on a
 * copy of the default kit, with SDL's disk audio driver as the sound card.
 * The test waits for the recording to be saved in the kit folder and finds
 * it, float for float, in what the disk driver wrote: the bar of the output
 * that followed the press. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <SDL.h>

#include "app/run.h"

#include "liverun.h"
#include "tempdir.h"
#include "virtualpad.h"

typedef struct live {
  flz_virtualpad pad;
  uint64_t press_loop;
  char saved[128];
  int saw_file;
} live;

static void tick(void *user, flz_run_state *state)
{
  live *t = user;
  if (state->loops == 1) {
    flz_virtualpad_attach(&t->pad, "Flitz resample pad");
    t->press_loop = state->loops + 30;
  }
  SDL_Joystick *joystick = t->pad.joystick;
  if (joystick != NULL && state->loops == t->press_loop) {
    SDL_JoystickSetVirtualButton(joystick, SDL_CONTROLLER_BUTTON_A, 1);
    SDL_JoystickSetVirtualButton(joystick, SDL_CONTROLLER_BUTTON_GUIDE, 1);
  }
  if (joystick != NULL && state->loops == t->press_loop + 1) {
    SDL_JoystickSetVirtualButton(joystick, SDL_CONTROLLER_BUTTON_A, 0);
    SDL_JoystickSetVirtualButton(joystick, SDL_CONTROLLER_BUTTON_GUIDE, 0);
  }
  if (access(t->saved, F_OK) == 0) {
    t->saw_file = 1;
    flz_virtualpad_detach(&t->pad);
    state->quit = 1;
  }
  if (state->loops > 2000) /* 20 s: something is wrong; end rather than hang */
    state->quit = 1;
}

static void a_resample_button_records_the_output_into_a_free_pad_and_saves_it(void **state)
{
  (void)state;
  char dir[64];
  flz_tempdir_make(dir, sizeof dir, "flitz-live-resample");
  char kit[96], command[512];
  snprintf(kit, sizeof kit, "%s/kit", dir);
  snprintf(command, sizeof command, "cp -r '%s' '%s'", FLZ_DEFAULT_KIT_DIR, kit);
  assert_int_equal(system(command), 0);
  flz_liverun run;
  flz_liverun_init(&run, dir, 0);
  flz_liverun_config(&run, "[buttons]\na = 1\nguide = resample-1\n");

  live t = {.pad = {.device_index = -1}};
  snprintf(t.saved, sizeof t.saved, "%s/resample-001.wav", kit);
  flz_run_hooks hooks = {.tick = tick, .user = &t};
  assert_int_equal(flz_run(&run.options, kit, &hooks), 0);
  assert_true(t.saw_file);

  /* The saved WAV, read with SDL, not our code. */
  SDL_AudioSpec spec;
  Uint8 *buffer = NULL;
  Uint32 length = 0;
  assert_non_null(SDL_LoadWAV(t.saved, &spec, &buffer, &length));
  assert_int_equal(spec.format, AUDIO_F32LSB);
  assert_int_equal(spec.channels, 2);
  size_t frames = length / 8;
  assert_int_equal(frames, 4 * 48000 / 2); /* a bar at the default 120 BPM */
  const float *saved = (const float *)buffer;

  size_t out_frames = 0;
  float *out = flz_liverun_output(&run, &out_frames);
  /* Where the recording starts: the output frame that matches its first
   * frames (the kick, pressed with it, starts in it). */
  size_t first = 0;
  while (first < frames && saved[2 * first] == 0.0f)
    first++;
  assert_true(first < frames);
  size_t at = SIZE_MAX;
  for (size_t i = first; i + frames - first <= out_frames && at == SIZE_MAX; i++)
    if (out[2 * i] == saved[2 * first] && out[2 * i + 1] == saved[2 * first + 1] &&
        memcmp(out + 2 * (i - first), saved, sizeof(float) * 2 * frames) == 0)
      at = i - first;
  if (at == SIZE_MAX)
    fail_msg("the recording of %zu frames is nowhere in the %zu frames played", frames, out_frames);
  SDL_FreeWAV(buffer);
  free(out);
  flz_liverun_deinit(&run);
  flz_tempdir_remove(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_resample_button_records_the_output_into_a_free_pad_and_saves_it),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
