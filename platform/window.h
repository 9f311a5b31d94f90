/* platform/window.h: the desktop view, a window with a grid of pads.
 *
 * Owns: the SDL window and renderer. Draws what the app tells it; knows
 * nothing of kits or the engine. Mouse clicks and touches on a pad arrive
 * through platform/input.h as FLZ_SOURCE_WINDOW press/release events whose
 * control is the pad index. Text is drawn with SDL2_ttf. Control (main)
 * thread only.
 */
#ifndef FLZ_PLATFORM_WINDOW_H
#define FLZ_PLATFORM_WINDOW_H

#include <stddef.h>
#include <stdint.h>

typedef struct flz_window flz_window;

/* What one pad looks like. The strings are the caller's, read during the
 * call only; NULL or "" draws nothing. */
typedef struct flz_window_pad {
  int loaded;           /* has a sample */
  int playing;          /* lit: at least one voice of it sounds */
  int failed;           /* its file could not be loaded: red, with `reason` */
  float progress;       /* 0..1 while its sample loads (a bar along the pad's
                     bottom edge); 0 when not loading */
  float level;          /* its peak meter, linear 0..1 (a bar up the pad's left
                     edge, on a dB scale from -60 dB); 0 when silent */
  float position;       /* a loop's play position, 0..1 (a bar along the pad's
                     top edge); negative: none */
  uint32_t number;      /* the pad's number, shown in its top left corner; 0: none */
  uint32_t choke;       /* its choke group, shown after the mode; 0: none */
  const char *name;     /* the sample's name, in the middle */
  const char *mode;     /* "one-shot", "gate", "loop", "loop-gate", top right */
  const char *triggers; /* what plays it ("key 1 · pad A\nnote 36"), at the
                           bottom, one line per '\n'-separated part */
  const char *reason;   /* why it failed, under the name */
} flz_window_pad;
/* Opens a resizable window (720 x 560 points to begin with) titled `title`
 * for a grid of `columns` x `rows` pads, and initializes SDL's video
 * subsystem for it. Returns NULL when there is no display (FLZ_ERR_VIDEO),
 * when `columns` or `rows` is 0, or when a window is already open, with the
 * reason (SDL's where it has one) in `detail`. */
flz_window *flz_window_open(const char *title, uint32_t columns, uint32_t rows, char *detail,
                            size_t detail_size);

/* Draws `count` pads (row by row from the top left; cells beyond `count` are
 * drawn empty, pads beyond columns x rows are not drawn), the status bar
 * (flz_window_set_status) and presents the frame: empty pads dim grey,
 * loaded pads mid grey, playing pads orange, failed pads dark red with a red
 * outline; a pad loading with progress in (0, 1) gets a bar along its bottom
 * edge, 4 points high, as long as the progress. A pad with a level above
 * -60 dBFS gets a meter bar up its left edge, 6 points wide, whose height is
 * the level on a dB scale from -60 dB (the bottom) to 0 dB (the top). With a
 * font (flz_window_font), each pad shows its number, mode and choke group,
 * name, failure reason and triggers as text, each line cut to the pad's
 * width. */
void flz_window_draw(flz_window *window, const flz_window_pad *pads, uint32_t count);

/* Draws the frame flz_window_draw draws, writes it to `path` as a PNG file of
 * the window's pixels, and presents it. FLZ_OK, FLZ_ERR_NO_MEMORY or
 * FLZ_ERR_WRITE (the reason in `detail`). */
int flz_window_screenshot(flz_window *window, const flz_window_pad *pads, uint32_t count,
                          const char *path, char *detail, size_t detail_size);

/* Sets the status bar's text, up to two lines separated by '\n' (copied);
 * NULL or "" removes the bar, and the pads take the whole window. */
void flz_window_set_status(flz_window *window, const char *status);

/* Lays the pads out as `columns` x `rows` from the next frame on (both at
 * least 1; otherwise nothing changes). */
void flz_window_set_grid(flz_window *window, uint32_t columns, uint32_t rows);

/* The font file the window draws text with, or NULL when none was found or
 * SDL2_ttf could not open it (the pads are then drawn without text). The
 * file named by the environment variable FLZ_FONT when it is set, else
 * fontconfig's (`fc-match` for DejaVu Sans), else Debian's
 * fonts-dejavu-core paths. */
const char *flz_window_font(const flz_window *window);

/* Velocity of a press at window point (x, y) inside pad `pad`: 1.0 at the
 * pad's top edge down to 0.1 at its bottom edge, linearly; 1.0 when the
 * point is not inside the pad. NULL-safe (1.0). Used by platform/input.c. */
float flz_window_velocity_at(const flz_window *window, int pad, int x, int y);

/* The window's size in points (0 x 0 for NULL). */
void flz_window_size(const flz_window *window, int *width, int *height);

/* Pad index under window point (x, y) (SDL mouse coordinates, origin top
 * left, measured against the window's current size so a resized window maps
 * correctly), or -1 for the margin, a gap between pads or outside the grid.
 * NULL-safe (-1). Used by platform/input.c. */
int flz_window_pad_at(const flz_window *window, int x, int y);

/* The open window if `window_id` is its SDL window id (the windowID of an SDL
 * event), else NULL. Flitz opens at most one window at a time. */
const flz_window *flz_window_from_id(uint32_t window_id);

/* The open window, or NULL. */
const flz_window *flz_window_current(void);

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
