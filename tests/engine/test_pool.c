/* tests/engine/test_pool.c: the sample pool allocator of engine/pool.h.
 * Owns: tests of alloc/free, alignment, first fit, coalescing and errors, over
 * a small static arena (flz_pool_init_preallocated). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "engine/pool.h"
#include "engine/result.h"

#define ARENA_BLOCKS 64u
#define ARENA_BYTES (ARENA_BLOCKS * FLZ_POOL_ALIGN)

static _Alignas(FLZ_POOL_ALIGN) unsigned char arena[ARENA_BYTES];
static flz_pool pool;

static int setup_pool(void **state)
{
  (void)state;
  return flz_pool_init_preallocated(&pool, arena, sizeof arena) == FLZ_OK ? 0 : -1;
}

static size_t offset_of(const void *data)
{
  return (size_t)((const unsigned char *)data - arena);
}

static void a_fresh_pool_is_one_free_block(void **state)
{
  (void)state;
  assert_int_equal(flz_pool_used(&pool), 0);
  assert_int_equal(flz_pool_largest_free(&pool), ARENA_BYTES);
}

static void alloc_rounds_up_to_the_alignment_and_free_gives_it_back(void **state)
{
  (void)state;
  uint32_t a, b;
  void *pa, *pb;
  assert_int_equal(flz_pool_alloc(&pool, 1, &a, &pa), FLZ_OK);
  assert_int_equal(flz_pool_alloc(&pool, FLZ_POOL_ALIGN + 1, &b, &pb), FLZ_OK);
  assert_int_not_equal(a, 0);
  assert_int_not_equal(b, 0);
  assert_int_not_equal(a, b);
  assert_int_equal((uintptr_t)pa % FLZ_POOL_ALIGN, 0);
  assert_int_equal((uintptr_t)pb % FLZ_POOL_ALIGN, 0);
  assert_int_equal(offset_of(pa), 0);
  assert_int_equal(offset_of(pb), FLZ_POOL_ALIGN);
  assert_int_equal(flz_pool_used(&pool), 3 * FLZ_POOL_ALIGN);
  assert_int_equal(flz_pool_largest_free(&pool), ARENA_BYTES - 3 * FLZ_POOL_ALIGN);
  memset(pb, 0x5a, FLZ_POOL_ALIGN + 1); /* the memory is really usable */
  assert_int_equal(flz_pool_free(&pool, a), FLZ_OK);
  assert_int_equal(flz_pool_used(&pool), 2 * FLZ_POOL_ALIGN);
  assert_int_equal(flz_pool_free(&pool, b), FLZ_OK);
  assert_int_equal(flz_pool_used(&pool), 0);
  assert_int_equal(flz_pool_largest_free(&pool), ARENA_BYTES);
}

static void a_freed_hole_is_reused_first_by_a_smaller_alloc(void **state)
{
  (void)state;
  uint32_t a, b, c, d;
  void *pa, *pb, *pc, *pd;
  assert_int_equal(flz_pool_alloc(&pool, 4 * FLZ_POOL_ALIGN, &a, &pa), FLZ_OK);
  assert_int_equal(flz_pool_alloc(&pool, 4 * FLZ_POOL_ALIGN, &b, &pb), FLZ_OK);
  assert_int_equal(flz_pool_alloc(&pool, 4 * FLZ_POOL_ALIGN, &c, &pc), FLZ_OK);
  assert_int_equal(flz_pool_free(&pool, a), FLZ_OK);
  assert_int_equal(flz_pool_alloc(&pool, 2 * FLZ_POOL_ALIGN, &d, &pd), FLZ_OK);
  assert_ptr_equal(pd, pa);
  uint32_t e;
  void *pe;
  /* the rest of the hole (2 blocks) is next in address order */
  assert_int_equal(flz_pool_alloc(&pool, 2 * FLZ_POOL_ALIGN, &e, &pe), FLZ_OK);
  assert_int_equal(offset_of(pe), 2 * FLZ_POOL_ALIGN);
  assert_int_equal(flz_pool_used(&pool), 12 * FLZ_POOL_ALIGN);
  (void)pb;
  (void)pc;
}

