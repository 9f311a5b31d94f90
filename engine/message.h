/* engine/message.h: the fixed-size messages between the control side and the
 * audio thread.
 *
 * Owns: the command (control and MIDI threads -> audio) and event (audio ->
 * control) types.
 * Messages are plain structs copied by value through engine/ring.h; none of
 * them owns memory. Names follow the reference notes (PING, STOP, SET_VOLUME,
 * LOAD_SAMPLE, PLAY_SAMPLE; PONG, STOPPED).
 */
#ifndef FLZ_ENGINE_MESSAGE_H
#define FLZ_ENGINE_MESSAGE_H

#include <stdint.h>

#include "engine/pattern.h"
#include "engine/repeat.h"
#include "engine/resample.h"

/* A decoded sample as the audio thread sees it. The frames live in the sample
 * pool (engine/pool.h) and are never written while published.
 * Shape: interleaved float, `channels` (1 or 2) values per frame, nominal
 * range -1..1, `frame_count` frames at the engine's rate (a region's slot:
 * at its flz_region.sample_rate). */
typedef struct flz_sample {
  const float *data;
  uint32_t frame_count;
  uint32_t channels;
  /* The pool region holding `data`, handed back in FLZ_EVENT_SLOT_RETIRED so
   * the control side can free it; 0 means "not from the pool". */
  uint32_t region;
} flz_sample;

/* How a pad plays, set per slot (FLZ_COMMAND_SET_SLOT). Zero means the
 * default for every field, so a zeroed struct is a plain layering one-shot.
 * Frames are frames of the published sample (the engine's rate; a region's
 * slot: its flz_region.sample_rate). */
typedef enum flz_mode {
  FLZ_MODE_ONESHOT = 0, /* plays to the end; release does nothing */
  FLZ_MODE_GATE,        /* plays while held; release fades out */
  FLZ_MODE_LOOP,        /* loops until stopped; a second press stops it (toggle) */
  FLZ_MODE_LOOP_GATE,   /* loops while held */
} flz_mode;

/* The zero value layers, as the reference API's play_sample does; pads from
 * a kit restart unless their kit file says layer (app/kitfile.h). */
typedef enum flz_retrigger {
  FLZ_RETRIGGER_LAYER = 0, /* a new press adds a voice; the others play on */
  FLZ_RETRIGGER_RESTART,   /* a new press fades the pad's sounding voices out */
} flz_retrigger;

typedef enum flz_curve {
  FLZ_CURVE_SQUARE = 0, /* gain = velocity^2 (40 log10 v dB; the DLS curve) */
  FLZ_CURVE_LINEAR,     /* gain = velocity */
  FLZ_CURVE_DB,         /* gain in dB linear in velocity over `curve_db` dB:
                           10^(-curve_db (1 - v) / 20); velocity 0 is silent */
} flz_curve;

typedef struct flz_slot_params {
  uint8_t mode;      /* flz_mode */
  uint8_t retrigger; /* flz_retrigger */
  uint8_t reverse;   /* 1: play from the end towards the start */
  uint8_t bpm_lock;  /* 1: play at rate tempo / bpm (needs bpm > 0) */
  uint8_t curve;     /* flz_curve */
  uint8_t reserved[3];
  uint32_t choke;      /* choke group; 0 = none. A press silences (fades) the
                        voices of the other slots of its group */
  float gain;          /* linear; 0 means 1 (unity). For silence (FLZ_GAIN_DB_MIN
                        and below) use a tiny value, not 0 */
  float pan;           /* -1 (left) .. 1 (right); balance law: the far side
                        is scaled by 1 - |pan|, the near side stays 1 */
  float rate;          /* playback rate from tuning, 0 means 1: 2^(semitones/12) */
  float bpm;           /* the pad's own tempo, 0 = unknown */
  float curve_db;      /* FLZ_CURVE_DB range, dB */
  uint32_t start;      /* first frame played (forward) */
  uint32_t end;        /* one past the last frame played; 0 = the sample's end */
  uint32_t loop_start; /* loop range, within start..end; 0/0 = start..end */
  uint32_t loop_end;
} flz_slot_params;

