/* engine/engine.h: the real-time core. One struct holds all engine state:
 * sample slots, voices, one command ring per producer thread (control ->
 * audio) and the event ring (audio -> control).
 *
 * Owns: slots, voices, mixing, master gain, the frame clock; not sample memory
 * (engine/pool.h), nor pads, files or devices. Nothing here allocates, locks,
 * blocks or does I/O. Deterministic: the same commands at the same frames
 * give the same output, bit for bit.
 *
 * Glossary. frame: one value per channel at one instant. period: the frames
 * one render call produces. slot: a numbered place for one decoded sample.
 * voice: one playing instance of a slot's sample. velocity: trigger strength
 * 0..1. gain: linear amplitude factor unless a name says dB.
 *
 * Velocity: gain = velocity^2, i.e. 40 log10(velocity) dB, the curve of the
 * MMA's DLS Level 1 specification (section 1.14.4, "40 log(127/velocity)").
 *
 * Polyphony: with all FLZ_VOICES busy, a trigger is dropped (FLZ_POLICY_DROP,
 * the reference notes' behaviour; event TRIGGER_DROPPED) or takes the voice
 * that started earliest, a fading one first (FLZ_POLICY_STEAL_OLDEST, the
 * default; event VOICE_STOLEN), whose sound fades out on a tail voice.
 *
 * Mixing: each voice has a left and a right gain (a mono sample plays to
 * both; a mono output averages the two). Every gain change (start with an
 * offset, stop, steal, replace, unload, pause, master volume) is a linear ramp
 * per sample over the fade time (default 3 ms). The sum times the master gain is
 * clamped to -1..1 (a hard clip at 0 dBFS) with NaN as 0, so the output never
 * wraps and never carries NaN or Inf.
 *
 * Playback rate: the slot's (tuning), times tempo / the slot's BPM when
 * locked, times the engine's speed. Rate 1 copies frames; other rates
 * interpolate (linear, hermite or sinc: SET_INTERPOLATION, engine/interpolate.h;
 * a voice keeps the mode it started with), the position kept as 32.32 fixed
 * point frames (exact, no drift). Loops wrap sample-exactly, with no crossfade at the seam.
 *
 * Pads: how a slot plays (mode, choke group, retrigger, range, loop, gain,
 * pan, tuning, curve, BPM lock) is its flz_slot_params (engine/message.h).
 *
 * Quantize: loop and loop-gate presses launch on grid frame
 * round(k x rate x 60 x beats / tempo) of the frame clock, so loops start in
 * phase; one-shot and gate pads always play at once.
 *
 * Beat: the engine counts beats (quarter notes) on its frame clock at the
 * master tempo; a tempo change keeps the beat where it is and changes its
 * pace, so quantized launches stay on the beat across tempo changes.
 *
 * MIDI clock (FLZ_COMMAND_CLOCK): each tick's frame goes through the filter
 * of engine/midiclock.h; once it is locked, every tick sets the master tempo
 * to the clock's, times 1 + FLZ_CLOCK_STEER_GAIN x the beat error (the clock's
 * beat minus the engine's, in beats, clamped to FLZ_CLOCK_STEER_MAX), so the engine's beat,
 * and with it every BPM-locked loop launched on it, closes on the clock's
 * beat in about two beats without a jump. At the lock (the first, or the
 * first after CLOCK_LOST; a lock after a shorter gap steers on), and at the
 * first tick
 * after Start, Continue or Song Position Pointer, the beat is set to the
 * clock's (a jump of the grid). After Start or Song Position Pointer that
 * tick also moves every sounding BPM-locked loop to where it would be had
 * it started on beat 0 and played at its rate since (Start: its first
 * frame), frame-exactly at the tick's frame, fading out from its old place
 * on a tail voice and in at the new one as a retrigger does (a clock that
 * is not locked yet: at the tick that locks it). No tick for
 * FLZ_CLOCK_LOST_MS keeps the clock's last tempo (without the steering) and
 * says CLOCK_LOST.
 *
 * Leading a MIDI clock (FLZ_COMMAND_CLOCK_LEAD): from the command's frame
 * the beat counts from 0; the audio thread pushes Start, and a tick at every
 * frame where the beat crosses a 1/24 (computed from the frame clock, the
 * tempo and the beat at the end of each period), into the clock-out ring,
 * each with the time its frame will be heard; Stop when it ends. A full ring
 * drops the message and counts it (events_dropped).
 *
 * Patterns (engine/pattern.h): while recording, every press that a command
 * makes (PLAY_SAMPLE, PLAY_PAD; not a quantized launch's start, nor a
 * pattern's own) is stored at the frame it takes effect; the playing
 * pattern's events start their pads at their frames, within a period, as
 * presses do (not while paused). The metronome's click is added before the
 * master gain.
 *
 * Resampling (FLZ_COMMAND_RESAMPLE, engine/resample.h): from the command's
 * frame the engine copies what it plays into memory the control side
 * reserved: the master output as the output gets it (the same floats, after
 * the master gain and the clamp), or one slot's or pad's voices before the
 * master gain (summed apart, then added to the mix, so the mix's sum runs in
 * another order than without the recording). At its length (bars at the
 * tempo when it starts), at RESAMPLE_STOP or when its memory is full, it
 * publishes the recording in its slot as LOAD_SAMPLE would, playable from
 * that frame, and says RESAMPLED.
 *
 * Note repeat (FLZ_COMMAND_REPEAT, engine/repeat.h): while it is on, a press
 * does not sound at once: its pad sounds on each grid line of the rate
 * (whole multiples of the rate's beats on the engine's beat, as quantize),
 * the first at or after the press, each hit a press at the held velocity,
 * until its release. Each hit queues the next from the tempo of its frame.
 *
 * Timing: a command with a time (CLOCK_MONOTONIC ns of its input event) takes
 * effect one period after that time, so the delay from input to sound is
 * constant and its jitter is not rounded to the period. Times map to frames
 * through a second-order delay-locked loop on the callback times, as in JACK
 * (F. Adriaensen, "Using a DLL to filter time", LAC 2005). A command too late
 * for its frame takes effect at once and is counted (`commands_late`); one
 * whose frame lies in a later period waits for it. A command without a time,
 * or any command while the period has no callback time (offline), takes
 * effect at the start of the period that drains it. Within a period, commands
 * take effect in frame order.
 */
