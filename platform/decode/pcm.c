/* platform/decode/pcm.c: the PCM work every decoder shares: size and layout
 * limits, sample conversion to float, the downmix of 3 to 8 channels to
 * stereo, the growing source buffer and the rate conversion.
 *
 * Owns: the downmix coefficients, the resampler and the process-wide SDL
 * audio start it needs (flz_decode_pcm_start). Must not touch: files, the
 * formats' headers, the sample pool, the engine.
 *
 * Downmix: ITU-R BS.775 Table 2's 3/2 to 2/0 downmix, extended to the other
 * speakers, every coefficient divided by the larger of the two sides' sums
 * (decode.h lists the gains).
 *
 * Rate conversion is SDL_AudioStream's, with two facts of SDL 2.26 minded:
 * its resampler restarts its output clock on every SDL_AudioStreamPut, so a
 * file goes in with one put (blocks would jump in phase at every boundary);
 * and its own resampler reaches only about 61 dB SNR on a 1 kHz sine at 44.1
 * to 48 kHz, while its libsamplerate mode (SDL_HINT_AUDIO_RESAMPLING_MODE
 * "medium": libsamplerate's SRC_SINC_MEDIUM_QUALITY) passes the 80 dB that
 * tests/platform/test_decode.c asserts. SDL loads libsamplerate when its
 * audio subsystem starts, so the first conversion starts that subsystem once
 * for the life of the process (quit again at exit); where it cannot start (no
 * audio driver at all), SDL's own resampler is what remains.
 */
#include "platform/decode/format.h"

#include "engine/result.h"
#include "platform/alsa_quiet.h"

#include <SDL.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 1/sqrt(2): the downmix gain of a centre or surround speaker, -3 dB. */
#define FLZ_DECODE_PCM_G 0.70710678118654752

/* Gain of each speaker into the left and right output (decode.h). */
static const double flz_decode_pcm_gain[FLZ_SPK_COUNT][2] = {
  [FLZ_SPK_FL] = {1.0, 0.0},
  [FLZ_SPK_FR] = {0.0, 1.0},
  [FLZ_SPK_FC] = {FLZ_DECODE_PCM_G, FLZ_DECODE_PCM_G},
  [FLZ_SPK_LFE] = {0.0, 0.0},
  [FLZ_SPK_BL] = {FLZ_DECODE_PCM_G, 0.0},
  [FLZ_SPK_BR] = {0.0, FLZ_DECODE_PCM_G},
  [FLZ_SPK_FLC] = {1.0, 0.0},
  [FLZ_SPK_FRC] = {0.0, 1.0},
  [FLZ_SPK_BC] = {0.5, 0.5},
  [FLZ_SPK_SL] = {FLZ_DECODE_PCM_G, 0.0},
  [FLZ_SPK_SR] = {0.0, FLZ_DECODE_PCM_G},
  [FLZ_SPK_TC] = {FLZ_DECODE_PCM_G, FLZ_DECODE_PCM_G},
  [FLZ_SPK_TFL] = {FLZ_DECODE_PCM_G, 0.0},
  [FLZ_SPK_TFC] = {FLZ_DECODE_PCM_G, FLZ_DECODE_PCM_G},
  [FLZ_SPK_TFR] = {0.0, FLZ_DECODE_PCM_G},
  [FLZ_SPK_TBL] = {FLZ_DECODE_PCM_G, 0.0},
  [FLZ_SPK_TBC] = {0.5, 0.5},
  [FLZ_SPK_TBR] = {0.0, FLZ_DECODE_PCM_G},
};

static double flz_decode_pcm_mib(uint64_t bytes)
{
  return (double)bytes / (1024.0 * 1024.0);
}

uint64_t flz_decode_pcm_scale_frames(uint64_t frames, uint32_t rate_in, uint32_t rate_out)
{
  if (rate_in == rate_out) {
    return frames;
  }
  return (frames * rate_out + rate_in / 2) / rate_in;
}

