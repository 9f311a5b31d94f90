/* platform/decode/format.h: the decoder table's row and the work the decoders
 * share. For platform/decode.c, platform/decode/ and their tests only; app/
 * includes platform/decode.h, never this.
 *
 * A format is one file here (wav.c, ogg.c, flac.c, aiff.c) that defines its own row;
 * platform/decode.c lists the rows and is the one entry point. pcm.c holds the
 * shared PCM work: limits, sample conversion, the downmix, the rate
 * conversion. Threads as decode.h: loader or control, never the audio callback.
 */
#ifndef FLZ_PLATFORM_DECODE_FORMAT_H
#define FLZ_PLATFORM_DECODE_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "platform/decode.h"

/* A decoded sample longer than this is refused (FLZ_ERR_UNSUPPORTED): the
 * engine counts frames in 32 bits. Also guards every size computation of the
 * decoders against overflow. */
#define FLZ_DECODE_MAX_FRAMES ((uint64_t)1 << 31)

/* The source, after the downmix and before the rate conversion, may take at
 * most this many times `max_bytes`: room for 4x downsampling (192 kHz to
 * 48 kHz) of a sample as large as the pool. */
#define FLZ_DECODE_SOURCE_FACTOR 4u

/* Frames converted per step from a decoder's own format to float. */
#define FLZ_DECODE_BLOCK_FRAMES 4096

/* ---- The table (platform/decode.c). ---- */

/* Bytes of a file: all of it in memory, or an open file read in parts. */
typedef struct flz_decode_source {
  const unsigned char *data; /* NULL: read from fd */
  int fd;
  uint64_t size; /* bytes */
} flz_decode_source;

/* Capability flag of a row: its probe reads the whole file, so the entry point
 * hands it the file in memory (src->data set), never a descriptor. */
#define FLZ_DECODE_PROBE_IN_MEMORY 1u

/* One format. `probe` fills estimate->source and estimate->known from the
 * headers; the entry point fills the rest and checks the frame limit.
 * `decode` decodes a whole file of `size` bytes (1..INT_MAX) with a
 * config whose defaults are filled in, and fills `info` with what the file
 * holds even on most errors. Both return decode.h's results and write a
 * reason into `detail`. */
typedef struct flz_decode_row {
  flz_decode_format format;
  const char *name;              /* for people: "WAV", "Ogg Vorbis", "FLAC" */
  const char *const *extensions; /* lower case with the dot; NULL-terminated */
  unsigned flags;                /* FLZ_DECODE_PROBE_IN_MEMORY */
  int (*probe)(const flz_decode_source *src, flz_decode_estimate *estimate, char *detail,
               size_t detail_size);
  int (*decode)(const unsigned char *data, size_t size, const flz_decode_config *config,
                flz_decoded *out, flz_audio_info *info, char *detail, size_t detail_size);
  /* Sets the process-wide library state the decoder reads (SDL hints), or
   * NULL. Run once, by flz_decode_prepare, before any decoding: SDL's hints
   * are not safe to set on one thread while another reads them. */
  void (*prepare)(void);
} flz_decode_row;

/* Each format's own row, defined in its file. */
extern const flz_decode_row flz_decode_wav_row;
extern const flz_decode_row flz_decode_ogg_row;
extern const flz_decode_row flz_decode_flac_row;
extern const flz_decode_row flz_decode_aiff_row;

/* Every row, in the order names are matched and listed; NULL-terminated. */
extern const flz_decode_row *const flz_decode_rows[];

/* Reads up to `n` bytes at `offset`; returns how many (fewer at the end), or
 * -1 on a read error. */
long flz_decode_source_read(const flz_decode_source *src, uint64_t offset, void *buffer, size_t n);

/* printf into the reason buffer; nothing when detail is NULL or detail_size 0. */
void flz_decode_detail(char *detail, size_t detail_size, const char *format, ...)
  __attribute__((format(printf, 3, 4)));

static inline uint32_t flz_decode_le16(const unsigned char *b)
{
  return (uint32_t)b[0] | (uint32_t)b[1] << 8;
}

