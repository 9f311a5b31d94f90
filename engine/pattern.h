/* engine/pattern.h: the pattern recorder: a static store of recorded pad
 * hits for FLZ_PATTERNS patterns, their playback on the engine's beat, and
 * the metronome's click.
 *
 * Owns: the event store (FLZ_PATTERN_EVENTS events for all patterns, in
 * flz_patterns, caller memory: part of flz_engine), the playing pattern and
 * chain, the recording pass, the record quantize and the click. Not voices
 * (engine/engine.c plays what flz_patterns_take hands it), nor files
 * (app/pattern.h). Nothing here allocates, locks or does I/O: every
 * function runs on the audio thread (inside flz_engine_render), or on any
 * thread before the engine runs.
 *
 * Glossary. pattern: 1 to FLZ_PATTERN_BARS_MAX bars (4 beats each) of pad
 * hits (and the releases of held ones: gate pads, multi-sample keys) that
 * loop. cycle: one time through the playing pattern. pass: the hits
 * recorded in one cycle (from arming to the cycle's end, or from a cycle's
 * start to its end or to disarming), with their releases, whenever they
 * come; undo removes the last pass.
 *
 * Timing: the playing pattern's cycles lie end to end on the engine's beat,
 * cycle k of a pattern of B bars spanning beats 4Bk..4B(k+1), so patterns
 * stay in phase with quantized loops and with a followed MIDI clock; a jump
 * of the beat (Start, Song Position Pointer) moves the pattern with it. A
 * hit at beat b is recorded at position b - (the cycle's first beat),
 * optionally moved to the nearest line of the record grid, and plays at the
 * frame nearest that position's beat in every later cycle: at a constant
 * tempo, the frame it was recorded at plus whole cycles (frame-exact).
 * Positions are kept in beats, so a pattern follows tempo changes.
 */
#ifndef FLZ_ENGINE_PATTERN_H
#define FLZ_ENGINE_PATTERN_H

#include <stdint.h>

#include "engine/limits.h"

/* Positions are beats in 6.26 fixed point: 64 beats (16 bars) fill a
 * uint32, and 2^-26 beats is under 0.02 frames at 20 BPM and 384 kHz. */
#define FLZ_PATTERN_ONE (1u << 26)

/* What a recorded hit pressed, or released: FLZ_PATTERN_RELEASE added to
 * a kind is the release of that press (RELEASE_SLOT, RELEASE_PAD). */
typedef enum flz_pattern_kind {
  FLZ_PATTERN_SLOT = 0,    /* PLAY_SAMPLE of slot `pad` */
  FLZ_PATTERN_PAD = 1,     /* PLAY_PAD of pad `pad` with MIDI key `key` */
  FLZ_PATTERN_RELEASE = 2, /* flag: the release of the press of that kind */
} flz_pattern_kind;

typedef struct flz_pattern_event {
  uint32_t position; /* from the pattern's start, beats x FLZ_PATTERN_ONE */
  float velocity;    /* 0..1, the press's */
  uint32_t pass;     /* the recording pass it came in */
  uint16_t pad;      /* slot (FLZ_PATTERN_SLOT) or pad (FLZ_PATTERN_PAD) */
  uint8_t key;       /* FLZ_PATTERN_PAD: MIDI key 0..127 */
  uint8_t kind;      /* flz_pattern_kind, FLZ_PATTERN_RELEASE maybe added */
} flz_pattern_event;

/* A recorded press still held: where its release will go. */
typedef struct flz_pattern_held {
  double beat;       /* the beat it was pressed at (before quantize) */
  uint32_t position; /* where it was recorded, beats x FLZ_PATTERN_ONE */
  uint32_t pass;     /* the pass of the first press of this hold (a repeat's) */
  uint16_t pad;      /* the press's kind, pad and key */
  uint8_t key;
  uint8_t kind;
  uint32_t pattern; /* recorded into */
} flz_pattern_held;

/* FLZ_COMMAND_RECORD's actions (engine/message.h), on the chosen pattern:
 * the one playing (`current`; one queued behind it is chosen at its start). */
typedef enum flz_record {
  FLZ_RECORD_OFF = 0, /* stop recording; the pattern plays on */
  FLZ_RECORD_ON,      /* empty the chosen pattern and record into it */
  FLZ_RECORD_OVERDUB, /* record into the chosen pattern, adding to it */
  FLZ_RECORD_UNDO,    /* remove the chosen pattern's last recorded pass (never the
                         events a PATTERN_LOAD gave it: pass 0) */
  FLZ_RECORD_CLEAR,   /* empty the chosen pattern */
  FLZ_RECORD_TOGGLE,  /* OFF while recording, else OVERDUB (a record button) */
} flz_record;

