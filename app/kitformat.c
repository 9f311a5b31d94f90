/* app/kitformat.c: the kit format table and multi-sample kits' load
 * (app/kitformat.h). */
#include "app/kitformat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/kit.h"
#include "app/kitfmt/hydrogenkit.h"
#include "app/kitfmt/sf2.h"
#include "app/kitfmt/sf2kit.h"
#include "app/kitfmt/sfz.h"
#include "engine/pool.h"
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

static int flz_kitformat_folder_load(const char *path, const flz_kit_preset *preset, flz_kit *kit,
                                     FILE *err)
{
  (void)preset;
  (void)err; /* a folder's errors are flz_kit_error's, printed by the caller */
  return flz_kit_scan(path, kit);
}

/* Fills `kit` with the regions `read` gives for `path`. */
static int flz_kitformat_regions_load(const char *path, const flz_kit_preset *preset, flz_kit *kit,
                                      FILE *err,
                                      int (*read)(const char *path, const flz_kit_preset *preset,
                                                  flz_kit_regions *out, FILE *err))
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
  int result = read(path, preset, kit->regions, err);
  if (result != FLZ_OK) {
    flz_kit_deinit(kit);
    return result;
  }
  kit->count = kit->regions->pad_count;
  return FLZ_OK;
}

static int flz_kitformat_sfz_read(const char *path, const flz_kit_preset *preset,
                                  flz_kit_regions *out, FILE *err)
{
  (void)preset;
  return flz_sfz_read(path, out, err);
}

static int flz_kitformat_hydrogen_read(const char *path, const flz_kit_preset *preset,
                                       flz_kit_regions *out, FILE *err)
{
  (void)preset;
  return flz_hydrogenkit_read(path, out, err);
}

static int flz_kitformat_sfz_load(const char *path, const flz_kit_preset *preset, flz_kit *kit,
                                  FILE *err)
{
  return flz_kitformat_regions_load(path, preset, kit, err, flz_kitformat_sfz_read);
}

static int flz_kitformat_sf2_load(const char *path, const flz_kit_preset *preset, flz_kit *kit,
                                  FILE *err)
{
  return flz_kitformat_regions_load(path, preset, kit, err, flz_sf2kit_read);
}

static int flz_kitformat_hydrogen_load(const char *path, const flz_kit_preset *preset, flz_kit *kit,
                                       FILE *err)
{
  return flz_kitformat_regions_load(path, preset, kit, err, flz_kitformat_hydrogen_read);
}

/* A format holding one kit: nothing to list. */
static int flz_kitformat_list_none(const char *path, FILE *out, FILE *err)
{
  (void)path;
  (void)out;
  (void)err;
  return 1;
}

/* The formats, probed in order: file formats, then a Hydrogen kit's
 * folder, before the plain folder. */
static const flz_kit_format flz_kit_formats[] = {
  {"sfz", FLZ_KIT_FORMAT_BENCH_FILES, flz_sfz_probe, flz_kitformat_sfz_load,
   flz_kitformat_list_none},
  {"sf2", 0, flz_sf2kit_probe, flz_kitformat_sf2_load, flz_sf2kit_list},
  {"hydrogen", 0, flz_hydrogenkit_probe, flz_kitformat_hydrogen_load, flz_kitformat_list_none},
  {"folder", FLZ_KIT_FORMAT_FOLDER, flz_kitformat_folder_probe, flz_kitformat_folder_load,
   flz_kitformat_list_none},
};

const flz_kit_format *flz_kit_format_of(const char *path)
{
  for (size_t i = 0; i < sizeof flz_kit_formats / sizeof flz_kit_formats[0]; i++)
    if (flz_kit_formats[i].probe(path))
      return &flz_kit_formats[i];
  return NULL;
}

int flz_kit_open_preset(const char *path, const flz_kit_preset *preset, flz_kit *kit, FILE *err)
{
  const flz_kit_format *format = flz_kit_format_of(path);
  if (format != NULL)
    return format->load(path, preset, kit, err);
  return flz_kit_scan(path, kit); /* names why it is no kit */
}

