/* platform/decode.h: decoding audio files into float frames at the engine's
 * rate.
 *
 * Owns: reading and decoding files and their headers. WAV through SDL
 * (SDL_LoadWAV_RW: PCM 8/16/24/32-bit, 32-bit IEEE float, MS and IMA ADPCM,
 * A-law, mu-law, WAVE_FORMAT_EXTENSIBLE) plus 64-bit IEEE float, which SDL
 * 2.26 refuses and Flitz decodes itself; the loop of a WAV `smpl` chunk; Ogg
 * Vorbis (.ogg, .oga) through stb_vorbis; FLAC (.flac) through libFLAC;
 * the downmix of 3 to 8 channels to stereo and the rate conversion
 * (SDL_AudioStream in its libsamplerate mode, see flz_decode_load). Files are
 * recognised by extension, case-insensitive.
 * Loader or control thread only: blocks on I/O and allocates; never from the
 * audio callback. Thread-safe: separate calls may run on separate threads.
 */
#ifndef FLZ_PLATFORM_DECODE_H
#define FLZ_PLATFORM_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* The containers Flitz decodes. */
typedef enum flz_decode_format {
  FLZ_DECODE_UNKNOWN = 0,
  FLZ_DECODE_WAV,  /* .wav */
  FLZ_DECODE_OGG,  /* .ogg, .oga: Ogg Vorbis */
  FLZ_DECODE_FLAC, /* .flac: native FLAC */
} flz_decode_format;

/* Most channels a file may have: 8 (7.1), the most any downmix below is
 * defined for. More is FLZ_ERR_UNSUPPORTED. */
#define FLZ_DECODE_MAX_CHANNELS 8u

/* Highest source rate accepted, Hz: 768 kHz, the top rate of current audio
 * interfaces; a header claiming more is FLZ_ERR_UNSUPPORTED. */
#define FLZ_DECODE_MAX_RATE 768000u

/* What a file holds, at its own rate. */
typedef struct flz_audio_info {
  uint64_t frames;   /* frames of the file at `rate` */
  uint32_t channels; /* channels of the file */
  uint32_t rate;     /* Hz */
} flz_audio_info;

/* Decoded audio. `data` is interleaved float, `channels` (1 or 2) values per
 * frame, `frame_count` frames at `rate` Hz; free it with flz_decode_free.
 * A loop from a WAV `smpl` chunk (its first loop) is kept as frames of the
 * decoded audio: `loop_start` is the first frame of the loop and `loop_end`
 * one past its last (the chunk's end is inclusive, so loop_end = end + 1),
 * both scaled by rate / file rate and rounded to the nearest frame (halves
 * up), then clamped to frame_count. A loop that is empty or starts past the
 * end after that is dropped (has_loop 0, both 0). */
typedef struct flz_decoded {
  float *data;
  uint64_t frame_count;
  uint32_t channels;
  uint32_t rate;
  int has_loop;
  uint64_t loop_start; /* frames */
  uint64_t loop_end;   /* frames, exclusive */
} flz_decoded;

/* Calls back with the source frames decoded so far of `total` (0 when the
 * header gives no length), on the decoding thread; at most once per decoded
 * block (4096 frames for Ogg, a FLAC frame, once at the end for WAV). */
typedef void (*flz_decode_progress)(void *user, uint64_t frames_done, uint64_t frames_total);

/* Zero fields mean "use the default". */
typedef struct flz_decode_config {
  uint32_t rate;                /* Hz wanted; 0 keeps the file's rate */
  uint64_t max_bytes;           /* largest decoded sample, bytes; default
                                   FLZ_POOL_BYTES (a larger one cannot be
                                   loaded anyway): FLZ_ERR_POOL_FULL */
  flz_decode_progress progress; /* NULL: no progress */
  void *user;                   /* handed to `progress` */
} flz_decode_config;

/* What a decode will give, from the headers alone. */
typedef struct flz_decode_estimate {
  flz_audio_info source; /* frames 0 when the header does not say */
  uint64_t frames;       /* frames at the wanted rate (round(source.frames * rate /
                            source.rate)); for ADPCM without a fact chunk an upper
                            bound (the last block's padding counts); 0 if unknown */
  uint32_t channels;     /* 1 or 2: the decoded channels */
  int known;             /* 0: the length is unknown until decoded (a FLAC stream
                            whose STREAMINFO says 0 samples) */
} flz_decode_estimate;

/* Nonzero if `path` has an extension Flitz decodes: .wav, .ogg, .oga or
 * .flac, any case. */
int flz_decode_is_audio_name(const char *path);

/* The format `path`'s extension names, FLZ_DECODE_UNKNOWN for others. */
flz_decode_format flz_decode_format_of(const char *path);

/* Bytes that always hold flz_decode_extension_list's text and its NUL
 * (tests/platform/test_decode.c checks it). */
#define FLZ_DECODE_EXTENSION_LIST_BYTES 64u

/* Writes the table's extensions for people, ".wav, .ogg, .oga or .flac",
 * into `text` (`text_size` bytes, NUL-terminated, cut short if too small;
 * may be NULL with 0). Returns the length of the whole list, as snprintf.
 * Any thread. */
