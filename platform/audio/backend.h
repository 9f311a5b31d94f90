/* platform/audio/backend.h: what an audio output backend gives the
 * dispatcher (platform/audio_output.c), as SDL2's src/audio/SDL_sysaudio.h
 * does for its drivers. Internal to platform/: app/ never includes it.
 *
 * Owns: the operations struct and the bootstrap entry. Each backend file
 * (platform/audio/<name>.c) defines one const flz_audio_bootstrap; its init
 * fills the operations it has, and the dispatcher gives every other one a
 * no-op default before calling it, so no caller tests for NULL. Every
 * operation runs on the control thread.
 */
#ifndef FLZ_PLATFORM_AUDIO_BACKEND_H
#define FLZ_PLATFORM_AUDIO_BACKEND_H

#include <stdint.h>

#include "platform/audio_output.h"

typedef struct flz_audio_output_ops {
  /* Opens the output for `config` (defaults filled); sets `out->impl` and
   * fills `out->info`. Errors as flz_audio_output_open; a reason goes in
   * `out->detail`. Default: FLZ_ERR_ARGUMENT. */
  int (*open)(flz_audio_output *out, const flz_audio_output_config *config);
  /* Begins calling render. Default: nothing, FLZ_OK. */
  int (*start)(flz_audio_output *out);
  /* No render call runs after it returns. Default: nothing. */
  void (*stop)(flz_audio_output *out);
  /* Demand only: renders `frames` frames now. Default: FLZ_ERR_ARGUMENT
   * (the backend pulls by itself). */
  int (*pull)(flz_audio_output *out, uint32_t frames);
  /* Closes what open opened and sets `out->impl` to NULL. Called only on an
   * open output, after stop. Default: nothing. */
  void (*close)(flz_audio_output *out);
  /* Whether the output still plays: FLZ_OK, or the error that stopped it
   * with the reason in `out->detail` (wav: FLZ_ERR_WRITE once a write to the
   * file failed; sdl: FLZ_ERR_AUDIO_DEVICE once the device is gone). Cheap;
   * never blocks on the audio thread. Default: FLZ_OK. */
  int (*status)(flz_audio_output *out);
  /* Reopens a lost device (flz_audio_output_reopen) and starts it. Called
   * only on an open output. Default: FLZ_ERR_ARGUMENT. */
  int (*reopen)(flz_audio_output *out);
  /* Calls `fn` once per output device; returns how many, or an error
   * (flz_audio_output_list_devices). Default: none, 0. */
  int (*list_devices)(flz_audio_device_fn fn, void *user);
} flz_audio_output_ops;

typedef struct flz_audio_bootstrap {
  const char *name; /* what flz_audio_output_open and info.backend call it */
  const char *desc; /* one line for people */
  /* Fills the operations the backend has; FLZ_OK if it is usable in this
   * build, else it is skipped. Only assigns pointers: called at every use. */
  int (*init)(flz_audio_output_ops *ops);
  uint32_t flags; /* flz_audio_output_flag bits */
} flz_audio_bootstrap;

/* The audio thread's path, marked for tests/platform/test_realtime.c: each
 * backend calls FLZ_AUDIO_PATH_ENTER() first thing on its audio thread before
 * it reads the clock and renders, and FLZ_AUDIO_PATH_LEAVE() once render has
 * returned, so everything between (the backend's own callback code, the
 * sampler, the engine, a tap) is what the test watches. Only the test's own
 * build of platform/ defines FLZ_TEST_HOOKS (tests/platform/CMakeLists.txt),
 * and the test defines the two functions; in flitz itself they are nothing. */
#if defined(FLZ_TEST_HOOKS)
void flz_audio_test_enter(void);
void flz_audio_test_leave(void);
#define FLZ_AUDIO_PATH_ENTER() flz_audio_test_enter()
#define FLZ_AUDIO_PATH_LEAVE() flz_audio_test_leave()
#else
#define FLZ_AUDIO_PATH_ENTER() ((void)0)
#define FLZ_AUDIO_PATH_LEAVE() ((void)0)
#endif

/* The entries, one per file under platform/audio/. */
extern const flz_audio_bootstrap flz_audio_sdl_bootstrap;
extern const flz_audio_bootstrap flz_audio_wav_bootstrap;

#endif
