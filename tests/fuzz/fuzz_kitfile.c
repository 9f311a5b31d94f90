/* tests/fuzz/fuzz_kitfile.c: the libFuzzer harness of the kit.ini reader
 * (app/kitfile.h): each input is read as a kit.ini; one that reads must
 * hold every promise the reader makes (each pad's frame points agree with
 * each other, text fields end in their buffers), and its pads must turn
 * into engine parameters, or the harness aborts.
 * Owns: nothing but the input it is given and a memory stream. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/kitfile.h"
#include "engine/result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static flz_kitfile kit;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  FILE *in = fmemopen((void *)data, size, "r");
  if (in == NULL)
    return 0;
  uint32_t line = 0;
  char why[160];
  int result = flz_kitfile_read(in, &kit, &line, why, sizeof why);
  fclose(in);
  if (result != FLZ_OK) {
    if (memchr(why, '\0', sizeof why) == NULL || why[0] == '\0')
      abort(); /* every refusal has its reason */
    return 0;
  }
  for (uint32_t i = 0; i < FLZ_PADS; i++) {
    const flz_pad_settings *pad = &kit.pads[i];
    if (!flz_kitfile_check_points(pad, i + 1, 0, &line, why, sizeof why))
      abort();
    if (pad->end != 0 && pad->end <= pad->start)
      abort();
    if (memchr(pad->file, '\0', sizeof pad->file) == NULL)
      abort();
    flz_slot_params params;
    flz_kitfile_params(pad, 44100, 48000, 0, 0, &params);
  }
  return 0;
}
