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

/* A reader that stalls (a busy machine: the MIDI thread not scheduled for
 * 50 ms) gets 4 ticks at once, all stamped with the time of the read: at
 * 174 BPM (14.4 ms a tick) that is more than 3 tick periods after the
 * last. The filter rides it out as late and early ticks: it stays locked,
 * its beat moves by 3 ms at most (the engine's steering of its beat smooths
 * that further), and 2 beats on the phase error is as before. */
static void clock_rides_out_a_stalled_reader(void **state)
{
  (void)state;
  const double bpm = 174.0, period = tick_frames(bpm);
  flz_midiclock clock;
  flz_midiclock_init(&clock, RATE);
  flz_midiclock_start(&clock);
  seed = 9;
  (void)feed(&clock, bpm, 0.0, 0, 24 * 8, 1.0, 0);
  double read = 24 * 8 * period + 0.050 * RATE, worst = 0.0;
  for (uint32_t k = 24 * 8; k < 24 * 8 + 4; k++) {
    flz_midiclock_tick(&clock, read);
    assert_true(flz_midiclock_locked(&clock));
    double error = flz_midiclock_beat(&clock, (k + 1) * period) - (k + 1) / 24.0;
    worst = fabs(error) * 60000.0 / bpm > worst ? fabs(error) * 60000.0 / bpm : worst;
  }
  double after = feed(&clock, bpm, 0.0, 24 * 8 + 4, 24 * 16, 1.0, 24 * 10);
  print_message("174 BPM, 4 ticks read at once after 50 ms: beat moved at most %.3f ms, phase "
                "error from 2 beats on at most %.3f ms\n",
                worst, after);
  assert_true(worst < 3.5);
  assert_true(after < 0.6);
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
static float click[RATE]; /* a beat at 60 BPM */
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

/* The largest phase error (ms) of the clicks in `out` from frame `from`
 * on (at most `most` of them, counted in *clicks): each click's time (the
 * centroid of the interpolated impulse) against the nearest of the beats
 * `beat_frames` apart from frame `origin`. */
static double click_phase(uint64_t from, double origin, double beat_frames, uint32_t most,
                          uint32_t *clicks)
{
  double worst = 0.0;
  for (uint64_t n = from; n + 2 < rendered && *clicks < most; n++) {
    if (out[n] == 0.0f)
      continue;
    double sum = 0.0, moment = 0.0;
    uint64_t m = n;
    for (; m < rendered && out[m] != 0.0f; m++) {
      sum += out[m];
      moment += out[m] * (double)m;
    }
    double beat = (moment / sum - origin) / beat_frames;
    double error = (beat - round(beat)) * beat_frames * 1000.0 / RATE;
    worst = fabs(error) > worst ? fabs(error) : worst;
    ++*clicks;
    n = m;
  }
  return worst;
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
  double beat_frames = 24 * tick_frames(bpm);
  uint32_t clicks = 0;
  /* From 8 beats after the change on. */
  double worst = click_phase((uint64_t)(origin + 40 * beat_frames), origin, beat_frames, UINT32_MAX,
                             &clicks);
  print_message("%u clicks at %.0f BPM, phase error at most %.3f ms, tempo %.3f\n", clicks, bpm,
                worst, engine.tempo);
  assert_true(clicks >= 31);
  assert_true(worst <= 1.0);
  assert_true(fabs(engine.tempo - bpm) < 0.5);
}

/* ---- Start and Song Position Pointer move sounding loops ---- */

#define BEAT 24000u /* frames of a beat at 120 BPM */
static float ramp[BEAT];

/* Sample frame i of the ramp loop: (i + 1) / 2^15, exact in a float. */
static float ramp_at(uint64_t i)
{
  return (float)(i % BEAT + 1) / 32768.0f;
}

/* A fresh engine with slot 0 a one-beat BPM-locked loop (120 BPM, launched
 * at once: no quantize) whose value at frame i is ramp_at(i), and slot 1
 * the same loop played backwards at half the gain (so that the sum of the
 * two tells their places apart). */
static void ramp_engine(void)
{
  assert_int_equal(flz_engine_init(&engine, &(flz_engine_config){.rate = RATE}), FLZ_OK);
  memset(out, 0, sizeof out);
  rendered = 0;
  for (uint32_t i = 0; i < BEAT; i++)
    ramp[i] = ramp_at(i);
  for (uint32_t slot = 0; slot < 2; slot++) {
    flz_command load = {.type = FLZ_COMMAND_LOAD_SAMPLE, .slot = slot};
    load.sample = (flz_sample){.data = ramp, .frame_count = BEAT, .channels = 1};
    send(load);
    flz_command set = {.type = FLZ_COMMAND_SET_SLOT, .slot = slot};
    set.params = (flz_slot_params){.mode = FLZ_MODE_LOOP,
                                   .bpm_lock = 1,
                                   .bpm = 120.0f,
                                   .reverse = (uint8_t)slot,
                                   .gain = slot == 0 ? 1.0f : 0.5f};
    send(set);
  }
}

/* What happens at `frame`: a clock status (Song Position Pointer with
 * `value` 1/16 notes), or (status 0) a press of slot `value`. */
typedef struct cue {
  uint64_t frame;
  uint32_t status;
  uint32_t value;
} cue;

/* Renders to `until` with a steady 120 BPM clock (a tick at every 1000th
 * frame from `from`) and the `count` cues at their frames (before a tick
 * at the same frame). */
static void run_cues(const cue *cues, uint32_t count, uint64_t from, uint64_t until)
{
  uint32_t next = 0;
  for (uint64_t tick = from; tick < until; tick += 1000) {
    for (; next < count && cues[next].frame <= tick; next++) {
      render_to(cues[next].frame);
      if (cues[next].status == 0)
        send((flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = cues[next].value, .value = 1});
      else
        send((flz_command){
          .type = FLZ_COMMAND_CLOCK, .offset = cues[next].status, .slot = cues[next].value});
    }
    render_to(tick);
    clock_event(0xF8);
  }
  render_to(until);
}

/* Start arrives at frame 61337 while the loop pressed at 30123 plays: the
 * next tick, at 62000, is beat 0, and from that frame on the loop plays
 * from its first frame, its old place fading out over the fade time. A
 * clock that only ticks from Start on is locked 24 ticks later, on beat 1:
 * the loop moves there (to its first frame again: it is one beat long). */
static void engine_start_moves_a_sounding_locked_loop_to_beat_0(void **state)
{
  (void)state;
  const uint64_t press = 30123, beat0 = 62000;
  const cue cues[] = {{press, 0, 0}, {61337, 0xFA, 0}};
  for (uint32_t run = 0; run < 2; run++) {
    ramp_engine();
    run_cues(cues, 2, run == 0 ? 0 : beat0, beat0 + 3 * BEAT);
    uint64_t move = run == 0 ? beat0 : beat0 + BEAT;
    uint32_t fade = engine.fade_frames;
    for (uint64_t f = press; f < move; f++)
      assert_true(out[f] == ramp_at(f - press));
    for (uint64_t f = move; f < move + fade; f++) {
      float left = (float)(move + fade - f - 1) / (float)fade;
      assert_true(fabsf(out[f] - (ramp_at(f - beat0) + ramp_at(f - press) * left)) < 1e-6f);
    }
    for (uint64_t f = move + fade; f < beat0 + 3 * BEAT; f++)
      if (out[f] != ramp_at(f - beat0))
        fail_msg("run %u, frame %llu: %g, want %g", run, (unsigned long long)f, (double)out[f],
                 (double)ramp_at(f - beat0));
  }
}

/* Playing from Start; both loops pressed at 30123; Stop at 50500; Song
 * Position Pointer 6 (1/16 notes: beat 1.5) at 70000 and Continue at
 * 70250: the tick at 71000 is beat 1.5, so from it the forward loop plays
 * from frame 12000 (1.5 loops in) and the reverse one from frame 11999
 * (1.5 loops back from its last). */
static void engine_song_position_and_continue_move_sounding_loops_to_the_position(void **state)
{
  (void)state;
  const uint64_t beat = 71000, fade = 144;
  const cue cues[] = {{9500, 0xFA, 0},  {30123, 0, 0},    {30123, 0, 1},
                      {50500, 0xFC, 0}, {70000, 0xF2, 6}, {70250, 0xFB, 0}};
  ramp_engine();
  assert_int_equal(engine.fade_frames, fade);
  run_cues(cues, 6, 0, beat + 3 * BEAT);
  for (uint64_t f = beat + fade; f < beat + 3 * BEAT; f++) {
    uint64_t played = 12000 + (f - beat);
    /* The mono output of the two loops: their sum (exact in floats). */
    float want = ramp_at(played) + 0.5f * ramp_at(BEAT - 1 - played % BEAT);
    if (out[f] != want)
      fail_msg("frame %llu: %g, want %g", (unsigned long long)f, (double)out[f], (double)want);
  }
}

/* The phase error after Start on a jittered clock, ms: a locked clock at
 * 90, 120 and 174 BPM with ticks moved by up to +-1 ms, stopped; a
 * one-beat click loop pressed off the beat (after tick 103, 4 7/24 beats
 * in); Start half way between ticks 250 and 251. Tick 251's true frame is
 * beat 0: each click of the next 16 beats against the true beats. Without
 * the move the clicks stay where the press put them (111 ms off at 90 BPM). */
static void engine_start_puts_a_loop_on_the_clocks_beat_within_1_ms(void **state)
{
  (void)state;
  const double tempos[] = {90.0, 120.0, 174.0};
  for (uint32_t i = 0; i < 3; i++) {
    assert_int_equal(flz_engine_init(&engine, &(flz_engine_config){.rate = RATE}), FLZ_OK);
    memset(out, 0, sizeof out);
    rendered = 0;
    seed = 21 + i;
    double period = tick_frames(tempos[i]), beat_frames = 24 * period;
    uint32_t length = (uint32_t)llround(beat_frames);
    memset(click, 0, sizeof click);
    click[0] = 1.0f;
    flz_command load = {.type = FLZ_COMMAND_LOAD_SAMPLE, .slot = 0};
    load.sample = (flz_sample){.data = click, .frame_count = length, .channels = 1};
    send(load);
    flz_command set = {.type = FLZ_COMMAND_SET_SLOT, .slot = 0};
    set.params = (flz_slot_params){
      .mode = FLZ_MODE_LOOP, .bpm_lock = 1, .bpm = (float)(60.0 * RATE / length)};
    send(set);
    const uint32_t press = 103, start = 250, last = start + 1 + 24 * 17;
    for (uint32_t k = 0; k < last; k++) {
      if (k == start + 1) {
        render_to((uint64_t)llround(1000.0 + (k - 0.5) * period));
        clock_event(0xFA);
      }
      render_to((uint64_t)llround(1000.0 + k * period + noise() * 0.001 * RATE));
      clock_event(0xF8);
      if (k == press)
        send((flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 0, .value = 1.0f});
    }
    double beat0 = 1000.0 + (start + 1) * period;
    uint32_t clicks = 0;
    double worst = click_phase((uint64_t)beat0 + RATE / 1000, beat0, beat_frames, 16, &clicks);
    print_message("%.0f BPM: %u clicks after Start, phase error at most %.3f ms\n", tempos[i],
                  clicks, worst);
    assert_int_equal(clicks, 16);
    assert_true(worst <= 1.0);
  }
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
    cmocka_unit_test(clock_rides_out_a_stalled_reader),
    cmocka_unit_test(clock_song_position_sets_the_next_tick),
    cmocka_unit_test(engine_keeps_a_locked_loop_on_the_clocks_beat),
    cmocka_unit_test(engine_keeps_the_tempo_of_a_lost_clock),
    cmocka_unit_test(engine_start_moves_a_sounding_locked_loop_to_beat_0),
    cmocka_unit_test(engine_song_position_and_continue_move_sounding_loops_to_the_position),
    cmocka_unit_test(engine_start_puts_a_loop_on_the_clocks_beat_within_1_ms),
    cmocka_unit_test(engine_leads_ticks_on_its_frame_clock),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
