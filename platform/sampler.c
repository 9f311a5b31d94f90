/* platform/sampler.c: the embeddable API of platform/sampler.h. Owns the
 * glue between decoding, the pool, the engine and the audio output; the
 * audio thread only ever enters through flz_sampler_render_period. */
#include "platform/sampler.h"
#include "platform/resampler.h"
#include "platform/sampler_internal.h"

#include <stdio.h>
#include <string.h>

#include "engine/limits.h"
#include "engine/result.h"
#include "platform/clock.h"
#include "platform/decode.h"

static flz_sampler flz_sampler_the;

flz_sampler *flz_sampler_instance(void)
{
  return &flz_sampler_the;
}

/* Backend, rate and period stay zero: the audio output fills their defaults
 * (platform/audio_output.c), and the engine runs at the rate it got. */
void flz_sampler_config_init(flz_sampler_config *config)
{
  memset(config, 0, sizeof *config);
  config->policy = FLZ_POLICY_STEAL_OLDEST;
  config->interpolation = FLZ_DEFAULT_INTERPOLATION;
}

/* Audio thread: the output's render callback. */
static void flz_sampler_render_period(void *user, float *out, uint32_t frames, uint32_t channels,
                                      uint64_t period_time_ns)
{
  flz_sampler *sampler = user;
  uint64_t start_ns = flz_clock_now_ns();
  flz_engine_render(&sampler->engine, out, frames, channels, period_time_ns);
  atomic_fetch_add_explicit(&sampler->render_ns, flz_clock_now_ns() - start_ns,
                            memory_order_relaxed);
  atomic_fetch_add_explicit(&sampler->render_periods, 1u, memory_order_relaxed);
  if (sampler->tap != NULL)
    sampler->tap(sampler->tap_user, out, frames, channels, period_time_ns);
}

void flz_sampler_render_time(flz_sampler *sampler, uint64_t *render_ns, uint64_t *periods)
{
  *render_ns = atomic_load_explicit(&sampler->render_ns, memory_order_relaxed);
  *periods = atomic_load_explicit(&sampler->render_periods, memory_order_relaxed);
}

static int flz_sampler_open_output(flz_sampler *sampler, const flz_sampler_config *c,
                                   const char *backend, const char *device, int realtime)
{
  flz_audio_output_config out;
  memset(&out, 0, sizeof out);
  out.device = device;
  out.rate = c->rate;
  out.period = c->period;
  out.wav_format = c->wav_format;
  out.realtime = realtime;
  out.render = flz_sampler_render_period;
  out.user = sampler;
  return flz_audio_output_open(&sampler->output, backend, &out);
}

