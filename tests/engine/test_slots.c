/* tests/engine/test_slots.c: slots replaced and unloaded while they play.
 * The control side (this thread) replaces or unloads a slot 10,000 times
 * while an audio thread renders and 64 voices play the slots; it frees a
 * region only when the engine reports it retired. Under AddressSanitizer
 * (the asan preset) the pool poisons free regions, so a voice reading a
 * sample after its region was handed back is reported as an invalid access.
 * Afterwards the pool must be whole again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "engine/engine.h"
#include "engine/pool.h"
#include "engine/result.h"

#define SLOTS 16u
#define FRAMES 4800u /* 0.1 s loops */
#define CHANGES 10000u
#define ARENA (8u * 1024u * 1024u)

static flz_engine engine;
static flz_pool pool;
static _Alignas(FLZ_POOL_ALIGN) unsigned char arena[ARENA];
static uint32_t published[SLOTS]; /* region in each slot, 0 = none */
static atomic_int rendering;
static uint32_t most_voices;

static void *audio(void *arg)
{
  (void)arg;
  static float out[64 * 2];
  while (atomic_load(&rendering))
    flz_engine_render(&engine, out, 64, 2, 0);
  return NULL;
}

/* Takes the events; frees retired regions; tracks the voices playing. */
static void drain(void)
{
  flz_event event;
  while (flz_engine_receive(&engine, &event))
    if (event.type == FLZ_EVENT_SLOT_RETIRED)
      assert_int_equal(flz_pool_free(&pool, event.region), FLZ_OK);
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  if (counters.voices_active > most_voices)
    most_voices = counters.voices_active;
}

static void send(const flz_command *command)
{
  while (flz_engine_send(&engine, FLZ_PRODUCER_CONTROL, command) == FLZ_ERR_RING_FULL) {
    drain();
    sched_yield();
  }
}

static void replace(uint32_t slot, float value)
{
  uint32_t region = 0;
  void *memory = NULL;
  while (flz_pool_alloc(&pool, FRAMES * sizeof(float), &region, &memory) != FLZ_OK) {
    drain(); /* the pool is full of samples still fading out */
    sched_yield();
  }
  float *data = memory;
  for (uint32_t i = 0; i < FRAMES; i++)
    data[i] = value;
  flz_command load = {.type = FLZ_COMMAND_LOAD_SAMPLE, .slot = slot};
  load.sample = (flz_sample){.data = data, .frame_count = FRAMES, .channels = 1, .region = region};
  send(&load);
  published[slot] = region;
}

static void unload(uint32_t slot)
{
  flz_command command = {.type = FLZ_COMMAND_UNLOAD_SAMPLE, .slot = slot};
  send(&command);
  published[slot] = 0;
}

static void slots_replaced_and_unloaded_while_playing_are_never_read_after_retirement(void **state)
{
  (void)state;
  assert_int_equal(flz_engine_init(&engine, NULL), FLZ_OK);
  assert_int_equal(flz_pool_init_preallocated(&pool, arena, sizeof arena), FLZ_OK);
  /* Loop-gate pads, never released: a voice sounds until its slot is
   * replaced or unloaded (or it is stolen), so all 64 stay busy however
   * fast the audio thread runs. */
  for (uint32_t s = 0; s < SLOTS; s++) {
    flz_command set = {.type = FLZ_COMMAND_SET_SLOT, .slot = s};
    set.params = (flz_slot_params){.mode = FLZ_MODE_LOOP_GATE};
    send(&set);
    replace(s, 0.001f * (float)(s + 1));
  }
  atomic_store(&rendering, 1);
  pthread_t thread;
  assert_int_equal(pthread_create(&thread, NULL, audio, NULL), 0);

  uint32_t seed = 12345u;
  for (uint32_t i = 0; i < CHANGES; i++) {
    seed = seed * 1664525u + 1013904223u;
    uint32_t slot = (seed >> 8) % SLOTS;
    if ((seed >> 20) % 4 == 0)
      unload(slot);
    else
      replace(slot, 0.001f * (float)(i % 500));
    /* Keep every voice busy: eight triggers per change. */
    for (uint32_t t = 0; t < 8; t++) {
      flz_command play = {
        .type = FLZ_COMMAND_PLAY_SAMPLE, .slot = (slot + t) % SLOTS, .value = 0.5f};
      send(&play);
    }
    drain();
  }
  assert_true(most_voices >= FLZ_VOICES);

  for (uint32_t s = 0; s < SLOTS; s++)
    unload(s);
  for (uint32_t spins = 0; flz_pool_used(&pool) > 0 && spins < 100000000u; spins++) {
    drain();
    sched_yield();
  }
  atomic_store(&rendering, 0);
  assert_int_equal(pthread_join(thread, NULL), 0);
  drain();
  assert_int_equal(flz_pool_used(&pool), 0);
  assert_int_equal(flz_pool_largest_free(&pool), pool.capacity);
  assert_int_equal(pool.count, 1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(slots_replaced_and_unloaded_while_playing_are_never_read_after_retirement),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
