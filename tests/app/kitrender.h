/* tests/app/kitrender.h: what the kit-format render tests share: a render
 * through `flitz render` at 44.1 kHz (no rate conversion, so a sample
 * plays as it is decoded), or at another rate, read back as stereo float
 * frames.
 * Owns: the rendered file it reads back. Test thread only. */
#ifndef FLZ_TESTS_APP_KITRENDER_H
#define FLZ_TESTS_APP_KITRENDER_H

#include <stdint.h>

#define FLZ_KITRENDER_RATE 44100u

typedef struct flz_kitrender_wav {
  float *data; /* stereo, interleaved; free it */
  uint64_t frames;
} flz_kitrender_wav;

/* Renders the events in text `script` on kit `kit` (`preset` "BANK:PROGRAM"
 * or NULL) for `seconds` into folder `dir`, asserts it succeeded with
 * nothing on stderr, and reads the output back. */
flz_kitrender_wav flz_kitrender_run(const char *dir, const char *kit, const char *preset,
                                    const char *script, const char *seconds);

/* As flz_kitrender_run, at `rate` Hz. */
flz_kitrender_wav flz_kitrender_run_at(const char *dir, const char *kit, const char *preset,
                                       const char *script, const char *seconds, uint32_t rate);

/* Asserts that frames [from, from + count) of `w` are `left` and `right`
 * (count values each, stride 1) within `tolerance` (0: exactly). */
void flz_kitrender_assert(const flz_kitrender_wav *w, uint64_t from, const float *left,
                          const float *right, uint64_t count, float tolerance);

#endif
