/* engine/engine.h: the real-time core. One struct holds all engine state:
 * sample slots, voices, the command rings (control -> audio, one per
 * producer thread) and the event ring (audio -> control).
 *
 * Owns: slots, voices, mixing, master gain, the frame clock. It does not own
 * sample memory (engine/pool.h) and knows nothing of pads, files or devices.
 * Nothing here allocates, locks, blocks or does I/O. The engine is
 * deterministic: the same commands at the same frames give the same output,
 * bit for bit.
 *
 * Glossary. frame: one value per channel at one instant. period: the frames
 * one render call produces. slot: a numbered place for one decoded sample.
 * voice: one playing instance of a slot's sample. velocity: trigger strength
 * 0..1. gain: linear amplitude factor unless a name says dB.
 *
 * Velocity curve: gain = velocity^2, i.e. 40*log10(velocity) dB, the
 * velocity-to-attenuation curve of the MMA's DLS Level 1 specification
 * (section 1.14.4, "40 log(127/velocity)"); velocity 0.5 plays 12 dB softer.
 *
 * Polyphony: when all FLZ_VOICES voices are busy, a new trigger either is
 * dropped (FLZ_POLICY_DROP, the reference notes' behaviour; event
 * TRIGGER_DROPPED) or takes the voice that started earliest
 * (FLZ_POLICY_STEAL_OLDEST, the default; event VOICE_STOLEN), which fades out
 * over the engine's fade time on a tail voice instead of being cut.
 *
 * Mixing: a mono sample goes to both output channels at its gain; a stereo
 * sample to a mono output is (L + R) / 2. The sum is multiplied by the master
 * gain, NaN becomes 0 and the result is clamped to -1..1, so the output never
 * wraps and never carries NaN or Inf.
 */
#ifndef FLZ_ENGINE_ENGINE_H
#define FLZ_ENGINE_ENGINE_H

#include <stdatomic.h>
#include <stdint.h>

#include "engine/limits.h"
#include "engine/message.h"
#include "engine/ring.h"

typedef enum flz_policy {
  FLZ_POLICY_STEAL_OLDEST = 0,
  FLZ_POLICY_DROP = 1,
} flz_policy;

/* Command producers: each producer thread pushes into its own SPSC ring. */
typedef enum flz_producer {
  FLZ_PRODUCER_CONTROL = 0, /* the main thread: keys, controllers, scripts */
  FLZ_PRODUCER_MIDI = 1,    /* the MIDI input thread */
  FLZ_PRODUCER_LOADER = 2,  /* the loader: LOAD_SAMPLE */
  FLZ_PRODUCER_EMBEDDER = 3 /* a program embedding the engine */
} flz_producer;

/* Zero fields mean "use the default" (see flz_engine_config_init). */
typedef struct flz_engine_config {
  uint32_t rate;    /* Hz; default 48000 */
  uint32_t policy;  /* flz_policy; default FLZ_POLICY_STEAL_OLDEST */
  float fade_ms;    /* fade of stop, steal and replace, ms; default 3, at most
                       FLZ_FADE_FRAMES_MAX frames */
} flz_engine_config;

typedef enum flz_voice_state {
  FLZ_VOICE_FREE = 0,
  FLZ_VOICE_PLAYING,
  FLZ_VOICE_FADING, /* ramping to silence; ends when the ramp reaches 0 */
} flz_voice_state;

typedef struct flz_voice {
  flz_sample sample;  /* a copy: a replaced slot never changes a playing voice */
  uint32_t slot;
  uint32_t state;     /* flz_voice_state */
  uint32_t position;  /* next frame of the sample to play */
  uint32_t fade_left; /* FADING: frames until silence */
  float gain;         /* velocity gain */
  float fade_gain;    /* current fade factor, 1 while PLAYING */
  float fade_step;    /* fade_gain decrement per frame while FADING */
  uint32_t reserved;
  uint64_t serial;    /* start order, for FLZ_POLICY_STEAL_OLDEST */
} flz_voice;

