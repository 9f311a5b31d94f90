/* tests/tools/test_bench.c: `flitz bench` (tools/bench/bench.h, tools/bench/mix.h,
 * tools/bench/jitter.h) prints well-formed JSON lines with sane fields. The
 * benchmarks run in tiny configurations; no test asserts on a time (the
 * figures depend on the machine), only on the lines' shape and on what the
 * definitions imply (a slowest period is at least the mean period; p50 <=
 * p99 <= max). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tools/bench/bench.h"
#include "tools/bench/jitter.h"
#include "tools/bench/mix.h"
#include "engine/message.h"
#include "tests/app/capture.h"
#include "platform/wav_file.h"
#include "engine/result.h"

#define ARGV(...) ((char *[]){__VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)))
#define BENCH(...) flz_capture_run(flz_bench_main, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

/* Consumes `text` at *p or fails the test. */
static void expect(const char **p, const char *text)
{
  size_t n = strlen(text);
  if (strncmp(*p, text, n) != 0)
    fail_msg("expected '%s' at '%.40s'", text, *p);
  *p += n;
}

/* Consumes a JSON number at *p and returns it; fails unless it is finite. */
static double number(const char **p)
{
  char *end = NULL;
  double value = strtod(*p, &end);
  if (end == *p || !isfinite(value))
    fail_msg("expected a finite number at '%.40s'", *p);
  *p = end;
  return value;
}

/* The whole text a FILE received, NUL-terminated; malloc'ed. */
static char *file_text(FILE *file)
{
  long size = ftell(file);
  assert_true(size >= 0);
  char *text = calloc((size_t)size + 1, 1);
  assert_non_null(text);
  rewind(file);
  assert_int_equal(fread(text, 1, (size_t)size, file), (size_t)size);
  return text;
}

/* 1 and 2 voices, 0.04 s (30 periods of 64 frames) each after 0.02 s (15
 * periods) of warm-up, from 2 samples of one second: each configuration
 * reads at most (15 + 30) x 64 x 1.5 + 2 = 4322 frames of a sample, and the
 * 4 configurations' spans fit in 48000 frames. */
static void tiny_mix_config(flz_bench_mix_config *config)
{
  flz_bench_mix_config_init(config);
  config->seconds = 0.04;
  config->warmup_seconds = 0.02;
  config->samples = 2;
  config->sample_frames = 48000;
  config->counts = 2;
  config->voices[0] = 1;
  config->voices[1] = 2;
  config->interpolation = FLZ_INTERPOLATION_LINEAR;
}

static void test_mix_bench_prints_one_line_per_speed_and_voice_count(void **state)
{
  (void)state;
  flz_bench_mix_config config;
  tiny_mix_config(&config);
  FILE *out = tmpfile();
  assert_non_null(out);
  assert_int_equal(flz_bench_mix_run(&config, out), FLZ_OK);
  char *text = file_text(out);
  fclose(out);

  static const unsigned voices[] = {1, 2, 1, 2};
  static const double speeds[] = {1.0, 1.0, 1.5, 1.5};
  const char *p = text;
  for (int line = 0; line < 4; line++) {
    expect(&p, "{\"bench\":\"mix\",\"voices\":");
    assert_int_equal((unsigned)number(&p), voices[line]);
    expect(&p, ",\"speed\":");
    assert_true(number(&p) == speeds[line]);
    expect(&p, ",\"interpolation\":\"linear\",\"period\":");
    assert_int_equal((unsigned)number(&p), 64);
    expect(&p, ",\"ns_per_voice_frame\":");
    double ns = number(&p);
    expect(&p, ",\"median_ns_per_voice_frame\":");
    double median = number(&p);
    expect(&p, ",\"worst_period_us\":");
    double worst_us = number(&p);
    expect(&p, "}\n");
    assert_true(ns > 0.0);
    assert_true(median > 0.0);
    /* The slowest period takes at least the mean period, ns x voices x 64,
     * and the median one, up to the printed rounding: 0.0005 ns per
     * voice-frame, 0.005 us. */
    double mean_us = ns * voices[line] * 64 / 1000.0;
    double median_us = median * voices[line] * 64 / 1000.0;
    double rounding_us = 0.0005 * voices[line] * 64 / 1000.0 + 0.005;
    assert_true(worst_us + rounding_us >= mean_us);
    assert_true(worst_us + rounding_us >= median_us);
  }
  assert_string_equal(p, "");
  free(text);
}

