/* tests/app/test_sf2_render.c: SoundFont 2 presets end to end through
 * `flitz render`, on Debian's avldrums.lv2-soundfont (Black Pearl, 44.1 kHz)
 * and fluid-soundfont-gm (FluidR3's GM drum kit, bank 128), compared frame
 * by frame (exactly) with the zones' points as app/kitfmt/sf2.h reads them: the right
 * sample at both ends of each velocity range of the Black Pearl kick, scaled
 * by the engine's velocity law (v / 127 squared); FluidR3's stereo hi-hats,
 * each zone panned hard to its side at its initial attenuation; the
 * exclusive class of the hi-hats (a closed hat chokes the open one); `flitz
 * check` listing the presets; a missing preset's error line; at an engine
 * rate other than the bank's, its points loaded as they are and played at
 * their own rate. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/check.h"
#include "app/kit.h"
#include "app/kitformat.h"
#include "app/kitfmt/sf2kit.h"
#include "app/kitfmt/sf2.h"
#include "app/render.h"
#include "capture.h"
#include "engine/limits.h"
#include "engine/result.h"
#include "kitrender.h"
#include "platform/decode.h"
#include "platform/sampler_internal.h" /* white box: the engine's slots and regions */

#define RATE FLZ_KITRENDER_RATE
#define PEARL "/usr/share/sounds/sf2/Black_Pearl_4_LV2.sf2"
#define FLUID "/usr/share/sounds/sf2/FluidR3_GM.sf2"

static char dir[64];

static int setup(void **state)
{
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/flitz-sf2-render-XXXXXX");
  assert_non_null(mkdtemp(dir));
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  char command[128];
  snprintf(command, sizeof command, "rm -rf %s", dir);
  assert_int_equal(system(command), 0);
  return 0;
}

typedef struct bank {
  flz_sf2 sf2;
  flz_sf2_zone *zones;
  uint32_t count;
} bank;

static bank open_bank(const char *path, uint16_t b, uint16_t program)
{
  bank k;
  char why[256];
  assert_int_equal(flz_sf2_open(path, &k.sf2, why, sizeof why), FLZ_OK);
  int32_t preset = flz_sf2_find_preset(&k.sf2, b, program);
  assert_true(preset >= 0);
  assert_int_equal(flz_sf2_zones(&k.sf2, (uint32_t)preset, &k.zones, &k.count, why, sizeof why),
                   FLZ_OK);
  return k;
}

static void close_bank(bank *k)
{
  free(k->zones);
  flz_sf2_close(&k->sf2);
}

/* The zones of key `key` at velocity `v`, at most 2 (a stereo pair). */
static uint32_t zones_of(const bank *k, uint32_t key, uint32_t v, const flz_sf2_zone **out)
{
  uint32_t n = 0;
  for (uint32_t i = 0; i < k->count; i++)
    if (k->zones[i].lokey <= key && key <= k->zones[i].hikey && k->zones[i].lovel <= v &&
        v <= k->zones[i].hivel) {
      assert_true(n < 2);
      out[n++] = &k->zones[i];
    }
  return n;
}

/* Zone `z`'s points scaled by `gain`, malloc'ed. */
static float *points(bank *k, const flz_sf2_zone *z, float gain)
{
  uint32_t n = z->end - z->start;
  float *out = malloc(n * sizeof *out);
  assert_non_null(out);
  char why[256];
  assert_int_equal(flz_sf2_read_float(&k->sf2, z->start, n, out, why, sizeof why), FLZ_OK);
  for (uint32_t i = 0; i < n; i++)
    out[i] *= gain;
  return out;
}

static void black_pearl_kick_plays_the_right_layer_at_each_velocity_boundary(void **state)
{
  (void)state;
  bank k = open_bank(PEARL, 0, 0);
  static const uint32_t velocities[] = {1, 26, 27, 52, 53, 77, 78, 102, 103, 127};
  char script[512] = "";
  for (uint32_t i = 0; i < 10; i++) {
    char line[64];
    snprintf(line, sizeof line, "%u note 36 %u\n", 2 * i, velocities[i]);
    strcat(script, line);
  }
  flz_kitrender_wav w = flz_kitrender_run(dir, PEARL, "0:0", script, "20");
  uint32_t previous = UINT32_MAX;
  for (uint32_t i = 0; i < 10; i++) {
    uint32_t v = velocities[i];
    const flz_sf2_zone *z[2];
    assert_int_equal(zones_of(&k, 36, v, z), 1);
    assert_true(z[0]->pan == 0 && z[0]->attenuation == 0 && z[0]->sample_mode == FLZ_SF2_NO_LOOP);
    assert_true(z[0]->sample != previous || i % 2 == 1); /* each range starts a new layer */
    previous = z[0]->sample;
    float level = (float)v / 127.0f;
    uint32_t n = z[0]->end - z[0]->start;
    assert_true(n < 2 * RATE);
    float *want = points(&k, z[0], level * level);
    flz_kitrender_assert(&w, (uint64_t)i * 2 * RATE, want, want, n, 0.0f);
    free(want);
  }
  free(w.data);
  close_bank(&k);
}

