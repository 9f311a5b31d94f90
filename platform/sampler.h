/* platform/sampler.h: the embeddable Flitz API, the reference notes' engine
 * API in C: run, shut down, load sample (id, path), play sample (id,
 * velocity), ping, receive message.
 *
 * Owns: one engine, the sample pool and an audio output. It loads files into
 * the pool, publishes them to the engine, and frees a replaced sample's pool
 * region when the audio thread reports it retired. A program embedding Flitz
 * needs only this header. Unless a function says otherwise, call it from one
 * control thread only (the thread that called flz_sampler_run); none of them
 * may be called from the audio callback.
 *
 * Slots (ids) are 0-based, < FLZ_SLOTS. Velocity is 0..1, mapped to gain by
 * the engine's curve (engine/engine.h). Volume is in dB.
 */
#ifndef FLZ_PLATFORM_SAMPLER_H
#define FLZ_PLATFORM_SAMPLER_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "platform/audio_output.h"
#include "platform/decode.h"

/* Zero or NULL fields mean "use the default"; the audio output fills the
 * defaults of backend, rate and period (platform/audio_output.h). The
 * output is stereo (FLZ_DEFAULT_CHANNELS). */
typedef struct flz_sampler_config {
  const char *backend;       /* "sdl" or "wav"; NULL = the first backend that is
                                not demand only and opens ("sdl") */
  const char *device;        /* sdl: device name (NULL = default); wav: output path */
  uint32_t rate;             /* Hz; 0 = FLZ_DEFAULT_RATE (engine/limits.h) */
  uint32_t period;           /* frames; 0 = FLZ_DEFAULT_PERIOD */
  uint32_t wav_format;       /* wav backend: flz_wav_format */
  int realtime;              /* wav backend: run in real time on its own thread */
  const char *fallback_path; /* a backend with devices (sdl) that finds none:
                                run the FALLBACK backend (wav) in real time
                                into this file instead (NULL: fail) */
  int wait_for_device;       /* a backend with devices that finds none, or cannot open
                                the one named: run without output and open it as soon
                                as it is there (flz_sampler_watch_output), instead of
                                failing or falling back */
  uint32_t policy;           /* flz_policy */
  uint32_t interpolation;    /* flz_interpolation of pitched voices (flitz.ini's
                                [audio] interpolation); FLZ_DEFAULT_INTERPOLATION */
  /* Called on the audio thread right after each period is rendered, with
   * the period's frames (interleaved float, read-only by contract) and its
   * callback time; NULL = none. For measurements (flitz bench --latency); it
   * must follow the audio thread's rules. */
  flz_audio_render_fn tap;
  void *tap_user;
} flz_sampler_config;

/* The sampler: opaque to its callers (platform/sampler_internal.h defines
 * it for platform/ and white-box tests). */
typedef struct flz_sampler flz_sampler;

/* Fills `config` with the defaults: every field zero or NULL (filled when
 * the output opens) but policy, FLZ_POLICY_STEAL_OLDEST, and interpolation,
 * FLZ_DEFAULT_INTERPOLATION. */
void flz_sampler_config_init(flz_sampler_config *config);

/* Returns the one sampler of this process (the static sample pool is one
 * arena, engine/pool.h); about 0.4 MB plus the pool. */
flz_sampler *flz_sampler_instance(void);

/* Sets up the engine and pool and opens and starts the audio output
 * (`run`). Errors: those of flz_audio_output_open (FLZ_ERR_NO_AUDIO_DEVICE,
 * FLZ_ERR_AUDIO_DEVICE, FLZ_ERR_WRITE), FLZ_ERR_ARGUMENT. With
 * `fallback_path` set, a missing device is not an error: the sampler runs the
 * fallback backend in real time (flz_sampler_fell_back). */
int flz_sampler_run(flz_sampler *sampler, const flz_sampler_config *config);

/* Stops and closes the output (no audio callback runs after it returns) and
 * empties every slot. Safe to call twice (`shut_down`). */
void flz_sampler_shut_down(flz_sampler *sampler);

/* Any thread. Fills `region` as flz_engine_region_default does (a region
 * that plays slot `slot` on every key and velocity), for the kit formats
 * that build regions (app/kitformat.h). */
void flz_sampler_region_default(flz_region *region, uint32_t slot);

/* Decodes `path` at the engine's rate, copies it into the pool and publishes
 * it in slot `id`, replacing what was there (the old sample fades out and its
 * region is freed once retired). Blocks on I/O. Errors: FLZ_ERR_SLOT, those of
 * flz_decode_file, FLZ_ERR_POOL_FULL (the slot keeps what it had),
 * FLZ_ERR_RING_FULL. `detail` gets the decoder's reason (may be NULL). */
