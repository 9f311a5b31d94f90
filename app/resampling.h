/* app/resampling.h: keeping a resampled recording (platform/resampler.h) as
 * a WAV file.
 *
 * Owns: where a recording is saved and its file name. A recording goes into
 * the kit's folder as resample-NNN.wav (the first free number from 001; on
 * the kit's next load it is one of its pads, in file name order); when the
 * kit's folder cannot be written (a read-only USB stick, the appliance's
 * root), into the state folder: $XDG_STATE_HOME/flitz, else
 * $HOME/.local/state/flitz (made if missing). The file is 32-bit float, the
 * engine's format, at the engine's rate, written atomically
 * (flz_wav_file_save). Control thread only; blocks on I/O.
 */
#ifndef FLZ_APP_RESAMPLING_H
#define FLZ_APP_RESAMPLING_H

#include <stdint.h>
#include <stdio.h>

#include "platform/sampler.h"

/* Saves the recording the last RESAMPLED event published (flz_resampler_last)
 * of pad `pad` (1-based, for the line), for a kit at `kit_path` (a folder, or
 * a kit file whose folder is used); `cut`: the event said its memory ran out
 * before its bars. Prints one line to `out`: where it went ("resampled into
 * pad 3: 2.000 s saved as KIT/resample-001.wav", then why when that is the
 * state folder, and ", cut short: its reserved memory was full" when cut),
 * or the error line to `err`. Returns FLZ_OK, FLZ_ERR_EMPTY_SLOT (there is
 * no recording), FLZ_ERR_WRITE. */
int flz_resampling_save(flz_sampler *sampler, const char *kit_path, uint32_t pad, int cut,
                        FILE *out, FILE *err);

#endif
