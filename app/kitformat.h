/* app/kitformat.h: kit formats, one table row {name, flags, probe, load,
 * list} each (as platform/decode.c's decoders): a folder of audio files
 * (app/kit.h), an SFZ file (app/kitfmt/sfz.h), an SF2 bank
 * (app/kitfmt/sf2kit.h) and a Hydrogen kit (app/kitfmt/hydrogenkit.h).
 * A new format is a new file and one row; `flitz check`, `flitz render`,
 * `flitz bench --load` and the live load find it through the table.
 *
 * A multi-sample format turns its file into flz_kit_regions: regions (a
 * sample file, the slot parameters it plays with, and the engine's
 * flz_region), grouped into pads (one per key range), which app/kit.c loads
 * one slot per region and sends as SET_SLOT, SET_REGION and SET_PAD.
 *
 * Owns: the format table, the multi-sample kit description and its load
 * into a sampler. Control thread only.
 */
#ifndef FLZ_APP_KITFORMAT_H
#define FLZ_APP_KITFORMAT_H

#include <stdint.h>
#include <stdio.h>

#include "engine/message.h"
#include "platform/decode.h"
#include "platform/sampler.h"

typedef struct flz_kit flz_kit;

/* One region of a multi-sample kit. Frames (start, end, loop points of
 * `params`) are frames of the file at its own rate; the load converts a
 * file's to the engine's rate, and keeps points inside a bank at theirs
 * (the engine plays them at it: flz_region.sample_rate). */
typedef struct flz_kit_region {
  char *path;             /* the sample file, malloc'ed; NULL: silence (SFZ *silence) */
  flz_slot_params params; /* gain, pan, tuning rate, start, end, loop points */
  flz_region region;      /* keys, velocities, rounds, envelope; `slot` is set by the load */
  uint32_t line;          /* the line of the file that ends it, for messages */
  /* A sample stored inside `path` rather than the whole file (an SF2 bank's
   * smpl chunk): when `data_frames` > 0 the region plays `data_frames` mono
   * points of 16-bit little-endian PCM at byte `data_offset` of `path`, made
   * 24-bit by one low byte each at `low_offset` (SF2 sm24; 0: 16-bit), at
   * `data_rate` Hz, which they keep in the pool (the region's sample_rate).
   * Regions with the same path and these four share one decode. */
  uint64_t data_offset, low_offset;
  uint32_t data_frames;
  uint32_t data_rate;
} flz_kit_region;

/* A multi-sample kit: regions in pad order, each pad's regions contiguous. */
typedef struct flz_kit_regions {
  flz_kit_region *regions; /* malloc'ed, `count` of them, at most FLZ_REGIONS */
  uint32_t count;
  uint32_t skipped;               /* regions past FLZ_REGIONS, FLZ_PADS or FLZ_PAD_REGIONS */
  uint32_t pad_count;             /* pads, at most FLZ_PADS */
  flz_pad_params pads[FLZ_PADS];  /* `first` indexes `regions` */
  uint8_t pad_keys[FLZ_PADS];     /* the key a press of the pad plays (its lowest) */
  float velcurves[FLZ_PADS][128]; /* a pad's gain per MIDI velocity, when its
                                     flz_pad_params.velcurve is 1 */
} flz_kit_regions;

/* Which of the kits a file holds to open: an SF2 bank's preset
 * (`--preset BANK:PROGRAM`). Formats holding one kit ignore it. */
typedef struct flz_kit_preset {
  int given;        /* 0: the file's first preset */
  uint16_t bank;    /* wBank; 128 is the GM percussion bank */
  uint16_t program; /* MIDI program 0..127 */
} flz_kit_preset;

/* Capabilities of a kit format (flz_kit_format.flags). */
#define FLZ_KIT_FORMAT_FOLDER 1u /* a folder of audio files, one per pad (app/kit.h) */
/* `flitz bench --load` times its reading ("NAME-read") and decodes its
 * regions' files on the loader pool, as a folder's ("NAME" lines); without
 * it, its opening ("NAME-open") and its samples' decode against a read of
 * its files (a bank's samples lie inside one file). */
#define FLZ_KIT_FORMAT_BENCH_FILES 2u

typedef struct flz_kit_format {
  const char *name; /* "sfz", "sf2", "hydrogen", "folder": `flitz bench --load`'s format */
  unsigned flags;   /* FLZ_KIT_FORMAT_* */
  int (*probe)(const char *path); /* 1 if `path` is a kit of this format */
  /* as flz_kit_scan; FLZ_OK or an error; a file's warnings and error line go
   * to `err`; `preset` may be NULL (the first) */
  int (*load)(const char *path, const flz_kit_preset *preset, flz_kit *kit, FILE *err);
  /* `flitz check`'s lines for what the file holds besides the kit it opens
   * (an SF2 bank's presets, "preset BANK:PROGRAM NAME" each) on `out`;
   * returns 1, or 0 when the file does not open, its error line on `err`.
   * Formats holding one kit print nothing and return 1. */
  int (*list)(const char *path, FILE *out, FILE *err);
} flz_kit_format;

