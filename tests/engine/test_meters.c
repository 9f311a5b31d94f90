/* tests/engine/test_meters.c: peak meters per slot and for the master reach
 * the control side at least 20 times a second, with the right values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>

#include "engine/engine.h"
#include "engine/result.h"

#define RATE 48000u
#define FRAMES 96000u /* longer than the second rendered */

static flz_engine engine;
static float ramp[FRAMES];
static float slots[FLZ_SLOTS];

static void send(flz_command command)
{
  assert_int_equal(flz_engine_send(&engine, FLZ_PRODUCER_CONTROL, &command), FLZ_OK);
}

static void meters_come_at_least_twenty_times_a_second_with_each_slots_peak(void **state)
{
  (void)state;
  assert_int_equal(flz_engine_init(&engine, NULL), FLZ_OK);
  /* A rising ramp to 0.8: the peak of any window is its last frame. */
  for (uint32_t i = 0; i < FRAMES; i++)
    ramp[i] = 0.8f * (float)(i + 1) / FRAMES;
  flz_command load = {.type = FLZ_COMMAND_LOAD_SAMPLE, .slot = 3};
  load.sample = (flz_sample){.data = ramp, .frame_count = FRAMES, .channels = 1};
  send(load);
  load.slot = 7;
  send(load);
  send((flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 3, .value = 1.0f});
  send((flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 7, .value = 0.5f});
  send((flz_command){.type = FLZ_COMMAND_SET_VOLUME, .value = -6.0206f});

  static float out[256 * 2];
  uint32_t meters = 0;
  float last_master = -1.0f;
  for (uint32_t done = 0; done < RATE; done += 256) {
    flz_engine_render(&engine, out, 256, 2, 0);
    flz_event event;
    while (flz_engine_receive(&engine, &event)) {
      if (event.type != FLZ_EVENT_METER)
        continue;
      meters++;
      last_master = event.value;
    }
  }
  /* One second of audio: FLZ_METER_RATE_HZ (25) windows, at least 20. */
  assert_true(meters >= 20);
  assert_int_equal(meters, FLZ_METER_RATE_HZ);

  float master = 0.0f;
  uint32_t serial = flz_engine_meters_get(&engine, slots, &master);
  assert_int_equal(serial, meters);
  assert_true(master == last_master);
  /* The last window ended at the frame the last publication was made; the
   * ramp rose to there. Slot 3 at velocity 1 peaks at the ramp's value at
   * the window's last frame; slot 7 at velocity 0.5 at a quarter of it. */
  uint32_t published_at = 0;
  for (uint32_t w = 1; w <= meters; w++) {
    uint32_t end = (w * (RATE / FLZ_METER_RATE_HZ) + 255) / 256 * 256;
    published_at = end;
  }
  float expected = ramp[published_at - 1];
  assert_float_equal(slots[3], expected, 1e-6);
  assert_float_equal(slots[7], 0.25f * expected, 1e-6);
  for (uint32_t s = 0; s < FLZ_SLOTS; s++)
    if (s != 3 && s != 7)
      assert_true(slots[s] == 0.0f);
  /* Master: the sum 1.25 x ramp, halved by the -6 dB master. */
  assert_float_equal(master, 0.5f * 1.25f * expected, 1e-5);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(meters_come_at_least_twenty_times_a_second_with_each_slots_peak),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
