/* engine/interpolate.h: reading a sample between its frames, for voices that
 * play at another rate than 1 (tune, speed, BPM lock).
 *
 * Owns: the hermite and sinc interpolators and the sinc kernel's tables; not
 * the linear interpolation of engine/engine.c (kept there, bit for bit), nor
 * positions, ranges or gains (the voice's, engine/engine.c).
 *
 * Modes (flz_interpolation, engine/message.h):
 *   - hermite: a 4-point cubic, the one through the four nearest frames
 *     (4-point, 3rd-order Lagrange): the Hermite cubic between the two
 *     middle frames whose slopes there are the four frames' 3rd-order
 *     estimates, where Catmull-Rom's central differences are 2nd-order. It
 *     is exact for cubics, so the images of a sine fall 80 dB a decade as
 *     its frequency falls (Catmull-Rom's: 60, exact for quadratics). In
 *     every case `flitz bench --quality` plays it is at least as clean as
 *     Catmull-Rom: 57.7 dB against 48.9 at 5 kHz, +7 semitones; the same
 *     53.6 at speed 1.5, whose positions are whole and half frames only,
 *     where the two cubics agree. Four values at a time where the block
 *     lies inside the sample (engine/vector.h: SSE2, NEON), the same bits.
 *     The comparison of 4-point
 *     cubics: Olli Niemitalo, "Polynomial Interpolators for High-Quality
 *     Resampling of Oversampled Audio", 2001.
 *   - sinc: windowed sinc, polyphase, J. O. Smith's bandlimited interpolation
 *     ("Digital Audio Resampling Home Page", CCRMA, the `resample` algorithm):
 *     the kernel h(x) = sinc(x) w(x / FLZ_SINC_ZEROS), w the Kaiser window of
 *     beta FLZ_SINC_KAISER_BETA (J. F. Kaiser and R. W. Schafer, "On the use
 *     of the I0-sinh window for spectrum analysis", IEEE ASSP 1980), cut off
 *     at the source's Nyquist; 2 x FLZ_SINC_ZEROS taps (32) at rates up to 1.
 *     Pitching up by r > 1 stretches the kernel by r (cutoff at the output's
 *     Nyquist, 2 x 16 x r taps, r at most FLZ_SINC_STRETCH_MAX), so nothing
 *     above the new Nyquist folds back. The kernel is tabulated at
 *     FLZ_SINC_PHASES points per zero crossing and read with linear
 *     interpolation between points (Smith's "interpolated table lookup").
 *
 * Edges: frames before the sample's start or after its end read as 0; a
 * forward loop reads past its end from its start, a reverse loop before its
 * start from its end, so the seam is as smooth as the loop's audio.
 * At a whole frame and a rate of at most 1, every mode returns the frame
 * itself (the kernels are interpolating).
 *
 * Nothing here allocates; the tables live in the caller's storage (the
 * engine struct) and are filled once by flz_interpolate_init.
 */
#ifndef FLZ_ENGINE_INTERPOLATE_H
#define FLZ_ENGINE_INTERPOLATE_H

#include <stdint.h>

#include "engine/limits.h"

#define FLZ_SINC_TAPS (2 * FLZ_SINC_ZEROS)
/* The most taps one side of a stretched kernel reads. */
#define FLZ_SINC_SIDE_MAX (FLZ_SINC_ZEROS * FLZ_SINC_STRETCH_MAX)

typedef struct flz_interpolate_tables {
  /* h(i / FLZ_SINC_PHASES) for i = 0 .. FLZ_SINC_ZEROS x FLZ_SINC_PHASES, and
   * one 0 after it (the interpolated lookup reads entry i + 1). */
  float kernel[FLZ_SINC_ZEROS * FLZ_SINC_PHASES + 2];
  /* The unity kernel by phase: for phase p (fraction p / FLZ_SINC_PHASES)
   * the FLZ_SINC_TAPS weights of frames floor(pos) - FLZ_SINC_ZEROS + 1
   * onwards, contiguous so the dot product vectorizes. */
  float phases[(FLZ_SINC_PHASES + 1) * FLZ_SINC_TAPS];
} flz_interpolate_tables;

/* What a voice reads: its sample and its loop. */
typedef struct flz_interpolate_source {
  const float *data; /* interleaved, `channels` (1 or 2) values per frame */
  uint32_t frame_count;
  uint32_t channels;
  uint32_t loop_start; /* while `looping` */
  uint32_t loop_end;
  uint32_t looping;
  uint32_t reverse;
} flz_interpolate_source;

/* Fills `tables`. Any thread; about a millisecond. */
void flz_interpolate_init(flz_interpolate_tables *tables);

/* Writes into `out` the values at `n` positions of 32.32 fixed point frames
 * `pos`, `pos` + `step`, ... (forward; a reverse voice reads one position
 * per call), all of them inside the sample: mono 1 value per position, stereo 2
 * (interleaved). `mode` is FLZ_INTERPOLATION_HERMITE or _SINC; `step` (the
 * rate) sets the sinc kernel's stretch. Returns the position after the last.
 * Audio thread safe: bounded (n x taps), no allocation. */
uint64_t flz_interpolate_block(const flz_interpolate_tables *tables,
                               const flz_interpolate_source *source, uint32_t mode, uint64_t pos,
                               uint64_t step, uint32_t n, float *out);

#endif
