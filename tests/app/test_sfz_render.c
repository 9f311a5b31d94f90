/* tests/app/test_sfz_render.c: SFZ kits end to end through `flitz render`.
 * The tests write SFZ files over the real samples of Debian's hydrogen-data
 * (its GMRockKit: five velocity layers per drum, 44.1 kHz mono WAV), render
 * note events at 44.1 kHz (no rate conversion) and compare the output frame
 * by frame with the files decoded: the layer at each velocity boundary, the
 * round-robin order, a release region, a choke's fade by the choked
 * region's release (between pads and between two layers of one pad), each
 * choked voice by its own region's off_mode (normal or time), the
 * envelope against its formula, each region's sample_quality against
 * its interpolation's formula, the regions a note's MIDI channel picks,
 * <master> inheritance, offset, transpose and tune, pan's balance law,
 * lorand/hirand against the render's random sequence, note_polyphony,
 * offby, no_loop and loop_continuous. Also the reader's
 * messages: a warning for an unknown opcode, an error line for a malformed
 * one, and `flitz check`'s region lines. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>
#include <cmocka.h>

#include "app/check.h"
#include "app/render.h"
#include "capture.h"
#include "engine/result.h"
#include "platform/decode.h"
#include "tempdir.h"
#include "wavread.h"

#define RATE 44100u
#define GMROCK "/usr/share/hydrogen/data/drumkits/GMRockKit"

static char dir[64];

static int setup(void **state)
{
  (void)state;
  flz_tempdir_make(dir, sizeof dir, "flitz-sfz-render");
  char link[128];
  snprintf(link, sizeof link, "%s/GMRockKit", dir);
  assert_int_equal(symlink(GMROCK, link), 0); /* relative sample paths reach it */
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  flz_tempdir_remove(dir);
  return 0;
}

static void write_file(const char *name, const char *text)
{
  char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  flz_tempdir_write(path, text);
}

/* Renders `script` on kit `sfz` (written to DIR/kit.sfz) and reads the
 * output back; `err` gets what it printed on stderr (free it). */
static flz_wavread_wav render(const char *sfz, const char *script, const char *seconds, char **err)
{
  write_file("kit.sfz", sfz);
  write_file("events.txt", script);
  char kit[128], events[128], out[128];
  snprintf(kit, sizeof kit, "%s/kit.sfz", dir);
  snprintf(events, sizeof events, "%s/events.txt", dir);
  snprintf(out, sizeof out, "%s/out.wav", dir);
  char *argv[] = {"render", "--rate", "44100", "--seconds", (char *)seconds,
                  kit,      events,   out,     NULL};
  flz_capture c = flz_capture_run(flz_render_main, 8, argv);
  if (c.code != 0)
    fail_msg("render exit %d: %s", c.code, c.err);
  *err = strdup(c.err);
  flz_capture_free(&c);
  flz_wavread_wav w = flz_wavread_load(out, AUDIO_F32LSB);
  assert_int_equal(w.rate, RATE);
  return w;
}

static flz_wavread_wav render_quiet(const char *sfz, const char *script, const char *seconds)
{
  char *err = NULL;
  flz_wavread_wav w = render(sfz, script, seconds, &err);
  assert_string_equal(err, "");
  free(err);
  return w;
}

/* GMRockKit file `name` decoded at its own rate (44.1 kHz, as rendered). */
static flz_decoded sample(const char *name)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", GMROCK, name);
  flz_decoded d;
  assert_int_equal(flz_decode_file(path, RATE, &d, NULL, NULL, 0), FLZ_OK);
  assert_int_equal(d.channels, 1);
  return d;
}

/* Asserts that frames [from, from + the sample's length) of both channels
 * are the sample as it is, and that `quiet_after` frames after it are
 * silent (0: not checked). */
static void assert_plays(const flz_wavread_wav *w, uint64_t from, const flz_decoded *d,
                         uint64_t quiet_after)
{
  assert_true(from + d->frame_count + quiet_after <= w->frames);
  for (uint64_t i = 0; i < d->frame_count; i++)
    if (w->data[2 * (from + i)] != d->data[i] || w->data[2 * (from + i) + 1] != d->data[i])
      fail_msg("frame %llu: %g, the sample has %g", (unsigned long long)(from + i),
               (double)w->data[2 * (from + i)], (double)d->data[i]);
  for (uint64_t i = 0; i < quiet_after; i++)
    assert_true(w->data[2 * (from + d->frame_count + i)] == 0.0f);
}

/* Asserts that the left channel of frame `f` of `w` is `want`, clipped to
 * -1..1 as the output is. */
static void expect_frame(const flz_wavread_wav *w, uint64_t f, float want)
{
  want = want > 1.0f ? 1.0f : (want < -1.0f ? -1.0f : want);
  if (w->data[2 * f] != want)
    fail_msg("frame %llu: %g, want %g", (unsigned long long)f, (double)w->data[2 * f],
             (double)want);
}

