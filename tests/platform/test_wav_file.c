/* tests/platform/test_wav_file.c: the WAV writer, checked by reading its
 * files back with SDL_LoadWAV (an independent reader) and by the header's
 * bytes. Owns nothing outside its temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine/result.h"
#include "platform/wav_file.h"

#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { RAMP_FRAMES = 129, RAMP_STEPS = 64 };

static char folder[] = "/tmp/flz_test_wav_XXXXXX";

static void temp_path(char *path, size_t size, const char *name)
{
  snprintf(path, size, "%s/%s", folder, name);
}

static uint32_t get_u32(const unsigned char *p)
{
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static float get_f32(const unsigned char *p)
{
  const uint32_t bits = get_u32(p);
  float v;
  memcpy(&v, &bits, sizeof v);
  return v;
}

static int16_t get_s16(const unsigned char *p)
{
  return (int16_t)(uint16_t)((uint32_t)p[0] | (uint32_t)p[1] << 8);
}

/* Sample (frame f, channel c) of the ramp: -1 .. +1 in steps of 1/64 (left)
 * and its negation (right), so every value is exact in float and
 * value * 32767 is exact too (|k| * 32767 < 2^24). */
static float ramp(uint32_t f, uint32_t c)
{
  const float v = ((float)f - (float)RAMP_STEPS) / (float)RAMP_STEPS;
  return c == 0 ? v : -v;
}

static void write_ramp(const char *path, uint32_t format)
{
  float data[RAMP_FRAMES * 2];
  flz_wav_file wav;
  uint32_t f;

  for (f = 0; f < RAMP_FRAMES; f++) {
    data[f * 2] = ramp(f, 0);
    data[f * 2 + 1] = ramp(f, 1);
  }
  assert_int_equal(flz_wav_file_open(&wav, path, format, 2, 44100), FLZ_OK);
  /* Two writes: the second appends. */
  assert_int_equal(flz_wav_file_write(&wav, data, 100), FLZ_OK);
  assert_int_equal(flz_wav_file_write(&wav, data + 200, RAMP_FRAMES - 100), FLZ_OK);
  assert_int_equal(wav.frames, RAMP_FRAMES);
  assert_int_equal(flz_wav_file_close(&wav), FLZ_OK);
}

/* Reads the whole file into `bytes`; returns its length. */
static size_t read_file(const char *path, unsigned char *bytes, size_t size)
{
  FILE *file = fopen(path, "rb");
  size_t n;
  assert_non_null(file);
  n = fread(bytes, 1, size, file);
  fclose(file);
  return n;
}

static void float32_file_reads_back_exactly_with_sdl(void **state)
{
  char path[256];
  SDL_AudioSpec spec;
  Uint8 *buf = NULL;
  Uint32 len = 0;
  uint32_t f;
  (void)state;

  temp_path(path, sizeof path, "ramp_f32.wav");
  write_ramp(path, FLZ_WAV_FLOAT32);
  assert_non_null(SDL_LoadWAV(path, &spec, &buf, &len));
  assert_int_equal(spec.freq, 44100);
  assert_int_equal(spec.channels, 2);
  assert_int_equal(spec.format, AUDIO_F32LSB);
  assert_int_equal(len, RAMP_FRAMES * 2 * 4);
  for (f = 0; f < RAMP_FRAMES; f++) {
    assert_true(get_f32(buf + f * 8) == ramp(f, 0));
    assert_true(get_f32(buf + f * 8 + 4) == ramp(f, 1));
  }
  SDL_FreeWAV(buf);
}

/* The rule: clamp to -1..1, multiply by 32767, round half away from zero.
 * The expected value is computed here in double with lround (the same rule
 * by another path). */
static void s16_file_reads_back_rounded_with_sdl(void **state)
{
  char path[256];
  SDL_AudioSpec spec;
  Uint8 *buf = NULL;
  Uint32 len = 0;
  uint32_t f;
  (void)state;

  temp_path(path, sizeof path, "ramp_s16.wav");
  write_ramp(path, FLZ_WAV_S16);
  assert_non_null(SDL_LoadWAV(path, &spec, &buf, &len));
  assert_int_equal(spec.freq, 44100);
  assert_int_equal(spec.channels, 2);
  assert_int_equal(spec.format, AUDIO_S16LSB);
  assert_int_equal(len, RAMP_FRAMES * 2 * 2);
  for (f = 0; f < RAMP_FRAMES; f++) {
    assert_int_equal(get_s16(buf + f * 4), lround((double)ramp(f, 0) * 32767.0));
    assert_int_equal(get_s16(buf + f * 4 + 2), lround((double)ramp(f, 1) * 32767.0));
  }
  /* Frames 32 and 96 are the ties -0.5 and +0.5: 16383.5 rounds away. */
  assert_int_equal(get_s16(buf + 32 * 4), -16384);
  assert_int_equal(get_s16(buf + 96 * 4), 16384);
  SDL_FreeWAV(buf);
}

