/* platform/window.c: the desktop window with its grid of pads (SDL2 video and
 * renderer).
 * Owns: SDL's video subsystem, the one open window and its renderer, and the
 * grid layout shared by drawing and hit testing. Must not touch input events
 * (platform/input.c) nor know what a pad plays (app/). */
#include "platform/window.h"

#include <SDL.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>

/* Size of a new window in points: 4 x 4 pads of about 110 points each, big
 * enough to hit with a mouse, small enough for a 1024 x 600 Pi screen. */
#define FLZ_WINDOW_START_SIZE 480

/* Space around the grid and between pads, in points: dark lines that make
 * each pad read as a button. */
#define FLZ_WINDOW_MARGIN 8
#define FLZ_WINDOW_GAP 8

typedef struct flz_window_colour {
  Uint8 r, g, b;
} flz_window_colour;

/* A pad's fill and outline in one state. */
typedef struct flz_window_look {
  flz_window_colour fill, outline;
} flz_window_look;

static const flz_window_colour flz_window_background = {0x1a, 0x1a, 0x1e};
static const flz_window_look flz_window_empty = {{0x33, 0x33, 0x3a}, {0x44, 0x44, 0x4c}};
static const flz_window_look flz_window_loaded = {{0x6e, 0x6e, 0x78}, {0x8c, 0x8c, 0x96}};
static const flz_window_look flz_window_playing = {{0xff, 0x9a, 0x1a}, {0xff, 0xd0, 0x8a}};
static const flz_window_colour flz_window_progress_fill = {0x4a, 0xa8, 0xff};
static const flz_window_colour flz_window_meter_fill = {0x6c, 0xe0, 0x6c};

/* Width of a pad's meter bar, in points. */
#define FLZ_WINDOW_METER_WIDTH 6

/* Height of a loading pad's progress bar, in points. */
#define FLZ_WINDOW_PROGRESS_HEIGHT 4

struct flz_window {
  SDL_Window *window;
  SDL_Renderer *renderer;
  uint32_t columns;
  uint32_t rows;
};

/* Flitz shows one window; input.c finds it by SDL window id. */
static flz_window *flz_window_the;

static void flz_window_set_detail(char *detail, size_t detail_size, const char *what,
                                  const char *reason)
{
  if (detail != NULL && detail_size > 0)
    snprintf(detail, detail_size, "%s: %s", what, reason);
}

/* The rectangle of the pad in column `column`, row `row` of a `width` x
 * `height` grid area, in points. Every column gets an equal share of the
 * width (remainders spread by integer division) minus one gap; the same for
 * rows. Drawing and hit testing both use this, so they always agree. */
static SDL_Rect flz_window_pad_rect(const flz_window *window, int width, int height,
                                    uint32_t column, uint32_t row)
{
  long long span_x = (long long)width - 2 * FLZ_WINDOW_MARGIN + FLZ_WINDOW_GAP;
  long long span_y = (long long)height - 2 * FLZ_WINDOW_MARGIN + FLZ_WINDOW_GAP;
  long long left = FLZ_WINDOW_MARGIN + (long long)column * span_x / window->columns;
  long long right = FLZ_WINDOW_MARGIN + (long long)(column + 1) * span_x / window->columns -
                    FLZ_WINDOW_GAP;
  long long top = FLZ_WINDOW_MARGIN + (long long)row * span_y / window->rows;
  long long bottom = FLZ_WINDOW_MARGIN + (long long)(row + 1) * span_y / window->rows -
                     FLZ_WINDOW_GAP;
  SDL_Rect rect = {(int)left, (int)top, (int)(right - left), (int)(bottom - top)};
  return rect;
}

/* The column (or row) whose share of `span` holds `offset` points past the
 * margin, or -1. */
static long long flz_window_share_at(long long offset, long long span, uint32_t count)
{
  if (offset < 0 || span <= 0)
    return -1;
  long long index = offset * count / span;
  return index < count ? index : -1;
}

flz_window *flz_window_open(const char *title, uint32_t columns, uint32_t rows, char *detail,
                            size_t detail_size)
{
  if (columns == 0 || rows == 0) {
    flz_window_set_detail(detail, detail_size, "window",
                          "a pad grid needs at least one column and row");
    return NULL;
  }
  if (flz_window_the != NULL) {
    flz_window_set_detail(detail, detail_size, "window", "a window is already open");
    return NULL;
  }
  /* Without DISPLAY or WAYLAND_DISPLAY there is no desktop to open a window
   * on; SDL would still probe Wayland (which prints its own complaint) and
   * then settle on a driver that shows nothing. SDL_VIDEODRIVER set by the
   * user (kmsdrm on a console, offscreen in tests) overrides this. */
  if (getenv("SDL_VIDEODRIVER") == NULL && getenv("DISPLAY") == NULL &&
      getenv("WAYLAND_DISPLAY") == NULL) {
    flz_window_set_detail(
      detail, detail_size, "video",
      "neither DISPLAY nor WAYLAND_DISPLAY is set (SDL_VIDEODRIVER picks a driver)");
    return NULL;
  }
  if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
    flz_window_set_detail(detail, detail_size, "video", SDL_GetError());
    return NULL;
  }
  flz_window *window = SDL_calloc(1, sizeof *window);
  if (window == NULL) {
    flz_window_set_detail(detail, detail_size, "window", "out of memory");
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    return NULL;
  }
  window->columns = columns;
  window->rows = rows;
  window->window = SDL_CreateWindow(title, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                                    FLZ_WINDOW_START_SIZE, FLZ_WINDOW_START_SIZE,
                                    SDL_WINDOW_RESIZABLE);
  if (window->window == NULL) {
    flz_window_set_detail(detail, detail_size, "window", SDL_GetError());
    flz_window_close(window);
    return NULL;
  }
  window->renderer = SDL_CreateRenderer(window->window, -1, SDL_RENDERER_ACCELERATED);
  if (window->renderer == NULL)
    window->renderer = SDL_CreateRenderer(window->window, -1, SDL_RENDERER_SOFTWARE);
  if (window->renderer == NULL) {
    flz_window_set_detail(detail, detail_size, "renderer", SDL_GetError());
    flz_window_close(window);
    return NULL;
  }
  SDL_EventState(SDL_DROPFILE, SDL_ENABLE);
  flz_window_the = window;
  return window;
}

