/* platform/audio_output.h: audio output backends behind one table of
 * operations (the model is SDL's own src/audio/SDL_sysaudio.h).
 *
 * Owns: opening an output, driving the render callback, closing it, and
 * listing devices. Backends, in table order (platform/audio_output.c):
 *   "sdl"  SDL2 audio output (default or named device); lists SDL's devices;
 *   "wav"  offline: renders into a WAV file with no device ("demand only":
 *          used only when asked for by name). Without `realtime` it renders
 *          only when pulled (flz_audio_output_pull, for `flitz render` and
 *          tests); with `realtime` its own thread renders one period per
 *          period duration, paced by CLOCK_MONOTONIC, so the sampler runs in
 *          real time on a machine with no sound card.
 * Each backend is one file under platform/audio/ with its own table entry
 * and capability flags (platform/audio/backend.h, internal to platform/);
 * callers choose by name or by flag, never by comparing names. Control
 * thread only for every function here, except that `render` is called on
 * the backend's audio thread.
 */
#ifndef FLZ_PLATFORM_AUDIO_OUTPUT_H
#define FLZ_PLATFORM_AUDIO_OUTPUT_H

#include <stdint.h>

/* Called on the audio thread once per period: fill `out` with `frames` frames
 * of interleaved float, `channels` values per frame. `period_time_ns` is the
 * CLOCK_MONOTONIC time at which the callback began. Must follow the audio
 * thread's rules (no allocation, locks, I/O or SDL). */
typedef void (*flz_audio_render_fn)(void *user, float *out, uint32_t frames, uint32_t channels,
                                    uint64_t period_time_ns);

/* Called by flz_audio_output_list_devices once per device, on the calling
 * thread: `driver` is the backend's driver ("alsa", "pulseaudio"...), `name`
 * the name to give as flz_audio_output_config.device. */
typedef void (*flz_audio_device_fn)(void *user, const char *driver, const char *name);

/* What a backend can do: its entry's flags. */
typedef enum flz_audio_output_flag {
  /* Used only when asked for by name, never when the backend is NULL. */
  FLZ_AUDIO_OUTPUT_DEMAND_ONLY = 1u << 0,
  /* Plays on a sound device, which a machine may not have (then open gives
   * FLZ_ERR_NO_AUDIO_DEVICE); lists its devices. */
  FLZ_AUDIO_OUTPUT_HAS_DEVICES = 1u << 1,
  /* Needs no device: with `realtime` it stands in for a HAS_DEVICES backend
   * that found none, writing what would have played to the file `device`. */
  FLZ_AUDIO_OUTPUT_FALLBACK = 1u << 2,
} flz_audio_output_flag;

/* Zero or NULL fields mean "use the default". */
typedef struct flz_audio_output_config {
  const char *device;  /* HAS_DEVICES: device name, NULL = the default device;
                          wav: the output file path (required) */
  uint32_t rate;       /* requested Hz; default FLZ_DEFAULT_RATE (engine/limits.h) */
  uint32_t period;     /* requested frames per period; default FLZ_DEFAULT_PERIOD */
  uint32_t channels;   /* requested channels; default FLZ_DEFAULT_CHANNELS */
  uint32_t wav_format; /* wav: flz_wav_format; default FLZ_WAV_FLOAT32 */
  int realtime;        /* wav: pace periods by the clock on a thread of its own */
  int exact_rate;      /* HAS_DEVICES: the device must run at `rate` (SDL converts);
                          0 lets it pick its own */
  flz_audio_render_fn render;
  void *user;
} flz_audio_output_config;

/* What the backend actually got. */
typedef struct flz_audio_output_info {
  char backend[16]; /* the backend's name ("sdl", "wav") */
  char driver[32];  /* SDL's audio driver ("alsa", "pulseaudio", "disk"...) or "wav" */
  char device[256]; /* device name, or the WAV path */
  uint32_t rate;    /* Hz */
  uint32_t period;  /* frames per period */
  uint32_t channels;
  char scheduling[160]; /* how the audio thread is scheduled, one line for
                           people ("SCHED_FIFO, priority 70", or the policy
                           it has and why not); "" for the wav backend */
} flz_audio_output_info;

struct flz_audio_bootstrap; /* a backend's table entry, platform/audio/backend.h */

/* One output, in caller memory. Callers read `info`, `flags` and `detail`;
 * the rest belongs to the dispatcher and the backend. */
typedef struct flz_audio_output {
  flz_audio_output_info info;
  flz_audio_output_config config;            /* as opened, defaults filled */
  const struct flz_audio_bootstrap *backend; /* the backend opened, or the last tried */
  uint32_t flags;   /* that backend's flz_audio_output_flag bits, also after a failed open */
  void *impl;       /* the backend's own state; NULL when not open */
  char detail[256]; /* why the last open, stop or close failed, in the
                       backend's words (SDL_GetError(), strerror()); "" if
                       it did not */
} flz_audio_output;

