/* tests/platform/test_audio_output.c: the audio output backends. The wav
 * backend pulled and in real time; the sdl backend through SDL's own disk
 * driver (which writes what would have been played to a file), its dummy
 * driver (named devices) and drivers that find no device. Owns nothing
 * outside its temporary folder and the SDL_* / ALSA_* environment variables
 * it sets for each test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine/result.h"
#include "platform/audio_output.h"
#include "platform/clock.h"

#include <SDL.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_CALLS = 4096 };

/* What render saw. It writes a counting pattern, sample n of the stream
 * being n + 1 (exact in float below 2^24; never 0, so it cannot be taken for
 * SDL's silence). Fields other than `calls` are read only after stop. */
typedef struct recorder {
  atomic_uint calls;
  uint32_t frames[MAX_CALLS];
  uint64_t times[MAX_CALLS];
  uint32_t channels_seen;
  uint64_t total_frames;
  uint32_t next_value;
} recorder;

static void record(void *user, float *out, uint32_t frames, uint32_t channels, uint64_t time_ns)
{
  recorder *r = user;
  const unsigned call = atomic_load_explicit(&r->calls, memory_order_relaxed);
  uint32_t i;

  if (call < MAX_CALLS) {
    r->frames[call] = frames;
    r->times[call] = time_ns;
  }
  r->channels_seen = channels;
  r->total_frames += frames;
  for (i = 0; i < frames * channels; i++) {
    out[i] = (float)++r->next_value;
  }
  atomic_store_explicit(&r->calls, call + 1, memory_order_release);
}

static char folder[] = "/tmp/flz_test_audio_XXXXXX";

static void temp_path(char *path, size_t size, const char *name)
{
  snprintf(path, size, "%s/%s", folder, name);
}

static flz_audio_output_config config_for(recorder *r, const char *device)
{
  flz_audio_output_config config;
  memset(&config, 0, sizeof config);
  config.device = device;
  config.render = record;
  config.user = r;
  return config;
}

static void sleep_ms(uint64_t ms)
{
  flz_clock_sleep_until_ns(flz_clock_now_ns() + ms * 1000000ull);
}

/* Checks that the WAV file at `path` holds the counting pattern for exactly
 * `frames` stereo frames, read back by SDL. */
static void assert_wav_holds_pattern(const char *path, uint64_t frames)
{
  SDL_AudioSpec spec;
  Uint8 *buf = NULL;
  Uint32 len = 0;
  uint64_t i;

  assert_non_null(SDL_LoadWAV(path, &spec, &buf, &len));
  assert_int_equal(spec.format, AUDIO_F32LSB);
  assert_int_equal(spec.channels, 2);
  assert_int_equal(spec.freq, 48000);
  assert_int_equal(len, frames * 2 * sizeof(float));
  for (i = 0; i < frames * 2; i++) {
    float v;
    memcpy(&v, buf + i * sizeof v, sizeof v);
    assert_true(v == (float)(i + 1));
  }
  SDL_FreeWAV(buf);
}

/* (a) Pulls of 1000 and 300 frames at the default period of 256 render
 * 256, 256, 256, 232 and 256, 44, at simulated times open time +
 * floor(frames before * 1e9 / 48000). */
static void wav_pull_renders_in_periods_at_simulated_times(void **state)
{
  static const uint32_t expected_frames[] = {256, 256, 256, 232, 256, 44};
  static recorder r;
  char path[256];
  flz_audio_output out;
  flz_audio_output_config config;
  uint64_t before, after, frames_before = 0;
  unsigned i;
  (void)state;

  temp_path(path, sizeof path, "pull.wav");
  config = config_for(&r, path);
  before = flz_clock_now_ns();
  assert_int_equal(flz_audio_output_open(&out, "wav", &config), FLZ_OK);
  after = flz_clock_now_ns();
  assert_string_equal(out.info.backend, "wav");
  assert_string_equal(out.info.driver, "wav");
  assert_string_equal(out.info.device, path);
  assert_int_equal(out.info.rate, 48000);
  assert_int_equal(out.info.period, 256);
  assert_int_equal(out.info.channels, 2);

  assert_int_equal(flz_audio_output_start(&out), FLZ_OK);
  assert_int_equal(flz_audio_output_pull(&out, 1000), FLZ_OK);
  assert_int_equal(flz_audio_output_pull(&out, 300), FLZ_OK);
  flz_audio_output_close(&out);
  assert_string_equal(out.detail, "");
  flz_audio_output_close(&out);

  assert_int_equal(atomic_load(&r.calls), 6);
  assert_int_equal(r.channels_seen, 2);
  assert_in_range(r.times[0], before, after);
  for (i = 0; i < 6; i++) {
    assert_int_equal(r.frames[i], expected_frames[i]);
    assert_int_equal(r.times[i] - r.times[0], frames_before * 1000000000ull / 48000);
    frames_before += r.frames[i];
  }
  assert_int_equal(r.total_frames, 1300);
  assert_wav_holds_pattern(path, 1300);
}

