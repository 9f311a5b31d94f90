/* engine/pattern.c: the pattern recorder of engine/pattern.h. Audio thread
 * (or before the engine runs): no allocation, no locks, no system calls; the
 * work of a call is bounded by FLZ_PATTERN_EVENTS. */
#include "engine/pattern.h"

#include <math.h>
#include <string.h>

#include "engine/message.h"
#include "engine/result.h"

#define FLZ_PATTERN_NONE FLZ_PATTERNS
#define FLZ_PATTERN_BEATS_PER_BAR 4u

_Static_assert(FLZ_PATTERNS <= 32, "engine.c and app/pattern.c keep a bit per pattern in 32");
_Static_assert(FLZ_SLOTS <= 65536 && FLZ_PADS <= 65536, "a recorded hit's pad is 16 bits");
_Static_assert(FLZ_PATTERN_BARS_MAX *FLZ_PATTERN_BEATS_PER_BAR <= 64,
               "positions hold 64 beats (6 integer bits)");

void flz_patterns_init(flz_patterns *patterns)
{
  memset(patterns, 0, sizeof *patterns);
  for (uint32_t p = 0; p < FLZ_PATTERNS; p++)
    patterns->bars[p] = 1;
  patterns->queued = FLZ_PATTERN_NONE;
  patterns->swing = 0.5f;
}

static uint32_t flz_patterns_clamp_bars(uint32_t bars)
{
  return bars < 1 ? 1 : (bars > FLZ_PATTERN_BARS_MAX ? FLZ_PATTERN_BARS_MAX : bars);
}

/* The playing pattern's length, beats. */
static double flz_patterns_length(const flz_patterns *patterns)
{
  return (double)(patterns->bars[patterns->current] * FLZ_PATTERN_BEATS_PER_BAR);
}

static uint64_t flz_patterns_fixed_length(const flz_patterns *patterns)
{
  return (uint64_t)patterns->bars[patterns->current] * FLZ_PATTERN_BEATS_PER_BAR * FLZ_PATTERN_ONE;
}

static double flz_patterns_beat(const flz_pattern_clock *clock, uint64_t frame)
{
  return clock->beat + ((double)frame - (double)clock->frame) / clock->frames_per_beat;
}

/* The frame nearest `beat` (0 before the clock's start). */
static uint64_t flz_patterns_frame(const flz_pattern_clock *clock, double beat)
{
  double frame = (double)clock->frame + (beat - clock->beat) * clock->frames_per_beat;
  return frame <= 0.0 ? 0 : (uint64_t)llround(frame);
}

static uint64_t flz_patterns_event_frame(const flz_patterns *patterns,
                                         const flz_pattern_clock *clock,
                                         const flz_pattern_event *event)
{
  return flz_patterns_frame(clock,
                            patterns->start + (double)event->position / (double)FLZ_PATTERN_ONE);
}

/* Puts the playing pattern's cycle where frame `frame`'s beat lies (cycles
 * end to end from beat 0) and its cursor on the first event at or after
 * that frame. */
static void flz_patterns_align(flz_patterns *patterns, const flz_pattern_clock *clock,
                               uint64_t frame)
{
  double beat = flz_patterns_beat(clock, frame);
  double length = flz_patterns_length(patterns);
  patterns->start = floor(beat / length) * length;
  patterns->seen = beat;
  const flz_pattern_event *events = patterns->events + patterns->first[patterns->current];
  uint32_t count = patterns->count[patterns->current];
  uint32_t cursor = 0;
  while (cursor < count && flz_patterns_event_frame(patterns, clock, &events[cursor]) < frame)
    cursor++;
  patterns->cursor = cursor;
  patterns->aligned = 1;
}

static void flz_patterns_play(flz_patterns *patterns, uint32_t pattern)
{
  if (!patterns->playing) {
    patterns->current = pattern;
    patterns->playing = 1;
    patterns->aligned = 0;
    patterns->queued = FLZ_PATTERN_NONE;
  } else if (pattern != patterns->current) {
    patterns->queued = pattern;
  } else {
    patterns->queued = FLZ_PATTERN_NONE;
  }
}

