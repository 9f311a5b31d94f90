/* platform/sdl_mixer_peer.h: SDL_mixer mixing the bench's voices, the peer the
 * mixer figures of `flitz bench --quality` are ratios to (issue #16).
 *
 * Owns: its chunks (heap), the SDL audio subsystem and SDL_mixer while it
 * runs (opened and closed in the call), the disk driver's /dev/null output.
 * Must not touch: the engine, files other than /dev/null.
 *
 * SDL_mixer (libsdl2-mixer, Debian) opens SDL's disk audio driver with no
 * delay between periods (SDL_DISKAUDIODELAY=0: the audio thread renders as
 * fast as it can) at 48000 Hz, stereo float, `period` frames a callback,
 * and plays `voices` looping chunks of float noise at -6 dBFS, one a
 * channel, each 2^17 stereo frames (1 MB: together past the caches, as the
 * mixer bench's). SDL_mixer plays at rate 1 only (no pitch): this is its
 * whole mixing cost, each chunk's frames times its volume added to the
 * output, clipped. Each callback is timed from SDL_mixer's music hook,
 * which it calls first, to its post-mix hook, which it calls last: the
 * channels' mixing, no device I/O. */
#ifndef FLZ_PLATFORM_SDL_MIXER_PEER_H
#define FLZ_PLATFORM_SDL_MIXER_PEER_H

#include <stdint.h>

/* Mixes `voices` (1..256) voices for `periods` (1..100000) callbacks after
 * a quarter of that untimed, and stores in *median_ns the median callback's
 * mixing time / (voices x frames of a callback), ns. Returns FLZ_OK;
 * FLZ_ERR_ARGUMENT for counts out of range; FLZ_ERR_NO_MEMORY; FLZ_ERR_AUDIO_DEVICE
 * if SDL or SDL_mixer cannot open the disk driver or the callbacks stop for
 * 10 s; FLZ_ERR_UNSUPPORTED in a build without SDL_mixer (its development
 * files absent: FLZ_HAVE_SDL_MIXER undefined). Control thread only; SDL's audio subsystem
 * must not be open; blocks for the run. */
int flz_sdl_mixer_peer_run(uint32_t voices, uint32_t period, uint32_t periods, double *median_ns);

#endif