static void s16_clamps_out_of_range_and_maps_nan_to_zero(void **state)
{
  const float data[] = {1.5f, -1.5f, 1.0f, -1.0f, NAN, 0.0f};
  char path[256];
  unsigned char bytes[64];
  flz_wav_file wav;
  (void)state;

  temp_path(path, sizeof path, "clamp.wav");
  assert_int_equal(flz_wav_file_open(&wav, path, FLZ_WAV_S16, 1, 8000), FLZ_OK);
  assert_int_equal(flz_wav_file_write(&wav, data, 6), FLZ_OK);
  assert_int_equal(flz_wav_file_close(&wav), FLZ_OK);
  assert_int_equal(read_file(path, bytes, sizeof bytes), 44 + 12);
  assert_int_equal(get_s16(bytes + 44), 32767);
  assert_int_equal(get_s16(bytes + 46), -32767);
  assert_int_equal(get_s16(bytes + 48), 32767);
  assert_int_equal(get_s16(bytes + 50), -32767);
  assert_int_equal(get_s16(bytes + 52), 0);
  assert_int_equal(get_s16(bytes + 54), 0);
}

/* The sizes SDL may tolerate being wrong are checked byte by byte: RIFF size
 * = file size - 8, fact = frames, data size = frames * block. */
static void close_writes_the_riff_fact_and_data_sizes(void **state)
{
  char path[256];
  unsigned char bytes[2048];
  size_t n;
  (void)state;

  temp_path(path, sizeof path, "sizes_f32.wav");
  write_ramp(path, FLZ_WAV_FLOAT32);
  n = read_file(path, bytes, sizeof bytes);
  assert_int_equal(n, 58 + RAMP_FRAMES * 8);
  assert_memory_equal(bytes, "RIFF", 4);
  assert_int_equal(get_u32(bytes + 4), n - 8);
  assert_memory_equal(bytes + 8, "WAVEfmt ", 8);
  assert_int_equal(get_u32(bytes + 16), 18);
  assert_int_equal(bytes[20], 3);
  assert_memory_equal(bytes + 38, "fact", 4);
  assert_int_equal(get_u32(bytes + 46), RAMP_FRAMES);
  assert_memory_equal(bytes + 50, "data", 4);
  assert_int_equal(get_u32(bytes + 54), RAMP_FRAMES * 8);

  temp_path(path, sizeof path, "sizes_s16.wav");
  write_ramp(path, FLZ_WAV_S16);
  n = read_file(path, bytes, sizeof bytes);
  assert_int_equal(n, 44 + RAMP_FRAMES * 4);
  assert_int_equal(get_u32(bytes + 4), n - 8);
  assert_int_equal(get_u32(bytes + 16), 16);
  assert_int_equal(bytes[20], 1);
  assert_memory_equal(bytes + 36, "data", 4);
  assert_int_equal(get_u32(bytes + 40), RAMP_FRAMES * 4);
}

static void open_rejects_bad_arguments_and_unwritable_paths(void **state)
{
  char path[256];
  flz_wav_file wav;
  (void)state;

  temp_path(path, sizeof path, "bad.wav");
  assert_int_equal(flz_wav_file_open(&wav, path, 2, 2, 48000), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_wav_file_open(&wav, path, FLZ_WAV_S16, 0, 48000), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_wav_file_open(&wav, path, FLZ_WAV_S16, 9, 48000), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_wav_file_open(&wav, path, FLZ_WAV_S16, 2, 0), FLZ_ERR_ARGUMENT);
  temp_path(path, sizeof path, "no/such/folder.wav");
  assert_int_equal(flz_wav_file_open(&wav, path, FLZ_WAV_FLOAT32, 2, 48000), FLZ_ERR_WRITE);
}

static int make_folder(void **state)
{
  (void)state;
  return mkdtemp(folder) ? 0 : -1;
}

static int remove_folder(void **state)
{
  static const char *const names[] = {"ramp_f32.wav", "ramp_s16.wav", "clamp.wav", "sizes_f32.wav",
                                      "sizes_s16.wav"};
  char path[256];
  size_t i;
  (void)state;
  for (i = 0; i < sizeof names / sizeof names[0]; i++) {
    temp_path(path, sizeof path, names[i]);
    unlink(path);
  }
  return rmdir(folder);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(float32_file_reads_back_exactly_with_sdl),
    cmocka_unit_test(s16_file_reads_back_rounded_with_sdl),
    cmocka_unit_test(s16_clamps_out_of_range_and_maps_nan_to_zero),
    cmocka_unit_test(close_writes_the_riff_fact_and_data_sizes),
    cmocka_unit_test(open_rejects_bad_arguments_and_unwritable_paths),
  };
  return cmocka_run_group_tests(tests, make_folder, remove_folder);
}
