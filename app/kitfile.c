/* app/kitfile.c: kit.ini (app/kitfile.h): the table of its keys, parsing
 * (libinih), the docs' key list, and pad settings to engine parameters. */
#include "app/kitfile.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/result.h"

const flz_ini_choice flz_kitfile_quantizes[] = {
  {"off", FLZ_QUANTIZE_OFF}, {"1/16", FLZ_QUANTIZE_16TH}, {"1/8", FLZ_QUANTIZE_8TH},
  {"1/4", FLZ_QUANTIZE_4TH}, {"bar", FLZ_QUANTIZE_BAR},   {NULL, 0},
};

static const flz_ini_choice flz_kitfile_modes[] = {
  {"oneshot", FLZ_MODE_ONESHOT},
  {"gate", FLZ_MODE_GATE},
  {"loop", FLZ_MODE_LOOP},
  {"loop-gate", FLZ_MODE_LOOP_GATE},
  {NULL, 0},
};

static const flz_ini_choice flz_kitfile_retriggers[] = {
  {"restart", FLZ_RETRIGGER_RESTART},
  {"layer", FLZ_RETRIGGER_LAYER},
  {NULL, 0},
};

/* kit.ini's interpolation: "default" (0) leaves flitz.ini's; the others are
 * flz_interpolation + 1. */
static const flz_ini_choice flz_kitfile_interpolations[] = {
  {"default", 0},
  {"linear", FLZ_INTERPOLATION_LINEAR + 1},
  {"hermite", FLZ_INTERPOLATION_HERMITE + 1},
  {"sinc", FLZ_INTERPOLATION_SINC + 1},
  {NULL, 0},
};

static const flz_ini_choice flz_kitfile_curves[] = {
  {"square", FLZ_CURVE_SQUARE},
  {"linear", FLZ_CURVE_LINEAR},
  {NULL, 0},
};

/* The dB range R of velocity_curve = db:R: 1 dB (nearly flat) to 120 dB
 * (past the 16-bit noise floor). Plain numbers: the message spells them. */
#define FLZ_KITFILE_CURVE_DB_MIN 1
#define FLZ_KITFILE_CURVE_DB_MAX 120
#define FLZ_KITFILE_SPELL(x) #x
#define FLZ_KITFILE_SPELLED(x) FLZ_KITFILE_SPELL(x)
#define FLZ_KITFILE_CURVE_EXPECT                                                                   \
  "square, linear or db:R (R from " FLZ_KITFILE_SPELLED(                                           \
    FLZ_KITFILE_CURVE_DB_MIN) " to " FLZ_KITFILE_SPELLED(FLZ_KITFILE_CURVE_DB_MAX) ")"

/* file: a file name, relative to the kit folder. */
static int flz_kitfile_file(const flz_ini_setting *row, void *base, const char *value)
{
  if (value[0] == '\0' || strlen(value) >= row->size)
    return 0;
  snprintf((char *)base + row->offset, row->size, "%s", value);
  return 1;
}

/* velocity_curve: one of its choices, or db:R. */
static int flz_kitfile_curve(const flz_ini_setting *row, void *base, const char *value)
{
  flz_pad_settings *pad = base;
  double db;
  if (flz_ini_choose(row->choices, value, &pad->curve))
    return 1;
  if (strncmp(value, "db:", 3) != 0 ||
      !flz_ini_number(value + 3, FLZ_KITFILE_CURVE_DB_MIN, FLZ_KITFILE_CURVE_DB_MAX, &db))
    return 0;
  pad->curve = FLZ_CURVE_DB;
  pad->curve_db = (float)db;
  return 1;
}

/* Where a row's value is: in flz_kitfile ([kit]) or flz_pad_settings ([pad N]). */
#define FLZ_KITFILE_AT(field) offsetof(flz_kitfile, field)
#define FLZ_KITFILE_PAD_AT(field) offsetof(flz_pad_settings, field)

/* The section name pad rows have: [pad 1] ... [pad FLZ_PADS]. */
#define FLZ_KITFILE_PAD "pad N"

