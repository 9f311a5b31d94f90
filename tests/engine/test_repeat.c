/* tests/engine/test_repeat.c: note repeat (engine/repeat.h) frame by frame:
 * a held pad sounds on every grid line of the rate on the engine's beat,
 * the first at or after the press, straight and triplet, at the press's
 * velocity until aftertouch changes it, until its release or repeat off; a
 * new rate moves it onto the new grid; multi-sample pads repeat per key;
 * with repeat off a press plays at once, as ever. */
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

static flz_engine engine;
static float src[1000];
static float out[4096 * 2];
static uint64_t rendered;
static uint64_t onsets[256];
static float velocities[256];
static uint32_t onset_count;

static int setup(void **state)
{
  (void)state;
  assert_int_equal(flz_engine_init(&engine, NULL), FLZ_OK);
  rendered = 0;
  onset_count = 0;
  for (uint32_t i = 0; i < 1000; i++)
    src[i] = 0.25f;
  flz_command load = {.type = FLZ_COMMAND_LOAD_SAMPLE, .slot = 0};
  load.sample = (flz_sample){.data = src, .frame_count = 1000, .channels = 1};
  assert_int_equal(flz_engine_send(&engine, FLZ_PRODUCER_CONTROL, &load), FLZ_OK);
  return 0;
}

static void send(flz_command command)
{
  assert_int_equal(flz_engine_send(&engine, FLZ_PRODUCER_CONTROL, &command), FLZ_OK);
}

/* Renders up to frame `to` in periods of 333 frames, keeping the frame and
 * velocity of every voice started. */
static void render_to(uint64_t to)
{
  while (rendered < to) {
    uint32_t n = to - rendered < 333 ? (uint32_t)(to - rendered) : 333;
    flz_engine_render(&engine, out, n, 2, 0);
    rendered += n;
    flz_event event;
    while (flz_engine_receive(&engine, &event))
      if (event.type == FLZ_EVENT_VOICE_STARTED && onset_count < 256) {
        onsets[onset_count] = event.frame;
        velocities[onset_count++] = event.value;
      }
  }
}

static void repeat(uint32_t rate)
{
  send((flz_command){.type = FLZ_COMMAND_REPEAT, .offset = rate});
}

static void sixteenths_follow_the_grid_at_the_press_s_velocity_until_release(void **state)
{
  (void)state;
  repeat(FLZ_REPEAT_16TH);
  render_to(1000);
  send((flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 0, .value = 0.6f});
  render_to(30000);
  send((flz_command){.type = FLZ_COMMAND_RELEASE_SLOT, .slot = 0});
  render_to(60000);
  /* 120 BPM: a beat is 24000 frames, a 1/16 6000; the press at frame 1000
   * sounds first on the next line. The release at 30000 drops that line's. */
  const uint64_t expected[] = {6000, 12000, 18000, 24000};
  assert_int_equal(onset_count, 4);
  for (uint32_t i = 0; i < 4; i++) {
    assert_int_equal(onsets[i], expected[i]);
    assert_true(velocities[i] == 0.6f);
  }
}

static void triplets_round_each_line_to_its_nearest_frame_and_pressure_sets_velocity(void **state)
{
  (void)state;
  send((flz_command){.type = FLZ_COMMAND_SET_TEMPO, .value = 90.0f});
  repeat(FLZ_REPEAT_16TH_TRIPLET);
  send((flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 0, .value = 1.0f});
  render_to(20000);
  send((flz_command){.type = FLZ_COMMAND_PRESSURE, .slot = 0, .value = 0.3f});
  render_to(40000);
  repeat(FLZ_REPEAT_OFF);
  render_to(60000);
  /* 90 BPM: a beat is 32000 frames, a 1/16 triplet 32000 / 6. The press at
   * frame 0 lies on the grid; the pressure at 19980 (a period start) takes
   * the hits from 21333 on; off at 39960 ends them. */
  assert_int_equal(onset_count, 8);
  for (uint32_t k = 0; k < 8; k++) {
    assert_int_equal(onsets[k], (uint64_t)llround(k * 32000.0 / 6.0));
    assert_true(velocities[k] == (onsets[k] < 19980 ? 1.0f : 0.3f));
  }
}

static void a_new_rate_moves_the_held_pad_to_its_grid(void **state)
{
  (void)state;
  repeat(FLZ_REPEAT_4TH);
  send((flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 0, .value = 0.5f});
  render_to(30000);
  repeat(FLZ_REPEAT_8TH_TRIPLET); /* at 30003, a period start */
  render_to(50000);
  /* 1/4: 0 and 24000; then 1/8 triplets (8000 frames) from 30003: 32000,
   * 40000, 48000. */
  const uint64_t expected[] = {0, 24000, 32000, 40000, 48000};
  assert_int_equal(onset_count, 5);
  for (uint32_t i = 0; i < 5; i++)
    assert_int_equal(onsets[i], expected[i]);
}

static void a_multi_sample_pad_repeats_each_held_key(void **state)
{
  (void)state;
  flz_command region = {.type = FLZ_COMMAND_SET_REGION, .slot = 0};
  flz_engine_region_default(&region.region, 0);
  send(region);
  send((flz_command){.type = FLZ_COMMAND_SET_PAD, .slot = 3, .pad = {.count = 1}});
  repeat(FLZ_REPEAT_8TH);
  send((flz_command){.type = FLZ_COMMAND_PLAY_PAD, .slot = 3, .offset = 60, .value = 0.8f});
  send((flz_command){.type = FLZ_COMMAND_PLAY_PAD, .slot = 3, .offset = 64, .value = 0.4f});
  render_to(13000);
  send((flz_command){.type = FLZ_COMMAND_RELEASE_PAD, .slot = 3, .offset = 60});
  render_to(40000);
  /* 1/8 = 12000 frames: both keys at 0 and 12000, then key 64 alone. */
  assert_int_equal(onset_count, 6);
  const uint64_t expected[] = {0, 0, 12000, 12000, 24000, 36000};
  for (uint32_t i = 0; i < 6; i++)
    assert_int_equal(onsets[i], expected[i]);
  assert_true(velocities[4] == 0.4f && velocities[5] == 0.4f);
}

static void with_repeat_off_a_press_plays_at_once(void **state)
{
  (void)state;
  render_to(1000);
  send((flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 0, .value = 0.7f});
  render_to(30000);
  assert_int_equal(onset_count, 1);
  assert_int_equal(onsets[0], 1000); /* the start of the period after the send */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(sixteenths_follow_the_grid_at_the_press_s_velocity_until_release, setup),
    cmocka_unit_test_setup(triplets_round_each_line_to_its_nearest_frame_and_pressure_sets_velocity,
                           setup),
    cmocka_unit_test_setup(a_new_rate_moves_the_held_pad_to_its_grid, setup),
    cmocka_unit_test_setup(a_multi_sample_pad_repeats_each_held_key, setup),
    cmocka_unit_test_setup(with_repeat_off_a_press_plays_at_once, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
