/* engine/resample.h: the engine's resampler, which records what the engine
 * plays (the master output, or one slot's or pad's voices) into pool memory
 * the control side reserved, so it can be published as a slot.
 *
 * Owns: the recording's position and end. Not the memory: the control side
 * takes it from the pool, touches every page of it (so the audio thread
 * never first-touches one) and sends it with FLZ_COMMAND_RESAMPLE
 * (engine/message.h); the engine publishes it in the destination slot when
 * the recording ends. Audio thread only, after flz_engine_init; no
 * allocation, no locks, no system calls.
 *
 * Shape: the recording is interleaved float, `channels` (1 or 2) values per
 * frame at the engine's rate: the engine's sample format.
 */
#ifndef FLZ_ENGINE_RESAMPLE_H
#define FLZ_ENGINE_RESAMPLE_H

#include <stdint.h>

/* What a resampling records. */
typedef enum flz_resample_source {
  FLZ_RESAMPLE_MASTER = 0, /* the output, after the master gain and the clamp: the
                              frames the output gets, bit for bit */
  FLZ_RESAMPLE_SLOT,       /* the voices of slot `source` (a folder kit's pad), summed
                              before the master gain, clamped to -1..1 */
  FLZ_RESAMPLE_PAD,        /* the voices of multi-sample pad `source`, the same way */
} flz_resample_source;

/* The memory and the source of a resampling (FLZ_COMMAND_RESAMPLE). */
typedef struct flz_resample_request {
  float *data;       /* pool memory, `capacity` frames x `channels` floats, every page
                        touched; the engine writes it until it publishes it */
  uint32_t capacity; /* frames `data` holds: the longest recording */
  uint32_t channels; /* 1 or 2 */
  uint32_t region;   /* the pool region of `data` (published with it, retired unused) */
  uint32_t source;   /* flz_resample_source */
  uint32_t index;    /* the slot or pad of FLZ_RESAMPLE_SLOT or _PAD */
  float bars;        /* length in bars of 4 beats at the tempo when it starts;
                        0 = until RESAMPLE_STOP or `capacity` */
} flz_resample_request;

typedef struct flz_resample {
  flz_resample_request request;
  uint32_t slot;      /* the destination slot */
  uint32_t length;    /* frames to record */
  uint32_t count;     /* frames recorded */
  uint32_t recording; /* 1 while it records */
  uint32_t cut;       /* 1: `length` is the capacity, short of what was asked */
} flz_resample;

/* Starts recording `request` for slot `slot`, `length` frames (at most the
 * request's capacity; more sets `cut`). */
void flz_resample_begin(flz_resample *resample, const flz_resample_request *request, uint32_t slot,
                        uint32_t length);

/* Appends up to `n` of the interleaved `frames` (`channels` 1 or 2 values a
 * frame: a stereo pair records to mono as (l + r) / 2, mono to stereo on both
 * sides), NaN as 0 and clamped to -1..1, while the recording runs and has
 * room. Returns 1 when the recording has reached its length. */
int flz_resample_take(flz_resample *resample, const float *frames, uint32_t n, uint32_t channels);

#endif
