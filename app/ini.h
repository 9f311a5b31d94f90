/* app/ini.h: the project's INI files (flitz.ini, kit.ini) as tables of
 * settings. libinih splits the lines; these read what is right of the `=`.
 *
 * A file format is one const table with a row per key (as Rockbox's
 * apps/settings_list.c): where the value is stored, its type, default and
 * range (from engine/limits.h), and a line of docs. The functions below
 * parse, reset, print and document a key from its row alone, so the parser,
 * `flitz --print-config`, the error messages and README.md's key lists
 * cannot disagree. Sections whose keys are not fixed ([notes], [keys]...)
 * stay their file's own code.
 *
 * Owns: the value syntax both files share and the row machinery. Any
 * thread; no I/O but the FILE a caller hands in.
 */
#ifndef FLZ_APP_INI_H
#define FLZ_APP_INI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <ini.h>

/* The longest line libinih reads as one: its buffer less the newline and
 * the NUL. A value that would print longer cannot be read back. */
#define FLZ_INI_LINE_MAX (INI_MAX_LINE - 2)

/* A decimal number (strtod syntax, finite) in low..high into *out; 1 if
 * `text` is one, else 0 and *out unchanged. */
int flz_ini_number(const char *text, double low, double high, double *out);

/* A whole number (decimal digits only) in low..high into *out; 1 or 0. */
int flz_ini_uint(const char *text, uint32_t low, uint32_t high, uint32_t *out);

/* true/yes/1 or false/no/0 into *out as 1 or 0; 1 if `text` is one of them. */
int flz_ini_bool(const char *text, int *out);

/* The first error a parse met: its reason in `detail` (the caller's buffer
 * of `detail_size` bytes) and its line. */
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

/* ---- reading a settings file ---- */

/* libinih's line source for a settings file (ini_parse_stream with
 * flz_ini_reader): counts lines for the handler's messages, and records in
 * `error` (at that line) a line longer than FLZ_INI_LINE_MAX (libinih would
 * read its tail as a line of its own), a section line with no closing ']'
 * (libinih would call it section ""), and a file past FLZ_SETTINGS_FILE_MAX
 * bytes. Once an error is recorded, by it or by the handler, it ends the
 * file: the first error stops the read. */
typedef struct flz_ini_stream {
  FILE *file;
  flz_ini_error *error;
  uint32_t line;  /* the line being parsed (1-based) */
  int line_open;  /* the last chunk read did not end its line */
  uint64_t bytes; /* read so far */
} flz_ini_stream;

char *flz_ini_reader(char *str, int num, void *stream);

/* Opens settings file `path` for reading: FLZ_OK with *file, or
 * FLZ_ERR_NOT_FOUND, FLZ_ERR_READ (with strerror() in `detail`), or
 * FLZ_ERR_READ with "not a regular file" in `detail` for a device, FIFO or
 * folder (/dev/zero would never end). */
int flz_ini_open(const char *path, FILE **file, char *detail, size_t detail_size);

/* ---- settings tables ---- */

typedef enum flz_ini_type {
  FLZ_INI_UINT,  /* uint32_t: decimal digits */
  FLZ_INI_WHOLE, /* uint32_t: a number in strtod syntax with no fraction ("8", "8.0") */
  FLZ_INI_FLOAT, /* float: a number in strtod syntax */
  FLZ_INI_BOOL,  /* int 1 or 0: true/yes/1 or false/no/0 */
  FLZ_INI_ENUM,  /* uint32_t: the value of one of `choices` */
  FLZ_INI_TEXT,  /* char[size]: no control character, and short enough that
                    "NAME = VALUE" fits in FLZ_INI_LINE_MAX */
} flz_ini_type;

/* One word of an FLZ_INI_ENUM and the value it stores. */
typedef struct flz_ini_choice {
  const char *name;
  uint32_t value;
} flz_ini_choice;

typedef struct flz_ini_setting flz_ini_setting;

struct flz_ini_setting {
  const char *section;           /* "audio"; for numbered sections their pattern ("pad N") */
  const char *name;              /* the key */
  uint32_t type;                 /* flz_ini_type */
  size_t offset;                 /* of the value in the struct its section is stored in */
  size_t size;                   /* FLZ_INI_TEXT: the buffer's size */
  double low, high;              /* numbers: the range */
  double default_value;          /* numbers, BOOL, ENUM (TEXT: always "") */
  const flz_ini_choice *choices; /* FLZ_INI_ENUM, ending with a NULL name */
  const char *zero;              /* a word that stands for 0 or "" ("all", "default"), or
                            NULL; "0" takes any spelling of the number 0 */
  int decimals;                  /* decimals of the range and default in text; 0: %g */
  const char *noun;              /* numbers: "must be NOUN from LOW to HIGH"; NULL: "a number"
                            ("a whole number" for FLZ_INI_WHOLE) */
  const char *expect;            /* what the value must be, said instead of the range or
                            choices ("a frame number"), or NULL */
  int (*parse)(const flz_ini_setting *row, void *base, const char *value);
  /* the key's own syntax instead of its type's: stores
                            and returns 1, or returns 0 for a bad value; NULL:
                            the type's */
  uint32_t mark;   /* a bit the file's parser records when the key is
                            given (kit.ini: flz_pad_settings.set), or 0 */
  const char *doc; /* the docs' comment, before the range */
};

/* The row of key `name` in `section` among `rows`; NULL if none. */
const flz_ini_setting *flz_ini_find(const flz_ini_setting *rows, size_t count, const char *section,
                                    const char *name);

/* Stores the row's default in `base`, the struct its section is stored in. */
void flz_ini_reset(const flz_ini_setting *row, void *base);

/* Parses `value` into `base` as the row says. Returns 1; or 0 with the
 * reason recorded in `error` at `line`: "NAME must be EXPECTED, not 'VALUE'"
 * (flz_ini_expected), for text "NAME is longer than N characters" or "NAME
 * has a control character". */
int flz_ini_parse(const flz_ini_setting *row, void *base, const char *value, flz_ini_error *error,
                  uint32_t line);

/* The value the row's key holds in `base` as text that flz_ini_parse reads
 * back into the same value (a float as the shorter of %.6g and %.9g that
 * does), in `text` of `size` bytes. */
void flz_ini_format(const flz_ini_setting *row, const void *base, char *text, size_t size);

/* What a value of the row must be, as its error message says it: "a number
 * from 8000 to 384000", "all or a number from 1 to 16", "steal-oldest or
 * drop", "true or false", or the row's `expect`. */
void flz_ini_expected(const flz_ini_setting *row, char *text, size_t size);

/* The keys of `section` among `rows`, "a, b, c" (for "unknown key"
 * messages). */
void flz_ini_names(const flz_ini_setting *rows, size_t count, const char *section, char *text,
                   size_t size);

/* The names of `choices` as a message lists them: "a, b or c". */
void flz_ini_choices(const flz_ini_choice *choices, char *text, size_t size);

/* The value of the choice named `name` into *value; 1, or 0 if none is. */
int flz_ini_choose(const flz_ini_choice *choices, const char *name, uint32_t *value);

/* The docs' line of a section: "[SECTION]", with "; DOC" when `doc` is not
 * NULL. */
void flz_ini_document_section(FILE *out, const char *section, const char *doc);

/* The docs' line of a key: "NAME = DEFAULT ; DOC, RANGE" (the range as
 * "LOW..HIGH" or "a, b or c"; none for BOOL and TEXT). */
void flz_ini_document(const flz_ini_setting *row, FILE *out);

#endif
