/* engine/midiclock.h: following a MIDI clock. A pure filter over the frames
 * at which clock ticks (0xF8, 24 per quarter note) arrived: it estimates the
 * clock's tempo and where its beat is, for the engine (engine/engine.h) to
 * steer its master tempo and beat by.
 *
 * Owns: the tick filter and the clock's song position. Nothing here reads a
 * clock, allocates or does I/O; the engine calls it on the audio thread, the
 * tests with synthetic ticks.
 *
 * Filter: a second-order delay-locked loop on the tick frames, as the
 * engine's callback-time DLL (F. Adriaensen, "Using a DLL to filter time",
 * LAC 2005), with its bandwidth in ticks rather than Hz so that it settles in
 * the same number of beats at every tempo: FLZ_MIDICLOCK_OMEGA puts the
 * loop's 2 % settling time (4 / (zeta omega), zeta = 0.707) at 57 ticks, so
 * 2 beats after a tempo change the tempo is within 1 % of the new one
 * (tests/engine/test_midiclock.c). A second-order loop follows a
 * steady tempo with no lasting phase error. A single late (or early) tick
 * moves it little: its error is clamped to FLZ_MIDICLOCK_CLAMP times the
 * loop's running mean absolute error (at least FLZ_MIDICLOCK_CLAMP_MIN_MS),
 * so jitter passes and an outlier counts as a small one; a tempo change gives
 * errors of one sign tick after tick, which the running error grows to admit.
 * Until it locks, the period is the mean since the first tick.
 * A gap of more than FLZ_MIDICLOCK_GAP_TICKS tick periods and
 * FLZ_MIDICLOCK_GAP_MS (ticks lost, a clock that stopped and came back)
 * locks afresh.
 *
 * Song position: counted in ticks. Start sets it to 0, Song Position Pointer
 * to 6 ticks per MIDI beat (a 1/16 note); the tick after them is at that
 * position (MIDI 1.0: the first clock after Start is the first beat). Ticks
 * while stopped (Stop, until Start or Continue) keep the tempo filter running
 * and leave the position where it is.
 */
#ifndef FLZ_ENGINE_MIDICLOCK_H
#define FLZ_ENGINE_MIDICLOCK_H

#include <stdint.h>

/* Clock ticks per quarter note (MIDI 1.0). */
#define FLZ_MIDICLOCK_TICKS_PER_BEAT 24

/* Loop bandwidth, radians per tick: 2 % settling in 4 / (0.707 x 0.1) =
 * 57 ticks, 2.4 beats (2 beats after a change the tempo is within 1 %);
 * with +-1 ms of tick jitter, 0.12 (2 beats) moved the filter's beat by up
 * to 0.62 ms and a locked loop's clicks after a tempo change by 0.89 ms,
 * 0.1 by 0.56 and 0.73 ms (tests/engine/test_midiclock.c; the goal
 * is 1 ms). */
#define FLZ_MIDICLOCK_OMEGA 0.1

/* Error clamp: 4 times the running mean absolute error, at least 0.5 ms.
 * Uniform jitter of +-1 ms has a mean absolute error of 0.5 ms, so 4 times
 * it (2 ms) lets every jittered tick through whole. */
#define FLZ_MIDICLOCK_CLAMP 4.0
#define FLZ_MIDICLOCK_CLAMP_MIN_MS 0.5

/* A tick more than this many periods, and more than FLZ_MIDICLOCK_GAP_MS,
 * after the last one starts a new lock. The time floor keeps a reader that
 * a busy machine stalled for a few tick periods (14.4 ms each at 174 BPM),
 * and then reads the waiting ticks at once, in its lock: it rides that out
 * as a late tick and early ones (flitz bench --clock at 174 BPM lost its
 * lock so under load, tests/engine/test_midiclock.c); a clock that stopped
 * and came back was away longer. */
#define FLZ_MIDICLOCK_GAP_TICKS 3.0
#define FLZ_MIDICLOCK_GAP_MS 250.0

/* Ticks after the first one before the tempo counts as known (locked): one
 * beat, whose mean tick period (what the loop starts from) is within 0.6 %
 * of the clock's with +-1 ms of jitter even at 300 BPM. */
#define FLZ_MIDICLOCK_LOCK_TICKS 24

typedef struct flz_midiclock {
  double rate;    /* frames per second */
  uint32_t ticks; /* ticks since the lock began */
  double first;   /* frame of the lock's first tick */
  double t0;      /* where the loop expected the last tick, frames */
  double t1;      /* where it expects the next tick, frames */
  double period;  /* filtered tick period, frames */
  double spread;  /* running mean absolute error, frames */
  double b, c;    /* loop coefficients */
  uint64_t next;  /* song position of the next tick, ticks */
  int playing;    /* 1 between Start/Continue and Stop */
} flz_midiclock;

/* Sets up `clock` for `rate` frames per second: no lock, stopped, song
 * position 0. Any thread (the caller's clock). */
void flz_midiclock_init(flz_midiclock *clock, uint32_t rate);

/* A tick arrived at `frame` (engine frames, may be fractional). Advances the
 * song position while playing. Bounded, no allocation; audio-thread safe. */
void flz_midiclock_tick(flz_midiclock *clock, double frame);

/* Start (0xFA): position 0, playing. Continue (0xFB): playing on from the
 * position. Stop (0xFC): stopped. Song Position Pointer (0xF2): the
 * position, `sixteenths` MIDI beats (1/16 notes). */
void flz_midiclock_start(flz_midiclock *clock);
void flz_midiclock_continue(flz_midiclock *clock);
void flz_midiclock_stop(flz_midiclock *clock);
void flz_midiclock_position(flz_midiclock *clock, uint32_t sixteenths);

/* 1 when the tempo is known (FLZ_MIDICLOCK_LOCK_TICKS ticks into a lock). */
int flz_midiclock_locked(const flz_midiclock *clock);

/* The clock's tempo, BPM; 0 while not locked. */
double flz_midiclock_tempo(const flz_midiclock *clock);

/* The clock's song position at `frame`, in beats (quarter notes), from the
 * filtered tick times (the next tick's expected frame and the period);
 * meaningful while locked; the position itself while stopped. */
double flz_midiclock_beat(const flz_midiclock *clock, double frame);

/* The frame at which the loop expects the next tick. */
double flz_midiclock_next_frame(const flz_midiclock *clock);

#endif
