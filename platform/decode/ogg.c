/* platform/decode/ogg.c: the Ogg Vorbis row (.ogg, .oga), decoded by
 * stb_vorbis behind a checker of the Ogg pages and Vorbis headers.
 *
 * Owns: the page walk that finds truncation and non-Vorbis streams, the
 * comment and setup header checks that keep malformed headers away from
 * Debian's stb_vorbis (tests/fuzz/regressions/ogg), the memory stb_vorbis
 * decodes in, the Vorbis speaker order and the mapping of stb_vorbis errors.
 * Must not touch: files (decode.c reads them), the sample pool.
 */
#include "platform/decode/format.h"

#include "engine/result.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define STB_VORBIS_HEADER_ONLY
#include <stb_vorbis.h>

/* An Ogg page header is 27 bytes before its segment table (RFC 3533 §6). */
#define FLZ_OGG_HEADER_BYTES 27
#define FLZ_OGG_FLAG_EOS 0x04

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

/* Speaker order of 3..8 channels, Vorbis I specification section 4.3.9:
 * 3 L C R; 4 FL FR BL BR; 5 FL C FR BL BR; 6 FL C FR BL BR LFE;
 * 7 FL C FR SL SR BC LFE; 8 FL C FR SL SR BL BR LFE. */
static const flz_decode_layout flz_decode_ogg_layout = {
  [3] = {FLZ_SPK_FL, FLZ_SPK_FC, FLZ_SPK_FR},
  [4] = {FLZ_SPK_FL, FLZ_SPK_FR, FLZ_SPK_BL, FLZ_SPK_BR},
  [5] = {FLZ_SPK_FL, FLZ_SPK_FC, FLZ_SPK_FR, FLZ_SPK_BL, FLZ_SPK_BR},
  [6] = {FLZ_SPK_FL, FLZ_SPK_FC, FLZ_SPK_FR, FLZ_SPK_BL, FLZ_SPK_BR, FLZ_SPK_LFE},
  [7] = {FLZ_SPK_FL, FLZ_SPK_FC, FLZ_SPK_FR, FLZ_SPK_SL, FLZ_SPK_SR, FLZ_SPK_BC, FLZ_SPK_LFE},
  [8] = {FLZ_SPK_FL, FLZ_SPK_FC, FLZ_SPK_FR, FLZ_SPK_SL, FLZ_SPK_SR, FLZ_SPK_BL, FLZ_SPK_BR,
         FLZ_SPK_LFE},
};

static const char *flz_decode_ogg_error_name(int error)
{
  switch (error) {
  case VORBIS_need_more_data:
    return "VORBIS_need_more_data";
  case VORBIS_invalid_api_mixing:
    return "VORBIS_invalid_api_mixing";
  case VORBIS_outofmem:
    return "VORBIS_outofmem";
  case VORBIS_feature_not_supported:
    return "VORBIS_feature_not_supported";
  case VORBIS_too_many_channels:
    return "VORBIS_too_many_channels";
  case VORBIS_file_open_failure:
    return "VORBIS_file_open_failure";
  case VORBIS_seek_without_length:
    return "VORBIS_seek_without_length";
  case VORBIS_unexpected_eof:
    return "VORBIS_unexpected_eof";
  case VORBIS_seek_invalid:
    return "VORBIS_seek_invalid";
  case VORBIS_invalid_setup:
    return "VORBIS_invalid_setup";
  case VORBIS_invalid_stream:
    return "VORBIS_invalid_stream";
  case VORBIS_missing_capture_pattern:
    return "VORBIS_missing_capture_pattern";
  case VORBIS_invalid_stream_structure_version:
    return "VORBIS_invalid_stream_structure_version";
  case VORBIS_continued_packet_flag_invalid:
    return "VORBIS_continued_packet_flag_invalid";
  case VORBIS_incorrect_stream_serial_number:
    return "VORBIS_incorrect_stream_serial_number";
  case VORBIS_invalid_first_page:
    return "VORBIS_invalid_first_page";
  case VORBIS_bad_packet_type:
    return "VORBIS_bad_packet_type";
  case VORBIS_cant_find_last_page:
    return "VORBIS_cant_find_last_page";
  case VORBIS_seek_failed:
    return "VORBIS_seek_failed";
  case VORBIS_ogg_skeleton_not_supported:
    return "VORBIS_ogg_skeleton_not_supported";
  default:
    return "unknown stb_vorbis error";
  }
}

static int flz_decode_ogg_error(int error)
{
  switch (error) {
  case VORBIS_outofmem:
    return FLZ_ERR_NO_MEMORY;
  case VORBIS_feature_not_supported:
  case VORBIS_too_many_channels:
  case VORBIS_ogg_skeleton_not_supported:
    return FLZ_ERR_UNSUPPORTED;
  default:
    return FLZ_ERR_CORRUPT;
  }
}