int flz_sampler_load_sample(flz_sampler *sampler, uint32_t id, const char *path, char *detail,
                            size_t detail_size);

/* Publishes `frame_count` frames of interleaved float (`channels` 1 or 2) at
 * the engine's rate in slot `id`, copied into the pool; the slot has no loop.
 * Errors as above. */
int flz_sampler_load_frames(flz_sampler *sampler, uint32_t id, const float *data,
                            uint32_t frame_count, uint32_t channels);

/* Publishes `decoded` (frames at the engine's rate, as flz_decode_load gives
 * them) in slot `id` as flz_sampler_load_frames does; its loop points are
 * the caller's to send (a SET_SLOT command). The caller still owns and
 * frees `decoded`. Errors as
 * flz_sampler_load_frames; FLZ_ERR_POOL_FULL also for more than UINT32_MAX
 * frames. Used by app/kit.c to publish what the loader threads decoded. */
int flz_sampler_load_decoded(flz_sampler *sampler, uint32_t id, const flz_decoded *decoded);

/* Bytes of the pool held by samples that were replaced or unloaded and are
 * not yet retired (their SLOT_RETIRED event has not been received): memory
 * that flz_sampler_receive_msg will free soon while the output runs. */
size_t flz_sampler_retiring_bytes(const flz_sampler *sampler);

/* Empties slot `id`; its voices fade out. */
int flz_sampler_unload_sample(flz_sampler *sampler, uint32_t id);

/* Triggers slot `id` at `velocity` (0..1) (`play_sample`). `time_ns` is the
 * CLOCK_MONOTONIC time the input arrived, 0 if unknown. FLZ_ERR_SLOT,
 * FLZ_ERR_RING_FULL. An empty slot is not an error here: the engine ignores
 * it and reports FLZ_EVENT_EMPTY_SLOT. */
int flz_sampler_play_sample(flz_sampler *sampler, uint32_t id, float velocity, uint64_t time_ns);

/* Fades out the voices of slot `id`. */
int flz_sampler_stop_sample(flz_sampler *sampler, uint32_t id);

/* Fades out every voice; FLZ_EVENT_STOPPED follows. */
int flz_sampler_stop_all(flz_sampler *sampler);

/* Sets the master volume in dB (<= -96 is silence), smoothed. */
int flz_sampler_set_volume(flz_sampler *sampler, float db);

/* Sends any engine command (engine/message.h) from the control thread's
 * ring: pad settings (SET_SLOT), releases, tempo, quantize, speed, multi-loop,
 * pause and resume. flz_sampler_send through FLZ_PRODUCER_CONTROL. */
int flz_sampler_command(flz_sampler *sampler, const flz_command *command);

/* Sends `command` (engine/message.h) through the ring of `producer`
 * (flz_producer, engine/engine.h). A producer's
 * ring has one sending thread: FLZ_PRODUCER_CONTROL the control thread,
 * FLZ_PRODUCER_MIDI the MIDI input thread; two threads never send through
 * the same producer. Wait-free (no lock, allocation or system call), so an
 * input thread may send as soon as it reads its input; not from the audio
 * callback. The command takes effect one period after its time_ns
 * (engine/engine.h). Errors: FLZ_ERR_NOT_RUNNING (the sampler is not
 * running: a thread other than the control thread stops sending before
 * flz_sampler_shut_down), FLZ_ERR_RING_FULL (dropped and counted),
 * FLZ_ERR_ARGUMENT (no such producer). */
int flz_sampler_send(flz_sampler *sampler, uint32_t producer, const flz_command *command);

/* Sends PING with `token`; FLZ_EVENT_PONG with the same value follows. */
int flz_sampler_ping(flz_sampler *sampler, float token);

/* Takes the next event from the audio thread into `event` and returns 1, or
 * 0 if there is none (`receive_msg`). SLOT_RETIRED events free their pool
 * region here before they are returned. Call it regularly (the app does every
 * loop), or retired regions are not reused. */
int flz_sampler_receive_msg(flz_sampler *sampler, flz_event *event);

/* Demand-only outputs ("wav" without realtime): render `frames` frames now. */
int flz_sampler_pull(flz_sampler *sampler, uint32_t frames);

/* The rate the engine runs at, Hz (what the output got). */
uint32_t flz_sampler_rate(const flz_sampler *sampler);

/* The interpolation the sampler was run with (flz_sampler_config's): what a
 * kit without its own goes back to. */
uint32_t flz_sampler_interpolation(const flz_sampler *sampler);

/* Sets the interpolation (flz_interpolation) of the voices started from now
 * on; sounding voices keep theirs (engine/message.h, SET_INTERPOLATION).
 * FLZ_ERR_ARGUMENT for an unknown mode, FLZ_ERR_RING_FULL. */
