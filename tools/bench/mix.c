/* tools/bench/mix.c: the mixer benchmark of tools/bench/mix.h.
 *
 * Owns: its samples (heap), its static engine and the figures. Must not
 * touch: SDL, devices, the sample pool, files other than `out`.
 */
#include "tools/bench/mix.h"

#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/limits.h"
#include "engine/result.h"
#include "platform/clock.h"

/* 10 MB of mono float: 10 x 2^20 bytes / 4 bytes a frame. */
#define FLZ_BENCH_MIX_SAMPLE_FRAMES 2621440u
/* The speeds measured: 1 copies frames, 1.5 interpolates. */
static const float flz_bench_mix_speeds[] = {1.0f, 1.5f};
#define FLZ_BENCH_MIX_SPEEDS (sizeof flz_bench_mix_speeds / sizeof flz_bench_mix_speeds[0])
#define FLZ_BENCH_MIX_SPEED_MAX 1.5

const char *const flz_bench_mix_interpolations[] = {"linear", "hermite", "sinc"};

/* About 0.4 MB: static, not on the stack. */
static flz_engine flz_bench_mix_engine;
/* One period of output as the app renders it, FLZ_PERIOD_MAX frames at most. */
static float flz_bench_mix_out[FLZ_PERIOD_MAX * FLZ_DEFAULT_CHANNELS];

void flz_bench_mix_config_init(flz_bench_mix_config *config)
{
  memset(config, 0, sizeof *config);
  config->seconds = 3.0;
  config->warmup_seconds = 1.0;
  config->rate = FLZ_DEFAULT_RATE;
  config->period = 64;
  config->samples = 64;
  config->sample_frames = FLZ_BENCH_MIX_SAMPLE_FRAMES;
  config->counts = 4;
  config->voices[0] = 1;
  config->voices[1] = 8;
  config->voices[2] = 32;
  config->voices[3] = 64;
  config->interpolation = FLZ_DEFAULT_INTERPOLATION;
}

/* Noise at -6 dBFS (uniform in -0.5..0.5) from a xorshift32 generator
 * (Marsaglia 2003): cheap, and not something a compiler or a cache can
 * shortcut. Writing every frame touches every page before timing. */
static void flz_bench_mix_fill(float *data, uint32_t frames, uint32_t *state)
{
  uint32_t x = *state;
  for (uint32_t i = 0; i < frames; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    data[i] = (float)(x >> 8) * (1.0f / 16777216.0f) - 0.5f;
  }
  *state = x;
}

static void flz_bench_mix_send(uint32_t type, uint32_t slot, float value, uint32_t offset,
                               const flz_sample *sample)
{
  flz_command command;
  memset(&command, 0, sizeof command);
  command.type = type;
  command.slot = slot;
  command.value = value;
  command.offset = offset;
  if (sample != NULL)
    command.sample = *sample;
  flz_engine_send(&flz_bench_mix_engine, FLZ_PRODUCER_CONTROL, &command);
}

/* Renders `periods` periods; with `timed`, adds their time to *total_ns,
 * keeps the slowest in *worst_ns and each in times[]. Events are drained
 * outside the timing. */
static void flz_bench_mix_render(const flz_bench_mix_config *c, uint64_t periods, int timed,
                                 uint64_t *total_ns, uint64_t *worst_ns, uint64_t *times)
{
  flz_event event;
  for (uint64_t p = 0; p < periods; p++) {
    uint64_t t0 = flz_clock_now_ns();
    flz_engine_render(&flz_bench_mix_engine, flz_bench_mix_out, c->period, FLZ_DEFAULT_CHANNELS, 0);
    uint64_t t1 = flz_clock_now_ns();
    if (timed) {
      *total_ns += t1 - t0;
      if (t1 - t0 > *worst_ns)
        *worst_ns = t1 - t0;
      times[p] = t1 - t0;
    }
    while (flz_engine_receive(&flz_bench_mix_engine, &event)) {
    }
  }
}

