/* app/kitfmt/sf2kit.c: SF2 presets as multi-sample kits
 * (app/kitfmt/sf2kit.h). Owns the mapping of zones to regions and pads; the
 * bank's reading is app/kitfmt/sf2.c's. Must not touch the sampler. */
#include "app/kitfmt/sf2kit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/result.h"

/* The spec's shortest envelope time (-12000 timecents, 2^-10 s): none. */
#define FLZ_SF2KIT_INSTANT 0.0009766f

int flz_sf2kit_probe(const char *path)
{
  size_t length = path != NULL ? strlen(path) : 0;
  return length > 4 && strcasecmp(path + length - 4, ".sf2") == 0;
}

static float flz_sf2kit_ms(float seconds)
{
  return seconds <= FLZ_SF2KIT_INSTANT ? 0.0f : seconds * 1000.0f;
}

/* Region `kr` for keys lo..hi of `zone`: untransposed at `center`, tuned
 * by `cents`. */
static int flz_sf2kit_region(const flz_sf2 *sf2, const char *path, const flz_sf2_zone *zone,
                             uint8_t lo, uint8_t hi, uint8_t center, double cents,
                             flz_kit_region *kr)
{
  memset(kr, 0, sizeof *kr);
  kr->path = strdup(path);
  if (kr->path == NULL)
    return FLZ_ERR_NO_MEMORY;
  kr->data_offset = sf2->smpl_offset + 2 * (uint64_t)zone->start;
  kr->low_offset = sf2->sm24_offset != 0 ? sf2->sm24_offset + zone->start : 0;
  kr->data_frames = zone->end - zone->start;
  kr->data_rate = zone->sample_rate;
  flz_slot_params *params = &kr->params;
  params->gain = zone->attenuation != 0 ? (float)pow(10.0, -zone->attenuation / 200.0) : 0.0f;
  params->pan = (float)zone->pan / 500.0f;
  cents = cents > FLZ_SF2KIT_CENTS_MAX    ? FLZ_SF2KIT_CENTS_MAX
          : cents < -FLZ_SF2KIT_CENTS_MAX ? -FLZ_SF2KIT_CENTS_MAX
                                          : cents;
  params->rate = cents != 0.0 ? (float)exp2(cents / 1200.0) : 0.0f;
  flz_region *region = &kr->region;
  flz_sampler_region_default(region, 0);
  region->lokey = lo;
  region->hikey = hi;
  region->lovel = zone->lovel > 0 ? zone->lovel : 1;
  region->hivel = zone->hivel;
  region->keycenter = center;
  if (zone->sample_mode != FLZ_SF2_NO_LOOP) {
    params->loop_start = zone->loop_start - zone->start;
    params->loop_end = zone->loop_end - zone->start;
    region->loop_mode = zone->sample_mode == FLZ_SF2_LOOP_CONTINUOUS ? FLZ_LOOP_CONTINUOUS
                                                                     : FLZ_LOOP_SUSTAIN;
  }
  /* Keys scale hold and decay by keynumTo*: timecents per key from 60. */
  double hold_scale = lo == hi ? exp2(zone->keynum_to_hold * (60.0 - lo) / 1200.0) : 1.0;
  double decay_scale = lo == hi ? exp2(zone->keynum_to_decay * (60.0 - lo) / 1200.0) : 1.0;
  double sustain_db = zone->sustain / 10.0;
  region->attack_ms = flz_sf2kit_ms(zone->attack);
  region->hold_ms = (float)(flz_sf2kit_ms(zone->hold) * hold_scale);
  region->decay_ms = (float)(flz_sf2kit_ms(zone->decay) * decay_scale *
                             (sustain_db < 100.0 ? sustain_db / 100.0 : 1.0));
  region->sustain = sustain_db < 100.0 ? (float)pow(10.0, -sustain_db / 20.0) : 0.0f;
  region->release_ms = flz_sf2kit_ms(zone->release);
  return FLZ_OK;
}

