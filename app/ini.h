/* app/ini.h: reading the values of the project's INI files (kit.ini,
 * flitz.ini); libinih splits the lines, these read what is right of the
 * `=`. Owns: the number and boolean syntax both files share. Any thread;
 * pure functions. */
#ifndef FLZ_APP_INI_H
#define FLZ_APP_INI_H

#include <stdint.h>

/* A decimal number (strtod syntax, finite) in low..high into *out; 1 if
 * `text` is one, else 0 and *out unchanged. */
int flz_ini_number(const char *text, double low, double high, double *out);

/* A whole number (decimal digits only) in low..high into *out; 1 or 0. */
int flz_ini_uint(const char *text, uint32_t low, uint32_t high, uint32_t *out);

/* true/yes/1 or false/no/0 into *out as 1 or 0; 1 if `text` is one of them. */
int flz_ini_bool(const char *text, int *out);

#endif
