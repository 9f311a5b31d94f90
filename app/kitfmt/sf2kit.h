/* app/kitfmt/sf2kit.h: SoundFont 2 banks (.sf2) as multi-sample kits
 * (app/kitformat.h): one preset's zones, as app/kitfmt/sf2.h resolves them,
 * made regions that play their points inside the bank.
 *
 * Mapped, per zone: keyRange and velRange (velocity 0 reads as 1); the
 * sample's points with the address offsets (start, end; the loop points
 * when sampleModes loops: 1 loop_continuous, 3 loop_sustain, else no loop);
 * root key (overridingRootKey, else the sample's original pitch); tuning
 * (coarseTune semitones + fineTune cents + the sample's pitch correction);
 * scaleTuning: 100 cents a key plays the region transposed from its root,
 * any other value makes one region per key, each tuned by
 * (key - root) x scaleTuning cents and keynumToVolEnvHold/Decay applied
 * for it (a region's tuning is clamped to +-FLZ_SF2KIT_CENTS_MAX); initialAttenuation (cB: gain 10^(-cB / 200)); pan (-500..500 is
 * -1..1); the volume envelope (timecents to ms: attack, hold, decay,
 * release; the spec's shortest time, 2^-10 s, reads as none; decay is the
 * spec's time for 100 dB scaled by the sustain's share of it, sustain cB
 * to the level 10^(-cB / 200)); exclusiveClass as the pad's choke group
 * (a press fades the voices of every pad of that class, its own too, fast).
 * Not mapped: delayVolEnv, the fixed keynum and velocity generators,
 * modulators (the velocity law is the engine's), filters, LFOs, effects.
 * Pads: zones whose key ranges overlap share a pad (a GM drum preset: one
 * pad per key), in key order; its group is the first exclusive class of
 * its regions. Every region plays its sample decoded once (a stereo pair
 * is two mono regions panned by their zones).
 *
 * Messages (on `err`): "error: FILE: no preset BANK:PROGRAM (flitz check
 * FILE lists the presets)" for a preset the bank lacks; the reader's line
 * for a bank it refuses. Regions past FLZ_REGIONS, FLZ_PADS or
 * FLZ_PAD_REGIONS are counted in `skipped` and named in one error line, and
 * the rest loads. Control thread (any thread: no state).
 */
#ifndef FLZ_APP_KITFMT_SF2KIT_H
#define FLZ_APP_KITFMT_SF2KIT_H

#include <stdint.h>
#include <stdio.h>

#include "app/kitformat.h"
#include "app/kitfmt/sf2.h"

/* The most a region is tuned up or down, cents: 10 octaves, the spec's
 * coarseTune range (+-120 semitones); a scaleTuning far from 100 over many
 * keys would otherwise pass what a float rate holds. */
#define FLZ_SF2KIT_CENTS_MAX 12000.0

/* 1 if `path` names an SF2 bank (ends in .sf2, any case). */
int flz_sf2kit_probe(const char *path);

/* Reads preset `preset` (NULL: the first) of bank `path` into `out` (free
 * with flz_kit_regions_free). Returns FLZ_OK, FLZ_ERR_SYNTAX (its error
 * line printed on `err`) or FLZ_ERR_NO_MEMORY. */
int flz_sf2kit_read(const char *path, const flz_kit_preset *preset, flz_kit_regions *out,
                    FILE *err);

/* Prints the presets of bank `path` on `out`, one line each: "preset
 * BANK:PROGRAM NAME" (a control character of a name printed as '?').
 * Returns 1, or 0 with an `error:` line on `err` when the bank does not
 * read. The kit-format table's `list` (flitz check). Any thread. */
int flz_sf2kit_list(const char *path, FILE *out, FILE *err);

/* Maps preset index `preset` of the open bank `sf2`, the file at `path`
 * (the regions' path, and the name in messages), into `out` as
 * flz_sf2kit_read does (the fuzzer's entry). */
int flz_sf2kit_map(const flz_sf2 *sf2, const char *path, uint32_t preset, flz_kit_regions *out,
                   FILE *err);

#endif
