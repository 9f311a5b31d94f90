/* engine/pool.c: first-fit allocator with coalescing over a fixed region
 * table (engine/pool.h). Control side only. */
#include "engine/pool.h"

#include <string.h>

#include "engine/result.h"

/* Under AddressSanitizer, free regions are poisoned: a voice that read a
 * sample after its region was handed back would be reported at once. */
#if defined(__SANITIZE_ADDRESS__)
#define FLZ_POOL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FLZ_POOL_ASAN 1
#endif
#endif
#if defined(FLZ_POOL_ASAN)
#include <sanitizer/asan_interface.h>
#define FLZ_POOL_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define FLZ_POOL_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define FLZ_POOL_POISON(p, n) ((void)(p), (void)(n))
#define FLZ_POOL_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* The arena. Static so that its size is fixed at build time and never comes
 * from the heap; pages are first touched by the decoder on the control side,
 * never by the audio thread. */
static _Alignas(FLZ_POOL_ALIGN) unsigned char flz_pool_arena[FLZ_POOL_BYTES];

int flz_pool_init_preallocated(flz_pool *pool, void *base, size_t bytes)
{
  if (pool == NULL || base == NULL || bytes < FLZ_POOL_ALIGN ||
      ((uintptr_t)base % FLZ_POOL_ALIGN) != 0)
    return FLZ_ERR_ARGUMENT;
  memset(pool, 0, sizeof *pool);
  pool->base = base;
  pool->capacity = bytes - bytes % FLZ_POOL_ALIGN;
  pool->count = 1;
  pool->next_id = 1;
  pool->regions[0].offset = 0;
  pool->regions[0].size = pool->capacity;
  pool->regions[0].id = 0;
  FLZ_POOL_POISON(pool->base, pool->capacity);
  return FLZ_OK;
}

void flz_pool_init(flz_pool *pool)
{
  (void)flz_pool_init_preallocated(pool, flz_pool_arena, sizeof flz_pool_arena);
}

static uint32_t flz_pool_new_id(flz_pool *pool)
{
  for (;;) {
    uint32_t id = pool->next_id++;
    if (pool->next_id == 0)
      pool->next_id = 1;
    int taken = 0;
    for (uint32_t i = 0; i < pool->count; i++)
      if (pool->regions[i].id == id)
        taken = 1;
    if (id != 0 && !taken)
      return id;
  }
}

int flz_pool_alloc(flz_pool *pool, size_t bytes, uint32_t *id, void **data)
{
  if (bytes == 0 || bytes > pool->capacity)
    return bytes == 0 ? FLZ_ERR_ARGUMENT : FLZ_ERR_POOL_FULL;
  size_t size = (bytes + FLZ_POOL_ALIGN - 1) / FLZ_POOL_ALIGN * FLZ_POOL_ALIGN;
  for (uint32_t i = 0; i < pool->count; i++) {
    flz_pool_region *r = &pool->regions[i];
    if (r->id != 0 || r->size < size)
      continue;
    if (r->size > size) {
      if (pool->count == FLZ_POOL_REGIONS)
        return FLZ_ERR_POOL_FULL;
      memmove(&pool->regions[i + 2], &pool->regions[i + 1],
              (pool->count - i - 1) * sizeof pool->regions[0]);
      pool->count++;
      pool->regions[i + 1].offset = r->offset + size;
      pool->regions[i + 1].size = r->size - size;
      pool->regions[i + 1].id = 0;
      r->size = size;
    }
    r->id = flz_pool_new_id(pool);
    pool->used += r->size;
    FLZ_POOL_UNPOISON(pool->base + r->offset, r->size);
    *id = r->id;
    *data = pool->base + r->offset;
    return FLZ_OK;
  }
  return FLZ_ERR_POOL_FULL;
}

static void flz_pool_remove(flz_pool *pool, uint32_t i)
{
  memmove(&pool->regions[i], &pool->regions[i + 1],
          (pool->count - i - 1) * sizeof pool->regions[0]);
  pool->count--;
}

int flz_pool_free(flz_pool *pool, uint32_t id)
{
  if (id == 0)
    return FLZ_ERR_ARGUMENT;
  for (uint32_t i = 0; i < pool->count; i++) {
    if (pool->regions[i].id != id)
      continue;
    pool->used -= pool->regions[i].size;
    pool->regions[i].id = 0;
    FLZ_POOL_POISON(pool->base + pool->regions[i].offset, pool->regions[i].size);
    if (i + 1 < pool->count && pool->regions[i + 1].id == 0) {
      pool->regions[i].size += pool->regions[i + 1].size;
      flz_pool_remove(pool, i + 1);
    }
    if (i > 0 && pool->regions[i - 1].id == 0) {
      pool->regions[i - 1].size += pool->regions[i].size;
      flz_pool_remove(pool, i);
    }
    return FLZ_OK;
  }
  return FLZ_ERR_ARGUMENT;
}

int flz_pool_shrink(flz_pool *pool, uint32_t id, size_t bytes)
{
  size_t size = (bytes + FLZ_POOL_ALIGN - 1) / FLZ_POOL_ALIGN * FLZ_POOL_ALIGN;
  for (uint32_t i = 0; i < pool->count && id != 0; i++) {
    flz_pool_region *r = &pool->regions[i];
    if (r->id != id)
      continue;
    if (bytes == 0 || size > r->size)
      return FLZ_ERR_ARGUMENT;
    size_t tail = r->size - size;
    if (tail == 0)
      return FLZ_OK;
    if (i + 1 < pool->count && pool->regions[i + 1].id == 0) {
      pool->regions[i + 1].offset -= tail;
      pool->regions[i + 1].size += tail;
    } else {
      if (pool->count == FLZ_POOL_REGIONS)
        return FLZ_OK; /* no entry for the gap: the region keeps its size */
      memmove(&pool->regions[i + 2], &pool->regions[i + 1],
              (pool->count - i - 1) * sizeof pool->regions[0]);
      pool->count++;
      pool->regions[i + 1] = (flz_pool_region){.offset = r->offset + size, .size = tail, .id = 0};
    }
    r->size = size;
    pool->used -= tail;
    FLZ_POOL_POISON(pool->base + r->offset + size, tail);
    return FLZ_OK;
  }
  return FLZ_ERR_ARGUMENT;
}

size_t flz_pool_used(const flz_pool *pool)
{
  return pool->used;
}

size_t flz_pool_largest_free(const flz_pool *pool)
{
  size_t largest = 0;
  for (uint32_t i = 0; i < pool->count; i++)
    if (pool->regions[i].id == 0 && pool->regions[i].size > largest)
      largest = pool->regions[i].size;
  return largest;
}
