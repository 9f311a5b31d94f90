/* tools/bench/onsets.h: what the timing benchmarks (tools/bench/jitter.c,
 * tools/bench/latency.c) share: finding onsets in rendered periods, and the
 * spread of deviations.
 * Owns: the onset record and the statistics. flz_bench_onsets_scan runs on
 * the audio thread and follows its rules; the rest runs on the control
 * thread. */
#ifndef FLZ_TOOLS_BENCH_ONSETS_H
#define FLZ_TOOLS_BENCH_ONSETS_H

#include <stdint.h>

/* Onsets (a nonzero frame after a zero frame) with the callback time of the
 * period they were rendered in and their frame offset in it. */
typedef struct flz_bench_onsets {
  uint64_t *period_ns; /* [capacity], audio thread */
  uint32_t *offset;    /* [capacity] */
  uint32_t capacity;
  uint32_t count;   /* onsets found, also beyond capacity */
  int last_nonzero; /* the last frame scanned was nonzero */
} flz_bench_onsets;

/* Allocates room for `capacity` onsets; FLZ_OK or FLZ_ERR_NO_MEMORY. */
int flz_bench_onsets_init(flz_bench_onsets *onsets, uint32_t capacity);

/* Frees what flz_bench_onsets_init allocated; also after a failed init. */
void flz_bench_onsets_deinit(flz_bench_onsets *onsets);

/* Audio thread: records the onsets in `frames` frames of `out` (interleaved,
 * `channels` per frame) rendered by the callback that began at
 * `period_time_ns`. No allocation, locks or system calls. */
void flz_bench_onsets_scan(flz_bench_onsets *onsets, const float *out, uint32_t frames,
                           uint32_t channels, uint64_t period_time_ns);

/* Onset `i`'s time, ns: its period's wall time plus its offset at `rate`
 * Hz (SDL's disk driver paces periods with sleeps, so the frame index alone
 * would carry the driver's wander). */
double flz_bench_onsets_time_ns(const flz_bench_onsets *onsets, uint32_t i, uint32_t rate);

/* Replaces the `n` (> 0) values of `d` (ns) by |d - center|, sorts them and
 * stores p50, p99 (nearest rank) and the maximum in `ms`, in ms. */
void flz_bench_onsets_spread(double *d, uint32_t n, double center, double ms[3]);

/* The median of the `n` (> 0) values of `d`, which it sorts. */
double flz_bench_onsets_median(double *d, uint32_t n);

#endif