/* Asserts frames [at, at + n) of `w` are the stereo pair `z` of FluidR3 at
 * velocity 127: the left zone on the left, the right one on the right. */
static void assert_pair(bank *k, const flz_kitrender_wav *w, uint64_t at, const flz_sf2_zone **z,
                        uint64_t skip, uint64_t n)
{
  const flz_sf2_zone *left = z[0]->pan < 0 ? z[0] : z[1], *right = z[0]->pan < 0 ? z[1] : z[0];
  assert_int_equal(left->pan, -500);
  assert_int_equal(right->pan, 500);
  float *l = points(k, left, (float)pow(10.0, -left->attenuation / 200.0));
  float *r = points(k, right, (float)pow(10.0, -right->attenuation / 200.0));
  assert_true(skip + n <= left->end - left->start && skip + n <= right->end - right->start);
  flz_kitrender_assert(w, at + skip, l + skip, r + skip, n, 0.0f);
  free(l);
  free(r);
}

static void fluid_gm_drums_play_each_hats_stereo_pair(void **state)
{
  (void)state;
  bank k = open_bank(FLUID, 128, 0);
  static const uint32_t keys[] = {42, 44, 46};
  flz_kitrender_wav w = flz_kitrender_run(dir, FLUID, "128:0",
                                          "0 note 42 127\n2 note 44 127\n4 note 46 127\n", "6");
  for (uint32_t i = 0; i < 3; i++) {
    const flz_sf2_zone *z[2];
    assert_int_equal(zones_of(&k, keys[i], 127, z), 2);
    assert_int_equal(z[0]->exclusive_class, 1);
    uint32_t n = z[0]->end - z[0]->start;
    assert_pair(&k, &w, (uint64_t)i * 2 * RATE, z, 0, n < 2 * RATE ? n : 2 * RATE);
  }
  free(w.data);
  close_bank(&k);
}

static void a_closed_hat_chokes_the_open_hat_of_its_exclusive_class(void **state)
{
  (void)state;
  bank k = open_bank(FLUID, 128, 0);
  flz_kitrender_wav w = flz_kitrender_run(dir, FLUID, "128:0", "0 note 46 127\n0.5 note 42 127\n",
                                          "2");
  const flz_sf2_zone *open[2], *closed[2];
  assert_int_equal(zones_of(&k, 46, 127, open), 2);
  assert_int_equal(zones_of(&k, 42, 127, closed), 2);
  const uint64_t at = RATE / 2;
  assert_true(open[0]->end - open[0]->start > 2 * RATE); /* it would sound on */
  assert_pair(&k, &w, 0, open, 0, at);
  /* Past the engine's fast fade only the closed hat sounds. */
  assert_pair(&k, &w, at, closed, FLZ_FADE_FRAMES_MAX, closed[0]->end - closed[0]->start - 480);
  free(w.data);
  close_bank(&k);
}

static void check_lists_the_presets_and_the_regions(void **state)
{
  (void)state;
  char *argv[] = {"check", "--preset", "128:0", FLUID, NULL};
  flz_capture c = flz_capture_run(flz_check_main, 4, argv);
  assert_int_equal(c.code, 0);
  assert_string_equal(c.err, "");
  assert_non_null(strstr(c.out, "preset 128:0 Standard\n"));
  assert_non_null(strstr(c.out, "preset 0:0 Yamaha Grand Piano\n"));
  assert_non_null(strstr(c.out, " " FLUID " offset="));
  assert_non_null(strstr(c.out, " channels=1 rate=44100 bits=16 "));
  assert_non_null(strstr(c.out, " key=42..42 vel=1..127 seq=0/1 rand=0.00..1.00 trigger=attack\n"));
  flz_capture_free(&c);
}

/* A file named .sf2 that is no bank: check and render each print one error
 * line naming it, and fail. */
