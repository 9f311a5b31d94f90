/* tests/app/test_hydrogen_render.c: Hydrogen drumkits end to end through
 * `flitz render`, on the real kits of Debian's hydrogen-data and
 * hydrogen-drumkits, compared frame by frame with their samples decoded:
 * GMRockKit's kick plays the right layer at both ends of each layer's MIDI
 * velocity range (app/kitfmt/hydrogenkit.h's rule, worked out here from the
 * 0..1 values the XML holds), scaled by the velocity (v / 127) and its
 * gains; VariBreaks' mute group 0 makes the closed hat fade the open one
 * over its release (Release 1000 frames: 1000 frames at 44.1 kHz), and the
 * open hat pressed twice keeps its first voice ringing (Hydrogen mutes the
 * group's other instruments only); a
 * ROUND_ROBIN instrument (written here over GMRockKit's snares, as no
 * installed kit has one) plays its layers in turn, a RANDOM one one layer a
 * press; gains, pan and pitch of
 * instrument and layer combine; an instrument's Attack, Decay, Sustain and
 * Release shape its sample by the envelope's formula; and `flitz check`
 * prints the kit's regions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/check.h"
#include "app/kitfmt/hydrogen.h"
#include "capture.h"
#include "engine/result.h"
#include "kitrender.h"
#include "platform/decode.h"
#include "tempdir.h"

#define RATE FLZ_KITRENDER_RATE
#define DRUMKITS "/usr/share/hydrogen/data/drumkits"

static char dir[64];

static int setup(void **state)
{
  (void)state;
  flz_tempdir_make(dir, sizeof dir, "flitz-h2-render");
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  flz_tempdir_remove(dir);
  return 0;
}

static flz_decoded decode(const char *path)
{
  flz_decoded d;
  assert_int_equal(flz_decode_file(path, RATE, &d, NULL, NULL, 0), FLZ_OK);
  return d;
}

/* Channel `c` of `d` (mono: its only one) scaled by `gain`, malloc'ed. */
static float *channel(const flz_decoded *d, uint32_t c, float gain)
{
  float *out = malloc(d->frame_count * sizeof *out);
  assert_non_null(out);
  for (uint64_t i = 0; i < d->frame_count; i++)
    out[i] = d->data[i * d->channels + (c < d->channels ? c : 0)] * gain;
  return out;
}

/* Opens DIR/drumkit.xml for writing; its path goes in `path`. */
static FILE *open_drumkit(char *path, size_t size)
{
  snprintf(path, size, "%s/drumkit.xml", dir);
  FILE *file = fopen(path, "w");
  assert_non_null(file);
  return file;
}

static void gmrock_kick_plays_the_right_layer_at_each_velocity_boundary(void **state)
{
  (void)state;
  flz_hydrogen_kit kit;
  char why[256];
  assert_int_equal(flz_hydrogen_read(DRUMKITS "/GMRockKit", &kit, why, sizeof why), FLZ_OK);
  const flz_hydrogen_instrument *kick = &kit.instruments[0];
  assert_string_equal(kick->name, "Kick");
  assert_int_equal(kick->note, 36);
  assert_int_equal(kick->layer_count, 5);
  /* Each layer's MIDI range by the documented rule: v plays the layer with
   * the highest min among those with min <= v / 127 <= max. */
  uint32_t lo[5] = {0}, hi[5] = {0};
  for (uint32_t v = 1; v <= 127; v++) {
    float level = (float)v / 127.0f;
    int32_t pick = -1;
    for (uint32_t i = 0; i < 5; i++)
      if (kick->layers[i].min <= level && level <= kick->layers[i].max &&
          (pick < 0 || kick->layers[i].min > kick->layers[pick].min))
        pick = (int32_t)i;
    assert_true(pick >= 0); /* GMRockKit's layers leave no gap */
    if (lo[pick] == 0)
      lo[pick] = v;
    hi[pick] = v;
  }
  /* They tile 1..127 in order: no gap, no overlap. */
  assert_int_equal(lo[0], 1);
  assert_int_equal(hi[4], 127);
  for (uint32_t i = 0; i + 1 < 5; i++)
    assert_int_equal(hi[i] + 1, lo[i + 1]);
  char script[512] = "";
  for (uint32_t i = 0; i < 10; i++) {
    char line[64];
    snprintf(line, sizeof line, "%u note 36 %u\n", i, i % 2 ? hi[i / 2] : lo[i / 2]);
    strcat(script, line);
  }
  char path[512];
  snprintf(path, sizeof path, "%s/GMRockKit", DRUMKITS);
  flz_kitrender_wav w = flz_kitrender_run(dir, path, NULL, script, "10");
  for (uint32_t i = 0; i < 10; i++) {
    const flz_hydrogen_layer *layer = &kick->layers[i / 2];
    uint32_t v = i % 2 ? hi[i / 2] : lo[i / 2];
    flz_decoded d = decode(layer->path);
    assert_true(d.frame_count < RATE / 2);
    float gain = layer->gain * layer->component_gain * kick->volume * kick->gain;
    assert_true(gain == 1.0f); /* GMRockKit's: the velocity alone scales */
    float *want = channel(&d, 0, (float)v / 127.0f);
    flz_kitrender_assert(&w, (uint64_t)i * RATE, want, want, d.frame_count, 0.0f);
    float silence[RATE / 4] = {0};
    flz_kitrender_assert(&w, (uint64_t)i * RATE + d.frame_count, silence, silence, RATE / 4, 0.0f);
    free(want);
    flz_decode_free(&d);
  }
  free(w.data);
  flz_hydrogen_free(&kit);
}

