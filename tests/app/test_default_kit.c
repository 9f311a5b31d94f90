/* tests/app/test_default_kit.c: the built-in default kit that tools/mkkit.c
 * synthesizes at build time into FLZ_DEFAULT_KIT_DIR.
 * Owns: checks of the generated files, read back with SDL_LoadWAV (a reader
 * independent of the writer in platform/wav_file.c). Must not touch the kit
 * or the generator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#define RATE 48000
/* One 4/4 bar at 120 BPM: 4 beats of 60/120 s. */
#define BAR_FRAMES (4 * 60 * RATE / 120)

typedef struct expected {
  const char *name; /* in pad order */
  int channels;
  int loop;
} expected;

/* The pads the kit promises: mono one-shots, a stereo crash, two loops. */
static const expected pads[] = {
  {"01-kick.wav", 1, 0},      {"02-snare.wav", 1, 0},     {"03-closed-hat.wav", 1, 0},
  {"04-open-hat.wav", 1, 0},  {"05-clap.wav", 1, 0},      {"06-low-tom.wav", 1, 0},
  {"07-mid-tom.wav", 1, 0},   {"08-high-tom.wav", 1, 0},  {"09-rim.wav", 1, 0},
  {"10-cowbell.wav", 1, 0},   {"11-crash.wav", 2, 0},     {"12-shaker.wav", 1, 0},
  {"13-bass-loop.wav", 1, 1}, {"14-drum-loop.wav", 2, 1}, {"15-chord-stab.wav", 1, 0},
  {"16-zap.wav", 1, 0},
};
#define PADS (sizeof pads / sizeof pads[0])
#define KICK 0
#define CLOSED_HAT 2
#define DRUM_LOOP 13

typedef struct loaded {
  SDL_AudioSpec spec;
  Uint8 *bytes;
  Uint32 length;
  const float *data; /* interleaved, spec.channels per frame */
  size_t frames;
} loaded;

static loaded files[PADS];

static int load_kit(void **state)
{
  (void)state;
  for (size_t i = 0; i < PADS; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", FLZ_DEFAULT_KIT_DIR, pads[i].name);
    if (SDL_LoadWAV(path, &files[i].spec, &files[i].bytes, &files[i].length) == NULL) {
      fprintf(stderr, "%s: %s\n", path, SDL_GetError());
      return -1;
    }
    files[i].data = (const float *)files[i].bytes;
    files[i].frames = files[i].length / (sizeof(float) * files[i].spec.channels);
  }
  return 0;
}

static int free_kit(void **state)
{
  (void)state;
  for (size_t i = 0; i < PADS; i++)
    SDL_FreeWAV(files[i].bytes);
  return 0;
}

static float sample(const loaded *f, size_t frame, int channel)
{
  return f->data[frame * f->spec.channels + (size_t)channel];
}

/* Largest magnitude over frames [from, to) of all channels. */
static float peak_between(const loaded *f, size_t from, size_t to)
{
  float peak = 0.0f;
  for (size_t i = from; i < to; i++)
    for (int c = 0; c < f->spec.channels; c++)
      peak = fmaxf(peak, fabsf(sample(f, i, c)));
  return peak;
}

/* Sign changes of channel 0 over the first `frames` frames. */
static int zero_crossings(const loaded *f, size_t frames)
{
  int crossings = 0;
  for (size_t i = 1; i < frames; i++)
    crossings += (sample(f, i - 1, 0) < 0.0f) != (sample(f, i, 0) < 0.0f);
  return crossings;
}

static int by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void the_kit_folder_holds_sixteen_wav_files_in_pad_order(void **state)
{
  (void)state;
  DIR *dir = opendir(FLZ_DEFAULT_KIT_DIR);
  assert_non_null(dir);
  char *names[64];
  size_t count = 0;
  for (struct dirent *entry = readdir(dir); entry != NULL; entry = readdir(dir)) {
    size_t length = strlen(entry->d_name);
    if (length > 4 && strcmp(entry->d_name + length - 4, ".wav") == 0 && count < 64)
      names[count++] = strdup(entry->d_name);
  }
  closedir(dir);
  assert_int_equal(count, PADS);
  /* Two-digit prefixes make byte order and natural order the same. */
  qsort(names, count, sizeof names[0], by_name);
  for (size_t i = 0; i < count; i++) {
    assert_string_equal(names[i], pads[i].name);
    free(names[i]);
  }
}

static void every_file_is_48000_hz_32_bit_float_with_its_channels(void **state)
{
  (void)state;
  for (size_t i = 0; i < PADS; i++) {
    assert_int_equal(files[i].spec.freq, RATE);
    assert_int_equal(files[i].spec.format, AUDIO_F32LSB);
    assert_int_equal(files[i].spec.channels, pads[i].channels);
    assert_true(files[i].frames > 0);
  }
}

