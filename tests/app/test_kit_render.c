/* tests/app/test_kit_render.c: the pad model end to end: `flitz render` of
 * the default kit, whose kit.ini (tools/kits/default/kit.ini) sets loop,
 * gate and choke pads, BPM lock and a bar quantize, driven by scripts that
 * use the pad actions (play, release, speed, tempo, quantize, multi-loop,
 * clock).
 * The output is read back with SDL and compared, frame by frame, with the
 * kit's own files decoded at the output rate. */
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

#include "app/render.h"
#include "capture.h"
#include "engine/result.h"
#include "platform/decode.h"
#include "tempdir.h"
#include "wavread.h"

#define RATE 48000u
#define BAR 96000u /* one bar at the kit's 120 BPM */
#define FADE 144u  /* the engine's 3 ms fade */

typedef flz_wavread_wav wav;

static char dir[64];

static int setup(void **state)
{
  (void)state;
  flz_tempdir_make(dir, sizeof dir, "flitz-kit-render");
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  flz_tempdir_remove(dir);
  return 0;
}

/* Renders `script` on the default kit for `seconds` and reads the result. */
static wav render(const char *script, const char *seconds)
{
  char events[128], out[128];
  snprintf(events, sizeof events, "%s/events.txt", dir);
  snprintf(out, sizeof out, "%s/out.wav", dir);
  flz_tempdir_write(events, script);
  char *argv[] = {"render", "--seconds", (char *)seconds, FLZ_DEFAULT_KIT_DIR, events, out, NULL};
  flz_capture c = flz_capture_run(flz_render_main, 6, argv);
  if (c.code != 0)
    fail_msg("render exit %d: %s", c.code, c.err);
  assert_string_equal(c.err, "");
  flz_capture_free(&c);
  return flz_wavread_load(out, AUDIO_F32LSB);
}

/* Pad file `name` of the default kit decoded at the output rate. */
static flz_decoded pad(const char *name)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", FLZ_DEFAULT_KIT_DIR, name);
  flz_decoded d;
  assert_int_equal(flz_decode_file(path, RATE, &d, NULL, NULL, 0), FLZ_OK);
  return d;
}

/* Frame `i` channel `c` of a decoded sample (mono plays on both sides). */
static float at(const flz_decoded *d, uint64_t i, unsigned c)
{
  return d->data[i * d->channels + (d->channels == 2 ? c : 0)];
}

static void a_loop_launches_on_the_bar_and_repeats_sample_exactly_until_pressed_again(void **state)
{
  (void)state;
  /* Pad 13: the bass loop, mode loop, quantize bar. Pressed at 0.1 s, it
   * starts on the bar line at 2 s; pressed again at 7 s, it fades out. */
  wav w = render("0.1 play 13\n7 play 13\n", "8");
  flz_decoded loop = pad("13-bass-loop.wav");
  assert_int_equal(loop.frame_count, BAR);
  for (uint64_t f = 0; f < BAR; f++)
    assert_true(w.data[2 * f] == 0.0f && w.data[2 * f + 1] == 0.0f);
  uint64_t stop = 7 * RATE;
  for (uint64_t f = BAR; f < stop; f++)
    for (unsigned c = 0; c < 2; c++)
      assert_true(w.data[2 * f + c] == at(&loop, (f - BAR) % BAR, c));
  for (uint64_t f = stop + FADE; f < w.frames; f++)
    assert_true(w.data[2 * f] == 0.0f && w.data[2 * f + 1] == 0.0f);
  flz_decode_free(&loop);
  free(w.data);
}

static void a_gate_pad_plays_while_held(void **state)
{
  (void)state;
  /* Pad 12: the shaker, mode gate. */
  wav w = render("0.5 play 12\n0.55 release 12\n", "1");
  flz_decoded shaker = pad("12-shaker.wav");
  uint64_t on = RATE / 2, off = 55 * RATE / 100;
  for (uint64_t f = on; f < off; f++)
    assert_true(w.data[2 * f] == at(&shaker, f - on, 0));
  for (uint64_t f = off + FADE; f < w.frames; f++)
    assert_true(w.data[2 * f] == 0.0f);
  flz_decode_free(&shaker);
  free(w.data);
}

