/* app/kit.c: kit folders: which files are pads, in which order, loading them
 * into the sampler, and where the built-in default kit is.
 *
 * Owns: the pad order (natural sort), the pool plan of a kit load, and the
 * per-file error lines of a load. Decoding is platform/decode.c's (run on
 * platform/loader.c's threads) and publishing platform/sampler.c's; this file
 * must not touch SDL (the executable's folder comes from /proc/self/exe).
 */
#include "app/kit.h"

#include "app/kitformat.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/pool.h" /* FLZ_POOL_ALIGN: a kit plan rounds sizes as the pool does */
#include "engine/result.h"
#include "platform/clock.h"
#include "platform/decode.h"

/* Compares the digit runs starting at *a and *b by value and advances both
 * past them. Leading zeros do not count. */
static int flz_kit_compare_number(const char **a, const char **b)
{
  const char *pa = *a;
  const char *pb = *b;
  while (*pa == '0')
    pa++;
  while (*pb == '0')
    pb++;
  const char *start_a = pa;
  const char *start_b = pb;
  while (isdigit((unsigned char)*pa))
    pa++;
  while (isdigit((unsigned char)*pb))
    pb++;
  size_t length_a = (size_t)(pa - start_a);
  size_t length_b = (size_t)(pb - start_b);
  *a = pa;
  *b = pb;
  if (length_a != length_b)
    return length_a < length_b ? -1 : 1;
  int c = memcmp(start_a, start_b, length_a);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

/* Digit runs compare by value, other bytes case-folded (ASCII). Names that
 * are equal that way ("01" and "1", "a" and "A") are ordered by strcmp, so
 * the order is total and the same on every run. */
int flz_kit_natural_compare(const char *a, const char *b)
{
  const char *pa = a;
  const char *pb = b;
  while (*pa != '\0' && *pb != '\0') {
    if (isdigit((unsigned char)*pa) && isdigit((unsigned char)*pb)) {
      int c = flz_kit_compare_number(&pa, &pb);
      if (c != 0)
        return c;
      continue;
    }
    int ca = tolower((unsigned char)*pa);
    int cb = tolower((unsigned char)*pb);
    if (ca != cb)
      return ca < cb ? -1 : 1;
    pa++;
    pb++;
  }
  if (*pa != '\0' || *pb != '\0')
    return *pa == '\0' ? -1 : 1;
  int c = strcmp(a, b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

static int flz_kit_compare_names(const void *a, const void *b)
{
  return flz_kit_natural_compare(*(const char *const *)a, *(const char *const *)b);
}

static void flz_kit_free_names(char **names, size_t count)
{
  for (size_t i = 0; i < count; i++)
    free(names[i]);
  free(names);
}

/* Reads the names in `dir` that may be pads: not hidden, with an audio
 * extension. Entries are chosen by name only, so a folder called "x.ogg"
 * becomes a pad that fails to load with a message instead of vanishing. */
static int flz_kit_read_names(const char *dir, char ***names_out, size_t *count_out)
{
  DIR *folder = opendir(dir);
  if (folder == NULL)
    return FLZ_ERR_READ;
  char **names = NULL;
  size_t count = 0;
  size_t capacity = 0;
  int result = FLZ_OK;
  struct dirent *entry;
  errno = 0;
  while ((entry = readdir(folder)) != NULL) {
    if (entry->d_name[0] == '.' || !flz_decode_is_audio_name(entry->d_name))
      continue;
    if (count == capacity) {
      size_t grown = capacity == 0 ? 64 : capacity * 2;
      char **bigger = realloc(names, grown * sizeof(*names));
      if (bigger == NULL) {
        result = FLZ_ERR_NO_MEMORY;
        break;
      }
      names = bigger;
      capacity = grown;
    }
    names[count] = strdup(entry->d_name);
    if (names[count] == NULL) {
      result = FLZ_ERR_NO_MEMORY;
      break;
    }
    count++;
  }
  if (result == FLZ_OK && errno != 0)
    result = FLZ_ERR_READ;
  closedir(folder);
  if (result != FLZ_OK) {
    flz_kit_free_names(names, count);
    return result;
  }
  *names_out = names;
  *count_out = count;
  return FLZ_OK;
}

/* dir + "/" + name, without doubling a '/' that `dir` ends with. */
static char *flz_kit_join(const char *dir, const char *name)
{
  size_t dir_length = strlen(dir);
  int slash = dir_length > 0 && dir[dir_length - 1] == '/' ? 0 : 1;
  size_t size = dir_length + (size_t)slash + strlen(name) + 1;
  char *path = malloc(size);
  if (path != NULL)
    snprintf(path, size, "%s%s%s", dir, slash ? "/" : "", name);
  return path;
}

/* Reads DIR/kit.ini into kit->settings (the defaults when there is none or
 * when it cannot be used, which settings_result then says). */
static int flz_kit_read_settings(flz_kit *kit)
{
  char *ini = flz_kit_join(kit->dir, "kit.ini");
  if (ini == NULL)
    return FLZ_ERR_NO_MEMORY;
  int result = flz_kitfile_load(ini, kit->settings, &kit->settings_line, kit->settings_detail,
                                sizeof kit->settings_detail);
  free(ini);
  if (result != FLZ_OK && result != FLZ_ERR_NOT_FOUND) {
    kit->settings_result = result;
    flz_kitfile_init(kit->settings);
  }
  return FLZ_OK;
}

/* Pads from the sorted audio file `names`: a kit.ini `file` first, then the
 * other files in order on the pads still free. */
static int flz_kit_assign(flz_kit *kit, char **names, size_t count)
{
  unsigned char *used = calloc(count > 0 ? count : 1, 1);
  if (used == NULL)
    return FLZ_ERR_NO_MEMORY;
  int result = FLZ_OK;
  for (uint32_t pad = 0; pad < FLZ_PADS && result == FLZ_OK; pad++) {
    const flz_pad_settings *settings = &kit->settings->pads[pad];
    if (!(settings->set & FLZ_PAD_FILE))
      continue;
    kit->paths[pad] = flz_kit_join(kit->dir, settings->file);
    if (kit->paths[pad] == NULL)
      result = FLZ_ERR_NO_MEMORY;
    for (size_t i = 0; i < count; i++)
      if (strcmp(names[i], settings->file) == 0)
        used[i] = 1;
  }
  size_t next = 0;
  for (uint32_t pad = 0; pad < FLZ_PADS && result == FLZ_OK; pad++) {
    if (kit->paths[pad] == NULL) {
      while (next < count && used[next])
        next++;
      if (next == count)
        continue;
      used[next] = 1;
      kit->paths[pad] = flz_kit_join(kit->dir, names[next]);
      if (kit->paths[pad] == NULL)
        result = FLZ_ERR_NO_MEMORY;
    }
    if (kit->paths[pad] != NULL)
      kit->count = pad + 1;
  }
  for (size_t i = 0; i < count; i++)
    kit->skipped += !used[i];
  free(used);
  return result;
}

int flz_kit_settings_error(const flz_kit *kit, FILE *err)
{
  if (kit->settings_result == FLZ_OK)
    return 0;
  const char *slash = kit->dir[0] != '\0' && kit->dir[strlen(kit->dir) - 1] == '/' ? "" : "/";
  if (kit->settings_result == FLZ_ERR_SYNTAX)
    fprintf(err, "error: %s%skit.ini:%u: %s\n", kit->dir, slash, (unsigned)kit->settings_line,
            kit->settings_detail);
  else
    fprintf(err, "error: %s%skit.ini: %s%s%s%s\n", kit->dir, slash,
            flz_result_message(kit->settings_result), kit->settings_detail[0] ? " (" : "",
            kit->settings_detail, kit->settings_detail[0] ? ")" : "");
  return 1;
}

void flz_kit_error(const char *dir, int result, FILE *err)
{
  char list[FLZ_DECODE_EXTENSION_LIST_BYTES] = "";
  if (result == FLZ_ERR_EMPTY_KIT)
    flz_decode_extension_list(list, sizeof list);
  fprintf(err, "error: %s: %s%s%s%s\n", dir, flz_result_message(result), list[0] ? " (" : "", list,
          list[0] ? ")" : "");
}

int flz_kit_apply_settings(const flz_kit *kit, flz_sampler *sampler)
{
  const flz_kitfile *s = kit->settings;
  flz_command commands[] = {
    {.type = FLZ_COMMAND_SET_TEMPO, .value = s->bpm},
    {.type = FLZ_COMMAND_SET_QUANTIZE, .offset = s->quantize},
    {.type = FLZ_COMMAND_SET_MULTI_LOOP, .offset = (uint32_t)(s->multi_loop != 0)},
    {.type = FLZ_COMMAND_SET_SPEED, .value = s->speed},
    {.type = FLZ_COMMAND_SET_INTERPOLATION,
     .offset = s->interpolation > 0 ? s->interpolation - 1 : flz_sampler_interpolation(sampler)},
  };
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    int result = flz_sampler_command(sampler, &commands[i]);
    if (result != FLZ_OK)
      return result;
  }
  return FLZ_OK;
}

int flz_kit_scan(const char *dir, flz_kit *kit)
{
  memset(kit, 0, sizeof(*kit));
  struct stat info;
  if (stat(dir, &info) != 0)
    return errno == ENOENT || errno == ENOTDIR ? FLZ_ERR_NOT_FOUND : FLZ_ERR_READ;
  if (!S_ISDIR(info.st_mode))
    return FLZ_ERR_NOT_A_KIT;

  char **names = NULL;
  size_t count = 0;
  int result = flz_kit_read_names(dir, &names, &count);
  if (result != FLZ_OK)
    return result;
  if (count == 0) {
    free(names);
    return FLZ_ERR_EMPTY_KIT;
  }
  qsort(names, count, sizeof(*names), flz_kit_compare_names);

  kit->dir = strdup(dir);
  kit->settings = malloc(sizeof *kit->settings);
  result = kit->dir != NULL && kit->settings != NULL ? FLZ_OK : FLZ_ERR_NO_MEMORY;
  if (result == FLZ_OK)
    result = flz_kit_read_settings(kit);
  if (result == FLZ_OK)
    result = flz_kit_assign(kit, names, count);
  flz_kit_free_names(names, count);
  if (result != FLZ_OK)
    flz_kit_deinit(kit);
  return result;
}

void flz_kit_deinit(flz_kit *kit)
{
  if (kit == NULL)
    return;
  for (uint32_t i = 0; i < FLZ_PADS; i++)
    free(kit->paths[i]);
  free(kit->settings);
  free(kit->dir);
  flz_kit_regions_free(kit->regions);
  free(kit->regions);
  memset(kit, 0, sizeof(*kit));
}

void flz_kit_pool_reason(char *reason, size_t size, uint64_t needs, uint64_t free_bytes)
{
  snprintf(reason, size, "%s (needs %.1f MiB, %.1f MiB free)",
           flz_result_message(FLZ_ERR_POOL_FULL), (double)needs / (1024.0 * 1024.0),
           (double)free_bytes / (1024.0 * 1024.0));
}

/* What a load tracks one file each of: a multi-sample kit's regions, else
 * its pads. How many, item `index`, and its file ("*silence" for a region
 * without one). */
static uint32_t flz_kit_items(const flz_kit_loading *loading)
{
  return loading->regions != NULL ? loading->kit.regions->count : loading->kit.count;
}

static flz_kit_pad *flz_kit_item(flz_kit_loading *loading, uint32_t index)
{
  return loading->regions != NULL ? &loading->regions[index] : &loading->pads[index];
}

static const char *flz_kit_path(const flz_kit_loading *loading, uint32_t index)
{
  if (loading->regions == NULL)
    return loading->kit.paths[index];
  const char *path = loading->kit.regions->regions[index].path;
  return path != NULL ? path : "*silence";
}

/* The pad whose regions hold region `index`, or -1. */
static int32_t flz_kit_pad_of_region(const flz_kit_regions *regions, uint32_t index)
{
  for (uint32_t p = 0; p < regions->pad_count; p++)
    if (index >= regions->pads[p].first && index < regions->pads[p].first + regions->pads[p].count)
      return (int32_t)p;
  return -1;
}

/* Sends the pads whose regions are all done (READY) while the command ring
 * takes them; a pad with no region loaded is FAILED, the others LOADED. */
static void flz_kit_send_pads(flz_kit_loading *loading)
{
  const flz_kit_regions *regions = loading->kit.regions;
  for (uint32_t p = 0; p < regions->pad_count && loading->pads_unsent > 0; p++) {
    flz_kit_pad *pad = &loading->pads[p];
    if (pad->state != FLZ_KIT_PAD_READY)
      continue;
    if (flz_kit_regions_send_pad(regions, p, loading->sampler) != FLZ_OK)
      return; /* the ring is full: the next poll sends it */
    int any = 0;
    for (uint32_t r = regions->pads[p].first; r < regions->pads[p].first + regions->pads[p].count;
         r++)
      any |= loading->regions[r].state == FLZ_KIT_PAD_LOADED;
    pad->state = any ? FLZ_KIT_PAD_LOADED : FLZ_KIT_PAD_FAILED;
    if (any)
      loading->loaded++;
    else
      loading->failed++;
    loading->pads_unsent--;
  }
}

/* Item `index` is LOADED (`ok`) or FAILED: counts it; a region whose pad's
 * regions are now all done makes the pad ready to be sent. */
static void flz_kit_done(flz_kit_loading *loading, uint32_t index, int ok)
{
  if (loading->regions == NULL) {
    if (ok)
      loading->loaded++;
    else
      loading->failed++;
    return;
  }
  if (ok)
    loading->regions_loaded++;
  else
    loading->regions_failed++;
  const flz_kit_regions *regions = loading->kit.regions;
  int32_t p = flz_kit_pad_of_region(regions, index);
  if (p < 0)
    return;
  flz_kit_pad *pad = &loading->pads[p];
  if (!ok && pad->reason[0] == '\0') {
    const char *path = flz_kit_path(loading, index);
    const char *base = strrchr(path, '/');
    /* as much of the file's name and the reason as the pad's reason holds */
    int n = snprintf(pad->reason, sizeof pad->reason, "%.60s: ", base != NULL ? base + 1 : path);
    size_t used = n > 0 ? (size_t)n : 0;
    size_t length = strnlen(loading->regions[index].reason, sizeof pad->reason - 1 - used);
    memcpy(pad->reason + used, loading->regions[index].reason, length);
    pad->reason[used + length] = '\0';
  }
  const flz_pad_params *params = &regions->pads[p];
  for (uint32_t r = params->first; r < params->first + params->count; r++)
    if (loading->regions[r].state != FLZ_KIT_PAD_LOADED &&
        loading->regions[r].state != FLZ_KIT_PAD_FAILED)
      return;
  pad->state = FLZ_KIT_PAD_READY;
  loading->pads_unsent++;
  flz_kit_send_pads(loading);
}

/* One error line for pad `index`; the slot stays empty. */
static void flz_kit_fail(flz_kit_loading *loading, uint32_t index, int result, const char *detail)
{
  const char *path = flz_kit_path(loading, index);
  flz_kit_pad *item = flz_kit_item(loading, index);
  char *reason = item->reason;
  if (detail != NULL && detail[0] != '\0')
    snprintf(reason, sizeof item->reason, "%s (%s)", flz_result_message(result), detail);
  else
    snprintf(reason, sizeof item->reason, "%s", flz_result_message(result));
  if (detail != NULL && detail[0] != '\0')
    fprintf(loading->err, "error: %s: %s (%s)\n", path, flz_result_message(result), detail);
  else
    fprintf(loading->err, "error: %s: %s\n", path, flz_result_message(result));
  flz_decode_free(&item->decoded);
  item->state = FLZ_KIT_PAD_FAILED;
  flz_kit_done(loading, index, 0);
}

static void flz_kit_fail_pool(flz_kit_loading *loading, uint32_t index, uint64_t needs,
                              uint64_t free_bytes)
{
  flz_kit_pad *item = flz_kit_item(loading, index);
  flz_kit_pool_reason(item->reason, sizeof item->reason, needs, free_bytes);
  fprintf(loading->err, "error: %s: %s\n", flz_kit_path(loading, index), item->reason);
  flz_decode_free(&item->decoded);
  item->state = FLZ_KIT_PAD_FAILED;
  flz_kit_done(loading, index, 0);
}

/* Frees what `loading` holds, without touching the loader. */
static void flz_kit_release(flz_kit_loading *loading)
{
  for (uint32_t i = 0; i < FLZ_PADS; i++)
    flz_decode_free(&loading->pads[i].decoded);
  for (uint32_t i = 0; loading->regions != NULL && i < loading->kit.regions->count; i++)
    flz_decode_free(&loading->regions[i].decoded);
  free(loading->regions);
  loading->regions = NULL;
  flz_kit_deinit(&loading->kit);
  loading->active = 0;
}

void flz_kit_stop(flz_kit_loading *loading)
{
  if (loading == NULL)
    return;
  if (loading->active && loading->loader != NULL)
    (void)flz_loader_new_generation(loading->loader);
  flz_kit_release(loading);
}

/* Copies a multi-sample kit's regions and their paths into copy->regions. */
static int flz_kit_copy_regions(const flz_kit_regions *regions, flz_kit *copy)
{
  copy->regions = malloc(sizeof *copy->regions);
  if (copy->regions == NULL)
    return FLZ_ERR_NO_MEMORY;
  *copy->regions = *regions;
  copy->regions->count = 0;
  copy->regions->regions = calloc(regions->count > 0 ? regions->count : 1,
                                  sizeof *copy->regions->regions);
  if (copy->regions->regions == NULL)
    return FLZ_ERR_NO_MEMORY;
  for (uint32_t i = 0; i < regions->count; i++) {
    copy->regions->regions[i] = regions->regions[i];
    copy->regions->regions[i].path = NULL;
    copy->regions->count = i + 1;
    if (regions->regions[i].path != NULL &&
        (copy->regions->regions[i].path = strdup(regions->regions[i].path)) == NULL)
      return FLZ_ERR_NO_MEMORY;
  }
  return FLZ_OK;
}

/* Copies the paths (and a multi-sample kit's regions) of `kit` into `copy`. */
static int flz_kit_copy(const flz_kit *kit, flz_kit *copy)
{
  memset(copy, 0, sizeof *copy);
  copy->dir = strdup(kit->dir != NULL ? kit->dir : "");
  if (copy->dir == NULL)
    return FLZ_ERR_NO_MEMORY;
  copy->skipped = kit->skipped;
  copy->settings_result = kit->settings_result;
  copy->settings_line = kit->settings_line;
  memcpy(copy->settings_detail, kit->settings_detail, sizeof copy->settings_detail);
  copy->settings = malloc(sizeof *copy->settings);
  if (copy->settings == NULL) {
    flz_kit_deinit(copy);
    return FLZ_ERR_NO_MEMORY;
  }
  if (kit->settings != NULL)
    *copy->settings = *kit->settings;
  else
    flz_kitfile_init(copy->settings);
  copy->count = kit->count;
  if (kit->regions != NULL && flz_kit_copy_regions(kit->regions, copy) != FLZ_OK) {
    flz_kit_deinit(copy);
    return FLZ_ERR_NO_MEMORY;
  }
  for (uint32_t i = 0; i < kit->count; i++) {
    if (kit->paths[i] == NULL)
      continue;
    copy->paths[i] = strdup(kit->paths[i]);
    if (copy->paths[i] == NULL) {
      flz_kit_deinit(copy);
      return FLZ_ERR_NO_MEMORY;
    }
  }
  return FLZ_OK;
}

static void flz_kit_plan(flz_kit_loading *loading);

/* The points of a region stored inside its file (flz_kit_region's data_*),
 * as a decoder job carries them. */
typedef struct flz_kit_points {
  uint64_t offset, low_offset;
  uint32_t frames, rate;
} flz_kit_points;

/* Loader thread (flz_loader_decode_fn): decodes the points `args` (an
 * flz_kit_points) of the file `path`, an SF2 bank, at their own rate (the
 * engine plays them at it, whatever `rate` is). */
static int flz_kit_decode_points(const char *path, const void *args, uint32_t rate,
                                 flz_decoded *out, flz_audio_info *source, char *detail,
                                 size_t detail_size)
{
  flz_kit_points points;
  memcpy(&points, args, sizeof points);
  flz_kit_region kr = {.path = (char *)path,
                       .data_offset = points.offset,
                       .low_offset = points.low_offset,
                       .data_frames = points.frames,
                       .data_rate = points.rate};
  *source = (flz_audio_info){.frames = points.frames, .channels = 1, .rate = points.rate};
  return flz_kit_region_decode(&kr, rate, out, NULL, detail, detail_size);
}

/* Queues the decode of item `index` at `rate`: a file's, or a region's
 * points inside its file by flz_kit_decode_points. */
static int flz_kit_submit_decode(flz_kit_loading *loading, uint32_t index, uint32_t rate)
{
  const flz_kit_region *kr = loading->regions != NULL ? &loading->kit.regions->regions[index]
                                                      : NULL;
  if (kr == NULL || kr->data_frames == 0)
    return flz_loader_submit(loading->loader, FLZ_LOADER_DECODE, index,
                             flz_kit_path(loading, index), rate);
  flz_kit_points points = {kr->data_offset, kr->low_offset, kr->data_frames, kr->data_rate};
  return flz_loader_submit_decoder(loading->loader, index, kr->path, rate, flz_kit_decode_points,
                                   &points, sizeof points);
}

/* Queues the probes of a multi-sample kit's regions; a region without a
 * file (SFZ's *silence) is one silent frame, ready to publish; a region
 * whose points lie inside its file (an SF2 bank) needs no probe: its size
 * is known. */
static void flz_kit_start_regions(flz_kit_loading *loading, uint32_t rate)
{
  const flz_kit_regions *regions = loading->kit.regions;
  for (uint32_t p = 0; p < regions->pad_count; p++) {
    loading->pads[p].state = regions->pads[p].count > 0 ? FLZ_KIT_PAD_DECODING : FLZ_KIT_PAD_EMPTY;
    loading->empty += regions->pads[p].count == 0;
  }
  for (uint32_t i = 0; i < regions->count; i++) {
    flz_kit_pad *region = &loading->regions[i];
    if (regions->regions[i].path == NULL) {
      region->decoded.data = calloc(1, sizeof(float));
      if (region->decoded.data == NULL) {
        flz_kit_fail(loading, i, FLZ_ERR_NO_MEMORY, NULL);
        continue;
      }
      region->decoded.frame_count = 1;
      region->decoded.channels = 1;
      region->decoded.rate = rate;
      region->source_rate = rate;
      region->state = FLZ_KIT_PAD_READY;
      continue;
    }
    const flz_kit_region *kr = &regions->regions[i];
    if (kr->data_frames > 0 && kr->data_rate > 0) {
      /* Points inside a bank keep their own rate: their length is known. */
      uint64_t bytes = (uint64_t)kr->data_frames * sizeof(float);
      region->bytes = (bytes + FLZ_POOL_ALIGN - 1) / FLZ_POOL_ALIGN * FLZ_POOL_ALIGN;
      region->frames_total = kr->data_frames;
      region->source_rate = kr->data_rate;
      region->state = FLZ_KIT_PAD_DECODING;
      continue;
    }
    int result = flz_loader_submit(loading->loader, FLZ_LOADER_PROBE, i, regions->regions[i].path,
                                   rate);
    if (result != FLZ_OK) {
      flz_kit_fail(loading, i, result, NULL);
      continue;
    }
    region->state = FLZ_KIT_PAD_PROBING;
    loading->probing++;
  }
}

int flz_kit_start(flz_kit_loading *loading, const flz_kit *kit, flz_sampler *sampler,
                  flz_loader *loader, FILE *err)
{
  flz_kit copy;
  if (flz_kit_copy(kit, &copy) != FLZ_OK)
    return FLZ_ERR_NO_MEMORY;
  flz_kit_pad *regions = NULL;
  if (copy.regions != NULL && (regions = calloc(copy.regions->count > 0 ? copy.regions->count : 1,
                                                sizeof *regions)) == NULL) {
    flz_kit_deinit(&copy);
    return FLZ_ERR_NO_MEMORY;
  }
  /* The pads of a multi-sample kit before this one are emptied, so none of
   * them plays the slots this kit fills. */
  for (uint32_t p = 0; loading->kit.regions != NULL && p < loading->kit.regions->pad_count; p++) {
    flz_command empty = {.type = FLZ_COMMAND_SET_PAD, .slot = p};
    (void)flz_sampler_command(sampler, &empty);
  }
  flz_kit_stop(loading);
  memset(loading, 0, sizeof *loading);
  loading->regions = regions;
  loading->kit = copy;
  loading->sampler = sampler;
  loading->loader = loader;
  loading->err = err;
  loading->hold = 1;
  loading->active = 1;
  loading->start_ns = flz_clock_now_ns();
  loading->generation = flz_loader_new_generation(loader);
  for (uint32_t slot = 0; slot < FLZ_SLOTS; slot++)
    if (flz_sampler_slot_loaded(sampler, slot))
      (void)flz_sampler_unload_sample(sampler, slot);
  if (copy.skipped > 0)
    fprintf(err, "error: %s: %s (%u files past pad %u not loaded)\n", copy.dir,
            flz_result_message(FLZ_ERR_TOO_MANY_PADS), (unsigned)copy.skipped, (unsigned)FLZ_PADS);
  (void)flz_kit_settings_error(&copy, err);
  (void)flz_kit_apply_settings(&copy, sampler);
  uint32_t rate = flz_sampler_rate(sampler);
  if (regions != NULL) {
    flz_kit_start_regions(loading, rate);
    if (loading->probing == 0) /* nothing to probe: every size is known */
      flz_kit_plan(loading);
    return FLZ_OK;
  }
  for (uint32_t i = 0; i < copy.count; i++) {
    if (copy.paths[i] == NULL) {
      loading->pads[i].state = FLZ_KIT_PAD_EMPTY;
      loading->empty++;
      continue;
    }
    int result = flz_loader_submit(loader, FLZ_LOADER_PROBE, i, copy.paths[i], rate);
    if (result != FLZ_OK) {
      flz_kit_fail(loading, i, result, NULL);
      continue;
    }
    loading->pads[i].state = FLZ_KIT_PAD_PROBING;
    loading->probing++;
  }
  return FLZ_OK;
}

/* Every file is probed: takes the pads in pad order while they fit in the
 * pool and queues their decodes. */
static void flz_kit_plan(flz_kit_loading *loading)
{
  uint64_t left = flz_sampler_pool_capacity(loading->sampler);
  uint32_t rate = flz_sampler_rate(loading->sampler);
  for (uint32_t i = 0; i < flz_kit_items(loading); i++) {
    flz_kit_pad *pad = flz_kit_item(loading, i);
    if (pad->state != FLZ_KIT_PAD_DECODING)
      continue;
    if (pad->bytes > left) {
      flz_kit_fail_pool(loading, i, pad->bytes, left);
      continue;
    }
    left -= pad->bytes;
    int result = flz_kit_submit_decode(loading, i, rate);
    if (result != FLZ_OK)
      flz_kit_fail(loading, i, result, NULL);
  }
}

static void flz_kit_probed(flz_kit_loading *loading, const flz_loader_report *report)
{
  flz_kit_pad *pad = flz_kit_item(loading, report->tag);
  loading->probing--;
  if (report->result != FLZ_OK) {
    flz_kit_fail(loading, report->tag, report->result, report->detail);
  } else {
    uint64_t bytes = report->estimate.frames * report->estimate.channels * sizeof(float);
    pad->bytes = (bytes + FLZ_POOL_ALIGN - 1) / FLZ_POOL_ALIGN * FLZ_POOL_ALIGN;
    pad->frames_total = report->estimate.known ? report->estimate.source.frames : 0;
    pad->source_rate = report->estimate.source.rate;
    pad->state = FLZ_KIT_PAD_DECODING;
  }
  if (loading->probing == 0)
    flz_kit_plan(loading);
}

/* Sends how folder pad `index` plays (kit.ini's settings) as SET_SLOT. */
static int flz_kit_send_settings(flz_kit_loading *loading, uint32_t index)
{
  flz_kit_pad *pad = &loading->pads[index];
  flz_sampler *sampler = loading->sampler;
  flz_command set = {.type = FLZ_COMMAND_SET_SLOT, .slot = index};
  /* kit.ini's frame points against the file, now that its length is known
   * (said once: a pad left READY comes here again). */
  uint32_t line = 0;
  char why[160];
  const flz_pad_settings *settings = &loading->kit.settings->pads[index];
  if (pad->state != FLZ_KIT_PAD_READY && pad->frames_total > 0 &&
      !flz_kitfile_check_points(settings, index + 1, pad->frames_total, &line, why, sizeof why)) {
    const char *dir = loading->kit.dir;
    fprintf(loading->err, "error: %s%skit.ini:%u: %s (%s)\n", dir,
            dir[0] != '\0' && dir[strlen(dir) - 1] == '/' ? "" : "/", (unsigned)line, why,
            loading->kit.paths[index]);
  }
  flz_kitfile_params(&loading->kit.settings->pads[index], pad->source_rate,
                     flz_sampler_rate(sampler),
                     pad->decoded.has_loop ? (uint32_t)pad->decoded.loop_start : 0,
                     pad->decoded.has_loop ? (uint32_t)pad->decoded.loop_end : 0, &set.params);
  return flz_sampler_command(sampler, &set);
}

/* Publishes a decoded pad or region, or leaves it READY while memory is
 * retiring or the command ring is full. */
static void flz_kit_publish(flz_kit_loading *loading, uint32_t index)
{
  flz_kit_pad *pad = flz_kit_item(loading, index);
  flz_sampler *sampler = loading->sampler;
  /* How the pad plays goes first, in the same ring, so no press meets the
   * sample with another pad's settings. */
  int result = loading->regions != NULL ? flz_kit_regions_send_region(loading->kit.regions, index,
                                                                      pad->source_rate, sampler)
                                        : flz_kit_send_settings(loading, index);
  if (result == FLZ_OK)
    result = flz_sampler_load_decoded(sampler, index, &pad->decoded);
  if (result == FLZ_OK) {
    flz_decode_free(&pad->decoded);
    pad->state = FLZ_KIT_PAD_LOADED;
    pad->frames_done = pad->frames_total;
    flz_kit_done(loading, index, 1);
    return;
  }
  int busy = result == FLZ_ERR_RING_FULL ||
             (result == FLZ_ERR_POOL_FULL && flz_sampler_retiring_bytes(sampler) > 0);
  if (busy && loading->hold) {
    pad->state = FLZ_KIT_PAD_READY;
    return;
  }
  if (result == FLZ_ERR_POOL_FULL) {
    uint64_t bytes = pad->decoded.frame_count * pad->decoded.channels * sizeof(float);
    flz_kit_fail_pool(loading, index, bytes, flz_sampler_pool_largest_free(sampler));
  } else {
    flz_kit_fail(loading, index, result, NULL);
  }
}

static void flz_kit_report(flz_kit_loading *loading, flz_loader_report *report)
{
  if (report->tag >= flz_kit_items(loading)) {
    flz_decode_free(&report->decoded);
    return;
  }
  flz_kit_pad *pad = flz_kit_item(loading, report->tag);
  switch (report->type) {
  case FLZ_LOADER_PROBED:
    flz_kit_probed(loading, report);
    break;
  case FLZ_LOADER_PROGRESS:
    pad->frames_done = report->frames_done;
    pad->frames_total = report->frames_total;
    break;
  default:
    if (report->result != FLZ_OK) {
      flz_kit_fail(loading, report->tag, report->result, report->detail);
      break;
    }
    pad->decoded = report->decoded;
    memset(&report->decoded, 0, sizeof report->decoded);
    flz_kit_publish(loading, report->tag);
    break;
  }
}

int flz_kit_poll(flz_kit_loading *loading, uint32_t wait_ms)
{
  if (!loading->active)
    return 0;
  if (loading->regions != NULL)
    flz_kit_send_pads(loading);
  for (uint32_t i = 0; i < flz_kit_items(loading); i++)
    if (flz_kit_item(loading, i)->state == FLZ_KIT_PAD_READY)
      flz_kit_publish(loading, i);
  flz_loader_report report;
  int got = wait_ms > 0 ? flz_loader_wait(loading->loader, &report, wait_ms)
                        : flz_loader_poll(loading->loader, &report);
  while (got) {
    flz_kit_report(loading, &report);
    got = flz_loader_poll(loading->loader, &report);
  }
  if (loading->loaded + loading->failed + loading->empty < loading->kit.count)
    return 1;
  loading->active = 0;
  loading->end_ns = flz_clock_now_ns();
  return 0;
}

/* Adds one pad's or region's frames to `done` and `total`. */
static void flz_kit_add_progress(const flz_kit_pad *pad, uint64_t *done, uint64_t *total)
{
  if (pad->state == FLZ_KIT_PAD_FAILED || pad->state == FLZ_KIT_PAD_EMPTY)
    return;
  uint64_t all = pad->frames_total != 0 ? pad->frames_total : 1;
  uint64_t now = pad->state == FLZ_KIT_PAD_LOADED || pad->state == FLZ_KIT_PAD_READY
                   ? all
                   : (pad->frames_done < all ? pad->frames_done : all);
  *done += now;
  *total += all;
}

void flz_kit_progress(const flz_kit_loading *loading, uint64_t *done, uint64_t *total)
{
  *done = 0;
  *total = 0;
  const flz_kit_pad *items = loading->regions != NULL ? loading->regions : loading->pads;
  uint32_t count = loading->regions != NULL ? loading->kit.regions->count : loading->kit.count;
  for (uint32_t i = 0; i < count; i++)
    flz_kit_add_progress(&items[i], done, total);
}

void flz_kit_pad_progress(const flz_kit_loading *loading, uint32_t pad, uint64_t *done,
                          uint64_t *total)
{
  *done = 0;
  *total = 0;
  if (loading->regions == NULL) {
    if (pad < loading->kit.count)
      flz_kit_add_progress(&loading->pads[pad], done, total);
    return;
  }
  const flz_kit_regions *regions = loading->kit.regions;
  if (pad >= regions->pad_count)
    return;
  for (uint32_t r = regions->pads[pad].first;
       r < regions->pads[pad].first + regions->pads[pad].count; r++)
    flz_kit_add_progress(&loading->regions[r], done, total);
}

uint32_t flz_kit_load(const flz_kit *kit, flz_sampler *sampler, FILE *err)
{
  if (kit->regions != NULL)
    return flz_kit_regions_load(kit->regions, sampler, err);
  flz_loader *loader = NULL;
  if (flz_loader_start(0, &loader) != FLZ_OK) {
    fprintf(err, "error: %s: %s (loader threads)\n", kit->dir,
            flz_result_message(FLZ_ERR_NO_MEMORY));
    return 0;
  }
  static flz_kit_loading loading;
  memset(&loading, 0, sizeof loading);
  uint32_t loaded = 0;
  if (flz_kit_start(&loading, kit, sampler, loader, err) == FLZ_OK) {
    loading.hold = 0;
    while (flz_kit_poll(&loading, 100))
      ;
    loaded = loading.loaded;
  }
  flz_kit_stop(&loading);
  flz_loader_stop(loader);
  return loaded;
}

static int flz_kit_is_dir(const char *path)
{
  struct stat info;
  return stat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

int flz_kit_default_dir(char *out, size_t size)
{
  char exe[4096];
  ssize_t length = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (length <= 0)
    return FLZ_ERR_NOT_FOUND;
  exe[length] = '\0';
  char *slash = strrchr(exe, '/');
  if (slash == NULL)
    return FLZ_ERR_NOT_FOUND;
  slash[1] = '\0'; /* the executable's folder, ending with '/' */

  static const char *const candidates[] = {"kit/default", "../share/flitz/kits/default"};
  for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
    char path[4096 + 64];
    int n = snprintf(path, sizeof(path), "%s%s", exe, candidates[i]);
    if (n < 0 || (size_t)n >= sizeof(path) || !flz_kit_is_dir(path))
      continue;
    if ((size_t)n >= size)
      return FLZ_ERR_ARGUMENT;
    memcpy(out, path, (size_t)n + 1);
    return FLZ_OK;
  }
  return FLZ_ERR_NOT_FOUND;
}
