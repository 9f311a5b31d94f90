/* tests/engine/test_engine.c: the real-time core of engine/engine.h, rendered
 * offline at 48000 Hz with sample data generated here (constants and ramps).
 * Owns: tests of commands, voices, mixing, fades, polyphony, retirement and
 * events. Touches only the engine's public API (and reads its state struct
 * where a test says why). */
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
/* The default fade: 3 ms at 48 kHz. */
#define FADE 144u
#define LONG 4800u
#define OUT_FRAMES 8192u

/* Engines are about 0.3 MB: static, never on the stack. */
static flz_engine engine;
static flz_engine twin;
static float out[OUT_FRAMES * 2];
static float out_twin[OUT_FRAMES * 2];
static float buf_a[LONG * 2];
static float buf_b[LONG * 2];
static float buf_c[LONG * 2];
static float zeros[LONG];
static flz_event events[4096];
static uint32_t event_count;
static uint32_t meter_events; /* FLZ_EVENT_METER events seen since setup */

static void start_engine(flz_engine *e, uint32_t policy)
{
  flz_engine_config config;
  flz_engine_config_init(&config);
  config.policy = policy;
  assert_int_equal(flz_engine_init(e, &config), FLZ_OK);
  event_count = 0;
  meter_events = 0;
}

static int setup_default(void **state)
{
  (void)state;
  start_engine(&engine, FLZ_POLICY_STEAL_OLDEST);
  memset(zeros, 0, sizeof zeros);
  return 0;
}

static void fill(float *buf, uint32_t values, float value)
{
  for (uint32_t i = 0; i < values; i++)
    buf[i] = value;
}

static void send_to(flz_engine *e, uint32_t type, uint32_t slot, float value)
{
  flz_command c;
  memset(&c, 0, sizeof c);
  c.type = type;
  c.slot = slot;
  c.value = value;
  assert_int_equal(flz_engine_send(e, FLZ_PRODUCER_CONTROL, &c), FLZ_OK);
}

static void send(uint32_t type, uint32_t slot, float value)
{
  send_to(&engine, type, slot, value);
}

static void load_into(flz_engine *e, uint32_t type, uint32_t slot, const float *data,
                      uint32_t frames, uint32_t channels, uint32_t region)
{
  flz_command c;
  memset(&c, 0, sizeof c);
  c.type = type;
  c.slot = slot;
  c.sample.data = data;
  c.sample.frame_count = frames;
  c.sample.channels = channels;
  c.sample.region = region;
  assert_int_equal(flz_engine_send(e, FLZ_PRODUCER_CONTROL, &c), FLZ_OK);
}

static void load(uint32_t slot, const float *data, uint32_t frames, uint32_t channels,
                 uint32_t region)
{
  load_into(&engine, FLZ_COMMAND_LOAD_SAMPLE, slot, data, frames, channels, region);
}

static void collect_events(void)
{
  flz_event e;
  while (flz_engine_receive(&engine, &e)) {
    if (e.type == FLZ_EVENT_METER) { /* periodic; the meter tests count them */
      meter_events++;
      continue;
    }
    assert_true(event_count < sizeof events / sizeof events[0]);
    events[event_count++] = e;
  }
}

/* Renders `frames` frames into `dst` in one call and collects the events. */
static void render(float *dst, uint32_t frames, uint32_t channels)
{
  flz_engine_render(&engine, dst, frames, channels, 0);
  collect_events();
}

static uint32_t count_events(uint32_t type)
{
  uint32_t n = 0;
  for (uint32_t i = 0; i < event_count; i++)
    n += events[i].type == type;
  return n;
}

/* The `nth` (0-based) event of `type`; fails the test if there is none. */
static flz_event find_event(uint32_t type, uint32_t nth)
{
  for (uint32_t i = 0; i < event_count; i++)
    if (events[i].type == type && nth-- == 0)
      return events[i];
  fail_msg("no event of type %u", type);
  flz_event none = {0};
  return none;
}

static void a_ping_is_answered_by_a_pong_with_its_value_at_frame_0(void **state)
{
  (void)state;
  send(FLZ_COMMAND_PING, 0, 42.5f);
  assert_int_equal(count_events(FLZ_EVENT_PONG), 0);
  render(out, 64, 2);
  assert_int_equal(event_count, 1);
  assert_int_equal(events[0].type, FLZ_EVENT_PONG);
  assert_true(events[0].value == 42.5f);
  assert_int_equal(events[0].frame, 0);
  assert_int_equal(flz_engine_frame(&engine), 64);
  send(FLZ_COMMAND_PING, 0, -3.0f);
  render(out, 10, 2);
  assert_true(find_event(FLZ_EVENT_PONG, 1).value == -3.0f);
  assert_int_equal(find_event(FLZ_EVENT_PONG, 1).frame, 64);
}

static void a_mono_constant_plays_exactly_for_its_length_then_silence(void **state)
{
  (void)state;
  fill(buf_a, 1000, 0.5f);
  load(0, buf_a, 1000, 1, 0);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  render(out, 1500, 2);
  for (uint32_t i = 0; i < 1000; i++) {
    assert_true(out[2 * i] == 0.5f);
    assert_true(out[2 * i + 1] == 0.5f);
  }
  for (uint32_t i = 1000; i < 1500; i++) {
    assert_true(out[2 * i] == 0.0f);
    assert_true(out[2 * i + 1] == 0.0f);
  }
  assert_int_equal(count_events(FLZ_EVENT_SLOT_LOADED), 1);
  assert_int_equal(find_event(FLZ_EVENT_VOICE_ENDED, 0).frame, 1000);
}

