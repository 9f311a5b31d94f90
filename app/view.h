/* app/view.h: what the window shows, built from the live loop's state: each
 * pad of the current bank (number, sample name, what triggers it, mode,
 * choke group, level, a loop's position, loading progress, failure; a
 * multi-sample kit's pad: its regions' sample names, key range, how many
 * regions, choke group) and
 * the status bar (kit,
 * bank, BPM, quantize, master volume and level, audio output, the audio
 * thread's load, xruns, MIDI activity, controllers).
 *
 * Owns: the strings the pads and the status bar point into, and the audio
 * load's last reading. Reads the sampler only through platform/sampler.h's
 * any-thread and control-thread calls; the meters arrive from the audio
 * thread through the sampler, never by reading engine state. Control (main)
 * thread only; it never sends a command. Drawing cannot delay a MIDI
 * trigger (the MIDI thread sends those itself); keys, clicks and controller
 * buttons are read by the control thread between frames.
 */
#ifndef FLZ_APP_VIEW_H
#define FLZ_APP_VIEW_H

#include <stdint.h>

#include "app/config.h"
#include "app/kit.h"
#include "platform/sampler.h"
#include "platform/window.h"

/* What the view reads, each turn it is built. */
typedef struct flz_view_input {
  flz_sampler *sampler;
  const flz_config *config;       /* the mapping's rules and the bank size */
  const flz_kit_loading *loading; /* the kit: paths, kit.ini, pad states */
  const uint32_t *voices;         /* voices sounding per slot (FLZ_SLOTS) */
  const uint64_t *start_frame;    /* engine frame each slot's last voice started at */
  uint64_t frame;                 /* the engine frame now (the latest event's) */
  uint32_t bank;                  /* 1-based */
  const char *kit_dir;
  uint32_t controllers; /* game controllers connected */
  uint32_t midi_events; /* MIDI events read so far */
  float volume_db;      /* the master volume last set */
} flz_view_input;

typedef struct flz_view {
  flz_window_pad pads[FLZ_PADS];
  uint32_t count; /* pads of a bank: the config's bank size */
  uint32_t columns, rows;
  char names[FLZ_PADS][64];
  char triggers[FLZ_PADS][64];
  char modes[FLZ_PADS][16]; /* a multi-sample pad's "N regions" */
  char status[512];
  /* the audio load: the sampler's render counters at the last reading */
  uint64_t render_ns, periods, load_ns;
  float load;           /* render time / period time over the last second */
  uint32_t midi_events; /* at the last change */
  uint64_t midi_ns;     /* when it last changed */
  float levels[FLZ_SLOTS];
} flz_view;

/* The grid for a bank of `pads` pads: the smallest square that holds them
 * (4 x 4 for 16), one row fewer when a row would be empty. */
void flz_view_grid(uint32_t pads, uint32_t *columns, uint32_t *rows);

/* Builds `view` (caller storage, zeroed before the first call) from `in` at
 * CLOCK_MONOTONIC time `now_ns`. */
void flz_view_build(flz_view *view, const flz_view_input *in, uint64_t now_ns);

#endif
