/* platform/input.c: translates SDL2 keyboard, game controller, mouse, drop and
 * quit events into flz_input_event.
 * Owns: SDL's event, joystick and game controller subsystems and the open game
 * controllers. Must not touch the window or renderer (platform/window.c maps
 * clicks to pads) nor know what a pad plays (app/). */
#include "platform/input.h"

#include <SDL.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "engine/result.h"
#include "platform/clock.h"
#include "platform/window.h"

#define FLZ_INPUT_SUBSYSTEMS (SDL_INIT_EVENTS | SDL_INIT_GAMECONTROLLER)

/* Unused SDL events skipped per flz_input_wait call: enough for a burst of
 * mouse motion between two presses, small enough that a flood of them cannot
 * hold the control thread past its timeout for long. */
#define FLZ_INPUT_MAX_SKIPPED 256

/* The pad a left click went down on, so that letting go anywhere releases
 * that pad (a gate pad must not keep sounding when the pointer slides off). */
static int32_t flz_input_pressed_pad = -1;

/* Fingers down on pads: which pad each one pressed, for its release. */
#define FLZ_INPUT_FINGERS 10
static struct {
  SDL_FingerID id;
  int32_t pad; /* -1: free */
} flz_input_fingers[FLZ_INPUT_FINGERS];
/* The signal flz_input_catch_signals' handler took, 0 if none; whether it
 * installed any. */
static volatile sig_atomic_t flz_input_caught;
static int flz_input_catching;

static void flz_input_on_signal(int number)
{
  flz_input_caught = number;
}