/* Walks the Ogg pages (RFC 3533 §6) of the first logical stream. stb_vorbis
 * decodes a file cut at any point as a shorter, valid-looking stream, and its
 * stream length comes from the last whole page it finds, so truncation shows
 * only here: the pages must follow one another up to a page flagged
 * end-of-stream, which must lie wholly inside the file. Also tells a
 * non-Vorbis Ogg (Opus, FLAC, Speex) from a broken one: the first packet of a
 * Vorbis stream starts with "\x01vorbis". */
static int flz_decode_ogg_check_pages(const unsigned char *data, size_t size, char *detail,
                                      size_t detail_size)
{
  size_t at = 0;
  int first = 1;
  while (at < size) {
    if (size - at < FLZ_OGG_HEADER_BYTES || memcmp(data + at, "OggS", 4) != 0) {
      flz_decode_detail(detail, detail_size, "no Ogg page at byte %zu", at);
      return FLZ_ERR_CORRUPT;
    }
    size_t segments = data[at + 26];
    if (size - at - FLZ_OGG_HEADER_BYTES < segments) {
      flz_decode_detail(detail, detail_size, "truncated Ogg page at byte %zu", at);
      return FLZ_ERR_CORRUPT;
    }
    size_t body = 0;
    for (size_t i = 0; i < segments; i++) {
      body += data[at + FLZ_OGG_HEADER_BYTES + i];
    }
    size_t page = FLZ_OGG_HEADER_BYTES + segments + body;
    if (size - at < page) {
      flz_decode_detail(detail, detail_size, "truncated Ogg page at byte %zu", at);
      return FLZ_ERR_CORRUPT;
    }
    if (first) {
      const unsigned char *packet = data + at + FLZ_OGG_HEADER_BYTES + segments;
      if (body < 7 || memcmp(packet, "\x01vorbis", 7) != 0) {
        flz_decode_detail(detail, detail_size, "Ogg stream is not Vorbis");
        return FLZ_ERR_UNSUPPORTED;
      }
      first = 0;
    }
    if (data[at + 5] & FLZ_OGG_FLAG_EOS) {
      return FLZ_OK;
    }
    at += page;
  }
  flz_decode_detail(detail, detail_size, "Ogg stream ends without its last page (truncated)");
  return FLZ_ERR_CORRUPT;
}

/* stb_vorbis fills a static CRC table on every open; serialising the opens
 * keeps two loader threads from writing it at the same time. */
static pthread_mutex_t flz_decode_ogg_open_lock = PTHREAD_MUTEX_INITIALIZER;

/* Joins the first packets of an Ogg stream (up to `count`, from the pages'
 * lacing) into `packets` (malloc'ed, caller frees each). Returns how many
 * are complete. */
