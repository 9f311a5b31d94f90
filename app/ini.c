/* app/ini.c: INI value syntax and settings rows (app/ini.h). */
#include "app/ini.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/limits.h"
#include "engine/result.h"

int flz_ini_number(const char *text, double low, double high, double *out)
{
  char *end = NULL;
  errno = 0;
  double value = strtod(text, &end);
  if (end == text || *end != '\0' || errno != 0 || !isfinite(value) || value < low || value > high)
    return 0;
  *out = value;
  return 1;
}

int flz_ini_uint(const char *text, uint32_t low, uint32_t high, uint32_t *out)
{
  if (text[0] < '0' || text[0] > '9')
    return 0;
  char *end = NULL;
  errno = 0;
  unsigned long long value = strtoull(text, &end, 10);
  if (*end != '\0' || errno != 0 || value < low || value > high)
    return 0;
  *out = (uint32_t)value;
  return 1;
}

int flz_ini_bool(const char *text, int *out)
{
  if (strcmp(text, "true") == 0 || strcmp(text, "yes") == 0 || strcmp(text, "1") == 0)
    *out = 1;
  else if (strcmp(text, "false") == 0 || strcmp(text, "no") == 0 || strcmp(text, "0") == 0)
    *out = 0;
  else
    return 0;
  return 1;
}

int flz_ini_fail(flz_ini_error *error, uint32_t line, const char *format, ...)
{
  if (!error->failed) {
    va_list args;
    va_start(args, format);
    vsnprintf(error->detail, error->detail_size, format, args);
    va_end(args);
    error->failed = 1;
    error->line = line;
  }
  return 0;
}

/* ---- reading a settings file ---- */

char *flz_ini_reader(char *str, int num, void *stream)
{
  flz_ini_stream *s = stream;
  if (s->error->failed)
    return NULL;
  char *got = fgets(str, num, s->file);
  if (got == NULL)
    return NULL;
  int starts_line = !s->line_open;
  if (starts_line)
    s->line++;
  size_t length = strlen(got);
  s->bytes += length;
  s->line_open = length > 0 && got[length - 1] != '\n';
  if (s->bytes > FLZ_SETTINGS_FILE_MAX) {
    (void)flz_ini_fail(s->error, s->line, "the file is larger than %u bytes",
                       FLZ_SETTINGS_FILE_MAX);
    return NULL;
  }
  if (s->line_open && length + 1 == (size_t)num && !feof(s->file)) {
    (void)flz_ini_fail(s->error, s->line, "line is longer than %d characters", num - 2);
    return NULL;
  }
  if (starts_line) {
    const char *c = got + strspn(got, " \t");
    if (*c == '[' && strchr(c, ']') == NULL) {
      size_t shown = strcspn(c, "\r\n");
      (void)flz_ini_fail(s->error, s->line, "section line '%.*s' has no closing ']'",
                         (int)(shown < 40 ? shown : 40), c);
      return NULL;
    }
  }
  return got;
}

int flz_ini_open(const char *path, FILE **file, char *detail, size_t detail_size)
{
  *file = fopen(path, "r");
  if (*file == NULL) {
    int error = errno;
    if (error == ENOENT)
      return FLZ_ERR_NOT_FOUND;
    if (detail_size > 0)
      snprintf(detail, detail_size, "%s", strerror(error));
    return FLZ_ERR_READ;
  }
  struct stat info;
  if (fstat(fileno(*file), &info) != 0 || !S_ISREG(info.st_mode)) {
    if (detail_size > 0)
      snprintf(detail, detail_size, "not a regular file");
    fclose(*file);
    *file = NULL;
    return FLZ_ERR_READ;
  }
  return FLZ_OK;
}

/* ---- settings tables ---- */

static void *flz_ini_at(const flz_ini_setting *row, void *base)
{
  return (char *)base + row->offset;
}

static const void *flz_ini_at_const(const flz_ini_setting *row, const void *base)
{
  return (const char *)base + row->offset;
}

static int flz_ini_is_number(const flz_ini_setting *row)
{
  return row->type == FLZ_INI_UINT || row->type == FLZ_INI_WHOLE || row->type == FLZ_INI_FLOAT;
}

const flz_ini_setting *flz_ini_find(const flz_ini_setting *rows, size_t count, const char *section,
                                    const char *name)
{
  for (size_t i = 0; i < count; i++)
    if (strcmp(rows[i].section, section) == 0 && strcmp(rows[i].name, name) == 0)
      return &rows[i];
  return NULL;
}

/* Stores `number` (in range, whole for UINT and WHOLE) as the row's type. */
static void flz_ini_store(const flz_ini_setting *row, void *base, double number)
{
  if (row->type == FLZ_INI_FLOAT)
    *(float *)flz_ini_at(row, base) = (float)number;
  else
    *(uint32_t *)flz_ini_at(row, base) = (uint32_t)number;
}

