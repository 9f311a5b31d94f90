/* tools/mkkit.c: flitz-mkkit, the program that synthesizes the built-in
 * default kit at build time.
 *
 * Owns: the 16 sounds of kit/default, made from oscillators, noise and
 * filters in the manner of analog drum machines (no audio is copied from
 * anywhere). It writes files through platform/wav_file.h and names errors
 * with engine/result.h; it must not touch SDL, the engine's real-time code or
 * the app. Deterministic: every file has its own fixed-seed xorshift32, never
 * rand(), so every build writes the same bits.
 *
 * Usage: flitz-mkkit OUTDIR. Creates OUTDIR (and its parents) and writes
 * 01-kick.wav ... 16-zap.wav into it: at the engine's default rate
 * (FLZ_DEFAULT_RATE, so they play unresampled), 32-bit float, peaks at
 * -1 dBFS. One-shots are faded in over 1 ms and out over 10 ms. The two loops
 * are one bar at 120 BPM, exactly 2 s of frames, built from hits and notes
 * that each start and end at zero within the bar, so the bar wraps onto itself
 * without a jump. Exits 1 with "flitz-mkkit: PATH: reason" when a file cannot
 * be made.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/limits.h"
#include "engine/result.h"
#include "platform/wav_file.h"

#define FLZ_PI 3.14159265358979323846
#define FLZ_PEAK 0.89f    /* -1 dBFS: 10^(-1/20) = 0.891 */
#define FLZ_LOOP_BPM 120u /* the loops' tempo, as tools/kits/default/kit.ini says */
#define FLZ_BAR_FRAMES (4u * 60u * FLZ_DEFAULT_RATE / FLZ_LOOP_BPM) /* 4 beats */
#define FLZ_STEP_FRAMES (FLZ_BAR_FRAMES / 16u)                      /* a sixteenth note */
#define FLZ_FADE_IN_FRAMES (FLZ_DEFAULT_RATE / 1000u)          /* 1 ms: removes the onset click */
#define FLZ_FADE_OUT_FRAMES (FLZ_DEFAULT_RATE / 100u)          /* 10 ms: ends every sound at zero */
#define FLZ_NOTE_ATTACK_FRAMES (3u * FLZ_DEFAULT_RATE / 1000u) /* 3 ms attack of a bass note */
#define FLZ_NOTE_RELEASE_FRAMES (8u * FLZ_DEFAULT_RATE / 1000u) /* 8 ms release of a note */
#define FLZ_SEED 0x9e3779b9u /* any non-zero value; file i uses FLZ_SEED + i */

/* Writes `frames` frames of interleaved samples (channels as in the table). */
typedef void flz_mkkit_synth_fn(float *out, uint32_t frames, uint32_t *rng);

/* ---- building blocks ---------------------------------------------------- */

