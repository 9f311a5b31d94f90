/* engine/midiclock.c: the MIDI clock filter of engine/midiclock.h. */
#include "engine/midiclock.h"

#include <math.h>

void flz_midiclock_init(flz_midiclock *clock, uint32_t rate)
{
  *clock = (flz_midiclock){.rate = (double)rate};
  clock->b = 1.4142135623730951 * FLZ_MIDICLOCK_OMEGA;
  clock->c = FLZ_MIDICLOCK_OMEGA * FLZ_MIDICLOCK_OMEGA;
}

static void flz_midiclock_count(flz_midiclock *clock)
{
  if (clock->playing)
    clock->next++;
}

void flz_midiclock_tick(flz_midiclock *clock, double frame)
{
  double gap = FLZ_MIDICLOCK_GAP_TICKS * clock->period;
  double gap_min = FLZ_MIDICLOCK_GAP_MS * 0.001 * clock->rate;
  if (clock->ticks >= 2 && frame - clock->t0 > (gap > gap_min ? gap : gap_min))
    clock->ticks = 0;
  if (clock->ticks == 0) {
    clock->first = frame;
    clock->t0 = frame;
    clock->ticks = 1;
    flz_midiclock_count(clock);
    return;
  }
  if (clock->ticks <= FLZ_MIDICLOCK_LOCK_TICKS) {
    /* Until the lock: the mean period since the first tick. */
    double period = (frame - clock->first) / clock->ticks;
    if (period <= 0.0)
      return;
    clock->period = period;
    clock->t0 = frame;
    clock->t1 = frame + period;
    clock->spread = 0.0;
    clock->ticks++;
    flz_midiclock_count(clock);
    return;
  }
  double error = frame - clock->t1;
  double limit = FLZ_MIDICLOCK_CLAMP * clock->spread;
  double floor = FLZ_MIDICLOCK_CLAMP_MIN_MS * 0.001 * clock->rate;
  if (limit < floor)
    limit = floor;
  double used = error > limit ? limit : (error < -limit ? -limit : error);
  double size = fabs(error) < clock->period ? fabs(error) : clock->period;
  clock->spread += (size - clock->spread) / 16.0;
  clock->t0 = clock->t1;
  clock->t1 += clock->b * used + clock->period;
  clock->period += clock->c * used;
  if (clock->ticks < UINT32_MAX)
    clock->ticks++;
  flz_midiclock_count(clock);
}

void flz_midiclock_start(flz_midiclock *clock)
{
  clock->next = 0;
  clock->playing = 1;
}

void flz_midiclock_continue(flz_midiclock *clock)
{
  clock->playing = 1;
}

void flz_midiclock_stop(flz_midiclock *clock)
{
  clock->playing = 0;
}

void flz_midiclock_position(flz_midiclock *clock, uint32_t sixteenths)
{
  clock->next = (uint64_t)sixteenths * (FLZ_MIDICLOCK_TICKS_PER_BEAT / 4);
}

int flz_midiclock_locked(const flz_midiclock *clock)
{
  return clock->ticks > FLZ_MIDICLOCK_LOCK_TICKS;
}

double flz_midiclock_tempo(const flz_midiclock *clock)
{
  if (!flz_midiclock_locked(clock))
    return 0.0;
  return 60.0 * clock->rate / (clock->period * FLZ_MIDICLOCK_TICKS_PER_BEAT);
}

double flz_midiclock_beat(const flz_midiclock *clock, double frame)
{
  double ticks = (double)clock->next;
  if (clock->playing && clock->ticks >= 2)
    ticks -= (clock->t1 - frame) / clock->period;
  return ticks / FLZ_MIDICLOCK_TICKS_PER_BEAT;
}

double flz_midiclock_next_frame(const flz_midiclock *clock)
{
  return clock->t1;
}
