/* tests/fuzz/fuzz_sf2.c: the libFuzzer harness of the SoundFont 2 reader
 * (app/kitfmt/sf2.h): each input is opened as a bank from a memory stream;
 * one that opens must resolve its presets (the first 16) into zones that
 * hold every promise the reader makes (frames inside the sample data, loop
 * inside start..end, ranges inside 0..127, parameters inside the spec's
 * ranges), whose points read as int16 and floats; a refusal must give its
 * reason and leave nothing open, or the harness aborts. Each preset is
 * then mapped to regions (app/kitfmt/sf2kit.h), which must keep
 * regions_hold.h's promises with their points inside the sample data (and
 * the first ones read as a WAV image), or be refused with error lines.
 * Owns: nothing but the input it is given and a memory stream. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/kitfmt/sf2.h"
#include "app/kitfmt/sf2kit.h"
#include "engine/result.h"
#include "regions_hold.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int zone_holds(const flz_sf2 *sf2, const flz_sf2_zone *z)
{
  if (!(z->start < z->end && z->end <= sf2->frames && z->start <= z->loop_start &&
        z->loop_start <= z->loop_end && z->loop_end <= z->end))
    return 0;
  if (z->sample_mode != FLZ_SF2_NO_LOOP && z->loop_start >= z->loop_end)
    return 0;
  if (z->lokey > z->hikey || z->hikey > 127 || z->lovel > z->hivel || z->hivel > 127)
    return 0;
  return z->attenuation >= 0 && z->attenuation <= 1440 && z->pan >= -500 && z->pan <= 500 &&
         z->sustain >= 0 && z->sustain <= 1440 && z->exclusive_class <= 127 &&
         z->attack >= 0.0009f && z->release <= 102.0f && memchr(z->sample_name, '\0', 21) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  FILE *file = fmemopen((void *)data, size, "rb");
  if (file == NULL)
    return 0;
  flz_sf2 sf2;
  char why[256];
  if (flz_sf2_open_file(file, "fuzz.sf2", &sf2, why, sizeof why) != FLZ_OK) {
    if (sf2.file != NULL || sf2.presets != NULL || strncmp(why, "fuzz.sf2: ", 10) != 0)
      abort();
    return 0;
  }
  for (uint32_t p = 0; p < sf2.preset_count && p < 16; p++) {
    if (memchr(sf2.presets[p].name, '\0', sizeof sf2.presets[p].name) == NULL)
      abort();
    flz_sf2_zone *zones;
    uint32_t count;
    if (flz_sf2_zones(&sf2, p, &zones, &count, why, sizeof why) != FLZ_OK) {
      if (zones != NULL || count != 0 || strncmp(why, "fuzz.sf2: ", 10) != 0)
        abort();
      continue;
    }
    for (uint32_t i = 0; i < count; i++) {
      if (!zone_holds(&sf2, &zones[i]))
        abort();
      int16_t points[32];
      uint8_t low[32];
      float floats[32];
      uint32_t n = zones[i].end - zones[i].start < 32 ? zones[i].end - zones[i].start : 32;
      if (flz_sf2_read_int16(&sf2, zones[i].start, n, points, low, why, sizeof why) != FLZ_OK ||
          flz_sf2_read_float(&sf2, zones[i].start, n, floats, why, sizeof why) != FLZ_OK)
        abort();
      for (uint32_t j = 0; j < n; j++)
        if (!(floats[j] >= -1.0f && floats[j] < 1.0f))
          abort();
    }
    free(zones);
    char *text = NULL;
    size_t text_size = 0;
    FILE *err = open_memstream(&text, &text_size);
    if (err == NULL)
      abort();
    flz_kit_regions regions;
    int result = flz_sf2kit_map(&sf2, "fuzz.sf2", p, &regions, err);
    fclose(err);
    if (result != FLZ_OK) {
      if (result != FLZ_ERR_SYNTAX || !flz_fuzz_error_lines(text))
        abort();
      free(text);
      continue;
    }
    if (!flz_fuzz_regions_hold(&regions))
      abort();
    for (uint32_t r = 0; r < regions.count; r++) {
      const flz_kit_region *kr = &regions.regions[r];
      uint64_t first = (kr->data_offset - sf2.smpl_offset) / 2;
      if (kr->data_offset < sf2.smpl_offset || kr->data_frames == 0 ||
          first + kr->data_frames > sf2.frames ||
          (kr->low_offset != 0 && kr->low_offset != sf2.sm24_offset + first) ||
          kr->params.loop_end > kr->data_frames || kr->params.loop_start > kr->params.loop_end)
        abort();
      static float points[4096];
      if (r < 4 && kr->data_frames <= 4096 &&
          flz_sf2_read_pcm(sf2.file, kr->data_offset, kr->low_offset, kr->data_frames, points) !=
            FLZ_OK)
        abort();
    }
    flz_kit_regions_free(&regions);
    free(text);
  }
  flz_sf2_close(&sf2);
  return 0;
}
