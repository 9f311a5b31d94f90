/* app/script.h: event scripts, the input of `flitz render`.
 *
 * Owns: the script syntax and its error reasons. It does not touch the
 * sampler; app/render.c plays the events. Control thread only.
 *
 * Syntax: one event a line; '#' starts a comment anywhere on a line; blank
 * lines are fine; fields are separated by spaces or tabs.
 *   SECONDS play PAD [VELOCITY]   start pad PAD at VELOCITY (0..1, default 1)
 *   SECONDS note KEY VELOCITY [CHANNEL]
 *                                 a MIDI note on: KEY a number 0..127 or a
 *                                 name (c4 = 60, app/note.h; a sharp's # starts
 *                                 a comment here: write flats, db4), VELOCITY the MIDI
 *                                 value 1..127, CHANNEL 1..16 (default 1);
 *                                 it plays what the kit's keys say
 *   SECONDS release PAD           let go of pad PAD (gate pads fade out)
 *   SECONDS stop PAD              fade out the voices of pad PAD
 *   SECONDS stop-all              fade out every voice
 *   SECONDS volume DB             master volume in dB, at most FLZ_GAIN_DB_MAX
 *                                 (at or below FLZ_GAIN_DB_MIN: silence)
 *   SECONDS speed X               global speed, FLZ_SPEED_MIN..FLZ_SPEED_MAX
 *   SECONDS tempo BPM             master tempo, FLZ_TEMPO_MIN..FLZ_TEMPO_MAX
 *   SECONDS quantize Q            off, 1/16, 1/8, 1/4 or bar (app/kitfile.h)
 *   SECONDS multi-loop on|off
 *   SECONDS record on|off|overdub|undo|clear
 *                                 the pattern recorder (engine/pattern.h):
 *                                 on empties the chosen pattern and records,
 *                                 overdub records adding, off stops recording,
 *                                 undo removes the last pass, clear empties it
 *   SECONDS pattern N [bars B]    choose pattern N (1..FLZ_PATTERNS) of B bars
 *                                 (1..FLZ_PATTERN_BARS_MAX; default: as it is)
 *   SECONDS pattern off           stop playing patterns
 *   SECONDS chain N,N,...         play patterns in turn, a cycle each
 *   SECONDS record-quantize Q [swing S]
 *                                 grid of recorded hits: off, 1/16, 1/8 or
 *                                 1/4; swing S percent 50..75 (default 50)
 *   SECONDS metronome DB|off      the click's level in dB, at most
 *                                 FLZ_GAIN_DB_MAX; off by default
 *   SECONDS resample master|PAD into PAD [bars N]
 *                                 record the output (or pad PAD's voices)
 *                                 into pad PAD, for N bars (N > 0; default:
 *                                 until `resample stop`), from this frame;
 *                                 the recording plays on its pad when it
 *                                 ends, and `flitz render` saves it
 *                                 (app/resampling.h). The pad recorded into
 *                                 may be past the kit's pads (1..FLZ_PADS):
 *                                 later lines may name it
 *   SECONDS resample stop         end the recording now
 *   SECONDS repeat RATE           note repeat: off, 1/4, 1/8, 1/16, 1/32 or a
 *                                 triplet 1/4t, 1/8t, 1/16t, 1/32t; while it
 *                                 is on, a pad played (and not released)
 *                                 sounds on every grid line of RATE
 *   SECONDS pressure PAD|all VALUE
 *                                 aftertouch 0..1 of pad PAD (all: channel
 *                                 pressure): the velocity of its next repeats
 * SECONDS is a number from 0 to FLZ_RENDER_SECONDS_MAX (one day); times must
 * not decrease from one event to the next. PAD is 1-based, as `flitz check`
 * prints it. (engine/limits.h holds the constants.)
 */
#ifndef FLZ_APP_SCRIPT_H
#define FLZ_APP_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "engine/limits.h"

