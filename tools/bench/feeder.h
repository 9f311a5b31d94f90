/* tools/bench/feeder.h: what the benchmarks that run the whole app in this
 * process share (tools/bench/latency.c, clock.c, soak.c): a feeder thread
 * that writes MIDI bytes into the app's --midi-in FIFO once the kit has
 * loaded and settled, the app run with its stdout silenced, and the mono
 * click files their kits play.
 * Owns: the feeder's thread. Everything runs on the control thread except a
 * feeder's feed function, which runs on the feeder thread.
 */
#ifndef FLZ_TOOLS_BENCH_FEEDER_H
#define FLZ_TOOLS_BENCH_FEEDER_H

#include <stdatomic.h>
#include <stdint.h>

#include "app/run.h"
#include "platform/thread.h"

/* Feeder thread: writes MIDI bytes to `fd`, the FIFO opened for blocking
 * writes. Returns 0, or the errno of the write that failed. */
typedef int (*flz_bench_feed_fn)(void *user, int fd);

typedef struct flz_bench_feeder {
  /* Set before the run: */
  char fifo[96];          /* the FIFO the app reads (--midi-in) */
  flz_bench_feed_fn feed; /* what the feeder thread writes */
  void *user;             /* the feed's argument */
  uint32_t pads;          /* the feed starts once this many pads are loaded */
  uint64_t settle_ns;     /* ... and this long after that */
  uint64_t linger_ns;     /* the app quits this long after the feed returned */
  uint64_t give_up_ns;    /* ... or at this flz_clock_now_ns() time at the latest */
  int realtime;           /* 1: the feed runs at SCHED_FIFO where the system allows it,
                             as an external device's timing does not suffer the
                             machine's load (else, or refused, as any thread) */
  /* Kept by the feeder: */
  int failed; /* errno of the FIFO's open or of the feed; read after the run */
  _Atomic int done;
  flz_thread thread;
  int started;
  uint64_t loaded_ns, done_ns;
} flz_bench_feeder;

/* Called from a run hook's tick (flz_run_hooks.tick): starts the feeder
 * thread when the kit is loaded and settled, sets state->quit once the feed
 * is done and has lingered, or at give_up_ns, or if the thread cannot start
 * (failed = EAGAIN). Returns 1 in the tick that started the feed, else 0. */
int flz_bench_feeder_tick(flz_bench_feeder *feeder, flz_run_state *state);

/* Runs the app (flz_run) on `kit` (NULL: the default kit) with `options`
 * and `hooks`, with stdout sent to /dev/null for the run; then joins the
 * feeder thread if `feeder` (may be NULL) started one. Returns flz_run's
 * exit code. */
int flz_bench_app_run(const char *kit, const flz_options *options, const flz_run_hooks *hooks,
                      flz_bench_feeder *feeder);

/* Writes `frames` mono frames of `samples` to `path` as a 32-bit float WAV
 * file at FLZ_DEFAULT_RATE. FLZ_OK or flz_wav_file's error. */
int flz_bench_write_mono_wav(const char *path, const float *samples, uint32_t frames);

#endif
