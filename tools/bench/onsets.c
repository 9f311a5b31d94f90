/* tools/bench/onsets.c: onsets and spreads for the timing benchmarks
 * (tools/bench/onsets.h). */
#include "tools/bench/onsets.h"

#include <math.h>
#include <stdlib.h>

#include "engine/result.h"

int flz_bench_onsets_init(flz_bench_onsets *onsets, uint32_t capacity)
{
  onsets->period_ns = calloc(capacity, sizeof *onsets->period_ns);
  onsets->offset = calloc(capacity, sizeof *onsets->offset);
  onsets->capacity = capacity;
  onsets->count = 0;
  onsets->last_nonzero = 0;
  if (onsets->period_ns == NULL || onsets->offset == NULL) {
    flz_bench_onsets_deinit(onsets);
    return FLZ_ERR_NO_MEMORY;
  }
  return FLZ_OK;
}

void flz_bench_onsets_deinit(flz_bench_onsets *onsets)
{
  free(onsets->period_ns);
  free(onsets->offset);
  onsets->period_ns = NULL;
  onsets->offset = NULL;
}

void flz_bench_onsets_scan(flz_bench_onsets *onsets, const float *out, uint32_t frames,
                           uint32_t channels, uint64_t period_time_ns)
{
  for (uint32_t i = 0; i < frames; i++) {
    int nonzero = 0;
    for (uint32_t c = 0; c < channels; c++)
      nonzero |= out[(size_t)i * channels + c] != 0.0f;
    if (nonzero && !onsets->last_nonzero) {
      if (onsets->count < onsets->capacity) {
        onsets->period_ns[onsets->count] = period_time_ns;
        onsets->offset[onsets->count] = i;
      }
      onsets->count++;
    }
    onsets->last_nonzero = nonzero;
  }
}

double flz_bench_onsets_time_ns(const flz_bench_onsets *onsets, uint32_t i, uint32_t rate)
{
  return (double)onsets->period_ns[i] + (double)onsets->offset[i] * 1e9 / (double)rate;
}

static int flz_bench_onsets_compare(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The value of nearest rank `p` (0..1] in `sorted` (n > 0 values). */
static double flz_bench_onsets_rank(const double *sorted, uint32_t n, double p)
{
  uint32_t rank = (uint32_t)ceil(p * n);
  return sorted[(rank > 0 ? rank : 1) - 1];
}

double flz_bench_onsets_median(double *d, uint32_t n)
{
  qsort(d, n, sizeof *d, flz_bench_onsets_compare);
  return n % 2 ? d[n / 2] : 0.5 * (d[n / 2 - 1] + d[n / 2]);
}

void flz_bench_onsets_spread(double *d, uint32_t n, double center, double ms[3])
{
  for (uint32_t i = 0; i < n; i++)
    d[i] = fabs(d[i] - center);
  qsort(d, n, sizeof *d, flz_bench_onsets_compare);
  ms[0] = flz_bench_onsets_rank(d, n, 0.50) * 1e-6;
  ms[1] = flz_bench_onsets_rank(d, n, 0.99) * 1e-6;
  ms[2] = d[n - 1] * 1e-6;
}
