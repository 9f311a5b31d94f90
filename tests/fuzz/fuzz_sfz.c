/* tests/fuzz/fuzz_sfz.c: the libFuzzer harness of the SFZ reader
 * (app/kitfmt/sfz.h): each input is read as an SFZ file whose folder is the
 * tests' regressions folder (so #include reaches real files, itself too);
 * a kit that reads must hold every promise of app/kitformat.h (pads within
 * the engine's capacities, each pad's regions inside the table, keys and
 * velocities in MIDI's ranges), or the harness aborts.
 * Owns: nothing but the input it is given. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "app/kitfmt/sfz.h"
#include "engine/result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef FLZ_FUZZ_SFZ_DIR
#define FLZ_FUZZ_SFZ_DIR "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static FILE *quiet;
  if (quiet == NULL && (quiet = fopen("/dev/null", "w")) == NULL)
    return 0;
  flz_kit_regions kit;
  int result = flz_sfz_parse("fuzz.sfz", (const char *)data, size, FLZ_FUZZ_SFZ_DIR, &kit, quiet);
  if (result != FLZ_OK)
    return 0;
  if (kit.count == 0 || kit.count > FLZ_REGIONS || kit.pad_count == 0 || kit.pad_count > FLZ_PADS)
    abort();
  uint32_t total = 0;
  for (uint32_t p = 0; p < kit.pad_count; p++) {
    const flz_pad_params *pad = &kit.pads[p];
    if (pad->count == 0 || pad->count > FLZ_PAD_REGIONS || pad->first != total)
      abort();
    total += pad->count;
    for (uint32_t r = pad->first; r < pad->first + pad->count; r++) {
      const flz_region *region = &kit.regions[r].region;
      if (region->lokey > 127 || region->hikey > 127 || region->keycenter > 127 ||
          region->lovel < 1 || region->hivel > 127 || region->lokey != kit.pad_keys[p])
        abort();
    }
  }
  if (total != kit.count)
    abort();
  flz_kit_regions_free(&kit);
  return 0;
}
