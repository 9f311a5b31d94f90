/* platform/input.h: keyboard, game controller and window events from SDL2,
 * normalized so the app never sees SDL.
 *
 * Owns: SDL's event queue and the open game controllers (opened when added,
 * closed when removed while running). Control (main) thread only: SDL's
 * event functions must be called from the thread that initialized video.
 *
 * Control codes: keys are USB HID keyboard usage IDs (page 7), which are also
 * SDL scancodes: physical positions, so Q W E R is the same row on QWERTY,
 * QWERTZ and AZERTY. Buttons and axes follow the standard gamepad layout
 * (flz_button, flz_axis); SDL's GameController database maps each device to it.
 */
#ifndef FLZ_PLATFORM_INPUT_H
#define FLZ_PLATFORM_INPUT_H

#include <stddef.h>
#include <stdint.h>

typedef enum flz_input_source {
  FLZ_SOURCE_KEYBOARD = 1,
  FLZ_SOURCE_GAMEPAD,
  FLZ_SOURCE_MIDI,
  FLZ_SOURCE_WINDOW, /* quit, file drop, pad clicks */
  FLZ_SOURCE_SIGNAL, /* quit: SIGINT, SIGTERM or SIGHUP (flz_input_catch_signals) */
} flz_input_source;

typedef enum flz_input_type {
  FLZ_INPUT_PRESS = 1,    /* key or button went down; value = velocity 0..1 */
  FLZ_INPUT_RELEASE,      /* key or button went up */
  FLZ_INPUT_AXIS,         /* value = position 0..1 (triggers) or -1..1 (sticks) */
  FLZ_INPUT_DEVICE_ADDED, /* a game controller appeared: device, name */
  FLZ_INPUT_DEVICE_REMOVED,
  FLZ_INPUT_QUIT,           /* window closed, SIGINT or SIGTERM */
  FLZ_INPUT_DROP_FILE,      /* a file dropped on the window: name = path */
  FLZ_INPUT_CONTROL_CHANGE, /* MIDI: control = controller 0..127, value = value / 127 */
  FLZ_INPUT_PROGRAM_CHANGE, /* MIDI: control = program 0..127 */
  FLZ_INPUT_CLOCK,          /* MIDI clock: control = the status byte, 0xF8 tick, 0xFA Start,
                               0xFB Continue, 0xFC Stop, 0xF2 Song Position Pointer (value =
                               the position in 1/16 notes, 0..16383) */
  FLZ_INPUT_PRESSURE,       /* MIDI aftertouch: control = the key 0..127 (polyphonic key
                               pressure) or -1 (channel pressure), value = pressure / 127 */
} flz_input_type;

/* Standard gamepad buttons, in SDL_GameControllerButton order. */
typedef enum flz_button {
  FLZ_BUTTON_A = 0,
  FLZ_BUTTON_B,
  FLZ_BUTTON_X,
  FLZ_BUTTON_Y,
  FLZ_BUTTON_BACK,
  FLZ_BUTTON_GUIDE,
  FLZ_BUTTON_START,
  FLZ_BUTTON_LEFT_STICK,
  FLZ_BUTTON_RIGHT_STICK,
  FLZ_BUTTON_LEFT_SHOULDER,
  FLZ_BUTTON_RIGHT_SHOULDER,
  FLZ_BUTTON_DPAD_UP,
  FLZ_BUTTON_DPAD_DOWN,
  FLZ_BUTTON_DPAD_LEFT,
  FLZ_BUTTON_DPAD_RIGHT,
  FLZ_BUTTON_COUNT
} flz_button;

/* Standard gamepad axes, in SDL_GameControllerAxis order. */
typedef enum flz_axis {
  FLZ_AXIS_LEFT_X = 0,
  FLZ_AXIS_LEFT_Y,
  FLZ_AXIS_RIGHT_X,
  FLZ_AXIS_RIGHT_Y,
  FLZ_AXIS_TRIGGER_LEFT,
  FLZ_AXIS_TRIGGER_RIGHT,
  FLZ_AXIS_COUNT
} flz_axis;

