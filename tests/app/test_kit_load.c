/* tests/app/test_kit_load.c: background kit loading (app/kit.h on
 * platform/loader.h): every format from real files lands in its slot with
 * exactly the decoder's frames, bad files get one error line each, a kit
 * started while another loads cancels it without a stale sample ever landing
 * on a pad, a kit larger than the pool loads the pads that fit in pad
 * order, and a multi-sample kit loads its regions so. The sampler runs the
 * offline "wav" output, so the engine applies commands only when the test
 * pulls.
 * Owns: only its temporary folders; reads $FLZ_TEST_DATA. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/kit.h"
#include "app/kitformat.h"
#include "engine/result.h"
#include "platform/decode.h"
#include "platform/loader.h"
#include "platform/sampler_internal.h" /* white box: the engine's slots, the pool */

#include "tempdir.h"

#define RATE 48000u

static char temp_dir[64];
static char wav_out[128];

static const char *data_dir(void)
{
  const char *dir = getenv("FLZ_TEST_DATA");
  if (dir == NULL) {
    fail_msg("FLZ_TEST_DATA is not set: run through ctest (fixture test_data)");
    return ""; /* cmocka's fail_msg is not marked noreturn */
  }
  return dir;
}

static int setup(void **state)
{
  (void)state;
  flz_tempdir_make(temp_dir, sizeof temp_dir, "flz-kit-load");
  snprintf(wav_out, sizeof wav_out, "%s/out.wav", temp_dir);
  flz_sampler_config config;
  flz_sampler_config_init(&config);
  config.backend = "wav";
  config.device = wav_out;
  config.rate = RATE;
  return flz_sampler_run(flz_sampler_instance(), &config) == FLZ_OK ? 0 : -1;
}

static int teardown(void **state)
{
  (void)state;
  flz_sampler_shut_down(flz_sampler_instance());
  flz_tempdir_remove(temp_dir);
  return 0;
}

/* A kit folder `name` under the temporary folder whose pads link to the
 * test data files `files` (relative to $FLZ_TEST_DATA), named 01-.. in
 * order. */
static void make_kit(char *dir, size_t size, const char *name, const char *const *files,
                     size_t count)
{
  snprintf(dir, size, "%s/%s", temp_dir, name);
  assert_int_equal(mkdir(dir, 0755), 0);
  for (size_t i = 0; i < count; i++) {
    char target[1024];
    char link_path[1024];
    snprintf(target, sizeof target, "%s/%s", data_dir(), files[i]);
    const char *base = strrchr(files[i], '/');
    snprintf(link_path, sizeof link_path, "%s/%02zu-%s", dir, i + 1, base + 1);
    assert_int_equal(symlink(target, link_path), 0);
  }
}

/* Applies the published commands and frees retired regions. */
static void settle(flz_sampler *sampler)
{
  assert_int_equal(flz_sampler_pull(sampler, 256), FLZ_OK);
  flz_event event;
  while (flz_sampler_receive_msg(sampler, &event))
    ;
}

/* The slot holds exactly what flz_decode_file gives for `path` at RATE. */
static void assert_slot_holds(flz_sampler *sampler, uint32_t slot, const char *path)
{
  flz_decoded decoded;
  char detail[256];
  int result = flz_decode_file(path, RATE, &decoded, NULL, detail, sizeof detail);
  if (result != FLZ_OK)
    fail_msg("%s: %s (%s)", path, flz_result_name(result), detail);
  const flz_sample *sample = &sampler->engine.slots[slot];
  if (sample->data == NULL || sample->frame_count != decoded.frame_count ||
      sample->channels != decoded.channels)
    fail_msg("slot %u: %u frames x %u, %s decodes to %llu x %u", (unsigned)slot,
             (unsigned)sample->frame_count, (unsigned)sample->channels, path,
             (unsigned long long)decoded.frame_count, (unsigned)decoded.channels);
  assert_memory_equal(sample->data, decoded.data,
                      decoded.frame_count * decoded.channels * sizeof(float));
  flz_decode_free(&decoded);
}

