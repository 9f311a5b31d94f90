/* tests/engine/test_pads.c: the pad model in the engine, frame by frame:
 * modes (one-shot, gate, loop toggle, loop-gate), sample-exact loop seams
 * and loop points, choke groups, retrigger, exclusive loops, gain and pan,
 * tuning and speed by resampling, start and end, reverse, velocity curves,
 * BPM lock and quantized launches on the frame clock. */
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
#define OUT_FRAMES 400000u

static flz_engine engine;
static float src[200000];
static float other[200000];
static float out[OUT_FRAMES * 2];
static uint32_t fade;
static uint64_t rendered;
static flz_event events[256];
static uint32_t event_count;

static int setup(void **state)
{
  (void)state;
  assert_int_equal(flz_engine_init(&engine, NULL), FLZ_OK);
  fade = engine.fade_frames;
  memset(out, 0, sizeof out);
  rendered = 0;
  event_count = 0;
  /* Distinct dyadic values (exact in float, and their halves too). */
  for (uint32_t i = 0; i < sizeof src / sizeof src[0]; i++) {
    src[i] = (float)((i % 1000) + 1) / 1024.0f;
    other[i] = -src[i];
  }
  return 0;
}

static void send(flz_command command)
{
  assert_int_equal(flz_engine_send(&engine, FLZ_PRODUCER_CONTROL, &command), FLZ_OK);
}

static void load(uint32_t slot, const float *data, uint32_t frames, flz_slot_params params)
{
  flz_command command = {.type = FLZ_COMMAND_LOAD_SAMPLE, .slot = slot};
  command.sample = (flz_sample){.data = data, .frame_count = frames, .channels = 1};
  send(command);
  flz_command set = {.type = FLZ_COMMAND_SET_SLOT, .slot = slot};
  set.params = params;
  send(set);
}

static void press(uint32_t slot, float velocity)
{
  send((flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = slot, .value = velocity});
}

static void release(uint32_t slot)
{
  send((flz_command){.type = FLZ_COMMAND_RELEASE_SLOT, .slot = slot});
}

/* Renders up to frame `to` of `out` in 256-frame periods (the last one
 * shorter), collecting events. */
static void render_to(uint64_t to)
{
  while (rendered < to) {
    uint32_t n = to - rendered < 256 ? (uint32_t)(to - rendered) : 256;
    flz_engine_render(&engine, out + 2 * rendered, n, 2, 0);
    rendered += n;
    flz_event event;
    while (flz_engine_receive(&engine, &event))
      if (event.type != FLZ_EVENT_METER && event_count < 256)
        events[event_count++] = event;
  }
}

static float left(uint64_t frame)
{
  return out[2 * frame];
}

static float right(uint64_t frame)
{
  return out[2 * frame + 1];
}

static void a_loop_repeats_its_sample_bit_for_bit_at_the_seam(void **state)
{
  (void)state;
  const uint32_t length = 1000;
  load(0, src, length, (flz_slot_params){.mode = FLZ_MODE_LOOP});
  press(0, 1.0f);
  render_to(7 * length + 123);
  for (uint64_t f = 0; f < rendered; f++) {
    assert_true(left(f) == src[f % length]);
    assert_true(right(f) == src[f % length]);
  }
}

static void loop_points_play_the_intro_then_repeat_the_loop(void **state)
{
  (void)state;
  load(0, src, 1000, (flz_slot_params){.mode = FLZ_MODE_LOOP, .loop_start = 300, .loop_end = 700});
  press(0, 1.0f);
  render_to(3000);
  for (uint64_t f = 0; f < 700; f++)
    assert_true(left(f) == src[f]);
  for (uint64_t f = 700; f < 3000; f++)
    assert_true(left(f) == src[300 + (f - 700) % 400]);
}

static void a_second_press_stops_a_loop_and_a_third_starts_it_again(void **state)
{
  (void)state;
  load(0, src, 1000, (flz_slot_params){.mode = FLZ_MODE_LOOP});
  press(0, 1.0f);
  render_to(5000);
  press(0, 1.0f); /* toggle off: fades out */
  render_to(10000);
  for (uint64_t f = 5000 + fade; f < 10000; f++)
    assert_true(left(f) == 0.0f);
  press(0, 1.0f); /* on again, from the start */
  render_to(12000);
  for (uint64_t f = 10000; f < 12000; f++)
    assert_true(left(f) == src[(f - 10000) % 1000]);
}