static void a_broken_bank_is_one_error_line(void **state)
{
  (void)state;
  char bad[128], events[128], out[128];
  snprintf(bad, sizeof bad, "%s/bad.sf2", dir);
  snprintf(events, sizeof events, "%s/events.txt", dir);
  snprintf(out, sizeof out, "%s/out.wav", dir);
  FILE *file = fopen(bad, "w");
  assert_non_null(file);
  fputs("RIFF\x10\0\0\0sfbkLIST", file);
  fclose(file);
  file = fopen(events, "w");
  assert_non_null(file);
  fputs("0 note 36 100\n", file);
  fclose(file);
  char *check[] = {"check", bad, NULL};
  char *render[] = {"render", bad, events, out, NULL};
  flz_capture c = flz_capture_run(flz_check_main, 2, check);
  assert_int_equal(c.code, 1);
  assert_int_equal(flz_capture_lines(c.err), 1);
  assert_memory_equal(c.err, "error: ", 7);
  assert_non_null(strstr(c.err, bad));
  assert_string_equal(c.out, "");
  flz_capture_free(&c);
  c = flz_capture_run(flz_render_main, 4, render);
  assert_int_equal(c.code, 1);
  assert_int_equal(flz_capture_lines(c.err), 1);
  assert_memory_equal(c.err, "error: ", 7);
  assert_non_null(strstr(c.err, bad));
  flz_capture_free(&c);
}

static void a_missing_preset_is_one_error_line(void **state)
{
  (void)state;
  char events[128];
  snprintf(events, sizeof events, "%s/events.txt", dir);
  FILE *file = fopen(events, "w");
  assert_non_null(file);
  fputs("0 note 36 100\n", file);
  fclose(file);
  char out[128];
  snprintf(out, sizeof out, "%s/out.wav", dir);
  char *argv[] = {"render", "--preset", "128:99", PEARL, events, out, NULL};
  flz_capture c = flz_capture_run(flz_render_main, 6, argv);
  assert_int_equal(c.code, 1);
  assert_string_equal(c.err, "error: " PEARL ": no preset 128:99 (flitz check " PEARL
                             " lists the presets)\n");
  assert_int_equal(access(out, F_OK), -1);
  flz_capture_free(&c);
}

/* An envelope time in ms, the spec's shortest (2^-10 s) as none. */
static float ms(float seconds)
{
  return seconds <= 0.0009766f ? 0.0f : seconds * 1000.0f;
}

/* Every region of FluidR3's piano (0:0) loops where its zone does
 * (sampleModes 1) with the zone's loop points, plays untransposed at the
 * zone's root key and has the zone's envelope in ms (decay scaled to its
 * sustain, 100 dB: silence); the GM drums' (128:0) regions loop only
 * where their zones do. */
static void regions_take_their_zones_loops_root_keys_and_envelopes(void **state)
{
  (void)state;
  static const struct {
    uint16_t bank, program;
  } presets[2] = {{0, 0}, {128, 0}};
  for (int p = 0; p < 2; p++) {
    bank k = open_bank(FLUID, presets[p].bank, presets[p].program);
    flz_kit_preset preset = {1, presets[p].bank, presets[p].program};
    flz_kit_regions regions;
    assert_int_equal(flz_sf2kit_read(FLUID, &preset, &regions, stderr), FLZ_OK);
    assert_int_equal(regions.skipped, 0);
    uint32_t looped = 0;
    for (uint32_t r = 0; r < regions.count; r++) {
      const flz_kit_region *kr = &regions.regions[r];
      const flz_sf2_zone *zone = NULL;
      for (uint32_t z = 0; z < k.count && zone == NULL; z++)
        if (k.sf2.smpl_offset + 2 * (uint64_t)k.zones[z].start == kr->data_offset &&
            k.zones[z].lokey == kr->region.lokey && k.zones[z].hikey == kr->region.hikey &&
            (k.zones[z].lovel > 0 ? k.zones[z].lovel : 1) == kr->region.lovel &&
            k.zones[z].hivel == kr->region.hivel)
          zone = &k.zones[z];
      assert_non_null(zone);
      assert_int_equal(kr->data_frames, zone->end - zone->start);
      assert_int_equal(kr->region.keycenter, zone->root_key);
      if (zone->sample_mode == FLZ_SF2_LOOP_CONTINUOUS) {
        looped++;
        assert_int_equal(kr->region.loop_mode, FLZ_LOOP_CONTINUOUS);
        assert_int_equal(kr->params.loop_start, zone->loop_start - zone->start);
        assert_int_equal(kr->params.loop_end, zone->loop_end - zone->start);
      } else {
        assert_int_equal(kr->region.loop_mode, FLZ_LOOP_NONE);
      }
      assert_true(fabsf(kr->region.attack_ms - ms(zone->attack)) < 1e-3f);
      assert_true(fabsf(kr->region.release_ms - ms(zone->release)) < 1e-3f);
      if (zone->sustain >= 1000) {
        assert_true(kr->region.sustain == 0.0f);
        assert_true(fabsf(kr->region.decay_ms - ms(zone->decay)) < 1e-2f);
      }
    }
    if (p == 0)
      assert_int_equal(looped, regions.count); /* every piano zone loops */
    flz_kit_regions_free(&regions);
    close_bank(&k);
  }
}