/* VariBreaks' two hats of mute group 0, their release 1000 frames. */
static void varibreaks_hats(const flz_hydrogen_kit *kit, const flz_hydrogen_instrument **closed,
                            const flz_hydrogen_instrument **open)
{
  *closed = *open = NULL;
  for (uint32_t i = 0; i < kit->instrument_count; i++) {
    if (strcmp(kit->instruments[i].name, "VariBreaks Hat 1 Cl") == 0)
      *closed = &kit->instruments[i];
    if (strcmp(kit->instruments[i].name, "VariBreaks Hat 1 Op") == 0)
      *open = &kit->instruments[i];
  }
  assert_non_null(*closed);
  assert_non_null(*open);
  assert_int_equal((*closed)->mute_group, 0);
  assert_int_equal((*open)->mute_group, 0);
  assert_true((*open)->release == 1000.0f);
}

/* The open hat pressed at 0 s and, when `twice`, again at 0.1 s, the closed
 * hat at 0.2 s: the open hat's voices ring on together (Hydrogen's mute
 * group spares the instrument's own notes) until the closed hat fades them
 * over their release while it plays. */
static void check_varibreaks_hats(int twice)
{
  flz_hydrogen_kit kit;
  char why[256];
  assert_int_equal(flz_hydrogen_read(DRUMKITS "/VariBreaks", &kit, why, sizeof why), FLZ_OK);
  const flz_hydrogen_instrument *closed, *open;
  varibreaks_hats(&kit, &closed, &open);
  char again_line[32] = "", script[128];
  if (twice)
    snprintf(again_line, sizeof again_line, "0.1 note %d 127\n", open->note);
  snprintf(script, sizeof script, "0 note %d 127\n%s0.2 note %d 127\n", open->note, again_line,
           closed->note);
  flz_kitrender_wav w = flz_kitrender_run(dir, DRUMKITS "/VariBreaks", NULL, script, "2");
  flz_decoded o = decode(open->layers[0].path), c = decode(closed->layers[0].path);
  const uint64_t again = RATE / 10, at = RATE / 5, release = 1000;
  assert_true(o.frame_count > at + release);
  for (uint32_t ch = 0; ch < 2; ch++) {
    float *lo = channel(&o, ch, 1.0f), *lc = channel(&c, ch, 1.0f);
    for (uint64_t f = 0; f < at; f++) {
      float want = 0.0f + lo[f];
      want += twice && f >= again ? lo[f - again] : 0.0f;
      want = want > 1.0f ? 1.0f : (want < -1.0f ? -1.0f : want); /* the output clips */
      if (w.data[2 * f + ch] != want)
        fail_msg("channel %u frame %llu: %g, want %g", ch, (unsigned long long)f,
                 (double)w.data[2 * f + ch], (double)want);
    }
    float step = 1.0f / (float)release;
    for (uint64_t k = 0; k < release; k++) {
      float gain = step * (float)(release - 1 - k); /* the engine's ramp to 0 */
      float want = 0.0f + lo[at + k] * gain;
      want += twice ? lo[at - again + k] * gain : 0.0f;
      want += k < c.frame_count ? lc[k] : 0.0f;
      want = want > 1.0f ? 1.0f : (want < -1.0f ? -1.0f : want); /* the output clips */
      if (w.data[2 * (at + k) + ch] != want)
        fail_msg("channel %u frame %llu: %g, want %g", ch, (unsigned long long)(at + k),
                 (double)w.data[2 * (at + k) + ch], (double)want);
    }
    for (uint64_t k = release; k < c.frame_count; k++)
      assert_true(w.data[2 * (at + k) + ch] == lc[k]);
    free(lo);
    free(lc);
  }
  flz_decode_free(&o);
  flz_decode_free(&c);
  free(w.data);
  flz_hydrogen_free(&kit);
}

