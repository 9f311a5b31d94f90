/* engine/engine.c: commands, timing, voices and the mixer of engine/engine.h.
 * Everything after the "audio thread" mark runs on the audio thread, inside
 * flz_engine_render: no allocation, no locks, no system calls, loops bounded
 * by voices x frames and by the commands drained per period. */
#include "engine/engine.h"

#include <math.h>
#include <string.h>

#include "engine/result.h"
#include "engine/vector.h"

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

/* The mix loops stay functions of their own, so tests/engine/test_vector_mix
 * can find them in the disassembly and prove they hold vector code. A call
 * per run of frames costs nothing next to the run. */
#if defined(__GNUC__)
#define FLZ_ENGINE_MIX_LOOP __attribute__((noinline))
#else
#define FLZ_ENGINE_MIX_LOOP
#endif

#define FLZ_NONE UINT32_MAX
#define FLZ_VOICE_TOTAL (FLZ_VOICES + FLZ_TAIL_VOICES)
#define FLZ_ONE ((uint64_t)1 << 32)  /* 1.0 in 32.32 fixed point */
#define FLZ_FLAG_LAUNCH 1u           /* a quantized press reaching its grid frame */
#define FLZ_FLAG_PATTERN 2u          /* a press of a playing pattern's event */
#define FLZ_FLAG_REPEAT 4u           /* a note repeat hit reaching its grid frame */
#define FLZ_SEED_DEFAULT 0x9e3779b9u /* the random numbers' seed until SET_SEED */
#define FLZ_KEYS 128u                /* MIDI keys and velocities */

_Static_assert(FLZ_PRODUCER_MIDI + 1 == FLZ_PRODUCERS, "one command ring per flz_producer");

void flz_engine_config_init(flz_engine_config *config)
{
  config->rate = FLZ_DEFAULT_RATE;
  config->policy = FLZ_POLICY_STEAL_OLDEST;
  config->fade_ms = 3.0f;
}

int flz_engine_init(flz_engine *engine, const flz_engine_config *config)
{
  flz_engine_config c;
  flz_engine_config_init(&c);
  if (config != NULL) {
    if (config->rate != 0)
      c.rate = config->rate;
    c.policy = config->policy;
    if (config->fade_ms > 0.0f)
      c.fade_ms = config->fade_ms;
  }
  if (c.rate < FLZ_RATE_MIN || c.rate > FLZ_RATE_MAX || c.policy > FLZ_POLICY_DROP)
    return FLZ_ERR_ARGUMENT;
  memset(engine, 0, sizeof *engine);
  engine->config = c;
  /* Clamped before the cast: a huge (or infinite) fade_ms must not overflow. */
  float fade = c.fade_ms * 0.001f * (float)c.rate;
  if (!(fade < (float)FLZ_FADE_FRAMES_MAX))
    fade = (float)FLZ_FADE_FRAMES_MAX;
  engine->fade_frames = fade < 1.0f ? 1u : (uint32_t)fade;
  for (uint32_t p = 0; p < FLZ_PRODUCERS; p++)
    flz_ring_init(&engine->commands[p], engine->command_storage[p], FLZ_RING_CAPACITY,
                  sizeof(flz_command));
  flz_ring_init(&engine->events, engine->event_storage, FLZ_RING_CAPACITY, sizeof(flz_event));
  flz_ring_init(&engine->clock_out, engine->clock_out_storage, FLZ_CLOCK_OUT_RING,
                sizeof(flz_clock_out));
  engine->master_gain = 1.0f;
  engine->master_target = 1.0f;
  engine->transport_gain = 1.0f;
  engine->speed = FLZ_DEFAULT_SPEED;
  engine->tempo = (float)FLZ_DEFAULT_TEMPO;
  flz_midiclock_init(&engine->midiclock, c.rate);
  engine->multi_loop = 1;
  engine->interpolation = FLZ_DEFAULT_INTERPOLATION;
  flz_interpolate_init(&engine->interpolate);
  engine->meter_interval = c.rate / FLZ_METER_RATE_HZ;
  engine->meter_left = engine->meter_interval;
  engine->random = FLZ_SEED_DEFAULT;
  flz_patterns_init(&engine->patterns);
  atomic_init(&engine->frame, 0);
  return FLZ_OK;
}

int flz_engine_send(flz_engine *engine, uint32_t producer, const flz_command *command)
{
  if (producer >= FLZ_PRODUCERS)
    return FLZ_ERR_ARGUMENT;
  return flz_ring_push(&engine->commands[producer], command);
}

int flz_engine_receive(flz_engine *engine, flz_event *event)
{
  return flz_ring_pop(&engine->events, event);
}

uint64_t flz_engine_frame(flz_engine *engine)
{
  return atomic_load_explicit(&engine->frame, memory_order_acquire);
}

void flz_engine_counters_get(flz_engine *engine, flz_engine_counters *counters)
{
  uint32_t dropped = 0;
  for (uint32_t p = 0; p < FLZ_PRODUCERS; p++)
    dropped += flz_ring_dropped(&engine->commands[p]);
  counters->commands_dropped = dropped;
  counters->commands_late = atomic_load_explicit(&engine->commands_late, memory_order_relaxed);
  counters->events_dropped = flz_ring_dropped(&engine->events) +
                             flz_ring_dropped(&engine->clock_out);
  counters->triggers_dropped = atomic_load_explicit(&engine->triggers_dropped,
                                                    memory_order_relaxed);
  counters->voices_stolen = atomic_load_explicit(&engine->voices_stolen, memory_order_relaxed);
  counters->voices_active = atomic_load_explicit(&engine->voices_active, memory_order_relaxed);
  counters->xruns = atomic_load_explicit(&engine->xruns, memory_order_relaxed);
}

static float flz_engine_bits_float(uint32_t bits)
{
  float value;
  memcpy(&value, &bits, sizeof value);
  return value;
}

static uint32_t flz_engine_float_bits(float value)
{
  uint32_t bits;
  memcpy(&bits, &value, sizeof bits);
  return bits;
}

uint32_t flz_engine_meters_get(flz_engine *engine, float *slots, float *master)
{
  uint32_t serial = atomic_load_explicit(&engine->meter_serial, memory_order_acquire);
  if (master != NULL)
    *master = flz_engine_bits_float(
      atomic_load_explicit(&engine->meter_master, memory_order_relaxed));
  if (slots != NULL)
    for (uint32_t s = 0; s < FLZ_SLOTS; s++)
      slots[s] = flz_engine_bits_float(
        atomic_load_explicit(&engine->meter_slot[s], memory_order_relaxed));
  return serial;
}

void flz_engine_region_default(flz_region *region, uint32_t slot)
{
  memset(region, 0, sizeof *region);
  region->slot = slot;
  region->hikey = FLZ_KEYS - 1;
  region->lovel = 1;
  region->hivel = FLZ_KEYS - 1;
  region->keycenter = 60;
  region->hirand = 1.0f;
  region->veltrack = 1.0f;
  region->sustain = 1.0f;
}

float flz_engine_velocity_gain(float velocity)
{
  if (!(velocity > 0.0f))
    return 0.0f;
  if (velocity > 1.0f)
    velocity = 1.0f;
  return velocity * velocity;
}

/* ---- audio thread from here on ---- */

static void flz_engine_emit(flz_engine *engine, uint32_t type, uint32_t slot, uint32_t voice,
                            uint64_t frame, float value)
{
  flz_event event = {.type = type,
                     .slot = slot,
                     .voice = voice,
                     .region = 0,
                     .frame = frame,
                     .value = value,
                     .reserved = 0};
  (void)flz_ring_push(&engine->events, &event); /* a full ring counts the loss */
}

/* Starts a linear ramp of the voice's left and right gains to the targets
 * over `frames` frames. The gain k frames before the ramp's end is target +
 * k x step (computed, not accumulated), so no rounding error builds up and
 * the last frame lands exactly on the target. */
static void flz_engine_ramp(flz_voice *voice, float left, float right, uint32_t frames)
{
  voice->amp_target[0] = left;
  voice->amp_target[1] = right;
  voice->amp_step[0] = (voice->amp[0] - left) / (float)frames;
  voice->amp_step[1] = (voice->amp[1] - right) / (float)frames;
  voice->ramp_left = frames;
}

/* Fades a playing voice to silence over `frames` frames; it ends then. */
static void flz_engine_fade_over(flz_voice *voice, uint32_t frames)
{
  if (voice->state != FLZ_VOICE_PLAYING)
    return;
  voice->state = FLZ_VOICE_FADING;
  voice->envelope = FLZ_ENVELOPE_SUSTAIN;
  flz_engine_ramp(voice, 0.0f, 0.0f, frames);
}

static void flz_engine_fade_out(flz_engine *engine, flz_voice *voice)
{
  flz_engine_fade_over(voice, engine->fade_frames);
}

/* Moves voice `index` onto a tail voice that plays out its fade. With every
 * tail busy, the tail closest to silence gives way (the quietest cut). */
static void flz_engine_move_to_tail(flz_engine *engine, uint32_t index)
{
  flz_voice *voice = &engine->voices[index];
  uint32_t chosen = FLZ_VOICES;
  float quietest = INFINITY;
  for (uint32_t t = FLZ_VOICES; t < FLZ_VOICE_TOTAL; t++) {
    flz_voice *tail = &engine->voices[t];
    if (tail->state == FLZ_VOICE_FREE) {
      chosen = t;
      break;
    }
    float level = fmaxf(fabsf(tail->amp[0]), fabsf(tail->amp[1]));
    if (level < quietest) {
      quietest = level;
      chosen = t;
    }
  }
  engine->voices[chosen] = *voice;
  if (engine->voices[chosen].state == FLZ_VOICE_PLAYING)
    flz_engine_fade_out(engine, &engine->voices[chosen]);
  voice->state = FLZ_VOICE_FREE;
}

/* The voice for a new trigger: a free one, else by the policy (FLZ_NONE:
 * dropped). A stolen voice's sound moves to a tail. */
static uint32_t flz_engine_allocate(flz_engine *engine, const flz_command *command, uint64_t frame)
{
  for (uint32_t v = 0; v < FLZ_VOICES; v++)
    if (engine->voices[v].state == FLZ_VOICE_FREE)
      return v;
  if (engine->config.policy == FLZ_POLICY_DROP) {
    atomic_fetch_add_explicit(&engine->triggers_dropped, 1, memory_order_relaxed);
    flz_engine_emit(engine, FLZ_EVENT_TRIGGER_DROPPED, command->slot, FLZ_NONE, frame,
                    command->value);
    return FLZ_NONE;
  }
  /* The oldest voice that is already fading out, else the oldest of all. */
  uint32_t chosen = 0;
  uint64_t oldest = UINT64_MAX;
  int fading = 0;
  for (uint32_t v = 0; v < FLZ_VOICES; v++) {
    const flz_voice *voice = &engine->voices[v];
    int is_fading = voice->state == FLZ_VOICE_FADING;
    if ((is_fading && !fading) || (is_fading == fading && voice->serial < oldest)) {
      oldest = voice->serial;
      chosen = v;
      fading = is_fading;
    }
  }
  atomic_fetch_add_explicit(&engine->voices_stolen, 1, memory_order_relaxed);
  flz_engine_emit(engine, FLZ_EVENT_VOICE_STOLEN, engine->voices[chosen].slot, chosen, frame,
                  command->value);
  flz_engine_move_to_tail(engine, chosen);
  return chosen;
}

/* The gain of `velocity` through a slot's velocity curve. */
static float flz_engine_curve_gain(const flz_slot_params *params, float velocity)
{
  if (!(velocity > 0.0f))
    return 0.0f;
  if (velocity > 1.0f)
    velocity = 1.0f;
  switch (params->curve) {
  case FLZ_CURVE_LINEAR:
    return velocity;
  case FLZ_CURVE_DB:
    return powf(10.0f, -params->curve_db * (1.0f - velocity) / 20.0f);
  default:
    return velocity * velocity;
  }
}

static float flz_engine_slot_gain(const flz_slot_params *params)
{
  return params->gain > 0.0f ? params->gain : 1.0f;
}

/* Left and right gains of `gain` at `pan` by the balance law. */
static void flz_engine_pan(float gain, float pan, float *left, float *right)
{
  pan = pan != pan ? 0.0f : (pan < -1.0f ? -1.0f : (pan > 1.0f ? 1.0f : pan));
  *left = gain * (pan > 0.0f ? 1.0f - pan : 1.0f);
  *right = gain * (pan < 0.0f ? 1.0f + pan : 1.0f);
}

/* A voice's rate before the engine's speed: the slot's tuning, times tempo
 * over the slot's BPM when locked. */
