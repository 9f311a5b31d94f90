/* tools/bench/mix.h: the mixer benchmark of `flitz bench` (no option).
 *
 * Owns: the benchmark's samples (heap memory of its own, not the engine's
 * pool), one static engine it drives directly, and the figures it prints.
 * Must not touch: SDL, devices, files other than the stream it prints to.
 *
 * For each speed (1.0: the copying path; 1.5: the interpolating path, set
 * with FLZ_COMMAND_SET_SPEED) and each voice count, it starts that many
 * voices at velocity 1 (PLAY_SAMPLE through FLZ_PRODUCER_CONTROL), one per
 * sample, renders `warmup_seconds` untimed, then `seconds` of periods of
 * `period` frames (stereo out, no callback time), timing each render call
 * with CLOCK_MONOTONIC. The samples are mono float noise at -6 dBFS, filled
 * (so every page is touched) before any timing; by default 64 of 10 MB
 * each, far more than the caches. Each configuration starts its voices at a
 * sample offset no earlier configuration has read, so its frames come from
 * memory, not from a cache the last configuration warmed. Every voice plays
 * for the whole configuration.
 *
 * One JSON object a line per configuration:
 *   {"bench":"mix","voices":N,"speed":S,"interpolation":I,"period":P,
 *    "ns_per_voice_frame":X,"median_ns_per_voice_frame":M,"worst_period_us":W}
 * I = "linear", "hermite" or "sinc".
 * X = total render time / (voices x frames rendered), ns; M = the median
 * render call's time / (voices x period), ns: what the mixer costs when no
 * other process takes the core in the middle of a call (on a busy machine
 * X counts every preemption; M does not); W = the slowest single render
 * call, us.
 */
#ifndef FLZ_TOOLS_BENCH_MIX_H
#define FLZ_TOOLS_BENCH_MIX_H

#include <stdint.h>
#include <stdio.h>

/* The words of the flz_interpolation modes ("linear", "hermite", "sinc"),
 * by value. */
extern const char *const flz_bench_mix_interpolations[];

/* Largest number of voice counts one run measures. */
#define FLZ_BENCH_MIX_COUNTS_MAX 8

/* Zero fields mean "use the default" (flz_bench_mix_config_init). */
typedef struct flz_bench_mix_config {
  double seconds;         /* timed audio per configuration, s; default 3 */
  double warmup_seconds;  /* untimed audio before it, s; default 1 */
  uint32_t rate;          /* Hz; default FLZ_DEFAULT_RATE */
  uint32_t period;        /* frames per render call; default 64 */
  uint32_t samples;       /* distinct samples; default 64 (at most FLZ_SLOTS) */
  uint32_t sample_frames; /* frames of each (mono float); default 2621440 = 10 MB */
  uint32_t counts;        /* how many entries of `voices` are used; default 4 */
  uint32_t voices[FLZ_BENCH_MIX_COUNTS_MAX]; /* voice counts; default 1, 8, 32, 64 */
  uint32_t interpolation;                    /* flz_interpolation (SET_INTERPOLATION); default
                             FLZ_DEFAULT_INTERPOLATION */
} flz_bench_mix_config;

/* Fills `config` with the defaults above. Any thread. */
void flz_bench_mix_config_init(flz_bench_mix_config *config);

/* Runs the benchmark and prints its lines on `out` (speed 1.0 first, then
 * 1.5; voice counts in the order given). Returns FLZ_OK;
 * FLZ_ERR_ARGUMENT if a voice count is 0, above FLZ_VOICES or above
 * `samples`, if the samples are too short for every configuration to play
 * from its own part of them ((warmup + seconds) x rate x 1.5 frames each), or
 * for a rate or period the engine refuses; FLZ_ERR_NO_MEMORY if the samples
 * cannot be allocated; FLZ_ERR_ARGUMENT too if a voice stopped before the
 * end (the figures would be wrong). Blocks for the whole run (about
 * (warmup + seconds) x 8 configurations of rendering plus filling the
 * samples). Control thread only: it uses one static engine, so one run at a
 * time per process. */
int flz_bench_mix_run(const flz_bench_mix_config *config, FILE *out);

/* flz_bench_mix_run, and with `medians` not NULL stores there each
 * configuration's M, in the order printed (counts x 2 values). */
int flz_bench_mix_measure(const flz_bench_mix_config *config, FILE *out, double *medians);

#endif
