/* platform/wav_file.c: the RIFF WAVE writer (float32 with a fact chunk, or
 * 16-bit PCM).
 *
 * Owns: the header layout, the sample conversion and the byte order of the
 * file (little endian, written byte by byte so the host's order never
 * matters). Must not touch: reading WAV (SDL's job, platform/decode.c) or
 * anything on the audio thread.
 *
 * Layout written (offsets in bytes):
 *   float32: RIFF(12) fmt(8+18, tag 3, cbSize 0) fact(8+4) data(8) = 58
 *   s16:     RIFF(12) fmt(8+16, tag 1)                    data(8) = 44
 * The RIFF size, the fact frame count and the data size are written as 0
 * and patched by flz_wav_file_close. Every data size is a multiple of 2 (s16)
 * or 4 (float32) bytes, so no pad byte is ever needed.
 */
#include "platform/wav_file.h"

#include "engine/result.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

enum {
  FLZ_WAV_FILE_TAG_PCM = 1,
  FLZ_WAV_FILE_TAG_IEEE_FLOAT = 3,
  FLZ_WAV_FILE_MAX_CHANNELS = 8,
  FLZ_WAV_FILE_FLOAT_HEADER = 58,
  FLZ_WAV_FILE_S16_HEADER = 44,
  FLZ_WAV_FILE_RIFF_SIZE_AT = 4,
  FLZ_WAV_FILE_FACT_FRAMES_AT = 46, /* float32 only */
  FLZ_WAV_FILE_CONVERT_BYTES = 4096 /* bytes converted per fwrite */
};

static void flz_wav_file_put_u16(unsigned char *p, uint32_t v)
{
  p[0] = (unsigned char)(v & 0xffu);
  p[1] = (unsigned char)((v >> 8) & 0xffu);
}

static void flz_wav_file_put_u32(unsigned char *p, uint32_t v)
{
  flz_wav_file_put_u16(p, v & 0xffffu);
  flz_wav_file_put_u16(p + 2, v >> 16);
}

static uint32_t flz_wav_file_bytes_per_sample(uint32_t format)
{
  return format == FLZ_WAV_FLOAT32 ? 4u : 2u;
}

static uint32_t flz_wav_file_header_size(uint32_t format)
{
  return format == FLZ_WAV_FLOAT32 ? FLZ_WAV_FILE_FLOAT_HEADER : FLZ_WAV_FILE_S16_HEADER;
}

static uint32_t flz_wav_file_data_size_at(uint32_t format)
{
  return flz_wav_file_header_size(format) - 4u;
}

/* Builds the header with all sizes 0; returns its length. */
static uint32_t flz_wav_file_build_header(unsigned char *h, uint32_t format, uint32_t channels,
                                          uint32_t rate)
{
  const uint32_t block = channels * flz_wav_file_bytes_per_sample(format);
  const int is_float = format == FLZ_WAV_FLOAT32;
  unsigned char *p = h;

  memcpy(p, "RIFF", 4);
  flz_wav_file_put_u32(p + 4, 0);
  memcpy(p + 8, "WAVE", 4);
  p += 12;
  memcpy(p, "fmt ", 4);
  flz_wav_file_put_u32(p + 4, is_float ? 18u : 16u);
  flz_wav_file_put_u16(p + 8, is_float ? FLZ_WAV_FILE_TAG_IEEE_FLOAT : FLZ_WAV_FILE_TAG_PCM);
  flz_wav_file_put_u16(p + 10, channels);
  flz_wav_file_put_u32(p + 12, rate);
  flz_wav_file_put_u32(p + 16, rate * block);
  flz_wav_file_put_u16(p + 20, block);
  flz_wav_file_put_u16(p + 22, flz_wav_file_bytes_per_sample(format) * 8u);
  p += 24;
  if (is_float) {
    flz_wav_file_put_u16(p, 0); /* cbSize: no extension */
    p += 2;
    memcpy(p, "fact", 4);
    flz_wav_file_put_u32(p + 4, 4);
    flz_wav_file_put_u32(p + 8, 0);
    p += 12;
  }
  memcpy(p, "data", 4);
  flz_wav_file_put_u32(p + 4, 0);
  p += 8;
  return (uint32_t)(p - h);
}

