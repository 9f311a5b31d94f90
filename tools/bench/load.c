/* tools/bench/load.c: `flitz bench --load DIR` (tools/bench/load.h).
 *
 * Owns: finding the benchmark's files and timing their decode. Decoding is
 * platform/decode.c's, the threads platform/loader.c's. Must not touch SDL or
 * the sampler.
 */
#include "tools/bench/load.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/kit.h"
#include "app/kitformat.h"
#include "engine/limits.h"
#include "engine/result.h"
#include "platform/clock.h"
#include "platform/decode.h"
#include "platform/loader.h"

/* Files per format at most: an SFZ kit's regions, FLZ_REGIONS. */
#define FLZ_BENCH_LOAD_FILES FLZ_REGIONS

typedef struct flz_bench_load_set {
  const char *name;
  char *paths[FLZ_BENCH_LOAD_FILES];
  uint32_t count;
} flz_bench_load_set;

static void flz_bench_load_add(flz_bench_load_set sets[3], const char *path)
{
  flz_decode_format format = flz_decode_format_of(path);
  flz_bench_load_set *set = format == FLZ_DECODE_OGG    ? &sets[0]
                            : format == FLZ_DECODE_FLAC ? &sets[1]
                                                        : &sets[2];
  if (set->count < FLZ_BENCH_LOAD_FILES) {
    set->paths[set->count] = strdup(path);
    if (set->paths[set->count] != NULL)
      set->count++;
  }
}

/* Adds the audio files of `dir`, and of its subfolders while `depth` > 0. */
static int flz_bench_load_scan(flz_bench_load_set sets[3], const char *dir, int depth)
{
  DIR *folder = opendir(dir);
  if (folder == NULL)
    return FLZ_ERR_READ;
  struct dirent *entry;
  while ((entry = readdir(folder)) != NULL) {
    if (entry->d_name[0] == '.')
      continue;
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, entry->d_name) >= (int)sizeof path)
      continue;
    struct stat info;
    if (stat(path, &info) != 0)
      continue;
    if (S_ISDIR(info.st_mode) && depth > 0)
      (void)flz_bench_load_scan(sets, path, depth - 1);
    else if (S_ISREG(info.st_mode) && flz_decode_is_audio_name(path))
      flz_bench_load_add(sets, path);
  }
  closedir(folder);
  return FLZ_OK;
}

static void flz_bench_load_print(FILE *out, const char *format, uint32_t threads, uint32_t files,
                                 uint64_t frames, uint64_t ns)
{
  double audio = (double)frames / FLZ_DEFAULT_RATE;
  double wall = (double)ns / 1e9;
  fprintf(out,
          "{\"bench\":\"load\",\"format\":\"%s\",\"threads\":%u,\"files\":%u,"
          "\"audio_seconds\":%.3f,\"wall_seconds\":%.6f,\"x_realtime\":%.1f}\n",
          format, (unsigned)threads, (unsigned)files, audio, wall, wall > 0.0 ? audio / wall : 0.0);
  fflush(out);
}

static void flz_bench_load_error(const char *path, int result, const char *detail)
{
  fprintf(stderr, "error: %s: %s%s%s%s\n", path, flz_result_message(result), detail[0] ? " (" : "",
          detail, detail[0] ? ")" : "");
}

/* Copies a decoded sample into `arena` (grown as needed), as a kit load
 * copies it into the sample pool. */
static void flz_bench_load_copy(unsigned char **arena, size_t *size, size_t *used,
                                const flz_decoded *decoded)
{
  size_t bytes = (size_t)decoded->frame_count * decoded->channels * sizeof(float);
  if (*used + bytes > *size) {
    size_t grown = (*used + bytes) * 2;
    unsigned char *bigger = realloc(*arena, grown);
    if (bigger == NULL)
      return;
    *arena = bigger;
    *size = grown;
  }
  memcpy(*arena + *used, decoded->data, bytes);
  *used += bytes;
}