int flz_sampler_run(flz_sampler *sampler, const flz_sampler_config *config)
{
  flz_sampler_config c;
  flz_sampler_config_init(&c);
  if (config != NULL)
    c = *config;
  memset(sampler->regions, 0, sizeof sampler->regions);
  memset(sampler->region_bytes, 0, sizeof sampler->region_bytes);
  sampler->running = 0;
  sampler->fell_back = 0;
  sampler->output_state = FLZ_SAMPLER_OUTPUT_SAME;
  sampler->tap = c.tap;
  sampler->tap_user = c.tap_user;
  flz_pool_init(&sampler->pool);

  int result = flz_sampler_open_output(sampler, &c, c.backend, c.device, c.realtime);
  const char *fallback = flz_audio_output_find(FLZ_AUDIO_OUTPUT_FALLBACK);
  if (result == FLZ_ERR_NO_AUDIO_DEVICE && c.fallback_path != NULL && fallback != NULL &&
      (sampler->output.flags & FLZ_AUDIO_OUTPUT_HAS_DEVICES) != 0) {
    result = flz_sampler_open_output(sampler, &c, fallback, c.fallback_path, 1);
    sampler->fell_back = 1;
  }
  /* Waiting for the device: the engine runs at the rate asked for, and the
   * device opens at that rate when it is there. */
  int waiting = result != FLZ_OK && c.wait_for_device && !sampler->fell_back &&
                (result == FLZ_ERR_NO_AUDIO_DEVICE || result == FLZ_ERR_AUDIO_DEVICE) &&
                (sampler->output.flags & FLZ_AUDIO_OUTPUT_HAS_DEVICES) != 0;
  if (result != FLZ_OK && !waiting)
    return result;

  /* The engine runs at the rate the device actually gave. */
  flz_engine_config engine_config;
  flz_engine_config_init(&engine_config);
  engine_config.rate = waiting ? (c.rate != 0 ? c.rate : FLZ_DEFAULT_RATE)
                               : sampler->output.info.rate;
  engine_config.policy = c.policy;
  result = c.interpolation > FLZ_INTERPOLATION_SINC
             ? FLZ_ERR_ARGUMENT
             : flz_engine_init(&sampler->engine, &engine_config);
  sampler->interpolation = c.interpolation;
  if (result == FLZ_OK) {
    flz_command command = {.type = FLZ_COMMAND_SET_INTERPOLATION, .offset = c.interpolation};
    result = flz_engine_send(&sampler->engine, FLZ_PRODUCER_CONTROL, &command);
  }
  if (result == FLZ_OK && waiting) {
    sampler->output_state = FLZ_SAMPLER_OUTPUT_LOST;
    sampler->lost_untold = 1;
    sampler->retry_ns = 0;
    sampler->running = 1;
    return FLZ_OK;
  }
  if (result == FLZ_OK)
    result = flz_audio_output_start(&sampler->output);
  if (result != FLZ_OK) {
    flz_audio_output_close(&sampler->output);
    return result;
  }
  sampler->running = 1;
  return FLZ_OK;
}

void flz_sampler_shut_down(flz_sampler *sampler)
{
  if (!sampler->running)
    return;
  flz_audio_output_stop(&sampler->output);
  flz_audio_output_close(&sampler->output);
  sampler->running = 0;
  memset(sampler->regions, 0, sizeof sampler->regions);
  memset(sampler->region_bytes, 0, sizeof sampler->region_bytes);
  flz_pool_init(&sampler->pool);
}

int flz_sampler_send(flz_sampler *sampler, uint32_t producer, const flz_command *command)
{
  if (!sampler->running)
    return FLZ_ERR_NOT_RUNNING;
  return flz_engine_send(&sampler->engine, producer, command);
}

int flz_sampler_command(flz_sampler *sampler, const flz_command *command)
{
  return flz_sampler_send(sampler, FLZ_PRODUCER_CONTROL, command);
}

int flz_sampler_load_frames(flz_sampler *sampler, uint32_t id, const float *data,
                            uint32_t frame_count, uint32_t channels)
{
  if (!sampler->running)
    return FLZ_ERR_NOT_RUNNING;
  if (id >= FLZ_SLOTS)
    return FLZ_ERR_SLOT;
  if (data == NULL || frame_count == 0 || (channels != 1 && channels != 2))
    return FLZ_ERR_ARGUMENT;
  size_t bytes = (size_t)frame_count * channels * sizeof(float);
  uint32_t region = 0;
  void *memory = NULL;
  int result = flz_pool_alloc(&sampler->pool, bytes, &region, &memory);
  if (result != FLZ_OK)
    return result;
  memcpy(memory, data, bytes);
  flz_command command = {.type = FLZ_COMMAND_LOAD_SAMPLE, .slot = id};
  command.sample.data = memory;
  command.sample.frame_count = frame_count;
  command.sample.channels = channels;
  command.sample.region = region;
  result = flz_sampler_command(sampler, &command);
  if (result != FLZ_OK) {
    flz_pool_free(&sampler->pool, region);
    return result;
  }
  sampler->regions[id] = region;
  sampler->region_bytes[id] = (bytes + FLZ_POOL_ALIGN - 1) / FLZ_POOL_ALIGN * FLZ_POOL_ALIGN;
  return FLZ_OK;
}

