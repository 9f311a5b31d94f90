/* tests/fuzz/fuzz_hydrogen.c: the libFuzzer harness of the Hydrogen
 * drumkit.xml reader (app/kitfmt/hydrogen.h): each input is parsed as a
 * drumkit.xml in folder /kit; one that reads must hold every promise the
 * reader makes (names and paths present, paths resolved, MIDI ranges inside
 * 1..127 and agreeing with the 0..1 ones, notes inside -1..127, pan inside
 * -1..1, capacities kept), and a refusal must leave the kit empty and give
 * its reason, or the harness aborts. A kit that reads is then mapped to
 * regions (app/kitfmt/hydrogenkit.h), which must keep regions_hold.h's
 * promises and tile each pad's velocities, or be refused with error lines.
 * Owns: nothing but the input it is given. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/kitfmt/hydrogen.h"
#include "app/kitfmt/hydrogenkit.h"
#include "engine/result.h"
#include "regions_hold.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int layer_holds(const flz_hydrogen_layer *layer)
{
  if (layer->path == NULL || (strncmp(layer->path, "/kit/", 5) != 0 && layer->path[0] != '/'))
    return 0;
  if (layer->lovel == 0 || layer->hivel == 0)
    return layer->lovel == 0 && layer->hivel == 0;
  return layer->lovel <= layer->hivel && layer->hivel <= 127 &&
         (float)layer->lovel / 127.0f >= layer->min && (float)layer->hivel / 127.0f <= layer->max;
}

/* With sampleSelectionAlgo VELOCITY every MIDI velocity of a pad is taken
 * by exactly one region of each of its instrument's components: the layers
 * tile 1..127 with no gap and no overlap (hydrogenkit.h). Pads follow the
 * instruments that have a note and a layer. */
static int velocities_tile(const flz_hydrogen_kit *kit, const flz_kit_regions *regions)
{
  uint32_t p = 0;
  for (uint32_t i = 0; i < kit->instrument_count && p < regions->pad_count; i++) {
    const flz_hydrogen_instrument *in = &kit->instruments[i];
    if (in->note < 0 || in->layer_count == 0)
      continue;
    const flz_pad_params *pad = &regions->pads[p++];
    if (in->selection != FLZ_HYDROGEN_VELOCITY)
      continue;
    uint32_t components = 0;
    for (uint32_t l = 0; l < in->layer_count; l++) {
      uint32_t m = 0;
      while (m < l && in->layers[m].component_id != in->layers[l].component_id)
        m++;
      components += m == l;
    }
    for (uint32_t v = 1; v <= 127; v++) {
      uint32_t taken = 0;
      for (uint32_t r = pad->first; r < pad->first + pad->count; r++)
        taken += regions->regions[r].region.lovel <= v && v <= regions->regions[r].region.hivel;
      if (taken != components)
        return 0;
    }
  }
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  flz_hydrogen_kit kit;
  char why[256];
  int result = flz_hydrogen_parse((const char *)data, size, "/kit", "fuzz.xml", &kit, why,
                                  sizeof why);
  if (result != FLZ_OK) {
    if (kit.instruments != NULL || kit.name != NULL || kit.instrument_count != 0)
      abort();
    if (strncmp(why, "fuzz.xml", 8) != 0 || memchr(why, '\0', sizeof why) == NULL)
      abort(); /* every refusal names the file and ends in its buffer */
    return 0;
  }
  if (kit.name == NULL || kit.instrument_count > FLZ_HYDROGEN_INSTRUMENTS_MAX)
    abort();
  for (uint32_t i = 0; i < kit.instrument_count; i++) {
    const flz_hydrogen_instrument *instrument = &kit.instruments[i];
    if (instrument->name == NULL || instrument->layer_count > FLZ_HYDROGEN_LAYERS_MAX ||
        instrument->note < -1 || instrument->note > 127 || !(instrument->pan >= -1.0f) ||
        !(instrument->pan <= 1.0f))
      abort();
    for (uint32_t j = 0; j < instrument->layer_count; j++)
      if (!layer_holds(&instrument->layers[j]))
        abort();
  }
  char *text = NULL;
  size_t text_size = 0;
  FILE *err = open_memstream(&text, &text_size);
  if (err == NULL)
    abort();
  flz_kit_regions regions;
  result = flz_hydrogenkit_map(&kit, "fuzz.xml", &regions, err);
  fclose(err);
  if (result == FLZ_OK ? !flz_fuzz_regions_hold(&regions) ||
                           (regions.skipped == 0 && !velocities_tile(&kit, &regions))
                       : result != FLZ_ERR_SYNTAX || !flz_fuzz_error_lines(text))
    abort();
  flz_kit_regions_free(&regions);
  free(text);
  flz_hydrogen_free(&kit);
  return 0;
}