void flz_patterns_choose(flz_patterns *patterns, uint32_t pattern, uint32_t bars)
{
  patterns->chain_length = 0;
  if (pattern >= FLZ_PATTERNS) {
    patterns->letting_go = 1;
    patterns->playing = 0;
    patterns->recording = 0;
    patterns->queued = FLZ_PATTERN_NONE;
    return;
  }
  if (bars != 0) {
    patterns->bars[pattern] = flz_patterns_clamp_bars(bars);
    if (pattern == patterns->current)
      patterns->aligned = 0; /* the cycle's length changed */
  }
  flz_patterns_play(patterns, pattern);
}

void flz_patterns_chain(flz_patterns *patterns, const uint8_t *chain, uint32_t length)
{
  uint32_t kept = 0;
  for (uint32_t i = 0; i < length && i < FLZ_PATTERNS; i++)
    if (chain[i] < FLZ_PATTERNS)
      patterns->chain[kept++] = chain[i];
  patterns->chain_length = 0;
  if (kept == 0)
    return;
  flz_patterns_play(patterns, patterns->chain[0]);
  patterns->chain_length = kept;
  patterns->chain_at = 0;
}

/* Removes the events of pattern `pattern` of pass `pass` (UINT32_MAX:
 * all); returns how many. */
static uint32_t flz_patterns_remove(flz_patterns *patterns, uint32_t pattern, uint32_t pass)
{
  for (uint32_t i = 0; i < patterns->held_count;) { /* their presses go: no release follows */
    const flz_pattern_held *held = &patterns->held[i];
    if (held->pattern == pattern && (pass == UINT32_MAX || held->pass == pass))
      patterns->held[i] = patterns->held[--patterns->held_count];
    else
      i++;
  }
  flz_pattern_event *events = patterns->events + patterns->first[pattern];
  uint32_t count = patterns->count[pattern], kept = 0, cursor = patterns->cursor;
  for (uint32_t i = 0; i < count; i++) {
    if (pass == UINT32_MAX || events[i].pass == pass) {
      if (pattern == patterns->current && i < patterns->cursor)
        cursor--;
      continue;
    }
    events[kept++] = events[i];
  }
  uint32_t removed = count - kept;
  if (removed == 0)
    return 0;
  uint32_t tail = patterns->first[pattern] + count;
  memmove(events + kept, events + count, (patterns->total - tail) * sizeof *events);
  patterns->count[pattern] = kept;
  for (uint32_t q = pattern + 1; q < FLZ_PATTERNS; q++)
    patterns->first[q] -= removed;
  patterns->total -= removed;
  if (pattern == patterns->current) {
    patterns->cursor = cursor;
    patterns->letting_go = 1; /* the releases of what sounds may be gone */
  }
  return removed;
}

int flz_patterns_record_action(flz_patterns *patterns, uint32_t action)
{
  uint32_t pattern = patterns->current;
  if (action == FLZ_RECORD_TOGGLE)
    action = patterns->recording ? FLZ_RECORD_OFF : FLZ_RECORD_OVERDUB;
  switch (action) {
  case FLZ_RECORD_OFF: {
    int was = patterns->recording != 0;
    patterns->recording = 0;
    return was;
  }
  case FLZ_RECORD_ON:
  case FLZ_RECORD_OVERDUB: {
    int changed = action == FLZ_RECORD_ON && flz_patterns_remove(patterns, pattern, UINT32_MAX) > 0;
    patterns->recording = 1;
    patterns->pass++;
    flz_patterns_play(patterns, pattern);
    return changed;
  }
  case FLZ_RECORD_UNDO: {
    const flz_pattern_event *events = patterns->events + patterns->first[pattern];
    uint32_t last = 0;
    for (uint32_t i = 0; i < patterns->count[pattern]; i++)
      last = events[i].pass > last ? events[i].pass : last;
    /* pass 0: loaded from a file, not recorded here */
    return last > 0 && flz_patterns_remove(patterns, pattern, last) > 0;
  }
  case FLZ_RECORD_CLEAR:
    return flz_patterns_remove(patterns, pattern, UINT32_MAX) > 0;
  default:
    return 0;
  }
}

void flz_patterns_set_quantize(flz_patterns *patterns, uint32_t quantize, float swing)
{
  patterns->quantize = quantize <= FLZ_QUANTIZE_4TH ? quantize : FLZ_QUANTIZE_OFF;
  patterns->swing = swing != swing ? 0.5f : (swing < 0.5f ? 0.5f : (swing > 0.75f ? 0.75f : swing));
}

/* `position` (beats) moved to the nearest line of the record grid: lines in
 * pairs of two grid steps, the second of a pair at `swing` of the pair (0.5:
 * straight). A tie goes to the earlier line. */
