/* tests/app/test_render.c: `flitz render` end to end and offline
 * (app/render.h): the real-files kit of $FLZ_TEST_DATA, a script of ten
 * hits, and the WAV it writes read back with SDL_LoadWAV. Proves that each
 * hit starts at its scripted frame, plays its pad's decoded frames at
 * velocity^2 gain, that s16 differs from f32 only by quantization, that
 * --seconds gives an exact length, that the render ends when the voices end,
 * and that bad kit files are reported while the good ones still render. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL.h>
#include <cmocka.h>

#include "app/kit.h"
#include "app/render.h"
#include "capture.h"
#include "engine/engine.h"
#include "engine/result.h"
#include "platform/decode.h"
#include "tempdir.h"
#include "wavread.h"

#define ARGV(...) ((char *[]){__VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)))
#define RENDER(...) flz_capture_run(flz_render_main, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

#define RATE 48000
#define PERIOD 256              /* the default --period */
#define ONSET_LEAD (RATE / 200) /* onsets are searched from 5 ms before the scripted time */

/* A render's output: interleaved stereo float. */
typedef flz_wavread_wav wav;

/* One scripted hit and what it should sound like. */
typedef struct hit {
  unsigned pad; /* 1-based */
  float velocity;
  unsigned tenth_ms;   /* scripted time in units of 0.1 ms */
  uint64_t frame;      /* round(time * RATE) */
  flz_decoded decoded; /* the pad's file decoded at RATE */
} hit;

static const char *data_dir(void)
{
  const char *dir = getenv("FLZ_TEST_DATA");
  if (dir == NULL)
    fail_msg("FLZ_TEST_DATA is not set (the test_data fixture makes it)");
  return dir;
}

static char *pad_path(unsigned pad)
{
  char dir[512];
  snprintf(dir, sizeof(dir), "%s/kit", data_dir());
  flz_kit kit;
  assert_int_equal(flz_kit_scan(dir, &kit), FLZ_OK);
  assert_true(pad <= kit.count);
  char *path = strdup(kit.paths[pad - 1]);
  flz_kit_deinit(&kit);
  return path;
}

static void decode_at_rate(const char *path, flz_decoded *decoded)
{
  char detail[256] = "";
  int result = flz_decode_file(path, RATE, decoded, NULL, detail, sizeof(detail));
  if (result != FLZ_OK)
    fail_msg("decode %s: %s (%s)", path, flz_result_message(result), detail);
}

/* What the engine mixes for frame `i` of a hit, channel `c`: the decoded
 * frame at velocity^2 gain (a mono sample on both channels), clamped to
 * -1..1 (engine/engine.h). */
static float expected_value(const hit *h, uint64_t i, unsigned c)
{
  const flz_decoded *d = &h->decoded;
  float x = d->data[i * d->channels + (d->channels == 2 ? c : 0)];
  float y = x * flz_engine_velocity_gain(h->velocity);
  return y > 1.0f ? 1.0f : (y < -1.0f ? -1.0f : y);
}

/* The largest |value| of a hit's expected frames. */
static float hit_peak(const hit *h)
{
  float peak = 0.0f;
  for (uint64_t i = 0; i < h->decoded.frame_count; i++)
    for (unsigned c = 0; c < 2; c++)
      peak = fmaxf(peak, fabsf(expected_value(h, i, c)));
  return peak;
}

/* The ten hits: pads and velocities, with pad 8 twice at 1.0 and 0.5. */
static const struct {
  unsigned pad;
  float velocity;
} plan[] = {{1, 1.0f}, {8, 1.0f}, {8, 0.5f},  {2, 0.8f},  {5, 0.9f},
            {3, 0.3f}, {7, 1.0f}, {10, 0.6f}, {4, 0.75f}, {9, 0.45f}};
#define HITS (sizeof(plan) / sizeof(plan[0]))

typedef struct fixture {
  hit hits[HITS];
  char dir[64];
  char kit[512];
  char events[128];
  char out_f32[128];
  char out_s16[128];
  char out_short[128];
  char out_long[128];
} fixture;

/* Times: the first hit at 0.25 s, each next one after the previous hit's
 * end plus a gap of 40 ms and a few odd tenths of a millisecond, so hits never
 * overlap and most start in the middle of a period. */