/* The engine's beat as a line: `beat` at frame `frame`, `frames_per_beat`
 * frames per beat from there (the tempo). */
typedef struct flz_pattern_clock {
  double beat;
  uint64_t frame;
  double frames_per_beat;
} flz_pattern_clock;

typedef struct flz_patterns {
  flz_pattern_event events[FLZ_PATTERN_EVENTS]; /* pattern p's are events[first[p]..]
                                                   count[p] of them, by position */
  uint32_t first[FLZ_PATTERNS];
  uint32_t count[FLZ_PATTERNS];
  uint32_t bars[FLZ_PATTERNS]; /* 1..FLZ_PATTERN_BARS_MAX */
  uint32_t total;              /* events in the store */
  uint32_t playing;            /* 1: `current` plays */
  uint32_t current;            /* the chosen pattern, 0-based */
  uint32_t queued;             /* chosen while one plays: starts at the cycle's end;
                                  FLZ_PATTERNS: none */
  uint8_t chain[FLZ_PATTERNS]; /* a chain plays these in turn, a cycle each */
  uint32_t chain_length;       /* 0: no chain */
  uint32_t chain_at;           /* the chain's entry playing */
  uint32_t aligned;            /* 0: find the cycle and the cursor at the next step */
  double start;                /* the cycle's first beat */
  double seen;                 /* the beat of the last step: a smaller one jumped back */
  uint32_t cursor;             /* the next event of the cycle to play */
  uint32_t recording;          /* 1: hits are recorded into `current` */
  uint32_t pass;               /* the pass being recorded; passes count up */
  uint32_t quantize;           /* flz_quantize of recorded hits: OFF, 16TH, 8TH or 4TH */
  float swing;                 /* 0.5 (straight) .. 0.75: where a grid pair's second
                                  line lies, as a fraction of the pair */
  float metronome;             /* the click's gain, linear; 0 = off (the default) */
  uint32_t click_left;         /* frames of the sounding click still to play */
  float click_hz;              /* its pitch: higher on a bar's first beat */
  uint32_t click_at;           /* frames of it played */
  uint32_t changed;            /* bit p: pattern p changed, PATTERN_CHANGED not yet pushed
                                  (engine/engine.c pushes it) */
  uint32_t full_untold;        /* 1 + the pattern of a refused hit whose PATTERN_FULL is
                                  not yet pushed; 0: none */
  flz_pattern_held held[FLZ_PATTERN_HELD]; /* recorded presses waiting for their release;
                                              the store keeps a free event for each */
  uint32_t held_count;
  flz_pattern_event sounding[FLZ_PATTERN_HELD]; /* the playback's presses waiting for
                                                   their release (flz_patterns_sounding) */
  uint32_t sounding_count;
  uint32_t letting_go; /* 1: take hands out the releases of `sounding` first (the
                          pattern stopped, changed, or lost events) */
} flz_patterns;

/* Empties every pattern: 1 bar each, none playing, not recording, no record
 * quantize, swing 0.5, metronome off. */
void flz_patterns_init(flz_patterns *patterns);

/* Chooses pattern `pattern` (< FLZ_PATTERNS) with `bars` bars (0: keep;
 * others are clamped to 1..FLZ_PATTERN_BARS_MAX) and plays it: at once and
 * in phase when none plays, else from the end of the playing cycle. Ends a
 * chain. `pattern` FLZ_PATTERNS: stop playing (and recording). */
void flz_patterns_choose(flz_patterns *patterns, uint32_t pattern, uint32_t bars);

/* Plays the `length` (1..FLZ_PATTERNS) patterns of `chain` in turn, a
 * cycle each, from the first, which starts as flz_patterns_choose starts a
 * pattern. Entries >= FLZ_PATTERNS are skipped. */
void flz_patterns_chain(flz_patterns *patterns, const uint8_t *chain, uint32_t length);

/* Carries out `action` (flz_record) on the chosen pattern.
 * ON and OVERDUB start playing the chosen pattern when none plays. Returns
 * 1 when the pattern's events changed (CLEAR, UNDO, ON of a pattern with
 * events), else 0. */
int flz_patterns_record_action(flz_patterns *patterns, uint32_t action);

/* Sets the record grid: `quantize` an flz_quantize up to FLZ_QUANTIZE_4TH
 * (others: off), `swing` 0.5..0.75 (clamped; NaN 0.5). */