static float flz_engine_voice_rate(const flz_engine *engine, const flz_slot_params *params,
                                   uint8_t *locked)
{
  float rate = params->rate > 0.0f ? params->rate : 1.0f;
  *locked = params->bpm_lock && params->bpm > 0.0f;
  if (*locked)
    rate *= engine->tempo / params->bpm;
  return rate;
}

static int flz_engine_is_loop_mode(uint32_t mode)
{
  return mode == FLZ_MODE_LOOP || mode == FLZ_MODE_LOOP_GATE;
}

/* Fades out the sounding voices that `match` selects. */
static void flz_engine_fade_where(flz_engine *engine, int (*match)(const flz_voice *, uint32_t),
                                  uint32_t arg)
{
  for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++)
    if (engine->voices[v].state == FLZ_VOICE_PLAYING && match(&engine->voices[v], arg))
      flz_engine_fade_out(engine, &engine->voices[v]);
}

static int flz_engine_of_slot(const flz_voice *voice, uint32_t slot)
{
  return voice->slot == slot;
}

static int flz_engine_other_looping(const flz_voice *voice, uint32_t slot)
{
  return voice->slot != slot && voice->looping;
}

int flz_engine_clock_out(flz_engine *engine, flz_clock_out *message)
{
  return flz_ring_pop(&engine->clock_out, message);
}

/* Pushes a led clock message for `frame` of the period that starts at
 * `start`; drops and counts it when the ring is full. */
static void flz_engine_lead(flz_engine *engine, uint32_t status, uint64_t frame, uint64_t start,
                            uint32_t frames, int timed)
{
  flz_clock_out message = {.status = status, .frame = frame};
  if (timed) {
    double period = engine->dll_t1 - engine->dll_t0;
    message.time_ns = (uint64_t)(engine->dll_t0 +
                                 ((double)(frame - start) / frames + 1.0) * period);
  }
  (void)flz_ring_push(&engine->clock_out, &message);
}

/* What the engine leads in the period [start, start + frames): a Start or
 * Stop that CLOCK_LEAD asked for, and the ticks. */
static void flz_engine_lead_period(flz_engine *engine, uint64_t start, uint32_t frames, int timed)
{
  if (engine->clock_lead_status != 0)
    flz_engine_lead(engine, engine->clock_lead_status, engine->clock_lead_frame, start, frames,
                    timed);
  engine->clock_lead_status = 0;
  if (!engine->clock_leading)
    return;
  double per_tick = 60.0 * engine->config.rate / (engine->tempo * FLZ_MIDICLOCK_TICKS_PER_BEAT);
  for (uint32_t i = 0; i < FLZ_CLOCK_OUT_RING; i++) {
    double beat = (double)engine->clock_lead_tick / FLZ_MIDICLOCK_TICKS_PER_BEAT;
    double at = (double)engine->beat_frame +
                (beat - engine->beat_at) * FLZ_MIDICLOCK_TICKS_PER_BEAT * per_tick;
    /* The first frame at or after it (a millionth of a frame of rounding
     * in the beat's arithmetic does not move it to the next). */
    uint64_t frame = at <= (double)start ? start : (uint64_t)ceil(at - 1e-6);
    if (frame >= start + frames)
      return;
    flz_engine_lead(engine, 0xF8, frame, start, frames, timed);
    engine->clock_lead_tick++;
  }
}

double flz_engine_beat(const flz_engine *engine, double frame)
{
  return engine->beat_at + (frame - (double)engine->beat_frame) * (double)engine->tempo /
                             (60.0 * (double)engine->config.rate);
}

/* The first grid frame at or after `frame` of a grid of `beats` (> 0): grid
 * lines are whole multiples of `beats` on the engine's beat. */
static uint64_t flz_engine_grid_at(const flz_engine *engine, uint64_t frame, double beats)
{
  double span = (double)engine->config.rate * 60.0 * beats / engine->tempo;
  double origin = (double)engine->beat_frame - engine->beat_at / beats * span;
  double ahead = ceil(((double)frame - origin) / span);
  uint64_t k = ahead > 0.0 ? (uint64_t)ahead : 0u;
  if (k > 0 && llround(origin + (double)(k - 1) * span) >= (long long)frame)
    k--;
  while (llround(origin + (double)k * span) < (long long)frame)
    k++;
  return (uint64_t)llround(origin + (double)k * span);
}

/* The first grid frame at or after `frame` for the engine's quantize. */
static uint64_t flz_engine_grid_frame(const flz_engine *engine, uint64_t frame)
{
  static const double beats[] = {0.0, 0.25, 0.5, 1.0, 4.0};
  return flz_engine_grid_at(engine, frame, beats[engine->quantize]);
}

/* Removes a queued launch of `slot`; 1 if there was one. */
static int flz_engine_cancel_launch(flz_engine *engine, uint32_t slot)
{
  for (uint32_t i = 0; i < engine->pending_count; i++) {
    const flz_command *c = &engine->pending[i].command;
    if (c->type == FLZ_COMMAND_PLAY_SAMPLE && c->slot == slot && (c->flags & FLZ_FLAG_LAUNCH)) {
      engine->pending[i] = engine->pending[--engine->pending_count];
      return 1;
    }
  }
  return 0;
}

static int flz_engine_queue(flz_engine *engine, const flz_command *command, uint64_t frame);

/* The voice's loop range from the slot's loop points within its start..end
 * (0/0: all of it); it loops when `loop` and the range is not empty. */
static void flz_engine_set_loop(flz_voice *voice, const flz_slot_params *params, int loop)
{
  uint32_t begin = voice->start, end = voice->end;
  uint32_t loop_start = params->loop_start, loop_end = params->loop_end;
  if (loop_start == 0 && loop_end == 0) {
    loop_start = begin;
    loop_end = end;
  }
  loop_start = loop_start < begin ? begin : loop_start;
  loop_end = loop_end > end || loop_end == 0 ? end : loop_end;
  voice->looping = loop && loop_end > loop_start;
  voice->loop_start = loop_start;
  voice->loop_end = loop_end;
}

/* PLAY_SAMPLE at `frame`: stops a sounding LOOP pad (toggle), queues a loop
 * press for its quantize grid, or chokes, retriggers and starts a voice. */
static void flz_engine_play(flz_engine *engine, const flz_command *command, uint64_t frame)
{
  uint32_t slot = command->slot;
  if (slot >= FLZ_SLOTS || engine->slots[slot].data == NULL) {
    flz_engine_emit(engine, FLZ_EVENT_EMPTY_SLOT, slot, FLZ_NONE, frame, command->value);
    return;
  }
  const flz_slot_params *params = &engine->slot_params[slot];
  int loop = flz_engine_is_loop_mode(params->mode);
  if (params->mode == FLZ_MODE_LOOP && !(command->flags & FLZ_FLAG_LAUNCH)) {
    /* Toggle: a press while the loop sounds (or waits to launch) stops it. */
    if (flz_engine_cancel_launch(engine, slot))
      return;
    for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++) {
      if (engine->voices[v].state == FLZ_VOICE_PLAYING && engine->voices[v].slot == slot) {
        flz_engine_fade_where(engine, flz_engine_of_slot, slot);
        return;
      }
    }
  }
  if (loop && engine->quantize != FLZ_QUANTIZE_OFF && !(command->flags & FLZ_FLAG_LAUNCH)) {
    uint64_t at = flz_engine_grid_frame(engine, frame);
    if (at > frame) {
      flz_command launch = *command;
      launch.flags |= FLZ_FLAG_LAUNCH;
      if (flz_engine_queue(engine, &launch, at)) {
        flz_engine_emit(engine, FLZ_EVENT_LAUNCH_QUEUED, slot, FLZ_NONE, at, command->value);
        return;
      }
    }
  }
  if (params->choke != 0)
    for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++) {
      flz_voice *other = &engine->voices[v];
      if (other->state == FLZ_VOICE_PLAYING && other->slot != slot &&
          engine->slot_params[other->slot].choke == params->choke)
        flz_engine_fade_out(engine, other);
    }
  if (params->retrigger == FLZ_RETRIGGER_RESTART)
    flz_engine_fade_where(engine, flz_engine_of_slot, slot);
  if (loop && !engine->multi_loop)
    flz_engine_fade_where(engine, flz_engine_other_looping, slot);

  const flz_sample *sample = &engine->slots[slot];
  uint32_t end = params->end > 0 && params->end < sample->frame_count ? params->end
                                                                      : sample->frame_count;
  uint32_t begin = params->start < end ? params->start : end;
  if (command->offset >= end - begin) {
    flz_engine_emit(engine, FLZ_EVENT_EMPTY_SLOT, slot, FLZ_NONE, frame, command->value);
    return;
  }
  uint32_t chosen = flz_engine_allocate(engine, command, frame);
  if (chosen == FLZ_NONE)
    return;
  flz_voice *voice = &engine->voices[chosen];
  memset(voice, 0, sizeof *voice);
  voice->sample = *sample;
  voice->slot = slot;
  voice->pad = FLZ_PADS;
  voice->state = FLZ_VOICE_PLAYING;
  voice->start = begin;
  voice->end = end;
  voice->mode = params->mode;
  voice->reverse = params->reverse != 0;
  voice->interpolation = (uint8_t)engine->interpolation;
  voice->rate = flz_engine_voice_rate(engine, params, &voice->locked);
  flz_engine_set_loop(voice, params, loop);
  uint32_t first = voice->reverse ? end - 1 - command->offset : begin + command->offset;
  voice->position = (uint64_t)first << 32;
  voice->gain = flz_engine_curve_gain(params, command->value) * flz_engine_slot_gain(params);
  voice->serial = ++engine->serial;
  float left, right;
  flz_engine_pan(voice->gain, params->pan, &left, &right);
  /* Mid-signal starts fade in: anywhere but a forward start at frame 0 or a
   * reverse start at the sample's very end. */
  int mid_signal = voice->reverse ? first + 1 < sample->frame_count : first > 0;
  if (mid_signal) {
    flz_engine_ramp(voice, left, right, engine->fade_frames);
  } else {
    voice->amp[0] = voice->amp_target[0] = left;
    voice->amp[1] = voice->amp_target[1] = right;
  }
  flz_engine_emit(engine, FLZ_EVENT_VOICE_STARTED, slot, chosen, frame, command->value);
}

/* ---- multi-sample pads ---- */

/* The next random number of lorand/hirand, 0 <= r < 1: xorshift32
 * (G. Marsaglia, "Xorshift RNGs", 2003), its top 24 bits. */
static float flz_engine_next_random(flz_engine *engine)
{
  uint32_t x = engine->random;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  engine->random = x;
  return (float)(x >> 8) * (1.0f / 16777216.0f);
}

/* `ms` in frames at the engine's rate, rounded; 0 for none, NaN or less. */
static uint32_t flz_engine_ms_frames(const flz_engine *engine, float ms)
{
  if (!(ms > 0.0f))
    return 0;
  if (ms > FLZ_ENVELOPE_MS_MAX)
    ms = FLZ_ENVELOPE_MS_MAX;
  return (uint32_t)llround((double)ms * (double)engine->config.rate / 1000.0);
}

/* The MIDI velocity 1..127 of a velocity 0..1. */
static uint32_t flz_engine_midi_velocity(float velocity)
{
  if (!(velocity > 0.0f))
    return 1;
  long v = lroundf((velocity > 1.0f ? 1.0f : velocity) * (float)(FLZ_KEYS - 1));
  return v < 1 ? 1u : (uint32_t)v;
}

/* Starts the envelope segment after the one whose ramp just ended. */
static void flz_engine_envelope_next(flz_voice *voice)
{
  if (voice->envelope == FLZ_ENVELOPE_ATTACK && voice->hold_frames > 0) {
    voice->envelope = FLZ_ENVELOPE_HOLD;
    flz_engine_ramp(voice, voice->amp_target[0], voice->amp_target[1], voice->hold_frames);
    return;
  }
  if (voice->envelope != FLZ_ENVELOPE_DECAY && voice->sustain < 1.0f) {
    float left = voice->amp_target[0] * voice->sustain;
    float right = voice->amp_target[1] * voice->sustain;
    voice->envelope = FLZ_ENVELOPE_DECAY;
    flz_engine_ramp(voice, left, right, voice->decay_frames > 0 ? voice->decay_frames : 1);
    return;
  }
  voice->envelope = FLZ_ENVELOPE_SUSTAIN;
}

/* 1 if `region` sounds for a `trigger` of `key` at MIDI velocity `velocity`
 * on MIDI channel `channel` (0: any) in round `round` (0-based) with random
 * number `random`. */