static void flz_bench_load_one_thread(const flz_bench_load_set *set, FILE *out)
{
  unsigned char *arena = NULL;
  size_t size = 0, used = 0;
  uint64_t frames = 0;
  uint32_t files = 0;
  uint64_t start = flz_clock_now_ns();
  for (uint32_t i = 0; i < set->count; i++) {
    flz_decoded decoded;
    char detail[256];
    int result = flz_decode_file(set->paths[i], FLZ_DEFAULT_RATE, &decoded, NULL, detail,
                                 sizeof detail);
    if (result != FLZ_OK) {
      flz_bench_load_error(set->paths[i], result, detail);
      continue;
    }
    flz_bench_load_copy(&arena, &size, &used, &decoded);
    frames += decoded.frame_count;
    files++;
    flz_decode_free(&decoded);
  }
  uint64_t ns = flz_clock_now_ns() - start;
  free(arena);
  flz_bench_load_print(out, set->name, 1, files, frames, ns);
}

static void flz_bench_load_pool(const flz_bench_load_set *set, flz_loader *loader, FILE *out)
{
  unsigned char *arena = NULL;
  size_t size = 0, used = 0;
  uint64_t frames = 0;
  uint32_t files = 0;
  uint64_t start = flz_clock_now_ns();
  (void)flz_loader_new_generation(loader);
  for (uint32_t i = 0; i < set->count; i++)
    (void)flz_loader_submit(loader, FLZ_LOADER_DECODE, i, set->paths[i], FLZ_DEFAULT_RATE);
  flz_loader_report report;
  while (flz_loader_pending(loader) > 0) {
    if (!flz_loader_wait(loader, &report, 1000))
      continue;
    if (report.type != FLZ_LOADER_DECODED)
      continue;
    if (report.result != FLZ_OK) {
      flz_bench_load_error(set->paths[report.tag], report.result, report.detail);
      continue;
    }
    flz_bench_load_copy(&arena, &size, &used, &report.decoded);
    frames += report.decoded.frame_count;
    files++;
    flz_decode_free(&report.decoded);
  }
  uint64_t ns = flz_clock_now_ns() - start;
  free(arena);
  flz_bench_load_print(out, set->name, flz_loader_threads(loader), files, frames, ns);
}

/* Reads all of `path` in 1 MiB blocks and drops them, as `cat FILE >
 * /dev/null` does; `cold`: its pages dropped from the page cache first
 * (posix_fadvise POSIX_FADV_DONTNEED, which lets clean pages go), so it
 * comes from the disk. Returns the nanoseconds the read took, its bytes in
 * *bytes; 0 when it cannot be read. */
static uint64_t flz_bench_load_read_file(const char *path, int cold, uint64_t *bytes)
{
  static unsigned char block[1u << 20];
  *bytes = 0;
  if (cold) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      (void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
      close(fd);
    }
  }
  uint64_t start = flz_clock_now_ns();
  FILE *file = fopen(path, "rb");
  if (file == NULL)
    return 0;
  size_t got;
  while ((got = fread(block, 1, sizeof block, file)) > 0)
    *bytes += got;
  fclose(file);
  return flz_clock_now_ns() - start;
}

/* The bytes of the points inside banks that `regions` play, each distinct
 * sample once (0 for a kit of whole files, whose decoded size is not known
 * before the decode). */
static size_t flz_bench_load_points_bytes(const flz_kit_regions *regions, const uint32_t *order)
{
  size_t bytes = 0;
  for (uint32_t i = 0; i < regions->count; i++) {
    const flz_kit_region *kr = &regions->regions[order[i]];
    if (i == 0 || !flz_kit_region_same_sample(kr, &regions->regions[order[i - 1]]))
      bytes += (size_t)kr->data_frames * sizeof(float);
  }
  return bytes;
}

/* Decodes every distinct sample of `regions` (`order`: by sample) at
 * `rate` (0: their own) with one flz_kit_reader and copies it into
 * *arena (*size bytes, grown as needed), as flz_kit_regions_load does into
 * the pool. Returns the nanoseconds it took; samples and frames decoded in
 * *samples and *frames. */
