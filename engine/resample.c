/* engine/resample.c: the recording of engine/resample.h. Audio thread. */
#include "engine/resample.h"

#include <stddef.h>

void flz_resample_begin(flz_resample *resample, const flz_resample_request *request, uint32_t slot,
                        uint32_t length)
{
  resample->request = *request;
  resample->slot = slot;
  resample->length = length < request->capacity ? length : request->capacity;
  resample->cut = length > request->capacity;
  resample->count = 0;
  resample->recording = 1;
}

static float flz_resample_clamp(float x)
{
  return x != x ? 0.0f : (x > 1.0f ? 1.0f : (x < -1.0f ? -1.0f : x));
}

int flz_resample_take(flz_resample *resample, const float *frames, uint32_t n, uint32_t channels)
{
  if (!resample->recording)
    return 0;
  uint32_t left = resample->length - resample->count;
  uint32_t k = n < left ? n : left;
  uint32_t out = resample->request.channels;
  float *to = resample->request.data + (size_t)resample->count * out;
  if (out == channels) {
    for (uint32_t i = 0; i < k * out; i++)
      to[i] = flz_resample_clamp(frames[i]);
  } else if (out == 1) {
    for (uint32_t i = 0; i < k; i++)
      to[i] = flz_resample_clamp((frames[2 * i] + frames[2 * i + 1]) * 0.5f);
  } else {
    for (uint32_t i = 0; i < k; i++)
      to[2 * i] = to[2 * i + 1] = flz_resample_clamp(frames[i]);
  }
  resample->count += k;
  return resample->count == resample->length;
}
