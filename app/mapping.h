/* app/mapping.h: turns normalized input events (platform/input.h) into pad
 * and control actions, by the rules of a configuration (app/config.h), and
 * keeps the current bank.
 *
 * Owns: the bank (one atomic value every thread reads and changes), and per
 * thread the record of pads held down (so a release, or a device going away,
 * releases the slot its press played even if the bank changed since), the
 * buttons held per game controller (for MODIFIER+BUTTON rules) and the
 * analog triggers' velocity windows. Must not send anything: callers turn
 * the actions into engine commands (app/triggers.h). No I/O, no locks.
 *
 * Threads: a flz_mapping is read-only after flz_mapping_init except its bank,
 * which is atomic; each thread that maps events (control, MIDI input) has a
 * flz_mapping_state of its own.
 *
 * Banks: bank b (1-based) pad p plays slot (b - 1) x bank_size + p - 1; a pad
 * past the bank size or a slot past FLZ_PADS does nothing. Bank up and down
 * stop at the first and last bank. Changing the bank changes only what later
 * presses play: voices keep sounding and held pads release what they
 * pressed.
 *
 * Velocity: MIDI notes play at velocity / 127, keys and window clicks at
 * the value of the event (1.0), buttons at the config's velocity.
 *
 * Analog triggers (velocity-sensitive pads): a press starts when the trigger
 * passes trigger_threshold (T), at time t0; velocity = (P - T) / (1 - T),
 * at least 1/127, where P is the furthest travel reported from t0 until
 * t0 + trigger_window_ms (W). The press plays with time t0 + W, so every
 * trigger press has the same delay (W plus the engine's one period) whatever
 * its speed. The rule measures how fast (travel within a fixed time) and how
 * far (a pull that stops short stops there) at once; a speed measured
 * between two thresholds would need exact per-report times, which SDL 2 does
 * not give (its timestamps are whole ms, and reports are read in bursts), and
 * would make a slow pull sound later than a fast one. W = 0 plays at once at
 * the velocity of the first report past T. The trigger re-arms (and a gate
 * pad releases) when it falls below T / 2.
 *
 * MIDI controllers: volume sets the master volume to 40 log10(value / 127)
 * dB (the MMA DLS Level 1 curve for CC 7; value 0 is silence); bank-select
 * selects bank value + 1; a pad rule plays at value / 127 for values above 0
 * and releases at 0; every other rule acts on values of 64 and above (a
 * button sending 127 on press and 0 on release acts once). Program change N
 * selects bank N + 1 (when [midi] program = bank). With [midi] channel = C,
 * MIDI events of other channels do nothing.
 *
 * Multi-sample kits (app/kitformat.h, set by flz_mapping_set_kit): a MIDI
 * note plays every pad of the kit whose attack regions take that key (one
 * action each, in pad order), pressed with the note itself (the engine picks
 * the layer and round robin from the key and velocity), and its note off
 * releases that key of each of them; a note the kit does not
 * take plays nothing. When the configuration's [notes] are not the built-in
 * defaults (a flitz.ini gave a [notes] section), a note whose rule is not
 * `none` follows its rule instead. Every other press of pad P (keys, game
 * controllers, the window, a [notes] or [cc] pad rule) plays the kit's pad P
 * with the pad's own key (its lowest). Banks page through the kit's pads as
 * through a folder's.
 */
#ifndef FLZ_APP_MAPPING_H
#define FLZ_APP_MAPPING_H

#include <stdatomic.h>
#include <stdint.h>

#include "app/config.h"
#include "engine/limits.h"
#include "platform/input.h"

typedef enum flz_mapping_type {
  FLZ_MAPPING_PLAY = 1,  /* press `slot` at velocity `value` */
  FLZ_MAPPING_RELEASE,   /* release `slot` (gate pads fade out) */
  FLZ_MAPPING_STOP_ALL,  /* fade out every voice */
  FLZ_MAPPING_VOLUME,    /* master volume `value` dB */
  FLZ_MAPPING_QUIT,      /* end flitz */
  FLZ_MAPPING_RECORD,    /* the pattern recorder's action `slot` (flz_record) */
  FLZ_MAPPING_PATTERN,   /* choose pattern `slot` (0-based) */
  FLZ_MAPPING_METRONOME, /* the metronome on or off */
  FLZ_MAPPING_REPEAT,    /* note repeat at rate `slot` (flz_repeat_rate; OFF at the release) */
  FLZ_MAPPING_PRESSURE,  /* aftertouch `value` 0..1 of `slot` (UINT32_MAX: every held pad) */
  FLZ_MAPPING_CHAIN,     /* play chain `slot` (0-based) of the config's chains */
} flz_mapping_type;

typedef struct flz_mapping_action {
  uint32_t type;    /* flz_mapping_type */
  uint32_t slot;    /* 0-based slot (PLAY, RELEASE); a multi-sample kit's pad when `pad` */
  uint32_t pad;     /* PLAY, RELEASE: 1 = press or release pad `slot` of a multi-sample
                       kit with MIDI key `key` (PLAY_PAD, RELEASE_PAD); 0 = a slot's
                       (PLAY_SAMPLE, RELEASE_SLOT) */
  uint32_t key;     /* MIDI key 0..127 when `pad` */
  uint32_t channel; /* when `pad`: the MIDI channel 1..16 of the note that pressed it, which
                       picks among the regions by their lochan..hichan; 0: not a MIDI note
                       (every region answers) */
  float value;      /* velocity 0..1 (PLAY) or dB (VOLUME) */
  uint64_t time_ns; /* CLOCK_MONOTONIC time the action belongs to (its input's) */
} flz_mapping_action;