int flz_decode_pcm_check_layout(uint32_t channels, uint32_t rate, char *detail, size_t detail_size)
{
  if (channels == 0 || rate == 0) {
    flz_decode_detail(detail, detail_size, "%u channels at %u Hz", (unsigned)channels,
                      (unsigned)rate);
    return FLZ_ERR_CORRUPT;
  }
  if (channels > FLZ_DECODE_MAX_CHANNELS) {
    flz_decode_detail(detail, detail_size, "%u channels (Flitz downmixes at most %u)",
                      (unsigned)channels, FLZ_DECODE_MAX_CHANNELS);
    return FLZ_ERR_UNSUPPORTED;
  }
  if (rate > FLZ_DECODE_MAX_RATE) {
    flz_decode_detail(detail, detail_size, "%u Hz (at most %u)", (unsigned)rate,
                      FLZ_DECODE_MAX_RATE);
    return FLZ_ERR_UNSUPPORTED;
  }
  return FLZ_OK;
}

int flz_decode_pcm_check_size(uint64_t frames, uint32_t channels, uint32_t rate_in,
                              uint32_t rate_out, uint64_t max_bytes, char *detail,
                              size_t detail_size)
{
  uint32_t out_channels = channels > 2 ? 2 : channels;
  uint64_t out_frames = flz_decode_pcm_scale_frames(frames, rate_in, rate_out);
  if (frames > FLZ_DECODE_MAX_FRAMES || out_frames > FLZ_DECODE_MAX_FRAMES) {
    flz_decode_detail(detail, detail_size, "more than %llu frames",
                      (unsigned long long)FLZ_DECODE_MAX_FRAMES);
    return FLZ_ERR_UNSUPPORTED;
  }
  uint64_t bytes = out_frames * out_channels * sizeof(float);
  if (bytes > max_bytes) {
    flz_decode_detail(detail, detail_size, "needs %.1f MiB, the sample pool holds %.1f MiB",
                      flz_decode_pcm_mib(bytes), flz_decode_pcm_mib(max_bytes));
    return FLZ_ERR_POOL_FULL;
  }
  uint64_t source_bytes = frames * out_channels * sizeof(float);
  if (source_bytes > max_bytes * FLZ_DECODE_SOURCE_FACTOR) {
    flz_decode_detail(detail, detail_size,
                      "source needs %.1f MiB, more than %u times the sample pool",
                      flz_decode_pcm_mib(source_bytes), FLZ_DECODE_SOURCE_FACTOR);
    return FLZ_ERR_POOL_FULL;
  }
  return FLZ_OK;
}

static int flz_decode_pcm_popcount(uint32_t v)
{
  int n = 0;
  for (; v != 0; v &= v - 1) {
    n++;
  }
  return n;
}

void flz_decode_pcm_init(flz_decode_pcm *p, uint32_t channels, uint32_t rate, uint64_t max_frames,
                         const flz_decode_layout layout, uint32_t mask)
{
  memset(p, 0, sizeof *p);
  p->channels_in = channels;
  p->channels = channels > 2 ? 2 : channels;
  p->rate = rate;
  p->max_frames = max_frames;
  if (channels <= 2) {
    return;
  }
  unsigned char speakers[FLZ_DECODE_MAX_CHANNELS];
  if (mask != 0 && (mask >> FLZ_SPK_COUNT) == 0 && flz_decode_pcm_popcount(mask) == (int)channels) {
    uint32_t c = 0;
    for (uint32_t bit = 0; bit < FLZ_SPK_COUNT; bit++) {
      if (mask & (1u << bit)) {
        speakers[c++] = (unsigned char)bit;
      }
    }
  } else {
    memcpy(speakers, layout[channels], sizeof speakers);
  }
  double sum[2] = {0.0, 0.0};
  for (uint32_t c = 0; c < channels; c++) {
    sum[0] += flz_decode_pcm_gain[speakers[c]][0];
    sum[1] += flz_decode_pcm_gain[speakers[c]][1];
  }
  double norm = sum[0] > sum[1] ? sum[0] : sum[1];
  if (norm <= 0.0) {
    norm = 1.0;
  }
  for (uint32_t c = 0; c < channels; c++) {
    p->matrix[c][0] = (float)(flz_decode_pcm_gain[speakers[c]][0] / norm);
    p->matrix[c][1] = (float)(flz_decode_pcm_gain[speakers[c]][1] / norm);
  }
}

