/* tests/platform/test_window.c: platform/window.h through SDL's offscreen
 * video driver: the drawn pixels are read back, the grid is found in them, and
 * hit testing and synthetic mouse clicks (platform/input.h) must agree with
 * what was drawn.
 * Owns: these tests only; touches nothing outside platform/window.h,
 * platform/input.h and SDL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>
#include <stdlib.h>

#include "engine/result.h"
#include "platform/input.h"
#include "platform/window.h"

#define COLUMNS 4
#define ROWS 4
#define PADS (COLUMNS * ROWS)
#define PLAYING_PAD 5
#define LOADED_PADS 8 /* pads 0..7 have samples */
#define DRAWN_PADS 12 /* pads 12..15 are not passed to flz_window_draw */

static flz_window *window;

/* What the read-back frame shows: the runs of columns and rows that hold
 * anything but the background, i.e. the pads. */
typedef struct run {
  int first, last;
} run;

typedef struct frame {
  int width, height;
  Uint32 *pixels;
  Uint32 background;
  run columns[COLUMNS + 1];
  int column_count;
  run rows[ROWS + 1];
  int row_count;
} frame;

static int setup_window(void **state)
{
  (void)state;
  char detail[256] = "";
  if (flz_input_open(detail, sizeof detail) != FLZ_OK) {
    print_error("flz_input_open: %s\n", detail);
    return -1;
  }
  window = flz_window_open("Flitz test", COLUMNS, ROWS, detail, sizeof detail);
  if (window == NULL) {
    print_error("flz_window_open: %s\n", detail);
    return -1;
  }
  return 0;
}

static int teardown_window(void **state)
{
  (void)state;
  flz_window_close(window);
  flz_input_close();
  return 0;
}

static SDL_Window *sdl_window(void)
{
  SDL_Window *sdl = SDL_GetWindowFromID(flz_window_id(window));
  assert_non_null(sdl);
  return sdl;
}

static void draw_test_pads(void)
{
  flz_window_pad pads[DRAWN_PADS] = {0};
  for (int i = 0; i < LOADED_PADS; i++)
    pads[i].loaded = 1;
  pads[PLAYING_PAD].playing = 1;
  flz_window_draw(window, pads, DRAWN_PADS);
}

/* Runs of consecutive indices whose `line` (a column or a row) holds a
 * non-background pixel; stores at most `capacity` and returns how many. */
static int find_runs(const frame *f, int vertical, run *runs, int capacity)
{
  int length = vertical ? f->height : f->width;
  int across = vertical ? f->width : f->height;
  int count = 0;
  int inside = 0;
  for (int i = 0; i <= length; i++) {
    int busy = 0;
    for (int j = 0; i < length && j < across && !busy; j++) {
      Uint32 p = vertical ? f->pixels[i * f->width + j] : f->pixels[j * f->width + i];
      busy = p != f->background;
    }
    if (busy && !inside) {
      if (count < capacity)
        runs[count].first = i;
      inside = 1;
    } else if (!busy && inside) {
      if (count < capacity)
        runs[count].last = i - 1;
      count++;
      inside = 0;
    }
  }
  return count;
}

/* Reads back the frame just drawn and finds the grid in it. The corner pixel
 * lies in the margin, so it is the background. */
static frame read_frame(void)
{
  frame f = {0};
  SDL_Renderer *renderer = SDL_GetRenderer(sdl_window());
  assert_non_null(renderer);
  assert_int_equal(SDL_GetRendererOutputSize(renderer, &f.width, &f.height), 0);
  int points_w, points_h;
  SDL_GetWindowSize(sdl_window(), &points_w, &points_h);
  assert_int_equal(points_w, f.width); /* offscreen: one pixel per point */
  assert_int_equal(points_h, f.height);
  f.pixels = malloc((size_t)f.width * (size_t)f.height * sizeof *f.pixels);
  assert_non_null(f.pixels);
  assert_int_equal(SDL_RenderReadPixels(renderer, NULL, SDL_PIXELFORMAT_ARGB8888, f.pixels,
                                        f.width * (int)sizeof *f.pixels),
                   0);
  f.background = f.pixels[0];
  f.column_count = find_runs(&f, 0, f.columns, COLUMNS + 1);
  f.row_count = find_runs(&f, 1, f.rows, ROWS + 1);
  return f;
}

static int centre(run r)
{
  return (r.first + r.last) / 2;
}

