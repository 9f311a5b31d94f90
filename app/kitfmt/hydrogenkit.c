/* app/kitfmt/hydrogenkit.c: Hydrogen drumkits as multi-sample kits
 * (app/kitfmt/hydrogenkit.h). Owns the mapping of instruments and layers to
 * pads and regions; the XML is app/kitfmt/hydrogen.c's. Must not touch the
 * sampler. */
#include "app/kitfmt/hydrogenkit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/result.h"

/* The layers of one component that may play a MIDI velocity: bit i is
 * layer i of the instrument (at most FLZ_HYDROGEN_LAYERS_MAX = 128). */
typedef struct flz_hydrogenkit_set {
  uint64_t bits[2];
} flz_hydrogenkit_set;

int flz_hydrogenkit_probe(const char *path)
{
  struct stat info;
  if (path == NULL || stat(path, &info) != 0)
    return 0;
  if (S_ISDIR(info.st_mode)) {
    char file[4096];
    if (snprintf(file, sizeof file, "%s/drumkit.xml", path) >= (int)sizeof file)
      return 0;
    return stat(file, &info) == 0 && S_ISREG(info.st_mode);
  }
  size_t length = strlen(path);
  return S_ISREG(info.st_mode) && length >= 11 && strcmp(path + length - 11, "drumkit.xml") == 0 &&
         (length == 11 || path[length - 12] == '/');
}

static void flz_hydrogenkit_add(flz_hydrogenkit_set *set, uint32_t layer)
{
  set->bits[layer / 64] |= (uint64_t)1 << (layer % 64);
}

static uint32_t flz_hydrogenkit_size(const flz_hydrogenkit_set *set)
{
  return (uint32_t)(__builtin_popcountll(set->bits[0]) + __builtin_popcountll(set->bits[1]));
}

/* The layers of component `component` of `in` that play MIDI velocity `v`
 * (hydrogenkit.h). */
static flz_hydrogenkit_set flz_hydrogenkit_layers(const flz_hydrogen_instrument *in,
                                                  int32_t component, uint32_t v)
{
  flz_hydrogenkit_set set = {{0, 0}};
  float level = (float)v / 127.0f;
  int32_t upper = -1, nearest = -1;
  float nearest_distance = 0.0f;
  for (uint32_t i = 0; i < in->layer_count; i++) {
    const flz_hydrogen_layer *layer = &in->layers[i];
    if (layer->component_id != component)
      continue;
    if (layer->min <= level && level <= layer->max) {
      if (in->selection != FLZ_HYDROGEN_VELOCITY)
        flz_hydrogenkit_add(&set, i);
      else if (upper < 0 || layer->min > in->layers[upper].min)
        upper = (int32_t)i;
    }
    float distance = level < layer->min ? layer->min - level : level - layer->max;
    if (nearest < 0 || distance < nearest_distance) {
      nearest = (int32_t)i;
      nearest_distance = distance;
    }
  }
  if (upper >= 0)
    flz_hydrogenkit_add(&set, (uint32_t)upper);
  else if (flz_hydrogenkit_size(&set) == 0 && nearest >= 0)
    flz_hydrogenkit_add(&set, (uint32_t)nearest);
  return set;
}