static int flz_engine_region_takes(const flz_region *region, uint32_t trigger, uint32_t key,
                                   uint32_t velocity, uint32_t channel, uint32_t round,
                                   float random)
{
  uint32_t lochan = (region->channels & 15u) + 1, hichan = 16 - (region->channels >> 4);
  return region->trigger == trigger && key >= region->lokey && key <= region->hikey &&
         (channel == 0 || (channel >= lochan && channel <= hichan)) && velocity >= region->lovel &&
         velocity <= region->hivel &&
         (region->seq_position == 0 || region->seq_position == round + 1) &&
         random >= region->lorand && (random < region->hirand || region->hirand >= 1.0f);
}

/* Fades the oldest playing voice of pad `pad` while it sounds `limit` or
 * more (its note_polyphony). */
static void flz_engine_limit_pad(flz_engine *engine, uint32_t pad, uint32_t limit)
{
  for (;;) {
    uint32_t count = 0, oldest = FLZ_NONE;
    for (uint32_t v = 0; v < FLZ_VOICES; v++) {
      const flz_voice *voice = &engine->voices[v];
      if (voice->state != FLZ_VOICE_PLAYING || voice->pad != pad)
        continue;
      count++;
      if (oldest == FLZ_NONE || voice->serial < engine->voices[oldest].serial)
        oldest = v;
    }
    if (count < limit)
      return;
    flz_engine_fade_out(engine, &engine->voices[oldest]);
  }
}

/* Starts a voice of `region` of pad `pad` for `key` at `velocity` (0..1). */
static void flz_engine_start_region(flz_engine *engine, uint32_t pad, const flz_region *region,
                                    uint32_t key, float velocity, uint64_t frame)
{
  uint32_t slot = region->slot;
  if (slot >= FLZ_SLOTS || engine->slots[slot].data == NULL) {
    flz_engine_emit(engine, FLZ_EVENT_EMPTY_SLOT, slot, FLZ_NONE, frame, velocity);
    return;
  }
  if (engine->pads[pad].polyphony > 0)
    flz_engine_limit_pad(engine, pad, engine->pads[pad].polyphony);
  const flz_slot_params *params = &engine->slot_params[slot];
  const flz_sample *sample = &engine->slots[slot];
  uint32_t end = params->end > 0 && params->end < sample->frame_count ? params->end
                                                                      : sample->frame_count;
  uint32_t begin = params->start < end ? params->start : end;
  if (begin == end) {
    flz_engine_emit(engine, FLZ_EVENT_EMPTY_SLOT, slot, FLZ_NONE, frame, velocity);
    return;
  }
  flz_command trigger = {.type = FLZ_COMMAND_PLAY_PAD, .slot = slot, .value = velocity};
  uint32_t chosen = flz_engine_allocate(engine, &trigger, frame);
  if (chosen == FLZ_NONE)
    return;
  flz_voice *voice = &engine->voices[chosen];
  memset(voice, 0, sizeof *voice);
  voice->sample = *sample;
  voice->slot = slot;
  voice->pad = (uint16_t)pad;
  voice->key = (uint8_t)key;
  voice->off_by = region->off_by;
  voice->state = FLZ_VOICE_PLAYING;
  voice->start = begin;
  voice->end = end;
  voice->reverse = params->reverse != 0;
  voice->interpolation = region->interpolation > 0 &&
                             region->interpolation <= FLZ_INTERPOLATION_SINC + 1
                           ? (uint8_t)(region->interpolation - 1)
                           : (uint8_t)engine->interpolation;
  voice->rate = params->rate > 0.0f ? params->rate : 1.0f;
  if (key != region->keycenter)
    voice->rate *= exp2f(((float)key - (float)region->keycenter) / 12.0f);
  if (region->sample_rate != 0 && region->sample_rate != engine->config.rate)
    voice->rate *= (float)((double)region->sample_rate / (double)engine->config.rate);
  voice->loop_mode = region->loop_mode;
  flz_engine_set_loop(voice, params,
                      region->loop_mode == FLZ_LOOP_CONTINUOUS ||
                        region->loop_mode == FLZ_LOOP_SUSTAIN);
  voice->position = (uint64_t)(voice->reverse ? end - 1 : begin) << 32;
  float curve = engine->pads[pad].velcurve
                  ? engine->velcurves[pad][flz_engine_midi_velocity(velocity)]
                  : flz_engine_curve_gain(params, velocity);
  float track = engine->pads[pad].velcurve             ? 1.0f
                : region->veltrack != region->veltrack ? 1.0f
                                                       : fminf(fmaxf(region->veltrack, 0.0f), 1.0f);
  voice->gain = (1.0f - track + track * curve) * flz_engine_slot_gain(params);
  voice->serial = ++engine->serial;
  voice->hold_frames = flz_engine_ms_frames(engine, region->hold_ms);
  voice->decay_frames = flz_engine_ms_frames(engine, region->decay_ms);
  voice->release_frames = flz_engine_ms_frames(engine, region->release_ms);
  if (voice->release_frames < engine->fade_frames)
    voice->release_frames = engine->fade_frames; /* click-free, as every fade */
  voice->off_frames = region->off_mode == FLZ_OFF_NORMAL ? voice->release_frames
                      : region->off_mode == FLZ_OFF_TIME
                        ? flz_engine_ms_frames(engine, region->off_time_ms)
                        : 0;
  voice->sustain = region->sustain != region->sustain ? 1.0f
                                                      : fminf(fmaxf(region->sustain, 0.0f), 1.0f);
  float left, right;
  flz_engine_pan(voice->gain, params->pan, &left, &right);
  uint32_t attack = flz_engine_ms_frames(engine, region->attack_ms);
  voice->envelope = FLZ_ENVELOPE_ATTACK;
  if (attack > 0) {
    flz_engine_ramp(voice, left, right, attack);
  } else {
    voice->amp[0] = voice->amp_target[0] = left;
    voice->amp[1] = voice->amp_target[1] = right;
    flz_engine_envelope_next(voice);
  }
  flz_engine_emit(engine, FLZ_EVENT_VOICE_STARTED, slot, chosen, frame, velocity);
}

/* 1 if `voice` is choked by the sounding of `count` regions `chosen` of pad
 * `pad`: the pad's group is the off_by of the voice's pad (another pad's
 * when the pad chokes others only), or a region's group the off_by of the
 * voice's region. */
static int flz_engine_chokes(const flz_engine *engine, uint32_t pad, const uint16_t *chosen,
                             uint32_t count, const flz_voice *voice)
{
  const flz_pad_params *params = &engine->pads[pad];
  if (params->group != 0 && engine->pads[voice->pad].off_by == params->group &&
      !(params->choke_others && voice->pad == pad))
    return 1;
  for (uint32_t i = 0; i < count && voice->off_by != 0; i++)
    if (engine->regions[chosen[i]].group == voice->off_by)
      return 1;
  return 0;
}

/* Starts every region of pad `pad` that a `trigger` of `key` at `velocity`
 * on MIDI channel `channel` (0: any) takes; returns how many it found. `choke`: first fade the voices its group
 * and its sounding regions' groups choke (when a region sounds). */
static uint32_t flz_engine_trigger_pad(flz_engine *engine, uint32_t pad, uint32_t trigger,
                                       uint32_t key, float velocity, uint32_t channel,
                                       uint32_t round, int choke, uint64_t frame)
{
  const flz_pad_params *params = &engine->pads[pad];
  uint32_t midi = flz_engine_midi_velocity(velocity);
  float random = flz_engine_next_random(engine);
  uint16_t chosen[FLZ_PAD_REGIONS];
  uint32_t count = 0;
  for (uint32_t r = 0; r < params->count; r++)
    if (flz_engine_region_takes(&engine->regions[params->first + r], trigger, key, midi, channel,
                                round, random))
      chosen[count++] = (uint16_t)(params->first + r);
  uint32_t groups = params->group;
  for (uint32_t i = 0; i < count; i++)
    groups |= engine->regions[chosen[i]].group;
  if (count > 0 && choke && groups != 0)
    for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++) {
      flz_voice *other = &engine->voices[v];
      if (other->state != FLZ_VOICE_PLAYING || other->pad >= FLZ_PADS ||
          !flz_engine_chokes(engine, pad, chosen, count, other))
        continue;
      if (other->off_frames > 0)
        flz_engine_fade_over(other, other->off_frames);
      else
        flz_engine_fade_out(engine, other);
    }
  for (uint32_t i = 0; i < count; i++)
    flz_engine_start_region(engine, pad, &engine->regions[chosen[i]], key, velocity, frame);
  return count;
}

/* PLAY_PAD and RELEASE_PAD. */
static void flz_engine_press_pad(flz_engine *engine, const flz_command *command, uint64_t frame)
{
  uint32_t pad = command->slot, key = command->offset;
  if (pad >= FLZ_PADS || key >= FLZ_KEYS || engine->pads[pad].count == 0) {
    flz_engine_emit(engine, FLZ_EVENT_EMPTY_SLOT, FLZ_NONE, FLZ_NONE, frame, command->value);
    return;
  }
  flz_pad_state *state = &engine->pad_state[pad];
  uint32_t length = engine->pads[pad].seq_length;
  if (command->type == FLZ_COMMAND_PLAY_PAD) {
    uint32_t round = length > 1 ? state->round % length : 0;
    state->round++;
    state->velocity = command->value;
    (void)flz_engine_trigger_pad(engine, pad, FLZ_TRIGGER_ATTACK, key, command->value,
                                 command->channel, round, 1, frame);
    return;
  }
  for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++) {
    flz_voice *voice = &engine->voices[v];
    if (voice->state != FLZ_VOICE_PLAYING || voice->pad != pad || voice->key != key ||
        voice->loop_mode == FLZ_LOOP_ONE_SHOT)
      continue;
    if (voice->loop_mode == FLZ_LOOP_SUSTAIN)
      voice->looping = 0;
    flz_engine_fade_over(voice, voice->release_frames);
  }
  uint32_t round = length > 1 ? (state->round + length - 1) % length : 0;
  (void)flz_engine_trigger_pad(engine, pad, FLZ_TRIGGER_RELEASE, key, state->velocity,
                               command->channel, round, 0, frame);
}

/* ---- which pool regions the slots publish: an open-addressing hash set
 * with linear probing (Knuth's multiplicative hash; deletion by backward
 * shift, so no tombstones), at most FLZ_SLOTS entries in twice as many
 * places: a look-up takes a few probes, not a scan of every slot. ---- */

/* The entry's home place. */
static uint32_t flz_engine_published_home(uint32_t region)
{
  return (uint32_t)(((uint64_t)region * 2654435761u) % FLZ_PUBLISHED_SIZE);
}

/* The place of `region`, or the free place where it would go. */
static uint32_t flz_engine_published_find(const flz_engine *engine, uint32_t region)
{
  uint32_t i = flz_engine_published_home(region);
  while (engine->published[i].region != 0 && engine->published[i].region != region)
    i = i + 1 == FLZ_PUBLISHED_SIZE ? 0 : i + 1;
  return i;
}

/* 1 if a slot publishes pool region `region` (nonzero). */
static int flz_engine_region_published(const flz_engine *engine, uint32_t region)
{
  return region != 0 &&
         engine->published[flz_engine_published_find(engine, region)].region == region;
}

/* A slot publishes `region` (0: none) once more. */
static void flz_engine_publish(flz_engine *engine, uint32_t region)
{
  if (region == 0)
    return;
  uint32_t i = flz_engine_published_find(engine, region);
  engine->published[i].region = region;
  engine->published[i].count++;
}

/* A slot publishes `region` (0: none) once less. */
static void flz_engine_unpublish(flz_engine *engine, uint32_t region)
{
  uint32_t i = flz_engine_published_find(engine, region);
  if (region == 0 || engine->published[i].region != region || --engine->published[i].count > 0)
    return;
  /* Backward shift: move up each later entry of the run whose home is not
   * between the hole and it (cyclically). */
  uint32_t j = i;
  for (;;) {
    j = j + 1 == FLZ_PUBLISHED_SIZE ? 0 : j + 1;
    if (engine->published[j].region == 0)
      break;
    uint32_t home = flz_engine_published_home(engine->published[j].region);
    int between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (!between) {
      engine->published[i] = engine->published[j];
      i = j;
    }
  }
  engine->published[i].region = 0;
  engine->published[i].count = 0;
}