#ifndef FLZ_ENGINE_ENGINE_H
#define FLZ_ENGINE_ENGINE_H

#include <stdatomic.h>
#include <stdint.h>

#include "engine/interpolate.h"
#include "engine/limits.h"
#include "engine/message.h"
#include "engine/midiclock.h"
#include "engine/pattern.h"
#include "engine/ring.h"

typedef enum flz_policy {
  FLZ_POLICY_STEAL_OLDEST = 0,
  FLZ_POLICY_DROP = 1,
} flz_policy;

/* Command producers, one SPSC ring each. Loader threads send nothing: the
 * control thread copies their decoded samples into the pool and sends
 * LOAD_SAMPLE itself (platform/sampler.c, flz_sampler_load_frames). */
typedef enum flz_producer {
  FLZ_PRODUCER_CONTROL = 0, /* the main thread: keys, controllers, scripts, loading */
  FLZ_PRODUCER_MIDI = 1,    /* the MIDI input thread */
} flz_producer;

/* Zero fields mean "use the default" (see flz_engine_config_init). */
typedef struct flz_engine_config {
  uint32_t rate;   /* Hz; default FLZ_DEFAULT_RATE */
  uint32_t policy; /* flz_policy; default FLZ_POLICY_STEAL_OLDEST */
  float fade_ms;   /* fade of stop, steal, replace, pause and offset starts, and the
                       ramp of volume changes, ms; default 3, at most
                       FLZ_FADE_FRAMES_MAX frames */
} flz_engine_config;

/* Bandwidth of the delay-locked loop that smooths the callback times, Hz.
 * 1 Hz follows a sound card's clock drift within seconds while averaging out
 * the scheduling jitter of single callbacks (JACK uses about the same). */
#define FLZ_DLL_BANDWIDTH_HZ 1.0

/* Timed commands waiting for their frame in a later period: one producer's
 * drain of a period (FLZ_COMMANDS_PER_PERIOD). When it is full, a timed command
 * takes effect at once: early, not lost. */
#define FLZ_PENDING_COMMANDS 256

/* A MIDI clock is lost after this long without a tick: 2 s, the issue's,
 * is 4 beats at 120 BPM, longer than any clock's hiccup. */
#define FLZ_CLOCK_LOST_MS 2000

/* The largest tempo change, as a fraction, that steers the engine's beat
 * onto a clock's: 5 % (under a semitone of a locked loop's pitch). */
#define FLZ_CLOCK_STEER_MAX 0.05

/* The tempo factor per beat of error: 0.5 closes the beat error with a time
 * constant of 2 beats, which averages the filter's remaining tick noise.
 * 8 beats after a tempo change from 125 to 128 BPM with +-1 ms of tick
 * jitter a locked loop clicks within 0.73 ms of the clock's beats; 0.25
 * leaves 1.4 ms, no steering 6 ms (tests/engine/test_midiclock.c). */
