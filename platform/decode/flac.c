/* platform/decode/flac.c: the FLAC row (.flac), native FLAC streams decoded
 * by libFLAC's stream decoder from memory.
 *
 * Owns: libFLAC's callbacks, the STREAMINFO probe, the FLAC speaker order and
 * the mapping of libFLAC's errors. Must not touch: files (decode.c reads
 * them), the sample pool.
 */
#include "platform/decode/format.h"

#include "engine/result.h"

#include <FLAC/stream_decoder.h>
#include <stdlib.h>
#include <string.h>

/* Speaker order of 3..8 channels, as the FLAC format specification (RFC 9639,
 * the frame header's channel bits) gives it: 3 L R C; 5 FL FR C BL BR; 4, 6,
 * 7 and 8 as WAV. */
static const flz_decode_layout flz_decode_flac_layout = {
  [3] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_FC},
  [4] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_BL, FLZ_SPK_BR},
  [5] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_FC, FLZ_SPK_BL, FLZ_SPK_BR},
  [6] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_FC, FLZ_SPK_LFE, FLZ_SPK_BL, FLZ_SPK_BR},
  [7] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_FC, FLZ_SPK_LFE, FLZ_SPK_BC, FLZ_SPK_SL, FLZ_SPK_SR},
  [8] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_FC, FLZ_SPK_LFE, FLZ_SPK_BL, FLZ_SPK_BR, FLZ_SPK_SL,
         FLZ_SPK_SR},
};

/* What libFLAC's callbacks share with the decode. */
typedef struct flz_decode_flac_state {
  const unsigned char *data;
  size_t size;
  size_t at;
  const flz_decode_config *config;
  int have_info;
  flz_audio_info info;
  uint32_t bits;
  uint32_t rate_out;
  flz_decode_pcm p;
  int result; /* first error of a callback */
  char *detail;
  size_t detail_size;
  float block[FLZ_DECODE_BLOCK_FRAMES * FLZ_DECODE_MAX_CHANNELS];
} flz_decode_flac_state;

