/* platform/decode.c: the one entry point of decoding: finds a file's format
 * in the table of decoders, reads the file and hands it to that format's row.
 *
 * Owns: the table (each row lives in its format's file under
 * platform/decode/), matching names to formats, the list of extensions
 * people are told, reading files (stat before open, so a FIFO never blocks),
 * the argument checks and the defaults of flz_decode_config. Must not touch:
 * a format's bytes (its row does that), the sample pool, the engine.
 */
#include "platform/decode.h"

#include "engine/limits.h"
#include "engine/result.h"
#include "platform/decode/format.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The decoders, in the order names are matched and listed. */
const flz_decode_row *const flz_decode_rows[] = {
  &flz_decode_wav_row,  /* parsed here */
  &flz_decode_ogg_row,  /* stb_vorbis */
  &flz_decode_flac_row, /* libFLAC */
  &flz_decode_aiff_row, /* libsndfile */
  NULL,
};

static pthread_once_t flz_decode_prepare_once = PTHREAD_ONCE_INIT;

/* The rows' hints first: starting SDL's audio starts its device hotplug
 * thread, which reads hints, and SDL2's hint list has no lock. */
static void flz_decode_prepare_all(void)
{
  for (const flz_decode_row *const *row = flz_decode_rows; *row != NULL; row++) {
    if ((*row)->prepare != NULL)
      (*row)->prepare();
  }
  flz_decode_pcm_start();
}

void flz_decode_prepare(void)
{
  pthread_once(&flz_decode_prepare_once, flz_decode_prepare_all);
}

void flz_decode_detail(char *detail, size_t detail_size, const char *format, ...)
{
  if (detail == NULL || detail_size == 0) {
    return;
  }
  va_list args;
  va_start(args, format);
  vsnprintf(detail, detail_size, format, args);
  va_end(args);
}

static const flz_decode_row *flz_decode_row_of(flz_decode_format format)
{
  for (size_t i = 0; flz_decode_rows[i] != NULL; i++) {
    if (flz_decode_rows[i]->format == format) {
      return flz_decode_rows[i];
    }
  }
  return NULL;
}

static int flz_decode_ends_with(const char *path, const char *suffix)
{
  size_t path_len = strlen(path);
  size_t suffix_len = strlen(suffix);
  return path_len > suffix_len && strcasecmp(path + path_len - suffix_len, suffix) == 0;
}

flz_decode_format flz_decode_format_of(const char *path)
{
  if (path == NULL) {
    return FLZ_DECODE_UNKNOWN;
  }
  for (size_t i = 0; flz_decode_rows[i] != NULL; i++) {
    for (const char *const *ext = flz_decode_rows[i]->extensions; *ext != NULL; ext++) {
      if (flz_decode_ends_with(path, *ext)) {
        return flz_decode_rows[i]->format;
      }
    }
  }
  return FLZ_DECODE_UNKNOWN;
}

int flz_decode_is_audio_name(const char *path)
{
  return flz_decode_format_of(path) != FLZ_DECODE_UNKNOWN;
}

size_t flz_decode_extension_list(char *text, size_t text_size)
{
  size_t total = 0;
  for (size_t i = 0; flz_decode_rows[i] != NULL; i++) {
    for (const char *const *ext = flz_decode_rows[i]->extensions; *ext != NULL; ext++) {
      total++;
    }
  }
  size_t length = 0;
  size_t index = 0;
  if (text != NULL && text_size > 0) {
    text[0] = '\0';
  }
  for (size_t i = 0; flz_decode_rows[i] != NULL; i++) {
    for (const char *const *ext = flz_decode_rows[i]->extensions; *ext != NULL; ext++) {
      const char *before = index == 0 ? "" : index + 1 == total ? " or " : ", ";
      char *at = text != NULL && length < text_size ? text + length : NULL;
      int n = snprintf(at, at != NULL ? text_size - length : 0, "%s%s", before, *ext);
      length += n > 0 ? (size_t)n : 0;
      index++;
    }
  }
  return length;
}