#define FLZ_CLOCK_STEER_GAIN 0.5

/* Clock messages waiting for the MIDI output thread (a power of two): 256
 * ticks are 5 s at 120 BPM, far more than a period holds. */
#define FLZ_CLOCK_OUT_RING 256

/* Peak meters are published this many times a second (at least 20, the
 * issue's floor; 25 gives 40 ms windows, about a video frame and a half). */
#define FLZ_METER_RATE_HZ 25

typedef enum flz_voice_state {
  FLZ_VOICE_FREE = 0,
  FLZ_VOICE_PLAYING,
  FLZ_VOICE_FADING, /* ramping to silence; ends when the ramp reaches 0 */
} flz_voice_state;

typedef struct flz_voice {
  flz_sample sample; /* a copy: a replaced slot never changes a playing voice */
  uint32_t slot;
  uint32_t state;    /* flz_voice_state */
  uint64_t position; /* the frame being played, 32.32 fixed point */
  uint32_t start;    /* playable range [start, end) of the sample, frames */
  uint32_t end;
  uint32_t loop_start; /* loop range [loop_start, loop_end) while `looping` */
  uint32_t loop_end;
  uint8_t looping;       /* wraps at the loop's end (forward) or start (reverse) */
  uint8_t reverse;       /* the position falls instead of rising */
  uint8_t mode;          /* flz_mode of the press that started it */
  uint8_t locked;        /* rate follows the tempo (bpm_lock) */
  uint8_t interpolation; /* flz_interpolation it started with */
  float rate;            /* playback rate before the engine's speed */
  float gain;            /* velocity and slot gain: the level ramps return to */
  float amp[2];          /* current left and right gain (gain x pan x envelope) */
  float amp_step[2];     /* while ramp_left > 0: amp = amp_target + amp_step x ramp_left */
  float amp_target[2];
  uint32_t ramp_left; /* frames until amp reaches amp_target */
  uint64_t serial;    /* start order, for FLZ_POLICY_STEAL_OLDEST and STOPPED */
  /* A region's voice (PLAY_PAD); pad FLZ_PADS for a slot's (PLAY_SAMPLE). */
  uint16_t pad;
  uint8_t key;       /* the MIDI key that pressed it */
  uint8_t envelope;  /* flz_envelope_stage its ramps are in */
  uint8_t loop_mode; /* flz_loop_mode */
  uint8_t off_by;    /* its region's off_by: the region group whose sounding fades it; 0 = none */
  uint8_t reserved[2];
  uint32_t hold_frames; /* envelope segments, frames */
  uint32_t decay_frames;
  uint32_t release_frames;
  uint32_t off_frames; /* its fade when a group chokes it (its region's off_mode); 0: the
                          engine's fade */
  float sustain;       /* sustain level, 0..1 of the peak */
} flz_voice;

/* Where a region voice's envelope is: each segment is one linear ramp of
 * the voice's gains (attack from 0 to the peak, hold at the peak, decay to
 * sustain x peak), the release a fade out. */
typedef enum flz_envelope_stage {
  FLZ_ENVELOPE_SUSTAIN = 0, /* at its level until released (also a slot's voice) */
  FLZ_ENVELOPE_ATTACK,
  FLZ_ENVELOPE_HOLD,
  FLZ_ENVELOPE_DECAY,
} flz_envelope_stage;

/* A pad's state on the audio thread. */
typedef struct flz_pad_state {
  uint32_t round; /* presses so far, for the round robin */
  float velocity; /* the last press's velocity 0..1, for its release regions */
} flz_pad_state;

/* Read by the control side with flz_engine_counters_get; written only by the
 * audio thread. */
typedef struct flz_engine_counters {
  uint32_t commands_dropped; /* pushes refused because a command ring was full */
  uint32_t commands_late;    /* timed commands that arrived after their frame */
  uint32_t events_dropped;   /* events lost because the event ring was full */
  uint32_t triggers_dropped; /* PLAY_SAMPLE dropped by FLZ_POLICY_DROP */
  uint32_t voices_stolen;    /* voices taken by FLZ_POLICY_STEAL_OLDEST */
  uint32_t voices_active;    /* voices playing or fading after the last period */
  uint32_t xruns;            /* callbacks more than a period away from where the
                                smoothed clock expected them (a late or lost period);
                                the clock then locks afresh to the new times */
} flz_engine_counters;

/* Places of the set of published pool regions: twice the slots (at most
 * half full, so probes stay short), odd. */