static void a_gate_plays_while_held_and_fades_on_release_and_a_one_shot_ignores_it(void **state)
{
  (void)state;
  load(0, src, 100000, (flz_slot_params){.mode = FLZ_MODE_GATE});
  load(1, other, 100000, (flz_slot_params){.mode = FLZ_MODE_ONESHOT});
  press(0, 1.0f);
  press(1, 1.0f);
  render_to(2048);
  release(0);
  release(1);
  render_to(6000);
  /* The sum until the release; then the gate fades out over `fade` frames
   * and only the one-shot (the negated copy) is left. */
  for (uint64_t f = 0; f < 2048; f++)
    assert_true(left(f) == 0.0f);
  for (uint64_t f = 2048 + fade; f < 6000; f++)
    assert_true(left(f) == other[f]);
  assert_true(left(2048 + fade / 2) != other[2048 + fade / 2]);
}

static void a_loop_gate_loops_while_held(void **state)
{
  (void)state;
  load(0, src, 500, (flz_slot_params){.mode = FLZ_MODE_LOOP_GATE});
  press(0, 1.0f);
  render_to(4096);
  for (uint64_t f = 0; f < 4096; f++)
    assert_true(left(f) == src[f % 500]);
  release(0);
  render_to(8000);
  for (uint64_t f = 4096 + fade; f < 8000; f++)
    assert_true(left(f) == 0.0f);
}

static void a_choke_group_silences_the_other_pads_of_its_group(void **state)
{
  (void)state;
  /* Open hat (slot 1) and closed hat (slot 2) in group 1; a kick (slot 3)
   * in none. */
  load(1, src, 100000, (flz_slot_params){.choke = 1});
  load(2, other, 100000, (flz_slot_params){.choke = 1});
  load(3, src, 100000, (flz_slot_params){0});
  press(1, 1.0f);
  press(3, 1.0f);
  render_to(1024);
  press(2, 1.0f);
  render_to(4000);
  /* After the fade: kick + closed hat = src[f] - src[f - 1024]. */
  for (uint64_t f = 1024 + fade; f < 4000; f++)
    assert_true(left(f) == src[f] + other[f - 1024]);
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  assert_int_equal(counters.voices_active, 2);
}

static void restart_fades_the_previous_voice_and_layer_keeps_it(void **state)
{
  (void)state;
  load(0, src, 100000, (flz_slot_params){.retrigger = FLZ_RETRIGGER_RESTART});
  load(1, src, 100000, (flz_slot_params){.retrigger = FLZ_RETRIGGER_LAYER, .pan = 1.0f});
  press(0, 0.5f);
  press(1, 0.5f);
  render_to(1024);
  press(0, 0.5f);
  press(1, 0.5f);
  render_to(3000);
  /* Slot 0 (pan 0, both sides): only its new voice after the fade. Slot 1
   * (panned hard right, silent on the left): both of its voices. */
  for (uint64_t f = 1024 + fade; f < 3000; f++) {
    assert_true(left(f) == src[f - 1024] * 0.25f);
    /* Three voices at velocity 0.5 (gain 0.25), summed in voice order. */
    assert_float_equal(right(f), 0.25f * (src[f - 1024] + src[f] + src[f - 1024]), 1e-6);
  }
}

static void with_multi_loop_off_a_loop_stops_the_others(void **state)
{
  (void)state;
  send((flz_command){.type = FLZ_COMMAND_SET_MULTI_LOOP, .offset = 0});
  load(0, src, 1000, (flz_slot_params){.mode = FLZ_MODE_LOOP, .pan = -1.0f});
  load(1, src, 1000, (flz_slot_params){.mode = FLZ_MODE_LOOP, .pan = 1.0f});
  load(2, other, 100000, (flz_slot_params){.pan = -1.0f}); /* a one-shot: unaffected */
  press(0, 1.0f);
  press(2, 1.0f);
  render_to(2048);
  press(1, 1.0f);
  render_to(6000);
  for (uint64_t f = 2048 + fade; f < 6000; f++) {
    assert_true(left(f) == other[f]); /* loop 0 gone, the one-shot plays on */
    assert_true(right(f) == src[(f - 2048) % 1000]);
  }
}

