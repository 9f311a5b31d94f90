/* tests/app/test_kitfile.c: kit.ini (app/kitfile.h): every key read, the
 * defaults, each kind of bad line reported with its number and reason, and
 * pad settings turned into engine parameters. */
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

#include "app/kitfile.h"
#include "engine/result.h"
#include "readme.h"

static flz_kitfile kit;
static char path[64];

static void write_ini(const char *text)
{
  snprintf(path, sizeof path, "/tmp/flitz-kitfile-XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *file = fdopen(fd, "w");
  assert_non_null(file);
  fputs(text, file);
  fclose(file);
}

static int load(const char *text, uint32_t *line, char *why, size_t size)
{
  write_ini(text);
  int result = flz_kitfile_load(path, &kit, line, why, size);
  remove(path);
  return result;
}

static void every_key_is_read(void **state)
{
  (void)state;
  uint32_t line = 99;
  char why[160];
  int result = load("; a kit\n"
                    "[kit]\n"
                    "bpm = 92.5\n"
                    "quantize = 1/8\n"
                    "multi_loop = false\n"
                    "bank_size = 8\n"
                    "speed = 1.25\n"
                    "interpolation = hermite\n"
                    "\n"
                    "[pad 3]\n"
                    "file = loops/amen.wav ; inline comment\n"
                    "mode = loop-gate\n"
                    "retrigger = layer\n"
                    "choke = 2\n"
                    "gain_db = -6\n"
                    "pan = -0.5\n"
                    "tune = 1.5\n"
                    "start = 100\n"
                    "end = 44100\n"
                    "loop_start = 1000\n"
                    "loop_end = 22050\n"
                    "reverse = true\n"
                    "velocity_curve = db:30\n"
                    "bpm = 170\n"
                    "bpm_lock = true\n"
                    "# another comment\n"
                    "[pad 256]\n"
                    "velocity_curve = linear\n",
                    &line, why, sizeof why);
  assert_int_equal(result, FLZ_OK);
  assert_int_equal(line, 0);
  assert_true(kit.bpm == 92.5f);
  assert_int_equal(kit.quantize, FLZ_QUANTIZE_8TH);
  assert_int_equal(kit.multi_loop, 0);
  assert_int_equal(kit.bank_size, 8);
  assert_true(kit.speed == 1.25f);
  assert_int_equal(kit.interpolation, FLZ_INTERPOLATION_HERMITE + 1);
  const flz_pad_settings *pad = &kit.pads[2];
  assert_string_equal(pad->file, "loops/amen.wav");
  assert_true(pad->set & FLZ_PAD_FILE);
  assert_true(pad->set & FLZ_PAD_LOOP_POINTS);
  assert_int_equal(pad->mode, FLZ_MODE_LOOP_GATE);
  assert_int_equal(pad->retrigger, FLZ_RETRIGGER_LAYER);
  assert_int_equal(pad->choke, 2);
  assert_true(pad->gain_db == -6.0f);
  assert_true(pad->pan == -0.5f);
  assert_true(pad->tune == 1.5f);
  assert_int_equal(pad->start, 100);
  assert_int_equal(pad->end, 44100);
  assert_int_equal(pad->loop_start, 1000);
  assert_int_equal(pad->loop_end, 22050);
  assert_int_equal(pad->reverse, 1);
  assert_int_equal(pad->curve, FLZ_CURVE_DB);
  assert_true(pad->curve_db == 30.0f);
  assert_true(pad->bpm == 170.0f);
  assert_int_equal(pad->bpm_lock, 1);
  assert_int_equal(kit.pads[255].curve, FLZ_CURVE_LINEAR);
  /* Untouched pads keep the kit defaults. */
  assert_int_equal(kit.pads[0].mode, FLZ_MODE_ONESHOT);
  assert_int_equal(kit.pads[0].retrigger, FLZ_RETRIGGER_RESTART);
  assert_int_equal(kit.pads[0].curve, FLZ_CURVE_SQUARE);
  assert_int_equal(kit.pads[0].set, 0);
}

static void the_defaults_hold_without_a_file(void **state)
{
  (void)state;
  uint32_t line = 7;
  char why[64];
  assert_int_equal(flz_kitfile_load("/nonexistent/kit.ini", &kit, &line, why, sizeof why),
                   FLZ_ERR_NOT_FOUND);
  assert_true(kit.bpm == 120.0f);
  assert_int_equal(kit.quantize, FLZ_QUANTIZE_OFF);
  assert_int_equal(kit.multi_loop, 1);
  assert_int_equal(kit.bank_size, 16);
  assert_true(kit.speed == 1.0f);
  assert_int_equal(kit.interpolation, 0); /* flitz.ini's */
}

static void expect_bad(const char *text, uint32_t line, const char *reason)
{
  uint32_t got = 0;
  char why[200];
  assert_int_equal(load(text, &got, why, sizeof why), FLZ_ERR_SYNTAX);
  assert_int_equal(got, line);
  assert_string_equal(why, reason);
}

static void a_bad_line_names_its_number_and_reason(void **state)
{
  (void)state;
  expect_bad("[kit]\nbpm = 92\ngian = 3\n", 3, "unknown key 'gian' in [kit]");
  expect_bad("[kit]\nbpm = fast\n", 2, "bpm must be a number from 20 to 999, not 'fast'");
  expect_bad("[kit]\nbpm = 5\n", 2, "bpm must be a number from 20 to 999, not '5'");
  expect_bad("[kit]\nquantize = 1/32\n", 2,
             "quantize must be off, 1/16, 1/8, 1/4 or bar, not '1/32'");
  expect_bad("[kit]\nmulti_loop = maybe\n", 2, "multi_loop must be true or false, not 'maybe'");
  expect_bad("[kit]\nbank_size = 4.5\n", 2,
             "bank_size must be a whole number from 1 to 256, not '4.5'");
  expect_bad("[kit]\nspeed = 3\n", 2, "speed must be a number from 0.5 to 2.0, not '3'");
  expect_bad("[kit]\ninterpolation = cubic\n", 2,
             "interpolation must be default, linear, hermite or sinc, not 'cubic'");
  expect_bad("[pad 1]\nmode = once\n", 2,
             "mode must be oneshot, gate, loop or loop-gate, not 'once'");
  expect_bad("[pad 1]\nretrigger = again\n", 2, "retrigger must be restart or layer, not 'again'");
  expect_bad("[pad 1]\nchoke = -1\n", 2, "choke must be a group number (0 = none), not '-1'");
  expect_bad("[pad 1]\ngain_db = 30\n", 2, "gain_db must be a number from -96 to 24, not '30'");
  expect_bad("[pad 1]\npan = 2\n", 2, "pan must be a number from -1 to 1, not '2'");
  expect_bad("[pad 1]\ntune = 60\n", 2, "tune must be semitones from -48 to 48, not '60'");
  expect_bad("[pad 1]\nstart = -5\n", 2, "start must be a frame number, not '-5'");
  expect_bad("[pad 1]\nloop_end = 1e3\n", 2, "loop_end must be a frame number, not '1e3'");
  expect_bad("[pad 1]\nreverse = sometimes\n", 2, "reverse must be true or false, not 'sometimes'");
  expect_bad("[pad 1]\nvelocity_curve = db:\n", 2,
             "velocity_curve must be square, linear or db:R (R from 1 to 120), not 'db:'");
  expect_bad("[pad 1]\nbpm = 10\n", 2, "bpm must be 0 or a number from 20 to 999, not '10'");
  expect_bad("[pad 1]\nbpm_lock = 2\n", 2, "bpm_lock must be true or false, not '2'");
  expect_bad("[pad 1]\nvolume = 3\n", 2, "unknown key 'volume' in [pad 1]");
  expect_bad("[pad 0]\nmode = gate\n", 2, "[pad 0] must be [pad N] with N from 1 to 256");
  expect_bad("[pad 257]\nmode = gate\n", 2, "[pad 257] must be [pad N] with N from 1 to 256");
  expect_bad("[pads]\nmode = gate\n", 2, "[pads] must be [pad N] with N from 1 to 256");
  expect_bad("[drums]\nmode = gate\n", 2, "unknown section [drums] (kit or pad N)");
  expect_bad("[kit]\nthis is not ini\n", 2, "not an INI line (expected [section] or key = value)");
  /* The first bad line is the one reported. */
  expect_bad("[kit]\nbpm = 1\nspeed = 9\n", 2, "bpm must be a number from 20 to 999, not '1'");
  /* Pad numbers past 32 bits or signed do not wrap to pad 1. */
  expect_bad("[pad 4294967297]\nmode = gate\n", 2,
             "[pad 4294967297] must be [pad N] with N from 1 to 256");
  expect_bad("[pad -4294967295]\nmode = gate\n", 2,
             "[pad -4294967295] must be [pad N] with N from 1 to 256");
  expect_bad("[pad +1]\nmode = gate\n", 2, "[pad +1] must be [pad N] with N from 1 to 256");
  /* An unclosed section line is its own error, at its own line. */
  expect_bad("[kit]\nbpm = 100\n[pad 1\nmode = gate\n", 3,
             "section line '[pad 1' has no closing ']'");
  /* Frame points against each other, at the line of the key named. */
  expect_bad("[pad 2]\nstart = 2000\nend = 1000\n", 3, "[pad 2] end 1000 is not after start 2000");
  expect_bad("[pad 2]\nend = 1000\nstart = 1000\n", 2, "[pad 2] end 1000 is not after start 1000");
  expect_bad("[pad 1]\nloop_start = 500\nloop_end = 400\n", 3,
             "[pad 1] loop_end 400 is not after loop_start 500");
  expect_bad("[pad 1]\nend = 300\nloop_end = 400\n", 3, "[pad 1] loop_end 400 is past end 300");
  expect_bad("[pad 1]\nend = 300\nloop_start = 300\n", 3,
             "[pad 1] loop_start 300 is not before end 300");
  expect_bad("[pad 1]\nstart = 500\nloop_end = 400\n", 3,
             "[pad 1] loop_end 400 is not after start 500");
}

/* A comment over the line limit is an error, not a key read from its tail. */
static void a_long_line_is_refused_not_split(void **state)
{
  (void)state;
  char text[400];
  snprintf(text, sizeof text, "[pad 1]\n; %0250d mode = loop\n", 0);
  expect_bad(text, 2, "line is longer than 198 characters");
}

/* The file's length, once known: start past it plays nothing. */
static void points_are_checked_against_the_files_length(void **state)
{
  (void)state;
  uint32_t line = 0;
  char why[160];
  assert_int_equal(load("[pad 3]\nstart = 48000\nend = 0\n", &line, why, sizeof why), FLZ_OK);
  assert_int_equal(flz_kitfile_check_points(&kit.pads[2], 3, 96000, &line, why, sizeof why), 1);
  assert_int_equal(flz_kitfile_check_points(&kit.pads[2], 3, 48000, &line, why, sizeof why), 0);
  assert_int_equal(line, 2);
  assert_string_equal(why, "[pad 3] start 48000 is past the file's end (48000 frames)");
  assert_int_equal(load("[pad 1]\nend = 100\n", &line, why, sizeof why), FLZ_OK);
  assert_int_equal(flz_kitfile_check_points(&kit.pads[0], 1, 99, &line, why, sizeof why), 0);
  assert_string_equal(why, "[pad 1] end 100 is past the file's end (99 frames)");
  assert_int_equal(load("[pad 1]\n\nloop_end = 100\n", &line, why, sizeof why), FLZ_OK);
  assert_int_equal(flz_kitfile_check_points(&kit.pads[0], 1, 99, &line, why, sizeof why), 0);
  assert_int_equal(line, 3);
  assert_string_equal(why, "[pad 1] loop_end 100 is past the file's end (99 frames)");
}

/* A device or FIFO would never end: refused before reading. */
static void a_file_that_is_not_regular_is_refused(void **state)
{
  (void)state;
  uint32_t line = 0;
  char why[160] = "";
  assert_int_equal(flz_kitfile_load("/dev/zero", &kit, &line, why, sizeof why), FLZ_ERR_READ);
  assert_string_equal(why, "not a regular file");
}

/* Spellings the table's types accept beyond the plain ones, as kit.ini always
 * did: whole numbers in strtod syntax, any zero for a pad's bpm. */
static void numbers_read_in_every_spelling_they_always_did(void **state)
{
  (void)state;
  uint32_t line = 99;
  char detail[160];
  assert_int_equal(load("[kit]\nbank_size = 1e1\n[pad 2]\nchoke = 5.0\nbpm = 0.0\n"
                        "[pad 3]\nbpm = -0\nstart = 007\n",
                        &line, detail, sizeof detail),
                   FLZ_OK);
  assert_int_equal(kit.bank_size, 10);
  assert_int_equal(kit.pads[1].choke, 5);
  assert_true(kit.pads[1].bpm == 0.0f);
  assert_true(kit.pads[2].bpm == 0.0f);
  assert_int_equal(kit.pads[2].start, 7);
  assert_int_equal(kit.pads[2].set, 0);
  expect_bad("[pad 1]\nfile =\n", 2, "file must be a file name, not ''");
  expect_bad("[kit]\nbank_size = 0.0\n", 2,
             "bank_size must be a whole number from 1 to 256, not '0.0'");
}

/* README.md's kit.ini key list is what the table writes: the docs cannot
 * drift from the parser. */
static void readme_lists_the_keys_as_the_table_writes_them(void **state)
{
  (void)state;
  char *documented = flz_readme_block("kit.ini keys");
  char *written = flz_readme_written(flz_kitfile_document);
  assert_non_null(documented);
  assert_non_null(written);
  assert_string_equal(documented, written);
  assert_non_null(strstr(written, "speed = 1.0          ; global speed, 0.5..2.0\n"));
  free(documented);
  free(written);
}

static void pad_settings_become_engine_parameters(void **state)
{
  (void)state;
  flz_kitfile_init(&kit);
  flz_pad_settings *pad = &kit.pads[0];
  pad->mode = FLZ_MODE_LOOP;
  pad->gain_db = -6.0f;
  pad->pan = 0.25f;
  pad->tune = 12.0f;
  pad->start = 441;
  pad->end = 44100;
  pad->reverse = 1;
  pad->choke = 3;
  pad->bpm = 90.0f;
  pad->bpm_lock = 1;
  flz_slot_params params;
  /* A 44.1 kHz file into a 48 kHz engine: frames scale by 48000/44100. */
  flz_kitfile_params(pad, 44100, 48000, 480, 4800, &params);
  assert_int_equal(params.mode, FLZ_MODE_LOOP);
  assert_int_equal(params.retrigger, FLZ_RETRIGGER_RESTART);
  assert_float_equal(params.gain, powf(10.0f, -6.0f / 20.0f), 1e-7);
  assert_true(params.pan == 0.25f);
  assert_float_equal(params.rate, 2.0f, 1e-6);
  assert_int_equal(params.start, 480);
  assert_int_equal(params.end, 48000);
  assert_int_equal(params.reverse, 1);
  assert_int_equal(params.choke, 3);
  assert_true(params.bpm == 90.0f);
  assert_int_equal(params.bpm_lock, 1);
  /* No loop points in the section: the file's own (smpl) loop. */
  assert_int_equal(params.loop_start, 480);
  assert_int_equal(params.loop_end, 4800);
  pad->set |= FLZ_PAD_LOOP_POINTS;
  pad->loop_start = 4410;
  pad->loop_end = 8820;
  flz_kitfile_params(pad, 44100, 48000, 480, 4800, &params);
  assert_int_equal(params.loop_start, 4800);
  assert_int_equal(params.loop_end, 9600);
}

static void quantize_words_map_to_grids(void **state)
{
  (void)state;
  assert_int_equal(flz_kitfile_quantize("off"), FLZ_QUANTIZE_OFF);
  assert_int_equal(flz_kitfile_quantize("1/16"), FLZ_QUANTIZE_16TH);
  assert_int_equal(flz_kitfile_quantize("1/8"), FLZ_QUANTIZE_8TH);
  assert_int_equal(flz_kitfile_quantize("1/4"), FLZ_QUANTIZE_4TH);
  assert_int_equal(flz_kitfile_quantize("bar"), FLZ_QUANTIZE_BAR);
  assert_int_equal(flz_kitfile_quantize("1/2"), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_key_is_read),
    cmocka_unit_test(the_defaults_hold_without_a_file),
    cmocka_unit_test(a_bad_line_names_its_number_and_reason),
    cmocka_unit_test(pad_settings_become_engine_parameters),
    cmocka_unit_test(quantize_words_map_to_grids),
    cmocka_unit_test(numbers_read_in_every_spelling_they_always_did),
    cmocka_unit_test(readme_lists_the_keys_as_the_table_writes_them),
    cmocka_unit_test(a_long_line_is_refused_not_split),
    cmocka_unit_test(points_are_checked_against_the_files_length),
    cmocka_unit_test(a_file_that_is_not_regular_is_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
