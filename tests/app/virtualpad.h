/* tests/app/virtualpad.h: a virtual game controller (SDL's virtual
 * joystick of the game controller type) that a live-app test plugs into
 * flz_run's process and presses with SDL_JoystickSetVirtualButton. Test
 * helper only; call it from flz_run's tick hook (the thread that runs SDL's
 * events), after SDL is up. */
#ifndef FLZ_TESTS_APP_VIRTUALPAD_H
#define FLZ_TESTS_APP_VIRTUALPAD_H

#include <SDL.h>

typedef struct flz_virtualpad {
  int device_index;       /* SDL's joystick device index; -1 before attaching */
  SDL_Joystick *joystick; /* open while attached; NULL if it failed or detached */
  int opened;             /* the joystick opened once (it stays 1 after detaching) */
} flz_virtualpad;

/* Plugs in a controller named `name` (every SDL_GameControllerButton and
 * axis) and opens it. */
void flz_virtualpad_attach(flz_virtualpad *pad, const char *name);

/* Closes and unplugs it. */
void flz_virtualpad_detach(flz_virtualpad *pad);

#endif