/* Opens backend `backend` ("sdl", "wav"; NULL = the first in table order
 * that is not demand only and opens). Errors: those of the backend's open
 * (FLZ_ERR_NO_AUDIO_DEVICE: no device at all; FLZ_ERR_AUDIO_DEVICE: the
 * device exists but cannot be opened; FLZ_ERR_WRITE: the wav path;
 * FLZ_ERR_NO_MEMORY), FLZ_ERR_ARGUMENT for an unknown backend name, a
 * missing render function or a config the backend cannot take. On error
 * `out->detail` says why when the backend knows. */
int flz_audio_output_open(flz_audio_output *out, const char *backend,
                          const flz_audio_output_config *config);
/* Begins calling render on the backend's audio thread (sdl: unpauses the
 * device; wav with realtime: starts its rendering thread; wav without: does
 * nothing). Returns FLZ_OK, FLZ_ERR_NO_MEMORY if a thread cannot be made,
 * or FLZ_ERR_ARGUMENT for an output that is not open. */
int flz_audio_output_start(flz_audio_output *out);
/* Stops calling render: when it returns, no render call is running and none
 * will start until the next start. The output stays open. Does nothing for
 * an output that is not open. */
void flz_audio_output_stop(flz_audio_output *out);
/* Demand-only backends: render `frames` frames now, on this thread, in
 * periods of config.period frames (the last one shorter), and append them to
 * the file. `period_time_ns` is then a simulated clock: the time at which the
 * period would begin had the output started playing when it was opened,
 * open time + floor(frames rendered before it * 1e9 / rate) ns. Returns
 * FLZ_OK, FLZ_ERR_WRITE, or FLZ_ERR_ARGUMENT for backends that pull by
 * themselves (sdl, or wav with realtime) and outputs that are not open. */
int flz_audio_output_pull(flz_audio_output *out, uint32_t frames);
/* Stops the output (as flz_audio_output_stop), closes the device or
 * finishes the WAV file (its sizes are written here), and frees the
 * backend's state. A WAV file that cannot be finished leaves a reason in
 * out->detail. Does nothing for an output that failed to open or is closed. */
void flz_audio_output_close(flz_audio_output *out);

/* Whether the output still plays: FLZ_OK; or, once it stopped playing by
 * itself, the error and its reason in out->detail: FLZ_ERR_WRITE when the
 * realtime wav backend could not write its file (a full disk: it renders on,
 * pacing the engine, and the file stays a valid WAV of what was written),
 * FLZ_ERR_AUDIO_DEVICE when the sdl backend's device went away (unplugged).
 * FLZ_OK for an output that is not open. Control thread; never blocks. */
int flz_audio_output_status(flz_audio_output *out);

/* Reopens an output whose device went away (status FLZ_ERR_AUDIO_DEVICE),
 * or opens one whose first open failed, with the same backend and config
 * at the same rate, and starts it. The sdl backend first looks whether the
 * device is listed again (by its name, or any device for the default) and
 * returns FLZ_ERR_AUDIO_DEVICE at once if not, keeping the lost device
 * open (SDL goes on calling its callback at the device's pace, so the
 * engine keeps time); only then does it close the lost device and open the
 * new one. Returns FLZ_OK, or the open's error with its reason in
 * out->detail. Control thread; may block while the device opens. */
int flz_audio_output_reopen(flz_audio_output *out, uint32_t rate);

/* The name of the first backend in table order that has every flag of
 * `flags` (flz_audio_output_flag bits), or NULL if none has. */
const char *flz_audio_output_find(uint32_t flags);

/* Makes the "sdl" backend use SDL's "disk" driver instead of a device: it
 * writes the raw frames it plays to `path` ("/dev/null" to drop them) and
 * paces its periods with sleeps, in real time. Sets SDL_AUDIODRIVER and
 * SDL_DISKAUDIOFILE in the environment, which SDL reads when its audio
 * subsystem starts, so it takes effect at the next open while SDL audio is
 * not running in this process. Returns FLZ_OK, or FLZ_ERR_NO_MEMORY if the
 * environment cannot grow. Control thread, while no other thread reads the
 * environment. */
int flz_audio_output_use_sdl_disk(const char *path);

/* Lists every backend's output devices (sdl: SDL's; wav: none): calls `fn`
 * with each, returns how many, or an error when no device was listed and a
 * backend could not list (FLZ_ERR_NO_AUDIO_DEVICE: SDL has no usable audio
 * driver). The sdl backend initializes SDL's audio subsystem if it is not,
 * and then quits it again. */
int flz_audio_output_list_devices(flz_audio_device_fn fn, void *user);

#endif
