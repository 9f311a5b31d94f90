/* tests/platform/test_decode.c: proves platform/decode.c on real files (the
 * set tools/make-test-data builds in $FLZ_TEST_DATA from Debian packages,
 * with soxi's frame, channel and rate counts in manifest.tsv) and on WAV and
 * Ogg files this test writes itself with known contents.
 * Owns: only its own temporary folder; reads $FLZ_TEST_DATA, never writes it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine/result.h"
#include "platform/decode.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PATH_BYTES 1024

static const char *test_data(void) {
  const char *dir = getenv("FLZ_TEST_DATA");
  if (dir == NULL) {
    fail_msg("FLZ_TEST_DATA is not set: run through ctest (fixture test_data)");
  }
  return dir;
}

static void data_path(char *path, const char *name) {
  int n = snprintf(path, PATH_BYTES, "%s/%s", test_data(), name);
  assert_true(n > 0 && n < PATH_BYTES);
}

typedef struct manifest_line {
  char name[256];
  uint64_t frames;
  uint32_t channels;
  uint32_t rate;
} manifest_line;

/* Reads manifest.tsv (path<TAB>frames<TAB>channels<TAB>rate, paths relative
 * to $FLZ_TEST_DATA); returns the line count. */
static size_t read_manifest(manifest_line *lines, size_t max) {
  char path[PATH_BYTES];
  data_path(path, "manifest.tsv");
  FILE *file = fopen(path, "r");
  assert_non_null(file);
  size_t count = 0;
  unsigned long long frames;
  unsigned channels, rate;
  while (count < max && fscanf(file, "%255[^\t]\t%llu\t%u\t%u\n", lines[count].name, &frames,
                               &channels, &rate) == 4) {
    lines[count].frames = frames;
    lines[count].channels = channels;
    lines[count].rate = rate;
    count++;
  }
  assert_true(feof(file));
  fclose(file);
  return count;
}

static const manifest_line *find_line(const manifest_line *lines, size_t count, const char *name) {
  for (size_t i = 0; i < count; i++) {
    if (strcmp(lines[i].name, name) == 0) {
      return &lines[i];
    }
  }
  fail_msg("%s is not in manifest.tsv", name);
  return NULL;
}

/* sox pads ADPCM data to a whole block and soxi counts the padding; the
 * decoder trusts the fact chunk (SDL_WAVE_FACT_CHUNK=ignorezero), so it gives
 * the true length: that of the 16-bit PCM file sox made from the same source.
 * Returns that sibling's name in `sibling`, or 0 for a file that is not ADPCM. */
static int adpcm_sibling(const char *name, char *sibling, size_t size) {
  const char *suffix = strstr(name, "-ima-adpcm.wav");
  if (suffix == NULL) {
    suffix = strstr(name, "-ms-adpcm.wav");
  }
  if (suffix == NULL) {
    return 0;
  }
  snprintf(sibling, size, "%.*s-s16.wav", (int)(suffix - name), name);
  return 1;
}

