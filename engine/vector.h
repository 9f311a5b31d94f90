/* engine/vector.h: the mix loops' vector code where the compiler writes
 * none: 32-bit ARM with NEON (the armhf-neon build, -mfpu=neon-vfpv4).
 *
 * Owns: four-frame NEON versions of the mix loops of engine/engine.c (a
 * voice's values times its gains added to the stereo mix, at constant gains
 * or on a ramp, and the largest |value|); not the loops themselves, nor any
 * state. Everywhere else (x86-64 and arm64, whose float loops GCC vectorizes
 * itself, and armhf without NEON) each function is its scalar twin: it does
 * no frame and returns 0, and the caller's plain C loop does them all.
 *
 * Why intrinsics: NEON on ARMv7 always flushes denormals to zero and returns
 * the default NaN, so GCC vectorizes float loops for it only under
 * -funsafe-math-optimizations, which would also let it reorder the math.
 * flz_engine_render runs with FPSCR.FZ and FPSCR.DN set, so the scalar VFP
 * code rounds, flushes and makes NaNs exactly as NEON does (both follow the
 * ARM architecture's FPMul/FPAdd with the same FZ, DN and round-to-nearest):
 * the vector loops give the scalar loops' bits. They use only vmul and vadd
 * (no fused or chained multiply-add) in the scalar code's order.
 *
 * Every function: audio thread (inside flz_engine_render only: it relies on
 * FZ and DN), no allocation. `mix` is stereo interleaved (2 values a frame);
 * mono `src` 1 value a frame, stereo 2 (interleaved). Each returns how many
 * frames it mixed, a multiple of 4 (n rounded down), and raises `*peak` to
 * the largest bits of |value| (engine.c's flz_engine_abs_bits) among them. */
#ifndef FLZ_ENGINE_VECTOR_H
#define FLZ_ENGINE_VECTOR_H

#include <stddef.h>
#include <stdint.h>

#if defined(__ARM_NEON) && !defined(__aarch64__)
#include <arm_neon.h>

static inline uint32x4_t flz_vector_abs_bits(float32x4_t v)
{
  return vandq_u32(vreinterpretq_u32_f32(v), vdupq_n_u32(0x7fffffffu));
}

static inline uint32_t flz_vector_peak(uint32x4_t top, uint32_t peak)
{
  uint32x2_t half = vpmax_u32(vget_low_u32(top), vget_high_u32(top));
  half = vpmax_u32(half, half);
  uint32_t lane = vget_lane_u32(half, 0);
  return lane > peak ? lane : peak;
}

/* Frames i .. i + 3 of `src`: left values in val[0], right in val[1] (a
 * mono frame's one value in both). */
static inline float32x4x2_t flz_vector_frames(const float *restrict src, uint32_t channels,
                                              size_t i)
{
  if (channels == 2)
    return vld2q_f32(src + 2 * i);
  float32x4x2_t frames;
  frames.val[0] = frames.val[1] = vld1q_f32(src + i);
  return frames;
}

/* Frames i .. i + 3 of `mix` += `frames` x (gl, gr), lane by lane; `*top`
 * raised to the frames' |value| bits. */
static inline void flz_vector_add(float *restrict mix, size_t i, float32x4x2_t frames,
                                  float32x4_t gl, float32x4_t gr, uint32x4_t *top)
{
  float32x4x2_t m = vld2q_f32(mix + 2 * i);
  m.val[0] = vaddq_f32(m.val[0], vmulq_f32(frames.val[0], gl));
  m.val[1] = vaddq_f32(m.val[1], vmulq_f32(frames.val[1], gr));
  vst2q_f32(mix + 2 * i, m);
  uint32x4_t a = flz_vector_abs_bits(frames.val[0]), b = flz_vector_abs_bits(frames.val[1]);
  *top = vmaxq_u32(*top, vmaxq_u32(a, b));
}