/* Multi-sample pads: a pad (FLZ_COMMAND_SET_PAD) holds regions
 * (FLZ_COMMAND_SET_REGION) of the engine's region table; a press of the pad
 * (FLZ_COMMAND_PLAY_PAD, with a MIDI key and velocity) starts every region
 * whose key, velocity, round-robin and random ranges take it, chosen when the
 * press is applied. The terms are SFZ's (opcodes in parentheses). */
typedef enum flz_trigger {
  FLZ_TRIGGER_ATTACK = 0, /* sounds on the press (trigger=attack) */
  FLZ_TRIGGER_RELEASE,    /* sounds on the release, at the press's velocity (trigger=release) */
} flz_trigger;

typedef enum flz_loop_mode {
  FLZ_LOOP_NONE = 0,   /* plays to the end; a release starts the envelope's release (no_loop) */
  FLZ_LOOP_ONE_SHOT,   /* plays to the end; a release does nothing (one_shot) */
  FLZ_LOOP_CONTINUOUS, /* loops until the release's envelope ends (loop_continuous) */
  FLZ_LOOP_SUSTAIN,    /* loops while held, plays on past the loop once released (loop_sustain) */
} flz_loop_mode;

/* How a region's voices fade when a group chokes them (off_mode): each
 * voice by its own region's, whichever pad (its own or another) chokes it. */
typedef enum flz_off_mode {
  FLZ_OFF_FAST = 0, /* the engine's fade (flz_engine_config.fade_ms) */
  FLZ_OFF_NORMAL,   /* the region's envelope release */
  FLZ_OFF_TIME,     /* the region's off_time_ms (0: as FLZ_OFF_FAST) */
} flz_off_mode;

/* One region: a sample slot and when and how it sounds. The slot's
 * flz_slot_params give its gain, pan, tuning rate, velocity curve, start, end
 * and loop points (its mode, retrigger, choke and BPM lock are not used by a
 * region). flz_engine_region_default gives a region that plays its slot on
 * every key and velocity, unpitched, with no envelope. */
typedef struct flz_region {
  uint32_t slot;        /* the sample slot, < FLZ_SLOTS */
  uint8_t lokey, hikey; /* MIDI keys 0..127 it answers (lokey..hikey) */
  uint8_t lovel, hivel; /* MIDI velocities 1..127 it answers (lovel..hivel) */
  uint8_t keycenter;    /* the key it plays untransposed at (pitch_keycenter); another
                           key plays at rate 2^((key - keycenter) / 12) */
  uint8_t seq_position; /* 1..the pad's seq_length: the round it plays in; 0 = every round */
  uint8_t trigger;      /* flz_trigger */
  uint8_t loop_mode;    /* flz_loop_mode */
  /* 0: its voices play in the engine's mode (SET_INTERPOLATION); else in
   * flz_interpolation interpolation - 1 (SFZ's sample_quality) */
  uint8_t interpolation;
  /* Region choke groups 1..255 (SFZ's group and off_by, numbered by the
   * kit's reader), 0 = none: when it sounds, it first fades every voice
   * whose region's off_by is its group (beside the pad's group). */
  uint8_t group, off_by;
  /* The MIDI channels it answers (SFZ's lochan..hichan): lochan - 1 in the
   * low 4 bits, 16 - hichan in the high 4, so 0 is every channel. */
  uint8_t channels;
  uint8_t off_mode;     /* flz_off_mode: how its voices fade when choked (off_mode) */
  float off_time_ms;    /* FLZ_OFF_TIME's fade, ms (off_time) */
  float lorand, hirand; /* it plays when the press's random number r (0 <= r < 1, from the
                           engine's seed) lies in lorand <= r < hirand (hirand 1: r <= 1) */
  float veltrack;       /* 0..1 (amp_veltrack / 100): gain = 1 - veltrack + veltrack x curve */
  float attack_ms, hold_ms, decay_ms; /* envelope segments, ms (ampeg_*); 0 = none */
  float sustain;                      /* sustain level, 0..1 of the peak (ampeg_sustain / 100) */
  float release_ms; /* ms from the release to silence; at least the engine's fade */
  /* Hz of its slot's frames when they are not at the engine's rate (an SF2
   * sample kept at its own rate); 0 = the engine's. Its voices step
   * sample_rate / engine rate frames per output frame on top of the tuning
   * and key, so the slot's start, end and loop points are frames at this
   * rate. */
  uint32_t sample_rate;
} flz_region;

