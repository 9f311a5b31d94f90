/* tests/app/readme.h: the blocks of README.md that code writes, so tests can
 * hold the docs to the code. Test helper only. */
#ifndef FLZ_TESTS_APP_README_H
#define FLZ_TESTS_APP_README_H

#include <stdio.h>

/* The fenced block that follows the line "<!-- `marker` ... -->" in
 * README.md (FLZ_README), without its ``` lines, NUL-terminated; malloc'ed.
 * NULL if README.md cannot be read or has no such block. */
char *flz_readme_block(const char *marker);

/* What `write` writes to a stream, NUL-terminated; malloc'ed. */
char *flz_readme_written(void (*write)(FILE *out));

#endif
