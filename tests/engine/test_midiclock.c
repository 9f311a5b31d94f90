/* tests/engine/test_midiclock.c: following a MIDI clock. The filter of
 * engine/midiclock.h on synthetic ticks (steady, jittered by +-1 ms, a tempo
 * change, a single late tick, song position), and the engine on it: its
 * beat and a BPM-locked loop's clicks in phase with the clock's beat, and a
 * lost clock keeping its tempo. The jitter is a fixed pseudo-random
 * sequence, so every run sees the same ticks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/midiclock.h"
#include "engine/result.h"

#define RATE 48000u

static uint64_t seed;

/* Uniform in -1..1 (a 64-bit LCG, Knuth's MMIX constants). */
static double noise(void)
{
  seed = seed * 6364136223846793005u + 1442695040888963407u;
  return (double)(seed >> 11) / (double)(1ull << 52) - 1.0;
}

/* Frames per tick at `bpm`. */
static double tick_frames(double bpm)
{
  return 60.0 * RATE / (bpm * FLZ_MIDICLOCK_TICKS_PER_BEAT);
}

/* Feeds ticks k = first..last-1 of a steady clock at `bpm` whose tick 0 is at
 * frame `origin`, each moved by up to +-`jitter_ms`; returns the largest
 * phase error (ms) of the filter's beat at the true tick frames from tick
 * `from` on. */
static double feed(flz_midiclock *clock, double bpm, double origin, uint32_t first, uint32_t last,
                   double jitter_ms, uint32_t from)
{
  double period = tick_frames(bpm), worst = 0.0;
  for (uint32_t k = first; k < last; k++) {
    double truth = origin + k * period;
    flz_midiclock_tick(clock, truth + noise() * jitter_ms * 0.001 * RATE);
    if (k < from)
      continue;
    /* The clock's beat at the true frame of tick k+1, against k+1 ticks. */
    double next = truth + period;
    double error = flz_midiclock_beat(clock, next) - (double)(k + 1) / 24.0;
    double ms = fabs(error) * 60000.0 / bpm;
    worst = ms > worst ? ms : worst;
  }
  return worst;
}

static void clock_locks_to_a_steady_jittered_clock(void **state)
{
  (void)state;
  const double tempos[] = {90.0, 120.0, 174.0};
  for (uint32_t i = 0; i < 3; i++) {
    flz_midiclock clock;
    flz_midiclock_init(&clock, RATE);
    flz_midiclock_start(&clock);
    seed = 1 + i;
    assert_false(flz_midiclock_locked(&clock));
    /* 8 beats in, the phase error stays under 0.6 ms for the next 24 beats. */
    double phase = feed(&clock, tempos[i], 1000.0, 0, 24 * 32, 1.0, 24 * 8);
    assert_true(flz_midiclock_locked(&clock));
    print_message("%.0f BPM: tempo %.4f, phase error at most %.3f ms\n", tempos[i],
                  flz_midiclock_tempo(&clock), phase);
    assert_true(phase < 0.6);
    assert_true(fabs(flz_midiclock_tempo(&clock) - tempos[i]) < tempos[i] * 0.0015);
  }
}

static void clock_follows_a_tempo_change_within_two_beats(void **state)
{
  (void)state;
  flz_midiclock clock;
  flz_midiclock_init(&clock, RATE);
  flz_midiclock_start(&clock);
  seed = 7;
  (void)feed(&clock, 120.0, 0.0, 0, 24 * 8, 0.0, 0);
  /* From tick 192 on the clock runs at 140 BPM. */
  double origin = 24 * 8 * tick_frames(120.0) - 24 * 8 * tick_frames(140.0);
  (void)feed(&clock, 140.0, origin, 24 * 8, 24 * 10, 0.0, 0);
  print_message("2 beats after 120 -> 140 BPM: %.3f BPM\n", flz_midiclock_tempo(&clock));
  assert_true(fabs(flz_midiclock_tempo(&clock) - 140.0) < 140.0 * 0.01);
  double phase = feed(&clock, 140.0, origin, 24 * 10, 24 * 12, 0.0, 24 * 10);
  assert_true(phase < 1.0);
}

static void clock_hardly_moves_for_a_single_late_tick(void **state)
{
  (void)state;
  flz_midiclock clock;
  flz_midiclock_init(&clock, RATE);
  flz_midiclock_start(&clock);
  seed = 3;
  double period = tick_frames(120.0);
  (void)feed(&clock, 120.0, 0.0, 0, 24 * 8, 1.0, 0);
  double before = flz_midiclock_tempo(&clock);
  /* Tick 192 comes 10 ms late; the next ones are on time again. */
  flz_midiclock_tick(&clock, 24 * 8 * period + 0.010 * RATE);
  double after = flz_midiclock_tempo(&clock);
  double error = flz_midiclock_beat(&clock, (24 * 8 + 1) * period) - (24 * 8 + 1) / 24.0;
  print_message("10 ms late tick: tempo %.4f -> %.4f, beat error %.3f ms\n", before, after,
                error * 500.0);
  assert_true(fabs(after - before) < 0.2);
  assert_true(fabs(error) * 500.0 < 1.0);
}

