/* tests/engine/test_ring.c: the SPSC ring of engine/ring.h.
 * Owns: tests of ring order, fullness, emptiness, index wrap-around and a
 * two-thread stress run. Touches nothing outside engine/ring.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "engine/result.h"
#include "engine/ring.h"

#define SMALL 8u

typedef struct test_message {
  uint64_t sequence;
  uint32_t check; /* derived from sequence, to catch torn copies */
  uint32_t pad;
} test_message;

static test_message storage[SMALL];
static flz_ring ring;

static test_message make_message(uint64_t sequence)
{
  test_message m = {sequence, (uint32_t)(sequence * 2654435761u) ^ 0xa5a5a5a5u, 0};
  return m;
}

static int setup_small_ring(void **state)
{
  (void)state;
  memset(storage, 0, sizeof storage);
  return flz_ring_init(&ring, storage, SMALL, sizeof(test_message)) == FLZ_OK ? 0 : -1;
}

static void pops_in_push_order(void **state)
{
  (void)state;
  for (uint64_t i = 0; i < 5; i++) {
    test_message m = make_message(100 + i);
    assert_int_equal(flz_ring_push(&ring, &m), FLZ_OK);
  }
  assert_int_equal(flz_ring_count(&ring), 5);
  for (uint64_t i = 0; i < 5; i++) {
    test_message m;
    assert_int_equal(flz_ring_pop(&ring, &m), 1);
    assert_int_equal(m.sequence, 100 + i);
    assert_int_equal(m.check, make_message(100 + i).check);
  }
  assert_int_equal(flz_ring_count(&ring), 0);
}

static void a_full_ring_refuses_and_counts_without_changing(void **state)
{
  (void)state;
  for (uint64_t i = 0; i < SMALL; i++) {
    test_message m = make_message(i);
    assert_int_equal(flz_ring_push(&ring, &m), FLZ_OK);
  }
  assert_int_equal(flz_ring_count(&ring), SMALL);
  assert_int_equal(flz_ring_dropped(&ring), 0);
  test_message extra = make_message(999);
  assert_int_equal(flz_ring_push(&ring, &extra), FLZ_ERR_RING_FULL);
  assert_int_equal(flz_ring_dropped(&ring), 1);
  assert_int_equal(flz_ring_count(&ring), SMALL);
  for (uint64_t i = 0; i < SMALL; i++) {
    test_message m;
    assert_int_equal(flz_ring_pop(&ring, &m), 1);
    assert_int_equal(m.sequence, i);
  }
  test_message m;
  assert_int_equal(flz_ring_pop(&ring, &m), 0);
  assert_int_equal(flz_ring_dropped(&ring), 1);
}

static void an_empty_ring_pops_nothing(void **state)
{
  (void)state;
  test_message m = make_message(7);
  test_message before = m;
  assert_int_equal(flz_ring_pop(&ring, &m), 0);
  assert_memory_equal(&m, &before, sizeof m);
  assert_int_equal(flz_ring_count(&ring), 0);
}

/* Pushes and pops `cycles` rounds of a varying batch size and checks order. */
static void run_cycles(uint32_t cycles)
{
  uint64_t next_push = 0, next_pop = 0;
  for (uint32_t c = 0; c < cycles; c++) {
    uint32_t batch = 1 + c % SMALL;
    for (uint32_t i = 0; i < batch; i++) {
      test_message m = make_message(next_push++);
      assert_int_equal(flz_ring_push(&ring, &m), FLZ_OK);
    }
    assert_int_equal(flz_ring_count(&ring), batch);
    for (uint32_t i = 0; i < batch; i++) {
      test_message m;
      assert_int_equal(flz_ring_pop(&ring, &m), 1);
      assert_int_equal(m.sequence, next_pop);
      assert_int_equal(m.check, make_message(next_pop).check);
      next_pop++;
    }
  }
  test_message m;
  assert_int_equal(flz_ring_pop(&ring, &m), 0);
}

static void wraps_around_the_storage_over_many_cycles(void **state)
{
  (void)state;
  run_cycles(10000);
  assert_int_equal(flz_ring_dropped(&ring), 0);
}

