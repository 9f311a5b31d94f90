/* platform/decode.c: decodes WAV (SDL_LoadWAV_RW) and Ogg Vorbis (stb_vorbis)
 * files into interleaved float frames, converted by SDL_AudioStream.
 *
 * Owns: reading a file into memory, the two decoders, the mapping of their
 * errors onto engine/result.h codes, and the process-wide SDL WAVE hints it
 * sets once. Must not touch: the sample pool, the engine, SDL_Init or any SDL
 * subsystem (SDL_LoadWAV_RW, SDL_AudioStream and SDL_GetError work without
 * SDL_Init; the tests run with no SDL_Init at all).
 */
#include "platform/decode.h"

#include "engine/result.h"

#include <SDL.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define STB_VORBIS_HEADER_ONLY
#include <stb_vorbis.h>

/* A decoded sample longer than this is refused (FLZ_ERR_UNSUPPORTED): the
 * engine counts frames in 32 bits, and the default 256 MiB pool holds far
 * less anyway. Also guards every size computation below against overflow. */
#define FLZ_DECODE_MAX_FRAMES ((uint64_t)1 << 31)

/* Bytes handed to SDL_AudioStreamPut per call, so its `int` length never
 * overflows and its internal queue stays small. */
#define FLZ_DECODE_CHUNK_BYTES (1 << 20)

/* Frames asked from stb_vorbis per call (its own frames are at most 8192). */
#define FLZ_DECODE_OGG_FRAMES 4096

/* Bytes of silence per SDL_AudioStreamPut when flushing the resampler: at
 * least 16 frames of the widest input (255 channels of 32 bits). */
#define FLZ_DECODE_SILENCE_BYTES 16384

/* An Ogg page header is 27 bytes before its segment table (RFC 3533 §6). */
#define FLZ_OGG_HEADER_BYTES 27
#define FLZ_OGG_FLAG_EOS 0x04

static void set_detail(char *detail, size_t detail_size, const char *format, ...) {
  if (detail == NULL || detail_size == 0) {
    return;
  }
  va_list args;
  va_start(args, format);
  vsnprintf(detail, detail_size, format, args);
  va_end(args);
}

static int ends_with(const char *path, const char *suffix) {
  size_t path_len = strlen(path);
  size_t suffix_len = strlen(suffix);
  return path_len > suffix_len && strcasecmp(path + path_len - suffix_len, suffix) == 0;
}

static int is_ogg_name(const char *path) {
  return ends_with(path, ".ogg") || ends_with(path, ".oga");
}

int flz_decode_is_audio_name(const char *path) {
  return path != NULL && (ends_with(path, ".wav") || is_ogg_name(path));
}

/* Reads the whole regular file `path` into a malloc'ed buffer. */
static int read_file(const char *path, unsigned char **data, size_t *size, char *detail,
                     size_t detail_size) {
  struct stat st;
  if (stat(path, &st) != 0) {
    set_detail(detail, detail_size, "%s", strerror(errno));
    return (errno == ENOENT || errno == ENOTDIR) ? FLZ_ERR_NOT_FOUND : FLZ_ERR_READ;
  }
  if (S_ISDIR(st.st_mode)) {
    set_detail(detail, detail_size, "is a directory");
    return FLZ_ERR_IS_DIRECTORY;
  }
  if (!S_ISREG(st.st_mode)) {
    set_detail(detail, detail_size, "not a regular file");
    return FLZ_ERR_READ;
  }
  if (st.st_size == 0) {
    set_detail(detail, detail_size, "0 bytes");
    return FLZ_ERR_EMPTY_FILE;
  }
  if ((uint64_t)st.st_size > (uint64_t)INT_MAX) {
    set_detail(detail, detail_size, "file larger than %d bytes", INT_MAX);
    return FLZ_ERR_UNSUPPORTED;
  }
  FILE *file = fopen(path, "rb");
  if (file == NULL) {
    set_detail(detail, detail_size, "%s", strerror(errno));
    return FLZ_ERR_READ;
  }
  size_t want = (size_t)st.st_size;
  unsigned char *buffer = malloc(want);
  if (buffer == NULL) {
    fclose(file);
    set_detail(detail, detail_size, "%zu bytes for the file", want);
    return FLZ_ERR_NO_MEMORY;
  }
  size_t got = fread(buffer, 1, want, file);
  int failed = ferror(file);
  int saved_errno = errno;
  fclose(file);
  if (failed || got != want) {
    free(buffer);
    set_detail(detail, detail_size, "%s", failed ? strerror(saved_errno) : "file shrank while read");
    return FLZ_ERR_READ;
  }
  *data = buffer;
  *size = want;
  return FLZ_OK;
}

