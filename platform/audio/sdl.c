/* platform/audio/sdl.c: the "sdl" audio output backend (SDL2's audio
 * device, its callback calling render).
 *
 * Owns: SDL's audio subsystem while it is the one that initialized it, one
 * SDL audio device, and the callback. Must not touch: the engine, or any
 * other SDL subsystem. The device is opened with float samples and the
 * requested channel count fixed (SDL converts if the hardware differs), so
 * the callback hands SDL's buffer to render as it is; rate and period may
 * change to what the device prefers.
 *
 * "No device at all" (FLZ_ERR_NO_AUDIO_DEVICE): SDL has no usable driver, or
 * it lists no output device and the default one cannot be opened (on a
 * machine with no sound card, SDL 2.26 falls back to its ALSA driver, which
 * lists nothing and fails with "ALSA: Couldn't open audio device: No such
 * file or directory"). Any other failure to open is FLZ_ERR_AUDIO_DEVICE.
 * SDL's reason is kept in out->detail either way.
 *
 * Devices: lists SDL's output devices, with SDL's audio subsystem started
 * for the listing and quit again if it was not running.
 *
 * Scheduling: after opening (and reopening) a device, the control thread
 * finds SDL's audio thread by the name SDL gives it ("SDLAudioP" and the
 * device id, /proc/self/task/TID/comm) and moves it to SCHED_FIFO at
 * FLZ_AUDIO_RT_PRIORITY, then reads back what it has into info.scheduling.
 * The audio thread itself makes no call for it.
 */
#include "platform/audio/backend.h"

#include "engine/limits.h"
#include "engine/result.h"
#include "platform/alsa_quiet.h"
#include "platform/clock.h"

#include <SDL.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct flz_audio_sdl_output {
  SDL_AudioDeviceID device; /* 0 while a reopen failed */
  SDL_AudioSpec have;       /* what the device got, asked for again on reopen */
  char name[256];           /* the device asked for, "" = the default */
  int quit_audio;           /* this output initialized SDL's audio subsystem */
  flz_audio_render_fn render;
  void *user;
  uint32_t channels;
} flz_audio_sdl_output;

/* SDL's audio thread: one read of the clock, then render straight into
 * SDL's buffer. */
static void SDLCALL flz_audio_sdl_callback(void *user, Uint8 *stream, int len)
{
  FLZ_AUDIO_PATH_ENTER();
  const flz_audio_sdl_output *s = user;
  const uint32_t frames = (uint32_t)len / (uint32_t)(sizeof(float) * s->channels);
  s->render(s->user, (float *)(void *)stream, frames, s->channels, flz_clock_now_ns());
  FLZ_AUDIO_PATH_LEAVE();
}

static void flz_audio_sdl_set_text(char *dst, size_t size, const char *text)
{
  snprintf(dst, size, "%s", text ? text : "");
}

/* The id of the thread of this process named `name`, or 0. */
static long flz_audio_sdl_thread_id(const char *name)
{
  DIR *tasks = opendir("/proc/self/task");
  struct dirent *entry;
  long found = 0;
  if (!tasks) {
    return 0;
  }
  while (found == 0 && (entry = readdir(tasks)) != NULL) {
    char path[64];
    char comm[32] = "";
    FILE *file;
    snprintf(path, sizeof path, "/proc/self/task/%.20s/comm", entry->d_name);
    file = fopen(path, "r");
    if (!file) {
      continue;
    }
    if (fgets(comm, sizeof comm, file) && strcspn(comm, "\n") == strlen(name) &&
        strncmp(comm, name, strlen(name)) == 0) {
      found = strtol(entry->d_name, NULL, 10);
    }
    fclose(file);
  }
  closedir(tasks);
  return found;
}

/* Moves the device's audio thread to SCHED_FIFO at FLZ_AUDIO_RT_PRIORITY and
 * says in `text` what it has now, or why not. Control thread. */
