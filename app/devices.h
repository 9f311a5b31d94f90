/* app/devices.h: `flitz devices`, which lists the audio output devices and
 * the connected game controllers, one per line:
 *   audio DRIVER "NAME"
 *   controller ID "NAME"
 * or a line saying there are none. Control thread only. */
#ifndef FLZ_APP_DEVICES_H
#define FLZ_APP_DEVICES_H

/* argv[0] is "devices". Returns the exit code: 0, or 1 if SDL's input
 * subsystems cannot start. */
int flz_devices_main(int argc, char **argv);

#endif
