/* platform/decode/aiff.c: the AIFF row (.aif, .aiff): AIFF and AIFF-C of
 * uncompressed integer PCM ('NONE', 'twos', 'sowt', 8 to 32 bits) or 32-bit
 * float ('fl32'), decoded by libsndfile through its virtual I/O.
 *
 * Owns: libsndfile's virtual I/O over a decode source, the COMM frame count,
 * the AIFF speaker order and the mapping of libsndfile's errors. Must not
 * touch: files (decode.c reads them), the sample pool.
 */
#include "platform/decode/format.h"

#include "engine/result.h"

#include <SDL.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>

/* Speaker order of 3..8 channels. 3, 4 and 6 as the AIFF 1.3 specification
 * (Apple, 1989, "Sample Points and Sample Frames") gives them: 3 L R C; 4
 * quadraphonic FL FR BL BR; 6 L LC C R RC S. It names no order for 5, 7 and
 * 8: those are read as WAV. */
static const flz_decode_layout flz_decode_aiff_layout = {
  [3] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_FC},
  [4] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_BL, FLZ_SPK_BR},
  [5] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_FC, FLZ_SPK_BL, FLZ_SPK_BR},
  [6] = {FLZ_SPK_FL, FLZ_SPK_FLC, FLZ_SPK_FC, FLZ_SPK_FR, FLZ_SPK_FRC, FLZ_SPK_BC},
  [7] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_FC, FLZ_SPK_LFE, FLZ_SPK_BC, FLZ_SPK_SL, FLZ_SPK_SR},
  [8] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_FC, FLZ_SPK_LFE, FLZ_SPK_BL, FLZ_SPK_BR, FLZ_SPK_SL,
         FLZ_SPK_SR},
};

/* libsndfile's view of a decode source: where it reads next. */
typedef struct flz_decode_aiff_io {
  const flz_decode_source *src;
  sf_count_t at;
} flz_decode_aiff_io;

static sf_count_t flz_decode_aiff_length(void *user)
{
  flz_decode_aiff_io *io = user;
  return (sf_count_t)io->src->size;
}

static sf_count_t flz_decode_aiff_seek(sf_count_t offset, int whence, void *user)
{
  flz_decode_aiff_io *io = user;
  sf_count_t base = whence == SEEK_CUR   ? io->at
                    : whence == SEEK_END ? (sf_count_t)io->src->size
                                         : 0;
  if (offset < -base || offset > (sf_count_t)io->src->size - base) {
    return -1;
  }
  io->at = base + offset;
  return io->at;
}

static sf_count_t flz_decode_aiff_read(void *buffer, sf_count_t count, void *user)
{
  flz_decode_aiff_io *io = user;
  if (count <= 0) {
    return 0;
  }
  if ((uint64_t)count > io->src->size) {
    count = (sf_count_t)io->src->size;
  }
  long got = flz_decode_source_read(io->src, (uint64_t)io->at, buffer, (size_t)count);
  if (got < 0) {
    return 0;
  }
  io->at += got;
  return got;
}

static sf_count_t flz_decode_aiff_write(const void *buffer, sf_count_t count, void *user)
{
  (void)buffer;
  (void)count;
  (void)user;
  return 0;
}

static sf_count_t flz_decode_aiff_tell(void *user)
{
  flz_decode_aiff_io *io = user;
  return io->at;
}