static void flz_audio_sdl_schedule(SDL_AudioDeviceID device, char *text, size_t size)
{
  char name[32];
  struct sched_param param = {.sched_priority = FLZ_AUDIO_RT_PRIORITY};
  snprintf(name, sizeof name, "SDLAudioP%u", (unsigned)device);
  const long tid = flz_audio_sdl_thread_id(name);
  if (tid == 0) {
    snprintf(text, size, "not known (no thread %s in /proc/self/task)", name);
    return;
  }
  const int refused = sched_setscheduler((pid_t)tid, SCHED_FIFO, &param) != 0 ? errno : 0;
  const int policy = sched_getscheduler((pid_t)tid);
  if (policy < 0 || sched_getparam((pid_t)tid, &param) != 0) {
    snprintf(text, size, "not known (thread %ld: %s)", tid, strerror(errno));
    return;
  }
  const char *policy_name = policy == SCHED_FIFO    ? "SCHED_FIFO"
                            : policy == SCHED_RR    ? "SCHED_RR"
                            : policy == SCHED_OTHER ? "SCHED_OTHER"
                                                    : "another policy";
  if (refused == 0) {
    snprintf(text, size, "%s, priority %d", policy_name, param.sched_priority);
  } else {
    snprintf(text, size, "%s, priority %d (SCHED_FIFO priority %d refused: %s)", policy_name,
             param.sched_priority, FLZ_AUDIO_RT_PRIORITY, strerror(refused));
  }
}

static void flz_audio_sdl_release(flz_audio_sdl_output *s)
{
  if (s->device != 0) {
    SDL_CloseAudioDevice(s->device);
  }
  if (s->quit_audio) {
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
  }
  free(s);
}

static int flz_audio_sdl_open(flz_audio_output *out, const flz_audio_output_config *config)
{
  SDL_AudioSpec want;
  SDL_AudioSpec have;
  flz_audio_sdl_output *s;

  if (config->channels > 255 || config->period > 65535 || config->rate > INT32_MAX) {
    return FLZ_ERR_ARGUMENT;
  }
  s = calloc(1, sizeof *s);
  if (!s) {
    return FLZ_ERR_NO_MEMORY;
  }
  s->render = config->render;
  s->user = config->user;
  s->channels = config->channels;
  flz_alsa_quiet();
  if (SDL_WasInit(SDL_INIT_AUDIO) == 0) {
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
      flz_audio_sdl_set_text(out->detail, sizeof out->detail, SDL_GetError());
      flz_audio_sdl_release(s);
      return FLZ_ERR_NO_AUDIO_DEVICE;
    }
    s->quit_audio = 1;
  }
  flz_audio_sdl_set_text(out->info.driver, sizeof out->info.driver, SDL_GetCurrentAudioDriver());

  SDL_zero(want);
  want.freq = (int)config->rate;
  want.format = AUDIO_F32SYS;
  want.channels = (Uint8)config->channels;
  want.samples = (Uint16)config->period;
  want.callback = flz_audio_sdl_callback;
  want.userdata = s;
  SDL_ClearError();
  s->device = SDL_OpenAudioDevice(config->device, 0, &want, &have,
                                  (config->exact_rate ? 0 : SDL_AUDIO_ALLOW_FREQUENCY_CHANGE) |
                                    SDL_AUDIO_ALLOW_SAMPLES_CHANGE);
  if (s->device == 0) {
    const int none = !config->device && SDL_GetNumAudioDevices(0) <= 0;
    flz_audio_sdl_set_text(out->detail, sizeof out->detail, SDL_GetError());
    flz_audio_sdl_release(s);
    return none ? FLZ_ERR_NO_AUDIO_DEVICE : FLZ_ERR_AUDIO_DEVICE;
  }

  flz_audio_sdl_set_text(out->info.device, sizeof out->info.device,
                         config->device ? config->device : "default");
  out->info.rate = (uint32_t)have.freq;
  out->info.period = have.samples;
  out->info.channels = have.channels;
  flz_audio_sdl_schedule(s->device, out->info.scheduling, sizeof out->info.scheduling);
  s->have = have;
  s->have.callback = flz_audio_sdl_callback;
  s->have.userdata = s;
  flz_audio_sdl_set_text(s->name, sizeof s->name, config->device);
  out->impl = s;
  return FLZ_OK;
}

