/* app/kitfile.c: kit.ini parsing (libinih) and pad settings to engine
 * parameters (app/kitfile.h). */
#include "app/kitfile.h"

#include "app/ini.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "engine/result.h"

void flz_kitfile_init(flz_kitfile *kit)
{
  memset(kit, 0, sizeof *kit);
  kit->bpm = 120.0f;
  kit->quantize = FLZ_QUANTIZE_OFF;
  kit->multi_loop = 1;
  kit->bank_size = 16;
  kit->speed = 1.0f;
  for (uint32_t i = 0; i < FLZ_SLOTS; i++) {
    kit->pads[i].retrigger = FLZ_RETRIGGER_RESTART;
    kit->pads[i].curve = FLZ_CURVE_SQUARE;
  }
}

int flz_kitfile_quantize(const char *word)
{
  static const char *const names[] = {"off", "1/16", "1/8", "1/4", "bar"};
  for (int i = 0; i < 5; i++)
    if (strcmp(word, names[i]) == 0)
      return i;
  return -1;
}

typedef struct flz_kitfile_parse {
  flz_kitfile *kit;
  flz_ini_error error; /* the first error; its line comes from ini_parse */
} flz_kitfile_parse;

/* Keeps the first error's reason; returns 0, libinih's "bad line". */
#define flz_kitfile_fail(p, ...) flz_ini_fail(&(p)->error, 0, __VA_ARGS__)

static int flz_kitfile_kit_key(flz_kitfile_parse *p, const char *name, const char *value)
{
  flz_kitfile *kit = p->kit;
  double number;
  if (strcmp(name, "bpm") == 0) {
    if (!flz_ini_number(value, 20.0, 999.0, &number))
      return flz_kitfile_fail(p, "bpm must be a number from 20 to 999, not '%s'", value);
    kit->bpm = (float)number;
  } else if (strcmp(name, "quantize") == 0) {
    int q = flz_kitfile_quantize(value);
    if (q < 0)
      return flz_kitfile_fail(p, "quantize must be off, 1/16, 1/8, 1/4 or bar, not '%s'", value);
    kit->quantize = (uint32_t)q;
  } else if (strcmp(name, "multi_loop") == 0) {
    if (!flz_ini_bool(value, &kit->multi_loop))
      return flz_kitfile_fail(p, "multi_loop must be true or false, not '%s'", value);
  } else if (strcmp(name, "bank_size") == 0) {
    if (!flz_ini_number(value, 1.0, FLZ_SLOTS, &number) || number != floor(number))
      return flz_kitfile_fail(p, "bank_size must be a whole number from 1 to 256, not '%s'", value);
    kit->bank_size = (uint32_t)number;
  } else if (strcmp(name, "speed") == 0) {
    if (!flz_ini_number(value, 0.5, 2.0, &number))
      return flz_kitfile_fail(p, "speed must be a number from 0.5 to 2.0, not '%s'", value);
    kit->speed = (float)number;
  } else {
    return flz_kitfile_fail(p, "unknown key '%s' in [kit]", name);
  }
  return 1;
}

static int flz_kitfile_pad_key(flz_kitfile_parse *p, flz_pad_settings *pad, const char *section,
                               const char *name, const char *value)
{
  double number;
  if (strcmp(name, "file") == 0) {
    if (value[0] == '\0' || strlen(value) >= sizeof pad->file)
      return flz_kitfile_fail(p, "file needs a file name, not '%s'", value);
    snprintf(pad->file, sizeof pad->file, "%s", value);
    pad->set |= FLZ_PAD_FILE;
  } else if (strcmp(name, "mode") == 0) {
    static const char *const modes[] = {"oneshot", "gate", "loop", "loop-gate"};
    uint32_t m = 0;
    while (m < 4 && strcmp(value, modes[m]) != 0)
      m++;
    if (m == 4)
      return flz_kitfile_fail(p, "mode must be oneshot, gate, loop or loop-gate, not '%s'", value);
    pad->mode = m;
  } else if (strcmp(name, "retrigger") == 0) {
    if (strcmp(value, "restart") == 0)
      pad->retrigger = FLZ_RETRIGGER_RESTART;
    else if (strcmp(value, "layer") == 0)
      pad->retrigger = FLZ_RETRIGGER_LAYER;
    else
      return flz_kitfile_fail(p, "retrigger must be restart or layer, not '%s'", value);
  } else if (strcmp(name, "choke") == 0) {
    if (!flz_ini_number(value, 0.0, 1000000.0, &number) || number != floor(number))
      return flz_kitfile_fail(p, "choke must be a group number (0 = none), not '%s'", value);
    pad->choke = (uint32_t)number;
  } else if (strcmp(name, "gain_db") == 0) {
    if (!flz_ini_number(value, -96.0, 24.0, &number))
      return flz_kitfile_fail(p, "gain_db must be a number from -96 to 24, not '%s'", value);
    pad->gain_db = (float)number;
  } else if (strcmp(name, "pan") == 0) {
    if (!flz_ini_number(value, -1.0, 1.0, &number))
      return flz_kitfile_fail(p, "pan must be a number from -1 to 1, not '%s'", value);
    pad->pan = (float)number;
  } else if (strcmp(name, "tune") == 0) {
    if (!flz_ini_number(value, -48.0, 48.0, &number))
      return flz_kitfile_fail(p, "tune must be semitones from -48 to 48, not '%s'", value);
    pad->tune = (float)number;
  } else if (strcmp(name, "start") == 0 || strcmp(name, "end") == 0 ||
             strcmp(name, "loop_start") == 0 || strcmp(name, "loop_end") == 0) {
    uint32_t frames;
    if (!flz_ini_uint(value, 0, UINT32_MAX, &frames))
      return flz_kitfile_fail(p, "%s must be a frame number, not '%s'", name, value);
    if (strcmp(name, "start") == 0)
      pad->start = frames;
    else if (strcmp(name, "end") == 0)
      pad->end = frames;
    else if (strcmp(name, "loop_start") == 0)
      pad->loop_start = frames;
    else
      pad->loop_end = frames;
    if (strncmp(name, "loop", 4) == 0)
      pad->set |= FLZ_PAD_LOOP_POINTS;
  } else if (strcmp(name, "reverse") == 0) {
    if (!flz_ini_bool(value, &pad->reverse))
      return flz_kitfile_fail(p, "reverse must be true or false, not '%s'", value);
  } else if (strcmp(name, "velocity_curve") == 0) {
    if (strcmp(value, "square") == 0) {
      pad->curve = FLZ_CURVE_SQUARE;
    } else if (strcmp(value, "linear") == 0) {
      pad->curve = FLZ_CURVE_LINEAR;
    } else if (strncmp(value, "db:", 3) == 0 && flz_ini_number(value + 3, 1.0, 120.0, &number)) {
      pad->curve = FLZ_CURVE_DB;
      pad->curve_db = (float)number;
    } else {
      return flz_kitfile_fail(
        p, "velocity_curve must be square, linear or db:R (R from 1 to 120), not '%s'", value);
    }
  } else if (strcmp(name, "bpm") == 0) {
    if (!flz_ini_number(value, 0.0, 999.0, &number) || (number > 0.0 && number < 20.0))
      return flz_kitfile_fail(p, "bpm must be 0 or a number from 20 to 999, not '%s'", value);
    pad->bpm = (float)number;
  } else if (strcmp(name, "bpm_lock") == 0) {
    if (!flz_ini_bool(value, &pad->bpm_lock))
      return flz_kitfile_fail(p, "bpm_lock must be true or false, not '%s'", value);
  } else {
    return flz_kitfile_fail(p, "unknown key '%s' in [%s]", name, section);
  }
  return 1;
}

