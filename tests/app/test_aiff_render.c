/* tests/app/test_aiff_render.c: hydrogen-drumkits' BJA_Pacific, whose 86
 * samples are all AIFF (platform/decode/aiff.c), plays through
 * `flitz render`: a note of its kick sounds the layer its velocity picks,
 * frame for frame as that AIFF decodes, scaled by the velocity (v / 127).
 * Owns: its own temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/kitfmt/hydrogen.h"
#include "engine/result.h"
#include "kitrender.h"
#include "platform/decode.h"
#include "tempdir.h"

#define BJA_PACIFIC "/usr/share/hydrogen/data/drumkits/BJA_Pacific"

static char dir[64];

static int setup(void **state)
{
  (void)state;
  flz_tempdir_make(dir, sizeof dir, "flitz-aiff-render");
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  flz_tempdir_remove(dir);
  return 0;
}

static void bja_pacific_kick_plays_its_aiff_layer_scaled_by_the_velocity(void **state)
{
  (void)state;
  flz_hydrogen_kit kit;
  char why[256];
  assert_int_equal(flz_hydrogen_read(BJA_PACIFIC, &kit, why, sizeof why), FLZ_OK);
  const flz_hydrogen_instrument *kick = &kit.instruments[0];
  assert_int_equal(kick->note, 36);
  const uint32_t velocity = 100;
  const flz_hydrogen_layer *layer = NULL;
  for (uint32_t i = 0; i < kick->layer_count; i++) {
    if (kick->layers[i].lovel <= velocity && velocity <= kick->layers[i].hivel)
      layer = &kick->layers[i];
  }
  assert_non_null(layer);
  assert_non_null(strstr(layer->path, ".aiff"));
  /* BJA_Pacific's kick: the velocity alone scales, centred. */
  assert_true(layer->gain * layer->component_gain * kick->volume * kick->gain == 1.0f);
  assert_true(kick->pan_l == kick->pan_r);
  flz_decoded d;
  assert_int_equal(flz_decode_file(layer->path, FLZ_KITRENDER_RATE, &d, NULL, NULL, 0), FLZ_OK);
  assert_int_equal(d.channels, 2);
  assert_true(d.frame_count > 1000 && d.frame_count < FLZ_KITRENDER_RATE);
  float gain = (float)velocity / 127.0f * kick->pan_l;
  float *left = malloc(d.frame_count * sizeof *left);
  float *right = malloc(d.frame_count * sizeof *right);
  assert_true(left != NULL && right != NULL);
  for (uint64_t i = 0; i < d.frame_count; i++) {
    left[i] = d.data[2 * i] * gain;
    right[i] = d.data[2 * i + 1] * gain;
  }
  flz_kitrender_wav w = flz_kitrender_run(dir, BJA_PACIFIC, NULL, "0 note 36 100\n", "1");
  flz_kitrender_assert(&w, 0, left, right, d.frame_count, 0.0f);
  free(left);
  free(right);
  free(w.data);
  flz_decode_free(&d);
  flz_hydrogen_free(&kit);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(bja_pacific_kick_plays_its_aiff_layer_scaled_by_the_velocity,
                                    setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
