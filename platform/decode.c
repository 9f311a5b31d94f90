/* platform/decode.c: decodes WAV (SDL_LoadWAV_RW, and 64-bit float itself),
 * Ogg Vorbis (stb_vorbis) and FLAC (libFLAC) into interleaved float frames,
 * downmixes 3 to 8 channels to stereo and converts the rate.
 *
 * Owns: reading files, the WAV chunk walker (probe, `smpl` loop, 64-bit
 * float, channel mask), the three decoders, the downmix, the resampler, the
 * mapping of decoder errors onto engine/result.h codes, and the process-wide
 * SDL WAVE and resampling hints it sets once. Must not touch: the sample
 * pool, the engine.
 *
 * Rate conversion is SDL_AudioStream's, with two facts of SDL 2.26 minded:
 * its resampler restarts its output clock on every SDL_AudioStreamPut, so a
 * file goes in with one put (blocks would jump in phase at every boundary);
 * and its own resampler reaches only 61 dB SNR on a 1 kHz sine at 44.1 to
 * 48 kHz, while its libsamplerate mode (SDL_HINT_AUDIO_RESAMPLING_MODE
 * "medium": libsamplerate's SRC_SINC_MEDIUM_QUALITY) passes 80 dB. SDL loads
 * libsamplerate when its audio subsystem starts, so the first conversion
 * starts that subsystem once for the life of the process (flz_decode_sdl_audio,
 * quit again at exit);
 * where it cannot start (no audio driver at all), SDL's own resampler is
 * what remains.
 */
#include "platform/decode.h"

#include "engine/limits.h"
#include "engine/result.h"
#include "platform/alsa_quiet.h"

#include <FLAC/stream_decoder.h>
#include <SDL.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define STB_VORBIS_HEADER_ONLY
#include <stb_vorbis.h>

/* A decoded sample longer than this is refused (FLZ_ERR_UNSUPPORTED): the
 * engine counts frames in 32 bits. Also guards every size computation below
 * against overflow. */
#define FLZ_DECODE_MAX_FRAMES ((uint64_t)1 << 31)

/* The source, after the downmix and before the rate conversion, may take at
 * most this many times `max_bytes`: room for 4x downsampling (192 kHz to
 * 48 kHz) of a sample as large as the pool. */
#define FLZ_DECODE_SOURCE_FACTOR 4u

/* Frames converted per step from a decoder's own format to float. */
#define FLZ_DECODE_BLOCK_FRAMES 4096

/* Chunks of a RIFF file walked at most: a real WAV has a handful; this bounds
 * the work a file of millions of empty chunks can cause. */
#define FLZ_WAV_MAX_CHUNKS 4096

/* An Ogg page header is 27 bytes before its segment table (RFC 3533 §6). */
#define FLZ_OGG_HEADER_BYTES 27
#define FLZ_OGG_FLAG_EOS 0x04

/* WAVE format tags (RFC 2361, mmreg.h). */
#define WAVE_PCM 0x0001
#define WAVE_MS_ADPCM 0x0002
#define WAVE_IEEE_FLOAT 0x0003
#define WAVE_ALAW 0x0006
#define WAVE_MULAW 0x0007
#define WAVE_IMA_ADPCM 0x0011
#define WAVE_EXTENSIBLE 0xFFFE

/* Lowest rate a decode may ask for, Hz: bounds the resampler's filter
 * length (at most 96x downsampling from FLZ_DECODE_MAX_RATE). */
#define FLZ_DECODE_MIN_OUT_RATE 8000u

/* 1/sqrt(2): the downmix gain of a centre or surround speaker, -3 dB. */
#define DOWNMIX_G 0.70710678118654752

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

flz_decode_format flz_decode_format_of(const char *path) {
  if (path == NULL) {
    return FLZ_DECODE_UNKNOWN;
  }
  if (ends_with(path, ".wav")) {
    return FLZ_DECODE_WAV;
  }
  if (ends_with(path, ".ogg") || ends_with(path, ".oga")) {
    return FLZ_DECODE_OGG;
  }
  if (ends_with(path, ".flac")) {
    return FLZ_DECODE_FLAC;
  }
  return FLZ_DECODE_UNKNOWN;
}

int flz_decode_is_audio_name(const char *path) {
  return flz_decode_format_of(path) != FLZ_DECODE_UNKNOWN;
}

static double mib(uint64_t bytes) {
  return (double)bytes / (1024.0 * 1024.0);
}

/* round(frames * rate_out / rate_in), halves up. frames < 2^33 and rates <
 * 2^20 keep the product below 2^53. */
static uint64_t scale_frames(uint64_t frames, uint32_t rate_in, uint32_t rate_out) {
  if (rate_in == rate_out) {
    return frames;
  }
  return (frames * rate_out + rate_in / 2) / rate_in;
}

/* ---- Reading bytes: a whole file in memory, or parts of an open file. ---- */

typedef struct byte_source {
  const unsigned char *data; /* NULL: read from fd */
  int fd;
  uint64_t size;
} byte_source;

/* Reads up to `n` bytes at `offset`; returns how many (fewer at the end), or
 * -1 on a read error. */
