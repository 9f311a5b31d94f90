/* platform/decode.h: decoding audio files into float frames at the engine's
 * rate.
 *
 * Owns: reading and decoding files and their headers, through one table of
 * decoders, a row per format (platform/decode/: WAV through SDL plus 64-bit
 * float, Ogg Vorbis through stb_vorbis, FLAC through libFLAC); the downmix
 * and the rate conversion. Files are recognised by extension, any case; the
 * table is the only list of extensions.
 * Loader or control thread only: blocks on I/O and allocates; never from the
 * audio callback. Thread-safe: separate calls may run on separate threads.
 */
#ifndef FLZ_PLATFORM_DECODE_H
#define FLZ_PLATFORM_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* The containers Flitz decodes; the table gives each its extensions. */
typedef enum flz_decode_format {
  FLZ_DECODE_UNKNOWN = 0,
  FLZ_DECODE_WAV,  /* RIFF WAVE */
  FLZ_DECODE_OGG,  /* Ogg Vorbis */
  FLZ_DECODE_FLAC, /* native FLAC */
  FLZ_DECODE_AIFF, /* AIFF and AIFF-C, uncompressed */
} flz_decode_format;

/* Most channels a file may have: 8 (7.1), the most any downmix below is
 * defined for. More is FLZ_ERR_UNSUPPORTED. */
#define FLZ_DECODE_MAX_CHANNELS 8u

/* Highest source rate accepted, Hz: 768 kHz, the top rate of current audio
 * interfaces; a header claiming more is FLZ_ERR_UNSUPPORTED. */
#define FLZ_DECODE_MAX_RATE 768000u

/* Bytes that always hold flz_decode_extension_list's text and its NUL
 * (tests/platform/test_decode.c checks it). */
#define FLZ_DECODE_EXTENSION_LIST_BYTES 64u

/* What a file holds, at its own rate. */
typedef struct flz_audio_info {
  uint64_t frames;   /* frames of the file at `rate` */
  uint32_t channels; /* channels of the file */
  uint32_t rate;     /* Hz */
} flz_audio_info;

/* Decoded audio: interleaved float, `channels` (1 or 2) values per frame.
 * The first loop of a WAV `smpl` chunk is kept in frames of the decoded
 * audio: loop_start its first frame, loop_end one past the chunk's inclusive
 * end, both scaled by rate / file rate (rounded, halves up) and clamped to
 * frame_count; a loop left empty is dropped (has_loop 0, both 0). */
typedef struct flz_decoded {
  float *data; /* free with flz_decode_free */
  uint64_t frame_count;
  uint32_t channels;
  uint32_t rate; /* Hz */
  int has_loop;
  uint64_t loop_start; /* frames */
  uint64_t loop_end;   /* frames, exclusive */
} flz_decoded;

/* Called with the source frames decoded so far of `frames_total` (0 when the
 * header gives no length), on the decoding thread, at most once per decoded
 * block (4096 frames for Ogg, a FLAC frame, once at the end for WAV). */
typedef void (*flz_decode_progress)(void *user, uint64_t frames_done, uint64_t frames_total);

/* Zero fields mean "use the default". */
typedef struct flz_decode_config {
  uint32_t rate;                /* Hz wanted; 0 keeps the file's rate */
  uint64_t max_bytes;           /* largest decoded sample, bytes, else
                                   FLZ_ERR_POOL_FULL; default FLZ_POOL_BYTES */
  flz_decode_progress progress; /* NULL: no progress */
  void *user;                   /* handed to `progress` */
} flz_decode_config;

/* What a decode will give, from the headers alone. */
typedef struct flz_decode_estimate {
  flz_audio_info source; /* frames 0 when the header does not say */
  uint64_t frames;       /* at the wanted rate, round(source.frames * rate /
                            source.rate); an upper bound for ADPCM without a
                            fact chunk; 0 if unknown */
  uint32_t channels;     /* 1 or 2: the decoded channels */
  int known;             /* 0: length unknown until decoded (a FLAC stream
                            whose STREAMINFO says 0 samples) */
} flz_decode_estimate;

/* The format `path`'s extension names, FLZ_DECODE_UNKNOWN for others (and
 * NULL). Any thread. */
flz_decode_format flz_decode_format_of(const char *path);

/* Nonzero if `path` has an extension of the table. Any thread. */
int flz_decode_is_audio_name(const char *path);

/* Writes the table's extensions for people, ".wav, .ogg, .oga, .flac, .aif or .aiff",
 * into `text` (`text_size` bytes, NUL-terminated, cut short if too small;
 * may be NULL with 0). Returns the length of the whole list, as snprintf.
 * Any thread. */
size_t flz_decode_extension_list(char *text, size_t text_size);

