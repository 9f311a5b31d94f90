/* tools/bench/bench.h: `flitz bench`: the benchmarks, programs that print
 * figures (one JSON object a line on stdout).
 *
 * Owns: the bench subcommand's arguments and their dispatch. The benchmarks
 * themselves are tools/bench/mix.h (no option: the mixer), jitter.h
 * (--jitter: trigger timing through real SDL), latency.h (--latency: MIDI in
 * to sound through the whole app) and load.h (--load DIR: decoding). They
 * are the library flitz_bench, run by the flitz command (app/main.c) as
 * `flitz bench`; there is no separate flitz-bench binary. Control thread
 * only.
 */
#ifndef FLZ_TOOLS_BENCH_BENCH_H
#define FLZ_TOOLS_BENCH_BENCH_H

/* argv[0] is "bench"; then nothing (the mixer benchmark), --jitter,
 * --latency, --load DIR, or --help/-h (prints the bench usage on stdout).
 * Returns the process exit code: 0 after a run, 1 if a benchmark failed (a
 * one-line reason on stderr: "flitz bench: REASON", or "error: PATH: REASON"
 * from --load), 2 for a usage error (one line on stderr). */
int flz_bench_main(int argc, char **argv);

#endif