static const flz_ini_setting flz_kitfile_settings[] = {
  {"kit", "bpm", FLZ_INI_FLOAT, FLZ_KITFILE_AT(bpm), .low = FLZ_TEMPO_MIN, .high = FLZ_TEMPO_MAX,
   .default_value = FLZ_DEFAULT_TEMPO, .doc = "master tempo"},
  {"kit", "quantize", FLZ_INI_ENUM, FLZ_KITFILE_AT(quantize), .choices = flz_kitfile_quantizes,
   .default_value = FLZ_QUANTIZE_OFF, .doc = "launch grid of loop pads"},
  {"kit", "multi_loop", FLZ_INI_BOOL, FLZ_KITFILE_AT(multi_loop), .default_value = 1,
   .doc = "false: starting a loop stops the loops that play"},
  {"kit", "bank_size", FLZ_INI_WHOLE, FLZ_KITFILE_AT(bank_size), .low = 1, .high = FLZ_PADS,
   .default_value = FLZ_DEFAULT_BANK_SIZE, .doc = "pads per bank"},
  {"kit", "interpolation", FLZ_INI_ENUM, FLZ_KITFILE_AT(interpolation),
   .choices = flz_kitfile_interpolations, .default_value = 0,
   .doc = "pitched voices (default: flitz.ini's)"},
  {"kit", "speed", FLZ_INI_FLOAT, FLZ_KITFILE_AT(speed), .low = FLZ_SPEED_MIN,
   .high = FLZ_SPEED_MAX, .default_value = FLZ_DEFAULT_SPEED, .decimals = 1, .doc = "global speed"},
  {FLZ_KITFILE_PAD, "file", FLZ_INI_TEXT, FLZ_KITFILE_PAD_AT(file),
   sizeof(((flz_pad_settings *)0)->file), .parse = flz_kitfile_file, .expect = "a file name",
   .mark = FLZ_PAD_FILE, .doc = "this file on this pad (the others keep folder order)"},
  {FLZ_KITFILE_PAD, "mode", FLZ_INI_ENUM, FLZ_KITFILE_PAD_AT(mode), .choices = flz_kitfile_modes,
   .default_value = FLZ_MODE_ONESHOT, .doc = "what a press does"},
  {FLZ_KITFILE_PAD, "retrigger", FLZ_INI_ENUM, FLZ_KITFILE_PAD_AT(retrigger),
   .choices = flz_kitfile_retriggers, .default_value = FLZ_RETRIGGER_RESTART,
   .doc = "a press of a sounding pad"},
  {FLZ_KITFILE_PAD, "choke", FLZ_INI_WHOLE, FLZ_KITFILE_PAD_AT(choke), .low = 0, .high = 1e6,
   .expect = "a group number (0 = none)",
   .doc = "choke group: a press silences the group's other pads; 0: none"},
  {FLZ_KITFILE_PAD, "gain_db", FLZ_INI_FLOAT, FLZ_KITFILE_PAD_AT(gain_db), .low = FLZ_GAIN_DB_MIN,
   .high = FLZ_GAIN_DB_MAX, .doc = "dB"},
  {FLZ_KITFILE_PAD, "pan", FLZ_INI_FLOAT, FLZ_KITFILE_PAD_AT(pan), .low = -1.0, .high = 1.0,
   .doc = "left to right"},
  {FLZ_KITFILE_PAD, "tune", FLZ_INI_FLOAT, FLZ_KITFILE_PAD_AT(tune), .low = -48.0, .high = 48.0,
   .noun = "semitones", .doc = "semitones, fractional for cents"},
  {FLZ_KITFILE_PAD, "start", FLZ_INI_UINT, FLZ_KITFILE_PAD_AT(start), .high = UINT32_MAX,
   .expect = "a frame number", .doc = "first frame, in frames of the file"},
  {FLZ_KITFILE_PAD, "end", FLZ_INI_UINT, FLZ_KITFILE_PAD_AT(end), .high = UINT32_MAX,
   .expect = "a frame number", .doc = "end frame; 0: the file's end"},
  {FLZ_KITFILE_PAD, "loop_start", FLZ_INI_UINT, FLZ_KITFILE_PAD_AT(loop_start), .high = UINT32_MAX,
   .expect = "a frame number", .mark = FLZ_PAD_LOOP_POINTS,
   .doc = "loop start frame (neither loop key given: the file's smpl loop)"},
  {FLZ_KITFILE_PAD, "loop_end", FLZ_INI_UINT, FLZ_KITFILE_PAD_AT(loop_end), .high = UINT32_MAX,
   .expect = "a frame number", .mark = FLZ_PAD_LOOP_POINTS, .doc = "loop end frame; 0: the end"},
  {FLZ_KITFILE_PAD, "reverse", FLZ_INI_BOOL, FLZ_KITFILE_PAD_AT(reverse),
   .doc = "true: plays backwards"},
  {FLZ_KITFILE_PAD, "velocity_curve", FLZ_INI_ENUM, FLZ_KITFILE_PAD_AT(curve),
   .choices = flz_kitfile_curves, .default_value = FLZ_CURVE_SQUARE, .parse = flz_kitfile_curve,
   .expect = FLZ_KITFILE_CURVE_EXPECT, .doc = "velocity to gain"},
  {FLZ_KITFILE_PAD, "bpm", FLZ_INI_FLOAT, FLZ_KITFILE_PAD_AT(bpm), .low = FLZ_TEMPO_MIN,
   .high = FLZ_TEMPO_MAX, .zero = "0", .doc = "the pad's own tempo (0: none)"},
  {FLZ_KITFILE_PAD, "bpm_lock", FLZ_INI_BOOL, FLZ_KITFILE_PAD_AT(bpm_lock),
   .doc = "true: plays at master bpm / pad bpm"},
};

