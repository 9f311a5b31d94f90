/* platform/window.h: the desktop view, a window with a grid of pads.
 *
 * Owns: the SDL window and renderer. Draws what the app tells it; knows
 * nothing of kits or the engine. Mouse clicks on a pad arrive through
 * platform/input.h as FLZ_SOURCE_WINDOW press/release events whose control is
 * the pad index. Control (main) thread only.
 */
#ifndef FLZ_PLATFORM_WINDOW_H
#define FLZ_PLATFORM_WINDOW_H

#include <stdint.h>

typedef struct flz_window flz_window;

/* What one pad looks like. */
typedef struct flz_window_pad {
  int loaded;     /* has a sample */
  int playing;    /* lit: at least one voice of it sounds */
  char label[32]; /* short name, e.g. the file's name without extension */
} flz_window_pad;

/* Opens a window titled `title` for a grid of `columns` x `rows` pads.
 * Returns NULL when there is no display (FLZ_ERR_VIDEO) with SDL's reason in
 * `detail`. */
flz_window *flz_window_open(const char *title, uint32_t columns, uint32_t rows, char *detail,
                            unsigned long detail_size);

/* Draws `count` pads (row by row from the top left) and presents the frame. */
void flz_window_draw(flz_window *window, const flz_window_pad *pads, uint32_t count);

/* Pad index under window pixel (x, y), or -1. Used by platform/input.c. */
int flz_window_pad_at(const flz_window *window, int x, int y);

/* Closes the window. NULL-safe. */
void flz_window_close(flz_window *window);

#endif