typedef enum flz_script_action {
  FLZ_SCRIPT_PLAY = 0,
  FLZ_SCRIPT_STOP,
  FLZ_SCRIPT_STOP_ALL,
  FLZ_SCRIPT_VOLUME,
  FLZ_SCRIPT_RELEASE,         /* release PAD: gate and loop-gate pads fade out */
  FLZ_SCRIPT_SPEED,           /* speed X: global speed */
  FLZ_SCRIPT_TEMPO,           /* tempo BPM: master tempo */
  FLZ_SCRIPT_QUANTIZE,        /* quantize Q: off, 1/16, 1/8, 1/4, bar (value = flz_quantize) */
  FLZ_SCRIPT_MULTI_LOOP,      /* multi-loop on|off (value 1 or 0) */
  FLZ_SCRIPT_CLOCK,           /* clock tick|start|continue|stop|position N: a MIDI clock
                            message (value = its status byte, pad = N) */
  FLZ_SCRIPT_NOTE,            /* note KEY VELOCITY [CHANNEL]: `key`, velocity / 127 in `value` */
  FLZ_SCRIPT_RECORD,          /* record ACTION: `value` = flz_record */
  FLZ_SCRIPT_PATTERN,         /* pattern N [bars B]: `pad` = N (0: off), `value` = B (0: keep) */
  FLZ_SCRIPT_CHAIN,           /* chain N,N,...: `pad` patterns in `chain` */
  FLZ_SCRIPT_RECORD_QUANTIZE, /* record-quantize Q [swing S]: `pad` = flz_quantize,
                                 `value` = S / 100 */
  FLZ_SCRIPT_METRONOME,       /* metronome DB|off: `value` = linear gain (off: 0) */
  FLZ_SCRIPT_RESAMPLE,        /* resample SOURCE into PAD [bars N]: `source`, `pad`, N in `value`
                            (0: until stopped) */
  FLZ_SCRIPT_RESAMPLE_STOP,   /* resample stop */
  FLZ_SCRIPT_REPEAT,          /* repeat RATE: `value` = flz_repeat_rate */
  FLZ_SCRIPT_PRESSURE,        /* pressure PAD|all VALUE: `pad` (0 = all), VALUE in `value` */
} flz_script_action;

typedef struct flz_script_event {
  double seconds;  /* when, from the start of the render */
  uint32_t action; /* flz_script_action */
  uint32_t pad;    /* 1-based pad (play, stop); clock position: N 1/16 notes; 0 otherwise */
  float value;     /* velocity 0..1 (play), dB (volume), ratio (speed), BPM (tempo),
                      flz_quantize (quantize), 1/0 (multi-loop), 0 otherwise */
  uint32_t line;   /* 1-based line of the script it came from */
  uint8_t key;     /* note, and release with a key: MIDI key 0..127 */
  uint8_t channel; /* note: MIDI channel 1..16 */
  uint8_t chain[FLZ_PATTERNS]; /* chain: 0-based patterns */
  uint32_t source;             /* resample: 0 the master output, else the 1-based pad recorded */
  uint8_t has_key;             /* release: 1 when its KEY was given */
} flz_script_event;

typedef struct flz_script {
  flz_script_event *events; /* in script order, times non-decreasing; malloc'ed */
  size_t count;
} flz_script;

/* Reads the chain `text` ("1,2,1,3": 1 to FLZ_PATTERNS patterns 1 to
 * FLZ_PATTERNS joined by commas) into `chain` (FLZ_PATTERNS
 * entries, 0-based patterns) and its entries into *length. Returns 1, or 0
 * when `text` is not one (then *length is 0). Any thread. */
int flz_script_chain(const char *text, uint8_t *chain, uint32_t *length);

/* Parses the NUL-terminated script `text` for a kit of `pad_count` pads
 * (PAD must be 1..pad_count). Fills `script` (free with flz_script_deinit).
 * Returns FLZ_OK; FLZ_ERR_SYNTAX with the 1-based line in *line and a
 * one-line reason in `detail` (e.g. "unknown action 'jump' (play, note, stop,
 * release, stop-all, volume, speed, tempo, quantize, multi-loop, clock, record, pattern,
 * chain, record-quantize, metronome, resample, repeat, pressure)", "pad 9 is out of range
 * 1..8", "velocity 1.5 is outside
 * 0..1", "time 0.5 is before the previous event's 0.75: times must not
 * decrease"); or FLZ_ERR_NO_MEMORY. On error `script` is empty. */
int flz_script_parse(const char *text, uint32_t pad_count, flz_script *script, uint32_t *line,
                     char *detail, size_t detail_size);

/* Reads file `path` and parses it as above. Adds the errors FLZ_ERR_NOT_FOUND,
 * FLZ_ERR_IS_DIRECTORY and FLZ_ERR_READ (then *line is 0 and `detail` is
 * empty). */
int flz_script_load(const char *path, uint32_t pad_count, flz_script *script, uint32_t *line,
                    char *detail, size_t detail_size);

/* Frees the events and empties `script`. NULL-safe, safe twice. */
void flz_script_deinit(flz_script *script);

#endif