static long source_read(const byte_source *src, uint64_t offset, void *buffer, size_t n) {
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
static int check_path(const char *path, struct stat *st, char *detail, size_t detail_size) {
  if (stat(path, st) != 0) {
    set_detail(detail, detail_size, "%s", strerror(errno));
    return (errno == ENOENT || errno == ENOTDIR) ? FLZ_ERR_NOT_FOUND : FLZ_ERR_READ;
  }
  if (S_ISDIR(st->st_mode)) {
    set_detail(detail, detail_size, "is a directory");
    return FLZ_ERR_IS_DIRECTORY;
  }
  if (!S_ISREG(st->st_mode)) {
    set_detail(detail, detail_size, "not a regular file");
    return FLZ_ERR_READ;
  }
  if (st->st_size == 0) {
    set_detail(detail, detail_size, "0 bytes");
    return FLZ_ERR_EMPTY_FILE;
  }
  if ((uint64_t)st->st_size > (uint64_t)INT_MAX) {
    set_detail(detail, detail_size, "file larger than %d bytes", INT_MAX);
    return FLZ_ERR_UNSUPPORTED;
  }
  return FLZ_OK;
}

/* Reads the whole regular file `path` into a malloc'ed buffer. */
static int read_file(const char *path, unsigned char **data, size_t *size, char *detail,
                     size_t detail_size) {
  struct stat st;
  int result = check_path(path, &st, detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    set_detail(detail, detail_size, "%s", strerror(errno));
    return FLZ_ERR_READ;
  }
  size_t want = (size_t)st.st_size;
  unsigned char *buffer = malloc(want);
  if (buffer == NULL) {
    close(fd);
    set_detail(detail, detail_size, "%zu bytes for the file", want);
    return FLZ_ERR_NO_MEMORY;
  }
  byte_source src = {NULL, fd, want};
  long got = source_read(&src, 0, buffer, want);
  int saved_errno = errno;
  close(fd);
  if (got < 0 || (size_t)got != want) {
    free(buffer);
    set_detail(detail, detail_size, "%s", got < 0 ? strerror(saved_errno) : "file shrank while read");
    return FLZ_ERR_READ;
  }
  *data = buffer;
  *size = want;
  return FLZ_OK;
}

/* ---- Speakers and the downmix. ---- */

/* Speakers in WAVE_FORMAT_EXTENSIBLE channel mask bit order. */
enum speaker {
  SPK_FL, SPK_FR, SPK_FC, SPK_LFE, SPK_BL, SPK_BR, SPK_FLC, SPK_FRC, SPK_BC, SPK_SL, SPK_SR,
  SPK_TC, SPK_TFL, SPK_TFC, SPK_TFR, SPK_TBL, SPK_TBC, SPK_TBR, SPK_COUNT
};

/* Gain of each speaker into the left and right output (decode.h). */
static const double speaker_gain[SPK_COUNT][2] = {
    [SPK_FL] = {1.0, 0.0},           [SPK_FR] = {0.0, 1.0},
    [SPK_FC] = {DOWNMIX_G, DOWNMIX_G}, [SPK_LFE] = {0.0, 0.0},
    [SPK_BL] = {DOWNMIX_G, 0.0},     [SPK_BR] = {0.0, DOWNMIX_G},
    [SPK_FLC] = {1.0, 0.0},          [SPK_FRC] = {0.0, 1.0},
    [SPK_BC] = {0.5, 0.5},           [SPK_SL] = {DOWNMIX_G, 0.0},
    [SPK_SR] = {0.0, DOWNMIX_G},     [SPK_TC] = {DOWNMIX_G, DOWNMIX_G},
    [SPK_TFL] = {DOWNMIX_G, 0.0},    [SPK_TFC] = {DOWNMIX_G, DOWNMIX_G},
    [SPK_TFR] = {0.0, DOWNMIX_G},    [SPK_TBL] = {DOWNMIX_G, 0.0},
    [SPK_TBC] = {0.5, 0.5},          [SPK_TBR] = {0.0, DOWNMIX_G},
};

/* Speaker order of 3..8 channels per format (decode.h), rows by count. */
static const unsigned char wav_layout[9][8] = {
    [3] = {SPK_FL, SPK_FR, SPK_LFE},
    [4] = {SPK_FL, SPK_FR, SPK_BL, SPK_BR},
    [5] = {SPK_FL, SPK_FR, SPK_LFE, SPK_BL, SPK_BR},
    [6] = {SPK_FL, SPK_FR, SPK_FC, SPK_LFE, SPK_BL, SPK_BR},
    [7] = {SPK_FL, SPK_FR, SPK_FC, SPK_LFE, SPK_BC, SPK_SL, SPK_SR},
    [8] = {SPK_FL, SPK_FR, SPK_FC, SPK_LFE, SPK_BL, SPK_BR, SPK_SL, SPK_SR},
};
static const unsigned char flac_layout[9][8] = {
    [3] = {SPK_FL, SPK_FR, SPK_FC},
    [4] = {SPK_FL, SPK_FR, SPK_BL, SPK_BR},
    [5] = {SPK_FL, SPK_FR, SPK_FC, SPK_BL, SPK_BR},
    [6] = {SPK_FL, SPK_FR, SPK_FC, SPK_LFE, SPK_BL, SPK_BR},
    [7] = {SPK_FL, SPK_FR, SPK_FC, SPK_LFE, SPK_BC, SPK_SL, SPK_SR},
    [8] = {SPK_FL, SPK_FR, SPK_FC, SPK_LFE, SPK_BL, SPK_BR, SPK_SL, SPK_SR},
};
static const unsigned char vorbis_layout[9][8] = {
    [3] = {SPK_FL, SPK_FC, SPK_FR},
    [4] = {SPK_FL, SPK_FR, SPK_BL, SPK_BR},
    [5] = {SPK_FL, SPK_FC, SPK_FR, SPK_BL, SPK_BR},
    [6] = {SPK_FL, SPK_FC, SPK_FR, SPK_BL, SPK_BR, SPK_LFE},
    [7] = {SPK_FL, SPK_FC, SPK_FR, SPK_SL, SPK_SR, SPK_BC, SPK_LFE},
    [8] = {SPK_FL, SPK_FC, SPK_FR, SPK_SL, SPK_SR, SPK_BL, SPK_BR, SPK_LFE},
};

/* Source frames as float, after the downmix: at most 2 channels. */
typedef struct pcm {
  float *data;
  uint64_t frames;
  uint64_t capacity;     /* frames */
  uint64_t max_frames;   /* the source may not grow past this */
  uint32_t channels_in;  /* of the file */
  uint32_t channels;     /* 1 or 2 */
  uint32_t rate;
  float matrix[FLZ_DECODE_MAX_CHANNELS][2]; /* downmix, for channels_in > 2 */
} pcm;

static int check_layout(uint32_t channels, uint32_t rate, char *detail, size_t detail_size) {
  if (channels == 0 || rate == 0) {
    set_detail(detail, detail_size, "%u channels at %u Hz", (unsigned)channels, (unsigned)rate);
    return FLZ_ERR_CORRUPT;
  }
  if (channels > FLZ_DECODE_MAX_CHANNELS) {
    set_detail(detail, detail_size, "%u channels (Flitz downmixes at most %u)", (unsigned)channels,
               FLZ_DECODE_MAX_CHANNELS);
    return FLZ_ERR_UNSUPPORTED;
  }
  if (rate > FLZ_DECODE_MAX_RATE) {
    set_detail(detail, detail_size, "%u Hz (at most %u)", (unsigned)rate, FLZ_DECODE_MAX_RATE);
    return FLZ_ERR_UNSUPPORTED;
  }
  return FLZ_OK;
}

/* Size limits of a decode of `frames` source frames (0: unknown yet). */
static int check_size(uint64_t frames, uint32_t channels, uint32_t rate_in, uint32_t rate_out,
                      uint64_t max_bytes, char *detail, size_t detail_size) {
  uint32_t out_channels = channels > 2 ? 2 : channels;
  uint64_t out_frames = scale_frames(frames, rate_in, rate_out);
  if (frames > FLZ_DECODE_MAX_FRAMES || out_frames > FLZ_DECODE_MAX_FRAMES) {
    set_detail(detail, detail_size, "more than %llu frames",
               (unsigned long long)FLZ_DECODE_MAX_FRAMES);
    return FLZ_ERR_UNSUPPORTED;
  }
  uint64_t bytes = out_frames * out_channels * sizeof(float);
  if (bytes > max_bytes) {
    set_detail(detail, detail_size, "needs %.1f MiB, the sample pool holds %.1f MiB", mib(bytes),
               mib(max_bytes));
    return FLZ_ERR_POOL_FULL;
  }
  uint64_t source_bytes = frames * out_channels * sizeof(float);
  if (source_bytes > max_bytes * FLZ_DECODE_SOURCE_FACTOR) {
    set_detail(detail, detail_size, "source needs %.1f MiB, more than %u times the sample pool",
               mib(source_bytes), FLZ_DECODE_SOURCE_FACTOR);
    return FLZ_ERR_POOL_FULL;
  }
  return FLZ_OK;
}

static int popcount32(uint32_t v) {
  int n = 0;
  for (; v != 0; v &= v - 1) {
    n++;
  }
  return n;
}

/* Sets up `p` for `channels` channels at `rate` with the speaker order of
 * `layout` (or of `mask` when it names exactly `channels` speakers). */
static void pcm_init(pcm *p, uint32_t channels, uint32_t rate, uint64_t max_frames,
                     const unsigned char (*layout)[8], uint32_t mask) {
  memset(p, 0, sizeof *p);
  p->channels_in = channels;
  p->channels = channels > 2 ? 2 : channels;
  p->rate = rate;
  p->max_frames = max_frames;
  if (channels <= 2) {
    return;
  }
  unsigned char speakers[FLZ_DECODE_MAX_CHANNELS];
  if (mask != 0 && (mask >> SPK_COUNT) == 0 && popcount32(mask) == (int)channels) {
    uint32_t c = 0;
    for (uint32_t bit = 0; bit < SPK_COUNT; bit++) {
      if (mask & (1u << bit)) {
        speakers[c++] = (unsigned char)bit;
      }
    }
  } else {
    memcpy(speakers, layout[channels], sizeof speakers);
  }
  double sum[2] = {0.0, 0.0};
  for (uint32_t c = 0; c < channels; c++) {
    sum[0] += speaker_gain[speakers[c]][0];
    sum[1] += speaker_gain[speakers[c]][1];
  }
  double norm = sum[0] > sum[1] ? sum[0] : sum[1];
  if (norm <= 0.0) {
    norm = 1.0;
  }
  for (uint32_t c = 0; c < channels; c++) {
    p->matrix[c][0] = (float)(speaker_gain[speakers[c]][0] / norm);
    p->matrix[c][1] = (float)(speaker_gain[speakers[c]][1] / norm);
  }
}

static int pcm_reserve(pcm *p, uint64_t frames, char *detail, size_t detail_size) {
  if (frames <= p->capacity) {
    return FLZ_OK;
  }
  if (frames > p->max_frames) {
    set_detail(detail, detail_size, "more frames than %llu", (unsigned long long)p->max_frames);
    return FLZ_ERR_CORRUPT;
  }
  uint64_t grown = p->capacity * 2 > frames ? p->capacity * 2 : frames;
  if (grown > p->max_frames) {
    grown = p->max_frames;
  }
  size_t frame_bytes = p->channels * sizeof(float);
  if (grown > SIZE_MAX / frame_bytes) {
    set_detail(detail, detail_size, "%llu frames", (unsigned long long)grown);
    return FLZ_ERR_NO_MEMORY;
  }
  float *bigger = realloc(p->data, (size_t)grown * frame_bytes);
  if (bigger == NULL) {
    set_detail(detail, detail_size, "%llu frames", (unsigned long long)grown);
    return FLZ_ERR_NO_MEMORY;
  }
  p->data = bigger;
  p->capacity = grown;
  return FLZ_OK;
}

/* Appends `frames` frames of `channels_in` interleaved floats, downmixed. */
static int pcm_append(pcm *p, const float *in, uint64_t frames, char *detail, size_t detail_size) {
  int result = pcm_reserve(p, p->frames + frames, detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  float *out = p->data + p->frames * p->channels;
  if (p->channels_in <= 2) {
    memcpy(out, in, (size_t)frames * p->channels * sizeof(float));
  } else {
    uint32_t n = p->channels_in;
    for (uint64_t i = 0; i < frames; i++) {
      const float *frame = in + i * n;
      float left = 0.0f;
      float right = 0.0f;
      for (uint32_t c = 0; c < n; c++) {
        left += frame[c] * p->matrix[c][0];
        right += frame[c] * p->matrix[c][1];
      }
      out[2 * i] = left;
      out[2 * i + 1] = right;
    }
  }
  p->frames += frames;
  return FLZ_OK;
}

/* ---- The resampler: SDL_AudioStream. ---- */

static pthread_once_t sdl_audio_once = PTHREAD_ONCE_INIT;

/* Starts SDL's audio subsystem (which loads libsamplerate) and asks for its
 * libsamplerate mode; kept for the life of the process. A failure leaves
 * SDL's own resampler. */
static void flz_decode_sdl_audio_quit(void) {
  SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

static void flz_decode_sdl_audio(void) {
  SDL_SetHintWithPriority(SDL_HINT_AUDIO_RESAMPLING_MODE, "medium", SDL_HINT_OVERRIDE);
  flz_alsa_quiet();
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) == 0)
    atexit(flz_decode_sdl_audio_quit); /* hands SDL's memory back at exit */
}

void flz_decode_prepare(void) {
  pthread_once(&sdl_audio_once, flz_decode_sdl_audio);
}

/* Converts `in` (frames_in frames of `channels` 1 or 2, at rate_in) into
 * `out` (frames_out frames at rate_out) with one SDL_AudioStream. SDL keeps
 * back the last frames until it sees what follows them: silence is fed after
 * the file until frames_out frames came out (frames after the end count as
 * silence), and any surplus is dropped. */
static int resample(const float *in, uint64_t frames_in, uint32_t channels, uint32_t rate_in,
                    uint32_t rate_out, float *out, uint64_t frames_out, char *detail,
                    size_t detail_size) {
  size_t frame_bytes = channels * sizeof(float);
  if (frames_in > (uint64_t)INT_MAX / frame_bytes || frames_out > (uint64_t)INT_MAX / frame_bytes) {
    set_detail(detail, detail_size, "%llu frames are too many to convert at once",
               (unsigned long long)frames_in);
    return FLZ_ERR_POOL_FULL;
  }
  flz_decode_prepare();
  SDL_AudioStream *stream = SDL_NewAudioStream(AUDIO_F32SYS, (Uint8)channels, (int)rate_in,
                                               AUDIO_F32SYS, (Uint8)channels, (int)rate_out);
  if (stream == NULL) {
    set_detail(detail, detail_size, "SDL_NewAudioStream: %s", SDL_GetError());
    return FLZ_ERR_NO_MEMORY;
  }
  int result = FLZ_OK;
  if (SDL_AudioStreamPut(stream, in, (int)(frames_in * frame_bytes)) != 0) {
    set_detail(detail, detail_size, "SDL_AudioStreamPut: %s", SDL_GetError());
    result = FLZ_ERR_NO_MEMORY;
  }
  static const float silence[2 * 1024];
  uint64_t got = 0;
  for (int pass = 0; result == FLZ_OK && got < frames_out; pass++) {
    int n = SDL_AudioStreamGet(stream, (unsigned char *)out + got * frame_bytes,
                               (int)((frames_out - got) * frame_bytes));
    if (n < 0) {
      set_detail(detail, detail_size, "SDL_AudioStreamGet: %s", SDL_GetError());
      result = FLZ_ERR_NO_MEMORY;
      break;
    }
    got += (uint64_t)n / frame_bytes;
    if (got >= frames_out)
      break;
    if (pass > 64) { /* 64 blocks of silence is far past any filter's reach */
      memset((unsigned char *)out + got * frame_bytes, 0, (frames_out - got) * frame_bytes);
      got = frames_out;
      break;
    }
    if (SDL_AudioStreamPut(stream, silence, (int)(1024 * frame_bytes)) != 0) {
      set_detail(detail, detail_size, "SDL_AudioStreamPut: %s", SDL_GetError());
      result = FLZ_ERR_NO_MEMORY;
    }
  }
  SDL_FreeAudioStream(stream);
  return result;
}

/* Hands the source to `out` at `rate_out`: resampled (or adopted as it is),
 * with non-finite values replaced by 0 and the loop scaled. Frees p->data. */
static int pcm_finish(pcm *p, uint32_t rate_out, int has_loop, uint64_t loop_first,
                      uint64_t loop_last, flz_decoded *out, char *detail, size_t detail_size) {
  if (p->frames == 0) {
    set_detail(detail, detail_size, "0 frames of audio");
    return FLZ_ERR_NO_AUDIO;
  }
  uint64_t target = scale_frames(p->frames, p->rate, rate_out);
  if (target == 0) {
    set_detail(detail, detail_size, "0 frames after conversion to %u Hz", (unsigned)rate_out);
    return FLZ_ERR_NO_AUDIO;
  }
  float *data;
  if (rate_out == p->rate) {
    data = p->data;
    p->data = NULL;
  } else {
    data = malloc((size_t)target * p->channels * sizeof(float));
    if (data == NULL) {
      set_detail(detail, detail_size, "%llu frames", (unsigned long long)target);
      return FLZ_ERR_NO_MEMORY;
    }
    int result = resample(p->data, p->frames, p->channels, p->rate, rate_out, data, target, detail,
                          detail_size);
    if (result != FLZ_OK) {
      free(data);
      return result;
    }
  }
  for (uint64_t i = 0; i < target * p->channels; i++) {
    if (!isfinite(data[i])) {
      data[i] = 0.0f;
    }
  }
  out->data = data;
  out->frame_count = target;
  out->channels = p->channels;
  out->rate = rate_out;
  if (has_loop && loop_first <= loop_last) {
    uint64_t start = scale_frames(loop_first, p->rate, rate_out);
    uint64_t end = scale_frames(loop_last + 1, p->rate, rate_out);
    if (end > target) {
      end = target;
    }
    if (start < end) {
      out->has_loop = 1;
      out->loop_start = start;
      out->loop_end = end;
    }
  }
  return FLZ_OK;
}

static void report(const flz_decode_config *config, uint64_t done, uint64_t total) {
  if (config->progress != NULL) {
    config->progress(config->user, done, total);
  }
}

/* ---- WAV. ---- */

typedef struct wav_header {
  uint16_t tag;        /* format tag; the subformat's for WAVE_FORMAT_EXTENSIBLE */
  uint16_t channels;
  uint32_t rate;
  uint16_t block_align;
  uint16_t bits;
  uint16_t samples_per_block; /* ADPCM */
  uint32_t mask;              /* WAVE_FORMAT_EXTENSIBLE channel mask, else 0 */
  int has_fact;
  uint32_t fact_frames;
  int has_data;
  uint64_t data_offset;
  uint64_t data_size;
  int has_loop;
  uint32_t loop_first; /* source frames, inclusive */
  uint32_t loop_last;
} wav_header;

static uint32_t le16(const unsigned char *b) {
  return (uint32_t)b[0] | (uint32_t)b[1] << 8;
}

static uint32_t le32(const unsigned char *b) {
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static int read_fmt(const byte_source *src, uint64_t at, uint32_t size, wav_header *h,
                    char *detail, size_t detail_size) {
  unsigned char b[40];
  memset(b, 0, sizeof b);
  size_t want = size < sizeof b ? size : sizeof b;
  if (size < 16 || source_read(src, at, b, want) != (long)want) {
    set_detail(detail, detail_size, "fmt chunk of %u bytes", (unsigned)size);
    return FLZ_ERR_CORRUPT;
  }
  h->tag = (uint16_t)le16(b);
  h->channels = (uint16_t)le16(b + 2);
  h->rate = le32(b + 4);
  h->block_align = (uint16_t)le16(b + 12);
  h->bits = (uint16_t)le16(b + 14);
  if (size >= 20) {
    h->samples_per_block = (uint16_t)le16(b + 18);
  }
  if (h->tag == WAVE_EXTENSIBLE) {
    /* cbSize, wValidBitsPerSample, dwChannelMask, then the subformat GUID,
     * whose first two bytes are the format tag. */
    if (size < 40) {
      set_detail(detail, detail_size, "WAVE_FORMAT_EXTENSIBLE fmt chunk of %u bytes",
                 (unsigned)size);
      return FLZ_ERR_CORRUPT;
    }
    h->mask = le32(b + 20);
    h->tag = (uint16_t)le16(b + 24);
  }
  return FLZ_OK;
}

/* Walks the RIFF chunks: fmt, fact, data and smpl. */
static int wav_parse(const byte_source *src, wav_header *h, char *detail, size_t detail_size) {
  memset(h, 0, sizeof *h);
  unsigned char b[12];
  if (source_read(src, 0, b, 12) != 12 || memcmp(b, "RIFF", 4) != 0 ||
      memcmp(b + 8, "WAVE", 4) != 0) {
    set_detail(detail, detail_size, "not a RIFF WAVE file");
    return FLZ_ERR_CORRUPT;
  }
  int has_fmt = 0;
  uint64_t at = 12;
  for (int chunk = 0; chunk < FLZ_WAV_MAX_CHUNKS && at + 8 <= src->size; chunk++) {
    if (source_read(src, at, b, 8) != 8) {
      set_detail(detail, detail_size, "cannot read the chunk at byte %llu", (unsigned long long)at);
      return FLZ_ERR_READ;
    }
    uint32_t size = le32(b + 4);
    uint64_t body = at + 8;
    if (memcmp(b, "fmt ", 4) == 0 && !has_fmt) {
      int result = read_fmt(src, body, size, h, detail, detail_size);
      if (result != FLZ_OK) {
        return result;
      }
      has_fmt = 1;
    } else if (memcmp(b, "fact", 4) == 0 && size >= 4) {
      unsigned char f[4];
      if (source_read(src, body, f, 4) == 4) {
        h->has_fact = 1;
        h->fact_frames = le32(f);
      }
    } else if (memcmp(b, "data", 4) == 0 && !h->has_data) {
      if (!has_fmt) {
        set_detail(detail, detail_size, "data chunk before the fmt chunk");
        return FLZ_ERR_CORRUPT;
      }
      if (body + size > src->size) {
        set_detail(detail, detail_size,
                   "data chunk of %lu bytes runs past the end of the file (%llu bytes)",
                   (unsigned long)size, (unsigned long long)src->size);
        return FLZ_ERR_CORRUPT;
      }
      h->has_data = 1;
      h->data_offset = body;
      h->data_size = size;
    } else if (memcmp(b, "smpl", 4) == 0 && size >= 60) {
      /* 36 bytes of sampler fields (loop count at 28), then loops of 24
       * bytes: cue id, type, start, end (inclusive), fraction, play count. */
      unsigned char s[60];
      if (source_read(src, body, s, 60) == 60 && le32(s + 28) > 0) {
        h->has_loop = 1;
        h->loop_first = le32(s + 36 + 8);
        h->loop_last = le32(s + 36 + 12);
      }
    }
    at = body + size + (size & 1u);
  }
  if (!has_fmt || !h->has_data) {
    set_detail(detail, detail_size, "no %s chunk", has_fmt ? "data" : "fmt");
    return FLZ_ERR_CORRUPT;
  }
  return check_layout(h->channels, h->rate, detail, detail_size);
}

/* Source frames the WAV holds by its header (an upper bound for ADPCM
 * without a fact chunk); FLZ_ERR_UNSUPPORTED for encodings Flitz lacks. */
static int wav_frames(const wav_header *h, uint64_t *frames, char *detail, size_t detail_size) {
  switch (h->tag) {
  case WAVE_PCM:
  case WAVE_IEEE_FLOAT:
  case WAVE_ALAW:
  case WAVE_MULAW:
    if (h->block_align == 0 || h->bits == 0 || h->bits % 8 != 0 || h->bits > 64 ||
        h->block_align != (uint32_t)h->channels * h->bits / 8) {
      set_detail(detail, detail_size, "%u-bit samples in blocks of %u bytes", (unsigned)h->bits,
                 (unsigned)h->block_align);
      return h->bits > 64 || h->bits % 8 != 0 ? FLZ_ERR_UNSUPPORTED : FLZ_ERR_CORRUPT;
    }
    *frames = h->data_size / h->block_align;
    return FLZ_OK;
  case WAVE_MS_ADPCM:
  case WAVE_IMA_ADPCM: {
    if (h->block_align == 0 || h->samples_per_block == 0) {
      set_detail(detail, detail_size, "ADPCM blocks of %u bytes, %u frames",
                 (unsigned)h->block_align, (unsigned)h->samples_per_block);
      return FLZ_ERR_CORRUPT;
    }
    uint64_t blocks = (h->data_size + h->block_align - 1) / h->block_align;
    *frames = blocks * h->samples_per_block;
    if (h->has_fact && h->fact_frames != 0 && h->fact_frames < *frames) {
      *frames = h->fact_frames;
    }
    return FLZ_OK;
  }
  default:
    set_detail(detail, detail_size, "WAVE format tag 0x%04x is not decoded", (unsigned)h->tag);
    return FLZ_ERR_UNSUPPORTED;
  }
}

/* SDL's WAVE loader reads hints. Set once for the process, with override
 * priority so the SDL_WAVE_* environment variables cannot change what Flitz
 * accepts:
 * - SDL_WAVE_TRUNCATION "strict": SDL 2.26's default, "dropblock", silently
 *   returns the frames before the end of a truncated data chunk; "strict"
 *   makes it an error, reported as FLZ_ERR_CORRUPT. "verystrict" would also
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

/* Converts `count` samples of SDL's decoded `format` (U8, S16, S32, F32),
 * or little-endian doubles for format 0, at `at` into floats. */
static void to_float(const unsigned char *at, size_t count, SDL_AudioFormat format, float *block) {
  switch (format) {
  case AUDIO_U8:
    for (size_t i = 0; i < count; i++) {
      block[i] = ((float)at[i] - 128.0f) * (1.0f / 128.0f);
    }
    break;
  case AUDIO_S16SYS:
    for (size_t i = 0; i < count; i++) {
      int16_t v;
      memcpy(&v, at + 2 * i, sizeof v);
      block[i] = (float)v * (1.0f / 32768.0f);
    }
    break;
  case AUDIO_S32SYS:
    /* SDL widens 24-bit samples to 32 bits as v << 8, so 2^-31 is exact for
     * both. */
    for (size_t i = 0; i < count; i++) {
      int32_t v;
      memcpy(&v, at + 4 * i, sizeof v);
      block[i] = (float)v * (1.0f / 2147483648.0f);
    }
    break;
  case AUDIO_F32SYS:
    memcpy(block, at, count * sizeof(float));
    break;
  default:
    for (size_t i = 0; i < count; i++) {
      uint64_t bits = 0;
      for (int k = 7; k >= 0; k--) {
        bits = bits << 8 | at[8 * i + (size_t)k];
      }
      double v;
      memcpy(&v, &bits, sizeof v);
      block[i] = (float)v;
    }
    break;
  }
}

/* Appends `frames` frames at `bytes` in `format` (see to_float). */
static int append_samples(pcm *p, const unsigned char *bytes, uint64_t frames,
                          SDL_AudioFormat format, char *detail, size_t detail_size) {
  float block[FLZ_DECODE_BLOCK_FRAMES * FLZ_DECODE_MAX_CHANNELS];
  uint32_t n = p->channels_in;
  size_t sample_bytes = format == 0 ? 8 : (size_t)SDL_AUDIO_BITSIZE(format) / 8;
  for (uint64_t done = 0; done < frames;) {
    uint64_t count =
        frames - done < FLZ_DECODE_BLOCK_FRAMES ? frames - done : FLZ_DECODE_BLOCK_FRAMES;
    to_float(bytes + done * n * sample_bytes, (size_t)count * n, format, block);
    int result = pcm_append(p, block, count, detail, detail_size);
    if (result != FLZ_OK) {
      return result;
    }
    done += count;
  }
  return FLZ_OK;
}

static int decode_wav(const unsigned char *data, size_t size, const flz_decode_config *config,
                      flz_decoded *out, flz_audio_info *info, char *detail, size_t detail_size) {
  byte_source src = {data, -1, size};
  wav_header h;
  int result = wav_parse(&src, &h, detail, detail_size);
  uint64_t frames = 0;
  if (result == FLZ_OK) {
    result = wav_frames(&h, &frames, detail, detail_size);
  }
  info->channels = h.channels;
  info->rate = h.rate;
  info->frames = frames;
  if (result != FLZ_OK) {
    return result;
  }
  uint32_t rate_out = config->rate == 0 ? h.rate : config->rate;
  result = check_size(frames, h.channels, h.rate, rate_out, config->max_bytes, detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  if (frames == 0) {
    set_detail(detail, detail_size, "data chunk holds 0 frames");
    return FLZ_ERR_NO_AUDIO;
  }
  pcm p;
  pcm_init(&p, h.channels, h.rate, frames, wav_layout, h.mask);
  result = pcm_reserve(&p, frames, detail, detail_size);
  if (result == FLZ_OK && h.tag == WAVE_IEEE_FLOAT && h.bits == 64) {
    /* SDL 2.26 refuses 64-bit float ("not supported"): converted here. */
    result = append_samples(&p, data + h.data_offset, frames, 0, detail, detail_size);
  } else if (result == FLZ_OK) {
    pthread_once(&wave_hints_once, set_wave_hints);
    SDL_RWops *rw = SDL_RWFromConstMem(data, (int)size);
    SDL_AudioSpec spec;
    Uint8 *samples = NULL;
    Uint32 sample_bytes = 0;
    if (rw == NULL) {
      set_detail(detail, detail_size, "%s", SDL_GetError());
      result = FLZ_ERR_NO_MEMORY;
    } else if (SDL_LoadWAV_RW(rw, 1, &spec, &samples, &sample_bytes) == NULL) {
      const char *message = SDL_GetError();
      set_detail(detail, detail_size, "%s", message);
      result = wave_error(message);
    } else {
      uint32_t frame_bytes = (uint32_t)SDL_AUDIO_BITSIZE(spec.format) / 8 * spec.channels;
      uint64_t got = frame_bytes == 0 ? 0 : sample_bytes / frame_bytes;
      if (spec.channels != h.channels || (uint32_t)spec.freq != h.rate || got > frames) {
        set_detail(detail, detail_size, "SDL read %llu frames x %u at %d Hz, the header says %llu x %u at %u",
                   (unsigned long long)got, (unsigned)spec.channels, spec.freq,
                   (unsigned long long)frames, (unsigned)h.channels, (unsigned)h.rate);
        result = FLZ_ERR_CORRUPT;
      } else {
        info->frames = got;
        result = append_samples(&p, samples, got, spec.format, detail, detail_size);
      }
      SDL_FreeWAV(samples);
    }
  }
  if (result == FLZ_OK) {
    report(config, p.frames, frames);
    result = pcm_finish(&p, rate_out, h.has_loop, h.loop_first, h.loop_last, out, detail,
                        detail_size);
  }
  free(p.data);
  return result;
}

static int probe_wav(const byte_source *src, flz_decode_estimate *e, char *detail,
                     size_t detail_size) {
  wav_header h;
  int result = wav_parse(src, &h, detail, detail_size);
  uint64_t frames = 0;
  if (result == FLZ_OK) {
    result = wav_frames(&h, &frames, detail, detail_size);
  }
  e->source.frames = frames;
  e->source.channels = h.channels;
  e->source.rate = h.rate;
  e->known = 1;
  if (result == FLZ_OK && frames == 0) {
    set_detail(detail, detail_size, "data chunk holds 0 frames");
    result = FLZ_ERR_NO_AUDIO;
  }
  return result;
}

/* ---- Ogg Vorbis. ---- */

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

/* Joins the first packets of an Ogg stream (up to `count`, from the pages'
 * lacing) into `packets` (malloc'ed, caller frees each). Returns how many
 * are complete. */
static int ogg_packets(const unsigned char *data, size_t size, unsigned char **packets,
                       size_t *lengths, int count) {
  size_t capacity[3] = {0, 0, 0};
  int index = 0;
  for (int i = 0; i < count; i++) {
    packets[i] = NULL;
    lengths[i] = 0;
  }
  for (size_t at = 0; index < count && at + FLZ_OGG_HEADER_BYTES <= size;) {
    if (memcmp(data + at, "OggS", 4) != 0) {
      break;
    }
    size_t segments = data[at + 26];
    if (size - at - FLZ_OGG_HEADER_BYTES < segments) {
      break;
    }
    size_t body = at + FLZ_OGG_HEADER_BYTES + segments;
    for (size_t i = 0; i < segments && index < count; i++) {
      size_t lace = data[at + FLZ_OGG_HEADER_BYTES + i];
      if (body + lace > size) {
        return index;
      }
      if (lengths[index] + lace > capacity[index]) {
        size_t grown = (lengths[index] + lace) * 2;
        unsigned char *bigger = realloc(packets[index], grown);
        if (bigger == NULL) {
          return -1;
        }
        packets[index] = bigger;
        capacity[index] = grown;
      }
      if (lace > 0) {
        memcpy(packets[index] + lengths[index], data + body, lace);
        lengths[index] += lace;
      }
      body += lace;
      if (lace < 255) {
        index++;
      }
    }
    at = body;
  }
  return index;
}

/* A Vorbis packet read LSB first, as the Vorbis I specification packs it. */
typedef struct vorbis_bits {
  const unsigned char *data;
  size_t length; /* bytes */
  uint64_t at;   /* bits read */
  int past_end;
} vorbis_bits;

static uint32_t vorbis_read(vorbis_bits *b, int bits) {
  uint32_t value = 0;
  for (int i = 0; i < bits; i++) {
    if (b->at >= (uint64_t)b->length * 8) {
      b->past_end = 1;
      return 0;
    }
    value |= (uint32_t)(b->data[b->at / 8] >> (b->at % 8) & 1) << i;
    b->at++;
  }
  return value;
}

static int vorbis_ilog(uint32_t v) {
  int n = 0;
  while (v > 0) {
    n++;
    v >>= 1;
  }
  return n;
}

/* The largest v with v^dimensions <= entries (Vorbis I 9.2.3 lookup1_values). */
static uint64_t vorbis_lookup1_values(uint32_t entries, uint32_t dimensions) {
  uint64_t v = 1;
  for (;;) {
    uint64_t next = v + 1, power = 1;
    for (uint32_t d = 0; d < dimensions && power <= entries; d++) {
      power *= next;
    }
    if (power > entries) {
      return v;
    }
    v = next;
  }
}

/* Checks the codebooks of a setup header (Vorbis I 3.2.1) with every size
 * bounded by the bits the packet holds: Debian's stb_vorbis computes some
 * of its allocation sizes from these fields in int, and the fuzzer found
 * headers whose sizes overflow to negative values that it then uses. */
static int check_vorbis_setup(const unsigned char *packet, size_t length) {
  if (length < 8 || memcmp(packet, "\x05vorbis", 7) != 0) {
    return 0;
  }
  vorbis_bits b = {packet + 7, length - 7, 0, 0};
  uint64_t bits = (uint64_t)b.length * 8;
  uint32_t books = vorbis_read(&b, 8) + 1;
  for (uint32_t book = 0; book < books && !b.past_end; book++) {
    if (vorbis_read(&b, 24) != 0x564342) {
      return 0;
    }
    uint32_t dimensions = vorbis_read(&b, 16);
    uint32_t entries = vorbis_read(&b, 24);
    if (dimensions == 0 || entries == 0 || entries > bits - b.at) {
      return 0;
    }
    if (vorbis_read(&b, 1)) { /* ordered */
      uint32_t entry = 0;
      (void)vorbis_read(&b, 5);
      while (entry < entries && !b.past_end) {
        entry += vorbis_read(&b, vorbis_ilog(entries - entry));
      }
      if (entry > entries) {
        return 0;
      }
    } else {
      int sparse = (int)vorbis_read(&b, 1);
      for (uint32_t entry = 0; entry < entries && !b.past_end; entry++) {
        if (!sparse || vorbis_read(&b, 1)) {
          (void)vorbis_read(&b, 5);
        }
      }
    }
    uint32_t lookup = vorbis_read(&b, 4);
    if (lookup > 2) {
      return 0;
    }
    if (lookup > 0) {
      (void)vorbis_read(&b, 32);
      (void)vorbis_read(&b, 32);
      uint32_t value_bits = vorbis_read(&b, 4) + 1;
      (void)vorbis_read(&b, 1);
      uint64_t values = lookup == 1 ? vorbis_lookup1_values(entries, dimensions)
                                    : (uint64_t)entries * dimensions;
      if (values * dimensions > (uint64_t)INT32_MAX / 8 || values * value_bits > bits - b.at) {
        return 0;
      }
      b.at += values * value_bits;
    }
  }
  return !b.past_end && b.at <= bits;
}

/* Checks the comment header (its lengths within the packet) and the setup
 * header's codebooks of an Ogg Vorbis stream before stb_vorbis reads them:
 * malformed ones have made Debian's stb_vorbis free or use memory it never
 * allocated (tests/fuzz/regressions/ogg), and so have header packets cut
 * short by the end of the data: a stream without all three is corrupt. */
static int check_vorbis_comments(const unsigned char *data, size_t size, char *detail,
                                 size_t detail_size) {
  unsigned char *packets[3];
  size_t lengths[3];
  int got = ogg_packets(data, size, packets, lengths, 3);
  int result = FLZ_OK;
  if (got < 0) {
    set_detail(detail, detail_size, "Vorbis headers too large");
    result = FLZ_ERR_NO_MEMORY;
  } else if (got < 3) {
    set_detail(detail, detail_size, "the three Vorbis header packets are not all there");
    result = FLZ_ERR_CORRUPT;
  }
  if (result == FLZ_OK) {
    /* "\x03vorbis", vendor length and vendor, comment count, then each
     * comment's length and bytes; all lengths 32-bit little-endian. */
    const unsigned char *packet = packets[1];
    size_t length = lengths[1];
    size_t at = 7;
    int ok = length >= 11 && memcmp(packet, "\x03vorbis", 7) == 0;
    uint32_t vendor = ok ? le32(packet + at) : 0;
    ok = ok && vendor <= length - at - 4;
    at += 4 + (size_t)vendor;
    ok = ok && length - at >= 4;
    uint32_t count = ok ? le32(packet + at) : 0;
    at += 4;
    for (uint32_t i = 0; ok && i < count; i++) {
      ok = length - at >= 4 && le32(packet + at) <= length - at - 4;
      if (ok) {
        at += 4 + (size_t)le32(packet + at);
      }
    }
    if (!ok) {
      set_detail(detail, detail_size, "malformed Vorbis comment header");
      result = FLZ_ERR_CORRUPT;
    }
  }
  if (result == FLZ_OK && !check_vorbis_setup(packets[2], lengths[2])) {
    set_detail(detail, detail_size, "malformed Vorbis setup header");
    result = FLZ_ERR_CORRUPT;
  }
  for (int i = 0; i < 3; i++) {
    free(packets[i]);
  }
  return result;
}

/* Memory stb_vorbis may use for one stream, bytes: it gets a buffer of its
 * own (stb_vorbis_alloc) instead of malloc. Its allocations then come from
 * the buffer and its frees do nothing, so the frees on its error paths that
 * the fuzzer found going wild in Debian's stb_vorbis (after a setup header
 * whose allocations fail half way) cannot happen, and a header asking for
 * absurd amounts fails cleanly as out of memory. A first try with the small
 * size serves ordinary files (their setup takes well under 1 MiB); a stream
 * that needs more gets one retry with the large size. */
#define FLZ_VORBIS_MEMORY_SMALL (1u << 20)
#define FLZ_VORBIS_MEMORY_LARGE (32u << 20)

/* An open stream and the buffer its decoder lives in. */
typedef struct flz_vorbis {
  stb_vorbis *stream;
  char *memory;
} flz_vorbis;

static void vorbis_close(flz_vorbis *vorbis) {
  if (vorbis->stream != NULL) {
    stb_vorbis_close(vorbis->stream);
  }
  free(vorbis->memory);
  vorbis->stream = NULL;
  vorbis->memory = NULL;
}

/* Opens the stream in `data` once its comment header is checked; 0 with
 * *result and `detail` set if it cannot. */
static int vorbis_open(const unsigned char *data, size_t size, flz_vorbis *vorbis, int *error,
                       int *result, char *detail, size_t detail_size) {
  vorbis->stream = NULL;
  vorbis->memory = NULL;
  *result = check_vorbis_comments(data, size, detail, detail_size);
  if (*result != FLZ_OK) {
    return 0;
  }
  static const unsigned sizes[] = {FLZ_VORBIS_MEMORY_SMALL, FLZ_VORBIS_MEMORY_LARGE};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    vorbis->memory = malloc(sizes[i]);
    if (vorbis->memory == NULL) {
      *error = VORBIS_outofmem;
      break;
    }
    stb_vorbis_alloc alloc = {.alloc_buffer = vorbis->memory,
                              .alloc_buffer_length_in_bytes = (int)sizes[i]};
    pthread_mutex_lock(&vorbis_open_lock);
    vorbis->stream = stb_vorbis_open_memory(data, (int)size, error, &alloc);
    pthread_mutex_unlock(&vorbis_open_lock);
    if (vorbis->stream != NULL) {
      return 1;
    }
    free(vorbis->memory);
    vorbis->memory = NULL;
    if (*error != VORBIS_outofmem) {
      break;
    }
  }
  set_detail(detail, detail_size, "%s", vorbis_error_name(*error));
  *result = vorbis_error(*error);
  return 0;
}

/* Channels, rate and length of an open stream, checked. */
static int vorbis_describe(stb_vorbis *vorbis, flz_audio_info *info, char *detail,
                           size_t detail_size) {
  stb_vorbis_info vinfo = stb_vorbis_get_info(vorbis);
  info->channels = vinfo.channels > 0 ? (uint32_t)vinfo.channels : 0;
  info->rate = vinfo.sample_rate;
  int result = check_layout(info->channels, info->rate, detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  info->frames = stb_vorbis_stream_length_in_samples(vorbis);
  if (info->frames == 0) {
    set_detail(detail, detail_size, "no length: %s",
               vorbis_error_name(stb_vorbis_get_error(vorbis)));
    return FLZ_ERR_CORRUPT;
  }
  return FLZ_OK;
}

static int decode_ogg(const unsigned char *data, size_t size, const flz_decode_config *config,
                      flz_decoded *out, flz_audio_info *info, char *detail, size_t detail_size) {
  int result = check_ogg_pages(data, size, detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  int error = VORBIS__no_error;
  flz_vorbis handle;
  if (!vorbis_open(data, size, &handle, &error, &result, detail, detail_size)) {
    return result;
  }
  stb_vorbis *vorbis = handle.stream;
  result = vorbis_describe(vorbis, info, detail, detail_size);
  uint64_t length = info->frames;
  uint32_t rate_out = config->rate == 0 ? info->rate : config->rate;
  if (result == FLZ_OK) {
    result = check_size(length, info->channels, info->rate, rate_out, config->max_bytes, detail,
                        detail_size);
  }
  pcm p;
  memset(&p, 0, sizeof p);
  if (result == FLZ_OK) {
    /* One frame of room past the length shows a stream longer than it. */
    pcm_init(&p, info->channels, info->rate, length + 1, vorbis_layout, 0);
    result = pcm_reserve(&p, length + 1, detail, detail_size);
  }
  float block[FLZ_DECODE_BLOCK_FRAMES * FLZ_DECODE_MAX_CHANNELS];
  int channels = (int)info->channels;
  uint64_t decoded = 0;
  while (result == FLZ_OK) {
    /* Mono and stereo go straight into the source buffer. */
    float *into = channels <= 2 ? p.data + p.frames * p.channels : block;
    int want = FLZ_DECODE_BLOCK_FRAMES;
    if (length - decoded < (uint64_t)want) {
      want = (int)(length - decoded) + 1; /* one more shows a stream longer than its length */
    }
    int frames = stb_vorbis_get_samples_float_interleaved(vorbis, channels, into, want * channels);
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
    if (channels <= 2) {
      p.frames += (uint64_t)frames;
    } else {
      result = pcm_append(&p, block, (uint64_t)frames, detail, detail_size);
    }
    report(config, decoded, length);
  }
  error = stb_vorbis_get_error(vorbis);
  if (result == FLZ_OK && error != VORBIS__no_error) {
    set_detail(detail, detail_size, "%s", vorbis_error_name(error));
    result = vorbis_error(error);
  }
  if (result == FLZ_OK && decoded < length) {
    set_detail(detail, detail_size, "decoded %llu of %llu frames", (unsigned long long)decoded,
               (unsigned long long)length);
    result = decoded == 0 ? FLZ_ERR_NO_AUDIO : FLZ_ERR_CORRUPT;
  }
  if (result == FLZ_OK) {
    result = pcm_finish(&p, rate_out, 0, 0, 0, out, detail, detail_size);
  }
  free(p.data);
  vorbis_close(&handle);
  return result;
}

/* ---- FLAC. ---- */

typedef struct flac_state {
  const unsigned char *data;
  size_t size;
  size_t at;
  const flz_decode_config *config;
  int have_info;
  flz_audio_info info;
  uint32_t bits;
  uint32_t rate_out;
  pcm p;
  int result; /* first error of a callback */
  char *detail;
  size_t detail_size;
  float block[FLZ_DECODE_BLOCK_FRAMES * FLZ_DECODE_MAX_CHANNELS];
} flac_state;

static FLAC__StreamDecoderReadStatus flac_read(const FLAC__StreamDecoder *decoder,
                                               FLAC__byte buffer[], size_t *bytes, void *user) {
  (void)decoder;
  flac_state *s = user;
  size_t left = s->size - s->at;
  if (left == 0) {
    *bytes = 0;
    return FLAC__STREAM_DECODER_READ_STATUS_END_OF_STREAM;
  }
  size_t n = *bytes < left ? *bytes : left;
  memcpy(buffer, s->data + s->at, n);
  s->at += n;
  *bytes = n;
  return FLAC__STREAM_DECODER_READ_STATUS_CONTINUE;
}

static void flac_metadata(const FLAC__StreamDecoder *decoder, const FLAC__StreamMetadata *metadata,
                          void *user) {
  (void)decoder;
  flac_state *s = user;
  if (metadata->type != FLAC__METADATA_TYPE_STREAMINFO || s->have_info) {
    return;
  }
  const FLAC__StreamMetadata_StreamInfo *si = &metadata->data.stream_info;
  s->info.channels = si->channels;
  s->info.rate = si->sample_rate;
  s->info.frames = si->total_samples;
  s->bits = si->bits_per_sample;
  s->rate_out = s->config->rate == 0 ? si->sample_rate : s->config->rate;
  int result = check_layout(si->channels, si->sample_rate, s->detail, s->detail_size);
  if (result == FLZ_OK) {
    result = check_size(si->total_samples, si->channels, si->sample_rate, s->rate_out,
                        s->config->max_bytes, s->detail, s->detail_size);
  }
  if (result == FLZ_OK) {
    /* No length in STREAMINFO: the source may grow as far as max_bytes
     * allows (check_size's limit). */
    uint64_t out_channels = si->channels > 2 ? 2 : si->channels;
    uint64_t limit = s->config->max_bytes * FLZ_DECODE_SOURCE_FACTOR / (out_channels * sizeof(float));
    uint64_t max_frames = si->total_samples != 0 ? si->total_samples : limit;
    pcm_init(&s->p, si->channels, si->sample_rate, max_frames, flac_layout, 0);
    s->have_info = 1;
  }
  s->result = result;
}

static FLAC__StreamDecoderWriteStatus flac_write(const FLAC__StreamDecoder *decoder,
                                                 const FLAC__Frame *frame,
                                                 const FLAC__int32 *const buffer[], void *user) {
  (void)decoder;
  flac_state *s = user;
  if (s->result != FLZ_OK) {
    return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT;
  }
  uint32_t channels = frame->header.channels;
  uint32_t bits = frame->header.bits_per_sample;
  if (!s->have_info || channels != s->info.channels || bits == 0 || bits > 32) {
    set_detail(s->detail, s->detail_size, "FLAC frame of %u channels, %u bits in a stream of %u",
               (unsigned)channels, (unsigned)bits, (unsigned)s->info.channels);
    s->result = FLZ_ERR_CORRUPT;
    return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT;
  }
  float scale = 1.0f / (float)((uint64_t)1 << (bits - 1));
  uint32_t frames = frame->header.blocksize;
  for (uint32_t done = 0; done < frames;) {
    uint32_t count = frames - done < FLZ_DECODE_BLOCK_FRAMES ? frames - done : FLZ_DECODE_BLOCK_FRAMES;
    for (uint32_t i = 0; i < count; i++) {
      for (uint32_t c = 0; c < channels; c++) {
        s->block[i * channels + c] = (float)buffer[c][done + i] * scale;
      }
    }
    int result = pcm_append(&s->p, s->block, count, s->detail, s->detail_size);
    if (result != FLZ_OK) {
      if (result == FLZ_ERR_CORRUPT && s->info.frames != 0) {
        set_detail(s->detail, s->detail_size, "more frames than STREAMINFO's %llu",
                   (unsigned long long)s->info.frames);
      }
      s->result = result;
      return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT;
    }
    done += count;
  }
  report(s->config, s->p.frames, s->info.frames);
  return FLAC__STREAM_DECODER_WRITE_STATUS_CONTINUE;
}

static void flac_error(const FLAC__StreamDecoder *decoder, FLAC__StreamDecoderErrorStatus status,
                       void *user) {
  (void)decoder;
  flac_state *s = user;
  if (s->result == FLZ_OK) {
    set_detail(s->detail, s->detail_size, "%s", FLAC__StreamDecoderErrorStatusString[status]);
    s->result = FLZ_ERR_CORRUPT;
  }
}

static int decode_flac(const unsigned char *data, size_t size, const flz_decode_config *config,
                       flz_decoded *out, flz_audio_info *info, char *detail, size_t detail_size) {
  if (size < 4 || memcmp(data, "fLaC", 4) != 0) {
    set_detail(detail, detail_size, "no fLaC signature");
    return FLZ_ERR_CORRUPT;
  }
  flac_state *s = calloc(1, sizeof *s);
  FLAC__StreamDecoder *decoder = FLAC__stream_decoder_new();
  if (s == NULL || decoder == NULL) {
    free(s);
    if (decoder != NULL) {
      FLAC__stream_decoder_delete(decoder);
    }
    set_detail(detail, detail_size, "FLAC decoder");
    return FLZ_ERR_NO_MEMORY;
  }
  s->data = data;
  s->size = size;
  s->config = config;
  s->detail = detail;
  s->detail_size = detail_size;
  int result = FLZ_OK;
  FLAC__StreamDecoderInitStatus init = FLAC__stream_decoder_init_stream(
      decoder, flac_read, NULL, NULL, NULL, NULL, flac_write, flac_metadata, flac_error, s);
  if (init != FLAC__STREAM_DECODER_INIT_STATUS_OK) {
    set_detail(detail, detail_size, "%s", FLAC__StreamDecoderInitStatusString[init]);
    result = FLZ_ERR_NO_MEMORY;
  } else {
    FLAC__bool ok = FLAC__stream_decoder_process_until_end_of_stream(decoder);
    FLAC__StreamDecoderState state = FLAC__stream_decoder_get_state(decoder);
    result = s->result;
    if (result == FLZ_OK && !s->have_info) {
      set_detail(detail, detail_size, "no STREAMINFO block");
      result = FLZ_ERR_CORRUPT;
    }
    if (result == FLZ_OK && (!ok || state != FLAC__STREAM_DECODER_END_OF_STREAM)) {
      set_detail(detail, detail_size, "%s", FLAC__StreamDecoderStateString[state]);
      result = state == FLAC__STREAM_DECODER_MEMORY_ALLOCATION_ERROR ? FLZ_ERR_NO_MEMORY
                                                                      : FLZ_ERR_CORRUPT;
    }
    if (result == FLZ_OK && s->info.frames != 0 && s->p.frames < s->info.frames) {
      set_detail(detail, detail_size, "decoded %llu of %llu frames",
                 (unsigned long long)s->p.frames, (unsigned long long)s->info.frames);
      result = s->p.frames == 0 ? FLZ_ERR_NO_AUDIO : FLZ_ERR_CORRUPT;
    }
    FLAC__stream_decoder_finish(decoder);
  }
  FLAC__stream_decoder_delete(decoder);
  *info = s->info;
  if (result == FLZ_OK) {
    info->frames = s->p.frames;
    result = pcm_finish(&s->p, s->rate_out, 0, 0, 0, out, detail, detail_size);
  }
  free(s->p.data);
  free(s);
  return result;
}

/* STREAMINFO (RFC 9639 §8.2): the first metadata block after "fLaC". */
static int probe_flac(const byte_source *src, flz_decode_estimate *e, char *detail,
                      size_t detail_size) {
  unsigned char b[4 + 4 + 34];
  if (source_read(src, 0, b, sizeof b) != (long)sizeof b || memcmp(b, "fLaC", 4) != 0 ||
      (b[4] & 0x7f) != 0 || ((uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7]) < 34) {
    set_detail(detail, detail_size, "no fLaC signature and STREAMINFO block");
    return FLZ_ERR_CORRUPT;
  }
  const unsigned char *si = b + 8;
  e->source.rate = (uint32_t)si[10] << 12 | (uint32_t)si[11] << 4 | (uint32_t)si[12] >> 4;
  e->source.channels = ((uint32_t)si[12] >> 1 & 0x07) + 1;
  e->source.frames = (uint64_t)(si[13] & 0x0f) << 32 | (uint64_t)si[14] << 24 |
                     (uint64_t)si[15] << 16 | (uint64_t)si[16] << 8 | si[17];
  e->known = e->source.frames != 0;
  return check_layout(e->source.channels, e->source.rate, detail, detail_size);
}

static int probe_ogg(const unsigned char *data, size_t size, flz_decode_estimate *e,
                     char *detail, size_t detail_size) {
  int error = VORBIS__no_error;
  int result;
  flz_vorbis handle;
  if (!vorbis_open(data, size, &handle, &error, &result, detail, detail_size)) {
    return result;
  }
  stb_vorbis *vorbis = handle.stream;
  result = vorbis_describe(vorbis, &e->source, detail, detail_size);
  e->known = 1;
  vorbis_close(&handle);
  return result;
}

/* ---- Entry points. ---- */

static int rate_ok(uint32_t rate) {
  return rate == 0 || (rate >= FLZ_DECODE_MIN_OUT_RATE && rate <= FLZ_DECODE_MAX_RATE);
}

static flz_decode_config defaults(const flz_decode_config *config) {
  flz_decode_config c = {0, 0, NULL, NULL};
  if (config != NULL) {
    c = *config;
  }
  if (c.max_bytes == 0) {
    c.max_bytes = FLZ_POOL_BYTES;
  }
  return c;
}

static void reset(flz_decoded *out, char *detail, size_t detail_size) {
  memset(out, 0, sizeof *out);
  set_detail(detail, detail_size, "%s", "");
}

int flz_decode_memory(const void *data, size_t size, flz_decode_format format,
                      const flz_decode_config *config, flz_decoded *out, flz_audio_info *source,
                      char *detail, size_t detail_size) {
  if (out == NULL) {
    set_detail(detail, detail_size, "no output");
    return FLZ_ERR_ARGUMENT;
  }
  reset(out, detail, detail_size);
  flz_decode_config c = defaults(config);
  if ((data == NULL && size > 0) || !rate_ok(c.rate)) {
    set_detail(detail, detail_size, "no data or rate %lu Hz", (unsigned long)c.rate);
    return FLZ_ERR_ARGUMENT;
  }
  flz_audio_info info = {0, 0, 0};
  int result;
  if (size == 0) {
    set_detail(detail, detail_size, "0 bytes");
    result = FLZ_ERR_EMPTY_FILE;
  } else if (size > (size_t)INT_MAX) {
    set_detail(detail, detail_size, "larger than %d bytes", INT_MAX);
    result = FLZ_ERR_UNSUPPORTED;
  } else if (format == FLZ_DECODE_WAV) {
    result = decode_wav(data, size, &c, out, &info, detail, detail_size);
  } else if (format == FLZ_DECODE_OGG) {
    result = decode_ogg(data, size, &c, out, &info, detail, detail_size);
  } else if (format == FLZ_DECODE_FLAC) {
    result = decode_flac(data, size, &c, out, &info, detail, detail_size);
  } else {
    set_detail(detail, detail_size, "not a .wav, .ogg, .oga or .flac file");
    result = FLZ_ERR_UNSUPPORTED;
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
                    flz_audio_info *source, char *detail, size_t detail_size) {
  if (source != NULL) {
    memset(source, 0, sizeof *source);
  }
  if (path == NULL || out == NULL) {
    if (out != NULL) {
      memset(out, 0, sizeof *out);
    }
    set_detail(detail, detail_size, "no path or no output");
    return FLZ_ERR_ARGUMENT;
  }
  reset(out, detail, detail_size);
  flz_decode_format format = flz_decode_format_of(path);
  if (format == FLZ_DECODE_UNKNOWN) {
    set_detail(detail, detail_size, "not a .wav, .ogg, .oga or .flac file");
    return FLZ_ERR_UNSUPPORTED;
  }
  if (config != NULL && !rate_ok(config->rate)) {
    set_detail(detail, detail_size, "rate %lu Hz", (unsigned long)config->rate);
    return FLZ_ERR_ARGUMENT;
  }
  unsigned char *data = NULL;
  size_t size = 0;
  int result = read_file(path, &data, &size, detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  result = flz_decode_memory(data, size, format, config, out, source, detail, detail_size);
  free(data);
  return result;
}

int flz_decode_file(const char *path, uint32_t rate, flz_decoded *out, flz_audio_info *source,
                    char *detail, size_t detail_size) {
  flz_decode_config config = {rate, 0, NULL, NULL};
  return flz_decode_load(path, &config, out, source, detail, detail_size);
}

/* Fills the decoded side of `e` from its source side. */
static void estimate_output(flz_decode_estimate *e, uint32_t rate) {
  uint32_t rate_out = rate == 0 ? e->source.rate : rate;
  e->channels = e->source.channels > 2 ? 2 : e->source.channels;
  e->frames = e->known ? scale_frames(e->source.frames, e->source.rate, rate_out) : 0;
}

static int probe_source(const byte_source *src, flz_decode_format format,
                        flz_decode_estimate *e, char *detail, size_t detail_size) {
  int result;
  if (format == FLZ_DECODE_WAV) {
    result = probe_wav(src, e, detail, detail_size);
  } else if (format == FLZ_DECODE_FLAC) {
    result = probe_flac(src, e, detail, detail_size);
  } else {
    set_detail(detail, detail_size, "not a .wav, .ogg, .oga or .flac file");
    result = FLZ_ERR_UNSUPPORTED;
  }
  return result;
}

static int probe_finish(int result, uint32_t rate, flz_decode_estimate *e, char *detail,
                        size_t detail_size) {
  if (result != FLZ_OK) {
    return result;
  }
  estimate_output(e, rate);
  if (e->source.frames > FLZ_DECODE_MAX_FRAMES || e->frames > FLZ_DECODE_MAX_FRAMES) {
    set_detail(detail, detail_size, "more than %llu frames",
               (unsigned long long)FLZ_DECODE_MAX_FRAMES);
    return FLZ_ERR_UNSUPPORTED;
  }
  return FLZ_OK;
}

int flz_decode_probe_memory(const void *data, size_t size, flz_decode_format format, uint32_t rate,
                            flz_decode_estimate *estimate, char *detail, size_t detail_size) {
  if (estimate == NULL || (data == NULL && size > 0) || !rate_ok(rate)) {
    set_detail(detail, detail_size, "no estimate, no data or rate %lu Hz", (unsigned long)rate);
    return FLZ_ERR_ARGUMENT;
  }
  memset(estimate, 0, sizeof *estimate);
  set_detail(detail, detail_size, "%s", "");
  if (size == 0) {
    set_detail(detail, detail_size, "0 bytes");
    return FLZ_ERR_EMPTY_FILE;
  }
  if (size > (size_t)INT_MAX) {
    set_detail(detail, detail_size, "larger than %d bytes", INT_MAX);
    return FLZ_ERR_UNSUPPORTED;
  }
  int result;
  if (format == FLZ_DECODE_OGG) {
    result = probe_ogg(data, size, estimate, detail, detail_size);
  } else {
    byte_source src = {data, -1, size};
    result = probe_source(&src, format, estimate, detail, detail_size);
  }
  return probe_finish(result, rate, estimate, detail, detail_size);
}

int flz_decode_probe(const char *path, uint32_t rate, flz_decode_estimate *estimate, char *detail,
                     size_t detail_size) {
  if (path == NULL || estimate == NULL || !rate_ok(rate)) {
    set_detail(detail, detail_size, "no path, no estimate or rate %lu Hz", (unsigned long)rate);
    return FLZ_ERR_ARGUMENT;
  }
  memset(estimate, 0, sizeof *estimate);
  set_detail(detail, detail_size, "%s", "");
  flz_decode_format format = flz_decode_format_of(path);
  if (format == FLZ_DECODE_UNKNOWN) {
    set_detail(detail, detail_size, "not a .wav, .ogg, .oga or .flac file");
    return FLZ_ERR_UNSUPPORTED;
  }
  struct stat st;
  int result = check_path(path, &st, detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  if (format == FLZ_DECODE_OGG) {
    /* stb_vorbis reads the headers and seeks to the last page; from memory,
     * so the comment header can be checked first. Ogg files are small. */
    unsigned char *data = NULL;
    size_t size = 0;
    result = read_file(path, &data, &size, detail, detail_size);
    if (result == FLZ_OK) {
      result = probe_ogg(data, size, estimate, detail, detail_size);
    }
    free(data);
    return probe_finish(result, rate, estimate, detail, detail_size);
  }
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    set_detail(detail, detail_size, "%s", strerror(errno));
    return FLZ_ERR_READ;
  }
  byte_source src = {NULL, fd, (uint64_t)st.st_size};
  result = probe_source(&src, format, estimate, detail, detail_size);
  close(fd);
  return probe_finish(result, rate, estimate, detail, detail_size);
}

void flz_decode_free(flz_decoded *decoded) {
  if (decoded == NULL) {
    return;
  }
  free(decoded->data);
  memset(decoded, 0, sizeof *decoded);
}
