/* tests/app/test_sfz.c: the SFZ reader on texts the tests write: header
 * inheritance, paths with spaces and default_path, pads by key range, the
 * messages of malformed lines, and hostile files (an include loop, more
 * regions and pads than the engine holds). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/kitfmt/sfz.h"
#include "engine/result.h"

/* Parses `text` with folder `dir`; returns the result and what it printed. */
static int parse(const char *text, const char *dir, flz_kit_regions *out, char **printed)
{
  size_t size = 0;
  FILE *err = open_memstream(printed, &size);
  assert_non_null(err);
  int result = flz_sfz_parse("kit.sfz", text, strlen(text), dir, out, err);
  fclose(err);
  return result;
}

/* Choke groups are numbered 1..255 by the off_by values, in the order the
 * file first names them; a group no off_by names chokes nothing (0); the
 * 256th off_by value on is a warning, and its regions are never choked. */
static void off_by_values_number_the_choke_groups(void **state)
{
  (void)state;
  static char text[300 * 64];
  size_t used = 0;
  used += (size_t)snprintf(text + used, sizeof text - used,
                           "<region> sample=*silence key=1 group=900 off_by=7\n"
                           "<region> sample=*silence key=2 group=7 off_by=900\n"
                           "<region> sample=*silence key=3 group=8\n");
  for (unsigned i = 0; i < 254; i++)
    used += (size_t)snprintf(text + used, sizeof text - used,
                             "<region> sample=*silence key=%u off_by=%u\n", 4 + i / 100, 1000 + i);
  flz_kit_regions kit;
  char *printed = NULL;
  assert_int_equal(parse(text, "/kits", &kit, &printed), FLZ_OK);
  assert_string_equal(printed,
                      "warning: kit.sfz: 1 off_by groups past the first 255 choke nothing\n");
  free(printed);
  assert_int_equal(kit.regions[0].region.group, 2);
  assert_int_equal(kit.regions[0].region.off_by, 1);
  assert_int_equal(kit.regions[1].region.group, 1);
  assert_int_equal(kit.regions[1].region.off_by, 2);
  assert_int_equal(kit.regions[2].region.group, 0);
  assert_int_equal(kit.regions[3].region.off_by, 3);
  assert_int_equal(kit.regions[255].region.off_by, 255);
  assert_int_equal(kit.regions[256].region.off_by, 0);
  flz_kit_regions_free(&kit);
}

static void regions_inherit_and_group_into_pads_by_key_range(void **state)
{
  (void)state;
  flz_kit_regions kit;
  char *printed = NULL;
  assert_int_equal(parse("<control> default_path=drums\\\n"
                         "<global> ampeg_release=0.25 amp_veltrack=0\n"
                         "<group> lokey=c2 hikey=c#2 seq_length=2 off_by=5\n"
                         "<region> sample=My Kick.wav seq_position=1 lovel=0\n"
                         "<region> sample=sub/k2.wav seq_position=2 hivel=90 volume=-6\n"
                         "<region> sample=*silence key=30 group=5 loop_end=99\n",
                         "/kits", &kit, &printed),
                   FLZ_OK);
  assert_string_equal(printed, "");
  free(printed);
  assert_int_equal(kit.pad_count, 2);
  assert_int_equal(kit.count, 3);
  /* Pad 1 is the lower key range: the *silence region at key 30. */
  assert_int_equal(kit.pad_keys[0], 30);
  assert_null(kit.regions[0].path);
  assert_int_equal(kit.regions[0].region.group, 1); /* choke group 1: off_by 5 */
  assert_int_equal(kit.pads[0].group, 0);           /* groups are the regions' */
  assert_int_equal(kit.regions[0].params.loop_end, 100);
  assert_int_equal(kit.pad_keys[1], 36);
  assert_int_equal(kit.pads[1].first, 1);
  assert_int_equal(kit.pads[1].count, 2);
  assert_int_equal(kit.pads[1].seq_length, 2);
  assert_int_equal(kit.regions[1].region.off_by, 1);
  assert_int_equal(kit.regions[2].region.off_by, 1);
  assert_int_equal(kit.pads[1].off_by, 0);
  assert_string_equal(kit.regions[1].path, "/kits/drums/My Kick.wav");
  assert_string_equal(kit.regions[2].path, "/kits/drums/sub/k2.wav");
  const flz_region *first = &kit.regions[1].region;
  assert_int_equal(first->lokey, 36);
  assert_int_equal(first->hikey, 37);
  assert_int_equal(first->lovel, 1);
  assert_int_equal(first->seq_position, 1);
  assert_true(first->release_ms == 250.0f);
  assert_true(first->veltrack == 0.0f);
  assert_int_equal(kit.regions[2].region.hivel, 90);
  assert_float_equal(kit.regions[2].params.gain, 0.501187f, 1e-6);
  flz_kit_regions_free(&kit);
}