static double flz_patterns_quantize(const flz_patterns *patterns, double position)
{
  static const double steps[] = {0.0, 0.25, 0.5, 1.0};
  if (patterns->quantize == FLZ_QUANTIZE_OFF)
    return position;
  double pair = 2.0 * steps[patterns->quantize];
  double base = floor(position / pair) * pair;
  double within = position - base;
  double lines[3] = {0.0, pair * (double)patterns->swing, pair};
  double best = lines[0];
  for (uint32_t i = 1; i < 3; i++)
    if (fabs(within - lines[i]) < fabs(within - best))
      best = lines[i];
  return base + best;
}

/* Inserts `event` into pattern `pattern` after the events at its position
 * (arrival order); the store has room. */
static void flz_patterns_insert(flz_patterns *patterns, uint32_t pattern, flz_pattern_event event)
{
  flz_pattern_event *events = patterns->events + patterns->first[pattern];
  uint32_t count = patterns->count[pattern], at = count;
  while (at > 0 && events[at - 1].position > event.position)
    at--;
  uint32_t from = patterns->first[pattern] + at;
  memmove(patterns->events + from + 1, patterns->events + from,
          (patterns->total - from) * sizeof event);
  patterns->events[from] = event;
  patterns->count[pattern]++;
  for (uint32_t q = pattern + 1; q < FLZ_PATTERNS; q++)
    patterns->first[q]++;
  patterns->total++;
  if (pattern == patterns->current && at < patterns->cursor)
    patterns->cursor++;
}

/* The held press of `kind` `pad` `key` recorded into `pattern`, or NULL. */
static flz_pattern_held *flz_patterns_held(flz_patterns *patterns, uint32_t kind, uint32_t pad,
                                           uint32_t key, uint32_t pattern)
{
  for (uint32_t i = 0; i < patterns->held_count; i++) {
    flz_pattern_held *held = &patterns->held[i];
    if (held->kind == kind && held->pad == pad && held->key == key && held->pattern == pattern)
      return held;
  }
  return NULL;
}

int flz_patterns_record(flz_patterns *patterns, flz_pattern_event event,
                        const flz_pattern_clock *clock, uint64_t frame, int held)
{
  if (!patterns->recording || !patterns->playing)
    return FLZ_OK;
  flz_pattern_held *hold = held ? flz_patterns_held(patterns, event.kind, event.pad, event.key,
                                                    patterns->current)
                                : NULL;
  uint32_t room = held && hold == NULL ? 2 : 1; /* a new hold: its release too */
  if (patterns->total + patterns->held_count + room > FLZ_PATTERN_EVENTS ||
      (room == 2 && patterns->held_count == FLZ_PATTERN_HELD))
    return FLZ_ERR_PATTERN_FULL;
  if (!patterns->aligned)
    flz_patterns_align(patterns, clock, frame);
  double length = flz_patterns_length(patterns);
  double position = flz_patterns_beat(clock, frame) - patterns->start;
  position = fmod(flz_patterns_quantize(patterns, position < 0.0 ? 0.0 : position), length);
  uint64_t fixed = (uint64_t)llround(position * (double)FLZ_PATTERN_ONE);
  if (fixed >= flz_patterns_fixed_length(patterns))
    fixed = 0; /* rounded up onto the cycle's end: its start */
  event.position = (uint32_t)fixed;
  event.pass = patterns->pass;
  flz_patterns_insert(patterns, patterns->current, event);
  if (held && hold == NULL) {
    hold = &patterns->held[patterns->held_count++];
    *hold = (flz_pattern_held){.pass = event.pass,
                               .pad = event.pad,
                               .key = event.key,
                               .kind = event.kind,
                               .pattern = patterns->current};
  }
  if (hold != NULL) { /* a repeat's later press: the release follows the last */
    hold->beat = flz_patterns_beat(clock, frame);
    hold->position = event.position;
  }
  return FLZ_OK;
}

