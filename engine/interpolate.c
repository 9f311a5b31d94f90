/* engine/interpolate.c: the hermite and sinc interpolators of
 * engine/interpolate.h. flz_interpolate_block runs on the audio thread:
 * bounded loops, no allocation, no system calls. */
#include "engine/interpolate.h"

#include <math.h>
#include <stddef.h>

#include "engine/message.h"
#include "engine/vector.h"

/* A 32.32 position's fraction: its top bits are the table phase, the rest
 * the point between two phases. */
#define FLZ_INTERPOLATE_PHASE_SHIFT 23
_Static_assert((1ull << (32 - FLZ_INTERPOLATE_PHASE_SHIFT)) == FLZ_SINC_PHASES,
               "FLZ_SINC_PHASES is 2^(32 - FLZ_INTERPOLATE_PHASE_SHIFT)");
_Static_assert(FLZ_SINC_TAPS % 4 == 0, "the dot product runs in 4 lanes");

#define FLZ_INTERPOLATE_ONE ((uint64_t)1 << 32)
#define FLZ_INTERPOLATE_PI 3.14159265358979323846

/* The modified Bessel function of the first kind, order 0, by its power
 * series (converges for every argument the window uses, |x| <= beta). */
static double flz_interpolate_bessel_i0(double x)
{
  double sum = 1.0, term = 1.0;
  for (int k = 1; k < 64; k++) {
    double half = x / (2.0 * k);
    term *= half * half;
    sum += term;
    if (term < sum * 1e-17)
      break;
  }
  return sum;
}

void flz_interpolate_init(flz_interpolate_tables *tables)
{
  const int length = FLZ_SINC_ZEROS * FLZ_SINC_PHASES;
  double norm = flz_interpolate_bessel_i0(FLZ_SINC_KAISER_BETA);
  for (int i = 0; i <= length; i++) {
    double h;
    if (i == 0)
      h = 1.0;
    else if (i % FLZ_SINC_PHASES == 0)
      h = 0.0; /* the zero crossings exactly: a whole frame reads as itself */
    else {
      double x = (double)i / FLZ_SINC_PHASES;
      double u = x / FLZ_SINC_ZEROS;
      double w = flz_interpolate_bessel_i0(FLZ_SINC_KAISER_BETA * sqrt(1.0 - u * u)) / norm;
      h = sin(FLZ_INTERPOLATE_PI * x) / (FLZ_INTERPOLATE_PI * x) * w;
    }
    tables->kernel[i] = (float)h;
  }
  tables->kernel[length + 1] = 0.0f;
  for (int p = 0; p <= FLZ_SINC_PHASES; p++)
    for (int m = 0; m < FLZ_SINC_TAPS; m++) {
      int d = (m - FLZ_SINC_ZEROS + 1) * FLZ_SINC_PHASES - p;
      tables->phases[p * FLZ_SINC_TAPS + m] = tables->kernel[d < 0 ? -d : d];
    }
}

/* The frame a read of frame `j` takes, by the edge rules of the header;
 * -1 for silence. */
static int64_t flz_interpolate_map(const flz_interpolate_source *source, int64_t j)
{
  if (source->looping) {
    int64_t length = (int64_t)source->loop_end - source->loop_start;
    if (!source->reverse && j >= source->loop_end)
      j = source->loop_start + (j - source->loop_end) % length;
    else if (source->reverse && j < source->loop_start)
      j = source->loop_end - 1 - (source->loop_start - 1 - j) % length;
  }
  return j >= 0 && j < source->frame_count ? j : -1;
}

/* Frames `first` .. `first` + `count` - 1 (interleaved): straight from the
 * sample where they all lie inside it and on this side of a loop seam, else
 * gathered into `buffer` by the edge rules. */
