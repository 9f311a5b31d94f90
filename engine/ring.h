/* engine/ring.h: a lock-free single-producer single-consumer ring of
 * fixed-size messages.
 *
 * Owns: the ring's indices; the message storage is the caller's (miniaudio's
 * ma_rb and libpd's z_ringbuffer are the models). Exactly one thread may push
 * and exactly one other thread may pop; each function names which. A full ring
 * never blocks: push returns FLZ_ERR_RING_FULL and counts the loss. Indices
 * are free-running 32-bit counters, so capacity must be a power of two.
 * All functions are wait-free and safe in the audio callback.
 */
#ifndef FLZ_ENGINE_RING_H
#define FLZ_ENGINE_RING_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct flz_ring {
  _Alignas(64) _Atomic uint32_t head;    /* next slot to write; written by the producer */
  _Alignas(64) _Atomic uint32_t tail;    /* next slot to read; written by the consumer */
  _Alignas(64) _Atomic uint32_t dropped; /* pushes refused because the ring was full */
  void *storage;
  uint32_t capacity;     /* messages, a power of two */
  uint32_t message_size; /* bytes per message */
} flz_ring;

/* Sets up `ring` over `storage`, which holds `capacity` messages of
 * `message_size` bytes each and outlives the ring. Returns FLZ_ERR_ARGUMENT if
 * capacity is not a power of two or a size is 0. Call before either thread
 * uses the ring. */
int flz_ring_init(flz_ring *ring, void *storage, uint32_t capacity, uint32_t message_size);

/* Producer thread only. Copies `message_size` bytes from `message` into the
 * ring. Returns FLZ_OK, or FLZ_ERR_RING_FULL (and counts it) when full. */
int flz_ring_push(flz_ring *ring, const void *message);

/* Consumer thread only. Copies the oldest message into `message` and returns
 * 1, or returns 0 when the ring is empty. */
int flz_ring_pop(flz_ring *ring, void *message);

/* Either thread. Messages waiting now (a snapshot). */
uint32_t flz_ring_count(const flz_ring *ring);

/* Either thread. Pushes refused so far because the ring was full. */
uint32_t flz_ring_dropped(const flz_ring *ring);

#endif