/* Pad order: by lowest key, then the zones' order. */
static int flz_sf2kit_compare(const void *a, const void *b)
{
  const flz_kit_region *x = *(const flz_kit_region *const *)a;
  const flz_kit_region *y = *(const flz_kit_region *const *)b;
  if (x->region.lokey != y->region.lokey)
    return x->region.lokey < y->region.lokey ? -1 : 1;
  return x < y ? -1 : (x > y);
}

/* Groups `made` (its `count` regions, each zone's exclusive class in
 * `classes`) into pads in `out`, taking the regions it keeps. */
static int flz_sf2kit_pads(flz_kit_region *made, const uint16_t *classes, uint32_t count,
                           flz_kit_regions *out)
{
  const flz_kit_region **order = malloc((count > 0 ? count : 1) * sizeof *order);
  out->regions = calloc(count > 0 ? count : 1, sizeof *out->regions);
  if (order == NULL || out->regions == NULL) {
    free(order);
    return FLZ_ERR_NO_MEMORY;
  }
  for (uint32_t i = 0; i < count; i++)
    order[i] = &made[i];
  qsort(order, count, sizeof *order, flz_sf2kit_compare);
  uint32_t top = 0; /* the highest key of the last pad */
  for (uint32_t i = 0; i < count; i++) {
    flz_kit_region *kr = (flz_kit_region *)order[i];
    flz_pad_params *pad = out->pad_count > 0 ? &out->pads[out->pad_count - 1] : NULL;
    if (pad == NULL || kr->region.lokey > top) {
      if (out->pad_count == FLZ_PADS || out->count == FLZ_REGIONS) {
        out->skipped++;
        continue;
      }
      pad = &out->pads[out->pad_count];
      memset(pad, 0, sizeof *pad);
      pad->first = (uint16_t)out->count;
      out->pad_keys[out->pad_count++] = kr->region.lokey;
      top = kr->region.hikey;
    }
    if (pad->count == FLZ_PAD_REGIONS || out->count == FLZ_REGIONS) {
      out->skipped++;
      continue;
    }
    if (kr->region.hikey > top)
      top = kr->region.hikey;
    uint16_t class = classes[kr - made];
    if (pad->group == 0 && class != 0)
      pad->group = pad->off_by = class;
    out->regions[out->count++] = *kr;
    pad->count++;
    kr->path = NULL; /* kept: `out` owns it */
  }
  free(order);
  return FLZ_OK;
}