static void test_mix_bench_refuses_samples_too_short_for_every_configuration(void **state)
{
  (void)state;
  flz_bench_mix_config config;
  tiny_mix_config(&config);
  /* 4 configurations of 4386 frames each (4320 read at speed 1.5, the widest
   * interpolation kernel's 64 frames ahead and 2) need more than 17544. */
  config.sample_frames = 17544;
  FILE *out = tmpfile();
  assert_non_null(out);
  assert_int_equal(flz_bench_mix_run(&config, out), FLZ_ERR_ARGUMENT);
  assert_int_equal(ftell(out), 0);
  config.sample_frames = 17545;
  assert_int_equal(flz_bench_mix_run(&config, out), FLZ_OK);
  fclose(out);
}

static void test_mix_bench_refuses_more_voices_than_samples(void **state)
{
  (void)state;
  flz_bench_mix_config config;
  tiny_mix_config(&config);
  config.voices[1] = 3;
  FILE *out = tmpfile();
  assert_non_null(out);
  assert_int_equal(flz_bench_mix_run(&config, out), FLZ_ERR_ARGUMENT);
  assert_int_equal(ftell(out), 0);
  fclose(out);
}

/* Reads {"p50_ms":A,"p99_ms":B,"max_ms":C} and checks A <= B <= C, all >= 0
 * (nearest ranks of one sorted list of absolute values). */
static void expect_spread(const char **p)
{
  expect(p, "{\"p50_ms\":");
  double p50 = number(p);
  expect(p, ",\"p99_ms\":");
  double p99 = number(p);
  expect(p, ",\"max_ms\":");
  double max = number(p);
  expect(p, "}");
  assert_true(p50 >= 0.0);
  assert_true(p50 <= p99);
  assert_true(p99 <= max);
}

/* 20 triggers 30 to 50 ms apart, twice, through SDL's disk driver: about
 * 2.2 s. A machine so loaded that SDL's audio thread stalls for longer than
 * a gap merges two triggers into one onset; the bench then fails with its
 * one-line reason, and the test is skipped rather than failed. */
static void test_jitter_bench_prints_one_well_formed_line(void **state)
{
  (void)state;
  flz_bench_jitter_config config;
  flz_bench_jitter_config_init(&config);
  config.triggers = 20;
  config.gap_min_ms = 30;
  config.gap_max_ms = 50;
  config.settle_ms = 200;
  FILE *out = tmpfile();
  FILE *err = tmpfile();
  assert_non_null(out);
  assert_non_null(err);
  int code = flz_bench_jitter_run(&config, out, err);
  char *text = file_text(out);
  char *why = file_text(err);
  fclose(out);
  fclose(err);
  if (code != 0 && strstr(why, " onsets for 20 triggers\n") != NULL) {
    print_message("machine too loaded: %s", why);
    free(text);
    free(why);
    skip();
  }
  if (code != 0)
    fail_msg("jitter bench exit %d: %s", code, why);
  assert_string_equal(why, "");
  const char *p = text;
  expect(&p, "{\"bench\":\"jitter\",\"period\":256,\"triggers\":20,\"timestamped\":");
  expect_spread(&p);
  expect(&p, ",\"untimed\":");
  expect_spread(&p);
  expect(&p, "}\n");
  assert_string_equal(p, "");
  free(text);
  free(why);
}