static void varibreaks_closed_hat_chokes_the_open_hat_over_its_release(void **state)
{
  (void)state;
  check_varibreaks_hats(0);
}

static void varibreaks_open_hat_pressed_twice_keeps_its_first_voice_ringing(void **state)
{
  (void)state;
  check_varibreaks_hats(1);
}

static void a_round_robin_instrument_plays_its_layers_in_turn(void **state)
{
  (void)state;
  static const char *const snares[] = {"Snare-Soft.wav", "Snare-Med.wav", "Snare-Hard.wav"};
  char path[512];
  FILE *file = open_drumkit(path, sizeof path);
  fprintf(file, "<drumkit_info><name>rr</name><instrumentList><instrument><id>0</id>"
                "<name>Snare</name><midiInNote>38</midiInNote>"
                "<sampleSelectionAlgo>ROUND_ROBIN</sampleSelectionAlgo>");
  for (int i = 0; i < 3; i++)
    fprintf(file, "<layer><filename>%s/GMRockKit/%s</filename><min>0</min><max>1</max></layer>",
            DRUMKITS, snares[i]);
  fprintf(file, "</instrument></instrumentList></drumkit_info>\n");
  fclose(file);
  flz_kitrender_wav w = flz_kitrender_run(
    dir, path, NULL, "0 note 38 127\n2 note 38 127\n4 note 38 127\n6 note 38 127\n", "8");
  for (unsigned i = 0; i < 4; i++) {
    char sample[512];
    snprintf(sample, sizeof sample, "%s/GMRockKit/%s", DRUMKITS, snares[i % 3]);
    flz_decoded d = decode(sample);
    assert_true(d.frame_count < 2 * RATE);
    float *want = channel(&d, 0, 1.0f);
    flz_kitrender_assert(&w, (uint64_t)i * 2 * RATE, want, want, d.frame_count, 0.0f);
    free(want);
    flz_decode_free(&d);
  }
  free(w.data);
}

/* RANDOM: each press plays exactly one of the layers holding its velocity
 * (each 1/3 of the random range), and over 12 presses more than one. */