/* Emits SLOT_RETIRED for `region` now (it must not be read any more). */
static int flz_engine_emit_retired(flz_engine *engine, uint32_t region, uint64_t frame)
{
  flz_event event = {.type = FLZ_EVENT_SLOT_RETIRED,
                     .slot = FLZ_NONE,
                     .voice = FLZ_NONE,
                     .region = region,
                     .frame = frame,
                     .value = 0.0f,
                     .reserved = 0};
  return flz_ring_push(&engine->events, &event);
}

/* Sample `old` left slot `slot`: fades the voices of that slot playing it and
 * queues its pool region, which is reported retired once no slot publishes
 * it and no voice reads it (flz_engine_retire). */
static void flz_engine_retire_later(flz_engine *engine, uint32_t slot, const flz_sample *old,
                                    uint64_t frame)
{
  for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++) {
    flz_voice *voice = &engine->voices[v];
    if (voice->state != FLZ_VOICE_FREE && voice->slot == slot && voice->sample.data == old->data)
      flz_engine_fade_out(engine, voice);
  }
  uint32_t region = old->region;
  if (region == 0 || flz_engine_region_published(engine, region))
    return; /* not from the pool, or still published: the last slot retires it */
  for (uint32_t r = 0; r < engine->retiring_count; r++)
    if (engine->retiring[r] == region)
      return;
  if (engine->retiring_count < sizeof engine->retiring / sizeof engine->retiring[0]) {
    engine->retiring[engine->retiring_count++] = region;
    return;
  }
  for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++) /* no room to wait: cut now, retire now */
    if (engine->voices[v].state != FLZ_VOICE_FREE && engine->voices[v].sample.region == region)
      engine->voices[v].state = FLZ_VOICE_FREE;
  (void)flz_engine_emit_retired(engine, region, frame);
}

static void flz_engine_load(flz_engine *engine, const flz_command *command, uint64_t frame)
{
  int load = command->type == FLZ_COMMAND_LOAD_SAMPLE;
  if (command->slot >= FLZ_SLOTS) {
    /* a refused sample is never read: hand its region back at once */
    if (load && command->sample.region != 0 &&
        !flz_engine_region_published(engine, command->sample.region))
      (void)flz_engine_emit_retired(engine, command->sample.region, frame);
    return;
  }
  flz_sample old = engine->slots[command->slot];
  if (old.data != NULL)
    flz_engine_unpublish(engine, old.region);
  if (load && command->sample.data != NULL && command->sample.frame_count > 0 &&
      (command->sample.channels == 1 || command->sample.channels == 2)) {
    engine->slots[command->slot] = command->sample;
    flz_engine_publish(engine, command->sample.region);
    flz_engine_emit(engine, FLZ_EVENT_SLOT_LOADED, command->slot, FLZ_NONE, frame, 0.0f);
  } else {
    memset(&engine->slots[command->slot], 0, sizeof(flz_sample));
    if (load && command->sample.region != 0 && command->sample.region != old.region &&
        !flz_engine_region_published(engine, command->sample.region))
      (void)flz_engine_emit_retired(engine, command->sample.region, frame);
  }
  if (old.data != NULL && old.data != engine->slots[command->slot].data)
    flz_engine_retire_later(engine, command->slot, &old, frame);
}

/* New settings for `slot`: gain, pan and rate reach its sounding voices
 * (gain and pan ramped over the fade time); the rest applies from the next
 * press. */
static void flz_engine_set_slot(flz_engine *engine, uint32_t slot, const flz_slot_params *params)
{
  float old_gain = flz_engine_slot_gain(&engine->slot_params[slot]);
  float new_gain = flz_engine_slot_gain(params);
  engine->slot_params[slot] = *params;
  for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++) {
    flz_voice *voice = &engine->voices[v];
    if (voice->state != FLZ_VOICE_PLAYING || voice->slot != slot || voice->pad < FLZ_PADS)
      continue; /* a region's voice keeps its envelope and key's rate */
    voice->rate = flz_engine_voice_rate(engine, params, &voice->locked);
    voice->gain = voice->gain / old_gain * new_gain;
    float left, right;
    flz_engine_pan(voice->gain, params->pan, &left, &right);
    flz_engine_ramp(voice, left, right, engine->fade_frames);
  }
}

static void flz_engine_transport_ramp(flz_engine *engine, float target)
{
  engine->transport_target = target;
  engine->transport_step = (engine->transport_gain - target) / (float)engine->fade_frames;
  engine->transport_ramp_left = engine->fade_frames;
}

/* Carries out `command` at engine frame `frame`, now: the one place where each
 * command type of engine/message.h takes effect. */
/* Sets the master tempo from `frame` on, the beat going on from where it is,
 * and the rate of sounding BPM-locked voices. */
static void flz_engine_set_tempo(flz_engine *engine, double tempo, uint64_t frame)
{
  tempo = tempo < FLZ_TEMPO_MIN ? FLZ_TEMPO_MIN : (tempo > FLZ_TEMPO_MAX ? FLZ_TEMPO_MAX : tempo);
  engine->beat_at = flz_engine_beat(engine, (double)frame);
  engine->beat_frame = frame;
  engine->tempo = (float)tempo;
  for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++)
    if (engine->voices[v].state != FLZ_VOICE_FREE && engine->voices[v].locked)
      engine->voices[v].rate = flz_engine_voice_rate(
        engine, &engine->slot_params[engine->voices[v].slot], &engine->voices[v].locked);
}

static void flz_engine_apply(flz_engine *engine, const flz_command *command, uint64_t frame);

static uint64_t flz_engine_step(const flz_engine *engine, const flz_voice *voice);

/* Where a looping voice is after `played` frames of its sample (negative:
 * before its start) from its first frame, as a 32.32 position: on from its
 * start (back from its end when reverse), then around its loop. */
static uint64_t flz_engine_loop_place(const flz_voice *voice, double played)
{
  double first = voice->reverse ? (double)voice->end - 1.0 : (double)voice->start;
  double x = voice->reverse ? first - played : first + played;
  double loop_start = (double)voice->loop_start, loop_end = (double)voice->loop_end;
  int wrap = voice->reverse ? x < loop_start || x > first : x < first || x >= loop_end;
  if (wrap) {
    x = fmod(x - loop_start, loop_end - loop_start);
    x += loop_start + (x < 0.0 ? loop_end - loop_start : 0.0);
  }
  uint64_t position = (uint64_t)(x * 4294967296.0 + 0.5);
  uint64_t end = (uint64_t)voice->loop_end << 32;
  if ((wrap || !voice->reverse) && position >= end)
    position -= (uint64_t)(voice->loop_end - voice->loop_start) << 32;
  return position;
}

/* Places every sounding BPM-locked loop where it would be had it started
 * on beat 0 and played at its rate since: `beat` beats of frames at the
 * tempo, times its rate, into its sample. A loop that moves fades out from
 * its old place on a tail voice and in at the new one, as a retrigger does. */
static void flz_engine_clock_relaunch(flz_engine *engine, double beat)
{
  double frames = beat * 60.0 * (double)engine->config.rate / (double)engine->tempo;
  for (uint32_t v = 0; v < FLZ_VOICES; v++) {
    flz_voice *voice = &engine->voices[v];
    if (voice->state != FLZ_VOICE_PLAYING || !voice->locked || !voice->looping)
      continue;
    double played = frames * (double)flz_engine_step(engine, voice) / 4294967296.0;
    uint64_t position = flz_engine_loop_place(voice, played);
    if (position == voice->position)
      continue;
    flz_voice moved = *voice;
    flz_engine_move_to_tail(engine, v);
    *voice = moved;
    voice->position = position;
    float left = voice->ramp_left > 0 ? voice->amp_target[0] : voice->amp[0];
    float right = voice->ramp_left > 0 ? voice->amp_target[1] : voice->amp[1];
    /* As flz_engine_play: a start anywhere but the sample's first frame
     * (last, reverse) fades in. */
    uint64_t edge = voice->reverse ? (uint64_t)(voice->sample.frame_count - 1) << 32 : 0;
    if (position != edge) {
      voice->amp[0] = voice->amp[1] = 0.0f;
      flz_engine_ramp(voice, left, right, engine->fade_frames);
    } else {
      voice->amp[0] = voice->amp_target[0] = left;
      voice->amp[1] = voice->amp_target[1] = right;
      voice->ramp_left = 0;
    }
  }
}

/* A MIDI clock tick that belongs at `at` (a fractional frame; before
 * `frame` when it came late), taking effect at `frame` (see MIDI clock in
 * engine/engine.h). */
static void flz_engine_clock_tick(flz_engine *engine, uint64_t frame, double at)
{
  flz_midiclock *clock = &engine->midiclock;
  int was_locked = flz_midiclock_locked(clock);
  flz_midiclock_tick(clock, at);
  engine->clock_tick_frame = frame;
  if (!flz_midiclock_locked(clock))
    return;
  double tempo = flz_midiclock_tempo(clock);
  /* A lock after a short gap (the filter's own, not a lost clock) steers
   * the beat on from where it is: sounding loops keep their phase. */
  if (!was_locked && !engine->clock_following) {
    engine->clock_following = 1;
    engine->clock_rephase = 1;
    flz_engine_emit(engine, FLZ_EVENT_CLOCK_LOCKED, FLZ_NONE, FLZ_NONE, frame, (float)tempo);
  }
  double factor = 1.0;
  int relaunch = 0;
  if (clock->playing) {
    double target = flz_midiclock_beat(clock, (double)frame);
    if (engine->clock_rephase) {
      engine->beat_at = target;
      engine->beat_frame = frame;
      engine->clock_rephase = 0;
      relaunch = engine->clock_relaunch;
      engine->clock_relaunch = 0;
    } else {
      double error = target - flz_engine_beat(engine, (double)frame);
      error = error > FLZ_CLOCK_STEER_MAX    ? FLZ_CLOCK_STEER_MAX
              : error < -FLZ_CLOCK_STEER_MAX ? -FLZ_CLOCK_STEER_MAX
                                             : error;
      factor += error * FLZ_CLOCK_STEER_GAIN;
    }
  }
  flz_engine_set_tempo(engine, tempo * factor, frame);
  if (relaunch)
    flz_engine_clock_relaunch(engine, engine->beat_at);
}

static void flz_engine_clock(flz_engine *engine, const flz_command *command, uint64_t frame,
                             double at)
{
  flz_command transport = {.type = FLZ_COMMAND_RESUME};
  switch (command->offset) {
  case 0xF8:
    flz_engine_clock_tick(engine, frame, at);
    return;
  case 0xF2:
    flz_midiclock_position(&engine->midiclock, command->slot);
    engine->clock_relaunch = 1;
    break;
  case 0xFA:
    flz_midiclock_start(&engine->midiclock);
    flz_engine_apply(engine, &transport, frame);
    engine->clock_relaunch = 1;
    break;
  case 0xFB:
    flz_midiclock_continue(&engine->midiclock);
    flz_engine_apply(engine, &transport, frame);
    break;
  case 0xFC:
    flz_midiclock_stop(&engine->midiclock);
    transport.type = FLZ_COMMAND_PAUSE;
    flz_engine_apply(engine, &transport, frame);
    break;
  default:
    return;
  }
  engine->clock_rephase = 1;
}

/* The engine's beat as engine/pattern.h reads it. */
static flz_pattern_clock flz_engine_pattern_clock(const flz_engine *engine)
{
  return (flz_pattern_clock){.beat = engine->beat_at,
                             .frame = engine->beat_frame,
                             .frames_per_beat = 60.0 * engine->config.rate / engine->tempo};
}

/* 1 if `command` presses a multi-sample key or a gate pad, which sound
 * until released, or releases one: a pattern records and plays its release. */
static int flz_engine_press_held(const flz_engine *engine, const flz_command *command)
{
  if (command->type == FLZ_COMMAND_PLAY_PAD || command->type == FLZ_COMMAND_RELEASE_PAD)
    return 1;
  uint32_t mode = command->slot < FLZ_SLOTS ? engine->slot_params[command->slot].mode : 0;
  return mode == FLZ_MODE_GATE || mode == FLZ_MODE_LOOP_GATE;
}

/* Records the press `command` makes at `frame` when a pattern records. */
static void flz_engine_record(flz_engine *engine, const flz_command *command, uint64_t frame)
{
  if (!engine->patterns.recording || (command->flags & (FLZ_FLAG_LAUNCH | FLZ_FLAG_PATTERN)) ||
      command->slot >= FLZ_SLOTS)
    return;
  int pad = command->type == FLZ_COMMAND_PLAY_PAD;
  flz_pattern_event event = {.velocity = command->value,
                             .pad = (uint16_t)command->slot,
                             .key = (uint8_t)(pad ? command->offset : 0),
                             .kind = pad ? FLZ_PATTERN_PAD : FLZ_PATTERN_SLOT};
  flz_pattern_clock clock = flz_engine_pattern_clock(engine);
  if (flz_patterns_record(&engine->patterns, event, &clock, frame,
                          flz_engine_press_held(engine, command)) != FLZ_OK)
    engine->patterns.full_untold = engine->patterns.current + 1;
}