static void test_bench_help_names_every_benchmark(void **state)
{
  (void)state;
  flz_capture c = BENCH("bench", "--help");
  assert_int_equal(c.code, 0);
  assert_non_null(strstr(c.out, "usage: flitz bench [--clock | --jitter | --latency | --load DIR | "
                                "--quality | --soak SECONDS]\n"));
  assert_non_null(strstr(c.out, "--clock"));
  assert_non_null(strstr(c.out, "--soak S"));
  assert_non_null(strstr(c.out, "--jitter"));
  assert_non_null(strstr(c.out, "--load DIR"));
  assert_string_equal(c.err, "");
  flz_capture_free(&c);
}

/* The load bench on a folder of two generated WAV files: one line for one
 * thread and one for the loader pool, with the files' real totals. */
static void test_load_bench_prints_a_line_per_thread_count_with_the_files_totals(void **state)
{
  (void)state;
  char dir[] = "/tmp/flitz-bench-load-XXXXXX";
  assert_non_null(mkdtemp(dir));
  static float second[48000];
  for (int i = 0; i < 48000; i++)
    second[i] = 0.25f;
  for (int n = 0; n < 2; n++) {
    char path[64];
    snprintf(path, sizeof path, "%s/%d.wav", dir, n);
    flz_wav_file wav;
    assert_int_equal(flz_wav_file_open(&wav, path, FLZ_WAV_FLOAT32, 1, 48000), FLZ_OK);
    assert_int_equal(flz_wav_file_write(&wav, second, 48000), FLZ_OK);
    assert_int_equal(flz_wav_file_close(&wav), FLZ_OK);
  }
  flz_capture c = BENCH("bench", "--load", dir);
  assert_int_equal(c.code, 0);
  unsigned threads[2] = {0, 0};
  double seconds[2] = {0, 0};
  unsigned files[2] = {0, 0};
  assert_int_equal(sscanf(c.out,
                          "{\"bench\":\"load\",\"format\":\"wav\",\"threads\":%u,\"files\":%u,"
                          "\"audio_seconds\":%lf,",
                          &threads[0], &files[0], &seconds[0]),
                   3);
  const char *second_line = strchr(c.out, '\n');
  assert_non_null(second_line);
  assert_int_equal(sscanf(second_line + 1,
                          "{\"bench\":\"load\",\"format\":\"wav\",\"threads\":%u,\"files\":%u,"
                          "\"audio_seconds\":%lf,",
                          &threads[1], &files[1], &seconds[1]),
                   3);
  assert_int_equal(threads[0], 1);
  assert_true(threads[1] >= 2);
  assert_int_equal(files[0], 2);
  assert_int_equal(files[1], 2);
  assert_float_equal(seconds[0], 2.0, 1e-3);
  assert_float_equal(seconds[1], 2.0, 1e-3);
  flz_capture_free(&c);
  char command[96];
  snprintf(command, sizeof command, "rm -rf %s", dir);
  assert_int_equal(system(command), 0);
}

/* `--load` takes a kit's format from its row of the kit-format table
 * (app/kitformat.h): an SFZ kit (a row benched as files) prints its
 * reading and its regions' files as one set named after the row; an SF2
 * bank its opening and its samples' decode. */
