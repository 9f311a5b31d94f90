/* tools/bench/bench.h: `flitz bench`: the benchmarks, programs that print figures
 * (one JSON object a line on stdout).
 *
 * Owns: the bench subcommand's arguments and their dispatch. The benchmarks
 * themselves are tools/bench/mix.h (no option: the mixer) and
 * tools/bench/jitter.h (--jitter: trigger timing through real SDL). Control
 * thread only.
 */
#ifndef FLZ_TOOLS_BENCH_BENCH_H
#define FLZ_TOOLS_BENCH_BENCH_H

/* argv[0] is "bench"; then nothing (the mixer benchmark), --jitter, --load
 * DIR, or --help/-h (prints the bench usage on stdout). Returns the process
 * exit code: 0 after a run, 1 if a benchmark failed (its one-line reason
 * "flitz bench: REASON" on stderr), 2 for a usage error (one line on
 * stderr). */
int flz_bench_main(int argc, char **argv);

#endif
