/* tools/bench/latency.h: the input-to-sound benchmark of `flitz bench
 * --latency`: MIDI through a FIFO into the real app.
 *
 * Owns: a temporary folder (a one-pad kit, a flitz.ini and the FIFO), the
 * writer thread, and the figures it prints. Must not touch: files outside
 * its folder (the disk driver writes to /dev/null).
 *
 * It runs the whole app in this process (flz_run, headless) with SDL's
 * "disk" audio driver, which runs in real time and paces its periods with
 * sleeps, `period` frames at FLZ_DEFAULT_RATE Hz, and `--midi-in` on the
 * FIFO (the ALSA sequencer off). Its kit is one pad: a click whose first frame is 1.0
 * and which decays to silence within 2 ms. Once the kit is loaded and
 * `settle_ms` have passed (so the engine's delay-locked loop has locked), a
 * writer thread writes `events` Note On messages (channel 10, note 36 = pad
 * 1 by the default mapping, velocity 127) into the FIFO, one every 100 ms
 * plus a random offset of 0..20 ms (xorshift32 seeded from the clock), and
 * records CLOCK_MONOTONIC just before each write(). A tap on the sampler's
 * render path (audio thread, real-time safe: it writes into arrays allocated
 * before the run) finds each onset (a nonzero frame after a zero frame) and
 * keeps its period's callback time and its frame offset; an onset's time is
 * callback time + offset x 1e9 / rate, taken from the wall time at which its
 * period was rendered, not from the frame count, because the disk driver's
 * periods wander.
 *
 * Onsets pair with writes in order; latency_i = onset - write. The line:
 *   {"bench":"latency","period":256,"events":N,"latency_mean_ms":..,
 *    "jitter_p50_ms":..,"jitter_p99_ms":..,"jitter_max_ms":..}
 * where jitter_i = |latency_i - mean latency| (p50 and p99 by nearest rank).
 */
#ifndef FLZ_TOOLS_BENCH_LATENCY_H
#define FLZ_TOOLS_BENCH_LATENCY_H

#include <stdint.h>
#include <stdio.h>

/* Zero fields mean "use the default" (flz_bench_latency_config_init). */
typedef struct flz_bench_latency_config {
  uint32_t events;    /* Note On messages; default 100 (about 11 s) */
  uint32_t settle_ms; /* audio after the kit loaded, before the first write; default 1000 */
  uint32_t period;    /* frames per period; default FLZ_DEFAULT_PERIOD */
} flz_bench_latency_config;

/* Fills `config` with the defaults above. Any thread. */
void flz_bench_latency_config_init(flz_bench_latency_config *config);

/* Runs the benchmark and prints its one line on `out`. Chooses SDL's disk
 * driver, writing to /dev/null, for the process
 * (flz_audio_output_use_sdl_disk: SDL must not be running in this process).
 * The app's own lines (stdout) are silenced while it runs; its errors still
 * reach stderr. Returns 0, or 1 after printing a one-line reason on `err`
 * ("flitz bench: latency: ...": the temporary files, the app did not run, or
 * the onsets do not pair one to one with the writes). Control thread; one
 * run at a time per process. */
int flz_bench_latency_run(const flz_bench_latency_config *config, FILE *out, FILE *err);

#endif