/* The five kick layers over the velocity range, written with #define, a
 * <global>, note names and an included file. */
static const char kick_layers[] = "// five layers of GMRockKit's kick\n"
                                  "#define $KICK c2\n"
                                  "<control> default_path=GMRockKit/\n"
                                  "<global> amp_veltrack=0 /* the layers alone set the level */\n"
                                  "<group> key=$KICK\n"
                                  "<region> sample=Kick-Softest.wav lovel=1 hivel=25\n"
                                  "<region> sample=Kick-Soft.wav lovel=26 hivel=50\n"
                                  "#include \"med.sfz\"\n"
                                  "<region> sample=Kick-Hard.wav lovel=76 hivel=100\n"
                                  "<region> sample=Kick-Hardest.wav lovel=101 hivel=127\n";

static void each_velocity_boundary_plays_its_layer_sample_exactly(void **state)
{
  (void)state;
  write_file("med.sfz", "<region> sample=Kick-Med.wav lovel=51 hivel=75\n");
  static const unsigned velocities[] = {1, 25, 26, 50, 51, 75, 76, 100, 101, 127};
  static const char *const layers[] = {"Kick-Softest.wav", "Kick-Softest.wav", "Kick-Soft.wav",
                                       "Kick-Soft.wav",    "Kick-Med.wav",     "Kick-Med.wav",
                                       "Kick-Hard.wav",    "Kick-Hard.wav",    "Kick-Hardest.wav",
                                       "Kick-Hardest.wav"};
  char script[512] = "";
  for (unsigned i = 0; i < 10; i++) {
    char line[64];
    snprintf(line, sizeof line, "%u note 36 %u\n", i, velocities[i]);
    strcat(script, line);
  }
  flz_wavread_wav w = render_quiet(kick_layers, script, "10");
  for (unsigned i = 0; i < 10; i++) {
    flz_decoded d = sample(layers[i]);
    assert_true(d.frame_count < RATE / 2);
    assert_plays(&w, (uint64_t)i * RATE, &d, RATE / 4);
    flz_decode_free(&d);
  }
  free(w.data);
}

static void round_robin_regions_play_in_turn(void **state)
{
  (void)state;
  static const char sfz[] = "<group> key=38 seq_length=3 amp_veltrack=0\n"
                            "<region> sample=GMRockKit/Snare-Soft.wav seq_position=1\n"
                            "<region> sample=GMRockKit/Snare-Med.wav seq_position=2\n"
                            "<region> sample=GMRockKit/Snare-Hard.wav seq_position=3\n";
  flz_wavread_wav w = render_quiet(
    sfz, "0 note d2 90\n2 note 38 90\n4 note 38 90\n6 note 38 90\n8 play 1 1\n", "10");
  static const char *const order[] = {"Snare-Soft.wav", "Snare-Med.wav", "Snare-Hard.wav",
                                      "Snare-Soft.wav", "Snare-Med.wav"};
  for (unsigned i = 0; i < 5; i++) {
    flz_decoded d = sample(order[i]);
    assert_true(d.frame_count < 2 * RATE);
    assert_plays(&w, (uint64_t)i * 2 * RATE, &d, RATE / 4);
    flz_decode_free(&d);
  }
  free(w.data);
}

static void a_release_region_sounds_when_the_pad_is_released(void **state)
{
  (void)state;
  static const char sfz[] = "<group> key=36 amp_veltrack=0\n"
                            "<region> sample=GMRockKit/Kick-Med.wav loop_mode=one_shot\n"
                            "<region> sample=GMRockKit/SideStick-Med.wav trigger=release\n";
  flz_wavread_wav w = render_quiet(sfz, "0 note 36 100\n0.25 release 1\n", "2");
  flz_decoded kick = sample("Kick-Med.wav"), clap = sample("SideStick-Med.wav");
  uint64_t at = RATE / 4;
  for (uint64_t f = 0; f < at; f++)
    assert_true(w.data[2 * f] == kick.data[f]);
  for (uint64_t i = 0; i < clap.frame_count; i++) {
    float k = at + i < kick.frame_count ? kick.data[at + i] : 0.0f;
    expect_frame(&w, at + i, k + clap.data[i]);
  }
  flz_decode_free(&kick);
  flz_decode_free(&clap);
  free(w.data);
}

/* Asserts that `w` plays GMRockKit's open hat from frame 0 and its closed
 * hat from frame `at`, whose sounding fades the open hat over its 0.05 s
 * release (ampeg_release=0.05, off_mode=normal) to silence. */