void flz_patterns_set_quantize(flz_patterns *patterns, uint32_t quantize, float swing);

/* Records a hit (`event`'s kind, pad, key and velocity) pressed at frame
 * `frame` (its beat on `clock`) into the playing pattern when recording, at its (quantized)
 * position, in the current pass. `held` 1: the press sounds until its
 * release (a gate pad, a multi-sample key), which flz_patterns_release
 * records: the store keeps room for that release, so a press is refused
 * rather than kept without it (no note hangs in playback). Returns FLZ_OK
 * (also when not recording) or FLZ_ERR_PATTERN_FULL (the store holds
 * FLZ_PATTERN_EVENTS with the releases it keeps room for, or
 * FLZ_PATTERN_HELD presses are held: nothing changes). Work: moves up to
 * FLZ_PATTERN_EVENTS events. */
int flz_patterns_record(flz_patterns *patterns, flz_pattern_event event,
                        const flz_pattern_clock *clock, uint64_t frame, int held);

/* Records the release of `kind` (FLZ_PATTERN_SLOT or FLZ_PATTERN_PAD)
 * `pad` `key` at frame `frame` for each held press flz_patterns_record
 * recorded (also when recording has stopped since, or the pattern changed):
 * in the press's pattern and pass, its held length after the press's
 * (quantized) position, so quantize moves a release with its press. A hold
 * of a cycle or longer is released just before the press plays again.
 * Returns 1 when a release was recorded (the pattern changed), else 0.
 * Work: moves up to FLZ_PATTERN_EVENTS events. */
int flz_patterns_release(flz_patterns *patterns, uint32_t kind, uint32_t pad, uint32_t key,
                         const flz_pattern_clock *clock, uint64_t frame);

/* The first frame at or after `from` at which flz_patterns_take has work (an
 * event or a cycle's end), or UINT64_MAX when no pattern plays. */
uint64_t flz_patterns_next(const flz_patterns *patterns, const flz_pattern_clock *clock,
                           uint64_t from);

/* Moves the playback to frame `frame` (ending cycles that end by then and
 * beginning the next pattern of a queue or chain) and hands the next event
 * due at or before it in `event` (first the releases of
 * flz_patterns_sounding, when letting go): returns 1, or 0 when none is due. Call
 * until it returns 0. An event of the pass being recorded is not played
 * (it sounded when it was pressed). `ended` (may be NULL) is set to 1 when a
 * recording pass ended. */
int flz_patterns_take(flz_patterns *patterns, const flz_pattern_clock *clock, uint64_t frame,
                      flz_pattern_event *event, int *ended);

/* Notes that the playback's press `event` (of a gate pad, a multi-sample
 * key) sounds until its release, or, for a release, that it no longer
 * does. When the playing pattern stops, gives way to another or loses
 * events (clear, undo, a load), flz_patterns_take hands out the releases of
 * the presses still sounding before anything else: no note is left held.
 * Beyond FLZ_PATTERN_HELD sounding presses, a press is not noted. */
void flz_patterns_sounding(flz_patterns *patterns, const flz_pattern_event *event);

/* Copies pattern `pattern`'s events (at most `capacity`) into `out` and
 * returns how many it has. Work: one copy. */
uint32_t flz_patterns_copy(const flz_patterns *patterns, uint32_t pattern, flz_pattern_event *out,
                           uint32_t capacity);

/* Replaces pattern `pattern`'s events with the `count` events of `in`, in
 * order of position (an event before the one kept before it is dropped: the
 * work stays one pass), and its bars with `bars` (clamped); its held
 * presses get no release. Returns the events loaded (0..count),
 * FLZ_ERR_PATTERN_FULL when `count` do not fit beside the other patterns'
 * events and the releases kept room for, or FLZ_ERR_ARGUMENT for a pattern
 * past FLZ_PATTERNS (then nothing changes). */
int flz_patterns_load(flz_patterns *patterns, uint32_t pattern, const flz_pattern_event *in,
                      uint32_t count, uint32_t bars);

/* Adds the metronome's click to `mix` (`n` stereo frames from engine frame
 * `frame`, at `rate` Hz): a FLZ_METRONOME_MS sine burst decaying linearly,
 * 1 kHz on each beat, 2 kHz on each bar's first, at the metronome's gain.
 * Nothing when the gain is 0. */
void flz_patterns_click(flz_patterns *patterns, const flz_pattern_clock *clock, float *mix,
                        uint32_t n, uint64_t frame, uint32_t rate);

#endif