static void clock_song_position_sets_the_next_tick(void **state)
{
  (void)state;
  flz_midiclock clock;
  flz_midiclock_init(&clock, RATE);
  double period = tick_frames(120.0);
  /* Stopped: ticks run the filter, the position stays 0. */
  for (uint32_t k = 0; k < 30; k++)
    flz_midiclock_tick(&clock, k * period);
  assert_true(flz_midiclock_locked(&clock));
  assert_true(flz_midiclock_beat(&clock, 29 * period) == 0.0);
  /* Position 1/16 note 16 = beat 4, then Continue: the next tick is beat 4. */
  flz_midiclock_position(&clock, 16);
  flz_midiclock_continue(&clock);
  assert_true(fabs(flz_midiclock_beat(&clock, 30 * period) - 4.0) < 1e-6);
  flz_midiclock_tick(&clock, 30 * period);
  assert_true(fabs(flz_midiclock_beat(&clock, 31 * period) - (4.0 + 1.0 / 24)) < 1e-6);
  /* Start: position 0 at the next tick. */
  flz_midiclock_start(&clock);
  assert_true(fabs(flz_midiclock_beat(&clock, 31 * period)) < 1e-6);
}

/* ---- the engine following the clock ---- */

static flz_engine engine;
static float click[RATE / 2];
#define SECONDS 40u
static float out[RATE * SECONDS];
static uint64_t rendered;

static void send(flz_command command)
{
  assert_int_equal(flz_engine_send(&engine, FLZ_PRODUCER_MIDI, &command), FLZ_OK);
}

static void render_to(uint64_t frame)
{
  while (rendered < frame) {
    uint32_t n = frame - rendered < 4096 ? (uint32_t)(frame - rendered) : 4096u;
    flz_engine_render(&engine, out + rendered, n, 1, 0);
    rendered += n;
  }
}

static void clock_event(uint32_t status)
{
  send((flz_command){.type = FLZ_COMMAND_CLOCK, .offset = status});
}

/* Ticks `first`..`last`-1 of a clock at `bpm` whose tick 0 is at frame
 * `origin`, jittered by +-1 ms; a loop press of slot 0 after tick `press`. */
static void play_clock(double bpm, double origin, uint32_t first, uint32_t last, uint32_t press)
{
  double period = tick_frames(bpm);
  for (uint32_t k = first; k < last; k++) {
    render_to((uint64_t)llround(origin + k * period + noise() * 0.001 * RATE));
    clock_event(0xF8);
    if (k == press)
      send((flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 0, .value = 1.0f});
  }
}

static void engine_keeps_a_locked_loop_on_the_clocks_beat(void **state)
{
  (void)state;
  assert_int_equal(flz_engine_init(&engine, &(flz_engine_config){.rate = RATE}), FLZ_OK);
  memset(out, 0, sizeof out);
  rendered = 0;
  seed = 11;
  /* A one-beat loop at 120 BPM whose only sound is a click at its start. */
  memset(click, 0, sizeof click);
  click[0] = 1.0f;
  flz_command load = {.type = FLZ_COMMAND_LOAD_SAMPLE, .slot = 0};
  load.sample = (flz_sample){.data = click, .frame_count = RATE / 2, .channels = 1};
  send(load);
  flz_command set = {.type = FLZ_COMMAND_SET_SLOT, .slot = 0};
  set.params = (flz_slot_params){.mode = FLZ_MODE_LOOP, .bpm_lock = 1, .bpm = 120.0f};
  send(set);
  send((flz_command){.type = FLZ_COMMAND_SET_QUANTIZE, .offset = FLZ_QUANTIZE_4TH});
  /* 32 beats at 125 BPM, then 40 at 128 (the loop's pitch moves 2.4 %):
   * the loop is pressed on beat 8 and launches on beat 9. */
  const double bpm = 128.0, change = 4800.0 + 24 * 32 * tick_frames(125.0);
  const double origin = change - 24 * 32 * tick_frames(bpm);
  clock_event(0xFA);
  play_clock(125.0, 4800.0, 0, 24 * 32, 24 * 8);
  play_clock(bpm, origin, 24 * 32, 24 * 72, UINT32_MAX);
  render_to(rendered + 4096);
  double beat_frames = 24 * tick_frames(bpm), worst = 0.0;
  uint32_t clicks = 0;
  /* Each click's time (the centroid of the interpolated impulse) against
   * the nearest true beat, from 8 beats after the change on. */
  for (uint64_t n = (uint64_t)(origin + 40 * beat_frames); n + 2 < rendered; n++) {
    if (out[n] == 0.0f)
      continue;
    double sum = 0.0, moment = 0.0;
    uint64_t m = n;
    for (; m < rendered && out[m] != 0.0f; m++) {
      sum += out[m];
      moment += out[m] * (double)m;
    }
    double at = moment / sum;
    double beat = (at - origin) / beat_frames;
    double error = (beat - round(beat)) * beat_frames * 1000.0 / RATE;
    worst = fabs(error) > worst ? fabs(error) : worst;
    clicks++;
    n = m;
  }
  print_message("%u clicks at %.0f BPM, phase error at most %.3f ms, tempo %.3f\n", clicks, bpm,
                worst, engine.tempo);
  assert_true(clicks >= 31);
  assert_true(worst <= 1.0);
  assert_true(fabs(engine.tempo - bpm) < 0.5);
}

