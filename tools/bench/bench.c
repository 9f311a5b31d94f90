/* tools/bench/bench.c: `flitz bench` (tools/bench/bench.h): picks the
 * benchmark.
 *
 * Owns: the bench subcommand's arguments and usage text. Must not touch:
 * the engine or the platform (the benchmarks do).
 */
#include "tools/bench/bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/bench/clock.h"
#include "tools/bench/jitter.h"
#include "tools/bench/latency.h"
#include "tools/bench/load.h"
#include "tools/bench/soak.h"
#include "tools/bench/mix.h"
#include "tools/bench/quality.h"
#include "engine/result.h"

static void flz_bench_usage(FILE *out)
{
  fputs("usage: flitz bench [--clock | --jitter | --latency | --load DIR | --quality | --soak "
        "SECONDS]\n"
        "  (no option)  mixer: ns per voice-frame and the slowest period, for 1, 8,\n"
        "               32 and 64 voices at speed 1.0 and 1.5 (one JSON line each)\n"
        "  --clock      MIDI clock at 90, 120 and 174 BPM with +-1 ms jitter through a\n"
        "               FIFO (--midi-in, clock = follow): tempo error, phase error\n"
        "               of a BPM-locked loop's clicks to the clock's beats; then\n"
        "               clock = lead into a FIFO: jitter of the ticks it sends\n"
        "  --jitter     trigger timing through SDL's disk audio driver in real time:\n"
        "               spread of onset - trigger, with and without timestamps\n"
        "  --load DIR   time to decode and load the audio files of folder DIR (or an SFZ kit);\n"
        "               an SF2 bank's first preset (or --load FILE.sf2 --preset BANK:PROGRAM)\n"
        "               or a Hydrogen kit: its samples' decode against a read of its files\n"
        "  --latency    MIDI Note On through a FIFO (--midi-in) to sound, the whole\n"
        "               app through SDL's disk audio driver: mean latency, jitter\n"
        "  --quality    each interpolation mode: SNR of pitched sines and the mixer's\n"
        "               ns per voice-frame at 64 voices\n"
        "  --soak S     the whole app for S seconds, 20 MIDI notes a second through a\n"
        "               FIFO: RSS at start and end, notes sent and played, counters\n",
        out);
}

int flz_bench_main(int argc, char **argv)
{
  if (argc == 1) {
    int result = flz_bench_mix_run(NULL, stdout);
    if (result != FLZ_OK) {
      fprintf(stderr, "flitz bench: %s\n", flz_result_message(result));
      return 1;
    }
    return 0;
  }
  const char *option = argv[1];
  if (strcmp(option, "--help") == 0 || strcmp(option, "-h") == 0) {
    flz_bench_usage(stdout);
    return 0;
  }
  if (strcmp(option, "--clock") == 0 && argc == 2)
    return flz_bench_clock_run(NULL, stdout, stderr);
  if (strcmp(option, "--jitter") == 0 && argc == 2)
    return flz_bench_jitter_run(NULL, stdout, stderr);
  if (strcmp(option, "--latency") == 0 && argc == 2)
    return flz_bench_latency_run(NULL, stdout, stderr);
  if (strcmp(option, "--quality") == 0 && argc == 2) {
    int result = flz_bench_quality_run(stdout, 1);
    if (result != FLZ_OK) {
      fprintf(stderr, "flitz bench: %s\n", flz_result_message(result));
      return 1;
    }
    return 0;
  }
  if (strcmp(option, "--load") == 0 && argc == 3)
    return flz_bench_load_main(argv[2], NULL, stdout);
  if (strcmp(option, "--load") == 0 && argc == 5 && strcmp(argv[3], "--preset") == 0) {
    flz_kit_preset preset = {.given = 1};
    unsigned bank = 0, program = 0;
    char end = 0;
    if (sscanf(argv[4], "%u:%u%c", &bank, &program, &end) == 2 && bank <= 16383 && program <= 127) {
      preset.bank = (uint16_t)bank;
      preset.program = (uint16_t)program;
      return flz_bench_load_main(argv[2], &preset, stdout);
    }
    fputs("flitz bench: --preset needs BANK:PROGRAM\n", stderr);
    return 2;
  }
  if (strcmp(option, "--soak") == 0 && argc == 3) {
    char *end = NULL;
    unsigned long seconds = strtoul(argv[2], &end, 10);
    if (end != argv[2] && *end == '\0' && seconds >= 1 && seconds <= 86400)
      return flz_bench_soak_run((uint32_t)seconds, stdout, stderr);
    fputs("flitz bench: --soak needs SECONDS from 1 to 86400\n", stderr);
    return 2;
  }
  if (strcmp(option, "--load") == 0)
    fputs("flitz bench: --load needs one folder\n", stderr);
  else if (strcmp(option, "--clock") == 0 || strcmp(option, "--jitter") == 0 ||
           strcmp(option, "--latency") == 0 || strcmp(option, "--quality") == 0)
    fprintf(stderr, "flitz bench: unexpected argument %s\n", argv[2]);
  else
    fprintf(stderr, "flitz bench: unknown option %s\n", option);
  return 2;
}