void flz_ini_reset(const flz_ini_setting *row, void *base)
{
  switch (row->type) {
  case FLZ_INI_BOOL:
    *(int *)flz_ini_at(row, base) = row->default_value != 0.0;
    break;
  case FLZ_INI_TEXT:
    memset(flz_ini_at(row, base), 0, row->size);
    break;
  default:
    flz_ini_store(row, base, row->default_value);
    break;
  }
}

/* `value` as a number of the row's type, in its range or the row's zero;
 * 1 with *number, or 0. */
static int flz_ini_read_number(const flz_ini_setting *row, const char *value, double *number)
{
  if (row->type == FLZ_INI_UINT) {
    uint32_t whole;
    if (!flz_ini_uint(value, 0, UINT32_MAX, &whole))
      return 0;
    *number = whole;
  } else if (!flz_ini_number(value, -HUGE_VAL, HUGE_VAL, number) ||
             (row->type == FLZ_INI_WHOLE && *number != floor(*number))) {
    return 0;
  }
  int zero = row->zero != NULL && strcmp(row->zero, "0") == 0 && *number == 0.0;
  return zero || (*number >= row->low && *number <= row->high);
}

/* Copies a text value that prints back as "NAME = VALUE" on one line. */
static int flz_ini_parse_text(const flz_ini_setting *row, void *base, const char *value,
                              flz_ini_error *error, uint32_t line)
{
  size_t longest = FLZ_INI_LINE_MAX - strlen(row->name) - 3; /* "NAME = VALUE" */
  if (row->size - 1 < longest)
    longest = row->size - 1;
  if (strlen(value) > longest)
    return flz_ini_fail(error, line, "%s is longer than %zu characters", row->name, longest);
  for (const unsigned char *c = (const unsigned char *)value; *c != '\0'; c++)
    if (*c < 0x20 || *c == 0x7f)
      return flz_ini_fail(error, line, "%s has a control character", row->name);
  char *out = flz_ini_at(row, base);
  memset(out, 0, row->size); /* no bytes of an earlier, longer value stay behind */
  snprintf(out, row->size, "%s", value);
  return 1;
}

int flz_ini_parse(const flz_ini_setting *row, void *base, const char *value, flz_ini_error *error,
                  uint32_t line)
{
  int good = 0;
  double number = 0.0;
  if (row->parse != NULL) {
    good = row->parse(row, base, value);
  } else if (row->zero != NULL && strcmp(value, row->zero) == 0) {
    if (row->type == FLZ_INI_TEXT)
      memset(flz_ini_at(row, base), 0, row->size);
    else
      flz_ini_store(row, base, 0.0);
    good = 1;
  } else if (row->type == FLZ_INI_TEXT) {
    return flz_ini_parse_text(row, base, value, error, line);
  } else if (row->type == FLZ_INI_BOOL) {
    good = flz_ini_bool(value, (int *)flz_ini_at(row, base));
  } else if (row->type == FLZ_INI_ENUM) {
    good = flz_ini_choose(row->choices, value, (uint32_t *)flz_ini_at(row, base));
  } else if (flz_ini_read_number(row, value, &number)) {
    flz_ini_store(row, base, number);
    good = 1;
  }
  if (good)
    return 1;
  char expected[160];
  flz_ini_expected(row, expected, sizeof expected);
  return flz_ini_fail(error, line, "%s must be %s, not '%s'", row->name, expected, value);
}

/* A number of the row (its range or default) as the docs and messages
 * write it. */
static void flz_ini_constant(const flz_ini_setting *row, double number, char *text, size_t size)
{
  if (row->type != FLZ_INI_FLOAT)
    snprintf(text, size, "%u", (unsigned)number);
  else if (row->decimals > 0)
    snprintf(text, size, "%.*f", row->decimals, number);
  else
    snprintf(text, size, "%g", number);
}

void flz_ini_format(const flz_ini_setting *row, const void *base, char *text, size_t size)
{
  const void *at = flz_ini_at_const(row, base);
  switch (row->type) {
  case FLZ_INI_BOOL:
    snprintf(text, size, "%s", *(const int *)at ? "true" : "false");
    break;
  case FLZ_INI_TEXT:
    snprintf(text, size, "%s",
             *(const char *)at == '\0' && row->zero ? row->zero : (const char *)at);
    break;
  case FLZ_INI_ENUM: {
    /* A value no choice has prints as the first (only parsing stores one). */
    const flz_ini_choice *choice = row->choices;
    for (const flz_ini_choice *c = row->choices; c->name != NULL; c++)
      if (c->value == *(const uint32_t *)at) {
        choice = c;
        break;
      }
    snprintf(text, size, "%s", choice->name);
    break;
  }
  case FLZ_INI_FLOAT: {
    float value = *(const float *)at;
    snprintf(text, size, "%.6g", (double)value);
    if (strtof(text, NULL) != value)
      snprintf(text, size, "%.9g", (double)value);
    break;
  }
  default: {
    uint32_t value = *(const uint32_t *)at;
    if (value == 0 && row->zero != NULL)
      snprintf(text, size, "%s", row->zero);
    else
      snprintf(text, size, "%u", value);
    break;
  }
  }
}