static void plan_hits(fixture *f)
{
  unsigned tenth_ms = 2500;
  for (size_t k = 0; k < HITS; k++) {
    hit *h = &f->hits[k];
    h->pad = plan[k].pad;
    h->velocity = plan[k].velocity;
    char *path = pad_path(h->pad);
    decode_at_rate(path, &h->decoded);
    free(path);
    h->tenth_ms = tenth_ms;
    h->frame = (uint64_t)llround(tenth_ms / 10000.0 * RATE);
    unsigned length = (unsigned)((h->decoded.frame_count * 10000 + RATE - 1) / RATE);
    tenth_ms += length + 400 + (unsigned)(37 * k % 23);
  }
}

static void write_script(const fixture *f)
{
  char text[4096];
  int n = snprintf(text, sizeof(text), "# ten hits of the real-files kit\n\n0 volume 0\n");
  for (size_t k = 0; k < HITS; k++) {
    const hit *h = &f->hits[k];
    n += snprintf(text + n, sizeof(text) - (size_t)n, "%u.%04u play %u %g   # hit %zu\n",
                  h->tenth_ms / 10000, h->tenth_ms % 10000, h->pad, (double)h->velocity, k);
  }
  flz_tempdir_write(f->events, text);
}

static int setup(void **state)
{
  fixture *f = calloc(1, sizeof(*f));
  assert_non_null(f);
  flz_tempdir_make(f->dir, sizeof(f->dir), "flz-render");
  snprintf(f->kit, sizeof(f->kit), "%s/kit", data_dir());
  snprintf(f->events, sizeof(f->events), "%s/events.txt", f->dir);
  snprintf(f->out_f32, sizeof(f->out_f32), "%s/out.wav", f->dir);
  snprintf(f->out_s16, sizeof(f->out_s16), "%s/out-s16.wav", f->dir);
  snprintf(f->out_short, sizeof(f->out_short), "%s/out-short.wav", f->dir);
  snprintf(f->out_long, sizeof(f->out_long), "%s/out-long.wav", f->dir);
  plan_hits(f);
  write_script(f);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fixture *f = *state;
  if (f == NULL)
    return 0; /* setup failed before it made the fixture */
  for (size_t k = 0; k < HITS; k++)
    flz_decode_free(&f->hits[k].decoded);
  flz_tempdir_remove(f->dir);
  free(f);
  return 0;
}

/* Renders `out` from the fixture's script with the options given, asserts
 * exit code 0, no error output and the summary line, and reads it back. */
static wav render_ok(const fixture *f, const char *out, const char *format, const char *seconds)
{
  flz_capture c = seconds != NULL
                    ? RENDER("render", "--format", (char *)format, "--seconds", (char *)seconds,
                             (char *)f->kit, (char *)f->events, (char *)out)
                    : RENDER("render", "--format", (char *)format, (char *)f->kit,
                             (char *)f->events, (char *)out);
  if (c.code != 0)
    fail_msg("render exit %d: %s", c.code, c.err);
  assert_string_equal(c.err, "");
  wav w = flz_wavread_load(out, strcmp(format, "s16") == 0 ? AUDIO_S16LSB : AUDIO_F32LSB);
  assert_int_equal(w.rate, RATE);
  char summary[512];
  snprintf(summary, sizeof(summary), "%s frames=%llu channels=2 rate=%u seconds=%.3f format=%s\n",
           out, (unsigned long long)w.frames, (unsigned)RATE, (double)w.frames / RATE, format);
  assert_string_equal(c.out, summary);
  flz_capture_free(&c);
  return w;
}

