/* tests/engine/test_producers.c: every producer, one audio thread. One
 * thread per producer (FLZ_PRODUCERS) pushes, 10^6 commands in all, each
 * through its own SPSC ring, while another thread renders periods and this
 * one takes the events; every command arrives, in order within its producer.
 * Built in every preset; the tsan preset runs it under ThreadSanitizer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "engine/engine.h"
#include "engine/result.h"

#define TOTAL 1000000u

/* Commands producer `p` sends: TOTAL shared out evenly, the first
 * TOTAL % FLZ_PRODUCERS producers one more. */
#define SHARE(p) ((TOTAL - (p) + FLZ_PRODUCERS - 1u) / FLZ_PRODUCERS)

static flz_engine engine;
static atomic_int rendering;
static atomic_uint refusals; /* full-ring pushes the producers retried */

static void *produce(void *arg)
{
  uint32_t producer = (uint32_t)(uintptr_t)arg;
  uint32_t count = SHARE(producer);
  /* PING carries the producer in `slot` and its sequence number in `value`
   * (exact in a float up to 2^24, far above 500,000). */
  for (uint32_t i = 0; i < count; i++) {
    flz_command ping = {.type = FLZ_COMMAND_PING, .slot = producer, .value = (float)i};
    while (flz_engine_send(&engine, producer, &ping) == FLZ_ERR_RING_FULL) {
      atomic_fetch_add(&refusals, 1);
      sched_yield();
    }
  }
  return NULL;
}

/* The audio thread. It renders only while the event ring has room for one
 * period's events (FLZ_PRODUCERS x FLZ_COMMANDS_PER_PERIOD answers and a
 * METER), so no event is lost to a slow reader: the pacing a real device
 * gives, without its clock. */
static void *render(void *arg)
{
  (void)arg;
  static float out[64 * 2];
  while (atomic_load(&rendering)) {
    if (flz_ring_count(&engine.events) >
        FLZ_RING_CAPACITY - FLZ_PRODUCERS * FLZ_COMMANDS_PER_PERIOD - 1) {
      sched_yield();
      continue;
    }
    flz_engine_render(&engine, out, 64, 2, 0);
  }
  return NULL;
}

static void every_command_of_every_producer_arrives_in_order(void **state)
{
  (void)state;
  assert_int_equal(flz_engine_init(&engine, NULL), FLZ_OK);
  atomic_store(&rendering, 1);
  pthread_t audio, producers[FLZ_PRODUCERS];
  assert_int_equal(pthread_create(&audio, NULL, render, NULL), 0);
  for (uint32_t p = 0; p < FLZ_PRODUCERS; p++)
    assert_int_equal(pthread_create(&producers[p], NULL, produce, (void *)(uintptr_t)p), 0);

  uint32_t next[FLZ_PRODUCERS] = {0};
  uint32_t received = 0;
  while (received < TOTAL) {
    flz_event event;
    if (!flz_engine_receive(&engine, &event)) {
      sched_yield();
      continue;
    }
    if (event.type != FLZ_EVENT_PONG)
      continue;
    assert_true(event.slot < FLZ_PRODUCERS);
    assert_true(event.value == (float)next[event.slot]); /* none lost, none reordered */
    next[event.slot]++;
    received++;
  }
  for (uint32_t p = 0; p < FLZ_PRODUCERS; p++)
    assert_int_equal(pthread_join(producers[p], NULL), 0);
  atomic_store(&rendering, 0);
  assert_int_equal(pthread_join(audio, NULL), 0);
  for (uint32_t p = 0; p < FLZ_PRODUCERS; p++)
    assert_int_equal(next[p], SHARE(p));
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  assert_int_equal(counters.events_dropped, 0);
  assert_int_equal(counters.commands_dropped, atomic_load(&refusals));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_command_of_every_producer_arrives_in_order),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
