/* app/kitformat.c: the kit format table and multi-sample kits' load
 * (app/kitformat.h). */
#include "app/kitformat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/kit.h"
#include "app/kitfmt/sfz.h"
#include "engine/result.h"
#include "platform/decode.h"

/* Commands sent between two pulls of the engine while a multi-sample kit
 * loads (a pull applies at most FLZ_COMMANDS_PER_PERIOD). */
#define FLZ_KITFORMAT_BATCH 64u

static int flz_kitformat_folder_probe(const char *path)
{
  struct stat info;
  return stat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

static int flz_kitformat_folder_load(const char *path, flz_kit *kit, FILE *err)
{
  (void)err; /* a folder's errors are flz_kit_error's, printed by the caller */
  return flz_kit_scan(path, kit);
}

static int flz_kitformat_sfz_load(const char *path, flz_kit *kit, FILE *err)
{
  memset(kit, 0, sizeof *kit);
  kit->regions = malloc(sizeof *kit->regions);
  kit->settings = malloc(sizeof *kit->settings);
  kit->dir = strdup(path);
  if (kit->regions == NULL || kit->settings == NULL || kit->dir == NULL) {
    flz_kit_deinit(kit);
    return FLZ_ERR_NO_MEMORY;
  }
  flz_kitfile_init(kit->settings);
  int result = flz_sfz_read(path, kit->regions, err);
  if (result != FLZ_OK) {
    flz_kit_deinit(kit);
    return result;
  }
  kit->count = kit->regions->pad_count;
  return FLZ_OK;
}

/* The formats, probed in order: a file format before the folder. */
static const flz_kit_format flz_kit_formats[] = {
  {"sfz", flz_sfz_probe, flz_kitformat_sfz_load},
  {"folder", flz_kitformat_folder_probe, flz_kitformat_folder_load},
};

int flz_kit_open(const char *path, flz_kit *kit, FILE *err)
{
  for (size_t i = 0; i < sizeof flz_kit_formats / sizeof flz_kit_formats[0]; i++)
    if (flz_kit_formats[i].probe(path))
      return flz_kit_formats[i].load(path, kit, err);
  return flz_kit_scan(path, kit); /* names why it is no kit */
}

void flz_kit_regions_free(flz_kit_regions *regions)
{
  if (regions == NULL)
    return;
  for (uint32_t i = 0; i < regions->count; i++)
    free(regions->regions[i].path);
  free(regions->regions);
  memset(regions, 0, sizeof *regions);
}

int32_t flz_kit_regions_pad_of_key(const flz_kit_regions *regions, uint32_t key)
{
  for (uint32_t p = 0; p < regions->pad_count; p++) {
    const flz_pad_params *pad = &regions->pads[p];
    for (uint32_t r = pad->first; r < pad->first + pad->count; r++) {
      const flz_region *region = &regions->regions[r].region;
      if (region->trigger == FLZ_TRIGGER_ATTACK && key >= region->lokey && key <= region->hikey)
        return (int32_t)p;
    }
  }
  return -1;
}

/* Sends `command`, pulling the engine every FLZ_KITFORMAT_BATCH commands so
 * its ring never fills. */
static int flz_kitformat_send(flz_sampler *sampler, const flz_command *command, uint32_t *sent)
{
  if (++*sent % FLZ_KITFORMAT_BATCH == 0)
    (void)flz_sampler_pull(sampler, 0);
  return flz_sampler_command(sampler, command);
}

/* A frame count of the file at `from` Hz as frames at `to` Hz. */
static uint32_t flz_kitformat_frames(uint32_t frames, uint32_t from, uint32_t to)
{
  if (from == 0 || from == to)
    return frames;
  double scaled = floor((double)frames * to / from + 0.5);
  return scaled > 4294967295.0 ? UINT32_MAX : (uint32_t)scaled;
}

uint32_t flz_kit_regions_load(const flz_kit_regions *regions, flz_sampler *sampler, FILE *err)
{
  uint32_t rate = flz_sampler_rate(sampler), loaded = 0, sent = 0;
  static const float silence[1] = {0.0f};
  for (uint32_t i = 0; i < regions->count; i++) {
    const flz_kit_region *kr = &regions->regions[i];
    uint32_t source_rate = rate;
    int result;
    if (kr->path == NULL) {
      result = flz_sampler_load_frames(sampler, i, silence, 1, 1);
    } else {
      /* A file several regions share is decoded again: the pool holds a
       * copy per region (its slot). */
      flz_decoded decoded;
      flz_audio_info info;
      char detail[256] = "";
      result = flz_decode_file(kr->path, rate, &decoded, &info, detail, sizeof detail);
      if (result == FLZ_OK) {
        source_rate = info.rate;
        result = flz_sampler_load_decoded(sampler, i, &decoded);
        flz_decode_free(&decoded);
      }
      if (result != FLZ_OK) {
        if (detail[0] != '\0')
          fprintf(err, "error: %s: %s (%s)\n", kr->path, flz_result_message(result), detail);
        else
          fprintf(err, "error: %s: %s\n", kr->path, flz_result_message(result));
        continue;
      }
    }
    if (++sent % FLZ_KITFORMAT_BATCH == 0)
      (void)flz_sampler_pull(sampler, 0);
    loaded++;
    flz_command set = {.type = FLZ_COMMAND_SET_SLOT, .slot = i};
    set.params = kr->params;
    set.params.start = flz_kitformat_frames(kr->params.start, source_rate, rate);
    set.params.end = flz_kitformat_frames(kr->params.end, source_rate, rate);
    set.params.loop_start = flz_kitformat_frames(kr->params.loop_start, source_rate, rate);
    set.params.loop_end = flz_kitformat_frames(kr->params.loop_end, source_rate, rate);
    flz_command region = {.type = FLZ_COMMAND_SET_REGION, .slot = i};
    region.region = kr->region;
    region.region.slot = i;
    if (flz_kitformat_send(sampler, &set, &sent) != FLZ_OK ||
        flz_kitformat_send(sampler, &region, &sent) != FLZ_OK)
      fprintf(err, "error: %s: %s\n", kr->path != NULL ? kr->path : "*silence",
              flz_result_message(FLZ_ERR_RING_FULL));
  }
  for (uint32_t p = 0; p < regions->pad_count; p++) {
    for (uint32_t v = 0; v < 128 && regions->pads[p].velcurve; v += FLZ_VELCURVE_CHUNK) {
      flz_command curve = {.type = FLZ_COMMAND_SET_VELCURVE, .slot = p, .offset = v};
      for (uint32_t i = 0; i < FLZ_VELCURVE_CHUNK && v + i < 128; i++)
        curve.curve[i] = regions->velcurves[p][v + i];
      (void)flz_kitformat_send(sampler, &curve, &sent);
    }
    flz_command pad = {.type = FLZ_COMMAND_SET_PAD, .slot = p};
    pad.pad = regions->pads[p];
    (void)flz_kitformat_send(sampler, &pad, &sent);
  }
  (void)flz_sampler_pull(sampler, 0);
  return loaded;
}

int flz_kit_regions_send_region(const flz_kit_regions *regions, uint32_t index,
                                uint32_t source_rate, flz_sampler *sampler)
{
  const flz_kit_region *kr = &regions->regions[index];
  uint32_t rate = flz_sampler_rate(sampler);
  if (source_rate == 0)
    source_rate = rate;
  flz_command set = {.type = FLZ_COMMAND_SET_SLOT, .slot = index};
  set.params = kr->params;
  set.params.start = flz_kitformat_frames(kr->params.start, source_rate, rate);
  set.params.end = flz_kitformat_frames(kr->params.end, source_rate, rate);
  set.params.loop_start = flz_kitformat_frames(kr->params.loop_start, source_rate, rate);
  set.params.loop_end = flz_kitformat_frames(kr->params.loop_end, source_rate, rate);
  flz_command region = {.type = FLZ_COMMAND_SET_REGION, .slot = index};
  region.region = kr->region;
  region.region.slot = index;
  int result = flz_sampler_command(sampler, &set);
  return result == FLZ_OK ? flz_sampler_command(sampler, &region) : result;
}

int flz_kit_regions_send_pad(const flz_kit_regions *regions, uint32_t pad, flz_sampler *sampler)
{
  for (uint32_t v = 0; v < 128 && regions->pads[pad].velcurve; v += FLZ_VELCURVE_CHUNK) {
    flz_command curve = {.type = FLZ_COMMAND_SET_VELCURVE, .slot = pad, .offset = v};
    for (uint32_t i = 0; i < FLZ_VELCURVE_CHUNK && v + i < 128; i++)
      curve.curve[i] = regions->velcurves[pad][v + i];
    int result = flz_sampler_command(sampler, &curve);
    if (result != FLZ_OK)
      return result;
  }
  flz_command command = {.type = FLZ_COMMAND_SET_PAD, .slot = pad};
  command.pad = regions->pads[pad];
  return flz_sampler_command(sampler, &command);
}