static Uint32 pad_colour(const frame *f, int pad)
{
  return f->pixels[centre(f->rows[pad / COLUMNS]) * f->width + centre(f->columns[pad % COLUMNS])];
}

/* Rec. 601 luma of an ARGB8888 pixel, times 1000, in integers. */
static long luma(Uint32 p)
{
  return 299L * ((p >> 16) & 0xff) + 587L * ((p >> 8) & 0xff) + 114L * (p & 0xff);
}

static void the_frame_shows_a_4_by_4_grid_with_the_playing_pad_brightest(void **state)
{
  (void)state;
  draw_test_pads();
  frame f = read_frame();
  assert_int_equal(f.column_count, COLUMNS);
  assert_int_equal(f.row_count, ROWS);

  Uint32 playing = pad_colour(&f, PLAYING_PAD);
  Uint32 loaded = pad_colour(&f, 0);
  Uint32 empty = pad_colour(&f, LOADED_PADS);
  for (int pad = 0; pad < PADS; pad++) {
    if (pad == PLAYING_PAD)
      continue;
    assert_int_equal(pad_colour(&f, pad), pad < LOADED_PADS ? loaded : empty);
  }
  assert_true(luma(playing) > luma(loaded));
  assert_true(luma(loaded) > luma(empty));
  assert_true(luma(empty) > luma(f.background));
  /* orange: more red than green, more green than blue */
  assert_true(((playing >> 16) & 0xff) > ((playing >> 8) & 0xff));
  assert_true(((playing >> 8) & 0xff) > (playing & 0xff));
  free(f.pixels);
}

/* Every drawn pixel of a pad maps to it and the pixels just outside do not. */
/* A pad's meter: a bar up its left edge whose height follows the level on a
 * dB scale from -60 dB (bottom) to 0 dB (top). */
static void a_pads_level_draws_a_meter_bar_of_its_height_in_db(void **state)
{
  (void)state;
  flz_window_pad pads[DRAWN_PADS] = {0};
  for (int i = 0; i < LOADED_PADS; i++)
    pads[i].loaded = 1;
  pads[1].level = 1.0f;    /* 0 dB: full height */
  pads[2].level = 0.001f;  /* -60 dB: nothing */
  pads[3].level = 0.0316f; /* -30 dB: half height */
  flz_window_draw(window, pads, DRAWN_PADS);
  frame f = read_frame();
  Uint32 plain = pad_colour(&f, 0);
  /* Two points inside the left edge of each pad, at heights from the top. */
  for (int pad = 1; pad <= 3; pad++) {
    run rows = f.rows[pad / COLUMNS];
    int x = f.columns[pad % COLUMNS].first + 2;
    int tall = rows.last - rows.first + 1;
    Uint32 near_top = f.pixels[(rows.first + tall / 10) * f.width + x];
    Uint32 near_bottom = f.pixels[(rows.last - tall / 10) * f.width + x];
    Uint32 middle_right = f.pixels[(rows.first + tall / 2) * f.width + x + 10];
    assert_int_equal(middle_right, plain); /* the bar is at the edge only */
    if (pad == 1) {
      assert_int_not_equal(near_top, plain);
      assert_int_not_equal(near_bottom, plain);
    } else if (pad == 2) {
      assert_int_equal(near_bottom, plain);
    } else {
      assert_int_equal(near_top, plain);
      assert_int_not_equal(near_bottom, plain);
    }
  }
  free(f.pixels);
}

static void check_hit_testing_matches_the_frame(const frame *f)
{
  for (int pad = 0; pad < PADS; pad++) {
    run c = f->columns[pad % COLUMNS];
    run r = f->rows[pad / COLUMNS];
    assert_int_equal(flz_window_pad_at(window, centre(c), centre(r)), pad);
    assert_int_equal(flz_window_pad_at(window, c.first, r.first), pad);
    assert_int_equal(flz_window_pad_at(window, c.last, r.last), pad);
    assert_int_equal(flz_window_pad_at(window, c.first - 1, centre(r)), -1);
    assert_int_equal(flz_window_pad_at(window, c.last + 1, centre(r)), -1);
    assert_int_equal(flz_window_pad_at(window, centre(c), r.first - 1), -1);
    assert_int_equal(flz_window_pad_at(window, centre(c), r.last + 1), -1);
  }
  assert_int_equal(flz_window_pad_at(window, 0, 0), -1);
  assert_int_equal(flz_window_pad_at(window, -5, centre(f->rows[0])), -1);
  assert_int_equal(flz_window_pad_at(window, f->width + 5, centre(f->rows[0])), -1);
  assert_int_equal(flz_window_pad_at(window, centre(f->columns[0]), f->height + 5), -1);
  assert_int_equal(flz_window_pad_at(NULL, centre(f->columns[0]), centre(f->rows[0])), -1);
}

