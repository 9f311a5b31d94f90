/* tools/bench/soak.h: the soak benchmark of `flitz bench --soak SECONDS`:
 * the whole app (app/run.h) on the default kit through SDL's disk audio
 * driver into /dev/null, in real time, while a writer thread sends MIDI
 * Note On messages for pads 1..16 through a FIFO (--midi-in), 20 a second,
 * for SECONDS. Prints one JSON line: the process's RSS when the kit had
 * loaded and at the end (KiB, /proc/self/statm), the notes sent and the
 * voices the engine started for them (played), and the engine's counters.
 * Benchmarks print figures; nothing here asserts on them.
 */
#ifndef FLZ_TOOLS_BENCH_SOAK_H
#define FLZ_TOOLS_BENCH_SOAK_H

#include <stdint.h>
#include <stdio.h>

/* Runs the soak for `seconds` (1..86400); returns the exit code (0, or 1
 * with a line on `err`). Control thread; runs the app in this process. */
int flz_bench_soak_run(uint32_t seconds, FILE *out, FILE *err);

#endif