/* SDL_AudioStream from the decoder's frames to interleaved float frames of
 * at most 2 channels at the wanted rate, collected in a growing buffer. */
typedef struct converter {
  SDL_AudioStream *stream;
  float *data;
  uint64_t frames;
  uint64_t capacity; /* frames */
  uint64_t frames_in;
  uint32_t channels;
  uint32_t channels_in;
  uint32_t rate_in;
  uint32_t rate_out;
  SDL_AudioFormat format_in;
} converter;

static int converter_open(converter *conv, SDL_AudioFormat format, uint32_t channels,
                          uint32_t rate_in, uint32_t rate_out, uint64_t frames_in, char *detail,
                          size_t detail_size) {
  memset(conv, 0, sizeof *conv);
  if (channels == 0 || channels > UINT8_MAX || rate_in == 0 || rate_in > INT_MAX ||
      rate_out > INT_MAX) {
    set_detail(detail, detail_size, "%u channels at %u Hz", (unsigned)channels, (unsigned)rate_in);
    return FLZ_ERR_UNSUPPORTED;
  }
  /* Both factors are below 2^32, so the product fits in 64 bits. */
  uint64_t estimate = frames_in * rate_out / rate_in + 1;
  if (frames_in > FLZ_DECODE_MAX_FRAMES || estimate > FLZ_DECODE_MAX_FRAMES) {
    set_detail(detail, detail_size, "more than %llu frames",
               (unsigned long long)FLZ_DECODE_MAX_FRAMES);
    return FLZ_ERR_UNSUPPORTED;
  }
  conv->channels = channels > 2 ? 2 : channels;
  conv->channels_in = channels;
  conv->rate_in = rate_in;
  conv->rate_out = rate_out;
  conv->format_in = format;
  conv->stream = SDL_NewAudioStream(format, (Uint8)channels, (int)rate_in,
                                    AUDIO_F32SYS, (Uint8)conv->channels, (int)rate_out);
  if (conv->stream == NULL) {
    set_detail(detail, detail_size, "%s", SDL_GetError());
    return FLZ_ERR_UNSUPPORTED;
  }
  /* SIZE_MAX guards 32-bit boards: `estimate` frames must be addressable. */
  if (estimate > SIZE_MAX / (conv->channels * sizeof(float)) ||
      (conv->data = malloc((size_t)estimate * conv->channels * sizeof(float))) == NULL) {
    SDL_FreeAudioStream(conv->stream);
    conv->stream = NULL;
    set_detail(detail, detail_size, "%llu frames", (unsigned long long)estimate);
    return FLZ_ERR_NO_MEMORY;
  }
  conv->capacity = estimate;
  return FLZ_OK;
}

static void converter_close(converter *conv) {
  if (conv->stream != NULL) {
    SDL_FreeAudioStream(conv->stream);
  }
  free(conv->data);
  memset(conv, 0, sizeof *conv);
}