static void flz_window_fill(SDL_Renderer *renderer, const SDL_Rect *rect, flz_window_colour colour)
{
  SDL_SetRenderDrawColor(renderer, colour.r, colour.g, colour.b, SDL_ALPHA_OPAQUE);
  SDL_RenderFillRect(renderer, rect);
}

static void flz_window_outline(SDL_Renderer *renderer, const SDL_Rect *rect,
                               flz_window_colour colour)
{
  SDL_SetRenderDrawColor(renderer, colour.r, colour.g, colour.b, SDL_ALPHA_OPAQUE);
  SDL_RenderDrawRect(renderer, rect);
}

void flz_window_draw(flz_window *window, const flz_window_pad *pads, uint32_t count)
{
  if (window == NULL)
    return;
  int width, height, pixels_w, pixels_h;
  SDL_GetWindowSize(window->window, &width, &height);
  if (SDL_GetRendererOutputSize(window->renderer, &pixels_w, &pixels_h) != 0 || width <= 0 ||
      height <= 0)
    return;
  /* Lay out in points, draw in pixels: the same grid on high-DPI screens. */
  SDL_RenderSetScale(window->renderer, (float)pixels_w / (float)width,
                     (float)pixels_h / (float)height);
  flz_window_fill(window->renderer, NULL, flz_window_background);
  for (uint32_t row = 0; row < window->rows; row++) {
    for (uint32_t column = 0; column < window->columns; column++) {
      uint32_t index = row * window->columns + column;
      SDL_Rect rect = flz_window_pad_rect(window, width, height, column, row);
      if (rect.w <= 0 || rect.h <= 0)
        continue;
      const flz_window_pad *pad = pads != NULL && index < count ? &pads[index] : NULL;
      const flz_window_look *look = pad != NULL && pad->playing  ? &flz_window_playing
                                    : pad != NULL && pad->loaded ? &flz_window_loaded
                                                                 : &flz_window_empty;
      flz_window_fill(window->renderer, &rect, look->fill);
      flz_window_outline(window->renderer, &rect, look->outline);
      if (pad != NULL && pad->level > 0.001f) {
        float db = 20.0f * log10f(pad->level > 1.0f ? 1.0f : pad->level);
        int tall = (int)((float)rect.h * (db + 60.0f) / 60.0f);
        SDL_Rect bar = {rect.x, rect.y + rect.h - tall, FLZ_WINDOW_METER_WIDTH, tall};
        flz_window_fill(window->renderer, &bar, flz_window_meter_fill);
      }
      if (pad != NULL && pad->progress > 0.0f && pad->progress < 1.0f) {
        SDL_Rect bar = {rect.x, rect.y + rect.h - FLZ_WINDOW_PROGRESS_HEIGHT,
                        (int)((float)rect.w * pad->progress), FLZ_WINDOW_PROGRESS_HEIGHT};
        flz_window_fill(window->renderer, &bar, flz_window_progress_fill);
      }
    }
  }
  SDL_RenderPresent(window->renderer);
}

int flz_window_pad_at(const flz_window *window, int x, int y)
{
  if (window == NULL)
    return -1;
  int width, height;
  SDL_GetWindowSize(window->window, &width, &height);
  long long column = flz_window_share_at((long long)x - FLZ_WINDOW_MARGIN,
                                         (long long)width - 2 * FLZ_WINDOW_MARGIN + FLZ_WINDOW_GAP,
                                         window->columns);
  long long row = flz_window_share_at((long long)y - FLZ_WINDOW_MARGIN,
                                      (long long)height - 2 * FLZ_WINDOW_MARGIN + FLZ_WINDOW_GAP,
                                      window->rows);
  if (column < 0 || row < 0)
    return -1;
  SDL_Rect rect = flz_window_pad_rect(window, width, height, (uint32_t)column, (uint32_t)row);
  if (x < rect.x || x >= rect.x + rect.w || y < rect.y || y >= rect.y + rect.h)
    return -1;
  return (int)(row * window->columns + column);
}

const flz_window *flz_window_from_id(uint32_t window_id)
{
  if (flz_window_the == NULL || window_id == 0 ||
      SDL_GetWindowID(flz_window_the->window) != window_id)
    return NULL;
  return flz_window_the;
}

uint32_t flz_window_id(const flz_window *window)
{
  return window != NULL ? SDL_GetWindowID(window->window) : 0;
}

int flz_window_pad_under_pointer(const flz_window *window)
{
  if (window == NULL)
    return -1;
  int pointer_x, pointer_y, window_x, window_y;
  SDL_GetGlobalMouseState(&pointer_x, &pointer_y);
  SDL_GetWindowPosition(window->window, &window_x, &window_y);
  return flz_window_pad_at(window, pointer_x - window_x, pointer_y - window_y);
}

void flz_window_close(flz_window *window)
{
  if (window == NULL)
    return;
  if (window->renderer != NULL)
    SDL_DestroyRenderer(window->renderer);
  if (window->window != NULL)
    SDL_DestroyWindow(window->window);
  if (flz_window_the == window)
    flz_window_the = NULL;
  SDL_free(window);
  SDL_QuitSubSystem(SDL_INIT_VIDEO);
}