static void a_freed_region_merges_with_both_free_neighbours(void **state)
{
  (void)state;
  uint32_t id[5];
  void *p[5];
  for (int i = 0; i < 5; i++)
    assert_int_equal(flz_pool_alloc(&pool, 8 * FLZ_POOL_ALIGN, &id[i], &p[i]), FLZ_OK);
  /* 40 blocks used, 24 free at the end */
  assert_int_equal(flz_pool_free(&pool, id[1]), FLZ_OK);
  assert_int_equal(flz_pool_free(&pool, id[3]), FLZ_OK);
  assert_int_equal(flz_pool_largest_free(&pool), 24 * FLZ_POOL_ALIGN);
  assert_int_equal(flz_pool_free(&pool, id[2]), FLZ_OK);
  /* 1, 2 and 3 are now one free block of 24 blocks at offset 8 */
  assert_int_equal(flz_pool_largest_free(&pool), 24 * FLZ_POOL_ALIGN);
  uint32_t big;
  void *pbig;
  assert_int_equal(flz_pool_alloc(&pool, 24 * FLZ_POOL_ALIGN, &big, &pbig), FLZ_OK);
  assert_ptr_equal(pbig, p[1]);
  assert_int_equal(flz_pool_free(&pool, big), FLZ_OK);
  /* freeing 4 merges with the 24-block hole before it and the tail after it */
  assert_int_equal(flz_pool_free(&pool, id[4]), FLZ_OK);
  assert_int_equal(flz_pool_largest_free(&pool), (ARENA_BLOCKS - 8) * FLZ_POOL_ALIGN);
  assert_int_equal(pool.count, 2);
}

static void freeing_everything_in_random_order_leaves_one_free_block(void **state)
{
  (void)state;
  uint32_t ids[16];
  void *p;
  uint32_t rng = 12345;
  for (int round = 0; round < 50; round++) {
    size_t expected_used = 0;
    uint32_t n = 0;
    for (; n < 16; n++) {
      rng = rng * 1103515245u + 12345u;
      size_t bytes = 1 + (rng >> 16) % (3 * FLZ_POOL_ALIGN);
      assert_int_equal(flz_pool_alloc(&pool, bytes, &ids[n], &p), FLZ_OK);
      expected_used += (bytes + FLZ_POOL_ALIGN - 1) / FLZ_POOL_ALIGN * FLZ_POOL_ALIGN;
    }
    assert_int_equal(flz_pool_used(&pool), expected_used);
    for (uint32_t i = n - 1; i > 0; i--) { /* Fisher-Yates shuffle */
      rng = rng * 1103515245u + 12345u;
      uint32_t j = (rng >> 16) % (i + 1);
      uint32_t t = ids[i];
      ids[i] = ids[j];
      ids[j] = t;
    }
    for (uint32_t i = 0; i < n; i++)
      assert_int_equal(flz_pool_free(&pool, ids[i]), FLZ_OK);
    assert_int_equal(flz_pool_used(&pool), 0);
    assert_int_equal(flz_pool_largest_free(&pool), ARENA_BYTES);
    assert_int_equal(pool.count, 1);
  }
}

static void a_too_big_alloc_fails_and_changes_nothing(void **state)
{
  (void)state;
  uint32_t a;
  void *pa;
  assert_int_equal(flz_pool_alloc(&pool, 10 * FLZ_POOL_ALIGN, &a, &pa), FLZ_OK);
  flz_pool before = pool;
  uint32_t id = 0xdeadbeef;
  void *data = &id;
  assert_int_equal(flz_pool_alloc(&pool, ARENA_BYTES - 10 * FLZ_POOL_ALIGN + 1, &id, &data),
                   FLZ_ERR_POOL_FULL);
  assert_int_equal(flz_pool_alloc(&pool, ARENA_BYTES + 1, &id, &data), FLZ_ERR_POOL_FULL);
  assert_int_equal(flz_pool_alloc(&pool, SIZE_MAX, &id, &data), FLZ_ERR_POOL_FULL);
  assert_int_equal(id, 0xdeadbeef);
  assert_ptr_equal(data, &id);
  assert_memory_equal(&pool, &before, sizeof pool);
  assert_int_equal(flz_pool_alloc(&pool, ARENA_BYTES - 10 * FLZ_POOL_ALIGN, &id, &data), FLZ_OK);
  assert_int_equal(flz_pool_largest_free(&pool), 0);
}