/* One pad's regions and how it shares voices. */
typedef struct flz_pad_params {
  uint16_t first;     /* its regions are first..first + count - 1 of the table */
  uint8_t count;      /* 0..FLZ_PAD_REGIONS; 0 = the pad is empty */
  uint8_t seq_length; /* rounds of its round robin (seq_length); 0 or 1 = no round robin */
  uint8_t polyphony;  /* most voices it sounds at once (note_polyphony); 0 = no limit.
                         A press over the limit fades its oldest voices (fast) */
  /* 1: its group chokes the other pads only, its own voices ring on (Hydrogen's
   * mute group); 0: its own too (SFZ's group = off_by, SF2's exclusive class) */
  uint8_t choke_others;
  uint8_t velcurve; /* 1: its velocity curve (SET_VELCURVE) gives its regions' velocity
                       gain (amp_velcurve_N), in place of veltrack and the slot's curve */
  uint8_t reserved;
  uint32_t group;  /* its press fades every voice of the pads whose off_by is this (group);
                      0 = none */
  uint32_t off_by; /* the group that chokes it (off_by); 0 = none */
} flz_pad_params;

/* Values of a pad's velocity curve one SET_VELCURVE carries. */
#define FLZ_VELCURVE_CHUNK 12

/* Launch quantization grids, on the engine's frame clock at the tempo
 * (4/4 time: a bar is 4 beats). */
typedef enum flz_quantize {
  FLZ_QUANTIZE_OFF = 0,
  FLZ_QUANTIZE_16TH, /* 1/16 note: a quarter beat */
  FLZ_QUANTIZE_8TH,  /* 1/8 note: half a beat */
  FLZ_QUANTIZE_4TH,  /* 1/4 note: a beat */
  FLZ_QUANTIZE_BAR,  /* 4 beats */
} flz_quantize;

/* How a voice reads between frames when it plays at another rate than 1
 * (engine/interpolate.h). At rate 1 on whole frames every mode copies. */
typedef enum flz_interpolation {
  FLZ_INTERPOLATION_LINEAR = 0, /* 2 points; the engine's first and cheapest */
  FLZ_INTERPOLATION_HERMITE,    /* 4-point cubic */
  FLZ_INTERPOLATION_SINC,       /* windowed sinc, band-limited when pitching up */
} flz_interpolation;