/* float -> s16: NaN gives 0; otherwise clamp to -1..1, scale by 32767 and
 * round to nearest, ties away from zero (roundf). The range is symmetric:
 * -32768 is never written. */
static int16_t flz_wav_file_to_s16(float x)
{
  if (isnan(x)) {
    return 0;
  }
  if (x > 1.0f) {
    x = 1.0f;
  } else if (x < -1.0f) {
    x = -1.0f;
  }
  return (int16_t)roundf(x * 32767.0f);
}

int flz_wav_file_open(flz_wav_file *wav, const char *path, uint32_t format, uint32_t channels,
                      uint32_t rate)
{
  unsigned char header[FLZ_WAV_FILE_FLOAT_HEADER];
  uint32_t length;

  if (!wav || !path || (format != FLZ_WAV_FLOAT32 && format != FLZ_WAV_S16) || channels < 1 ||
      channels > FLZ_WAV_FILE_MAX_CHANNELS || rate == 0 ||
      (uint64_t)rate * channels * flz_wav_file_bytes_per_sample(format) > UINT32_MAX) {
    return FLZ_ERR_ARGUMENT;
  }
  memset(wav, 0, sizeof *wav);
  wav->file = fopen(path, "wb");
  if (!wav->file) {
    wav->error = errno;
    return FLZ_ERR_WRITE;
  }
  /* Unbuffered: what a write returns is what the system took, so the header
   * can count frames written, not frames buffered. */
  setvbuf(wav->file, NULL, _IONBF, 0);
  wav->format = format;
  wav->channels = channels;
  wav->rate = rate;
  length = flz_wav_file_build_header(header, format, channels, rate);
  if (fwrite(header, 1, length, wav->file) != length) {
    wav->error = errno;
    fclose(wav->file);
    wav->file = NULL;
    return FLZ_ERR_WRITE;
  }
  return FLZ_OK;
}

static int flz_wav_file_patch_sizes(flz_wav_file *wav);

/* A write failed with `error`: cuts the file back to the whole frames
 * written before, writes those sizes into the header, and refuses writes
 * from now on. */
static void flz_wav_file_fail(flz_wav_file *wav, int error)
{
  wav->error = error != 0 ? error : EIO;
  clearerr(wav->file);
  const uint64_t block = (uint64_t)wav->channels * flz_wav_file_bytes_per_sample(wav->format);
  (void)!ftruncate(fileno(wav->file),
                   (off_t)(flz_wav_file_header_size(wav->format) + wav->frames * block));
  (void)flz_wav_file_patch_sizes(wav);
}

int flz_wav_file_write(flz_wav_file *wav, const float *data, uint32_t frames)
{
  unsigned char bytes[FLZ_WAV_FILE_CONVERT_BYTES];
  const uint32_t sample_bytes = flz_wav_file_bytes_per_sample(wav->format);
  const uint64_t block = (uint64_t)wav->channels * sample_bytes;
  uint64_t samples = (uint64_t)frames * wav->channels;
  size_t used = 0;

  if (!wav->file || wav->error != 0) {
    return FLZ_ERR_WRITE;
  }
  /* RIFF sizes are 32 bit: the whole file must stay below 4 GiB. */
  if (flz_wav_file_header_size(wav->format) + (wav->frames + frames) * block - 8u > UINT32_MAX) {
    return FLZ_ERR_WRITE;
  }
  while (samples > 0) {
    if (wav->format == FLZ_WAV_FLOAT32) {
      uint32_t bits;
      memcpy(&bits, data, sizeof bits);
      flz_wav_file_put_u32(bytes + used, bits);
    } else {
      flz_wav_file_put_u16(bytes + used, (uint16_t)flz_wav_file_to_s16(*data));
    }
    used += sample_bytes;
    data++;
    samples--;
    if (used == sizeof bytes || samples == 0) {
      if (fwrite(bytes, 1, used, wav->file) != used) {
        flz_wav_file_fail(wav, errno);
        return FLZ_ERR_WRITE;
      }
      used = 0;
    }
  }
  wav->frames += frames;
  return FLZ_OK;
}

