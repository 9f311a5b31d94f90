/* app/run.h: `flitz [OPTIONS] [KIT]`, the live sampler: loads a kit, opens
 * the audio output, and turns keys, game controller buttons and window clicks
 * into pad triggers until it is told to quit (Esc, window close, SIGINT,
 * SIGTERM).
 *
 * Owns: the default input layouts and the main loop. Control (main) thread.
 *
 * Keyboard (physical positions, USB HID usages): rows 1 2 3 4 / Q W E R /
 * A S D F / Z X C V are pads 1-16 at velocity 1.0; Space stops everything;
 * Esc quits. Game controller (standard layout): A B X Y = pads 1-4, left and
 * right shoulder = 5-6, left and right trigger = 7-8, d-pad up, down, left,
 * right = 9-12, Back stops everything. Buttons play at velocity 1.0; a trigger
 * plays when pulled past half way and re-arms when released below a quarter.
 */
#ifndef FLZ_APP_RUN_H
#define FLZ_APP_RUN_H

#include <stdint.h>

#include "app/options.h"
#include "platform/sampler.h"

/* Number of pads the default layouts reach. */
#define FLZ_RUN_PADS 16

/* What the loop shows a hook each time round. */
typedef struct flz_run_state {
  flz_sampler *sampler;
  uint32_t pads_loaded;
  uint64_t loops;         /* times round the loop so far */
  int quit;               /* set by a hook to end the loop */
  uint32_t voices[FLZ_SLOTS]; /* voices sounding per slot, from engine events */
} flz_run_state;

/* For embedding and tests: called on the main thread once per loop (about
 * every 10 ms) after input and engine events are handled. */
typedef struct flz_run_hooks {
  void (*tick)(void *user, flz_run_state *state);
  void *user;
} flz_run_hooks;

/* Runs the sampler on `kit` (NULL: the default kit) with `options` until
 * quit. Prints what the audio output got and a ready line on stdout, errors
 * one line each on stderr. Returns the process exit code: 0 after a clean
 * quit, 1 if the sampler cannot start (no audio device with --no-fallback,
 * missing or empty kit, no pad loadable). */
int flz_run(const flz_options *options, const char *kit, const flz_run_hooks *hooks);

/* `flitz [OPTIONS] [KIT]` from the command line (argv[0] is the program). */
int flz_run_main(int argc, char **argv);

#endif