typedef enum flz_command_type {
  FLZ_COMMAND_PING = 1,          /* answer with PONG carrying `value` and `slot` */
  FLZ_COMMAND_STOP,              /* fade out every voice; STOPPED once they are silent */
  FLZ_COMMAND_SET_VOLUME,        /* master gain, `value` dB: FLZ_GAIN_DB_MIN and below is
                                 silence, at most FLZ_GAIN_DB_MAX; ramped */
  FLZ_COMMAND_LOAD_SAMPLE,       /* publish `sample` in `slot`, retiring the one it replaces
                                 (sent by the control thread: platform/sampler.c). No
                                 data or not 1 or 2 channels: empties the slot. A
                                 refused sample's region (also for a slot out of range)
                                 is retired at once, with no SLOT_LOADED */
  FLZ_COMMAND_UNLOAD_SAMPLE,     /* empty `slot`; its voices fade out, its sample is retired */
  FLZ_COMMAND_PLAY_SAMPLE,       /* press `slot` at velocity `value` (0..1) as its
                                 flz_slot_params say, `offset` frames past its start
                                 (a start mid-signal fades in) */
  FLZ_COMMAND_STOP_SLOT,         /* fade out every voice of `slot` */
  FLZ_COMMAND_PAUSE,             /* fade out and hold every voice; PAUSED when silent */
  FLZ_COMMAND_RESUME,            /* go on from where PAUSE held, fading in; RESUMED */
  FLZ_COMMAND_SET_SPEED,         /* rate of every voice, `value` (1 = as recorded) clamped to
                                 FLZ_SPEED_MIN..FLZ_SPEED_MAX, read by the voices'
                                 interpolation (SET_INTERPOLATION).
                                 The clamp was 0.25..4; the app never sent beyond
                                 0.5..2, so no render changed */
  FLZ_COMMAND_SET_SLOT,          /* how `slot` plays: `params`; gain, pan and rate reach
                                 sounding voices (ramped), the rest the next press */
  FLZ_COMMAND_RELEASE_SLOT,      /* gate and loop-gate voices of `slot` fade out; its queued
                                 loop-gate launch is dropped */
  FLZ_COMMAND_SET_TEMPO,         /* master tempo, `value` BPM in FLZ_TEMPO_MIN..FLZ_TEMPO_MAX
                                 (others are ignored); default FLZ_DEFAULT_TEMPO */
  FLZ_COMMAND_SET_QUANTIZE,      /* launch grid of loop pads, `offset` = flz_quantize */
  FLZ_COMMAND_SET_MULTI_LOOP,    /* `offset` 1 (default): loops play together; 0: a loop
                                 press fades the other looping voices */
  FLZ_COMMAND_SET_INTERPOLATION, /* `offset` = flz_interpolation of the voices started
                                    from now on (a sounding voice keeps its own, so a
                                    switch never clicks); others are ignored; default
                                    FLZ_DEFAULT_INTERPOLATION */
  FLZ_COMMAND_CLOCK,             /* a MIDI clock message arrived (engine/midiclock.h), its
                                    status byte in `offset`: 0xF8 tick (the master tempo
                                    and beat follow the ticks), 0xFA Start (song position 0,
                                    RESUME), 0xFB Continue (RESUME), 0xFC Stop (PAUSE),
                                    0xF2 Song Position Pointer (`slot` = 1/16 notes) */
  FLZ_COMMAND_CLOCK_LEAD,        /* `offset` 1: lead a MIDI clock from this frame (its beat 0:
                                    Start, then a tick every 1/24 beat at the tempo, into the
                                    clock-out ring, engine/engine.h); 0: Stop, and no more ticks */
  FLZ_COMMAND_SET_REGION,        /* region `slot` (< FLZ_REGIONS) of the table is `region`;
                                    sounding voices keep what they started with */
  FLZ_COMMAND_SET_PAD,           /* pad `slot` (< FLZ_PADS) is `pad`; a pad with regions
                                    past the table or more than FLZ_PAD_REGIONS is emptied */
  FLZ_COMMAND_PLAY_PAD,          /* press pad `slot` with MIDI key `offset` (0..127) at
                                    velocity `value` (0..1; the MIDI velocity is
                                    round(value x 127), at least 1) */
  FLZ_COMMAND_RELEASE_PAD,       /* release key `offset` of pad `slot`: its voices of that
                                    key start their release, its release regions sound */
  FLZ_COMMAND_SET_SEED,          /* seed `offset` of the random numbers of lorand/hirand */
  FLZ_COMMAND_SET_VELCURVE,      /* gains (0..1) `curve` of MIDI velocities `offset` ..
                                    `offset` + FLZ_VELCURVE_CHUNK - 1 (those up to 127) of pad
                                    `slot`'s velocity curve; all 0 until set */
  /* The pattern recorder (engine/pattern.h). */
  FLZ_COMMAND_RECORD,          /* `offset` = flz_record on the chosen pattern; PATTERN_CHANGED
                                  when its events changed (or recording stopped) */
  FLZ_COMMAND_PATTERN,         /* choose pattern `slot` (< FLZ_PATTERNS; FLZ_PATTERNS: stop)
                                  with `offset` bars (0: keep); PATTERN_CHANGED for new bars */
  FLZ_COMMAND_PATTERN_CHAIN,   /* play the `offset` patterns of `chain` in turn */
  FLZ_COMMAND_RECORD_QUANTIZE, /* record grid `offset` (flz_quantize, off..4TH), swing
                                  `value` 0.5..0.75 */
  FLZ_COMMAND_METRONOME,       /* the click's gain `value` (linear; 0 = off); a negative
                                  `value` toggles: off, or on at gain -`value` */
  FLZ_COMMAND_PATTERN_COPY,    /* copy pattern `slot`'s events into `events` (room for
                                  `offset`); PATTERN_COPIED says how many. The sender does
                                  not touch `events` until then */
  FLZ_COMMAND_PATTERN_LOAD,    /* pattern `slot` is the `offset` events at `events`, in order
                                  of position (one out of order is dropped), of `value` bars;
                                  PATTERN_LOADED, or PATTERN_FULL when they do not fit. The
                                  sender does not touch `events` until then */
  FLZ_COMMAND_RESAMPLE,        /* record `resample`'s source into its memory from this
                                    frame (engine/resample.h), ending one that records;
                                    at its end publish it in slot `slot` (as LOAD_SAMPLE)
                                    and say RESAMPLED */
  FLZ_COMMAND_RESAMPLE_STOP,   /* end the recording at this frame (as its length would) */
  FLZ_COMMAND_REPEAT,          /* note repeat at rate `offset` (flz_repeat_rate; OFF ends it
                                    and lets go of the pads it holds): a press while it is
                                    on holds its pad, which plays at its velocity on every
                                    grid line of the rate on the engine's beat, from the
                                    first at or after the press, until released (RELEASE_SLOT,
                                    RELEASE_PAD) or repeat is off; a new rate moves the held
                                    pads onto its grid from this frame */
  FLZ_COMMAND_PRESSURE,        /* aftertouch `value` (0..1) becomes the velocity of the
                                    next repeats of slot `slot` (`offset` 0) or multi-sample
                                    pad `slot` (`offset` 1); `slot` UINT32_MAX: every held
                                    pad (channel pressure) */
} flz_command_type;

