/* app/triggers.h: the live input path from every source to the engine: keys,
 * game controllers and window clicks (on the control thread) and MIDI (on
 * the MIDI input thread, platform/midi.h), mapped by app/mapping.h and sent
 * as timed engine commands.
 *
 * Owns: the mapping and its bank, the MIDI input, and the ring of MIDI
 * notices (ports connected and gone) from the MIDI thread to the control
 * thread. Must not touch the window or kits (app/run.c does).
 *
 * MIDI threading: the MIDI input thread maps its own events and sends the
 * engine commands itself, through its own command ring (FLZ_PRODUCER_MIDI),
 * stamped with the time the bytes were read. The alternative, handing each
 * event to the control thread to map, would keep the jitter just as low (the
 * time stamp travels with the event) but adds the control loop's wake-up
 * delay and any work it is doing (kit loading, drawing) to the path: a
 * command that reaches the engine more than one period after its time is
 * late and loses its place. Mapped on the MIDI thread, a note reaches the
 * engine within microseconds of its read. What the two threads share is
 * read-only (the rules) or atomic (the bank); each keeps its own record of
 * held pads; nothing locks, and the audio thread only sees its rings.
 * Every command carries its input's time, so the delay from input to sound
 * is the engine's one period for every source (plus the trigger window for
 * analog triggers, app/mapping.h).
 */
#ifndef FLZ_APP_TRIGGERS_H
#define FLZ_APP_TRIGGERS_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "app/config.h"
#include "app/mapping.h"
#include "engine/ring.h"
#include "platform/midi.h"
#include "platform/midi_out.h"
#include "platform/sampler.h"

/* MIDI notices waiting for the control thread (a power of two). 64: more
 * ports than come and go between two turns of the control loop. */
#define FLZ_TRIGGERS_NOTICES 64

/* Commands a full command ring refused from one producer, said as one
 * flood line from its source, then at most once per
 * FLZ_COUNTERS_QUIET_SECONDS (app/counters.h) with the count since. */
typedef struct flz_triggers_flood {
  uint32_t shown;   /* refused commands already said */
  uint64_t said_ns; /* when the last line was printed; 0 = never */
} flz_triggers_flood;

typedef struct flz_triggers {
  flz_mapping mapping;
  flz_mapping_state control_state; /* control thread */
  flz_mapping_state midi_state;    /* MIDI input thread */
  flz_mapping_action control_actions[FLZ_MAPPING_ACTIONS_MAX];
  flz_mapping_action midi_actions[FLZ_MAPPING_ACTIONS_MAX];
  flz_sampler *sampler;
  flz_midi *midi;
  flz_midi_out *midi_out; /* clock = lead */
  FILE *out;
  FILE *err;
  flz_ring notices;
  flz_input_event notice_storage[FLZ_TRIGGERS_NOTICES];
  _Atomic uint32_t midi_refused;       /* MIDI commands the engine's ring refused */
  _Atomic uint32_t midi_events;        /* MIDI events the MIDI thread mapped, for the view */
  _Atomic int32_t volume_cdb;          /* the last master volume sent, in 1/100 dB */
  _Atomic int32_t midi_refused_device; /* the MIDI device of the last one refused */
  flz_triggers_flood midi_flood;
  flz_triggers_flood control_flood; /* keyboard, controllers, window */
  uint32_t control_refused;
  char control_source[32]; /* the source of the last control command refused */
  uint32_t bank_shown;
} flz_triggers;

/* Sets up `t` (caller storage, about 1 MB with the config copies: static or
 * heap) for `config` and `sampler`, which must be running; adds the
 * controller mappings file of [gamepad] mappings (call after
 * flz_input_open), and starts the MIDI input when the config asks for the
 * sequencer or a raw input. Lines for the user go to `out` (MIDI ports as
 * they come and go, bank changes, no ALSA sequencer on this machine) and
 * `err` (a mappings file that cannot be used; commands a full ring refused,
 * said as a flood from their source, "flitz: MIDI flood from port 20:0: 37
 * commands dropped (command ring is full)", at most once per 10 s; flitz
 * plays on). Returns
 * FLZ_OK, or FLZ_ERR_NO_MEMORY (no MIDI thread). Control thread. */
int flz_triggers_start(flz_triggers *t, const flz_config *config, flz_sampler *sampler, FILE *out,
                       FILE *err);

/* Control thread. Maps `event` (keys, game controllers, window) and sends
 * its commands through FLZ_PRODUCER_CONTROL. Returns 0 when the event asks
 * flitz to quit, 1 otherwise. */
int flz_triggers_input(flz_triggers *t, const flz_input_event *event);

/* Control thread, every turn of the loop: plays analog trigger presses whose
 * window ended by `now_ns`, and prints MIDI notices, bank changes (from any
 * source) and refused MIDI commands. */
void flz_triggers_poll(flz_triggers *t, uint64_t now_ns);

/* Control thread. How long the loop may wait for input, ms: `max_ms`, or
 * less when a trigger's velocity window ends sooner (0: do not wait). */
int flz_triggers_timeout_ms(const flz_triggers *t, uint64_t now_ns, int max_ms);

/* Any thread. The current bank, 1-based. */
uint32_t flz_triggers_bank(flz_triggers *t);

/* Stops the MIDI input (no MIDI command is sent after it returns). Safe
 * twice. Control thread. */
void flz_triggers_stop(flz_triggers *t);

#endif
