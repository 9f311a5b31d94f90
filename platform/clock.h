/* platform/clock.h: the monotonic clock every input event and period is
 * timed with (CLOCK_MONOTONIC, so it never jumps with the wall clock).
 * Any thread; flz_clock_now_ns is a vDSO call with no lock, but the audio
 * thread still does not call it inside the engine (the platform's callback
 * reads it once per period). */
#ifndef FLZ_PLATFORM_CLOCK_H
#define FLZ_PLATFORM_CLOCK_H

#include <stdint.h>

/* Now, in ns of CLOCK_MONOTONIC. */
uint64_t flz_clock_now_ns(void);

/* Sleeps until CLOCK_MONOTONIC reaches `deadline_ns` (absolute, so periods
 * paced with it do not drift). Returns at once if the deadline has passed.
 * Blocks: never from the audio callback. */
void flz_clock_sleep_until_ns(uint64_t deadline_ns);

#endif