#define FLZ_PUBLISHED_SIZE (2 * FLZ_SLOTS + 1)

/* Frames mixed per internal step; render handles any frame count in steps. */
#define FLZ_MIX_FRAMES 256

typedef struct flz_engine_pending {
  flz_command command;
  uint64_t frame; /* engine frame at which it takes effect */
  uint64_t order; /* arrival order, to keep commands at one frame in order */
} flz_engine_pending;

typedef struct flz_engine {
  flz_engine_config config;
  uint32_t fade_frames;
  flz_ring commands[FLZ_PRODUCERS];
  flz_ring events;
  flz_sample slots[FLZ_SLOTS];
  struct {
    uint32_t region;               /* pool region a slot publishes; 0: a free place */
    uint32_t count;                /* slots publishing it */
  } published[FLZ_PUBLISHED_SIZE]; /* a hash set (engine.c) */
  flz_voice voices[FLZ_VOICES + FLZ_TAIL_VOICES]; /* tails after the voices */
  uint32_t retiring[FLZ_SLOTS * 2];               /* pool regions waiting for their voices to end */
  uint32_t retiring_count;
  uint64_t serial;
  uint64_t stop_serial; /* a STOP is fading the voices started up to this serial */
  uint32_t stopping;
  float master_gain;
  float master_target;
  float master_step; /* master_gain = master_target + master_step x ramp left */
  uint32_t master_ramp_left;
  float transport_gain; /* 1 running, 0 paused; ramps between */
  float transport_target;
  float transport_step;
  uint32_t transport_ramp_left;
  uint32_t paused;     /* 1: held (voices do not advance), after the fade out */
  uint32_t pausing;    /* a PAUSE is fading out */
  double speed;        /* playback rate of every voice (SET_SPEED) */
  float tempo;         /* master tempo, BPM */
  double beat_at;      /* the beat (quarter notes) at frame beat_frame ... */
  uint64_t beat_frame; /* ... from which it counts at the tempo */
  flz_midiclock midiclock;
  uint64_t clock_tick_frame;  /* frame of the last MIDI clock tick */
  uint32_t clock_rephase;     /* set the beat to the clock's at the next tick */
  uint32_t clock_relaunch;    /* and place the sounding loops on it (Start, SPP) */
  uint32_t clock_following;   /* CLOCK_LOCKED said, CLOCK_LOST not since */
  uint32_t clock_leading;     /* FLZ_COMMAND_CLOCK_LEAD 1 */
  uint64_t clock_lead_tick;   /* the next tick to lead, 1/24 beats */
  uint32_t clock_lead_status; /* Start or Stop to push at the period's end; 0 none */
  uint64_t clock_lead_frame;  /* ... and its frame */
  flz_ring clock_out;         /* flz_clock_out, audio thread -> MIDI output */
  flz_clock_out clock_out_storage[FLZ_CLOCK_OUT_RING];
  uint32_t quantize;      /* flz_quantize of loop launches */
  uint32_t multi_loop;    /* 0: a loop press fades the other loops */
  uint32_t interpolation; /* flz_interpolation of new voices */
  flz_slot_params slot_params[FLZ_SLOTS];
  flz_region regions[FLZ_REGIONS];
  flz_pad_params pads[FLZ_PADS];
  flz_pad_state pad_state[FLZ_PADS];
  float velcurves[FLZ_PADS][128]; /* each pad's gain per MIDI velocity (SET_VELCURVE) */
  uint32_t random;                /* xorshift32 state of lorand/hirand (SET_SEED); never 0 */
  /* delay-locked loop (times in ns, as double) */
  uint32_t dll_running;
  uint32_t dll_frames; /* period size the loop is locked to */
  double dll_t0, dll_t1, dll_e2, dll_b, dll_c;
  uint64_t pending_order;
  uint32_t pending_count;
  flz_engine_pending pending[FLZ_PENDING_COMMANDS];
  /* meters */
  uint32_t meter_interval; /* frames */
  uint32_t meter_left;
  float meter_master_acc;
  float meter_slot_acc[FLZ_SLOTS];
  _Atomic uint32_t meter_master; /* float bits of the last published peak */
  _Atomic uint32_t meter_slot[FLZ_SLOTS];
  _Atomic uint32_t meter_serial;
  _Atomic uint64_t frame; /* frames rendered so far: the engine's frame clock */
  _Atomic uint32_t commands_late;
  _Atomic uint32_t triggers_dropped;
  _Atomic uint32_t voices_stolen;
  _Atomic uint32_t voices_active;
  _Atomic uint32_t xruns;
  float mix[FLZ_MIX_FRAMES * 2];
  flz_interpolate_tables interpolate;     /* the sinc kernel, filled by flz_engine_init */
  flz_patterns patterns;                  /* the pattern recorder's store and playback */
  flz_resample resample;                  /* FLZ_COMMAND_RESAMPLE's recording */
  flz_repeat repeat;                      /* note repeat's rate and held pads */
  float resample_mix[FLZ_MIX_FRAMES * 2]; /* the voices a slot or pad resampling records */
  flz_command command_storage[FLZ_PRODUCERS][FLZ_RING_CAPACITY];
  flz_event event_storage[FLZ_RING_CAPACITY];
} flz_engine;

