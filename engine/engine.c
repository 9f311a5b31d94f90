/* engine/engine.c: commands, voices and the mixer of engine/engine.h.
 * Everything below flz_engine_render runs on the audio thread: no allocation,
 * no locks, no system calls, loops bounded by voices x frames. */
#include "engine/engine.h"

#include <math.h>
#include <string.h>

#include "engine/result.h"

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

#define FLZ_NONE UINT32_MAX
#define FLZ_VOICE_TOTAL (FLZ_VOICES + FLZ_TAIL_VOICES)

void flz_engine_config_init(flz_engine_config *config)
{
  config->rate = 48000;
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
  if (c.rate < 8000 || c.rate > 384000 || c.policy > FLZ_POLICY_DROP)
    return FLZ_ERR_ARGUMENT;
  memset(engine, 0, sizeof *engine);
  engine->config = c;
  float fade = c.fade_ms * 0.001f * (float)c.rate;
  if (!(fade < (float)FLZ_FADE_FRAMES_MAX)) /* also +Inf: never cast out of range */
    fade = (float)FLZ_FADE_FRAMES_MAX;
  engine->fade_frames = fade < 1.0f ? 1u : (uint32_t)fade;
  for (uint32_t p = 0; p < FLZ_PRODUCERS; p++)
    flz_ring_init(&engine->commands[p], engine->command_storage[p], FLZ_RING_CAPACITY,
                  sizeof(flz_command));
  flz_ring_init(&engine->events, engine->event_storage, FLZ_RING_CAPACITY, sizeof(flz_event));
  engine->master_gain = 1.0f;
  engine->master_target = 1.0f;
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
  counters->events_dropped = flz_ring_dropped(&engine->events);
  counters->triggers_dropped = atomic_load_explicit(&engine->triggers_dropped, memory_order_relaxed);
  counters->voices_stolen = atomic_load_explicit(&engine->voices_stolen, memory_order_relaxed);
  counters->voices_active = atomic_load_explicit(&engine->voices_active, memory_order_relaxed);
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
  flz_event event = {.type = type, .slot = slot, .voice = voice, .region = 0,
                     .frame = frame, .value = value, .reserved = 0};
  (void)flz_ring_push(&engine->events, &event); /* a full ring counts the loss */
}

static void flz_engine_fade_out(flz_engine *engine, flz_voice *voice)
{
  if (voice->state != FLZ_VOICE_PLAYING)
    return;
  voice->state = FLZ_VOICE_FADING;
  voice->fade_left = engine->fade_frames;
  voice->fade_step = voice->fade_gain / (float)engine->fade_frames;
}

static void flz_engine_end_voice(flz_engine *engine, uint32_t index, uint64_t frame)
{
  flz_voice *voice = &engine->voices[index];
  if (index < FLZ_VOICES)
    flz_engine_emit(engine, FLZ_EVENT_VOICE_ENDED, voice->slot, index, frame, 0.0f);
  voice->state = FLZ_VOICE_FREE;
}

/* Moves voice `index` onto a free tail voice that plays out its fade. With no
 * tail free, the voice is cut (the tails are sized so this needs more steals
 * per fade time than there are tails). */
static void flz_engine_move_to_tail(flz_engine *engine, uint32_t index)
{
  flz_voice *voice = &engine->voices[index];
  for (uint32_t t = FLZ_VOICES; t < FLZ_VOICE_TOTAL; t++) {
    if (engine->voices[t].state == FLZ_VOICE_FREE) {
      engine->voices[t] = *voice;
      flz_engine_fade_out(engine, &engine->voices[t]);
      break;
    }
  }
  voice->state = FLZ_VOICE_FREE;
}

static void flz_engine_play(flz_engine *engine, const flz_command *command, uint64_t frame)
{
  uint32_t slot = command->slot;
  if (slot >= FLZ_SLOTS || engine->slots[slot].data == NULL) {
    flz_engine_emit(engine, FLZ_EVENT_EMPTY_SLOT, slot, FLZ_NONE, frame, command->value);
    return;
  }
  uint32_t chosen = FLZ_NONE;
  for (uint32_t v = 0; v < FLZ_VOICES; v++) {
    if (engine->voices[v].state == FLZ_VOICE_FREE) {
      chosen = v;
      break;
    }
  }
  if (chosen == FLZ_NONE) {
    if (engine->config.policy == FLZ_POLICY_DROP) {
      atomic_fetch_add_explicit(&engine->triggers_dropped, 1, memory_order_relaxed);
      flz_engine_emit(engine, FLZ_EVENT_TRIGGER_DROPPED, slot, FLZ_NONE, frame, command->value);
      return;
    }
    uint64_t oldest = UINT64_MAX;
    for (uint32_t v = 0; v < FLZ_VOICES; v++) {
      if (engine->voices[v].serial < oldest) {
        oldest = engine->voices[v].serial;
        chosen = v;
      }
    }
    atomic_fetch_add_explicit(&engine->voices_stolen, 1, memory_order_relaxed);
    flz_engine_emit(engine, FLZ_EVENT_VOICE_STOLEN, engine->voices[chosen].slot, chosen, frame,
                    command->value);
    flz_engine_move_to_tail(engine, chosen);
  }
  flz_voice *voice = &engine->voices[chosen];
  memset(voice, 0, sizeof *voice);
  voice->sample = engine->slots[slot];
  voice->slot = slot;
  voice->state = FLZ_VOICE_PLAYING;
  voice->gain = flz_engine_velocity_gain(command->value);
  voice->fade_gain = 1.0f;
  voice->serial = ++engine->serial;
  flz_engine_emit(engine, FLZ_EVENT_VOICE_STARTED, slot, chosen, frame, command->value);
}

