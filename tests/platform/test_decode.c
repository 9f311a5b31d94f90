/* tests/platform/test_decode.c: proves platform/decode.c on real files (the
 * set tools/make-test-data builds in $FLZ_TEST_DATA from Debian packages,
 * with soxi's frame, channel and rate counts in manifest.tsv) and on WAV and
 * Ogg files this test writes itself with known contents: every encoding, the
 * probe, the downmix of 3 to 8 channels, `smpl` loops, the resampler's SNR,
 * one error per kind of broken file, AIFF of hydrogen-drumkits' BJA_Pacific
 * and AIFF written here, and the decoder table
 * (platform/decode/format.h) as the one list of extensions.
 * Owns: only its own temporary folder; reads $FLZ_TEST_DATA, never writes it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine/result.h"
#include "engine/limits.h"
#include "platform/decode.h"
#include "platform/decode/format.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_BYTES 1024

static const char *test_data(void)
{
  const char *dir = getenv("FLZ_TEST_DATA");
  if (dir == NULL) {
    fail_msg("FLZ_TEST_DATA is not set: run through ctest (fixture test_data)");
  }
  return dir;
}

static void data_path(char *path, const char *name)
{
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
static size_t read_manifest(manifest_line *lines, size_t max)
{
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

static const manifest_line *find_line(const manifest_line *lines, size_t count, const char *name)
{
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
static int adpcm_sibling(const char *name, char *sibling, size_t size)
{
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

static void test_every_manifest_file_decodes_with_soxi_frames_channels_and_rate(void **state)
{
  (void)state;
  static manifest_line lines[512];
  size_t count = read_manifest(lines, 512);
  /* 35 freedesktop sounds + 165 sonic-pi FLAC files + 23 WAVs + 2 six-channel
   * files + 10 kit files, as make-test-data makes them. */
  assert_int_equal(count, 235);
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
    /* Mono and stereo stay as they are; more channels are downmixed. */
    uint32_t channels = lines[i].channels > 2 ? 2 : lines[i].channels;
    if (out.frame_count != expected || out.channels != channels || out.rate != lines[i].rate) {
      fail_msg("%s: decoded %llu frames x %u ch at %u Hz, soxi says %llu x %u at %u", lines[i].name,
               (unsigned long long)out.frame_count, (unsigned)out.channels, (unsigned)out.rate,
               (unsigned long long)expected, (unsigned)channels, (unsigned)lines[i].rate);
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
static void check_resampled(const char *name, uint32_t rate)
{
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

static void test_wav_at_44100_converts_to_48000_with_the_rate_ratio_in_frames(void **state)
{
  (void)state;
  check_resampled("wav/drum_heavy_kick-44100.wav", 48000);
  check_resampled("wav/loop_amen-s16.wav", 48000);
}

static void test_ogg_converts_up_and_down_with_the_rate_ratio_in_frames(void **state)
{
  (void)state;
  check_resampled("ogg/camera-shutter.oga", 48000);
  check_resampled("ogg/phone-outgoing-busy.oga", 44100);
}

/* A temporary folder for files the tests write. */
static char temp_dir[64];

static int make_temp_dir(void **state)
{
  (void)state;
  strcpy(temp_dir, "/tmp/flz-test-decode-XXXXXX");
  return mkdtemp(temp_dir) == NULL ? -1 : 0;
}

static int remove_temp_dir(void **state)
{
  (void)state;
  char command[128];
  snprintf(command, sizeof command, "rm -rf '%s'", temp_dir);
  return system(command) == 0 ? 0 : -1;
}

static void temp_path(char *path, const char *name)
{
  snprintf(path, PATH_BYTES, "%s/%s", temp_dir, name);
}

static void put_le(FILE *file, uint32_t value, int bytes)
{
  for (int i = 0; i < bytes; i++) {
    fputc((int)((value >> (8 * i)) & 0xff), file);
  }
}

/* Writes a canonical PCM WAV (RIFF, fmt, data) of `count` samples. */
static void write_pcm_wav(const char *path, uint32_t channels, uint32_t rate, uint32_t bits,
                          const int32_t *samples, uint32_t count)
{
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

static void test_16_bit_pcm_decodes_to_value_over_32768_exactly(void **state)
{
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

static void test_24_and_8_bit_pcm_decode_to_their_exact_fractions(void **state)
{
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

static void test_resampling_keeps_an_impulse_at_its_time(void **state)
{
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

static void test_six_channels_downmix_to_stereo_keeping_left_on_the_left(void **state)
{
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

static void check_error(const char *path, int expected)
{
  flz_decoded out = {(float *)&out, 99, 9, 9, 1, 5, 7};
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
  assert_int_equal(out.has_loop, 0);
  assert_int_equal(out.loop_end, 0);
}

static void check_bad(const char *name, int expected)
{
  char path[PATH_BYTES];
  data_path(path, name);
  check_error(path, expected);
}

static void test_bad_files_give_their_error_and_a_detail_and_no_audio(void **state)
{
  (void)state;
  check_bad("bad/empty.wav", FLZ_ERR_EMPTY_FILE);
  check_bad("bad/truncated.wav", FLZ_ERR_CORRUPT);
  check_bad("bad/truncated.ogg", FLZ_ERR_CORRUPT);
  /* Random bytes named .wav have no RIFF/WAVE header: the file is not the
   * WAV its name says (corrupt), not a WAV in an encoding SDL lacks. */
  check_bad("bad/noise.wav", FLZ_ERR_CORRUPT);
  /* A well-formed WAV in an encoding Flitz does not decode: GSM 6.10
   * (format tag 0x0031). */
  check_bad("bad/gsm.wav", FLZ_ERR_UNSUPPORTED);
  /* libFLAC stops at the cut ("decoded N of M frames") or loses the frame
   * sync in the zeroed middle. */
  check_bad("bad/truncated.flac", FLZ_ERR_CORRUPT);
  check_bad("bad/corrupt.flac", FLZ_ERR_CORRUPT);
  check_bad("bad/x.ogg", FLZ_ERR_IS_DIRECTORY);
  check_bad("bad/missing.wav", FLZ_ERR_NOT_FOUND);
  check_bad("bad/missing-folder/a.ogg", FLZ_ERR_NOT_FOUND);
  check_bad("manifest.tsv", FLZ_ERR_UNSUPPORTED);
}

static void test_good_file_beside_bad_ones_still_decodes(void **state)
{
  (void)state;
  char path[PATH_BYTES];
  data_path(path, "bad/good.wav");
  flz_decoded out;
  assert_int_equal(flz_decode_file(path, 0, &out, NULL, NULL, 0), FLZ_OK);
  assert_true(out.frame_count > 0);
  flz_decode_free(&out);
}

static void test_wav_with_an_empty_data_chunk_has_no_audio(void **state)
{
  (void)state;
  char path[PATH_BYTES];
  temp_path(path, "silent.wav");
  write_pcm_wav(path, 1, 44100, 16, NULL, 0);
  check_error(path, FLZ_ERR_NO_AUDIO);
}

static unsigned char *read_whole(const char *path, size_t *size)
{
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

static void write_bytes(const char *path, const unsigned char *data, size_t size)
{
  FILE *file = fopen(path, "wb");
  assert_non_null(file);
  assert_int_equal(fwrite(data, 1, size, file), size);
  assert_int_equal(fclose(file), 0);
}

/* stb_vorbis alone decodes a cut Ogg as a shorter stream; cut at a page
 * boundary, even the stream length it reports agrees. Every cut must fail. */
static void test_ogg_cut_anywhere_is_corrupt(void **state)
{
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

static void test_ogg_that_is_not_vorbis_is_unsupported(void **state)
{
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

/* ---- AIFF: hydrogen-drumkits' BJA_Pacific, and files written here. ---- */

#define BJA_PACIFIC "/usr/share/hydrogen/data/drumkits/BJA_Pacific"

static uint32_t be32(const unsigned char *b)
{
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* What the test reads of an AIFF itself (AIFF 1.3: chunks after "FORM",
 * size, "AIFF"; COMM's channels, numSampleFrames, sampleSize; SSND's offset
 * before the big-endian samples). */
typedef struct aiff_chunks {
  uint32_t channels;
  uint32_t frames;
  uint32_t bits;
  const unsigned char *samples;
} aiff_chunks;

static aiff_chunks read_aiff_chunks(const unsigned char *data, size_t size)
{
  aiff_chunks a = {0, 0, 0, NULL};
  assert_true(size > 12 && memcmp(data, "FORM", 4) == 0 && memcmp(data + 8, "AIFF", 4) == 0);
  for (size_t at = 12; at + 8 <= size; at += 8 + be32(data + at + 4) + (be32(data + at + 4) & 1)) {
    if (memcmp(data + at, "COMM", 4) == 0) {
      a.channels = (uint32_t)data[at + 8] << 8 | data[at + 9];
      a.frames = be32(data + at + 10);
      a.bits = (uint32_t)data[at + 14] << 8 | data[at + 15];
    }
    if (memcmp(data + at, "SSND", 4) == 0) {
      a.samples = data + at + 16 + be32(data + at + 8);
    }
  }
  assert_non_null(a.samples);
  return a;
}

/* Every sample of three BJA_Pacific files (16-bit stereo at 44.1 kHz) is its
 * SSND value / 32768, read here byte by byte; the probe agrees. */
static void test_bja_pacific_aiff_decodes_to_its_ssnd_values_over_32768(void **state)
{
  (void)state;
  static const char *const names[] = {"BD_01.aiff", "SN_08.aiff", "HH_01.aiff"};
  for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
    char path[PATH_BYTES];
    snprintf(path, sizeof path, "%s/%s", BJA_PACIFIC, names[n]);
    size_t size;
    unsigned char *data = read_whole(path, &size);
    aiff_chunks a = read_aiff_chunks(data, size);
    assert_int_equal(a.bits, 16);
    assert_true(a.frames > 1000);
    flz_decoded out;
    flz_audio_info info;
    char detail[256];
    assert_int_equal(flz_decode_file(path, 0, &out, &info, detail, sizeof detail), FLZ_OK);
    assert_int_equal(out.rate, 44100);
    assert_int_equal(out.channels, a.channels);
    assert_int_equal(out.frame_count, a.frames);
    assert_int_equal(info.frames, a.frames);
    for (uint64_t i = 0; i < (uint64_t)a.frames * a.channels; i++) {
      int16_t v = (int16_t)((uint16_t)a.samples[2 * i] << 8 | a.samples[2 * i + 1]);
      if (out.data[i] != (float)v / 32768.0f) {
        fail_msg("%s: sample %llu is %.9g, SSND says %d", names[n], (unsigned long long)i,
                 (double)out.data[i], v);
      }
    }
    flz_decode_estimate estimate;
    assert_int_equal(flz_decode_probe(path, 0, &estimate, detail, sizeof detail), FLZ_OK);
    assert_int_equal(estimate.source.frames, a.frames);
    assert_int_equal(estimate.source.channels, a.channels);
    assert_int_equal(estimate.source.rate, 44100);
    flz_decode_free(&out);
    free(data);
  }
}

/* Writes a mono AIFF at 44.1 kHz of `bytes` bytes of big- or little-endian
 * samples, or an AIFF-C with `compression` ("NONE", "sowt", "fl32",
 * "ulaw") when it is not NULL. */
static void write_aiff(const char *path, const char *compression, uint32_t bits,
                       const unsigned char *samples, uint32_t frames, uint32_t bytes)
{
  /* 44100 as an 80-bit IEEE extended float, as BJA_Pacific's files hold it. */
  static const unsigned char rate[10] = {0x40, 0x0e, 0xac, 0x44, 0, 0, 0, 0, 0, 0};
  uint32_t comm = compression != NULL ? 18 + 4 + 2 : 18;
  FILE *file = fopen(path, "wb");
  assert_non_null(file);
  unsigned char head[12 + 8 + 24 + 16];
  size_t n = 0;
  memcpy(head, "FORM", 4);
  uint32_t form = 4 + 8 + comm + 16 + bytes;
  unsigned char be[4] = {(unsigned char)(form >> 24), (unsigned char)(form >> 16),
                         (unsigned char)(form >> 8), (unsigned char)form};
  memcpy(head + 4, be, 4);
  memcpy(head + 8, compression != NULL ? "AIFC" : "AIFF", 4);
  memcpy(head + 12, "COMM", 4);
  n = 16;
  unsigned char fields[] = {0,
                            0,
                            0,
                            (unsigned char)comm,
                            0,
                            1,
                            (unsigned char)(frames >> 24),
                            (unsigned char)(frames >> 16),
                            (unsigned char)(frames >> 8),
                            (unsigned char)frames,
                            0,
                            (unsigned char)bits};
  memcpy(head + n, fields, sizeof fields);
  n += sizeof fields;
  memcpy(head + n, rate, sizeof rate);
  n += sizeof rate;
  if (compression != NULL) {
    memcpy(head + n, compression, 4);
    head[n + 4] = 0; /* an empty name, padded to an even length */
    head[n + 5] = 0;
    n += 6;
  }
  unsigned char ssnd[16] = {'S',
                            'S',
                            'N',
                            'D',
                            (unsigned char)((bytes + 8) >> 24),
                            (unsigned char)((bytes + 8) >> 16),
                            (unsigned char)((bytes + 8) >> 8),
                            (unsigned char)(bytes + 8)};
  memcpy(head + n, ssnd, sizeof ssnd);
  n += sizeof ssnd;
  assert_int_equal(fwrite(head, 1, n, file), n);
  assert_int_equal(fwrite(samples, 1, bytes, file), bytes);
  assert_int_equal(fclose(file), 0);
}

static void check_aiff_values(const char *path, const float *want, uint32_t frames)
{
  flz_decoded out;
  char detail[256];
  int result = flz_decode_file(path, 0, &out, NULL, detail, sizeof detail);
  if (result != FLZ_OK) {
    fail_msg("%s: %s (%s)", path, flz_result_name(result), detail);
  }
  assert_int_equal(out.frame_count, frames);
  assert_int_equal(out.channels, 1);
  for (uint32_t i = 0; i < frames; i++) {
    if (out.data[i] != want[i]) {
      fail_msg("%s: sample %u is %.9g, want %.9g", path, i, (double)out.data[i], (double)want[i]);
    }
  }
  flz_decode_free(&out);
}

/* 8 and 24-bit AIFF and AIFF-C 'NONE', 'sowt' (little-endian) and 'fl32'
 * decode to the exact fractions of what was written; an AIFF-C of u-law is
 * unsupported, with its reason. */
static void test_aiff_and_aiff_c_encodings_decode_to_their_exact_fractions(void **state)
{
  (void)state;
  char path[PATH_BYTES];
  temp_path(path, "x.aiff");
  const unsigned char s8[] = {0x80, 0xff, 0x00, 0x01, 0x7f};
  const float w8[] = {-1.0f, -1.0f / 128, 0.0f, 1.0f / 128, 127.0f / 128};
  write_aiff(path, NULL, 8, s8, 5, 5);
  check_aiff_values(path, w8, 5);
  const unsigned char s24[] = {0x80, 0x00, 0x00, 0xff, 0xff, 0xff, 0x12, 0x34, 0x56};
  const float w24[] = {-1.0f, -1.0f / 8388608, (float)0x123456 / 8388608};
  write_aiff(path, NULL, 24, s24, 3, 9);
  check_aiff_values(path, w24, 3);
  const unsigned char s16be[] = {0x80, 0x00, 0x12, 0x34, 0x7f, 0xff};
  const unsigned char s16le[] = {0x00, 0x80, 0x34, 0x12, 0xff, 0x7f};
  const float w16[] = {-1.0f, (float)0x1234 / 32768, 32767.0f / 32768};
  write_aiff(path, "NONE", 16, s16be, 3, 6);
  check_aiff_values(path, w16, 3);
  write_aiff(path, "sowt", 16, s16le, 3, 6);
  check_aiff_values(path, w16, 3);
  /* 0.5 and -0.75 as big-endian IEEE 754 singles. */
  const unsigned char sf[] = {0x3f, 0x00, 0x00, 0x00, 0xbf, 0x40, 0x00, 0x00};
  const float wf[] = {0.5f, -0.75f};
  write_aiff(path, "fl32", 32, sf, 2, 8);
  check_aiff_values(path, wf, 2);
  write_aiff(path, "ulaw", 8, s8, 5, 5);
  flz_decoded out;
  char detail[256];
  assert_int_equal(flz_decode_file(path, 0, &out, NULL, detail, sizeof detail),
                   FLZ_ERR_UNSUPPORTED);
  assert_non_null(strstr(detail, "not 8 to 32-bit PCM or float"));
}

/* libsndfile alone reads a cut AIFF as a shorter one: COMM's frame count
 * makes it corrupt, with the counts as the reason; a header cut before SSND
 * or without "AIFF" is corrupt too, each with its reason. */
static void test_aiff_cut_or_without_its_header_is_corrupt(void **state)
{
  (void)state;
  char source[PATH_BYTES];
  snprintf(source, sizeof source, "%s/BD_01.aiff", BJA_PACIFIC);
  size_t size;
  unsigned char *data = read_whole(source, &size);
  aiff_chunks a = read_aiff_chunks(data, size);
  char path[PATH_BYTES];
  temp_path(path, "cut.aiff");
  write_bytes(path, data, size / 2);
  check_error(path, FLZ_ERR_CORRUPT);
  flz_decoded out;
  char detail[256];
  char want[128];
  assert_int_equal(
    flz_decode_memory(data, size / 2, FLZ_DECODE_AIFF, NULL, &out, NULL, detail, sizeof detail),
    FLZ_ERR_CORRUPT);
  snprintf(want, sizeof want, "of COMM's %u frames", (unsigned)a.frames);
  assert_non_null(strstr(detail, want));
  write_bytes(path, data, 40);
  check_error(path, FLZ_ERR_CORRUPT);
  assert_int_equal(
    flz_decode_memory(data, 40, FLZ_DECODE_AIFF, NULL, &out, NULL, detail, sizeof detail),
    FLZ_ERR_CORRUPT);
  assert_string_equal(detail, "no SSND chunk: the header is cut short or broken");
  memcpy(data + 8, "WAVE", 4);
  write_bytes(path, data, size);
  check_error(path, FLZ_ERR_CORRUPT);
  assert_int_equal(
    flz_decode_memory(data, size, FLZ_DECODE_AIFF, NULL, &out, NULL, detail, sizeof detail),
    FLZ_ERR_CORRUPT);
  assert_string_equal(detail, "no FORM AIFF or AIFC header");
  free(data);
}

static void test_audio_names_are_wav_ogg_oga_flac_aif_aiff_in_any_case(void **state)
{
  (void)state;
  assert_true(flz_decode_is_audio_name("kick.wav"));
  assert_true(flz_decode_is_audio_name("kit/Kick.WAV"));
  assert_true(flz_decode_is_audio_name("bell.ogg"));
  assert_true(flz_decode_is_audio_name("bell.OgG"));
  assert_true(flz_decode_is_audio_name("/usr/share/sounds/bell.oga"));
  assert_true(flz_decode_is_audio_name("loop.flac"));
  assert_true(flz_decode_is_audio_name("LOOP.FLAC"));
  assert_int_equal(flz_decode_format_of("a.FLAC"), FLZ_DECODE_FLAC);
  assert_int_equal(flz_decode_format_of("BD_01.aiff"), FLZ_DECODE_AIFF);
  assert_int_equal(flz_decode_format_of("a.AIF"), FLZ_DECODE_AIFF);
  assert_int_equal(flz_decode_format_of("a.oga"), FLZ_DECODE_OGG);
  assert_int_equal(flz_decode_format_of("a.Wav"), FLZ_DECODE_WAV);
  assert_int_equal(flz_decode_format_of("a.mp3"), FLZ_DECODE_UNKNOWN);
  assert_false(flz_decode_is_audio_name("loop.fla"));
  assert_false(flz_decode_is_audio_name("kick.wav.txt"));
  assert_false(flz_decode_is_audio_name("wav"));
  assert_false(flz_decode_is_audio_name(".wav"));
  assert_false(flz_decode_is_audio_name("kickwav"));
  assert_false(flz_decode_is_audio_name(""));
  assert_false(flz_decode_is_audio_name(NULL));
}

/* The decoder table is the only list of extensions: every row's extension,
 * in either case, names that row's format; the list people are told holds
 * each extension and nothing else; the "not a ... file" reason is built from
 * it. */
static void test_the_table_alone_names_the_extensions_and_their_formats(void **state)
{
  (void)state;
  char list[FLZ_DECODE_EXTENSION_LIST_BYTES];
  size_t length = flz_decode_extension_list(list, sizeof list);
  assert_true(length < sizeof list);
  assert_int_equal(strlen(list), length);
  assert_int_equal(flz_decode_extension_list(NULL, 0), length);
  size_t extensions = 0;
  int rows_of[FLZ_DECODE_AIFF + 1] = {0};
  for (size_t i = 0; flz_decode_rows[i] != NULL; i++) {
    const flz_decode_row *row = flz_decode_rows[i];
    assert_true(row->format > FLZ_DECODE_UNKNOWN && row->format <= FLZ_DECODE_AIFF);
    rows_of[row->format]++;
    assert_non_null(row->name);
    assert_non_null(row->probe);
    assert_non_null(row->decode);
    assert_non_null(row->extensions[0]);
    for (const char *const *ext = row->extensions; *ext != NULL; ext++) {
      char lower[32];
      char upper[32];
      snprintf(lower, sizeof lower, "x%s", *ext);
      snprintf(upper, sizeof upper, "X%s", *ext);
      for (char *c = upper; *c != '\0'; c++) {
        *c = (char)toupper((unsigned char)*c);
      }
      if (flz_decode_format_of(lower) != row->format ||
          flz_decode_format_of(upper) != row->format) {
        fail_msg("%s: %s or %s is not format %d", row->name, lower, upper, (int)row->format);
      }
      assert_true(flz_decode_is_audio_name(upper));
      /* The extension stands whole in the list: ".fla" would not. */
      const char *at = strstr(list, *ext);
      assert_non_null(at);
      char after = at[strlen(*ext)];
      assert_true(after == '\0' || after == ',' || after == ' ');
      extensions++;
    }
  }
  for (int format = FLZ_DECODE_WAV; format <= FLZ_DECODE_AIFF; format++) {
    assert_int_equal(rows_of[format], 1);
  }
  size_t dots = 0;
  for (const char *c = list; *c != '\0'; c++) {
    dots += *c == '.';
  }
  assert_int_equal(dots, extensions);
  assert_string_equal(list, ".wav, .ogg, .oga, .flac, .aif or .aiff");

  char cut[8];
  assert_int_equal(flz_decode_extension_list(cut, sizeof cut), length);
  assert_string_equal(cut, ".wav, .");

  char expected[128];
  snprintf(expected, sizeof expected, "not a %s file", list);
  char detail[128];
  flz_decoded out;
  assert_int_equal(flz_decode_file("kick.mp3", 0, &out, NULL, detail, sizeof detail),
                   FLZ_ERR_UNSUPPORTED);
  assert_string_equal(detail, expected);
  flz_decode_estimate estimate;
  assert_int_equal(flz_decode_probe("kick.mp3", 0, &estimate, detail, sizeof detail),
                   FLZ_ERR_UNSUPPORTED);
  assert_string_equal(detail, expected);
  static const unsigned char byte = 0;
  assert_int_equal(
    flz_decode_memory(&byte, 1, FLZ_DECODE_UNKNOWN, NULL, &out, NULL, detail, sizeof detail),
    FLZ_ERR_UNSUPPORTED);
  assert_string_equal(detail, expected);
}

/* ---- Files written here with every header field under control. ---- */

typedef struct wav_spec {
  uint32_t tag;       /* 1 PCM, 3 IEEE float, 0xFFFE extensible */
  uint32_t subformat; /* extensible: the subformat's tag */
  uint32_t mask;      /* extensible: dwChannelMask */
  uint32_t channels;
  uint32_t rate;
  uint32_t bits;
  int claim; /* nonzero: the data chunk's size field says `claimed` */
  uint32_t claimed;
  int loop; /* nonzero: a smpl chunk with one loop, inclusive ends */
  uint32_t loop_first;
  uint32_t loop_last;
} wav_spec;

static void write_wav(const char *path, const wav_spec *spec, const void *data, uint32_t bytes)
{
  FILE *file = fopen(path, "wb");
  assert_non_null(file);
  uint32_t fmt_size = spec->tag == 0xFFFE ? 40 : 16;
  uint32_t smpl_size = spec->loop ? 60 : 0;
  fwrite("RIFF", 1, 4, file);
  put_le(file, 4 + 8 + fmt_size + 8 + bytes + (smpl_size ? 8 + smpl_size : 0), 4);
  fwrite("WAVEfmt ", 1, 8, file);
  put_le(file, fmt_size, 4);
  put_le(file, spec->tag, 2);
  put_le(file, spec->channels, 2);
  put_le(file, spec->rate, 4);
  put_le(file, spec->rate * spec->channels * spec->bits / 8, 4);
  put_le(file, spec->channels * spec->bits / 8, 2);
  put_le(file, spec->bits, 2);
  if (spec->tag == 0xFFFE) {
    put_le(file, 22, 2);
    put_le(file, spec->bits, 2);
    put_le(file, spec->mask, 4);
    /* KSDATAFORMAT_SUBTYPE_*: the tag, then a fixed tail. */
    put_le(file, spec->subformat, 4);
    static const unsigned char tail[12] = {0x00, 0x00, 0x10, 0x00, 0x80, 0x00,
                                           0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
    fwrite(tail, 1, sizeof tail, file);
  }
  fwrite("data", 1, 4, file);
  put_le(file, spec->claim ? spec->claimed : bytes, 4);
  if (bytes > 0) {
    fwrite(data, 1, bytes, file);
  }
  if (spec->loop) {
    fwrite("smpl", 1, 4, file);
    put_le(file, smpl_size, 4);
    for (int i = 0; i < 7; i++) {
      put_le(file, 0, 4); /* manufacturer .. SMPTE offset */
    }
    put_le(file, 1, 4); /* one loop */
    put_le(file, 0, 4); /* sampler data */
    put_le(file, 0, 4); /* cue id */
    put_le(file, 0, 4); /* forward loop */
    put_le(file, spec->loop_first, 4);
    put_le(file, spec->loop_last, 4);
    put_le(file, 0, 4); /* fraction */
    put_le(file, 0, 4); /* play count: forever */
  }
  assert_int_equal(fclose(file), 0);
}

/* The downmix as decode.h documents it, written out again here: speaker
 * gains into left and right, and WAV's speaker order (platform/decode/wav.c). */
#define G 0.70710678118654752
enum { FL, FR, FC, LFE, BL, BR, FLC, FRC, BC, SL, SR };
static const double gains[][2] = {
  [FL] = {1, 0},  [FR] = {0, 1},  [FC] = {G, G},     [LFE] = {0, 0}, [BL] = {G, 0}, [BR] = {0, G},
  [FLC] = {1, 0}, [FRC] = {0, 1}, [BC] = {0.5, 0.5}, [SL] = {G, 0},  [SR] = {0, G},
};
static const int wav_order[9][8] = {
  [3] = {FL, FR, LFE},
  [4] = {FL, FR, BL, BR},
  [5] = {FL, FR, LFE, BL, BR},
  [6] = {FL, FR, FC, LFE, BL, BR},
  [7] = {FL, FR, FC, LFE, BC, SL, SR},
  [8] = {FL, FR, FC, LFE, BL, BR, SL, SR},
};

/* Frame k of an n-channel file holds value (k + 1) * 1000 in channel k % n
 * and 0 elsewhere, for 2n frames, then one frame of full scale everywhere. So
 * each output value is one input times one coefficient: exact in float. */
static void check_downmix(const char *name, uint32_t n, const wav_spec *spec, const int *speakers)
{
  int16_t samples[17 * 8];
  uint32_t frames = 2 * n + 1;
  memset(samples, 0, sizeof samples);
  for (uint32_t k = 0; k < 2 * n; k++) {
    samples[k * n + k % n] = (int16_t)((k + 1) * 1000);
  }
  for (uint32_t c = 0; c < n; c++) {
    samples[2 * n * n + c] = 32767;
  }
  unsigned char bytes[sizeof samples];
  for (uint32_t i = 0; i < frames * n; i++) {
    bytes[2 * i] = (unsigned char)((uint16_t)samples[i] & 0xff);
    bytes[2 * i + 1] = (unsigned char)((uint16_t)samples[i] >> 8);
  }
  char path[PATH_BYTES];
  temp_path(path, name);
  write_wav(path, spec, bytes, frames * n * 2);
  flz_decoded out;
  flz_audio_info source;
  char detail[256];
  int result = flz_decode_file(path, 0, &out, &source, detail, sizeof detail);
  if (result != FLZ_OK) {
    fail_msg("%u channels: %s (%s)", (unsigned)n, flz_result_name(result), detail);
  }
  assert_int_equal(source.channels, n);
  assert_int_equal(out.channels, 2);
  assert_int_equal(out.frame_count, frames);
  double sum[2] = {0, 0};
  for (uint32_t c = 0; c < n; c++) {
    sum[0] += gains[speakers[c]][0];
    sum[1] += gains[speakers[c]][1];
  }
  double norm = sum[0] > sum[1] ? sum[0] : sum[1];
  for (uint32_t k = 0; k < 2 * n; k++) {
    uint32_t c = k % n;
    float in = (float)((k + 1) * 1000) / 32768.0f;
    for (int side = 0; side < 2; side++) {
      float expected = in * (float)(gains[speakers[c]][side] / norm);
      if (out.data[2 * k + (uint32_t)side] != expected) {
        fail_msg("%u channels, channel %u, side %d: %.9g, expected %.9g", (unsigned)n, (unsigned)c,
                 side, (double)out.data[2 * k + (uint32_t)side], (double)expected);
      }
    }
  }
  /* Full scale in every channel: the fuller side reaches full scale and
   * neither passes it (float rounding of the sum: 1e-6). */
  float full = 32767.0f / 32768.0f;
  float left = out.data[4 * n];
  float right = out.data[4 * n + 1];
  assert_true(fabsf(fmaxf(left, right) - full) < 1e-6f);
  assert_true(left <= full + 1e-6f && right <= full + 1e-6f);
  flz_decode_free(&out);
}

static void test_3_to_8_channels_downmix_with_the_documented_coefficients(void **state)
{
  (void)state;
  for (uint32_t n = 3; n <= 8; n++) {
    wav_spec spec = {.tag = 1, .channels = n, .rate = 44100, .bits = 16};
    char name[32];
    snprintf(name, sizeof name, "ch%u.wav", (unsigned)n);
    check_downmix(name, n, &spec, wav_order[n]);
  }
  /* 5.1 by hand: L' = (L + 0.7071 C + 0.7071 Ls) / 2.4142 (ITU-R BS.775
   * scaled so full scale does not clip): L's gain is 0.41421. */
  assert_true(fabs(1.0 / (1.0 + 2.0 * G) - 0.41421356) < 1e-8);
}

static void test_extensible_channel_mask_names_the_speakers(void **state)
{
  (void)state;
  /* FL FR FC BC: a back centre, which no default 4-channel order has. */
  wav_spec spec = {.tag = 0xFFFE,
                   .subformat = 1,
                   .mask = 0x1 | 0x2 | 0x4 | 0x100,
                   .channels = 4,
                   .rate = 48000,
                   .bits = 16};
  static const int speakers[4] = {FL, FR, FC, BC};
  check_downmix("mask.wav", 4, &spec, speakers);
  /* A mask naming 3 speakers for 4 channels is ignored: the WAV order. */
  wav_spec wrong = spec;
  wrong.mask = 0x7;
  check_downmix("mask3.wav", 4, &wrong, wav_order[4]);
}

static void decode_data(const char *name, uint32_t rate, flz_decoded *out)
{
  char path[PATH_BYTES];
  data_path(path, name);
  char detail[256];
  int result = flz_decode_file(path, rate, out, NULL, detail, sizeof detail);
  if (result != FLZ_OK) {
    fail_msg("%s: %s (%s)", name, flz_result_name(result), detail);
  }
}

static void assert_same_audio(const char *a_name, const char *b_name)
{
  flz_decoded a;
  flz_decoded b;
  decode_data(a_name, 0, &a);
  decode_data(b_name, 0, &b);
  assert_int_equal(a.frame_count, b.frame_count);
  assert_int_equal(a.channels, b.channels);
  assert_int_equal(a.rate, b.rate);
  for (uint64_t i = 0; i < a.frame_count * a.channels; i++) {
    if (a.data[i] != b.data[i]) {
      fail_msg("%s and %s differ at value %llu: %.9g, %.9g", a_name, b_name, (unsigned long long)i,
               (double)a.data[i], (double)b.data[i]);
    }
  }
  flz_decode_free(&a);
  flz_decode_free(&b);
}

static void test_flac_float64_and_pcm_of_one_source_decode_to_the_same_values(void **state)
{
  (void)state;
  /* sonic-pi's FLAC files are 16-bit; sox wrote the WAVs from them without
   * dither, so every lossless encoding holds the same values. */
  assert_same_audio("flac/drum_snare_hard.flac", "wav/drum_snare_hard-s16.wav");
  assert_same_audio("flac/loop_amen.flac", "wav/loop_amen-s16.wav");
  assert_same_audio("wav/drum_snare_hard-f64.wav", "wav/drum_snare_hard-f32.wav");
  assert_same_audio("wav/loop_amen-f64.wav", "wav/loop_amen-s24.wav");
  /* Six channels, each a different hit: FLAC's and WAV's order agree for 6. */
  assert_same_audio("multi/six.flac", "multi/six.wav");
}

static void test_smpl_loop_is_kept_in_frames_of_the_decoded_rate(void **state)
{
  (void)state;
  static unsigned char silence[2 * 1000];
  wav_spec spec = {.tag = 1,
                   .channels = 1,
                   .rate = 44100,
                   .bits = 16,
                   .loop = 1,
                   .loop_first = 100,
                   .loop_last = 199};
  char path[PATH_BYTES];
  temp_path(path, "loop.wav");
  write_wav(path, &spec, silence, sizeof silence);
  flz_decoded out;
  assert_int_equal(flz_decode_file(path, 0, &out, NULL, NULL, 0), FLZ_OK);
  assert_int_equal(out.has_loop, 1);
  assert_int_equal(out.loop_start, 100);
  assert_int_equal(out.loop_end, 200); /* one past the inclusive end */
  flz_decode_free(&out);
  assert_int_equal(flz_decode_file(path, 48000, &out, NULL, NULL, 0), FLZ_OK);
  assert_int_equal(out.has_loop, 1);
  assert_int_equal(out.loop_start, llround(100 * 48000.0 / 44100.0)); /* 108.84 */
  assert_int_equal(out.loop_end, llround(200 * 48000.0 / 44100.0));   /* 217.69 */
  flz_decode_free(&out);

  spec.loop_first = 900;
  spec.loop_last = 5000; /* past the end: cut at the last frame */
  write_wav(path, &spec, silence, sizeof silence);
  assert_int_equal(flz_decode_file(path, 0, &out, NULL, NULL, 0), FLZ_OK);
  assert_int_equal(out.loop_start, 900);
  assert_int_equal(out.loop_end, 1000);
  flz_decode_free(&out);
  spec.loop_first = 1000; /* starts past the end: no loop */
  write_wav(path, &spec, silence, sizeof silence);
  assert_int_equal(flz_decode_file(path, 0, &out, NULL, NULL, 0), FLZ_OK);
  assert_int_equal(out.has_loop, 0);
  flz_decode_free(&out);
}

/* A 1 kHz sine at amplitude 0.5, one second, written as 32-bit float at
 * `rate_in`, decoded at `rate_out`, against the ideal sine at rate_out. */
static double sine_snr(uint32_t rate_in, uint32_t rate_out)
{
  float *sine = malloc(rate_in * sizeof(float));
  assert_non_null(sine);
  for (uint32_t i = 0; i < rate_in; i++) {
    sine[i] = (float)(0.5 * sin(2.0 * 3.14159265358979323846 * 1000.0 * i / rate_in));
  }
  unsigned char *bytes = malloc(rate_in * 4);
  assert_non_null(bytes);
  for (uint32_t i = 0; i < rate_in; i++) {
    uint32_t bits;
    memcpy(&bits, &sine[i], 4);
    for (int b = 0; b < 4; b++) {
      bytes[4 * i + (uint32_t)b] = (unsigned char)(bits >> (8 * b));
    }
  }
  char path[PATH_BYTES];
  temp_path(path, "sine.wav");
  wav_spec spec = {.tag = 3, .channels = 1, .rate = rate_in, .bits = 32};
  write_wav(path, &spec, bytes, rate_in * 4);
  free(bytes);
  free(sine);
  flz_decoded out;
  assert_int_equal(flz_decode_file(path, rate_out, &out, NULL, NULL, 0), FLZ_OK);
  assert_int_equal(out.frame_count, rate_out);
  /* Output frames near either end see, through the resampler's filter, the
   * silence outside the file instead of the sine, so they are left out:
   * ceil(32 * rate_out / lower rate) frames at each end (35 for 44.1 to 48
   * kHz), 32 zero crossings of the lower rate, more than libsamplerate's
   * medium-quality filter reaches at these rates. */
  uint32_t lower = rate_in < rate_out ? rate_in : rate_out;
  uint32_t edge = (32 * rate_out + lower - 1) / lower;
  double signal = 0.0;
  double error = 0.0;
  for (uint32_t j = edge; j < rate_out - edge; j++) {
    double ideal = 0.5 * sin(2.0 * 3.14159265358979323846 * 1000.0 * j / rate_out);
    signal += ideal * ideal;
    error += (out.data[j] - ideal) * (out.data[j] - ideal);
  }
  flz_decode_free(&out);
  return 10.0 * log10(signal / error);
}

static void test_sine_converted_44100_to_48000_and_back_keeps_80_db_snr(void **state)
{
  (void)state;
  double up = sine_snr(44100, 48000);
  double down = sine_snr(48000, 44100);
  printf("1 kHz sine SNR: 44100 -> 48000 Hz %.1f dB, 48000 -> 44100 Hz %.1f dB\n", up, down);
  assert_true(up >= 80.0);
  assert_true(down >= 80.0);
}

static void check_absurd(const char *name, const wav_spec *spec, uint32_t bytes, int expected)
{
  static unsigned char data[4096];
  char path[PATH_BYTES];
  temp_path(path, name);
  write_wav(path, spec, data, bytes);
  check_error(path, expected);
  flz_decode_estimate estimate;
  char detail[256];
  int result = flz_decode_probe(path, 48000, &estimate, detail, sizeof detail);
  if (result != expected) {
    fail_msg("probe %s: %s (%s), expected %s", name, flz_result_name(result), detail,
             flz_result_name(expected));
  }
}

static void test_absurd_headers_are_errors_with_a_reason(void **state)
{
  (void)state;
  wav_spec four_gib = {
    .tag = 1, .channels = 2, .rate = 44100, .bits = 16, .claim = 1, .claimed = 0xFFFFFFFFu};
  check_absurd("4gib.wav", &four_gib, 4096, FLZ_ERR_CORRUPT);
  wav_spec zero_hz = {.tag = 1, .channels = 2, .rate = 0, .bits = 16};
  check_absurd("0hz.wav", &zero_hz, 4096, FLZ_ERR_CORRUPT);
  wav_spec no_channels = {.tag = 1, .channels = 0, .rate = 44100, .bits = 16};
  check_absurd("0ch.wav", &no_channels, 4096, FLZ_ERR_CORRUPT);
  wav_spec many = {.tag = 1, .channels = 255, .rate = 44100, .bits = 16};
  check_absurd("255ch.wav", &many, 255 * 2 * 8, FLZ_ERR_UNSUPPORTED);
  wav_spec no_bits = {.tag = 1, .channels = 2, .rate = 44100, .bits = 0};
  check_absurd("0bits.wav", &no_bits, 4096, FLZ_ERR_CORRUPT);
  wav_spec fast = {.tag = 1, .channels = 1, .rate = 4000000000u, .bits = 16};
  check_absurd("4ghz.wav", &fast, 4096, FLZ_ERR_UNSUPPORTED);
  wav_spec no_data = {.tag = 1, .channels = 1, .rate = 44100, .bits = 16};
  check_absurd("nodata.wav", &no_data, 0, FLZ_ERR_NO_AUDIO);
}

static void test_sample_far_larger_than_the_pool_is_refused_from_its_header(void **state)
{
  (void)state;
  /* 60 MB of 16-bit stereo at 8000 Hz (a sparse file of zeros) is 15 million
   * frames: at 48000 Hz, 90 million frames of 2 floats, 720 MB. */
  wav_spec spec = {
    .tag = 1, .channels = 2, .rate = 8000, .bits = 16, .claim = 1, .claimed = 60000000u};
  char path[PATH_BYTES];
  temp_path(path, "huge.wav");
  write_wav(path, &spec, NULL, 0);
  assert_int_equal(truncate(path, 44 + 60000000), 0);
  flz_decode_estimate estimate;
  char detail[256];
  assert_int_equal(flz_decode_probe(path, 48000, &estimate, detail, sizeof detail), FLZ_OK);
  assert_int_equal(estimate.source.frames, 15000000);
  assert_int_equal(estimate.frames, 90000000);
  assert_int_equal(estimate.channels, 2);
  assert_true(estimate.frames * estimate.channels * sizeof(float) > FLZ_POOL_BYTES);
  flz_decoded out;
  assert_int_equal(flz_decode_file(path, 48000, &out, NULL, detail, sizeof detail),
                   FLZ_ERR_POOL_FULL);
  assert_non_null(strstr(detail, "needs 686.6 MiB"));
  assert_null(out.data);
  unlink(path);
}

static void test_fifo_and_unreadable_files_cannot_be_read(void **state)
{
  (void)state;
  char path[PATH_BYTES];
  temp_path(path, "fifo.wav");
  assert_int_equal(mkfifo(path, 0600), 0);
  /* Neither opens it (which would block until a writer came). */
  check_error(path, FLZ_ERR_READ);
  flz_decode_estimate estimate;
  assert_int_equal(flz_decode_probe(path, 0, &estimate, NULL, 0), FLZ_ERR_READ);

  char source[PATH_BYTES];
  data_path(source, "bad/good.wav");
  size_t size;
  unsigned char *data = read_whole(source, &size);
  temp_path(path, "locked.wav");
  write_bytes(path, data, size);
  free(data);
  assert_int_equal(chmod(path, 0), 0);
  if (geteuid() == 0) {
    /* root reads a file of mode 000 anyway: the FIFO above is the unreadable
     * file in this run. */
    printf("skipped: mode 000 file is readable by root\n");
  } else {
    check_error(path, FLZ_ERR_READ);
    assert_int_equal(flz_decode_probe(path, 0, &estimate, NULL, 0), FLZ_ERR_READ);
  }
}

static int manifest_probe_subset(const char *name)
{
  /* Every file but most FLAC ones (the manifest test decodes those): the
   * drum hits of sonic-pi stand for them here. */
  return strncmp(name, "flac/", 5) != 0 || strncmp(name, "flac/drum_", 10) == 0;
}

static void test_probe_predicts_the_decoded_size_of_real_files(void **state)
{
  (void)state;
  static manifest_line lines[512];
  size_t count = read_manifest(lines, 512);
  size_t probed = 0;
  for (size_t i = 0; i < count; i++) {
    if (!manifest_probe_subset(lines[i].name)) {
      continue;
    }
    char path[PATH_BYTES];
    data_path(path, lines[i].name);
    flz_decode_estimate estimate;
    char detail[256];
    int result = flz_decode_probe(path, 48000, &estimate, detail, sizeof detail);
    if (result != FLZ_OK) {
      fail_msg("%s: %s (%s)", lines[i].name, flz_result_name(result), detail);
    }
    flz_decoded out;
    flz_audio_info source;
    assert_int_equal(flz_decode_file(path, 48000, &out, &source, NULL, 0), FLZ_OK);
    if (estimate.frames != out.frame_count || estimate.channels != out.channels ||
        !estimate.known) {
      fail_msg("%s: probe says %llu x %u, decoded %llu x %u", lines[i].name,
               (unsigned long long)estimate.frames, (unsigned)estimate.channels,
               (unsigned long long)out.frame_count, (unsigned)out.channels);
    }
    assert_int_equal(estimate.source.channels, source.channels);
    assert_int_equal(estimate.source.rate, source.rate);
    flz_decode_free(&out);
    probed++;
  }
  assert_true(probed > 80);
}

typedef struct progress_log {
  uint64_t calls;
  uint64_t last_done;
  uint64_t total;
  int decreased;
} progress_log;

static void log_progress(void *user, uint64_t done, uint64_t total)
{
  progress_log *log = user;
  if (done < log->last_done) {
    log->decreased = 1;
  }
  log->calls++;
  log->last_done = done;
  log->total = total;
}

static void test_progress_rises_to_the_files_frame_count(void **state)
{
  (void)state;
  static const char *const names[] = {"ogg/complete.oga", "flac/loop_amen.flac",
                                      "wav/loop_amen-s16.wav"};
  for (size_t i = 0; i < 3; i++) {
    char path[PATH_BYTES];
    data_path(path, names[i]);
    progress_log log = {0, 0, 0, 0};
    flz_decode_config config = {48000, 0, log_progress, &log};
    flz_decoded out;
    flz_audio_info source;
    assert_int_equal(flz_decode_load(path, &config, &out, &source, NULL, 0), FLZ_OK);
    assert_true(log.calls >= 1);
    assert_false(log.decreased);
    assert_int_equal(log.last_done, source.frames);
    assert_int_equal(log.total, source.frames);
    flz_decode_free(&out);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_audio_names_are_wav_ogg_oga_flac_aif_aiff_in_any_case),
    cmocka_unit_test(test_the_table_alone_names_the_extensions_and_their_formats),
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
    cmocka_unit_test(test_bja_pacific_aiff_decodes_to_its_ssnd_values_over_32768),
    cmocka_unit_test(test_aiff_and_aiff_c_encodings_decode_to_their_exact_fractions),
    cmocka_unit_test(test_aiff_cut_or_without_its_header_is_corrupt),
    cmocka_unit_test(test_3_to_8_channels_downmix_with_the_documented_coefficients),
    cmocka_unit_test(test_extensible_channel_mask_names_the_speakers),
    cmocka_unit_test(test_flac_float64_and_pcm_of_one_source_decode_to_the_same_values),
    cmocka_unit_test(test_smpl_loop_is_kept_in_frames_of_the_decoded_rate),
    cmocka_unit_test(test_sine_converted_44100_to_48000_and_back_keeps_80_db_snr),
    cmocka_unit_test(test_absurd_headers_are_errors_with_a_reason),
    cmocka_unit_test(test_sample_far_larger_than_the_pool_is_refused_from_its_header),
    cmocka_unit_test(test_fifo_and_unreadable_files_cannot_be_read),
    cmocka_unit_test(test_probe_predicts_the_decoded_size_of_real_files),
    cmocka_unit_test(test_progress_rises_to_the_files_frame_count),
  };
  return cmocka_run_group_tests(tests, make_temp_dir, remove_temp_dir);
}
