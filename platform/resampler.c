/* platform/resampler.c: the reservation and bookkeeping of
 * platform/resampler.h. Control thread. */
#include "platform/resampler.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/result.h"
#include "platform/sampler_internal.h"

static double flz_resampler_mib(size_t bytes)
{
  return (double)bytes / (1024.0 * 1024.0);
}

int flz_resampler_start(flz_sampler *sampler, uint32_t slot, uint32_t source, uint32_t index,
                        float bars, double tempo, uint64_t time_ns, char *detail,
                        size_t detail_size)
{
  if (detail != NULL && detail_size > 0)
    detail[0] = '\0';
  if (!sampler->running)
    return FLZ_ERR_NOT_RUNNING;
  if (slot >= FLZ_SLOTS || (source == FLZ_RESAMPLE_SLOT && index >= FLZ_SLOTS) ||
      (source == FLZ_RESAMPLE_PAD && index >= FLZ_PADS))
    return FLZ_ERR_SLOT;
  if (source > FLZ_RESAMPLE_PAD || !(bars >= 0.0f) || bars > FLZ_RESAMPLE_BARS_MAX ||
      !(tempo >= FLZ_TEMPO_MIN))
    return FLZ_ERR_ARGUMENT;
  uint32_t rate = sampler->engine.config.rate;
  double seconds = bars > 0.0f ? bars * 4.0 * 60.0 / tempo * 1.25 + 1.0 : FLZ_RESAMPLE_SECONDS;
  uint32_t channels = sampler->output.info.channels == 1 ? 1u : 2u;
  uint32_t frames = (uint32_t)ceil(seconds * rate);
  size_t bytes = (size_t)frames * channels * sizeof(float);
  uint32_t region = 0;
  void *memory = NULL;
  int result = flz_pool_alloc(&sampler->pool, bytes, &region, &memory);
  if (result != FLZ_OK) {
    if (detail != NULL && detail_size > 0)
      snprintf(detail, detail_size,
               "resampling needs %.1f MiB of the sample pool, its largest free block has %.1f MiB",
               flz_resampler_mib(bytes), flz_resampler_mib(flz_pool_largest_free(&sampler->pool)));
    return result;
  }
  /* Every page touched here, so the audio thread never faults one in. */
  memset(memory, 0, bytes);
  flz_command command = {.type = FLZ_COMMAND_RESAMPLE, .slot = slot, .time_ns = time_ns};
  command.resample = (flz_resample_request){.data = memory,
                                            .capacity = frames,
                                            .channels = channels,
                                            .region = region,
                                            .source = source,
                                            .index = index,
                                            .bars = bars};
  sampler->resample_channels = channels;
  result = flz_sampler_command(sampler, &command);
  if (result != FLZ_OK)
    (void)flz_pool_free(&sampler->pool, region);
  return result;
}

int flz_resampler_stop(flz_sampler *sampler, uint64_t time_ns)
{
  flz_command command = {.type = FLZ_COMMAND_RESAMPLE_STOP, .time_ns = time_ns};
  return flz_sampler_command(sampler, &command);
}

void flz_resampler_event(flz_sampler *sampler, const flz_event *event)
{
  memset(&sampler->resampled, 0, sizeof sampler->resampled);
  sampler->resampled_slot = event->slot;
  if (event->voice == 0 || event->slot >= FLZ_SLOTS)
    return; /* nothing recorded: the engine retired the region */
  const flz_pool *pool = &sampler->pool;
  for (uint32_t i = 0; i < pool->count; i++) {
    if (pool->regions[i].id != event->region)
      continue;
    size_t bytes = (size_t)event->voice * sampler->resample_channels * sizeof(float);
    sampler->resampled.data = (const float *)(pool->base + pool->regions[i].offset);
    sampler->resampled.frame_count = event->voice;
    sampler->resampled.channels = sampler->resample_channels;
    sampler->resampled.region = event->region;
    (void)flz_pool_shrink(&sampler->pool, event->region, bytes);
    sampler->regions[event->slot] = event->region;
    sampler->region_bytes[event->slot] = (bytes + FLZ_POOL_ALIGN - 1) / FLZ_POOL_ALIGN *
                                         FLZ_POOL_ALIGN;
    return;
  }
}

int flz_resampler_last(const flz_sampler *sampler, flz_sample *sample, uint32_t *slot)
{
  if (sampler->resampled.data == NULL)
    return 0;
  *sample = sampler->resampled;
  *slot = sampler->resampled_slot;
  return 1;
}
