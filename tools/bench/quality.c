/* tools/bench/quality.c: the interpolation benchmark of
 * tools/bench/quality.h. */
#include "tools/bench/quality.h"

#include <math.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/result.h"
#include "tools/bench/mix.h"
#include "platform/sdl_mixer_peer.h"

#define FLZ_BENCH_QUALITY_RATE 48000u
#define FLZ_BENCH_QUALITY_SKIP 1024u    /* output frames left out: the voice's start */
#define FLZ_BENCH_QUALITY_FRAMES 16384u /* output frames compared */
#define FLZ_BENCH_QUALITY_PERIOD 256u   /* frames per render call */
/* Source frames: the compared span at the fastest rate (1.5) and the kernel. */
#define FLZ_BENCH_QUALITY_SOURCE 32768u

static flz_engine flz_bench_quality_engine;
static float flz_bench_quality_sine[FLZ_BENCH_QUALITY_SOURCE];
static float flz_bench_quality_out[(FLZ_BENCH_QUALITY_SKIP + FLZ_BENCH_QUALITY_FRAMES) * 2];

static const double flz_bench_quality_frequencies[] = {1000.0, 5000.0, 10000.0, 15000.0};
static const struct {
  const char *name;
  double semitones, speed;
} flz_bench_quality_pitches[] = {
  {"+7st", 7.0, 1.0}, {"-5st", -5.0, 1.0}, {"speed 0.75", 0.0, 0.75}, {"speed 1.5", 0.0, 1.5}};

static void flz_bench_quality_send(const flz_command *command)
{
  (void)flz_engine_send(&flz_bench_quality_engine, FLZ_PRODUCER_CONTROL, command);
}

double flz_bench_quality_snr(uint32_t interpolation, double frequency, double semitones,
                             double speed)
{
  const double w = 2.0 * 3.14159265358979323846 * frequency / FLZ_BENCH_QUALITY_RATE;
  for (uint32_t i = 0; i < FLZ_BENCH_QUALITY_SOURCE; i++)
    flz_bench_quality_sine[i] = (float)sin(w * i);
  flz_engine_config config;
  flz_engine_config_init(&config);
  config.rate = FLZ_BENCH_QUALITY_RATE;
  (void)flz_engine_init(&flz_bench_quality_engine, &config);
  float rate = (float)pow(2.0, semitones / 12.0);
  flz_command command;
  memset(&command, 0, sizeof command);
  command.type = FLZ_COMMAND_LOAD_SAMPLE;
  command.sample = (flz_sample){
    .data = flz_bench_quality_sine, .frame_count = FLZ_BENCH_QUALITY_SOURCE, .channels = 1};
  flz_bench_quality_send(&command);
  memset(&command, 0, sizeof command);
  command.type = FLZ_COMMAND_SET_SLOT;
  command.params.rate = rate;
  flz_bench_quality_send(&command);
  memset(&command, 0, sizeof command);
  command.type = FLZ_COMMAND_SET_SPEED;
  command.value = (float)speed;
  flz_bench_quality_send(&command);
  memset(&command, 0, sizeof command);
  command.type = FLZ_COMMAND_SET_INTERPOLATION;
  command.offset = interpolation;
  flz_bench_quality_send(&command);
  memset(&command, 0, sizeof command);
  command.type = FLZ_COMMAND_PLAY_SAMPLE;
  command.value = 1.0f;
  flz_bench_quality_send(&command);
  const uint32_t total = FLZ_BENCH_QUALITY_SKIP + FLZ_BENCH_QUALITY_FRAMES;
  for (uint32_t done = 0; done < total; done += FLZ_BENCH_QUALITY_PERIOD)
    flz_engine_render(&flz_bench_quality_engine, flz_bench_quality_out + 2 * done,
                      FLZ_BENCH_QUALITY_PERIOD, 2, 0);
  /* The step as the engine computes it (engine.c, flz_engine_step). */
  double exact = (double)rate * (double)(float)speed;
  uint64_t step = exact == 1.0 ? (uint64_t)1 << 32 : (uint64_t)llround(exact * 4294967296.0);
  /* The sine of the voice's phase that fits the output best (least squares
   * over a sin + b cos: IEEE 1241's three-parameter fit without the offset),
   * and what is left over. */
  double ss = 0.0, sc = 0.0, cc = 0.0, ys = 0.0, yc = 0.0;
  for (uint32_t n = FLZ_BENCH_QUALITY_SKIP; n < total; n++) {
    uint64_t pos = (uint64_t)n * step;
    double at = (double)(pos >> 32) + (double)(uint32_t)pos / 4294967296.0;
    double s = sin(w * at), c = cos(w * at), y = flz_bench_quality_out[2 * n];
    ss += s * s;
    sc += s * c;
    cc += c * c;
    ys += y * s;
    yc += y * c;
  }
  double det = ss * cc - sc * sc;
  double a = (ys * cc - yc * sc) / det, b = (yc * ss - ys * sc) / det;
  double signal = 0.0, noise = 0.0;
  for (uint32_t n = FLZ_BENCH_QUALITY_SKIP; n < total; n++) {
    uint64_t pos = (uint64_t)n * step;
    double at = (double)(pos >> 32) + (double)(uint32_t)pos / 4294967296.0;
    double fit = a * sin(w * at) + b * cos(w * at);
    double error = flz_bench_quality_out[2 * n] - fit;
    signal += fit * fit;
    noise += error * error;
  }
  return noise > 0.0 ? 10.0 * log10(signal / noise) : 999.0;
}