static void expect_choke(const flz_wavread_wav *w, uint64_t at)
{
  flz_decoded open = sample("HatOpen-Hard.wav"), closed = sample("HatClosed-Hard.wav");
  const uint32_t release = 2205; /* 0.05 s at 44.1 kHz */
  assert_true(open.frame_count > at + release && closed.frame_count > release);
  for (uint64_t f = 0; f < at; f++)
    assert_true(w->data[2 * f] == open.data[f]);
  float step = 1.0f / (float)release;
  for (uint32_t k = 0; k < release; k++) {
    float gain = step * (float)(release - 1 - k); /* the engine's ramp to 0 */
    float want = 0.0f + open.data[at + k] * gain;
    expect_frame(w, at + k, want + closed.data[k]);
  }
  for (uint64_t i = release; i < closed.frame_count; i++)
    assert_true(w->data[2 * (at + i)] == closed.data[i]);
  flz_decode_free(&open);
  flz_decode_free(&closed);
}

/* Renders the closed hat choking the open hat, whose region names its
 * choke group with `off_by` (off_by or its alias offby), and checks it. */
static void expect_closed_hat_chokes(const char *off_by)
{
  char sfz[256];
  snprintf(sfz, sizeof sfz,
           "<global> amp_veltrack=0\n"
           "<region> sample=GMRockKit/HatOpen-Hard.wav key=46 %s=1 off_mode=normal "
           "ampeg_release=0.05\n"
           "<region> sample=GMRockKit/HatClosed-Hard.wav key=42 group=1\n",
           off_by);
  flz_wavread_wav w = render_quiet(sfz, "0 note 46 100\n0.2 note 42 100\n", "1");
  expect_choke(&w, RATE / 5);
  free(w.data);
}

static void a_closed_hat_chokes_the_open_hat_over_its_release(void **state)
{
  (void)state;
  expect_closed_hat_chokes("off_by");
}

static void the_envelope_shapes_the_sample_by_its_formula(void **state)
{
  (void)state;
  static const char sfz[] = "<region> sample=GMRockKit/Crash-Hard.wav key=49 amp_veltrack=0 "
                            "ampeg_attack=0.01 ampeg_hold=0.005 ampeg_decay=0.02 "
                            "ampeg_sustain=50\n";
  flz_wavread_wav w = render_quiet(sfz, "0 note 49 127\n", "0.5");
  flz_decoded crash = sample("Crash-Hard.wav");
  const uint32_t a = 441, h = 221, d = 882; /* 10, 5 and 20 ms at 44.1 kHz, rounded */
  float attack_step = (0.0f - 1.0f) / (float)a, decay_step = (1.0f - 0.5f) / (float)d;
  for (uint32_t i = 0; i < RATE / 2; i++) {
    float gain;
    if (i < a)
      gain = 1.0f + attack_step * (float)(a - 1 - i);
    else if (i < a + h)
      gain = 1.0f;
    else if (i < a + h + d)
      gain = 0.5f + decay_step * (float)(a + h + d - 1 - i);
    else
      gain = 0.5f;
    float want = 0.0f + crash.data[i] * gain;
    if (w.data[2 * i] != want)
      fail_msg("frame %u: %g, want %g", i, (double)w.data[2 * i], (double)want);
  }
  flz_decode_free(&crash);
  free(w.data);
}

/* Frame `at` of `d`, 0 outside it (the interpolators' edge rule). */
static float frame_of(const flz_decoded *d, int64_t at)
{
  return at >= 0 && at < (int64_t)d->frame_count ? d->data[at] : 0.0f;
}

/* The value a voice of mode `quality` (1 linear, 2 hermite) plays at 32.32
 * position `pos` of `d`: engine/engine.c's linear read and
 * engine/interpolate.c's cubic through four frames, operation for
 * operation. */
static float interpolated(const flz_decoded *d, uint64_t pos, int quality)
{
  int64_t at = (int64_t)(pos >> 32);
  float y0 = frame_of(d, at), y1 = frame_of(d, at + 1);
  if (quality == 1)
    return y0 + (y1 - y0) * ((float)(int32_t)((uint32_t)pos >> 8) * (1.0f / 16777216.0f));
  float ym1 = frame_of(d, at - 1), y2 = frame_of(d, at + 2);
  float x = (float)((uint32_t)pos >> 8) * (1.0f / 16777216.0f);
  float c2 = 0.5f * (ym1 + y1) - y0;
  float c3 = (1.0f / 6.0f) * (y2 - ym1) + 0.5f * (y0 - y1);
  float c1 = ((y1 - y0) - c2) - c3;
  return ((c3 * x + c2) * x + c1) * x + y0;
}

/* Four pads each 7 semitones above their pitch_keycenter: sample_quality 1
 * plays linear, 2 hermite (so does no sample_quality: Flitz's default), 7
 * sinc, each to its formula's bits; the rest of each second is silent. */