int flz_kit_open(const char *path, flz_kit *kit, FILE *err)
{
  return flz_kit_open_preset(path, NULL, kit, err);
}

int flz_kit_region_same_sample(const flz_kit_region *a, const flz_kit_region *b)
{
  if (a->path == NULL || b->path == NULL)
    return a->path == b->path;
  return a->data_offset == b->data_offset && a->low_offset == b->low_offset &&
         a->data_frames == b->data_frames && a->data_rate == b->data_rate &&
         strcmp(a->path, b->path) == 0;
}

int flz_kit_region_decode(const flz_kit_region *kr, uint32_t rate, flz_decoded *out,
                          uint32_t *source_rate, char *detail, size_t detail_size)
{
  flz_kit_reader reader = {0};
  int result = flz_kit_reader_decode(&reader, kr, rate, out, source_rate, detail, detail_size);
  if (result == FLZ_OK && out->data == reader.points)
    reader.points = NULL; /* the caller's now */
  else
    reader.owned = (flz_decoded){0};
  flz_kit_reader_deinit(&reader);
  return result;
}

int flz_kit_reader_decode(flz_kit_reader *reader, const flz_kit_region *kr, uint32_t rate,
                          flz_decoded *out, uint32_t *source_rate, char *detail, size_t detail_size)
{
  flz_decode_free(&reader->owned);
  memset(out, 0, sizeof *out);
  if (kr->data_frames == 0) {
    flz_audio_info info = {0};
    int result = flz_decode_file(kr->path, rate, &reader->owned, &info, detail, detail_size);
    if (source_rate != NULL)
      *source_rate = info.rate;
    if (result == FLZ_OK)
      *out = reader->owned;
    return result;
  }
  /* Points inside a bank stay at their own rate, straight to floats: the
   * region's voices step at it (flz_region.sample_rate). */
  if (source_rate != NULL)
    *source_rate = kr->data_rate;
  if (reader->path == NULL || strcmp(reader->path, kr->path) != 0) {
    if (reader->file != NULL)
      fclose(reader->file);
    free(reader->path);
    reader->path = strdup(kr->path);
    reader->file = reader->path != NULL ? fopen(kr->path, "rb") : NULL;
    if (reader->file == NULL) {
      int result = reader->path == NULL ? FLZ_ERR_NO_MEMORY : FLZ_ERR_READ;
      free(reader->path);
      reader->path = NULL;
      return result;
    }
  }
  if (reader->capacity < kr->data_frames) {
    float *bigger = realloc(reader->points, (size_t)kr->data_frames * sizeof *bigger);
    if (bigger == NULL)
      return FLZ_ERR_NO_MEMORY;
    reader->points = bigger;
    reader->capacity = kr->data_frames;
  }
  int result = flz_sf2_read_pcm(reader->file, kr->data_offset, kr->low_offset, kr->data_frames,
                                reader->points);
  if (result != FLZ_OK)
    return result;
  *out = (flz_decoded){
    .data = reader->points, .frame_count = kr->data_frames, .channels = 1, .rate = kr->data_rate};
  return FLZ_OK;
}

