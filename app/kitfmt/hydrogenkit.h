/* app/kitfmt/hydrogenkit.h: Hydrogen drumkits (drumkit.xml, or the folder
 * holding it) as multi-sample kits (app/kitformat.h), from what
 * app/kitfmt/hydrogen.h reads.
 *
 * Pads: one per instrument with a MIDI note and a layer, in the kit's
 * order, on its note (hydrogen.h: <midiInNote>, else 36 upward), unpitched
 * there. Each instrument component's layers become regions:
 *   - velocity: MIDI velocity v (1..127) is the level v / 127 Hydrogen
 *     compares with a layer's 0..1 <min> and <max> (min <= v / 127 <= max,
 *     in float). With sampleSelectionAlgo VELOCITY the one layer holding v
 *     with the highest <min> plays it (a level on the boundary of two
 *     layers goes to the upper one); a v no layer holds goes to the layer
 *     whose range is nearest. So the layers' MIDI ranges tile 1..127 with
 *     no gap and no overlap. ROUND_ROBIN: the layers holding v take turns
 *     (the pad's seq_length is the least common multiple of how many hold
 *     each velocity, when that fits FLZ_PAD_REGIONS; else the largest);
 *     RANDOM: each of the n layers holding v plays for 1/n of the random
 *     range (lorand..hirand). Every component plays at once.
 *   - gain: the layer's <gain> x its component's <gain> x the instrument's
 *     <volume> x <gain>; the press's velocity scales it linearly (v / 127,
 *     the pad's velocity curve), as Hydrogen does.
 *   - pan: the instrument's pan_L/pan_R (or <pan>), -1..1.
 *   - tune: the layer's <pitch> + the instrument's <pitchOffset>, semitones.
 *   - envelope: ADSR in Hydrogen's frames read at 44.1 kHz (Hydrogen's
 *     usual rate): attack, decay and release in ms = frames / 44.1, sustain
 *     the level; linear where Hydrogen's are exponential. A sample plays to
 *     its end (one-shot).
 *   - <muteGroup> G (0 or more) is the choke group G + 1: a press fades the
 *     voices of the other pads of the group by their release, and the
 *     instrument's own voices ring on (flz_pad_params.choke_others), as
 *     Hydrogen's Sampler::noteOn releases the notes of the group's other
 *     instruments only.
 *
 * Messages (on `err`): the reader's error line; "error: FILE: no instrument
 * with a sample and a MIDI note" for a kit with nothing to play. Regions
 * past FLZ_REGIONS, FLZ_PADS or FLZ_PAD_REGIONS are counted in `skipped` and
 * named in one error line, and the rest loads. Control thread (any thread:
 * no state).
 */
#ifndef FLZ_APP_KITFMT_HYDROGENKIT_H
#define FLZ_APP_KITFMT_HYDROGENKIT_H

#include <stdio.h>

#include "app/kitformat.h"
#include "app/kitfmt/hydrogen.h"

/* Frames a second Hydrogen's ADSR values are read at. */
#define FLZ_HYDROGENKIT_ADSR_RATE 44100.0

/* 1 if `path` is a file named drumkit.xml or a folder holding one. */
int flz_hydrogenkit_probe(const char *path);

/* Reads the kit at `path` into `out` (free with flz_kit_regions_free).
 * Returns FLZ_OK, FLZ_ERR_SYNTAX (its error line printed on `err`) or
 * FLZ_ERR_NO_MEMORY. */
int flz_hydrogenkit_read(const char *path, flz_kit_regions *out, FILE *err);

/* Maps a kit already read into `out` as flz_hydrogenkit_read does; `file`
 * names it in messages (the fuzzer's entry). */
int flz_hydrogenkit_map(const flz_hydrogen_kit *kit, const char *file, flz_kit_regions *out,
                        FILE *err);

#endif