static const float *flz_interpolate_window(const flz_interpolate_source *source, int64_t first,
                                           uint32_t count, float *buffer)
{
  uint32_t channels = source->channels;
  int64_t top = source->looping && !source->reverse ? source->loop_end : source->frame_count;
  int64_t bottom = source->looping && source->reverse ? source->loop_start : 0;
  if (first >= bottom && first + count <= top)
    return source->data + first * channels;
  for (uint32_t m = 0; m < count; m++) {
    int64_t j = flz_interpolate_map(source, first + m);
    for (uint32_t c = 0; c < channels; c++)
      buffer[m * channels + c] = j < 0 ? 0.0f : source->data[j * channels + c];
  }
  return buffer;
}

/* The cubic through the four frames ym1, y0, y1, y2 (at -1, 0, 1, 2) at
 * fraction x between y0 and y1, in powers of x: the Hermite cubic of y0 and
 * y1 whose end slopes c1 = (-2 ym1 - 3 y0 + 6 y1 - y2) / 6 and
 * (ym1 - 6 y0 + 3 y1 + 2 y2) / 6 are the 3rd-order four-point estimates
 * (4-point, 3rd-order Lagrange). c1 takes what p(1) = y1 leaves. */
static inline float flz_interpolate_hermite4(float x, float ym1, float y0, float y1, float y2)
{
  float c0 = y0;
  float c2 = 0.5f * (ym1 + y1) - y0;
  float c3 = (1.0f / 6.0f) * (y2 - ym1) + 0.5f * (y0 - y1);
  float c1 = ((y1 - y0) - c2) - c3;
  return ((c3 * x + c2) * x + c1) * x + c0;
}

/* The unity kernel at fraction `frac` (32 bits) over `w`, channel stride
 * `stride`: the weights of the two nearest phases, interpolated, times
 * the frames, summed in four lanes (an order that is the same in scalar and
 * vector code, so every build sums alike). */
