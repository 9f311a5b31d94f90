/* tests/platform/test_sampler.c: what app/ reads of the sampler, through
 * platform/sampler.h only: the output it got, slots, the pool, meters and
 * counters, sends per producer, and the fallback when the device backend
 * finds no device. The sampler runs the offline "wav" output pulled by the
 * test, so every value is exact.
 * Owns: only its temporary folder and SDL_AUDIODRIVER. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/limits.h"
#include "engine/pool.h"
#include "engine/result.h"
#include "platform/sampler.h"

/* One second of frames at the default rate: more than one meter window
 * (FLZ_METER_RATE_HZ), less than the test's sample. */
#define FRAMES FLZ_DEFAULT_RATE

static char folder[] = "/tmp/flz_test_sampler_XXXXXX";
static char wav_path[128];
static char fallback_path[128];
static float sample[2 * FLZ_DEFAULT_RATE * 2]; /* two seconds of stereo */

static int setup(void **state)
{
  (void)state;
  if (mkdtemp(folder) == NULL)
    return -1;
  snprintf(wav_path, sizeof wav_path, "%s/out.wav", folder);
  snprintf(fallback_path, sizeof fallback_path, "%s/fallback.wav", folder);
  for (size_t i = 0; i < sizeof sample / sizeof sample[0]; i++)
    sample[i] = 0.5f;
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  unlink(wav_path);
  unlink(fallback_path);
  return rmdir(folder);
}

static void run_offline(flz_sampler *sampler)
{
  flz_sampler_config config;
  flz_sampler_config_init(&config);
  config.backend = "wav";
  config.device = wav_path;
  assert_int_equal(flz_sampler_run(sampler, &config), FLZ_OK);
}

/* The defaults are filled once, by the output; the sampler reports them. */
static void the_output_info_is_what_the_output_got(void **state)
{
  (void)state;
  flz_sampler *sampler = flz_sampler_instance();
  run_offline(sampler);
  const flz_audio_output_info *info = flz_sampler_output_info(sampler);
  assert_string_equal(info->backend, "wav");
  assert_string_equal(info->device, wav_path);
  assert_int_equal(info->rate, FLZ_DEFAULT_RATE);
  assert_int_equal(info->period, FLZ_DEFAULT_PERIOD);
  assert_int_equal(info->channels, FLZ_DEFAULT_CHANNELS);
  assert_int_equal(flz_sampler_rate(sampler), FLZ_DEFAULT_RATE);
  assert_string_equal(flz_sampler_output_detail(sampler), "");
  assert_int_equal(flz_sampler_fell_back(sampler), 0);
  flz_sampler_shut_down(sampler);
  assert_string_equal(flz_sampler_output_detail(sampler), "");
}

/* A slot is loaded from its load until its unload; the pool shrinks by the
 * sample's bytes, rounded up to FLZ_POOL_ALIGN. */
static void slots_and_the_pool_follow_loads(void **state)
{
  (void)state;
  flz_sampler *sampler = flz_sampler_instance();
  run_offline(sampler);
  const size_t capacity = flz_sampler_pool_capacity(sampler);
  assert_int_equal(capacity, FLZ_POOL_BYTES);
  assert_int_equal(flz_sampler_pool_largest_free(sampler), capacity);
  assert_int_equal(flz_sampler_slot_loaded(sampler, 3), 0);

  assert_int_equal(flz_sampler_load_frames(sampler, 3, sample, 1000, 1), FLZ_OK);
  assert_int_equal(flz_sampler_slot_loaded(sampler, 3), 1);
  assert_int_equal(flz_sampler_slot_loaded(sampler, 4), 0);
  assert_int_equal(flz_sampler_slot_loaded(sampler, FLZ_SLOTS), 0);
  const size_t bytes = (1000 * sizeof(float) + FLZ_POOL_ALIGN - 1) / FLZ_POOL_ALIGN *
                       FLZ_POOL_ALIGN;
  assert_int_equal(flz_sampler_pool_largest_free(sampler), capacity - bytes);

  assert_int_equal(flz_sampler_unload_sample(sampler, 3), FLZ_OK);
  assert_int_equal(flz_sampler_slot_loaded(sampler, 3), 0);
  assert_int_equal(flz_sampler_load_frames(sampler, 5, sample, 1000, 2), FLZ_OK);
  flz_sampler_shut_down(sampler);
  assert_int_equal(flz_sampler_slot_loaded(sampler, 5), 0);
}

/* A trigger sent through any producer plays: the counters show the voice
 * and the meters its slot's peak, 0.5 times the velocity gain of 1. */
static void sends_play_and_show_in_meters_and_counters(void **state)
{
  (void)state;
  flz_sampler *sampler = flz_sampler_instance();
  flz_command play = {.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 7, .value = 1.0f};
  flz_engine_counters counters;
  float slots[FLZ_SLOTS];
  float master = -1.0f;

  assert_int_equal(flz_sampler_send(sampler, FLZ_PRODUCER_CONTROL, &play), FLZ_ERR_NOT_RUNNING);
  run_offline(sampler);
  assert_int_equal(flz_sampler_load_frames(sampler, 7, sample, 2 * FLZ_DEFAULT_RATE, 2), FLZ_OK);
  assert_int_equal(flz_sampler_send(sampler, FLZ_PRODUCERS, &play), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_sampler_send(sampler, FLZ_PRODUCER_MIDI, &play), FLZ_OK);
  assert_int_equal(flz_sampler_pull(sampler, FRAMES), FLZ_OK);

  flz_sampler_counters(sampler, &counters);
  assert_int_equal(counters.voices_active, 1);
  assert_int_equal(counters.commands_dropped, 0);
  const uint32_t serial = flz_sampler_meters(sampler, slots, &master);
  assert_true(serial > 0);
  assert_true(slots[7] == 0.5f);
  assert_true(slots[6] == 0.0f);
  assert_true(master > 0.0f);
  flz_sampler_shut_down(sampler);
}

/* With a fallback file, a device backend that finds no device is replaced
 * by the fallback backend, chosen by its flag. */
static void no_device_falls_back_to_the_file(void **state)
{
  (void)state;
  flz_sampler *sampler = flz_sampler_instance();
  flz_sampler_config config;
  flz_sampler_config_init(&config);
  setenv("SDL_AUDIODRIVER", "no-such-driver", 1);

  assert_int_equal(flz_sampler_run(sampler, &config), FLZ_ERR_NO_AUDIO_DEVICE);
  assert_non_null(strstr(flz_sampler_output_detail(sampler), "no-such-driver"));
  assert_int_equal(flz_sampler_fell_back(sampler), 0);

  config.fallback_path = fallback_path;
  assert_int_equal(flz_sampler_run(sampler, &config), FLZ_OK);
  assert_int_equal(flz_sampler_fell_back(sampler), 1);
  assert_string_equal(flz_sampler_output_info(sampler)->backend, "wav");
  assert_string_equal(flz_sampler_output_info(sampler)->device, fallback_path);
  flz_sampler_shut_down(sampler);

  /* The wav backend has no devices: a missing file is an error, not a
   * fallback. */
  config.backend = "wav";
  config.device = NULL;
  assert_int_equal(flz_sampler_run(sampler, &config), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_sampler_fell_back(sampler), 0);
  unsetenv("SDL_AUDIODRIVER");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_output_info_is_what_the_output_got),
    cmocka_unit_test(slots_and_the_pool_follow_loads),
    cmocka_unit_test(sends_play_and_show_in_meters_and_counters),
    cmocka_unit_test(no_device_falls_back_to_the_file),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