static void each_regions_sample_quality_picks_its_interpolation(void **state)
{
  (void)state;
  static const char sfz[] = "<global> amp_veltrack=0 sample=GMRockKit/Kick-Med.wav\n"
                            "<region> key=55 pitch_keycenter=48 sample_quality=1\n"
                            "<region> key=57 pitch_keycenter=50 sample_quality=2\n"
                            "<region> key=59 pitch_keycenter=52 sample_quality=7\n"
                            "<region> key=61 pitch_keycenter=54\n";
  flz_wavread_wav w = render_quiet(
    sfz, "0 note 55 127\n1 note 57 127\n2 note 59 127\n3 note 61 127\n", "4");
  flz_decoded kick = sample("Kick-Med.wav");
  uint64_t step = (uint64_t)llround((double)exp2f(7.0f / 12.0f) * 4294967296.0);
  uint64_t played = (((uint64_t)kick.frame_count << 32) + step - 1) / step; /* frames it lasts */
  assert_true(played < RATE / 2);
  static const int modes[] = {1, 2, 0, 2}; /* 0: sinc, checked against the others */
  uint32_t sinc_differs = 0;
  for (unsigned n = 0; n < 4; n++) {
    const float *out = w.data + 2 * (uint64_t)n * RATE;
    for (uint64_t i = 0; i < played && modes[n] == 0; i++)
      sinc_differs += out[2 * i] != interpolated(&kick, i * step, 1) &&
                      out[2 * i] != interpolated(&kick, i * step, 2);
    for (uint64_t i = 0; i < played && modes[n] != 0; i++) {
      float want = interpolated(&kick, i * step, modes[n]);
      if (out[2 * i] != want || out[2 * i + 1] != want)
        fail_msg("pad %u frame %llu: %g, want %g", n + 1, (unsigned long long)i, (double)out[2 * i],
                 (double)want);
    }
    for (uint64_t i = played; i < RATE / 2; i++)
      assert_true(out[2 * i] == 0.0f);
  }
  assert_true(sinc_differs > played / 2);
  flz_decode_free(&kick);
  free(w.data);
}

/* Two layers of one pad in different groups: the closed hat (group 2)
 * chokes the open hat (off_by=2) over its release, region by region, as the
 * SFZ format says (a pad-wide group would take the pad's first region's);
 * an open hat does not choke the open hat before it (its group, 1, is no
 * region's off_by): the two sound together. */
static void a_regions_group_chokes_by_region_within_one_pad(void **state)
{
  (void)state;
  static const char sfz[] = "<global> amp_veltrack=0 key=46 off_mode=normal ampeg_release=0.05\n"
                            "<region> sample=GMRockKit/HatOpen-Hard.wav hivel=64 group=1 off_by=2\n"
                            "<region> sample=GMRockKit/HatClosed-Hard.wav lovel=65 group=2\n";
  flz_wavread_wav w = render_quiet(
    sfz, "0 note 46 30\n0.2 note 46 100\n1 note 46 30\n1.2 note 46 30\n", "2");
  uint64_t at = RATE / 5;
  expect_choke(&w, at);
  flz_decoded open = sample("HatOpen-Hard.wav"), closed = sample("HatClosed-Hard.wav");
  assert_true(closed.frame_count < RATE - at);
  for (uint64_t f = at + closed.frame_count; f < RATE; f++)
    assert_true(w.data[2 * f] == 0.0f);
  for (uint64_t f = RATE; f < 2 * RATE; f++) {
    float first = frame_of(&open, (int64_t)(f - RATE));
    float second = f >= RATE + at ? frame_of(&open, (int64_t)(f - RATE - at)) : 0.0f;
    expect_frame(&w, f, first + second);
  }
  flz_decode_free(&open);
  flz_decode_free(&closed);
  free(w.data);
}

/* Each voice fades by its own region's off_mode, whoever chokes it: the
 * open hat's hard layer (off_mode=normal, release 0.05 s: 2205 frames) and
 * soft layer (off_mode=time, off_time=0.01: 441 frames) share group and
 * off_by 1 with the closed hat. The soft press at 0.2 s chokes the hard
 * voice of its own pad over 2205 frames; the closed hat at 0.4 s chokes the
 * soft voice over 441. */
static void each_choked_voice_fades_by_its_own_regions_off_mode(void **state)
{
  (void)state;
  static const char sfz[] =
    "<global> amp_veltrack=0 key=46 group=1 off_by=1 ampeg_release=0.05\n"
    "<region> sample=GMRockKit/HatOpen-Hard.wav hivel=64 off_mode=time off_time=0.01\n"
    "<region> sample=GMRockKit/HatOpen-Hard.wav lovel=65 off_mode=normal\n"
    "<region> sample=GMRockKit/HatClosed-Hard.wav key=42\n";
  flz_wavread_wav w = render_quiet(sfz, "0 note 46 100\n0.2 note 46 30\n0.4 note 42 100\n", "1");
  flz_decoded open = sample("HatOpen-Hard.wav"), closed = sample("HatClosed-Hard.wav");
  const uint64_t again = RATE / 5, at = 2 * RATE / 5;
  const uint32_t release = 2205, off_time = 441; /* 0.05 s and 0.01 s at 44.1 kHz */
  assert_true(open.frame_count > at && closed.frame_count > off_time);
  for (uint64_t f = 0; f < at + off_time; f++) {
    uint64_t k = f - again, j = f - at;
    float hard = f < again     ? open.data[f]
                 : k < release ? open.data[f] * ((1.0f / (float)release) * (float)(release - 1 - k))
                               : 0.0f;
    float soft = f < again ? 0.0f
                 : f < at  ? open.data[k]
                           : open.data[k] * ((1.0f / (float)off_time) * (float)(off_time - 1 - j));
    expect_frame(&w, f, 0.0f + hard + soft + (f >= at ? closed.data[j] : 0.0f));
  }
  for (uint64_t i = off_time; i < closed.frame_count; i++)
    assert_true(w.data[2 * (at + i)] == closed.data[i]);
  flz_decode_free(&open);
  flz_decode_free(&closed);
  free(w.data);
}

