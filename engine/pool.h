/* engine/pool.h: the sample pool, a static arena of decoded audio, and its
 * allocator.
 *
 * Owns: which byte ranges of the arena are in use. The allocator is first-fit
 * over regions kept in address order, and a freed region merges with free
 * neighbours, so the pool returns to one free block when everything is freed.
 * Control side only: the audio thread never allocates or frees; it only reads
 * the frames of published samples and reports, by event, when a region is
 * retired. Not thread-safe: one thread (the control thread) owns a pool.
 */
#ifndef FLZ_ENGINE_POOL_H
#define FLZ_ENGINE_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "engine/limits.h"

typedef struct flz_pool_region {
  size_t offset; /* bytes from the arena's start */
  size_t size;   /* bytes, a multiple of FLZ_POOL_ALIGN */
  uint32_t id;   /* nonzero handle while in use; 0 when free */
} flz_pool_region;

/* Alignment of every allocation in bytes: one cache line, which also suits
 * SIMD loads of float frames. */
#define FLZ_POOL_ALIGN 64u

typedef struct flz_pool {
  unsigned char *base;
  size_t capacity;                           /* bytes */
  size_t used;                               /* bytes in allocated regions */
  uint32_t count;                            /* entries of `regions` in use (free and allocated) */
  uint32_t next_id;                          /* next handle to give out; never 0 */
  flz_pool_region regions[FLZ_POOL_REGIONS]; /* in address order, covering the arena */
} flz_pool;

/* Sets up `pool` over the static arena of FLZ_POOL_BYTES bytes. One process
 * has one static arena: call this for one pool only. */
void flz_pool_init(flz_pool *pool);

/* Sets up `pool` over caller memory `base` of `bytes` bytes (aligned to
 * FLZ_POOL_ALIGN), for tests and embedders with their own arena. */
int flz_pool_init_preallocated(flz_pool *pool, void *base, size_t bytes);

/* Takes `bytes` bytes (rounded up to FLZ_POOL_ALIGN) from the first free
 * region large enough. On success stores the region handle in `*id` and the
 * memory in `*data` and returns FLZ_OK. Returns FLZ_ERR_POOL_FULL when no free
 * region is large enough (nothing changes), FLZ_ERR_ARGUMENT for 0 bytes. */
int flz_pool_alloc(flz_pool *pool, size_t bytes, uint32_t *id, void **data);

/* Hands the bytes of region `id` past its first `bytes` (rounded up to
 * FLZ_POOL_ALIGN) back to the pool, merged with a free neighbour: a
 * recording reserved longer than it came out (platform/resample.h). The
 * region keeps its start and handle. Returns FLZ_ERR_ARGUMENT if `id` is not
 * an allocated region, `bytes` is 0 or more than its size. */
int flz_pool_shrink(flz_pool *pool, uint32_t id, size_t bytes);

/* Returns region `id` to the pool and merges it with free neighbours.
 * Returns FLZ_ERR_ARGUMENT if `id` is not an allocated region. */
int flz_pool_free(flz_pool *pool, uint32_t id);

/* Bytes in allocated regions. */
size_t flz_pool_used(const flz_pool *pool);

/* Bytes of the largest free region: the largest sample that fits now. */
size_t flz_pool_largest_free(const flz_pool *pool);

#endif
