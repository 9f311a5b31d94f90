/* tests/app/test_options.c: the flitz command's option parser
 * (app/options.h): every option, the defaults, bad values, unknown options,
 * "--" and options-first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/options.h"
#include "engine/result.h"
#include "platform/wav_file.h"

#define ARGS(...) ((char *[]){__VA_ARGS__, NULL})
#define COUNT(...) ((int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)))

typedef struct parsed {
  flz_options options;
  int index;
  int result;
  char why[128];
} parsed;

static parsed parse(int argc, char **argv)
{
  parsed p;
  flz_options_init(&p.options);
  p.index = 1;
  p.result = flz_options_parse(argc, argv, &p.index, &p.options, p.why, sizeof(p.why));
  return p;
}

#define PARSE(...) parse(COUNT(__VA_ARGS__), ARGS(__VA_ARGS__))

static void test_defaults_are_48k_256_frames_f32(void **state)
{
  (void)state;
  parsed p = PARSE("flitz");
  assert_int_equal(p.result, FLZ_OK);
  assert_int_equal(p.index, 1);
  assert_int_equal(p.options.rate, 48000);
  assert_int_equal(p.options.period, 256);
  assert_int_equal(p.options.wav_format, FLZ_WAV_FLOAT32);
  assert_true(p.options.seconds == 0.0);
  assert_null(p.options.audio_device);
  assert_int_equal(p.options.headless, 0);
  assert_int_equal(p.options.no_fallback, 0);
  assert_int_equal(p.options.help, 0);
  assert_int_equal(p.options.version, 0);
}

static void test_every_option_sets_its_field(void **state)
{
  (void)state;
  parsed p = PARSE("flitz", "--headless", "--audio-device", "USB Audio", "--rate", "44100",
                   "--period", "128", "--no-fallback", "--seconds", "2.5", "--format", "s16",
                   "--version", "--help", "kit");
  assert_int_equal(p.result, FLZ_OK);
  assert_int_equal(p.index, 15);
  assert_int_equal(p.options.headless, 1);
  assert_string_equal(p.options.audio_device, "USB Audio");
  assert_int_equal(p.options.rate, 44100);
  assert_int_equal(p.options.period, 128);
  assert_int_equal(p.options.no_fallback, 1);
  assert_true(p.options.seconds == 2.5);
  assert_int_equal(p.options.wav_format, FLZ_WAV_S16);
  assert_int_equal(p.options.version, 1);
  assert_int_equal(p.options.help, 1);
}

static void test_equals_form_and_short_help(void **state)
{
  (void)state;
  parsed p = PARSE("flitz", "--rate=96000", "--format=f32", "--audio-device=hw:1", "-h");
  assert_int_equal(p.result, FLZ_OK);
  assert_int_equal(p.index, 5);
  assert_int_equal(p.options.rate, 96000);
  assert_int_equal(p.options.wav_format, FLZ_WAV_FLOAT32);
  assert_string_equal(p.options.audio_device, "hw:1");
  assert_int_equal(p.options.help, 1);
}

static void test_range_limits_are_inclusive(void **state)
{
  (void)state;
  parsed p = PARSE("flitz", "--rate", "8000", "--period", "16");
  assert_int_equal(p.result, FLZ_OK);
  assert_int_equal(p.options.rate, 8000);
  assert_int_equal(p.options.period, 16);
  p = PARSE("flitz", "--rate", "384000", "--period", "8192", "--seconds", "86400");
  assert_int_equal(p.result, FLZ_OK);
  assert_int_equal(p.options.rate, 384000);
  assert_int_equal(p.options.period, 8192);
  assert_true(p.options.seconds == 86400.0);
}

static void expect_error(parsed p, const char *why)
{
  assert_int_equal(p.result, FLZ_ERR_OPTION);
  assert_string_equal(p.why, why);
}

static void test_bad_numbers_name_the_option_and_its_range(void **state)
{
  (void)state;
  const char *rate = "--rate needs a number from 8000 to 384000";
  expect_error(PARSE("flitz", "--rate", "7999"), rate);
  expect_error(PARSE("flitz", "--rate", "384001"), rate);
  expect_error(PARSE("flitz", "--rate", "48k"), rate);
  expect_error(PARSE("flitz", "--rate", "-48000"), rate);
  expect_error(PARSE("flitz", "--rate", ""), rate);
  expect_error(PARSE("flitz", "--rate", "99999999999999999999999"), rate);
  expect_error(PARSE("flitz", "--rate"), rate);
  const char *period = "--period needs a number from 16 to 8192";
  expect_error(PARSE("flitz", "--period", "15"), period);
  expect_error(PARSE("flitz", "--period", "8193"), period);
  expect_error(PARSE("flitz", "--period", "2.5"), period);
  const char *seconds = "--seconds needs a number of seconds above 0 and at most 86400";
  expect_error(PARSE("flitz", "--seconds", "0"), seconds);
  expect_error(PARSE("flitz", "--seconds", "-1"), seconds);
  expect_error(PARSE("flitz", "--seconds", "nan"), seconds);
  expect_error(PARSE("flitz", "--seconds", "inf"), seconds);
  expect_error(PARSE("flitz", "--seconds", "86400.5"), seconds);
  expect_error(PARSE("flitz", "--seconds", "1s"), seconds);
  expect_error(PARSE("flitz", "--format", "wav"), "--format needs f32 or s16");
  expect_error(PARSE("flitz", "--format"), "--format needs f32 or s16");
  expect_error(PARSE("flitz", "--audio-device"), "--audio-device needs a device name");
  expect_error(PARSE("flitz", "--audio-device="), "--audio-device needs a device name");
  expect_error(PARSE("flitz", "--headless=1"), "--headless takes no value");
}

static void test_unknown_option_is_named(void **state)
{
  (void)state;
  expect_error(PARSE("flitz", "--foo"), "unknown option --foo");
  expect_error(PARSE("flitz", "--headless", "-x", "kit"), "unknown option -x");
  expect_error(PARSE("flitz", "--frobnicate=3"), "unknown option --frobnicate");
  expect_error(PARSE("flitz", "--a-very-long-option-name-that-is-no-option"),
               "unknown option --a-very-long-option-name-that-is-no-option");
}

static void test_double_dash_ends_the_options(void **state)
{
  (void)state;
  parsed p = PARSE("flitz", "--headless", "--", "--rate");
  assert_int_equal(p.result, FLZ_OK);
  assert_int_equal(p.index, 3);
  assert_int_equal(p.options.headless, 1);
  assert_int_equal(p.options.rate, 48000);
}

static void test_options_stop_at_the_first_operand(void **state)
{
  (void)state;
  parsed p = PARSE("render", "--rate", "44100", "kit", "--seconds", "2", "out.wav");
  assert_int_equal(p.result, FLZ_OK);
  assert_int_equal(p.index, 3);
  assert_int_equal(p.options.rate, 44100);
  assert_true(p.options.seconds == 0.0);
  p = PARSE("flitz", "-", "--headless");
  assert_int_equal(p.result, FLZ_OK);
  assert_int_equal(p.index, 1);
  assert_int_equal(p.options.headless, 0);
}

static void test_usage_names_every_option(void **state)
{
  (void)state;
  char text[4096] = "";
  FILE *out = fmemopen(text, sizeof(text) - 1, "w");
  assert_non_null(out);
  flz_options_usage(out);
  fclose(out);
  const char *names[] = {"--headless", "--audio-device", "--rate",        "--period",
                         "--help",     "--version",      "--no-fallback", "--seconds",
                         "--format",   "flitz render",   "flitz check"};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    assert_non_null(strstr(text, names[i]));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_defaults_are_48k_256_frames_f32),
    cmocka_unit_test(test_every_option_sets_its_field),
    cmocka_unit_test(test_equals_form_and_short_help),
    cmocka_unit_test(test_range_limits_are_inclusive),
    cmocka_unit_test(test_bad_numbers_name_the_option_and_its_range),
    cmocka_unit_test(test_unknown_option_is_named),
    cmocka_unit_test(test_double_dash_ends_the_options),
    cmocka_unit_test(test_options_stop_at_the_first_operand),
    cmocka_unit_test(test_usage_names_every_option),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
