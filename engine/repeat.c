/* engine/repeat.c: the held pads of note repeat (engine/repeat.h). Audio
 * thread. */
#include "engine/repeat.h"

#include <stddef.h>
#include <string.h>

static const char *const flz_repeat_names[FLZ_REPEAT_RATES] = {
  "off", "1/4", "1/8", "1/16", "1/32", "1/4t", "1/8t", "1/16t", "1/32t"};

const char *flz_repeat_name(uint32_t rate)
{
  return flz_repeat_names[rate < FLZ_REPEAT_RATES ? rate : 0];
}

int flz_repeat_parse(const char *name)
{
  for (int i = 0; i < FLZ_REPEAT_RATES; i++)
    if (strcmp(name, flz_repeat_names[i]) == 0)
      return i;
  return -1;
}

double flz_repeat_beats(uint32_t rate)
{
  static const double beats[FLZ_REPEAT_RATES] = {0.0,       1.0,       0.5,       0.25,      0.125,
                                                 2.0 / 3.0, 1.0 / 3.0, 1.0 / 6.0, 1.0 / 12.0};
  return rate < FLZ_REPEAT_RATES ? beats[rate] : 0.0;
}

flz_repeat_held *flz_repeat_find(flz_repeat *repeat, uint32_t kind, uint32_t index, uint32_t key)
{
  for (uint32_t i = 0; i < repeat->count; i++) {
    flz_repeat_held *held = &repeat->held[i];
    if (held->kind == kind && held->index == index && held->key == key)
      return held;
  }
  return NULL;
}

flz_repeat_held *flz_repeat_hold(flz_repeat *repeat, uint32_t kind, uint32_t index, uint32_t key,
                                 float velocity)
{
  flz_repeat_held *held = flz_repeat_find(repeat, kind, index, key);
  if (held == NULL) {
    if (repeat->count == FLZ_REPEAT_HELD)
      return NULL;
    held = &repeat->held[repeat->count++];
  }
  *held = (flz_repeat_held){.kind = kind, .index = index, .key = key, .velocity = velocity};
  return held;
}

void flz_repeat_release(flz_repeat *repeat, uint32_t kind, uint32_t index, uint32_t key)
{
  for (uint32_t i = 0; i < repeat->count;) {
    const flz_repeat_held *held = &repeat->held[i];
    if (held->kind == kind && held->index == index && (key == UINT32_MAX || held->key == key))
      repeat->held[i] = repeat->held[--repeat->count];
    else
      i++;
  }
}

void flz_repeat_pressure(flz_repeat *repeat, uint32_t kind, uint32_t index, float pressure)
{
  float velocity = pressure != pressure ? 0.0f
                   : pressure < 0.0f    ? 0.0f
                   : pressure > 1.0f    ? 1.0f
                                        : pressure;
  for (uint32_t i = 0; i < repeat->count; i++)
    if (index == UINT32_MAX || (repeat->held[i].kind == kind && repeat->held[i].index == index))
      repeat->held[i].velocity = velocity;
}