typedef struct flz_command {
  uint32_t type;   /* flz_command_type */
  uint32_t slot;   /* 0-based slot index, < FLZ_SLOTS */
  float value;     /* velocity 0..1 (PLAY_SAMPLE), dB (SET_VOLUME), token (PING),
                    ratio (SET_SPEED), BPM (SET_TEMPO) */
  uint32_t offset; /* PLAY_SAMPLE: frames past the slot's start; SET_QUANTIZE,
                      SET_MULTI_LOOP, SET_INTERPOLATION: the setting; CLOCK: the
                      MIDI status byte */
  /* CLOCK_MONOTONIC time in ns at which the input event behind this command
   * arrived; 0 = no time: apply at the start of the next period. A timed
   * command takes effect one period after its time (engine/engine.h). */
  uint64_t time_ns;
  uint32_t flags; /* engine-internal: 0 when sent */
  /* PLAY_PAD, RELEASE_PAD: the note's MIDI channel 1..16, which a region's
   * channel range (flz_region.channels) takes or not; 0: every region
   * takes it (a pad press, or a note whose channel is not known). */
  uint32_t channel;
  union {
    flz_sample sample;               /* LOAD_SAMPLE */
    flz_slot_params params;          /* SET_SLOT */
    flz_region region;               /* SET_REGION */
    flz_pad_params pad;              /* SET_PAD */
    float curve[FLZ_VELCURVE_CHUNK]; /* SET_VELCURVE */
    uint8_t chain[FLZ_PATTERNS];     /* PATTERN_CHAIN: 0-based patterns */
    flz_pattern_event *events;       /* PATTERN_COPY, PATTERN_LOAD */
    flz_resample_request resample;   /* RESAMPLE */
  };
} flz_command;

