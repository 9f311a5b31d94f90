/* platform/midi_out.h: MIDI output of the clock Flitz leads (`clock =
 * lead`): the engine's clock-out ring (engine/engine.h) to an ALSA
 * sequencer port and a raw MIDI path, on a MIDI output thread of its own.
 *
 * Owns: the sequencer client "Flitz" with its output port "Flitz out", the
 * raw output path (--midi-out) and the thread. Must not know what a pad is;
 * reads the engine only through its clock-out ring.
 *
 * Timing: the audio thread computes each message's time from the frame it
 * belongs to (engine/engine.h: the frame clock, the tempo and the beat, and
 * the callback times' delay-locked loop); this thread only waits for that
 * time (an absolute CLOCK_MONOTONIC sleep, platform/clock.h) and writes. It
 * looks at the ring every FLZ_MIDI_OUT_POLL_MS; messages come a period
 * ahead of their time, so none waits for the look.
 *
 * Raw path: a device such as /dev/snd/midiC1D0, or a FIFO. One that cannot
 * be opened (a FIFO with no reader yet) is tried again every
 * FLZ_MIDI_RETRY_MS (platform/midi.h), and a failed write (the reader went
 * away) closes it to be opened again; what is due meanwhile is dropped.
 * Sequencer: "Flitz out" (readable, subscribable: connect it with aconnect);
 * no sequencer (no snd-seq module) is not an error.
 *
 * On close, a Start that was sent without its Stop is followed by a Stop.
 */
#ifndef FLZ_PLATFORM_MIDI_OUT_H
#define FLZ_PLATFORM_MIDI_OUT_H

#include <stddef.h>

#include "platform/sampler.h"

/* How often the thread looks at the clock-out ring, ms: a period of 256
 * frames lasts 5.3 ms, so 1 ms sees each message before its time. */
#define FLZ_MIDI_OUT_POLL_MS 1

typedef struct flz_midi_out_config {
  int sequencer;        /* 1: an ALSA sequencer output port */
  const char *raw_path; /* raw MIDI output path, NULL = none */
} flz_midi_out_config;

typedef struct flz_midi_out flz_midi_out;

/* Starts the MIDI output thread for `sampler` (running). A sequencer that
 * cannot be opened puts the reason in `detail` ("" when it opened) and is
 * not an error. Returns FLZ_OK and the handle in `*out`, FLZ_ERR_ARGUMENT
 * (no output at all), FLZ_ERR_NO_MEMORY (no thread). Control thread. */
int flz_midi_out_open(flz_midi_out **out, flz_sampler *sampler, const flz_midi_out_config *config,
                      char *detail, size_t detail_size);

/* Stops the thread (sending Stop if a Start has none yet) and closes the
 * outputs. NULL-safe. Control thread, before the sampler shuts down. */
void flz_midi_out_close(flz_midi_out *out);

#endif