/* lochan..hichan: on one key, channel 1 plays the kick, channels 2..16 the
 * side stick; a note without a channel is on channel 1; `play` (no channel)
 * sounds both. */
static void a_notes_channel_picks_the_regions_of_its_range(void **state)
{
  (void)state;
  static const char sfz[] = "<group> key=36 amp_veltrack=0\n"
                            "<region> sample=GMRockKit/Kick-Med.wav lochan=1 hichan=1\n"
                            "<region> sample=GMRockKit/SideStick-Med.wav lochan=2\n";
  flz_wavread_wav w = render_quiet(
    sfz, "0 note 36 100 1\n1 note 36 100 2\n2 note 36 100 16\n3 note 36 100\n4 play 1 1\n", "5");
  flz_decoded kick = sample("Kick-Med.wav"), snare = sample("SideStick-Med.wav");
  assert_true(kick.frame_count < RATE / 2 && snare.frame_count < RATE * 3 / 4);
  assert_plays(&w, 0, &kick, RATE / 4);
  assert_plays(&w, RATE, &snare, RATE / 8);
  assert_plays(&w, 2 * RATE, &snare, RATE / 8);
  assert_plays(&w, 3 * RATE, &kick, RATE / 4);
  for (uint64_t i = 0; i < RATE; i++)
    expect_frame(&w, 4 * RATE + i, frame_of(&kick, (int64_t)i) + frame_of(&snare, (int64_t)i));
  flz_decode_free(&kick);
  flz_decode_free(&snare);
  free(w.data);
}

/* Asserts that frames [from, until) of both channels are `d` from its
 * frame `skip` on, then silence. */
static void assert_plays_from(const flz_wavread_wav *w, uint64_t from, const flz_decoded *d,
                              uint64_t skip, uint64_t until)
{
  assert_true(skip < d->frame_count && from + d->frame_count - skip <= until && until <= w->frames);
  for (uint64_t f = from; f < until; f++) {
    float want = f - from + skip < d->frame_count ? d->data[f - from + skip] : 0.0f;
    if (w->data[2 * f] != want || w->data[2 * f + 1] != want)
      fail_msg("frame %llu: %g, want %g", (unsigned long long)f, (double)w->data[2 * f],
               (double)want);
  }
}

/* <master> opcodes reach the groups and regions after it, which override
 * them; the next <master> starts again from the <global>'s. */
static void master_opcodes_inherit_into_groups_and_regions(void **state)
{
  (void)state;
  static const char sfz[] = "<global> amp_veltrack=0 sample=GMRockKit/Kick-Med.wav\n"
                            "<master> key=36 offset=1000\n"
                            "<region>\n"
                            "<group> offset=2000\n"
                            "<region> key=37\n"
                            "<master> key=38\n"
                            "<region> sample=GMRockKit/SideStick-Med.wav\n";
  flz_wavread_wav w = render_quiet(sfz, "0 note 36 127\n1 note 37 127\n2 note 38 127\n", "3");
  flz_decoded kick = sample("Kick-Med.wav"), stick = sample("SideStick-Med.wav");
  assert_plays_from(&w, 0, &kick, 1000, RATE);
  assert_plays_from(&w, RATE, &kick, 2000, 2 * RATE);
  assert_plays_from(&w, 2 * RATE, &stick, 0, 3 * RATE);
  flz_decode_free(&kick);
  flz_decode_free(&stick);
  free(w.data);
}

/* offset=1000: the voice starts at the file's frame 1000 and plays to its
 * end, frame for frame. */
static void offset_starts_the_sample_at_its_frame(void **state)
{
  (void)state;
  static const char sfz[] = "<region> sample=GMRockKit/Kick-Med.wav key=36 amp_veltrack=0 "
                            "offset=1000\n";
  flz_wavread_wav w = render_quiet(sfz, "0 note 36 127\n", "1");
  flz_decoded kick = sample("Kick-Med.wav");
  assert_plays_from(&w, 0, &kick, 1000, RATE);
  flz_decode_free(&kick);
  free(w.data);
}