static void the_closed_hat_chokes_the_open_one(void **state)
{
  (void)state;
  /* Pads 3 (closed) and 4 (open, -2 dB) share choke group 1. */
  wav w = render("0.5 play 4\n0.6 play 3\n", "1");
  flz_decoded closed = pad("03-closed-hat.wav");
  uint64_t hit = 6 * RATE / 10;
  for (uint64_t f = hit + FADE; f < hit + closed.frame_count; f++)
    assert_true(w.data[2 * f] == at(&closed, f - hit, 0));
  assert_true(w.data[2 * (hit - 1)] != 0.0f); /* the open hat sounded before */
  flz_decode_free(&closed);
  free(w.data);
}

static void speed_resamples_and_tempo_moves_the_locked_loop(void **state)
{
  (void)state;
  /* At speed 2 the kick reads every second frame; at tempo 60 with speed 1
   * the BPM-locked drum loop (pad 14, 120 BPM) plays at half rate. */
  wav w = render("0 speed 2\n0 play 1\n1 speed 1\n1 tempo 60\n1 quantize off\n1 play 14\n", "1.5");
  flz_decoded kick = pad("01-kick.wav");
  for (uint64_t f = 0; 2 * f < kick.frame_count && f < RATE; f++)
    assert_true(w.data[2 * f] == at(&kick, 2 * f, 0));
  flz_decoded loop = pad("14-drum-loop.wav");
  for (uint64_t f = RATE; f < w.frames; f += 2)
    for (unsigned c = 0; c < 2; c++)
      assert_true(w.data[2 * f + c] == at(&loop, (f - RATE) / 2, c));
  flz_decode_free(&kick);
  flz_decode_free(&loop);
  free(w.data);
}

static void with_multi_loop_off_a_new_loop_stops_the_playing_one(void **state)
{
  (void)state;
  wav w = render("0 quantize off\n0 multi-loop off\n0 play 13\n0.5 play 14\n", "1.5");
  flz_decoded drums = pad("14-drum-loop.wav");
  uint64_t second = RATE / 2;
  for (uint64_t f = second + FADE; f < w.frames; f++)
    for (unsigned c = 0; c < 2; c++)
      assert_true(w.data[2 * f + c] == at(&drums, f - second, c));
  flz_decode_free(&drums);
  free(w.data);
}

/* A steady MIDI clock at 96 BPM (1250 frames a tick) from 0 s, with pad 14
 * (the drum loop, locked to 120 BPM) pressed at 1 s, once the clock is
 * locked: frame for frame what the kit plays with "0 tempo 96". */
static void a_steady_clock_plays_the_locked_loop_as_its_tempo_does(void **state)
{
  (void)state;
  size_t size = 64 * 1024, used = 0;
  char *script = malloc(size);
  assert_non_null(script);
  used += (size_t)snprintf(script + used, size - used, "0 clock start\n");
  for (uint32_t k = 0; k * 1250u < 5 * RATE; k++) {
    if (k * 1250u >= RATE && (k - 1) * 1250u < RATE)
      used += (size_t)snprintf(script + used, size - used, "1 play 14\n");
    used += (size_t)snprintf(script + used, size - used, "%.9f clock tick\n",
                             (double)(k * 1250u) / RATE);
    assert_true(used < size);
  }
  wav clocked = render(script, "5");
  wav tempo = render("0 tempo 96\n1 play 14\n", "5");
  assert_int_equal(clocked.frames, tempo.frames);
  uint64_t sounding = 0;
  for (uint64_t f = 0; f < tempo.frames; f++)
    for (unsigned c = 0; c < 2; c++) {
      assert_true(clocked.data[2 * f + c] == tempo.data[2 * f + c]);
      sounding += tempo.data[2 * f + c] != 0.0f;
    }
  assert_true(sounding > RATE);
  free(script);
  free(clocked.data);
  free(tempo.data);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(
      a_loop_launches_on_the_bar_and_repeats_sample_exactly_until_pressed_again, setup, teardown),
    cmocka_unit_test_setup_teardown(a_gate_pad_plays_while_held, setup, teardown),
    cmocka_unit_test_setup_teardown(the_closed_hat_chokes_the_open_one, setup, teardown),
    cmocka_unit_test_setup_teardown(speed_resamples_and_tempo_moves_the_locked_loop, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(with_multi_loop_off_a_new_loop_stops_the_playing_one, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(a_steady_clock_plays_the_locked_loop_as_its_tempo_does, setup,
                                    teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
