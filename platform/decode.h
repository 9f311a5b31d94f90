/* platform/decode.h: decoding audio files into float frames.
 *
 * Owns: reading and decoding files. WAV through SDL (SDL_LoadWAV_RW: every
 * encoding SDL 2.26 decodes: PCM 8/16/24/32-bit, 32-bit IEEE float, MS and IMA
 * ADPCM, A-law, mu-law, WAVE_FORMAT_EXTENSIBLE; not 64-bit float nor GSM,
 * which give FLZ_ERR_UNSUPPORTED); Ogg Vorbis (.ogg, .oga) through
 * stb_vorbis; conversion of rate and channel count through SDL_AudioStream.
 * Files are recognised by extension, case-insensitive.
 * Loader or control thread only: blocks on I/O and allocates; never from the
 * audio callback. Thread-safe: separate calls may run on separate threads.
 */
#ifndef FLZ_PLATFORM_DECODE_H
#define FLZ_PLATFORM_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* What a file holds, at its own rate. */
typedef struct flz_audio_info {
  uint64_t frames;   /* frames of the file at `rate` */
  uint32_t channels; /* channels of the file */
  uint32_t rate;     /* Hz */
} flz_audio_info;

/* Decoded audio. `data` is interleaved float, `channels` (1 or 2) values per
 * frame, `frame_count` frames at `rate` Hz; free it with flz_decode_free. */
typedef struct flz_decoded {
  float *data;
  uint64_t frame_count;
  uint32_t channels;
  uint32_t rate;
} flz_decoded;

/* Nonzero if `path` has an extension Flitz decodes: .wav, .ogg or .oga. */
int flz_decode_is_audio_name(const char *path);

/* Decodes `path`. `rate` is the rate wanted in Hz (0 keeps the file's rate);
 * a converted sample has exactly round(frames * rate / file rate) frames.
 * Mono stays mono and stereo stays stereo; more channels are downmixed to
 * stereo by SDL_AudioStream. 8-, 16- and 24-bit PCM map v (signed) to
 * v / 2^(bits-1) exactly.
 * Fills `out` and, if not NULL, `source` with what the file holds (for ADPCM
 * the fact chunk's frame count, without the last block's padding). On error
 * returns one of FLZ_ERR_ARGUMENT (NULL path or out, rate > INT_MAX),
 * FLZ_ERR_NOT_FOUND, FLZ_ERR_IS_DIRECTORY, FLZ_ERR_READ, FLZ_ERR_EMPTY_FILE,
 * FLZ_ERR_CORRUPT (also any truncated file), FLZ_ERR_UNSUPPORTED (also more
 * than 2^31 frames, an unknown extension, an Ogg that is not Vorbis),
 * FLZ_ERR_NO_AUDIO, FLZ_ERR_NO_MEMORY, leaves `out` empty, and writes a short
 * reason (the decoder's own words where it has them, e.g. SDL_GetError or the
 * stb_vorbis error name) into `detail` (`detail_size` bytes, may be 0). */
int flz_decode_file(const char *path, uint32_t rate, flz_decoded *out, flz_audio_info *source,
                    char *detail, size_t detail_size);

/* Frees what flz_decode_file allocated and empties `decoded`. NULL-safe. */
void flz_decode_free(flz_decoded *decoded);

#endif
