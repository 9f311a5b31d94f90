/* tests/platform/test_realtime.c: the audio thread never allocates, locks,
 * sleeps or prints. This program defines malloc, calloc, realloc, free,
 * posix_memalign, aligned_alloc, pthread_mutex_lock, pthread_mutex_trylock,
 * pthread_cond_wait, nanosleep, clock_nanosleep, usleep, sched_yield, write,
 * printf, fprintf, puts, fputs and fwrite itself, so every call of them in
 * the process comes here first; each counts a violation when the calling
 * thread is inside the audio path, and otherwise forwards to the C library.
 *
 * The audio path is the real one: the test runs the sampler itself
 * (flz_sampler_run, platform/sampler.c) on the sdl backend (SDL's dummy
 * driver, SDL_AUDIODRIVER set by tests/platform/CMakeLists.txt) and on the
 * wav backend in real time. It links a build of platform/ with
 * FLZ_TEST_HOOKS defined, in which each backend's audio callback calls
 * flz_audio_test_enter first and flz_audio_test_leave last
 * (platform/audio/backend.h); they mark the thread. So a call added anywhere
 * between (the backend's callback, the sampler's render callback, the
 * engine) fails the test. Meanwhile the control thread loads and replaces
 * samples and sends commands of every type, with and without times,
 * resamples (the recordings written and published by the audio thread into
 * pool memory the control thread reserved), fills the event ring and steals
 * voices.
 * The sanitizer presets replace malloc themselves, so there the test skips. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define FLZ_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define FLZ_SANITIZED 1
#endif
#endif

#if !defined(FLZ_SANITIZED)
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/result.h"
#include "platform/clock.h"
#include "platform/resampler.h"
#include "platform/sampler.h"

/* volatile: GCC assumes malloc reads no program variable, and would drop a
 * store of the flag around a malloc call as dead otherwise. */
static _Thread_local volatile int in_audio_path;
static atomic_uint violations;
static _Atomic(const char *) first_violation;

static void violation(const char *what)
{
  if (!in_audio_path)
    return;
  const char *none = NULL;
  atomic_compare_exchange_strong(&first_violation, &none, what);
  atomic_fetch_add(&violations, 1);
}

/* glibc's own entry points behind malloc and friends. */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *memory, size_t size);
extern void __libc_free(void *memory);
extern void *__libc_memalign(size_t alignment, size_t size);

void *malloc(size_t size)
{
  violation("malloc");
  return __libc_malloc(size);
}

void *calloc(size_t count, size_t size)
{
  violation("calloc");
  return __libc_calloc(count, size);
}

void *realloc(void *memory, size_t size)
{
  violation("realloc");
  return __libc_realloc(memory, size);
}

void free(void *memory)
{
  violation("free");
  __libc_free(memory);
}

int posix_memalign(void **memory, size_t alignment, size_t size)
{
  violation("posix_memalign");
  *memory = __libc_memalign(alignment, size);
  return *memory == NULL ? 12 : 0;
}

void *aligned_alloc(size_t alignment, size_t size)
{
  violation("aligned_alloc");
  return __libc_memalign(alignment, size);
}

/* Sets `fn` to the next definition of `name` after this program's (the C
 * library's); POSIX allows the object-to-function pointer copy. */
#define FLZ_NEXT(fn, name)                                                                         \
  do {                                                                                             \
    void *symbol = dlsym(RTLD_NEXT, (name));                                                       \
    memcpy(&(fn), &symbol, sizeof(fn));                                                            \
  } while (0)

int pthread_mutex_lock(pthread_mutex_t *mutex)
{
  violation("pthread_mutex_lock");
  int (*next)(pthread_mutex_t *);
  FLZ_NEXT(next, "pthread_mutex_lock");
  return next(mutex);
}

int pthread_mutex_trylock(pthread_mutex_t *mutex)
{
  violation("pthread_mutex_trylock");
  int (*next)(pthread_mutex_t *);
  FLZ_NEXT(next, "pthread_mutex_trylock");
  return next(mutex);
}

int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
  violation("pthread_cond_wait");
  int (*next)(pthread_cond_t *, pthread_mutex_t *);
  FLZ_NEXT(next, "pthread_cond_wait");
  return next(cond, mutex);
}