/* transpose=12 at the key center plays at a rate of exactly 2 (every
 * second frame, hermite on whole positions: the frame itself); tune=-1200
 * at exactly 0.5 (hermite between the frames, to its formula); transpose=1
 * with tune=-100 cancel out: the sample as it is. */
static void transpose_and_tune_set_the_rate(void **state)
{
  (void)state;
  static const char sfz[] = "<global> amp_veltrack=0 sample=GMRockKit/Kick-Med.wav\n"
                            "<region> key=36 transpose=12\n"
                            "<region> key=38 tune=-1200\n"
                            "<region> key=40 transpose=1 tune=-100\n";
  flz_wavread_wav w = render_quiet(sfz, "0 note 36 127\n1 note 38 127\n2 note 40 127\n", "3");
  flz_decoded kick = sample("Kick-Med.wav");
  uint64_t n = kick.frame_count;
  for (uint64_t i = 0; i < RATE; i++) {
    float want = 2 * i < n ? kick.data[2 * i] : 0.0f;
    if (w.data[2 * i] != want || w.data[2 * i + 1] != want)
      fail_msg("transpose frame %llu: %g, want %g", (unsigned long long)i, (double)w.data[2 * i],
               (double)want);
  }
  assert_true(2 * n < RATE);
  for (uint64_t i = 0; i < RATE; i++) {
    float want = i < 2 * n ? interpolated(&kick, i << 31, 2) : 0.0f;
    if (i % 2 == 0 && i < 2 * n)
      assert_true(want == kick.data[i / 2]);
    if (w.data[2 * (RATE + i)] != want)
      fail_msg("tune frame %llu: %g, want %g", (unsigned long long)i,
               (double)w.data[2 * (RATE + i)], (double)want);
  }
  assert_plays_from(&w, 2 * RATE, &kick, 0, 3 * RATE);
  flz_decode_free(&kick);
  free(w.data);
}

/* pan by the balance law: the far side's gain is 1 - |pan| / 100, the
 * near side's 1. pan=50 plays left at 0.5, right whole; pan=-100 left
 * whole, right silent; pan=-30 right at 1 - 0.3. */
static void pan_sets_the_sides_gains_by_the_balance_law(void **state)
{
  (void)state;
  static const char sfz[] = "<global> amp_veltrack=0 sample=GMRockKit/Kick-Med.wav\n"
                            "<region> key=36 pan=50\n"
                            "<region> key=38 pan=-100\n"
                            "<region> key=40 pan=-30\n";
  flz_wavread_wav w = render_quiet(sfz, "0 note 36 127\n1 note 38 127\n2 note 40 127\n", "3");
  flz_decoded kick = sample("Kick-Med.wav");
  const float gains[3][2] = {{0.5f, 1.0f}, {1.0f, 0.0f}, {1.0f, 1.0f + (float)(-30.0 / 100.0)}};
  for (uint64_t p = 0; p < 3; p++)
    for (uint64_t i = 0; i < RATE; i++) {
      float s = frame_of(&kick, (int64_t)i);
      const float *out = w.data + 2 * (p * RATE + i);
      if (out[0] != s * gains[p][0] || out[1] != s * gains[p][1])
        fail_msg("pad %u frame %llu: %g %g, want %g %g", (unsigned)p + 1, (unsigned long long)i,
                 (double)out[0], (double)out[1], (double)(s * gains[p][0]),
                 (double)(s * gains[p][1]));
    }
  flz_decode_free(&kick);
  free(w.data);
}

/* lorand/hirand split 0..1 at 0.5 between the kick and the side stick: each
 * press draws the engine's next xorshift32 number (README: one fixed seed,
 * 0x9e3779b9) and plays the region whose range holds it, alone; over 12
 * presses both are reached. */
static void lorand_and_hirand_pick_by_the_renders_random_sequence(void **state)
{
  (void)state;
  static const char sfz[] = "<group> key=36 amp_veltrack=0\n"
                            "<region> sample=GMRockKit/Kick-Med.wav lorand=0 hirand=0.5\n"
                            "<region> sample=GMRockKit/SideStick-Med.wav lorand=0.5 hirand=1\n";
  char script[512] = "";
  for (unsigned i = 0; i < 12; i++) {
    char line[32];
    snprintf(line, sizeof line, "%u note 36 127\n", i);
    strcat(script, line);
  }
  flz_wavread_wav w = render_quiet(sfz, script, "12");
  flz_decoded kick = sample("Kick-Med.wav"), stick = sample("SideStick-Med.wav");
  uint32_t x = 0x9e3779b9u, kicks = 0;
  for (uint64_t i = 0; i < 12; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    int low = (float)(x >> 8) * (1.0f / 16777216.0f) < 0.5f;
    kicks += (uint32_t)low;
    assert_plays_from(&w, i * RATE, low ? &kick : &stick, 0, (i + 1) * RATE);
  }
  assert_true(kicks > 0 && kicks < 12);
  flz_decode_free(&kick);
  flz_decode_free(&stick);
  free(w.data);
}