typedef enum flz_event_type {
  FLZ_EVENT_PONG = 1,        /* answer to PING; `value` and `slot` are the ping's */
  FLZ_EVENT_STOPPED,         /* a STOP finished: the voices it stopped are silent */
  FLZ_EVENT_VOICE_STARTED,   /* `slot` started on `voice` at `frame`; `value` = velocity */
  FLZ_EVENT_VOICE_ENDED,     /* `voice` of `slot` ended (end of sample or faded) at `frame` */
  FLZ_EVENT_TRIGGER_DROPPED, /* PLAY_SAMPLE of `slot` dropped: all voices busy */
  FLZ_EVENT_VOICE_STOLEN,    /* `voice` (was playing `slot`) was taken for a new trigger;
                                its sound fades out on a tail voice, with no VOICE_ENDED */
  FLZ_EVENT_EMPTY_SLOT,      /* PLAY_SAMPLE of an empty or invalid `slot`, or with an
                                `offset` past its end, was ignored */
  FLZ_EVENT_SLOT_LOADED,     /* LOAD_SAMPLE of `slot` is published and playable */
  FLZ_EVENT_SLOT_RETIRED,    /* no voice reads pool region `region` any more: free it */
  FLZ_EVENT_PAUSED,          /* a PAUSE faded out; the output is silent, voices held */
  FLZ_EVENT_RESUMED,         /* a RESUME took effect */
  FLZ_EVENT_METER,           /* new peak meters are readable (flz_engine_meters_get);
                                `value` = master peak since the last METER */
  FLZ_EVENT_LAUNCH_QUEUED,   /* a quantized press of `slot` waits for `frame` */
  FLZ_EVENT_CLOCK_LOCKED,    /* the master tempo follows a MIDI clock: `value` BPM */
  FLZ_EVENT_CLOCK_LOST,      /* no MIDI clock tick for FLZ_CLOCK_LOST_MS: the master
                                tempo stays at `value` BPM */
  FLZ_EVENT_PATTERN_CHANGED, /* pattern `slot`'s events or bars changed (a record action, a
                                recording pass ended, new bars): save it */
  FLZ_EVENT_PATTERN_FULL,    /* a hit (`voice` UINT32_MAX) or a PATTERN_LOAD (`voice` its
                                count; the sender's buffer is its own again) of pattern
                                `slot` was not stored: the store holds FLZ_PATTERN_EVENTS */
  FLZ_EVENT_PATTERN_COPIED,  /* PATTERN_COPY of pattern `slot` is done: `voice` events,
                                `value` bars; the sender's buffer is its own again */
  FLZ_EVENT_PATTERN_LOADED,  /* PATTERN_LOAD of pattern `slot` is done: `voice` events
                                loaded */
  FLZ_EVENT_RESAMPLED,       /* a resampling ended at `frame`: `voice` frames of pool
                                region `region` are published in `slot` (SLOT_LOADED came
                                first; 0 frames: nothing published, the region retired);
                                `value` 1 when it stopped because its memory was full */
} flz_event_type;

/* A MIDI clock message the engine leads (FLZ_COMMAND_CLOCK_LEAD): audio
 * thread -> the MIDI output thread, through the engine's clock-out ring. */
typedef struct flz_clock_out {
  uint32_t status; /* 0xFA Start, 0xF8 tick, 0xFC Stop */
  uint32_t reserved;
  uint64_t frame;   /* the engine frame it belongs to */
  uint64_t time_ns; /* CLOCK_MONOTONIC time to send it at: when that frame is
                       heard (one period after its period's callback, as timed
                       input); 0 = no callback times (offline): at once */
} flz_clock_out;

typedef struct flz_event {
  uint32_t type;   /* flz_event_type */
  uint32_t slot;   /* 0-based slot, or UINT32_MAX when not about a slot */
  uint32_t voice;  /* voice index, or UINT32_MAX */
  uint32_t region; /* SLOT_RETIRED: the pool region to free */
  uint64_t frame;  /* engine frame clock when it happened */
  float value;
  uint32_t reserved;
} flz_event;

#endif