/* A region inside a bank with sm24 low bytes decodes to (point << 8 | low)
 * / 2^23, as flz_sf2_read_float reads it; without them, point / 2^15; at
 * its own rate, whatever rate is asked. */
static void a_region_in_a_file_decodes_16_and_24_bit_points(void **state)
{
  (void)state;
  static const int16_t high[4] = {0, 32767, -32768, 1234};
  static const uint8_t low[4] = {0x80, 0xFF, 0x00, 0x01};
  char path[128];
  snprintf(path, sizeof path, "%s/bank.bin", dir);
  FILE *file = fopen(path, "wb");
  assert_non_null(file);
  fputs("0123456789", file); /* the points start at byte 10 */
  for (int i = 0; i < 4; i++) {
    uint8_t b[2] = {(uint8_t)high[i], (uint8_t)((uint16_t)high[i] >> 8)};
    fwrite(b, 1, 2, file);
  }
  fwrite(low, 1, 4, file); /* the low bytes at byte 18 */
  fclose(file);
  flz_kit_region kr = {.path = path, .data_offset = 10, .data_frames = 4, .data_rate = 22050};
  for (int deep = 0; deep < 2; deep++) {
    kr.low_offset = deep ? 18 : 0;
    /* At its own rate whatever rate is asked: the engine plays it at it. */
    static const uint32_t asked[2] = {0, 48000};
    for (int a = 0; a < 2; a++) {
      flz_decoded d;
      uint32_t rate = 0;
      char detail[128];
      assert_int_equal(flz_kit_region_decode(&kr, asked[a], &d, &rate, detail, sizeof detail),
                       FLZ_OK);
      assert_int_equal(rate, 22050);
      assert_int_equal(d.rate, 22050);
      assert_int_equal(d.frame_count, 4);
      assert_int_equal(d.channels, 1);
      for (int i = 0; i < 4; i++) {
        float want = deep ? (float)((int32_t)high[i] * 256 + low[i]) / 8388608.0f
                          : (float)high[i] / 32768.0f;
        assert_true(d.data[i] == want);
      }
      flz_decode_free(&d);
    }
  }
  kr.data_frames = 5; /* past the file's end */
  flz_decoded d;
  char detail[128];
  assert_int_equal(flz_kit_region_decode(&kr, 0, &d, NULL, detail, sizeof detail), FLZ_ERR_READ);
}

/* At an engine rate other than the bank's (Black Pearl is 44.1 kHz) a zone
 * plays its own points at their own rate, the voice stepping 44100 / rate
 * frames: rendered at 88200 Hz (a step of exactly 1/2) the kick's frame 2m
 * is its point m, at 22050 Hz (a step of 2) frame m is its point 2m,
 * exactly (hermite, the default, reads a whole position as the point
 * itself), and the note ends where its points do. */
static void a_bank_plays_at_its_own_rate_at_another_engine_rate(void **state)
{
  (void)state;
  bank k = open_bank(PEARL, 0, 0);
  const flz_sf2_zone *z[2];
  assert_int_equal(zones_of(&k, 36, 127, z), 1);
  assert_int_equal(z[0]->sample_rate, 44100);
  uint32_t n = z[0]->end - z[0]->start;
  assert_true(n < 2 * RATE);
  float *want = points(&k, z[0], 1.0f); /* velocity 127: gain 1 */
  static const struct {
    uint32_t rate, up, down; /* output frame f plays point f x down / up */
  } cases[2] = {{88200, 2, 1}, {22050, 1, 2}};
  for (int c = 0; c < 2; c++) {
    uint32_t up = cases[c].up, down = cases[c].down;
    flz_kitrender_wav w = flz_kitrender_run_at(dir, PEARL, "0:0", "0 note 36 127\n", "5",
                                               cases[c].rate);
    uint64_t played = ((uint64_t)n * up + down - 1) / down; /* frames whose point is < n */
    assert_true(played + 64 <= w.frames);
    for (uint64_t f = 0; f < played; f += up) {
      uint64_t m = f * down / up;
      if (w.data[2 * f] != want[m] || w.data[2 * f + 1] != want[m])
        fail_msg("at %u Hz, frame %llu: %g %g, want point %llu: %g", (unsigned)cases[c].rate,
                 (unsigned long long)f, (double)w.data[2 * f], (double)w.data[2 * f + 1],
                 (unsigned long long)m, (double)want[m]);
    }
    for (uint64_t f = played; f < played + 64; f++)
      if (w.data[2 * f] != 0.0f || w.data[2 * f + 1] != 0.0f)
        fail_msg("at %u Hz, frame %llu past the note's end sounds: %g", (unsigned)cases[c].rate,
                 (unsigned long long)f, (double)w.data[2 * f]);
    free(w.data);
  }
  free(want);
  close_bank(&k);
}