#define FLZ_KITFILE_SETTINGS (sizeof flz_kitfile_settings / sizeof flz_kitfile_settings[0])

/* Stores the defaults of the rows of `section` in `base`. */
static void flz_kitfile_reset(const char *section, void *base)
{
  for (size_t i = 0; i < FLZ_KITFILE_SETTINGS; i++)
    if (strcmp(flz_kitfile_settings[i].section, section) == 0)
      flz_ini_reset(&flz_kitfile_settings[i], base);
}

void flz_kitfile_init(flz_kitfile *kit)
{
  memset(kit, 0, sizeof *kit);
  flz_kitfile_reset("kit", kit);
  for (uint32_t i = 0; i < FLZ_PADS; i++)
    flz_kitfile_reset(FLZ_KITFILE_PAD, &kit->pads[i]);
}

int flz_kitfile_quantize(const char *word)
{
  uint32_t grid;
  return flz_ini_choose(flz_kitfile_quantizes, word, &grid) ? (int)grid : -1;
}

typedef struct flz_kitfile_parse {
  flz_kitfile *kit;
  flz_ini_stream stream; /* the file, and the line being parsed */
  flz_ini_error error;   /* the first error */
} flz_kitfile_parse;

/* Keeps the first error's reason; returns 0, libinih's "bad line". */
#define flz_kitfile_fail(p, ...) flz_ini_fail(&(p)->error, (p)->stream.line, __VA_ARGS__)

/* The keys whose lines flz_pad_settings.point_lines keeps, in its order. */
static const char *const flz_kitfile_points[] = {"start", "end", "loop_start", "loop_end"};