static void every_file_peaks_between_half_and_full_scale(void **state)
{
  (void)state;
  for (size_t i = 0; i < PADS; i++) {
    float peak = peak_between(&files[i], 0, files[i].frames);
    assert_true(isfinite(peak));
    assert_true(peak >= 0.5f);
    assert_true(peak <= 1.0f);
  }
}

/* 0.01 is -40 dBFS: a step that small at the start or the end is no click. */
static void every_file_starts_and_ends_near_zero(void **state)
{
  (void)state;
  for (size_t i = 0; i < PADS; i++) {
    for (int c = 0; c < files[i].spec.channels; c++) {
      assert_true(fabsf(sample(&files[i], 0, c)) < 0.01f);
      assert_true(fabsf(sample(&files[i], files[i].frames - 1, c)) < 0.01f);
    }
  }
}

static void both_loops_are_one_bar_at_120_bpm(void **state)
{
  (void)state;
  for (size_t i = 0; i < PADS; i++)
    if (pads[i].loop)
      assert_int_equal(files[i].frames, BAR_FRAMES);
}

/* Seamless means the loops play right up to the bar line and start on the
 * downbeat (no silent padding hides the wrap), yet the last frame flows into
 * the first without a step larger than -40 dBFS. The bounds are a tenth of
 * the -1 dBFS peak at the downbeat and a twentieth in the last sixteenth,
 * where the bass's last note and the drums' last hits still sound. */
static void both_loops_sound_across_the_bar_line_and_wrap_without_a_jump(void **state)
{
  (void)state;
  const size_t sixteenth = BAR_FRAMES / 16;
  for (size_t i = 0; i < PADS; i++) {
    if (!pads[i].loop)
      continue;
    const loaded *f = &files[i];
    assert_true(peak_between(f, 0, sixteenth / 4) > 0.089f);
    assert_true(peak_between(f, f->frames - sixteenth, f->frames) > 0.0445f);
    for (int c = 0; c < f->spec.channels; c++)
      assert_true(fabsf(sample(f, f->frames - 1, c) - sample(f, 0, c)) < 0.01f);
  }
}

/* Every hit but the kick is panned off centre with constant power (the hats
 * to -0.35, the shaker to +0.5), so left and right differ by about a third of
 * those hits' level; 0.05 is far below that and far above float rounding. */
static void the_drum_loop_is_stereo_with_different_left_and_right(void **state)
{
  (void)state;
  const loaded *f = &files[DRUM_LOOP];
  assert_int_equal(f->spec.channels, 2);
  float difference = 0.0f;
  for (size_t i = 0; i < f->frames; i++)
    difference = fmaxf(difference, fabsf(sample(f, i, 0) - sample(f, i, 1)));
  assert_true(difference > 0.05f);
}

/* The kick sweeps from 150 Hz down to 45 Hz. A tone never above 150 Hz
 * crosses zero at most 2 x 150 times a second, so at most 30 times in the
 * first 100 ms; one never below 45 Hz crosses at least 2 x 45 x 0.1 = 9
 * times. Noise or a snare would cross hundreds of times. */
static void the_kick_is_a_low_tone_between_45_and_150_hz(void **state)
{
  (void)state;
  const size_t window = RATE / 10;
  int crossings = zero_crossings(&files[KICK], window);
  assert_true(crossings <= 2 * 150 / 10);
  assert_true(crossings >= 2 * 45 / 10);
}

/* The closed hat is high-passed at 7 kHz. Its first 50 ms must cross zero
 * more often than a 5 kHz tone would (2 x 5000 x 0.05 = 500 times): the
 * 2 kHz below the corner leave room for the filter's 12 dB/octave skirt. */
static void the_closed_hat_is_bright(void **state)
{
  (void)state;
  const size_t window = RATE / 20;
  assert_true(zero_crossings(&files[CLOSED_HAT], window) > 2 * 5000 / 20);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_kit_folder_holds_sixteen_wav_files_in_pad_order),
    cmocka_unit_test(every_file_is_48000_hz_32_bit_float_with_its_channels),
    cmocka_unit_test(every_file_peaks_between_half_and_full_scale),
    cmocka_unit_test(every_file_starts_and_ends_near_zero),
    cmocka_unit_test(both_loops_are_one_bar_at_120_bpm),
    cmocka_unit_test(both_loops_sound_across_the_bar_line_and_wrap_without_a_jump),
    cmocka_unit_test(the_drum_loop_is_stereo_with_different_left_and_right),
    cmocka_unit_test(the_kick_is_a_low_tone_between_45_and_150_hz),
    cmocka_unit_test(the_closed_hat_is_bright),
  };
  return cmocka_run_group_tests(tests, load_kit, free_kit);
}