static void test_every_manifest_file_decodes_with_soxi_frames_channels_and_rate(void **state) {
  (void)state;
  static manifest_line lines[256];
  size_t count = read_manifest(lines, 256);
  /* 35 freedesktop sounds + 21 WAVs + 10 kit files, as make-test-data makes. */
  assert_int_equal(count, 66);
  size_t adpcm = 0;
  for (size_t i = 0; i < count; i++) {
    char path[PATH_BYTES];
    data_path(path, lines[i].name);
    flz_decoded out;
    flz_audio_info source;
    char detail[256];
    int result = flz_decode_file(path, 0, &out, &source, detail, sizeof detail);
    if (result != FLZ_OK) {
      fail_msg("%s: %s: %s", lines[i].name, flz_result_name(result), detail);
    }
    uint64_t expected = lines[i].frames;
    char sibling[256];
    if (adpcm_sibling(lines[i].name, sibling, sizeof sibling)) {
      expected = find_line(lines, count, sibling)->frames;
      /* The padding soxi counts is less than one block: sox writes IMA ADPCM
       * blocks of 505 frames and MS ADPCM blocks of 2036 frames. */
      assert_true(lines[i].frames >= expected && lines[i].frames - expected < 2036);
      adpcm++;
    }
    if (out.frame_count != expected || out.channels != lines[i].channels ||
        out.rate != lines[i].rate) {
      fail_msg("%s: decoded %llu frames x %u ch at %u Hz, soxi says %llu x %u at %u",
               lines[i].name, (unsigned long long)out.frame_count, (unsigned)out.channels,
               (unsigned)out.rate, (unsigned long long)expected, (unsigned)lines[i].channels,
               (unsigned)lines[i].rate);
    }
    assert_int_equal(source.frames, expected);
    assert_int_equal(source.channels, lines[i].channels);
    assert_int_equal(source.rate, lines[i].rate);
    float peak = 0.0f;
    for (uint64_t s = 0; s < out.frame_count * out.channels; s++) {
      assert_true(isfinite(out.data[s]));
      peak = fmaxf(peak, fabsf(out.data[s]));
    }
    /* Every file is an audible sound: a decoder that returned silence of the
     * right length would fail here. */
    if (peak < 0.01f) {
      fail_msg("%s: peak %g", lines[i].name, (double)peak);
    }
    flz_decode_free(&out);
    assert_null(out.data);
    assert_int_equal(out.frame_count, 0);
  }
  assert_int_equal(adpcm, 4);
}

/* flz_decode_file defines a converted length as round(frames * rate /
 * file rate) and flushes SDL_AudioStream's resampler until it has that many
 * frames, so the count is exact: no tolerance. */
static void check_resampled(const char *name, uint32_t rate) {
  char path[PATH_BYTES];
  data_path(path, name);
  flz_decoded plain;
  flz_decoded converted;
  flz_audio_info source;
  char detail[256];
  assert_int_equal(flz_decode_file(path, 0, &plain, NULL, detail, sizeof detail), FLZ_OK);
  assert_int_equal(flz_decode_file(path, rate, &converted, &source, detail, sizeof detail), FLZ_OK);
  uint64_t expected = (uint64_t)llround((double)plain.frame_count * rate / plain.rate);
  if (converted.frame_count != expected) {
    fail_msg("%s to %u Hz: %llu frames, expected %llu", name, (unsigned)rate,
             (unsigned long long)converted.frame_count, (unsigned long long)expected);
  }
  assert_int_equal(converted.rate, rate);
  assert_int_equal(converted.channels, plain.channels);
  assert_int_equal(source.frames, plain.frame_count);
  assert_int_equal(source.rate, plain.rate);
  flz_decode_free(&plain);
  flz_decode_free(&converted);
}

static void test_wav_at_44100_converts_to_48000_with_the_rate_ratio_in_frames(void **state) {
  (void)state;
  check_resampled("wav/drum_heavy_kick-44100.wav", 48000);
  check_resampled("wav/loop_amen-s16.wav", 48000);
}

static void test_ogg_converts_up_and_down_with_the_rate_ratio_in_frames(void **state) {
  (void)state;
  check_resampled("ogg/camera-shutter.oga", 48000);
  check_resampled("ogg/phone-outgoing-busy.oga", 44100);
}

/* A temporary folder for files the tests write. */
static char temp_dir[64];

static int make_temp_dir(void **state) {
  (void)state;
  strcpy(temp_dir, "/tmp/flz-test-decode-XXXXXX");
  return mkdtemp(temp_dir) == NULL ? -1 : 0;
}

static int remove_temp_dir(void **state) {
  (void)state;
  char command[128];
  snprintf(command, sizeof command, "rm -rf '%s'", temp_dir);
  return system(command) == 0 ? 0 : -1;
}

static void temp_path(char *path, const char *name) {
  snprintf(path, PATH_BYTES, "%s/%s", temp_dir, name);
}

static void put_le(FILE *file, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; i++) {
    fputc((int)((value >> (8 * i)) & 0xff), file);
  }
}