static void each_pad_centre_maps_to_its_index_and_gaps_to_none(void **state)
{
  (void)state;
  draw_test_pads();
  frame f = read_frame();
  assert_int_equal(f.column_count, COLUMNS);
  assert_int_equal(f.row_count, ROWS);
  check_hit_testing_matches_the_frame(&f);
  free(f.pixels);
}

static void a_resized_window_draws_and_maps_the_grid_at_its_new_size(void **state)
{
  (void)state;
  SDL_SetWindowSize(sdl_window(), 640, 320);
  draw_test_pads();
  frame f = read_frame();
  assert_int_equal(f.width, 640);
  assert_int_equal(f.height, 320);
  assert_int_equal(f.column_count, COLUMNS);
  assert_int_equal(f.row_count, ROWS);
  check_hit_testing_matches_the_frame(&f);
  free(f.pixels);
}

static void push_click(Uint32 type, Uint8 button, Uint32 window_id, int x, int y)
{
  SDL_Event event;
  SDL_zero(event);
  event.type = type;
  event.button.windowID = window_id;
  event.button.button = button;
  event.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
  event.button.clicks = 1;
  event.button.x = x;
  event.button.y = y;
  assert_int_equal(SDL_PushEvent(&event), 1);
}

static void a_click_on_a_pad_presses_it_and_letting_go_anywhere_releases_it(void **state)
{
  (void)state;
  draw_test_pads();
  frame f = read_frame();
  assert_int_equal(f.column_count, COLUMNS);
  assert_int_equal(f.row_count, ROWS);
  int x = centre(f.columns[6 % COLUMNS]);
  int y = centre(f.rows[6 / COLUMNS]);
  int gap_x = (f.columns[0].last + f.columns[1].first) / 2;
  run f_rows6 = f.rows[6 / COLUMNS];
  Uint32 id = flz_window_id(window);
  free(f.pixels);

  push_click(SDL_MOUSEBUTTONDOWN, SDL_BUTTON_LEFT, id, x, y);
  push_click(SDL_MOUSEBUTTONUP, SDL_BUTTON_LEFT, id, gap_x, y);
  flz_input_event press, release, none;
  assert_int_equal(flz_input_wait(&press, 1000), 1);
  assert_int_equal(press.source, FLZ_SOURCE_WINDOW);
  assert_int_equal(press.type, FLZ_INPUT_PRESS);
  assert_int_equal(press.control, 6);
  /* The velocity: 1.0 at the pad's top edge down to 0.1 at its bottom. */
  run r = f_rows6;
  float expected = 1.0f - 0.9f * (float)(y - r.first) / (float)(r.last - r.first);
  assert_float_equal(press.value, expected, 1e-6);
  assert_true(press.value > 0.5f && press.value < 0.6f);
  assert_int_equal(flz_input_wait(&release, 1000), 1);
  assert_int_equal(release.source, FLZ_SOURCE_WINDOW);
  assert_int_equal(release.type, FLZ_INPUT_RELEASE);
  assert_int_equal(release.control, 6);

  /* a gap, another window, another button: no pad is pressed */
  push_click(SDL_MOUSEBUTTONDOWN, SDL_BUTTON_LEFT, id, gap_x, y);
  push_click(SDL_MOUSEBUTTONDOWN, SDL_BUTTON_LEFT, id + 1, x, y);
  push_click(SDL_MOUSEBUTTONDOWN, SDL_BUTTON_RIGHT, id, x, y);
  push_click(SDL_MOUSEBUTTONUP, SDL_BUTTON_LEFT, id, x, y);
  assert_int_equal(flz_input_wait(&none, 0), 0);

  /* The top and bottom rows of the pad: loudest and softest. */
  push_click(SDL_MOUSEBUTTONDOWN, SDL_BUTTON_LEFT, id, x, f_rows6.first);
  push_click(SDL_MOUSEBUTTONUP, SDL_BUTTON_LEFT, id, x, f_rows6.first);
  push_click(SDL_MOUSEBUTTONDOWN, SDL_BUTTON_LEFT, id, x, f_rows6.last);
  push_click(SDL_MOUSEBUTTONUP, SDL_BUTTON_LEFT, id, x, f_rows6.last);
  assert_int_equal(flz_input_wait(&press, 1000), 1);
  assert_float_equal(press.value, 1.0f, 1e-6);
  assert_int_equal(flz_input_wait(&release, 1000), 1);
  assert_int_equal(flz_input_wait(&press, 1000), 1);
  assert_float_equal(press.value, 0.1f, 1e-6);
  assert_int_equal(flz_input_wait(&release, 1000), 1);
}

