/* platform/window.c: the desktop window with its grid of pads (SDL2 video and
 * renderer).
 * Owns: SDL's video subsystem, the one open window and its renderer, and the
 * grid layout shared by drawing and hit testing. Must not touch input events
 * (platform/input.c) nor know what a pad plays (app/). */
#include "platform/window.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <math.h>
#include <stb_image_write.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/result.h"

/* Size of a new window in points: 4 x 4 pads of about 170 x 120 points
 * each with the status bar, big enough to hit with a mouse and to read the
 * pads' text, small enough for a 1024 x 600 Pi screen. */
#define FLZ_WINDOW_START_WIDTH 720
#define FLZ_WINDOW_START_HEIGHT 560

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
static const flz_window_look flz_window_empty = {{0x28, 0x28, 0x2e}, {0x3c, 0x3c, 0x44}};
static const flz_window_look flz_window_loaded = {{0x3a, 0x3a, 0x46}, {0x70, 0x70, 0x7c}};
static const flz_window_look flz_window_playing = {{0xff, 0x9a, 0x1a}, {0xff, 0xd0, 0x8a}};
static const flz_window_look flz_window_failed = {{0x4a, 0x1c, 0x1c}, {0xff, 0x40, 0x40}};
static const flz_window_colour flz_window_progress_fill = {0x4a, 0xa8, 0xff};
static const flz_window_colour flz_window_position_fill = {0x4a, 0xa8, 0xff};
static const flz_window_colour flz_window_text = {0xf4, 0xf4, 0xf4};
static const flz_window_colour flz_window_text_dim = {0xc8, 0xc8, 0xd0};
static const flz_window_colour flz_window_text_failed = {0xff, 0xa0, 0xa0};
static const flz_window_colour flz_window_status_fill = {0x26, 0x26, 0x2c};
static const flz_window_colour flz_window_meter_fill = {0x6c, 0xe0, 0x6c};

/* Width of a pad's meter bar, in points. */
#define FLZ_WINDOW_METER_WIDTH 6

/* Height of a loading pad's progress bar and of a loop's position bar, in
 * points. */
#define FLZ_WINDOW_PROGRESS_HEIGHT 4

/* The status bar: two lines of text at the bottom, in points. */
#define FLZ_WINDOW_STATUS_HEIGHT 36
#define FLZ_WINDOW_STATUS_FONT 12

/* Text inside a pad: the font's size in points follows the pad's height
 * (an eighth of it, within these bounds) so five lines fit. */
#define FLZ_WINDOW_FONT_MIN 9
#define FLZ_WINDOW_FONT_MAX 16
#define FLZ_WINDOW_TEXT_INSET 4

/* A failed pad's reason takes at most this many lines under its name. */
#define FLZ_WINDOW_REASON_LINES 2

/* Where fonts-dejavu-core puts its files, when fontconfig's fc-match is
 * missing or names nothing usable. */
static const char *const flz_window_font_paths[] = {
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
};