static void test_load_bench_names_each_kit_format_after_its_row(void **state)
{
  (void)state;
  char dir[] = "/tmp/flitz-bench-kit-XXXXXX";
  assert_non_null(mkdtemp(dir));
  static float second[48000];
  for (int i = 0; i < 48000; i++)
    second[i] = 0.25f;
  char path[64];
  for (int n = 0; n < 2; n++) {
    snprintf(path, sizeof path, "%s/%d.wav", dir, n);
    flz_wav_file wav;
    assert_int_equal(flz_wav_file_open(&wav, path, FLZ_WAV_FLOAT32, 1, 48000), FLZ_OK);
    assert_int_equal(flz_wav_file_write(&wav, second, 48000), FLZ_OK);
    assert_int_equal(flz_wav_file_close(&wav), FLZ_OK);
  }
  snprintf(path, sizeof path, "%s/kit.sfz", dir);
  FILE *sfz = fopen(path, "w");
  assert_non_null(sfz);
  fputs("<region> sample=0.wav key=36\n<region> sample=1.wav key=38\n"
        "<region> sample=*silence key=40\n",
        sfz);
  assert_int_equal(fclose(sfz), 0);
  flz_capture c = BENCH("bench", "--load", path);
  assert_int_equal(c.code, 0);
  const char *line = c.out;
  expect(&line, "{\"bench\":\"load\",\"format\":\"sfz-read\",\"regions\":3,\"wall_seconds\":");
  line = strchr(line, '\n') + 1;
  for (int n = 0; n < 2; n++) {
    expect(&line, "{\"bench\":\"load\",\"format\":\"sfz\",\"threads\":");
    (void)number(&line);
    expect(&line, ",\"files\":2,\"audio_seconds\":2.000,");
    line = strchr(line, '\n') + 1;
  }
  assert_string_equal(line, "");
  flz_capture_free(&c);
  char command[96];
  snprintf(command, sizeof command, "rm -rf %s", dir);
  assert_int_equal(system(command), 0);

  c = BENCH("bench", "--load", "/usr/share/sounds/sf2/Black_Pearl_4_LV2.sf2");
  assert_int_equal(c.code, 0);
  line = c.out;
  expect(&line, "{\"bench\":\"load\",\"format\":\"file-read\",");
  line = strchr(line, '\n') + 1;
  expect(&line, "{\"bench\":\"load\",\"format\":\"sf2-open\",\"regions\":118,");
  line = strchr(line, '\n') + 1;
  expect(&line, "{\"bench\":\"load\",\"format\":\"sf2\",\"rate\":48000,\"samples\":118,");
  line = strchr(line, '\n') + 1;
  expect(&line, "{\"bench\":\"load\",\"format\":\"sf2\",\"rate\":0,\"samples\":118,");
  assert_string_equal(strchr(line, '\n'), "\n");
  flz_capture_free(&c);
}

static void test_bench_unknown_option_is_a_one_line_usage_error(void **state)
{
  (void)state;
  flz_capture c = BENCH("bench", "--fast");
  assert_int_equal(c.code, 2);
  assert_string_equal(c.err, "flitz bench: unknown option --fast\n");
  assert_string_equal(c.out, "");
  flz_capture_free(&c);
  c = BENCH("bench", "--load");
  assert_int_equal(c.code, 2);
  assert_string_equal(c.err, "flitz bench: --load needs one folder\n");
  flz_capture_free(&c);
  c = BENCH("bench", "--jitter", "extra");
  assert_int_equal(c.code, 2);
  assert_string_equal(c.err, "flitz bench: unexpected argument extra\n");
  flz_capture_free(&c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_mix_bench_prints_one_line_per_speed_and_voice_count),
    cmocka_unit_test(test_mix_bench_refuses_samples_too_short_for_every_configuration),
    cmocka_unit_test(test_mix_bench_refuses_more_voices_than_samples),
    cmocka_unit_test(test_jitter_bench_prints_one_well_formed_line),
    cmocka_unit_test(test_bench_help_names_every_benchmark),
    cmocka_unit_test(test_bench_unknown_option_is_a_one_line_usage_error),
    /* Last (the load benches): decoding starts SDL's audio subsystem for the rest of the process
     * (platform/decode.h), with whatever SDL_AUDIODRIVER says then; the jitter
     * bench before it chooses the disk driver. */
    cmocka_unit_test(test_load_bench_prints_a_line_per_thread_count_with_the_files_totals),
    cmocka_unit_test(test_load_bench_names_each_kit_format_after_its_row),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
