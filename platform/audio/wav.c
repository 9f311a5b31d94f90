/* platform/audio/wav.c: the "wav" audio output backend (offline, demand
 * only): render into a WAV file with no device.
 *
 * Owns: the WAV file being written, one period buffer, and in realtime mode
 * the thread that paces periods by CLOCK_MONOTONIC. Must not touch: SDL, the
 * engine. render is called on the pulling thread (pull mode) or on this
 * backend's thread (realtime); the file is written on the same thread after
 * render returns, so render itself stays free of I/O.
 *
 * Times passed to render:
 *   pull mode: a simulated clock, the time at which the period would begin
 *     had the output started playing when it was opened:
 *     open time + floor(frames rendered before it * 1e9 / rate) ns;
 *   realtime: CLOCK_MONOTONIC read just before render, as a device would.
 * Realtime periods begin at absolute deadlines, start time + floor(frames
 * rendered * 1e9 / rate), so rounding and late wake-ups never accumulate.
 *
 * Realtime, the file's header is rewritten and its data synced every
 * FLZ_FALLBACK_SYNC_SECONDS (engine/limits.h), so a killed process leaves a
 * playable file. When a write fails (a full disk), the thread stops writing
 * but renders on at the same pace, so the engine keeps time and takes its
 * commands; the file is cut back to valid WAV (platform/wav_file.h) and the
 * status operation reports the error to the control thread.
 */
#include "platform/audio/backend.h"

#include "engine/limits.h"
#include "engine/result.h"
#include "platform/clock.h"
#include "platform/wav_file.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct flz_audio_wav_output {
  flz_wav_file file;
  float *buffer; /* one period: period * channels interleaved floats */
  flz_audio_render_fn render;
  void *user;
  uint32_t rate;
  uint32_t period;
  uint32_t channels;
  int realtime;
  uint64_t open_ns;     /* the simulated clock's origin (pull mode) */
  uint64_t frames_done; /* frames rendered and written so far */
  pthread_t thread;
  int thread_running;              /* control thread only */
  atomic_int keep_going;           /* cleared by stop, read by the thread */
  int write_result;                /* the thread's first write error; read after join */
  char *path;                      /* the file's path, for messages */
  atomic_int write_errno;          /* errno of the realtime thread's failed write, 0 if none */
  _Atomic uint64_t frames_written; /* frames in the file when it failed */
} flz_audio_wav_output;

/* ns from the stream's origin to the frame `frames`, without overflow for
 * any stream shorter than 584 years. */
static uint64_t flz_audio_wav_frames_to_ns(uint64_t frames, uint32_t rate)
{
  return frames / rate * 1000000000ull + frames % rate * 1000000000ull / rate;
}

/* Renders `frames` (at most one period) and appends them to the file. */
static int flz_audio_wav_render_period(flz_audio_wav_output *w, uint32_t frames, uint64_t time_ns)
{
  w->render(w->user, w->buffer, frames, w->channels, time_ns);
  w->frames_done += frames;
  return flz_wav_file_write(&w->file, w->buffer, frames);
}

static void *flz_audio_wav_realtime_thread(void *arg)
{
  flz_audio_wav_output *w = arg;
  const uint64_t start_ns = flz_clock_now_ns();
  const uint64_t first_frame = w->frames_done;
  const uint64_t sync_ns = (uint64_t)FLZ_FALLBACK_SYNC_SECONDS * 1000000000u;
  uint64_t next_sync_ns = start_ns + sync_ns;

  while (atomic_load_explicit(&w->keep_going, memory_order_acquire)) {
    FLZ_AUDIO_PATH_ENTER();
    const uint64_t now_ns = flz_clock_now_ns();
    w->render(w->user, w->buffer, w->period, w->channels, now_ns);
    FLZ_AUDIO_PATH_LEAVE();
    w->frames_done += w->period;
    /* The file is written on this thread, but after render: the device
     * stand-in's I/O, not the audio path's. After a failed write, render on
     * without writing. */
    if (w->write_result == FLZ_OK) {
      int result = flz_wav_file_write(&w->file, w->buffer, w->period);
      if (result == FLZ_OK && now_ns >= next_sync_ns) {
        result = flz_wav_file_sync(&w->file);
        next_sync_ns = now_ns + sync_ns;
      }
      if (result != FLZ_OK) {
        w->write_result = result;
        atomic_store_explicit(&w->frames_written, w->file.frames, memory_order_relaxed);
        atomic_store_explicit(&w->write_errno, w->file.error != 0 ? w->file.error : EIO,
                              memory_order_release);
      }
    }
    flz_clock_sleep_until_ns(start_ns +
                             flz_audio_wav_frames_to_ns(w->frames_done - first_frame, w->rate));
  }
  return NULL;
}

static void flz_audio_wav_release(flz_audio_wav_output *w)
{
  free(w->path);
  free(w->buffer);
  free(w);
}

