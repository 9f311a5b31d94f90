/* tests/app/test_kitfmt_sf2.c: the SoundFont 2 reader (app/kitfmt/sf2.h) on
 * the real banks of Debian's fluid-soundfont-gm and avldrums.lv2-soundfont
 * (tools/setup test installs them under FLZ_SF2_DIR), and on small banks
 * built here byte by byte: the spec's global zones, override and addition
 * rules, range intersection, 24-bit samples, and hostile structures.
 * The real banks' expected values were read with a separate python3 struct
 * reader and resolver (not this code): sums over every zone of a preset,
 * some zones field by field, and sample points.
 * Owns: only its temporary files under /tmp. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/kitfmt/sf2.h"
#include "engine/result.h"

static char why[512];

static void open_bank(const char *name, flz_sf2 *sf2)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", FLZ_SF2_DIR, name);
  if (flz_sf2_open(path, sf2, why, sizeof why) != FLZ_OK)
    fail_msg("%s", why);
}

static void resolve(const flz_sf2 *sf2, uint16_t bank, uint16_t program, flz_sf2_zone **zones,
                    uint32_t *count)
{
  int32_t preset = flz_sf2_find_preset(sf2, bank, program);
  assert_true(preset >= 0);
  if (flz_sf2_zones(sf2, (uint32_t)preset, zones, count, why, sizeof why) != FLZ_OK)
    fail_msg("%s", why);
}

/* Sums over every zone, as the python reader printed them. */
typedef struct sums {
  uint32_t count;
  long long lokey, hivel, start, end, loop_start, loop_end, attenuation, pan, exclusive, mode, root,
    sustain, fine;
  double release;
} sums;

static void assert_sums(const flz_sf2_zone *zones, uint32_t count, const sums *want)
{
  sums got = {.count = count};
  for (uint32_t i = 0; i < count; i++) {
    const flz_sf2_zone *z = &zones[i];
    got.lokey += z->lokey;
    got.hivel += z->hivel;
    got.start += z->start;
    got.end += z->end;
    got.loop_start += z->loop_start;
    got.loop_end += z->loop_end;
    got.attenuation += z->attenuation;
    got.pan += z->pan;
    got.exclusive += z->exclusive_class;
    got.mode += z->sample_mode;
    got.root += z->root_key;
    got.sustain += z->sustain;
    got.fine += z->fine_tune;
    got.release += z->release;
  }
  assert_int_equal(got.count, want->count);
  assert_int_equal(got.lokey, want->lokey);
  assert_int_equal(got.hivel, want->hivel);
  assert_int_equal(got.start, want->start);
  assert_int_equal(got.end, want->end);
  assert_int_equal(got.loop_start, want->loop_start);
  assert_int_equal(got.loop_end, want->loop_end);
  assert_int_equal(got.attenuation, want->attenuation);
  assert_int_equal(got.pan, want->pan);
  assert_int_equal(got.exclusive, want->exclusive);
  assert_int_equal(got.mode, want->mode);
  assert_int_equal(got.root, want->root);
  assert_int_equal(got.sustain, want->sustain);
  assert_int_equal(got.fine, want->fine);
  /* floats summed over 149-360 zones; python printed 3 decimals */
  assert_float_equal(got.release, want->release, 0.01);
}

static void fluid_gm_bank_lists_its_presets(void **state)
{
  (void)state;
  flz_sf2 sf2;
  open_bank("FluidR3_GM.sf2", &sf2);
  assert_string_equal(sf2.name, "Fluid R3 GM");
  assert_string_equal(sf2.engine, "E-mu 10K1");
  assert_int_equal(sf2.version_major, 2);
  assert_int_equal(sf2.version_minor, 1);
  assert_int_equal(sf2.frames, 74098056);
  assert_int_equal(sf2.sm24_offset, 0);
  assert_int_equal(sf2.preset_count, 189);
  assert_string_equal(sf2.presets[0].name, "Gun Shot");
  assert_int_equal(sf2.presets[0].bank, 0);
  assert_int_equal(sf2.presets[0].program, 127);
  assert_string_equal(sf2.presets[118].name, "Standard");
  assert_int_equal(flz_sf2_find_preset(&sf2, 128, 0), 118);
  assert_int_equal(flz_sf2_find_preset(&sf2, 128, 127), -1);
  /* Every preset resolves; python's resolver counts 16912 zones in all. */
  uint32_t total = 0;
  for (uint32_t p = 0; p < sf2.preset_count; p++) {
    flz_sf2_zone *zones;
    uint32_t count;
    if (flz_sf2_zones(&sf2, p, &zones, &count, why, sizeof why) != FLZ_OK)
      fail_msg("%s", why);
    total += count;
    free(zones);
  }
  assert_int_equal(total, 16912);
  flz_sf2_close(&sf2);
}