static void velocity_one_half_plays_at_a_quarter_gain(void **state)
{
  (void)state;
  fill(buf_a, 1000, 0.5f);
  load(0, buf_a, 1000, 1, 0);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 0.5f);
  render(out, 1000, 2);
  for (uint32_t i = 0; i < 2000; i++)
    assert_true(out[i] == 0.125f);
  assert_true(flz_engine_velocity_gain(0.5f) == 0.25f);
  assert_true(flz_engine_velocity_gain(2.0f) == 1.0f);
  assert_true(flz_engine_velocity_gain(-1.0f) == 0.0f);
  assert_true(flz_engine_velocity_gain(NAN) == 0.0f);
}

static void two_voices_sum_exactly(void **state)
{
  (void)state;
  fill(buf_a, 1000, 0.5f);
  fill(buf_b, 500, 0.25f);
  load(0, buf_a, 1000, 1, 0);
  load(1, buf_b, 500, 1, 0);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  send(FLZ_COMMAND_PLAY_SAMPLE, 1, 1.0f);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 0.5f);
  render(out, 1000, 2);
  for (uint32_t i = 0; i < 500; i++)
    assert_true(out[2 * i] == 0.5f + 0.25f + 0.125f);
  for (uint32_t i = 500; i < 1000; i++)
    assert_true(out[2 * i + 1] == 0.5f + 0.125f);
  assert_int_equal(count_events(FLZ_EVENT_VOICE_STARTED), 3);
}

/* A stereo ramp: left (i+1)/4096, right -(i+1)/8192; exact in float. */
static void fill_stereo_ramp(float *buf, uint32_t frames)
{
  for (uint32_t i = 0; i < frames; i++) {
    buf[2 * i] = (float)(i + 1) / 4096.0f;
    buf[2 * i + 1] = -(float)(i + 1) / 8192.0f;
  }
}

static void a_stereo_sample_keeps_left_and_right(void **state)
{
  (void)state;
  fill_stereo_ramp(buf_a, 600);
  load(3, buf_a, 600, 2, 0);
  send(FLZ_COMMAND_PLAY_SAMPLE, 3, 1.0f);
  render(out, 700, 2);
  for (uint32_t i = 0; i < 600; i++) {
    assert_true(out[2 * i] == buf_a[2 * i]);
    assert_true(out[2 * i + 1] == buf_a[2 * i + 1]);
  }
  for (uint32_t i = 600; i < 700; i++)
    assert_true(out[2 * i] == 0.0f && out[2 * i + 1] == 0.0f);
}

static void a_stereo_sample_into_a_mono_output_is_the_mean_of_left_and_right(void **state)
{
  (void)state;
  fill_stereo_ramp(buf_a, 600);
  load(3, buf_a, 600, 2, 0);
  send(FLZ_COMMAND_PLAY_SAMPLE, 3, 1.0f);
  render(out, 700, 1);
  for (uint32_t i = 0; i < 600; i++)
    assert_true(out[i] == (buf_a[2 * i] + buf_a[2 * i + 1]) * 0.5f);
  for (uint32_t i = 600; i < 700; i++)
    assert_true(out[i] == 0.0f);
}

static void a_mono_sample_into_a_mono_output_is_the_sample(void **state)
{
  (void)state;
  for (uint32_t i = 0; i < 600; i++)
    buf_a[i] = (float)i / 1024.0f - 0.25f;
  load(0, buf_a, 600, 1, 0);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  render(out, 700, 1);
  for (uint32_t i = 0; i < 600; i++)
    assert_true(out[i] == buf_a[i]);
  for (uint32_t i = 600; i < 700; i++)
    assert_true(out[i] == 0.0f);
}

static void a_voice_plays_to_its_end_across_render_calls_of_odd_sizes(void **state)
{
  (void)state;
  const uint32_t length = 1500;
  for (uint32_t i = 0; i < length; i++)
    buf_a[i] = (float)(i + 1) / 2048.0f;
  load(0, buf_a, length, 1, 0);
  render(out, 5, 2); /* the voice starts at frame 5, not 0 */
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  static const uint32_t sizes[] = {1, 7, 300, 1000, 13, 256, 257, 3};
  uint32_t done = 0;
  for (uint32_t k = 0; done < 2000; k++) {
    uint32_t n = sizes[k % (sizeof sizes / sizeof sizes[0])];
    render(out + 2 * done, n, 2);
    done += n;
  }
  for (uint32_t i = 0; i < length; i++) {
    assert_true(out[2 * i] == buf_a[i]);
    assert_true(out[2 * i + 1] == buf_a[i]);
  }
  for (uint32_t i = length; i < done; i++)
    assert_true(out[2 * i] == 0.0f && out[2 * i + 1] == 0.0f);
  assert_int_equal(event_count, 3);
  assert_int_equal(events[0].type, FLZ_EVENT_SLOT_LOADED);
  assert_int_equal(events[1].type, FLZ_EVENT_VOICE_STARTED);
  assert_int_equal(events[1].slot, 0);
  assert_int_equal(events[1].frame, 5);
  assert_int_equal(events[2].type, FLZ_EVENT_VOICE_ENDED);
  assert_int_equal(events[2].voice, events[1].voice);
  assert_int_equal(events[2].frame, 5 + length);
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  assert_int_equal(counters.voices_active, 0);
}