/* (d) The realtime wav backend paces itself: ~300 ms of running renders
 * ~14400 frames. The bound is loose (100 to 1000 ms worth) because this
 * proves that it runs and paces, not how precisely a loaded machine
 * schedules it. */
static void wav_realtime_renders_about_as_many_frames_as_time_passes(void **state)
{
  static recorder r;
  char path[256];
  flz_audio_output out;
  flz_audio_output_config config;
  unsigned i, calls;
  (void)state;

  temp_path(path, sizeof path, "realtime.wav");
  config = config_for(&r, path);
  config.realtime = 1;
  assert_int_equal(flz_audio_output_open(&out, "wav", &config), FLZ_OK);
  assert_int_equal(flz_audio_output_pull(&out, 256), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_audio_output_start(&out), FLZ_OK);
  sleep_ms(300);
  flz_audio_output_stop(&out);
  calls = atomic_load(&r.calls);
  sleep_ms(20);
  assert_int_equal(atomic_load(&r.calls), calls);
  flz_audio_output_close(&out);

  assert_in_range(r.total_frames, 4800, 48000);
  for (i = 0; i < calls; i++) {
    assert_int_equal(r.frames[i], 256);
  }
  assert_wav_holds_pattern(path, r.total_frames);
}

static void wav_open_needs_a_render_function_and_a_writable_path(void **state)
{
  static recorder r;
  flz_audio_output out;
  flz_audio_output_config config = config_for(&r, NULL);
  (void)state;

  assert_int_equal(flz_audio_output_open(&out, "wav", &config), FLZ_ERR_ARGUMENT);
  config.render = NULL;
  assert_int_equal(flz_audio_output_open(&out, "wav", &config), FLZ_ERR_ARGUMENT);
  config = config_for(&r, "/tmp");
  assert_int_equal(flz_audio_output_open(&out, "no-such-backend", &config), FLZ_ERR_ARGUMENT);
  assert_non_null(strstr(out.detail, "no-such-backend"));
  assert_int_equal(flz_audio_output_open(&out, "wav", &config), FLZ_ERR_WRITE);
  assert_string_not_equal(out.detail, "");
}

/* Callers choose backends by capability: the device backend, and the one
 * that stands in for it with no device. */
static void backends_are_found_by_their_flags(void **state)
{
  (void)state;
  assert_string_equal(flz_audio_output_find(FLZ_AUDIO_OUTPUT_HAS_DEVICES), "sdl");
  assert_string_equal(flz_audio_output_find(FLZ_AUDIO_OUTPUT_FALLBACK), "wav");
  assert_string_equal(flz_audio_output_find(FLZ_AUDIO_OUTPUT_DEMAND_ONLY), "wav");
  assert_null(flz_audio_output_find(FLZ_AUDIO_OUTPUT_HAS_DEVICES | FLZ_AUDIO_OUTPUT_FALLBACK));
  assert_string_equal(flz_audio_output_find(0), "sdl");
}

/* Every operation exists on an output that never opened or failed to: no
 * caller tests for NULL, and nothing renders. */
static void an_output_that_is_not_open_does_nothing(void **state)
{
  static recorder r;
  flz_audio_output out;
  flz_audio_output_config config = config_for(&r, NULL);
  (void)state;

  memset(&out, 0, sizeof out);
  assert_int_equal(flz_audio_output_start(&out), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_audio_output_pull(&out, 256), FLZ_ERR_ARGUMENT);
  flz_audio_output_stop(&out);
  flz_audio_output_close(&out);

  assert_int_equal(flz_audio_output_open(&out, "wav", &config), FLZ_ERR_ARGUMENT);
  assert_int_equal(out.flags, FLZ_AUDIO_OUTPUT_DEMAND_ONLY | FLZ_AUDIO_OUTPUT_FALLBACK);
  assert_int_equal(flz_audio_output_start(&out), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_audio_output_pull(&out, 256), FLZ_ERR_ARGUMENT);
  flz_audio_output_stop(&out);
  flz_audio_output_close(&out);
  assert_int_equal(atomic_load(&r.calls), 0);
}