/* Writes a canonical PCM WAV (RIFF, fmt, data) of `count` samples. */
static void write_pcm_wav(const char *path, uint32_t channels, uint32_t rate, uint32_t bits,
                          const int32_t *samples, uint32_t count) {
  FILE *file = fopen(path, "wb");
  assert_non_null(file);
  uint32_t bytes = bits / 8;
  fwrite("RIFF", 1, 4, file);
  put_le(file, 36 + count * bytes, 4);
  fwrite("WAVEfmt ", 1, 8, file);
  put_le(file, 16, 4);
  put_le(file, 1, 2);
  put_le(file, channels, 2);
  put_le(file, rate, 4);
  put_le(file, rate * channels * bytes, 4);
  put_le(file, channels * bytes, 2);
  put_le(file, bits, 2);
  fwrite("data", 1, 4, file);
  put_le(file, count * bytes, 4);
  for (uint32_t i = 0; i < count; i++) {
    put_le(file, bits == 8 ? (uint32_t)(samples[i] + 128) : (uint32_t)samples[i], (int)bytes);
  }
  assert_int_equal(fclose(file), 0);
}

static void test_16_bit_pcm_decodes_to_value_over_32768_exactly(void **state) {
  (void)state;
  static const int32_t samples[] = {0, 1, -1, 32767, -32768, 12345, -23456, 16384};
  char path[PATH_BYTES];
  temp_path(path, "s16.wav");
  write_pcm_wav(path, 2, 22050, 16, samples, 8);
  flz_decoded out;
  char detail[256];
  assert_int_equal(flz_decode_file(path, 0, &out, NULL, detail, sizeof detail), FLZ_OK);
  assert_int_equal(out.frame_count, 4);
  assert_int_equal(out.channels, 2);
  assert_int_equal(out.rate, 22050);
  for (int i = 0; i < 8; i++) {
    assert_true(out.data[i] == (float)samples[i] / 32768.0f);
  }
  flz_decode_free(&out);
}

static void test_24_and_8_bit_pcm_decode_to_their_exact_fractions(void **state) {
  (void)state;
  static const int32_t s24[] = {0, 1, -1, 8388607, -8388608, 1234567};
  static const int32_t u8[] = {0, 1, -1, 127, -128, 64};
  char path[PATH_BYTES];
  flz_decoded out;
  char detail[256];
  temp_path(path, "s24.wav");
  write_pcm_wav(path, 1, 48000, 24, s24, 6);
  assert_int_equal(flz_decode_file(path, 0, &out, NULL, detail, sizeof detail), FLZ_OK);
  assert_int_equal(out.frame_count, 6);
  for (int i = 0; i < 6; i++) {
    assert_true(out.data[i] == (float)s24[i] / 8388608.0f);
  }
  flz_decode_free(&out);
  temp_path(path, "u8.wav");
  write_pcm_wav(path, 1, 8000, 8, u8, 6);
  assert_int_equal(flz_decode_file(path, 0, &out, NULL, detail, sizeof detail), FLZ_OK);
  assert_int_equal(out.frame_count, 6);
  for (int i = 0; i < 6; i++) {
    assert_true(out.data[i] == (float)u8[i] / 128.0f);
  }
  flz_decode_free(&out);
}

static void test_resampling_keeps_an_impulse_at_its_time(void **state) {
  (void)state;
  static int32_t samples[4410];
  samples[1000] = 16384;
  char path[PATH_BYTES];
  temp_path(path, "impulse.wav");
  write_pcm_wav(path, 1, 44100, 16, samples, 4410);
  flz_decoded out;
  assert_int_equal(flz_decode_file(path, 48000, &out, NULL, NULL, 0), FLZ_OK);
  assert_int_equal(out.frame_count, 4800);
  uint64_t peak_at = 0;
  for (uint64_t i = 0; i < out.frame_count; i++) {
    if (fabsf(out.data[i]) > fabsf(out.data[peak_at])) {
      peak_at = i;
    }
  }
  /* 1000 / 44100 s is frame 1088.4 at 48000 Hz: no delay, no lost start. */
  assert_int_equal(peak_at, 1088);
  flz_decode_free(&out);
}

