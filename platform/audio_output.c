/* platform/audio_output.c: the table of audio output backends and the calls
 * that dispatch into them.
 *
 * Owns: the table (each row is a backend's own entry), choosing a backend by
 * name or flag, the configuration defaults, and the no-op defaults for
 * operations a backend lacks. Must not touch: a backend's own state or its
 * library (platform/audio/<name>.c owns them), or the engine. The operations
 * are filled afresh at each call from the output's entry, so the dispatcher
 * keeps no state of its own.
 */
#include "platform/audio_output.h"

#include "engine/limits.h"
#include "engine/result.h"
#include "platform/audio/backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tried in this order when no backend is named. */
static const flz_audio_bootstrap *const flz_audio_output_backends[] = {
  &flz_audio_sdl_bootstrap,
  &flz_audio_wav_bootstrap,
  NULL,
};

static int flz_audio_output_no_open(flz_audio_output *out, const flz_audio_output_config *config)
{
  (void)out;
  (void)config;
  return FLZ_ERR_ARGUMENT;
}

static int flz_audio_output_no_start(flz_audio_output *out)
{
  (void)out;
  return FLZ_OK;
}

static void flz_audio_output_no_stop(flz_audio_output *out)
{
  (void)out;
}

static int flz_audio_output_no_pull(flz_audio_output *out, uint32_t frames)
{
  (void)out;
  (void)frames;
  return FLZ_ERR_ARGUMENT;
}

static int flz_audio_output_no_status(flz_audio_output *out)
{
  (void)out;
  return FLZ_OK;
}

static int flz_audio_output_no_reopen(flz_audio_output *out)
{
  (void)out;
  return FLZ_ERR_ARGUMENT;
}

static int flz_audio_output_no_devices(flz_audio_device_fn fn, void *user)
{
  (void)fn;
  (void)user;
  return 0;
}

/* Fills `ops` for backend `b` (NULL: an output that never opened gets the
 * defaults only). Returns b's init result. */
static int flz_audio_output_ops_of(const flz_audio_bootstrap *b, flz_audio_output_ops *ops)
{
  ops->open = flz_audio_output_no_open;
  ops->start = flz_audio_output_no_start;
  ops->stop = flz_audio_output_no_stop;
  ops->pull = flz_audio_output_no_pull;
  ops->close = flz_audio_output_no_stop;
  ops->status = flz_audio_output_no_status;
  ops->reopen = flz_audio_output_no_reopen;
  ops->list_devices = flz_audio_output_no_devices;
  return b != NULL ? b->init(ops) : FLZ_OK;
}

/* Fills `out` for backend `b` and opens it. */
static int flz_audio_output_open_backend(flz_audio_output *out, const flz_audio_bootstrap *b,
                                         const flz_audio_output_config *config)
{
  flz_audio_output_ops ops;
  int result;

  memset(out, 0, sizeof *out);
  out->config = *config;
  if (out->config.rate == 0) {
    out->config.rate = FLZ_DEFAULT_RATE;
  }
  if (out->config.period == 0) {
    out->config.period = FLZ_DEFAULT_PERIOD;
  }
  if (out->config.channels == 0) {
    out->config.channels = FLZ_DEFAULT_CHANNELS;
  }
  out->backend = b;
  out->flags = b->flags;
  result = flz_audio_output_ops_of(b, &ops);
  if (result != FLZ_OK) {
    return result;
  }
  result = ops.open(out, &out->config);
  if (result == FLZ_OK) {
    snprintf(out->info.backend, sizeof out->info.backend, "%s", b->name);
  }
  return result;
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
  for (i = 0; flz_audio_output_backends[i]; i++) {
    const flz_audio_bootstrap *b = flz_audio_output_backends[i];
    if (backend ? strcmp(backend, b->name) != 0 : (b->flags & FLZ_AUDIO_OUTPUT_DEMAND_ONLY) != 0) {
      continue;
    }
    result = flz_audio_output_open_backend(out, b, config);
    if (result == FLZ_OK || backend) {
      return result;
    }
  }
  if (backend) {
    snprintf(out->detail, sizeof out->detail, "no audio backend named \"%s\"", backend);
  }
  return result;
}

/* The operations of `out`'s backend while it is open, the defaults when
 * it is not (never opened, failed to open, or closed). */
static void flz_audio_output_ops_open(const flz_audio_output *out, flz_audio_output_ops *ops)
{
  (void)flz_audio_output_ops_of(out->impl ? out->backend : NULL, ops);
}

int flz_audio_output_start(flz_audio_output *out)
{
  flz_audio_output_ops ops;
  if (!out->impl) {
    return FLZ_ERR_ARGUMENT;
  }
  flz_audio_output_ops_open(out, &ops);
  return ops.start(out);
}

void flz_audio_output_stop(flz_audio_output *out)
{
  flz_audio_output_ops ops;
  flz_audio_output_ops_open(out, &ops);
  ops.stop(out);
}

int flz_audio_output_pull(flz_audio_output *out, uint32_t frames)
{
  flz_audio_output_ops ops;
  flz_audio_output_ops_open(out, &ops);
  return ops.pull(out, frames);
}

int flz_audio_output_status(flz_audio_output *out)
{
  flz_audio_output_ops ops;
  flz_audio_output_ops_open(out, &ops);
  return ops.status(out);
}

int flz_audio_output_reopen(flz_audio_output *out, uint32_t rate)
{
  flz_audio_output_ops ops;
  if (out->impl) {
    flz_audio_output_ops_open(out, &ops);
    return ops.reopen(out);
  }
  if (!out->backend) {
    return FLZ_ERR_ARGUMENT;
  }
  flz_audio_output_config config = out->config;
  config.rate = rate;
  config.exact_rate = 1;
  int result = flz_audio_output_open_backend(out, out->backend, &config);
  if (result == FLZ_OK && out->info.rate != rate) {
    flz_audio_output_close(out);
    snprintf(out->detail, sizeof out->detail, "the device runs at another rate");
    return FLZ_ERR_AUDIO_DEVICE;
  }
  if (result == FLZ_OK) {
    result = flz_audio_output_start(out);
  }
  return result;
}

void flz_audio_output_close(flz_audio_output *out)
{
  flz_audio_output_ops ops;
  flz_audio_output_ops_open(out, &ops);
  ops.stop(out);
  ops.close(out);
}

const char *flz_audio_output_find(uint32_t flags)
{
  size_t i;
  for (i = 0; flz_audio_output_backends[i]; i++) {
    if ((flz_audio_output_backends[i]->flags & flags) == flags) {
      return flz_audio_output_backends[i]->name;
    }
  }
  return NULL;
}

int flz_audio_output_use_sdl_disk(const char *path)
{
  if (setenv("SDL_AUDIODRIVER", "disk", 1) != 0 || setenv("SDL_DISKAUDIOFILE", path, 1) != 0) {
    return FLZ_ERR_NO_MEMORY;
  }
  return FLZ_OK;
}

int flz_audio_output_list_devices(flz_audio_device_fn fn, void *user)
{
  int count = 0;
  int error = FLZ_OK;
  size_t i;

  for (i = 0; flz_audio_output_backends[i]; i++) {
    flz_audio_output_ops ops;
    int listed;
    if (flz_audio_output_ops_of(flz_audio_output_backends[i], &ops) != FLZ_OK) {
      continue;
    }
    listed = ops.list_devices(fn, user);
    if (listed >= 0) {
      count += listed;
    } else if (error == FLZ_OK) {
      error = listed;
    }
  }
  return count == 0 && error != FLZ_OK ? error : count;
}