/* Moves everything the stream has ready into conv->data. */
static int converter_drain(converter *conv, char *detail, size_t detail_size) {
  size_t frame_bytes = conv->channels * sizeof(float);
  int available;
  while ((available = SDL_AudioStreamAvailable(conv->stream)) > 0) {
    uint64_t need = conv->frames + (uint64_t)available / frame_bytes + 1;
    if (need > FLZ_DECODE_MAX_FRAMES) {
      set_detail(detail, detail_size, "more than %llu frames",
                 (unsigned long long)FLZ_DECODE_MAX_FRAMES);
      return FLZ_ERR_UNSUPPORTED;
    }
    if (need > conv->capacity) {
      uint64_t grown = conv->capacity * 2 > need ? conv->capacity * 2 : need;
      if (grown > SIZE_MAX / frame_bytes) {
        set_detail(detail, detail_size, "%llu frames", (unsigned long long)grown);
        return FLZ_ERR_NO_MEMORY;
      }
      float *bigger = realloc(conv->data, (size_t)grown * frame_bytes);
      if (bigger == NULL) {
        set_detail(detail, detail_size, "%llu frames", (unsigned long long)grown);
        return FLZ_ERR_NO_MEMORY;
      }
      conv->data = bigger;
      conv->capacity = grown;
    }
    int got = SDL_AudioStreamGet(conv->stream, conv->data + conv->frames * conv->channels,
                                 available);
    if (got < 0) {
      set_detail(detail, detail_size, "%s", SDL_GetError());
      return FLZ_ERR_NO_MEMORY;
    }
    if (got == 0) {
      break;
    }
    conv->frames += (uint64_t)got / frame_bytes;
  }
  return FLZ_OK;
}

static int converter_put(converter *conv, const void *bytes, size_t size, char *detail,
                         size_t detail_size) {
  const unsigned char *at = bytes;
  size_t size_in = size;
  while (size > 0) {
    size_t chunk = size < FLZ_DECODE_CHUNK_BYTES ? size : FLZ_DECODE_CHUNK_BYTES;
    if (SDL_AudioStreamPut(conv->stream, at, (int)chunk) != 0) {
      set_detail(detail, detail_size, "%s", SDL_GetError());
      return FLZ_ERR_NO_MEMORY;
    }
    int result = converter_drain(conv, detail, detail_size);
    if (result != FLZ_OK) {
      return result;
    }
    at += chunk;
    size -= chunk;
  }
  conv->frames_in += size_in / ((size_t)SDL_AUDIO_BITSIZE(conv->format_in) / 8 * conv->channels_in);
  return FLZ_OK;
}

static int converter_flush(converter *conv, char *detail, size_t detail_size) {
  if (SDL_AudioStreamFlush(conv->stream) != 0) {
    set_detail(detail, detail_size, "%s", SDL_GetError());
    return FLZ_ERR_NO_MEMORY;
  }
  return converter_drain(conv, detail, detail_size);
}

/* Flushes the stream and hands exactly round(frames_in * rate_out / rate_in)
 * frames to `out`. SDL 2.26's SDL_AudioStreamFlush pushes out the
 * resampler's last input frames only when its staging buffer holds data,
 * which a large SDL_AudioStreamPut bypasses: the tail (512 input frames when
 * upsampling, more when downsampling) would be lost. So silence goes in after
 * the audio until the stream has given at least that many frames, and the
 * surplus, all silence, is cut. */
