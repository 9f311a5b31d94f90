/* app/kitfile.h: kit.ini, the optional file in a kit folder that sets how
 * its pads play. INI syntax (parsed with libinih): `;` or `#` starts a
 * comment line, `;` also ends a value.
 *
 *   [kit]
 *   bpm = 120            ; master tempo, 20..999
 *   quantize = off       ; launch grid of loop pads: off, 1/16, 1/8, 1/4, bar
 *   multi_loop = true    ; false: starting a loop stops the others
 *   bank_size = 16       ; pads per bank, 1..256
 *   speed = 1.0          ; global playback speed, 0.5..2.0
 *
 *   [pad 3]              ; N is 1-based, 1..256
 *   file = snare.wav     ; relative to the kit folder
 *   mode = oneshot       ; oneshot, gate, loop, loop-gate
 *   retrigger = restart  ; restart, layer
 *   choke = 0            ; choke group, 0 = none
 *   gain_db = 0          ; -96..24
 *   pan = 0              ; -1..1
 *   tune = 0             ; semitones, fractional for cents, -48..48
 *   start = 0            ; frames of the source file
 *   end = 0              ; frames of the source file, 0 = its end
 *   loop_start = 0       ; frames of the source file; both 0: the whole range,
 *   loop_end = 0         ; or the file's smpl loop when it has one
 *   reverse = false
 *   velocity_curve = square ; square (the default), linear, or db:R (R dB range)
 *   bpm = 0              ; the pad's own tempo, 0 = unknown
 *   bpm_lock = false     ; play at master bpm / pad bpm
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

#include "engine/limits.h"
#include "engine/message.h"

/* Bits of flz_pad_settings.set: which keys a section gave. */
enum {
  FLZ_PAD_FILE = 1u << 0,
  FLZ_PAD_LOOP_POINTS = 1u << 1, /* loop_start or loop_end given */
};

typedef struct flz_pad_settings {
  char file[256];       /* "" = by folder order */
  uint32_t set;         /* FLZ_PAD_* bits */
  uint32_t mode;        /* flz_mode */
  uint32_t retrigger;   /* flz_retrigger; kits default to restart */
  uint32_t choke;
  float gain_db;
  float pan;
  float tune;           /* semitones */
  uint32_t start, end;  /* source frames; end 0 = the file's end */
  uint32_t loop_start, loop_end; /* source frames */
  int reverse;
  uint32_t curve;       /* flz_curve */
  float curve_db;
  float bpm;
  int bpm_lock;
} flz_pad_settings;

typedef struct flz_kitfile {
  float bpm;            /* default 120 */
  uint32_t quantize;    /* flz_quantize, default off */
  int multi_loop;       /* default 1 */
  uint32_t bank_size;   /* default 16 */
  float speed;          /* default 1.0 */
  flz_pad_settings pads[FLZ_SLOTS]; /* pad N is pads[N - 1] */
} flz_kitfile;

/* The defaults: a kit with no kit.ini. */
void flz_kitfile_init(flz_kitfile *kit);

/* Reads `path` into `kit` (defaults first). Returns FLZ_OK; FLZ_ERR_NOT_FOUND
 * or FLZ_ERR_READ if it cannot be opened; FLZ_ERR_SYNTAX for a bad line, with
 * its 1-based number in *line and the reason in `detail` (e.g. "unknown key
 * 'gian_db' in [pad 3]", "mode must be oneshot, gate, loop or loop-gate, not
 * 'once'"). The first bad line is reported; `kit` then holds the defaults and
 * the good lines before it. */
int flz_kitfile_load(const char *path, flz_kitfile *kit, uint32_t *line, char *detail,
                     size_t detail_size);

/* Engine parameters of pad settings `pad` for a sample decoded from a file
 * of `source_rate` Hz to `engine_rate` Hz, whose own loop (a WAV smpl chunk,
 * in engine frames) is `file_loop_start`..`file_loop_end` (both 0: none).
 * Source frames scale by engine_rate / source_rate, rounded. */
void flz_kitfile_params(const flz_pad_settings *pad, uint32_t source_rate, uint32_t engine_rate,
                        uint32_t file_loop_start, uint32_t file_loop_end,
                        flz_slot_params *params);

/* The flz_quantize of a kit.ini / script word ("off", "1/16", "1/8", "1/4",
 * "bar"); -1 if it is none of them. */
int flz_kitfile_quantize(const char *word);

#endif
