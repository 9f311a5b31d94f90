/* tests/app/kitrender.c: the shared render of the kit-format tests
 * (kitrender.h). */
#include "kitrender.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <cmocka.h>

#include "app/render.h"
#include "capture.h"

flz_kitrender_wav flz_kitrender_run(const char *dir, const char *kit, const char *preset,
                                    const char *script, const char *seconds)
{
  return flz_kitrender_run_at(dir, kit, preset, script, seconds, FLZ_KITRENDER_RATE);
}

flz_kitrender_wav flz_kitrender_run_at(const char *dir, const char *kit, const char *preset,
                                       const char *script, const char *seconds, uint32_t rate)
{
  char hz[16];
  snprintf(hz, sizeof hz, "%u", (unsigned)rate);
  char events[512], out[512];
  snprintf(events, sizeof events, "%s/events.txt", dir);
  snprintf(out, sizeof out, "%s/out.wav", dir);
  FILE *file = fopen(events, "w");
  assert_non_null(file);
  fputs(script, file);
  fclose(file);
  char *argv[12];
  int argc = 0;
  argv[argc++] = "render";
  argv[argc++] = "--rate";
  argv[argc++] = hz;
  argv[argc++] = "--seconds";
  argv[argc++] = (char *)seconds;
  if (preset != NULL) {
    argv[argc++] = "--preset";
    argv[argc++] = (char *)preset;
  }
  argv[argc++] = (char *)kit;
  argv[argc++] = events;
  argv[argc++] = out;
  argv[argc] = NULL;
  flz_capture c = flz_capture_run(flz_render_main, argc, argv);
  if (c.code != 0 || c.err[0] != '\0')
    fail_msg("render exit %d: %s", c.code, c.err);
  flz_capture_free(&c);
  SDL_AudioSpec spec;
  Uint8 *buffer = NULL;
  Uint32 length = 0;
  if (SDL_LoadWAV(out, &spec, &buffer, &length) == NULL)
    fail_msg("SDL_LoadWAV: %s", SDL_GetError());
  assert_int_equal(spec.format, AUDIO_F32LSB);
  assert_int_equal(spec.freq, rate);
  flz_kitrender_wav w = {.frames = length / 8};
  w.data = malloc(length);
  assert_non_null(w.data);
  memcpy(w.data, buffer, length);
  SDL_FreeWAV(buffer);
  return w;
}

void flz_kitrender_assert(const flz_kitrender_wav *w, uint64_t from, const float *left,
                          const float *right, uint64_t count, float tolerance)
{
  assert_true(from + count <= w->frames);
  for (uint64_t i = 0; i < count; i++) {
    float l = w->data[2 * (from + i)], r = w->data[2 * (from + i) + 1];
    float dl = l > left[i] ? l - left[i] : left[i] - l;
    float dr = r > right[i] ? r - right[i] : right[i] - r;
    if (dl > tolerance || dr > tolerance || (tolerance == 0.0f && (l != left[i] || r != right[i])))
      fail_msg("frame %llu: %g %g, want %g %g", (unsigned long long)(from + i), (double)l,
               (double)r, (double)left[i], (double)right[i]);
  }
}