/* mix += src x (gl, gr), constant gains. */
static inline size_t flz_vector_mix(float *restrict mix, const float *restrict src,
                                    uint32_t channels, size_t n, float gl, float gr, uint32_t *peak)
{
  size_t done = n & ~(size_t)3;
  float32x4_t vl = vdupq_n_f32(gl), vr = vdupq_n_f32(gr);
  uint32x4_t top = vdupq_n_u32(0);
  for (size_t i = 0; i < done; i += 4)
    flz_vector_add(mix, i, flz_vector_frames(src, channels, i), vl, vr, &top);
  *peak = flz_vector_peak(top, *peak);
  return done;
}

/* mix += src x (tl + sl x r, tr + sr x r), r = left - 1 - i at frame i. */
static inline size_t flz_vector_ramp(float *restrict mix, const float *restrict src,
                                     uint32_t channels, size_t n, float tl, float sl, float tr,
                                     float sr, int32_t left, uint32_t *peak)
{
  static const int32_t lanes[4] = {0, 1, 2, 3};
  size_t done = n & ~(size_t)3;
  float32x4_t vtl = vdupq_n_f32(tl), vsl = vdupq_n_f32(sl);
  float32x4_t vtr = vdupq_n_f32(tr), vsr = vdupq_n_f32(sr);
  int32x4_t count = vsubq_s32(vdupq_n_s32(left - 1), vld1q_s32(lanes));
  uint32x4_t top = vdupq_n_u32(0);
  for (size_t i = 0; i < done; i += 4) {
    float32x4_t r = vcvtq_f32_s32(vsubq_s32(count, vdupq_n_s32((int32_t)i)));
    flz_vector_add(mix, i, flz_vector_frames(src, channels, i), vaddq_f32(vtl, vmulq_f32(vsl, r)),
                   vaddq_f32(vtr, vmulq_f32(vsr, r)), &top);
  }
  *peak = flz_vector_peak(top, *peak);
  return done;
}

#else

static inline size_t flz_vector_mix(float *restrict mix, const float *restrict src,
                                    uint32_t channels, size_t n, float gl, float gr, uint32_t *peak)
{
  (void)mix, (void)src, (void)channels, (void)n, (void)gl, (void)gr, (void)peak;
  return 0;
}

static inline size_t flz_vector_ramp(float *restrict mix, const float *restrict src,
                                     uint32_t channels, size_t n, float tl, float sl, float tr,
                                     float sr, int32_t left, uint32_t *peak)
{
  (void)mix, (void)src, (void)channels, (void)n, (void)tl, (void)sl, (void)tr, (void)sr;
  (void)left, (void)peak;
  return 0;
}

#endif

/* The hermite cubic of engine/interpolate.c (flz_interpolate_hermite4: the
 * cubic through the four nearest frames), four values at a time: SSE2 on
 * x86-64, NEON on arm64 and 32-bit ARM with NEON (there inside
 * flz_engine_render only, as above). GCC does not vectorize it alone: each
 * position reads its own four frames. Each row of four frames is one
 * unaligned load, the rows turned into columns by shuffles, then the cubic
 * in the scalar code's operations and order (multiplies and adds, no fused
 * multiply-add), the fraction x = (float)(low 32 bits of the position >> 8)
 * x 2^-24 as the scalar code makes it: the same bits.
 *
 * Both: positions `pos`, `pos` + `step`, ... (32.32 frames) of `data`, each
 * reading frames floor(position) - 1 .. + 2, all inside `data`; they write
 * `out` (mono: 1 value a position; stereo: 2, interleaved) and return how
 * many positions they did, n rounded down to 4 (mono) or 2 (stereo); 0 on a
 * build without the vector unit (armhf baseline), where the caller's scalar
 * loop does every position. */