static void set_volume_ramps_per_sample_to_the_new_gain(void **state)
{
  (void)state;
  assert_int_equal(engine.fade_frames, FADE);
  fill(buf_a, LONG, 0.8f);
  load(0, buf_a, LONG, 1, 0);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  render(out, 100, 2);
  send(FLZ_COMMAND_SET_VOLUME, 0, -6.0206f); /* 20*log10(0.5) */
  render(out, 1000, 2);
  /* 1e-6: -6.0206 dB is 0.5 to 5 digits, and powf rounds. */
  const float target = 0.4f;
  float previous = 0.8f;
  float max_step = 0.0f;
  for (uint32_t i = 0; i < FADE; i++) {
    assert_true(out[2 * i] <= previous);
    float step = previous - out[2 * i];
    if (step > max_step)
      max_step = step;
    previous = out[2 * i];
  }
  /* the ramp is spread over every sample: no step is larger than an even
   * share, with 1e-6 for the float rounding of each step's gain */
  assert_true(max_step <= (0.8f - target) / (float)FADE + 1e-6f);
  assert_true(out[2 * (FADE / 2)] > target + 0.1f); /* halfway, not done yet */
  for (uint32_t i = FADE - 1; i < 1000; i++) {
    assert_float_equal(out[2 * i], target, 1e-6);
    assert_true(out[2 * i] == out[2 * (FADE - 1)]); /* then constant */
  }
  send(FLZ_COMMAND_SET_VOLUME, 0, -200.0f);
  render(out, 200, 2);
  for (uint32_t i = FADE - 1; i < 200; i++)
    assert_true(out[2 * i] == 0.0f);
}

static void stop_fades_every_voice_linearly_then_reports_stopped(void **state)
{
  (void)state;
  fill(buf_a, LONG, 0.9f);
  fill(buf_b, LONG, -0.05f);
  load(0, buf_a, LONG, 1, 0);
  load(1, buf_b, LONG, 1, 0);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  send(FLZ_COMMAND_PLAY_SAMPLE, 1, 1.0f);
  render(out, 100, 2);
  assert_true(out[2 * 99] == 0.9f + -0.05f);
  send(FLZ_COMMAND_STOP, 0, 0.0f);
  render(out, 64, 2);
  render(out + 2 * 64, 64, 2);
  assert_int_equal(count_events(FLZ_EVENT_STOPPED), 0); /* 128 < 144 frames */
  render(out + 2 * 128, 64, 2);
  assert_int_equal(count_events(FLZ_EVENT_STOPPED), 1);
  assert_int_equal(find_event(FLZ_EVENT_STOPPED, 0).frame, 100 + 192);
  assert_int_equal(count_events(FLZ_EVENT_VOICE_ENDED), 2);
  assert_int_equal(find_event(FLZ_EVENT_VOICE_ENDED, 0).frame, 100 + FADE);
  float previous = 0.85f;
  for (uint32_t i = 0; i < FADE; i++) {
    /* frame i of the fade has gain (143 - i) / 144, both voices alike */
    float expected = 0.85f * (float)(FADE - 1 - i) / (float)FADE;
    assert_float_equal(out[2 * i], expected, 1e-6); /* float rounding of the gain */
    assert_true(out[2 * i] < previous);
    assert_true(previous - out[2 * i] <= 0.85f / (float)FADE + 1e-6f);
    previous = out[2 * i];
  }
  assert_true(out[2 * (FADE - 1)] == 0.0f);
  for (uint32_t i = FADE; i < 192; i++)
    assert_true(out[2 * i] == 0.0f && out[2 * i + 1] == 0.0f);
}

static void stop_with_a_single_voice_never_steps_more_than_an_even_share(void **state)
{
  (void)state;
  fill(buf_a, LONG, 0.9f);
  load(0, buf_a, LONG, 1, 0);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  render(out, 10, 2);
  send(FLZ_COMMAND_STOP, 0, 0.0f);
  render(out + 20, 300, 2);
  float max_step = 0.0f;
  for (uint32_t i = 1; i < 310; i++) {
    float step = fabsf(out[2 * i] - out[2 * (i - 1)]);
    if (step > max_step)
      max_step = step;
  }
  assert_true(max_step > 0.0f);
  assert_true(max_step <= 0.9f / (float)FADE + 1e-6f); /* 1e-6: float rounding of the gain */
  assert_int_equal(count_events(FLZ_EVENT_STOPPED), 1);
}

static void stop_with_no_voices_reports_stopped_after_the_next_render(void **state)
{
  (void)state;
  send(FLZ_COMMAND_STOP, 0, 0.0f);
  assert_int_equal(count_events(FLZ_EVENT_STOPPED), 0);
  render(out, 1, 2);
  assert_int_equal(count_events(FLZ_EVENT_STOPPED), 1);
  assert_int_equal(find_event(FLZ_EVENT_STOPPED, 0).frame, 1);
  render(out, 100, 2);
  assert_int_equal(count_events(FLZ_EVENT_STOPPED), 1);
}