/* (b) With no backend named, sdl is chosen. SDL's disk driver writes each
 * period to a file: silent periods while paused, then render's periods
 * after start. After stop no render call runs; after close the file holds
 * whole silent periods, exactly the frames render produced, then silence. */
static void sdl_disk_driver_plays_exactly_what_render_wrote(void **state)
{
  static recorder r;
  static float played[48000 * 2 * 4];
  char path[256];
  flz_audio_output out;
  flz_audio_output_config config = config_for(&r, NULL);
  unsigned calls, i;
  size_t n, first = 0;
  FILE *file;
  (void)state;

  temp_path(path, sizeof path, "disk.raw");
  setenv("SDL_AUDIODRIVER", "disk", 1);
  setenv("SDL_DISKAUDIOFILE", path, 1);
  assert_int_equal(flz_audio_output_open(&out, NULL, &config), FLZ_OK);
  assert_string_equal(out.info.backend, "sdl");
  assert_string_equal(out.info.driver, "disk");
  assert_string_equal(out.info.device, "default");
  assert_int_equal(out.info.rate, 48000);
  assert_int_equal(out.info.period, 256);
  assert_int_equal(out.info.channels, 2);
  /* (e) SDL pulls by itself. */
  assert_int_equal(flz_audio_output_pull(&out, 256), FLZ_ERR_ARGUMENT);

  assert_int_equal(flz_audio_output_start(&out), FLZ_OK);
  sleep_ms(200);
  flz_audio_output_stop(&out);
  calls = atomic_load(&r.calls);
  sleep_ms(30);
  assert_int_equal(atomic_load(&r.calls), calls);
  flz_audio_output_close(&out);

  assert_true(calls > 0);
  assert_int_equal(r.channels_seen, 2);
  for (i = 0; i < calls && i < MAX_CALLS; i++) {
    assert_int_equal(r.frames[i], 256);
  }
  file = fopen(path, "rb");
  assert_non_null(file);
  n = fread(played, sizeof played[0], sizeof played / sizeof played[0], file);
  fclose(file);
  assert_true(n < sizeof played / sizeof played[0]);
  while (first < n && played[first] == 0.0f) {
    first++;
  }
  assert_int_equal(first % (256 * 2), 0);
  assert_true(n - first >= r.total_frames * 2);
  for (i = 0; i < r.total_frames * 2; i++) {
    assert_true(played[first + i] == (float)(i + 1));
  }
  for (i = (unsigned)(first + r.total_frames * 2); i < n; i++) {
    assert_true(played[i] == 0.0f);
  }
  unlink(path);
}

/* flz_audio_output_use_sdl_disk chooses the disk driver over whatever
 * SDL_AUDIODRIVER said, and the frames played go to its file: the first
 * value render wrote (1.0) is in it. */
static void use_sdl_disk_plays_into_the_file_it_names(void **state)
{
  static recorder r;
  static float played[48000 * 2];
  char path[256];
  flz_audio_output out;
  flz_audio_output_config config = config_for(&r, NULL);
  size_t n, i;
  FILE *file;
  (void)state;

  temp_path(path, sizeof path, "use-disk.raw");
  setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
  assert_int_equal(flz_audio_output_use_sdl_disk(path), FLZ_OK);
  assert_int_equal(flz_audio_output_open(&out, NULL, &config), FLZ_OK);
  assert_string_equal(out.info.backend, "sdl");
  assert_string_equal(out.info.driver, "disk");
  assert_int_equal(flz_audio_output_start(&out), FLZ_OK);
  sleep_ms(100);
  flz_audio_output_close(&out);

  assert_true(atomic_load(&r.calls) > 0);
  file = fopen(path, "rb");
  assert_non_null(file);
  n = fread(played, sizeof played[0], sizeof played / sizeof played[0], file);
  fclose(file);
  for (i = 0; i < n && played[i] != 1.0f; i++) {
  }
  assert_true(i < n);
  unlink(path);
}