#if defined(__SSE2__) || defined(__ARM_NEON)
#if defined(__SSE2__)
#include <emmintrin.h>
typedef __m128 flz_vector_f32;
typedef __m128i flz_vector_u32;
#define flz_vector_add_f32(a, b) _mm_add_ps(a, b)
#define flz_vector_sub_f32(a, b) _mm_sub_ps(a, b)
#define flz_vector_mul_f32(a, b) _mm_mul_ps(a, b)
#define flz_vector_dup_f32(x) _mm_set1_ps(x)
#define flz_vector_load_f32(p) _mm_loadu_ps(p)
#define flz_vector_store_f32(p, v) _mm_storeu_ps(p, v)
#define flz_vector_add_u32(a, b) _mm_add_epi32(a, b)
#define flz_vector_dup_u32(x) _mm_set1_epi32((int)(x))
/* (float)(lanes >> 8): below 2^24, exact as a signed conversion. */
#define flz_vector_fraction(v) _mm_cvtepi32_ps(_mm_srli_epi32(v, 8))
static inline flz_vector_u32 flz_vector_lanes_u32(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
  return _mm_setr_epi32((int)a, (int)b, (int)c, (int)d);
}
/* Lanes 0, 1 of `a` then lanes 0, 1 of `b`; lanes 2, 3 of each. */
#define flz_vector_low_halves(a, b) _mm_movelh_ps(a, b)
#define flz_vector_high_halves(a, b) _mm_movehl_ps(b, a)
#else
#include <arm_neon.h>
typedef float32x4_t flz_vector_f32;
typedef uint32x4_t flz_vector_u32;
#define flz_vector_add_f32(a, b) vaddq_f32(a, b)
#define flz_vector_sub_f32(a, b) vsubq_f32(a, b)
#define flz_vector_mul_f32(a, b) vmulq_f32(a, b)
#define flz_vector_dup_f32(x) vdupq_n_f32(x)
#define flz_vector_load_f32(p) vld1q_f32(p)
#define flz_vector_store_f32(p, v) vst1q_f32(p, v)
#define flz_vector_add_u32(a, b) vaddq_u32(a, b)
#define flz_vector_dup_u32(x) vdupq_n_u32(x)
#define flz_vector_fraction(v) vcvtq_f32_u32(vshrq_n_u32(v, 8))
static inline flz_vector_u32 flz_vector_lanes_u32(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
  const uint32_t lanes[4] = {a, b, c, d};
  return vld1q_u32(lanes);
}
#define flz_vector_low_halves(a, b) vcombine_f32(vget_low_f32(a), vget_low_f32(b))
#define flz_vector_high_halves(a, b) vcombine_f32(vget_high_f32(a), vget_high_f32(b))
#endif

/* The cubic of flz_interpolate_hermite4, lane by lane. */
static inline flz_vector_f32 flz_vector_hermite4(flz_vector_f32 x, flz_vector_f32 ym1,
                                                 flz_vector_f32 y0, flz_vector_f32 y1,
                                                 flz_vector_f32 y2)
{
  flz_vector_f32 half = flz_vector_dup_f32(0.5f), sixth = flz_vector_dup_f32(1.0f / 6.0f);
  flz_vector_f32 c2 = flz_vector_sub_f32(flz_vector_mul_f32(half, flz_vector_add_f32(ym1, y1)), y0);
  flz_vector_f32 c3 = flz_vector_add_f32(flz_vector_mul_f32(sixth, flz_vector_sub_f32(y2, ym1)),
                                         flz_vector_mul_f32(half, flz_vector_sub_f32(y0, y1)));
  flz_vector_f32 c1 = flz_vector_sub_f32(flz_vector_sub_f32(flz_vector_sub_f32(y1, y0), c2), c3);
  flz_vector_f32 p = flz_vector_add_f32(flz_vector_mul_f32(c3, x), c2);
  p = flz_vector_add_f32(flz_vector_mul_f32(p, x), c1);
  return flz_vector_add_f32(flz_vector_mul_f32(p, x), y0);
}