static void test_hits_start_at_their_frames_with_velocity_gain(void **state)
{
  fixture *f = *state;
  wav w = render_ok(f, f->out_f32, "f32", NULL);

  uint64_t silent_from = 0;
  for (size_t k = 0; k < HITS; k++) {
    const hit *h = &f->hits[k];
    assert_true(h->frame + h->decoded.frame_count <= w.frames);

    /* Before the hit (after the previous one ended): silence. */
    for (uint64_t i = silent_from * 2; i < h->frame * 2; i++)
      if (w.data[i] != 0.0f)
        fail_msg("hit %zu: value %g at frame %llu before it", k, (double)w.data[i],
                 (unsigned long long)(i / 2));

    /* (a) Onset: the first frame from 5 ms before the scripted time whose
     * level exceeds 10% of the hit's peak, against the same threshold in the
     * pad's own decoded frames. Events are applied at exact frames and
     * nothing else sounds, so the offset is exact, not just within 1 ms. */
    float threshold = 0.1f * hit_peak(h);
    uint64_t own = 0;
    while (fabsf(expected_value(h, own, 0)) <= threshold &&
           fabsf(expected_value(h, own, 1)) <= threshold)
      own++;
    uint64_t onset = h->frame - ONSET_LEAD;
    while (fabsf(w.data[2 * onset]) <= threshold && fabsf(w.data[2 * onset + 1]) <= threshold)
      onset++;
    assert_int_equal(onset, h->frame + own);

    /* Every frame of the hit is the decoded frame at velocity^2 gain. The
     * engine multiplies by gain, fade factor 1 and master gain 1 in its own
     * order: 1e-6 covers float rounding of those products. */
    for (uint64_t i = 0; i < h->decoded.frame_count; i++)
      for (unsigned c = 0; c < 2; c++) {
        float got = w.data[2 * (h->frame + i) + c];
        float want = expected_value(h, i, c);
        if (fabsf(got - want) > 1e-6f)
          fail_msg("hit %zu frame %llu channel %u: %.9g, want %.9g", k, (unsigned long long)i, c,
                   (double)got, (double)want);
      }
    silent_from = h->frame + h->decoded.frame_count;
  }

  /* (b) The same pad at velocity 0.5 peaks at 0.25 times its velocity 1.0
   * peak. The hits do not overlap and play the same decoded frames, and 0.25
   * is a power of two, so the ratio is exact up to float rounding (1e-6
   * relative); the peak is measured in the render, not in the decoded data. */
  float peaks[2] = {0.0f, 0.0f};
  for (int j = 0; j < 2; j++) {
    const hit *h = &f->hits[1 + j];
    assert_int_equal(h->pad, 8);
    for (uint64_t i = 2 * h->frame; i < 2 * (h->frame + h->decoded.frame_count); i++)
      peaks[j] = fmaxf(peaks[j], fabsf(w.data[i]));
  }
  assert_true(peaks[0] > 0.1f);
  assert_true(fabsf(peaks[1] / peaks[0] - 0.25f) <= 1e-6f);

  /* (e) The render ends by itself once the last voice has ended: within one
   * period after the last hit's last frame, which is all silence. */
  const hit *last = &f->hits[HITS - 1];
  uint64_t end = last->frame + last->decoded.frame_count;
  assert_true(w.frames >= end);
  assert_true(w.frames <= end + PERIOD);
  for (uint64_t i = 2 * end; i < 2 * w.frames; i++)
    assert_true(w.data[i] == 0.0f);
  free(w.data);
}

static void test_s16_differs_from_f32_only_by_quantization(void **state)
{
  fixture *f = *state;
  wav a = render_ok(f, f->out_f32, "f32", NULL);
  wav b = render_ok(f, f->out_s16, "s16", NULL);
  assert_int_equal(a.frames, b.frames);
  /* s16 = roundf(x * 32767) (platform/wav_file.h): half a step of 1/32767,
   * plus 1% of a step for the float product x * 32767 (its rounding error is
   * below 2^-9 of a step at full scale). */
  const float bound = 0.51f / 32767.0f;
  float largest = 0.0f;
  for (uint64_t i = 0; i < 2 * a.frames; i++)
    largest = fmaxf(largest, fabsf(a.data[i] - b.data[i]));
  assert_true(largest <= bound);
  assert_true(largest > 0.0f); /* the two really are different encodings */
  free(a.data);
  free(b.data);
}

static void test_seconds_gives_an_exact_length(void **state)
{
  fixture *f = *state;
  wav full = render_ok(f, f->out_f32, "f32", NULL);

  /* Shorter than the script: exactly round(S * rate) frames, the same frames
   * as the full render up to there. */
  const double seconds = 1.23456;
  wav cut = render_ok(f, f->out_short, "f32", "1.23456");
  assert_int_equal(cut.frames, (uint64_t)llround(seconds * RATE));
  assert_memory_equal(cut.data, full.data, sizeof(float) * 2 * cut.frames);

  /* Longer than the voices last: exactly that long, silence at the end. */
  double total = (double)full.frames / RATE + 0.5;
  char text[32];
  snprintf(text, sizeof(text), "%.5f", total);
  wav longer = render_ok(f, f->out_long, "f32", text);
  assert_int_equal(longer.frames, (uint64_t)llround(strtod(text, NULL) * RATE));
  assert_memory_equal(longer.data, full.data, sizeof(float) * 2 * full.frames);
  for (uint64_t i = 2 * full.frames; i < 2 * longer.frames; i++)
    assert_true(longer.data[i] == 0.0f);
  free(full.data);
  free(cut.data);
  free(longer.data);
}