void flz_input_catch_signals(void)
{
  const int numbers[] = {SIGINT, SIGTERM, SIGHUP};
  for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
    struct sigaction old;
    if (sigaction(numbers[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL)
      continue;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = flz_input_on_signal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    (void)sigaction(numbers[i], &action, NULL);
  }
  flz_input_catching = 1;
}

int flz_input_signal(void)
{
  return flz_input_caught;
}

static float flz_input_clamp_unit(float value, float low)
{
  return value < low ? low : value > 1.0f ? 1.0f : value;
}

static void flz_input_copy_name(flz_input_event *event, const char *name)
{
  snprintf(event->name, sizeof event->name, "%s", name ? name : "");
}

static int flz_input_translate_controller_added(const SDL_ControllerDeviceEvent *added,
                                                flz_input_event *event)
{
  if (SDL_GameControllerFromInstanceID(SDL_JoystickGetDeviceInstanceID(added->which)) != NULL)
    return 0; /* already open: this device was announced before */
  SDL_GameController *controller = SDL_GameControllerOpen(added->which);
  if (controller == NULL)
    return 0;
  event->source = FLZ_SOURCE_GAMEPAD;
  event->type = FLZ_INPUT_DEVICE_ADDED;
  event->device = SDL_JoystickInstanceID(SDL_GameControllerGetJoystick(controller));
  flz_input_copy_name(event, SDL_GameControllerName(controller));
  return 1;
}

static int flz_input_translate_controller_removed(const SDL_ControllerDeviceEvent *removed,
                                                  flz_input_event *event)
{
  SDL_GameController *controller = SDL_GameControllerFromInstanceID(removed->which);
  if (controller != NULL)
    SDL_GameControllerClose(controller);
  event->source = FLZ_SOURCE_GAMEPAD;
  event->type = FLZ_INPUT_DEVICE_REMOVED;
  event->device = removed->which;
  return 1;
}

static int flz_input_translate_axis(const SDL_ControllerAxisEvent *axis, flz_input_event *event)
{
  int trigger = axis->axis == SDL_CONTROLLER_AXIS_TRIGGERLEFT ||
                axis->axis == SDL_CONTROLLER_AXIS_TRIGGERRIGHT;
  event->source = FLZ_SOURCE_GAMEPAD;
  event->type = FLZ_INPUT_AXIS;
  event->device = axis->which;
  event->control = axis->axis;
  event->value = flz_input_clamp_unit((float)axis->value / 32767.0f, trigger ? 0.0f : -1.0f);
  return 1;
}

static int flz_input_translate_mouse(const SDL_MouseButtonEvent *button, flz_input_event *event)
{
  if (button->button != SDL_BUTTON_LEFT || button->which == SDL_TOUCH_MOUSEID)
    return 0;
  event->source = FLZ_SOURCE_WINDOW;
  if (button->type == SDL_MOUSEBUTTONDOWN) {
    const flz_window *window = flz_window_from_id(button->windowID);
    int pad = flz_window_pad_at(window, button->x, button->y);
    if (pad < 0)
      return 0;
    flz_input_pressed_pad = pad;
    event->type = FLZ_INPUT_PRESS;
    event->control = pad;
    event->value = flz_window_velocity_at(window, pad, button->x, button->y);
    return 1;
  }
  if (flz_input_pressed_pad < 0)
    return 0;
  event->type = FLZ_INPUT_RELEASE;
  event->control = flz_input_pressed_pad;
  flz_input_pressed_pad = -1;
  return 1;
}

/* A finger on a touch screen: a press of the pad under it (velocity from
 * where in the pad), released when that finger lifts. Finger positions are
 * 0..1 of the window. */
static int flz_input_translate_finger(const SDL_TouchFingerEvent *finger, flz_input_event *event)
{
  event->source = FLZ_SOURCE_WINDOW;
  if (finger->type == SDL_FINGERDOWN) {
    const flz_window *window = flz_window_from_id(finger->windowID);
    if (window == NULL && finger->windowID == 0)
      window = flz_window_current(); /* touch devices without a window (evdev) */
    int width, height;
    flz_window_size(window, &width, &height);
    int x = (int)(finger->x * (float)width), y = (int)(finger->y * (float)height);
    int pad = flz_window_pad_at(window, x, y);
    if (pad < 0)
      return 0;
    for (int i = 0; i < FLZ_INPUT_FINGERS; i++)
      if (flz_input_fingers[i].pad < 0) {
        flz_input_fingers[i].id = finger->fingerId;
        flz_input_fingers[i].pad = pad;
        break;
      }
    event->type = FLZ_INPUT_PRESS;
    event->control = pad;
    event->value = flz_window_velocity_at(window, pad, x, y);
    return 1;
  }
  for (int i = 0; i < FLZ_INPUT_FINGERS; i++)
    if (flz_input_fingers[i].pad >= 0 && flz_input_fingers[i].id == finger->fingerId) {
      event->type = FLZ_INPUT_RELEASE;
      event->control = flz_input_fingers[i].pad;
      flz_input_fingers[i].pad = -1;
      return 1;
    }
  return 0;
}

static int flz_input_translate_drop(const SDL_DropEvent *drop, flz_input_event *event)
{
  int used = 0;
  if (drop->type == SDL_DROPFILE && drop->file != NULL && strlen(drop->file) < sizeof event->name) {
    event->source = FLZ_SOURCE_WINDOW;
    event->type = FLZ_INPUT_DROP_FILE;
    event->control = flz_window_pad_under_pointer(flz_window_from_id(drop->windowID));
    flz_input_copy_name(event, drop->file);
    used = 1;
  }
  SDL_free(drop->file);
  return used;
}

/* Fills `event` from `sdl` and returns 1, or returns 0 for events Flitz does
 * not use. */
static int flz_input_translate(const SDL_Event *sdl, flz_input_event *event)
{
  memset(event, 0, sizeof *event);
  event->time_ns = flz_clock_now_ns();
  switch (sdl->type) {
  case SDL_KEYDOWN:
  case SDL_KEYUP:
    if (sdl->key.repeat)
      return 0;
    event->source = FLZ_SOURCE_KEYBOARD;
    event->type = sdl->type == SDL_KEYDOWN ? FLZ_INPUT_PRESS : FLZ_INPUT_RELEASE;
    event->control = (int32_t)sdl->key.keysym.scancode;
    event->value = sdl->type == SDL_KEYDOWN ? 1.0f : 0.0f;
    return 1;
  case SDL_CONTROLLERDEVICEADDED:
    return flz_input_translate_controller_added(&sdl->cdevice, event);
  case SDL_CONTROLLERDEVICEREMOVED:
    return flz_input_translate_controller_removed(&sdl->cdevice, event);
  case SDL_CONTROLLERBUTTONDOWN:
  case SDL_CONTROLLERBUTTONUP:
    event->source = FLZ_SOURCE_GAMEPAD;
    event->type = sdl->type == SDL_CONTROLLERBUTTONDOWN ? FLZ_INPUT_PRESS : FLZ_INPUT_RELEASE;
    event->device = sdl->cbutton.which;
    event->control = sdl->cbutton.button;
    event->value = sdl->type == SDL_CONTROLLERBUTTONDOWN ? 1.0f : 0.0f;
    return 1;
  case SDL_CONTROLLERAXISMOTION:
    return flz_input_translate_axis(&sdl->caxis, event);
  case SDL_MOUSEBUTTONDOWN:
  case SDL_MOUSEBUTTONUP:
    return flz_input_translate_mouse(&sdl->button, event);
  case SDL_FINGERDOWN:
  case SDL_FINGERUP:
    return flz_input_translate_finger(&sdl->tfinger, event);
  case SDL_DROPFILE:
  case SDL_DROPTEXT:
  case SDL_DROPBEGIN:
  case SDL_DROPCOMPLETE:
    return flz_input_translate_drop(&sdl->drop, event);
  /* SDL_AUDIODEVICEADDED/REMOVED are not input: the sampler reads the
   * device's state itself every loop (flz_sampler_watch_output), which
   * also covers a device lost before the event queue started. */
  case SDL_QUIT:
    event->source = FLZ_SOURCE_WINDOW;
    event->type = FLZ_INPUT_QUIT;
    return 1;
  default:
    return 0;
  }
}

int flz_input_open(char *detail, size_t detail_size)
{
  SDL_SetHint(SDL_HINT_JOYSTICK_ALLOW_BACKGROUND_EVENTS, "1");
  if (flz_input_catching)
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
  if (SDL_InitSubSystem(FLZ_INPUT_SUBSYSTEMS) != 0) {
    if (detail != NULL && detail_size > 0)
      snprintf(detail, detail_size, "%s", SDL_GetError());
    return FLZ_ERR_ARGUMENT;
  }
  flz_input_pressed_pad = -1;
  for (int i = 0; i < FLZ_INPUT_FINGERS; i++)
    flz_input_fingers[i].pad = -1;
  return FLZ_OK;
}

int flz_input_wait(flz_input_event *event, int timeout_ms)
{
  uint64_t deadline_ns = flz_clock_now_ns() +
                         (uint64_t)(timeout_ms > 0 ? timeout_ms : 0) * 1000000u;
  int skipped = 0;
  for (;;) {
    if (flz_input_caught != 0) {
      memset(event, 0, sizeof *event);
      event->source = FLZ_SOURCE_SIGNAL;
      event->type = FLZ_INPUT_QUIT;
      event->control = flz_input_caught;
      return 1;
    }
    uint64_t now_ns = flz_clock_now_ns();
    int remaining_ms = now_ns < deadline_ns ? (int)((deadline_ns - now_ns + 999999u) / 1000000u)
                                            : 0;
    SDL_Event sdl;
    if (remaining_ms > 0 ? SDL_WaitEventTimeout(&sdl, remaining_ms) : SDL_PollEvent(&sdl)) {
      if (flz_input_translate(&sdl, event))
        return 1;
      if (++skipped >= FLZ_INPUT_MAX_SKIPPED)
        return 0;
    } else if (remaining_ms == 0) {
      return 0;
    }
    /* SDL counts its timeout in whole ms of its own clock and may wake
     * before the deadline: wait again for what is left. */
  }
}

int flz_input_list_controllers(void (*fn)(void *user, int32_t device, const char *name), void *user)
{
  int count = 0;
  for (int i = 0; i < SDL_NumJoysticks(); i++) {
    if (!SDL_IsGameController(i))
      continue;
    const char *name = SDL_GameControllerNameForIndex(i);
    if (fn != NULL)
      fn(user, SDL_JoystickGetDeviceInstanceID(i), name ? name : "");
    count++;
  }
  return count;
}

int flz_input_add_mappings(const char *path, char *detail, size_t detail_size)
{
  int added = SDL_GameControllerAddMappingsFromFile(path);
  if (added < 0) {
    if (detail != NULL && detail_size > 0)
      snprintf(detail, detail_size, "%s", SDL_GetError());
    return FLZ_ERR_READ;
  }
  return added;
}

int32_t flz_input_key_from_name(const char *name)
{
  if (name == NULL || name[0] == '\0')
    return -1;
  SDL_Scancode code = SDL_GetScancodeFromName(name);
  return code == SDL_SCANCODE_UNKNOWN ? -1 : (int32_t)code;
}

const char *flz_input_key_name(int32_t usage)
{
  if (usage <= 0 || usage >= SDL_NUM_SCANCODES)
    return "";
  return SDL_GetScancodeName((SDL_Scancode)usage);
}

void flz_input_close(void)
{
  for (int i = 0; i < SDL_NumJoysticks(); i++) {
    SDL_GameController *controller = SDL_GameControllerFromInstanceID(
      SDL_JoystickGetDeviceInstanceID(i));
    if (controller != NULL)
      SDL_GameControllerClose(controller);
  }
  flz_input_pressed_pad = -1;
  SDL_QuitSubSystem(FLZ_INPUT_SUBSYSTEMS);
}