static void gain_and_pan_scale_each_side(void **state)
{
  (void)state;
  load(0, src, 10000, (flz_slot_params){.gain = 0.5f, .pan = -0.5f});
  press(0, 1.0f);
  render_to(4000);
  for (uint64_t f = 0; f < 4000; f++) {
    assert_true(left(f) == src[f] * 0.5f);
    assert_true(right(f) == src[f] * 0.25f);
  }
}

static void a_gain_change_while_playing_ramps_per_sample(void **state)
{
  (void)state;
  for (uint32_t i = 0; i < 100000; i++)
    src[i] = 0.5f;
  load(0, src, 100000, (flz_slot_params){0});
  press(0, 1.0f);
  render_to(1000);
  flz_command set = {.type = FLZ_COMMAND_SET_SLOT, .slot = 0};
  set.params = (flz_slot_params){.gain = 0.25f};
  send(set);
  render_to(3000);
  for (uint64_t f = 1; f < 3000; f++)
    assert_true(fabsf(left(f) - left(f - 1)) <= (0.5f - 0.125f) / (float)fade + 1e-6f);
  assert_true(left(999) == 0.5f);
  assert_true(left(1000 + fade) == 0.125f);
}

static void tuning_an_octave_up_reads_every_second_frame_and_down_interpolates(void **state)
{
  (void)state;
  /* linear's midpoints (the other modes: tests/engine/test_interpolate.c) */
  send((flz_command){.type = FLZ_COMMAND_SET_INTERPOLATION, .offset = FLZ_INTERPOLATION_LINEAR});
  load(0, src, 100000, (flz_slot_params){.rate = 2.0f, .pan = -1.0f});
  load(1, src, 100000, (flz_slot_params){.rate = 0.5f, .pan = 1.0f});
  press(0, 1.0f);
  press(1, 1.0f);
  render_to(8000);
  for (uint64_t f = 0; f < 8000; f++) {
    assert_true(left(f) == src[2 * f]);
    float expected = f % 2 == 0 ? src[f / 2] : (src[f / 2] + src[f / 2 + 1]) * 0.5f;
    assert_float_equal(right(f), expected, 1e-7);
  }
}

static void the_global_speed_resamples_every_pad(void **state)
{
  (void)state;
  load(0, src, 100000, (flz_slot_params){0});
  send((flz_command){.type = FLZ_COMMAND_SET_SPEED, .value = 2.0f});
  press(0, 1.0f);
  render_to(4000);
  for (uint64_t f = 0; f < 4000; f++)
    assert_true(left(f) == src[2 * f]);
}

/* Sets the engine up afresh and plays slot 0 (`src`) at global `speed` for
 * 4000 frames into `out`. */
static void play_at_speed(float speed)
{
  setup(NULL);
  load(0, src, 100000, (flz_slot_params){0});
  send((flz_command){.type = FLZ_COMMAND_SET_SPEED, .value = speed});
  press(0, 1.0f);
  render_to(4000);
}

static void a_speed_beyond_its_range_plays_at_the_nearest_limit(void **state)
{
  (void)state;
  static float at_limit[2 * 4000];
  play_at_speed((float)FLZ_SPEED_MAX);
  memcpy(at_limit, out, sizeof at_limit);
  play_at_speed((float)FLZ_SPEED_MAX * 2.0f);
  assert_memory_equal(out, at_limit, sizeof at_limit);
  play_at_speed((float)FLZ_SPEED_MIN);
  memcpy(at_limit, out, sizeof at_limit);
  play_at_speed((float)FLZ_SPEED_MIN * 0.5f);
  assert_memory_equal(out, at_limit, sizeof at_limit);
}

static void start_and_end_play_only_their_range(void **state)
{
  (void)state;
  load(0, src, 10000, (flz_slot_params){.start = 2000, .end = 5000});
  press(0, 1.0f);
  render_to(5000);
  /* A start inside the signal fades in; then the range, then silence. */
  assert_true(fabsf(left(0)) <= src[2000] / (float)fade + 1e-6f);
  for (uint64_t f = fade; f < 3000; f++)
    assert_true(left(f) == src[2000 + f]);
  for (uint64_t f = 3000; f < 5000; f++)
    assert_true(left(f) == 0.0f);
  flz_event ended = {0};
  for (uint32_t i = 0; i < event_count; i++)
    if (events[i].type == FLZ_EVENT_VOICE_ENDED)
      ended = events[i];
  assert_int_equal(ended.frame, 3000);
}