/* Rounds of the cost comparison: the modes and SDL_mixer one after another
 * in each, so a busy machine slows them alike; each's best round counts. */
#define FLZ_BENCH_QUALITY_ROUNDS 5
/* Timed audio per mode and round, s (and a quarter of it warm-up). */
#define FLZ_BENCH_QUALITY_SECONDS 1.0
#define FLZ_BENCH_QUALITY_VOICES 64u
#define FLZ_BENCH_QUALITY_COST_PERIOD 64u

/* The cost lines: per round the mixer's lines of each mode, then the best
 * medians and their ratios. */
static int flz_bench_quality_cost(FILE *out)
{
  double best[FLZ_INTERPOLATION_SINC + 1][2], peer = 0.0;
  int peer_result = FLZ_OK;
  for (int r = 0; r < FLZ_BENCH_QUALITY_ROUNDS; r++) {
    for (uint32_t mode = FLZ_INTERPOLATION_LINEAR; mode <= FLZ_INTERPOLATION_SINC; mode++) {
      flz_bench_mix_config config;
      flz_bench_mix_config_init(&config);
      config.seconds = FLZ_BENCH_QUALITY_SECONDS;
      config.warmup_seconds = FLZ_BENCH_QUALITY_SECONDS / 4.0;
      config.counts = 1;
      config.voices[0] = FLZ_BENCH_QUALITY_VOICES;
      config.period = FLZ_BENCH_QUALITY_COST_PERIOD;
      config.interpolation = mode;
      /* 1 MB each, 64 MB in all: past the caches, quick to fill. */
      config.sample_frames = 262144u;
      double medians[2];
      int result = flz_bench_mix_measure(&config, out, medians);
      if (result != FLZ_OK)
        return result;
      for (int k = 0; k < 2; k++)
        best[mode][k] = r == 0 || medians[k] < best[mode][k] ? medians[k] : best[mode][k];
    }
    if (peer_result == FLZ_OK) {
      double median;
      peer_result = flz_sdl_mixer_peer_run(
        FLZ_BENCH_QUALITY_VOICES, FLZ_BENCH_QUALITY_COST_PERIOD,
        (uint32_t)(FLZ_BENCH_QUALITY_SECONDS * FLZ_BENCH_QUALITY_RATE /
                   FLZ_BENCH_QUALITY_COST_PERIOD),
        &median);
      if (peer_result == FLZ_OK) {
        fprintf(out,
                "{\"bench\":\"sdl_mixer\",\"voices\":%u,\"speed\":1.0,\"period\":%u,"
                "\"median_ns_per_voice_frame\":%.3f}\n",
                FLZ_BENCH_QUALITY_VOICES, FLZ_BENCH_QUALITY_COST_PERIOD, median);
        fflush(out);
        peer = r == 0 || median < peer ? median : peer;
      }
    }
  }
  fprintf(out, "{\"bench\":\"quality\",\"cost\":\"best of %d rounds\",\"voices\":%u",
          FLZ_BENCH_QUALITY_ROUNDS, FLZ_BENCH_QUALITY_VOICES);
  for (int k = 0; k < 2; k++) {
    fprintf(out, ",\"speed %s\":{", k == 0 ? "1.0" : "1.5");
    for (uint32_t mode = FLZ_INTERPOLATION_LINEAR; mode <= FLZ_INTERPOLATION_SINC; mode++) {
      fprintf(out, "%s\"%s\":{\"ns_per_voice_frame\":%.3f,\"to_linear\":%.2f", mode > 0 ? "," : "",
              flz_bench_mix_interpolations[mode], best[mode][k], best[mode][k] / best[0][k]);
      if (peer_result == FLZ_OK)
        fprintf(out, ",\"to_sdl_mixer\":%.2f", best[mode][k] / peer);
      fputs("}", out);
    }
    fputs("}", out);
  }
  if (peer_result == FLZ_OK)
    fprintf(out, ",\"sdl_mixer\":{\"ns_per_voice_frame\":%.3f}", peer);
  else
    fprintf(out, ",\"sdl_mixer\":\"%s\"", flz_result_message(peer_result));
  fputs("}\n", out);
  fflush(out);
  return FLZ_OK;
}

int flz_bench_quality_run(FILE *out, int timing)
{
  for (uint32_t mode = FLZ_INTERPOLATION_LINEAR; mode <= FLZ_INTERPOLATION_SINC; mode++)
    for (size_t p = 0; p < sizeof flz_bench_quality_pitches / sizeof flz_bench_quality_pitches[0];
         p++) {
      fprintf(out, "{\"bench\":\"quality\",\"interpolation\":\"%s\",\"pitch\":\"%s\",\"snr_db\":{",
              flz_bench_mix_interpolations[mode], flz_bench_quality_pitches[p].name);
      for (size_t f = 0; f < 4; f++)
        fprintf(out, "%s\"%.0f\":%.1f", f > 0 ? "," : "", flz_bench_quality_frequencies[f],
                flz_bench_quality_snr(mode, flz_bench_quality_frequencies[f],
                                      flz_bench_quality_pitches[p].semitones,
                                      flz_bench_quality_pitches[p].speed));
      fputs("}}\n", out);
      fflush(out);
    }
  return timing ? flz_bench_quality_cost(out) : FLZ_OK;
}
