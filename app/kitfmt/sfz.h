/* app/kitfmt/sfz.h: SFZ files (sfzformat.com's opcodes) as multi-sample
 * kits (app/kitformat.h).
 *
 * Read: headers <control> <global> <master> <group> <region> (a region
 * takes what the headers above it set, nearest first); #include "FILE"
 * (relative to the including file's folder) and #define $NAME VALUE;
 * comments // and / * ... * /. Opcodes: sample (relative paths with / or \,
 * default_path, *silence), key, lokey, hikey, pitch_keycenter (numbers or
 * names, c4 = 60), lovel, hivel, seq_length, seq_position, lorand, hirand,
 * lochan, hichan (1..16, flz_region.channels),
 * group, off_by (offby), off_mode (fast, normal, time), off_time,
 * note_polyphony, polyphony, loop_mode (no_loop, one_shot, loop_continuous,
 * loop_sustain), loop_start, loop_end, offset, end, trigger (attack,
 * release), volume, pan, tune, transpose, amp_veltrack, amp_velcurve_N,
 * ampeg_attack, ampeg_hold, ampeg_decay, ampeg_sustain, ampeg_release,
 * sample_quality (per region, over kit.ini's and flitz.ini's interpolation;
 * sfzformat.com's 1 linear, 2 a polynomial, 3..10 windowed sinc: 0 and 1
 * play linear, 2 hermite, 3..10 sinc, engine/interpolate.h).
 * Pads: one per key range (lokey..hikey), in key order; a pad's
 * polyphony and velocity curve (amp_velcurve_N) come from its first region
 * that sets them, its seq_length is the largest of its regions'. group,
 * off_by, off_mode and off_time are each region's own (flz_region): a
 * region that sounds fades the voices of every region whose off_by is its
 * group, on any pad, its own included (a region with group = off_by chokes
 * its own earlier voices, as sforzando and sfizz do), each voice as its own
 * region's off_mode says.
 *
 * Messages (on `err`): an unknown opcode or header is
 * "warning: FILE:LINE: ..." and the kit
 * loads; a malformed line or value is "error: FILE:LINE: REASON" and the
 * load fails. Hostile files are errors: an #include nested deeper than
 * FLZ_SFZ_INCLUDE_DEPTH (a loop), files above FLZ_SETTINGS_FILE_MAX x 16
 * bytes in all, more than FLZ_SFZ_DEFINES defines, a line longer than
 * FLZ_SFZ_LINE_MAX after its defines. Regions past FLZ_REGIONS, pads past
 * FLZ_PADS and regions past FLZ_PAD_REGIONS a pad are counted in `skipped`
 * and named in one error line, and the rest loads.
 *
 * Control thread (any thread: no state).
 */
#ifndef FLZ_APP_KITFMT_SFZ_H
#define FLZ_APP_KITFMT_SFZ_H

#include <stddef.h>
#include <stdio.h>

#include "app/kitformat.h"

#define FLZ_SFZ_INCLUDE_DEPTH 16
#define FLZ_SFZ_DEFINES 256
#define FLZ_SFZ_LINE_MAX 4096

/* 1 if `path` names an SFZ file (ends in .sfz, any case). */
int flz_sfz_probe(const char *path);

/* Reads SFZ file `path` into `out` (free with flz_kit_regions_free).
 * Returns FLZ_OK, FLZ_ERR_SYNTAX (its error line printed on `err`),
 * FLZ_ERR_NOT_FOUND, FLZ_ERR_READ, FLZ_ERR_EMPTY_KIT (no region) or
 * FLZ_ERR_NO_MEMORY. */
int flz_sfz_read(const char *path, flz_kit_regions *out, FILE *err);

/* As flz_sfz_read over `size` bytes of `text` named `name` in messages, whose
 * #include and sample paths are relative to folder `dir`. (The fuzzer's
 * entry.) */
int flz_sfz_parse(const char *name, const char *text, size_t size, const char *dir,
                  flz_kit_regions *out, FILE *err);

#endif