/* The gain a voice has k frames into a fade over `frames` frames from 1:
 * the engine's ramp to 0. */
static float fade_gain(uint32_t frames, uint64_t k)
{
  return k < frames ? (1.0f / (float)frames) * (float)(frames - 1 - k) : 0.0f;
}

/* note_polyphony=2: the third press fades the pad's oldest voice over the
 * engine's 3 ms fade (132 frames at 44.1 kHz) while the other two ring on;
 * polyphony=1 (its alias) on another pad: each press fades the one before. */
static void polyphony_fades_the_pads_oldest_voice(void **state)
{
  (void)state;
  static const char sfz[] = "<global> amp_veltrack=0 sample=GMRockKit/Crash-Hard.wav\n"
                            "<region> key=49 note_polyphony=2\n"
                            "<region> key=51 polyphony=1\n";
  flz_wavread_wav w = render_quiet(
    sfz, "0 note 49 127\n0.1 note 49 127\n0.2 note 49 127\n3 note 51 127\n3.1 note 51 127\n", "5");
  flz_decoded crash = sample("Crash-Hard.wav");
  const uint32_t fade = 132; /* 3 ms at 44.1 kHz, truncated as the engine does */
  const uint64_t second = RATE / 10, third = RATE / 5;
  assert_true(crash.frame_count < 3 * RATE);
  for (uint64_t f = 0; f < 3 * RATE; f++) {
    float first = f < third ? frame_of(&crash, (int64_t)f)
                            : frame_of(&crash, (int64_t)f) * fade_gain(fade, f - third);
    float want = 0.0f + first;
    if (f >= second)
      want += frame_of(&crash, (int64_t)(f - second));
    if (f >= third)
      want += frame_of(&crash, (int64_t)(f - third));
    expect_frame(&w, f, want);
  }
  for (uint64_t f = 3 * RATE; f < 5 * RATE; f++) {
    uint64_t i = f - 3 * RATE;
    float first = i < second ? frame_of(&crash, (int64_t)i)
                             : frame_of(&crash, (int64_t)i) * fade_gain(fade, i - second);
    float want = 0.0f + first;
    if (i >= second)
      want += frame_of(&crash, (int64_t)(i - second));
    expect_frame(&w, f, want);
  }
  flz_decode_free(&crash);
  free(w.data);
}

/* offby, the alias of off_by: the closed hat chokes the open hat over its
 * release, as with off_by. */
static void offby_chokes_as_off_by_does(void **state)
{
  (void)state;
  expect_closed_hat_chokes("offby");
}

/* The kick with a loop over its frames 1000..1999 (loop_end is the loop's
 * last frame), held 0.5 s then released with ampeg_release=0.05 (2205
 * frames). loop_continuous (pad 1) plays 0..1999, then the loop over and
 * over, on through the release's fade, then silence; no_loop (pad 2, over
 * a <global> loop_continuous) plays the file once to its end though held. */
static void loop_continuous_loops_through_the_release_and_no_loop_plays_once(void **state)
{
  (void)state;
  static const char sfz[] =
    "<global> amp_veltrack=0 sample=GMRockKit/Kick-Med.wav loop_mode=loop_continuous "
    "loop_start=1000 loop_end=1999 ampeg_release=0.05\n"
    "<region> key=36\n"
    "<region> key=38 loop_mode=no_loop\n";
  flz_wavread_wav w = render_quiet(sfz, "0 note 36 127\n0.5 release 1\n1 note 38 127\n", "2");
  flz_decoded kick = sample("Kick-Med.wav");
  const uint64_t held = RATE / 2;
  const uint32_t release = 2205;
  for (uint64_t f = 0; f < RATE; f++) {
    uint64_t at = f < 2000 ? f : 1000 + (f - 2000) % 1000;
    float gain = f < held ? 1.0f : fade_gain(release, f - held);
    float want = kick.data[at] * gain;
    if (w.data[2 * f] != want || w.data[2 * f + 1] != want)
      fail_msg("frame %llu: %g, want %g", (unsigned long long)f, (double)w.data[2 * f],
               (double)want);
  }
  assert_plays_from(&w, RATE, &kick, 0, 2 * RATE);
  flz_decode_free(&kick);
  free(w.data);
}

