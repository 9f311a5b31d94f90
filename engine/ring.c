/* engine/ring.c: the SPSC ring of engine/ring.h. The producer publishes a
 * message with a release store of `head`; the consumer sees it with an acquire
 * load, and hands the slot back with a release store of `tail`. */
#include "engine/ring.h"

#include <string.h>

#include "engine/result.h"

int flz_ring_init(flz_ring *ring, void *storage, uint32_t capacity, uint32_t message_size)
{
  if (ring == NULL || storage == NULL || capacity == 0 || message_size == 0 ||
      (capacity & (capacity - 1)) != 0)
    return FLZ_ERR_ARGUMENT;
  atomic_init(&ring->head, 0);
  atomic_init(&ring->tail, 0);
  atomic_init(&ring->dropped, 0);
  ring->storage = storage;
  ring->capacity = capacity;
  ring->message_size = message_size;
  return FLZ_OK;
}

int flz_ring_push(flz_ring *ring, const void *message)
{
  uint32_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);
  uint32_t tail = atomic_load_explicit(&ring->tail, memory_order_acquire);
  if (head - tail >= ring->capacity) {
    atomic_fetch_add_explicit(&ring->dropped, 1, memory_order_relaxed);
    return FLZ_ERR_RING_FULL;
  }
  unsigned char *slot = (unsigned char *)ring->storage +
                        (size_t)(head & (ring->capacity - 1)) * ring->message_size;
  memcpy(slot, message, ring->message_size);
  atomic_store_explicit(&ring->head, head + 1, memory_order_release);
  return FLZ_OK;
}

int flz_ring_pop(flz_ring *ring, void *message)
{
  uint32_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);
  uint32_t head = atomic_load_explicit(&ring->head, memory_order_acquire);
  if (head == tail)
    return 0;
  const unsigned char *slot = (const unsigned char *)ring->storage +
                              (size_t)(tail & (ring->capacity - 1)) * ring->message_size;
  memcpy(message, slot, ring->message_size);
  atomic_store_explicit(&ring->tail, tail + 1, memory_order_release);
  return 1;
}

uint32_t flz_ring_count(const flz_ring *ring)
{
  /* tail first: head only grows, so head - tail never goes below 0 */
  uint32_t tail = atomic_load_explicit(&ring->tail, memory_order_acquire);
  uint32_t head = atomic_load_explicit(&ring->head, memory_order_acquire);
  return head - tail;
}

uint32_t flz_ring_dropped(const flz_ring *ring)
{
  return atomic_load_explicit(&ring->dropped, memory_order_relaxed);
}
