/* engine/repeat.h: note repeat: the rates, and the pads held while it is on.
 *
 * Owns: the table of held pads (a slot pressed by PLAY_SAMPLE, or a
 * multi-sample pad's key pressed by PLAY_PAD) with the velocity their
 * repeats play at. The engine (engine/engine.c) queues the repeats on its
 * grid. Audio thread only; no allocation, bounded loops.
 */
#ifndef FLZ_ENGINE_REPEAT_H
#define FLZ_ENGINE_REPEAT_H

#include <stdint.h>

/* Note repeat rates (FLZ_COMMAND_REPEAT's `offset`), in 4/4 time. */
typedef enum flz_repeat_rate {
  FLZ_REPEAT_OFF = 0,
  FLZ_REPEAT_4TH,          /* 1/4: a beat */
  FLZ_REPEAT_8TH,          /* 1/8: half a beat */
  FLZ_REPEAT_16TH,         /* 1/16: a quarter beat */
  FLZ_REPEAT_32ND,         /* 1/32: an eighth of a beat */
  FLZ_REPEAT_4TH_TRIPLET,  /* 1/4T: 2/3 beat, three in the time of two quarters */
  FLZ_REPEAT_8TH_TRIPLET,  /* 1/8T: 1/3 beat */
  FLZ_REPEAT_16TH_TRIPLET, /* 1/16T: 1/6 beat */
  FLZ_REPEAT_32ND_TRIPLET, /* 1/32T: 1/12 beat */
  FLZ_REPEAT_RATES
} flz_repeat_rate;

/* Pads held at once under note repeat: 32, every finger and then some; a
 * press past it plays once, as without repeat. */
#define FLZ_REPEAT_HELD 32

typedef enum flz_repeat_kind {
  FLZ_REPEAT_SLOT = 0, /* a slot's pad (PLAY_SAMPLE, RELEASE_SLOT) */
  FLZ_REPEAT_PAD,      /* a multi-sample pad's key (PLAY_PAD, RELEASE_PAD) */
} flz_repeat_kind;

typedef struct flz_repeat_held {
  uint32_t kind;  /* flz_repeat_kind */
  uint32_t index; /* the slot or pad */
  uint32_t key;   /* FLZ_REPEAT_PAD: the MIDI key; 0 for a slot */
  float velocity; /* 0..1: the press's, then the latest pressure */
} flz_repeat_held;

typedef struct flz_repeat {
  uint32_t rate;  /* flz_repeat_rate */
  uint32_t count; /* entries of `held` in use */
  flz_repeat_held held[FLZ_REPEAT_HELD];
} flz_repeat;

/* The length of a step of `rate` in beats (quarter notes); 0 for OFF or an
 * unknown rate. Exact for the straight rates; the triplets' thirds as
 * close as a double holds them. */
double flz_repeat_beats(uint32_t rate);

/* The rate's name as rules and event scripts spell it: "off", "1/4", "1/8",
 * "1/16", "1/32", "1/4t", "1/8t", "1/16t", "1/32t" ("off" for an unknown
 * rate). Any thread. */
const char *flz_repeat_name(uint32_t rate);

/* The flz_repeat_rate that `name` spells, or -1. Any thread. */
int flz_repeat_parse(const char *name);

/* The entry of `kind` `index` (and `key` for a pad), or NULL. */
flz_repeat_held *flz_repeat_find(flz_repeat *repeat, uint32_t kind, uint32_t index, uint32_t key);

/* Holds `kind` `index` `key` at `velocity` (an entry it has is updated);
 * NULL when the table is full. */
flz_repeat_held *flz_repeat_hold(flz_repeat *repeat, uint32_t kind, uint32_t index, uint32_t key,
                                 float velocity);

/* Lets go of the entry of `kind` `index` (every key of a pad when `key` is
 * UINT32_MAX). */
void flz_repeat_release(flz_repeat *repeat, uint32_t kind, uint32_t index, uint32_t key);

/* Sets the velocity of the entries of `kind` `index` (every entry when
 * `index` is UINT32_MAX: channel pressure) to `pressure`, clamped to 0..1. */
void flz_repeat_pressure(flz_repeat *repeat, uint32_t kind, uint32_t index, float pressure);

#endif
