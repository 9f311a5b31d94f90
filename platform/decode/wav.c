/* platform/decode/wav.c: the WAV row (.wav). SDL_LoadWAV_RW decodes PCM
 * 8/16/24/32-bit, 32-bit IEEE float, MS and IMA ADPCM, A-law and mu-law;
 * 64-bit IEEE float, which SDL 2.26 refuses, is converted here.
 *
 * Owns: the RIFF chunk walker (fmt, fact, data, smpl: the probe, the first
 * `smpl` loop, the WAVE_FORMAT_EXTENSIBLE channel mask), the WAV speaker
 * order, the mapping of SDL's WAVE errors, and the SDL WAVE hints it sets
 * once. Must not touch: files (decode.c reads them), the sample pool.
 */
#include "platform/decode/format.h"

#include "engine/result.h"

#include <SDL.h>
#include <stdlib.h>
#include <string.h>

/* Chunks of a RIFF file walked at most: a real WAV has a handful; this bounds
 * the work a file of millions of empty chunks can cause. */
#define FLZ_DECODE_WAV_MAX_CHUNKS 4096

/* WAVE format tags (RFC 2361, mmreg.h). */
#define FLZ_WAVE_PCM 0x0001
#define FLZ_WAVE_MS_ADPCM 0x0002
#define FLZ_WAVE_IEEE_FLOAT 0x0003
#define FLZ_WAVE_ALAW 0x0006
#define FLZ_WAVE_MULAW 0x0007
#define FLZ_WAVE_IMA_ADPCM 0x0011
#define FLZ_WAVE_EXTENSIBLE 0xFFFE

/* Speaker order of 3..8 channels without a channel mask, as SDL 2.26
 * documents it: 3 FL FR LFE; 4 FL FR BL BR; 5 FL FR LFE BL BR; 6 FL FR FC LFE
 * BL BR; 7 FL FR FC LFE BC SL SR; 8 FL FR FC LFE BL BR SL SR. */
static const flz_decode_layout flz_decode_wav_layout = {
  [3] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_LFE},
  [4] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_BL, FLZ_SPK_BR},
  [5] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_LFE, FLZ_SPK_BL, FLZ_SPK_BR},
  [6] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_FC, FLZ_SPK_LFE, FLZ_SPK_BL, FLZ_SPK_BR},
  [7] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_FC, FLZ_SPK_LFE, FLZ_SPK_BC, FLZ_SPK_SL, FLZ_SPK_SR},
  [8] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_FC, FLZ_SPK_LFE, FLZ_SPK_BL, FLZ_SPK_BR, FLZ_SPK_SL,
         FLZ_SPK_SR},
};

typedef struct flz_decode_wav_header {
  uint16_t tag; /* format tag; the subformat's for WAVE_FORMAT_EXTENSIBLE */
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
} flz_decode_wav_header;

static int flz_decode_wav_read_fmt(const flz_decode_source *src, uint64_t at, uint32_t size,
                                   flz_decode_wav_header *h, char *detail, size_t detail_size)
{
  unsigned char b[40];
  memset(b, 0, sizeof b);
  size_t want = size < sizeof b ? size : sizeof b;
  if (size < 16 || flz_decode_source_read(src, at, b, want) != (long)want) {
    flz_decode_detail(detail, detail_size, "fmt chunk of %u bytes", (unsigned)size);
    return FLZ_ERR_CORRUPT;
  }
  h->tag = (uint16_t)flz_decode_le16(b);
  h->channels = (uint16_t)flz_decode_le16(b + 2);
  h->rate = flz_decode_le32(b + 4);
  h->block_align = (uint16_t)flz_decode_le16(b + 12);
  h->bits = (uint16_t)flz_decode_le16(b + 14);
  if (size >= 20) {
    h->samples_per_block = (uint16_t)flz_decode_le16(b + 18);
  }
  if (h->tag == FLZ_WAVE_EXTENSIBLE) {
    /* cbSize, wValidBitsPerSample, dwChannelMask, then the subformat GUID,
     * whose first two bytes are the format tag. */
    if (size < 40) {
      flz_decode_detail(detail, detail_size, "WAVE_FORMAT_EXTENSIBLE fmt chunk of %u bytes",
                        (unsigned)size);
      return FLZ_ERR_CORRUPT;
    }
    h->mask = flz_decode_le32(b + 20);
    h->tag = (uint16_t)flz_decode_le16(b + 24);
  }
  return FLZ_OK;
}