static void zero_bytes_and_unknown_ids_are_errors(void **state)
{
  (void)state;
  uint32_t a;
  void *pa;
  assert_int_equal(flz_pool_alloc(&pool, 0, &a, &pa), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_pool_alloc(&pool, 100, &a, &pa), FLZ_OK);
  assert_int_equal(flz_pool_free(&pool, 0), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_pool_free(&pool, a + 1), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_pool_free(&pool, a), FLZ_OK);
  assert_int_equal(flz_pool_free(&pool, a), FLZ_ERR_ARGUMENT); /* double free */
  assert_int_equal(flz_pool_used(&pool), 0);
}

static void init_rejects_unaligned_or_tiny_memory(void **state)
{
  (void)state;
  flz_pool other;
  assert_int_equal(flz_pool_init_preallocated(&other, arena + 1, 1024), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_pool_init_preallocated(&other, arena, FLZ_POOL_ALIGN - 1), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_pool_init_preallocated(&other, NULL, 1024), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_pool_init_preallocated(&other, arena, 3 * FLZ_POOL_ALIGN + 5), FLZ_OK);
  assert_int_equal(flz_pool_largest_free(&other), 3 * FLZ_POOL_ALIGN);
}

static void shrink_gives_the_tail_back_and_merges_it(void **state)
{
  (void)state;
  uint32_t a, b, c;
  void *pa, *pb, *pc;
  assert_int_equal(flz_pool_alloc(&pool, 10 * FLZ_POOL_ALIGN, &a, &pa), FLZ_OK);
  assert_int_equal(flz_pool_alloc(&pool, 4 * FLZ_POOL_ALIGN, &b, &pb), FLZ_OK);
  /* Before an allocated neighbour: the tail becomes a free block of its own,
   * which the next fitting alloc takes. */
  assert_int_equal(flz_pool_shrink(&pool, a, 3 * FLZ_POOL_ALIGN + 1), FLZ_OK);
  assert_int_equal(flz_pool_used(&pool), 8 * FLZ_POOL_ALIGN);
  assert_int_equal(flz_pool_alloc(&pool, 6 * FLZ_POOL_ALIGN, &c, &pc), FLZ_OK);
  assert_int_equal(offset_of(pc), 4 * FLZ_POOL_ALIGN);
  /* Before the free rest of the arena: the tail joins it. */
  assert_int_equal(flz_pool_shrink(&pool, b, FLZ_POOL_ALIGN), FLZ_OK);
  assert_int_equal(flz_pool_largest_free(&pool), ARENA_BYTES - 11 * FLZ_POOL_ALIGN);
  assert_int_equal(offset_of(pb), 10 * FLZ_POOL_ALIGN);
  /* Errors change nothing. */
  assert_int_equal(flz_pool_shrink(&pool, b, 2 * FLZ_POOL_ALIGN), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_pool_shrink(&pool, b, 0), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_pool_shrink(&pool, 999, FLZ_POOL_ALIGN), FLZ_ERR_ARGUMENT);
  assert_int_equal(flz_pool_used(&pool), 11 * FLZ_POOL_ALIGN);
  assert_int_equal(flz_pool_free(&pool, a), FLZ_OK);
  assert_int_equal(flz_pool_free(&pool, b), FLZ_OK);
  assert_int_equal(flz_pool_free(&pool, c), FLZ_OK);
  assert_int_equal(flz_pool_largest_free(&pool), ARENA_BYTES);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(a_fresh_pool_is_one_free_block, setup_pool),
    cmocka_unit_test_setup(alloc_rounds_up_to_the_alignment_and_free_gives_it_back, setup_pool),
    cmocka_unit_test_setup(a_freed_hole_is_reused_first_by_a_smaller_alloc, setup_pool),
    cmocka_unit_test_setup(a_freed_region_merges_with_both_free_neighbours, setup_pool),
    cmocka_unit_test_setup(freeing_everything_in_random_order_leaves_one_free_block, setup_pool),
    cmocka_unit_test_setup(a_too_big_alloc_fails_and_changes_nothing, setup_pool),
    cmocka_unit_test_setup(zero_bytes_and_unknown_ids_are_errors, setup_pool),
    cmocka_unit_test_setup(init_rejects_unaligned_or_tiny_memory, setup_pool),
    cmocka_unit_test_setup(shrink_gives_the_tail_back_and_merges_it, setup_pool),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
