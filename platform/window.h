/* platform/window.h: the desktop view, a window with a grid of pads.
 *
 * Owns: the SDL window and renderer. Draws what the app tells it; knows
 * nothing of kits or the engine. Mouse clicks on a pad arrive through
 * platform/input.h as FLZ_SOURCE_WINDOW press/release events whose control is
 * the pad index. Control (main) thread only.
 */
#ifndef FLZ_PLATFORM_WINDOW_H
#define FLZ_PLATFORM_WINDOW_H

#include <stddef.h>
#include <stdint.h>

typedef struct flz_window flz_window;

/* What one pad looks like. */
typedef struct flz_window_pad {
  int loaded;     /* has a sample */
  int playing;    /* lit: at least one voice of it sounds */
  float progress; /* 0..1 while its sample loads (a bar along the pad's
                     bottom edge); 0 when not loading */
  float level;    /* its peak meter, linear 0..1 (a bar up the pad's left
                     edge, on a dB scale from -60 dB); 0 when silent */
} flz_window_pad;

/* Opens a resizable window (480 x 480 points to begin with) titled `title`
 * for a grid of `columns` x `rows` pads, and initializes SDL's video
 * subsystem for it. Returns NULL when there is no display (FLZ_ERR_VIDEO),
 * when `columns` or `rows` is 0, or when a window is already open, with the
 * reason (SDL's where it has one) in `detail`. */
flz_window *flz_window_open(const char *title, uint32_t columns, uint32_t rows, char *detail,
                            size_t detail_size);

/* Draws `count` pads (row by row from the top left; cells beyond `count` are
 * drawn empty, pads beyond columns x rows are not drawn) and presents the
 * frame: empty pads dim grey, loaded pads mid grey, playing pads orange; a
 * pad loading with progress in (0, 1) gets a bar along its bottom edge, 4
 * points high, as long as the progress. A pad with a level above -60 dBFS
 * gets a meter bar up its left edge, 6 points wide, whose height is the
 * level on a dB scale from -60 dB (the bottom) to 0 dB (the top). */
void flz_window_draw(flz_window *window, const flz_window_pad *pads, uint32_t count);

/* Pad index under window point (x, y) (SDL mouse coordinates, origin top
 * left, measured against the window's current size so a resized window maps
 * correctly), or -1 for the margin, a gap between pads or outside the grid.
 * NULL-safe (-1). Used by platform/input.c. */
int flz_window_pad_at(const flz_window *window, int x, int y);

/* The open window if `window_id` is its SDL window id (the windowID of an SDL
 * event), else NULL. Flitz opens at most one window at a time. */
const flz_window *flz_window_from_id(uint32_t window_id);

/* The window's SDL window id, for matching SDL events to it. */
uint32_t flz_window_id(const flz_window *window);

/* Pad index under the mouse pointer now, or -1 (NULL-safe). SDL 2's file
 * drop events carry no position, so platform/input.c asks where the pointer
 * is when the drop arrives; with video drivers that have no global pointer
 * position (offscreen, dummy) the answer is -1 or SDL's last known point. */
int flz_window_pad_under_pointer(const flz_window *window);

/* Closes the window and quits the video subsystem it started. NULL-safe. */
void flz_window_close(flz_window *window);

#endif