int flz_sampler_load_decoded(flz_sampler *sampler, uint32_t id, const flz_decoded *decoded)
{
  if (decoded == NULL)
    return FLZ_ERR_ARGUMENT;
  if (decoded->frame_count > UINT32_MAX)
    return FLZ_ERR_POOL_FULL;
  return flz_sampler_load_frames(sampler, id, decoded->data, (uint32_t)decoded->frame_count,
                                 decoded->channels);
}

size_t flz_sampler_retiring_bytes(const flz_sampler *sampler)
{
  size_t published = 0;
  for (uint32_t i = 0; i < FLZ_SLOTS; i++)
    published += sampler->region_bytes[i];
  size_t used = flz_pool_used(&sampler->pool);
  return used > published ? used - published : 0;
}

int flz_sampler_load_sample(flz_sampler *sampler, uint32_t id, const char *path, char *detail,
                            size_t detail_size)
{
  if (detail != NULL && detail_size > 0)
    detail[0] = '\0';
  if (!sampler->running)
    return FLZ_ERR_NOT_RUNNING;
  if (id >= FLZ_SLOTS)
    return FLZ_ERR_SLOT;
  flz_decoded decoded;
  int result = flz_decode_file(path, sampler->engine.config.rate, &decoded, NULL, detail,
                               detail != NULL ? detail_size : 0);
  if (result != FLZ_OK)
    return result;
  result = flz_sampler_load_decoded(sampler, id, &decoded);
  flz_decode_free(&decoded);
  return result;
}

int flz_sampler_unload_sample(flz_sampler *sampler, uint32_t id)
{
  if (id >= FLZ_SLOTS)
    return FLZ_ERR_SLOT;
  flz_command command = {.type = FLZ_COMMAND_UNLOAD_SAMPLE, .slot = id};
  int result = flz_sampler_command(sampler, &command);
  if (result == FLZ_OK) {
    sampler->regions[id] = 0;
    sampler->region_bytes[id] = 0;
  }
  return result;
}

int flz_sampler_play_sample(flz_sampler *sampler, uint32_t id, float velocity, uint64_t time_ns)
{
  if (id >= FLZ_SLOTS)
    return FLZ_ERR_SLOT;
  flz_command command = {
    .type = FLZ_COMMAND_PLAY_SAMPLE, .slot = id, .value = velocity, .time_ns = time_ns};
  return flz_sampler_command(sampler, &command);
}

int flz_sampler_stop_sample(flz_sampler *sampler, uint32_t id)
{
  if (id >= FLZ_SLOTS)
    return FLZ_ERR_SLOT;
  flz_command command = {.type = FLZ_COMMAND_STOP_SLOT, .slot = id};
  return flz_sampler_command(sampler, &command);
}

int flz_sampler_stop_all(flz_sampler *sampler)
{
  flz_command command = {.type = FLZ_COMMAND_STOP};
  return flz_sampler_command(sampler, &command);
}

int flz_sampler_set_volume(flz_sampler *sampler, float db)
{
  flz_command command = {.type = FLZ_COMMAND_SET_VOLUME, .value = db};
  return flz_sampler_command(sampler, &command);
}

int flz_sampler_ping(flz_sampler *sampler, float token)
{
  flz_command command = {.type = FLZ_COMMAND_PING, .value = token};
  return flz_sampler_command(sampler, &command);
}

int flz_sampler_receive_msg(flz_sampler *sampler, flz_event *event)
{
  if (!flz_engine_receive(&sampler->engine, event))
    return 0;
  if (event->type == FLZ_EVENT_SLOT_RETIRED && event->region != 0)
    (void)flz_pool_free(&sampler->pool, event->region);
  if (event->type == FLZ_EVENT_RESAMPLED)
    flz_resampler_event(sampler, event);
  return 1;
}

int flz_sampler_pull(flz_sampler *sampler, uint32_t frames)
{
  if (!sampler->running)
    return FLZ_ERR_NOT_RUNNING;
  return flz_audio_output_pull(&sampler->output, frames);
}

