/* app/ini.h: reading the values of the project's INI files (kit.ini,
 * flitz.ini); libinih splits the lines, these read what is right of the
 * `=`. Owns: the number and boolean syntax both files share. Any thread;
 * pure functions. */
#ifndef FLZ_APP_INI_H
#define FLZ_APP_INI_H

#include <stddef.h>
#include <stdint.h>

/* A decimal number (strtod syntax, finite) in low..high into *out; 1 if
 * `text` is one, else 0 and *out unchanged. */
int flz_ini_number(const char *text, double low, double high, double *out);

/* A whole number (decimal digits only) in low..high into *out; 1 or 0. */
int flz_ini_uint(const char *text, uint32_t low, uint32_t high, uint32_t *out);

/* true/yes/1 or false/no/0 into *out as 1 or 0; 1 if `text` is one of them. */
int flz_ini_bool(const char *text, int *out);

/* The first error a parse met: its reason in `detail` (the caller's buffer of
 * `detail_size` bytes) and its line. */
typedef struct flz_ini_error {
  char *detail;
  size_t detail_size;
  int failed;
  uint32_t line;
} flz_ini_error;

/* Records the reason (printf `format`) and `line` unless an error is already
 * recorded. Returns 0, libinih's "bad line". */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int flz_ini_fail(flz_ini_error *error, uint32_t line, const char *format, ...);

#endif
