/* app/script.c: the event script parser (syntax in app/script.h).
 *
 * Owns: tokenizing, validation and the one-line reasons of malformed lines.
 * Must not touch the sampler or print anything.
 */
#include "app/script.h"

#include "app/kitfile.h"
#include "app/note.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/limits.h"
#include "engine/repeat.h"
#include "engine/result.h"

/* Fields a line may have: time, action and at most five arguments, plus one
 * more so that an extra field is seen and named. */
#define FLZ_SCRIPT_FIELDS 8

static int flz_script_fail(char *detail, size_t detail_size, const char *format, ...)
{
  if (detail != NULL && detail_size > 0) {
    va_list args;
    va_start(args, format);
    vsnprintf(detail, detail_size, format, args);
    va_end(args);
  }
  return FLZ_ERR_SYNTAX;
}

/* Parses all of `text` as a finite number. */
static int flz_script_number(const char *text, double *out)
{
  errno = 0;
  char *end = NULL;
  double value = strtod(text, &end);
  if (end == text || *end != '\0' || errno == ERANGE || !isfinite(value))
    return 0;
  *out = value;
  return 1;
}

/* Parses `text` as a pad number 1..pad_count. */
static int flz_script_pad(const char *text, uint32_t pad_count, uint32_t *pad, char *detail,
                          size_t detail_size)
{
  if (text == NULL)
    return flz_script_fail(detail, detail_size, "missing pad number");
  if (strspn(text, "0123456789") != strlen(text))
    return flz_script_fail(detail, detail_size, "bad pad number '%s'", text);
  errno = 0;
  unsigned long long value = strtoull(text, NULL, 10);
  if (errno != 0 || value < 1 || value > pad_count)
    return flz_script_fail(detail, detail_size, "pad %s is out of range 1..%u", text,
                           (unsigned)pad_count);
  *pad = (uint32_t)value;
  return FLZ_OK;
}

/* Parses a whole number 1..`high` (a pattern, bars). */
static int flz_script_count(const char *text, uint32_t high, uint32_t *out)
{
  if (text == NULL || text[0] == '\0' || strspn(text, "0123456789") != strlen(text) ||
      strlen(text) > 3)
    return 0;
  uint32_t value = (uint32_t)atoi(text);
  if (value < 1 || value > high)
    return 0;
  *out = value;
  return 1;
}

int flz_script_chain(const char *text, uint8_t *chain, uint32_t *length)
{
  char copy[128];
  *length = 0;
  if (strlen(text) >= sizeof copy)
    return 0;
  snprintf(copy, sizeof copy, "%s", text);
  char *save = NULL;
  for (char *entry = strtok_r(copy, ",", &save); entry != NULL;
       entry = strtok_r(NULL, ",", &save)) {
    uint32_t pattern;
    if (*length == FLZ_PATTERNS || !flz_script_count(entry, FLZ_PATTERNS, &pattern)) {
      *length = 0;
      return 0;
    }
    chain[(*length)++] = (uint8_t)(pattern - 1);
  }
  return *length > 0;
}

/* The pattern recorder's actions (app/script.h): record, pattern, chain,
 * record-quantize, metronome, with `arguments` fields in `fields`. */
