/* app/kitfmt/sf2.c: the SoundFont 2 reader (sf2.h). Section numbers are the
 * SoundFont 2.04 specification's. The file is walked chunk by chunk (RIFF
 * headers: 4-byte id, 32-bit little-endian size, data padded to even); the
 * pdta sub-chunks are read whole into memory and their records decoded where
 * they are used; sample data stays in the file. */
#include "app/kitfmt/sf2.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "engine/result.h"

/* A pdta list larger than this is refused (FluidR3_GM's is under 1 MiB). */
#define PDTA_MAX (64u << 20)

/* Generators (8.1.2) the reader uses. */
enum {
  GEN_START = 0,
  GEN_END = 1,
  GEN_LOOP_START = 2,
  GEN_LOOP_END = 3,
  GEN_START_COARSE = 4,
  GEN_END_COARSE = 12,
  GEN_PAN = 17,
  GEN_DELAY_VOL_ENV = 33,
  GEN_ATTACK_VOL_ENV = 34,
  GEN_HOLD_VOL_ENV = 35,
  GEN_DECAY_VOL_ENV = 36,
  GEN_SUSTAIN_VOL_ENV = 37,
  GEN_RELEASE_VOL_ENV = 38,
  GEN_KEYNUM_TO_HOLD = 39,
  GEN_KEYNUM_TO_DECAY = 40,
  GEN_INSTRUMENT = 41,
  GEN_KEY_RANGE = 43,
  GEN_VEL_RANGE = 44,
  GEN_LOOP_START_COARSE = 45,
  GEN_KEYNUM = 46,
  GEN_VELOCITY = 47,
  GEN_ATTENUATION = 48,
  GEN_LOOP_END_COARSE = 50,
  GEN_COARSE_TUNE = 51,
  GEN_FINE_TUNE = 52,
  GEN_SAMPLE_ID = 53,
  GEN_SAMPLE_MODES = 54,
  GEN_SCALE_TUNING = 56,
  GEN_EXCLUSIVE_CLASS = 57,
  GEN_ROOT_KEY = 58,
  GEN_COUNT = 61, /* 0..60, endOper */
};

/* The pdta sub-chunks in the order the spec lists them (7.1), each with
 * its record size. */
enum { PHDR, PBAG, PMOD, PGEN, INST, IBAG, IMOD, IGEN, SHDR, HYDRA_COUNT };
static const char hydra_ids[HYDRA_COUNT][5] = {"phdr", "pbag", "pmod", "pgen", "inst",
                                               "ibag", "imod", "igen", "shdr"};
static const uint32_t hydra_sizes[HYDRA_COUNT] = {38, 4, 10, 4, 22, 4, 10, 4, 46};

struct flz_sf2_hydra {
  uint8_t *data[HYDRA_COUNT];
  uint32_t count[HYDRA_COUNT]; /* records, terminal ones included */
};

static int fail(char *why, size_t why_size, const char *path, int result, const char *format, ...)
{
  char reason[200];
  va_list args;
  va_start(args, format);
  vsnprintf(reason, sizeof reason, format, args);
  va_end(args);
  snprintf(why, why_size, "%s: %s", path, reason);
  return result;
}

