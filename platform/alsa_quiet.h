/* platform/alsa_quiet.h: silences alsa-lib's own stderr prints.
 *
 * alsa-lib prints multi-line errors on stderr when SDL probes a machine with
 * no sound card; SDL already reports the reason in one line, so Flitz drops
 * alsa-lib's. The handler is process-wide (SDL loads the same libasound.so.2).
 * Any thread, before SDL's audio subsystem starts; never from the audio
 * callback. Used by the sdl audio backend and by the decoder's resampler,
 * which both start SDL's audio subsystem.
 */
#ifndef FLZ_PLATFORM_ALSA_QUIET_H
#define FLZ_PLATFORM_ALSA_QUIET_H

/* Installs the silent handler (snd_lib_error_set_handler). Idempotent. */
void flz_alsa_quiet(void);

#endif