/* "not a .wav, .ogg, .oga, .flac, .aif or .aiff file", from the table. */
static void flz_decode_not_audio(char *detail, size_t detail_size)
{
  char list[FLZ_DECODE_EXTENSION_LIST_BYTES];
  flz_decode_extension_list(list, sizeof list);
  flz_decode_detail(detail, detail_size, "not a %s file", list);
}

/* ---- Reading files. ---- */

long flz_decode_source_read(const flz_decode_source *src, uint64_t offset, void *buffer, size_t n)
{
  if (offset >= src->size) {
    return 0;
  }
  if (n > src->size - offset) {
    n = (size_t)(src->size - offset);
  }
  if (src->data != NULL) {
    memcpy(buffer, src->data + offset, n);
    return (long)n;
  }
  size_t got = 0;
  while (got < n) {
    ssize_t r = pread(src->fd, (unsigned char *)buffer + got, n - got, (off_t)(offset + got));
    if (r < 0 && errno == EINTR) {
      continue;
    }
    if (r < 0) {
      return -1;
    }
    if (r == 0) {
      break;
    }
    got += (size_t)r;
  }
  return (long)got;
}

/* Checks what stat says of `path` before anything opens it (opening a FIFO
 * would block). */
static int flz_decode_check_path(const char *path, struct stat *st, char *detail,
                                 size_t detail_size)
{
  if (stat(path, st) != 0) {
    flz_decode_detail(detail, detail_size, "%s", strerror(errno));
    return (errno == ENOENT || errno == ENOTDIR) ? FLZ_ERR_NOT_FOUND : FLZ_ERR_READ;
  }
  if (S_ISDIR(st->st_mode)) {
    flz_decode_detail(detail, detail_size, "is a directory");
    return FLZ_ERR_IS_DIRECTORY;
  }
  if (!S_ISREG(st->st_mode)) {
    flz_decode_detail(detail, detail_size, "not a regular file");
    return FLZ_ERR_READ;
  }
  if (st->st_size == 0) {
    flz_decode_detail(detail, detail_size, "0 bytes");
    return FLZ_ERR_EMPTY_FILE;
  }
  if ((uint64_t)st->st_size > (uint64_t)INT_MAX) {
    flz_decode_detail(detail, detail_size, "file larger than %d bytes", INT_MAX);
    return FLZ_ERR_UNSUPPORTED;
  }
  return FLZ_OK;
}

/* Reads the whole regular file `path` into a malloc'ed buffer. */
static int flz_decode_read_file(const char *path, unsigned char **data, size_t *size, char *detail,
                                size_t detail_size)
{
  struct stat st;
  int result = flz_decode_check_path(path, &st, detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    flz_decode_detail(detail, detail_size, "%s", strerror(errno));
    return FLZ_ERR_READ;
  }
  size_t want = (size_t)st.st_size;
  unsigned char *buffer = malloc(want);
  if (buffer == NULL) {
    close(fd);
    flz_decode_detail(detail, detail_size, "%zu bytes for the file", want);
    return FLZ_ERR_NO_MEMORY;
  }
  flz_decode_source src = {NULL, fd, want};
  long got = flz_decode_source_read(&src, 0, buffer, want);
  int saved_errno = errno;
  close(fd);
  if (got < 0 || (size_t)got != want) {
    free(buffer);
    flz_decode_detail(detail, detail_size, "%s",
                      got < 0 ? strerror(saved_errno) : "file shrank while read");
    return FLZ_ERR_READ;
  }
  *data = buffer;
  *size = want;
  return FLZ_OK;
}

/* ---- Entry points. ---- */

/* A wanted rate: 0 (the file's), or FLZ_RATE_MIN, the lowest output rate,
 * up to FLZ_DECODE_MAX_RATE. The floor also bounds the resampler's filter
 * length: FLZ_DECODE_MAX_RATE / FLZ_RATE_MIN, 96x downsampling, at most. */