/* The format of the kit at `path`: the first row whose probe takes it (an
 * SFZ file by its .sfz name, an SF2 bank by its .sf2 name, a Hydrogen
 * drumkit.xml or the folder holding one, else a folder), or NULL when none
 * does (an audio file, a missing path). */
const flz_kit_format *flz_kit_format_of(const char *path);

/* Opens the kit at `path` with its format (flz_kit_format_of). Errors as
 * flz_kit_scan; FLZ_ERR_SYNTAX for a multi-sample file whose error line is
 * printed on `err` (warnings too). */
int flz_kit_open(const char *path, flz_kit *kit, FILE *err);

/* As flz_kit_open, opening preset `preset` of a file holding several (NULL:
 * the first). A preset the file lacks is FLZ_ERR_SYNTAX with its line. */
int flz_kit_open_preset(const char *path, const flz_kit_preset *preset, flz_kit *kit, FILE *err);

/* Decodes the sample region `kr` plays into `out`: a whole file at `rate`
 * Hz (0: its own), points inside one (see flz_kit_region) at their own rate
 * whatever `rate` is, as the engine plays them; its own rate in
 * *source_rate (may be NULL). Errors as flz_decode_file, `detail` holding a
 * short reason (FLZ_ERR_READ, FLZ_ERR_NO_MEMORY for points). Any thread but
 * the audio callback. */
int flz_kit_region_decode(const flz_kit_region *kr, uint32_t rate, flz_decoded *out,
                          uint32_t *source_rate, char *detail, size_t detail_size);

/* Decodes regions' samples one after another on one thread (the blocking
 * load, the load benchmark): it keeps the bank it read last open and one
 * buffer for points, so the regions of a bank cost no open and no
 * allocation each. Zero-initialize it; flz_kit_reader_deinit frees it. */
typedef struct flz_kit_reader {
  FILE *file;        /* the bank open for reading, or NULL */
  char *path;        /* its path, malloc'ed */
  float *points;     /* the points' buffer, malloc'ed, `capacity` floats */
  size_t capacity;   /* floats */
  flz_decoded owned; /* the last whole file decoded, freed by the next decode */
} flz_kit_reader;

/* As flz_kit_region_decode, into *out the reader's (valid until its next
 * decode or deinit; do not free it). */
int flz_kit_reader_decode(flz_kit_reader *reader, const flz_kit_region *kr, uint32_t rate,
                          flz_decoded *out, uint32_t *source_rate, char *detail,
                          size_t detail_size);

/* Closes the reader's bank and frees its buffers; NULL-safe. */
void flz_kit_reader_deinit(flz_kit_reader *reader);

/* 1 if regions `a` and `b` play the same sample (one decode serves both). */
int flz_kit_region_same_sample(const flz_kit_region *a, const flz_kit_region *b);

/* The indices of `regions`' regions grouped by the sample they play
 * (adjacent when flz_kit_region_same_sample; each group in region order):
 * malloc'ed, regions->count of them (free it), or NULL without memory.
 * O(n log n). */
uint32_t *flz_kit_regions_by_sample(const flz_kit_regions *regions);

/* Frees a multi-sample description (NULL-safe). */
void flz_kit_regions_free(flz_kit_regions *regions);

/* The pads (0-based, ascending) of `regions` whose attack regions take MIDI
 * key `key`, into `pads` (room for FLZ_PADS): a note presses every one of
 * them, as SFZ plays every region that takes it. Returns how many. */
uint32_t flz_kit_regions_pads_of_key(const flz_kit_regions *regions, uint32_t key, uint16_t *pads);

/* Loads a multi-sample kit into `sampler`, blocking: region i's sample
 * decoded into slot i (a sample several regions play is decoded once),
 * then its parameters, regions and pads sent. A file that fails prints
 * "error: PATH: REASON" and its regions stay silent; each region whose
 * sample does not fit in the pool prints "error: PATH: does not fit in the
 * sample pool (needs X MiB, Y MiB free)" (flz_kit_pool_reason; Y: the
 * pool's largest free block then) and stays silent, the others play.
 * Returns how many regions loaded. For `flitz render`. */
uint32_t flz_kit_regions_load(const flz_kit_regions *regions, flz_sampler *sampler, FILE *err);

/* Sends region `index` of `regions` to `sampler` as SET_SLOT (a file's
 * frame points converted from `source_rate`, the file's rate, to the
 * sampler's, 0: the sampler's; points inside a bank as they are) and
 * SET_REGION (its slot is `index`; sample_rate the bank points' rate), for
 * flz_kit_regions_load and a load that publishes each region's sample
 * itself (app/kit.c's background load). Returns FLZ_OK or
 * FLZ_ERR_RING_FULL (send again later). Control thread. */
int flz_kit_regions_send_region(const flz_kit_regions *regions, uint32_t index,
                                uint32_t source_rate, flz_sampler *sampler);

/* Sends pad `pad` of `regions` to `sampler`: its velocity curve (when it has
 * one), then SET_PAD. Returns FLZ_OK or FLZ_ERR_RING_FULL (send again
 * later). Control thread. */
int flz_kit_regions_send_pad(const flz_kit_regions *regions, uint32_t pad, flz_sampler *sampler);

#endif