/* Decodes `path` with `config` (NULL: all defaults) into `out`, and fills
 * `source` (if not NULL) with what the file holds (for ADPCM the fact
 * chunk's frame count, without the last block's padding).
 * Scale: integers of b bits map to v / 2^(b-1) exactly (unsigned 8-bit after
 * subtracting 128).
 * Rate conversion: exactly round(frames * rate / file rate) frames, by one
 * SDL_AudioStream per file in SDL's libsamplerate mode
 * (SRC_SINC_MEDIUM_QUALITY); frames past the end count as silence. On a
 * 1 kHz sine from 44.1 to 48 kHz and back, tests/platform/test_decode.c
 * asserts at least 80 dB SNR; with SDL 2.26.5 and libsamplerate 0.2.2 it
 * measures 136.7 dB up and 133.1 dB down.
 * The first conversion starts SDL's audio subsystem (flz_decode_prepare);
 * without any audio driver SDL's own resampler, about 61 dB, is what
 * remains.
 * Channels: mono and stereo stay; 3 to 8 are downmixed to stereo (ITU-R
 * BS.775 Table 2's 3/2 to 2/0, extended): front left/right and left/right of
 * centre 1.0 to their side; centres (front, top, top front) 0.7071 to both;
 * surround, back and top sides 0.7071 to their side; back centres 0.5 to
 * both; LFE dropped; every gain divided by the larger side's sum, so full
 * scale never clips. Speakers come from a WAVE_FORMAT_EXTENSIBLE channel mask
 * naming as many speakers as channels, else the format's own order (its file
 * in platform/decode/ lists it).
 * Errors: FLZ_ERR_ARGUMENT (NULL path or out, a rate other than 0 or
 * FLZ_RATE_MIN..FLZ_DECODE_MAX_RATE), FLZ_ERR_NOT_FOUND, FLZ_ERR_IS_DIRECTORY,
 * FLZ_ERR_READ (also not a regular file), FLZ_ERR_EMPTY_FILE,
 * FLZ_ERR_CORRUPT (also truncated, 0 Hz, 0 channels, a chunk past the end),
 * FLZ_ERR_UNSUPPORTED (an unknown extension or encoding, an Ogg that is not
 * Vorbis, more than 8 channels, more than 2^31 frames), FLZ_ERR_NO_AUDIO,
 * FLZ_ERR_POOL_FULL (larger than max_bytes), FLZ_ERR_NO_MEMORY; then `out`
 * is empty and `detail` (`detail_size` bytes, may be 0) holds a short
 * reason, the decoder's own words where it has them (SDL_GetError, the
 * stb_vorbis or libFLAC error name). */
int flz_decode_load(const char *path, const flz_decode_config *config, flz_decoded *out,
                    flz_audio_info *source, char *detail, size_t detail_size);

/* flz_decode_load with only a rate (0 keeps the file's). */
int flz_decode_file(const char *path, uint32_t rate, flz_decoded *out, flz_audio_info *source,
                    char *detail, size_t detail_size);

/* flz_decode_load on `size` bytes at `data` holding a file of `format`, for
 * callers that read the file themselves (and the fuzzers). Same results,
 * but none of the file errors. */
int flz_decode_memory(const void *data, size_t size, flz_decode_format format,
                      const flz_decode_config *config, flz_decoded *out, flz_audio_info *source,
                      char *detail, size_t detail_size);

/* Reads the headers of `path` (WAV: the chunk list; FLAC: STREAMINFO; Ogg:
 * the whole file, whose Vorbis headers and last page stb_vorbis reads) and
 * fills `estimate` for a decode at `rate` Hz (0: the file's rate). Errors as
 * flz_decode_load for what the headers show; a file that probes fine may
 * still fail to decode (a corrupt body). */
int flz_decode_probe(const char *path, uint32_t rate, flz_decode_estimate *estimate, char *detail,
                     size_t detail_size);

/* flz_decode_probe on a file held in memory. */
int flz_decode_probe_memory(const void *data, size_t size, flz_decode_format format, uint32_t rate,
                            flz_decode_estimate *estimate, char *detail, size_t detail_size);

/* Frees what flz_decode_load allocated and empties `decoded`. NULL-safe. */
void flz_decode_free(flz_decoded *decoded);

/* Starts what rate conversion needs (SDL's audio subsystem, which loads
 * libsamplerate) and sets the SDL hints the decoders read, once per process;
 * decoding does it on first need anyway. Call it on the control thread
 * before decoding on other threads, so SDL's per-thread state of that start
 * belongs to a thread that lives to the end, and no hint is written while
 * the control thread's window reads SDL's hints (they have no lock).
 * SDL starts the driver SDL_AUDIODRIVER names (or its first working one),
 * and an SDL audio output opened later shares it: open the output first, as
 * flitz does, to choose it there.
 * Any thread; blocks while SDL probes its audio drivers. */
void flz_decode_prepare(void);

#endif
