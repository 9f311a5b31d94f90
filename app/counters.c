/* app/counters.c: the counters' table and their lines (app/counters.h). */
#include "app/counters.h"

#include <string.h>

/* One counter: its field in flz_engine_counters, its words, and whether a
 * rise is a fault worth a line while running (stolen voices are how a full
 * polyphony plays, said only in the summary). */
typedef struct flz_counters_row {
  size_t offset;
  const char *words;
  int fault;
} flz_counters_row;

#define FLZ_COUNTERS_AT(field) offsetof(flz_engine_counters, field)

static const flz_counters_row flz_counters_rows[FLZ_COUNTERS] = {
  {FLZ_COUNTERS_AT(xruns), "xruns", 1},
  {FLZ_COUNTERS_AT(commands_late), "late commands", 1},
  {FLZ_COUNTERS_AT(commands_dropped), "dropped commands", 1},
  {FLZ_COUNTERS_AT(events_dropped), "dropped events", 1},
  {FLZ_COUNTERS_AT(triggers_dropped), "dropped triggers", 1},
  {FLZ_COUNTERS_AT(voices_stolen), "stolen voices", 0},
};

static uint32_t flz_counters_value(const flz_engine_counters *counters, size_t i)
{
  uint32_t value;
  memcpy(&value, (const char *)counters + flz_counters_rows[i].offset, sizeof value);
  return value;
}

void flz_counters_watch_init(flz_counters_watch *watch, const flz_engine_counters *counters)
{
  memset(watch, 0, sizeof *watch);
  for (size_t i = 0; i < FLZ_COUNTERS; i++)
    watch->last[i] = flz_counters_value(counters, i);
  watch->started = 1;
}

uint32_t flz_counters_watch_tick(flz_counters_watch *watch, const flz_engine_counters *counters,
                                 uint64_t now_ns, FILE *out)
{
  const uint64_t quiet_ns = (uint64_t)FLZ_COUNTERS_QUIET_SECONDS * 1000000000u;
  uint32_t lines = 0;
  for (size_t i = 0; i < FLZ_COUNTERS; i++) {
    uint32_t value = flz_counters_value(counters, i);
    if (!flz_counters_rows[i].fault || value == watch->last[i])
      continue;
    if (watch->said_ns[i] != 0 && now_ns - watch->said_ns[i] < quiet_ns)
      continue;
    fprintf(out, "flitz: %s rising: +%u (%u in all)\n", flz_counters_rows[i].words,
            value - watch->last[i], value);
    watch->last[i] = value;
    watch->said_ns[i] = now_ns;
    lines++;
  }
  if (lines > 0)
    fflush(out);
  return lines;
}

void flz_counters_format(const flz_engine_counters *counters, char *text, size_t size)
{
  size_t used = 0;
  if (size > 0)
    text[0] = '\0';
  for (size_t i = 0; i < FLZ_COUNTERS && used < size; i++) {
    int n = snprintf(text + used, size - used, "%s%s %u", i > 0 ? ", " : "",
                     flz_counters_rows[i].words, flz_counters_value(counters, i));
    if (n < 0)
      break;
    used += (size_t)n;
  }
}