static char *read_stream(FILE *file)
{
  fflush(file);
  long size = ftell(file);
  assert_true(size >= 0);
  char *text = calloc(1, (size_t)size + 1);
  assert_non_null(text);
  rewind(file);
  assert_int_equal(fread(text, 1, (size_t)size, file), (size_t)size);
  return text;
}

static int count_lines(const char *text)
{
  int lines = 0;
  for (; *text != '\0'; text++)
    lines += *text == '\n';
  return lines;
}

static void test_every_format_loads_in_the_background_and_bad_files_say_why(void **state)
{
  (void)state;
  static const char *const files[] = {
    "ogg/bell.oga",
    "flac/loop_amen.flac",
    "wav/loop_amen-f64.wav",
    "wav/drum_snare_hard-ima-adpcm.wav",
    "multi/six.flac",
    "bad/truncated.flac",
    "wav/drum_heavy_kick-44100.wav",
    "bad/empty.wav",
    "bad/x.ogg",
    "bad/gsm.wav",
    "bad/truncated.ogg",
    "flac/elec_snare.flac",
  };
  static const int good[] = {1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1};
  char dir[256];
  make_kit(dir, sizeof dir, "formats", files, 12);
  flz_kit kit;
  assert_int_equal(flz_kit_scan(dir, &kit), FLZ_OK);
  assert_int_equal(kit.count, 12);

  flz_sampler *sampler = flz_sampler_instance();
  flz_loader *loader;
  assert_int_equal(flz_loader_start(0, &loader), FLZ_OK);
  assert_true(flz_loader_threads(loader) >= 2);
  FILE *err = tmpfile();
  assert_non_null(err);
  static flz_kit_loading loading;
  assert_int_equal(flz_kit_start(&loading, &kit, sampler, loader, err), FLZ_OK);
  int polls = 0;
  while (flz_kit_poll(&loading, 10)) {
    settle(sampler);
    assert_true(++polls < 3000); /* 30 s: something is stuck */
  }
  settle(sampler);
  assert_int_equal(loading.loaded, 7);
  assert_int_equal(loading.failed, 5);
  char *text = read_stream(err);
  assert_int_equal(count_lines(text), 5);
  for (uint32_t i = 0; i < kit.count; i++) {
    char prefix[1100];
    snprintf(prefix, sizeof prefix, "error: %s: ", kit.paths[i]);
    if (good[i]) {
      assert_null(strstr(text, prefix));
      assert_int_equal(loading.pads[i].state, FLZ_KIT_PAD_LOADED);
      assert_slot_holds(sampler, i, kit.paths[i]);
    } else {
      if (strstr(text, prefix) == NULL)
        fail_msg("no line \"%s...\" in:\n%s", prefix, text);
      assert_int_equal(loading.pads[i].state, FLZ_KIT_PAD_FAILED);
      assert_null(sampler->engine.slots[i].data);
      assert_int_equal(flz_sampler_slot_loaded(sampler, i), 0);
    }
  }
  free(text);
  fclose(err);
  flz_kit_stop(&loading);
  flz_kit_deinit(&kit);
  flz_loader_stop(loader);
}