static int flz_bench_mix_compare(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

static uint32_t flz_bench_mix_active(void)
{
  flz_engine_counters counters;
  flz_engine_counters_get(&flz_bench_mix_engine, &counters);
  return counters.voices_active;
}

/* One configuration: `voices` voices at `speed`, starting at frame `offset`
 * of the samples, `warm` untimed periods then `periods` timed ones (their
 * times in `times`). Prints its line, stores its median figure in *median;
 * returns FLZ_OK or an error. */
static int flz_bench_mix_one(const flz_bench_mix_config *c, float *const *data, uint32_t voices,
                             float speed, uint32_t offset, uint64_t warm, uint64_t periods,
                             uint64_t *times, double *median, FILE *out)
{
  flz_engine_config engine_config;
  flz_engine_config_init(&engine_config);
  engine_config.rate = c->rate;
  int result = flz_engine_init(&flz_bench_mix_engine, &engine_config);
  if (result != FLZ_OK)
    return result;
  for (uint32_t s = 0; s < voices; s++) {
    flz_sample sample = {
      .data = data[s], .frame_count = c->sample_frames, .channels = 1, .region = 0};
    flz_bench_mix_send(FLZ_COMMAND_LOAD_SAMPLE, s, 0.0f, 0, &sample);
  }
  flz_bench_mix_send(FLZ_COMMAND_SET_SPEED, 0, speed, 0, NULL);
  flz_bench_mix_send(FLZ_COMMAND_SET_INTERPOLATION, 0, 0.0f, c->interpolation, NULL);
  for (uint32_t s = 0; s < voices; s++)
    flz_bench_mix_send(FLZ_COMMAND_PLAY_SAMPLE, s, 1.0f, offset, NULL);

  uint64_t total_ns = 0, worst_ns = 0;
  flz_bench_mix_render(c, warm, 0, &total_ns, &worst_ns, times);
  if (flz_bench_mix_active() != voices)
    return FLZ_ERR_ARGUMENT;
  flz_bench_mix_render(c, periods, 1, &total_ns, &worst_ns, times);
  if (flz_bench_mix_active() != voices)
    return FLZ_ERR_ARGUMENT;

  double voice_frames = (double)voices * (double)periods * (double)c->period;
  qsort(times, periods, sizeof *times, flz_bench_mix_compare);
  *median = (double)times[periods / 2] / ((double)voices * (double)c->period);
  fprintf(out,
          "{\"bench\":\"mix\",\"voices\":%u,\"speed\":%.1f,\"interpolation\":\"%s\","
          "\"period\":%u,\"ns_per_voice_frame\":%.3f,\"median_ns_per_voice_frame\":%.3f,"
          "\"worst_period_us\":%.2f}\n",
          voices, (double)speed, flz_bench_mix_interpolations[c->interpolation], c->period,
          (double)total_ns / voice_frames, *median, (double)worst_ns / 1000.0);
  fflush(out);
  return FLZ_OK;
}

int flz_bench_mix_run(const flz_bench_mix_config *config, FILE *out)
{
  return flz_bench_mix_measure(config, out, NULL);
}

int flz_bench_mix_measure(const flz_bench_mix_config *config, FILE *out, double *medians)
{
  flz_bench_mix_config c;
  flz_bench_mix_config_init(&c);
  if (config != NULL) {
    if (config->seconds != 0.0)
      c.seconds = config->seconds;
    if (config->warmup_seconds != 0.0)
      c.warmup_seconds = config->warmup_seconds;
    if (config->rate != 0)
      c.rate = config->rate;
    if (config->period != 0)
      c.period = config->period;
    if (config->samples != 0)
      c.samples = config->samples;
    if (config->sample_frames != 0)
      c.sample_frames = config->sample_frames;
    c.interpolation = config->interpolation;
    if (config->counts != 0) {
      c.counts = config->counts;
      memcpy(c.voices, config->voices, sizeof c.voices);
    }
  }
  if (c.period > FLZ_PERIOD_MAX || c.interpolation > FLZ_INTERPOLATION_SINC ||
      c.samples > FLZ_SLOTS || c.counts > FLZ_BENCH_MIX_COUNTS_MAX ||
      !(c.seconds > 0.0 && c.seconds < 3600.0) ||
      !(c.warmup_seconds > 0.0 && c.warmup_seconds < 3600.0))
    return FLZ_ERR_ARGUMENT;
  for (uint32_t i = 0; i < c.counts; i++)
    if (c.voices[i] == 0 || c.voices[i] > FLZ_VOICES || c.voices[i] > c.samples)
      return FLZ_ERR_ARGUMENT;
  /* Whole periods, at least one of each. */
  uint64_t warm = (uint64_t)(c.warmup_seconds * c.rate / c.period + 0.5);
  uint64_t periods = (uint64_t)(c.seconds * c.rate / c.period + 0.5);
  warm = warm > 0 ? warm : 1;
  periods = periods > 0 ? periods : 1;
  /* Frames one configuration reads from each sample, at the highest speed
   * (+ the widest interpolation kernel's right side and rounding). */
  double span = (double)((warm + periods) * c.period) * FLZ_BENCH_MIX_SPEED_MAX +
                FLZ_SINC_SIDE_MAX + 2.0;
  uint32_t configs = c.counts * (uint32_t)FLZ_BENCH_MIX_SPEEDS;
  if (span * configs >= (double)c.sample_frames)
    return FLZ_ERR_ARGUMENT;

  float **data = calloc(c.samples, sizeof *data);
  uint64_t *times = malloc(sizeof *times * periods);
  if (data == NULL || times == NULL) {
    free(data);
    free(times);
    return FLZ_ERR_NO_MEMORY;
  }
  int result = FLZ_OK;
  uint32_t state = 0x9e3779b9u;
  for (uint32_t s = 0; s < c.samples && result == FLZ_OK; s++) {
    data[s] = malloc(sizeof(float) * c.sample_frames);
    if (data[s] == NULL)
      result = FLZ_ERR_NO_MEMORY;
    else
      flz_bench_mix_fill(data[s], c.sample_frames, &state);
  }
  uint32_t index = 0;
  for (uint32_t k = 0; k < FLZ_BENCH_MIX_SPEEDS && result == FLZ_OK; k++)
    for (uint32_t i = 0; i < c.counts && result == FLZ_OK; i++, index++) {
      double median = 0.0;
      result = flz_bench_mix_one(&c, data, c.voices[i], flz_bench_mix_speeds[k],
                                 (uint32_t)(span * index), warm, periods, times, &median, out);
      if (medians != NULL)
        medians[index] = median;
    }
  for (uint32_t s = 0; s < c.samples; s++)
    free(data[s]);
  free(data);
  free(times);
  return result;
}