/* Fills `config` with the defaults. Any thread. */
void flz_engine_config_init(flz_engine_config *config);

/* Sets up `engine` (caller storage: sizeof(flz_engine), about 2.2 MB; make
 * it static or heap, not stack) with empty slots, no voices, master gain 0 dB,
 * FLZ_DEFAULT_SPEED and FLZ_DEFAULT_TEMPO. `config` NULL: the defaults.
 * Returns FLZ_ERR_ARGUMENT for a rate outside FLZ_RATE_MIN..FLZ_RATE_MAX Hz or
 * an unknown policy. Call before any thread uses the engine. */
int flz_engine_init(flz_engine *engine, const flz_engine_config *config);

/* Producer thread `producer` only (one thread per producer index). Queues
 * `command` for the audio thread (see Timing above for when it takes
 * effect). Returns FLZ_OK, FLZ_ERR_RING_FULL (the command is dropped and
 * counted), or FLZ_ERR_ARGUMENT for a bad producer index. Wait-free. */
int flz_engine_send(flz_engine *engine, uint32_t producer, const flz_command *command);

/* Control thread only (the one consumer of events). Takes the oldest event
 * into `event` and returns 1, or returns 0 if none is waiting. Wait-free. */
int flz_engine_receive(flz_engine *engine, flz_event *event);

/* Audio thread only; safe in the audio callback (bounded, no allocation, no
 * locks, no system calls). Drains at most FLZ_COMMANDS_PER_PERIOD commands
 * from each producer, then renders `frames` frames into `out`: interleaved
 * float, `channels` (1 or 2) values per frame, overwritten (not added to);
 * other channel counts produce silence. `period_time_ns` is the
 * CLOCK_MONOTONIC time at which the callback began (0: unknown, e.g.
 * offline, then commands are not placed by time). Advances the frame clock by
 * `frames` and pushes events. Work is bounded by voices x frames plus the
 * commands applied. */
void flz_engine_render(flz_engine *engine, float *out, uint32_t frames, uint32_t channels,
                       uint64_t period_time_ns);

/* The MIDI output thread only (the one consumer of the clock-out ring).
 * Takes the oldest clock message the engine leads into `message` and
 * returns 1, or returns 0 if none is waiting. Wait-free. */
int flz_engine_clock_out(flz_engine *engine, flz_clock_out *message);

/* Audio thread, or any thread while no render runs. The engine's beat
 * (quarter notes since frame 0 at the tempo; see Beat above) at `frame`. */
double flz_engine_beat(const flz_engine *engine, double frame);

/* Any thread. Frames rendered so far. */
uint64_t flz_engine_frame(flz_engine *engine);

/* Any thread. A snapshot of the counters; never blocks the audio thread. */
void flz_engine_counters_get(flz_engine *engine, flz_engine_counters *counters);

/* Any thread. The latest published peak meters (linear, 0..; the largest
 * absolute output value in the last meter window): `master` after the master
 * gain, `slots` (NULL or FLZ_SLOTS values) per slot before it. Returns the
 * meter serial, which goes up by one per publication (FLZ_METER_RATE_HZ a
 * second while audio runs). Never blocks; values of one call may straddle a
 * publication. */
uint32_t flz_engine_meters_get(flz_engine *engine, float *slots, float *master);

/* Any thread. Fills `region` to play slot `slot` on every key (keycenter
 * 60, MIDI's middle C, as SFZ) and velocity, every round and random number,
 * unpitched by the key when the pad's key is 60, veltrack 1, sustain 1, no
 * envelope: a region that sounds as PLAY_SAMPLE of the slot would. */
void flz_engine_region_default(flz_region *region, uint32_t slot);

/* Any thread. The gain of a trigger of `velocity` (clamped to 0..1; NaN is 0):
 * velocity^2 (see Velocity above). */
float flz_engine_velocity_gain(float velocity);

#endif