static void test_another_kit_cancels_the_stale_loads(void **state)
{
  (void)state;
  /* Kit A: 24 long loops, so most are queued or decoding when B starts. */
  static const char *a_files[24];
  for (size_t i = 0; i < 24; i++)
    a_files[i] = i % 2 ? "flac/loop_garzul.flac" : "flac/loop_amen_full.flac";
  static const char *const b_files[] = {"flac/drum_cowbell.flac", "ogg/message.oga"};
  char a_dir[256];
  char b_dir[256];
  make_kit(a_dir, sizeof a_dir, "a", a_files, 24);
  make_kit(b_dir, sizeof b_dir, "b", b_files, 2);
  flz_kit a, b;
  assert_int_equal(flz_kit_scan(a_dir, &a), FLZ_OK);
  assert_int_equal(flz_kit_scan(b_dir, &b), FLZ_OK);

  flz_sampler *sampler = flz_sampler_instance();
  flz_loader *loader;
  assert_int_equal(flz_loader_start(0, &loader), FLZ_OK);
  static flz_kit_loading loading;
  FILE *err = tmpfile();
  assert_non_null(err);
  /* Three rounds of A then B, switching at different points of A's load. */
  for (int round = 0; round < 3; round++) {
    assert_int_equal(flz_kit_start(&loading, &a, sampler, loader, err), FLZ_OK);
    for (int i = 0; i < round * 5; i++) {
      (void)flz_kit_poll(&loading, 10);
      settle(sampler);
    }
    assert_true(loading.active);
    assert_int_equal(flz_kit_start(&loading, &b, sampler, loader, err), FLZ_OK);
    int polls = 0;
    while (flz_kit_poll(&loading, 10)) {
      settle(sampler);
      assert_true(++polls < 3000);
    }
    /* Whatever A's threads were decoding finishes now and is thrown away;
     * give them the time, then look again. */
    nanosleep(&(struct timespec){.tv_nsec = 300000000}, NULL);
    assert_int_equal(flz_kit_poll(&loading, 0), 0);
    settle(sampler);
    assert_int_equal(loading.loaded, 2);
    assert_int_equal(flz_loader_pending(loader), 0);
    assert_slot_holds(sampler, 0, b.paths[0]);
    assert_slot_holds(sampler, 1, b.paths[1]);
    for (uint32_t slot = 2; slot < 24; slot++) {
      assert_null(sampler->engine.slots[slot].data);
      assert_int_equal(flz_sampler_slot_loaded(sampler, slot), 0);
    }
  }
  char *text = read_stream(err);
  assert_string_equal(text, "");
  free(text);
  fclose(err);
  flz_kit_stop(&loading);
  flz_kit_deinit(&a);
  flz_kit_deinit(&b);
  flz_loader_stop(loader);
}

static void test_loader_never_reports_an_older_generation(void **state)
{
  (void)state;
  char path[1024];
  snprintf(path, sizeof path, "%s/flac/loop_amen.flac", data_dir());
  flz_loader *loader;
  assert_int_equal(flz_loader_start(2, &loader), FLZ_OK);
  uint32_t first = flz_loader_new_generation(loader);
  for (uint32_t i = 0; i < 8; i++)
    assert_int_equal(flz_loader_submit(loader, FLZ_LOADER_DECODE, i, path, RATE), FLZ_OK);
  uint32_t second = flz_loader_new_generation(loader);
  assert_int_not_equal(first, second);
  assert_int_equal(flz_loader_submit(loader, FLZ_LOADER_PROBE, 100, path, RATE), FLZ_OK);
  flz_loader_report report;
  int probed = 0;
  while (flz_loader_wait(loader, &report, 1000)) {
    assert_int_equal(report.generation, second);
    assert_int_equal(report.tag, 100);
    assert_int_equal(report.type, FLZ_LOADER_PROBED);
    assert_int_equal(report.result, FLZ_OK);
    probed++;
  }
  assert_int_equal(probed, 1);
  assert_int_equal(flz_loader_pending(loader), 0);
  /* Destroying with work queued drops it and frees every report. */
  for (uint32_t i = 0; i < 8; i++)
    assert_int_equal(flz_loader_submit(loader, FLZ_LOADER_DECODE, i, path, RATE), FLZ_OK);
  flz_loader_stop(loader);
}