/* Read by the control side with flz_engine_counters; written only by the
 * audio thread. */
typedef struct flz_engine_counters {
  uint32_t commands_dropped; /* pushes refused because a command ring was full */
  uint32_t events_dropped;   /* events lost because the event ring was full */
  uint32_t triggers_dropped; /* PLAY_SAMPLE dropped by FLZ_POLICY_DROP */
  uint32_t voices_stolen;    /* voices taken by FLZ_POLICY_STEAL_OLDEST */
  uint32_t voices_active;    /* voices playing or fading after the last period */
} flz_engine_counters;

/* Frames mixed per internal step; render handles any frame count in steps. */
#define FLZ_MIX_FRAMES 256

typedef struct flz_engine {
  flz_engine_config config;
  uint32_t fade_frames;
  flz_ring commands[FLZ_PRODUCERS];
  flz_ring events;
  flz_sample slots[FLZ_SLOTS];
  flz_voice voices[FLZ_VOICES + FLZ_TAIL_VOICES]; /* tails after the voices */
  uint32_t retiring[FLZ_SLOTS * 2]; /* pool regions waiting for their voices to end */
  uint32_t retiring_count;
  uint64_t serial;
  float master_gain;
  float master_target;
  float master_step;
  uint32_t master_ramp_left;
  uint32_t stopping; /* a STOP is fading out; STOPPED follows when all are silent */
  _Atomic uint64_t frame; /* frames rendered so far: the engine's frame clock */
  _Atomic uint32_t triggers_dropped;
  _Atomic uint32_t voices_stolen;
  _Atomic uint32_t voices_active;
  float mix[FLZ_MIX_FRAMES * 2];
  flz_command command_storage[FLZ_PRODUCERS][FLZ_RING_CAPACITY];
  flz_event event_storage[FLZ_RING_CAPACITY];
} flz_engine;

/* Fills `config` with the defaults. Any thread. */
void flz_engine_config_init(flz_engine_config *config);

/* Sets up `engine` (caller storage: sizeof(flz_engine), about 0.3 MB; make it
 * static or heap, not stack) with empty slots, no voices, master gain 0 dB.
 * Returns FLZ_ERR_ARGUMENT for a rate outside 8000..384000 Hz or an unknown
 * policy. Call before any thread uses the engine. */
int flz_engine_init(flz_engine *engine, const flz_engine_config *config);

/* Producer thread `producer` only (one thread per producer index). Queues
 * `command` for the audio thread, which applies it at the start of its next
 * period. Returns FLZ_OK, FLZ_ERR_RING_FULL (the command is dropped and
 * counted), or FLZ_ERR_ARGUMENT for a bad producer index. Wait-free. */
int flz_engine_send(flz_engine *engine, uint32_t producer, const flz_command *command);

/* Control thread only (the one consumer of events). Takes the oldest event
 * into `event` and returns 1, or returns 0 if none is waiting. Wait-free. */
int flz_engine_receive(flz_engine *engine, flz_event *event);

/* Audio thread only; safe in the audio callback (bounded, no allocation, no
 * locks, no system calls). Applies at most FLZ_COMMANDS_PER_PERIOD commands
 * from each producer, then mixes every voice into `out`: `frames` frames of
 * interleaved float, `channels` (1 or 2) values per frame, overwritten (not
 * added to). Other channel counts produce silence. Advances the frame clock
 * by `frames` and pushes events. */
void flz_engine_render(flz_engine *engine, float *out, uint32_t frames, uint32_t channels,
                       uint64_t period_time_ns);

/* Any thread. Frames rendered so far. */
uint64_t flz_engine_frame(flz_engine *engine);

/* Any thread. A snapshot of the counters; never blocks the audio thread. */
void flz_engine_counters_get(flz_engine *engine, flz_engine_counters *counters);

/* Any thread. The gain of a trigger of `velocity` (clamped to 0..1; NaN is 0):
 * velocity^2 (see the velocity curve above). */
float flz_engine_velocity_gain(float velocity);

#endif