static int flz_decode_rate_ok(uint32_t rate)
{
  return rate == 0 || (rate >= FLZ_RATE_MIN && rate <= FLZ_DECODE_MAX_RATE);
}

static flz_decode_config flz_decode_defaults(const flz_decode_config *config)
{
  flz_decode_config c = {0, 0, NULL, NULL};
  if (config != NULL) {
    c = *config;
  }
  if (c.max_bytes == 0) {
    c.max_bytes = FLZ_POOL_BYTES;
  }
  return c;
}

static void flz_decode_reset(flz_decoded *out, char *detail, size_t detail_size)
{
  memset(out, 0, sizeof *out);
  flz_decode_detail(detail, detail_size, "%s", "");
}

int flz_decode_memory(const void *data, size_t size, flz_decode_format format,
                      const flz_decode_config *config, flz_decoded *out, flz_audio_info *source,
                      char *detail, size_t detail_size)
{
  if (out == NULL) {
    flz_decode_detail(detail, detail_size, "no output");
    return FLZ_ERR_ARGUMENT;
  }
  flz_decode_reset(out, detail, detail_size);
  flz_decode_config c = flz_decode_defaults(config);
  if ((data == NULL && size > 0) || !flz_decode_rate_ok(c.rate)) {
    flz_decode_detail(detail, detail_size, "no data or rate %lu Hz", (unsigned long)c.rate);
    return FLZ_ERR_ARGUMENT;
  }
  const flz_decode_row *row = flz_decode_row_of(format);
  flz_audio_info info = {0, 0, 0};
  int result;
  if (size == 0) {
    flz_decode_detail(detail, detail_size, "0 bytes");
    result = FLZ_ERR_EMPTY_FILE;
  } else if (size > (size_t)INT_MAX) {
    flz_decode_detail(detail, detail_size, "larger than %d bytes", INT_MAX);
    result = FLZ_ERR_UNSUPPORTED;
  } else if (row == NULL) {
    flz_decode_not_audio(detail, detail_size);
    result = FLZ_ERR_UNSUPPORTED;
  } else {
    result = row->decode(data, size, &c, out, &info, detail, detail_size);
  }
  if (result != FLZ_OK) {
    flz_decode_free(out);
  }
  if (source != NULL) {
    *source = info;
  }
  return result;
}