int flz_patterns_release(flz_patterns *patterns, uint32_t kind, uint32_t pad, uint32_t key,
                         const flz_pattern_clock *clock, uint64_t frame)
{
  int recorded = 0;
  for (uint32_t i = 0; i < patterns->held_count;) {
    flz_pattern_held hold = patterns->held[i];
    if (hold.kind != kind || hold.pad != pad || hold.key != key) {
      i++;
      continue;
    }
    patterns->held[i] = patterns->held[--patterns->held_count];
    uint64_t length = (uint64_t)patterns->bars[hold.pattern] * FLZ_PATTERN_BEATS_PER_BAR *
                      FLZ_PATTERN_ONE;
    double beats = flz_patterns_beat(clock, frame) - hold.beat;
    uint64_t fixed = beats > 0.0 ? (uint64_t)llround(beats * (double)FLZ_PATTERN_ONE) : 0;
    if (fixed >= length)
      fixed = length - 1; /* a cycle or longer: up to the press's next playing */
    flz_pattern_event event = {.position = (uint32_t)((hold.position + fixed) % length),
                               .pass = hold.pass,
                               .pad = hold.pad,
                               .key = hold.key,
                               .kind = (uint8_t)(hold.kind | FLZ_PATTERN_RELEASE)};
    flz_patterns_insert(patterns, hold.pattern, event); /* its room was kept */
    patterns->changed |= 1u << hold.pattern;
    recorded = 1;
  }
  return recorded;
}

void flz_patterns_sounding(flz_patterns *patterns, const flz_pattern_event *event)
{
  uint32_t kind = event->kind & ~(uint32_t)FLZ_PATTERN_RELEASE;
  for (uint32_t i = 0; i < patterns->sounding_count; i++) {
    const flz_pattern_event *other = &patterns->sounding[i];
    if (other->kind == kind && other->pad == event->pad && other->key == event->key) {
      if (event->kind & FLZ_PATTERN_RELEASE)
        patterns->sounding[i] = patterns->sounding[--patterns->sounding_count];
      return;
    }
  }
  if (!(event->kind & FLZ_PATTERN_RELEASE) && patterns->sounding_count < FLZ_PATTERN_HELD)
    patterns->sounding[patterns->sounding_count++] = *event;
}

/* When letting go, hands out in `event` the release of a press still
 * sounding and returns 1; else stops letting go and returns 0. */
static int flz_patterns_let_go(flz_patterns *patterns, flz_pattern_event *event)
{
  if (patterns->letting_go && patterns->sounding_count > 0) {
    *event = patterns->sounding[--patterns->sounding_count];
    event->kind |= FLZ_PATTERN_RELEASE;
    return 1;
  }
  patterns->letting_go = 0;
  return 0;
}

uint64_t flz_patterns_next(const flz_patterns *patterns, const flz_pattern_clock *clock,
                           uint64_t from)
{
  if (patterns->letting_go && patterns->sounding_count > 0)
    return from;
  if (!patterns->playing)
    return UINT64_MAX;
  if (!patterns->aligned)
    return from;
  const flz_pattern_event *events = patterns->events + patterns->first[patterns->current];
  uint64_t at;
  if (patterns->cursor < patterns->count[patterns->current] &&
      events[patterns->cursor].position < flz_patterns_fixed_length(patterns))
    at = flz_patterns_event_frame(patterns, clock, &events[patterns->cursor]);
  else
    at = flz_patterns_frame(clock, patterns->start + flz_patterns_length(patterns));
  return at < from ? from : at;
}

int flz_patterns_take(flz_patterns *patterns, const flz_pattern_clock *clock, uint64_t frame,
                      flz_pattern_event *event, int *ended)
{
  if (flz_patterns_let_go(patterns, event))
    return 1;
  if (!patterns->playing)
    return 0;
  if (!patterns->aligned)
    flz_patterns_align(patterns, clock, frame);
  for (;;) {
    /* A beat that went back, or out of the cycle: the beat jumped. */
    double beat = flz_patterns_beat(clock, frame);
    double tolerance = 1.0 / clock->frames_per_beat;
    if (beat < patterns->seen - tolerance ||
        beat > patterns->start + flz_patterns_length(patterns) + tolerance)
      flz_patterns_align(patterns, clock, frame);
    patterns->seen = beat;
    const flz_pattern_event *events = patterns->events + patterns->first[patterns->current];
    uint32_t count = patterns->count[patterns->current];
    uint64_t fixed_length = flz_patterns_fixed_length(patterns);
    while (patterns->cursor < count && events[patterns->cursor].position < fixed_length) {
      const flz_pattern_event *next = &events[patterns->cursor];
      if (flz_patterns_event_frame(patterns, clock, next) > frame)
        return 0;
      patterns->cursor++;
      if (patterns->recording && next->pass == patterns->pass)
        continue;
      *event = *next;
      return 1;
    }
    double length = flz_patterns_length(patterns);
    if (flz_patterns_frame(clock, patterns->start + length) > frame)
      return 0;
    /* The cycle ends: the next begins, of the queued or chained pattern. */
    patterns->start += length;
    patterns->cursor = 0;
    uint32_t was = patterns->current;
    if (patterns->queued < FLZ_PATTERNS) {
      patterns->current = patterns->queued;
      patterns->queued = FLZ_PATTERN_NONE;
    } else if (patterns->chain_length > 0) {
      patterns->chain_at = (patterns->chain_at + 1) % patterns->chain_length;
      patterns->current = patterns->chain[patterns->chain_at];
    }
    if (patterns->recording) {
      patterns->pass++;
      if (ended != NULL)
        *ended = 1;
    }
    patterns->letting_go = patterns->current != was;
    if (flz_patterns_let_go(patterns, event))
      return 1;
  }
}

