/* app/kit.h: a kit is a folder of audio files; its .wav, .ogg and .oga files
 * become pads 1..N in natural sort order ("2.wav" before "10.wav", case
 * folded). Hidden files (starting with '.') and other files are skipped.
 *
 * Owns: finding a kit's files, their pad order, loading them into a sampler,
 * and locating the built-in default kit. Control thread only (file I/O).
 */
#ifndef FLZ_APP_KIT_H
#define FLZ_APP_KIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/limits.h"
#include "platform/sampler.h"

typedef struct flz_kit {
  char *dir;                /* the folder as given */
  uint32_t count;           /* pads found, at most FLZ_SLOTS */
  uint32_t skipped;         /* audio files past FLZ_SLOTS, not loaded */
  char *paths[FLZ_SLOTS];   /* dir + "/" + file name, pad order; malloc'ed */
} flz_kit;

/* Natural order of two file names: digit runs compare by value, the rest
 * case-insensitively (ASCII); names equal that way ("01" and "1", "a" and "A")
 * are ordered by strcmp. Returns -1, 0 (only for equal strings) or 1. */
int flz_kit_natural_compare(const char *a, const char *b);

/* Scans folder `dir`: every entry whose name is not hidden and ends in .wav,
 * .ogg or .oga (any case) is a pad, chosen by name only (a folder "x.ogg" is a
 * pad that fails to load, so the user hears why). Errors: FLZ_ERR_NOT_FOUND,
 * FLZ_ERR_NOT_A_KIT (not a folder), FLZ_ERR_READ, FLZ_ERR_EMPTY_KIT,
 * FLZ_ERR_NO_MEMORY. More than FLZ_SLOTS audio files is not an error: the
 * first FLZ_SLOTS are pads and `skipped` counts the rest. */
int flz_kit_scan(const char *dir, flz_kit *kit);

/* Frees what flz_kit_scan allocated. NULL-safe, safe twice. */
void flz_kit_free(flz_kit *kit);

/* Loads every pad of `kit` into `sampler` (pad N -> slot N-1). A file that
 * fails prints one line "error: PATH: REASON" on `err` and the others go on
 * loading; REASON is flz_result_message, then the decoder's detail in
 * parentheses when it has one. Files past FLZ_SLOTS (kit->skipped) print one
 * line "error: DIR: more files than sample slots (N files past pad 256 not
 * loaded)". Returns how many pads loaded. */
uint32_t flz_kit_load(const flz_kit *kit, flz_sampler *sampler, FILE *err);

/* The folder of the built-in default kit: "kit/default" next to the flitz
 * executable (the build tree), else "../share/flitz/kits/default" relative to
 * it (an installed package). The executable's folder comes from
 * /proc/self/exe. Writes it into `out` (`size` bytes) and returns FLZ_OK,
 * FLZ_ERR_NOT_FOUND if neither exists, or FLZ_ERR_ARGUMENT if `size` is too
 * small. */
int flz_kit_default_dir(char *out, size_t size);

#endif