/* xorshift32 (Marsaglia, "Xorshift RNGs", 2003). */
static uint32_t flz_mkkit_rng_next(uint32_t *state)
{
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

/* White noise, uniform in [-1, 1). */
static double flz_mkkit_noise(uint32_t *rng)
{
  return (double)(flz_mkkit_rng_next(rng) >> 8) * (2.0 / 16777216.0) - 1.0;
}

static double flz_mkkit_seconds_of(uint32_t frame)
{
  return (double)frame / FLZ_DEFAULT_RATE;
}

/* Exponential decay with time constant `tau` seconds. */
static double flz_mkkit_decay(double t, double tau)
{
  return exp(-t / tau);
}

/* A frequency (Hz) gliding exponentially from `from` to `to`. */
static double flz_mkkit_sweep(double t, double from, double to, double tau)
{
  return to + (from - to) * exp(-t / tau);
}

/* Advances a phase in cycles by `hz` for one frame, wrapped to [0, 1). */
static double flz_mkkit_advance(double phase, double hz)
{
  phase += hz / FLZ_DEFAULT_RATE;
  return phase - floor(phase);
}

static double flz_mkkit_sine(double phase)
{
  return sin(2.0 * FLZ_PI * phase);
}

static double flz_mkkit_square(double phase)
{
  return phase < 0.5 ? 1.0 : -1.0;
}

/* Band-limited sawtooth: a naive ramp with the PolyBLEP correction at the
 * wrap (Valimaki and Huovilainen, "Antialiasing oscillators in subtractive
 * synthesis", 2007). `dt` is the phase increment per frame. */
static double flz_mkkit_saw(double phase, double dt)
{
  double value = 2.0 * phase - 1.0;
  if (phase < dt) {
    double x = phase / dt;
    value -= x + x - x * x - 1.0;
  } else if (phase > 1.0 - dt) {
    double x = (phase - 1.0) / dt;
    value -= x * x + x + x + 1.0;
  }
  return value;
}

/* Six square waves at inharmonic frequencies: the metallic ring of a
 * drum machine's cymbals and cowbell. `detune` scales every frequency. */
static double flz_mkkit_metal(double t, double detune)
{
  static const double hz[] = {317.0, 433.0, 491.0, 587.0, 746.0, 862.0};
  double sum = 0.0;
  for (size_t i = 0; i < sizeof hz / sizeof hz[0]; i++) {
    double phase = hz[i] * detune * t;
    sum += flz_mkkit_square(phase - floor(phase));
  }
  return sum / 6.0;
}

/* State-variable filter, trapezoidal integration (Andrew Simper, "Linear
 * trapezoidal integrated state variable filter", Cytomic 2013): stable at
 * every cutoff up to Nyquist, so cutoffs may move every frame. */
typedef struct flz_mkkit_svf {
  double ic1, ic2;
} flz_mkkit_svf;

typedef struct flz_mkkit_svf_out {
  double low, band, high; /* band has unity gain at the cutoff */
} flz_mkkit_svf_out;

static flz_mkkit_svf_out flz_mkkit_svf_run(flz_mkkit_svf *f, double in, double hz, double q)
{
  double g = tan(FLZ_PI * hz / FLZ_DEFAULT_RATE);
  double k = 1.0 / q;
  double a1 = 1.0 / (1.0 + g * (g + k));
  double a2 = g * a1;
  double a3 = g * a2;
  double v3 = in - f->ic2;
  double v1 = a1 * f->ic1 + a2 * v3;
  double v2 = f->ic2 + a2 * f->ic1 + a3 * v3;
  f->ic1 = 2.0 * v1 - f->ic1;
  f->ic2 = 2.0 * v2 - f->ic2;
  return (flz_mkkit_svf_out){v2, k * v1, in - k * v1 - v2};
}

/* Raised-cosine gain: 0 at x = 0, 1 at x = 1. */
static float flz_mkkit_ramp(uint32_t x, uint32_t length)
{
  return (float)(0.5 - 0.5 * cos(FLZ_PI * (double)x / (double)length));
}

/* Fades the first `in` frames up from 0 and the last `out` frames down to 0
 * (the first and the last frame become exactly 0). */
static void flz_mkkit_fade_ends(float *data, uint32_t frames, uint32_t channels, uint32_t in,
                                uint32_t out)
{
  for (uint32_t i = 0; i < frames; i++) {
    float gain = 1.0f;
    if (i < in)
      gain *= flz_mkkit_ramp(i, in);
    if (frames - 1 - i < out)
      gain *= flz_mkkit_ramp(frames - 1 - i, out);
    for (uint32_t c = 0; c < channels; c++)
      data[i * channels + c] *= gain;
  }
}

/* Scales all samples so that the largest magnitude is FLZ_PEAK. */
static void flz_mkkit_normalize(float *data, size_t samples)
{
  float peak = 0.0f;
  for (size_t i = 0; i < samples; i++)
    peak = fmaxf(peak, fabsf(data[i]));
  if (peak > 0.0f)
    for (size_t i = 0; i < samples; i++)
      data[i] *= FLZ_PEAK / peak;
}

/* ---- drums -------------------------------------------------------------- */

/* Sine with a fast downward pitch sweep, 150 -> 45 Hz, and a soft clip that
 * thickens it without moving its zero crossings. */
static void flz_mkkit_synth_kick(float *out, uint32_t frames, uint32_t *rng)
{
  (void)rng;
  double phase = 0.0;
  for (uint32_t i = 0; i < frames; i++) {
    double t = flz_mkkit_seconds_of(i);
    out[i] = (float)(tanh(2.0 * flz_mkkit_sine(phase)) * flz_mkkit_decay(t, 0.3));
    phase = flz_mkkit_advance(phase, flz_mkkit_sweep(t, 150.0, 45.0, 0.035));
  }
}

/* A short falling tone for the shell plus high-passed noise for the wires. */
static void flz_mkkit_synth_snare(float *out, uint32_t frames, uint32_t *rng)
{
  double phase = 0.0, overtone = 0.0;
  flz_mkkit_svf high = {0}, low = {0};
  for (uint32_t i = 0; i < frames; i++) {
    double t = flz_mkkit_seconds_of(i);
    double hz = flz_mkkit_sweep(t, 250.0, 185.0, 0.02);
    double tone = (flz_mkkit_sine(phase) + 0.4 * flz_mkkit_sine(overtone)) *
                  flz_mkkit_decay(t, 0.05);
    double wires = flz_mkkit_svf_run(&high, flz_mkkit_noise(rng), 1400.0, 0.7).high;
    wires = flz_mkkit_svf_run(&low, wires, 9000.0, 0.7).low * flz_mkkit_decay(t, 0.09);
    out[i] = (float)(0.55 * tone + wires);
    phase = flz_mkkit_advance(phase, hz);
    overtone = flz_mkkit_advance(overtone, 1.6 * hz);
  }
}

/* Metallic squares and noise through a high-pass at 7 kHz, decaying with
 * time constant `tau`. */
static void flz_mkkit_hat(float *out, uint32_t frames, uint32_t *rng, double tau)
{
  flz_mkkit_svf high = {0};
  for (uint32_t i = 0; i < frames; i++) {
    double t = flz_mkkit_seconds_of(i);
    double source = 0.6 * flz_mkkit_metal(t, 1.0) + 0.5 * flz_mkkit_noise(rng);
    out[i] = (float)(flz_mkkit_svf_run(&high, source, 7000.0, 0.9).high * flz_mkkit_decay(t, tau));
  }
}

static void flz_mkkit_synth_closed_hat(float *out, uint32_t frames, uint32_t *rng)
{
  flz_mkkit_hat(out, frames, rng, 0.03);
}

static void flz_mkkit_synth_open_hat(float *out, uint32_t frames, uint32_t *rng)
{
  flz_mkkit_hat(out, frames, rng, 0.22);
}

/* Band-passed noise in three quick bursts 11 ms apart, then a longer tail:
 * several hands that do not clap at quite the same time. */
static void flz_mkkit_synth_clap(float *out, uint32_t frames, uint32_t *rng)
{
  flz_mkkit_svf band = {0};
  for (uint32_t i = 0; i < frames; i++) {
    double t = flz_mkkit_seconds_of(i);
    double envelope = 0.0;
    for (int burst = 0; burst < 3; burst++) {
      double start = 0.011 * burst;
      if (t >= start)
        envelope = fmax(envelope, flz_mkkit_decay(t - start, 0.004));
    }
    if (t >= 0.033)
      envelope = fmax(envelope, 0.7 * flz_mkkit_decay(t - 0.033, 0.09));
    out[i] = (float)(flz_mkkit_svf_run(&band, flz_mkkit_noise(rng), 1100.0, 1.5).band * envelope);
  }
}

/* A sine falling to `hz` from 1.7 times it, with a short noise stick hit. */
static void flz_mkkit_tom(float *out, uint32_t frames, uint32_t *rng, double hz, double tau)
{
  double phase = 0.0;
  flz_mkkit_svf low = {0};
  for (uint32_t i = 0; i < frames; i++) {
    double t = flz_mkkit_seconds_of(i);
    double stick = flz_mkkit_svf_run(&low, flz_mkkit_noise(rng), 4000.0, 0.7).low *
                   flz_mkkit_decay(t, 0.004);
    out[i] = (float)(flz_mkkit_sine(phase) * flz_mkkit_decay(t, tau) + 0.3 * stick);
    phase = flz_mkkit_advance(phase, flz_mkkit_sweep(t, 1.7 * hz, hz, 0.06));
  }
}

static void flz_mkkit_synth_low_tom(float *out, uint32_t frames, uint32_t *rng)
{
  flz_mkkit_tom(out, frames, rng, 95.0, 0.22);
}

static void flz_mkkit_synth_mid_tom(float *out, uint32_t frames, uint32_t *rng)
{
  flz_mkkit_tom(out, frames, rng, 135.0, 0.19);
}

static void flz_mkkit_synth_high_tom(float *out, uint32_t frames, uint32_t *rng)
{
  flz_mkkit_tom(out, frames, rng, 190.0, 0.16);
}

/* Two high, very short tones and a band-passed click. */
static void flz_mkkit_synth_rim(float *out, uint32_t frames, uint32_t *rng)
{
  flz_mkkit_svf band = {0};
  for (uint32_t i = 0; i < frames; i++) {
    double t = flz_mkkit_seconds_of(i);
    double tone = flz_mkkit_sine(1650.0 * t - floor(1650.0 * t)) * flz_mkkit_decay(t, 0.012) +
                  0.5 * flz_mkkit_sine(480.0 * t - floor(480.0 * t)) * flz_mkkit_decay(t, 0.02);
    double click = flz_mkkit_svf_run(&band, flz_mkkit_noise(rng), 3000.0, 1.0).band *
                   flz_mkkit_decay(t, 0.004);
    out[i] = (float)(tone + click);
  }
}

/* Two square waves a wide non-harmonic interval apart, band-passed, with a
 * fast first decay and a slower ring. */
static void flz_mkkit_synth_cowbell(float *out, uint32_t frames, uint32_t *rng)
{
  (void)rng;
  flz_mkkit_svf band = {0};
  for (uint32_t i = 0; i < frames; i++) {
    double t = flz_mkkit_seconds_of(i);
    double source = flz_mkkit_square(560.0 * t - floor(560.0 * t)) +
                    flz_mkkit_square(845.0 * t - floor(845.0 * t));
    double envelope = 0.6 * flz_mkkit_decay(t, 0.015) + 0.4 * flz_mkkit_decay(t, 0.18);
    out[i] = (float)(flz_mkkit_svf_run(&band, source, 900.0, 0.8).band * envelope);
  }
}

/* Stereo: each side has its own noise and slightly detuned metal, high-passed
 * at 5 kHz, so the two channels are decorrelated. */
static void flz_mkkit_synth_crash(float *out, uint32_t frames, uint32_t *rng)
{
  flz_mkkit_svf high[2] = {{0.0, 0.0}, {0.0, 0.0}};
  static const double detune[2] = {1.0, 1.013};
  for (uint32_t i = 0; i < frames; i++) {
    double t = flz_mkkit_seconds_of(i);
    double envelope = flz_mkkit_decay(t, 0.55) + 0.5 * flz_mkkit_decay(t, 0.01);
    for (int c = 0; c < 2; c++) {
      double source = 0.5 * flz_mkkit_metal(t, 1.7 * detune[c]) + 0.6 * flz_mkkit_noise(rng);
      out[2 * i + (uint32_t)c] = (float)(flz_mkkit_svf_run(&high[c], source, 5000.0, 0.8).high *
                                         envelope);
    }
  }
}

/* High-passed noise that swells for 25 ms, then dies away. */
static void flz_mkkit_synth_shaker(float *out, uint32_t frames, uint32_t *rng)
{
  flz_mkkit_svf high = {0};
  for (uint32_t i = 0; i < frames; i++) {
    double t = flz_mkkit_seconds_of(i);
    double swell = sin(0.5 * FLZ_PI * t / 0.025);
    double envelope = t < 0.025 ? swell * swell : flz_mkkit_decay(t - 0.025, 0.05);
    out[i] = (float)(flz_mkkit_svf_run(&high, flz_mkkit_noise(rng), 6000.0, 0.7).high * envelope);
  }
}

/* ---- tonal sounds ------------------------------------------------------- */

static double flz_mkkit_midi_hz(int note)
{
  return 440.0 * pow(2.0, (note - 69) / 12.0);
}

/* A minor 9 (A3 C4 E4 G4 B4), two detuned saws per note, through a
 * low-pass that closes from 5 kHz to 600 Hz. */
static void flz_mkkit_synth_chord_stab(float *out, uint32_t frames, uint32_t *rng)
{
  (void)rng;
  static const int notes[] = {57, 60, 64, 67, 71};
  enum { FLZ_MKKIT_STAB_VOICES = 2 * sizeof notes / sizeof notes[0] };
  double phase[FLZ_MKKIT_STAB_VOICES] = {0}, hz[FLZ_MKKIT_STAB_VOICES];
  for (size_t v = 0; v < FLZ_MKKIT_STAB_VOICES; v++)
    hz[v] = flz_mkkit_midi_hz(notes[v / 2]) * (v % 2 ? 1.004 : 0.996);
  flz_mkkit_svf low = {0};
  for (uint32_t i = 0; i < frames; i++) {
    double t = flz_mkkit_seconds_of(i);
    double sum = 0.0;
    for (size_t v = 0; v < FLZ_MKKIT_STAB_VOICES; v++) {
      sum += flz_mkkit_saw(phase[v], hz[v] / FLZ_DEFAULT_RATE);
      phase[v] = flz_mkkit_advance(phase[v], hz[v]);
    }
    out[i] =
      (float)(flz_mkkit_svf_run(&low, sum, flz_mkkit_sweep(t, 5000.0, 600.0, 0.12), 1.2).low *
              flz_mkkit_decay(t, 0.25));
  }
}

/* A sine diving from 2.4 kHz to 70 Hz. */
static void flz_mkkit_synth_zap(float *out, uint32_t frames, uint32_t *rng)
{
  (void)rng;
  double phase = 0.0;
  for (uint32_t i = 0; i < frames; i++) {
    double t = flz_mkkit_seconds_of(i);
    out[i] = (float)(flz_mkkit_sine(phase) * flz_mkkit_decay(t, 0.12));
    phase = flz_mkkit_advance(phase, flz_mkkit_sweep(t, 2400.0, 70.0, 0.05));
  }
}

/* ---- loops: one bar of 16 steps at 120 BPM ------------------------------ */

typedef struct flz_mkkit_note {
  uint32_t step, steps; /* start and length in sixteenths */
  int midi;
} flz_mkkit_note;

/* A one-bar bass line in A minor: saws through a resonant low-pass whose
 * cutoff falls at each note. Every note rises from 0 over 3 ms and falls back
 * to 0 over its last 8 ms, after the filter, and the last note ends on the bar
 * line: the bar starts and ends at 0 like every note boundary inside it. */
static void flz_mkkit_synth_bass_loop(float *out, uint32_t frames, uint32_t *rng)
{
  (void)rng;
  static const flz_mkkit_note line[] = {
    {0, 2, 33},  {3, 1, 33},  {4, 2, 45},  {6, 1, 33},  {7, 1, 43},  {8, 2, 36},
    {10, 1, 40}, {11, 1, 36}, {12, 2, 31}, {14, 1, 43}, {15, 1, 38},
  };
  memset(out, 0, sizeof *out * frames);
  for (size_t n = 0; n < sizeof line / sizeof line[0]; n++) {
    uint32_t start = line[n].step * FLZ_STEP_FRAMES;
    uint32_t length = line[n].steps * FLZ_STEP_FRAMES;
    double hz = flz_mkkit_midi_hz(line[n].midi);
    double phase = 0.0;
    flz_mkkit_svf low = {0};
    for (uint32_t j = 0; j < length && start + j < frames; j++) {
      double t = flz_mkkit_seconds_of(j);
      double saw = flz_mkkit_saw(phase, hz / FLZ_DEFAULT_RATE);
      double cutoff = flz_mkkit_sweep(t, 2400.0, 180.0, 0.07);
      double tone = flz_mkkit_svf_run(&low, saw, cutoff, 4.0).low;
      float gate = 1.0f;
      if (j < FLZ_NOTE_ATTACK_FRAMES)
        gate *= flz_mkkit_ramp(j, FLZ_NOTE_ATTACK_FRAMES);
      if (length - 1 - j < FLZ_NOTE_RELEASE_FRAMES)
        gate *= flz_mkkit_ramp(length - 1 - j, FLZ_NOTE_RELEASE_FRAMES);
      out[start + j] = (float)(tone * flz_mkkit_decay(t, 0.4)) * gate;
      phase = flz_mkkit_advance(phase, hz);
    }
  }
}

typedef struct flz_mkkit_hit {
  flz_mkkit_synth_fn *synth; /* a mono drum voice */
  uint32_t step, steps;      /* start and length in sixteenths; step + steps <= 16 */
  float gain;
  float pan; /* -1 left .. +1 right */
} flz_mkkit_hit;

/* One bar of drums in stereo, made of the voices above. Each hit is rendered
 * for its length in steps, faded in over 1 ms and out over 10 ms (a hit cut
 * short is choked, as a closed hat chokes an open one), then panned with
 * constant power. No hit crosses the bar line, so the bar starts and ends at
 * exactly 0 and wraps onto itself. */
static void flz_mkkit_synth_drum_loop(float *out, uint32_t frames, uint32_t *rng)
{
  static const flz_mkkit_hit hits[] = {
    {flz_mkkit_synth_kick, 0, 8, 1.0f, 0.0f},
    {flz_mkkit_synth_kick, 8, 8, 1.0f, 0.0f},
    {flz_mkkit_synth_kick, 10, 6, 0.8f, 0.0f},
    {flz_mkkit_synth_snare, 4, 4, 0.7f, 0.15f},
    {flz_mkkit_synth_snare, 12, 4, 0.7f, 0.15f},
    {flz_mkkit_synth_clap, 12, 4, 0.45f, -0.2f},
    {flz_mkkit_synth_closed_hat, 0, 2, 0.35f, -0.35f},
    {flz_mkkit_synth_closed_hat, 2, 2, 0.25f, -0.35f},
    {flz_mkkit_synth_closed_hat, 4, 2, 0.35f, -0.35f},
    {flz_mkkit_synth_open_hat, 6, 2, 0.3f, -0.35f},
    {flz_mkkit_synth_closed_hat, 8, 2, 0.35f, -0.35f},
    {flz_mkkit_synth_closed_hat, 10, 2, 0.25f, -0.35f},
    {flz_mkkit_synth_closed_hat, 12, 2, 0.35f, -0.35f},
    {flz_mkkit_synth_closed_hat, 14, 2, 0.25f, -0.35f},
    {flz_mkkit_synth_shaker, 3, 2, 0.2f, 0.5f},
    {flz_mkkit_synth_shaker, 7, 2, 0.2f, 0.5f},
    {flz_mkkit_synth_shaker, 11, 2, 0.2f, 0.5f},
    {flz_mkkit_synth_shaker, 15, 1, 0.2f, 0.5f},
    {flz_mkkit_synth_rim, 13, 1, 0.25f, 0.3f},
  };
  static float voice[16 * FLZ_STEP_FRAMES];
  memset(out, 0, sizeof *out * 2 * frames);
  for (size_t h = 0; h < sizeof hits / sizeof hits[0]; h++) {
    uint32_t start = hits[h].step * FLZ_STEP_FRAMES;
    uint32_t length = hits[h].steps * FLZ_STEP_FRAMES;
    double angle = (hits[h].pan + 1.0) * FLZ_PI / 4.0;
    float left = hits[h].gain * (float)cos(angle);
    float right = hits[h].gain * (float)sin(angle);
    hits[h].synth(voice, length, rng);
    flz_mkkit_fade_ends(voice, length, 1, FLZ_FADE_IN_FRAMES, FLZ_FADE_OUT_FRAMES);
    for (uint32_t j = 0; j < length && start + j < frames; j++) {
      out[2 * (start + j)] += left * voice[j];
      out[2 * (start + j) + 1] += right * voice[j];
    }
  }
}

/* ---- the kit ------------------------------------------------------------ */

typedef struct flz_mkkit_sound {
  const char *name; /* natural sort order is pad order */
  flz_mkkit_synth_fn *synth;
  double seconds;
  uint32_t channels;
  bool loop; /* made of hits that start and end inside the bar: no file fade */
} flz_mkkit_sound;

static const flz_mkkit_sound flz_mkkit_sounds[] = {
  {"01-kick.wav", flz_mkkit_synth_kick, 0.8, 1, false},
  {"02-snare.wav", flz_mkkit_synth_snare, 0.4, 1, false},
  {"03-closed-hat.wav", flz_mkkit_synth_closed_hat, 0.15, 1, false},
  {"04-open-hat.wav", flz_mkkit_synth_open_hat, 0.8, 1, false},
  {"05-clap.wav", flz_mkkit_synth_clap, 0.5, 1, false},
  {"06-low-tom.wav", flz_mkkit_synth_low_tom, 0.7, 1, false},
  {"07-mid-tom.wav", flz_mkkit_synth_mid_tom, 0.6, 1, false},
  {"08-high-tom.wav", flz_mkkit_synth_high_tom, 0.5, 1, false},
  {"09-rim.wav", flz_mkkit_synth_rim, 0.15, 1, false},
  {"10-cowbell.wav", flz_mkkit_synth_cowbell, 0.6, 1, false},
  {"11-crash.wav", flz_mkkit_synth_crash, 2.0, 2, false},
  {"12-shaker.wav", flz_mkkit_synth_shaker, 0.25, 1, false},
  {"13-bass-loop.wav", flz_mkkit_synth_bass_loop, 2.0, 1, true},
  {"14-drum-loop.wav", flz_mkkit_synth_drum_loop, 2.0, 2, true},
  {"15-chord-stab.wav", flz_mkkit_synth_chord_stab, 1.0, 1, false},
  {"16-zap.wav", flz_mkkit_synth_zap, 0.4, 1, false},
};

/* Synthesizes `s` with the seed `seed` and writes it to `path`. */
static int flz_mkkit_write_sound(const flz_mkkit_sound *s, uint32_t seed, const char *path)
{
  uint32_t frames = (uint32_t)lround(s->seconds * FLZ_DEFAULT_RATE);
  float *data = malloc(sizeof *data * frames * s->channels);
  if (data == NULL)
    return FLZ_ERR_NO_MEMORY;
  uint32_t rng = seed;
  s->synth(data, frames, &rng);
  if (!s->loop)
    flz_mkkit_fade_ends(data, frames, s->channels, FLZ_FADE_IN_FRAMES, FLZ_FADE_OUT_FRAMES);
  flz_mkkit_normalize(data, (size_t)frames * s->channels);
  flz_wav_file wav;
  int result = flz_wav_file_open(&wav, path, FLZ_WAV_FLOAT32, s->channels, FLZ_DEFAULT_RATE);
  if (result == FLZ_OK) {
    result = flz_wav_file_write(&wav, data, frames);
    int closed = flz_wav_file_close(&wav);
    if (result == FLZ_OK)
      result = closed;
  }
  free(data);
  return result;
}

/* mkdir -p: creates `path` and its missing parents. Returns 0, or -1 with
 * errno set. */
static int flz_mkkit_make_dirs(const char *path)
{
  char *copy = strdup(path);
  if (copy == NULL)
    return -1;
  int error = 0;
  for (char *p = copy + 1; *p != '\0' && error == 0; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(copy, 0777) != 0 && errno != EEXIST)
      error = errno;
    *p = '/';
  }
  if (error == 0 && mkdir(copy, 0777) != 0) {
    struct stat st;
    if (errno != EEXIST)
      error = errno;
    else if (stat(copy, &st) != 0 || !S_ISDIR(st.st_mode))
      error = ENOTDIR;
  }
  free(copy);
  errno = error;
  return error == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: flitz-mkkit OUTDIR\n");
    return 2;
  }
  const char *dir = argv[1];
  if (flz_mkkit_make_dirs(dir) != 0) {
    fprintf(stderr, "flitz-mkkit: %s: %s\n", dir, strerror(errno));
    return 1;
  }
  for (size_t i = 0; i < sizeof flz_mkkit_sounds / sizeof flz_mkkit_sounds[0]; i++) {
    size_t size = strlen(dir) + 1 + strlen(flz_mkkit_sounds[i].name) + 1;
    char *path = malloc(size);
    if (path == NULL) {
      fprintf(stderr, "flitz-mkkit: %s: %s\n", flz_mkkit_sounds[i].name,
              flz_result_message(FLZ_ERR_NO_MEMORY));
      return 1;
    }
    snprintf(path, size, "%s/%s", dir, flz_mkkit_sounds[i].name);
    int result = flz_mkkit_write_sound(&flz_mkkit_sounds[i], FLZ_SEED + (uint32_t)i, path);
    if (result != FLZ_OK) {
      fprintf(stderr, "flitz-mkkit: %s: %s\n", path, flz_result_message(result));
      free(path);
      return 1;
    }
    free(path);
  }
  return 0;
}
