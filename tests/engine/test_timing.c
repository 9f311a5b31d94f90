/* tests/engine/test_timing.c: constant-latency placement of timed commands.
 * The audio callback's times are simulated: period k of P = 256 frames
 * starts at T0 + k x P / 48000 s (an exact clock) or at that time plus a
 * known jitter. A command whose input arrived at time t must start exactly
 * one period later: at the frame that was playing at t, plus P. */
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
#define P 256u
#define T0 1000000000ull /* the first callback's time, ns */
#define PERIODS 800u     /* 4.3 s */

static flz_engine engine;
static float click[4] = {1.0f, 0.5f, 0.25f, 0.125f};
static float out[PERIODS * P * 2];

/* The callback time of period k on an exact clock, ns. */
static uint64_t period_time(uint64_t k)
{
  return T0 + (uint64_t)llround((double)k * P * 1e9 / RATE);
}

/* The time at which frame `frame` played on the exact clock, ns. */
static uint64_t frame_time(uint64_t frame)
{
  return T0 + (uint64_t)llround((double)frame * 1e9 / RATE);
}

static int setup(void **state)
{
  (void)state;
  flz_engine_config config;
  flz_engine_config_init(&config);
  assert_int_equal(flz_engine_init(&engine, &config), FLZ_OK);
  flz_command load = {.type = FLZ_COMMAND_LOAD_SAMPLE, .slot = 0};
  load.sample = (flz_sample){.data = click, .frame_count = 4, .channels = 1, .region = 0};
  assert_int_equal(flz_engine_send(&engine, FLZ_PRODUCER_CONTROL, &load), FLZ_OK);
  memset(out, 0, sizeof out);
  return 0;
}

static void render_period(uint64_t k, uint64_t time_ns)
{
  flz_engine_render(&engine, out + k * P * 2, P, 2, time_ns);
  flz_event event;
  while (flz_engine_receive(&engine, &event)) {
  }
}

static void play_at(uint64_t time_ns, uint32_t producer)
{
  flz_command play = {
    .type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 0, .value = 1.0f, .time_ns = time_ns};
  assert_int_equal(flz_engine_send(&engine, producer, &play), FLZ_OK);
}

/* Frames of `out` in [from, to) where a click starts (the value 1.0). */
static uint32_t onsets(uint64_t from, uint64_t to, uint64_t *found, uint32_t max)
{
  uint32_t n = 0;
  for (uint64_t f = from; f < to && n < max; f++)
    if (out[2 * f] == 1.0f)
      found[n++] = f;
  return n;
}

static void a_timed_trigger_starts_one_period_after_its_input_inside_a_period(void **state)
{
  (void)state;
  for (uint64_t k = 0; k < 10; k++)
    render_period(k, period_time(k));
  /* Input during period 9 at its frame 100; the engine drains it at the
   * callback of period 10 and must start it at frame 9 x P + 100 + P. */
  uint64_t input_frame = 9 * P + 100;
  play_at(frame_time(input_frame), FLZ_PRODUCER_CONTROL);
  for (uint64_t k = 10; k < 14; k++)
    render_period(k, period_time(k));
  uint64_t found[4];
  assert_int_equal(onsets(0, 14 * P, found, 4), 1);
  assert_int_equal(found[0], input_frame + P);
  /* The click itself, sample for sample, on both channels. */
  for (uint32_t i = 0; i < 4; i++) {
    assert_true(out[2 * (found[0] + i)] == click[i]);
    assert_true(out[2 * (found[0] + i) + 1] == click[i]);
  }
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  assert_int_equal(counters.commands_late, 0);
}

static void triggers_in_one_period_keep_their_spacing_and_order(void **state)
{
  (void)state;
  for (uint64_t k = 0; k < 10; k++)
    render_period(k, period_time(k));
  /* Three inputs within period 9 (two producers), at frames 3, 77 and 250. */
  play_at(frame_time(9 * P + 3), FLZ_PRODUCER_CONTROL);
  play_at(frame_time(9 * P + 250), FLZ_PRODUCER_CONTROL);
  play_at(frame_time(9 * P + 77), FLZ_PRODUCER_MIDI);
  for (uint64_t k = 10; k < 14; k++)
    render_period(k, period_time(k));
  uint64_t found[4];
  assert_int_equal(onsets(0, 14 * P, found, 4), 3);
  assert_int_equal(found[0], 10 * P + 3);
  assert_int_equal(found[1], 10 * P + 77);
  assert_int_equal(found[2], 10 * P + 250);
}

static void a_trigger_whose_frame_is_in_a_later_period_waits_for_it(void **state)
{
  (void)state;
  for (uint64_t k = 0; k < 10; k++)
    render_period(k, period_time(k));
  /* An input stamped 300 frames into period 10 but already queued when
   * period 10's callback drains it (a clock read late on the control
   * side): it must start at frame 10 x P + 300 + P, across two boundaries. */
  uint64_t input_frame = 10 * P + 300;
  play_at(frame_time(input_frame), FLZ_PRODUCER_CONTROL);
  for (uint64_t k = 10; k < 16; k++)
    render_period(k, period_time(k));
  uint64_t found[4];
  assert_int_equal(onsets(0, 16 * P, found, 4), 1);
  assert_int_equal(found[0], input_frame + P);
}

