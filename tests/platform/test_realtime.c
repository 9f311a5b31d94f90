/* tests/platform/test_realtime.c: the audio thread never allocates, locks,
 * sleeps or prints. This program defines malloc, calloc, realloc, free,
 * posix_memalign, aligned_alloc, pthread_mutex_lock, pthread_mutex_trylock,
 * pthread_cond_wait, nanosleep, clock_nanosleep, usleep, sched_yield, write,
 * printf, fprintf, puts, fputs and fwrite itself, so every call of them in
 * the process comes here first; each counts a violation when the calling
 * thread is inside the audio path, and otherwise forwards to the C library.
 * The audio path runs on the real audio thread of the wav backend (its
 * real-time thread): the render callback marks the thread, renders through
 * the engine exactly as platform/sampler.c's callback does, and unmarks it,
 * while the control thread sends commands of every type, with and without
 * times, fills the event ring, steals voices and replaces playing samples.
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
#include "platform/audio_output.h"
#include "platform/clock.h"

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

static flz_engine engine;
static atomic_uint periods;

/* The audio callback: the same call platform/sampler.c makes, marked. */
static void render(void *user, float *out, uint32_t frames, uint32_t channels, uint64_t time_ns)
{
  (void)user;
  in_audio_path = 1;
  flz_engine_render(&engine, out, frames, channels, time_ns);
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

static void send(flz_command command)
{
  while (flz_engine_send(&engine, FLZ_PRODUCER_CONTROL, &command) == FLZ_ERR_RING_FULL)
    flz_clock_sleep_until_ns(flz_clock_now_ns() + 1000000);
}

static void load(uint32_t slot, const float *data, uint32_t channels, uint32_t region)
{
  flz_command command = {.type = FLZ_COMMAND_LOAD_SAMPLE, .slot = slot};
  command.sample = (flz_sample){
    .data = data, .frame_count = SAMPLE_FRAMES, .channels = channels, .region = region};
  send(command);
}

static void wait_ms(uint64_t ms)
{
  flz_clock_sleep_until_ns(flz_clock_now_ns() + ms * 1000000ull);
}

static void the_audio_thread_never_allocates_locks_sleeps_or_prints(void **state)
{
  (void)state;
  for (uint32_t i = 0; i < SAMPLE_FRAMES; i++) {
    sine[i] = 0.5f * (float)((i % 96) < 48 ? 1 : -1);
    stereo[2 * i] = sine[i];
    stereo[2 * i + 1] = -sine[i];
  }
  assert_int_equal(flz_engine_init(&engine, NULL), FLZ_OK);
  char path[] = "/tmp/flitz-realtime-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  flz_audio_output output;
  /* the engine runs at its default rate: the output matches it */
  flz_audio_output_config config = {.device = path,
                                    .rate = FLZ_DEFAULT_RATE,
                                    .period = 64,
                                    .channels = 2,
                                    .realtime = 1,
                                    .render = render};
  assert_int_equal(flz_audio_output_open(&output, "wav", &config), FLZ_OK);
  assert_int_equal(flz_audio_output_start(&output), FLZ_OK);

  /* Every command type, timed and untimed, while the thread renders. */
  load(0, sine, 1, 1);
  load(1, stereo, 2, 2);
  send((flz_command){.type = FLZ_COMMAND_PING, .value = 7.0f});
  send((flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 0, .value = 1.0f});
  send((flz_command){
    .type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 1, .value = 0.5f, .time_ns = flz_clock_now_ns()});
  send((flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 1, .value = 0.5f, .offset = 500});
  send((flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 9, .value = 1.0f}); /* empty */
  wait_ms(50);
  send((flz_command){.type = FLZ_COMMAND_SET_VOLUME, .value = -6.0f});
  send((flz_command){.type = FLZ_COMMAND_SET_SPEED, .value = 1.5f});
  wait_ms(50);
  /* More triggers than voices: steals, tails; and no one reads the events,
   * so the event ring fills and refuses. */
  for (uint32_t i = 0; i < 3 * FLZ_VOICES; i++)
    send((flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE,
                       .slot = i % 2,
                       .value = 0.8f,
                       .time_ns = flz_clock_now_ns()});
  for (uint32_t i = 0; i < FLZ_RING_CAPACITY; i++)
    send((flz_command){.type = FLZ_COMMAND_PING, .value = (float)i});
  wait_ms(100);
  load(0, stereo, 2, 3); /* replace while playing: fade, retire */
  send((flz_command){.type = FLZ_COMMAND_STOP_SLOT, .slot = 1});
  send((flz_command){.type = FLZ_COMMAND_PAUSE});
  wait_ms(50);
  send((flz_command){.type = FLZ_COMMAND_RESUME});
  send((flz_command){.type = FLZ_COMMAND_SET_SPEED, .value = 1.0f});
  wait_ms(50);
  send((flz_command){.type = FLZ_COMMAND_UNLOAD_SAMPLE, .slot = 1});
  send((flz_command){.type = FLZ_COMMAND_STOP});
  wait_ms(100);

  flz_audio_output_stop(&output);
  flz_audio_output_close(&output);
  remove(path);

  const char *what = atomic_load(&first_violation);
  if (what != NULL)
    fail_msg("the audio thread called %s (%u calls in all)", what, atomic_load(&violations));
  /* It did run: periods, events of every kind, a full event ring. */
  assert_true(atomic_load(&periods) > 100);
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  assert_true(counters.voices_stolen > 0);
  assert_true(counters.events_dropped > 0);
  uint32_t pongs = 0, retired = 0, paused = 0;
  flz_event event;
  while (flz_engine_receive(&engine, &event)) {
    pongs += event.type == FLZ_EVENT_PONG;
    retired += event.type == FLZ_EVENT_SLOT_RETIRED;
    paused += event.type == FLZ_EVENT_PAUSED;
  }
  assert_true(pongs + retired + paused > 0);
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
    cmocka_unit_test(the_audio_thread_never_allocates_locks_sleeps_or_prints),
  };
#endif
  return cmocka_run_group_tests(tests, NULL, NULL);
}