/* Pads held per thread: every slot. */
#define FLZ_MAPPING_HELD FLZ_PADS

/* Actions one event gives at most (a device that goes away releases every
 * pad it held, FLZ_MAPPING_HELD of them; a kit's note presses at most every
 * pad). */
#define FLZ_MAPPING_ACTIONS_MAX FLZ_MAPPING_HELD

/* 64-bit words of a set of pads, one bit a pad. */
#define FLZ_MAPPING_PAD_WORDS ((FLZ_PADS + 63) / 64)

/* Game controllers whose buttons and triggers are tracked at once. */
#define FLZ_MAPPING_CONTROLLERS 8

typedef struct flz_mapping {
  flz_config config; /* read-only after init */
  uint32_t banks;
  _Atomic uint32_t bank; /* current bank, 1-based */
  int notes_given;       /* config's [notes] are not the built-in defaults */
  /* The multi-sample kit (flz_mapping_set_kit), written by the control
     thread, read by every mapping thread: */
  _Atomic int kit; /* 1: a multi-sample kit is set */
  /* The pads each MIDI key plays: bit p % 64 of word p / 64 is pad p (0-based). */
  _Atomic uint64_t kit_notes[128][FLZ_MAPPING_PAD_WORDS];
  _Atomic int16_t kit_keys[FLZ_PADS]; /* the key a press of each pad plays; -1: no pad */
  /* A resample press not yet taken (flz_mapping_take_resample): 0 none,
   * else 1 + its bars (0 bars: until pressed again), and its input time. */
  _Atomic uint32_t resample;
  _Atomic uint64_t resample_ns;
} flz_mapping;

typedef struct flz_mapping_held {
  uint32_t source; /* flz_input_source; 0 = free */
  int32_t device;
  uint32_t channel;
  int32_t control;
  uint32_t slot;
  uint32_t pad; /* as flz_mapping_action's: the press was of a multi-sample pad */
  uint32_t key; /* ... with this MIDI key */
} flz_mapping_held;

/* An analog trigger's press. */
typedef struct flz_mapping_trigger {
  uint32_t state; /* 0 armed, 1 in its velocity window, 2 played (held) */
  float peak;
  uint64_t start_ns;
} flz_mapping_trigger;

typedef struct flz_mapping_controller {
  int32_t device;   /* -1 = free */
  uint32_t buttons; /* bit b: flz_button b is down */
  flz_mapping_trigger triggers[2];
} flz_mapping_controller;

typedef struct flz_mapping_state {
  flz_mapping_held held[FLZ_MAPPING_HELD];
  flz_mapping_controller controllers[FLZ_MAPPING_CONTROLLERS];
} flz_mapping_state;

struct flz_kit_regions;

/* Copies `config` into `mapping` and sets bank 1, with no multi-sample kit.
 * Control thread, before
 * any other thread uses the mapping. */
void flz_mapping_init(flz_mapping *mapping, const flz_config *config);

/* Clears `state` (nothing held, no controller). Its thread, or before it
 * starts. */
void flz_mapping_state_init(flz_mapping_state *state);

/* Control thread, while other threads map events. Takes the keys of a
 * multi-sample kit (`regions`, read now, not kept) for the presses that
 * follow, or none (NULL: a folder kit's pads play slots). */
void flz_mapping_set_kit(flz_mapping *mapping, const struct flz_kit_regions *regions);

/* Any thread. The current bank, 1-based. */
uint32_t flz_mapping_bank(flz_mapping *mapping);

/* Control thread. Takes the last resample press (a `resample` or
 * `resample-N` rule, pressed on any thread) since the last call: returns 1
 * with its bars (0: until pressed again) and input time, or 0 if there was
 * none. Resampling allocates and waits, so it runs on the control thread
 * (app/run.c), never on the MIDI input thread that may see the press. */
int flz_mapping_take_resample(flz_mapping *mapping, uint32_t *bars, uint64_t *time_ns);

/* Any thread. Selects bank `bank` (1-based); returns 0 (nothing changes) if
 * it is not 1..banks. */
int flz_mapping_set_bank(flz_mapping *mapping, uint32_t bank);

/* The thread owning `state`. Maps `event` into up to FLZ_MAPPING_ACTIONS_MAX
 * actions in `out` and returns how many. Bank changes take effect here (no
 * action). DEVICE_REMOVED releases what that device held. */
uint32_t flz_mapping_event(flz_mapping *mapping, flz_mapping_state *state,
                           const flz_input_event *event, flz_mapping_action *out);

/* The thread owning `state`. Plays the analog trigger presses whose velocity
 * window ended by `now_ns`; returns how many actions it wrote into `out`
 * (FLZ_MAPPING_CONTROLLERS x 2 at most). */
uint32_t flz_mapping_tick(flz_mapping *mapping, flz_mapping_state *state, uint64_t now_ns,
                          flz_mapping_action *out);

/* The earliest end of a trigger's velocity window in `state` (CLOCK_MONOTONIC
 * ns), or 0 if none is open: the caller should tick by then. */
uint64_t flz_mapping_deadline(const flz_mapping *mapping, const flz_mapping_state *state);

#endif