static void test_kit_larger_than_the_pool_loads_what_fits_in_pad_order(void **state)
{
  (void)state;
  static const char *const files[] = {"flac/drum_cowbell.flac", "flac/loop_garzul.flac",
                                      "flac/drum_snare_hard.flac"};
  char dir[256];
  make_kit(dir, sizeof dir, "big", files, 3);
  flz_kit kit;
  assert_int_equal(flz_kit_scan(dir, &kit), FLZ_OK);
  /* Sizes at RATE from the decoder, each rounded up as the pool does. */
  uint64_t bytes[3];
  for (int i = 0; i < 3; i++) {
    flz_decoded decoded;
    assert_int_equal(flz_decode_file(kit.paths[i], RATE, &decoded, NULL, NULL, 0), FLZ_OK);
    uint64_t raw = decoded.frame_count * decoded.channels * sizeof(float);
    bytes[i] = (raw + FLZ_POOL_ALIGN - 1) / FLZ_POOL_ALIGN * FLZ_POOL_ALIGN;
    flz_decode_free(&decoded);
  }
  /* A pool that holds pads 1 and 3 but not pad 2 after pad 1. */
  size_t capacity = (size_t)(bytes[0] + bytes[2] + FLZ_POOL_ALIGN);
  assert_true(bytes[1] > capacity - bytes[0]);
  void *arena = aligned_alloc(FLZ_POOL_ALIGN, capacity);
  assert_non_null(arena);
  /* The earlier tests' samples retire into the static pool first: region
   * handles of two pools must never meet. */
  flz_sampler *sampler = flz_sampler_instance();
  for (uint32_t slot = 0; slot < FLZ_SLOTS; slot++)
    if (flz_sampler_slot_loaded(sampler, slot))
      assert_int_equal(flz_sampler_unload_sample(sampler, slot), FLZ_OK);
  settle(sampler);
  settle(sampler);
  assert_int_equal(flz_pool_used(&sampler->pool), 0);
  flz_pool saved = sampler->pool;
  assert_int_equal(flz_pool_init_preallocated(&sampler->pool, arena, capacity), FLZ_OK);

  flz_loader *loader;
  assert_int_equal(flz_loader_start(0, &loader), FLZ_OK);
  FILE *err = tmpfile();
  assert_non_null(err);
  static flz_kit_loading loading;
  assert_int_equal(flz_kit_start(&loading, &kit, sampler, loader, err), FLZ_OK);
  while (flz_kit_poll(&loading, 10))
    settle(sampler);
  settle(sampler);
  char *text = read_stream(err);
  char expected[1200];
  snprintf(expected, sizeof expected,
           "error: %s: does not fit in the sample pool (needs %.1f MiB, %.1f MiB free)\n",
           kit.paths[1], (double)bytes[1] / 1048576.0, (double)(capacity - bytes[0]) / 1048576.0);
  assert_string_equal(text, expected);
  assert_int_equal(loading.loaded, 2);
  assert_slot_holds(sampler, 0, kit.paths[0]);
  assert_null(sampler->engine.slots[1].data);
  assert_slot_holds(sampler, 2, kit.paths[2]);
  free(text);
  fclose(err);

  /* Empty the slots before the pool goes back to the static arena. */
  for (uint32_t slot = 0; slot < 3; slot++)
    (void)flz_sampler_unload_sample(sampler, slot);
  settle(sampler);
  settle(sampler);
  assert_int_equal(flz_pool_used(&sampler->pool), 0);
  sampler->pool = saved;
  free(arena);
  flz_kit_stop(&loading);
  flz_kit_deinit(&kit);
  flz_loader_stop(loader);
}

/* A kit.ini's interpolation wins; "default" goes back to the sampler's
 * (flitz.ini's [audio] interpolation). */
static void test_the_kits_interpolation_wins_over_the_samplers(void **state)
{
  (void)state;
  flz_sampler *sampler = flz_sampler_instance();
  static flz_kitfile settings;
  flz_kitfile_init(&settings);
  flz_kit kit = {.settings = &settings};
  settings.interpolation = FLZ_INTERPOLATION_SINC + 1;
  assert_int_equal(flz_kit_apply_settings(&kit, sampler), FLZ_OK);
  assert_int_equal(flz_sampler_pull(sampler, 64), FLZ_OK);
  assert_int_equal(sampler->engine.interpolation, FLZ_INTERPOLATION_SINC);
  settings.interpolation = 0;
  assert_int_equal(flz_kit_apply_settings(&kit, sampler), FLZ_OK);
  assert_int_equal(flz_sampler_pull(sampler, 64), FLZ_OK);
  assert_int_equal(flz_sampler_interpolation(sampler), FLZ_DEFAULT_INTERPOLATION);
  assert_int_equal(sampler->engine.interpolation, FLZ_DEFAULT_INTERPOLATION);
}