static void a_random_instrument_plays_one_layer_a_press(void **state)
{
  (void)state;
  static const char *const kicks[] = {"Kick-Soft.wav", "Kick-Med.wav", "Kick-Hard.wav"};
  char path[512];
  FILE *file = open_drumkit(path, sizeof path);
  fprintf(file, "<drumkit_info><name>random</name><instrumentList><instrument><id>0</id>"
                "<name>Kick</name><sampleSelectionAlgo>RANDOM</sampleSelectionAlgo>");
  for (int i = 0; i < 3; i++)
    fprintf(file, "<layer><filename>%s/GMRockKit/%s</filename><min>0</min><max>1</max></layer>",
            DRUMKITS, kicks[i]);
  fprintf(file, "</instrument></instrumentList></drumkit_info>\n");
  fclose(file);
  char script[512] = "";
  for (unsigned i = 0; i < 12; i++) {
    char line[32];
    snprintf(line, sizeof line, "%u note 36 127\n", i);
    strcat(script, line);
  }
  flz_kitrender_wav w = flz_kitrender_run(dir, path, NULL, script, "12");
  flz_decoded d[3];
  for (int i = 0; i < 3; i++) {
    char sample[512];
    snprintf(sample, sizeof sample, "%s/GMRockKit/%s", DRUMKITS, kicks[i]);
    d[i] = decode(sample);
    assert_true(d[i].frame_count < RATE);
  }
  unsigned seen[3] = {0};
  for (unsigned press = 0; press < 12; press++) {
    int which = -1;
    for (int i = 0; i < 3 && which < 0; i++) {
      uint64_t f = 0;
      while (f < d[i].frame_count && w.data[2 * ((uint64_t)press * RATE + f)] == d[i].data[f])
        f++;
      if (f == d[i].frame_count)
        which = i;
    }
    if (which < 0)
      fail_msg("press %u plays none of the layers alone", press);
    seen[which]++;
  }
  assert_true((seen[0] > 0) + (seen[1] > 0) + (seen[2] > 0) >= 2);
  for (int i = 0; i < 3; i++)
    flz_decode_free(&d[i]);
  free(w.data);
}

/* Gains multiply (layer 0.5 x instrument volume 0.5), pan_L 1 / pan_R 0.5
 * keeps the left and halves the right, and pitch adds (layer -12 +
 * pitchOffset 12: untransposed). */
static void gain_pan_and_pitch_of_instrument_and_layer_combine(void **state)
{
  (void)state;
  char path[512];
  FILE *file = open_drumkit(path, sizeof path);
  fprintf(file,
          "<drumkit_info><name>gains</name><instrumentList><instrument><id>0</id>"
          "<name>Tom</name><volume>0.5</volume><pan_L>1</pan_L><pan_R>0.5</pan_R>"
          "<pitchOffset>12</pitchOffset><layer><filename>%s/GMRockKit/Tom1-Med.wav</filename>"
          "<min>0</min><max>1</max><gain>0.5</gain><pitch>-12</pitch></layer>"
          "</instrument></instrumentList></drumkit_info>\n",
          DRUMKITS);
  fclose(file);
  flz_kitrender_wav w = flz_kitrender_run(dir, dir, NULL, "0 note 36 127\n", "2");
  flz_decoded d = decode(DRUMKITS "/GMRockKit/Tom1-Med.wav");
  float *left = channel(&d, 0, 0.25f), *right = channel(&d, 0, 0.125f);
  flz_kitrender_assert(&w, 0, left, right, d.frame_count, 0.0f);
  free(left);
  free(right);
  flz_decode_free(&d);
  free(w.data);
}

/* A crash with Attack 500 x step, Decay 1000 x step, Release 3000 x step
 * (Hydrogen's frames at 44.1 kHz) and Sustain 0.25, tuned `octaves` up
 * (pitchOffset 12 x octaves), so it plays at a step of 2^octaves and, as
 * Hydrogen steps its envelope with the sample, its envelope lasts 500, 1000
 * and 3000 frames of the render's 44.1 kHz: it rises linearly from 0 over
 * 500 frames, falls to 0.25 over the next 1000, holds 0.25 until the kick of
 * its mute group sounds at 0.3 s, then fades from 0.25 to silence over its
 * Release while the kick plays whole. Each gain is the engine's ramp,
 * target + step x frames left; each crash frame the sample's point at
 * step x frame (hermite at a whole position). */