/* 1 if a slot publishes pool region `region` (nonzero). */
static int flz_engine_region_published(const flz_engine *engine, uint32_t region)
{
  for (uint32_t s = 0; s < FLZ_SLOTS; s++)
    if (engine->slots[s].data != NULL && engine->slots[s].region == region)
      return 1;
  return 0;
}

/* Emits SLOT_RETIRED for `region` now (it must not be read any more). */
static int flz_engine_emit_retired(flz_engine *engine, uint32_t region, uint64_t frame)
{
  flz_event event = {.type = FLZ_EVENT_SLOT_RETIRED, .slot = FLZ_NONE, .voice = FLZ_NONE,
                     .region = region, .frame = frame, .value = 0.0f, .reserved = 0};
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

static void flz_engine_apply(flz_engine *engine, const flz_command *command, uint64_t frame)
{
  switch (command->type) {
  case FLZ_COMMAND_PING:
    flz_engine_emit(engine, FLZ_EVENT_PONG, FLZ_NONE, FLZ_NONE, frame, command->value);
    break;
  case FLZ_COMMAND_STOP:
    for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++)
      flz_engine_fade_out(engine, &engine->voices[v]);
    engine->stopping = 1;
    break;
  case FLZ_COMMAND_SET_VOLUME: {
    float db = command->value;
    float target = (db != db || db <= -96.0f) ? 0.0f : powf(10.0f, (db > 24.0f ? 24.0f : db) / 20.0f);
    engine->master_target = target;
    engine->master_ramp_left = engine->fade_frames;
    engine->master_step = (target - engine->master_gain) / (float)engine->fade_frames;
    break;
  }
  case FLZ_COMMAND_LOAD_SAMPLE:
  case FLZ_COMMAND_UNLOAD_SAMPLE: {
    int load = command->type == FLZ_COMMAND_LOAD_SAMPLE;
    if (command->slot >= FLZ_SLOTS) {
      /* a refused sample is never read: hand its region back at once */
      if (load && command->sample.region != 0 &&
          !flz_engine_region_published(engine, command->sample.region))
        (void)flz_engine_emit_retired(engine, command->sample.region, frame);
      break;
    }
    flz_sample old = engine->slots[command->slot];
    if (load && command->sample.data != NULL &&
        (command->sample.channels == 1 || command->sample.channels == 2)) {
      engine->slots[command->slot] = command->sample;
      flz_engine_emit(engine, FLZ_EVENT_SLOT_LOADED, command->slot, FLZ_NONE, frame, 0.0f);
    } else {
      memset(&engine->slots[command->slot], 0, sizeof(flz_sample));
      /* a refused sample is never read: hand its region back at once */
      if (load && command->sample.region != 0 && command->sample.region != old.region &&
          !flz_engine_region_published(engine, command->sample.region))
        (void)flz_engine_emit_retired(engine, command->sample.region, frame);
    }
    if (old.data != NULL && old.data != engine->slots[command->slot].data)
      flz_engine_retire_later(engine, command->slot, &old, frame);
    break;
  }
  case FLZ_COMMAND_PLAY_SAMPLE:
    flz_engine_play(engine, command, frame);
    break;
  case FLZ_COMMAND_STOP_SLOT:
    for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++)
      if (engine->voices[v].state != FLZ_VOICE_FREE && engine->voices[v].slot == command->slot)
        flz_engine_fade_out(engine, &engine->voices[v]);
    break;
  default:
    break;
  }
}

/* Mixes up to `frames` frames of `voice` into engine->mix (stereo) and
 * stores in `*played` how many it mixed. Returns 0 when the voice ended after
 * those frames (end of sample or end of fade), 1 if it goes on. A fade is
 * linear: its k-th frame from the end has gain fade_step * k, so the last
 * frame of a fade is exactly 0 and no rounding error accumulates. */