static void push_finger(Uint32 type, Uint32 window_id, SDL_FingerID finger, float x, float y)
{
  SDL_Event event;
  SDL_zero(event);
  event.type = type;
  event.tfinger.touchId = 1;
  event.tfinger.fingerId = finger;
  event.tfinger.x = x;
  event.tfinger.y = y;
  event.tfinger.pressure = 1.0f;
  event.tfinger.windowID = window_id;
  assert_int_equal(SDL_PushEvent(&event), 1);
}

/* Two fingers on two pads at once: each presses its pad, and each lift
 * releases the pad that finger pressed, wherever it lifts. */
static void fingers_press_the_pads_under_them_and_release_their_own(void **state)
{
  (void)state;
  draw_test_pads();
  frame f = read_frame();
  int w = f.width, h = f.height;
  float x1 = (float)centre(f.columns[1]) / (float)w, y1 = (float)centre(f.rows[0]) / (float)h;
  float x2 = (float)centre(f.columns[2]) / (float)w, y2 = (float)f.rows[3].first / (float)h;
  free(f.pixels);
  Uint32 id = flz_window_id(window);
  push_finger(SDL_FINGERDOWN, id, 7, x1, y1);
  push_finger(SDL_FINGERDOWN, id, 8, x2, y2);
  push_finger(SDL_FINGERUP, id, 8, 0.0f, 0.0f);
  push_finger(SDL_FINGERUP, id, 7, 0.99f, 0.99f);
  flz_input_event event;
  assert_int_equal(flz_input_wait(&event, 1000), 1);
  assert_int_equal(event.type, FLZ_INPUT_PRESS);
  assert_int_equal(event.control, 1);
  assert_true(event.value > 0.4f && event.value < 0.7f); /* the middle of the pad */
  assert_int_equal(flz_input_wait(&event, 1000), 1);
  assert_int_equal(event.type, FLZ_INPUT_PRESS);
  assert_int_equal(event.control, 14);
  assert_true(event.value > 0.95f); /* its top edge */
  assert_int_equal(flz_input_wait(&event, 1000), 1);
  assert_int_equal(event.type, FLZ_INPUT_RELEASE);
  assert_int_equal(event.control, 14);
  assert_int_equal(flz_input_wait(&event, 1000), 1);
  assert_int_equal(event.type, FLZ_INPUT_RELEASE);
  assert_int_equal(event.control, 1);
  /* SDL's mouse events made from touches are not clicks too. */
  SDL_Event mouse;
  SDL_zero(mouse);
  mouse.type = SDL_MOUSEBUTTONDOWN;
  mouse.button.windowID = id;
  mouse.button.which = SDL_TOUCH_MOUSEID;
  mouse.button.button = SDL_BUTTON_LEFT;
  mouse.button.x = (int)(x1 * (float)w);
  mouse.button.y = (int)(y1 * (float)h);
  assert_int_equal(SDL_PushEvent(&mouse), 1);
  assert_int_equal(flz_input_wait(&event, 0), 0);
}

static void a_second_window_is_refused(void **state)
{
  (void)state;
  char detail[256] = "";
  assert_null(flz_window_open("second", 2, 2, detail, sizeof detail));
  assert_string_equal(detail, "window: a window is already open");
  assert_ptr_equal(flz_window_from_id(flz_window_id(window)), window);
  assert_null(flz_window_from_id(0));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_frame_shows_a_4_by_4_grid_with_the_playing_pad_brightest),
    cmocka_unit_test(each_pad_centre_maps_to_its_index_and_gaps_to_none),
    cmocka_unit_test(a_click_on_a_pad_presses_it_and_letting_go_anywhere_releases_it),
    cmocka_unit_test(fingers_press_the_pads_under_them_and_release_their_own),
    cmocka_unit_test(a_second_window_is_refused),
    cmocka_unit_test(a_pads_level_draws_a_meter_bar_of_its_height_in_db),
    cmocka_unit_test(a_resized_window_draws_and_maps_the_grid_at_its_new_size),
  };
  return cmocka_run_group_tests(tests, setup_window, teardown_window);
}