static uint32_t flz_hydrogenkit_gcd(uint32_t a, uint32_t b)
{
  while (b != 0) {
    uint32_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* The components of `in` (their ids, in first-use order) into `ids`;
 * returns how many. */
static uint32_t flz_hydrogenkit_components(const flz_hydrogen_instrument *in, int32_t *ids)
{
  uint32_t count = 0;
  for (uint32_t i = 0; i < in->layer_count; i++) {
    uint32_t c = 0;
    while (c < count && ids[c] != in->layers[i].component_id)
      c++;
    if (c == count)
      ids[count++] = in->layers[i].component_id;
  }
  return count;
}

/* The pad's round-robin length: the least common multiple of how many
 * layers take turns at each velocity (1: none), or the largest of those
 * counts when the multiple passes FLZ_PAD_REGIONS. */
static uint32_t flz_hydrogenkit_rounds(const flz_hydrogen_instrument *in, const int32_t *ids,
                                       uint32_t components)
{
  if (in->selection != FLZ_HYDROGEN_ROUND_ROBIN)
    return 1;
  uint32_t lcm = 1, largest = 1;
  for (uint32_t c = 0; c < components; c++)
    for (uint32_t v = 1; v <= 127; v++) {
      flz_hydrogenkit_set set = flz_hydrogenkit_layers(in, ids[c], v);
      uint32_t n = flz_hydrogenkit_size(&set);
      if (n == 0)
        continue;
      largest = n > largest ? n : largest;
      if (lcm <= FLZ_PAD_REGIONS)
        lcm = lcm / flz_hydrogenkit_gcd(lcm, n) * n;
    }
  return lcm <= FLZ_PAD_REGIONS ? lcm : largest;
}

/* Appends a region of layer `layer` of `in` for velocities lo..hi to
 * `out`, or counts it skipped when the pad or the table is full. */
static int flz_hydrogenkit_region(const flz_hydrogen_instrument *in, uint32_t layer, uint32_t lo,
                                  uint32_t hi, uint32_t position, float lorand, float hirand,
                                  flz_kit_regions *out, flz_pad_params *pad)
{
  if (pad->count == FLZ_PAD_REGIONS || out->count == FLZ_REGIONS) {
    out->skipped++;
    return FLZ_OK;
  }
  const flz_hydrogen_layer *l = &in->layers[layer];
  flz_kit_region *kr = &out->regions[out->count];
  memset(kr, 0, sizeof *kr);
  kr->path = strdup(l->path);
  if (kr->path == NULL)
    return FLZ_ERR_NO_MEMORY;
  out->count++;
  pad->count++;
  float gain = l->gain * l->component_gain * in->volume * in->gain;
  kr->params.gain = gain != 1.0f ? (gain > 0.0f ? gain : 1e-9f) : 0.0f;
  kr->params.pan = in->pan;
  double semitones = (double)l->pitch + (double)in->pitch_offset;
  kr->params.rate = semitones != 0.0 ? (float)exp2(semitones / 12.0) : 0.0f;
  flz_region *region = &kr->region;
  flz_sampler_region_default(region, 0);
  region->lokey = region->hikey = region->keycenter = (uint8_t)in->note;
  region->lovel = (uint8_t)lo;
  region->hivel = (uint8_t)hi;
  region->seq_position = (uint8_t)position;
  region->lorand = lorand;
  region->hirand = hirand;
  region->loop_mode = FLZ_LOOP_ONE_SHOT;
  /* Hydrogen steps the envelope with the sample's playback step, so a
   * layer pitched up by an octave runs its envelope twice as fast. */
  double adsr_ms = 1000.0 / (FLZ_HYDROGENKIT_ADSR_RATE * exp2(semitones / 12.0));
  region->attack_ms = (float)(in->attack * adsr_ms);
  region->decay_ms = (float)(in->decay * adsr_ms);
  region->sustain = in->sustain;
  region->release_ms = (float)(in->release * adsr_ms);
  region->off_mode = FLZ_OFF_NORMAL; /* a muted note's ADSR releases */
  return FLZ_OK;
}

/* Appends the regions of the velocities lo..hi that `set` plays. */
static int flz_hydrogenkit_run(const flz_hydrogen_instrument *in, const flz_hydrogenkit_set *set,
                               uint32_t lo, uint32_t hi, uint32_t rounds, flz_kit_regions *out,
                               flz_pad_params *pad)
{
  uint32_t members[FLZ_HYDROGEN_LAYERS_MAX], n = 0;
  for (uint32_t i = 0; i < FLZ_HYDROGEN_LAYERS_MAX; i++)
    if ((set->bits[i / 64] >> (i % 64)) & 1u)
      members[n++] = i;
  int result = FLZ_OK;
  if (n == 1)
    return flz_hydrogenkit_region(in, members[0], lo, hi, 0, 0.0f, 1.0f, out, pad);
  if (in->selection == FLZ_HYDROGEN_RANDOM) {
    for (uint32_t j = 0; j < n && result == FLZ_OK; j++)
      result = flz_hydrogenkit_region(in, members[j], lo, hi, 0, (float)j / (float)n,
                                      j + 1 == n ? 1.0f : (float)(j + 1) / (float)n, out, pad);
    return result;
  }
  for (uint32_t p = 1; p <= rounds && result == FLZ_OK; p++)
    result = flz_hydrogenkit_region(in, members[(p - 1) % n], lo, hi, p, 0.0f, 1.0f, out, pad);
  return result;
}

/* Appends instrument `in`'s pad and regions to `out`. */
static int flz_hydrogenkit_instrument(const flz_hydrogen_instrument *in, flz_kit_regions *out)
{
  if (out->pad_count == FLZ_PADS) {
    out->skipped += in->layer_count;
    return FLZ_OK;
  }
  int32_t ids[FLZ_HYDROGEN_LAYERS_MAX];
  uint32_t components = flz_hydrogenkit_components(in, ids);
  uint32_t rounds = flz_hydrogenkit_rounds(in, ids, components);
  uint32_t p = out->pad_count;
  flz_pad_params *pad = &out->pads[p];
  memset(pad, 0, sizeof *pad);
  pad->first = (uint16_t)out->count;
  pad->seq_length = (uint8_t)(rounds > 1 ? rounds : 0);
  if (in->mute_group >= 0)
    pad->group = pad->off_by = (uint32_t)in->mute_group + 1u;
  pad->choke_others = 1; /* Hydrogen's mute group spares the instrument's own notes */
  pad->velcurve = 1;
  for (uint32_t v = 0; v < 128; v++)
    out->velcurves[p][v] = (float)v / 127.0f;
  int result = FLZ_OK;
  for (uint32_t c = 0; c < components && result == FLZ_OK; c++) {
    uint32_t lo = 1;
    flz_hydrogenkit_set run = flz_hydrogenkit_layers(in, ids[c], 1);
    for (uint32_t v = 2; v <= 128 && result == FLZ_OK; v++) {
      flz_hydrogenkit_set next = v <= 127 ? flz_hydrogenkit_layers(in, ids[c], v) : run;
      if (v <= 127 && memcmp(&next, &run, sizeof run) == 0)
        continue;
      result = flz_hydrogenkit_run(in, &run, lo, v - 1, rounds, out, pad);
      run = next;
      lo = v;
    }
  }
  if (pad->count > 0) {
    out->pad_keys[p] = (uint8_t)in->note;
    out->pad_count++;
  }
  return result;
}

int flz_hydrogenkit_map(const flz_hydrogen_kit *kit, const char *file, flz_kit_regions *out,
                        FILE *err)
{
  memset(out, 0, sizeof *out);
  out->regions = calloc(FLZ_REGIONS, sizeof *out->regions);
  if (out->regions == NULL)
    return FLZ_ERR_NO_MEMORY;
  int result = FLZ_OK;
  for (uint32_t i = 0; i < kit->instrument_count && result == FLZ_OK; i++) {
    const flz_hydrogen_instrument *in = &kit->instruments[i];
    if (in->note < 0 || in->note > 127)
      out->skipped += in->layer_count; /* no MIDI note plays it */
    else if (in->layer_count > 0)
      result = flz_hydrogenkit_instrument(in, out);
  }
  if (result == FLZ_OK && out->count == 0) {
    fprintf(err, "error: %s: no instrument with a sample and a MIDI note\n", file);
    result = FLZ_ERR_SYNTAX;
  }
  if (result == FLZ_OK && out->skipped > 0)
    fprintf(err,
            "error: %s: more regions than the engine holds (%u past %u regions, %u pads or "
            "%u regions a pad not loaded)\n",
            file, (unsigned)out->skipped, (unsigned)FLZ_REGIONS, (unsigned)FLZ_PADS,
            (unsigned)FLZ_PAD_REGIONS);
  if (result != FLZ_OK)
    flz_kit_regions_free(out);
  return result;
}

int flz_hydrogenkit_read(const char *path, flz_kit_regions *out, FILE *err)
{
  memset(out, 0, sizeof *out);
  flz_hydrogen_kit kit;
  char why[512];
  if (flz_hydrogen_read(path, &kit, why, sizeof why) != FLZ_OK) {
    fprintf(err, "error: %s\n", why);
    return FLZ_ERR_SYNTAX;
  }
  int result = flz_hydrogenkit_map(&kit, path, out, err);
  flz_hydrogen_free(&kit);
  return result;
}