static int flz_engine_mix_voice(flz_engine *engine, flz_voice *voice, uint32_t frames,
                                uint32_t *played)
{
  float *mix = engine->mix;
  const float *data = voice->sample.data;
  uint32_t left = voice->sample.frame_count - voice->position;
  uint32_t n = frames < left ? frames : left;
  int fading = voice->state == FLZ_VOICE_FADING;
  if (fading && voice->fade_left < n)
    n = voice->fade_left;
  float gain = voice->gain;
  float step = voice->fade_step;
  uint32_t fade_left = voice->fade_left;
  if (voice->sample.channels == 1) {
    const float *src = data + voice->position;
    if (!fading) {
      for (uint32_t i = 0; i < n; i++) {
        float s = src[i] * gain;
        mix[2 * i] += s;
        mix[2 * i + 1] += s;
      }
    } else {
      for (uint32_t i = 0; i < n; i++) {
        float s = src[i] * gain * (step * (float)(fade_left - 1 - i));
        mix[2 * i] += s;
        mix[2 * i + 1] += s;
      }
    }
  } else {
    const float *src = data + (size_t)voice->position * 2;
    if (!fading) {
      for (uint32_t i = 0; i < 2 * n; i++)
        mix[i] += src[i] * gain;
    } else {
      for (uint32_t i = 0; i < n; i++) {
        float g = gain * (step * (float)(fade_left - 1 - i));
        mix[2 * i] += src[2 * i] * g;
        mix[2 * i + 1] += src[2 * i + 1] * g;
      }
    }
  }
  *played = n;
  voice->position += n;
  if (fading) {
    voice->fade_left -= n;
    voice->fade_gain = step * (float)voice->fade_left;
    if (voice->fade_left == 0)
      return 0;
  }
  return voice->position < voice->sample.frame_count;
}

/* Emits SLOT_RETIRED for each queued region that no slot publishes and no
 * voice reads any more. A region whose event does not fit in the ring stays
 * queued for next period. */
static void flz_engine_retire(flz_engine *engine, uint64_t frame)
{
  uint32_t kept = 0;
  for (uint32_t r = 0; r < engine->retiring_count; r++) {
    uint32_t region = engine->retiring[r];
    int in_use = flz_engine_region_published(engine, region);
    for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++)
      if (engine->voices[v].state != FLZ_VOICE_FREE && engine->voices[v].sample.region == region)
        in_use = 1;
    if (!in_use && flz_engine_emit_retired(engine, region, frame) == FLZ_OK)
      continue;
    engine->retiring[kept++] = region;
  }
  engine->retiring_count = kept;
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
  __asm__ volatile("vmsr fpscr, %0" : : "r"(fpscr | (1u << 24))); /* FZ */
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
  (void)period_time_ns;
  unsigned long saved_fp = flz_engine_denormals_off();
  uint64_t frame = atomic_load_explicit(&engine->frame, memory_order_relaxed);

  for (uint32_t p = 0; p < FLZ_PRODUCERS; p++) {
    flz_command command;
    for (uint32_t i = 0; i < FLZ_COMMANDS_PER_PERIOD; i++) {
      if (!flz_ring_pop(&engine->commands[p], &command))
        break;
      flz_engine_apply(engine, &command, frame);
    }
  }

  uint32_t done = 0;
  while (done < frames) {
    uint32_t n = frames - done < FLZ_MIX_FRAMES ? frames - done : FLZ_MIX_FRAMES;
    memset(engine->mix, 0, sizeof(float) * 2 * n);
    for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++) {
      flz_voice *voice = &engine->voices[v];
      if (voice->state == FLZ_VOICE_FREE)
        continue;
      uint32_t played = 0;
      if (!flz_engine_mix_voice(engine, voice, n, &played))
        flz_engine_end_voice(engine, v, frame + done + played);
    }
    float *dst = out + (size_t)done * channels;
    float gain = engine->master_gain;
    for (uint32_t i = 0; i < n; i++) {
      if (engine->master_ramp_left > 0) {
        /* from the target back, like a fade: the last step lands on it
         * exactly and no rounding error accumulates */
        engine->master_ramp_left--;
        gain = engine->master_target - engine->master_step * (float)engine->master_ramp_left;
      }
      float l = engine->mix[2 * i] * gain;
      float r = engine->mix[2 * i + 1] * gain;
      if (channels == 1) {
        l = (l + r) * 0.5f;
      }
      l = l != l ? 0.0f : (l > 1.0f ? 1.0f : (l < -1.0f ? -1.0f : l));
      r = r != r ? 0.0f : (r > 1.0f ? 1.0f : (r < -1.0f ? -1.0f : r));
      if (channels == 1) {
        dst[i] = l;
      } else if (channels == 2) {
        dst[2 * i] = l;
        dst[2 * i + 1] = r;
      }
    }
    engine->master_gain = gain;
    done += n;
  }
  if (channels != 1 && channels != 2)
    memset(out, 0, sizeof(float) * frames * (channels == 0 ? 0 : channels));

  uint32_t active = 0;
  for (uint32_t v = 0; v < FLZ_VOICE_TOTAL; v++)
    active += engine->voices[v].state != FLZ_VOICE_FREE;
  if (engine->stopping && active == 0) {
    engine->stopping = 0;
    flz_engine_emit(engine, FLZ_EVENT_STOPPED, FLZ_NONE, FLZ_NONE, frame + frames, 0.0f);
  }
  flz_engine_retire(engine, frame + frames);
  atomic_store_explicit(&engine->voices_active, active, memory_order_relaxed);
  atomic_store_explicit(&engine->frame, frame + frames, memory_order_release);
  flz_engine_denormals_restore(saved_fp);
}
