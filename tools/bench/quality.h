/* tools/bench/quality.h: `flitz bench --quality`, what each interpolation
 * mode (engine/interpolate.h) does to pitched playback, and what it costs.
 *
 * Owns: its sine sample (static), one static engine it drives directly, and
 * the figures it prints. Must not touch: SDL, devices, the sample pool, files.
 *
 * Quality: a full-scale sine (sin(2 pi f n / 48000), float) of 1, 5, 10 and
 * 15 kHz, played at velocity 1 on a mono slot at +7 and -5 semitones (slot
 * tuning) and at speed 0.75 and 1.5 (SET_SPEED), rendered by the real
 * engine at 48 kHz. The output (left channel, frames 1024 .. 1024 + 16384,
 * past the voice's start) is compared with the ideal sine at the voice's
 * exact positions (its 32.32 step x the frame), of the amplitude and phase
 * that fit the output best (least squares; IEEE Std 1241's sine fit at a
 * known frequency): SNR = 10 log10(sum ideal^2 / sum (output - ideal)^2),
 * what a SINAD meter reads. Every error but a constant gain and delay
 * counts: aliasing, imaging, the interpolation's noise. Deterministic: the
 * same figures on every run and build.
 *
 * Cost: 5 rounds, each the mixer bench (tools/bench/mix.h) at 64 voices,
 * 64-frame periods, speed 1.0 and 1.5, in each mode (1 s timed, 1 MB
 * samples, 64 MB in all), then SDL_mixer mixing 64 voices the same way
 * (platform/sdl_mixer_peer.h; rate 1 only). Each mode's figure is its best
 * round's median period (per voice-frame): the modes and the peer run
 * side by side in every round, so a busy machine slows them alike, and the
 * median leaves out the periods another process interrupted.
 *
 * One JSON object a line; per mode and pitch:
 *   {"bench":"quality","interpolation":I,"pitch":P,"snr_db":{"1000":A,
 *    "5000":B,"10000":C,"15000":D}}
 * P = "+7st", "-5st", "speed 0.75", "speed 1.5"; then per round the
 * mixer's lines of each mode ({"bench":"mix",...,"interpolation":I,...})
 * and SDL_mixer's ({"bench":"sdl_mixer","voices":64,"speed":1.0,
 * "period":64,"median_ns_per_voice_frame":M}); then
 *   {"bench":"quality","cost":"best of 5 rounds","voices":64,
 *    "speed 1.0":{I:{"ns_per_voice_frame":X,"to_linear":R,"to_sdl_mixer":Q},
 *    ...},"speed 1.5":{...},"sdl_mixer":{"ns_per_voice_frame":M}}
 * R = X / linear's X at that speed, Q = X / SDL_mixer's M; without
 * SDL_mixer, no Q and "sdl_mixer" holds the reason.
 */
#ifndef FLZ_TOOLS_BENCH_QUALITY_H
#define FLZ_TOOLS_BENCH_QUALITY_H

#include <stdint.h>
#include <stdio.h>

/* The SNR in dB of mode `interpolation` (flz_interpolation) playing the sine
 * of `frequency` Hz (0 < frequency < 24000) at `semitones` of slot tuning
 * and engine speed `speed` (FLZ_SPEED_MIN..FLZ_SPEED_MAX), as above.
 * Control thread only (a static engine); not reentrant. */
double flz_bench_quality_snr(uint32_t interpolation, double frequency, double semitones,
                             double speed);

/* Prints every line above on `out`; `timing` 0 leaves out the mixer's
 * lines (a fast run). Returns FLZ_OK or the mixer bench's error. */
int flz_bench_quality_run(FILE *out, int timing);

#endif