static void a_fade_that_reaches_the_end_of_the_sample_ends_the_voice_there(void **state)
{
  (void)state;
  fill(buf_a, 100, 0.9f);
  load(0, buf_a, 100, 1, 0);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  render(out, 50, 2);
  send(FLZ_COMMAND_STOP, 0, 0.0f);
  render(out + 100, 256, 2);
  for (uint32_t i = 50; i < 100; i++)
    assert_float_equal(out[2 * i], 0.9f * (float)(FADE - 1 - (i - 50)) / (float)FADE, 1e-6);
  for (uint32_t i = 100; i < 306; i++)
    assert_true(out[2 * i] == 0.0f);
  assert_int_equal(count_events(FLZ_EVENT_VOICE_ENDED), 1);
  assert_int_equal(find_event(FLZ_EVENT_VOICE_ENDED, 0).frame, 100);
  assert_int_equal(count_events(FLZ_EVENT_STOPPED), 1);
}

static void stop_slot_fades_only_that_slot(void **state)
{
  (void)state;
  fill(buf_a, LONG, 0.5f);
  fill(buf_b, LONG, 0.25f);
  load(0, buf_a, LONG, 1, 0);
  load(1, buf_b, LONG, 1, 0);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  send(FLZ_COMMAND_PLAY_SAMPLE, 1, 1.0f);
  send(FLZ_COMMAND_PLAY_SAMPLE, 1, 1.0f);
  render(out, 10, 2);
  send(FLZ_COMMAND_STOP_SLOT, 1, 0.0f);
  render(out, 300, 2);
  assert_float_equal(out[0], 0.5f + 0.5f * (float)(FADE - 1) / (float)FADE, 1e-6);
  for (uint32_t i = FADE - 1; i < 300; i++)
    assert_true(out[2 * i] == 0.5f && out[2 * i + 1] == 0.5f);
  assert_int_equal(count_events(FLZ_EVENT_VOICE_ENDED), 2);
  assert_int_equal(find_event(FLZ_EVENT_VOICE_ENDED, 0).slot, 1);
  assert_int_equal(find_event(FLZ_EVENT_VOICE_ENDED, 1).slot, 1);
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  assert_int_equal(counters.voices_active, 1);
}

static void the_drop_policy_drops_exactly_the_trigger_beyond_the_voices(void **state)
{
  (void)state;
  start_engine(&engine, FLZ_POLICY_DROP);
  fill(buf_a, LONG, 0.01f);
  load(0, buf_a, LONG, 1, 0);
  for (uint32_t i = 0; i < FLZ_VOICES + 1; i++)
    send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  render(out, 10, 2);
  assert_int_equal(count_events(FLZ_EVENT_VOICE_STARTED), FLZ_VOICES);
  assert_int_equal(count_events(FLZ_EVENT_TRIGGER_DROPPED), 1);
  assert_int_equal(count_events(FLZ_EVENT_VOICE_STOLEN), 0);
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  assert_int_equal(counters.triggers_dropped, 1);
  assert_int_equal(counters.voices_stolen, 0);
  assert_int_equal(counters.voices_active, FLZ_VOICES);
  assert_float_equal(out[0], 0.01f * FLZ_VOICES, 1e-5); /* 64 float additions */
}

static void stealing_takes_the_oldest_voice_and_fades_it_on_a_tail(void **state)
{
  (void)state;
  fill(buf_a, LONG, 0.5f);
  fill(buf_b, LONG, 0.25f);
  fill(buf_c, 1, 0.0f);
  load(0, buf_a, LONG, 1, 0); /* the voice to be stolen */
  load(1, zeros, LONG, 1, 0); /* silent fillers */
  load(2, buf_b, LONG, 1, 0); /* the new trigger */
  load(3, buf_c, 1, 1, 0);    /* ends at once and frees voice 0 */
  send(FLZ_COMMAND_PLAY_SAMPLE, 3, 1.0f);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  for (uint32_t i = 2; i < FLZ_VOICES; i++)
    send(FLZ_COMMAND_PLAY_SAMPLE, 1, 1.0f);
  render(out, 10, 2);
  uint32_t stolen_voice = find_event(FLZ_EVENT_VOICE_STARTED, 1).voice;
  assert_int_equal(find_event(FLZ_EVENT_VOICE_ENDED, 0).voice,
                   find_event(FLZ_EVENT_VOICE_STARTED, 0).voice);
  /* the freed voice (lowest index) now starts last: it is the newest */
  send(FLZ_COMMAND_PLAY_SAMPLE, 1, 1.0f);
  render(out, 10, 2);
  assert_int_equal(count_events(FLZ_EVENT_VOICE_STOLEN), 0);
  assert_true(out[0] == 0.5f);
  send(FLZ_COMMAND_PLAY_SAMPLE, 2, 1.0f);
  render(out, 400, 2);
  assert_int_equal(count_events(FLZ_EVENT_VOICE_STOLEN), 1);
  flz_event stolen = find_event(FLZ_EVENT_VOICE_STOLEN, 0);
  assert_int_equal(stolen.slot, 0);
  assert_int_equal(stolen.voice, stolen_voice);
  flz_event started = find_event(FLZ_EVENT_VOICE_STARTED, FLZ_VOICES + 1);
  assert_int_equal(started.slot, 2);
  assert_int_equal(started.voice, stolen_voice);
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  assert_int_equal(counters.voices_stolen, 1);
  /* The stolen sound fades out over FADE frames under the new voice: the
   * sum lies between a cut (new voice only) and no steal (both in full). */
  float sum = 0.0f;
  for (uint32_t i = 0; i < FADE; i++) {
    assert_float_equal(out[2 * i], 0.25f + 0.5f * (float)(FADE - 1 - i) / (float)FADE, 1e-6);
    sum += out[2 * i];
  }
  assert_true(sum > 0.25f * FADE);
  assert_true(sum < 0.75f * FADE);
  for (uint32_t i = FADE; i < 400; i++)
    assert_true(out[2 * i] == 0.25f);
}