static int flz_script_pattern(const char *action, char **fields, size_t arguments,
                              flz_script_event *event, size_t *most, char *detail,
                              size_t detail_size)
{
  const char *first = arguments > 0 ? fields[0] : "";
  if (strcmp(action, "record") == 0) {
    static const char *const names[] = {"off", "on", "overdub", "undo", "clear"};
    event->action = FLZ_SCRIPT_RECORD;
    *most = 1;
    for (uint32_t i = 0; i < 5; i++)
      if (strcmp(first, names[i]) == 0) {
        event->value = (float)i;
        return FLZ_OK;
      }
    return flz_script_fail(detail, detail_size,
                           "record must be on, off, overdub, undo or clear, not '%s'", first);
  }
  if (strcmp(action, "pattern") == 0) {
    event->action = FLZ_SCRIPT_PATTERN;
    *most = 3;
    if (strcmp(first, "off") == 0) {
      *most = 1;
      return FLZ_OK;
    }
    if (!flz_script_count(first, FLZ_PATTERNS, &event->pad))
      return flz_script_fail(detail, detail_size, "pattern must be 1 to %u or off, not '%s'",
                             FLZ_PATTERNS, first);
    if (arguments == 1)
      return FLZ_OK;
    uint32_t bars;
    if (strcmp(fields[1], "bars") != 0)
      return flz_script_fail(detail, detail_size, "unexpected '%s' after pattern %s", fields[1],
                             first);
    if (!flz_script_count(arguments > 2 ? fields[2] : NULL, FLZ_PATTERN_BARS_MAX, &bars))
      return flz_script_fail(detail, detail_size, "bars must be 1 to %u, not '%s'",
                             FLZ_PATTERN_BARS_MAX, arguments > 2 ? fields[2] : "");
    event->value = (float)bars;
    return FLZ_OK;
  }
  if (strcmp(action, "chain") == 0) {
    event->action = FLZ_SCRIPT_CHAIN;
    *most = 1;
    if (arguments == 0)
      return flz_script_fail(detail, detail_size, "missing patterns after chain");
    if (!flz_script_chain(first, event->chain, &event->pad))
      return flz_script_fail(detail, detail_size,
                             "chain must be up to %u patterns 1 to %u joined by commas, not '%s'",
                             FLZ_PATTERNS, FLZ_PATTERNS, first);
    return FLZ_OK;
  }
  if (strcmp(action, "metronome") == 0) {
    event->action = FLZ_SCRIPT_METRONOME;
    *most = 1;
    double db;
    if (strcmp(first, "off") == 0)
      return FLZ_OK;
    if (!flz_script_number(first, &db) || db > FLZ_GAIN_DB_MAX)
      return flz_script_fail(detail, detail_size,
                             "metronome must be a level in dB up to %+g or off, not '%s'",
                             FLZ_GAIN_DB_MAX, first);
    event->value = db <= FLZ_GAIN_DB_MIN ? 0.0f : (float)pow(10.0, db / 20.0);
    return FLZ_OK;
  }
  if (strcmp(action, "record-quantize") != 0)
    return flz_script_fail(detail, detail_size, "unknown action '%s'", action);
  event->action = FLZ_SCRIPT_RECORD_QUANTIZE;
  *most = 3;
  int grid = flz_kitfile_quantize(first);
  if (grid < 0 || grid > 3)
    return flz_script_fail(detail, detail_size,
                           "record-quantize must be off, 1/16, 1/8 or 1/4, "
                           "not '%s'",
                           first);
  event->pad = (uint32_t)grid;
  event->value = 0.5f;
  if (arguments == 1)
    return FLZ_OK;
  double swing;
  if (strcmp(fields[1], "swing") != 0)
    return flz_script_fail(detail, detail_size, "unexpected '%s' after record-quantize %s",
                           fields[1], first);
  if (arguments < 3 || !flz_script_number(fields[2], &swing) || swing < 50.0 || swing > 75.0)
    return flz_script_fail(detail, detail_size, "swing must be 50 to 75 percent, not '%s'",
                           arguments > 2 ? fields[2] : "");
  event->value = (float)(swing / 100.0);
  return FLZ_OK;
}

/* Parses one line (already cut at '#' and NUL-terminated, modified in place)
 * into `event`. Returns 1 for an event, 0 for a blank line, or FLZ_ERR_SYNTAX. */