/* Records the release `command` (RELEASE_SLOT, RELEASE_PAD) makes at
 * `frame` of a recorded press, not one a pattern plays. */
static void flz_engine_record_release(flz_engine *engine, const flz_command *command,
                                      uint64_t frame)
{
  if (command->flags & FLZ_FLAG_PATTERN)
    return;
  int pad = command->type == FLZ_COMMAND_RELEASE_PAD;
  flz_pattern_clock clock = flz_engine_pattern_clock(engine);
  (void)flz_patterns_release(&engine->patterns, pad ? FLZ_PATTERN_PAD : FLZ_PATTERN_SLOT,
                             command->slot, pad ? command->offset : 0, &clock, frame);
}

/* Plays the playing pattern's events due at `frame`. */
static void flz_engine_patterns_step(flz_engine *engine, uint64_t frame)
{
  flz_pattern_clock clock = flz_engine_pattern_clock(engine);
  flz_pattern_event event;
  int ended = 0;
  uint32_t pattern = engine->patterns.current;
  while (flz_patterns_take(&engine->patterns, &clock, frame, &event, &ended)) {
    if ((engine->paused || engine->pausing) && !(event.kind & FLZ_PATTERN_RELEASE))
      continue; /* no press while paused, but every release: nothing is left held */
    int pad = (event.kind & FLZ_PATTERN_PAD) != 0;
    flz_command press = {.type = pad ? FLZ_COMMAND_PLAY_PAD : FLZ_COMMAND_PLAY_SAMPLE,
                         .slot = event.pad,
                         .offset = pad ? event.key : 0,
                         .value = event.velocity,
                         .flags = FLZ_FLAG_PATTERN};
    if (event.kind & FLZ_PATTERN_RELEASE)
      press.type = pad ? FLZ_COMMAND_RELEASE_PAD : FLZ_COMMAND_RELEASE_SLOT;
    if (flz_engine_press_held(engine, &press))
      flz_patterns_sounding(&engine->patterns, &event);
    flz_engine_apply(engine, &press, frame);
  }
  if (ended)
    engine->patterns.changed |= 1u << pattern;
}

/* Pushes PATTERN_CHANGED of each changed pattern and PATTERN_FULL of a
 * refused hit, once each; what the full event ring refuses is pushed at the
 * end of a later period, so a save is never missed. */
static void flz_engine_patterns_tell(flz_engine *engine, uint64_t frame)
{
  flz_patterns *patterns = &engine->patterns;
  flz_event event = {.type = FLZ_EVENT_PATTERN_FULL, .voice = FLZ_NONE, .frame = frame};
  if (patterns->full_untold != 0) {
    event.slot = patterns->full_untold - 1;
    if (flz_ring_push(&engine->events, &event) == FLZ_OK)
      patterns->full_untold = 0;
  }
  event.type = FLZ_EVENT_PATTERN_CHANGED;
  while (patterns->changed != 0) {
    event.slot = (uint32_t)__builtin_ctz(patterns->changed);
    if (flz_ring_push(&engine->events, &event) != FLZ_OK)
      return;
    patterns->changed &= patterns->changed - 1;
  }
}

/* The pattern recorder's commands. */
static void flz_engine_pattern_command(flz_engine *engine, const flz_command *command,
                                       uint64_t frame)
{
  flz_patterns *patterns = &engine->patterns;
  int changed = 0;
  switch (command->type) {
  case FLZ_COMMAND_RECORD:
    changed = flz_patterns_record_action(patterns, command->offset);
    break;
  case FLZ_COMMAND_PATTERN:
    if (command->slot < FLZ_PATTERNS && command->offset != 0 &&
        patterns->bars[command->slot] != command->offset)
      patterns->changed |= 1u << command->slot;
    changed = patterns->recording; /* a stop ends the recording: its last pass is saved */
    flz_patterns_choose(patterns, command->slot, command->offset);
    changed = changed && !patterns->recording;
    break;
  case FLZ_COMMAND_PATTERN_CHAIN:
    flz_patterns_chain(patterns, command->chain, command->offset);
    break;
  case FLZ_COMMAND_RECORD_QUANTIZE:
    flz_patterns_set_quantize(patterns, command->offset, command->value);
    break;
  case FLZ_COMMAND_METRONOME:
    if (command->value < 0.0f) /* a toggle */
      patterns->metronome = patterns->metronome > 0.0f ? 0.0f : -command->value;
    else
      patterns->metronome = command->value > 0.0f ? command->value : 0.0f;
    break;
  case FLZ_COMMAND_PATTERN_COPY: {
    uint32_t count = flz_patterns_copy(patterns, command->slot, command->events, command->offset);
    float bars = command->slot < FLZ_PATTERNS ? (float)patterns->bars[command->slot] : 0.0f;
    flz_engine_emit(engine, FLZ_EVENT_PATTERN_COPIED, command->slot, count, frame, bars);
    return;
  }
  case FLZ_COMMAND_PATTERN_LOAD: {
    int loaded = flz_patterns_load(patterns, command->slot, command->events, command->offset,
                                   (uint32_t)command->value);
    if (loaded >= 0)
      flz_engine_emit(engine, FLZ_EVENT_PATTERN_LOADED, command->slot, (uint32_t)loaded, frame,
                      0.0f);
    else
      flz_engine_emit(engine, FLZ_EVENT_PATTERN_FULL, command->slot, command->offset, frame, 0.0f);
    return;
  }
  default:
    return;
  }
  if (changed)
    patterns->changed |= 1u << patterns->current;
}

/* ---- note repeat ---- */

/* Queues the next hit of `held` on the repeat grid at or after `frame`. */
static void flz_engine_repeat_queue(flz_engine *engine, const flz_repeat_held *held, uint64_t frame)
{
  flz_command hit = {.type = held->kind == FLZ_REPEAT_PAD ? FLZ_COMMAND_PLAY_PAD
                                                          : FLZ_COMMAND_PLAY_SAMPLE,
                     .slot = held->index,
                     .offset = held->key,
                     .flags = FLZ_FLAG_REPEAT};
  (void)flz_engine_queue(engine, &hit,
                         flz_engine_grid_at(engine, frame, flz_repeat_beats(engine->repeat.rate)));
}

/* Drops the queued hits of `kind` `index` (every hit for UINT32_MAX), then
 * queues again those of its entries still held. */
static void flz_engine_repeat_requeue(flz_engine *engine, uint32_t kind, uint32_t index,
                                      uint64_t frame)
{
  for (uint32_t i = 0; i < engine->pending_count;) {
    const flz_command *c = &engine->pending[i].command;
    uint32_t of = c->type == FLZ_COMMAND_PLAY_PAD ? FLZ_REPEAT_PAD : FLZ_REPEAT_SLOT;
    if ((c->flags & FLZ_FLAG_REPEAT) && (index == UINT32_MAX || (of == kind && c->slot == index)))
      engine->pending[i] = engine->pending[--engine->pending_count];
    else
      i++;
  }
  const flz_repeat *repeat = &engine->repeat;
  for (uint32_t i = 0; i < repeat->count && repeat->rate != FLZ_REPEAT_OFF; i++)
    if (index == UINT32_MAX || (repeat->held[i].kind == kind && repeat->held[i].index == index))
      flz_engine_repeat_queue(engine, &repeat->held[i], frame);
}

/* A press (PLAY_SAMPLE, PLAY_PAD) or a repeat hit at `frame`, as note repeat
 * sees it. Returns 1 when repeat takes it (nothing sounds now); a hit that
 * sounds gets its held velocity. */
static int flz_engine_repeat_press(flz_engine *engine, flz_command *command, uint64_t frame)
{
  flz_repeat *repeat = &engine->repeat;
  int pad = command->type == FLZ_COMMAND_PLAY_PAD;
  uint32_t kind = pad ? FLZ_REPEAT_PAD : FLZ_REPEAT_SLOT, key = pad ? command->offset : 0;
  if (command->flags & FLZ_FLAG_REPEAT) {
    flz_repeat_held *held = flz_repeat_find(repeat, kind, command->slot, key);
    if (held == NULL || repeat->rate == FLZ_REPEAT_OFF)
      return 1;
    command->value = held->velocity;
    command->flags = 0;
    flz_engine_repeat_queue(engine, held, frame + 1);
    return 0;
  }
  if (repeat->rate == FLZ_REPEAT_OFF || (command->flags & (FLZ_FLAG_LAUNCH | FLZ_FLAG_PATTERN)) ||
      flz_repeat_hold(repeat, kind, command->slot, key, command->value) == NULL)
    return 0;
  flz_engine_repeat_requeue(engine, kind, command->slot, frame);
  return 1;
}

/* A release (RELEASE_SLOT, RELEASE_PAD) at `frame`: the pad (key) stops
 * repeating. */
static void flz_engine_repeat_release(flz_engine *engine, const flz_command *command,
                                      uint64_t frame)
{
  uint32_t kind = command->type == FLZ_COMMAND_RELEASE_PAD ? FLZ_REPEAT_PAD : FLZ_REPEAT_SLOT;
  flz_repeat_release(&engine->repeat, kind, command->slot,
                     kind == FLZ_REPEAT_PAD ? command->offset : 0);
  flz_engine_repeat_requeue(engine, kind, command->slot, frame);
}

/* Ends the resampling (if one records) at `frame`: publishes what it
 * recorded in its slot, or retires its memory when it recorded nothing, and
 * says RESAMPLED. */
static void flz_engine_resample_end(flz_engine *engine, uint64_t frame)
{
  flz_resample *r = &engine->resample;
  if (!r->recording)
    return;
  r->recording = 0;
  if (r->count > 0) {
    flz_command load = {.type = FLZ_COMMAND_LOAD_SAMPLE, .slot = r->slot};
    load.sample = (flz_sample){.data = r->request.data,
                               .frame_count = r->count,
                               .channels = r->request.channels,
                               .region = r->request.region};
    flz_engine_load(engine, &load, frame);
  } else if (r->request.region != 0) {
    (void)flz_engine_emit_retired(engine, r->request.region, frame);
  }
  flz_event event = {.type = FLZ_EVENT_RESAMPLED,
                     .slot = r->slot,
                     .voice = r->count,
                     .region = r->request.region,
                     .frame = frame,
                     .value = r->cut && r->count == r->length ? 1.0f : 0.0f};
  (void)flz_ring_push(&engine->events, &event);
}

/* RESAMPLE at `frame`: ends a recording, then starts this one (a request
 * without memory or with a slot out of range records nothing). */
static void flz_engine_resample(flz_engine *engine, const flz_command *command, uint64_t frame)
{
  const flz_resample_request *request = &command->resample;
  flz_engine_resample_end(engine, frame);
  uint32_t length = UINT32_MAX;
  if (request->bars > 0.0f) {
    double frames = (double)request->bars * 4.0 * 60.0 * engine->config.rate / engine->tempo;
    length = frames < (double)UINT32_MAX ? (uint32_t)llround(frames) : UINT32_MAX;
  }
  int usable = command->slot < FLZ_SLOTS && request->data != NULL && request->capacity > 0 &&
               (request->channels == 1 || request->channels == 2);
  flz_resample_begin(&engine->resample, request, command->slot, usable ? length : 0);
  if (!usable || length == 0)
    flz_engine_resample_end(engine, frame);
}

