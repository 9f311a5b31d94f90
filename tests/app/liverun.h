/* tests/app/liverun.h: what the live-app tests share around flz_run in
 * their own process: SDL's disk audio driver as the sound card, the run's
 * files in one folder (the driver's output, a flitz.ini, a FIFO for MIDI
 * bytes), the options for it, and the output read back.
 * Owns: the files it names in the folder. Test helper only; test thread
 * only. */
#ifndef FLZ_TESTS_APP_LIVERUN_H
#define FLZ_TESTS_APP_LIVERUN_H

#include <stddef.h>

#include "app/options.h"

/* flz_liverun_init's flags. */
enum {
  FLZ_LIVERUN_WINDOW = 1u << 0, /* a window (the test's SDL_VIDEODRIVER); else headless */
  FLZ_LIVERUN_FIFO = 1u << 1,   /* a FIFO <dir>/midi for a writer of MIDI bytes */
  FLZ_LIVERUN_MIDI_IN = 1u << 2 /* ... read as --midi-in (implies FLZ_LIVERUN_FIFO) */
};

typedef struct flz_liverun {
  flz_options options; /* for flz_run: flz_options_init's, with --no-fallback,
                          --headless unless FLZ_LIVERUN_WINDOW, --config once
                          flz_liverun_config wrote one, --midi-in with
                          FLZ_LIVERUN_MIDI_IN; the test may change them */
  char raw[192];       /* <dir>/out.raw: what the disk driver played, stereo float32 frames
                          at the configured rate */
  char config[192];    /* <dir>/flitz.ini, where flz_liverun_config writes */
  char fifo[192];      /* <dir>/midi with FLZ_LIVERUN_FIFO or FLZ_LIVERUN_MIDI_IN, else "" */
} flz_liverun;

/* Readies a run whose files lie in the existing folder `dir`: sets
 * SDL_AUDIODRIVER=disk and SDL_DISKAUDIOFILE=<dir>/out.raw in the
 * environment, fills the options, and makes the FIFO that `flags` ask for. */
void flz_liverun_init(flz_liverun *run, const char *dir, unsigned flags);

/* Writes `text` to <dir>/flitz.ini and passes it as --config. */
void flz_liverun_config(flz_liverun *run, const char *text);

/* What the disk driver played (malloc'ed, interleaved stereo); its frame
 * count in `*frames`. */
float *flz_liverun_output(const flz_liverun *run, size_t *frames);

/* Removes the files of the run: the output, the flitz.ini, the FIFO. */
void flz_liverun_deinit(flz_liverun *run);

#endif