/* How many clock events are waiting (the last in `event`); meters skipped. */
static int clock_events(flz_event *event)
{
  flz_event e;
  int count = 0;
  while (flz_engine_receive(&engine, &e))
    if (e.type == FLZ_EVENT_CLOCK_LOCKED || e.type == FLZ_EVENT_CLOCK_LOST) {
      *event = e;
      count++;
    }
  return count;
}

static void engine_keeps_the_tempo_of_a_lost_clock(void **state)
{
  (void)state;
  assert_int_equal(flz_engine_init(&engine, &(flz_engine_config){.rate = RATE}), FLZ_OK);
  rendered = 0;
  seed = 5;
  clock_event(0xFA);
  play_clock(100.0, 0.0, 0, 24 * 8, UINT32_MAX);
  flz_event event = {0};
  assert_int_equal(clock_events(&event), 1);
  assert_int_equal(event.type, FLZ_EVENT_CLOCK_LOCKED);
  uint64_t last = rendered;
  render_to(last + RATE * 2 - 4096);
  assert_int_equal(clock_events(&event), 0);
  render_to(last + RATE * 2 + 4096);
  assert_int_equal(clock_events(&event), 1);
  assert_int_equal(event.type, FLZ_EVENT_CLOCK_LOST);
  assert_true(fabs(event.value - 100.0f) < 0.5f);
  assert_true(fabs(engine.tempo - 100.0f) < 0.5f);
  render_to(rendered + RATE * 4);
  assert_int_equal(clock_events(&event), 0);
}

/* Leading: Start, then a tick every 1000 frames at 120 BPM (every 1250
 * after a change to 96, from the tick the beat had reached), frame-exact
 * from the frame clock; Stop. */
static void engine_leads_ticks_on_its_frame_clock(void **state)
{
  (void)state;
  assert_int_equal(flz_engine_init(&engine, &(flz_engine_config){.rate = RATE}), FLZ_OK);
  rendered = 0;
  render_to(100);
  send((flz_command){.type = FLZ_COMMAND_CLOCK_LEAD, .offset = 1});
  render_to(100 + 24000); /* one beat at 120 BPM */
  flz_clock_out m;
  assert_true(flz_engine_clock_out(&engine, &m));
  assert_int_equal(m.status, 0xFA);
  assert_int_equal(m.frame, 100);
  assert_int_equal(m.time_ns, 0);
  for (uint32_t k = 0; k < 24; k++) {
    assert_true(flz_engine_clock_out(&engine, &m));
    assert_int_equal(m.status, 0xF8);
    assert_int_equal(m.frame, 100 + 1000 * k);
  }
  assert_false(flz_engine_clock_out(&engine, &m));
  send((flz_command){.type = FLZ_COMMAND_SET_TEMPO, .value = 96.0f});
  render_to(100 + 24000 + 1250 * 4);
  for (uint32_t k = 0; k < 4; k++) {
    assert_true(flz_engine_clock_out(&engine, &m));
    assert_int_equal(m.frame, 100 + 24000 + 1250 * k);
  }
  send((flz_command){.type = FLZ_COMMAND_CLOCK_LEAD, .offset = 0});
  render_to(rendered + 4096);
  assert_true(flz_engine_clock_out(&engine, &m));
  assert_int_equal(m.status, 0xFC);
  assert_int_equal(m.frame, 100 + 24000 + 1250 * 4);
  assert_false(flz_engine_clock_out(&engine, &m));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(clock_locks_to_a_steady_jittered_clock),
    cmocka_unit_test(clock_follows_a_tempo_change_within_two_beats),
    cmocka_unit_test(clock_hardly_moves_for_a_single_late_tick),
    cmocka_unit_test(clock_song_position_sets_the_next_tick),
    cmocka_unit_test(engine_keeps_a_locked_loop_on_the_clocks_beat),
    cmocka_unit_test(engine_keeps_the_tempo_of_a_lost_clock),
    cmocka_unit_test(engine_leads_ticks_on_its_frame_clock),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