static void flz_engine_apply(flz_engine *engine, const flz_command *command, uint64_t frame)
{
  switch (command->type) {
  case FLZ_COMMAND_PING:
    flz_engine_emit(engine, FLZ_EVENT_PONG, command->slot, FLZ_NONE, frame, command->value);
    break;
  case FLZ_COMMAND_STOP:
    for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++)
      flz_engine_fade_out(engine, &engine->voices[v]);
    engine->stop_serial = engine->serial;
    engine->stopping = 1;
    break;
  case FLZ_COMMAND_SET_VOLUME: {
    float db = command->value, db_max = (float)FLZ_GAIN_DB_MAX;
    float target = (db != db || db <= (float)FLZ_GAIN_DB_MIN)
                     ? 0.0f
                     : powf(10.0f, (db > db_max ? db_max : db) / 20.0f);
    engine->master_target = target;
    engine->master_ramp_left = engine->fade_frames;
    engine->master_step = (engine->master_gain - target) / (float)engine->fade_frames;
    break;
  }
  case FLZ_COMMAND_LOAD_SAMPLE:
  case FLZ_COMMAND_UNLOAD_SAMPLE:
    flz_engine_load(engine, command, frame);
    break;
  case FLZ_COMMAND_PLAY_SAMPLE: {
    flz_command press = *command;
    if (!flz_engine_repeat_press(engine, &press, frame)) {
      flz_engine_record(engine, &press, frame);
      flz_engine_play(engine, &press, frame);
    }
    break;
  }
  case FLZ_COMMAND_STOP_SLOT:
    for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++)
      if (engine->voices[v].state != FLZ_VOICE_FREE && engine->voices[v].slot == command->slot)
        flz_engine_fade_out(engine, &engine->voices[v]);
    break;
  case FLZ_COMMAND_PAUSE:
    if (!engine->paused && !engine->pausing) {
      engine->pausing = 1;
      flz_engine_transport_ramp(engine, 0.0f);
    }
    break;
  case FLZ_COMMAND_RESUME:
    if (engine->paused || engine->pausing) {
      engine->paused = 0;
      engine->pausing = 0;
      flz_engine_transport_ramp(engine, 1.0f);
      flz_engine_emit(engine, FLZ_EVENT_RESUMED, FLZ_NONE, FLZ_NONE, frame, 0.0f);
    }
    break;
  case FLZ_COMMAND_SET_SPEED: {
    float speed = command->value;
    if (speed != speed)
      break;
    engine->speed = speed < FLZ_SPEED_MIN   ? FLZ_SPEED_MIN
                    : speed > FLZ_SPEED_MAX ? FLZ_SPEED_MAX
                                            : (double)speed;
    break;
  }
  case FLZ_COMMAND_SET_SLOT:
    if (command->slot < FLZ_SLOTS)
      flz_engine_set_slot(engine, command->slot, &command->params);
    break;
  case FLZ_COMMAND_RELEASE_SLOT:
    if (command->slot >= FLZ_SLOTS)
      break;
    flz_engine_record_release(engine, command, frame);
    if (!(command->flags & FLZ_FLAG_PATTERN)) /* a pattern's presses bypass repeat */
      flz_engine_repeat_release(engine, command, frame);
    if (engine->slot_params[command->slot].mode == FLZ_MODE_LOOP_GATE)
      (void)flz_engine_cancel_launch(engine, command->slot);
    for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++) {
      flz_voice *voice = &engine->voices[v];
      if (voice->state == FLZ_VOICE_PLAYING && voice->slot == command->slot &&
          (voice->mode == FLZ_MODE_GATE || voice->mode == FLZ_MODE_LOOP_GATE))
        flz_engine_fade_out(engine, voice);
    }
    break;
  case FLZ_COMMAND_SET_TEMPO:
    if (command->value >= FLZ_TEMPO_MIN && command->value <= FLZ_TEMPO_MAX)
      flz_engine_set_tempo(engine, command->value, frame);
    break;
  case FLZ_COMMAND_CLOCK:
    flz_engine_clock(engine, command, frame, (double)frame);
    break;
  case FLZ_COMMAND_CLOCK_LEAD:
    if ((command->offset != 0) == (engine->clock_leading != 0))
      break;
    engine->clock_leading = command->offset != 0;
    engine->clock_lead_status = engine->clock_leading ? 0xFA : 0xFC;
    engine->clock_lead_frame = frame;
    if (engine->clock_leading) {
      engine->beat_at = 0.0;
      engine->beat_frame = frame;
      engine->clock_lead_tick = 0;
    }
    break;
  case FLZ_COMMAND_SET_QUANTIZE:
    if (command->offset <= FLZ_QUANTIZE_BAR)
      engine->quantize = command->offset;
    break;
  case FLZ_COMMAND_SET_MULTI_LOOP:
    engine->multi_loop = command->offset != 0;
    break;
  case FLZ_COMMAND_SET_INTERPOLATION:
    if (command->offset <= FLZ_INTERPOLATION_SINC)
      engine->interpolation = command->offset;
    break;
  case FLZ_COMMAND_SET_REGION:
    if (command->slot < FLZ_REGIONS)
      engine->regions[command->slot] = command->region;
    break;
  case FLZ_COMMAND_SET_PAD:
    if (command->slot < FLZ_PADS) {
      flz_pad_params pad = command->pad;
      if (pad.count > FLZ_PAD_REGIONS || (uint32_t)pad.first + pad.count > FLZ_REGIONS)
        pad.count = 0;
      engine->pads[command->slot] = pad;
      engine->pad_state[command->slot] = (flz_pad_state){0};
    }
    break;
  case FLZ_COMMAND_PLAY_PAD: {
    flz_command press = *command;
    if (!flz_engine_repeat_press(engine, &press, frame)) {
      flz_engine_record(engine, &press, frame);
      flz_engine_press_pad(engine, &press, frame);
    }
    break;
  }
  case FLZ_COMMAND_RELEASE_PAD:
    flz_engine_record_release(engine, command, frame);
    if (!(command->flags & FLZ_FLAG_PATTERN))
      flz_engine_repeat_release(engine, command, frame);
    flz_engine_press_pad(engine, command, frame);
    break;
  case FLZ_COMMAND_RECORD:
  case FLZ_COMMAND_PATTERN:
  case FLZ_COMMAND_PATTERN_CHAIN:
  case FLZ_COMMAND_RECORD_QUANTIZE:
  case FLZ_COMMAND_METRONOME:
  case FLZ_COMMAND_PATTERN_COPY:
  case FLZ_COMMAND_PATTERN_LOAD:
    flz_engine_pattern_command(engine, command, frame);
    break;
  case FLZ_COMMAND_REPEAT:
    if (command->offset < FLZ_REPEAT_RATES) {
      engine->repeat.rate = command->offset;
      if (command->offset == FLZ_REPEAT_OFF)
        engine->repeat.count = 0;
      flz_engine_repeat_requeue(engine, FLZ_REPEAT_SLOT, UINT32_MAX, frame);
    }
    break;
  case FLZ_COMMAND_PRESSURE:
    flz_repeat_pressure(&engine->repeat, command->offset ? FLZ_REPEAT_PAD : FLZ_REPEAT_SLOT,
                        command->slot, command->value);
    break;
  case FLZ_COMMAND_RESAMPLE:
    flz_engine_resample(engine, command, frame);
    break;
  case FLZ_COMMAND_RESAMPLE_STOP:
    flz_engine_resample_end(engine, frame);
    break;
  case FLZ_COMMAND_SET_VELCURVE:
    for (uint32_t i = 0;
         i < FLZ_VELCURVE_CHUNK && command->slot < FLZ_PADS && command->offset < FLZ_KEYS - i;
         i++) {
      float gain = command->curve[i];
      engine->velcurves[command->slot][command->offset + i] = gain != gain
                                                                ? 0.0f
                                                                : fminf(fmaxf(gain, 0.0f), 1.0f);
    }
    break;
  case FLZ_COMMAND_SET_SEED:
    engine->random = command->offset != 0 ? command->offset : FLZ_SEED_DEFAULT;
    break;
  default:
    break;
  }
}

/* ---- mixing ---- */

/* The voice's step per output frame, 32.32 fixed point: exactly FLZ_ONE
 * when its rate and the speed are both 1. */
static uint64_t flz_engine_step(const flz_engine *engine, const flz_voice *voice)
{
  if (voice->rate == 1.0f && engine->speed == 1.0)
    return FLZ_ONE;
  double step = (double)voice->rate * engine->speed * 4294967296.0;
  return step < 1.0 ? 1u : (uint64_t)llround(step);
}

/* The fraction of a 32.32 position as a float in 0..1: its top 24 bits
 * (a float's precision) through a signed conversion, one instruction. */
static inline float flz_engine_frac(uint64_t pos)
{
  return (float)(int32_t)((uint32_t)pos >> 8) * (1.0f / 16777216.0f);
}

/* The sample's value at 32.32 position `pos`, channel `ch`: linear
 * interpolation between frame floor(pos) and the frame after it, which is
 * the loop's start at a loop's end and 0 past the sample's end. */
static inline float flz_engine_read(const flz_voice *voice, uint64_t pos, uint32_t ch)
{
  const float *data = voice->sample.data;
  uint32_t channels = voice->sample.channels;
  uint64_t at = pos >> 32;
  float a = data[at * channels + ch];
  uint32_t frac = (uint32_t)pos;
  if (frac == 0)
    return a;
  uint64_t next = at + 1;
  if (voice->looping && next == voice->loop_end)
    next = voice->loop_start;
  float b = next < voice->sample.frame_count ? data[next * channels + ch] : 0.0f;
  return a + (b - a) * flz_engine_frac(pos);
}

/* Moves the position one step on; returns 0 when it left the playable range
 * (the voice ends after the frame just played). */
static inline int flz_engine_advance(flz_voice *voice, uint64_t step)
{
  if (!voice->reverse) {
    voice->position += step;
    if (voice->looping) {
      uint64_t end = (uint64_t)voice->loop_end << 32;
      uint64_t length = (uint64_t)(voice->loop_end - voice->loop_start) << 32;
      while (voice->position >= end)
        voice->position -= length;
      return 1;
    }
    return (voice->position >> 32) < voice->end;
  }
  uint64_t floor = (uint64_t)(voice->looping ? voice->loop_start : voice->start) << 32;
  if (voice->position >= floor + step) {
    voice->position -= step;
    return 1;
  }
  if (!voice->looping)
    return 0;
  uint64_t length = (uint64_t)(voice->loop_end - voice->loop_start) << 32;
  voice->position = voice->position + length - step;
  while (voice->position < floor)
    voice->position += length;
  return 1;
}

/* What the interpolators of engine/interpolate.h read of `voice`. */
static flz_interpolate_source flz_engine_source(const flz_voice *voice)
{
  flz_interpolate_source source = {.data = voice->sample.data,
                                   .frame_count = voice->sample.frame_count,
                                   .channels = voice->sample.channels,
                                   .loop_start = voice->loop_start,
                                   .loop_end = voice->loop_end,
                                   .looping = voice->looping,
                                   .reverse = voice->reverse};
  return source;
}

/* Mixes up to `n` frames one at a time: ramps, reverse, loop seams and
 * the sample's last frames. Stops after the frame where a fade out ends or
 * the voice leaves its range, setting *ended. Returns the frames mixed and
 * stores the largest |source| in *peak. */
static uint32_t flz_engine_mix_frames(const flz_engine *engine, flz_voice *voice, float *mix,
                                      uint32_t n, uint64_t step, int *ended, float *peak)
{
  int stereo = voice->sample.channels == 2;
  float top = *peak;
  flz_interpolate_source source = flz_engine_source(voice);
  for (uint32_t i = 0; i < n; i++) {
    float left, right;
    if (voice->interpolation == FLZ_INTERPOLATION_LINEAR ||
        ((uint32_t)voice->position == 0 && step <= FLZ_ONE)) {
      left = flz_engine_read(voice, voice->position, 0);
      right = stereo ? flz_engine_read(voice, voice->position, 1) : left;
    } else {
      float value[2];
      (void)flz_interpolate_block(&engine->interpolate, &source, voice->interpolation,
                                  voice->position, step, 1, value);
      left = value[0];
      right = stereo ? value[1] : left;
    }
    if (voice->ramp_left > 0) {
      voice->ramp_left--;
      voice->amp[0] = voice->amp_target[0] + voice->amp_step[0] * (float)voice->ramp_left;
      voice->amp[1] = voice->amp_target[1] + voice->amp_step[1] * (float)voice->ramp_left;
    }
    mix[2 * i] += left * voice->amp[0];
    mix[2 * i + 1] += right * voice->amp[1];
    float a = fabsf(left) > fabsf(right) ? fabsf(left) : fabsf(right);
    top = a > top ? a : top;
    int in_range = flz_engine_advance(voice, step);
    if (!in_range || (voice->state == FLZ_VOICE_FADING && voice->ramp_left == 0)) {
      *ended = 1;
      *peak = top;
      return i + 1;
    }
  }
  *peak = top;
  return n;
}

/* The peak kept as the bits of |x|: for non-negative floats the order of
 * the bits is the order of the values, and an integer max is a reduction the
 * compiler vectorizes (a float `a > peak ? a : peak` is not, without
 * -ffinite-math-only, which would also remove the NaN checks). A NaN's bits
 * lie above +Inf's: a NaN source meters as full scale. */
static inline uint32_t flz_engine_abs_bits(float x)
{
  uint32_t bits;
  memcpy(&bits, &x, sizeof bits);
  return bits & 0x7fffffffu;
}

