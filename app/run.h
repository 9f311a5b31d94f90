/* app/run.h: `flitz [OPTIONS] [KIT]`, the live sampler: loads a kit, opens
 * the audio output, and turns keys, game controller buttons and triggers,
 * MIDI notes and controllers, and window clicks into pad triggers
 * (app/triggers.h, by the rules of the configuration, app/config.h) until it
 * is told to quit (Esc, window close, SIGINT, SIGTERM).
 *
 * Owns: the main loop, the kit being played and the window. Control (main)
 * thread. The window shows the pads of the current bank (app/view.h).
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
  uint64_t loops;              /* times round the loop so far */
  int quit;                    /* set by a hook to end the loop */
  uint32_t voices[FLZ_SLOTS];  /* voices sounding per slot, from engine events */
  float velocity[FLZ_SLOTS];   /* velocity of each slot's last voice started */
  uint32_t started[FLZ_SLOTS]; /* voices started per slot so far */
  uint32_t bank;               /* the current bank, 1-based */
  const char *screenshot;      /* set by a hook: the window's next frame, drawn right
                                  after the hook returns (what it saw), goes to this
                                  PNG file (then NULL again, with the result in
                                  screenshot_result: FLZ_OK or flz_window_screenshot's);
                                  stays set without a window */
  int screenshot_result;
  uint32_t kits_ready;             /* kit loads finished (each printed its ready line) */
  uint64_t start_frame[FLZ_SLOTS]; /* engine frame each slot's last voice started at */
  uint64_t frame;                  /* the latest engine frame an event reported */
} flz_run_state;

/* For embedding and tests: called on the main thread once per loop (about
 * every 10 ms) after input and engine events are handled. */
typedef struct flz_run_hooks {
  void (*tick)(void *user, flz_run_state *state);
  void *user;
  /* Called on the audio thread after each period is rendered (the sampler's
   * tap, platform/sampler.h); NULL = none. */
  flz_audio_render_fn tap;
  void *tap_user;
} flz_run_hooks;

/* Runs the sampler on `kit` (a folder or a kit file of app/kitformat.h's
 * table; NULL: the default kit) with `options` until
 * quit, configured by the file options->config_path (NULL: the built-in
 * configuration; flz_run_main fills in the default location) with the
 * options over it. Prints what the audio output got and a ready line on
 * stdout, errors one line each on stderr. Returns the process exit code: 0
 * after a clean quit, 1 if the sampler cannot start (no audio device with
 * --no-fallback, missing or empty kit, no pad loadable), 2 for a
 * configuration file that cannot be read or has a bad line. */
int flz_run(const flz_options *options, const char *kit, const flz_run_hooks *hooks);

/* `flitz [OPTIONS] [KIT]` from the command line (argv[0] is the program).
 * Without --config it reads the default location (app/config.h);
 * --print-config prints the configuration in effect and exits. */
int flz_run_main(int argc, char **argv);

#endif
