/* tests/app/wavread.c: a written WAV read back with SDL (wavread.h). */
#include "wavread.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

flz_wavread_wav flz_wavread_load(const char *path, SDL_AudioFormat format)
{
  SDL_AudioSpec spec;
  Uint8 *buffer = NULL;
  Uint32 length = 0;
  if (SDL_LoadWAV(path, &spec, &buffer, &length) == NULL)
    fail_msg("SDL_LoadWAV %s: %s", path, SDL_GetError());
  assert_int_equal(spec.channels, 2);
  assert_int_equal(spec.format, format);
  int s16 = format == AUDIO_S16LSB;
  size_t bytes = s16 ? 2 : 4;
  flz_wavread_wav w = {.frames = length / (2 * bytes), .rate = (uint32_t)spec.freq};
  w.data = malloc(sizeof(float) * 2 * (w.frames > 0 ? w.frames : 1));
  assert_non_null(w.data);
  for (size_t i = 0; i < 2 * w.frames; i++) {
    if (s16) {
      int16_t value;
      memcpy(&value, buffer + 2 * i, 2);
      w.data[i] = (float)value / 32767.0f;
    } else {
      memcpy(&w.data[i], buffer + 4 * i, 4);
    }
  }
  SDL_FreeWAV(buffer);
  return w;
}