static int flz_script_line(char *text, uint32_t pad_count, double previous, flz_script_event *event,
                           char *detail, size_t detail_size)
{
  char *fields[FLZ_SCRIPT_FIELDS];
  size_t count = 0;
  char *save = NULL;
  for (char *field = strtok_r(text, " \t\r\v\f", &save); field != NULL && count < FLZ_SCRIPT_FIELDS;
       field = strtok_r(NULL, " \t\r\v\f", &save))
    fields[count++] = field;
  if (count == 0)
    return 0;

  memset(event, 0, sizeof(*event));
  if (!flz_script_number(fields[0], &event->seconds))
    return flz_script_fail(detail, detail_size, "bad time '%s'", fields[0]);
  if (event->seconds < 0.0 || event->seconds > FLZ_RENDER_SECONDS_MAX)
    return flz_script_fail(detail, detail_size, "time %s is outside 0..%g seconds", fields[0],
                           FLZ_RENDER_SECONDS_MAX);
  if (event->seconds < previous)
    return flz_script_fail(detail, detail_size,
                           "time %s is before the previous event's %g: times must not decrease",
                           fields[0], previous);
  if (count < 2)
    return flz_script_fail(detail, detail_size, "missing action after the time");

  const char *action = fields[1];
  size_t arguments = count - 2;
  size_t most = 0;
  if (strcmp(action, "play") == 0) {
    event->action = FLZ_SCRIPT_PLAY;
    most = 2;
    int result = flz_script_pad(arguments > 0 ? fields[2] : NULL, pad_count, &event->pad, detail,
                                detail_size);
    if (result != FLZ_OK)
      return result;
    event->value = 1.0f;
    if (arguments > 1) {
      double velocity;
      if (!flz_script_number(fields[3], &velocity))
        return flz_script_fail(detail, detail_size, "bad velocity '%s'", fields[3]);
      if (velocity < 0.0 || velocity > 1.0)
        return flz_script_fail(detail, detail_size, "velocity %s is outside 0..1", fields[3]);
      event->value = (float)velocity;
    }
  } else if (strcmp(action, "note") == 0) {
    event->action = FLZ_SCRIPT_NOTE;
    most = 3;
    uint32_t key, velocity, channel = 1;
    if (arguments == 0)
      return flz_script_fail(detail, detail_size, "missing key after note");
    if (!flz_note_parse(fields[2], &key))
      return flz_script_fail(detail, detail_size,
                             "bad key '%s' (a MIDI note 0..127 or a name like c4 = 60)", fields[2]);
    if (arguments < 2)
      return flz_script_fail(detail, detail_size, "missing velocity after the key");
    if (strspn(fields[3], "0123456789") != strlen(fields[3]) || strlen(fields[3]) > 3 ||
        (velocity = (uint32_t)atoi(fields[3])) < 1 || velocity > FLZ_NOTE_MAX)
      return flz_script_fail(detail, detail_size,
                             "velocity must be a MIDI value from 1 to %u, not '%s'", FLZ_NOTE_MAX,
                             fields[3]);
    if (arguments > 2 &&
        (strspn(fields[4], "0123456789") != strlen(fields[4]) || strlen(fields[4]) > 2 ||
         (channel = (uint32_t)atoi(fields[4])) < 1 || channel > 16))
      return flz_script_fail(detail, detail_size, "channel must be 1 to 16, not '%s'", fields[4]);
    event->key = (uint8_t)key;
    event->channel = (uint8_t)channel;
    event->value = (float)velocity / (float)FLZ_NOTE_MAX;
  } else if (strcmp(action, "stop") == 0 || strcmp(action, "release") == 0) {
    event->action = strcmp(action, "stop") == 0 ? FLZ_SCRIPT_STOP : FLZ_SCRIPT_RELEASE;
    most = event->action == FLZ_SCRIPT_RELEASE ? 2 : 1;
    int result = flz_script_pad(arguments > 0 ? fields[2] : NULL, pad_count, &event->pad, detail,
                                detail_size);
    if (result != FLZ_OK)
      return result;
    uint32_t key;
    if (arguments > 1 && !flz_note_parse(fields[3], &key))
      return flz_script_fail(detail, detail_size,
                             "bad key '%s' (a MIDI note 0..127 or a name like c4 = 60)", fields[3]);
    if (arguments > 1) {
      event->key = (uint8_t)key;
      event->has_key = 1;
    }
  } else if (strcmp(action, "stop-all") == 0) {
    event->action = FLZ_SCRIPT_STOP_ALL;
  } else if (strcmp(action, "volume") == 0) {
    event->action = FLZ_SCRIPT_VOLUME;
    most = 1;
    double db;
    if (arguments == 0)
      return flz_script_fail(detail, detail_size, "missing volume in dB");
    if (!flz_script_number(fields[2], &db))
      return flz_script_fail(detail, detail_size, "bad volume '%s'", fields[2]);
    if (db > FLZ_GAIN_DB_MAX)
      return flz_script_fail(detail, detail_size, "volume %s dB is above %+g dB", fields[2],
                             FLZ_GAIN_DB_MAX);
    event->value = (float)db;
  } else if (strcmp(action, "speed") == 0 || strcmp(action, "tempo") == 0) {
    int speed = strcmp(action, "speed") == 0;
    event->action = speed ? FLZ_SCRIPT_SPEED : FLZ_SCRIPT_TEMPO;
    most = 1;
    double number;
    double low = speed ? FLZ_SPEED_MIN : FLZ_TEMPO_MIN;
    double high = speed ? FLZ_SPEED_MAX : FLZ_TEMPO_MAX;
    if (arguments == 0)
      return flz_script_fail(detail, detail_size, "missing %s", speed ? "speed" : "tempo in BPM");
    if (!flz_script_number(fields[2], &number) || number < low || number > high)
      return flz_script_fail(detail, detail_size, "%s must be a number from %g to %g, not '%s'",
                             action, low, high, fields[2]);
    event->value = (float)number;
  } else if (strcmp(action, "quantize") == 0) {
    event->action = FLZ_SCRIPT_QUANTIZE;
    most = 1;
    int grid = arguments > 0 ? flz_kitfile_quantize(fields[2]) : -1;
    if (grid < 0) {
      char words[64];
      flz_ini_choices(flz_kitfile_quantizes, words, sizeof words);
      return flz_script_fail(detail, detail_size, "quantize must be %s, not '%s'", words,
                             arguments > 0 ? fields[2] : "");
    }
    event->value = (float)grid;
  } else if (strcmp(action, "multi-loop") == 0) {
    event->action = FLZ_SCRIPT_MULTI_LOOP;
    most = 1;
    if (arguments == 0 || (strcmp(fields[2], "on") != 0 && strcmp(fields[2], "off") != 0))
      return flz_script_fail(detail, detail_size, "multi-loop must be on or off, not '%s'",
                             arguments > 0 ? fields[2] : "");
    event->value = strcmp(fields[2], "on") == 0 ? 1.0f : 0.0f;
  } else if (strcmp(action, "clock") == 0) {
    static const char *const names[] = {"tick", "start", "continue", "stop", "position"};
    static const uint8_t status[] = {0xF8, 0xFA, 0xFB, 0xFC, 0xF2};
    event->action = FLZ_SCRIPT_CLOCK;
    most = 1;
    uint32_t kind = 5;
    for (uint32_t i = 0; i < 5 && arguments > 0; i++)
      if (strcmp(fields[2], names[i]) == 0)
        kind = i;
    if (kind == 5)
      return flz_script_fail(detail, detail_size,
                             "clock must be tick, start, continue, stop or position N, not '%s'",
                             arguments > 0 ? fields[2] : "");
    event->value = (float)status[kind];
    if (status[kind] == 0xF2) {
      most = 2;
      double position;
      if (arguments < 2 || !flz_script_number(fields[3], &position) || position < 0.0 ||
          position > 16383.0 || position != floor(position))
        return flz_script_fail(detail, detail_size,
                               "clock position must be a whole number of 1/16 notes from 0 to "
                               "16383, not '%s'",
                               arguments > 1 ? fields[3] : "");
      event->pad = (uint32_t)position;
    }
  } else if (strcmp(action, "record") == 0 || strcmp(action, "record-quantize") == 0 ||
             strcmp(action, "pattern") == 0 || strcmp(action, "chain") == 0 ||
             strcmp(action, "metronome") == 0) {
    int result = flz_script_pattern(action, fields + 2, arguments, event, &most, detail,
                                    detail_size);
    if (result != FLZ_OK)
      return result;
  } else if (strcmp(action, "repeat") == 0) {
    event->action = FLZ_SCRIPT_REPEAT;
    most = 1;
    int rate = arguments > 0 ? flz_repeat_parse(fields[2]) : -1;
    if (rate < 0)
      return flz_script_fail(detail, detail_size,
                             "repeat must be off, 1/4, 1/8, 1/16, 1/32, 1/4t, 1/8t, 1/16t or "
                             "1/32t, not '%s'",
                             arguments > 0 ? fields[2] : "");
    event->value = (float)rate;
  } else if (strcmp(action, "pressure") == 0) {
    event->action = FLZ_SCRIPT_PRESSURE;
    most = 2;
    if (arguments == 0 || strcmp(fields[2], "all") != 0) {
      int result = flz_script_pad(arguments > 0 ? fields[2] : NULL, pad_count, &event->pad, detail,
                                  detail_size);
      if (result != FLZ_OK)
        return result;
    }
    double pressure;
    if (arguments < 2 || !flz_script_number(fields[3], &pressure) || pressure < 0.0 ||
        pressure > 1.0)
      return flz_script_fail(detail, detail_size, "pressure must be a number from 0 to 1, not '%s'",
                             arguments > 1 ? fields[3] : "");
    event->value = (float)pressure;
  } else if (strcmp(action, "resample") == 0 && arguments > 0 && strcmp(fields[2], "stop") == 0) {
    event->action = FLZ_SCRIPT_RESAMPLE_STOP;
    most = 1;
  } else if (strcmp(action, "resample") == 0) {
    event->action = FLZ_SCRIPT_RESAMPLE;
    most = 5;
    if (arguments == 0)
      return flz_script_fail(detail, detail_size, "resample needs master or a pad, or stop");
    if (strcmp(fields[2], "master") != 0) {
      int result = flz_script_pad(fields[2], pad_count, &event->source, detail, detail_size);
      if (result != FLZ_OK)
        return result;
    }
    if (arguments < 3 || strcmp(fields[3], "into") != 0)
      return flz_script_fail(detail, detail_size, "resample %s needs 'into PAD'", fields[2]);
    uint32_t pads = pad_count > FLZ_PADS ? pad_count : FLZ_PADS;
    int result = flz_script_pad(fields[4], pads, &event->pad, detail, detail_size);
    if (result != FLZ_OK)
      return result;
    if (arguments > 3) {
      double bars;
      if (strcmp(fields[5], "bars") != 0)
        return flz_script_fail(detail, detail_size, "unexpected '%s' after resample", fields[5]);
      if (arguments < 5 || !flz_script_number(fields[6], &bars) || !(bars > 0.0) ||
          bars > FLZ_RESAMPLE_BARS_MAX)
        return flz_script_fail(detail, detail_size,
                               "bars must be a number above 0 and at most %d, not '%s'",
                               FLZ_RESAMPLE_BARS_MAX, arguments > 4 ? fields[6] : "");
      event->value = (float)bars;
    }
  } else {
    return flz_script_fail(
      detail, detail_size,
      "unknown action '%s' (play, note, stop, release, stop-all, volume, speed, "
      "tempo, quantize, multi-loop, clock, record, pattern, chain, record-quantize, "
      "metronome, resample, repeat, pressure)",
      action);
  }
  if (arguments > most)
    return flz_script_fail(detail, detail_size, "unexpected '%s' after %s", fields[2 + most],
                           action);
  return 1;
}