static void fluid_gm_drum_kit_resolves_as_the_spec_sums_it(void **state)
{
  (void)state;
  flz_sf2 sf2;
  open_bank("FluidR3_GM.sf2", &sf2);
  flz_sf2_zone *zones;
  uint32_t count;
  resolve(&sf2, 128, 0, &zones, &count);
  assert_sums(zones, count,
              &(sums){149, 7708, 17951, 7172609746LL, 7179521905LL, 7173252519LL, 7179518225LL,
                      9960, 0, 76, 3, 7722, 60000, -72, 1731.615});
  const flz_sf2_zone *q = &zones[0];
  assert_string_equal(q->sample_name, "High Q(L)");
  assert_int_equal(q->sample, 1108);
  assert_int_equal(q->lokey, 27);
  assert_int_equal(q->hikey, 27);
  assert_int_equal(q->lovel, 0);
  assert_int_equal(q->hivel, 127);
  assert_int_equal(q->start, 58920834);
  assert_int_equal(q->end, 58922391);
  assert_int_equal(q->loop_start, 58920835);
  assert_int_equal(q->loop_end, 58922391);
  assert_int_equal(q->sample_rate, 44100);
  assert_int_equal(q->root_key, 27);
  assert_int_equal(q->attenuation, 150);
  assert_int_equal(q->pan, -500);
  assert_int_equal(q->sample_type, FLZ_SF2_LEFT);
  assert_float_equal(q->attack, 0.0009765625f, 0.0f); /* -12000 timecents: 2^-10 s */
  assert_float_equal(q->decay, 4.0f, 1e-5f);          /* 2400 timecents */
  assert_float_equal(q->release, 2.0f, 1e-5f);
  assert_int_equal(q->sample_mode, FLZ_SF2_NO_LOOP);
  /* Key 36: the kick, seven velocity splits of a left and a right sample. */
  static const uint8_t lovel[7] = {0, 81, 89, 97, 105, 113, 121};
  uint32_t kicks = 0;
  for (uint32_t i = 0; i < count; i++) {
    if (zones[i].lokey > 36 || zones[i].hikey < 36)
      continue;
    assert_int_equal(zones[i].lovel, lovel[kicks / 2]);
    assert_int_equal(zones[i].start, kicks % 2 ? 39217422 : 39204914);
    assert_int_equal(zones[i].attenuation, 100);
    kicks++;
  }
  assert_int_equal(kicks, 14);
  /* Quica Hi (78) chokes with class 4; Triangle (81) loops. */
  for (uint32_t i = 0; i < count; i++) {
    if (zones[i].lokey == 78) {
      assert_string_equal(zones[i].sample_name, "Quica Hi");
      assert_int_equal(zones[i].exclusive_class, 4);
      assert_int_equal(abs(zones[i].pan), 500); /* a left and a right sample */
      assert_float_equal(zones[i].release, 5.339359f, 1e-4f);
    } else if (zones[i].lokey == 81) {
      assert_string_equal(zones[i].sample_name, "Triangle");
      assert_int_equal(zones[i].exclusive_class, 5);
      assert_int_equal(zones[i].sample_mode, FLZ_SF2_LOOP_CONTINUOUS);
      assert_int_equal(zones[i].loop_start, 58357514);
      assert_int_equal(zones[i].loop_end, 58358655);
      assert_int_equal(zones[i].sustain, 1000);
    }
  }
  /* The kick's left sample (39204914..39217376): its first points, and its
   * sum, min and max over all 12462. */
  int16_t *points = malloc(12462 * sizeof *points);
  assert_non_null(points);
  free(zones);
  assert_int_equal(flz_sf2_read_int16(&sf2, 39204914, 12462, points, NULL, why, sizeof why),
                   FLZ_OK);
  static const int16_t first[8] = {-9, -4, -6, -4, -5, -8, -8, -4};
  assert_memory_equal(points, first, sizeof first);
  long long sum = 0;
  int low = 0, high = 0;
  for (int i = 0; i < 12462; i++) {
    sum += points[i];
    low = points[i] < low ? points[i] : low;
    high = points[i] > high ? points[i] : high;
  }
  assert_int_equal(sum, -124588);
  assert_int_equal(low, -23794);
  assert_int_equal(high, 32318);
  free(points);
  flz_sf2_close(&sf2);
}