static inline float flz_interpolate_sinc_unity(const flz_interpolate_tables *tables, uint32_t frac,
                                               const float *w, uint32_t stride)
{
  const float *a = tables->phases + (size_t)(frac >> FLZ_INTERPOLATE_PHASE_SHIFT) * FLZ_SINC_TAPS;
  const float *b = a + FLZ_SINC_TAPS;
  float eta = (float)(frac & ((1u << FLZ_INTERPOLATE_PHASE_SHIFT) - 1)) *
              (1.0f / (float)(1u << FLZ_INTERPOLATE_PHASE_SHIFT));
  float acc[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  for (uint32_t m = 0; m < FLZ_SINC_TAPS; m += 4)
    for (uint32_t l = 0; l < 4; l++)
      acc[l] += w[(m + l) * stride] * (a[m + l] + eta * (b[m + l] - a[m + l]));
  return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

/* The kernel stretched by 1 / `scale` (scale < 1) at fraction `f`: frame
 * `center` of `w` is floor(pos), `side` frames each way. Smith's
 * interpolated table lookup per tap; a tap past the kernel's end reads the
 * table's trailing zeros (its index clamped), so the loops have no exit
 * but their count, and four sums each side run side by side. */
static inline float flz_interpolate_sinc_stretched(const flz_interpolate_tables *tables, float f,
                                                   float scale, const float *w, uint32_t stride,
                                                   uint32_t center, uint32_t side)
{
  const float *h = tables->kernel;
  const uint32_t end = FLZ_SINC_ZEROS * FLZ_SINC_PHASES;
  float unit = scale * (float)FLZ_SINC_PHASES;
  float acc[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
  for (uint32_t k = 0; k < side; k++) {
    float t = (f + (float)k) * unit;
    uint32_t i = (uint32_t)t;
    i = i < end ? i : end;
    acc[k & 3] += w[(center - k) * stride] * (h[i] + (t - (float)i) * (h[i + 1] - h[i]));
    float u = ((1.0f - f) + (float)k) * unit;
    uint32_t j = (uint32_t)u;
    j = j < end ? j : end;
    acc[4 + (k & 3)] += w[(center + 1 + k) * stride] * (h[j] + (u - (float)j) * (h[j + 1] - h[j]));
  }
  float left = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  float right = (acc[4] + acc[5]) + (acc[6] + acc[7]);
  return (left + right) * scale;
}

uint64_t flz_interpolate_block(const flz_interpolate_tables *tables,
                               const flz_interpolate_source *source, uint32_t mode, uint64_t pos,
                               uint64_t step, uint32_t n, float *out)
{
  uint32_t channels = source->channels;
  float buffer[2 * FLZ_SINC_SIDE_MAX * 2];
  if (mode == FLZ_INTERPOLATION_HERMITE) {
    /* The whole block inside the sample and this side of a seam: straight
     * reads, no edge rules (the loop the engine spends its time in). */
    uint64_t last = pos + (uint64_t)(n - 1) * step;
    int64_t top = source->looping && !source->reverse ? source->loop_end : source->frame_count;
    int64_t bottom = source->looping && source->reverse ? source->loop_start : 0;
    if (n > 0 && (int64_t)(pos >> 32) - 1 >= bottom && (int64_t)(last >> 32) + 3 <= top) {
      /* Four (mono) or two (stereo) positions at a time in vector code
       * (engine/vector.h), the rest one at a time: the same operations per
       * value, so the same bits. */
      const float *data = source->data;
      uint32_t done = (uint32_t)(channels == 1
                                   ? flz_vector_hermite_mono(data, pos, step, n, out)
                                   : flz_vector_hermite_stereo(data, pos, step, n, out));
      pos += (uint64_t)done * step;
      for (uint32_t i = done; i < n; i++, pos += step) {
        const float *w = data + ((pos >> 32) - 1) * channels;
        float x = (float)((uint32_t)pos >> 8) * (1.0f / 16777216.0f);
        for (uint32_t c = 0; c < channels; c++)
          out[i * channels + c] = flz_interpolate_hermite4(
            x, w[c], w[channels + c], w[2 * channels + c], w[3 * channels + c]);
      }
      return pos;
    }
    for (uint32_t i = 0; i < n; i++, pos += step) {
      int64_t at = (int64_t)(pos >> 32);
      float x = (float)((uint32_t)pos >> 8) * (1.0f / 16777216.0f);
      const float *w = flz_interpolate_window(source, at - 1, 4, buffer);
      for (uint32_t c = 0; c < channels; c++)
        out[i * channels + c] = flz_interpolate_hermite4(x, w[c], w[channels + c],
                                                         w[2 * channels + c], w[3 * channels + c]);
    }
    return pos;
  }
  if (step <= FLZ_INTERPOLATE_ONE) {
    for (uint32_t i = 0; i < n; i++, pos += step) {
      int64_t at = (int64_t)(pos >> 32);
      const float *w = flz_interpolate_window(source, at - FLZ_SINC_ZEROS + 1, FLZ_SINC_TAPS,
                                              buffer);
      for (uint32_t c = 0; c < channels; c++)
        out[i * channels + c] = flz_interpolate_sinc_unity(tables, (uint32_t)pos, w + c, channels);
    }
    return pos;
  }
  float scale = (float)((double)FLZ_INTERPOLATE_ONE / (double)step);
  if (scale < 1.0f / FLZ_SINC_STRETCH_MAX)
    scale = 1.0f / FLZ_SINC_STRETCH_MAX;
  uint32_t side = (uint32_t)ceilf((float)FLZ_SINC_ZEROS / scale);
  side = side > FLZ_SINC_SIDE_MAX ? FLZ_SINC_SIDE_MAX : side;
  for (uint32_t i = 0; i < n; i++, pos += step) {
    int64_t at = (int64_t)(pos >> 32);
    float f = (float)((uint32_t)pos >> 8) * (1.0f / 16777216.0f);
    const float *w = flz_interpolate_window(source, at - side + 1, 2 * side, buffer);
    for (uint32_t c = 0; c < channels; c++)
      out[i * channels + c] = flz_interpolate_sinc_stretched(tables, f, scale, w + c, channels,
                                                             side - 1, side);
  }
  return pos;
}
