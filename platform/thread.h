/* platform/thread.h: start a thread and wait for it to end, for code that
 * must not include pthread.h (tools/bench/: the jitter bench's sender, the
 * latency bench's MIDI writer).
 *
 * Owns: the one pthread behind each flz_thread. Must not touch: the audio
 * thread, which the audio output starts (platform/audio_output.h), nor the
 * threads other platform modules run themselves (loader, MIDI input, the wav
 * backend's real-time thread). No function here is safe in the audio
 * callback: starting and joining allocate and block.
 */
#ifndef FLZ_PLATFORM_THREAD_H
#define FLZ_PLATFORM_THREAD_H

#include <stdint.h>

/* What a thread runs; the thread ends when it returns. */
typedef void (*flz_thread_fn)(void *user);

/* A thread, in caller memory, which must stay in place from
 * flz_thread_start to flz_thread_join. Its fields are platform/thread.c's. */
typedef struct flz_thread {
  flz_thread_fn fn;
  void *user;
  uint64_t handle; /* the pthread_t, copied in */
} flz_thread;

/* Starts a thread that runs fn(user), with the default attributes (stack
 * size, scheduling) and the caller's signal mask. Returns FLZ_OK, or
 * FLZ_ERR_NO_MEMORY if the system cannot make another thread (then nothing
 * was started and `thread` needs no join). Any thread but the audio
 * callback. */
int flz_thread_start(flz_thread *thread, flz_thread_fn fn, void *user);

/* Blocks until the thread `thread` started has returned from its function;
 * what it wrote before is then visible to the caller. Exactly once per
 * successful flz_thread_start, never from the thread itself. Any thread but
 * the audio callback. */
void flz_thread_join(flz_thread *thread);

/* Asks the system to run the calling thread first-in first-out at the
 * lowest real-time priority (SCHED_FIFO), for a thread that must keep time
 * under load (a bench's MIDI writer). Returns 1, or 0 when the system
 * refuses (no CAP_SYS_NICE or RLIMIT_RTPRIO); the thread then runs on as
 * before. Any thread but the audio callback. */
int flz_thread_set_realtime(void);

#endif