/* A melodic preset: instrument global zones and looped samples. */
static void fluid_gm_piano_resolves_as_the_spec_sums_it(void **state)
{
  (void)state;
  flz_sf2 sf2;
  open_bank("FluidR3_GM.sf2", &sf2);
  flz_sf2_zone *zones;
  uint32_t count;
  resolve(&sf2, 0, 0, &zones, &count);
  assert_sums(zones, count,
              &(sums){360, 21924, 34520, 22690435419LL, 22725548649LL, 22717086741LL, 22725547335LL,
                      50400, 0, 0, 360, 23526, 360000, 0, 288.04});
  assert_string_equal(zones[0].sample_name, "P200 Piano C10(L)");
  assert_int_equal(zones[0].lokey, 105);
  assert_int_equal(zones[0].hikey, 108);
  assert_int_equal(zones[0].lovel, 121);
  assert_int_equal(zones[0].sample_rate, 32000);
  assert_int_equal(zones[0].root_key, 108);
  assert_float_equal(zones[0].attack, 0.0079997f, 1e-6f);
  assert_float_equal(zones[0].decay, 3.699935f, 1e-4f);
  free(zones);
  flz_sf2_close(&sf2);
}

static void avl_kits_have_five_layers_per_drum(void **state)
{
  (void)state;
  flz_sf2 sf2;
  open_bank("Black_Pearl_4_LV2.sf2", &sf2);
  assert_string_equal(sf2.name, "Black Pearl 4pc");
  assert_int_equal(sf2.preset_count, 1);
  assert_string_equal(sf2.presets[0].name, "Black_Pearl_4pc");
  assert_int_equal(sf2.frames, 9718966);
  flz_sf2_zone *zones;
  uint32_t count;
  resolve(&sf2, 0, 0, &zones, &count);
  assert_sums(zones, count,
              &(sums){118, 5665, 9213, 391257094LL, 400970632LL, 391257094LL, 391257094LL, 0, 1355,
                      104, 0, 5665, 0, 0, 11802.54});
  static const uint8_t lovel[5] = {1, 27, 53, 78, 103}, hivel[5] = {26, 52, 77, 102, 127};
  static const uint32_t start[5] = {0, 71066, 136531, 217876, 294803};
  static const uint32_t end[5] = {71020, 136485, 217830, 294757, 382190};
  for (int i = 0; i < 5; i++) {
    assert_int_equal(zones[i].lokey, 36);
    assert_int_equal(zones[i].lovel, lovel[i]);
    assert_int_equal(zones[i].hivel, hivel[i]);
    assert_int_equal(zones[i].start, start[i]);
    assert_int_equal(zones[i].end, end[i]);
    assert_int_equal(zones[i].root_key, 36);
    assert_int_equal(zones[i].sample_mode, FLZ_SF2_NO_LOOP);
  }
  assert_string_equal(zones[0].sample_name, "36-Pearl22Kick-1");
  /* The closed hi-hat's first layer: class 1, panned 18 % left. */
  uint32_t i = 0;
  while (i < count && zones[i].lokey != 42)
    i++;
  assert_true(i < count);
  assert_string_equal(zones[i].sample_name, "42-SabianRockHatClos");
  assert_int_equal(zones[i].exclusive_class, 1);
  assert_int_equal(zones[i].pan, -180);
  /* The kick's first layer as int16 and as floats (16-bit / 2^15). */
  int16_t *points = malloc(71020 * sizeof *points);
  float *floats = malloc(71020 * sizeof *floats);
  uint8_t *low = malloc(71020);
  assert_true(points != NULL && floats != NULL && low != NULL);
  assert_int_equal(flz_sf2_read_int16(&sf2, 0, 71020, points, low, why, sizeof why), FLZ_OK);
  assert_int_equal(flz_sf2_read_float(&sf2, 0, 71020, floats, why, sizeof why), FLZ_OK);
  static const int16_t first[8] = {335, 357, 382, 411, 434, 469, 553, 707};
  assert_memory_equal(points, first, sizeof first);
  long long sum = 0;
  for (int j = 0; j < 71020; j++) {
    sum += points[j];
    assert_int_equal(low[j], 0);
    assert_float_equal(floats[j], points[j] / 32768.0f, 0.0f);
  }
  assert_int_equal(sum, -217577);
  free(points);
  free(floats);
  free(low);
  free(zones);
  flz_sf2_close(&sf2);
  open_bank("Red_Zeppelin_4_LV2.sf2", &sf2);
  assert_string_equal(sf2.name, "Red Zeppelin 4 LV2");
  resolve(&sf2, 0, 0, &zones, &count);
  assert_int_equal(count, 118);
  long long starts = 0, ends = 0;
  for (uint32_t j = 0; j < count; j++) {
    starts += zones[j].start;
    ends += zones[j].end;
  }
  assert_int_equal(starts, 531348432LL);
  assert_int_equal(ends, 544623818LL);
  free(zones);
  flz_sf2_close(&sf2);
}