struct flz_window {
  SDL_Window *window;
  SDL_Renderer *renderer;
  uint32_t columns;
  uint32_t rows;
  int ttf;              /* SDL2_ttf initialized by this window */
  char font_path[1024]; /* "" = no font: no text */
  TTF_Font *pad_font;   /* at pad_font_size points */
  int pad_font_size;
  TTF_Font *status_font;
  char status[512]; /* "" = no status bar */
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

/* The height of the grid area: the window's minus the status bar's. */
static int flz_window_grid_height(const flz_window *window, int height)
{
  return window->status[0] != '\0' ? height - FLZ_WINDOW_STATUS_HEIGHT : height;
}

/* A font file: $FLZ_FONT when set (and nothing else then), else
 * fontconfig's answer for DejaVu Sans, else a known path. Returns 1 with the
 * path in `path`, or 0. */
static int flz_window_find_font(char *path, size_t path_size)
{
  struct stat info;
  const char *chosen = getenv("FLZ_FONT");
  if (chosen != NULL && chosen[0] != '\0') {
    snprintf(path, path_size, "%s", chosen);
    if (stat(path, &info) == 0 && S_ISREG(info.st_mode))
      return 1;
    path[0] = '\0';
    return 0;
  }
  FILE *pipe = popen("fc-match -f '%{file}' 'DejaVu Sans' 2>/dev/null", "r");
  if (pipe != NULL) {
    size_t got = fread(path, 1, path_size - 1, pipe);
    path[got] = '\0';
    int status = pclose(pipe);
    if (status == 0 && got > 0 && stat(path, &info) == 0 && S_ISREG(info.st_mode))
      return 1;
  }
  for (size_t i = 0; i < sizeof flz_window_font_paths / sizeof flz_window_font_paths[0]; i++)
    if (stat(flz_window_font_paths[i], &info) == 0) {
      snprintf(path, path_size, "%s", flz_window_font_paths[i]);
      return 1;
    }
  path[0] = '\0';
  return 0;
}

/* SDL2_ttf and the status bar's font; no font leaves font_path empty. */
static void flz_window_open_fonts(flz_window *window)
{
  if (!flz_window_find_font(window->font_path, sizeof window->font_path)) {
    window->font_path[0] = '\0';
    return;
  }
  if (TTF_Init() != 0) {
    window->font_path[0] = '\0';
    return;
  }
  window->ttf = 1;
  window->status_font = TTF_OpenFont(window->font_path, FLZ_WINDOW_STATUS_FONT);
  if (window->status_font == NULL)
    window->font_path[0] = '\0';
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
  /* Touches arrive as finger events (platform/input.c), not as mouse clicks
   * too. */
  SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
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
  /* With no desktop (KMSDRM on a Pi's screen) the window is the screen. */
  const char *driver = SDL_GetCurrentVideoDriver();
  Uint32 flags = SDL_WINDOW_RESIZABLE;
  if (driver != NULL && SDL_strcasecmp(driver, "kmsdrm") == 0)
    flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  window->window = SDL_CreateWindow(title, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                                    FLZ_WINDOW_START_WIDTH, FLZ_WINDOW_START_HEIGHT, flags);
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
  flz_window_open_fonts(window);
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

/* Draws `text` in `colour` with its top left at (x, y), cut to `max_width`
 * points; returns the height it took (0 without a font or text). */
static int flz_window_text_at(flz_window *window, TTF_Font *font, const char *text, int x, int y,
                              int max_width, flz_window_colour colour)
{
  if (font == NULL || text == NULL || text[0] == '\0' || max_width <= 0)
    return 0;
  SDL_Color fg = {colour.r, colour.g, colour.b, SDL_ALPHA_OPAQUE};
  SDL_Surface *surface = TTF_RenderUTF8_Blended(font, text, fg);
  if (surface == NULL)
    return 0;
  SDL_Texture *texture = SDL_CreateTextureFromSurface(window->renderer, surface);
  int height = surface->h;
  if (texture != NULL) {
    int width = surface->w < max_width ? surface->w : max_width;
    SDL_Rect from = {0, 0, width, surface->h};
    SDL_Rect to = {x, y, width, surface->h};
    SDL_RenderCopy(window->renderer, texture, &from, &to);
    SDL_DestroyTexture(texture);
  }
  SDL_FreeSurface(surface);
  return height;
}

/* Draws `text` in lines of at most `width` points, broken at spaces, at
 * most `max_lines` of them (the last one cut); returns the lines drawn. */
static int flz_window_wrapped(flz_window *window, TTF_Font *font, const char *text, int x, int y,
                              int width, int max_lines, flz_window_colour colour)
{
  if (font == NULL || text == NULL)
    return 0;
  char rest[256];
  snprintf(rest, sizeof rest, "%s", text);
  char *from = rest;
  int lines = 0;
  while (*from != '\0' && lines < max_lines) {
    char *cut = NULL;
    if (lines + 1 < max_lines) {
      /* the longest run of words that fits */
      for (char *space = strchr(from, ' '); space != NULL; space = strchr(space + 1, ' ')) {
        int w = 0;
        *space = '\0';
        int fits = TTF_SizeUTF8(font, from, &w, NULL) == 0 && w <= width;
        *space = ' ';
        if (!fits)
          break;
        cut = space;
      }
      int w = 0;
      if (TTF_SizeUTF8(font, from, &w, NULL) == 0 && w <= width)
        cut = NULL; /* all of it fits */
    }
    if (cut != NULL)
      *cut = '\0';
    flz_window_text_at(window, font, from, x, y + lines * TTF_FontLineSkip(font), width, colour);
    lines++;
    if (cut == NULL)
      break;
    from = cut + 1;
  }
  return lines;
}

/* The pads' font at the size for pads `pad_height` points high. */
static TTF_Font *flz_window_pad_font(flz_window *window, int pad_height)
{
  if (window->font_path[0] == '\0')
    return NULL;
  int size = pad_height / 8;
  size = size < FLZ_WINDOW_FONT_MIN   ? FLZ_WINDOW_FONT_MIN
         : size > FLZ_WINDOW_FONT_MAX ? FLZ_WINDOW_FONT_MAX
                                      : size;
  if (window->pad_font != NULL && window->pad_font_size == size)
    return window->pad_font;
  if (window->pad_font != NULL)
    TTF_CloseFont(window->pad_font);
  window->pad_font = TTF_OpenFont(window->font_path, size);
  window->pad_font_size = size;
  return window->pad_font;
}

/* The text of one pad: number and mode on the top line, name (and the reason
 * of a failure) in the middle, triggers at the bottom. */
static void flz_window_pad_text(flz_window *window, TTF_Font *font, const SDL_Rect *rect,
                                const flz_window_pad *pad)
{
  if (font == NULL)
    return;
  int inset = FLZ_WINDOW_TEXT_INSET + FLZ_WINDOW_METER_WIDTH;
  int x = rect->x + inset;
  int width = rect->w - inset - FLZ_WINDOW_TEXT_INSET;
  int line = TTF_FontLineSkip(font);
  int top = rect->y + FLZ_WINDOW_PROGRESS_HEIGHT + 1;
  flz_window_colour ink = pad->playing ? flz_window_background : flz_window_text;
  flz_window_colour dim = pad->playing ? flz_window_background : flz_window_text_dim;
  char text[160];
  if (pad->number > 0) {
    snprintf(text, sizeof text, "%u", (unsigned)pad->number);
    flz_window_text_at(window, font, text, x, top, width, ink);
  }
  /* The mode at the top right, the choke group under it. */
  for (int row = 0; row < 2; row++) {
    if (row == 0 && pad->mode != NULL && pad->mode[0] != '\0')
      snprintf(text, sizeof text, "%s", pad->mode);
    else if (row == 1 && pad->choke > 0)
      snprintf(text, sizeof text, "choke %u", (unsigned)pad->choke);
    else
      continue;
    int w = 0;
    if (TTF_SizeUTF8(font, text, &w, NULL) == 0) {
      int right = rect->x + rect->w - FLZ_WINDOW_TEXT_INSET - w;
      int left = x + 3 * line / 2; /* clear of the number */
      flz_window_text_at(window, font, text, right > left ? right : left, top + row * line,
                         rect->x + rect->w - FLZ_WINDOW_TEXT_INSET - left, dim);
    }
  }
  int middle = rect->y + rect->h / 2 - line;
  if (middle < top + 2 * line)
    middle = top + 2 * line;
  flz_window_text_at(window, font, pad->name, x, middle, width, ink);
  int reason_lines = 0;
  if (pad->failed)
    reason_lines = flz_window_wrapped(window, font, pad->reason, x, middle + line, width,
                                      FLZ_WINDOW_REASON_LINES, flz_window_text_failed);
  /* The triggers, one line per '\n'-separated part, up from the bottom. */
  char lines[160];
  snprintf(lines, sizeof lines, "%s", pad->triggers != NULL ? pad->triggers : "");
  int parts = lines[0] != '\0' ? 1 : 0;
  for (const char *c = lines; *c != '\0'; c++)
    parts += *c == '\n';
  int y = rect->y + rect->h - FLZ_WINDOW_PROGRESS_HEIGHT - 1 - parts * line;
  int below = middle + (1 + reason_lines) * line;
  for (char *part = lines; parts > 0; parts--, y += line) {
    char *end = strchr(part, '\n');
    if (end != NULL)
      *end = '\0';
    if (y >= below)
      flz_window_text_at(window, font, part, x, y, width, dim);
    if (end == NULL)
      break;
    part = end + 1;
  }
}

/* The status bar along the bottom, `height` points from the top. */
static void flz_window_status_bar(flz_window *window, int width, int top)
{
  SDL_Rect bar = {0, top, width, FLZ_WINDOW_STATUS_HEIGHT};
  flz_window_fill(window->renderer, &bar, flz_window_status_fill);
  if (window->font_path[0] == '\0')
    return;
  char lines[sizeof window->status];
  snprintf(lines, sizeof lines, "%s", window->status);
  char *second = strchr(lines, '\n');
  if (second != NULL)
    *second++ = '\0';
  int y = top + 2;
  y += flz_window_text_at(window, window->status_font, lines, FLZ_WINDOW_MARGIN, y,
                          width - 2 * FLZ_WINDOW_MARGIN, flz_window_text);
  flz_window_text_at(window, window->status_font, second, FLZ_WINDOW_MARGIN, y,
                     width - 2 * FLZ_WINDOW_MARGIN, flz_window_text_dim);
}

/* Draws the whole frame without presenting it. Returns 0 when the window has
 * no size to draw in. */
static int flz_window_render(flz_window *window, const flz_window_pad *pads, uint32_t count)
{
  int width, height, pixels_w, pixels_h;
  SDL_GetWindowSize(window->window, &width, &height);
  if (SDL_GetRendererOutputSize(window->renderer, &pixels_w, &pixels_h) != 0 || width <= 0 ||
      height <= 0)
    return 0;
  /* Lay out in points, draw in pixels: the same grid on high-DPI screens. */
  SDL_RenderSetScale(window->renderer, (float)pixels_w / (float)width,
                     (float)pixels_h / (float)height);
  flz_window_fill(window->renderer, NULL, flz_window_background);
  int grid_height = flz_window_grid_height(window, height);
  TTF_Font *font = NULL;
  for (uint32_t row = 0; row < window->rows; row++) {
    for (uint32_t column = 0; column < window->columns; column++) {
      uint32_t index = row * window->columns + column;
      SDL_Rect rect = flz_window_pad_rect(window, width, grid_height, column, row);
      if (rect.w <= 0 || rect.h <= 0)
        continue;
      if (font == NULL)
        font = flz_window_pad_font(window, rect.h);
      const flz_window_pad *pad = pads != NULL && index < count ? &pads[index] : NULL;
      const flz_window_look *look = pad != NULL && pad->playing  ? &flz_window_playing
                                    : pad != NULL && pad->failed ? &flz_window_failed
                                    : pad != NULL && pad->loaded ? &flz_window_loaded
                                                                 : &flz_window_empty;
      flz_window_fill(window->renderer, &rect, look->fill);
      flz_window_outline(window->renderer, &rect, look->outline);
      if (pad == NULL)
        continue;
      if (pad->failed) { /* a second outline: marked even without text */
        SDL_Rect inner = {rect.x + 1, rect.y + 1, rect.w - 2, rect.h - 2};
        flz_window_outline(window->renderer, &inner, look->outline);
      }
      if (pad->level > 0.001f) {
        float db = 20.0f * log10f(pad->level > 1.0f ? 1.0f : pad->level);
        int tall = (int)((float)rect.h * (db + 60.0f) / 60.0f);
        SDL_Rect bar = {rect.x, rect.y + rect.h - tall, FLZ_WINDOW_METER_WIDTH, tall};
        flz_window_fill(window->renderer, &bar, flz_window_meter_fill);
      }
      if (pad->progress > 0.0f && pad->progress < 1.0f) {
        SDL_Rect bar = {rect.x, rect.y + rect.h - FLZ_WINDOW_PROGRESS_HEIGHT,
                        (int)((float)rect.w * pad->progress), FLZ_WINDOW_PROGRESS_HEIGHT};
        flz_window_fill(window->renderer, &bar, flz_window_progress_fill);
      }
      if (pad->position >= 0.0f && pad->position <= 1.0f) {
        SDL_Rect bar = {rect.x, rect.y, (int)((float)rect.w * pad->position),
                        FLZ_WINDOW_PROGRESS_HEIGHT};
        flz_window_fill(window->renderer, &bar, flz_window_position_fill);
      }
      flz_window_pad_text(window, font, &rect, pad);
    }
  }
  if (window->status[0] != '\0')
    flz_window_status_bar(window, width, grid_height);
  return 1;
}

void flz_window_draw(flz_window *window, const flz_window_pad *pads, uint32_t count)
{
  if (window == NULL || !flz_window_render(window, pads, count))
    return;
  SDL_RenderPresent(window->renderer);
}

int flz_window_screenshot(flz_window *window, const flz_window_pad *pads, uint32_t count,
                          const char *path, char *detail, size_t detail_size)
{
  if (window == NULL || !flz_window_render(window, pads, count)) {
    flz_window_set_detail(detail, detail_size, path, "the window has no size");
    return FLZ_ERR_WRITE;
  }
  int width, height;
  if (SDL_GetRendererOutputSize(window->renderer, &width, &height) != 0) {
    flz_window_set_detail(detail, detail_size, path, SDL_GetError());
    return FLZ_ERR_WRITE;
  }
  unsigned char *pixels = malloc((size_t)width * (size_t)height * 4);
  if (pixels == NULL) {
    flz_window_set_detail(detail, detail_size, path, "out of memory");
    return FLZ_ERR_NO_MEMORY;
  }
  /* ABGR8888 is R, G, B, A in memory on a little-endian machine; RGBA32
   * names those bytes on any machine. */
  int result = FLZ_OK;
  if (SDL_RenderReadPixels(window->renderer, NULL, SDL_PIXELFORMAT_RGBA32, pixels, width * 4) !=
      0) {
    flz_window_set_detail(detail, detail_size, path, SDL_GetError());
    result = FLZ_ERR_WRITE;
  } else if (!stbi_write_png(path, width, height, 4, pixels, width * 4)) {
    flz_window_set_detail(detail, detail_size, path, "cannot write the PNG file");
    result = FLZ_ERR_WRITE;
  }
  free(pixels);
  SDL_RenderPresent(window->renderer);
  return result;
}

void flz_window_set_status(flz_window *window, const char *status)
{
  if (window != NULL)
    snprintf(window->status, sizeof window->status, "%s", status != NULL ? status : "");
}

void flz_window_set_grid(flz_window *window, uint32_t columns, uint32_t rows)
{
  if (window == NULL || columns == 0 || rows == 0)
    return;
  window->columns = columns;
  window->rows = rows;
}

const char *flz_window_font(const flz_window *window)
{
  return window != NULL && window->font_path[0] != '\0' ? window->font_path : NULL;
}

void flz_window_size(const flz_window *window, int *width, int *height)
{
  *width = 0;
  *height = 0;
  if (window != NULL)
    SDL_GetWindowSize(window->window, width, height);
}

float flz_window_velocity_at(const flz_window *window, int pad, int x, int y)
{
  if (window == NULL || pad < 0 || (uint32_t)pad >= window->columns * window->rows)
    return 1.0f;
  int width, height;
  SDL_GetWindowSize(window->window, &width, &height);
  SDL_Rect rect = flz_window_pad_rect(window, width, flz_window_grid_height(window, height),
                                      (uint32_t)pad % window->columns,
                                      (uint32_t)pad / window->columns);
  if (x < rect.x || x >= rect.x + rect.w || y < rect.y || y >= rect.y + rect.h || rect.h <= 1)
    return 1.0f;
  return 1.0f - 0.9f * (float)(y - rect.y) / (float)(rect.h - 1);
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
  height = flz_window_grid_height(window, height);
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

const flz_window *flz_window_current(void)
{
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
  if (window->pad_font != NULL)
    TTF_CloseFont(window->pad_font);
  if (window->status_font != NULL)
    TTF_CloseFont(window->status_font);
  if (window->ttf)
    TTF_Quit();
  if (window->renderer != NULL)
    SDL_DestroyRenderer(window->renderer);
  if (window->window != NULL)
    SDL_DestroyWindow(window->window);
  if (flz_window_the == window)
    flz_window_the = NULL;
  SDL_free(window);
  SDL_QuitSubSystem(SDL_INIT_VIDEO);
}
