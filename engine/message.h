/* engine/message.h: the fixed-size messages between the control side and the
 * audio thread.
 *
 * Owns: the command (control -> audio) and event (audio -> control) types.
 * Messages are plain structs copied by value through engine/ring.h; none of
 * them owns memory. Names follow the reference notes (PING, STOP, SET_VOLUME,
 * LOAD_SAMPLE, PLAY_SAMPLE; PONG, STOPPED).
 */
#ifndef FLZ_ENGINE_MESSAGE_H
#define FLZ_ENGINE_MESSAGE_H

#include <stdint.h>

/* A decoded sample as the audio thread sees it. The frames live in the sample
 * pool (engine/pool.h) and are never written while published.
 * Shape: interleaved float, `channels` (1 or 2) values per frame, nominal
 * range -1..1, `frame_count` frames at the engine's rate. */
typedef struct flz_sample {
  const float *data;
  uint32_t frame_count;
  uint32_t channels;
  /* The pool region holding `data`, handed back in FLZ_EVENT_SLOT_RETIRED so
   * the control side can free it; 0 means "not from the pool". */
  uint32_t region;
} flz_sample;

typedef enum flz_command_type {
  FLZ_COMMAND_PING = 1,     /* answer with FLZ_EVENT_PONG carrying `value` and `slot` */
  FLZ_COMMAND_STOP,         /* fade out every voice; FLZ_EVENT_STOPPED once the voices
                               that were sounding are silent */
  FLZ_COMMAND_SET_VOLUME,   /* master gain: `value` in dB (<= -96 is silence, at most
                               +24), ramped per sample over the fade time */
  FLZ_COMMAND_LOAD_SAMPLE,  /* publish `sample` into `slot` (replaces; the old is retired);
                               a sample without data or with other than 1 or 2
                               channels empties the slot; a refused sample's
                               region (also for a slot out of range) is retired
                               at once, with no SLOT_LOADED */
  FLZ_COMMAND_UNLOAD_SAMPLE,/* empty `slot`; its voices fade out, the sample is retired */
  FLZ_COMMAND_PLAY_SAMPLE,  /* start a voice of `slot` at velocity `value` (0..1), from
                               frame `offset` of the sample (a start past 0 fades in) */
  FLZ_COMMAND_STOP_SLOT,    /* fade out every voice of `slot` */
  FLZ_COMMAND_PAUSE,        /* fade the output out and hold every voice where it is;
                               FLZ_EVENT_PAUSED when silent */
  FLZ_COMMAND_RESUME,       /* go on from where PAUSE held, fading in; FLZ_EVENT_RESUMED */
  FLZ_COMMAND_SET_SPEED,    /* playback rate of every voice, `value` 0.25..4 (1 = as
                               recorded), by resampling (linear interpolation) */
} flz_command_type;

typedef struct flz_command {
  uint32_t type; /* flz_command_type */
  uint32_t slot; /* 0-based slot index, < FLZ_SLOTS */
  float value;   /* velocity 0..1 (PLAY_SAMPLE), dB (SET_VOLUME), token (PING),
                    ratio (SET_SPEED) */
  uint32_t offset; /* PLAY_SAMPLE: first frame of the sample to play */
  /* CLOCK_MONOTONIC time in ns at which the input event behind this command
   * arrived; 0 = no time: apply at the start of the next period. A timed
   * command takes effect one period after its time (engine/engine.h). */
  uint64_t time_ns;
  flz_sample sample; /* LOAD_SAMPLE only */
} flz_command;

typedef enum flz_event_type {
  FLZ_EVENT_PONG = 1,        /* answer to PING; `value` and `slot` are the ping's */
  FLZ_EVENT_STOPPED,         /* a STOP finished: the voices it stopped are silent */
  FLZ_EVENT_VOICE_STARTED,   /* `slot` started on `voice` at `frame`; `value` = velocity */
  FLZ_EVENT_VOICE_ENDED,     /* `voice` of `slot` ended (end of sample or faded) at `frame` */
  FLZ_EVENT_TRIGGER_DROPPED, /* PLAY_SAMPLE of `slot` dropped: all voices busy */
  FLZ_EVENT_VOICE_STOLEN,    /* `voice` (was playing `slot`) was taken for a new trigger;
                                its sound fades out on a tail voice, with no VOICE_ENDED */
  FLZ_EVENT_EMPTY_SLOT,      /* PLAY_SAMPLE of an empty or invalid `slot` was ignored */
  FLZ_EVENT_SLOT_LOADED,     /* LOAD_SAMPLE of `slot` is published and playable */
  FLZ_EVENT_SLOT_RETIRED,    /* no voice reads pool region `region` any more: free it */
  FLZ_EVENT_PAUSED,          /* a PAUSE faded out; the output is silent, voices held */
  FLZ_EVENT_RESUMED,         /* a RESUME took effect */
  FLZ_EVENT_METER,           /* new peak meters are readable (flz_engine_meters_get);
                                `value` = master peak since the last METER */
} flz_event_type;

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
