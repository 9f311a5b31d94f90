/* tests/app/capture.h: runs a subcommand's entry point in-process with its
 * stdout and stderr redirected to temporary files, and hands back what it
 * printed. Test helper only. */
#ifndef FLZ_TESTS_APP_CAPTURE_H
#define FLZ_TESTS_APP_CAPTURE_H

#include <stddef.h>

typedef struct flz_capture {
  int code;  /* the entry point's return value */
  char *out; /* what it wrote to stdout, NUL-terminated; malloc'ed */
  char *err; /* what it wrote to stderr */
} flz_capture;

/* Calls main_fn(argc, argv) with stdout and stderr captured. */
flz_capture flz_capture_run(int (*main_fn)(int, char **), int argc, char **argv);

/* Frees what flz_capture_run allocated. */
void flz_capture_free(flz_capture *capture);

/* The number of lines of `text` (each ends with '\n'). */
size_t flz_capture_lines(const char *text);

#endif