/* libinih's handler: one key of one section; 0 marks the line bad. */
static int flz_kitfile_handler(void *user, const char *section, const char *name, const char *value)
{
  flz_kitfile_parse *p = user;
  uint32_t pad = 0;
  const flz_ini_setting *row;
  if (strcmp(section, "kit") == 0) {
    row = flz_ini_find(flz_kitfile_settings, FLZ_KITFILE_SETTINGS, "kit", name);
    if (row == NULL)
      return flz_kitfile_fail(p, "unknown key '%s' in [kit]", name);
    return flz_ini_parse(row, p->kit, value, &p->error, p->stream.line);
  }
  /* Digits only, in range: no sign, no wrap past UINT32_MAX. */
  if (strncmp(section, "pad ", 4) == 0 && flz_ini_uint(section + 4, 1, FLZ_PADS, &pad)) {
    flz_pad_settings *settings = &p->kit->pads[pad - 1];
    row = flz_ini_find(flz_kitfile_settings, FLZ_KITFILE_SETTINGS, FLZ_KITFILE_PAD, name);
    if (row == NULL)
      return flz_kitfile_fail(p, "unknown key '%s' in [%s]", name, section);
    if (!flz_ini_parse(row, settings, value, &p->error, p->stream.line))
      return 0;
    settings->set |= row->mark;
    for (size_t i = 0; i < 4; i++)
      if (strcmp(name, flz_kitfile_points[i]) == 0)
        settings->point_lines[i] = p->stream.line;
    return 1;
  }
  if (strncmp(section, "pad", 3) == 0)
    return flz_kitfile_fail(p, "[%s] must be [pad N] with N from 1 to %u", section, FLZ_PADS);
  return flz_kitfile_fail(p, "unknown section [%s] (kit or pad N)", section);
}

/* Records the reason of a broken relation at the line of point `key`. */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static int
flz_kitfile_point_fail(const flz_pad_settings *pad, size_t key, uint32_t *line, char *detail,
                       size_t detail_size, const char *format, ...)
{
  *line = pad->point_lines[key];
  va_list args;
  va_start(args, format);
  vsnprintf(detail, detail_size, format, args);
  va_end(args);
  return 0;
}

int flz_kitfile_check_points(const flz_pad_settings *pad, uint32_t number, uint64_t frames,
                             uint32_t *line, char *detail, size_t detail_size)
{
  enum { START, END, LOOP_START, LOOP_END };
  const uint32_t start = pad->start, end = pad->end;
  const uint32_t loop_start = pad->loop_start, loop_end = pad->loop_end;
  if (end != 0 && end <= start)
    return flz_kitfile_point_fail(pad, pad->point_lines[END] ? END : START, line, detail,
                                  detail_size, "[pad %u] end %u is not after start %u", number, end,
                                  start);
  if (pad->set & FLZ_PAD_LOOP_POINTS) {
    if (loop_end != 0 && loop_end <= loop_start)
      return flz_kitfile_point_fail(pad, LOOP_END, line, detail, detail_size,
                                    "[pad %u] loop_end %u is not after loop_start %u", number,
                                    loop_end, loop_start);
    if (end != 0 && loop_end > end)
      return flz_kitfile_point_fail(pad, LOOP_END, line, detail, detail_size,
                                    "[pad %u] loop_end %u is past end %u", number, loop_end, end);
    if (end != 0 && loop_start >= end)
      return flz_kitfile_point_fail(pad, LOOP_START, line, detail, detail_size,
                                    "[pad %u] loop_start %u is not before end %u", number,
                                    loop_start, end);
    if (loop_end != 0 && loop_end <= start)
      return flz_kitfile_point_fail(pad, LOOP_END, line, detail, detail_size,
                                    "[pad %u] loop_end %u is not after start %u", number, loop_end,
                                    start);
  }
  if (frames == 0)
    return 1;
  const unsigned long long length = (unsigned long long)frames;
  if (start >= frames)
    return flz_kitfile_point_fail(pad, START, line, detail, detail_size,
                                  "[pad %u] start %u is past the file's end (%llu frames)", number,
                                  start, length);
  if (end > frames)
    return flz_kitfile_point_fail(pad, END, line, detail, detail_size,
                                  "[pad %u] end %u is past the file's end (%llu frames)", number,
                                  end, length);
  if ((pad->set & FLZ_PAD_LOOP_POINTS) && loop_start >= frames)
    return flz_kitfile_point_fail(pad, LOOP_START, line, detail, detail_size,
                                  "[pad %u] loop_start %u is past the file's end (%llu frames)",
                                  number, loop_start, length);
  if ((pad->set & FLZ_PAD_LOOP_POINTS) && loop_end > frames)
    return flz_kitfile_point_fail(pad, LOOP_END, line, detail, detail_size,
                                  "[pad %u] loop_end %u is past the file's end (%llu frames)",
                                  number, loop_end, length);
  return 1;
}

