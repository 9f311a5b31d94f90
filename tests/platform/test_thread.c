/* tests/platform/test_thread.c: flz_thread (platform/thread.h) runs its
 * function with its user pointer on a thread of its own, start returns
 * while that function still runs, and join waits for it to return. No
 * assertion on time: the handshakes only wait, with a bound so a broken
 * thread fails the test instead of hanging it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine/result.h"
#include "platform/clock.h"
#include "platform/thread.h"

#include <sched.h>
#include <stdatomic.h>

/* Long enough for any loaded machine to schedule a thread. */
#define WAIT_NS 10000000000ull

typedef struct handshake {
  _Atomic int started; /* set by the thread */
  _Atomic int go;      /* set by the test */
  int finished;        /* plain: read only after the join */
} handshake;

/* Waits for *flag, at most WAIT_NS; returns whether it was set. */
static int wait_for(_Atomic int *flag)
{
  uint64_t deadline = flz_clock_now_ns() + WAIT_NS;
  while (!atomic_load(flag)) {
    if (flz_clock_now_ns() > deadline)
      return 0;
    flz_clock_sleep_until_ns(flz_clock_now_ns() + 1000000u);
  }
  return 1;
}

static void wait_for_go(void *user)
{
  handshake *h = user;
  atomic_store(&h->started, 1);
  if (wait_for(&h->go))
    h->finished = 1;
}

static void start_returns_while_the_function_runs_and_join_waits_for_it(void **state)
{
  (void)state;
  static handshake h;
  flz_thread thread;
  assert_int_equal(flz_thread_start(&thread, wait_for_go, &h), FLZ_OK);
  /* The function runs with our pointer, and without us returning first. */
  assert_true(wait_for(&h.started));
  atomic_store(&h.go, 1);
  flz_thread_join(&thread);
  assert_int_equal(h.finished, 1);
}

static void add_one(void *user)
{
  int *count = user;
  (*count)++;
}

static void two_threads_each_run_their_own_function_once(void **state)
{
  (void)state;
  int counts[2] = {0, 0};
  flz_thread threads[2];
  for (int i = 0; i < 2; i++)
    assert_int_equal(flz_thread_start(&threads[i], add_one, &counts[i]), FLZ_OK);
  for (int i = 0; i < 2; i++)
    flz_thread_join(&threads[i]);
  assert_int_equal(counts[0], 1);
  assert_int_equal(counts[1], 1);
}

/* The thread's policy after flz_thread_set_realtime, and what it returned. */
typedef struct realtime {
  int granted;
  int policy;
} realtime;

static void become_realtime(void *user)
{
  realtime *r = user;
  r->granted = flz_thread_set_realtime();
  r->policy = sched_getscheduler(0);
}

/* A granted request runs the thread SCHED_FIFO; a refused one (no
 * privilege) leaves it SCHED_OTHER. Either way the caller's thread is
 * untouched. */
static void set_realtime_changes_the_calling_thread_alone(void **state)
{
  (void)state;
  realtime r = {-1, -1};
  flz_thread thread;
  assert_int_equal(flz_thread_start(&thread, become_realtime, &r), FLZ_OK);
  flz_thread_join(&thread);
  assert_int_equal(r.policy, r.granted == 1 ? SCHED_FIFO : SCHED_OTHER);
  assert_true(r.granted == 0 || r.granted == 1);
  assert_int_equal(sched_getscheduler(0), SCHED_OTHER);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(start_returns_while_the_function_runs_and_join_waits_for_it),
    cmocka_unit_test(two_threads_each_run_their_own_function_once),
    cmocka_unit_test(set_realtime_changes_the_calling_thread_alone),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