typedef struct flz_input_event {
  uint32_t source;  /* flz_input_source */
  uint32_t type;    /* flz_input_type */
  int32_t device;   /* game controller instance id; 0 for keyboard and window;
                       MIDI: platform/midi.h */
  int32_t control;  /* HID usage (keys), flz_button, flz_axis, pad index (window
                       clicks; the pad under the pointer or -1 for DROP_FILE),
                       MIDI note, controller or program */
  float value;      /* see flz_input_type; 0 for RELEASE */
  uint64_t time_ns; /* CLOCK_MONOTONIC ns when the event was taken from SDL's
                       queue; SDL 2 gives no finer arrival time (its own
                       timestamps are ms since SDL_Init). MIDI: when it was
                       read (platform/midi.h) */
  uint32_t channel; /* MIDI channel 0..15; 0 for other sources */
  char name[256];   /* device name (DEVICE_ADDED) or file path (DROP_FILE) */
} flz_input_event;

/* Opens SDL's event, game controller and joystick subsystems (the
 * video subsystem is the window's, platform/window.h) and lets controllers
 * report while no window has focus. SIGINT and SIGTERM arrive as
 * FLZ_INPUT_QUIT: SDL installs its handlers when its event subsystem starts,
 * but only for a signal whose disposition is still the default (a process
 * started with SIGINT ignored, as a shell does for `&` jobs, keeps ignoring
 * it). SDL's handler does not set SA_RESTART, so a blocking call in another
 * thread that takes the signal returns EINTR. Controllers already plugged in
 * arrive as DEVICE_ADDED events. Returns FLZ_OK or FLZ_ERR_ARGUMENT with
 * SDL's reason in `detail`. */
int flz_input_open(char *detail, size_t detail_size);

/* Catches SIGINT, SIGTERM and SIGHUP from now on, each whose disposition is
 * still the default (an ignored one stays ignored, as with nohup): the
 * handler only records the signal, and every flz_input_wait after it
 * returns FLZ_INPUT_QUIT (source FLZ_SOURCE_SIGNAL, control = the signal's
 * number) at once, before any other event; SDL then installs no handlers of
 * its own. flitz calls it first thing, so a signal during start-up (config,
 * kit scan, audio open) ends the run the same way as one later: exit 0 and
 * the shut-down line. SIGHUP shuts down like SIGTERM (no reload). Handlers
 * use SA_RESTART. Main thread, before any other thread starts. */
void flz_input_catch_signals(void);

/* The signal caught by flz_input_catch_signals' handler, 0 if none yet.
 * Any thread. */
int flz_input_signal(void);

/* Waits up to `timeout_ms` (0 or less = do not wait) for the next event that
 * Flitz uses and stores it in `event`; returns 1, or 0 if none came in time.
 * SDL events Flitz does not use are skipped (at most 256 per call, so a flood
 * cannot hold the caller). Keys: PRESS (value 1) and RELEASE, key repeats
 * skipped. Controllers: opened on DEVICE_ADDED, closed on DEVICE_REMOVED
 * (buttons held when one is unplugged report RELEASE first); buttons PRESS (value 1) and RELEASE; axes FLZ_INPUT_AXIS, triggers 0..1,
 * sticks -1..1 (SDL's value / 32767, clamped). Analog triggers report only
 * FLZ_INPUT_AXIS; the app decides what a press is. Window: a left click on a
 * pad is PRESS of that pad, and letting go anywhere is RELEASE of the same
 * pad; closing the last window, SIGINT or SIGTERM is QUIT. A dropped file
 * whose path does not fit in `name` is skipped. */
int flz_input_wait(flz_input_event *event, int timeout_ms);

/* Calls `fn` (may be NULL) with each connected game controller's instance id
 * and name; returns how many. */
int flz_input_list_controllers(void (*fn)(void *user, int32_t device, const char *name),
                               void *user);

/* Adds game controller mappings (SDL's gamecontrollerdb.txt format, one
 * mapping a line) from file `path` with SDL_GameControllerAddMappingsFromFile;
 * a controller plugged in afterwards uses them. Returns how many mappings were
 * added or updated (0 or more), or FLZ_ERR_READ with SDL's reason in
 * `detail`. Call after flz_input_open. */
int flz_input_add_mappings(const char *path, char *detail, size_t detail_size);

/* The HID usage (SDL scancode) of key name `name` as SDL names keys ("Q",
 * "1", "Space", "PageUp", "F1", "Left Shift"; any case), or -1 if no key has
 * that name. Any thread; needs no SDL subsystem. */
int32_t flz_input_key_from_name(const char *name);

/* SDL's name of the key with HID usage `usage` ("Q", "Space"...), or "" if it
 * has none. Static storage. Any thread; needs no SDL subsystem. */
const char *flz_input_key_name(int32_t usage);

/* Closes every controller and quits the subsystems flz_input_open started. */
void flz_input_close(void);

#endif
