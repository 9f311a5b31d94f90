/* app/pattern.h: the pattern recorder's files: the patterns of a kit kept
 * as `flitz render` event scripts, loaded at kit load and saved whenever the
 * engine says a pattern changed.
 *
 * Owns: the pattern files, where they are, their format, the atomic save,
 * and the one exchange buffer the engine's PATTERN_COPY and PATTERN_LOAD
 * (engine/message.h) read and write. Not the recording, the store or the
 * timing (engine/pattern.h). Control thread only.
 *
 * Files: pattern N (1..FLZ_PATTERNS) is "pattern-NN.txt" (NN two digits) in
 * the kit's folder (the folder of a kit file), or, when that folder cannot
 * be written, in $XDG_STATE_HOME/flitz/patterns/KIT (~/.local/state when
 * XDG_STATE_HOME is unset; KIT the folder's name), which flitz names in one
 * line; a pattern with no file there loads from the kit's folder (patterns
 * that came with a read-only kit). Each is an event script (app/script.h) of one cycle:
 *   # flitz pattern N bars B
 *   0 tempo T
 *   SECONDS play PAD VELOCITY      a hit of pad PAD (for a multi-sample pad
 *                                  pressed with another key than its own:
 *   SECONDS note KEY VELOCITY      the key and its MIDI velocity)
 *   SECONDS release PAD            the release of a held press (a gate pad, a
 *                                  multi-sample pad: of the key it was last
 *                                  pressed with, wrapping round the cycle)
 * at the kit's tempo T, so `flitz render KIT pattern-NN.txt OUT.wav` plays
 * the pattern once as it sounded. Loading reads the header's bars and turns
 * the seconds back into beats at the file's tempo.
 *
 * Saving: the text goes to "pattern-NN.txt.tmp", is fsync'ed, renamed over
 * the file, and the folder is fsync'ed: a kill or power cut at any point
 * leaves the old file or the new one, never a mix. A pattern with no events
 * and 1 bar is saved by removing its file.
 */
#ifndef FLZ_APP_PATTERN_H
#define FLZ_APP_PATTERN_H

#include <stdint.h>
#include <stdio.h>

#include "app/kit.h"
#include "engine/pattern.h"
#include "platform/sampler.h"

typedef struct flz_pattern_files {
  char dir[4096];                        /* where the files are */
  char kit_dir[4096];                    /* a read-only kit's folder when `dir` is the
                                            state folder: a pattern with no file in `dir`
                                            loads from here; "" otherwise */
  const struct flz_kit_regions *regions; /* a multi-sample kit's, or NULL */
  uint32_t pads;                         /* the kit's pads */
  float tempo;                           /* the kit's tempo, BPM: the files' seconds */
  uint32_t loads;                        /* bit p: pattern p's file waits to be loaded */
  uint32_t saves;                        /* bit p: pattern p waits to be saved */
  int busy;                              /* the engine holds the buffer (a COPY or LOAD) */
  int full_said;                         /* the store's full line was printed */
  FILE *err;                             /* error lines go here */
} flz_pattern_files;

/* Sets `files` up for kit `kit` (scanned or opened): finds the folder (the
 * kit's when it can be written, else the state folder, which it creates and
 * names on `out` in one line: "flitz: KITDIR is read-only: patterns are
 * kept in DIR") and marks every pattern to be loaded (one without a file
 * empties it). `kit` must outlive `files` (its regions are read). Errors go
 * to `err`, one line each. Returns FLZ_OK, or FLZ_ERR_WRITE when no folder
 * can be written (patterns then still load, and saving says why). */
int flz_pattern_files_open(flz_pattern_files *files, const flz_kit *kit, FILE *out, FILE *err);

/* Starts the next load or save when the engine holds no buffer: reads a
 * pattern file (a bad file is reported in one line "error: PATH:LINE:
 * REASON" and skipped) and sends PATTERN_LOAD, or sends PATTERN_COPY of a
 * changed pattern. */
void flz_pattern_files_poll(flz_pattern_files *files, flz_sampler *sampler);

/* Takes an engine event: PATTERN_CHANGED marks the pattern to save,
 * PATTERN_COPIED writes its file, PATTERN_LOADED and PATTERN_FULL hand the
 * buffer back (FULL prints "flitz: the pattern store is full (N events):
 * pattern P records no more" once per kit load). Returns 1 if the event
 * was one of these. */
int flz_pattern_files_event(flz_pattern_files *files, const flz_event *event);

/* 1 while a load or save waits or runs. */
int flz_pattern_files_pending(const flz_pattern_files *files);

/* The text of pattern `pattern` (0-based) of `bars` bars with the `count`
 * events `events` into `text` (`size` bytes): the file format above.
 * Returns the length, or >= size when it did not fit. */
size_t flz_pattern_format(const flz_pattern_files *files, uint32_t pattern, uint32_t bars,
                          const flz_pattern_event *events, uint32_t count, char *text, size_t size);

/* Writes `size` bytes of `text` to `path` atomically (the Saving above).
 * Returns FLZ_OK or FLZ_ERR_WRITE (nothing changed at `path`). */
int flz_pattern_write_atomic(const char *path, const char *text, size_t size);

#endif