static void reverse_plays_the_sample_backwards(void **state)
{
  (void)state;
  load(0, src, 3000, (flz_slot_params){.reverse = 1});
  press(0, 1.0f);
  render_to(4000);
  for (uint64_t f = 0; f < 3000; f++)
    assert_true(left(f) == src[2999 - f]);
  for (uint64_t f = 3000; f < 4000; f++)
    assert_true(left(f) == 0.0f);
}

static void a_reverse_loop_wraps_backwards_bit_for_bit(void **state)
{
  (void)state;
  load(0, src, 1000, (flz_slot_params){.mode = FLZ_MODE_LOOP, .reverse = 1});
  press(0, 1.0f);
  render_to(5500);
  for (uint64_t f = 0; f < 5500; f++)
    assert_true(left(f) == src[999 - f % 1000]);
}

static void velocity_curves_map_velocity_to_gain(void **state)
{
  (void)state;
  for (uint32_t i = 0; i < 100000; i++)
    src[i] = 1.0f;
  load(0, src, 100000, (flz_slot_params){.curve = FLZ_CURVE_LINEAR, .pan = -1.0f});
  load(1, src, 100000, (flz_slot_params){.curve = FLZ_CURVE_DB, .curve_db = 40.0f, .pan = 1.0f});
  press(0, 0.5f);
  press(1, 0.5f);
  render_to(256);
  assert_true(left(100) == 0.5f);
  assert_float_equal(right(100), 0.1f, 1e-6); /* -20 dB: half of a 40 dB range */
}

static void a_bpm_locked_pad_plays_at_tempo_over_its_bpm(void **state)
{
  (void)state;
  send((flz_command){.type = FLZ_COMMAND_SET_TEMPO, .value = 120.0f});
  load(0, src, 100000, (flz_slot_params){.bpm = 60.0f, .bpm_lock = 1});
  press(0, 1.0f);
  render_to(4000);
  for (uint64_t f = 0; f < 4000; f++)
    assert_true(left(f) == src[2 * f]);
}

static uint64_t first_nonzero(uint64_t from, int channel)
{
  for (uint64_t f = from; f < rendered; f++)
    if (out[2 * f + (uint64_t)channel] != 0.0f)
      return f;
  return UINT64_MAX;
}

static void quantized_loops_launch_on_the_grid_and_one_shots_do_not(void **state)
{
  (void)state;
  send((flz_command){.type = FLZ_COMMAND_SET_TEMPO, .value = 120.0f});
  send((flz_command){.type = FLZ_COMMAND_SET_QUANTIZE, .offset = FLZ_QUANTIZE_16TH});
  load(0, src, 1000, (flz_slot_params){.mode = FLZ_MODE_LOOP, .pan = -1.0f});
  load(1, src, 100000, (flz_slot_params){.pan = 1.0f});
  render_to(1000);
  press(0, 1.0f); /* at frame 1000: a 1/16 at 120 BPM is 6000 frames */
  press(1, 1.0f);
  render_to(20000);
  assert_int_equal(first_nonzero(0, 0), 6000);
  assert_int_equal(first_nonzero(0, 1), 1000);
  int queued = 0;
  for (uint32_t i = 0; i < event_count; i++)
    if (events[i].type == FLZ_EVENT_LAUNCH_QUEUED && events[i].slot == 0)
      queued = events[i].frame == 6000;
  assert_true(queued);
}

static void a_bar_quantized_launch_waits_for_the_bar_line(void **state)
{
  (void)state;
  send((flz_command){.type = FLZ_COMMAND_SET_TEMPO, .value = 120.0f});
  send((flz_command){.type = FLZ_COMMAND_SET_QUANTIZE, .offset = FLZ_QUANTIZE_BAR});
  load(0, src, 1000, (flz_slot_params){.mode = FLZ_MODE_LOOP});
  render_to(96001); /* just past the first bar line */
  press(0, 1.0f);
  render_to(200000);
  assert_int_equal(first_nonzero(0, 0), 192000);
}

static void a_loop_gate_released_before_its_launch_never_starts(void **state)
{
  (void)state;
  send((flz_command){.type = FLZ_COMMAND_SET_QUANTIZE, .offset = FLZ_QUANTIZE_4TH});
  load(0, src, 1000, (flz_slot_params){.mode = FLZ_MODE_LOOP_GATE});
  render_to(100);
  press(0, 1.0f);
  render_to(200);
  release(0);
  render_to(60000);
  assert_int_equal(first_nonzero(0, 0), UINT64_MAX);
}