static void test_six_channels_downmix_to_stereo_keeping_left_on_the_left(void **state) {
  (void)state;
  static int32_t samples[6 * 100];
  for (int frame = 0; frame < 100; frame++) {
    samples[6 * frame] = 16384;
  }
  char path[PATH_BYTES];
  temp_path(path, "surround.wav");
  write_pcm_wav(path, 6, 48000, 16, samples, 6 * 100);
  flz_decoded out;
  flz_audio_info source;
  assert_int_equal(flz_decode_file(path, 0, &out, &source, NULL, 0), FLZ_OK);
  assert_int_equal(source.channels, 6);
  assert_int_equal(out.channels, 2);
  assert_int_equal(out.frame_count, 100);
  for (int frame = 0; frame < 100; frame++) {
    assert_true(out.data[2 * frame] > 0.1f);
    assert_true(out.data[2 * frame + 1] == 0.0f);
  }
  flz_decode_free(&out);
}

static void check_error(const char *path, int expected) {
  flz_decoded out = {(float *)&out, 99, 9, 9};
  char detail[256] = "untouched";
  int result = flz_decode_file(path, 0, &out, NULL, detail, sizeof detail);
  if (result != expected) {
    fail_msg("%s: got %s (%s), expected %s", path, flz_result_name(result), detail,
             flz_result_name(expected));
  }
  assert_true(detail[0] != '\0' && strcmp(detail, "untouched") != 0);
  assert_null(out.data);
  assert_int_equal(out.frame_count, 0);
  assert_int_equal(out.channels, 0);
  assert_int_equal(out.rate, 0);
}

static void check_bad(const char *name, int expected) {
  char path[PATH_BYTES];
  data_path(path, name);
  check_error(path, expected);
}

static void test_bad_files_give_their_error_and_a_detail_and_no_audio(void **state) {
  (void)state;
  check_bad("bad/empty.wav", FLZ_ERR_EMPTY_FILE);
  check_bad("bad/truncated.wav", FLZ_ERR_CORRUPT);
  check_bad("bad/truncated.ogg", FLZ_ERR_CORRUPT);
  /* Random bytes named .wav have no RIFF/WAVE header: the file is not the
   * WAV its name says (corrupt), not a WAV in an encoding SDL lacks. */
  check_bad("bad/noise.wav", FLZ_ERR_CORRUPT);
  /* Well-formed WAVs in encodings SDL 2.26 does not decode: 64-bit float
   * ("64-bit IEEE floating-point format not supported") and GSM 6.10
   * ("Unknown WAVE format tag: 0x0031"). */
  check_bad("bad/float64.wav", FLZ_ERR_UNSUPPORTED);
  check_bad("bad/gsm.wav", FLZ_ERR_UNSUPPORTED);
  check_bad("bad/x.ogg", FLZ_ERR_IS_DIRECTORY);
  check_bad("bad/missing.wav", FLZ_ERR_NOT_FOUND);
  check_bad("bad/missing-folder/a.ogg", FLZ_ERR_NOT_FOUND);
  check_bad("manifest.tsv", FLZ_ERR_UNSUPPORTED);
}

static void test_good_file_beside_bad_ones_still_decodes(void **state) {
  (void)state;
  char path[PATH_BYTES];
  data_path(path, "bad/good.wav");
  flz_decoded out;
  assert_int_equal(flz_decode_file(path, 0, &out, NULL, NULL, 0), FLZ_OK);
  assert_true(out.frame_count > 0);
  flz_decode_free(&out);
}

static void test_wav_with_an_empty_data_chunk_has_no_audio(void **state) {
  (void)state;
  char path[PATH_BYTES];
  temp_path(path, "silent.wav");
  write_pcm_wav(path, 1, 44100, 16, NULL, 0);
  check_error(path, FLZ_ERR_NO_AUDIO);
}

static unsigned char *read_whole(const char *path, size_t *size) {
  FILE *file = fopen(path, "rb");
  assert_non_null(file);
  assert_int_equal(fseek(file, 0, SEEK_END), 0);
  long length = ftell(file);
  assert_true(length > 0);
  rewind(file);
  unsigned char *data = malloc((size_t)length);
  assert_non_null(data);
  assert_int_equal(fread(data, 1, (size_t)length, file), (size_t)length);
  fclose(file);
  *size = (size_t)length;
  return data;
}

static void write_bytes(const char *path, const unsigned char *data, size_t size) {
  FILE *file = fopen(path, "wb");
  assert_non_null(file);
  assert_int_equal(fwrite(data, 1, size, file), size);
  assert_int_equal(fclose(file), 0);
}