static void assert_adsr(unsigned octaves)
{
  const uint64_t step = 1u << octaves;
  char path[512];
  FILE *file = open_drumkit(path, sizeof path);
  fprintf(file,
          "<drumkit_info><name>adsr</name><instrumentList>"
          "<instrument><id>0</id><name>Crash</name><midiInNote>49</midiInNote>"
          "<muteGroup>1</muteGroup><pitchOffset>%u</pitchOffset><Attack>%llu</Attack>"
          "<Decay>%llu</Decay><Sustain>0.25</Sustain><Release>%llu</Release>"
          "<layer><filename>%s/GMRockKit/Crash-Hard.wav</filename><min>0</min><max>1</max>"
          "</layer></instrument>"
          "<instrument><id>1</id><name>Kick</name><midiInNote>36</midiInNote>"
          "<muteGroup>1</muteGroup>"
          "<layer><filename>%s/GMRockKit/Kick-Med.wav</filename><min>0</min><max>1</max>"
          "</layer></instrument></instrumentList></drumkit_info>\n",
          12 * octaves, (unsigned long long)(500 * step), (unsigned long long)(1000 * step),
          (unsigned long long)(3000 * step), DRUMKITS, DRUMKITS);
  fclose(file);
  flz_kitrender_wav w = flz_kitrender_run(dir, path, NULL, "0 note 49 127\n0.3 note 36 127\n", "1");
  flz_decoded crash = decode(DRUMKITS "/GMRockKit/Crash-Hard.wav");
  flz_decoded kick = decode(DRUMKITS "/GMRockKit/Kick-Med.wav");
  const uint64_t a = 500, d = 1000, r = 3000, at = 3 * RATE / 10;
  assert_true(crash.frame_count > step * (at + r) && at + kick.frame_count < RATE &&
              w.frames >= RATE);
  for (uint64_t i = 0; i < RATE; i++) {
    float gain = i < a        ? 1.0f + ((0.0f - 1.0f) / (float)a) * (float)(a - 1 - i)
                 : i < a + d  ? 0.25f + ((1.0f - 0.25f) / (float)d) * (float)(a + d - 1 - i)
                 : i < at     ? 0.25f
                 : i < at + r ? 0.0f + ((0.25f - 0.0f) / (float)r) * (float)(r - 1 - (i - at))
                              : 0.0f;
    float want = 0.0f + (gain > 0.0f ? crash.data[step * i] * gain : 0.0f);
    if (i >= at && i - at < kick.frame_count)
      want += kick.data[i - at];
    if (w.data[2 * i] != want || w.data[2 * i + 1] != want)
      fail_msg("frame %llu: %g %g, want %g", (unsigned long long)i, (double)w.data[2 * i],
               (double)w.data[2 * i + 1], (double)want);
  }
  flz_decode_free(&crash);
  flz_decode_free(&kick);
  free(w.data);
}

static void an_instruments_adsr_shapes_its_sample_by_the_envelope_formula(void **state)
{
  (void)state;
  assert_adsr(0);
}

static void a_pitched_instruments_adsr_runs_with_its_playback_step(void **state)
{
  (void)state;
  assert_adsr(1);
}

static void check_prints_gmrock_regions_by_velocity(void **state)
{
  (void)state;
  char *argv[] = {"check", DRUMKITS "/GMRockKit", NULL};
  flz_capture c = flz_capture_run(flz_check_main, 2, argv);
  assert_int_equal(c.code, 0);
  assert_string_equal(c.err, "");
  assert_non_null(strstr(c.out, "1 " DRUMKITS "/GMRockKit/Kick-Softest.wav frames=19837 "
                                "channels=1 rate=44100 seconds=0.450 key=36..36 vel=1..25 "));
  assert_non_null(strstr(c.out, "/GMRockKit/Kick-Hardest.wav frames=19732 channels=1 rate=44100 "
                                "seconds=0.447 key=36..36 vel=110..127 "));
  flz_capture_free(&c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(gmrock_kick_plays_the_right_layer_at_each_velocity_boundary,
                                    setup, teardown),
    cmocka_unit_test_setup_teardown(varibreaks_closed_hat_chokes_the_open_hat_over_its_release,
                                    setup, teardown),
    cmocka_unit_test_setup_teardown(varibreaks_open_hat_pressed_twice_keeps_its_first_voice_ringing,
                                    setup, teardown),
    cmocka_unit_test_setup_teardown(a_round_robin_instrument_plays_its_layers_in_turn, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(a_random_instrument_plays_one_layer_a_press, setup, teardown),
    cmocka_unit_test_setup_teardown(gain_pan_and_pitch_of_instrument_and_layer_combine, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(an_instruments_adsr_shapes_its_sample_by_the_envelope_formula,
                                    setup, teardown),
    cmocka_unit_test_setup_teardown(a_pitched_instruments_adsr_runs_with_its_playback_step, setup,
                                    teardown),
    cmocka_unit_test(check_prints_gmrock_regions_by_velocity),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