static inline size_t flz_vector_hermite_mono(const float *restrict data, uint64_t pos,
                                             uint64_t step, size_t n, float *restrict out)
{
  size_t done = n & ~(size_t)3;
  uint32_t s = (uint32_t)step;
  flz_vector_u32 frac = flz_vector_lanes_u32((uint32_t)pos, (uint32_t)pos + s,
                                             (uint32_t)pos + 2 * s, (uint32_t)pos + 3 * s);
  flz_vector_u32 advance = flz_vector_dup_u32(4 * s);
  flz_vector_f32 unit = flz_vector_dup_f32(1.0f / 16777216.0f);
  for (size_t i = 0; i < done; i += 4) {
    /* Rows: the frames -1 .. 2 of each position; columns: each frame of
     * the four positions. */
    flz_vector_f32 r0 = flz_vector_load_f32(data + (pos >> 32) - 1);
    flz_vector_f32 r1 = flz_vector_load_f32(data + ((pos + step) >> 32) - 1);
    flz_vector_f32 r2 = flz_vector_load_f32(data + ((pos + 2 * step) >> 32) - 1);
    flz_vector_f32 r3 = flz_vector_load_f32(data + ((pos + 3 * step) >> 32) - 1);
    pos += 4 * step;
#if defined(__SSE2__)
    __m128 t0 = _mm_unpacklo_ps(r0, r1), t1 = _mm_unpackhi_ps(r0, r1);
    __m128 t2 = _mm_unpacklo_ps(r2, r3), t3 = _mm_unpackhi_ps(r2, r3);
    __m128 ym1 = _mm_movelh_ps(t0, t2), y0 = _mm_movehl_ps(t2, t0);
    __m128 y1 = _mm_movelh_ps(t1, t3), y2 = _mm_movehl_ps(t3, t1);
#else
    float32x4x2_t t01 = vtrnq_f32(r0, r1), t23 = vtrnq_f32(r2, r3);
    float32x4_t ym1 = flz_vector_low_halves(t01.val[0], t23.val[0]);
    float32x4_t y0 = flz_vector_low_halves(t01.val[1], t23.val[1]);
    float32x4_t y1 = flz_vector_high_halves(t01.val[0], t23.val[0]);
    float32x4_t y2 = flz_vector_high_halves(t01.val[1], t23.val[1]);
#endif
    flz_vector_f32 x = flz_vector_mul_f32(flz_vector_fraction(frac), unit);
    frac = flz_vector_add_u32(frac, advance);
    flz_vector_store_f32(out + i, flz_vector_hermite4(x, ym1, y0, y1, y2));
  }
  return done;
}

static inline size_t flz_vector_hermite_stereo(const float *restrict data, uint64_t pos,
                                               uint64_t step, size_t n, float *restrict out)
{
  size_t done = n & ~(size_t)1;
  uint32_t s = (uint32_t)step;
  /* Lanes: left and right of a position, then of the next. */
  flz_vector_u32 frac = flz_vector_lanes_u32((uint32_t)pos, (uint32_t)pos, (uint32_t)pos + s,
                                             (uint32_t)pos + s);
  flz_vector_u32 advance = flz_vector_dup_u32(2 * s);
  flz_vector_f32 unit = flz_vector_dup_f32(1.0f / 16777216.0f);
  for (size_t i = 0; i < done; i += 2) {
    /* Frames -1, 0 (a) and 1, 2 (b), left and right, of each position. */
    const float *p = data + 2 * ((pos >> 32) - 1), *q = data + 2 * (((pos + step) >> 32) - 1);
    pos += 2 * step;
    flz_vector_f32 a0 = flz_vector_load_f32(p), b0 = flz_vector_load_f32(p + 4);
    flz_vector_f32 a1 = flz_vector_load_f32(q), b1 = flz_vector_load_f32(q + 4);
    flz_vector_f32 x = flz_vector_mul_f32(flz_vector_fraction(frac), unit);
    frac = flz_vector_add_u32(frac, advance);
    flz_vector_store_f32(out + 2 * i, flz_vector_hermite4(x, flz_vector_low_halves(a0, a1),
                                                          flz_vector_high_halves(a0, a1),
                                                          flz_vector_low_halves(b0, b1),
                                                          flz_vector_high_halves(b0, b1)));
  }
  return done;
}

#else

static inline size_t flz_vector_hermite_mono(const float *restrict data, uint64_t pos,
                                             uint64_t step, size_t n, float *restrict out)
{
  (void)data, (void)pos, (void)step, (void)n, (void)out;
  return 0;
}

static inline size_t flz_vector_hermite_stereo(const float *restrict data, uint64_t pos,
                                               uint64_t step, size_t n, float *restrict out)
{
  (void)data, (void)pos, (void)step, (void)n, (void)out;
  return 0;
}

#endif

#endif
