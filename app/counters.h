/* app/counters.h: what the engine counts, said to the user: a line when a
 * counter starts rising while Flitz runs (at most one per counter per
 * FLZ_COUNTERS_QUIET_SECONDS), a one-line summary at shutdown, and the
 * words for each counter (a status bar shows them with flz_counters_format).
 *
 * Owns: the table of counters (a row per flz_engine_counters field: its
 * words, whether its rising is a fault) and the watch state. Reads the
 * counters through platform/sampler.h only. Control thread.
 */
#ifndef FLZ_APP_COUNTERS_H
#define FLZ_APP_COUNTERS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/engine.h"

/* A rising counter is said at most once per this many seconds. */
#define FLZ_COUNTERS_QUIET_SECONDS 10u

/* The counters in the table's order (flz_engine_counters' fields that
 * count; voices_active is a level, not a count). */
#define FLZ_COUNTERS 6

typedef struct flz_counters_watch {
  uint32_t last[FLZ_COUNTERS];    /* the value at the last line about it (or at start) */
  uint64_t said_ns[FLZ_COUNTERS]; /* when that line was printed; 0 = never */
  int started;
} flz_counters_watch;

/* Starts watching from `counters` (the values at start are not news). */
void flz_counters_watch_init(flz_counters_watch *watch, const flz_engine_counters *counters);

/* Prints to `out` one line per fault counter that rose since its last line
 * and was not said in the last FLZ_COUNTERS_QUIET_SECONDS ("flitz: xruns
 * rising: +12 (34 in all)"). Returns how many lines it printed. */
uint32_t flz_counters_watch_tick(flz_counters_watch *watch, const flz_engine_counters *counters,
                                 uint64_t now_ns, FILE *out);

/* The counters as one line's text, "xruns 0, late commands 3, ...", in
 * `text` of `size` bytes. */
void flz_counters_format(const flz_engine_counters *counters, char *text, size_t size);

#endif