static uint64_t flz_bench_load_samples(const flz_kit_regions *regions, const uint32_t *order,
                                       uint32_t rate, unsigned char **arena, size_t *size,
                                       uint32_t *samples, uint64_t *frames)
{
  size_t used = 0;
  *samples = 0;
  *frames = 0;
  uint64_t start = flz_clock_now_ns();
  flz_kit_reader reader = {0};
  for (uint32_t first = 0, last; first < regions->count; first = last) {
    const flz_kit_region *kr = &regions->regions[order[first]];
    last = first + 1;
    while (last < regions->count && flz_kit_region_same_sample(kr, &regions->regions[order[last]]))
      last++;
    if (kr->path == NULL)
      continue;
    flz_decoded decoded;
    char detail[256] = "";
    int result = flz_kit_reader_decode(&reader, kr, rate, &decoded, NULL, detail, sizeof detail);
    if (result != FLZ_OK) {
      flz_bench_load_error(kr->path, result, detail);
      continue;
    }
    flz_bench_load_copy(arena, size, &used, &decoded);
    *frames += decoded.frame_count;
    (*samples)++;
  }
  flz_kit_reader_deinit(&reader);
  return flz_clock_now_ns() - start;
}

/* `flitz bench --load` on a multi-sample kit file (SF2 bank, Hydrogen kit):
 * the read of its files (from the disk, then again from the page cache),
 * its opening into regions, and its samples' decode. */
static int flz_bench_load_kit(const char *path, const flz_kit_preset *preset, const char *format,
                              FILE *out)
{
  flz_kit kit;
  uint64_t start = flz_clock_now_ns();
  int result = flz_kit_open_preset(path, preset, &kit, stderr);
  if (result != FLZ_OK) {
    if (result != FLZ_ERR_SYNTAX)
      flz_kit_error(path, result, stderr);
    return 1;
  }
  uint64_t open_ns = flz_clock_now_ns() - start;
  /* The files the samples lie in, each read once from the disk and once
   * more from the page cache: the bank, or the kit's sample files. */
  const flz_kit_regions *regions = kit.regions;
  uint64_t bytes = 0, read_ns = 0, warm_ns = 0;
  for (uint32_t i = 0; i < regions->count; i++) {
    const char *file = regions->regions[i].path;
    uint32_t j = 0;
    while (file != NULL && j < i &&
           (regions->regions[j].path == NULL || strcmp(regions->regions[j].path, file) != 0))
      j++;
    if (file == NULL || j < i)
      continue;
    uint64_t file_bytes = 0;
    read_ns += flz_bench_load_read_file(file, 1, &file_bytes);
    warm_ns += flz_bench_load_read_file(file, 0, &file_bytes);
    bytes += file_bytes;
  }
  fprintf(out,
          "{\"bench\":\"load\",\"format\":\"file-read\",\"bytes\":%llu,\"wall_seconds\":%.6f,"
          "\"mb_per_second\":%.1f,\"warm_wall_seconds\":%.6f}\n",
          (unsigned long long)bytes, (double)read_ns / 1e9,
          read_ns > 0 ? (double)bytes / 1e6 / ((double)read_ns / 1e9) : 0.0, (double)warm_ns / 1e9);
  fprintf(out, "{\"bench\":\"load\",\"format\":\"%s-open\",\"regions\":%u,\"wall_seconds\":%.6f}\n",
          format, (unsigned)regions->count, (double)open_ns / 1e9);
  /* The arena stands for the sample pool: one block, its pages touched
   * once before the decodes (a fresh pool's first load pays that touch,
   * printed as pool_touch_seconds; later loads reuse its pages). */
  uint32_t *order = flz_kit_regions_by_sample(regions);
  size_t size = order != NULL ? flz_bench_load_points_bytes(regions, order) : 0;
  unsigned char *arena = malloc(size > 0 ? size : 1);
  if (order == NULL || arena == NULL) {
    free(order);
    free(arena);
    flz_kit_deinit(&kit);
    fprintf(stderr, "error: %s: %s\n", path, flz_result_message(FLZ_ERR_NO_MEMORY));
    return 1;
  }
  start = flz_clock_now_ns();
  memset(arena, 0, size);
  uint64_t touch_ns = flz_clock_now_ns() - start;
  static const uint32_t rates[2] = {FLZ_DEFAULT_RATE, 0};
  for (int r = 0; r < 2; r++) {
    uint32_t samples;
    uint64_t frames;
    uint64_t ns = flz_bench_load_samples(regions, order, rates[r], &arena, &size, &samples,
                                         &frames);
    double wall = (double)(open_ns + ns) / 1e9;
    fprintf(out,
            "{\"bench\":\"load\",\"format\":\"%s\",\"rate\":%u,\"samples\":%u,"
            "\"frames\":%llu,\"decode_seconds\":%.6f,\"wall_seconds\":%.6f,"
            "\"file_read_seconds\":%.6f,\"x_file_read\":%.2f,\"x_warm_read\":%.2f,"
            "\"pool_touch_seconds\":%.6f}\n",
            format, (unsigned)rates[r], (unsigned)samples, (unsigned long long)frames,
            (double)ns / 1e9, wall, (double)read_ns / 1e9,
            wall > 0.0 ? (double)read_ns / 1e9 / wall : 0.0,
            wall > 0.0 ? (double)warm_ns / 1e9 / wall : 0.0, (double)touch_ns / 1e9);
  }
  free(arena);
  free(order);
  flz_kit_deinit(&kit);
  return 0;
}