static uint32_t flz_decode_aiff_be32(const unsigned char *b)
{
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* The frames COMM promises (numSampleFrames): libsndfile counts what the
 * SSND chunk holds, so a cut file would otherwise decode short in silence.
 * FLZ_ERR_CORRUPT without "FORM", "AIFF"/"AIFC", a COMM chunk and the start
 * of an SSND chunk (chunks may come in any order). */
static int flz_decode_aiff_comm_frames(const flz_decode_source *src, uint32_t *frames, char *detail,
                                       size_t detail_size)
{
  unsigned char b[12];
  if (flz_decode_source_read(src, 0, b, sizeof b) != (long)sizeof b || memcmp(b, "FORM", 4) != 0 ||
      (memcmp(b + 8, "AIFF", 4) != 0 && memcmp(b + 8, "AIFC", 4) != 0)) {
    flz_decode_detail(detail, detail_size, "no FORM AIFF or AIFC header");
    return FLZ_ERR_CORRUPT;
  }
  int have_comm = 0;
  int have_ssnd = 0;
  for (uint64_t at = 12; at + 8 <= src->size && !(have_comm && have_ssnd);) {
    if (flz_decode_source_read(src, at, b, 8) != 8) {
      break;
    }
    uint32_t size = flz_decode_aiff_be32(b + 4);
    if (memcmp(b, "COMM", 4) == 0 && size >= 18 && flz_decode_source_read(src, at + 8, b, 6) == 6) {
      *frames = flz_decode_aiff_be32(b + 2);
      have_comm = 1;
    } else if (memcmp(b, "SSND", 4) == 0) {
      have_ssnd = 1;
    }
    at += 8 + (uint64_t)size + (size & 1);
  }
  if (!have_comm || !have_ssnd) {
    flz_decode_detail(detail, detail_size, "no %s chunk: the header is cut short or broken",
                      have_comm ? "SSND" : "COMM");
    return FLZ_ERR_CORRUPT;
  }
  return FLZ_OK;
}

/* Reads the frames COMM promises into *promised, then opens io's source
 * with libsndfile and checks that it is AIFF of a supported encoding; on
 * success the caller closes *file. */
static int flz_decode_aiff_open(flz_decode_aiff_io *io, uint32_t *promised, SF_VIRTUAL_IO *vio,
                                SNDFILE **file, SF_INFO *sf, char *detail, size_t detail_size)
{
  int promise = flz_decode_aiff_comm_frames(io->src, promised, detail, detail_size);
  if (promise != FLZ_OK)
    return promise;
  *vio = (SF_VIRTUAL_IO){flz_decode_aiff_length, flz_decode_aiff_seek, flz_decode_aiff_read,
                         flz_decode_aiff_write, flz_decode_aiff_tell};
  memset(sf, 0, sizeof *sf);
  *file = sf_open_virtual(vio, SFM_READ, sf, io);
  if (*file == NULL) {
    int error = sf_error(NULL);
    flz_decode_detail(detail, detail_size, "%s", sf_error_number(error));
    return error == SF_ERR_UNSUPPORTED_ENCODING ? FLZ_ERR_UNSUPPORTED : FLZ_ERR_CORRUPT;
  }
  int subtype = sf->format & SF_FORMAT_SUBMASK;
  int result = FLZ_OK;
  if ((sf->format & SF_FORMAT_TYPEMASK) != SF_FORMAT_AIFF) {
    flz_decode_detail(detail, detail_size, "not an AIFF file");
    result = FLZ_ERR_CORRUPT;
  } else if (subtype != SF_FORMAT_PCM_S8 && subtype != SF_FORMAT_PCM_U8 &&
             subtype != SF_FORMAT_PCM_16 && subtype != SF_FORMAT_PCM_24 &&
             subtype != SF_FORMAT_PCM_32 && subtype != SF_FORMAT_FLOAT) {
    flz_decode_detail(detail, detail_size, "AIFF encoding 0x%04x is not 8 to 32-bit PCM or float",
                      (unsigned)subtype);
    result = FLZ_ERR_UNSUPPORTED;
  } else if (sf->channels <= 0 || sf->samplerate <= 0) {
    flz_decode_detail(detail, detail_size, "%d channels at %d Hz", sf->channels, sf->samplerate);
    result = FLZ_ERR_CORRUPT;
  } else {
    result = flz_decode_pcm_check_layout((uint32_t)sf->channels, (uint32_t)sf->samplerate, detail,
                                         detail_size);
  }
  if (result != FLZ_OK) {
    sf_close(*file);
    *file = NULL;
  }
  return result;
}

/* Decodes AIFF or AIFF-C: integers of b bits to v / 2^(b-1) (libsndfile
 * hands them left-aligned in 32 bits), floats as they are; a file with fewer
 * frames than COMM promises is corrupt. */
static int flz_decode_aiff_decode(const unsigned char *data, size_t size,
                                  const flz_decode_config *config, flz_decoded *out,
                                  flz_audio_info *info, char *detail, size_t detail_size)
{
  flz_decode_source src = {data, -1, size};
  uint32_t promised = 0;
  flz_decode_aiff_io io = {&src, 0};
  SF_VIRTUAL_IO vio;
  SNDFILE *file = NULL;
  SF_INFO sf;
  int result = flz_decode_aiff_open(&io, &promised, &vio, &file, &sf, detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  uint32_t channels = (uint32_t)sf.channels;
  uint32_t rate = (uint32_t)sf.samplerate;
  uint32_t rate_out = config->rate == 0 ? rate : config->rate;
  info->channels = channels;
  info->rate = rate;
  info->frames = promised;
  int is_float = (sf.format & SF_FORMAT_SUBMASK) == SF_FORMAT_FLOAT;
  result = flz_decode_pcm_check_size(promised, channels, rate, rate_out, config->max_bytes, detail,
                                     detail_size);
  flz_decode_pcm p;
  memset(&p, 0, sizeof p);
  void *block = NULL;
  if (result == FLZ_OK) {
    flz_decode_pcm_init(&p, channels, rate, promised, flz_decode_aiff_layout, 0);
    block = malloc((size_t)FLZ_DECODE_BLOCK_FRAMES * channels * sizeof(int32_t));
    if (block == NULL) {
      flz_decode_detail(detail, detail_size, "AIFF block");
      result = FLZ_ERR_NO_MEMORY;
    }
  }
  while (result == FLZ_OK && p.frames < promised) {
    sf_count_t want = promised - p.frames < FLZ_DECODE_BLOCK_FRAMES
                        ? (sf_count_t)(promised - p.frames)
                        : FLZ_DECODE_BLOCK_FRAMES;
    sf_count_t got = is_float ? sf_readf_float(file, block, want) : sf_readf_int(file, block, want);
    if (got <= 0) {
      break;
    }
    result = flz_decode_pcm_append_samples(
      &p, block, (uint64_t)got, is_float ? AUDIO_F32SYS : AUDIO_S32SYS, detail, detail_size);
    flz_decode_pcm_report(config, p.frames, promised);
  }
  free(block);
  if (result == FLZ_OK && p.frames < promised) {
    flz_decode_detail(detail, detail_size, "decoded %llu of COMM's %lu frames",
                      (unsigned long long)p.frames, (unsigned long)promised);
    result = p.frames == 0 ? FLZ_ERR_NO_AUDIO : FLZ_ERR_CORRUPT;
  }
  sf_close(file);
  if (result == FLZ_OK && promised == 0) {
    flz_decode_detail(detail, detail_size, "0 frames");
    result = FLZ_ERR_NO_AUDIO;
  }
  if (result == FLZ_OK) {
    result = flz_decode_pcm_finish(&p, rate_out, 0, 0, 0, out, detail, detail_size);
  }
  free(p.data);
  return result;
}

/* Reads the header with libsndfile: channels, rate, and COMM's frame count. */
static int flz_decode_aiff_probe(const flz_decode_source *src, flz_decode_estimate *e, char *detail,
                                 size_t detail_size)
{
  uint32_t promised = 0;
  flz_decode_aiff_io io = {src, 0};
  SF_VIRTUAL_IO vio;
  SNDFILE *file = NULL;
  SF_INFO sf;
  int result = flz_decode_aiff_open(&io, &promised, &vio, &file, &sf, detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  sf_close(file);
  e->source.channels = (uint32_t)sf.channels;
  e->source.rate = (uint32_t)sf.samplerate;
  e->source.frames = promised;
  e->known = 1;
  return FLZ_OK;
}

static const char *const flz_decode_aiff_extensions[] = {".aif", ".aiff", NULL};

const flz_decode_row flz_decode_aiff_row = {
  .format = FLZ_DECODE_AIFF,
  .name = "AIFF",
  .extensions = flz_decode_aiff_extensions,
  .flags = 0,
  .probe = flz_decode_aiff_probe,
  .decode = flz_decode_aiff_decode,
};