uint32_t flz_sampler_rate(const flz_sampler *sampler)
{
  return sampler->engine.config.rate;
}

uint32_t flz_sampler_interpolation(const flz_sampler *sampler)
{
  return sampler->interpolation;
}

int flz_sampler_set_interpolation(flz_sampler *sampler, uint32_t interpolation)
{
  if (interpolation > FLZ_INTERPOLATION_SINC)
    return FLZ_ERR_ARGUMENT;
  flz_command command = {.type = FLZ_COMMAND_SET_INTERPOLATION, .offset = interpolation};
  return flz_sampler_command(sampler, &command);
}

int flz_sampler_slot_loaded(const flz_sampler *sampler, uint32_t id)
{
  return id < FLZ_SLOTS && sampler->regions[id] != 0;
}

uint32_t flz_sampler_meters(flz_sampler *sampler, float *slots, float *master)
{
  return flz_engine_meters_get(&sampler->engine, slots, master);
}

void flz_sampler_counters(flz_sampler *sampler, flz_engine_counters *counters)
{
  flz_engine_counters_get(&sampler->engine, counters);
}

const flz_audio_output_info *flz_sampler_output_info(const flz_sampler *sampler)
{
  return &sampler->output.info;
}

const char *flz_sampler_output_detail(const flz_sampler *sampler)
{
  return sampler->output.detail;
}

int flz_sampler_fell_back(const flz_sampler *sampler)
{
  return sampler->fell_back;
}

int flz_sampler_watch_output(flz_sampler *sampler, uint64_t now_ns, char *detail,
                             size_t detail_size)
{
  if (detail_size > 0)
    detail[0] = '\0';
  if (!sampler->running || sampler->output_state == FLZ_SAMPLER_OUTPUT_FAILED)
    return FLZ_SAMPLER_OUTPUT_SAME;
  flz_audio_output *output = &sampler->output;
  if (sampler->output_state == FLZ_SAMPLER_OUTPUT_LOST) {
    if (sampler->lost_untold) {
      sampler->lost_untold = 0;
      snprintf(detail, detail_size, "%s (%s)",
               output->config.device ? output->config.device : "default", output->detail);
      return FLZ_SAMPLER_OUTPUT_WAITING;
    }
    if (now_ns < sampler->retry_ns)
      return FLZ_SAMPLER_OUTPUT_SAME;
    sampler->retry_ns = now_ns + (uint64_t)FLZ_DEVICE_RETRY_MS * 1000000u;
    if (flz_audio_output_reopen(output, sampler->engine.config.rate) != FLZ_OK)
      return FLZ_SAMPLER_OUTPUT_SAME;
    sampler->output_state = FLZ_SAMPLER_OUTPUT_SAME;
    snprintf(detail, detail_size, "driver %s, device %s, %u Hz, %u frames per period",
             output->info.driver, output->info.device, output->info.rate, output->info.period);
    return FLZ_SAMPLER_OUTPUT_BACK;
  }
  int status = flz_audio_output_status(output);
  if (status == FLZ_OK)
    return FLZ_SAMPLER_OUTPUT_SAME;
  snprintf(detail, detail_size, "%s", output->detail);
  if (status == FLZ_ERR_AUDIO_DEVICE) {
    sampler->output_state = FLZ_SAMPLER_OUTPUT_LOST;
    sampler->retry_ns = now_ns + (uint64_t)FLZ_DEVICE_RETRY_MS * 1000000u;
    return FLZ_SAMPLER_OUTPUT_LOST;
  }
  sampler->output_state = FLZ_SAMPLER_OUTPUT_FAILED;
  return FLZ_SAMPLER_OUTPUT_FAILED;
}

size_t flz_sampler_pool_capacity(const flz_sampler *sampler)
{
  return sampler->pool.capacity;
}

size_t flz_sampler_pool_largest_free(const flz_sampler *sampler)
{
  return flz_pool_largest_free(&sampler->pool);
}

void flz_sampler_region_default(flz_region *region, uint32_t slot)
{
  flz_engine_region_default(region, slot);
}