void flz_ini_expected(const flz_ini_setting *row, char *text, size_t size)
{
  if (row->expect != NULL) {
    snprintf(text, size, "%s", row->expect);
  } else if (row->type == FLZ_INI_ENUM) {
    flz_ini_choices(row->choices, text, size);
  } else if (row->type == FLZ_INI_BOOL) {
    snprintf(text, size, "true or false");
  } else if (flz_ini_is_number(row)) {
    char low[32], high[32];
    flz_ini_constant(row, row->low, low, sizeof low);
    flz_ini_constant(row, row->high, high, sizeof high);
    const char *noun = row->noun != NULL            ? row->noun
                       : row->type == FLZ_INI_WHOLE ? "a whole number"
                                                    : "a number";
    snprintf(text, size, "%s%s%s from %s to %s", row->zero ? row->zero : "",
             row->zero ? " or " : "", noun, low, high);
  } else {
    snprintf(text, size, "text");
  }
}

/* Appends `word` to the list in `text`; `last`: the list's last word. */
static void flz_ini_append(char *text, size_t size, const char *word, int first, int last,
                           const char *comma, const char *and)
{
  size_t used = strlen(text);
  if (used < size)
    snprintf(text + used, size - used, "%s%s", first ? "" : last ? and : comma, word);
}

void flz_ini_names(const flz_ini_setting *rows, size_t count, const char *section, char *text,
                   size_t size)
{
  text[0] = '\0';
  int first = 1;
  for (size_t i = 0; i < count; i++)
    if (strcmp(rows[i].section, section) == 0) {
      flz_ini_append(text, size, rows[i].name, first, 0, ", ", ", ");
      first = 0;
    }
}

void flz_ini_choices(const flz_ini_choice *choices, char *text, size_t size)
{
  text[0] = '\0';
  for (size_t i = 0; choices[i].name != NULL; i++)
    flz_ini_append(text, size, choices[i].name, i == 0, choices[i + 1].name == NULL, ", ", " or ");
}

int flz_ini_choose(const flz_ini_choice *choices, const char *name, uint32_t *value)
{
  for (const flz_ini_choice *c = choices; c->name != NULL; c++)
    if (strcmp(c->name, name) == 0) {
      *value = c->value;
      return 1;
    }
  return 0;
}

/* One line of docs: `left`, then "; COMMENT" in the comment column. */
static void flz_ini_document_line(FILE *out, const char *left, const char *comment)
{
  if (comment == NULL || comment[0] == '\0')
    fprintf(out, "%s\n", left);
  else
    fprintf(out, "%-20s ; %s\n", left, comment);
}

void flz_ini_document_section(FILE *out, const char *section, const char *doc)
{
  char left[64];
  snprintf(left, sizeof left, "[%s]", section);
  flz_ini_document_line(out, left, doc);
}

void flz_ini_document(const flz_ini_setting *row, FILE *out)
{
  char value[64] = "";
  if (row->type == FLZ_INI_BOOL)
    snprintf(value, sizeof value, "%s", row->default_value != 0.0 ? "true" : "false");
  else if (row->type == FLZ_INI_ENUM)
    for (const flz_ini_choice *c = row->choices; c->name != NULL; c++)
      if (c->value == (uint32_t)row->default_value)
        snprintf(value, sizeof value, "%s", c->name);
  if (row->zero != NULL && row->default_value == 0.0)
    snprintf(value, sizeof value, "%s", row->zero);
  else if (flz_ini_is_number(row))
    flz_ini_constant(row, row->default_value, value, sizeof value);
  char left[128];
  snprintf(left, sizeof left, "%s =%s%s", row->name, value[0] ? " " : "", value);

  char range[160] = "";
  const char *separator = ", ";
  if (row->type == FLZ_INI_ENUM) {
    flz_ini_expected(row, range, sizeof range);
    separator = ": ";
  } else if (flz_ini_is_number(row) && row->expect == NULL) {
    char low[32], high[32];
    flz_ini_constant(row, row->low, low, sizeof low);
    flz_ini_constant(row, row->high, high, sizeof high);
    snprintf(range, sizeof range, "%s%s%s..%s", row->zero ? row->zero : "", row->zero ? " or " : "",
             low, high);
  }
  const char *doc = row->doc != NULL ? row->doc : "";
  char comment[320];
  snprintf(comment, sizeof comment, "%s%s%s", doc, doc[0] && range[0] ? separator : "", range);
  flz_ini_document_line(out, left, comment);
}