int flz_decode_pcm_reserve(flz_decode_pcm *p, uint64_t frames, char *detail, size_t detail_size)
{
  if (frames <= p->capacity) {
    return FLZ_OK;
  }
  if (frames > p->max_frames) {
    flz_decode_detail(detail, detail_size, "more frames than %llu",
                      (unsigned long long)p->max_frames);
    return FLZ_ERR_CORRUPT;
  }
  uint64_t grown = p->capacity * 2 > frames ? p->capacity * 2 : frames;
  if (grown > p->max_frames) {
    grown = p->max_frames;
  }
  size_t frame_bytes = p->channels * sizeof(float);
  if (grown > SIZE_MAX / frame_bytes) {
    flz_decode_detail(detail, detail_size, "%llu frames", (unsigned long long)grown);
    return FLZ_ERR_NO_MEMORY;
  }
  float *bigger = realloc(p->data, (size_t)grown * frame_bytes);
  if (bigger == NULL) {
    flz_decode_detail(detail, detail_size, "%llu frames", (unsigned long long)grown);
    return FLZ_ERR_NO_MEMORY;
  }
  p->data = bigger;
  p->capacity = grown;
  return FLZ_OK;
}

int flz_decode_pcm_append(flz_decode_pcm *p, const float *in, uint64_t frames, char *detail,
                          size_t detail_size)
{
  int result = flz_decode_pcm_reserve(p, p->frames + frames, detail, detail_size);
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

/* Converts `count` samples at `at` (see flz_decode_pcm_append_samples) into
 * floats. */
static void flz_decode_pcm_to_float(const unsigned char *at, size_t count, SDL_AudioFormat format,
                                    float *block)
{
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

int flz_decode_pcm_append_samples(flz_decode_pcm *p, const unsigned char *bytes, uint64_t frames,
                                  uint16_t sdl_format, char *detail, size_t detail_size)
{
  float block[FLZ_DECODE_BLOCK_FRAMES * FLZ_DECODE_MAX_CHANNELS];
  uint32_t n = p->channels_in;
  size_t sample_bytes = sdl_format == 0 ? 8 : (size_t)SDL_AUDIO_BITSIZE(sdl_format) / 8;
  for (uint64_t done = 0; done < frames;) {
    uint64_t count = frames - done < FLZ_DECODE_BLOCK_FRAMES ? frames - done
                                                             : FLZ_DECODE_BLOCK_FRAMES;
    flz_decode_pcm_to_float(bytes + done * n * sample_bytes, (size_t)count * n, sdl_format, block);
    int result = flz_decode_pcm_append(p, block, count, detail, detail_size);
    if (result != FLZ_OK) {
      return result;
    }
    done += count;
  }
  return FLZ_OK;
}

/* ---- The resampler: SDL_AudioStream. ---- */

static void flz_decode_pcm_sdl_audio_quit(void)
{
  SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

/* Starts SDL's audio subsystem (which loads libsamplerate) and asks for its
 * libsamplerate mode; kept for the life of the process. A failure leaves
 * SDL's own resampler. */
void flz_decode_pcm_start(void)
{
  SDL_SetHintWithPriority(SDL_HINT_AUDIO_RESAMPLING_MODE, "medium", SDL_HINT_OVERRIDE);
  flz_alsa_quiet();
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) == 0) {
    atexit(flz_decode_pcm_sdl_audio_quit); /* hands SDL's memory back at exit */
  }
}

/* Converts `in` (frames_in frames of `channels` 1 or 2, at rate_in) into
 * `out` (frames_out frames at rate_out) with one SDL_AudioStream. SDL keeps
 * back the last frames until it sees what follows them: silence is fed after
 * the file until frames_out frames came out (frames after the end count as
 * silence), and any surplus is dropped. */
static int flz_decode_pcm_resample(const float *in, uint64_t frames_in, uint32_t channels,
                                   uint32_t rate_in, uint32_t rate_out, float *out,
                                   uint64_t frames_out, char *detail, size_t detail_size)
{
  size_t frame_bytes = channels * sizeof(float);
  if (frames_in > (uint64_t)INT_MAX / frame_bytes || frames_out > (uint64_t)INT_MAX / frame_bytes) {
    flz_decode_detail(detail, detail_size, "%llu frames are too many to convert at once",
                      (unsigned long long)frames_in);
    return FLZ_ERR_POOL_FULL;
  }
  flz_decode_prepare();
  SDL_AudioStream *stream = SDL_NewAudioStream(AUDIO_F32SYS, (Uint8)channels, (int)rate_in,
                                               AUDIO_F32SYS, (Uint8)channels, (int)rate_out);
  if (stream == NULL) {
    flz_decode_detail(detail, detail_size, "SDL_NewAudioStream: %s", SDL_GetError());
    return FLZ_ERR_NO_MEMORY;
  }
  int result = FLZ_OK;
  if (SDL_AudioStreamPut(stream, in, (int)(frames_in * frame_bytes)) != 0) {
    flz_decode_detail(detail, detail_size, "SDL_AudioStreamPut: %s", SDL_GetError());
    result = FLZ_ERR_NO_MEMORY;
  }
  static const float silence[2 * 1024];
  uint64_t got = 0;
  for (int pass = 0; result == FLZ_OK && got < frames_out; pass++) {
    int n = SDL_AudioStreamGet(stream, (unsigned char *)out + got * frame_bytes,
                               (int)((frames_out - got) * frame_bytes));
    if (n < 0) {
      flz_decode_detail(detail, detail_size, "SDL_AudioStreamGet: %s", SDL_GetError());
      result = FLZ_ERR_NO_MEMORY;
      break;
    }
    got += (uint64_t)n / frame_bytes;
    if (got >= frames_out) {
      break;
    }
    if (pass > 64) { /* 64 blocks of silence is far past any filter's reach */
      memset((unsigned char *)out + got * frame_bytes, 0, (frames_out - got) * frame_bytes);
      got = frames_out;
      break;
    }
    if (SDL_AudioStreamPut(stream, silence, (int)(1024 * frame_bytes)) != 0) {
      flz_decode_detail(detail, detail_size, "SDL_AudioStreamPut: %s", SDL_GetError());
      result = FLZ_ERR_NO_MEMORY;
    }
  }
  SDL_FreeAudioStream(stream);
  return result;
}

int flz_decode_pcm_finish(flz_decode_pcm *p, uint32_t rate_out, int has_loop, uint64_t loop_first,
                          uint64_t loop_last, flz_decoded *out, char *detail, size_t detail_size)
{
  if (p->frames == 0) {
    flz_decode_detail(detail, detail_size, "0 frames of audio");
    return FLZ_ERR_NO_AUDIO;
  }
  uint64_t target = flz_decode_pcm_scale_frames(p->frames, p->rate, rate_out);
  if (target == 0) {
    flz_decode_detail(detail, detail_size, "0 frames after conversion to %u Hz",
                      (unsigned)rate_out);
    return FLZ_ERR_NO_AUDIO;
  }
  float *data;
  if (rate_out == p->rate) {
    data = p->data;
    p->data = NULL;
  } else {
    data = malloc((size_t)target * p->channels * sizeof(float));
    if (data == NULL) {
      flz_decode_detail(detail, detail_size, "%llu frames", (unsigned long long)target);
      return FLZ_ERR_NO_MEMORY;
    }
    int result = flz_decode_pcm_resample(p->data, p->frames, p->channels, p->rate, rate_out, data,
                                         target, detail, detail_size);
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
    uint64_t start = flz_decode_pcm_scale_frames(loop_first, p->rate, rate_out);
    uint64_t end = flz_decode_pcm_scale_frames(loop_last + 1, p->rate, rate_out);
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

void flz_decode_pcm_report(const flz_decode_config *config, uint64_t done, uint64_t total)
{
  if (config->progress != NULL) {
    config->progress(config->user, done, total);
  }
}