/* The device is gone once SDL stops it (it was unplugged, or its sound
 * server dropped it: SDL_AUDIODEVICEREMOVED); a started device is
 * otherwise PLAYING. A read of SDL's flag, no lock. */
static int flz_audio_sdl_status(flz_audio_output *out)
{
  const flz_audio_sdl_output *s = out->impl;
  if (s->device != 0 && SDL_GetAudioDeviceStatus(s->device) != SDL_AUDIO_STOPPED) {
    return FLZ_OK;
  }
  snprintf(out->detail, sizeof out->detail, "%.200s (%.30s): the device went away",
           s->name[0] ? s->name : "default", out->info.driver);
  return FLZ_ERR_AUDIO_DEVICE;
}

/* 1 if SDL lists the device again: the one by name, or any for the default. */
static int flz_audio_sdl_listed(const flz_audio_sdl_output *s)
{
  const int count = SDL_GetNumAudioDevices(0);
  if (s->name[0] == '\0') {
    return count > 0;
  }
  for (int i = 0; i < count; i++) {
    const char *name = SDL_GetAudioDeviceName(i, 0);
    if (name && strcmp(name, s->name) == 0) {
      return 1;
    }
  }
  return 0;
}

static int flz_audio_sdl_reopen(flz_audio_output *out)
{
  flz_audio_sdl_output *s = out->impl;
  if (!flz_audio_sdl_listed(s)) {
    snprintf(out->detail, sizeof out->detail, "%.200s is not listed",
             s->name[0] ? s->name : "no device");
    return FLZ_ERR_AUDIO_DEVICE;
  }
  if (s->device != 0) {
    SDL_CloseAudioDevice(s->device);
    s->device = 0;
  }
  SDL_AudioSpec want = s->have;
  SDL_AudioSpec have;
  SDL_ClearError();
  s->device = SDL_OpenAudioDevice(s->name[0] ? s->name : NULL, 0, &want, &have,
                                  SDL_AUDIO_ALLOW_SAMPLES_CHANGE);
  if (s->device == 0) {
    flz_audio_sdl_set_text(out->detail, sizeof out->detail, SDL_GetError());
    return FLZ_ERR_AUDIO_DEVICE;
  }
  out->info.period = have.samples;
  flz_audio_sdl_schedule(s->device, out->info.scheduling, sizeof out->info.scheduling);
  SDL_PauseAudioDevice(s->device, 0);
  return FLZ_OK;
}

static int flz_audio_sdl_start(flz_audio_output *out)
{
  const flz_audio_sdl_output *s = out->impl;
  if (s->device != 0) {
    SDL_PauseAudioDevice(s->device, 0);
  }
  return FLZ_OK;
}

/* Pausing alone lets a callback that has begun run on; SDL runs the
 * callback with the device lock held and checks the pause flag under it, so
 * taking the lock once after pausing waits for that last callback. */
static void flz_audio_sdl_stop(flz_audio_output *out)
{
  const flz_audio_sdl_output *s = out->impl;
  if (s->device == 0) {
    return;
  }
  SDL_PauseAudioDevice(s->device, 1);
  SDL_LockAudioDevice(s->device);
  SDL_UnlockAudioDevice(s->device);
}

static void flz_audio_sdl_close(flz_audio_output *out)
{
  flz_audio_sdl_release(out->impl);
  out->impl = NULL;
}

static int flz_audio_sdl_list_devices(flz_audio_device_fn fn, void *user)
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

static int flz_audio_sdl_init(flz_audio_output_ops *ops)
{
  ops->open = flz_audio_sdl_open;
  ops->start = flz_audio_sdl_start;
  ops->stop = flz_audio_sdl_stop;
  ops->close = flz_audio_sdl_close;
  ops->list_devices = flz_audio_sdl_list_devices;
  ops->status = flz_audio_sdl_status;
  ops->reopen = flz_audio_sdl_reopen;
  return FLZ_OK;
}

const flz_audio_bootstrap flz_audio_sdl_bootstrap = {
  .name = "sdl",
  .desc = "SDL2 audio output",
  .init = flz_audio_sdl_init,
  .flags = FLZ_AUDIO_OUTPUT_HAS_DEVICES,
};