int flz_script_parse(const char *text, uint32_t pad_count, flz_script *script, uint32_t *line,
                     char *detail, size_t detail_size)
{
  memset(script, 0, sizeof(*script));
  *line = 0;
  if (detail != NULL && detail_size > 0)
    detail[0] = '\0';

  size_t capacity = 0;
  double previous = 0.0;
  uint32_t pads = pad_count; /* grows with the pads resampled into */
  const char *cursor = text;
  uint32_t number = 0;
  while (*cursor != '\0') {
    number++;
    size_t length = strcspn(cursor, "\n");
    size_t content = strcspn(cursor, "#\n");
    char *copy = malloc(content + 1);
    if (copy == NULL) {
      flz_script_deinit(script);
      return FLZ_ERR_NO_MEMORY;
    }
    memcpy(copy, cursor, content);
    copy[content] = '\0';
    flz_script_event event;
    int result = flz_script_line(copy, pads, previous, &event, detail, detail_size);
    free(copy);
    if (result < 0) {
      flz_script_deinit(script);
      *line = number;
      return result;
    }
    if (result == 1) {
      if (script->count == capacity) {
        size_t grown = capacity == 0 ? 64 : capacity * 2;
        flz_script_event *bigger = realloc(script->events, grown * sizeof(*bigger));
        if (bigger == NULL) {
          flz_script_deinit(script);
          return FLZ_ERR_NO_MEMORY;
        }
        script->events = bigger;
        capacity = grown;
      }
      event.line = number;
      script->events[script->count++] = event;
      previous = event.seconds;
      if (event.action == FLZ_SCRIPT_RESAMPLE && event.pad > pads)
        pads = event.pad;
    }
    cursor += length;
    if (*cursor == '\n')
      cursor++;
  }
  return FLZ_OK;
}