static void empty_and_out_of_range_slots_play_nothing(void **state)
{
  (void)state;
  send(FLZ_COMMAND_PLAY_SAMPLE, 5, 1.0f);
  send(FLZ_COMMAND_PLAY_SAMPLE, FLZ_SLOTS, 1.0f);
  send(FLZ_COMMAND_PLAY_SAMPLE, UINT32_MAX, 1.0f);
  fill(out, 200, 3.0f);
  render(out, 100, 2);
  assert_int_equal(count_events(FLZ_EVENT_EMPTY_SLOT), 3);
  assert_int_equal(find_event(FLZ_EVENT_EMPTY_SLOT, 0).slot, 5);
  assert_int_equal(find_event(FLZ_EVENT_EMPTY_SLOT, 1).slot, FLZ_SLOTS);
  assert_int_equal(count_events(FLZ_EVENT_VOICE_STARTED), 0);
  for (uint32_t i = 0; i < 200; i++)
    assert_true(out[i] == 0.0f);
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  assert_int_equal(counters.voices_active, 0);
}

/* Renders 64-frame periods until `frames` frames are done, counting the
 * SLOT_RETIRED events before each period. Returns the period index after
 * which the first SLOT_RETIRED had arrived, or UINT32_MAX. */
static uint32_t render_until_retired(uint32_t frames)
{
  uint32_t first = UINT32_MAX;
  for (uint32_t p = 0; p * 64 < frames; p++) {
    render(out + 2 * 64 * p, 64, 2);
    if (first == UINT32_MAX && count_events(FLZ_EVENT_SLOT_RETIRED) > 0)
      first = p;
  }
  return first;
}

static void replacing_a_playing_slot_fades_it_and_retires_it_after_the_fade(void **state)
{
  (void)state;
  fill(buf_a, LONG, 0.5f);
  fill(buf_b, LONG, 0.25f);
  load(0, buf_a, LONG, 1, 7);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  render(out, 10, 2);
  load(0, buf_b, LONG, 1, 8);
  /* 144 frames of fade end in the third 64-frame period (index 2) */
  assert_int_equal(render_until_retired(640), 2);
  assert_int_equal(count_events(FLZ_EVENT_SLOT_LOADED), 2);
  assert_int_equal(count_events(FLZ_EVENT_SLOT_RETIRED), 1);
  flz_event retired = find_event(FLZ_EVENT_SLOT_RETIRED, 0);
  assert_int_equal(retired.region, 7);
  assert_int_equal(retired.frame, 10 + 3 * 64);
  assert_float_equal(out[0], 0.5f * (float)(FADE - 1) / (float)FADE, 1e-6);
  for (uint32_t i = FADE - 1; i < 640; i++)
    assert_true(out[2 * i] == 0.0f);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  render(out, 100, 2);
  for (uint32_t i = 0; i < 100; i++)
    assert_true(out[2 * i] == 0.25f);
  assert_int_equal(count_events(FLZ_EVENT_SLOT_RETIRED), 1);
}

static void replacing_a_sample_not_from_the_pool_fades_it_without_retiring(void **state)
{
  (void)state;
  fill(buf_a, LONG, 0.5f);
  fill(buf_b, LONG, 0.25f);
  load(0, buf_a, LONG, 1, 0);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  render(out, 10, 2);
  load(0, buf_b, LONG, 1, 0);
  assert_int_equal(render_until_retired(640), UINT32_MAX);
  assert_int_equal(count_events(FLZ_EVENT_SLOT_LOADED), 2);
  assert_float_equal(out[0], 0.5f * (float)(FADE - 1) / (float)FADE, 1e-6);
  for (uint32_t i = FADE - 1; i < 640; i++)
    assert_true(out[2 * i] == 0.0f);
  assert_int_equal(count_events(FLZ_EVENT_VOICE_ENDED), 1);
}