/* A multi-sample kit (SFZ): each region's file in its slot, each pad sent
 * with its regions once they are done; a region whose file is missing has
 * its line and its pad's reason while the pad's other region plays; a
 * folder kit loaded next empties the multi-sample pads. */
static void test_a_multi_sample_kit_loads_its_regions_in_the_background(void **state)
{
  (void)state;
  char link_path[128], sfz[128];
  snprintf(link_path, sizeof link_path, "%s/data", temp_dir);
  assert_int_equal(symlink(data_dir(), link_path), 0);
  snprintf(sfz, sizeof sfz, "%s/kit.sfz", temp_dir);
  FILE *file = fopen(sfz, "w");
  assert_non_null(file);
  fputs("<region> sample=data/wav/drum_heavy_kick-44100.wav key=36 lovel=1 hivel=63\n"
        "<region> sample=data/flac/elec_snare.flac key=36 lovel=64 hivel=127\n"
        "<region> sample=data/ogg/bell.oga key=38\n"
        "<region> sample=gone.wav key=38 lovel=100\n"
        "<region> sample=*silence key=40\n",
        file);
  assert_int_equal(fclose(file), 0);
  FILE *err = tmpfile();
  assert_non_null(err);
  flz_kit kit;
  assert_int_equal(flz_kit_open(sfz, &kit, err), FLZ_OK);
  assert_non_null(kit.regions);
  assert_int_equal(kit.regions->pad_count, 3);

  flz_sampler *sampler = flz_sampler_instance();
  flz_loader *loader;
  assert_int_equal(flz_loader_start(0, &loader), FLZ_OK);
  static flz_kit_loading loading;
  assert_int_equal(flz_kit_start(&loading, &kit, sampler, loader, err), FLZ_OK);
  int polls = 0;
  while (flz_kit_poll(&loading, 10)) {
    settle(sampler);
    assert_true(++polls < 3000);
  }
  settle(sampler);
  assert_int_equal(loading.loaded, 3);
  assert_int_equal(loading.failed, 0);
  assert_int_equal(loading.regions_loaded, 4);
  assert_int_equal(loading.regions_failed, 1);
  for (uint32_t p = 0; p < 3; p++) {
    assert_int_equal(loading.pads[p].state, FLZ_KIT_PAD_LOADED);
    uint64_t done, total;
    flz_kit_pad_progress(&loading, p, &done, &total);
    assert_true(total > 0 && done == total);
  }
  char *text = read_stream(err);
  char line[256];
  snprintf(line, sizeof line, "error: %s/gone.wav: ", temp_dir);
  assert_non_null(strstr(text, line));
  assert_int_equal(count_lines(text), 1);
  assert_int_equal(strncmp(loading.pads[1].reason, "gone.wav: ", 10), 0);
  assert_int_equal(loading.pads[0].reason[0], '\0');
  free(text);

  for (uint32_t r = 0; r < 3; r++)
    assert_slot_holds(sampler, r, kit.regions->regions[r].path);
  assert_null(sampler->engine.slots[3].data);
  assert_int_equal(sampler->engine.slots[4].frame_count, 1);
  assert_true(sampler->engine.slots[4].data[0] == 0.0f);
  static const uint32_t first[3] = {0, 2, 4}, count[3] = {2, 2, 1};
  for (uint32_t p = 0; p < 3; p++) {
    assert_int_equal(sampler->engine.pads[p].first, first[p]);
    assert_int_equal(sampler->engine.pads[p].count, count[p]);
  }
  /* The regions that loaded (3, gone.wav's, is never sent: its slot stays
   * empty, so its pad's press finds nothing there). */
  for (uint32_t r = 0; r < 5; r++)
    if (r != 3)
      assert_int_equal(sampler->engine.regions[r].slot, r);
  assert_int_equal(sampler->engine.regions[1].lovel, 64);
  assert_int_equal(sampler->engine.regions[2].lokey, 38);
  assert_int_equal(sampler->engine.regions[4].lokey, 40);

  /* A folder kit next: the multi-sample pads are emptied. */
  static const char *const files[] = {"wav/drum_heavy_kick-44100.wav"};
  char dir[256];
  make_kit(dir, sizeof dir, "after-sfz", files, 1);
  flz_kit folder;
  assert_int_equal(flz_kit_scan(dir, &folder), FLZ_OK);
  assert_int_equal(flz_kit_start(&loading, &folder, sampler, loader, err), FLZ_OK);
  while (flz_kit_poll(&loading, 10))
    settle(sampler);
  settle(sampler);
  for (uint32_t p = 0; p < 3; p++)
    assert_int_equal(sampler->engine.pads[p].count, 0);
  assert_slot_holds(sampler, 0, folder.paths[0]);
  assert_null(sampler->engine.slots[1].data);
  fclose(err);
  flz_kit_stop(&loading);
  flz_kit_deinit(&folder);
  flz_kit_deinit(&kit);
  flz_loader_stop(loader);
}