int flz_script_load(const char *path, uint32_t pad_count, flz_script *script, uint32_t *line,
                    char *detail, size_t detail_size)
{
  memset(script, 0, sizeof(*script));
  *line = 0;
  if (detail != NULL && detail_size > 0)
    detail[0] = '\0';
  struct stat info;
  if (stat(path, &info) != 0)
    return errno == ENOENT || errno == ENOTDIR ? FLZ_ERR_NOT_FOUND : FLZ_ERR_READ;
  if (S_ISDIR(info.st_mode))
    return FLZ_ERR_IS_DIRECTORY;
  FILE *file = fopen(path, "rb");
  if (file == NULL)
    return FLZ_ERR_READ;

  char *text = NULL;
  size_t size = 0;
  size_t capacity = 0;
  int result = FLZ_OK;
  for (;;) {
    if (capacity - size < 4096) {
      size_t grown = capacity == 0 ? 65536 : capacity * 2;
      char *bigger = realloc(text, grown);
      if (bigger == NULL) {
        result = FLZ_ERR_NO_MEMORY;
        break;
      }
      text = bigger;
      capacity = grown;
    }
    size_t n = fread(text + size, 1, capacity - size - 1, file);
    size += n;
    if (n == 0) {
      if (ferror(file))
        result = FLZ_ERR_READ;
      break;
    }
  }
  fclose(file);
  if (result == FLZ_OK) {
    text[size] = '\0';
    size_t text_length = strlen(text);
    if (text_length != size) {
      *line = 1;
      for (size_t i = 0; i < text_length; i++)
        *line += text[i] == '\n';
      result = flz_script_fail(detail, detail_size, "NUL byte: not a text file");
    } else {
      result = flz_script_parse(text, pad_count, script, line, detail, detail_size);
    }
  }
  free(text);
  return result;
}

void flz_script_deinit(flz_script *script)
{
  if (script == NULL)
    return;
  free(script->events);
  script->events = NULL;
  script->count = 0;
}