static void malformed_lines_are_errors_with_file_and_line(void **state)
{
  (void)state;
  static const struct {
    const char *text, *printed;
  } cases[] = {
    {"<region sample=a.wav\n", "error: kit.sfz:1: a header without its '>'\n"},
    {"<region> sample=a.wav\ngarbage here\n",
     "error: kit.sfz:2: expected opcode=value or a <header>, not 'garbage'\n"},
    {"<region> sample=a.wav key=\n", "error: kit.sfz:1: opcode 'key' has no value\n"},
    {"sample=a.wav\n",
     "error: kit.sfz:1: opcode 'sample' before any header (<global>, <group>, <region>...)\n"},
    {"<region> sample=a.wav key=36 extra\n",
     "error: kit.sfz:1: key must be a MIDI note 0..127 or a name like c4, not '36 extra'\n"},
    {"<region> sample=a.wav loop_mode=forever\n",
     "error: kit.sfz:1: loop_mode must be no_loop, one_shot, loop_continuous, loop_sustain, not "
     "'forever'\n"},
    {"<region> sample=a.wav pan=120\n",
     "error: kit.sfz:1: pan must be a number from -100 to 100, not '120'\n"},
    {"<region> sample=a.wav amp_velcurve_200=0.5\n",
     "error: kit.sfz:1: the N of amp_velcurve_N must be a whole number from 0 to 127, not '200'\n"},
    {"#define KICK 36\n", "error: kit.sfz:1: #define needs $NAME and one value\n"},
    {"#include missing.sfz\n", "error: kit.sfz:1: #include needs a \"FILE\" in double quotes\n"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    flz_kit_regions kit;
    char *printed = NULL;
    assert_int_equal(parse(cases[i].text, "/kits", &kit, &printed), FLZ_ERR_SYNTAX);
    assert_string_equal(printed, cases[i].printed);
    free(printed);
  }
}

static void unknown_opcodes_and_headers_warn_and_the_kit_loads(void **state)
{
  (void)state;
  flz_kit_regions kit;
  char *printed = NULL;
  assert_int_equal(parse("<region> sample=a.wav fil_type=lpf_2p\n<curve> v000=0\n"
                         "<region> sample=b.wav amp_velcurve_127=1\n",
                         "/kits", &kit, &printed),
                   FLZ_OK);
  assert_string_equal(printed,
                      "warning: kit.sfz:1: unknown opcode 'fil_type' (ignored)\n"
                      "warning: kit.sfz:2: unknown header <curve> (its opcodes are ignored)\n");
  free(printed);
  assert_int_equal(kit.count, 2);
  flz_kit_regions_free(&kit);
}

static void amp_velcurve_points_make_the_pads_curve(void **state)
{
  (void)state;
  flz_kit_regions kit;
  char *printed = NULL;
  assert_int_equal(parse("<region> sample=a.wav key=36 amp_velcurve_64=0.8 amp_velcurve_100=0.9\n"
                         "<region> sample=b.wav key=38\n",
                         "/kits", &kit, &printed),
                   FLZ_OK);
  free(printed);
  assert_int_equal(kit.pads[0].velcurve, 1);
  assert_int_equal(kit.pads[1].velcurve, 0);
  const float *curve = kit.velcurves[0];
  assert_true(curve[0] == 0.0f);
  assert_true(curve[64] == 0.8f);
  assert_true(curve[100] == 0.9f);
  assert_true(curve[127] == 1.0f);
  assert_float_equal(curve[32], 0.4f, 1e-6);  /* halfway from 0 to 0.8 */
  assert_float_equal(curve[82], 0.85f, 1e-6); /* halfway from 0.8 to 0.9 */
  flz_kit_regions_free(&kit);
}

static void an_include_loop_is_an_error_line(void **state)
{
  (void)state;
  char dir[] = "/tmp/flitz-sfz-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[128];
  snprintf(path, sizeof path, "%s/loop.sfz", dir);
  FILE *file = fopen(path, "w");
  assert_non_null(file);
  fputs("#include \"loop.sfz\"\n", file);
  fclose(file);
  flz_kit_regions kit;
  char *printed = NULL;
  assert_int_equal(parse("<region> sample=a.wav\n#include \"loop.sfz\"\n", dir, &kit, &printed),
                   FLZ_ERR_SYNTAX);
  char want[256];
  snprintf(want, sizeof want,
           "error: %s/loop.sfz:1: #include nested deeper than %d files (an include loop?)\n", dir,
           FLZ_SFZ_INCLUDE_DEPTH);
  assert_string_equal(printed, want);
  free(printed);
  remove(path);
  remove(dir);
}

static void regions_past_the_engines_capacity_are_named_and_the_rest_loads(void **state)
{
  (void)state;
  /* FLZ_REGIONS + 10 regions over 128 keys, then pads of 300 key ranges. */
  size_t capacity = (FLZ_REGIONS + 400) * 48;
  char *text = malloc(capacity);
  assert_non_null(text);
  size_t n = 0;
  for (uint32_t i = 0; i < FLZ_REGIONS + 10; i++)
    n += (size_t)snprintf(text + n, capacity - n, "<region> sample=a.wav key=%u\n", i % 128);
  flz_kit_regions kit;
  char *printed = NULL;
  assert_int_equal(parse(text, "/kits", &kit, &printed), FLZ_OK);
  char want[256];
  snprintf(want, sizeof want,
           "error: kit.sfz: more regions than the engine holds (10 past %u regions, %u pads or %u "
           "regions a pad not loaded)\n",
           (unsigned)FLZ_REGIONS, (unsigned)FLZ_PADS, (unsigned)FLZ_PAD_REGIONS);
  assert_string_equal(printed, want);
  free(printed);
  assert_int_equal(kit.count, FLZ_REGIONS);
  assert_int_equal(kit.pad_count, 128);
  flz_kit_regions_free(&kit);

  n = 0;
  for (uint32_t i = 0; i < 300; i++)
    n += (size_t)snprintf(text + n, capacity - n, "<region> sample=a.wav lokey=%u hikey=%u\n",
                          i / 128, i % 128 > i / 128 ? i % 128 : 127);
  assert_int_equal(parse(text, "/kits", &kit, &printed), FLZ_OK);
  assert_int_equal(kit.pad_count, FLZ_PADS);
  assert_true(kit.skipped > 0); /* the key ranges past the 256th pad */
  assert_int_equal(kit.count + kit.skipped, 300);
  free(printed);
  flz_kit_regions_free(&kit);
  free(text);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(regions_inherit_and_group_into_pads_by_key_range),
    cmocka_unit_test(off_by_values_number_the_choke_groups),
    cmocka_unit_test(malformed_lines_are_errors_with_file_and_line),
    cmocka_unit_test(unknown_opcodes_and_headers_warn_and_the_kit_loads),
    cmocka_unit_test(amp_velcurve_points_make_the_pads_curve),
    cmocka_unit_test(an_include_loop_is_an_error_line),
    cmocka_unit_test(regions_past_the_engines_capacity_are_named_and_the_rest_loads),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