static int flz_decode_ogg_packets(const unsigned char *data, size_t size, unsigned char **packets,
                                  size_t *lengths, int count)
{
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
typedef struct flz_decode_ogg_bits {
  const unsigned char *data;
  size_t length; /* bytes */
  uint64_t at;   /* bits read */
  int past_end;
} flz_decode_ogg_bits;

static uint32_t flz_decode_ogg_read(flz_decode_ogg_bits *b, int bits)
{
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

static int flz_decode_ogg_ilog(uint32_t v)
{
  int n = 0;
  while (v > 0) {
    n++;
    v >>= 1;
  }
  return n;
}

/* The largest v with v^dimensions <= entries (Vorbis I 9.2.3 lookup1_values). */
static uint64_t flz_decode_ogg_lookup1_values(uint32_t entries, uint32_t dimensions)
{
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
static int flz_decode_ogg_check_setup(const unsigned char *packet, size_t length)
{
  if (length < 8 || memcmp(packet, "\x05vorbis", 7) != 0) {
    return 0;
  }
  flz_decode_ogg_bits b = {packet + 7, length - 7, 0, 0};
  uint64_t bits = (uint64_t)b.length * 8;
  uint32_t books = flz_decode_ogg_read(&b, 8) + 1;
  for (uint32_t book = 0; book < books && !b.past_end; book++) {
    if (flz_decode_ogg_read(&b, 24) != 0x564342) {
      return 0;
    }
    uint32_t dimensions = flz_decode_ogg_read(&b, 16);
    uint32_t entries = flz_decode_ogg_read(&b, 24);
    if (dimensions == 0 || entries == 0 || entries > bits - b.at) {
      return 0;
    }
    if (flz_decode_ogg_read(&b, 1)) { /* ordered */
      uint32_t entry = 0;
      (void)flz_decode_ogg_read(&b, 5);
      while (entry < entries && !b.past_end) {
        entry += flz_decode_ogg_read(&b, flz_decode_ogg_ilog(entries - entry));
      }
      if (entry > entries) {
        return 0;
      }
    } else {
      int sparse = (int)flz_decode_ogg_read(&b, 1);
      for (uint32_t entry = 0; entry < entries && !b.past_end; entry++) {
        if (!sparse || flz_decode_ogg_read(&b, 1)) {
          (void)flz_decode_ogg_read(&b, 5);
        }
      }
    }
    uint32_t lookup = flz_decode_ogg_read(&b, 4);
    if (lookup > 2) {
      return 0;
    }
    if (lookup > 0) {
      (void)flz_decode_ogg_read(&b, 32);
      (void)flz_decode_ogg_read(&b, 32);
      uint32_t value_bits = flz_decode_ogg_read(&b, 4) + 1;
      (void)flz_decode_ogg_read(&b, 1);
      uint64_t values = lookup == 1 ? flz_decode_ogg_lookup1_values(entries, dimensions)
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
static int flz_decode_ogg_check_headers(const unsigned char *data, size_t size, char *detail,
                                        size_t detail_size)
{
  unsigned char *packets[3];
  size_t lengths[3];
  int got = flz_decode_ogg_packets(data, size, packets, lengths, 3);
  int result = FLZ_OK;
  if (got < 0) {
    flz_decode_detail(detail, detail_size, "Vorbis headers too large");
    result = FLZ_ERR_NO_MEMORY;
  } else if (got < 3) {
    flz_decode_detail(detail, detail_size, "the three Vorbis header packets are not all there");
    result = FLZ_ERR_CORRUPT;
  }
  if (result == FLZ_OK) {
    /* "\x03vorbis", vendor length and vendor, comment count, then each
     * comment's length and bytes; all lengths 32-bit little-endian. */
    const unsigned char *packet = packets[1];
    size_t length = lengths[1];
    size_t at = 7;
    int ok = length >= 11 && memcmp(packet, "\x03vorbis", 7) == 0;
    uint32_t vendor = ok ? flz_decode_le32(packet + at) : 0;
    ok = ok && vendor <= length - at - 4;
    at += 4 + (size_t)vendor;
    ok = ok && length - at >= 4;
    uint32_t count = ok ? flz_decode_le32(packet + at) : 0;
    at += 4;
    for (uint32_t i = 0; ok && i < count; i++) {
      ok = length - at >= 4 && flz_decode_le32(packet + at) <= length - at - 4;
      if (ok) {
        at += 4 + (size_t)flz_decode_le32(packet + at);
      }
    }
    if (!ok) {
      flz_decode_detail(detail, detail_size, "malformed Vorbis comment header");
      result = FLZ_ERR_CORRUPT;
    }
  }
  if (result == FLZ_OK && !flz_decode_ogg_check_setup(packets[2], lengths[2])) {
    flz_decode_detail(detail, detail_size, "malformed Vorbis setup header");
    result = FLZ_ERR_CORRUPT;
  }
  for (int i = 0; i < 3; i++) {
    free(packets[i]);
  }
  return result;
}

/* An open stream and the buffer its decoder lives in. */
typedef struct flz_decode_ogg_stream {
  stb_vorbis *stream;
  char *memory;
} flz_decode_ogg_stream;

static void flz_decode_ogg_close(flz_decode_ogg_stream *vorbis)
{
  if (vorbis->stream != NULL) {
    stb_vorbis_close(vorbis->stream);
  }
  free(vorbis->memory);
  vorbis->stream = NULL;
  vorbis->memory = NULL;
}

/* Opens the stream in `data` once its headers are checked; 0 with *result
 * and `detail` set if it cannot. */
static int flz_decode_ogg_open(const unsigned char *data, size_t size,
                               flz_decode_ogg_stream *vorbis, int *error, int *result, char *detail,
                               size_t detail_size)
{
  vorbis->stream = NULL;
  vorbis->memory = NULL;
  *result = flz_decode_ogg_check_headers(data, size, detail, detail_size);
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
    pthread_mutex_lock(&flz_decode_ogg_open_lock);
    vorbis->stream = stb_vorbis_open_memory(data, (int)size, error, &alloc);
    pthread_mutex_unlock(&flz_decode_ogg_open_lock);
    if (vorbis->stream != NULL) {
      return 1;
    }
    free(vorbis->memory);
    vorbis->memory = NULL;
    if (*error != VORBIS_outofmem) {
      break;
    }
  }
  flz_decode_detail(detail, detail_size, "%s", flz_decode_ogg_error_name(*error));
  *result = flz_decode_ogg_error(*error);
  return 0;
}

/* Channels, rate and length of an open stream, checked. */
static int flz_decode_ogg_describe(stb_vorbis *vorbis, flz_audio_info *info, char *detail,
                                   size_t detail_size)
{
  stb_vorbis_info vinfo = stb_vorbis_get_info(vorbis);
  info->channels = vinfo.channels > 0 ? (uint32_t)vinfo.channels : 0;
  info->rate = vinfo.sample_rate;
  int result = flz_decode_pcm_check_layout(info->channels, info->rate, detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  info->frames = stb_vorbis_stream_length_in_samples(vorbis);
  if (info->frames == 0) {
    flz_decode_detail(detail, detail_size, "no length: %s",
                      flz_decode_ogg_error_name(stb_vorbis_get_error(vorbis)));
    return FLZ_ERR_CORRUPT;
  }
  return FLZ_OK;
}

/* Decodes an Ogg Vorbis file with stb_vorbis once its pages and headers pass
 * the checks; a stream longer or shorter than its stated length is corrupt. */
static int flz_decode_ogg_decode(const unsigned char *data, size_t size,
                                 const flz_decode_config *config, flz_decoded *out,
                                 flz_audio_info *info, char *detail, size_t detail_size)
{
  int result = flz_decode_ogg_check_pages(data, size, detail, detail_size);
  if (result != FLZ_OK) {
    return result;
  }
  int error = VORBIS__no_error;
  flz_decode_ogg_stream handle;
  if (!flz_decode_ogg_open(data, size, &handle, &error, &result, detail, detail_size)) {
    return result;
  }
  stb_vorbis *vorbis = handle.stream;
  result = flz_decode_ogg_describe(vorbis, info, detail, detail_size);
  uint64_t length = info->frames;
  uint32_t rate_out = config->rate == 0 ? info->rate : config->rate;
  if (result == FLZ_OK) {
    result = flz_decode_pcm_check_size(length, info->channels, info->rate, rate_out,
                                       config->max_bytes, detail, detail_size);
  }
  flz_decode_pcm p;
  memset(&p, 0, sizeof p);
  if (result == FLZ_OK) {
    /* One frame of room past the length shows a stream longer than it. */
    flz_decode_pcm_init(&p, info->channels, info->rate, length + 1, flz_decode_ogg_layout, 0);
    result = flz_decode_pcm_reserve(&p, length + 1, detail, detail_size);
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
      flz_decode_detail(detail, detail_size, "more frames than the stream's %llu",
                        (unsigned long long)length);
      result = FLZ_ERR_CORRUPT;
      break;
    }
    if (channels <= 2) {
      p.frames += (uint64_t)frames;
    } else {
      result = flz_decode_pcm_append(&p, block, (uint64_t)frames, detail, detail_size);
    }
    flz_decode_pcm_report(config, decoded, length);
  }
  error = stb_vorbis_get_error(vorbis);
  if (result == FLZ_OK && error != VORBIS__no_error) {
    flz_decode_detail(detail, detail_size, "%s", flz_decode_ogg_error_name(error));
    result = flz_decode_ogg_error(error);
  }
  if (result == FLZ_OK && decoded < length) {
    flz_decode_detail(detail, detail_size, "decoded %llu of %llu frames",
                      (unsigned long long)decoded, (unsigned long long)length);
    result = decoded == 0 ? FLZ_ERR_NO_AUDIO : FLZ_ERR_CORRUPT;
  }
  if (result == FLZ_OK) {
    result = flz_decode_pcm_finish(&p, rate_out, 0, 0, 0, out, detail, detail_size);
  }
  free(p.data);
  flz_decode_ogg_close(&handle);
  return result;
}

/* Opens the stream (stb_vorbis reads the Vorbis headers and seeks to the last
 * page for the length), so it needs the whole file: FLZ_DECODE_PROBE_IN_MEMORY. */
static int flz_decode_ogg_probe(const flz_decode_source *src, flz_decode_estimate *e, char *detail,
                                size_t detail_size)
{
  int error = VORBIS__no_error;
  int result;
  flz_decode_ogg_stream handle;
  if (!flz_decode_ogg_open(src->data, (size_t)src->size, &handle, &error, &result, detail,
                           detail_size)) {
    return result;
  }
  result = flz_decode_ogg_describe(handle.stream, &e->source, detail, detail_size);
  e->known = 1;
  flz_decode_ogg_close(&handle);
  return result;
}

static const char *const flz_decode_ogg_extensions[] = {".ogg", ".oga", NULL};

const flz_decode_row flz_decode_ogg_row = {
  .format = FLZ_DECODE_OGG,
  .name = "Ogg Vorbis",
  .extensions = flz_decode_ogg_extensions,
  .flags = FLZ_DECODE_PROBE_IN_MEMORY,
  .probe = flz_decode_ogg_probe,
  .decode = flz_decode_ogg_decode,
};