static int converter_finish(converter *conv, flz_decoded *out, char *detail, size_t detail_size) {
  uint64_t target = conv->rate_in == conv->rate_out
                        ? conv->frames_in
                        : (conv->frames_in * conv->rate_out + conv->rate_in / 2) / conv->rate_in;
  size_t frame_bytes = (size_t)SDL_AUDIO_BITSIZE(conv->format_in) / 8 * conv->channels_in;
  unsigned char silence[FLZ_DECODE_SILENCE_BYTES];
  uint64_t block = sizeof silence / frame_bytes;
  memset(silence, conv->format_in == AUDIO_U8 ? 0x80 : 0, sizeof silence);
  /* The resampler holds back 512 frames times rate_in / rate_out at most
   * (SDL_audiocvt.c, ResamplerPadding); twice that, plus one block, is a
   * bound that only a broken stream would reach. */
  uint64_t silence_limit = 2 * 512 * ((uint64_t)conv->rate_in / conv->rate_out + 1) + block;
  uint64_t silence_put = 0;
  int result = converter_flush(conv, detail, detail_size);
  while (result == FLZ_OK && conv->frames < target && silence_put < silence_limit) {
    if (SDL_AudioStreamPut(conv->stream, silence, (int)(block * frame_bytes)) != 0) {
      set_detail(detail, detail_size, "%s", SDL_GetError());
      return FLZ_ERR_NO_MEMORY;
    }
    silence_put += block;
    result = converter_flush(conv, detail, detail_size);
  }
  if (result != FLZ_OK) {
    return result;
  }
  if (conv->frames < target) {
    set_detail(detail, detail_size, "SDL_AudioStream gave %llu of %llu frames",
               (unsigned long long)conv->frames, (unsigned long long)target);
    return FLZ_ERR_UNSUPPORTED;
  }
  if (target == 0) {
    set_detail(detail, detail_size, "0 frames after conversion");
    return FLZ_ERR_NO_AUDIO;
  }
  out->data = conv->data;
  out->frame_count = target;
  out->channels = conv->channels;
  out->rate = conv->rate_out;
  conv->data = NULL;
  return FLZ_OK;
}

/* SDL's WAVE loader reads hints. Set once for the process, with override
 * priority so the SDL_WAVE_* environment variables cannot change what Flitz
 * accepts:
 * - SDL_WAVE_TRUNCATION "strict": SDL 2.26's default, "dropblock", silently
 *   returns the frames before the end of a truncated data chunk (half a file
 *   loads as a short sample); "strict" makes it an error ("Could not read data
 *   of WAVE data chunk"), reported as FLZ_ERR_CORRUPT. "verystrict" would also
 *   refuse files whose RIFF size field is merely wrong, which many writers get
 *   wrong while the audio is whole.
 * - SDL_WAVE_FACT_CHUNK "ignorezero": ADPCM data ends on a whole block, so
 *   without the fact chunk up to one block of padding is decoded as audio;
 *   the fact chunk holds the true frame count. A fact chunk of 0, which some
 *   writers leave in PCM files, is ignored. */
static pthread_once_t wave_hints_once = PTHREAD_ONCE_INIT;

static void set_wave_hints(void) {
  SDL_SetHintWithPriority(SDL_HINT_WAVE_TRUNCATION, "strict", SDL_HINT_OVERRIDE);
  SDL_SetHintWithPriority(SDL_HINT_WAVE_FACT_CHUNK, "ignorezero", SDL_HINT_OVERRIDE);
}

/* FLZ_ERR_UNSUPPORTED for the encodings and layouts SDL refuses (its messages
 * say "not supported" or "Unknown WAVE format"), FLZ_ERR_NO_MEMORY for its
 * allocation failures, FLZ_ERR_CORRUPT for every malformed file. */
static int wave_error(const char *message) {
  if (strstr(message, "not supported") != NULL || strstr(message, "Unknown WAVE format") != NULL) {
    return FLZ_ERR_UNSUPPORTED;
  }
  if (strstr(message, "Out of memory") != NULL) {
    return FLZ_ERR_NO_MEMORY;
  }
  return FLZ_ERR_CORRUPT;
}