int flz_sampler_set_interpolation(flz_sampler *sampler, uint32_t interpolation);

/* 1 if slot `id` holds a sample published by a load (and not unloaded
 * since, nor emptied by flz_sampler_shut_down), 0 if it is empty or `id` is
 * not a slot. Control thread. */
int flz_sampler_slot_loaded(const flz_sampler *sampler, uint32_t id);

/* The latest peak meters the audio thread published (linear, 0..; the
 * largest absolute output value in the last meter window): `slots` (NULL or
 * FLZ_SLOTS values) per slot before the master gain, `master` (NULL or one
 * value) after it. Returns the meter serial, which goes up by one per
 * publication. Any thread; never blocks; values of one call may straddle a
 * publication. Not from the audio callback. */
uint32_t flz_sampler_meters(flz_sampler *sampler, float *slots, float *master);

/* A snapshot of the engine's counters (flz_engine_counters: dropped and
 * late commands, voices active and stolen, xruns). Any thread; never blocks
 * the audio thread. Not from the audio callback. */
void flz_sampler_counters(flz_sampler *sampler, flz_engine_counters *counters);

/* The audio thread's work so far: the time it spent rendering periods
 * (CLOCK_MONOTONIC ns, the engine's render only) in `render_ns` and the
 * periods it rendered in `periods`, both counting up from 0 for the
 * process. The load over an interval is the growth of render_ns over the
 * growth of periods times the period's duration. Any thread; never blocks.
 * Not from the audio callback. */
void flz_sampler_render_time(flz_sampler *sampler, uint64_t *render_ns, uint64_t *periods);

/* What the audio output got at the last flz_sampler_run that opened it
 * (backend, driver, device, rate Hz, period frames, channels); zeros before
 * any. The pointer stays valid; its fields change at the next run. Control
 * thread. */
const flz_audio_output_info *flz_sampler_output_info(const flz_sampler *sampler);

/* Why the audio output's last open, stop or close failed, in the backend's
 * words (SDL's reason, strerror()); "" if it did not. Read it after a failed
 * flz_sampler_run, and after flz_sampler_shut_down (a WAV file whose sizes
 * could not be written). Control thread. */
const char *flz_sampler_output_detail(const flz_sampler *sampler);

/* 1 if the last flz_sampler_run found no audio device and runs the fallback
 * backend into config.fallback_path instead (or, when that run failed, tried
 * to: then flz_sampler_output_detail is why the file could not be written),
 * else 0.
 * Control thread. */
int flz_sampler_fell_back(const flz_sampler *sampler);

/* What flz_sampler_watch_output saw happen to the output. */
typedef enum flz_sampler_output_change {
  FLZ_SAMPLER_OUTPUT_SAME = 0, /* nothing new */
  FLZ_SAMPLER_OUTPUT_LOST,     /* the device went away; the sampler reopens it when it is back */
  FLZ_SAMPLER_OUTPUT_BACK,     /* the lost device is open and playing again */
  FLZ_SAMPLER_OUTPUT_WAITING,  /* wait_for_device: the device is not there yet; the
                                  sampler opens it when it is */
  FLZ_SAMPLER_OUTPUT_FAILED,   /* the output stopped for good and the sampler runs on
                                  without one: the fallback WAV could not be written
                                  (a full disk); the file stays a valid WAV */
} flz_sampler_output_change;

/* Watches the output; call it regularly from the control thread (the app
 * does every loop), with `now_ns` CLOCK_MONOTONIC. Returns what changed
 * since the last call, each change once, with one line's reason in
 * `detail` (the file or device and the system's words). Never blocks on
 * the audio thread.
 *
 * A lost device is looked for every FLZ_DEVICE_RETRY_MS (engine/limits.h)
 * and reopened, by its name or as the default, at the engine's rate, as
 * soon as it is listed again (flz_audio_output_reopen); BACK says so. The
 * engine's state (pads, loops, tempo) stays as it was. While the device is
 * away the engine keeps time: SDL goes on calling a lost device's callback
 * at its pace, so loops are still in phase when the sound comes back; only
 * between closing the lost device and the new one's first period (a few
 * ms), or while a device waited for at start (wait_for_device) has never
 * opened, does the engine stand still. */
int flz_sampler_watch_output(flz_sampler *sampler, uint64_t now_ns, char *detail,
                             size_t detail_size);

/* Bytes of the sample pool: in all, and in its largest free region (the
 * largest sample that fits now; memory of samples still retiring is not
 * free yet, flz_sampler_retiring_bytes). Control thread. */
size_t flz_sampler_pool_capacity(const flz_sampler *sampler);
size_t flz_sampler_pool_largest_free(const flz_sampler *sampler);

#endif