uint32_t flz_patterns_copy(const flz_patterns *patterns, uint32_t pattern, flz_pattern_event *out,
                           uint32_t capacity)
{
  if (pattern >= FLZ_PATTERNS)
    return 0;
  uint32_t count = patterns->count[pattern];
  memcpy(out, patterns->events + patterns->first[pattern],
         (count < capacity ? count : capacity) * sizeof *out);
  return count;
}

int flz_patterns_load(flz_patterns *patterns, uint32_t pattern, const flz_pattern_event *in,
                      uint32_t count, uint32_t bars)
{
  if (pattern >= FLZ_PATTERNS)
    return FLZ_ERR_ARGUMENT;
  uint32_t kept_room = 0; /* for the releases of other patterns' held presses */
  for (uint32_t i = 0; i < patterns->held_count; i++)
    kept_room += patterns->held[i].pattern != pattern;
  if (count > FLZ_PATTERN_EVENTS - (patterns->total - patterns->count[pattern]) - kept_room)
    return FLZ_ERR_PATTERN_FULL;
  (void)flz_patterns_remove(patterns, pattern, UINT32_MAX);
  uint32_t from = patterns->first[pattern];
  memmove(patterns->events + from + count, patterns->events + from,
          (patterns->total - from) * sizeof *in);
  flz_pattern_event *events = patterns->events + from;
  uint32_t kept = 0;
  for (uint32_t i = 0; i < count; i++)
    if (kept == 0 || in[i].position >= events[kept - 1].position)
      events[kept++] = in[i];
  if (kept < count) /* close the gap the dropped ones left */
    memmove(events + kept, events + count, (patterns->total - from) * sizeof *in);
  count = kept;
  patterns->count[pattern] = count;
  for (uint32_t q = pattern + 1; q < FLZ_PATTERNS; q++)
    patterns->first[q] += count;
  patterns->total += count;
  patterns->bars[pattern] = flz_patterns_clamp_bars(bars);
  if (pattern == patterns->current)
    patterns->aligned = 0;
  return (int)count;
}

void flz_patterns_click(flz_patterns *patterns, const flz_pattern_clock *clock, float *mix,
                        uint32_t n, uint64_t frame, uint32_t rate)
{
  if (!(patterns->metronome > 0.0f))
    return;
  uint32_t length = rate * FLZ_METRONOME_MS / 1000u;
  /* The beats whose (nearest) frames lie in this run, and where. */
  double beat = ceil(flz_patterns_beat(clock, frame)) - 1.0;
  uint64_t next = flz_patterns_frame(clock, beat);
  while (next < frame) {
    beat += 1.0;
    next = flz_patterns_frame(clock, beat);
  }
  for (uint32_t i = 0; i < n; i++) {
    if (frame + i == next) {
      long whole = lround(beat);
      patterns->click_hz = whole % (long)FLZ_PATTERN_BEATS_PER_BAR == 0 ? 2000.0f : 1000.0f;
      patterns->click_left = length;
      patterns->click_at = 0;
      beat += 1.0;
      next = flz_patterns_frame(clock, beat);
    }
    if (patterns->click_left == 0)
      continue;
    float decay = (float)patterns->click_left / (float)length;
    float value = patterns->metronome * decay *
                  sinf(6.2831853f * patterns->click_hz * (float)patterns->click_at / (float)rate);
    mix[2 * i] += value;
    mix[2 * i + 1] += value;
    patterns->click_left--;
    patterns->click_at++;
  }
}