int nanosleep(const struct timespec *duration, struct timespec *left)
{
  violation("nanosleep");
  int (*next)(const struct timespec *, struct timespec *);
  FLZ_NEXT(next, "nanosleep");
  return next(duration, left);
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec *t, struct timespec *left)
{
  violation("clock_nanosleep");
  int (*next)(clockid_t, int, const struct timespec *, struct timespec *);
  FLZ_NEXT(next, "clock_nanosleep");
  return next(clock, flags, t, left);
}

int usleep(useconds_t microseconds)
{
  violation("usleep");
  int (*next)(useconds_t);
  FLZ_NEXT(next, "usleep");
  return next(microseconds);
}

int sched_yield(void)
{
  violation("sched_yield");
  int (*next)(void);
  FLZ_NEXT(next, "sched_yield");
  return next();
}

ssize_t write(int fd, const void *data, size_t size)
{
  violation("write");
  ssize_t (*next)(int, const void *, size_t);
  FLZ_NEXT(next, "write");
  return next(fd, data, size);
}

int printf(const char *format, ...)
{
  violation("printf");
  va_list args;
  va_start(args, format);
  int n = vprintf(format, args);
  va_end(args);
  return n;
}

int fprintf(FILE *file, const char *format, ...)
{
  violation("fprintf");
  va_list args;
  va_start(args, format);
  int n = vfprintf(file, format, args);
  va_end(args);
  return n;
}

int puts(const char *text)
{
  violation("puts");
  int (*next)(const char *);
  FLZ_NEXT(next, "puts");
  return next(text);
}

int fputs(const char *text, FILE *file)
{
  violation("fputs");
  int (*next)(const char *, FILE *);
  FLZ_NEXT(next, "fputs");
  return next(text, file);
}

size_t fwrite(const void *data, size_t size, size_t count, FILE *file)
{
  violation("fwrite");
  size_t (*next)(const void *, size_t, size_t, FILE *);
  FLZ_NEXT(next, "fwrite");
  return next(data, size, count, file);
}

static atomic_uint periods;

/* Called by the backends' audio callbacks (FLZ_TEST_HOOKS). */
void flz_audio_test_enter(void)
{
  in_audio_path = 1;
}

void flz_audio_test_leave(void)
{
  in_audio_path = 0;
  atomic_fetch_add(&periods, 1);
}

static void the_interposer_catches_a_call_from_a_marked_thread(void **state)
{
  (void)state;
  in_audio_path = 1;
  /* volatile: the compiler may not drop a malloc/free pair it can see */
  void *volatile memory = malloc(16);
  in_audio_path = 0;
  free(memory);
  assert_int_equal(atomic_load(&violations), 1);
  assert_string_equal(atomic_load(&first_violation), "malloc");
  atomic_store(&violations, 0);
  atomic_store(&first_violation, NULL);
}

#define SAMPLE_FRAMES 24000u
static float sine[SAMPLE_FRAMES];
static float stereo[SAMPLE_FRAMES * 2];

static void send(flz_sampler *sampler, flz_command command)
{
  while (flz_sampler_command(sampler, &command) == FLZ_ERR_RING_FULL)
    flz_clock_sleep_until_ns(flz_clock_now_ns() + 1000000);
}

static void load(flz_sampler *sampler, uint32_t slot, const float *data, uint32_t channels)
{
  int result;
  while ((result = flz_sampler_load_frames(sampler, slot, data, SAMPLE_FRAMES, channels)) ==
         FLZ_ERR_RING_FULL)
    flz_clock_sleep_until_ns(flz_clock_now_ns() + 1000000);
  assert_int_equal(result, FLZ_OK);
}

static void wait_ms(uint64_t ms)
{
  flz_clock_sleep_until_ns(flz_clock_now_ns() + ms * 1000000ull);
}

/* Runs the sampler on `backend` while the control thread exercises every
 * command; returns with the sampler shut down. */