int flz_kitfile_load(const char *path, flz_kitfile *kit, uint32_t *line, char *detail,
                     size_t detail_size)
{
  flz_kitfile_init(kit);
  *line = 0;
  if (detail_size > 0)
    detail[0] = '\0';
  FILE *file;
  int result = flz_ini_open(path, &file, detail, detail_size);
  if (result != FLZ_OK)
    return result;
  result = flz_kitfile_read(file, kit, line, detail, detail_size);
  fclose(file);
  return result;
}

int flz_kitfile_read(FILE *file, flz_kitfile *kit, uint32_t *line, char *detail, size_t detail_size)
{
  flz_kitfile_init(kit);
  *line = 0;
  if (detail_size > 0)
    detail[0] = '\0';
  int result;
  flz_kitfile_parse p = {.kit = kit, .error = {.detail = detail, .detail_size = detail_size}};
  p.stream.file = file;
  p.stream.error = &p.error;
  result = ini_parse_stream(flz_ini_reader, &p.stream, flz_kitfile_handler, &p);
  if (ferror(file))
    return FLZ_ERR_READ;
  if (result != 0 || p.error.failed) {
    *line = p.error.failed ? p.error.line : (result > 0 ? (uint32_t)result : 0);
    if (!p.error.failed)
      snprintf(detail, detail_size, "not an INI line (expected [section] or key = value)");
    return FLZ_ERR_SYNTAX;
  }
  for (uint32_t i = 0; i < FLZ_PADS; i++)
    if (!flz_kitfile_check_points(&kit->pads[i], i + 1, 0, line, detail, detail_size))
      return FLZ_ERR_SYNTAX;
  return FLZ_OK;
}

void flz_kitfile_document(FILE *out)
{
  char pads[64];
  snprintf(pads, sizeof pads, "N: the pad, 1..%u", FLZ_PADS);
  const char *sections[][2] = {{"kit", NULL}, {FLZ_KITFILE_PAD, pads}};
  for (size_t s = 0; s < 2; s++) {
    flz_ini_document_section(out, sections[s][0], sections[s][1]);
    for (size_t i = 0; i < FLZ_KITFILE_SETTINGS; i++)
      if (strcmp(flz_kitfile_settings[i].section, sections[s][0]) == 0)
        flz_ini_document(&flz_kitfile_settings[i], out);
  }
}

static uint32_t flz_kitfile_scale(uint32_t frames, uint32_t source_rate, uint32_t engine_rate)
{
  if (source_rate == 0 || source_rate == engine_rate)
    return frames;
  double scaled = round((double)frames * engine_rate / source_rate);
  return scaled > (double)UINT32_MAX ? UINT32_MAX : (uint32_t)scaled;
}

void flz_kitfile_params(const flz_pad_settings *pad, uint32_t source_rate, uint32_t engine_rate,
                        uint32_t file_loop_start, uint32_t file_loop_end, flz_slot_params *params)
{
  memset(params, 0, sizeof *params);
  params->mode = (uint8_t)pad->mode;
  params->retrigger = (uint8_t)pad->retrigger;
  params->reverse = pad->reverse != 0;
  params->bpm_lock = pad->bpm_lock != 0;
  params->curve = (uint8_t)pad->curve;
  params->curve_db = pad->curve_db;
  params->choke = pad->choke;
  params->gain = pad->gain_db <= (float)FLZ_GAIN_DB_MIN ? 1e-5f : powf(10.0f, pad->gain_db / 20.0f);
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
