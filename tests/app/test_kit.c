/* tests/app/test_kit.c: kit folders (app/kit.h): natural order, which files
 * become pads, the scan's errors, the FLZ_PADS cap and the default kit's
 * location. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/kit.h"
#include "engine/result.h"

#include "tempdir.h"

static void touch(const char *dir, const char *name)
{
  char path[512];
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  FILE *file = fopen(path, "wb");
  assert_non_null(file);
  fclose(file);
}

static void test_natural_order_of_name_pairs(void **state)
{
  (void)state;
  /* Each pair is in natural order: first < second. */
  static const char *const pairs[][2] = {
    {"2.wav", "10.wav"}, {"a2", "A10"},
    {"A2", "a10"},       {"kick", "kick2"},
    {"kick2", "kick10"}, {"01", "1"}, /* equal values: byte order puts the leading zero first */
    {"1", "02"},         {"001-a", "1-b"},
    {"x9y", "x10"},      {"snare.wav", "Snare2.wav"},
    {"A.wav", "a.wav"}, /* equal but for case: byte order */
    {"9", "a"},          {"pad 2", "pad 11"},
    {"0", "00001"},      {"18446744073709551616", "18446744073709551617"}, /* past 64 bits */
  };
  for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
    assert_int_equal(flz_kit_natural_compare(pairs[i][0], pairs[i][1]), -1);
    assert_int_equal(flz_kit_natural_compare(pairs[i][1], pairs[i][0]), 1);
  }
  assert_int_equal(flz_kit_natural_compare("10.wav", "10.wav"), 0);
  assert_int_equal(flz_kit_natural_compare("", ""), 0);
  assert_int_equal(flz_kit_natural_compare("", "a"), -1);
}

static void test_scan_picks_audio_files_in_natural_order(void **state)
{
  (void)state;
  char dir[64];
  flz_tempdir_make(dir, sizeof(dir), "flz-kit");
  touch(dir, "10.wav");
  touch(dir, "2.WAV");
  touch(dir, "b.oga");
  touch(dir, "A1.ogg");
  touch(dir, "c.Ogg");
  touch(dir, "notes.txt");
  touch(dir, "wav");
  touch(dir, ".x.wav");
  char sub[128];
  snprintf(sub, sizeof(sub), "%s/sub", dir);
  assert_int_equal(mkdir(sub, 0755), 0);
  touch(sub, "inside.wav");

  flz_kit kit;
  assert_int_equal(flz_kit_scan(dir, &kit), FLZ_OK);
  static const char *const expected[] = {"2.WAV", "10.wav", "A1.ogg", "b.oga", "c.Ogg"};
  assert_int_equal(kit.count, 5);
  assert_int_equal(kit.skipped, 0);
  assert_string_equal(kit.dir, dir);
  for (uint32_t i = 0; i < kit.count; i++) {
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, expected[i]);
    assert_string_equal(kit.paths[i], path);
  }
  flz_kit_deinit(&kit);
  flz_kit_deinit(&kit);
  assert_int_equal(kit.count, 0);

  /* A trailing '/' is not doubled. */
  char slash[80];
  snprintf(slash, sizeof(slash), "%s/", dir);
  assert_int_equal(flz_kit_scan(slash, &kit), FLZ_OK);
  char first[256];
  snprintf(first, sizeof(first), "%s/2.WAV", dir);
  assert_string_equal(kit.paths[0], first);
  flz_kit_deinit(&kit);
  flz_tempdir_remove(dir);
}

static void test_scan_errors_name_the_problem(void **state)
{
  (void)state;
  char dir[64];
  flz_tempdir_make(dir, sizeof(dir), "flz-kit");
  flz_kit kit;
  char path[128];

  snprintf(path, sizeof(path), "%s/missing", dir);
  assert_int_equal(flz_kit_scan(path, &kit), FLZ_ERR_NOT_FOUND);
  assert_int_equal(kit.count, 0);

  touch(dir, "notes.txt");
  touch(dir, ".hidden.wav");
  assert_int_equal(flz_kit_scan(dir, &kit), FLZ_ERR_EMPTY_KIT);
  assert_string_equal(flz_result_message(FLZ_ERR_EMPTY_KIT), "contains no audio files");

  snprintf(path, sizeof(path), "%s/notes.txt", dir);
  assert_int_equal(flz_kit_scan(path, &kit), FLZ_ERR_NOT_A_KIT);
  snprintf(path, sizeof(path), "%s/notes.txt/below", dir);
  assert_int_equal(flz_kit_scan(path, &kit), FLZ_ERR_NOT_FOUND);
  flz_tempdir_remove(dir);
}

static void test_scan_keeps_the_first_slots_and_counts_the_rest(void **state)
{
  (void)state;
  char dir[64];
  flz_tempdir_make(dir, sizeof(dir), "flz-kit");
  for (int i = 1; i <= FLZ_PADS + 2; i++) {
    char name[32];
    snprintf(name, sizeof(name), "%d.wav", i);
    touch(dir, name);
  }
  flz_kit kit;
  assert_int_equal(flz_kit_scan(dir, &kit), FLZ_OK);
  assert_int_equal(kit.count, FLZ_PADS);
  assert_int_equal(kit.skipped, 2);
  char last[128];
  snprintf(last, sizeof(last), "%s/%d.wav", dir, FLZ_PADS);
  assert_string_equal(kit.paths[FLZ_PADS - 1], last);
  flz_kit_deinit(&kit);
  flz_tempdir_remove(dir);
}

static void test_default_kit_is_found_next_to_the_executable(void **state)
{
  (void)state;
  char exe[1024];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  assert_true(n > 0);
  exe[n] = '\0';
  *strrchr(exe, '/') = '\0';
  char kit_dir[1100];
  char default_dir[1200];
  snprintf(kit_dir, sizeof(kit_dir), "%s/kit", exe);
  snprintf(default_dir, sizeof(default_dir), "%s/kit/default", exe);
  flz_tempdir_remove(kit_dir);

  char out[1200];
  assert_int_equal(flz_kit_default_dir(out, sizeof(out)), FLZ_ERR_NOT_FOUND);
  assert_int_equal(mkdir(kit_dir, 0755), 0);
  assert_int_equal(mkdir(default_dir, 0755), 0);
  assert_int_equal(flz_kit_default_dir(out, sizeof(out)), FLZ_OK);
  char expected[1200];
  snprintf(expected, sizeof(expected), "%s/kit/default", exe);
  assert_string_equal(out, expected);
  assert_int_equal(flz_kit_default_dir(out, 8), FLZ_ERR_ARGUMENT);
  flz_tempdir_remove(kit_dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_natural_order_of_name_pairs),
    cmocka_unit_test(test_scan_picks_audio_files_in_natural_order),
    cmocka_unit_test(test_scan_errors_name_the_problem),
    cmocka_unit_test(test_scan_keeps_the_first_slots_and_counts_the_rest),
    cmocka_unit_test(test_default_kit_is_found_next_to_the_executable),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