/* Loaded into an engine at 48000 Hz, each region of FluidR3's piano (0:0,
 * samples at 44.1 and 32 kHz, every zone looped) holds its zone's points as the bank stores
 * them (as many frames, point / 2^15 each: read here by
 * flz_sf2_read_int16, not the load's reader), its loop points as the zone
 * has them, and its region the rate its voices step at. */
static void a_bank_loads_its_points_unconverted_at_another_engine_rate(void **state)
{
  (void)state;
  char out[128];
  snprintf(out, sizeof out, "%s/out.wav", dir);
  flz_sampler_config config;
  flz_sampler_config_init(&config);
  config.backend = "wav";
  config.device = out;
  config.rate = 48000;
  flz_sampler *sampler = flz_sampler_instance();
  assert_int_equal(flz_sampler_run(sampler, &config), FLZ_OK);
  bank k = open_bank(FLUID, 0, 0);
  assert_int_equal(k.sf2.sm24_offset, 0);
  flz_kit kit;
  flz_kit_preset preset = {1, 0, 0};
  assert_int_equal(flz_kit_open_preset(FLUID, &preset, &kit, stderr), FLZ_OK);
  const flz_kit_regions *regions = kit.regions;
  assert_true(regions->count > 0);
  assert_int_equal(flz_kit_regions_load(regions, sampler, stderr), regions->count);
  const flz_engine *engine = &sampler->engine;
  for (uint32_t r = 0; r < regions->count; r++) {
    const flz_kit_region *kr = &regions->regions[r];
    const flz_sample *slot = &engine->slots[r];
    assert_true(kr->data_rate == 44100 || kr->data_rate == 32000);
    assert_int_equal(engine->regions[r].sample_rate, kr->data_rate);
    assert_int_equal(slot->channels, 1);
    assert_int_equal(slot->frame_count, kr->data_frames);
    assert_int_equal(kr->region.loop_mode, FLZ_LOOP_CONTINUOUS);
    assert_true(kr->params.loop_end > kr->params.loop_start);
    assert_int_equal(engine->slot_params[r].loop_start, kr->params.loop_start);
    assert_int_equal(engine->slot_params[r].loop_end, kr->params.loop_end);
    int16_t *raw = malloc(kr->data_frames * sizeof *raw);
    assert_non_null(raw);
    char why[256];
    assert_int_equal(flz_sf2_read_int16(&k.sf2,
                                        (uint32_t)((kr->data_offset - k.sf2.smpl_offset) / 2),
                                        kr->data_frames, raw, NULL, why, sizeof why),
                     FLZ_OK);
    for (uint32_t i = 0; i < kr->data_frames; i++)
      if (slot->data[i] != (float)raw[i] / 32768.0f)
        fail_msg("region %u, frame %u: %g, the bank holds %d", (unsigned)r, (unsigned)i,
                 (double)slot->data[i], raw[i]);
    free(raw);
  }
  flz_kit_deinit(&kit);
  close_bank(&k);
  flz_sampler_shut_down(sampler);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(
      black_pearl_kick_plays_the_right_layer_at_each_velocity_boundary, setup, teardown),
    cmocka_unit_test_setup_teardown(fluid_gm_drums_play_each_hats_stereo_pair, setup, teardown),
    cmocka_unit_test_setup_teardown(a_closed_hat_chokes_the_open_hat_of_its_exclusive_class, setup,
                                    teardown),
    cmocka_unit_test(check_lists_the_presets_and_the_regions),
    cmocka_unit_test_setup_teardown(a_missing_preset_is_one_error_line, setup, teardown),
    cmocka_unit_test(regions_take_their_zones_loops_root_keys_and_envelopes),
    cmocka_unit_test_setup_teardown(a_broken_bank_is_one_error_line, setup, teardown),
    cmocka_unit_test_setup_teardown(a_region_in_a_file_decodes_16_and_24_bit_points, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(a_bank_plays_at_its_own_rate_at_another_engine_rate, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(a_bank_loads_its_points_unconverted_at_another_engine_rate,
                                    setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