/* Walks the RIFF chunks: fmt, fact, data and smpl. */
static int flz_decode_wav_parse(const flz_decode_source *src, flz_decode_wav_header *h,
                                char *detail, size_t detail_size)
{
  memset(h, 0, sizeof *h);
  unsigned char b[12];
  if (flz_decode_source_read(src, 0, b, 12) != 12 || memcmp(b, "RIFF", 4) != 0 ||
      memcmp(b + 8, "WAVE", 4) != 0) {
    flz_decode_detail(detail, detail_size, "not a RIFF WAVE file");
    return FLZ_ERR_CORRUPT;
  }
  int has_fmt = 0;
  uint64_t at = 12;
  for (int chunk = 0; chunk < FLZ_DECODE_WAV_MAX_CHUNKS && at + 8 <= src->size; chunk++) {
    if (flz_decode_source_read(src, at, b, 8) != 8) {
      flz_decode_detail(detail, detail_size, "cannot read the chunk at byte %llu",
                        (unsigned long long)at);
      return FLZ_ERR_READ;
    }
    uint32_t size = flz_decode_le32(b + 4);
    uint64_t body = at + 8;
    if (memcmp(b, "fmt ", 4) == 0 && !has_fmt) {
      int result = flz_decode_wav_read_fmt(src, body, size, h, detail, detail_size);
      if (result != FLZ_OK) {
        return result;
      }
      has_fmt = 1;
    } else if (memcmp(b, "fact", 4) == 0 && size >= 4) {
      unsigned char f[4];
      if (flz_decode_source_read(src, body, f, 4) == 4) {
        h->has_fact = 1;
        h->fact_frames = flz_decode_le32(f);
      }
    } else if (memcmp(b, "data", 4) == 0 && !h->has_data) {
      if (!has_fmt) {
        flz_decode_detail(detail, detail_size, "data chunk before the fmt chunk");
        return FLZ_ERR_CORRUPT;
      }
      if (body + size > src->size) {
        flz_decode_detail(detail, detail_size,
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
      if (flz_decode_source_read(src, body, s, 60) == 60 && flz_decode_le32(s + 28) > 0) {
        h->has_loop = 1;
        h->loop_first = flz_decode_le32(s + 36 + 8);
        h->loop_last = flz_decode_le32(s + 36 + 12);
      }
    }
    at = body + size + (size & 1u);
  }
  if (!has_fmt || !h->has_data) {
    flz_decode_detail(detail, detail_size, "no %s chunk", has_fmt ? "data" : "fmt");
    return FLZ_ERR_CORRUPT;
  }
  return flz_decode_pcm_check_layout(h->channels, h->rate, detail, detail_size);
}

/* Source frames the WAV holds by its header (an upper bound for ADPCM
 * without a fact chunk); FLZ_ERR_UNSUPPORTED for encodings Flitz lacks. */
static int flz_decode_wav_frames(const flz_decode_wav_header *h, uint64_t *frames, char *detail,
                                 size_t detail_size)
{
  switch (h->tag) {
  case FLZ_WAVE_PCM:
  case FLZ_WAVE_IEEE_FLOAT:
  case FLZ_WAVE_ALAW:
  case FLZ_WAVE_MULAW:
    if (h->block_align == 0 || h->bits == 0 || h->bits % 8 != 0 || h->bits > 64 ||
        h->block_align != (uint32_t)h->channels * h->bits / 8) {
      flz_decode_detail(detail, detail_size, "%u-bit samples in blocks of %u bytes",
                        (unsigned)h->bits, (unsigned)h->block_align);
      return h->bits > 64 || h->bits % 8 != 0 ? FLZ_ERR_UNSUPPORTED : FLZ_ERR_CORRUPT;
    }
    *frames = h->data_size / h->block_align;
    return FLZ_OK;
  case FLZ_WAVE_MS_ADPCM:
  case FLZ_WAVE_IMA_ADPCM: {
    if (h->block_align == 0 || h->samples_per_block == 0) {
      flz_decode_detail(detail, detail_size, "ADPCM blocks of %u bytes, %u frames",
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
    flz_decode_detail(detail, detail_size, "WAVE format tag 0x%04x is not decoded",
                      (unsigned)h->tag);
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
static void flz_decode_wav_prepare(void)
{
  SDL_SetHintWithPriority(SDL_HINT_WAVE_TRUNCATION, "strict", SDL_HINT_OVERRIDE);
  SDL_SetHintWithPriority(SDL_HINT_WAVE_FACT_CHUNK, "ignorezero", SDL_HINT_OVERRIDE);
}

/* FLZ_ERR_UNSUPPORTED for the encodings and layouts SDL refuses (its messages
 * say "not supported" or "Unknown WAVE format"), FLZ_ERR_NO_MEMORY for its
 * allocation failures, FLZ_ERR_CORRUPT for every malformed file. */
static int flz_decode_wav_error(const char *message)
{
  if (strstr(message, "not supported") != NULL || strstr(message, "Unknown WAVE format") != NULL) {
    return FLZ_ERR_UNSUPPORTED;
  }
  if (strstr(message, "Out of memory") != NULL) {
    return FLZ_ERR_NO_MEMORY;
  }
  return FLZ_ERR_CORRUPT;
}

/* Decodes the data chunk through SDL_LoadWAV_RW into `p`, checking that SDL
 * read what the header says; sets info->frames to the frames SDL gave. */
static int flz_decode_wav_sdl(const unsigned char *data, size_t size,
                              const flz_decode_wav_header *h, uint64_t frames, flz_decode_pcm *p,
                              flz_audio_info *info, char *detail, size_t detail_size)
{
  flz_decode_prepare();
  SDL_RWops *rw = SDL_RWFromConstMem(data, (int)size);
  if (rw == NULL) {
    flz_decode_detail(detail, detail_size, "%s", SDL_GetError());
    return FLZ_ERR_NO_MEMORY;
  }
  SDL_AudioSpec spec;
  Uint8 *samples = NULL;
  Uint32 sample_bytes = 0;
  if (SDL_LoadWAV_RW(rw, 1, &spec, &samples, &sample_bytes) == NULL) {
    const char *message = SDL_GetError();
    flz_decode_detail(detail, detail_size, "%s", message);
    return flz_decode_wav_error(message);
  }
  int result;
  uint32_t frame_bytes = (uint32_t)SDL_AUDIO_BITSIZE(spec.format) / 8 * spec.channels;
  uint64_t got = frame_bytes == 0 ? 0 : sample_bytes / frame_bytes;
  if (spec.channels != h->channels || (uint32_t)spec.freq != h->rate || got > frames) {
    flz_decode_detail(detail, detail_size,
                      "SDL read %llu frames x %u at %d Hz, the header says %llu x %u at %u",
                      (unsigned long long)got, (unsigned)spec.channels, spec.freq,
                      (unsigned long long)frames, (unsigned)h->channels, (unsigned)h->rate);
    result = FLZ_ERR_CORRUPT;
  } else {
    info->frames = got;
    result = flz_decode_pcm_append_samples(p, samples, got, spec.format, detail, detail_size);
  }
  SDL_FreeWAV(samples);
  return result;
}

/* Decodes a RIFF WAVE file: SDL_LoadWAV_RW for the encodings SDL knows, 64-bit
 * float here; keeps the first `smpl` loop, downmixes and converts the rate. */
static int flz_decode_wav_decode(const unsigned char *data, size_t size,
                                 const flz_decode_config *config, flz_decoded *out,
                                 flz_audio_info *info, char *detail, size_t detail_size)
{
  flz_decode_source src = {data, -1, size};
  flz_decode_wav_header h;
  int result = flz_decode_wav_parse(&src, &h, detail, detail_size);
  uint64_t frames = 0;
  if (result == FLZ_OK) {
    result = flz_decode_wav_frames(&h, &frames, detail, detail_size);
  }
  info->channels = h.channels;
  info->rate = h.rate;
  info->frames = frames;
  if (result != FLZ_OK) {
    return result;
  }
  uint32_t rate_out = config->rate == 0 ? h.rate : config->rate;
  result = flz_decode_pcm_check_size(frames, h.channels, h.rate, rate_out, config->max_bytes,
                                     detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  if (frames == 0) {
    flz_decode_detail(detail, detail_size, "data chunk holds 0 frames");
    return FLZ_ERR_NO_AUDIO;
  }
  flz_decode_pcm p;
  flz_decode_pcm_init(&p, h.channels, h.rate, frames, flz_decode_wav_layout, h.mask);
  result = flz_decode_pcm_reserve(&p, frames, detail, detail_size);
  if (result == FLZ_OK && h.tag == FLZ_WAVE_IEEE_FLOAT && h.bits == 64) {
    /* SDL 2.26 refuses 64-bit float ("not supported"): converted here. */
    result = flz_decode_pcm_append_samples(&p, data + h.data_offset, frames, 0, detail,
                                           detail_size);
  } else if (result == FLZ_OK) {
    result = flz_decode_wav_sdl(data, size, &h, frames, &p, info, detail, detail_size);
  }
  if (result == FLZ_OK) {
    flz_decode_pcm_report(config, p.frames, frames);
    result = flz_decode_pcm_finish(&p, rate_out, h.has_loop, h.loop_first, h.loop_last, out, detail,
                                   detail_size);
  }
  free(p.data);
  return result;
}

/* Reads a WAV's chunk list without decoding: channels, rate and the frame
 * count of the fmt, fact and data chunks. */
static int flz_decode_wav_probe(const flz_decode_source *src, flz_decode_estimate *e, char *detail,
                                size_t detail_size)
{
  flz_decode_wav_header h;
  int result = flz_decode_wav_parse(src, &h, detail, detail_size);
  uint64_t frames = 0;
  if (result == FLZ_OK) {
    result = flz_decode_wav_frames(&h, &frames, detail, detail_size);
  }
  e->source.frames = frames;
  e->source.channels = h.channels;
  e->source.rate = h.rate;
  e->known = 1;
  if (result == FLZ_OK && frames == 0) {
    flz_decode_detail(detail, detail_size, "data chunk holds 0 frames");
    result = FLZ_ERR_NO_AUDIO;
  }
  return result;
}

static const char *const flz_decode_wav_extensions[] = {".wav", NULL};

const flz_decode_row flz_decode_wav_row = {
  .format = FLZ_DECODE_WAV,
  .name = "WAV",
  .extensions = flz_decode_wav_extensions,
  .flags = 0,
  .probe = flz_decode_wav_probe,
  .decode = flz_decode_wav_decode,
  .prepare = flz_decode_wav_prepare,
};
