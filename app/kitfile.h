/* app/kitfile.h: kit.ini, the optional file in a kit folder that sets how
 * its pads play. INI syntax (parsed with libinih): `;` or `#` starts a
 * comment line, `;` also ends a value. Sections: [kit] for the whole kit,
 * [pad N] (N 1-based, 1..FLZ_PADS) for one pad. Every key is one row of
 * app/kitfile.c's table, which gives its type, default, range (from
 * engine/limits.h where they are shared) and doc; README.md's key list is
 * written from it (flz_kitfile_document).
 *
 * Pad order: a pad whose section names a `file` plays that file; the folder's
 * other audio files fill the remaining pads in natural order (app/kit.h).
 * Owns: parsing and validating kit.ini, and turning a pad's settings into
 * engine slot parameters. Control thread only.
 */
#ifndef FLZ_APP_KITFILE_H
#define FLZ_APP_KITFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app/ini.h"
#include "engine/limits.h"
#include "engine/message.h"

/* Bits of flz_pad_settings.set: which keys a section gave. */
enum {
  FLZ_PAD_FILE = 1u << 0,
  FLZ_PAD_LOOP_POINTS = 1u << 1, /* loop_start or loop_end given */
};

typedef struct flz_pad_settings {
  char file[256];     /* "" = by folder order */
  uint32_t set;       /* FLZ_PAD_* bits */
  uint32_t mode;      /* flz_mode */
  uint32_t retrigger; /* flz_retrigger; kits default to restart */
  uint32_t choke;
  float gain_db;
  float pan;
  float tune;                    /* semitones */
  uint32_t start, end;           /* source frames; end 0 = the file's end */
  uint32_t loop_start, loop_end; /* source frames */
  int reverse;
  uint32_t curve; /* flz_curve */
  float curve_db;
  float bpm;
  int bpm_lock;
  /* kit.ini's line of start, end, loop_start and loop_end (0: not given),
   * for the messages of flz_kitfile_check_points */
  uint32_t point_lines[4];
} flz_pad_settings;

typedef struct flz_kitfile {
  float bpm;         /* master tempo */
  uint32_t quantize; /* flz_quantize */
  int multi_loop;
  uint32_t bank_size; /* pads per bank */
  float speed;
  uint32_t interpolation;          /* 0: flitz.ini's; else flz_interpolation + 1 */
  flz_pad_settings pads[FLZ_PADS]; /* pad N is pads[N - 1] */
} flz_kitfile;

/* The defaults: a kit with no kit.ini. */
void flz_kitfile_init(flz_kitfile *kit);

/* Reads `path` into `kit` (defaults first). Returns FLZ_OK; FLZ_ERR_NOT_FOUND
 * or FLZ_ERR_READ if it cannot be opened; FLZ_ERR_SYNTAX for a bad line, with
 * its 1-based number in *line and the reason in `detail` (e.g. "unknown key
 * 'gian_db' in [pad 3]", "mode must be oneshot, gate, loop or loop-gate, not
 * 'once'"). The first bad line is reported; `kit` then holds the defaults and
 * the good lines before it. */
/* Reads kit.ini from the open `file` as flz_kitfile_load does (the fuzz
 * harness's entry, on a memory stream). */
int flz_kitfile_read(FILE *file, flz_kitfile *kit, uint32_t *line, char *detail,
                     size_t detail_size);

int flz_kitfile_load(const char *path, flz_kitfile *kit, uint32_t *line, char *detail,
                     size_t detail_size);

/* Engine parameters of pad settings `pad` for a sample decoded from a file
 * of `source_rate` Hz to `engine_rate` Hz, whose own loop (a WAV smpl chunk,
 * in engine frames) is `file_loop_start`..`file_loop_end` (both 0: none).
 * Source frames scale by engine_rate / source_rate, rounded. */
void flz_kitfile_params(const flz_pad_settings *pad, uint32_t source_rate, uint32_t engine_rate,
                        uint32_t file_loop_start, uint32_t file_loop_end, flz_slot_params *params);

/* The words of the quantize grids, flz_quantize values: "off", "1/16",
 * "1/8", "1/4", "bar" (kit.ini's quantize and the event scripts'). */
/* Checks the frame points of `pad` (pad number `number`, 1-based) against
 * each other (end after start, the loop inside start..end, loop_end after
 * loop_start; 0 ends mean the file's end) and, when `frames` is not 0,
 * against the file's length in source frames (start and loop_start inside
 * it, end and loop_end not past it). Returns 1 if they hold; else 0 with the
 * reason in `detail` ("[pad 3] end 100 is not after start 200") and the line
 * of the key it names in *line (0 if the key was not given). Any thread. */
int flz_kitfile_check_points(const flz_pad_settings *pad, uint32_t number, uint64_t frames,
                             uint32_t *line, char *detail, size_t detail_size);

extern const flz_ini_choice flz_kitfile_quantizes[];

/* The flz_quantize of a word of flz_kitfile_quantizes; -1 if it is none of
 * them. */
int flz_kitfile_quantize(const char *word);

/* Writes the key list of README.md's kit.ini section: [kit] and [pad N], and
 * each key with its default, doc and range, from app/kitfile.c's table
 * (tests/app/test_kitfile.c checks README.md against it). */
void flz_kitfile_document(FILE *out);

#endif