static void test_rate_option_sets_the_output_rate(void **state)
{
  fixture *f = *state;
  flz_capture c = RENDER("render", "--rate", "44100", "--seconds", "0.5", f->kit, f->events,
                         f->out_short);
  assert_int_equal(c.code, 0);
  flz_capture_free(&c);
  SDL_AudioSpec spec;
  Uint8 *buffer = NULL;
  Uint32 length = 0;
  assert_non_null(SDL_LoadWAV(f->out_short, &spec, &buffer, &length));
  assert_int_equal(spec.freq, 44100);
  assert_int_equal(length, 22050 * 2 * sizeof(float));
  SDL_FreeWAV(buffer);
}

static void test_bad_kit_files_are_reported_and_the_good_one_renders(void **state)
{
  fixture *f = *state;
  char bad[512];
  snprintf(bad, sizeof(bad), "%s/bad", data_dir());
  flz_kit kit;
  assert_int_equal(flz_kit_scan(bad, &kit), FLZ_OK);
  unsigned good = 0;
  for (uint32_t i = 0; i < kit.count; i++)
    if (strcmp(strrchr(kit.paths[i], '/'), "/good.wav") == 0)
      good = i + 1;
  assert_true(good > 0);
  hit h = {.pad = good, .velocity = 0.7f, .frame = RATE / 10};
  decode_at_rate(kit.paths[good - 1], &h.decoded);
  assert_true(h.frame + h.decoded.frame_count < RATE);

  /* The good pad at 0.1 s, every pad (bad ones too) from 1 s on. */
  char text[2048];
  int n = snprintf(text, sizeof(text), "0.1 play %u 0.7\n", good);
  for (uint32_t i = 0; i < kit.count; i++)
    n += snprintf(text + n, sizeof(text) - (size_t)n, "%u.5 play %u\n", 1 + i, 1 + i);
  flz_tempdir_write(f->events, text);

  flz_capture c = RENDER("render", bad, f->events, f->out_short);
  assert_int_equal(c.code, 0);
  static const char *const refused[] = {"empty.wav", "truncated.wav", "truncated.ogg", "noise.wav",
                                        "x.ogg"};
  for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
    char prefix[700];
    snprintf(prefix, sizeof(prefix), "error: %s/%s: ", bad, refused[i]);
    const char *line = strstr(c.err, prefix);
    if (line == NULL || (line != c.err && line[-1] != '\n'))
      fail_msg("no line \"%s...\" in:\n%s", prefix, c.err);
  }
  assert_null(strstr(c.err, "good.wav"));
  assert_non_null(strstr(c.out, " format=f32\n"));

  wav w = flz_wavread_load(f->out_short, AUDIO_F32LSB);
  assert_true(w.frames > RATE);
  for (uint64_t i = 0; i < 2 * h.frame; i++)
    assert_true(w.data[i] == 0.0f);
  for (uint64_t i = 0; i < h.decoded.frame_count; i++)
    for (unsigned ch = 0; ch < 2; ch++)
      assert_true(fabsf(w.data[2 * (h.frame + i) + ch] - expected_value(&h, i, ch)) <= 1e-6f);
  for (uint64_t i = 2 * (h.frame + h.decoded.frame_count); i < 2 * (uint64_t)RATE; i++)
    assert_true(w.data[i] == 0.0f);

  free(w.data);
  flz_decode_free(&h.decoded);
  flz_kit_deinit(&kit);
  flz_capture_free(&c);
  write_script(f);
}

static void expect_failure(flz_capture c, int code, const char *err, const char *out_path)
{
  assert_int_equal(c.code, code);
  assert_string_equal(c.err, err);
  assert_string_equal(c.out, "");
  struct stat info;
  assert_int_not_equal(stat(out_path, &info), 0); /* no OUT left behind */
  flz_capture_free(&c);
}