void flz_kit_reader_deinit(flz_kit_reader *reader)
{
  if (reader == NULL)
    return;
  if (reader->file != NULL)
    fclose(reader->file);
  free(reader->path);
  free(reader->points);
  flz_decode_free(&reader->owned);
  memset(reader, 0, sizeof *reader);
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

uint32_t flz_kit_regions_pads_of_key(const flz_kit_regions *regions, uint32_t key, uint16_t *pads)
{
  uint32_t count = 0;
  for (uint32_t p = 0; p < regions->pad_count && p < FLZ_PADS; p++) {
    const flz_pad_params *pad = &regions->pads[p];
    for (uint32_t r = pad->first; r < pad->first + pad->count; r++) {
      const flz_region *region = &regions->regions[r].region;
      if (region->trigger == FLZ_TRIGGER_ATTACK && key >= region->lokey && key <= region->hikey) {
        pads[count++] = (uint16_t)p;
        break;
      }
    }
  }
  return count;
}

/* Pulls the engine before `count` more commands when they would bring
 * the commands sent since the last pull (*sent) past FLZ_KITFORMAT_BATCH,
 * so its ring never fills. */
static void flz_kitformat_pull(flz_sampler *sampler, uint32_t *sent, uint32_t count)
{
  if (*sent + count > FLZ_KITFORMAT_BATCH) {
    (void)flz_sampler_pull(sampler, 0);
    *sent = 0;
  }
  *sent += count;
}

/* A frame count of the file at `from` Hz as frames at `to` Hz. */
static uint32_t flz_kitformat_frames(uint32_t frames, uint32_t from, uint32_t to)
{
  if (from == 0 || from == to)
    return frames;
  double scaled = floor((double)frames * to / from + 0.5);
  return scaled > 4294967295.0 ? UINT32_MAX : (uint32_t)scaled;
}

/* A region and its index, sorted by the sample it plays. */
typedef struct flz_kitformat_ref {
  const flz_kit_region *region;
  uint32_t index;
} flz_kitformat_ref;

static int flz_kitformat_compare(const void *a, const void *b)
{
  const flz_kitformat_ref *x = a, *y = b;
  const flz_kit_region *p = x->region, *q = y->region;
  int order = p->path == NULL || q->path == NULL ? (p->path != NULL) - (q->path != NULL)
                                                 : strcmp(p->path, q->path);
  if (order == 0 && p->data_offset != q->data_offset)
    order = p->data_offset < q->data_offset ? -1 : 1;
  if (order == 0 && p->low_offset != q->low_offset)
    order = p->low_offset < q->low_offset ? -1 : 1;
  if (order == 0 && p->data_frames != q->data_frames)
    order = p->data_frames < q->data_frames ? -1 : 1;
  if (order == 0 && p->data_rate != q->data_rate)
    order = p->data_rate < q->data_rate ? -1 : 1;
  if (order == 0)
    order = x->index < y->index ? -1 : (x->index > y->index);
  return order;
}

uint32_t *flz_kit_regions_by_sample(const flz_kit_regions *regions)
{
  uint32_t count = regions->count;
  flz_kitformat_ref *refs = malloc((count > 0 ? count : 1) * sizeof *refs);
  uint32_t *order = malloc((count > 0 ? count : 1) * sizeof *order);
  if (refs == NULL || order == NULL) {
    free(refs);
    free(order);
    return NULL;
  }
  for (uint32_t i = 0; i < count; i++)
    refs[i] = (flz_kitformat_ref){&regions->regions[i], i};
  qsort(refs, count, sizeof *refs, flz_kitformat_compare);
  for (uint32_t i = 0; i < count; i++)
    order[i] = refs[i].index;
  free(refs);
  return order;
}

uint32_t flz_kit_regions_load(const flz_kit_regions *regions, flz_sampler *sampler, FILE *err)
{
  uint32_t rate = flz_sampler_rate(sampler), loaded = 0, sent = 0;
  static const float silence[1] = {0.0f};
  /* done[i]: region i's sample is in its slot (1), or failed (2); a sample
   * several regions play is decoded once and published in each one's slot. */
  uint8_t *done = calloc(regions->count > 0 ? regions->count : 1, 1);
  uint32_t *source_rates = calloc(regions->count > 0 ? regions->count : 1, sizeof *source_rates);
  uint32_t *order = flz_kit_regions_by_sample(regions);
  flz_kit_reader reader = {0};
  if (done == NULL || source_rates == NULL || order == NULL) {
    free(done);
    free(source_rates);
    free(order);
    fprintf(err, "error: %s\n", flz_result_message(FLZ_ERR_NO_MEMORY));
    return 0;
  }
  for (uint32_t first = 0, last; first < regions->count; first = last) {
    const flz_kit_region *kr = &regions->regions[order[first]];
    last = first + 1;
    while (last < regions->count && flz_kit_region_same_sample(kr, &regions->regions[order[last]]))
      last++;
    flz_decoded decoded = {0};
    uint32_t source_rate = rate;
    char detail[256] = "";
    int result = kr->path == NULL ? FLZ_OK
                                  : flz_kit_reader_decode(&reader, kr, rate, &decoded, &source_rate,
                                                          detail, sizeof detail);
    for (uint32_t k = first; k < last; k++) {
      uint32_t j = order[k];
      flz_kitformat_pull(sampler, &sent, 1);
      int published = result != FLZ_OK   ? result
                      : kr->path == NULL ? flz_sampler_load_frames(sampler, j, silence, 1, 1)
                                         : flz_sampler_load_decoded(sampler, j, &decoded);
      const char *name = kr->path != NULL ? kr->path : "*silence";
      if (result == FLZ_OK && published == FLZ_ERR_POOL_FULL) {
        /* Each region's slot takes its own copy: each one that does not
         * fit has its line, as a folder kit's pad (app/kit.h). */
        uint64_t bytes = kr->path != NULL ? decoded.frame_count * decoded.channels * sizeof(float)
                                          : sizeof silence;
        char reason[128];
        flz_kit_pool_reason(reason, sizeof reason,
                            (bytes + FLZ_POOL_ALIGN - 1) / FLZ_POOL_ALIGN * FLZ_POOL_ALIGN,
                            flz_sampler_pool_largest_free(sampler));
        fprintf(err, "error: %s: %s\n", name, reason);
      } else if (published != FLZ_OK && k == first) {
        if (detail[0] != '\0')
          fprintf(err, "error: %s: %s (%s)\n", name, flz_result_message(published), detail);
        else
          fprintf(err, "error: %s: %s\n", name, flz_result_message(published));
      }
      done[j] = published == FLZ_OK ? 1 : 2;
      source_rates[j] = source_rate;
    }
  }
  flz_kit_reader_deinit(&reader);
  free(order);
  for (uint32_t i = 0; i < regions->count; i++) {
    if (done[i] != 1)
      continue;
    loaded++;
    flz_kitformat_pull(sampler, &sent, 2);
    if (flz_kit_regions_send_region(regions, i, source_rates[i], sampler) != FLZ_OK)
      fprintf(err, "error: %s: %s\n",
              regions->regions[i].path != NULL ? regions->regions[i].path : "*silence",
              flz_result_message(FLZ_ERR_RING_FULL));
  }
  free(done);
  free(source_rates);
  for (uint32_t p = 0; p < regions->pad_count; p++) {
    flz_kitformat_pull(sampler, &sent, 128 / FLZ_VELCURVE_CHUNK + 2);
    (void)flz_kit_regions_send_pad(regions, p, sampler);
  }
  (void)flz_sampler_pull(sampler, 0);
  return loaded;
}

int flz_kit_regions_send_region(const flz_kit_regions *regions, uint32_t index,
                                uint32_t source_rate, flz_sampler *sampler)
{
  const flz_kit_region *kr = &regions->regions[index];
  uint32_t rate = flz_sampler_rate(sampler);
  flz_command set = {.type = FLZ_COMMAND_SET_SLOT, .slot = index};
  set.params = kr->params;
  flz_command region = {.type = FLZ_COMMAND_SET_REGION, .slot = index};
  region.region = kr->region;
  region.region.slot = index;
  if (kr->data_frames > 0) {
    /* Points inside a bank play at their own rate: its frames as they are. */
    region.region.sample_rate = kr->data_rate;
  } else {
    set.params.start = flz_kitformat_frames(kr->params.start, source_rate, rate);
    set.params.end = flz_kitformat_frames(kr->params.end, source_rate, rate);
    set.params.loop_start = flz_kitformat_frames(kr->params.loop_start, source_rate, rate);
    set.params.loop_end = flz_kitformat_frames(kr->params.loop_end, source_rate, rate);
  }
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