int flz_bench_load_main(const char *dir, const flz_kit_preset *preset, FILE *out)
{
  const flz_kit_format *format = flz_kit_format_of(dir);
  unsigned flags = format != NULL ? format->flags : FLZ_KIT_FORMAT_FOLDER;
  if ((flags & (FLZ_KIT_FORMAT_FOLDER | FLZ_KIT_FORMAT_BENCH_FILES)) == 0)
    return flz_bench_load_kit(dir, preset, format->name, out);
  static flz_bench_load_set sets[3];
  memset(sets, 0, sizeof sets);
  sets[0].name = "ogg";
  sets[1].name = "flac";
  sets[2].name = "wav";
  if (flags & FLZ_KIT_FORMAT_BENCH_FILES) {
    /* A kit file of whole audio files: its reading, then its regions'
     * files as one set. */
    flz_kit kit;
    uint64_t start = flz_clock_now_ns();
    int result = format->load(dir, preset, &kit, stderr);
    if (result != FLZ_OK) {
      if (result != FLZ_ERR_SYNTAX)
        fprintf(stderr, "error: %s: %s\n", dir, flz_result_message(result));
      return 1;
    }
    const flz_kit_regions *regions = kit.regions;
    fprintf(out,
            "{\"bench\":\"load\",\"format\":\"%s-read\",\"regions\":%u,\"wall_seconds\":%.6f}\n",
            format->name, (unsigned)regions->count, (double)(flz_clock_now_ns() - start) / 1e9);
    sets[2].name = format->name;
    for (uint32_t r = 0; r < regions->count; r++)
      if (regions->regions[r].path != NULL &&
          (sets[2].paths[sets[2].count] = strdup(regions->regions[r].path)) != NULL)
        sets[2].count++;
    flz_kit_deinit(&kit);
  } else if (flz_bench_load_scan(sets, dir, 1) != FLZ_OK) {
    fprintf(stderr, "error: %s: %s\n", dir, flz_result_message(FLZ_ERR_READ));
    return 1;
  }
  if (sets[0].count + sets[1].count + sets[2].count == 0) {
    fprintf(stderr, "error: %s: %s\n", dir, flz_result_message(FLZ_ERR_EMPTY_KIT));
    return 1;
  }
  flz_loader *loader = NULL;
  int code = flz_loader_start(0, &loader) == FLZ_OK ? 0 : 1;
  for (int i = 0; i < 3 && code == 0; i++) {
    if (sets[i].count == 0)
      continue;
    flz_bench_load_one_thread(&sets[i], out);
    flz_bench_load_pool(&sets[i], loader, out);
  }
  flz_loader_stop(loader);
  for (int i = 0; i < 3; i++)
    for (uint32_t j = 0; j < sets[i].count; j++)
      free(sets[i].paths[j]);
  return code;
}