static FLAC__StreamDecoderReadStatus flz_decode_flac_read(const FLAC__StreamDecoder *decoder,
                                                          FLAC__byte buffer[], size_t *bytes,
                                                          void *user)
{
  (void)decoder;
  flz_decode_flac_state *s = user;
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

static void flz_decode_flac_metadata(const FLAC__StreamDecoder *decoder,
                                     const FLAC__StreamMetadata *metadata, void *user)
{
  (void)decoder;
  flz_decode_flac_state *s = user;
  if (metadata->type != FLAC__METADATA_TYPE_STREAMINFO || s->have_info) {
    return;
  }
  const FLAC__StreamMetadata_StreamInfo *si = &metadata->data.stream_info;
  s->info.channels = si->channels;
  s->info.rate = si->sample_rate;
  s->info.frames = si->total_samples;
  s->bits = si->bits_per_sample;
  s->rate_out = s->config->rate == 0 ? si->sample_rate : s->config->rate;
  int result = flz_decode_pcm_check_layout(si->channels, si->sample_rate, s->detail,
                                           s->detail_size);
  if (result == FLZ_OK) {
    result = flz_decode_pcm_check_size(si->total_samples, si->channels, si->sample_rate,
                                       s->rate_out, s->config->max_bytes, s->detail,
                                       s->detail_size);
  }
  if (result == FLZ_OK) {
    /* No length in STREAMINFO: the source may grow as far as max_bytes
     * allows (flz_decode_pcm_check_size's limit). */
    uint64_t out_channels = si->channels > 2 ? 2 : si->channels;
    uint64_t limit = s->config->max_bytes * FLZ_DECODE_SOURCE_FACTOR /
                     (out_channels * sizeof(float));
    uint64_t max_frames = si->total_samples != 0 ? si->total_samples : limit;
    flz_decode_pcm_init(&s->p, si->channels, si->sample_rate, max_frames, flz_decode_flac_layout,
                        0);
    s->have_info = 1;
  }
  s->result = result;
}

static FLAC__StreamDecoderWriteStatus flz_decode_flac_write(const FLAC__StreamDecoder *decoder,
                                                            const FLAC__Frame *frame,
                                                            const FLAC__int32 *const buffer[],
                                                            void *user)
{
  (void)decoder;
  flz_decode_flac_state *s = user;
  if (s->result != FLZ_OK) {
    return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT;
  }
  uint32_t channels = frame->header.channels;
  uint32_t bits = frame->header.bits_per_sample;
  if (!s->have_info || channels != s->info.channels || bits == 0 || bits > 32) {
    flz_decode_detail(s->detail, s->detail_size,
                      "FLAC frame of %u channels, %u bits in a stream of %u", (unsigned)channels,
                      (unsigned)bits, (unsigned)s->info.channels);
    s->result = FLZ_ERR_CORRUPT;
    return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT;
  }
  float scale = 1.0f / (float)((uint64_t)1 << (bits - 1));
  uint32_t frames = frame->header.blocksize;
  for (uint32_t done = 0; done < frames;) {
    uint32_t count = frames - done < FLZ_DECODE_BLOCK_FRAMES ? frames - done
                                                             : FLZ_DECODE_BLOCK_FRAMES;
    for (uint32_t i = 0; i < count; i++) {
      for (uint32_t c = 0; c < channels; c++) {
        s->block[i * channels + c] = (float)buffer[c][done + i] * scale;
      }
    }
    int result = flz_decode_pcm_append(&s->p, s->block, count, s->detail, s->detail_size);
    if (result != FLZ_OK) {
      if (result == FLZ_ERR_CORRUPT && s->info.frames != 0) {
        flz_decode_detail(s->detail, s->detail_size, "more frames than STREAMINFO's %llu",
                          (unsigned long long)s->info.frames);
      }
      s->result = result;
      return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT;
    }
    done += count;
  }
  flz_decode_pcm_report(s->config, s->p.frames, s->info.frames);
  return FLAC__STREAM_DECODER_WRITE_STATUS_CONTINUE;
}

static void flz_decode_flac_error(const FLAC__StreamDecoder *decoder,
                                  FLAC__StreamDecoderErrorStatus status, void *user)
{
  (void)decoder;
  flz_decode_flac_state *s = user;
  if (s->result == FLZ_OK) {
    flz_decode_detail(s->detail, s->detail_size, "%s",
                      FLAC__StreamDecoderErrorStatusString[status]);
    s->result = FLZ_ERR_CORRUPT;
  }
}

/* Decodes a native FLAC stream with libFLAC, integers of b bits to v / 2^(b-1);
 * a stream shorter than its STREAMINFO length is corrupt. */
static int flz_decode_flac_decode(const unsigned char *data, size_t size,
                                  const flz_decode_config *config, flz_decoded *out,
                                  flz_audio_info *info, char *detail, size_t detail_size)
{
  if (size < 4 || memcmp(data, "fLaC", 4) != 0) {
    flz_decode_detail(detail, detail_size, "no fLaC signature");
    return FLZ_ERR_CORRUPT;
  }
  flz_decode_flac_state *s = calloc(1, sizeof *s);
  FLAC__StreamDecoder *decoder = FLAC__stream_decoder_new();
  if (s == NULL || decoder == NULL) {
    free(s);
    if (decoder != NULL) {
      FLAC__stream_decoder_delete(decoder);
    }
    flz_decode_detail(detail, detail_size, "FLAC decoder");
    return FLZ_ERR_NO_MEMORY;
  }
  s->data = data;
  s->size = size;
  s->config = config;
  s->detail = detail;
  s->detail_size = detail_size;
  int result = FLZ_OK;
  FLAC__StreamDecoderInitStatus init = FLAC__stream_decoder_init_stream(
    decoder, flz_decode_flac_read, NULL, NULL, NULL, NULL, flz_decode_flac_write,
    flz_decode_flac_metadata, flz_decode_flac_error, s);
  if (init != FLAC__STREAM_DECODER_INIT_STATUS_OK) {
    flz_decode_detail(detail, detail_size, "%s", FLAC__StreamDecoderInitStatusString[init]);
    result = FLZ_ERR_NO_MEMORY;
  } else {
    FLAC__bool ok = FLAC__stream_decoder_process_until_end_of_stream(decoder);
    FLAC__StreamDecoderState state = FLAC__stream_decoder_get_state(decoder);
    result = s->result;
    if (result == FLZ_OK && !s->have_info) {
      flz_decode_detail(detail, detail_size, "no STREAMINFO block");
      result = FLZ_ERR_CORRUPT;
    }
    if (result == FLZ_OK && (!ok || state != FLAC__STREAM_DECODER_END_OF_STREAM)) {
      flz_decode_detail(detail, detail_size, "%s", FLAC__StreamDecoderStateString[state]);
      result = state == FLAC__STREAM_DECODER_MEMORY_ALLOCATION_ERROR ? FLZ_ERR_NO_MEMORY
                                                                     : FLZ_ERR_CORRUPT;
    }
    if (result == FLZ_OK && s->info.frames != 0 && s->p.frames < s->info.frames) {
      flz_decode_detail(detail, detail_size, "decoded %llu of %llu frames",
                        (unsigned long long)s->p.frames, (unsigned long long)s->info.frames);
      result = s->p.frames == 0 ? FLZ_ERR_NO_AUDIO : FLZ_ERR_CORRUPT;
    }
    FLAC__stream_decoder_finish(decoder);
  }
  FLAC__stream_decoder_delete(decoder);
  *info = s->info;
  if (result == FLZ_OK) {
    info->frames = s->p.frames;
    result = flz_decode_pcm_finish(&s->p, s->rate_out, 0, 0, 0, out, detail, detail_size);
  }
  free(s->p.data);
  free(s);
  return result;
}

/* Reads STREAMINFO (RFC 9639 §8.2), the first metadata block after "fLaC":
 * channels, rate and the frame count (0: unknown until decoded). */
static int flz_decode_flac_probe(const flz_decode_source *src, flz_decode_estimate *e, char *detail,
                                 size_t detail_size)
{
  unsigned char b[4 + 4 + 34];
  if (flz_decode_source_read(src, 0, b, sizeof b) != (long)sizeof b || memcmp(b, "fLaC", 4) != 0 ||
      (b[4] & 0x7f) != 0 || ((uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7]) < 34) {
    flz_decode_detail(detail, detail_size, "no fLaC signature and STREAMINFO block");
    return FLZ_ERR_CORRUPT;
  }
  const unsigned char *si = b + 8;
  e->source.rate = (uint32_t)si[10] << 12 | (uint32_t)si[11] << 4 | (uint32_t)si[12] >> 4;
  e->source.channels = ((uint32_t)si[12] >> 1 & 0x07) + 1;
  e->source.frames = (uint64_t)(si[13] & 0x0f) << 32 | (uint64_t)si[14] << 24 |
                     (uint64_t)si[15] << 16 | (uint64_t)si[16] << 8 | si[17];
  e->known = e->source.frames != 0;
  return flz_decode_pcm_check_layout(e->source.channels, e->source.rate, detail, detail_size);
}

static const char *const flz_decode_flac_extensions[] = {".flac", NULL};

const flz_decode_row flz_decode_flac_row = {
  .format = FLZ_DECODE_FLAC,
  .name = "FLAC",
  .extensions = flz_decode_flac_extensions,
  .flags = 0,
  .probe = flz_decode_flac_probe,
  .decode = flz_decode_flac_decode,
};
