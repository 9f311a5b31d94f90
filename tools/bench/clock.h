/* tools/bench/clock.h: the MIDI clock benchmark of `flitz bench --clock`:
 * how closely the whole app follows a clock sent through a FIFO.
 *
 * Owns: a temporary folder (a one-pad kit, a flitz.ini and the FIFO), the
 * writer thread, and the figures it prints. Must not touch: files outside
 * its folder (the disk driver writes to /dev/null).
 *
 * For each tempo (90, 120 and 174 BPM) it runs the whole app in this process
 * (flz_run, headless) with SDL's "disk" audio driver (real time, periods
 * paced by sleeps), `period` frames at FLZ_DEFAULT_RATE Hz, `clock =
 * follow`, linear interpolation and `--midi-in` on the FIFO. The kit's one
 * pad is a BPM-locked loop (bpm 120, quantize 1/4) one beat long at 120 BPM
 * whose only sound is a 2 ms click at its start, so at any tempo it clicks
 * once a beat where the engine's beat is. A writer thread (at SCHED_FIFO
 * where the system allows it: a drum machine's clock does not suffer this
 * machine's load) writes Start, then
 * clock ticks (0xF8) at base + k x 60 / (24 x BPM) s plus a uniform random
 * offset of -1..1 ms (xorshift32 seeded from the clock), and after 4 beats
 * a Note On of pad 1; beat j of the clock is at base + 24 j tick periods. A
 * tap on the render path (audio thread: arrays allocated before the run)
 * keeps each click's onset time (its period's callback time plus its
 * offset, as tools/bench/latency.h).
 *
 * From beat FLZ_BENCH_CLOCK_SETTLE on, each onset pairs with the nearest
 * clock beat j: d_j = onset - beat time. offset_ms is the mean of d (the
 * constant delay of every timed input: one period, engine/engine.h); the
 * phase error is |d_j - mean| (p50, p99 by nearest rank, max); the tempo is
 * the least-squares slope of onset time over j, and tempo_error_bpm is it
 * minus the clock's. What the writer did, to tell a slow filter from a
 * busy machine: write_late is how long after its jittered time each tick's
 * write returned (p50, p99: the writer's own scheduling), filter_phase the
 * phase error (p50, max) of engine/midiclock.h fed those write times, at
 * each tick's time without the jitter from beat FLZ_BENCH_CLOCK_SETTLE on
 * (the filter alone, without the app's MIDI thread, engine and driver);
 * audio_clock_phase the phase error (p50, p99) with each click timed on the
 * smoothed audio clock instead of its callback's time (the least-squares
 * line of the callbacks' times over their frames within half a second),
 * which leaves the disk driver's wander out.
 * One JSON line per tempo:
 *   {"bench":"clock","period":256,"bpm":120,"jitter_ms":1,"beats":N,
 *    "tempo_error_bpm":..,"offset_ms":..,"phase_p50_ms":..,
 *    "phase_p99_ms":..,"phase_max_ms":..,"write_late_p50_ms":..,
 *    "write_late_p99_ms":..,"filter_phase_p50_ms":..,"filter_phase_max_ms":..,
 *    "audio_clock_phase_p50_ms":..,"audio_clock_phase_p99_ms":..}
 *
 * Then it leads (`clock = lead`, the kit's 120 BPM, --midi-out on a second
 * FIFO that a reader thread reads, stamping each byte with CLOCK_MONOTONIC
 * when its read returns) for `beats` beats. A tick is due every 1000 frames
 * of the audio clock; the disk driver's real pace (frames over callback
 * time, from a tap) gives that in ms. The line:
 *   {"bench":"clock-lead","period":256,"bpm":120,"ticks":N,
 *    "interval_ms":..,"audio_interval_ms":..,"jitter_p50_ms":..,
 *    "jitter_p99_ms":..,"jitter_max_ms":..}
 * interval_ms is the mean tick interval as read, audio_interval_ms 1000
 * frames of the audio clock, jitter |interval_i - audio_interval_ms|.
 */
#ifndef FLZ_TOOLS_BENCH_CLOCK_H
#define FLZ_TOOLS_BENCH_CLOCK_H

#include <stdint.h>
#include <stdio.h>

/* Zero fields mean "use the default" (flz_bench_clock_config_init). */
typedef struct flz_bench_clock_config {
  uint32_t beats;  /* clock beats per tempo; default 32 (11 to 21 s a tempo) */
  uint32_t period; /* frames per period; default FLZ_DEFAULT_PERIOD */
} flz_bench_clock_config;

/* Beats of lock, launch and settling left out of the figures. */
#define FLZ_BENCH_CLOCK_SETTLE 12u

/* Fills `config` with the defaults above. Any thread. */
void flz_bench_clock_config_init(flz_bench_clock_config *config);

/* Runs the benchmark at each tempo and prints a line for each on `out`.
 * Chooses SDL's disk driver, writing to /dev/null, for the process
 * (flz_audio_output_use_sdl_disk: SDL must not be running in this process).
 * The app's own lines are silenced while it runs. Returns 0, or 1 after
 * printing a one-line reason on `err` ("flitz bench: clock: ...": the
 * temporary files, the app did not run, too few clicks). Control thread; one
 * run at a time per process. */
int flz_bench_clock_run(const flz_bench_clock_config *config, FILE *out, FILE *err);

#endif