static void test_errors_name_the_thing_and_write_nothing(void **state)
{
  fixture *f = *state;
  char out[160];
  char expected[1024];
  snprintf(out, sizeof(out), "%s/never.wav", f->dir);

  /* A malformed script line: its number and reason. */
  char events[160];
  snprintf(events, sizeof(events), "%s/broken.txt", f->dir);
  flz_tempdir_write(events, "0 play 1\n# fine so far\n0.5 jump 2\n");
  snprintf(
    expected, sizeof(expected),
    "error: %s:3: unknown action 'jump' (play, note, stop, release, stop-all, volume, speed, "
    "tempo, quantize, multi-loop, clock, record, pattern, chain, record-quantize, metronome, "
    "resample, repeat, pressure)\n",
    events);
  expect_failure(RENDER("render", f->kit, events, out), 1, expected, out);
  flz_tempdir_write(events, "0 play 11\n");
  snprintf(expected, sizeof(expected), "error: %s:1: pad 11 is out of range 1..10\n", events);
  expect_failure(RENDER("render", f->kit, events, out), 1, expected, out);

  /* No kit, no script. */
  snprintf(expected, sizeof(expected), "error: %s/nokit: no such file or directory\n", f->dir);
  char nokit[160];
  snprintf(nokit, sizeof(nokit), "%s/nokit", f->dir);
  expect_failure(RENDER("render", nokit, f->events, out), 1, expected, out);
  char noevents[160];
  snprintf(noevents, sizeof(noevents), "%s/none.txt", f->dir);
  snprintf(expected, sizeof(expected), "error: %s: no such file or directory\n", noevents);
  expect_failure(RENDER("render", f->kit, noevents, out), 1, expected, out);

  /* A kit in which no file loads. */
  char empty_kit[160];
  snprintf(empty_kit, sizeof(empty_kit), "%s/emptykit", f->dir);
  assert_int_equal(mkdir(empty_kit, 0755), 0);
  char empty_file[200];
  snprintf(empty_file, sizeof(empty_file), "%s/a.wav", empty_kit);
  flz_tempdir_write(empty_file, "");
  flz_tempdir_write(events, "0 play 1\n");
  flz_capture c = RENDER("render", empty_kit, events, out);
  assert_int_equal(c.code, 1);
  snprintf(expected, sizeof(expected), "error: %s: file is empty", empty_file);
  assert_memory_equal(c.err, expected, strlen(expected));
  snprintf(expected, sizeof(expected), "error: %s: no file of the kit loaded, nothing rendered\n",
           empty_kit);
  assert_non_null(strstr(c.err, expected));
  assert_int_equal(flz_capture_lines(c.err), 2);
  flz_capture_free(&c);
  struct stat info;
  assert_int_not_equal(stat(out, &info), 0);

  /* OUT in a folder that does not exist. */
  char bad_out[200];
  snprintf(bad_out, sizeof(bad_out), "%s/no/such/dir/out.wav", f->dir);
  c = RENDER("render", f->kit, f->events, bad_out);
  assert_int_equal(c.code, 1);
  snprintf(expected, sizeof(expected), "error: %s: cannot be written", bad_out);
  assert_memory_equal(c.err, expected, strlen(expected));
  assert_int_equal(flz_capture_lines(c.err), 1);
  flz_capture_free(&c);

  /* Usage. */
  expect_failure(RENDER("render", "--speed", "2", f->kit, f->events, out), 2,
                 "flitz render: unknown option --speed (see flitz --help)\n", out);
  expect_failure(RENDER("render", f->kit, f->events), 2,
                 "flitz render: needs KIT EVENTS OUT.wav (see flitz --help)\n", out);
  expect_failure(RENDER("render", f->kit, f->events, out, "--seconds", "1"), 2,
                 "flitz render: unexpected argument '--seconds' after OUT.wav\n", out);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_hits_start_at_their_frames_with_velocity_gain),
    cmocka_unit_test(test_s16_differs_from_f32_only_by_quantization),
    cmocka_unit_test(test_seconds_gives_an_exact_length),
    cmocka_unit_test(test_rate_option_sets_the_output_rate),
    cmocka_unit_test(test_bad_kit_files_are_reported_and_the_good_one_renders),
    cmocka_unit_test(test_errors_name_the_thing_and_write_nothing),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
