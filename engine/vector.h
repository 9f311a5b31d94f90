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

#endif