/* stb_vorbis alone decodes a cut Ogg as a shorter stream; cut at a page
 * boundary, even the stream length it reports agrees. Every cut must fail. */
static void test_ogg_cut_anywhere_is_corrupt(void **state) {
  (void)state;
  char source[PATH_BYTES];
  data_path(source, "ogg/complete.oga");
  size_t size;
  unsigned char *data = read_whole(source, &size);
  char path[PATH_BYTES];
  temp_path(path, "cut.ogg");
  static const int percent[] = {1, 10, 50, 90, 99};
  for (size_t i = 0; i < sizeof percent / sizeof percent[0]; i++) {
    write_bytes(path, data, size * (size_t)percent[i] / 100);
    check_error(path, FLZ_ERR_CORRUPT);
  }
  size_t last_page = 0;
  for (size_t at = 1; at + 4 <= size; at++) {
    if (memcmp(data + at, "OggS", 4) == 0) {
      last_page = at;
    }
  }
  assert_true(last_page > size / 2);
  write_bytes(path, data, last_page);
  check_error(path, FLZ_ERR_CORRUPT);
  free(data);
}

static void test_ogg_that_is_not_vorbis_is_unsupported(void **state) {
  (void)state;
  /* One Ogg page (RFC 3533): beginning and end of stream, one 19-byte
   * segment holding an Opus identification header (RFC 7845 §5.1). */
  unsigned char page[27 + 1 + 19] = {'O', 'g', 'g', 'S', 0, 0x06};
  page[26] = 1;
  page[27] = 19;
  memcpy(page + 28, "OpusHead\x01\x02\x38\x01\x80\xbb\0\0\0\0\0", 19);
  char path[PATH_BYTES];
  temp_path(path, "opus.oga");
  write_bytes(path, page, sizeof page);
  check_error(path, FLZ_ERR_UNSUPPORTED);
}

static void test_audio_names_are_wav_ogg_oga_in_any_case(void **state) {
  (void)state;
  assert_true(flz_decode_is_audio_name("kick.wav"));
  assert_true(flz_decode_is_audio_name("kit/Kick.WAV"));
  assert_true(flz_decode_is_audio_name("bell.ogg"));
  assert_true(flz_decode_is_audio_name("bell.OgG"));
  assert_true(flz_decode_is_audio_name("/usr/share/sounds/bell.oga"));
  assert_false(flz_decode_is_audio_name("loop.flac"));
  assert_false(flz_decode_is_audio_name("kick.wav.txt"));
  assert_false(flz_decode_is_audio_name("wav"));
  assert_false(flz_decode_is_audio_name(".wav"));
  assert_false(flz_decode_is_audio_name("kickwav"));
  assert_false(flz_decode_is_audio_name(""));
  assert_false(flz_decode_is_audio_name(NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_audio_names_are_wav_ogg_oga_in_any_case),
      cmocka_unit_test(test_every_manifest_file_decodes_with_soxi_frames_channels_and_rate),
      cmocka_unit_test(test_wav_at_44100_converts_to_48000_with_the_rate_ratio_in_frames),
      cmocka_unit_test(test_ogg_converts_up_and_down_with_the_rate_ratio_in_frames),
      cmocka_unit_test(test_resampling_keeps_an_impulse_at_its_time),
      cmocka_unit_test(test_six_channels_downmix_to_stereo_keeping_left_on_the_left),
      cmocka_unit_test(test_16_bit_pcm_decodes_to_value_over_32768_exactly),
      cmocka_unit_test(test_24_and_8_bit_pcm_decode_to_their_exact_fractions),
      cmocka_unit_test(test_bad_files_give_their_error_and_a_detail_and_no_audio),
      cmocka_unit_test(test_good_file_beside_bad_ones_still_decodes),
      cmocka_unit_test(test_wav_with_an_empty_data_chunk_has_no_audio),
      cmocka_unit_test(test_ogg_cut_anywhere_is_corrupt),
      cmocka_unit_test(test_ogg_that_is_not_vorbis_is_unsupported),
  };
  return cmocka_run_group_tests(tests, make_temp_dir, remove_temp_dir);
}