/* Loads `kit` into `sampler` with its pool swapped for one of `capacity`
 * bytes: in the background (flz_kit_start, `live`) or blocking
 * (flz_kit_load, `flitz render`'s). Returns the error lines, malloc'ed;
 * the slots stay loaded until restore_pool. */
static char *load_in_a_small_pool(const flz_kit *kit, flz_sampler *sampler, void *arena,
                                  size_t capacity, flz_pool *saved, int live)
{
  for (uint32_t slot = 0; slot < FLZ_SLOTS; slot++)
    if (flz_sampler_slot_loaded(sampler, slot))
      assert_int_equal(flz_sampler_unload_sample(sampler, slot), FLZ_OK);
  settle(sampler);
  settle(sampler);
  assert_int_equal(flz_pool_used(&sampler->pool), 0);
  *saved = sampler->pool;
  assert_int_equal(flz_pool_init_preallocated(&sampler->pool, arena, capacity), FLZ_OK);
  FILE *err = tmpfile();
  assert_non_null(err);
  if (live) {
    flz_loader *loader;
    assert_int_equal(flz_loader_start(0, &loader), FLZ_OK);
    static flz_kit_loading loading;
    assert_int_equal(flz_kit_start(&loading, kit, sampler, loader, err), FLZ_OK);
    while (flz_kit_poll(&loading, 10))
      settle(sampler);
    assert_int_equal(loading.regions_loaded, 2);
    assert_int_equal(loading.regions_failed, 1);
    assert_int_equal(strncmp(loading.pads[2].reason, "loop_garzul.flac: does not fit", 30), 0);
    flz_kit_stop(&loading);
    flz_loader_stop(loader);
  } else {
    assert_int_equal(flz_kit_load(kit, sampler, err), 2);
  }
  settle(sampler);
  char *text = read_stream(err);
  fclose(err);
  return text;
}

/* Empties the slots, then gives the sampler its own pool back. */
static void restore_pool(flz_sampler *sampler, const flz_pool *saved)
{
  for (uint32_t slot = 0; slot < FLZ_SLOTS; slot++)
    if (flz_sampler_slot_loaded(sampler, slot))
      (void)flz_sampler_unload_sample(sampler, slot);
  settle(sampler);
  settle(sampler);
  assert_int_equal(flz_pool_used(&sampler->pool), 0);
  sampler->pool = *saved;
}

/* A multi-sample kit larger than the pool, in the background and blocking
 * (`flitz render`): the regions that fit load and their pads play; the
 * region that does not has the folder kit's line, with what it needs and
 * what the pool has left. */