static uint16_t u16(const uint8_t *p)
{
  return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t u32(const uint8_t *p)
{
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static const uint8_t *record(const struct flz_sf2_hydra *hydra, int chunk, uint32_t index)
{
  return hydra->data[chunk] + (size_t)index * hydra_sizes[chunk];
}

static void copy_name(char *to, const uint8_t *from, size_t size)
{
  memcpy(to, from, size);
  to[size] = '\0';
}

static int read_at(FILE *file, uint64_t offset, void *to, size_t size)
{
  if (fseeko(file, (off_t)offset, SEEK_SET) != 0)
    return 0;
  return fread(to, 1, size, file) == size;
}

/* The list at [offset, end): calls `chunk` for each sub-chunk. */
typedef struct walker {
  flz_sf2 *sf2;
  char *why;
  size_t why_size;
  uint64_t smpl_size, sm24_size, sm24_offset;
  int has_ifil, has_pdta, has_smpl;
} walker;

static int bad(walker *w, int result, const char *format, ...)
{
  char reason[200];
  va_list args;
  va_start(args, format);
  vsnprintf(reason, sizeof reason, format, args);
  va_end(args);
  snprintf(w->why, w->why_size, "%s: %s", w->sf2->path, reason);
  return result;
}

static void read_text(walker *w, uint64_t offset, uint32_t size, char *to, size_t to_size)
{
  size_t n = size < to_size - 1 ? size : to_size - 1;
  if (!read_at(w->sf2->file, offset, to, n))
    n = 0;
  to[n] = '\0';
}

static int read_hydra(walker *w, uint64_t offset, uint64_t end)
{
  flz_sf2 *sf2 = w->sf2;
  struct flz_sf2_hydra *hydra = sf2->hydra;
  if (end - offset > PDTA_MAX)
    return bad(w, FLZ_ERR_CORRUPT, "pdta is larger than %u MiB", PDTA_MAX >> 20);
  while (end - offset >= 8) {
    uint8_t header[8];
    if (!read_at(sf2->file, offset, header, 8))
      return bad(w, FLZ_ERR_READ, "cannot be read");
    uint32_t size = u32(header + 4);
    if (size > end - offset - 8)
      return bad(w, FLZ_ERR_CORRUPT, "pdta: sub-chunk '%.4s' runs past its list", header);
    int chunk = -1;
    for (int i = 0; i < HYDRA_COUNT; i++)
      if (memcmp(header, hydra_ids[i], 4) == 0)
        chunk = i;
    if (chunk >= 0) {
      if (hydra->data[chunk] != NULL)
        return bad(w, FLZ_ERR_CORRUPT, "pdta: two '%s' sub-chunks", hydra_ids[chunk]);
      if (size % hydra_sizes[chunk] != 0)
        return bad(w, FLZ_ERR_CORRUPT, "pdta: '%s' is %u bytes, not a multiple of %u",
                   hydra_ids[chunk], size, hydra_sizes[chunk]);
      hydra->data[chunk] = malloc(size > 0 ? size : 1);
      if (hydra->data[chunk] == NULL)
        return bad(w, FLZ_ERR_NO_MEMORY, "out of memory");
      if (!read_at(sf2->file, offset + 8, hydra->data[chunk], size))
        return bad(w, FLZ_ERR_READ, "cannot be read");
      hydra->count[chunk] = size / hydra_sizes[chunk];
    }
    offset += 8 + (uint64_t)size + (size & 1);
  }
  return FLZ_OK;
}

static int read_list(walker *w, const uint8_t *type, uint64_t offset, uint64_t end)
{
  flz_sf2 *sf2 = w->sf2;
  if (memcmp(type, "pdta", 4) == 0) {
    if (w->has_pdta)
      return bad(w, FLZ_ERR_CORRUPT, "two pdta lists");
    w->has_pdta = 1;
    return read_hydra(w, offset, end);
  }
  int info = memcmp(type, "INFO", 4) == 0;
  int sdta = memcmp(type, "sdta", 4) == 0;
  while (end - offset >= 8) {
    uint8_t header[8];
    if (!read_at(sf2->file, offset, header, 8))
      return bad(w, FLZ_ERR_READ, "cannot be read");
    uint32_t size = u32(header + 4);
    if (size > end - offset - 8)
      return bad(w, FLZ_ERR_CORRUPT, "%.4s: sub-chunk '%.4s' runs past its list", type, header);
    uint64_t data = offset + 8;
    if (info && memcmp(header, "ifil", 4) == 0) {
      uint8_t version[4];
      if (size != 4 || !read_at(sf2->file, data, version, 4))
        return bad(w, FLZ_ERR_CORRUPT, "INFO: ifil is %u bytes, not 4", size);
      sf2->version_major = u16(version);
      sf2->version_minor = u16(version + 2);
      w->has_ifil = 1;
    } else if (info && memcmp(header, "INAM", 4) == 0) {
      read_text(w, data, size, sf2->name, sizeof sf2->name);
    } else if (info && memcmp(header, "isng", 4) == 0) {
      read_text(w, data, size, sf2->engine, sizeof sf2->engine);
    } else if (info && memcmp(header, "ICOP", 4) == 0) {
      read_text(w, data, size, sf2->copyright, sizeof sf2->copyright);
    } else if (sdta && memcmp(header, "smpl", 4) == 0) {
      sf2->smpl_offset = data;
      w->smpl_size = size;
      w->has_smpl = 1;
    } else if (sdta && memcmp(header, "sm24", 4) == 0) {
      w->sm24_offset = data;
      w->sm24_size = size;
    }
    offset = data + size + (size & 1);
  }
  return FLZ_OK;
}

/* Hydra structure (7.2-7.10): at least one record besides each terminal
 * one where the spec requires it, and every bag, generator and modulator
 * index inside its list and never going back. */
static int check_indices(walker *w, int headers, uint32_t bag_field, int bags, int mods, int gens)
{
  const struct flz_sf2_hydra *hydra = w->sf2->hydra;
  uint32_t count = hydra->count[headers];
  for (uint32_t i = 0; i < count; i++) {
    uint32_t bag = u16(record(hydra, headers, i) + bag_field);
    uint32_t next = i + 1 < count ? u16(record(hydra, headers, i + 1) + bag_field) : bag;
    if (bag >= hydra->count[bags] || next < bag)
      return bad(w, FLZ_ERR_CORRUPT, "pdta: %s %u points at %s %u (of %u records)",
                 hydra_ids[headers], i, hydra_ids[bags], bag, hydra->count[bags]);
  }
  uint32_t bag_count = hydra->count[bags];
  for (uint32_t i = 0; i < bag_count; i++) {
    const uint8_t *bag = record(hydra, bags, i);
    const uint8_t *next = i + 1 < bag_count ? record(hydra, bags, i + 1) : bag;
    if (u16(bag) > hydra->count[gens] || u16(next) < u16(bag))
      return bad(w, FLZ_ERR_CORRUPT, "pdta: %s %u points at %s %u (of %u records)", hydra_ids[bags],
                 i, hydra_ids[gens], u16(bag), hydra->count[gens]);
    if (u16(bag + 2) > hydra->count[mods] || u16(next + 2) < u16(bag + 2))
      return bad(w, FLZ_ERR_CORRUPT, "pdta: %s %u points at %s %u (of %u records)", hydra_ids[bags],
                 i, hydra_ids[mods], u16(bag + 2), hydra->count[mods]);
  }
  return FLZ_OK;
}

static int read_index(walker *w)
{
  flz_sf2 *sf2 = w->sf2;
  if (fseeko(sf2->file, 0, SEEK_END) != 0)
    return bad(w, FLZ_ERR_READ, "cannot be read");
  off_t file_size = ftello(sf2->file);
  uint8_t header[12];
  if (file_size < 12 || !read_at(sf2->file, 0, header, 12) || memcmp(header, "RIFF", 4) != 0 ||
      memcmp(header + 8, "sfbk", 4) != 0)
    return bad(w, FLZ_ERR_UNSUPPORTED, "not a SoundFont (no RIFF sfbk header)");
  uint64_t end = 8 + (uint64_t)u32(header + 4);
  if (end > (uint64_t)file_size)
    return bad(w, FLZ_ERR_CORRUPT, "truncated: RIFF says %llu bytes, the file has %lld",
               (unsigned long long)end, (long long)file_size);
  uint64_t offset = 12;
  while (end - offset >= 12) {
    uint8_t list[12];
    if (!read_at(sf2->file, offset, list, 12))
      return bad(w, FLZ_ERR_READ, "cannot be read");
    uint32_t size = u32(list + 4);
    if (size > end - offset - 8)
      return bad(w, FLZ_ERR_CORRUPT, "chunk '%.4s' runs past the file", list);
    if (memcmp(list, "LIST", 4) == 0 && size >= 4) {
      int result = read_list(w, list + 8, offset + 12, offset + 8 + size);
      if (result != FLZ_OK)
        return result;
    }
    offset += 8 + (uint64_t)size + (size & 1);
  }
  if (!w->has_ifil)
    return bad(w, FLZ_ERR_CORRUPT, "no ifil version in INFO");
  if (sf2->version_major != 2)
    return bad(w, FLZ_ERR_UNSUPPORTED, "SoundFont version %u.%02u, not 2 (SF3 is not read)",
               sf2->version_major, sf2->version_minor);
  if (!w->has_smpl)
    return bad(w, FLZ_ERR_CORRUPT, "no smpl sample data");
  if (w->smpl_size / 2 > UINT32_MAX)
    return bad(w, FLZ_ERR_CORRUPT, "smpl is too large");
  sf2->frames = (uint32_t)(w->smpl_size / 2);
  /* 7.0 and 6.1: sm24 counts from 2.04, and only when it holds a byte for
   * every sample point; otherwise it is ignored. */
  if (w->sm24_offset != 0 && sf2->version_minor >= 4 && w->sm24_size >= sf2->frames)
    sf2->sm24_offset = w->sm24_offset;
  if (!w->has_pdta)
    return bad(w, FLZ_ERR_CORRUPT, "no pdta list");
  const struct flz_sf2_hydra *hydra = sf2->hydra;
  for (int i = 0; i < HYDRA_COUNT; i++) {
    uint32_t least = i == PHDR || i == INST ? 2 : 1;
    if (hydra->count[i] < least)
      return bad(w, FLZ_ERR_CORRUPT, "pdta: '%s' has %u records, fewer than %u", hydra_ids[i],
                 hydra->count[i], least);
  }
  int result = check_indices(w, PHDR, 24, PBAG, PMOD, PGEN);
  if (result == FLZ_OK)
    result = check_indices(w, INST, 20, IBAG, IMOD, IGEN);
  if (result != FLZ_OK)
    return result;
  sf2->preset_count = hydra->count[PHDR] - 1;
  sf2->presets = calloc(sf2->preset_count, sizeof *sf2->presets);
  if (sf2->presets == NULL)
    return bad(w, FLZ_ERR_NO_MEMORY, "out of memory");
  for (uint32_t i = 0; i < sf2->preset_count; i++) {
    const uint8_t *phdr = record(hydra, PHDR, i);
    copy_name(sf2->presets[i].name, phdr, 20);
    sf2->presets[i].program = u16(phdr + 20);
    sf2->presets[i].bank = u16(phdr + 22);
  }
  return FLZ_OK;
}

int flz_sf2_open_file(FILE *file, const char *path, flz_sf2 *sf2, char *why, size_t why_size)
{
  *sf2 = (flz_sf2){.file = file};
  snprintf(sf2->path, sizeof sf2->path, "%s", path);
  sf2->hydra = calloc(1, sizeof *sf2->hydra);
  walker w = {.sf2 = sf2, .why = why, .why_size = why_size};
  int result = sf2->hydra == NULL ? bad(&w, FLZ_ERR_NO_MEMORY, "out of memory") : read_index(&w);
  if (result != FLZ_OK)
    flz_sf2_close(sf2);
  return result;
}

int flz_sf2_open(const char *path, flz_sf2 *sf2, char *why, size_t why_size)
{
  *sf2 = (flz_sf2){0};
  FILE *file = fopen(path, "rb");
  if (file == NULL)
    return fail(why, why_size, path, errno == ENOENT ? FLZ_ERR_NOT_FOUND : FLZ_ERR_READ, "%s",
                strerror(errno));
  return flz_sf2_open_file(file, path, sf2, why, why_size);
}

void flz_sf2_close(flz_sf2 *sf2)
{
  if (sf2->file != NULL)
    fclose(sf2->file);
  if (sf2->hydra != NULL)
    for (int i = 0; i < HYDRA_COUNT; i++)
      free(sf2->hydra->data[i]);
  free(sf2->hydra);
  free(sf2->presets);
  *sf2 = (flz_sf2){0};
}

int32_t flz_sf2_find_preset(const flz_sf2 *sf2, uint16_t bank, uint16_t program)
{
  for (uint32_t i = 0; i < sf2->preset_count; i++)
    if (sf2->presets[i].bank == bank && sf2->presets[i].program == program)
      return (int32_t)i;
  return -1;
}

/* The generators one zone sets (and, for a local zone, on top of its global
 * zone's). */
typedef struct gens {
  int16_t value[GEN_COUNT];
  uint8_t set[GEN_COUNT];
} gens;

/* Reads the generators of bag `bag` into `g` over what it holds. Stops
 * after the zone's last generator, `terminal` (instrument or sampleID),
 * as 9.4 says generators after it are ignored. Returns 1 when the zone
 * has the terminal generator. */
static int read_gens(const struct flz_sf2_hydra *hydra, int bags, int gen_list, uint32_t bag,
                     int terminal, gens *g)
{
  uint32_t first = u16(record(hydra, bags, bag));
  uint32_t last = u16(record(hydra, bags, bag + 1));
  for (uint32_t i = first; i < last; i++) {
    const uint8_t *gen = record(hydra, gen_list, i);
    uint16_t oper = u16(gen);
    if (oper >= GEN_COUNT)
      continue;
    g->value[oper] = (int16_t)u16(gen + 2);
    g->set[oper] = 1;
    if (oper == terminal)
      return 1;
  }
  return 0;
}

static int clamp(int value, int low, int high)
{
  return value < low ? low : value > high ? high : value;
}

/* A generator's value at instrument level (local over global over the
 * default) plus, where the spec allows, the preset's (local over global). */
static int sum(const gens *instrument, const gens *preset, int oper, int fallback)
{
  int value = instrument->set[oper] ? instrument->value[oper] : fallback;
  if (preset->set[oper])
    value += preset->value[oper];
  return value;
}

static float seconds(int timecents, int high)
{
  return exp2f((float)clamp(timecents, -12000, high) / 1200.0f);
}

/* Ranges intersect; the byte pair of generator 43 or 44 (lo, hi) where set. */
static int narrow(const gens *g, int oper, uint8_t *lo, uint8_t *hi)
{
  if (!g->set[oper])
    return 1;
  uint16_t range = (uint16_t)g->value[oper];
  uint8_t low = (uint8_t)(range & 0xff), high = (uint8_t)(range >> 8);
  if (low > *lo)
    *lo = low;
  if (high < *hi)
    *hi = high;
  return *lo <= *hi;
}

typedef struct resolver {
  const flz_sf2 *sf2;
  flz_sf2_zone *zones;
  uint32_t count, capacity, visits;
  char *why;
  size_t why_size;
} resolver;

static int make_zone(resolver *r, const gens *instrument, const gens *preset, uint32_t preset_index,
                     uint32_t instrument_index)
{
  const flz_sf2 *sf2 = r->sf2;
  const struct flz_sf2_hydra *hydra = sf2->hydra;
  uint8_t lokey = 0, hikey = 127, lovel = 0, hivel = 127;
  if (!narrow(instrument, GEN_KEY_RANGE, &lokey, &hikey) ||
      !narrow(preset, GEN_KEY_RANGE, &lokey, &hikey) ||
      !narrow(instrument, GEN_VEL_RANGE, &lovel, &hivel) ||
      !narrow(preset, GEN_VEL_RANGE, &lovel, &hivel))
    return FLZ_OK;
  uint32_t sample = (uint16_t)instrument->value[GEN_SAMPLE_ID];
  if (sample >= hydra->count[SHDR] - 1)
    return fail(r->why, r->why_size, sf2->path, FLZ_ERR_CORRUPT,
                "instrument %u points at sample %u (of %u)", instrument_index, sample,
                hydra->count[SHDR] - 1);
  const uint8_t *shdr = record(hydra, SHDR, sample);
  uint16_t type = u16(shdr + 44);
  if (type & FLZ_SF2_ROM)
    return FLZ_OK;
  if (r->count == FLZ_SF2_ZONES_MAX)
    return fail(r->why, r->why_size, sf2->path, FLZ_ERR_CORRUPT, "preset %u has more than %u zones",
                preset_index, FLZ_SF2_ZONES_MAX);
  if (r->count == r->capacity) {
    uint32_t capacity = r->capacity == 0 ? 64 : r->capacity * 2;
    flz_sf2_zone *grown = realloc(r->zones, capacity * sizeof *grown);
    if (grown == NULL)
      return fail(r->why, r->why_size, sf2->path, FLZ_ERR_NO_MEMORY, "out of memory");
    r->zones = grown;
    r->capacity = capacity;
  }
  /* Address offsets are instrument-level only (8.5): the preset's are not
   * added. */
  static const gens none;
  const gens *i = instrument;
  int64_t start = (int64_t)u32(shdr + 20) + sum(i, &none, GEN_START, 0) +
                  32768 * (int64_t)sum(i, &none, GEN_START_COARSE, 0);
  int64_t end = (int64_t)u32(shdr + 24) + sum(i, &none, GEN_END, 0) +
                32768 * (int64_t)sum(i, &none, GEN_END_COARSE, 0);
  int64_t loop_start = (int64_t)u32(shdr + 28) + sum(i, &none, GEN_LOOP_START, 0) +
                       32768 * (int64_t)sum(i, &none, GEN_LOOP_START_COARSE, 0);
  int64_t loop_end = (int64_t)u32(shdr + 32) + sum(i, &none, GEN_LOOP_END, 0) +
                     32768 * (int64_t)sum(i, &none, GEN_LOOP_END_COARSE, 0);
  char name[21];
  copy_name(name, shdr, 20);
  if (start < 0 || end > sf2->frames || start >= end)
    return fail(r->why, r->why_size, sf2->path, FLZ_ERR_CORRUPT,
                "sample %u '%s' spans %lld..%lld, outside the %u sample points of smpl", sample,
                name, (long long)start, (long long)end, sf2->frames);
  loop_start = loop_start < start ? start : loop_start > end ? end : loop_start;
  loop_end = loop_end < loop_start ? loop_start : loop_end > end ? end : loop_end;
  int mode = sum(i, &none, GEN_SAMPLE_MODES, 0) & 3;
  flz_sf2_zone *zone = &r->zones[r->count++];
  uint8_t pitch = shdr[40];
  int root = sum(i, &none, GEN_ROOT_KEY, -1);
  *zone = (flz_sf2_zone){
    .lokey = lokey,
    .hikey = hikey,
    .lovel = lovel,
    .hivel = hivel,
    .sample = sample,
    .start = (uint32_t)start,
    .end = (uint32_t)end,
    .loop_start = (uint32_t)loop_start,
    .loop_end = (uint32_t)loop_end,
    .sample_rate = u32(shdr + 36),
    .sample_type = type,
    .sample_link = u16(shdr + 42),
    .root_key = (uint8_t)(root >= 0 && root <= 127 ? root
                          : pitch <= 127           ? pitch
                                                   : 60),
    .pitch_correction = (int8_t)shdr[41],
    .coarse_tune = (int16_t)clamp(sum(i, preset, GEN_COARSE_TUNE, 0), -120, 120),
    .fine_tune = (int16_t)clamp(sum(i, preset, GEN_FINE_TUNE, 0), -99, 99),
    .scale_tuning = (int16_t)clamp(sum(i, preset, GEN_SCALE_TUNING, 100), 0, 1200),
    .keynum = (int8_t)clamp(sum(i, &none, GEN_KEYNUM, -1), -1, 127),
    .velocity = (int8_t)clamp(sum(i, &none, GEN_VELOCITY, -1), -1, 127),
    .attenuation = (int16_t)clamp(sum(i, preset, GEN_ATTENUATION, 0), 0, 1440),
    .pan = (int16_t)clamp(sum(i, preset, GEN_PAN, 0), -500, 500),
    .delay = seconds(sum(i, preset, GEN_DELAY_VOL_ENV, -12000), 5000),
    .attack = seconds(sum(i, preset, GEN_ATTACK_VOL_ENV, -12000), 8000),
    .hold = seconds(sum(i, preset, GEN_HOLD_VOL_ENV, -12000), 5000),
    .decay = seconds(sum(i, preset, GEN_DECAY_VOL_ENV, -12000), 8000),
    .release = seconds(sum(i, preset, GEN_RELEASE_VOL_ENV, -12000), 8000),
    .sustain = (int16_t)clamp(sum(i, preset, GEN_SUSTAIN_VOL_ENV, 0), 0, 1440),
    .keynum_to_hold = (int16_t)clamp(sum(i, preset, GEN_KEYNUM_TO_HOLD, 0), -1200, 1200),
    .keynum_to_decay = (int16_t)clamp(sum(i, preset, GEN_KEYNUM_TO_DECAY, 0), -1200, 1200),
    .exclusive_class = (uint16_t)clamp(sum(i, &none, GEN_EXCLUSIVE_CLASS, 0), 0, 127),
    .sample_mode = mode == 2 ? FLZ_SF2_NO_LOOP : (flz_sf2_sample_mode)mode,
  };
  memcpy(zone->sample_name, name, sizeof name);
  if (zone->sample_mode != FLZ_SF2_NO_LOOP && zone->loop_start >= zone->loop_end)
    zone->sample_mode = FLZ_SF2_NO_LOOP;
  return FLZ_OK;
}

/* The zones of instrument `index` under one preset zone's generators. */
static int instrument_zones(resolver *r, uint32_t index, const gens *preset, uint32_t preset_index)
{
  const struct flz_sf2_hydra *hydra = r->sf2->hydra;
  if (index >= hydra->count[INST] - 1)
    return fail(r->why, r->why_size, r->sf2->path, FLZ_ERR_CORRUPT,
                "preset %u points at instrument %u (of %u)", preset_index, index,
                hydra->count[INST] - 1);
  uint32_t first = u16(record(hydra, INST, index) + 20);
  uint32_t last = u16(record(hydra, INST, index + 1) + 20);
  gens global = {0};
  for (uint32_t bag = first; bag < last; bag++) {
    if (++r->visits > FLZ_SF2_VISITS_MAX)
      return fail(r->why, r->why_size, r->sf2->path, FLZ_ERR_CORRUPT,
                  "preset %u visits more than %u instrument zones", preset_index,
                  FLZ_SF2_VISITS_MAX);
    gens local = global;
    if (!read_gens(hydra, IBAG, IGEN, bag, GEN_SAMPLE_ID, &local)) {
      /* 7.9: a first zone without sampleID is the global zone; any other
       * such zone is ignored. */
      if (bag == first)
        global = local;
      continue;
    }
    int result = make_zone(r, &local, preset, preset_index, index);
    if (result != FLZ_OK)
      return result;
  }
  return FLZ_OK;
}

int flz_sf2_zones(const flz_sf2 *sf2, uint32_t preset, flz_sf2_zone **zones, uint32_t *count,
                  char *why, size_t why_size)
{
  *zones = NULL;
  *count = 0;
  if (preset >= sf2->preset_count)
    return fail(why, why_size, sf2->path, FLZ_ERR_ARGUMENT, "no preset %u (it has %u)", preset,
                sf2->preset_count);
  const struct flz_sf2_hydra *hydra = sf2->hydra;
  resolver r = {.sf2 = sf2, .why = why, .why_size = why_size};
  uint32_t first = u16(record(hydra, PHDR, preset) + 24);
  uint32_t last = u16(record(hydra, PHDR, preset + 1) + 24);
  gens global = {0};
  int result = FLZ_OK;
  for (uint32_t bag = first; bag < last && result == FLZ_OK; bag++) {
    gens local = global;
    if (!read_gens(hydra, PBAG, PGEN, bag, GEN_INSTRUMENT, &local)) {
      if (bag == first)
        global = local;
      continue;
    }
    result = instrument_zones(&r, (uint16_t)local.value[GEN_INSTRUMENT], &local, preset);
  }
  if (result != FLZ_OK) {
    free(r.zones);
    return result;
  }
  *zones = r.zones;
  *count = r.count;
  return FLZ_OK;
}

int flz_sf2_read_int16(flz_sf2 *sf2, uint32_t first, uint32_t count, int16_t *out, uint8_t *low,
                       char *why, size_t why_size)
{
  if (first > sf2->frames || count > sf2->frames - first)
    return fail(why, why_size, sf2->path, FLZ_ERR_ARGUMENT,
                "sample points %u..%llu pass the end of smpl (%u)", first,
                (unsigned long long)first + count, sf2->frames);
  uint8_t *bytes = (uint8_t *)out;
  if (!read_at(sf2->file, sf2->smpl_offset + 2 * (uint64_t)first, bytes, 2 * (size_t)count))
    return fail(why, why_size, sf2->path, FLZ_ERR_READ, "cannot be read");
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
  for (uint32_t i = 0; i < count; i++)
    out[i] = (int16_t)u16(bytes + 2 * (size_t)i);
#endif
  if (low != NULL) {
    if (sf2->sm24_offset == 0)
      memset(low, 0, count);
    else if (!read_at(sf2->file, sf2->sm24_offset + first, low, count))
      return fail(why, why_size, sf2->path, FLZ_ERR_READ, "cannot be read");
  }
  return FLZ_OK;
}

/* Points a piece of flz_sf2_read_pcm reads: its buffers (48 KiB) stay in
 * the cache between the read and the widening. */
#define FLZ_SF2_PIECE 16384u

int flz_sf2_read_pcm(FILE *file, uint64_t offset, uint64_t low_offset, uint32_t frames, float *out)
{
  /* A piece at a time into buffers that stay in the cache, then widened in
   * loops the compiler vectorizes (the scale, a power of 2, is exact). */
  uint8_t points[2 * FLZ_SF2_PIECE], low[FLZ_SF2_PIECE];
  for (uint32_t done = 0; done < frames;) {
    uint32_t piece = frames - done < FLZ_SF2_PIECE ? frames - done : FLZ_SF2_PIECE;
    if (!read_at(file, offset + 2 * (uint64_t)done, points, 2 * (size_t)piece) ||
        (low_offset != 0 && !read_at(file, low_offset + done, low, piece)))
      return FLZ_ERR_READ;
    float *to = out + done;
    if (low_offset != 0)
      for (uint32_t i = 0; i < piece; i++)
        to[i] = (float)((int32_t)(int16_t)(uint16_t)(points[2 * i] | points[2 * i + 1] << 8) * 256 +
                        low[i]) *
                (1.0f / 8388608.0f);
    else
      for (uint32_t i = 0; i < piece; i++)
        to[i] = (float)(int16_t)(uint16_t)(points[2 * i] | points[2 * i + 1] << 8) *
                (1.0f / 32768.0f);
    done += piece;
  }
  return FLZ_OK;
}

int flz_sf2_read_float(flz_sf2 *sf2, uint32_t first, uint32_t count, float *out, char *why,
                       size_t why_size)
{
  if (first > sf2->frames || count > sf2->frames - first)
    return fail(why, why_size, sf2->path, FLZ_ERR_ARGUMENT,
                "sample points %u..%llu pass the end of smpl (%u)", first,
                (unsigned long long)first + count, sf2->frames);
  if (flz_sf2_read_pcm(sf2->file, sf2->smpl_offset + 2 * (uint64_t)first,
                       sf2->sm24_offset != 0 ? sf2->sm24_offset + first : 0, count, out) != FLZ_OK)
    return fail(why, why_size, sf2->path, FLZ_ERR_READ, "cannot be read");
  return FLZ_OK;
}