static float flz_engine_peak_value(uint32_t bits)
{
  return bits > 0x7f800000u ? 1.0f : flz_engine_bits_float(bits);
}

/* Mixes `n` frames at constant gains, copying frames (rate 1, forward, on a
 * frame, all inside the range). */
FLZ_ENGINE_MIX_LOOP static float flz_engine_mix_copy(flz_voice *voice, float *restrict mix,
                                                     uint32_t n)
{
  const float *restrict src = voice->sample.data;
  uint64_t at = voice->position >> 32;
  float gl = voice->amp[0], gr = voice->amp[1];
  uint32_t peak = 0;
  if (voice->sample.channels == 1) {
    src += at;
    for (size_t i = flz_vector_mix(mix, src, 1, n, gl, gr, &peak); i < n; i++) {
      float s = src[i];
      mix[2 * i] += s * gl;
      mix[2 * i + 1] += s * gr;
      uint32_t a = flz_engine_abs_bits(s);
      peak = a > peak ? a : peak;
    }
  } else {
    src += 2 * at;
    for (size_t i = 2 * flz_vector_mix(mix, src, 2, n, gl, gr, &peak); i < 2 * (size_t)n; i += 2) {
      float l = src[i], r = src[i + 1];
      mix[i] += l * gl;
      mix[i + 1] += r * gr;
      uint32_t a = flz_engine_abs_bits(l), b = flz_engine_abs_bits(r);
      a = a > b ? a : b;
      peak = a > peak ? a : peak;
    }
  }
  voice->position += (uint64_t)n << 32;
  return flz_engine_peak_value(peak);
}

/* Mixes `n` frames at constant gains reading between frames by the voice's
 * interpolation, forward. The caller guarantees that frame
 * (position >> 32) + 1 lies inside the range for all n frames. Two passes:
 * the interpolation (linear here, scalar: its reads are not at a constant
 * stride; hermite and sinc in engine/interpolate.c) into a block, then the gains, the mix and the peak over the block, which the
 * compiler vectorizes as it does flz_engine_mix_copy. */
/* Reads `n` frames of `voice` from its position on, `step` apart, into
 * `block` (mono n values, stereo 2n) by its interpolation, and moves its
 * position past them. The caller guarantees that frame (position >> 32) + 1
 * lies inside the range for all n frames. */
static void flz_engine_interpolate(const flz_engine *engine, flz_voice *voice,
                                   float *restrict block, uint32_t n, uint64_t step)
{
  const float *restrict src = voice->sample.data;
  uint64_t pos = voice->position;
  if (voice->interpolation != FLZ_INTERPOLATION_LINEAR) {
    flz_interpolate_source source = flz_engine_source(voice);
    pos = flz_interpolate_block(&engine->interpolate, &source, voice->interpolation, pos, step, n,
                                block);
  } else if (voice->sample.channels == 1) {
    for (size_t i = 0; i < n; i++) {
      const float *f = src + (pos >> 32);
      block[i] = f[0] + (f[1] - f[0]) * flz_engine_frac(pos);
      pos += step;
    }
  } else {
    for (size_t i = 0; i < 2 * (size_t)n; i += 2) {
      const float *f = src + 2 * (pos >> 32);
      float frac = flz_engine_frac(pos);
      block[i] = f[0] + (f[2] - f[0]) * frac;
      block[i + 1] = f[1] + (f[3] - f[1]) * frac;
      pos += step;
    }
  }
  voice->position = pos;
}

/* Mixes `n` source values per channel of `block` (mono n, stereo 2n, the
 * voice's frames read already) while the voice's gains ramp, n <= its
 * ramp_left: the gain r frames before the ramp's end is amp_target +
 * amp_step x r, the same operations as flz_engine_mix_frames, so the same
 * bits, in a loop the compiler vectorizes. Returns the largest |source|. */
FLZ_ENGINE_MIX_LOOP static float flz_engine_mix_ramp(flz_voice *voice, float *restrict mix,
                                                     const float *restrict block, uint32_t n)
{
  float tl = voice->amp_target[0], tr = voice->amp_target[1];
  float sl = voice->amp_step[0], sr = voice->amp_step[1];
  int32_t left = (int32_t)voice->ramp_left; /* at most FLZ_FADE_FRAMES_MAX */
  uint32_t peak = 0;
  uint32_t channels = voice->sample.channels;
  int32_t first = (int32_t)flz_vector_ramp(mix, block, channels, n, tl, sl, tr, sr, left, &peak);
  if (channels == 1) {
    for (int32_t i = first; i < (int32_t)n; i++) {
      float r = (float)(left - 1 - i);
      float s = block[i];
      mix[2 * i] += s * (tl + sl * r);
      mix[2 * i + 1] += s * (tr + sr * r);
      uint32_t a = flz_engine_abs_bits(s);
      peak = a > peak ? a : peak;
    }
  } else {
    for (int32_t i = first; i < (int32_t)n; i++) {
      float r = (float)(left - 1 - i);
      float l = block[2 * i], s = block[2 * i + 1];
      mix[2 * i] += l * (tl + sl * r);
      mix[2 * i + 1] += s * (tr + sr * r);
      uint32_t a = flz_engine_abs_bits(l), b = flz_engine_abs_bits(s);
      a = a > b ? a : b;
      peak = a > peak ? a : peak;
    }
  }
  voice->ramp_left -= n;
  voice->amp[0] = tl + sl * (float)voice->ramp_left;
  voice->amp[1] = tr + sr * (float)voice->ramp_left;
  return flz_engine_peak_value(peak);
}

FLZ_ENGINE_MIX_LOOP static float flz_engine_mix_interpolated(const flz_engine *engine,
                                                             flz_voice *voice, float *restrict mix,
                                                             uint32_t n, uint64_t step)
{
  float gl = voice->amp[0], gr = voice->amp[1];
  float block[2 * FLZ_MIX_FRAMES];
  uint32_t peak = 0;
  flz_engine_interpolate(engine, voice, block, n, step);
  if (voice->sample.channels == 1) {
    for (size_t i = flz_vector_mix(mix, block, 1, n, gl, gr, &peak); i < n; i++) {
      float s = block[i];
      mix[2 * i] += s * gl;
      mix[2 * i + 1] += s * gr;
      uint32_t a = flz_engine_abs_bits(s);
      peak = a > peak ? a : peak;
    }
  } else {
    for (size_t i = 2 * flz_vector_mix(mix, block, 2, n, gl, gr, &peak); i < 2 * (size_t)n;
         i += 2) {
      mix[i] += block[i] * gl;
      mix[i + 1] += block[i + 1] * gr;
      uint32_t a = flz_engine_abs_bits(block[i]), b = flz_engine_abs_bits(block[i + 1]);
      a = a > b ? a : b;
      peak = a > peak ? a : peak;
    }
  }
  return flz_engine_peak_value(peak);
}

/* Mixes up to `n` frames of `voice` into `mix` (stereo) and stores in
 * `*played` how many it mixed. Returns 0 when the voice ended after them (it
 * left its range, or a fade out finished), 1 if it goes on. Forward voices
 * take the fast paths (constant gain: copy or interpolated; ramping: the
 * frames read into a block, then the ramp) in runs up to the range's (or
 * loop's) end and the ramp's; reverse voices and a loop's seam go frame by
 * frame. */
static int flz_engine_mix_voice(flz_engine *engine, flz_voice *voice, float *mix, uint32_t n,
                                uint32_t *played)
{
  uint64_t step = flz_engine_step(engine, voice);
  uint32_t done = 0;
  int ended = 0;
  float peak = 0.0f;
  while (done < n && !ended) {
    uint32_t k = n - done;
    uint64_t limit = voice->looping ? voice->loop_end : voice->end;
    uint64_t at = voice->position >> 32;
    int ramp = voice->ramp_left > 0;
    if (ramp && voice->ramp_left < k)
      k = voice->ramp_left;
    if (voice->reverse || (ramp && at >= limit)) {
      k = flz_engine_mix_frames(engine, voice, mix + 2 * done, k, step, &ended, &peak);
    } else if (at >= limit) {
      ended = 1; /* a range that ended exactly where the previous run stopped */
      k = 0;
    } else if (step == FLZ_ONE && (uint32_t)voice->position == 0) {
      k = limit - at < k ? (uint32_t)(limit - at) : k;
      float p;
      if (ramp) {
        p = flz_engine_mix_ramp(voice, mix + 2 * done,
                                voice->sample.data + at * voice->sample.channels, k);
        voice->position += (uint64_t)k << 32;
      } else {
        p = flz_engine_mix_copy(voice, mix + 2 * done, k);
      }
      peak = p > peak ? p : peak;
      if ((voice->position >> 32) == limit) {
        if (voice->looping)
          voice->position = (uint64_t)voice->loop_start << 32;
        else
          ended = 1;
      }
    } else {
      uint64_t last = (limit - 1) << 32; /* interpolation reads the frame after */
      uint64_t safe = voice->position >= last ? 0 : (last - voice->position + step - 1) / step;
      if (safe == 0) {
        k = flz_engine_mix_frames(engine, voice, mix + 2 * done, 1, step, &ended, &peak);
      } else {
        k = safe < k ? (uint32_t)safe : k;
        float p;
        if (ramp) {
          float block[2 * FLZ_MIX_FRAMES];
          flz_engine_interpolate(engine, voice, block, k, step);
          p = flz_engine_mix_ramp(voice, mix + 2 * done, block, k);
        } else {
          p = flz_engine_mix_interpolated(engine, voice, mix + 2 * done, k, step);
        }
        peak = p > peak ? p : peak;
        if (voice->looping) /* the run may end past the loop's last frame */
          while ((voice->position >> 32) >= voice->loop_end)
            voice->position -= (uint64_t)(voice->loop_end - voice->loop_start) << 32;
      }
    }
    if (ramp && voice->ramp_left == 0) {
      if (voice->state == FLZ_VOICE_FADING)
        ended = 1; /* the fade out finished with the run's last frame */
      else if (voice->envelope != FLZ_ENVELOPE_SUSTAIN)
        flz_engine_envelope_next(voice);
    }
    done += k;
  }
  float level = fmaxf(fabsf(voice->amp[0]), fabsf(voice->amp[1]));
  engine->meter_slot_acc[voice->slot] = fmaxf(engine->meter_slot_acc[voice->slot],
                                              peak * fmaxf(level, voice->gain));
  *played = done;
  return !ended;
}

static void flz_engine_publish_meters(flz_engine *engine)
{
  atomic_store_explicit(&engine->meter_master, flz_engine_float_bits(engine->meter_master_acc),
                        memory_order_relaxed);
  for (uint32_t s = 0; s < FLZ_SLOTS; s++) {
    atomic_store_explicit(&engine->meter_slot[s], flz_engine_float_bits(engine->meter_slot_acc[s]),
                          memory_order_relaxed);
    engine->meter_slot_acc[s] = 0.0f;
  }
  atomic_fetch_add_explicit(&engine->meter_serial, 1, memory_order_release);
  flz_engine_emit(engine, FLZ_EVENT_METER, FLZ_NONE, FLZ_NONE,
                  atomic_load_explicit(&engine->frame, memory_order_relaxed),
                  engine->meter_master_acc);
  engine->meter_master_acc = 0.0f;
}

/* Renders `n` (<= FLZ_MIX_FRAMES) frames starting at engine frame `frame`
 * into `dst` (`channels` per frame). */