static int decode_wav(const unsigned char *data, size_t size, uint32_t rate, flz_decoded *out,
                      flz_audio_info *info, char *detail, size_t detail_size) {
  pthread_once(&wave_hints_once, set_wave_hints);
  SDL_RWops *rw = SDL_RWFromConstMem(data, (int)size);
  if (rw == NULL) {
    set_detail(detail, detail_size, "%s", SDL_GetError());
    return FLZ_ERR_NO_MEMORY;
  }
  SDL_AudioSpec spec;
  Uint8 *pcm = NULL;
  Uint32 pcm_bytes = 0;
  if (SDL_LoadWAV_RW(rw, 1, &spec, &pcm, &pcm_bytes) == NULL) {
    const char *message = SDL_GetError();
    set_detail(detail, detail_size, "%s", message);
    return wave_error(message);
  }
  uint32_t frame_bytes = (uint32_t)SDL_AUDIO_BITSIZE(spec.format) / 8 * spec.channels;
  uint64_t frames = frame_bytes == 0 ? 0 : pcm_bytes / frame_bytes;
  info->frames = frames;
  info->channels = spec.channels;
  info->rate = (uint32_t)spec.freq;
  SDL_AudioFormat format = spec.format;
  if (format == AUDIO_S32SYS) {
    /* SDL 2.26 converts S32 to float as (v >> 8) / 8388607, so full scale
     * comes out 1/8388607 too loud and the low 8 bits are dropped. Scaling
     * by 2^-31 here is exact for 24-bit sources (SDL widens them to S32 as
     * v << 8), the same scale as SDL's v / 32768 for 16-bit data; done in
     * place, as both types are 4 bytes. */
    Sint32 ints;
    float value;
    for (size_t i = 0; i < pcm_bytes / sizeof ints; i++) {
      memcpy(&ints, pcm + i * sizeof ints, sizeof ints);
      value = (float)ints * (1.0f / 2147483648.0f);
      memcpy(pcm + i * sizeof value, &value, sizeof value);
    }
    format = AUDIO_F32SYS;
  }
  int result;
  if (frames == 0) {
    set_detail(detail, detail_size, "data chunk holds 0 frames");
    result = FLZ_ERR_NO_AUDIO;
  } else {
    uint32_t rate_out = rate == 0 ? info->rate : rate;
    converter conv;
    result = converter_open(&conv, format, spec.channels, info->rate, rate_out, frames,
                            detail, detail_size);
    if (result == FLZ_OK) {
      result = converter_put(&conv, pcm, (size_t)frames * frame_bytes, detail, detail_size);
      if (result == FLZ_OK) {
        result = converter_finish(&conv, out, detail, detail_size);
      }
      converter_close(&conv);
    }
  }
  SDL_FreeWAV(pcm);
  return result;
}

static const char *vorbis_error_name(int error) {
  switch (error) {
  case VORBIS_need_more_data: return "VORBIS_need_more_data";
  case VORBIS_invalid_api_mixing: return "VORBIS_invalid_api_mixing";
  case VORBIS_outofmem: return "VORBIS_outofmem";
  case VORBIS_feature_not_supported: return "VORBIS_feature_not_supported";
  case VORBIS_too_many_channels: return "VORBIS_too_many_channels";
  case VORBIS_file_open_failure: return "VORBIS_file_open_failure";
  case VORBIS_seek_without_length: return "VORBIS_seek_without_length";
  case VORBIS_unexpected_eof: return "VORBIS_unexpected_eof";
  case VORBIS_seek_invalid: return "VORBIS_seek_invalid";
  case VORBIS_invalid_setup: return "VORBIS_invalid_setup";
  case VORBIS_invalid_stream: return "VORBIS_invalid_stream";
  case VORBIS_missing_capture_pattern: return "VORBIS_missing_capture_pattern";
  case VORBIS_invalid_stream_structure_version: return "VORBIS_invalid_stream_structure_version";
  case VORBIS_continued_packet_flag_invalid: return "VORBIS_continued_packet_flag_invalid";
  case VORBIS_incorrect_stream_serial_number: return "VORBIS_incorrect_stream_serial_number";
  case VORBIS_invalid_first_page: return "VORBIS_invalid_first_page";
  case VORBIS_bad_packet_type: return "VORBIS_bad_packet_type";
  case VORBIS_cant_find_last_page: return "VORBIS_cant_find_last_page";
  case VORBIS_seek_failed: return "VORBIS_seek_failed";
  case VORBIS_ogg_skeleton_not_supported: return "VORBIS_ogg_skeleton_not_supported";
  default: return "unknown stb_vorbis error";
  }
}