size_t flz_decode_extension_list(char *text, size_t text_size);

/* Decodes `path` with `config` (NULL: all defaults).
 * Rate conversion: a converted sample has exactly round(frames * rate / file
 * rate) frames, converted by one SDL_AudioStream per file (one put: SDL
 * 2.26's resampler restarts its clock at every put) in SDL's libsamplerate
 * mode (SDL_HINT_AUDIO_RESAMPLING_MODE "medium", libsamplerate's
 * SRC_SINC_MEDIUM_QUALITY: over 130 dB SNR on a 1 kHz sine from 44.1 to 48
 * kHz and back, tests/platform/test_decode.c). The first conversion starts
 * SDL's audio subsystem for the life of the process, because SDL loads
 * libsamplerate there; without any audio driver SDL's own resampler (about
 * 61 dB) is what remains. Frames after the end of the file count as silence.
 * Channels: mono stays mono and stereo stays stereo; 3 to 8 channels are
 * downmixed to stereo: front left/right (and left/right of centre) 1.0 to
 * their side; centre (front, top, top front) 0.7071 to both; surround, back
 * and top sides 0.7071 to their side; back centre (and top back centre) 0.5
 * to both; LFE dropped (ITU-R BS.775 Table 2's 3/2 to 2/0 downmix, extended
 * to the other speakers), and every coefficient divided by the larger of the
 * two sides' coefficient sums, so full-scale input never clips. Speakers come
 * from a WAVE_FORMAT_EXTENSIBLE channel mask when it names as many speakers
 * as there are channels, else the format's order: WAV as SDL 2.26 documents
 * it (3: FL FR LFE; 4: FL FR BL BR; 5: FL FR LFE BL BR; 6: FL FR FC LFE BL BR;
 * 7: FL FR FC LFE BC SL SR; 8: FL FR FC LFE BL BR SL SR), FLAC as its format
 * specification does (3: L R C; 5: FL FR C BL BR; 4, 6, 7, 8 as WAV), Vorbis
 * as the Vorbis I specification section 4.3.9 does (3: L C R; 4: FL FR BL BR;
 * 5: FL C FR BL BR; 6: FL C FR BL BR LFE; 7: FL C FR SL SR BC LFE;
 * 8: FL C FR SL SR BL BR LFE).
 * Scale: integer samples v of b bits map to v / 2^(b-1) exactly (unsigned
 * 8-bit after subtracting 128).
 * Fills `out` and, if not NULL, `source` with what the file holds (for ADPCM
 * the fact chunk's frame count, without the last block's padding). On error
 * returns one of FLZ_ERR_ARGUMENT (NULL path or out, a rate other than 0 or
 * 8000..FLZ_DECODE_MAX_RATE),
 * FLZ_ERR_NOT_FOUND, FLZ_ERR_IS_DIRECTORY, FLZ_ERR_READ (also not a regular
 * file), FLZ_ERR_EMPTY_FILE, FLZ_ERR_CORRUPT (also any truncated file, a 0 Hz
 * rate, 0 channels, a chunk running past the end of the file),
 * FLZ_ERR_UNSUPPORTED (an unknown extension or encoding, an Ogg that is not
 * Vorbis, more than 8 channels, more than 2^31 frames), FLZ_ERR_NO_AUDIO,
 * FLZ_ERR_POOL_FULL (decoded larger than max_bytes), FLZ_ERR_NO_MEMORY,
 * leaves `out` empty, and writes a short reason (the decoder's own words
 * where it has them, e.g. SDL_GetError, the stb_vorbis or libFLAC error name)
 * into `detail` (`detail_size` bytes, may be 0). */
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

/* Reads the headers of `path` (WAV: the RIFF chunk list; FLAC: STREAMINFO;
 * Ogg: the whole file, whose Vorbis headers and last page stb_vorbis reads)
 * and fills `estimate` for a decode at `rate` Hz (0: the file's rate).
 * Errors as flz_decode_load for what the headers show; a file that probes
 * fine may still fail to decode (a corrupt body). */
int flz_decode_probe(const char *path, uint32_t rate, flz_decode_estimate *estimate, char *detail,
                     size_t detail_size);

/* flz_decode_probe on a file held in memory. */
int flz_decode_probe_memory(const void *data, size_t size, flz_decode_format format, uint32_t rate,
                            flz_decode_estimate *estimate, char *detail, size_t detail_size);

/* Frees what flz_decode_load allocated and empties `decoded`. NULL-safe. */
void flz_decode_free(flz_decoded *decoded);

/* Starts what rate conversion needs (SDL's audio subsystem, which loads
 * libsamplerate) once per process; decoding does it on first need anyway.
 * Call it on the control thread before decoding on other threads, so SDL's
 * per-thread state of that start belongs to a thread that lives to the end.
 * SDL starts the driver SDL_AUDIODRIVER names then (or its first working
 * one), and an SDL audio output opened later in the process shares it: open
 * the output first, as flitz does, to choose it there.
 * Any thread; blocks while SDL probes its audio drivers. */
void flz_decode_prepare(void);

#endif