static void flz_engine_mix(flz_engine *engine, float *dst, uint32_t n, uint32_t channels,
                           uint64_t frame)
{
  float *mix = engine->mix;
  memset(mix, 0, sizeof(float) * 2 * n);
  const flz_resample *r = &engine->resample;
  uint32_t by_voice = r->recording ? r->request.source : FLZ_RESAMPLE_MASTER;
  if (by_voice != FLZ_RESAMPLE_MASTER)
    memset(engine->resample_mix, 0, sizeof(float) * 2 * n);
  if (!engine->paused) {
    flz_pattern_clock clock = flz_engine_pattern_clock(engine);
    flz_patterns_click(&engine->patterns, &clock, mix, n, frame, engine->config.rate);
    for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++) {
      flz_voice *voice = &engine->voices[v];
      if (voice->state == FLZ_VOICE_FREE)
        continue;
      uint32_t played = 0;
      /* A resampled slot's or pad's voices sum apart, then join the mix. */
      int apart = (by_voice == FLZ_RESAMPLE_SLOT && voice->slot == r->request.index) ||
                  (by_voice == FLZ_RESAMPLE_PAD && voice->pad == r->request.index);
      if (!flz_engine_mix_voice(engine, voice, apart ? engine->resample_mix : mix, n, &played)) {
        if (v < FLZ_VOICES)
          flz_engine_emit(engine, FLZ_EVENT_VOICE_ENDED, voice->slot, v, frame + played, 0.0f);
        voice->state = FLZ_VOICE_FREE;
      }
    }
  }
  if (by_voice != FLZ_RESAMPLE_MASTER)
    for (uint32_t i = 0; i < 2 * n; i++)
      mix[i] += engine->resample_mix[i];
  float gain = engine->master_gain;
  float transport = engine->transport_gain;
  float peak = engine->meter_master_acc;
  for (uint32_t i = 0; i < n; i++) {
    if (engine->master_ramp_left > 0) {
      engine->master_ramp_left--;
      gain = engine->master_target + engine->master_step * (float)engine->master_ramp_left;
    }
    if (engine->transport_ramp_left > 0) {
      engine->transport_ramp_left--;
      transport = engine->transport_target +
                  engine->transport_step * (float)engine->transport_ramp_left;
      if (engine->transport_ramp_left == 0) {
        if (engine->pausing) {
          engine->pausing = 0;
          engine->paused = 1;
          flz_engine_emit(engine, FLZ_EVENT_PAUSED, FLZ_NONE, FLZ_NONE, frame + i + 1, 0.0f);
        }
      }
    }
    float g = gain * transport;
    float l = mix[2 * i] * g;
    float r = mix[2 * i + 1] * g;
    if (channels == 1)
      l = r = (l + r) * 0.5f;
    l = l != l ? 0.0f : (l > 1.0f ? 1.0f : (l < -1.0f ? -1.0f : l));
    r = r != r ? 0.0f : (r > 1.0f ? 1.0f : (r < -1.0f ? -1.0f : r));
    if (channels == 1) {
      dst[i] = l;
    } else {
      dst[2 * i] = l;
      dst[2 * i + 1] = r;
    }
    float a = fabsf(l) > fabsf(r) ? fabsf(l) : fabsf(r);
    peak = a > peak ? a : peak;
  }
  if (r->recording) {
    uint32_t before = r->count;
    int master = by_voice == FLZ_RESAMPLE_MASTER;
    if (flz_resample_take(&engine->resample, master ? dst : engine->resample_mix, n,
                          master ? channels : 2))
      flz_engine_resample_end(engine, frame + (r->count - before));
  }
  engine->master_gain = gain;
  engine->transport_gain = transport;
  engine->meter_master_acc = peak;
  if (n >= engine->meter_left) {
    flz_engine_publish_meters(engine);
    engine->meter_left = engine->meter_interval - (n - engine->meter_left);
  } else {
    engine->meter_left -= n;
  }
}

/* Emits SLOT_RETIRED for each queued region that no slot publishes and no
 * voice reads any more. A region whose event does not fit in the ring stays
 * queued for the next period. */
static void flz_engine_retire(flz_engine *engine, uint64_t frame)
{
  uint32_t kept = 0;
  for (uint32_t r = 0; r < engine->retiring_count; r++) {
    uint32_t region = engine->retiring[r];
    int in_use = flz_engine_region_published(engine, region);
    for (uint32_t v = 0; v < FLZ_VOICE_TOTAL && !in_use; v++)
      if (engine->voices[v].state != FLZ_VOICE_FREE && engine->voices[v].sample.region == region)
        in_use = 1;
    if (!in_use && flz_engine_emit_retired(engine, region, frame) == FLZ_OK)
      continue;
    engine->retiring[kept++] = region;
  }
  engine->retiring_count = kept;
}

/* ---- timing ---- */

/* Updates the delay-locked loop with this period's callback time. The loop
 * (Adriaensen 2005) keeps t0, the smoothed time of this period's first frame,
 * t1, the predicted time of the next period's, and e2, the period duration. */
static void flz_engine_dll_update(flz_engine *engine, uint64_t time_ns, uint32_t frames)
{
  double now = (double)time_ns;
  double period = (double)frames * 1e9 / (double)engine->config.rate;
  if (engine->dll_running && engine->dll_frames == frames) {
    double error = now - engine->dll_t1;
    if (fabs(error) <= period) {
      engine->dll_t0 = engine->dll_t1;
      engine->dll_t1 += engine->dll_b * error + engine->dll_e2;
      engine->dll_e2 += engine->dll_c * error;
      return;
    }
    atomic_fetch_add_explicit(&engine->xruns, 1, memory_order_relaxed);
  }
  double omega = 2.0 * 3.14159265358979323846 * FLZ_DLL_BANDWIDTH_HZ * period * 1e-9;
  engine->dll_b = 1.4142135623730951 * omega;
  engine->dll_c = omega * omega;
  engine->dll_e2 = period;
  engine->dll_t0 = now;
  engine->dll_t1 = now + period;
  engine->dll_frames = frames;
  engine->dll_running = 1;
}

/* The engine frame at which a command with input time `time_ns` takes
 * effect: one period after the frame playing at that time. */
/* The same, as a fractional offset from this period's first frame
 * (negative: late). */
static double flz_engine_offset_of(const flz_engine *engine, uint64_t time_ns, uint32_t frames)
{
  double per_ns = (double)frames / (engine->dll_t1 - engine->dll_t0);
  return ((double)time_ns - engine->dll_t0) * per_ns + (double)frames;
}

static uint64_t flz_engine_frame_of(const flz_engine *engine, uint64_t time_ns, uint64_t start,
                                    uint32_t frames)
{
  double offset = flz_engine_offset_of(engine, time_ns, frames);
  if (offset <= 0.0)
    return 0; /* before this period: late */
  return start + (uint64_t)llround(offset);
}

/* Queues `command` to take effect at engine frame `frame`; 0 if the queue
 * is full (the caller then applies it at once). */
static int flz_engine_queue(flz_engine *engine, const flz_command *command, uint64_t frame)
{
  if (engine->pending_count == FLZ_PENDING_COMMANDS)
    return 0;
  flz_engine_pending *p = &engine->pending[engine->pending_count++];
  p->command = *command;
  p->frame = frame;
  p->order = engine->pending_order++;
  return 1;
}

static void flz_engine_take(flz_engine *engine, flz_command *command, uint64_t start,
                            uint32_t frames, int timed)
{
  command->flags = 0; /* engine-internal bits are the engine's to set */
  uint64_t at = start;
  if (timed && command->time_ns != 0) {
    at = flz_engine_frame_of(engine, command->time_ns, start, frames);
    if (at < start) {
      atomic_fetch_add_explicit(&engine->commands_late, 1, memory_order_relaxed);
      at = start;
      /* A late clock tick still tells the filter when it came. */
      if (command->type == FLZ_COMMAND_CLOCK) {
        double offset = flz_engine_offset_of(engine, command->time_ns, frames);
        flz_engine_clock(engine, command, start, (double)start + offset);
        return;
      }
    }
  }
  if (at == start || !flz_engine_queue(engine, command, at))
    flz_engine_apply(engine, command, start);
}

/* Applies, in arrival order, every pending command due at `frame`. */
static void flz_engine_apply_due(flz_engine *engine, uint64_t frame)
{
  for (;;) {
    uint32_t best = FLZ_NONE;
    for (uint32_t i = 0; i < engine->pending_count; i++)
      if (engine->pending[i].frame <= frame &&
          (best == FLZ_NONE || engine->pending[i].order < engine->pending[best].order))
        best = i;
    if (best == FLZ_NONE)
      return;
    flz_command command = engine->pending[best].command;
    engine->pending[best] = engine->pending[--engine->pending_count];
    flz_engine_apply(engine, &command, frame);
  }
}

/* Flush denormals to zero on this thread for the duration of a render, so a
 * decaying tail never takes the slow path (restored afterwards). */
static unsigned long flz_engine_denormals_off(void)
{
#if defined(__SSE__)
  unsigned int csr = _mm_getcsr();
  _mm_setcsr(csr | 0x8040u); /* FTZ | DAZ */
  return csr;
#elif defined(__aarch64__)
  unsigned long fpcr;
  __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
  __asm__ volatile("msr fpcr, %0" : : "r"(fpcr | (1ul << 24))); /* FZ */
  return fpcr;
#elif defined(__arm__) && defined(__ARM_FP)
  unsigned int fpscr;
  __asm__ volatile("vmrs %0, fpscr" : "=r"(fpscr));
  /* FZ, and DN: NEON's behaviour, so engine/vector.h's loops and the
   * scalar code give the same bits */
  __asm__ volatile("vmsr fpscr, %0" : : "r"(fpscr | (1u << 24) | (1u << 25)));
  return fpscr;
#else
  return 0;
#endif
}

static void flz_engine_denormals_restore(unsigned long saved)
{
#if defined(__SSE__)
  _mm_setcsr((unsigned int)saved);
#elif defined(__aarch64__)
  __asm__ volatile("msr fpcr, %0" : : "r"(saved));
#elif defined(__arm__) && defined(__ARM_FP)
  __asm__ volatile("vmsr fpscr, %0" : : "r"((unsigned int)saved));
#else
  (void)saved;
#endif
}

void flz_engine_render(flz_engine *engine, float *out, uint32_t frames, uint32_t channels,
                       uint64_t period_time_ns)
{
  unsigned long saved_fp = flz_engine_denormals_off();
  uint64_t start = atomic_load_explicit(&engine->frame, memory_order_relaxed);
  int timed = period_time_ns != 0 && frames > 0;
  if (timed)
    flz_engine_dll_update(engine, period_time_ns, frames);

  flz_engine_patterns_step(engine, start);
  for (uint32_t p = 0; p < FLZ_PRODUCERS; p++) {
    flz_command command;
    for (uint32_t i = 0; i < FLZ_COMMANDS_PER_PERIOD; i++) {
      if (!flz_ring_pop(&engine->commands[p], &command))
        break;
      flz_engine_take(engine, &command, start, frames, timed);
    }
  }

  int mix = channels == 1 || channels == 2;
  uint32_t done = 0;
  while (done < frames) {
    /* Up to the next pending command's or pattern event's frame (or the
     * period's end). */
    uint64_t next = start + frames;
    for (uint32_t i = 0; i < engine->pending_count; i++)
      if (engine->pending[i].frame < next)
        next = engine->pending[i].frame;
    flz_pattern_clock clock = flz_engine_pattern_clock(engine);
    uint64_t event = flz_patterns_next(&engine->patterns, &clock, start + done);
    next = event < next ? event : next;
    uint32_t until = (uint32_t)(next - start);
    while (done < until) {
      uint32_t n = until - done < FLZ_MIX_FRAMES ? until - done : FLZ_MIX_FRAMES;
      /* A pause holds the voices exactly where its fade out ends. */
      if (engine->pausing && engine->transport_ramp_left < n)
        n = engine->transport_ramp_left;
      flz_engine_mix(engine, mix ? out + (size_t)done * channels : engine->mix, n,
                     mix ? channels : 2, start + done);
      done += n;
    }
    if (done < frames) {
      flz_engine_patterns_step(engine, start + done);
      flz_engine_apply_due(engine, start + done);
      flz_engine_patterns_step(engine, start + done);
    }
  }
  if (!mix && channels > 0)
    memset(out, 0, sizeof(float) * frames * channels);

  uint32_t active = 0;
  int stopping_left = 0;
  for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++) {
    const flz_voice *voice = &engine->voices[v];
    if (voice->state == FLZ_VOICE_FREE)
      continue;
    active++;
    if (voice->serial <= engine->stop_serial)
      stopping_left = 1;
  }
  if (engine->stopping && !stopping_left) {
    engine->stopping = 0;
    flz_engine_emit(engine, FLZ_EVENT_STOPPED, FLZ_NONE, FLZ_NONE, start + frames, 0.0f);
  }
  flz_engine_retire(engine, start + frames);
  flz_engine_patterns_tell(engine, start + frames);
  flz_engine_lead_period(engine, start, frames, timed);
  if (engine->clock_following && start + frames - engine->clock_tick_frame >
                                   (uint64_t)engine->config.rate * FLZ_CLOCK_LOST_MS / 1000u) {
    engine->clock_following = 0;
    flz_engine_set_tempo(engine, flz_midiclock_tempo(&engine->midiclock), start + frames);
    flz_engine_emit(engine, FLZ_EVENT_CLOCK_LOST, FLZ_NONE, FLZ_NONE, start + frames,
                    engine->tempo);
  }
  atomic_store_explicit(&engine->voices_active, active, memory_order_relaxed);
  atomic_store_explicit(&engine->frame, start + frames, memory_order_release);
  flz_engine_denormals_restore(saved_fp);
}