/* Writes `value` as a u32 at byte `offset` of the file. */
static int flz_wav_file_patch_u32(FILE *file, long offset, uint32_t value)
{
  unsigned char b[4];
  flz_wav_file_put_u32(b, value);
  if (fseek(file, offset, SEEK_SET) != 0 || fwrite(b, 1, sizeof b, file) != sizeof b) {
    return FLZ_ERR_WRITE;
  }
  return FLZ_OK;
}

/* Writes the sizes of wav->frames into the header and goes back to the
 * file's end. */
static int flz_wav_file_patch_sizes(flz_wav_file *wav)
{
  FILE *file = wav->file;
  const uint32_t data_bytes = (uint32_t)(wav->frames * wav->channels *
                                         flz_wav_file_bytes_per_sample(wav->format));
  const uint32_t riff_bytes = flz_wav_file_header_size(wav->format) - 8u + data_bytes;
  int result = FLZ_OK;
  if (flz_wav_file_patch_u32(file, FLZ_WAV_FILE_RIFF_SIZE_AT, riff_bytes) != 0 ||
      flz_wav_file_patch_u32(file, (long)flz_wav_file_data_size_at(wav->format), data_bytes) != 0 ||
      (wav->format == FLZ_WAV_FLOAT32 &&
       flz_wav_file_patch_u32(file, FLZ_WAV_FILE_FACT_FRAMES_AT, (uint32_t)wav->frames) != 0)) {
    result = FLZ_ERR_WRITE;
  }
  if (fseek(file, 0, SEEK_END) != 0) {
    result = FLZ_ERR_WRITE;
  }
  return result;
}

int flz_wav_file_sync(flz_wav_file *wav)
{
  if (!wav->file) {
    return FLZ_ERR_WRITE;
  }
  int result = flz_wav_file_patch_sizes(wav);
  if (fdatasync(fileno(wav->file)) != 0 && errno != EINVAL) {
    result = FLZ_ERR_WRITE;
  }
  return result;
}

int flz_wav_file_close(flz_wav_file *wav)
{
  FILE *file = wav->file;

  if (!file) {
    return FLZ_ERR_WRITE;
  }
  int result = flz_wav_file_patch_sizes(wav);
  if (fclose(file) != 0) {
    result = FLZ_ERR_WRITE;
  }
  wav->file = NULL;
  return result;
}

/* Syncs the folder holding `path`, so a rename in it is stored. */
static int flz_wav_file_sync_folder(const char *path)
{
  char folder[PATH_MAX];
  const char *slash = strrchr(path, '/');
  size_t length = slash == NULL ? 1 : (slash == path ? 1 : (size_t)(slash - path));
  if (length >= sizeof folder)
    return ENAMETOOLONG;
  memcpy(folder, slash == NULL ? "." : path, length);
  folder[length] = '\0';
  int fd = open(folder, O_RDONLY | O_DIRECTORY);
  if (fd < 0)
    return errno;
  int error = fsync(fd) != 0 && errno != EINVAL ? errno : 0;
  close(fd);
  return error;
}

int flz_wav_file_save(const char *path, uint32_t format, uint32_t channels, uint32_t rate,
                      const float *data, uint32_t frames, int *error)
{
  char temporary[PATH_MAX];
  *error = 0;
  if (snprintf(temporary, sizeof temporary, "%s.tmp", path) >= (int)sizeof temporary) {
    *error = ENAMETOOLONG;
    return FLZ_ERR_WRITE;
  }
  flz_wav_file wav;
  int result = flz_wav_file_open(&wav, temporary, format, channels, rate);
  if (result != FLZ_OK) {
    *error = wav.error;
    return result;
  }
  result = flz_wav_file_write(&wav, data, frames);
  if (result == FLZ_OK)
    result = flz_wav_file_sync(&wav);
  if (result != FLZ_OK)
    *error = wav.error != 0 ? wav.error : errno;
  if (flz_wav_file_close(&wav) != FLZ_OK)
    result = FLZ_ERR_WRITE;
  if (result == FLZ_OK && rename(temporary, path) != 0) {
    *error = errno;
    result = FLZ_ERR_WRITE;
  }
  if (result != FLZ_OK) {
    unlink(temporary);
    return result;
  }
  *error = flz_wav_file_sync_folder(path);
  return *error == 0 ? FLZ_OK : FLZ_ERR_WRITE;
}