static int vorbis_error(int error) {
  switch (error) {
  case VORBIS_outofmem: return FLZ_ERR_NO_MEMORY;
  case VORBIS_feature_not_supported:
  case VORBIS_too_many_channels:
  case VORBIS_ogg_skeleton_not_supported: return FLZ_ERR_UNSUPPORTED;
  default: return FLZ_ERR_CORRUPT;
  }
}

/* Walks the Ogg pages (RFC 3533 §6) of the first logical stream. stb_vorbis
 * decodes a file cut at any point as a shorter, valid-looking stream, and its
 * stream length comes from the last whole page it finds, so truncation shows
 * only here: the pages must follow one another up to a page flagged
 * end-of-stream, which must lie wholly inside the file. Also tells a
 * non-Vorbis Ogg (Opus, FLAC, Speex) from a broken one: the first packet of a
 * Vorbis stream starts with "\x01vorbis". */
static int check_ogg_pages(const unsigned char *data, size_t size, char *detail,
                           size_t detail_size) {
  size_t at = 0;
  int first = 1;
  while (at < size) {
    if (size - at < FLZ_OGG_HEADER_BYTES || memcmp(data + at, "OggS", 4) != 0) {
      set_detail(detail, detail_size, "no Ogg page at byte %zu", at);
      return FLZ_ERR_CORRUPT;
    }
    size_t segments = data[at + 26];
    if (size - at - FLZ_OGG_HEADER_BYTES < segments) {
      set_detail(detail, detail_size, "truncated Ogg page at byte %zu", at);
      return FLZ_ERR_CORRUPT;
    }
    size_t body = 0;
    for (size_t i = 0; i < segments; i++) {
      body += data[at + FLZ_OGG_HEADER_BYTES + i];
    }
    size_t page = FLZ_OGG_HEADER_BYTES + segments + body;
    if (size - at < page) {
      set_detail(detail, detail_size, "truncated Ogg page at byte %zu", at);
      return FLZ_ERR_CORRUPT;
    }
    if (first) {
      const unsigned char *packet = data + at + FLZ_OGG_HEADER_BYTES + segments;
      if (body < 7 || memcmp(packet, "\x01vorbis", 7) != 0) {
        set_detail(detail, detail_size, "Ogg stream is not Vorbis");
        return FLZ_ERR_UNSUPPORTED;
      }
      first = 0;
    }
    if (data[at + 5] & FLZ_OGG_FLAG_EOS) {
      return FLZ_OK;
    }
    at += page;
  }
  set_detail(detail, detail_size, "Ogg stream ends without its last page (truncated)");
  return FLZ_ERR_CORRUPT;
}

/* stb_vorbis fills a static CRC table on every open; serialising the opens
 * keeps two loader threads from writing it at the same time. */
static pthread_mutex_t vorbis_open_lock = PTHREAD_MUTEX_INITIALIZER;