int flz_sf2kit_map(const flz_sf2 *sf2, const char *path, uint32_t preset, flz_kit_regions *out,
                   FILE *err)
{
  memset(out, 0, sizeof *out);
  flz_sf2_zone *zones = NULL;
  uint32_t count = 0;
  char why[256];
  if (flz_sf2_zones(sf2, preset, &zones, &count, why, sizeof why) != FLZ_OK) {
    fprintf(err, "error: %s\n", why);
    return FLZ_ERR_SYNTAX;
  }
  /* Regions per zone: one, or one per key (scale tuning other than 100). */
  uint64_t total = 0;
  for (uint32_t z = 0; z < count; z++)
    total += zones[z].scale_tuning == 100 ? 1u : zones[z].hikey - zones[z].lokey + 1u;
  if (total > FLZ_REGIONS * 4u)
    total = FLZ_REGIONS * 4u; /* the rest are skipped */
  flz_kit_region *made = calloc(total > 0 ? total : 1, sizeof *made);
  uint16_t *classes = calloc(total > 0 ? total : 1, sizeof *classes);
  int result = made != NULL && classes != NULL ? FLZ_OK : FLZ_ERR_NO_MEMORY;
  uint32_t n = 0;
  for (uint32_t z = 0; z < count && result == FLZ_OK; z++) {
    const flz_sf2_zone *zone = &zones[z];
    if (zone->hivel == 0)
      continue; /* velocity 0 is a note-off: it never plays */
    double cents = zone->coarse_tune * 100.0 + zone->fine_tune + zone->pitch_correction;
    if (zone->scale_tuning == 100) {
      if (n == total) {
        out->skipped++;
        continue;
      }
      classes[n] = zone->exclusive_class;
      result = flz_sf2kit_region(sf2, path, zone, zone->lokey, zone->hikey, zone->root_key, cents,
                                 &made[n++]);
      continue;
    }
    for (uint32_t key = zone->lokey; key <= zone->hikey && result == FLZ_OK; key++) {
      if (n == total) {
        out->skipped++;
        continue;
      }
      double keyed = cents + ((double)key - zone->root_key) * zone->scale_tuning;
      classes[n] = zone->exclusive_class;
      result = flz_sf2kit_region(sf2, path, zone, (uint8_t)key, (uint8_t)key, (uint8_t)key, keyed,
                                 &made[n++]);
    }
  }
  free(zones);
  if (result == FLZ_OK)
    result = flz_sf2kit_pads(made, classes, n, out);
  for (uint32_t i = 0; made != NULL && i < n; i++)
    free(made[i].path);
  free(made);
  free(classes);
  if (result == FLZ_OK && out->count == 0) {
    fprintf(err, "error: %s: preset %u:%u has no zone that plays\n", path,
            (unsigned)sf2->presets[preset].bank, (unsigned)sf2->presets[preset].program);
    result = FLZ_ERR_SYNTAX;
  }
  if (result == FLZ_OK && out->skipped > 0)
    fprintf(err,
            "error: %s: more regions than the engine holds (%u past %u regions, %u pads or "
            "%u regions a pad not loaded)\n",
            path, (unsigned)out->skipped, (unsigned)FLZ_REGIONS, (unsigned)FLZ_PADS,
            (unsigned)FLZ_PAD_REGIONS);
  if (result != FLZ_OK)
    flz_kit_regions_free(out);
  return result;
}

int flz_sf2kit_read(const char *path, const flz_kit_preset *preset, flz_kit_regions *out, FILE *err)
{
  memset(out, 0, sizeof *out);
  flz_sf2 sf2;
  char why[256];
  if (flz_sf2_open(path, &sf2, why, sizeof why) != FLZ_OK) {
    fprintf(err, "error: %s\n", why);
    return FLZ_ERR_SYNTAX;
  }
  int32_t index = 0;
  if (preset != NULL && preset->given)
    index = flz_sf2_find_preset(&sf2, preset->bank, preset->program);
  int result;
  if (index < 0 || sf2.preset_count == 0) {
    if (preset != NULL && preset->given)
      fprintf(err, "error: %s: no preset %u:%u (flitz check %s lists the presets)\n", path,
              (unsigned)preset->bank, (unsigned)preset->program, path);
    else
      fprintf(err, "error: %s: no preset\n", path);
    result = FLZ_ERR_SYNTAX;
  } else {
    result = flz_sf2kit_map(&sf2, path, (uint32_t)index, out, err);
  }
  flz_sf2_close(&sf2);
  return result;
}

int flz_sf2kit_list(const char *path, FILE *out, FILE *err)
{
  flz_sf2 sf2;
  char why[256];
  if (flz_sf2_open(path, &sf2, why, sizeof why) != FLZ_OK) {
    fprintf(err, "error: %s\n", why);
    return 0;
  }
  for (uint32_t i = 0; i < sf2.preset_count; i++) {
    char name[sizeof sf2.presets[i].name];
    memcpy(name, sf2.presets[i].name, sizeof name);
    for (char *c = name; *c != '\0'; c++)
      if ((unsigned char)*c < 0x20 || *c == 0x7F)
        *c = '?'; /* one line each, whatever the bank holds */
    fprintf(out, "preset %u:%u %s\n", (unsigned)sf2.presets[i].bank,
            (unsigned)sf2.presets[i].program, name);
  }
  flz_sf2_close(&sf2);
  return 1;
}
