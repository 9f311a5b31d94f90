/* platform/wav_file.h: writing RIFF WAVE files (the offline backend's output,
 * the default kit, test fixtures).
 *
 * Owns: the WAV header and the file handle. Reading WAV is SDL's job
 * (platform/decode.h). Control or writer thread only; blocks on I/O, never
 * from the audio callback. The header's sizes are written when the file is
 * closed and at each flz_wav_file_sync; they count only frames the system
 * took (the file is unbuffered, and a write that fails part way is cut back
 * to the last whole call), so a file whose disk filled up, or that was never
 * closed (SIGKILL) after a sync, is still a valid WAV of what was written.
 */
#ifndef FLZ_PLATFORM_WAV_FILE_H
#define FLZ_PLATFORM_WAV_FILE_H

#include <stdint.h>
#include <stdio.h>

typedef enum flz_wav_format {
  FLZ_WAV_FLOAT32 = 0, /* WAVE_FORMAT_IEEE_FLOAT, 32 bit */
  FLZ_WAV_S16 = 1,     /* WAVE_FORMAT_PCM, 16 bit, rounded and clamped */
} flz_wav_format;

typedef struct flz_wav_file {
  FILE *file;
  uint32_t format; /* flz_wav_format */
  uint32_t channels;
  uint32_t rate;   /* Hz */
  uint64_t frames; /* frames written so far (all of them taken by the system) */
  int error;       /* errno of the first failed write, 0 if none; no write
                      happens after one */
} flz_wav_file;

/* Creates (or truncates) `path` and writes a header for `channels` (1..8)
 * channels at `rate` Hz in `format`. Returns FLZ_OK, FLZ_ERR_WRITE if the file
 * cannot be created, FLZ_ERR_ARGUMENT for a bad format, rate or channels. */
int flz_wav_file_open(flz_wav_file *wav, const char *path, uint32_t format, uint32_t channels,
                      uint32_t rate);

/* Appends `frames` frames of interleaved float (`channels` values per frame,
 * nominal -1..1). Returns FLZ_OK or FLZ_ERR_WRITE. On a failed write (a full
 * disk: wav->error is ENOSPC) the file is cut back to the frames before this
 * call, its header says so, and every later write fails at once. */
int flz_wav_file_write(flz_wav_file *wav, const float *data, uint32_t frames);

/* Writes the sizes of what is written so far into the header and asks the
 * system to store the data (fdatasync), so that a process killed or a
 * machine switched off after it leaves a playable file. Returns FLZ_OK or
 * FLZ_ERR_WRITE. */
int flz_wav_file_sync(flz_wav_file *wav);

/* Writes the final sizes into the header and closes the file. Returns FLZ_OK
 * or FLZ_ERR_WRITE (the file is closed either way). */
int flz_wav_file_close(flz_wav_file *wav);

/* Writes `frames` frames of `data` (interleaved float, `channels` values a
 * frame) as the WAV file `path`, atomically: into `path`.tmp, synced, then
 * renamed over `path` and the folder synced, so a crash or power cut leaves
 * the old file or the new one, never a broken one. Returns FLZ_OK, or
 * FLZ_ERR_WRITE with the system's errno in `*error` (no .tmp is left behind;
 * `path` is unchanged), FLZ_ERR_ARGUMENT as flz_wav_file_open. */
int flz_wav_file_save(const char *path, uint32_t format, uint32_t channels, uint32_t rate,
                      const float *data, uint32_t frames, int *error);

#endif
