/* app/kitfmt/sf2.h: the SoundFont 2 reader, our own RIFF reader after the
 * SoundFont 2.04 Technical Specification (E-mu, 2006; "spec" below).
 *
 * flz_sf2_open reads a bank's index: the INFO list, where the sdta list's
 * sample data lies (smpl, 16-bit; sm24, the low bytes of 24-bit samples)
 * without reading it, and the pdta "hydra" (phdr pbag pmod pgen inst ibag
 * imod igen shdr), checked for structure. flz_sf2_zones resolves one preset
 * into a flat list of zones, each a sample with its key and velocity range
 * and every parameter summed as the spec says (section 9.4): instrument
 * zones take their global zone's generators unless they set their own;
 * preset zones likewise; the preset's values are then added to the
 * instrument's (for the generators allowed at preset level), and the key and
 * velocity ranges of both levels are intersected. A zone whose ranges do
 * not meet, or whose sample is in ROM, is left out. Modulators (pmod/imod)
 * are checked for structure only; they are not applied.
 * flz_sf2_read_int16 / flz_sf2_read_float read sample data on demand.
 *
 * Every offset, count and size is checked against its chunk and the file: a
 * hostile file is an error with one line, never a read past a buffer.
 * Owns: the open file and the index it read. A flz_sf2 is used by one thread
 * at a time (its reads move the file position); any thread, never the audio
 * callback (they read files and allocate).
 */
#ifndef FLZ_APP_KITFMT_SF2_H
#define FLZ_APP_KITFMT_SF2_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The most zones flz_sf2_zones gives for one preset (a GM bank's drum kit has
 * a few hundred), and the most instrument zones it visits doing so: bounds
 * on what a hostile file can make it do. */
#define FLZ_SF2_ZONES_MAX 65536u
#define FLZ_SF2_VISITS_MAX (1u << 22)

/* sampleModes (generator 54). Value 2 is "unused, no loop" in the spec and
 * reads as FLZ_SF2_NO_LOOP. */
typedef enum flz_sf2_sample_mode {
  FLZ_SF2_NO_LOOP = 0,
  FLZ_SF2_LOOP_CONTINUOUS = 1,
  FLZ_SF2_LOOP_UNTIL_RELEASE = 3, /* loops while the key is held, then plays on to the end */
} flz_sf2_sample_mode;

/* sfSampleType bits (shdr). */
enum {
  FLZ_SF2_MONO = 1,
  FLZ_SF2_RIGHT = 2,
  FLZ_SF2_LEFT = 4,
  FLZ_SF2_LINKED = 8,
  FLZ_SF2_ROM = 0x8000,
};

typedef struct flz_sf2_preset {
  char name[21];    /* achPresetName, NUL-terminated */
  uint16_t bank;    /* wBank; 128 is the GM percussion bank */
  uint16_t program; /* wPreset, MIDI program 0..127 */
} flz_sf2_preset;

/* One resolved zone: play `sample`'s frames [start, end) for keys
 * lokey..hikey at velocities lovel..hivel (inclusive, 0..127). */
typedef struct flz_sf2_zone {
  uint8_t lokey, hikey; /* keyRange of both levels, intersected */
  uint8_t lovel, hivel; /* velRange of both levels, intersected */
  uint32_t sample;      /* index of its sample header (shdr record) */
  char sample_name[21]; /* achSampleName */
  /* Frames (sample points) from the start of the smpl data, with the zone's
   * address offset generators applied: start < end, and for a looped zone
   * start <= loop_start < loop_end <= end. */
  uint32_t start, end;
  uint32_t loop_start, loop_end;
  uint32_t sample_rate;    /* Hz (dwSampleRate) */
  uint16_t sample_type;    /* FLZ_SF2_MONO, _LEFT or _RIGHT, maybe | FLZ_SF2_LINKED */
  uint16_t sample_link;    /* wSampleLink: the other channel's sample header */
  uint8_t root_key;        /* overridingRootKey when set, else byOriginalPitch
                               (60 when that is 128..255, as the spec says) */
  int8_t pitch_correction; /* cents (chPitchCorrection) */
  int16_t coarse_tune;     /* semitones, -120..120 */
  int16_t fine_tune;       /* cents, -99..99 */
  int16_t scale_tuning;    /* cents per key, 0..1200 (100: a semitone a key) */
  int8_t keynum, velocity; /* fixed key / velocity (generators 46, 47); -1 none */
  int16_t attenuation;     /* initialAttenuation, cB, 0..1440 (10 cB = 1 dB) */
  int16_t pan;             /* 0.1 % units, -500 (left) .. 500 (right) */
  /* Volume envelope, seconds (2^(timecents / 1200), the sum clamped to the
   * spec's range first, so the shortest is 2^-10 s, about 1 ms): */
  float delay, attack, hold, decay, release;
  int16_t sustain;          /* attenuation at sustain, cB, 0..1440 (0: full level) */
  int16_t keynum_to_hold;   /* timecents per key from 60 (keynumToVolEnvHold) */
  int16_t keynum_to_decay;  /* timecents per key from 60 (keynumToVolEnvDecay) */
  uint16_t exclusive_class; /* 0 none, else 1..127: a choke group */
  flz_sf2_sample_mode sample_mode;
} flz_sf2_zone;