/* libinih's handler: one key of one section; 0 marks the line bad. */
static int flz_kitfile_handler(void *user, const char *section, const char *name,
                               const char *value)
{
  flz_kitfile_parse *p = user;
  if (strcmp(section, "kit") == 0)
    return flz_kitfile_kit_key(p, name, value);
  unsigned pad = 0;
  char rest = 0;
  if (sscanf(section, "pad %u%c", &pad, &rest) == 1 && pad >= 1 && pad <= FLZ_SLOTS)
    return flz_kitfile_pad_key(p, &p->kit->pads[pad - 1], section, name, value);
  if (strncmp(section, "pad", 3) == 0)
    return flz_kitfile_fail(p, "[%s] must be [pad N] with N from 1 to 256", section);
  return flz_kitfile_fail(p, "unknown section [%s] (kit or pad N)", section);
}

int flz_kitfile_load(const char *path, flz_kitfile *kit, uint32_t *line, char *detail,
                     size_t detail_size)
{
  flz_kitfile_init(kit);
  *line = 0;
  if (detail_size > 0)
    detail[0] = '\0';
  FILE *file = fopen(path, "r");
  if (file == NULL)
    return errno == ENOENT ? FLZ_ERR_NOT_FOUND : FLZ_ERR_READ;
  flz_kitfile_parse p = {.kit = kit, .error = {.detail = detail, .detail_size = detail_size}};
  int result = ini_parse_file(file, flz_kitfile_handler, &p);
  fclose(file);
  if (result == 0)
    return FLZ_OK;
  *line = result > 0 ? (uint32_t)result : 0;
  if (!p.error.failed)
    snprintf(detail, detail_size, "not an INI line (expected [section] or key = value)");
  return FLZ_ERR_SYNTAX;
}

static uint32_t flz_kitfile_scale(uint32_t frames, uint32_t source_rate, uint32_t engine_rate)
{
  if (source_rate == 0 || source_rate == engine_rate)
    return frames;
  double scaled = round((double)frames * engine_rate / source_rate);
  return scaled > (double)UINT32_MAX ? UINT32_MAX : (uint32_t)scaled;
}

void flz_kitfile_params(const flz_pad_settings *pad, uint32_t source_rate, uint32_t engine_rate,
                        uint32_t file_loop_start, uint32_t file_loop_end,
                        flz_slot_params *params)
{
  memset(params, 0, sizeof *params);
  params->mode = (uint8_t)pad->mode;
  params->retrigger = (uint8_t)pad->retrigger;
  params->reverse = pad->reverse != 0;
  params->bpm_lock = pad->bpm_lock != 0;
  params->curve = (uint8_t)pad->curve;
  params->curve_db = pad->curve_db;
  params->choke = pad->choke;
  params->gain = pad->gain_db <= -96.0f ? 1e-5f : powf(10.0f, pad->gain_db / 20.0f);
  params->pan = pad->pan;
  params->rate = powf(2.0f, pad->tune / 12.0f);
  params->bpm = pad->bpm;
  params->start = flz_kitfile_scale(pad->start, source_rate, engine_rate);
  params->end = flz_kitfile_scale(pad->end, source_rate, engine_rate);
  if (pad->set & FLZ_PAD_LOOP_POINTS) {
    params->loop_start = flz_kitfile_scale(pad->loop_start, source_rate, engine_rate);
    params->loop_end = flz_kitfile_scale(pad->loop_end, source_rate, engine_rate);
  } else {
    params->loop_start = file_loop_start;
    params->loop_end = file_loop_end;
  }
}