static void play_everything(const char *backend, const char *device)
{
  for (uint32_t i = 0; i < SAMPLE_FRAMES; i++) {
    sine[i] = 0.5f * (float)((i % 96) < 48 ? 1 : -1);
    stereo[2 * i] = sine[i];
    stereo[2 * i + 1] = -sine[i];
  }
  atomic_store(&periods, 0);
  atomic_store(&violations, 0);
  atomic_store(&first_violation, NULL);
  flz_sampler *sampler = flz_sampler_instance();
  flz_sampler_config config;
  flz_sampler_config_init(&config);
  config.backend = backend;
  config.device = device;
  config.period = 64;
  config.realtime = 1;
  assert_int_equal(flz_sampler_run(sampler, &config), FLZ_OK);

  load(sampler, 0, sine, 1);
  load(sampler, 1, stereo, 2);
  flz_slot_params loop = {.mode = FLZ_MODE_LOOP, .gain = 0.5f, .pan = -0.5f, .bpm = 120.0f};
  send(sampler, (flz_command){.type = FLZ_COMMAND_SET_SLOT, .slot = 1, .params = loop});
  send(sampler, (flz_command){.type = FLZ_COMMAND_SET_TEMPO, .value = 120.0f});
  send(sampler, (flz_command){.type = FLZ_COMMAND_SET_QUANTIZE, .offset = 1});
  send(sampler, (flz_command){.type = FLZ_COMMAND_SET_MULTI_LOOP, .offset = 1});
  assert_int_equal(flz_sampler_ping(sampler, 7.0f), FLZ_OK);
  assert_int_equal(flz_sampler_play_sample(sampler, 0, 1.0f, 0), FLZ_OK);
  assert_int_equal(flz_sampler_play_sample(sampler, 1, 0.5f, flz_clock_now_ns()), FLZ_OK);
  send(sampler,
       (flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 1, .value = 0.5f, .offset = 500});
  assert_int_equal(flz_sampler_play_sample(sampler, 9, 1.0f, 0), FLZ_OK); /* empty */
  /* A multi-sample pad: two velocity layers with an envelope, a round robin,
   * a release region, a choke group and a polyphony limit. */
  for (uint32_t r = 0; r < 4; r++) {
    flz_command region = {.type = FLZ_COMMAND_SET_REGION, .slot = r};
    flz_engine_region_default(&region.region, r % 2);
    region.region.hivel = r == 0 ? 63 : 127;
    region.region.lovel = r == 0 ? 1 : 64;
    region.region.seq_position = r == 2 ? 1 : 0;
    region.region.trigger = r == 3 ? FLZ_TRIGGER_RELEASE : FLZ_TRIGGER_ATTACK;
    region.region.attack_ms = 2.0f;
    region.region.decay_ms = 5.0f;
    region.region.sustain = 0.5f;
    region.region.release_ms = 20.0f;
    region.region.off_mode = FLZ_OFF_NORMAL;
    send(sampler, region);
  }
  flz_pad_params pad = {.count = 4, .seq_length = 2, .polyphony = 2, .group = 1, .off_by = 1};
  send(sampler, (flz_command){.type = FLZ_COMMAND_SET_PAD, .slot = 0, .pad = pad});
  send(sampler, (flz_command){.type = FLZ_COMMAND_SET_SEED, .offset = 5});
  for (uint32_t i = 0; i < 4; i++) {
    send(sampler,
         (flz_command){
           .type = FLZ_COMMAND_PLAY_PAD, .slot = 0, .value = 0.3f * (float)i, .offset = 60 + i});
    send(sampler, (flz_command){.type = FLZ_COMMAND_RELEASE_PAD, .slot = 0, .offset = 60});
  }
  /* Resampling: the master output for a 32nd of a bar (62.5 ms at 120
   * BPM), then slot 1's voices until stopped, then pad 0's, the one ending
   * the other; each recording is published from the audio thread. */
  char why[160];
  assert_int_equal(flz_resampler_start(sampler, 20, FLZ_RESAMPLE_MASTER, 0, 0.03125f, 120.0,
                                       flz_clock_now_ns(), why, sizeof why),
                   FLZ_OK);
  wait_ms(100);
  assert_int_equal(
    flz_resampler_start(sampler, 21, FLZ_RESAMPLE_SLOT, 1, 0.0f, 120.0, 0, why, sizeof why),
    FLZ_OK);
  wait_ms(20);
  assert_int_equal(
    flz_resampler_start(sampler, 22, FLZ_RESAMPLE_PAD, 0, 0.0f, 120.0, 0, why, sizeof why), FLZ_OK);
  wait_ms(20);
  assert_int_equal(flz_resampler_stop(sampler, flz_clock_now_ns()), FLZ_OK);
  wait_ms(30);
  uint32_t resampled = 0;
  flz_event early;
  while (flz_sampler_receive_msg(sampler, &early))
    resampled += early.type == FLZ_EVENT_RESAMPLED && early.voice > 0;
  assert_int_equal(resampled, 3);
  wait_ms(50);
  /* The pattern recorder: record, play back (at 999 BPM a bar is 0.24 s),
   * overdub, undo, chain, copy, load, clear, with the metronome on. */
  static flz_pattern_event exchange[FLZ_PATTERN_EVENTS];
  send(sampler, (flz_command){.type = FLZ_COMMAND_SET_TEMPO, .value = 999.0f});
  send(sampler, (flz_command){.type = FLZ_COMMAND_METRONOME, .value = 0.25f});
  send(sampler, (flz_command){.type = FLZ_COMMAND_RECORD_QUANTIZE, .offset = 1, .value = 0.6f});
  send(sampler, (flz_command){.type = FLZ_COMMAND_PATTERN, .slot = 1, .offset = 1});
  send(sampler, (flz_command){.type = FLZ_COMMAND_RECORD, .offset = FLZ_RECORD_ON});
  for (uint32_t i = 0; i < 4; i++) {
    send(sampler, (flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = i % 2, .value = 0.7f});
    send(sampler,
         (flz_command){.type = FLZ_COMMAND_PLAY_PAD, .slot = 0, .value = 0.5f, .offset = 61});
    wait_ms(20);
  }
  send(sampler, (flz_command){.type = FLZ_COMMAND_RECORD, .offset = FLZ_RECORD_OFF});
  wait_ms(300);
  send(sampler, (flz_command){.type = FLZ_COMMAND_RECORD, .offset = FLZ_RECORD_OVERDUB});
  send(sampler, (flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 0, .value = 0.9f});
  wait_ms(50);
  send(sampler, (flz_command){.type = FLZ_COMMAND_RECORD, .offset = FLZ_RECORD_UNDO});
  send(sampler, (flz_command){.type = FLZ_COMMAND_RECORD, .offset = FLZ_RECORD_OFF});
  send(sampler, (flz_command){.type = FLZ_COMMAND_PATTERN_COPY,
                              .slot = 1,
                              .offset = FLZ_PATTERN_EVENTS,
                              .events = exchange});
  wait_ms(50);
  uint32_t copied = UINT32_MAX;
  flz_event seen;
  while (flz_sampler_receive_msg(sampler, &seen))
    if (seen.type == FLZ_EVENT_PATTERN_COPIED)
      copied = seen.voice;
  assert_int_equal(copied, 8); /* 8 hits recorded, the overdub's undone */
  send(
    sampler,
    (flz_command){
      .type = FLZ_COMMAND_PATTERN_LOAD, .slot = 2, .offset = 4, .value = 2.0f, .events = exchange});
  send(sampler, (flz_command){.type = FLZ_COMMAND_PATTERN_CHAIN, .offset = 2, .chain = {1, 2}});
  /* No press was sent: the patterns play these. Up to 10 s of wall time
   * for 0.6 s of audio: under qemu-user the audio runs behind the clock. */
  uint32_t played = 0, loaded = 0;
  for (uint64_t until = flz_clock_now_ns() + 10000000000ull;
       (played < 8 || loaded == 0) && flz_clock_now_ns() < until;) {
    wait_ms(50);
    while (flz_sampler_receive_msg(sampler, &seen)) {
      played += seen.type == FLZ_EVENT_VOICE_STARTED;
      loaded += seen.type == FLZ_EVENT_PATTERN_LOADED;
    }
  }
  assert_int_equal(loaded, 1);
  assert_true(played >= 8);
  send(sampler, (flz_command){.type = FLZ_COMMAND_RECORD, .offset = FLZ_RECORD_CLEAR});
  send(sampler, (flz_command){.type = FLZ_COMMAND_PATTERN, .slot = FLZ_PATTERNS});
  send(sampler, (flz_command){.type = FLZ_COMMAND_METRONOME, .value = 0.0f});
  send(sampler, (flz_command){.type = FLZ_COMMAND_SET_TEMPO, .value = 120.0f});
  wait_ms(50);
  assert_int_equal(flz_sampler_set_volume(sampler, -6.0f), FLZ_OK);
  send(sampler, (flz_command){.type = FLZ_COMMAND_SET_SPEED, .value = 1.5f});
  wait_ms(50);
  /* More triggers than voices: steals, tails; and no one reads the events,
   * so the event ring fills and refuses. */
  for (uint32_t i = 0; i < 3 * FLZ_VOICES; i++)
    send(sampler, (flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE,
                                .slot = i % 2,
                                .value = 0.8f,
                                .time_ns = flz_clock_now_ns()});
  for (uint32_t i = 0; i < FLZ_RING_CAPACITY; i++)
    send(sampler, (flz_command){.type = FLZ_COMMAND_PING, .value = (float)i});
  wait_ms(100);
  load(sampler, 0, stereo, 2); /* replace while playing: fade, retire */
  send(sampler, (flz_command){.type = FLZ_COMMAND_RELEASE_SLOT, .slot = 1});
  assert_int_equal(flz_sampler_stop_sample(sampler, 1), FLZ_OK);
  send(sampler, (flz_command){.type = FLZ_COMMAND_PAUSE});
  wait_ms(50);
  send(sampler, (flz_command){.type = FLZ_COMMAND_RESUME});
  send(sampler, (flz_command){.type = FLZ_COMMAND_SET_SPEED, .value = 1.0f});
  wait_ms(50);
  assert_int_equal(flz_sampler_unload_sample(sampler, 1), FLZ_OK);
  assert_int_equal(flz_sampler_stop_all(sampler), FLZ_OK);
  wait_ms(100);

  /* It did run: periods through the marked callback, voices stolen, a full
   * event ring. */
  flz_engine_counters counters;
  flz_sampler_counters(sampler, &counters);
  uint32_t pongs = 0, retired = 0, paused = 0;
  flz_event event;
  while (flz_sampler_receive_msg(sampler, &event)) {
    pongs += event.type == FLZ_EVENT_PONG;
    retired += event.type == FLZ_EVENT_SLOT_RETIRED;
    paused += event.type == FLZ_EVENT_PAUSED;
  }
  flz_sampler_shut_down(sampler);

  const char *what = atomic_load(&first_violation);
  if (what != NULL)
    fail_msg("%s: the audio thread called %s (%u calls in all)", backend, what,
             atomic_load(&violations));
  assert_true(atomic_load(&periods) > 100);
  assert_true(counters.voices_stolen > 0);
  assert_true(counters.events_dropped > 0);
  assert_true(pongs + retired + paused > 0);
}

static void the_sdl_audio_thread_never_allocates_locks_sleeps_or_prints(void **state)
{
  (void)state;
  play_everything("sdl", NULL);
  assert_string_equal(flz_sampler_output_info(flz_sampler_instance())->driver, "dummy");
}

static void the_wav_audio_thread_never_allocates_locks_sleeps_or_prints(void **state)
{
  (void)state;
  char path[] = "/tmp/flitz-realtime-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  play_everything("wav", path);
  remove(path);
}
#endif

static void skip_under_sanitizers(void **state)
{
  (void)state;
  skip();
}

int main(void)
{
#if defined(FLZ_SANITIZED)
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(skip_under_sanitizers),
  };
#else
  (void)skip_under_sanitizers;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_interposer_catches_a_call_from_a_marked_thread),
    cmocka_unit_test(the_sdl_audio_thread_never_allocates_locks_sleeps_or_prints),
    cmocka_unit_test(the_wav_audio_thread_never_allocates_locks_sleeps_or_prints),
  };
#endif
  return cmocka_run_group_tests(tests, NULL, NULL);
}