int flz_decode_load(const char *path, const flz_decode_config *config, flz_decoded *out,
                    flz_audio_info *source, char *detail, size_t detail_size)
{
  if (source != NULL) {
    memset(source, 0, sizeof *source);
  }
  if (path == NULL || out == NULL) {
    if (out != NULL) {
      memset(out, 0, sizeof *out);
    }
    flz_decode_detail(detail, detail_size, "no path or no output");
    return FLZ_ERR_ARGUMENT;
  }
  flz_decode_reset(out, detail, detail_size);
  flz_decode_format format = flz_decode_format_of(path);
  if (format == FLZ_DECODE_UNKNOWN) {
    flz_decode_not_audio(detail, detail_size);
    return FLZ_ERR_UNSUPPORTED;
  }
  if (config != NULL && !flz_decode_rate_ok(config->rate)) {
    flz_decode_detail(detail, detail_size, "rate %lu Hz", (unsigned long)config->rate);
    return FLZ_ERR_ARGUMENT;
  }
  unsigned char *data = NULL;
  size_t size = 0;
  int result = flz_decode_read_file(path, &data, &size, detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  result = flz_decode_memory(data, size, format, config, out, source, detail, detail_size);
  free(data);
  return result;
}

int flz_decode_file(const char *path, uint32_t rate, flz_decoded *out, flz_audio_info *source,
                    char *detail, size_t detail_size)
{
  flz_decode_config config = {rate, 0, NULL, NULL};
  return flz_decode_load(path, &config, out, source, detail, detail_size);
}

/* Runs `row`'s probe on `src`, then fills the decoded side of `e` from its
 * source side and checks the frame limit. */
static int flz_decode_probe_row(const flz_decode_row *row, const flz_decode_source *src,
                                uint32_t rate, flz_decode_estimate *e, char *detail,
                                size_t detail_size)
{
  int result = row->probe(src, e, detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  uint32_t rate_out = rate == 0 ? e->source.rate : rate;
  e->channels = e->source.channels > 2 ? 2 : e->source.channels;
  e->frames = e->known ? flz_decode_pcm_scale_frames(e->source.frames, e->source.rate, rate_out)
                       : 0;
  if (e->source.frames > FLZ_DECODE_MAX_FRAMES || e->frames > FLZ_DECODE_MAX_FRAMES) {
    flz_decode_detail(detail, detail_size, "more than %llu frames",
                      (unsigned long long)FLZ_DECODE_MAX_FRAMES);
    return FLZ_ERR_UNSUPPORTED;
  }
  return FLZ_OK;
}

int flz_decode_probe_memory(const void *data, size_t size, flz_decode_format format, uint32_t rate,
                            flz_decode_estimate *estimate, char *detail, size_t detail_size)
{
  if (estimate == NULL || (data == NULL && size > 0) || !flz_decode_rate_ok(rate)) {
    flz_decode_detail(detail, detail_size, "no estimate, no data or rate %lu Hz",
                      (unsigned long)rate);
    return FLZ_ERR_ARGUMENT;
  }
  memset(estimate, 0, sizeof *estimate);
  flz_decode_detail(detail, detail_size, "%s", "");
  if (size == 0) {
    flz_decode_detail(detail, detail_size, "0 bytes");
    return FLZ_ERR_EMPTY_FILE;
  }
  if (size > (size_t)INT_MAX) {
    flz_decode_detail(detail, detail_size, "larger than %d bytes", INT_MAX);
    return FLZ_ERR_UNSUPPORTED;
  }
  const flz_decode_row *row = flz_decode_row_of(format);
  if (row == NULL) {
    flz_decode_not_audio(detail, detail_size);
    return FLZ_ERR_UNSUPPORTED;
  }
  flz_decode_source src = {data, -1, size};
  return flz_decode_probe_row(row, &src, rate, estimate, detail, detail_size);
}

int flz_decode_probe(const char *path, uint32_t rate, flz_decode_estimate *estimate, char *detail,
                     size_t detail_size)
{
  if (path == NULL || estimate == NULL || !flz_decode_rate_ok(rate)) {
    flz_decode_detail(detail, detail_size, "no path, no estimate or rate %lu Hz",
                      (unsigned long)rate);
    return FLZ_ERR_ARGUMENT;
  }
  memset(estimate, 0, sizeof *estimate);
  flz_decode_detail(detail, detail_size, "%s", "");
  const flz_decode_row *row = flz_decode_row_of(flz_decode_format_of(path));
  if (row == NULL) {
    flz_decode_not_audio(detail, detail_size);
    return FLZ_ERR_UNSUPPORTED;
  }
  struct stat st;
  int result = flz_decode_check_path(path, &st, detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  if (row->flags & FLZ_DECODE_PROBE_IN_MEMORY) {
    unsigned char *data = NULL;
    size_t size = 0;
    result = flz_decode_read_file(path, &data, &size, detail, detail_size);
    if (result == FLZ_OK) {
      flz_decode_source src = {data, -1, size};
      result = flz_decode_probe_row(row, &src, rate, estimate, detail, detail_size);
    }
    free(data);
    return result;
  }
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    flz_decode_detail(detail, detail_size, "%s", strerror(errno));
    return FLZ_ERR_READ;
  }
  flz_decode_source src = {NULL, fd, (uint64_t)st.st_size};
  result = flz_decode_probe_row(row, &src, rate, estimate, detail, detail_size);
  close(fd);
  return result;
}

void flz_decode_free(flz_decoded *decoded)
{
  if (decoded == NULL) {
    return;
  }
  free(decoded->data);
  memset(decoded, 0, sizeof *decoded);
}