static void count_device(void *user, const char *driver, const char *name)
{
  int *count = user;
  assert_string_equal(driver, "disk");
  assert_non_null(name);
  (*count)++;
}

static void sdl_lists_the_disk_drivers_one_device(void **state)
{
  int count = 0;
  (void)state;

  setenv("SDL_AUDIODRIVER", "disk", 1);
  assert_int_equal(flz_audio_output_list_devices(count_device, &count), 1);
  assert_int_equal(count, 1);
  assert_int_equal(SDL_WasInit(SDL_INIT_AUDIO), 0);
}

/* (c) SDL's dummy driver has only its default device. */
static void sdl_named_device_that_cannot_open_is_an_audio_device_error(void **state)
{
  static recorder r;
  flz_audio_output out;
  flz_audio_output_config config = config_for(&r, "no such device");
  (void)state;

  setenv("SDL_AUDIODRIVER", "dummy", 1);
  assert_int_equal(flz_audio_output_open(&out, "sdl", &config), FLZ_ERR_AUDIO_DEVICE);
  assert_string_not_equal(out.detail, "");
  assert_int_equal(SDL_WasInit(SDL_INIT_AUDIO), 0);
}

/* An audio driver SDL does not have: no device at all, SDL's reason kept. */
static void sdl_without_a_driver_is_no_audio_device(void **state)
{
  static recorder r;
  flz_audio_output out;
  flz_audio_output_config config = config_for(&r, NULL);
  (void)state;

  setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
  assert_int_equal(flz_audio_output_open(&out, NULL, &config), FLZ_ERR_NO_AUDIO_DEVICE);
  assert_non_null(strstr(out.detail, "no-such-driver"));
  assert_int_equal(out.flags, FLZ_AUDIO_OUTPUT_HAS_DEVICES);
  assert_int_equal(flz_audio_output_list_devices(count_device, NULL), FLZ_ERR_NO_AUDIO_DEVICE);
}

/* What a machine with no sound card looks like, made the same on every
 * machine: ALSA with an empty configuration lists no device and cannot open
 * "default" (and if ALSA is not there at all, SDL has no driver). */
static void sdl_with_no_device_listed_is_no_audio_device(void **state)
{
  static recorder r;
  char path[256];
  flz_audio_output out;
  flz_audio_output_config config = config_for(&r, NULL);
  FILE *empty;
  (void)state;

  temp_path(path, sizeof path, "empty-alsa.conf");
  empty = fopen(path, "w");
  assert_non_null(empty);
  fclose(empty);
  setenv("SDL_AUDIODRIVER", "alsa", 1);
  setenv("ALSA_CONFIG_PATH", path, 1);
  assert_int_equal(flz_audio_output_open(&out, NULL, &config), FLZ_ERR_NO_AUDIO_DEVICE);
  assert_string_not_equal(out.detail, "");
  assert_int_equal(SDL_WasInit(SDL_INIT_AUDIO), 0);
  unlink(path);
}

static int make_folder(void **state)
{
  (void)state;
  return mkdtemp(folder) ? 0 : -1;
}

static int remove_folder(void **state)
{
  char path[256];
  (void)state;
  temp_path(path, sizeof path, "pull.wav");
  unlink(path);
  temp_path(path, sizeof path, "realtime.wav");
  unlink(path);
  return rmdir(folder);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(wav_pull_renders_in_periods_at_simulated_times),
    cmocka_unit_test(wav_realtime_renders_about_as_many_frames_as_time_passes),
    cmocka_unit_test(wav_open_needs_a_render_function_and_a_writable_path),
    cmocka_unit_test(backends_are_found_by_their_flags),
    cmocka_unit_test(an_output_that_is_not_open_does_nothing),
    cmocka_unit_test(sdl_disk_driver_plays_exactly_what_render_wrote),
    cmocka_unit_test(use_sdl_disk_plays_into_the_file_it_names),
    cmocka_unit_test(sdl_lists_the_disk_drivers_one_device),
    cmocka_unit_test(sdl_named_device_that_cannot_open_is_an_audio_device_error),
    cmocka_unit_test(sdl_without_a_driver_is_no_audio_device),
    cmocka_unit_test(sdl_with_no_device_listed_is_no_audio_device),
  };
  return cmocka_run_group_tests(tests, make_folder, remove_folder);
}
