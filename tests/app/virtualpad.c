/* tests/app/virtualpad.c: a virtual game controller (virtualpad.h). */
#include "virtualpad.h"

int flz_virtualpad_plug(const char *name)
{
  SDL_VirtualJoystickDesc desc;
  SDL_zero(desc);
  desc.version = SDL_VIRTUAL_JOYSTICK_DESC_VERSION;
  desc.type = SDL_JOYSTICK_TYPE_GAMECONTROLLER;
  desc.naxes = SDL_CONTROLLER_AXIS_MAX;
  desc.nbuttons = SDL_CONTROLLER_BUTTON_MAX;
  desc.name = name;
  return SDL_JoystickAttachVirtualEx(&desc);
}

void flz_virtualpad_attach(flz_virtualpad *pad, const char *name)
{
  pad->device_index = flz_virtualpad_plug(name);
  pad->joystick = SDL_JoystickOpen(pad->device_index);
  pad->opened = pad->joystick != NULL;
}

void flz_virtualpad_detach(flz_virtualpad *pad)
{
  SDL_JoystickClose(pad->joystick);
  SDL_JoystickDetachVirtual(pad->device_index);
  pad->joystick = NULL;
}
