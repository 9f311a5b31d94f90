/* platform/sampler_internal.h: the sampler's state, for platform/sampler.c
 * and white-box tests. app/ must not include it (tests/app/test_layers
 * fails if it does): app/ reads the sampler through platform/sampler.h.
 *
 * Owns: the layout of struct flz_sampler. Control thread, except `engine`
 * (its rings and render belong to their threads, engine/engine.h) and `tap`,
 * which the audio thread reads.
 */
#ifndef FLZ_PLATFORM_SAMPLER_INTERNAL_H
#define FLZ_PLATFORM_SAMPLER_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "engine/pool.h"
#include "platform/audio_output.h"
#include "platform/sampler.h"

struct flz_sampler {
  flz_engine engine;
  flz_pool pool;
  flz_audio_output output;
  uint32_t regions[FLZ_SLOTS];    /* pool region published in each slot, 0 = none */
  size_t region_bytes[FLZ_SLOTS]; /* bytes of that region (a multiple of FLZ_POOL_ALIGN) */
  int running;
  uint32_t interpolation;  /* flz_sampler_config's */
  int fell_back;           /* the device backend found no device and the fallback runs
                              (or, after a failed run, was tried) */
  int output_state;        /* flz_sampler_output_change: PLAYING (0), LOST or FAILED */
  int lost_untold;         /* LOST from the start (wait_for_device): not yet said */
  uint64_t retry_ns;       /* LOST: when to look for the device again */
  flz_audio_render_fn tap; /* config.tap, read by the audio thread */
  /* Written by the audio thread after each period, read by any: the time
   * spent rendering (CLOCK_MONOTONIC ns) and the periods rendered. */
  _Atomic uint64_t render_ns;
  _Atomic uint64_t render_periods;
  void *tap_user;
  uint32_t resample_channels; /* channels of the recordings reserved (platform/resampler.h) */
  uint32_t resampled_slot;    /* the last RESAMPLED recording and its slot */
  flz_sample resampled;
};

#endif
