/* app/devices.h: `flitz devices [--config FILE]`, which lists the audio
 * output devices, the MIDI inputs and the connected game controllers, one
 * per line, and how the configuration (app/config.h: --config FILE or the
 * default location) maps each kind of input:
 *   audio DRIVER "NAME"
 *   midi CLIENT:PORT "NAME" read|not-read
 *        (read: a hardware port flitz subscribes to by itself; not-read: a
 *        software port, which can be connected to "Flitz in" with aconnect)
 *   midi-raw PATH                       (ALSA raw MIDI devices, for --midi-in)
 *   controller ID "NAME"
 *   map midi channel=all|N program=bank|none NOTE=RULE... cc:N=RULE...
 *   map controller BUTTON=RULE... MODIFIER+BUTTON=RULE...
 *   map keys KEY=RULE...
 *   map banks size=N banks=M
 * or a line saying there are none ("midi: REASON" when there is no ALSA
 * sequencer). Control thread only. */
#ifndef FLZ_APP_DEVICES_H
#define FLZ_APP_DEVICES_H

/* argv[0] is "devices". Returns the exit code: 0; 1 if SDL's input
 * subsystems cannot start; 2 for a bad option or configuration file. */
int flz_devices_main(int argc, char **argv);

#endif
