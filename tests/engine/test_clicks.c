/* tests/engine/test_clicks.c: nothing clicks. A full-scale 1 kHz sine is
 * stopped in every way the engine stops a sound (stop one slot, stop all,
 * choke, steal, replace, unload, pause) and started mid-signal; the largest step
 * between neighbouring output samples must stay within what the fade
 * allows, and the sound must actually be gone (or back) afterwards.
 *
 * The bound: out[n] = g[n] s[n] with |s| <= A and g ramping linearly by at
 * most G / N per frame (N = the fade's frames), so
 *   |out[n] - out[n-1]| <= G |s[n] - s[n-1]| + A |g[n] - g[n-1]|
 *                       <= G A 2 pi f / rate + A G / N.
 * A cut without a fade would step by up to 2 A. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/result.h"

#define RATE 48000u
#define HZ 1000.0
#define PI 3.14159265358979323846
#define SINE_FRAMES 96000u
#define OUT_FRAMES 24000u

static flz_engine engine;
static float sine[SINE_FRAMES];
static float quiet[SINE_FRAMES];
static float out[OUT_FRAMES * 2];
static uint32_t fade; /* the engine's fade, frames */

static int setup(void **state)
{
  (void)state;
  flz_engine_config config;
  flz_engine_config_init(&config);
  assert_int_equal(flz_engine_init(&engine, &config), FLZ_OK);
  fade = engine.fade_frames;
  assert_int_equal(fade, 144); /* 3 ms at 48 kHz */
  for (uint32_t i = 0; i < SINE_FRAMES; i++)
    sine[i] = (float)sin(2.0 * PI * HZ * i / RATE);
  memset(quiet, 0, sizeof quiet);
  memset(out, 0, sizeof out);
  return 0;
}

static void send(flz_command command)
{
  assert_int_equal(flz_engine_send(&engine, FLZ_PRODUCER_CONTROL, &command), FLZ_OK);
}

static void load(uint32_t slot, const float *data, uint32_t region)
{
  flz_command command = {.type = FLZ_COMMAND_LOAD_SAMPLE, .slot = slot};
  command.sample = (flz_sample){
    .data = data, .frame_count = SINE_FRAMES, .channels = 1, .region = region};
  send(command);
}

static void play(uint32_t slot, uint32_t offset)
{
  send(
    (flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = slot, .value = 1.0f, .offset = offset});
}

/* Renders frames [from, to) of `out` in 64-frame periods. */
static void render(uint32_t from, uint32_t to)
{
  flz_event event;
  for (uint32_t f = from; f < to; f += 64) {
    flz_engine_render(&engine, out + 2 * f, to - f < 64 ? to - f : 64, 2, 0);
    while (flz_engine_receive(&engine, &event)) {
    }
  }
}

static double largest_step(uint32_t from, uint32_t to)
{
  double largest = 0.0;
  for (uint32_t f = from + 1; f < to; f++)
    for (int c = 0; c < 2; c++)
      largest = fmax(largest, fabs((double)out[2 * f + c] - out[2 * (f - 1) + c]));
  return largest;
}

static double bound(double gain)
{
  return gain * 2.0 * PI * HZ / RATE + gain / fade + 1e-6;
}

/* Plays the sine from frame 0, renders to frame 4000, sends `stop` there,
 * and checks the steps and that the sine is silent `fade` frames later. */
static void stops_without_a_click(flz_command stop)
{
  load(0, sine, 0);
  load(1, quiet, 0);
  play(0, 0);
  render(0, 4000);
  /* Before the stop it is the sine itself, exactly. */
  for (uint32_t f = 0; f < 4000; f++)
    assert_true(out[2 * f] == sine[f]);
  send(stop);
  render(4000, 8000);
  assert_true(largest_step(0, 8000) <= bound(1.0));
  /* Faded out by 4000 + fade; silent after. */
  for (uint32_t f = 4000 + fade; f < 8000; f++)
    assert_true(out[2 * f] == 0.0f && out[2 * f + 1] == 0.0f);
  /* And the fade was a fade: the frame halfway still sounds. */
  assert_true(fabsf(out[2 * (4000 + fade / 2)]) > 0.0f);
}

static void stop_slot_fades_out(void **state)
{
  (void)state;
  stops_without_a_click((flz_command){.type = FLZ_COMMAND_STOP_SLOT, .slot = 0});
}

static void stop_all_fades_out(void **state)
{
  (void)state;
  stops_without_a_click((flz_command){.type = FLZ_COMMAND_STOP});
}