static inline uint32_t flz_decode_le32(const unsigned char *b)
{
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* ---- The shared PCM work (platform/decode/pcm.c). ---- */

/* Speakers in WAVE_FORMAT_EXTENSIBLE channel mask bit order. */
enum flz_decode_speaker {
  FLZ_SPK_FL,
  FLZ_SPK_FR,
  FLZ_SPK_FC,
  FLZ_SPK_LFE,
  FLZ_SPK_BL,
  FLZ_SPK_BR,
  FLZ_SPK_FLC,
  FLZ_SPK_FRC,
  FLZ_SPK_BC,
  FLZ_SPK_SL,
  FLZ_SPK_SR,
  FLZ_SPK_TC,
  FLZ_SPK_TFL,
  FLZ_SPK_TFC,
  FLZ_SPK_TFR,
  FLZ_SPK_TBL,
  FLZ_SPK_TBC,
  FLZ_SPK_TBR,
  FLZ_SPK_COUNT
};

/* A format's speaker order: row n lists the speakers of n = 3..8 channels. */
typedef unsigned char flz_decode_layout[FLZ_DECODE_MAX_CHANNELS + 1][FLZ_DECODE_MAX_CHANNELS];

/* Source frames as float, after the downmix: at most 2 channels. */
typedef struct flz_decode_pcm {
  float *data;
  uint64_t frames;
  uint64_t capacity;                        /* frames */
  uint64_t max_frames;                      /* the source may not grow past this */
  uint32_t channels_in;                     /* of the file */
  uint32_t channels;                        /* 1 or 2 */
  uint32_t rate;                            /* Hz */
  float matrix[FLZ_DECODE_MAX_CHANNELS][2]; /* downmix, for channels_in > 2 */
} flz_decode_pcm;

/* round(frames * rate_out / rate_in), halves up. frames < 2^33 and rates <
 * 2^20 keep the product below 2^53. */
uint64_t flz_decode_pcm_scale_frames(uint64_t frames, uint32_t rate_in, uint32_t rate_out);

/* FLZ_ERR_CORRUPT for 0 channels or 0 Hz, FLZ_ERR_UNSUPPORTED past
 * FLZ_DECODE_MAX_CHANNELS or FLZ_DECODE_MAX_RATE. */
int flz_decode_pcm_check_layout(uint32_t channels, uint32_t rate, char *detail, size_t detail_size);

/* The size limits of a decode of `frames` source frames (0: unknown yet):
 * FLZ_ERR_UNSUPPORTED past FLZ_DECODE_MAX_FRAMES, FLZ_ERR_POOL_FULL past
 * max_bytes decoded or FLZ_DECODE_SOURCE_FACTOR times it as source. */
int flz_decode_pcm_check_size(uint64_t frames, uint32_t channels, uint32_t rate_in,
                              uint32_t rate_out, uint64_t max_bytes, char *detail,
                              size_t detail_size);

/* Sets up `p` for `channels` channels at `rate` Hz, growing to at most
 * `max_frames`, with the speaker order of `layout` (or of a channel `mask`
 * that names exactly `channels` speakers; 0: none). */
/* Starts SDL's audio subsystem for the resampler (flz_decode_prepare runs it
 * once per process). */
void flz_decode_pcm_start(void);

void flz_decode_pcm_init(flz_decode_pcm *p, uint32_t channels, uint32_t rate, uint64_t max_frames,
                         const flz_decode_layout layout, uint32_t mask);

/* Room for `frames` frames; FLZ_ERR_CORRUPT past max_frames. */
int flz_decode_pcm_reserve(flz_decode_pcm *p, uint64_t frames, char *detail, size_t detail_size);

/* Appends `frames` frames of `channels_in` interleaved floats, downmixed. */
int flz_decode_pcm_append(flz_decode_pcm *p, const float *in, uint64_t frames, char *detail,
                          size_t detail_size);

/* Appends `frames` frames at `bytes` of `channels_in` interleaved samples in
 * SDL_AudioFormat `sdl_format` (AUDIO_U8, AUDIO_S16SYS, AUDIO_S32SYS or
 * AUDIO_F32SYS), or little-endian 64-bit floats for 0; integers of b bits
 * become v / 2^(b-1) exactly. */
int flz_decode_pcm_append_samples(flz_decode_pcm *p, const unsigned char *bytes, uint64_t frames,
                                  uint16_t sdl_format, char *detail, size_t detail_size);

/* Hands the source to `out` at `rate_out` Hz: resampled (or adopted as it
 * is), non-finite values replaced by 0, the loop (source frames, inclusive
 * ends) scaled. Frees nothing: the caller frees p->data, which may be NULL
 * after. */
int flz_decode_pcm_finish(flz_decode_pcm *p, uint32_t rate_out, int has_loop, uint64_t loop_first,
                          uint64_t loop_last, flz_decoded *out, char *detail, size_t detail_size);

/* Calls config->progress, if any. */
void flz_decode_pcm_report(const flz_decode_config *config, uint64_t done, uint64_t total);

#endif
