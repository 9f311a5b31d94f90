/* tests/fuzz/fuzz_script.c: the libFuzzer harness of the event script parser
 * (app/script.h): each input, NUL-terminated, is parsed for a kit of 16 pads.
 * Owns: nothing but the input it is given. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = malloc(size + 1);
  if (text == NULL)
    return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  flz_script script;
  uint32_t line = 0;
  char why[256];
  (void)flz_script_parse(text, 16, &script, &line, why, sizeof why);
  flz_script_deinit(&script);
  free(text);
  return 0;
}
