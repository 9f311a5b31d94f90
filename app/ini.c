/* app/ini.c: INI value syntax (app/ini.h). */
#include "app/ini.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int flz_ini_number(const char *text, double low, double high, double *out)
{
  char *end = NULL;
  errno = 0;
  double value = strtod(text, &end);
  if (end == text || *end != '\0' || errno != 0 || !isfinite(value) || value < low ||
      value > high)
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