static void
test_a_multi_sample_kit_larger_than_the_pool_names_the_regions_that_do_not_fit(void **state)
{
  (void)state;
  char link_path[128], sfz[128];
  snprintf(link_path, sizeof link_path, "%s/big-data", temp_dir);
  assert_int_equal(symlink(data_dir(), link_path), 0);
  snprintf(sfz, sizeof sfz, "%s/big.sfz", temp_dir);
  FILE *file = fopen(sfz, "w");
  assert_non_null(file);
  /* In region order as in path order: the blocking load decodes by path. */
  fputs("<region> sample=big-data/flac/drum_cowbell.flac key=36\n"
        "<region> sample=big-data/flac/drum_snare_hard.flac key=38\n"
        "<region> sample=big-data/flac/loop_garzul.flac key=40\n",
        file);
  assert_int_equal(fclose(file), 0);
  flz_kit kit;
  assert_int_equal(flz_kit_open(sfz, &kit, stderr), FLZ_OK);
  assert_int_equal(kit.regions->count, 3);
  /* Sizes at RATE from the decoder, each rounded up as the pool does. */
  uint64_t bytes[3];
  for (int i = 0; i < 3; i++) {
    flz_decoded decoded;
    assert_int_equal(flz_decode_file(kit.regions->regions[i].path, RATE, &decoded, NULL, NULL, 0),
                     FLZ_OK);
    uint64_t raw = decoded.frame_count * decoded.channels * sizeof(float);
    bytes[i] = (raw + FLZ_POOL_ALIGN - 1) / FLZ_POOL_ALIGN * FLZ_POOL_ALIGN;
    flz_decode_free(&decoded);
  }
  /* A pool that holds regions 1 and 2, and 1 MiB more: not region 3. */
  size_t capacity = (size_t)(bytes[0] + bytes[1] + 1048576);
  assert_true(bytes[2] > 1048576);
  void *arena = aligned_alloc(FLZ_POOL_ALIGN, capacity);
  assert_non_null(arena);
  char expected[1200];
  snprintf(expected, sizeof expected,
           "error: %s: does not fit in the sample pool (needs %.1f MiB, %.1f MiB free)\n",
           kit.regions->regions[2].path, (double)bytes[2] / 1048576.0, 1.0);

  flz_sampler *sampler = flz_sampler_instance();
  for (int live = 1; live >= 0; live--) {
    flz_pool saved;
    char *text = load_in_a_small_pool(&kit, sampler, arena, capacity, &saved, live);
    assert_string_equal(text, expected);
    free(text);
    assert_slot_holds(sampler, 0, kit.regions->regions[0].path);
    assert_slot_holds(sampler, 1, kit.regions->regions[1].path);
    assert_null(sampler->engine.slots[2].data);
    /* The pads of the regions that fit play them. */
    for (uint32_t p = 0; p < 2; p++) {
      assert_int_equal(sampler->engine.pads[p].first, p);
      assert_int_equal(sampler->engine.pads[p].count, 1);
      assert_int_equal(sampler->engine.regions[p].slot, p);
      assert_int_equal(sampler->engine.regions[p].lokey, 36 + 2 * p);
    }
    restore_pool(sampler, &saved);
  }
  free(arena);
  flz_kit_deinit(&kit);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_every_format_loads_in_the_background_and_bad_files_say_why),
    cmocka_unit_test(test_the_kits_interpolation_wins_over_the_samplers),
    cmocka_unit_test(test_another_kit_cancels_the_stale_loads),
    cmocka_unit_test(test_loader_never_reports_an_older_generation),
    cmocka_unit_test(test_kit_larger_than_the_pool_loads_what_fits_in_pad_order),
    cmocka_unit_test(
      test_a_multi_sample_kit_larger_than_the_pool_names_the_regions_that_do_not_fit),
    cmocka_unit_test(test_a_multi_sample_kit_loads_its_regions_in_the_background),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
