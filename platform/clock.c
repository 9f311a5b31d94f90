/* platform/clock.c: CLOCK_MONOTONIC reads and absolute sleeps. */
#include "platform/clock.h"

#include <errno.h>
#include <time.h>

uint64_t flz_clock_now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void flz_clock_sleep_until_ns(uint64_t deadline_ns)
{
  struct timespec ts = {.tv_sec = (time_t)(deadline_ns / 1000000000ull),
                        .tv_nsec = (long)(deadline_ns % 1000000000ull)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
  }
}
