/* platform/audio_output.c: the table of audio output backends and the calls
 * that dispatch into them.
 *
 * Owns: choosing a backend by name, the configuration defaults, the no-op
 * defaults for operations a backend lacks, and listing SDL's devices. Must
 * not touch: a backend's own state (platform/audio/<name>.c owns it) or the
 * engine.
 */
#include "platform/audio_output.h"

#include "engine/result.h"
#include "platform/alsa_quiet.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  DEFAULT_RATE = 48000,   /* what USB DACs and SDL's drivers take without resampling */
  DEFAULT_PERIOD = 256,   /* 5.3 ms at 48 kHz: low latency, yet safe on a Pi 4 */
  DEFAULT_CHANNELS = 2
};

static const flz_audio_bootstrap sdl_bootstrap = {"sdl", "SDL2 audio output", flz_audio_sdl_init,
                                                  0};
static const flz_audio_bootstrap wav_bootstrap = {
    "wav", "offline: render into a WAV file (demand only)", flz_audio_wav_init, 1};

const flz_audio_bootstrap *const flz_audio_backends[] = {&sdl_bootstrap, &wav_bootstrap, NULL};

static int noop_start(flz_audio_output *out)
{
  (void)out;
  return FLZ_OK;
}

static void noop_stop(flz_audio_output *out)
{
  (void)out;
}

static int no_pull(flz_audio_output *out, uint32_t frames)
{
  (void)out;
  (void)frames;
  return FLZ_ERR_ARGUMENT;
}

/* Fills `out` for backend `b` and opens it. */
static int open_backend(flz_audio_output *out, const flz_audio_bootstrap *b,
                        const flz_audio_output_config *config)
{
  int result;

  memset(out, 0, sizeof *out);
  out->config = *config;
  if (out->config.rate == 0) {
    out->config.rate = DEFAULT_RATE;
  }
  if (out->config.period == 0) {
    out->config.period = DEFAULT_PERIOD;
  }
  if (out->config.channels == 0) {
    out->config.channels = DEFAULT_CHANNELS;
  }
  out->backend = b;
  result = b->init(&out->ops);
  if (result != FLZ_OK || !out->ops.open) {
    return result != FLZ_OK ? result : FLZ_ERR_ARGUMENT;
  }
  if (!out->ops.start) {
    out->ops.start = noop_start;
  }
  if (!out->ops.stop) {
    out->ops.stop = noop_stop;
  }
  if (!out->ops.pull) {
    out->ops.pull = no_pull;
  }
  if (!out->ops.close) {
    out->ops.close = noop_stop;
  }
  return out->ops.open(out, &out->config);
}

int flz_audio_output_open(flz_audio_output *out, const char *backend,
                          const flz_audio_output_config *config)
{
  int result = FLZ_ERR_ARGUMENT;
  size_t i;

  if (!out) {
    return FLZ_ERR_ARGUMENT;
  }
  memset(out, 0, sizeof *out);
  if (!config || !config->render) {
    snprintf(out->detail, sizeof out->detail, "no render function");
    return FLZ_ERR_ARGUMENT;
  }
  for (i = 0; flz_audio_backends[i]; i++) {
    const flz_audio_bootstrap *b = flz_audio_backends[i];
    if (backend ? strcmp(backend, b->name) != 0 : b->demand_only) {
      continue;
    }
    result = open_backend(out, b, config);
    if (result == FLZ_OK || backend) {
      return result;
    }
  }
  if (backend) {
    snprintf(out->detail, sizeof out->detail, "no audio backend named \"%s\"", backend);
  }
  return result;
}

int flz_audio_output_start(flz_audio_output *out)
{
  return out->ops.start(out);
}

void flz_audio_output_stop(flz_audio_output *out)
{
  out->ops.stop(out);
}

int flz_audio_output_pull(flz_audio_output *out, uint32_t frames)
{
  return out->ops.pull(out, frames);
}

void flz_audio_output_close(flz_audio_output *out)
{
  if (!out->impl) {
    return;
  }
  out->ops.stop(out);
  out->ops.close(out);
}

int flz_audio_output_use_sdl_disk(const char *path)
{
  if (setenv("SDL_AUDIODRIVER", "disk", 1) != 0 || setenv("SDL_DISKAUDIOFILE", path, 1) != 0) {
    return FLZ_ERR_NO_MEMORY;
  }
  return FLZ_OK;
}

int flz_audio_output_list_devices(void (*fn)(void *user, const char *driver, const char *name),
                                  void *user)
{
  flz_alsa_quiet();
  const int was_init = SDL_WasInit(SDL_INIT_AUDIO) != 0;
  const char *driver;
  int count;
  int i;

  if (!was_init && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
    return FLZ_ERR_NO_AUDIO_DEVICE;
  }
  driver = SDL_GetCurrentAudioDriver();
  count = SDL_GetNumAudioDevices(0);
  if (count < 0) {
    count = 0;
  }
  for (i = 0; i < count; i++) {
    const char *name = SDL_GetAudioDeviceName(i, 0);
    if (name) {
      fn(user, driver, name);
    }
  }
  if (!was_init) {
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
  }
  return count;
}
