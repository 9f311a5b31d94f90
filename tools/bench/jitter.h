/* tools/bench/jitter.h: the trigger timing benchmark of `flitz bench --jitter`.
 *
 * Owns: one static engine, a sender thread, SDL's disk audio output for the
 * length of a run, and the figures it prints. Must not touch: the sample
 * pool, files other than the stream it prints to (the disk driver writes to
 * /dev/null).
 *
 * It drives the real SDL path: SDL's "disk" audio driver (which runs in real
 * time, pacing its periods with sleeps) through flz_audio_output_open(...,
 * "sdl", ...), `period` frames at `rate` Hz, stereo. Slot 0 holds a click
 * whose first frame is 1.0 and which decays to silence within 2 ms. After
 * `settle_ms` (so the engine's delay-locked loop has locked to the
 * callbacks), a sender thread sends `triggers` PLAY_SAMPLE commands of slot
 * 0 through FLZ_PRODUCER_MIDI, each after a random sleep of gap_min_ms to
 * gap_max_ms (so its time is unrelated to the callbacks), stamped with
 * flz_clock_now_ns() read just before the send; it records those times. The
 * render callback renders and then finds each onset (a frame that is
 * nonzero after a zero frame) in what it rendered, recording the period's
 * callback time and the onset's frame offset in the period. An onset's time
 * is callback time + offset x 1e9 / rate: taken from the wall time at which
 * its period was rendered, not from the frame count, because the disk
 * driver's periods wander.
 *
 * Onsets pair with triggers in order; d_i = onset time - trigger time. The
 * figures are |d_i - median(d)| (p50, p99 by nearest rank, max), in ms, for
 * a run with the timestamps ("timestamped") and the same run with time_ns 0
 * ("untimed": each trigger starts at the next period's first frame). One
 * JSON line:
 *   {"bench":"jitter","period":256,"triggers":N,
 *    "timestamped":{"p50_ms":..,"p99_ms":..,"max_ms":..},
 *    "untimed":{"p50_ms":..,"p99_ms":..,"max_ms":..}}
 */
#ifndef FLZ_TOOLS_BENCH_JITTER_H
#define FLZ_TOOLS_BENCH_JITTER_H

#include <stdint.h>
#include <stdio.h>

/* Zero fields mean "use the default" (flz_bench_jitter_config_init). */
typedef struct flz_bench_jitter_config {
  uint32_t triggers;   /* per run; default 200 */
  uint32_t gap_min_ms; /* shortest wait before a trigger, ms; default 15 */
  uint32_t gap_max_ms; /* longest, ms; default 40 */
  uint32_t settle_ms;  /* audio before the first trigger, ms; default 1000 */
  uint32_t period;     /* frames per period; default FLZ_DEFAULT_PERIOD */
  uint32_t rate;       /* Hz; default FLZ_DEFAULT_RATE */
} flz_bench_jitter_config;

/* Fills `config` with the defaults above. Any thread. */
void flz_bench_jitter_config_init(flz_bench_jitter_config *config);

/* Runs the benchmark (two runs of about settle + triggers x mean gap each;
 * about 12 s with the defaults) and prints its line on `out`. Chooses SDL's
 * disk driver, writing to /dev/null, for the process
 * (flz_audio_output_use_sdl_disk: SDL audio must not be running in this
 * process). Returns 0, or 1 after printing a one-line reason on `err`
 * ("flitz bench: ...": the output did not open or did not give the requested
 * rate and period, a trigger could not be sent, or the onsets found do not
 * pair one to one with the triggers). Control thread only; one run at a time
 * per process (one static engine). */
int flz_bench_jitter_run(const flz_bench_jitter_config *config, FILE *out, FILE *err);

#endif