static void replacing_the_sample_fades_the_old_one_out(void **state)
{
  (void)state;
  flz_command replace = {.type = FLZ_COMMAND_LOAD_SAMPLE, .slot = 0};
  replace.sample = (flz_sample){.data = quiet, .frame_count = SINE_FRAMES, .channels = 1};
  stops_without_a_click(replace);
}

static void unloading_the_slot_fades_it_out(void **state)
{
  (void)state;
  stops_without_a_click((flz_command){.type = FLZ_COMMAND_UNLOAD_SAMPLE, .slot = 0});
}

static void a_choke_fades_the_other_pad_of_the_group(void **state)
{
  (void)state;
  flz_command choke = {.type = FLZ_COMMAND_SET_SLOT, .slot = 0};
  choke.params = (flz_slot_params){.choke = 1};
  send(choke);
  choke.slot = 1;
  send(choke);
  stops_without_a_click((flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 1, .value = 1.0f});
}

static void a_stolen_voice_fades_out_on_a_tail(void **state)
{
  (void)state;
  load(0, sine, 0);
  load(1, quiet, 0);
  play(0, 0); /* the oldest voice */
  for (uint32_t v = 1; v < FLZ_VOICES; v++)
    play(1, 0);
  render(0, 4000);
  play(1, 0); /* one more: steals the sine's voice */
  render(4000, 8000);
  assert_true(largest_step(0, 8000) <= bound(1.0));
  for (uint32_t f = 4000 + fade; f < 8000; f++)
    assert_true(out[2 * f] == 0.0f);
  assert_true(fabsf(out[2 * (4000 + fade / 2)]) > 0.0f);
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  assert_int_equal(counters.voices_stolen, 1);
}

static void pause_fades_out_holds_and_resume_goes_on_where_it_held(void **state)
{
  (void)state;
  load(0, sine, 0);
  play(0, 0);
  render(0, 4000);
  send((flz_command){.type = FLZ_COMMAND_PAUSE});
  render(4000, 8000);
  for (uint32_t f = 4000 + fade; f < 8000; f++)
    assert_true(out[2 * f] == 0.0f);
  send((flz_command){.type = FLZ_COMMAND_RESUME});
  render(8000, 12000);
  assert_true(largest_step(0, 12000) <= bound(1.0));
  /* The voice advanced through the fade out (to 4000 + fade) and then held:
   * once the fade in is over, the output is the sine from there on. */
  for (uint32_t f = 8000 + fade; f < 12000; f++)
    assert_true(out[2 * f] == sine[f - 8000 + 4000 + fade]);
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  assert_int_equal(counters.voices_active, 1);
}

static void a_start_in_the_middle_of_the_sample_fades_in(void **state)
{
  (void)state;
  load(0, sine, 0);
  render(0, 1000);
  play(0, 12); /* sine[12] = sin(pi/2) = 1: the worst place to start */
  render(1000, 4000);
  assert_true(largest_step(0, 4000) <= bound(1.0));
  assert_true(fabsf(out[2 * 1000]) < 1.0f / fade + 1e-6f);
  for (uint32_t f = 1000 + fade; f < 4000; f++)
    assert_true(out[2 * f] == sine[f - 1000 + 12]);
}

static void master_volume_changes_ramp_per_sample(void **state)
{
  (void)state;
  load(0, sine, 0);
  play(0, 0);
  render(0, 4000);
  send((flz_command){.type = FLZ_COMMAND_SET_VOLUME, .value = -20.0f});
  render(4000, 8000);
  /* The gain falls from 1 to 0.1 over the fade: steps of at most 0.9 / N. */
  double limit = 2.0 * PI * HZ / RATE + 0.9 / fade + 1e-6;
  assert_true(largest_step(0, 8000) <= limit);
  for (uint32_t f = 4000 + fade; f < 8000; f++)
    assert_float_equal(out[2 * f], sine[f] * 0.1f, 1e-6);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(stop_slot_fades_out, setup),
    cmocka_unit_test_setup(stop_all_fades_out, setup),
    cmocka_unit_test_setup(replacing_the_sample_fades_the_old_one_out, setup),
    cmocka_unit_test_setup(unloading_the_slot_fades_it_out, setup),
    cmocka_unit_test_setup(a_choke_fades_the_other_pad_of_the_group, setup),
    cmocka_unit_test_setup(a_stolen_voice_fades_out_on_a_tail, setup),
    cmocka_unit_test_setup(pause_fades_out_holds_and_resume_goes_on_where_it_held, setup),
    cmocka_unit_test_setup(a_start_in_the_middle_of_the_sample_fades_in, setup),
    cmocka_unit_test_setup(master_volume_changes_ramp_per_sample, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