static void unloading_a_playing_slot_fades_it_and_retires_it_after_the_fade(void **state)
{
  (void)state;
  fill(buf_a, LONG, 0.5f);
  load(4, buf_a, LONG, 1, 9);
  send(FLZ_COMMAND_PLAY_SAMPLE, 4, 1.0f);
  render(out, 10, 2);
  /* the command still names the region (a reused command struct): the
   * unload must retire it all the same */
  load_into(&engine, FLZ_COMMAND_UNLOAD_SAMPLE, 4, buf_a, LONG, 1, 9);
  assert_int_equal(render_until_retired(640), 2);
  assert_int_equal(find_event(FLZ_EVENT_SLOT_RETIRED, 0).region, 9);
  assert_int_equal(count_events(FLZ_EVENT_SLOT_RETIRED), 1);
  for (uint32_t i = FADE - 1; i < 640; i++)
    assert_true(out[2 * i] == 0.0f);
  send(FLZ_COMMAND_PLAY_SAMPLE, 4, 1.0f);
  render(out, 10, 2);
  assert_int_equal(count_events(FLZ_EVENT_EMPTY_SLOT), 1);
}

static void unloading_an_idle_slot_retires_its_region_after_the_next_render(void **state)
{
  (void)state;
  fill(buf_a, LONG, 0.5f);
  load(4, buf_a, LONG, 1, 9);
  render(out, 10, 2);
  load_into(&engine, FLZ_COMMAND_UNLOAD_SAMPLE, 4, NULL, 0, 0, 0);
  render(out, 10, 2);
  assert_int_equal(count_events(FLZ_EVENT_SLOT_RETIRED), 1);
  assert_int_equal(find_event(FLZ_EVENT_SLOT_RETIRED, 0).region, 9);
  assert_int_equal(find_event(FLZ_EVENT_SLOT_RETIRED, 0).frame, 20);
}

static void a_region_published_in_two_slots_is_retired_only_when_both_let_go(void **state)
{
  (void)state;
  fill(buf_a, LONG, 0.5f);
  load(0, buf_a, LONG, 1, 7);
  load(1, buf_a, LONG, 1, 7);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  render(out, 10, 2);
  load_into(&engine, FLZ_COMMAND_UNLOAD_SAMPLE, 0, NULL, 0, 0, 0);
  assert_int_equal(render_until_retired(640), UINT32_MAX);
  send(FLZ_COMMAND_PLAY_SAMPLE, 1, 1.0f);
  render(out, 10, 2);
  assert_true(out[0] == 0.5f); /* slot 1 still plays the region */
  load_into(&engine, FLZ_COMMAND_UNLOAD_SAMPLE, 1, NULL, 0, 0, 0);
  assert_int_equal(render_until_retired(640), 2);
  assert_int_equal(count_events(FLZ_EVENT_SLOT_RETIRED), 1);
  assert_int_equal(find_event(FLZ_EVENT_SLOT_RETIRED, 0).region, 7);
}

static void a_refused_sample_empties_the_slot_and_hands_its_region_back(void **state)
{
  (void)state;
  fill(buf_a, LONG, 0.5f);
  load(2, buf_a, LONG, 3, 11);         /* three channels: refused */
  load(3, NULL, LONG, 1, 12);          /* no data: refused */
  load(FLZ_SLOTS, buf_a, LONG, 1, 13); /* no such slot: refused */
  render(out, 10, 2);
  assert_int_equal(count_events(FLZ_EVENT_SLOT_LOADED), 0);
  assert_int_equal(count_events(FLZ_EVENT_SLOT_RETIRED), 3);
  assert_int_equal(find_event(FLZ_EVENT_SLOT_RETIRED, 0).region, 11);
  assert_int_equal(find_event(FLZ_EVENT_SLOT_RETIRED, 1).region, 12);
  assert_int_equal(find_event(FLZ_EVENT_SLOT_RETIRED, 2).region, 13);
  send(FLZ_COMMAND_PLAY_SAMPLE, 2, 1.0f);
  render(out, 10, 2);
  assert_int_equal(count_events(FLZ_EVENT_EMPTY_SLOT), 1);
}

static void nan_never_reaches_the_output_and_loud_samples_are_clamped(void **state)
{
  (void)state;
  const float data[] = {0.5f, NAN, 0.5f, 4.0f, -4.0f, INFINITY, -INFINITY, -NAN, 0.25f};
  const float expected[] = {0.5f, 0.0f, 0.5f, 1.0f, -1.0f, 1.0f, -1.0f, 0.0f, 0.25f};
  /* with a second voice at velocity 0, Inf * 0 is NaN: that frame is 0 */
  const float expected_with_silent_voice[] = {0.5f, 0.0f, 0.5f, 1.0f, -1.0f,
                                              0.0f, 0.0f, 0.0f, 0.25f};
  const uint32_t n = sizeof data / sizeof data[0];
  load(0, data, n, 1, 0);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  render(out, n + 3, 2);
  for (uint32_t i = 0; i < n; i++) {
    assert_true(out[2 * i] == expected[i]);
    assert_true(out[2 * i + 1] == expected[i]);
  }
  for (uint32_t i = n; i < n + 3; i++)
    assert_true(out[2 * i] == 0.0f && out[2 * i + 1] == 0.0f);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  render(out, n, 1);
  for (uint32_t i = 0; i < n; i++)
    assert_true(out[i] == expected[i]);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 0.0f);
  render(out, n, 2);
  for (uint32_t i = 0; i < n; i++) {
    assert_true(out[2 * i] == expected_with_silent_voice[i]);
    assert_true(out[2 * i + 1] == expected_with_silent_voice[i]);
  }
}