static int decode_ogg(const unsigned char *data, size_t size, uint32_t rate, flz_decoded *out,
                      flz_audio_info *info, char *detail, size_t detail_size) {
  int result = check_ogg_pages(data, size, detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  int error = VORBIS__no_error;
  pthread_mutex_lock(&vorbis_open_lock);
  stb_vorbis *vorbis = stb_vorbis_open_memory(data, (int)size, &error, NULL);
  pthread_mutex_unlock(&vorbis_open_lock);
  if (vorbis == NULL) {
    set_detail(detail, detail_size, "%s", vorbis_error_name(error));
    return vorbis_error(error);
  }
  stb_vorbis_info vinfo = stb_vorbis_get_info(vorbis);
  uint64_t length = stb_vorbis_stream_length_in_samples(vorbis);
  info->frames = length;
  info->channels = vinfo.channels > 0 ? (uint32_t)vinfo.channels : 0;
  info->rate = vinfo.sample_rate;
  uint32_t rate_out = rate == 0 ? info->rate : rate;
  converter conv;
  result = converter_open(&conv, AUDIO_F32SYS, info->channels, info->rate, rate_out, length, detail,
                          detail_size);
  if (result == FLZ_OK) {
    float *block = malloc((size_t)FLZ_DECODE_OGG_FRAMES * info->channels * sizeof(float));
    uint64_t decoded = 0;
    if (block == NULL) {
      set_detail(detail, detail_size, "decode buffer");
      result = FLZ_ERR_NO_MEMORY;
    }
    while (result == FLZ_OK) {
      int frames = stb_vorbis_get_samples_float_interleaved(
          vorbis, vinfo.channels, block, FLZ_DECODE_OGG_FRAMES * vinfo.channels);
      if (frames <= 0) {
        break;
      }
      decoded += (uint64_t)frames;
      if (decoded > length) {
        set_detail(detail, detail_size, "more frames than the stream's %llu",
                   (unsigned long long)length);
        result = FLZ_ERR_CORRUPT;
        break;
      }
      result = converter_put(&conv, block, (size_t)frames * info->channels * sizeof(float), detail,
                             detail_size);
    }
    free(block);
    error = stb_vorbis_get_error(vorbis);
    if (result == FLZ_OK && error != VORBIS__no_error) {
      set_detail(detail, detail_size, "%s", vorbis_error_name(error));
      result = vorbis_error(error);
    }
    if (result == FLZ_OK && decoded == 0) {
      set_detail(detail, detail_size, "Vorbis stream holds 0 frames");
      result = FLZ_ERR_NO_AUDIO;
    }
    if (result == FLZ_OK && decoded < length) {
      set_detail(detail, detail_size, "decoded %llu of %llu frames", (unsigned long long)decoded,
                 (unsigned long long)length);
      result = FLZ_ERR_CORRUPT;
    }
    if (result == FLZ_OK) {
      result = converter_finish(&conv, out, detail, detail_size);
    }
    converter_close(&conv);
  }
  stb_vorbis_close(vorbis);
  return result;
}

int flz_decode_file(const char *path, uint32_t rate, flz_decoded *out, flz_audio_info *source,
                    char *detail, size_t detail_size) {
  if (out != NULL) {
    memset(out, 0, sizeof *out);
  }
  set_detail(detail, detail_size, "%s", "");
  if (path == NULL || out == NULL) {
    set_detail(detail, detail_size, "no path or no output");
    return FLZ_ERR_ARGUMENT;
  }
  if (rate > INT_MAX) {
    set_detail(detail, detail_size, "rate %lu Hz", (unsigned long)rate);
    return FLZ_ERR_ARGUMENT;
  }
  unsigned char *data = NULL;
  size_t size = 0;
  int result = read_file(path, &data, &size, detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  flz_audio_info info = {0, 0, 0};
  if (is_ogg_name(path)) {
    result = decode_ogg(data, size, rate, out, &info, detail, detail_size);
  } else if (ends_with(path, ".wav")) {
    result = decode_wav(data, size, rate, out, &info, detail, detail_size);
  } else {
    set_detail(detail, detail_size, "not a .wav, .ogg or .oga file");
    result = FLZ_ERR_UNSUPPORTED;
  }
  free(data);
  if (source != NULL) {
    *source = info;
  }
  return result;
}

void flz_decode_free(flz_decoded *decoded) {
  if (decoded == NULL) {
    return;
  }
  free(decoded->data);
  memset(decoded, 0, sizeof *decoded);
}
