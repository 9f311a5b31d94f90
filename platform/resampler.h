/* platform/resampler.h: resampling through the sampler: reserves pool
 * memory for a recording of what the engine plays, arms the engine's
 * recorder (engine/resample.h), and takes the recording back when the
 * engine has published it.
 *
 * Owns: the size of a recording's reservation and the bookkeeping of the
 * published recording (its slot's pool region, shrunk to what was
 * recorded). Control thread only (the thread that runs the sampler); blocks
 * while it touches the reserved pages, never the audio thread.
 */
#ifndef FLZ_PLATFORM_RESAMPLER_H
#define FLZ_PLATFORM_RESAMPLER_H

#include <stddef.h>
#include <stdint.h>

#include "engine/message.h"
#include "platform/sampler.h"

/* Starts recording `source` (flz_resample_source: the master output, slot
 * or pad `index`) into slot `slot` for `bars` bars of 4 beats at the
 * engine's tempo when it starts (0: until flz_resampler_stop, at most
 * FLZ_RESAMPLE_SECONDS). `tempo` (BPM) is the tempo the caller expects, to
 * size the reservation: `bars` at `tempo` x 5/4 (room for a clock that
 * slows), plus a second. The pool memory is taken and every page of it
 * touched here, before the engine is told; the recording is in the output's
 * channel count, at `time_ns` as a timed trigger (0: the next period).
 * Errors: FLZ_ERR_SLOT (slot or index out of range), FLZ_ERR_ARGUMENT (bars
 * below 0 or above FLZ_RESAMPLE_BARS_MAX, a tempo below FLZ_TEMPO_MIN, an
 * unknown source),
 * FLZ_ERR_POOL_FULL (no free block large enough; nothing changes; `detail`
 * says how much it needs and has), FLZ_ERR_RING_FULL, FLZ_ERR_NOT_RUNNING. */
int flz_resampler_start(flz_sampler *sampler, uint32_t slot, uint32_t source, uint32_t index,
                        float bars, double tempo, uint64_t time_ns, char *detail,
                        size_t detail_size);

/* Ends the recording at `time_ns` (0: the next period); nothing when none
 * runs. FLZ_ERR_RING_FULL, FLZ_ERR_NOT_RUNNING. */
int flz_resampler_stop(flz_sampler *sampler, uint64_t time_ns);

/* flz_sampler_receive_msg calls it for each RESAMPLED event: the recording's
 * region becomes its slot's, shrunk to the frames recorded, and the last
 * recording (flz_resampler_last). */
void flz_resampler_event(flz_sampler *sampler, const flz_event *event);

/* The recording the last RESAMPLED event published: its frames (in the
 * pool; valid until the slot is replaced or unloaded and retired) and slot.
 * Returns 0 if there was none or it recorded nothing. */
int flz_resampler_last(const flz_sampler *sampler, flz_sample *sample, uint32_t *slot);

#endif