/* A bank built here: RIFF sfbk with ifil 2.04, INAM, smpl + sm24 and a
 * hydra of one preset and one instrument:
 *   preset "Kit" 128:5: global zone keyRange 30-50, initialAttenuation 10;
 *     zone keyRange 40-60, pan 100, coarseTune 2, instrument 0.
 *   instrument "Drum": global zone initialAttenuation 20, sampleModes 1,
 *     releaseVolEnv -1200; zone keyRange 35-45, initialAttenuation 30,
 *     startAddrsOffset 1, sampleID 0; zone keyRange 70-80 sampleID 0 (does
 *     not meet the preset's); zone sampleID 1 (a ROM sample).
 *   sample 0 "Hit": 0..6, loop 2..5, 22050 Hz, original pitch 200 (reads
 *   as 60), correction -3. */
typedef struct bytes {
  uint8_t data[1024];
  size_t size;
} bytes;

static void put(bytes *b, const void *data, size_t size)
{
  assert_true(b->size + size <= sizeof b->data);
  memcpy(b->data + b->size, data, size);
  b->size += size;
}

static void put16(bytes *b, uint32_t v)
{
  uint8_t le[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
  put(b, le, 2);
}

static void put32(bytes *b, uint32_t v)
{
  uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
  put(b, le, 4);
}

static void put_name(bytes *b, const char *name)
{
  char field[20] = {0};
  memcpy(field, name, strlen(name));
  put(b, field, 20);
}

/* Starts a chunk; end_chunk writes its size. */
static size_t chunk(bytes *b, const char *id)
{
  put(b, id, 4);
  put32(b, 0);
  return b->size;
}

static void end_chunk(bytes *b, size_t start)
{
  uint32_t size = (uint32_t)(b->size - start);
  uint8_t *at = b->data + start - 4;
  at[0] = (uint8_t)size;
  at[1] = (uint8_t)(size >> 8);
  at[2] = (uint8_t)(size >> 16);
  at[3] = (uint8_t)(size >> 24);
}

static void gen(bytes *b, uint16_t oper, uint16_t amount)
{
  put16(b, oper);
  put16(b, amount);
}

static const int16_t smpl[8] = {0, 1000, -1000, 32767, -32768, 5, -5, 256};
static const uint8_t sm24[8] = {0x00, 0x80, 0xff, 0xff, 0x00, 0x01, 0x7f, 0x10};

static void build(bytes *b, uint16_t version_major, uint16_t version_minor)
{
  b->size = 0;
  size_t riff = chunk(b, "RIFF");
  put(b, "sfbk", 4);
  size_t info = chunk(b, "LIST");
  put(b, "INFO", 4);
  size_t ifil = chunk(b, "ifil");
  put16(b, version_major);
  put16(b, version_minor);
  end_chunk(b, ifil);
  size_t inam = chunk(b, "INAM");
  put(b, "Test Bank\0", 10);
  end_chunk(b, inam);
  end_chunk(b, info);
  size_t sdta = chunk(b, "LIST");
  put(b, "sdta", 4);
  size_t points = chunk(b, "smpl");
  for (int i = 0; i < 8; i++)
    put16(b, (uint16_t)smpl[i]);
  end_chunk(b, points);
  size_t low = chunk(b, "sm24");
  put(b, sm24, 8);
  end_chunk(b, low);
  end_chunk(b, sdta);
  size_t pdta = chunk(b, "LIST");
  put(b, "pdta", 4);
  size_t phdr = chunk(b, "phdr");
  put_name(b, "Kit");
  put16(b, 5);
  put16(b, 128);
  put16(b, 0);
  put32(b, 0), put32(b, 0), put32(b, 0);
  put_name(b, "EOP");
  put16(b, 0), put16(b, 0), put16(b, 2);
  put32(b, 0), put32(b, 0), put32(b, 0);
  end_chunk(b, phdr);
  size_t pbag = chunk(b, "pbag");
  put16(b, 0), put16(b, 0), put16(b, 2), put16(b, 0), put16(b, 6), put16(b, 0);
  end_chunk(b, pbag);
  size_t pmod = chunk(b, "pmod");
  put(b, (uint8_t[10]){0}, 10);
  end_chunk(b, pmod);
  size_t pgen = chunk(b, "pgen");
  gen(b, 43, 30 | 50 << 8), gen(b, 48, 10);
  gen(b, 43, 40 | 60 << 8), gen(b, 17, 100), gen(b, 51, 2), gen(b, 41, 0);
  gen(b, 0, 0);
  end_chunk(b, pgen);
  size_t inst = chunk(b, "inst");
  put_name(b, "Drum");
  put16(b, 0);
  put_name(b, "EOI");
  put16(b, 4);
  end_chunk(b, inst);
  size_t ibag = chunk(b, "ibag");
  static const uint16_t ibags[5] = {0, 3, 7, 9, 11};
  for (int i = 0; i < 5; i++)
    put16(b, ibags[i]), put16(b, 0);
  end_chunk(b, ibag);
  size_t imod = chunk(b, "imod");
  put(b, (uint8_t[10]){0}, 10);
  end_chunk(b, imod);
  size_t igen = chunk(b, "igen");
  gen(b, 48, 20), gen(b, 54, 1), gen(b, 38, (uint16_t)-1200);
  gen(b, 43, 35 | 45 << 8), gen(b, 48, 30), gen(b, 0, 1), gen(b, 53, 0);
  gen(b, 43, 70 | 80 << 8), gen(b, 53, 0);
  gen(b, 43, 40 | 40 << 8), gen(b, 53, 1);
  gen(b, 0, 0);
  end_chunk(b, igen);
  size_t shdr = chunk(b, "shdr");
  put_name(b, "Hit");
  put32(b, 0), put32(b, 6), put32(b, 2), put32(b, 5), put32(b, 22050);
  put(b, (uint8_t[2]){200, (uint8_t)-3}, 2);
  put16(b, 0), put16(b, FLZ_SF2_MONO);
  put_name(b, "Rom");
  put32(b, 0), put32(b, 8), put32(b, 0), put32(b, 8), put32(b, 22050);
  put(b, (uint8_t[2]){60, 0}, 2);
  put16(b, 0), put16(b, FLZ_SF2_ROM | FLZ_SF2_MONO);
  put_name(b, "EOS");
  put(b, (uint8_t[26]){0}, 26);
  end_chunk(b, shdr);
  end_chunk(b, pdta);
  end_chunk(b, riff);
}

/* The data offset of the first chunk `id` in the built bank. */
static uint8_t *find(bytes *b, const char *id)
{
  for (size_t i = 0; i + 8 <= b->size; i++)
    if (memcmp(b->data + i, id, 4) == 0)
      return b->data + i + 8;
  fail_msg("no %s", id);
  return NULL;
}

static void set16(uint8_t *at, uint16_t v)
{
  at[0] = (uint8_t)v;
  at[1] = (uint8_t)(v >> 8);
}

static void set32(uint8_t *at, uint32_t v)
{
  set16(at, (uint16_t)v);
  set16(at + 2, (uint16_t)(v >> 16));
}

static int open_bytes(const bytes *b, flz_sf2 *sf2)
{
  FILE *file = fmemopen((void *)b->data, b->size, "rb");
  assert_non_null(file);
  return flz_sf2_open_file(file, "mem.sf2", sf2, why, sizeof why);
}

static void zones_follow_the_specs_rules(void **state)
{
  (void)state;
  bytes b;
  build(&b, 2, 4);
  flz_sf2 sf2;
  assert_int_equal(open_bytes(&b, &sf2), FLZ_OK);
  assert_string_equal(sf2.name, "Test Bank");
  assert_int_equal(sf2.frames, 8);
  assert_true(sf2.sm24_offset > 0);
  assert_int_equal(sf2.preset_count, 1);
  assert_int_equal(sf2.presets[0].bank, 128);
  assert_int_equal(sf2.presets[0].program, 5);
  flz_sf2_zone *zones;
  uint32_t count;
  assert_int_equal(flz_sf2_zones(&sf2, 0, &zones, &count, why, sizeof why), FLZ_OK);
  assert_int_equal(count, 1); /* 70-80 meets no preset range; the ROM sample is left out */
  const flz_sf2_zone *z = &zones[0];
  assert_int_equal(z->lokey, 40); /* 35-45 and 40-60 */
  assert_int_equal(z->hikey, 45);
  assert_int_equal(z->lovel, 0);
  assert_int_equal(z->hivel, 127);
  assert_string_equal(z->sample_name, "Hit");
  assert_int_equal(z->start, 1); /* 0 + startAddrsOffset 1 */
  assert_int_equal(z->end, 6);
  assert_int_equal(z->loop_start, 2);
  assert_int_equal(z->loop_end, 5);
  assert_int_equal(z->sample_rate, 22050);
  assert_int_equal(z->root_key, 60);
  assert_int_equal(z->pitch_correction, -3);
  /* instrument: local 30 over global 20; preset: global 10 added */
  assert_int_equal(z->attenuation, 40);
  assert_int_equal(z->pan, 100);
  assert_int_equal(z->coarse_tune, 2);
  assert_int_equal(z->scale_tuning, 100);
  assert_int_equal(z->keynum, -1);
  assert_float_equal(z->release, 0.5f, 0.0f); /* -1200 timecents from the global zone */
  assert_int_equal(z->sample_mode, FLZ_SF2_LOOP_CONTINUOUS);
  assert_int_equal(z->exclusive_class, 0);
  free(zones);
  /* 24-bit points: (16-bit << 8 | sm24 byte) / 2^23. */
  int16_t points[8];
  uint8_t low[8];
  float floats[8];
  assert_int_equal(flz_sf2_read_int16(&sf2, 0, 8, points, low, why, sizeof why), FLZ_OK);
  assert_memory_equal(points, smpl, sizeof smpl);
  assert_memory_equal(low, sm24, sizeof sm24);
  assert_int_equal(flz_sf2_read_float(&sf2, 0, 8, floats, why, sizeof why), FLZ_OK);
  for (int i = 0; i < 8; i++)
    assert_float_equal(floats[i], (float)(smpl[i] * 256 + sm24[i]) / 8388608.0f, 0.0f);
  assert_float_equal(floats[3], 8388607.0f / 8388608.0f, 0.0f);
  assert_float_equal(floats[4], -1.0f, 0.0f);
  assert_int_equal(flz_sf2_read_int16(&sf2, 6, 3, points, NULL, why, sizeof why), FLZ_ERR_ARGUMENT);
  assert_string_equal(why, "mem.sf2: sample points 6..9 pass the end of smpl (8)");
  assert_int_equal(flz_sf2_zones(&sf2, 1, &zones, &count, why, sizeof why), FLZ_ERR_ARGUMENT);
  assert_string_equal(why, "mem.sf2: no preset 1 (it has 1)");
  flz_sf2_close(&sf2);
  /* Before 2.04, sm24 is ignored (spec 6.1). */
  build(&b, 2, 1);
  assert_int_equal(open_bytes(&b, &sf2), FLZ_OK);
  assert_int_equal(sf2.sm24_offset, 0);
  assert_int_equal(flz_sf2_read_int16(&sf2, 0, 8, points, low, why, sizeof why), FLZ_OK);
  assert_memory_equal(low, (uint8_t[8]){0}, 8);
  flz_sf2_close(&sf2);
}

static void expect_open_error(const bytes *b, int code, const char *message)
{
  flz_sf2 sf2;
  assert_int_equal(open_bytes(b, &sf2), code);
  assert_string_equal(why, message);
  assert_null(sf2.file);
  assert_null(sf2.presets);
}

static void expect_zones_error(const bytes *b, const char *message)
{
  flz_sf2 sf2;
  assert_int_equal(open_bytes(b, &sf2), FLZ_OK);
  flz_sf2_zone *zones = (flz_sf2_zone *)&sf2;
  uint32_t count = 9;
  assert_int_equal(flz_sf2_zones(&sf2, 0, &zones, &count, why, sizeof why), FLZ_ERR_CORRUPT);
  assert_string_equal(why, message);
  assert_null(zones);
  assert_int_equal(count, 0);
  flz_sf2_close(&sf2);
}

static void a_hostile_bank_is_one_line(void **state)
{
  (void)state;
  bytes b;
  build(&b, 2, 4);
  set16(find(&b, "pbag") + 4, 99);
  expect_open_error(&b, FLZ_ERR_CORRUPT, "mem.sf2: pdta: pbag 1 points at pgen 99 (of 7 records)");
  build(&b, 2, 4);
  set16(find(&b, "phdr") + 38 + 24, 50);
  expect_open_error(&b, FLZ_ERR_CORRUPT, "mem.sf2: pdta: phdr 1 points at pbag 50 (of 3 records)");
  build(&b, 2, 4);
  set32(find(&b, "phdr") - 4, 4000);
  expect_open_error(&b, FLZ_ERR_CORRUPT, "mem.sf2: pdta: sub-chunk 'phdr' runs past its list");
  build(&b, 2, 4);
  set32(find(&b, "igen") - 4, 42);
  expect_open_error(&b, FLZ_ERR_CORRUPT, "mem.sf2: pdta: 'igen' is 42 bytes, not a multiple of 4");
  build(&b, 2, 4);
  set32(b.data + 4, 0x7fffffff);
  char message[128];
  snprintf(message, sizeof message,
           "mem.sf2: truncated: RIFF says 2147483655 bytes, the file has %zu", b.size);
  expect_open_error(&b, FLZ_ERR_CORRUPT, message);
  build(&b, 3, 1);
  expect_open_error(&b, FLZ_ERR_UNSUPPORTED,
                    "mem.sf2: SoundFont version 3.01, not 2 (SF3 is not read)");
  build(&b, 2, 4);
  memcpy(b.data + 8, "WAVE", 4);
  expect_open_error(&b, FLZ_ERR_UNSUPPORTED, "mem.sf2: not a SoundFont (no RIFF sfbk header)");
  build(&b, 2, 4);
  set32(find(&b, "shdr") + 24, 1000); /* Hit's dwEnd */
  expect_zones_error(&b,
                     "mem.sf2: sample 0 'Hit' spans 1..1000, outside the 8 sample points of smpl");
  build(&b, 2, 4);
  set16(find(&b, "pgen") + 5 * 4 + 2, 7); /* the instrument generator's amount */
  expect_zones_error(&b, "mem.sf2: preset 0 points at instrument 7 (of 1)");
  build(&b, 2, 4);
  set16(find(&b, "igen") + 6 * 4 + 2, 300); /* zone 1's sampleID */
  expect_zones_error(&b, "mem.sf2: instrument 0 points at sample 300 (of 2)");
  /* Every cut of the bank short of its end is refused with a reason. */
  build(&b, 2, 4);
  size_t whole = b.size;
  for (b.size = 0; b.size < whole; b.size++) {
    flz_sf2 sf2;
    why[0] = '\0';
    assert_int_not_equal(open_bytes(&b, &sf2), FLZ_OK);
    assert_true(strncmp(why, "mem.sf2: ", 9) == 0 && strlen(why) > 9);
  }
  flz_sf2 sf2;
  assert_int_equal(flz_sf2_open("/nonexistent.sf2", &sf2, why, sizeof why), FLZ_ERR_NOT_FOUND);
  assert_string_equal(why, "/nonexistent.sf2: No such file or directory");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(fluid_gm_bank_lists_its_presets),
    cmocka_unit_test(fluid_gm_drum_kit_resolves_as_the_spec_sums_it),
    cmocka_unit_test(fluid_gm_piano_resolves_as_the_spec_sums_it),
    cmocka_unit_test(avl_kits_have_five_layers_per_drum),
    cmocka_unit_test(zones_follow_the_specs_rules),
    cmocka_unit_test(a_hostile_bank_is_one_line),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