static void an_unknown_opcode_warns_and_a_malformed_line_fails(void **state)
{
  (void)state;
  char *err = NULL;
  flz_wavread_wav w = render("<region> sample=GMRockKit/Kick-Med.wav key=36\nfil_type=lpf_2p\n",
                             "0 note 36 100\n", "0.1", &err);
  char want[256];
  snprintf(want, sizeof want, "warning: %s/kit.sfz:2: unknown opcode 'fil_type' (ignored)\n", dir);
  assert_string_equal(err, want);
  free(err);
  free(w.data);

  write_file("kit.sfz", "<region> sample=GMRockKit/Kick-Med.wav key=36\n<region> lovel=soft\n");
  char kit[128], out[128];
  snprintf(kit, sizeof kit, "%s/kit.sfz", dir);
  snprintf(out, sizeof out, "%s/out.wav", dir);
  char events[128];
  snprintf(events, sizeof events, "%s/events.txt", dir);
  char *argv[] = {"render", kit, events, out, NULL};
  unlink(out);
  flz_capture c = flz_capture_run(flz_render_main, 4, argv);
  assert_int_equal(c.code, 1);
  snprintf(want, sizeof want,
           "error: %s/kit.sfz:2: lovel must be a whole number from 0 to 127, not 'soft'\n", dir);
  assert_string_equal(c.err, want);
  flz_capture_free(&c);
  assert_int_equal(access(out, F_OK), -1); /* nothing written */
}

static void check_prints_each_pads_regions(void **state)
{
  (void)state;
  write_file("med.sfz", "<region> sample=Kick-Med.wav lovel=51 hivel=75\n");
  write_file("kit.sfz", kick_layers);
  char kit[128];
  snprintf(kit, sizeof kit, "%s/kit.sfz", dir);
  char *argv[] = {"check", kit, NULL};
  flz_capture c = flz_capture_run(flz_check_main, 2, argv);
  assert_int_equal(c.code, 0);
  assert_int_equal(flz_capture_lines(c.out), 5);
  char want[512];
  snprintf(want, sizeof want, "1 %s/GMRockKit/Kick-Softest.wav frames=", dir);
  assert_memory_equal(c.out, want, strlen(want));
  assert_non_null(strstr(c.out, " key=36..36 vel=51..75 seq=0/1 rand=0.00..1.00 trigger=attack\n"));
  flz_capture_free(&c);
}

/* Overlapping key ranges: a kick on key 36 alone and a snare on 30..40
 * (rooted at 36, so untransposed there) are two pads; note 36 sounds both
 * on the same frame, note 38 the snare's pad only. */
static void a_note_plays_every_pad_whose_regions_take_its_key(void **state)
{
  (void)state;
  static const char sfz[] = "<global> amp_veltrack=0\n"
                            "<region> sample=GMRockKit/Kick-Soft.wav key=36\n"
                            "<region> sample=GMRockKit/Snare-Soft.wav lokey=30 hikey=40 "
                            "pitch_keycenter=36\n";
  flz_wavread_wav w = render_quiet(sfz, "0 note 36 127\n2 note 38 127\n", "3");
  flz_decoded kick = sample("Kick-Soft.wav"), snare = sample("Snare-Soft.wav");
  assert_true(kick.frame_count < 2 * RATE && snare.frame_count < 2 * RATE);
  for (uint64_t i = 0; i < 2 * RATE; i++)
    expect_frame(&w, i, frame_of(&kick, (int64_t)i) + frame_of(&snare, (int64_t)i));
  assert_true(w.data[2 * (2 * RATE + 100)] != 0.0f); /* the snare's pad, transposed */
  flz_decode_free(&kick);
  flz_decode_free(&snare);
  free(w.data);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(each_velocity_boundary_plays_its_layer_sample_exactly, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(round_robin_regions_play_in_turn, setup, teardown),
    cmocka_unit_test_setup_teardown(a_release_region_sounds_when_the_pad_is_released, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(a_closed_hat_chokes_the_open_hat_over_its_release, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(the_envelope_shapes_the_sample_by_its_formula, setup, teardown),
    cmocka_unit_test_setup_teardown(each_regions_sample_quality_picks_its_interpolation, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(a_regions_group_chokes_by_region_within_one_pad, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(each_choked_voice_fades_by_its_own_regions_off_mode, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(a_notes_channel_picks_the_regions_of_its_range, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(master_opcodes_inherit_into_groups_and_regions, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(offset_starts_the_sample_at_its_frame, setup, teardown),
    cmocka_unit_test_setup_teardown(transpose_and_tune_set_the_rate, setup, teardown),
    cmocka_unit_test_setup_teardown(pan_sets_the_sides_gains_by_the_balance_law, setup, teardown),
    cmocka_unit_test_setup_teardown(lorand_and_hirand_pick_by_the_renders_random_sequence, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(polyphony_fades_the_pads_oldest_voice, setup, teardown),
    cmocka_unit_test_setup_teardown(offby_chokes_as_off_by_does, setup, teardown),
    cmocka_unit_test_setup_teardown(
      loop_continuous_loops_through_the_release_and_no_loop_plays_once, setup, teardown),
    cmocka_unit_test_setup_teardown(an_unknown_opcode_warns_and_a_malformed_line_fails, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(check_prints_each_pads_regions, setup, teardown),
    cmocka_unit_test_setup_teardown(a_note_plays_every_pad_whose_regions_take_its_key, setup,
                                    teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
