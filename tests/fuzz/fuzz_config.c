/* tests/fuzz/fuzz_config.c: the libFuzzer harness of the flitz.ini parser
 * (app/config.h): each input is read as a config file; one that reads must
 * print as a file that reads back into the same configuration (the
 * --print-config round trip), or the harness aborts.
 * Owns: nothing but the input it is given and two memory streams. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "engine/result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static flz_config first;
static flz_config second;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  FILE *in = fmemopen((void *)data, size, "r");
  if (in == NULL)
    return 0;
  uint32_t line = 0;
  char why[256];
  int result = flz_config_read(in, "fuzz", &first, &line, why, sizeof why);
  fclose(in);
  if (result != FLZ_OK)
    return 0;
  char *text = NULL;
  size_t length = 0;
  FILE *out = open_memstream(&text, &length);
  if (out == NULL)
    return 0;
  flz_config_print(&first, out);
  fclose(out);
  FILE *back = fmemopen(text, length, "r");
  if (back == NULL) {
    free(text);
    return 0;
  }
  result = flz_config_read(back, "fuzz", &second, &line, why, sizeof why);
  fclose(back);
  free(text);
  if (result != FLZ_OK || memcmp(&first, &second, sizeof first) != 0)
    abort();
  return 0;
}
