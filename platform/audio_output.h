/* platform/audio_output.h: audio output backends behind one table of
 * operations (the model is SDL's own src/audio/SDL_sysaudio.h).
 *
 * Owns: opening an output, driving the render callback, and closing it.
 * Backends, in the order they are tried when none is named:
 *   "sdl"  SDL2 audio output (default or named device);
 *   "wav"  offline: renders into a WAV file with no device ("demand only":
 *          used only when asked for by name). Without `realtime` it renders
 *          only when pulled (flz_audio_output_pull, for `flitz render` and
 *          tests); with `realtime` its own thread renders one period per
 *          period duration, paced by CLOCK_MONOTONIC, so the sampler runs in
 *          real time on a machine with no sound card.
 * Each backend's bootstrap {name, desc, init, demand_only} fills the ops;
 * operations a backend lacks get no-op defaults, so callers never test for
 * NULL. Control thread only for every function here, except that `render`
 * is called on the backend's audio thread.
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

/* Zero or NULL fields mean "use the default". */
typedef struct flz_audio_output_config {
  const char *device;  /* sdl: device name, NULL = the default device;
                          wav: the output file path (required) */
  uint32_t rate;       /* requested Hz; default 48000 */
  uint32_t period;     /* requested frames per period; default 256 */
  uint32_t channels;   /* requested channels; default 2 */
  uint32_t wav_format; /* wav: flz_wav_format; default FLZ_WAV_FLOAT32 */
  int realtime;        /* wav: pace periods by the clock on a thread of its own */
  flz_audio_render_fn render;
  void *user;
} flz_audio_output_config;

/* What the backend actually got. */
typedef struct flz_audio_output_info {
  char backend[16];  /* "sdl" or "wav" */
  char driver[32];   /* SDL's audio driver ("alsa", "pulseaudio", "disk"...) or "wav" */
  char device[256];  /* device name, or the WAV path */
  uint32_t rate;     /* Hz */
  uint32_t period;   /* frames per period */
  uint32_t channels;
} flz_audio_output_info;

typedef struct flz_audio_output flz_audio_output;

typedef struct flz_audio_output_ops {
  /* Opens the output for `config`; fills `out->info`. Errors:
   * FLZ_ERR_NO_AUDIO_DEVICE (no device at all), FLZ_ERR_AUDIO_DEVICE (the
   * device exists but cannot be opened), FLZ_ERR_WRITE (wav path). */
  int (*open)(flz_audio_output *out, const flz_audio_output_config *config);
  int (*start)(flz_audio_output *out);       /* begin calling render */
  void (*stop)(flz_audio_output *out);       /* no render call after it returns */
  int (*pull)(flz_audio_output *out, uint32_t frames); /* demand only: render now */
  void (*close)(flz_audio_output *out);
} flz_audio_output_ops;

typedef struct flz_audio_bootstrap {
  const char *name;
  const char *desc;
  int (*init)(flz_audio_output_ops *ops); /* fills the ops it has; 0 if usable */
  int demand_only;                        /* used only when asked for by name */
} flz_audio_bootstrap;

struct flz_audio_output {
  flz_audio_output_ops ops;
  flz_audio_output_info info;
  flz_audio_output_config config;
  const flz_audio_bootstrap *backend;
  void *impl; /* the backend's own state */
  char detail[256]; /* why the last open, stop or close failed, in the
                       backend's words (SDL_GetError(), strerror()); "" if
                       it did not */
};

/* The NULL-terminated table of backends. */
extern const flz_audio_bootstrap *const flz_audio_backends[];

/* Opens backend `backend` ("sdl", "wav"; NULL = the first that is not demand
 * only and opens). Errors: those of ops.open, FLZ_ERR_ARGUMENT for an unknown
 * backend name or a missing render function. */
int flz_audio_output_open(flz_audio_output *out, const char *backend,
                          const flz_audio_output_config *config);
/* Begins calling render on the backend's audio thread (sdl: unpauses the
 * device; wav with realtime: starts its rendering thread; wav without: does
 * nothing). Returns FLZ_OK, or FLZ_ERR_NO_MEMORY if a thread cannot be made. */
int flz_audio_output_start(flz_audio_output *out);
/* Stops calling render: when it returns, no render call is running and none
 * will start until the next start. The output stays open. */
void flz_audio_output_stop(flz_audio_output *out);
/* Demand-only backends: render `frames` frames now, on this thread, in
 * periods of config.period frames (the last one shorter), and append them to
 * the file. `period_time_ns` is then a simulated clock: the time at which the
 * period would begin had the output started playing when it was opened,
 * open time + floor(frames rendered before it * 1e9 / rate) ns. Returns
 * FLZ_OK, FLZ_ERR_WRITE, or FLZ_ERR_ARGUMENT for backends that pull by
 * themselves (sdl, or wav with realtime). */
int flz_audio_output_pull(flz_audio_output *out, uint32_t frames);
/* Stops the output (as flz_audio_output_stop), closes the device or
 * finishes the WAV file (its sizes are written here), and frees the
 * backend's state. A WAV file that cannot be finished leaves a reason in
 * out->detail. Does nothing for an output that failed to open or is closed. */
void flz_audio_output_close(flz_audio_output *out);

/* Makes the "sdl" backend use SDL's "disk" driver instead of a device: it
 * writes the raw frames it plays to `path` ("/dev/null" to drop them) and
 * paces its periods with sleeps, in real time. Sets SDL_AUDIODRIVER and
 * SDL_DISKAUDIOFILE in the environment, which SDL reads when its audio
 * subsystem starts, so it takes effect at the next open while SDL audio is
 * not running in this process. Returns FLZ_OK, or FLZ_ERR_NO_MEMORY if the
 * environment cannot grow. Control thread, while no other thread reads the
 * environment. */
int flz_audio_output_use_sdl_disk(const char *path);

/* Lists SDL's audio output devices: calls `fn` with each name, returns how
 * many, or FLZ_ERR_NO_AUDIO_DEVICE when SDL has no usable audio driver.
 * Initializes SDL's audio subsystem if it is not, and then quits it again. */
int flz_audio_output_list_devices(void (*fn)(void *user, const char *driver, const char *name),
                                  void *user);

/* Backend internals, one per file under platform/audio/. */
int flz_audio_sdl_init(flz_audio_output_ops *ops);
int flz_audio_wav_init(flz_audio_output_ops *ops);

#endif
