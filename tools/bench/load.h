/* tools/bench/load.h: `flitz bench --load DIR`, the load benchmark.
 *
 * Owns: timing the decode of a folder's audio files at the engine's
 * default rate (FLZ_DEFAULT_RATE) on one thread and on the loader pool.
 * Prints figures; asserts nothing. Control thread only.
 */
#ifndef FLZ_TOOLS_BENCH_LOAD_H
#define FLZ_TOOLS_BENCH_LOAD_H

#include <stdio.h>

#include "app/kitformat.h"

/* Finds the audio files (platform/decode.h's names) in folder `dir` and in
 * its immediate subfolders, groups them by format (ogg for .ogg and .oga,
 * flac, wav), and for each format with files decodes them all at
 * FLZ_DEFAULT_RATE twice: on the calling thread alone, then on a
 * platform/loader.h pool (flz_loader_default_threads threads, each decoded
 * sample copied into one arena on the calling thread as a kit load copies it
 * into the sample pool).
 * Each run prints one JSON line on `out`:
 *   {"bench":"load","format":"ogg","threads":T,"files":N,"audio_seconds":A,
 *    "wall_seconds":W,"x_realtime":X}
 * (A: seconds of decoded audio, W: wall-clock seconds from the first file's
 * open to the last one's copy, X = A / W). Files that fail print
 * "error: PATH: REASON" on stderr and are left out of the figures.
 * `dir` may be an SFZ kit file (app/kitfmt/sfz.h): its reading prints
 *   {"bench":"load","format":"sfz-read","regions":R,"wall_seconds":W}
 * and its regions' files (one per region, shared files again) are then timed
 * as above under format "sfz".
 * `dir` may also be an SF2 bank (preset `preset`, NULL: its first) or a
 * Hydrogen kit (app/kitformat.h): its opening into regions, the files its
 * samples lie in (the bank; the kit's sample files) read whole in 1 MiB
 * blocks and dropped (as `cat FILE > /dev/null`), then each distinct
 * sample decoded (and copied into an arena) at FLZ_DEFAULT_RATE and at its
 * own rate (0), on the calling thread:
 *   {"bench":"load","format":"file-read","bytes":B,"wall_seconds":W,"mb_per_second":M}
 *   {"bench":"load","format":"sf2-open","regions":R,"wall_seconds":W}
 *   {"bench":"load","format":"sf2","rate":HZ,"samples":S,"frames":F,
 *    "decode_seconds":D,"wall_seconds":W,"file_read_seconds":C,"x_file_read":X}
 * (W: the opening plus the decode; X = C / W, at least 1 when the load is as
 * fast as reading the file; "hydrogen" in place of "sf2" for a kit).
 * Returns 0, or 1 when `dir` cannot be read or holds no audio file. */
int flz_bench_load_main(const char *dir, const flz_kit_preset *preset, FILE *out);

#endif