static void sixty_four_full_scale_voices_clamp_to_exactly_one(void **state)
{
  (void)state;
  fill(buf_a, 300, 1.0f);
  fill(buf_b, 300, -1.0f);
  load(0, buf_a, 300, 1, 0);
  load(1, buf_b, 300, 1, 0);
  for (uint32_t i = 0; i < FLZ_VOICES; i++)
    send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  render(out, 300, 2);
  for (uint32_t i = 0; i < 600; i++)
    assert_true(out[i] == 1.0f);
  for (uint32_t i = 0; i < FLZ_VOICES; i++)
    send(FLZ_COMMAND_PLAY_SAMPLE, 1, 1.0f);
  render(out, 300, 1);
  for (uint32_t i = 0; i < 300; i++)
    assert_true(out[i] == -1.0f);
}

/* A fixed script of commands at fixed periods, for the determinism test. */
static void run_script(flz_engine *e, float *dst)
{
  static const uint32_t periods[] = {64, 1, 300, 128, 77, 512, 256, 33, 1000, 480};
  fill_stereo_ramp(buf_a, LONG);
  for (uint32_t i = 0; i < LONG; i++)
    buf_b[i] = (float)((i * 37u) % 101u) / 50.0f - 1.0f;
  load_into(e, FLZ_COMMAND_LOAD_SAMPLE, 0, buf_a, LONG, 2, 1);
  load_into(e, FLZ_COMMAND_LOAD_SAMPLE, 1, buf_b, LONG, 1, 2);
  uint32_t done = 0;
  for (uint32_t p = 0; p < sizeof periods / sizeof periods[0]; p++) {
    for (uint32_t k = 0; k < 30; k++)
      send_to(e, FLZ_COMMAND_PLAY_SAMPLE, (p + k) % 3, (float)(k + 1) / 31.0f);
    if (p == 3)
      send_to(e, FLZ_COMMAND_SET_VOLUME, 0, -3.5f);
    if (p == 5)
      send_to(e, FLZ_COMMAND_STOP_SLOT, 1, 0.0f);
    if (p == 7)
      load_into(e, FLZ_COMMAND_LOAD_SAMPLE, 0, buf_b, 2000, 1, 3);
    if (p == 8)
      send_to(e, FLZ_COMMAND_STOP, 0, 0.0f);
    flz_engine_render(e, dst + 2 * done, periods[p], 2, 0);
    done += periods[p];
    flz_event ev;
    while (flz_engine_receive(e, &ev))
      continue;
  }
  assert_int_equal(done, 2851);
}

static void the_same_commands_render_bit_identical_output(void **state)
{
  (void)state;
  start_engine(&twin, FLZ_POLICY_STEAL_OLDEST);
  memset(out, 0, sizeof out);
  memset(out_twin, 0xff, sizeof out_twin);
  run_script(&engine, out);
  run_script(&twin, out_twin);
  assert_memory_equal(out, out_twin, sizeof(float) * 2 * 2851);
  float peak = 0.0f;
  for (uint32_t i = 0; i < 2 * 2851; i++)
    peak = fmaxf(peak, fabsf(out[i]));
  assert_true(peak > 0.1f); /* the script really plays something */
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  assert_true(counters.voices_stolen > 0);
}

static void a_full_event_ring_counts_its_losses_and_the_engine_goes_on(void **state)
{
  (void)state;
  fill(buf_a, 1, 0.5f);
  load(0, buf_a, 1, 1, 0);
  /* each trigger makes two events (started, ended); nobody receives, and
   * the periods make more events than the ring holds */
  const uint32_t periods = FLZ_RING_CAPACITY / 120 + 3;
  for (uint32_t period = 0; period < periods; period++) {
    for (uint32_t k = 0; k < 60; k++)
      send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
    flz_engine_render(&engine, out, 64, 2, 0);
  }
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  assert_int_equal(counters.events_dropped, 1 + periods * 60 * 2 - FLZ_RING_CAPACITY);
  assert_int_equal(counters.commands_dropped, 0);
  collect_events();
  assert_int_equal(event_count, FLZ_RING_CAPACITY);
  send(FLZ_COMMAND_PING, 0, 5.0f);
  render(out, 64, 2);
  assert_int_equal(count_events(FLZ_EVENT_PONG), 1);
}

static void a_full_command_ring_refuses_and_counts(void **state)
{
  (void)state;
  flz_command c;
  memset(&c, 0, sizeof c);
  c.type = FLZ_COMMAND_PING;
  for (uint32_t i = 0; i < FLZ_RING_CAPACITY; i++)
    assert_int_equal(flz_engine_send(&engine, FLZ_PRODUCER_MIDI, &c), FLZ_OK);
  assert_int_equal(flz_engine_send(&engine, FLZ_PRODUCER_MIDI, &c), FLZ_ERR_RING_FULL);
  assert_int_equal(flz_engine_send(&engine, FLZ_PRODUCERS, &c), FLZ_ERR_ARGUMENT);
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  assert_int_equal(counters.commands_dropped, 1);
  /* one period drains at most FLZ_COMMANDS_PER_PERIOD of them */
  render(out, 1, 2);
  assert_int_equal(count_events(FLZ_EVENT_PONG), FLZ_COMMANDS_PER_PERIOD);
}