/* Two one-bar loops of different tempos, BPM-locked to 120, launched on
 * different bar lines: each plays exactly one bar per cycle, so their
 * downbeats (a marker frame of 1.0) coincide on every bar line. Rates 2 and
 * 0.5 are exact in 32.32, so the check is to the frame. */
static void bpm_locked_quantized_loops_stay_in_phase(void **state)
{
  (void)state;
  static float slow[192000], fast[48000]; /* one bar at 60 and at 240 BPM */
  for (uint32_t i = 0; i < 192000; i++)
    slow[i] = i == 0 ? 1.0f : 0.125f;
  for (uint32_t i = 0; i < 48000; i++)
    fast[i] = i == 0 ? 1.0f : 0.125f;
  send((flz_command){.type = FLZ_COMMAND_SET_TEMPO, .value = 120.0f});
  send((flz_command){.type = FLZ_COMMAND_SET_QUANTIZE, .offset = FLZ_QUANTIZE_BAR});
  load(0, slow, 192000,
       (flz_slot_params){.mode = FLZ_MODE_LOOP, .bpm = 60.0f, .bpm_lock = 1, .pan = -1.0f});
  load(1, fast, 48000,
       (flz_slot_params){.mode = FLZ_MODE_LOOP, .bpm = 240.0f, .bpm_lock = 1, .pan = 1.0f});
  render_to(5000);
  press(0, 1.0f); /* launches at 96000 */
  render_to(100000);
  press(1, 1.0f); /* launches at 192000 */
  render_to(OUT_FRAMES);
  for (uint64_t f = 0; f < OUT_FRAMES; f++) {
    int bar_line = f % 96000 == 0;
    if (f >= 96000)
      assert_true((left(f) == 1.0f) == bar_line);
    if (f >= 192000)
      assert_true((right(f) == 1.0f) == bar_line);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(a_loop_repeats_its_sample_bit_for_bit_at_the_seam, setup),
    cmocka_unit_test_setup(loop_points_play_the_intro_then_repeat_the_loop, setup),
    cmocka_unit_test_setup(a_second_press_stops_a_loop_and_a_third_starts_it_again, setup),
    cmocka_unit_test_setup(a_gate_plays_while_held_and_fades_on_release_and_a_one_shot_ignores_it,
                           setup),
    cmocka_unit_test_setup(a_loop_gate_loops_while_held, setup),
    cmocka_unit_test_setup(a_choke_group_silences_the_other_pads_of_its_group, setup),
    cmocka_unit_test_setup(restart_fades_the_previous_voice_and_layer_keeps_it, setup),
    cmocka_unit_test_setup(with_multi_loop_off_a_loop_stops_the_others, setup),
    cmocka_unit_test_setup(gain_and_pan_scale_each_side, setup),
    cmocka_unit_test_setup(a_gain_change_while_playing_ramps_per_sample, setup),
    cmocka_unit_test_setup(tuning_an_octave_up_reads_every_second_frame_and_down_interpolates,
                           setup),
    cmocka_unit_test_setup(the_global_speed_resamples_every_pad, setup),
    cmocka_unit_test_setup(a_speed_beyond_its_range_plays_at_the_nearest_limit, setup),
    cmocka_unit_test_setup(start_and_end_play_only_their_range, setup),
    cmocka_unit_test_setup(reverse_plays_the_sample_backwards, setup),
    cmocka_unit_test_setup(a_reverse_loop_wraps_backwards_bit_for_bit, setup),
    cmocka_unit_test_setup(velocity_curves_map_velocity_to_gain, setup),
    cmocka_unit_test_setup(a_bpm_locked_pad_plays_at_tempo_over_its_bpm, setup),
    cmocka_unit_test_setup(quantized_loops_launch_on_the_grid_and_one_shots_do_not, setup),
    cmocka_unit_test_setup(a_bar_quantized_launch_waits_for_the_bar_line, setup),
    cmocka_unit_test_setup(a_loop_gate_released_before_its_launch_never_starts, setup),
    cmocka_unit_test_setup(bpm_locked_quantized_loops_stay_in_phase, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