/* Reaching the 32-bit index wrap by pushing would take 2^32 pushes, so the
 * test moves both free-running indices of an empty ring to just below
 * UINT32_MAX. An empty ring with head == tail == any value is a state the ring
 * reaches by itself after that many push/pop pairs. */
static void keeps_order_and_fullness_across_the_32_bit_index_wrap(void **state)
{
  (void)state;
  atomic_store(&ring.head, UINT32_MAX - 3);
  atomic_store(&ring.tail, UINT32_MAX - 3);
  assert_int_equal(flz_ring_count(&ring), 0);
  for (uint64_t i = 0; i < SMALL; i++) {
    test_message m = make_message(i);
    assert_int_equal(flz_ring_push(&ring, &m), FLZ_OK);
  }
  assert_true(atomic_load(&ring.head) < atomic_load(&ring.tail)); /* head wrapped */
  assert_int_equal(flz_ring_count(&ring), SMALL);
  test_message extra = make_message(999);
  assert_int_equal(flz_ring_push(&ring, &extra), FLZ_ERR_RING_FULL);
  for (uint64_t i = 0; i < SMALL; i++) {
    test_message m;
    assert_int_equal(flz_ring_pop(&ring, &m), 1);
    assert_int_equal(m.sequence, i);
  }
  assert_int_equal(flz_ring_count(&ring), 0);
  run_cycles(100);
}

static void init_rejects_bad_capacities_and_sizes(void **state)
{
  (void)state;
  flz_ring other;
  assert_int_equal(flz_ring_init(&other, storage, 6, sizeof(test_message)), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_ring_init(&other, storage, 3, sizeof(test_message)), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_ring_init(&other, storage, 0, sizeof(test_message)), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_ring_init(&other, storage, SMALL, 0), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_ring_init(&other, NULL, SMALL, sizeof(test_message)), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_ring_init(&other, storage, 1, sizeof(test_message)), FLZ_OK);
  assert_int_equal(flz_ring_init(&other, storage, SMALL, sizeof(test_message)), FLZ_OK);
}

#define STRESS_MESSAGES 1000000u

static void *stress_producer(void *arg)
{
  (void)arg;
  for (uint64_t i = 0; i < STRESS_MESSAGES; i++) {
    test_message m = make_message(i);
    while (flz_ring_push(&ring, &m) != FLZ_OK)
      sched_yield();
  }
  return NULL;
}

static void two_threads_pass_a_million_messages_in_order_without_loss(void **state)
{
  (void)state;
  pthread_t producer;
  assert_int_equal(pthread_create(&producer, NULL, stress_producer, NULL), 0);
  uint64_t expected = 0;
  uint64_t out_of_order = 0, torn = 0;
  while (expected < STRESS_MESSAGES) {
    test_message m;
    if (!flz_ring_pop(&ring, &m)) {
      sched_yield();
      continue;
    }
    out_of_order += m.sequence != expected;
    torn += m.check != make_message(m.sequence).check;
    expected = m.sequence + 1;
  }
  assert_int_equal(pthread_join(producer, NULL), 0);
  assert_int_equal(out_of_order, 0);
  assert_int_equal(torn, 0);
  assert_int_equal(expected, STRESS_MESSAGES);
  test_message m;
  assert_int_equal(flz_ring_pop(&ring, &m), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(pops_in_push_order, setup_small_ring),
    cmocka_unit_test_setup(a_full_ring_refuses_and_counts_without_changing, setup_small_ring),
    cmocka_unit_test_setup(an_empty_ring_pops_nothing, setup_small_ring),
    cmocka_unit_test_setup(wraps_around_the_storage_over_many_cycles, setup_small_ring),
    cmocka_unit_test_setup(keeps_order_and_fullness_across_the_32_bit_index_wrap, setup_small_ring),
    cmocka_unit_test_setup(init_rejects_bad_capacities_and_sizes, setup_small_ring),
    cmocka_unit_test_setup(two_threads_pass_a_million_messages_in_order_without_loss,
                           setup_small_ring),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