typedef struct flz_sf2 {
  FILE *file;
  char path[256];          /* as given to open, for messages (cut to fit) */
  uint16_t version_major;  /* ifil: 2 */
  uint16_t version_minor;  /* ifil: 0, 1 or 4 */
  char name[257];          /* INAM */
  char engine[257];        /* isng ("EMU8000") */
  char copyright[257];     /* ICOP, "" when absent */
  uint64_t smpl_offset;    /* byte offset of the smpl data in the file */
  uint32_t frames;         /* sample points in smpl */
  uint64_t sm24_offset;    /* byte offset of sm24's data, 0 when the bank
                                   has none (or one the spec says to ignore) */
  flz_sf2_preset *presets; /* in file order, without the EOP record */
  uint32_t preset_count;
  struct flz_sf2_hydra *hydra; /* the raw pdta; private to sf2.c */
} flz_sf2;

/* Opens the bank at `path` and reads its index. Returns FLZ_OK with `sf2`
 * filled (close it with flz_sf2_close), or an error with `sf2` empty and
 * one line in `why` naming the file and the reason ("/x.sf2: pdta: pbag 9
 * points at pgen 4000 past its 312 records"): FLZ_ERR_NOT_FOUND,
 * FLZ_ERR_READ, FLZ_ERR_UNSUPPORTED (not RIFF sfbk, or a version other than
 * 2 such as compressed SF3), FLZ_ERR_CORRUPT (structure broken),
 * FLZ_ERR_NO_MEMORY. */
int flz_sf2_open(const char *path, flz_sf2 *sf2, char *why, size_t why_size);

/* As flz_sf2_open, on a file already open for reading at its start (the fuzz
 * harness gives a memory stream). `sf2` takes it: flz_sf2_close closes it,
 * also when this fails. `path` names it in messages. */
int flz_sf2_open_file(FILE *file, const char *path, flz_sf2 *sf2, char *why, size_t why_size);

/* The index of the first preset with this bank and program, or -1. */
int32_t flz_sf2_find_preset(const flz_sf2 *sf2, uint16_t bank, uint16_t program);

/* Resolves preset `preset` (an index into sf2->presets) into *zones (malloc'd,
 * the caller frees it) and *count, in the order of its preset zones, then
 * their instruments' zones. Returns FLZ_OK (maybe with 0 zones), or
 * FLZ_ERR_ARGUMENT (no such preset), FLZ_ERR_CORRUPT (an instrument or
 * sample index past its list, a sample whose start/end lie past the data or
 * are reversed, more than FLZ_SF2_ZONES_MAX zones or FLZ_SF2_VISITS_MAX
 * visits), FLZ_ERR_NO_MEMORY, with the line in `why` and *zones NULL.
 * Loop points outside start..end are clamped into it; a loop left empty
 * plays as FLZ_SF2_NO_LOOP. */
int flz_sf2_zones(const flz_sf2 *sf2, uint32_t preset, flz_sf2_zone **zones, uint32_t *count,
                  char *why, size_t why_size);

/* Reads sample points [first, first + count) of the smpl data (a zone's are
 * [zone->start, zone->end)) into `out` (count int16, mono: one channel per
 * sample header), and when `low` is not NULL their sm24 low bytes into it
 * (count bytes; zeros when the bank has no sm24). Returns FLZ_OK,
 * FLZ_ERR_ARGUMENT (the range passes the data's end), FLZ_ERR_READ. */
int flz_sf2_read_int16(flz_sf2 *sf2, uint32_t first, uint32_t count, int16_t *out, uint8_t *low,
                       char *why, size_t why_size);

/* The same points as floats in -1..1: (16-bit << 8 | low byte) / 2^23 with
 * sm24, 16-bit / 2^15 without. `out` holds count floats. */
int flz_sf2_read_float(flz_sf2 *sf2, uint32_t first, uint32_t count, float *out, char *why,
                       size_t why_size);

/* Reads `frames` sample points (16-bit little-endian) at byte `offset` of
 * `file`, with their sm24 low bytes at byte `low_offset` (0: none), into
 * `out` (frames floats) as flz_sf2_read_float scales them. Returns FLZ_OK or
 * FLZ_ERR_READ (the file ends first). */
int flz_sf2_read_pcm(FILE *file, uint64_t offset, uint64_t low_offset, uint32_t frames, float *out);

/* Closes the file and frees the index; an all-zero flz_sf2 is fine. */
void flz_sf2_close(flz_sf2 *sf2);

#endif