static int flz_audio_wav_open(flz_audio_output *out, const flz_audio_output_config *config)
{
  flz_audio_wav_output *w;
  int result;

  if (!config->device) {
    snprintf(out->detail, sizeof out->detail, "the wav backend needs a file path");
    return FLZ_ERR_ARGUMENT;
  }
  w = calloc(1, sizeof *w);
  if (!w) {
    return FLZ_ERR_NO_MEMORY;
  }
  w->buffer = calloc((size_t)config->period * config->channels, sizeof(float));
  w->path = strdup(config->device);
  if (!w->buffer || !w->path) {
    flz_audio_wav_release(w);
    return FLZ_ERR_NO_MEMORY;
  }
  errno = 0;
  result = flz_wav_file_open(&w->file, config->device, config->wav_format, config->channels,
                             config->rate);
  if (result != FLZ_OK) {
    snprintf(out->detail, sizeof out->detail, "%s",
             w->file.error ? strerror(w->file.error) : flz_result_message(result));
    flz_audio_wav_release(w);
    return result;
  }
  w->render = config->render;
  w->user = config->user;
  w->rate = config->rate;
  w->period = config->period;
  w->channels = config->channels;
  w->realtime = config->realtime;
  w->open_ns = flz_clock_now_ns();

  snprintf(out->info.driver, sizeof out->info.driver, "wav");
  snprintf(out->info.device, sizeof out->info.device, "%s", config->device);
  out->info.rate = config->rate;
  out->info.period = config->period;
  out->info.channels = config->channels;
  out->impl = w;
  return FLZ_OK;
}

static int flz_audio_wav_start(flz_audio_output *out)
{
  flz_audio_wav_output *w = out->impl;

  if (!w->realtime || w->thread_running) {
    return FLZ_OK;
  }
  atomic_store_explicit(&w->keep_going, 1, memory_order_release);
  if (pthread_create(&w->thread, NULL, flz_audio_wav_realtime_thread, w) != 0) {
    return FLZ_ERR_NO_MEMORY;
  }
  w->thread_running = 1;
  return FLZ_OK;
}

static void flz_audio_wav_stop(flz_audio_output *out)
{
  flz_audio_wav_output *w = out->impl;

  if (!w->thread_running) {
    return;
  }
  atomic_store_explicit(&w->keep_going, 0, memory_order_release);
  pthread_join(w->thread, NULL);
  w->thread_running = 0;
}

/* The realtime thread's failed write, as one reason naming the file. */
static int flz_audio_wav_status(flz_audio_output *out)
{
  flz_audio_wav_output *w = out->impl;
  const int error = atomic_load_explicit(&w->write_errno, memory_order_acquire);
  if (error == 0) {
    return FLZ_OK;
  }
  const uint64_t frames = atomic_load_explicit(&w->frames_written, memory_order_relaxed);
  snprintf(out->detail, sizeof out->detail, "%s: %s (%.1f s written; the file stays valid)",
           w->path, strerror(error), (double)frames / w->rate);
  return FLZ_ERR_WRITE;
}

static int flz_audio_wav_pull(flz_audio_output *out, uint32_t frames)
{
  flz_audio_wav_output *w = out->impl;

  if (w->realtime) {
    return FLZ_ERR_ARGUMENT;
  }
  if (frames == 0) {
    /* Zero frames still runs render once: the engine applies the commands
     * waiting for it without moving its clock. */
    return flz_audio_wav_render_period(
      w, 0, w->open_ns + flz_audio_wav_frames_to_ns(w->frames_done, w->rate));
  }
  while (frames > 0) {
    const uint32_t n = frames < w->period ? frames : w->period;
    const int result = flz_audio_wav_render_period(
      w, n, w->open_ns + flz_audio_wav_frames_to_ns(w->frames_done, w->rate));
    if (result != FLZ_OK) {
      return result;
    }
    frames -= n;
  }
  return FLZ_OK;
}

static void flz_audio_wav_close(flz_audio_output *out)
{
  flz_audio_wav_output *w = out->impl;

  if (flz_wav_file_close(&w->file) != FLZ_OK) {
    snprintf(out->detail, sizeof out->detail, "the WAV sizes %s",
             flz_result_message(FLZ_ERR_WRITE));
  }
  flz_audio_wav_release(w);
  out->impl = NULL;
}

/* No list_devices: the backend has no devices, only the file it is given. */
static int flz_audio_wav_init(flz_audio_output_ops *ops)
{
  ops->open = flz_audio_wav_open;
  ops->start = flz_audio_wav_start;
  ops->stop = flz_audio_wav_stop;
  ops->pull = flz_audio_wav_pull;
  ops->close = flz_audio_wav_close;
  ops->status = flz_audio_wav_status;
  return FLZ_OK;
}

const flz_audio_bootstrap flz_audio_wav_bootstrap = {
  .name = "wav",
  .desc = "offline: render into a WAV file (demand only)",
  .init = flz_audio_wav_init,
  .flags = FLZ_AUDIO_OUTPUT_DEMAND_ONLY | FLZ_AUDIO_OUTPUT_FALLBACK,
};