static void a_trigger_too_late_for_its_frame_starts_at_once_and_is_counted(void **state)
{
  (void)state;
  for (uint64_t k = 0; k < 10; k++)
    render_period(k, period_time(k));
  /* Stamped in period 7 but drained at period 10: its frame (8 x P + 10)
   * has passed. */
  play_at(frame_time(7 * P + 10), FLZ_PRODUCER_CONTROL);
  for (uint64_t k = 10; k < 12; k++)
    render_period(k, period_time(k));
  uint64_t found[4];
  assert_int_equal(onsets(0, 12 * P, found, 4), 1);
  assert_int_equal(found[0], 10 * P);
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  assert_int_equal(counters.commands_late, 1);
}

static void an_untimed_trigger_starts_at_the_next_period(void **state)
{
  (void)state;
  for (uint64_t k = 0; k < 10; k++)
    render_period(k, period_time(k));
  play_at(0, FLZ_PRODUCER_CONTROL);
  for (uint64_t k = 10; k < 12; k++)
    render_period(k, period_time(k));
  uint64_t found[4];
  assert_int_equal(onsets(0, 12 * P, found, 4), 1);
  assert_int_equal(found[0], 10 * P);
}

static void without_callback_times_timed_triggers_start_at_the_period(void **state)
{
  (void)state;
  for (uint64_t k = 0; k < 10; k++)
    render_period(k, 0);
  play_at(frame_time(9 * P + 100), FLZ_PRODUCER_CONTROL);
  render_period(10, 0);
  uint64_t found[4];
  assert_int_equal(onsets(0, 11 * P, found, 4), 1);
  assert_int_equal(found[0], 10 * P);
}

/* A deterministic jitter of -0.5..+0.5 ms on every callback (xorshift32). */
static int64_t jitter_ns(uint32_t *seed)
{
  *seed ^= *seed << 13;
  *seed ^= *seed >> 17;
  *seed ^= *seed << 5;
  return (int64_t)(*seed % 1000001u) - 500000;
}

/* Callbacks wander by up to +-0.5 ms (0.09 of a period; the disk driver and
 * real schedulers wander like this). After 2 s the delay-locked loop has
 * settled, and a trigger must land within 0.25 ms (12 frames) of exactly one
 * period after its input, where the raw callback times would put it anywhere
 * in a 24-frame window and untimed triggers anywhere in the 256-frame period.
 * Bound: the loop (omega = 2 pi x 1 Hz x 5.33 ms = 0.0335, damping 0.707)
 * has a noise bandwidth of omega (1 + 4 zeta^2) / (8 zeta) = 0.0178 per
 * period, so it passes 2 x 0.0178 of the jitter's variance: a standard
 * deviation of 0.19 x 0.29 ms (uniform +-0.5 ms) = 0.055 ms = 2.6 frames;
 * 0.25 ms is about 4.5 of those. */
static void jittery_callbacks_still_place_triggers_to_a_quarter_of_a_millisecond(void **state)
{
  (void)state;
  uint32_t seed = 2463534242u;
  uint64_t input_frames[40];
  uint32_t inputs = 0;
  for (uint64_t k = 0; k < PERIODS - 4; k++) {
    if (k >= 400 && k % 9 == 0 && inputs < 40) {
      /* An input stamped at frame 37 x (k mod 5) + 11 of period k - 1. */
      uint64_t frame = (k - 1) * P + 37 * (k % 5) + 11;
      play_at(frame_time(frame), FLZ_PRODUCER_CONTROL);
      input_frames[inputs++] = frame;
    }
    render_period(k, (uint64_t)((int64_t)period_time(k) + jitter_ns(&seed)));
  }
  uint64_t found[40];
  assert_int_equal(onsets(0, (uint64_t)(PERIODS - 4) * P, found, 40), inputs);
  for (uint32_t i = 0; i < inputs; i++) {
    int64_t error = (int64_t)found[i] - (int64_t)(input_frames[i] + P);
    assert_true(error >= -12 && error <= 12);
  }
}

static void a_callback_periods_late_counts_as_an_xrun_and_relocks(void **state)
{
  (void)state;
  for (uint64_t k = 0; k < 10; k++)
    render_period(k, period_time(k));
  /* Three periods are lost: the next callback comes 3 periods late. */
  render_period(10, period_time(13));
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  assert_int_equal(counters.xruns, 1);
  for (uint64_t k = 11; k < 15; k++)
    render_period(k, period_time(k + 3));
  /* Relocked to the new times: an input placed exactly once more. */
  uint64_t input_frame = 14 * P + 20; /* frame 14 x P plays at period_time(17) */
  play_at(period_time(17) + (uint64_t)llround(20 * 1e9 / RATE), FLZ_PRODUCER_CONTROL);
  for (uint64_t k = 15; k < 18; k++)
    render_period(k, period_time(k + 3));
  uint64_t found[4];
  assert_int_equal(onsets(0, 18 * P, found, 4), 1);
  assert_int_equal(found[0], input_frame + P);
  flz_engine_counters_get(&engine, &counters);
  assert_int_equal(counters.xruns, 1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(a_timed_trigger_starts_one_period_after_its_input_inside_a_period,
                           setup),
    cmocka_unit_test_setup(triggers_in_one_period_keep_their_spacing_and_order, setup),
    cmocka_unit_test_setup(a_trigger_whose_frame_is_in_a_later_period_waits_for_it, setup),
    cmocka_unit_test_setup(a_trigger_too_late_for_its_frame_starts_at_once_and_is_counted, setup),
    cmocka_unit_test_setup(an_untimed_trigger_starts_at_the_next_period, setup),
    cmocka_unit_test_setup(without_callback_times_timed_triggers_start_at_the_period, setup),
    cmocka_unit_test_setup(jittery_callbacks_still_place_triggers_to_a_quarter_of_a_millisecond,
                           setup),
    cmocka_unit_test_setup(a_callback_periods_late_counts_as_an_xrun_and_relocks, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