static void three_channels_write_silence_and_keep_the_clock(void **state)
{
  (void)state;
  fill(buf_a, LONG, 0.5f);
  load(0, buf_a, LONG, 1, 0);
  send(FLZ_COMMAND_PLAY_SAMPLE, 0, 1.0f);
  fill(out, 3 * 100 + 1, 7.0f);
  render(out, 100, 3);
  for (uint32_t i = 0; i < 300; i++)
    assert_true(out[i] == 0.0f);
  assert_true(out[300] == 7.0f); /* nothing written past the buffer */
  assert_int_equal(flz_engine_frame(&engine), 100);
  render(out, 10, 2);
  assert_true(out[0] == 0.5f);
}

static void init_applies_defaults_and_rejects_bad_configs(void **state)
{
  (void)state;
  assert_int_equal(flz_engine_init(&twin, NULL), FLZ_OK);
  assert_int_equal(twin.config.rate, RATE);
  assert_int_equal(twin.fade_frames, FADE);
  flz_engine_config config;
  flz_engine_config_init(&config);
  config.rate = 7999;
  assert_int_equal(flz_engine_init(&twin, &config), FLZ_ERR_ARGUMENT);
  config.rate = 384001;
  assert_int_equal(flz_engine_init(&twin, &config), FLZ_ERR_ARGUMENT);
  config.rate = RATE;
  config.policy = 2;
  assert_int_equal(flz_engine_init(&twin, &config), FLZ_ERR_ARGUMENT);
  config.policy = FLZ_POLICY_DROP;
  config.fade_ms = 1e12f; /* far beyond any frame count: clamped, not cast */
  assert_int_equal(flz_engine_init(&twin, &config), FLZ_OK);
  assert_int_equal(twin.fade_frames, FLZ_FADE_FRAMES_MAX);
  config.fade_ms = INFINITY;
  assert_int_equal(flz_engine_init(&twin, &config), FLZ_OK);
  assert_int_equal(twin.fade_frames, FLZ_FADE_FRAMES_MAX);
  config.fade_ms = 0.001f; /* less than a frame: one frame */
  assert_int_equal(flz_engine_init(&twin, &config), FLZ_OK);
  assert_int_equal(twin.fade_frames, 1);
}

#define ENGINE_TEST(name) cmocka_unit_test_setup(name, setup_default)

int main(void)
{
  const struct CMUnitTest tests[] = {
    ENGINE_TEST(a_ping_is_answered_by_a_pong_with_its_value_at_frame_0),
    ENGINE_TEST(a_mono_constant_plays_exactly_for_its_length_then_silence),
    ENGINE_TEST(velocity_one_half_plays_at_a_quarter_gain),
    ENGINE_TEST(two_voices_sum_exactly),
    ENGINE_TEST(a_stereo_sample_keeps_left_and_right),
    ENGINE_TEST(a_stereo_sample_into_a_mono_output_is_the_mean_of_left_and_right),
    ENGINE_TEST(a_mono_sample_into_a_mono_output_is_the_sample),
    ENGINE_TEST(a_voice_plays_to_its_end_across_render_calls_of_odd_sizes),
    ENGINE_TEST(set_volume_ramps_per_sample_to_the_new_gain),
    ENGINE_TEST(stop_fades_every_voice_linearly_then_reports_stopped),
    ENGINE_TEST(stop_with_a_single_voice_never_steps_more_than_an_even_share),
    ENGINE_TEST(stop_with_no_voices_reports_stopped_after_the_next_render),
    ENGINE_TEST(a_fade_that_reaches_the_end_of_the_sample_ends_the_voice_there),
    ENGINE_TEST(stop_slot_fades_only_that_slot),
    ENGINE_TEST(the_drop_policy_drops_exactly_the_trigger_beyond_the_voices),
    ENGINE_TEST(stealing_takes_the_oldest_voice_and_fades_it_on_a_tail),
    ENGINE_TEST(empty_and_out_of_range_slots_play_nothing),
    ENGINE_TEST(replacing_a_playing_slot_fades_it_and_retires_it_after_the_fade),
    ENGINE_TEST(replacing_a_sample_not_from_the_pool_fades_it_without_retiring),
    ENGINE_TEST(unloading_a_playing_slot_fades_it_and_retires_it_after_the_fade),
    ENGINE_TEST(unloading_an_idle_slot_retires_its_region_after_the_next_render),
    ENGINE_TEST(a_region_published_in_two_slots_is_retired_only_when_both_let_go),
    ENGINE_TEST(a_refused_sample_empties_the_slot_and_hands_its_region_back),
    ENGINE_TEST(nan_never_reaches_the_output_and_loud_samples_are_clamped),
    ENGINE_TEST(sixty_four_full_scale_voices_clamp_to_exactly_one),
    ENGINE_TEST(the_same_commands_render_bit_identical_output),
    ENGINE_TEST(a_full_event_ring_counts_its_losses_and_the_engine_goes_on),
    ENGINE_TEST(a_full_command_ring_refuses_and_counts),
    ENGINE_TEST(three_channels_write_silence_and_keep_the_clock),
    ENGINE_TEST(init_applies_defaults_and_rejects_bad_configs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
