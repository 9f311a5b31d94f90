/* tests/app/virtualpad.h: a virtual game controller (SDL's virtual
 * joystick of the game controller type) that a test plugs into its process
 * (a live-app test: flz_run's) and presses with
 * SDL_JoystickSetVirtualButton. Test helper only; call it from the thread
 * that runs SDL's events (in a live-app test, flz_run's tick hook), after
 * SDL is up. */
#ifndef FLZ_TESTS_APP_VIRTUALPAD_H
#define FLZ_TESTS_APP_VIRTUALPAD_H

#include <SDL.h>

typedef struct flz_virtualpad {
  int device_index;       /* SDL's joystick device index; -1 before attaching */
  SDL_Joystick *joystick; /* open while attached; NULL if it failed or detached */
  int opened;             /* the joystick opened once (it stays 1 after detaching) */
} flz_virtualpad;

/* Plugs in a controller named `name` (every SDL_GameControllerButton and
 * axis) and leaves it closed, for a test of what opens it; returns SDL's
 * joystick device index, -1 if it failed. */
int flz_virtualpad_plug(const char *name);

/* Plugs in a controller as flz_virtualpad_plug does and opens it. */
void flz_virtualpad_attach(flz_virtualpad *pad, const char *name);

/* Closes and unplugs it. */
void flz_virtualpad_detach(flz_virtualpad *pad);

#endif
