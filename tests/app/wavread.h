/* tests/app/wavread.h: a WAV file that a test made Flitz write, read back
 * with SDL_LoadWAV (SDL's reader, not Flitz's code) as interleaved stereo
 * float frames. Test helper only; test thread only. */
#ifndef FLZ_TESTS_APP_WAVREAD_H
#define FLZ_TESTS_APP_WAVREAD_H

#include <stdint.h>

#include <SDL.h>

typedef struct flz_wavread_wav {
  float *data; /* interleaved stereo, -1..1; malloc'ed: free it */
  uint64_t frames;
  uint32_t rate; /* Hz, as the file says */
} flz_wavread_wav;

/* Reads the stereo WAV `path`, asserting (cmocka) that it loads and holds 2
 * channels of `format`: AUDIO_F32LSB (the values as they are) or
 * AUDIO_S16LSB (each value / 32767). */
flz_wavread_wav flz_wavread_load(const char *path, SDL_AudioFormat format);

#endif
