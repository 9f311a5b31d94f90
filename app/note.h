/* app/note.h: MIDI note numbers and names, as SFZ files and event scripts
 * write them.
 *
 * Owns: reading a key. A key is a number 0..127 or a name: a letter a..g
 * (any case), an optional '#' (sharp) or 'b' (flat), and an octave -1..9,
 * with c4 = 60 (SFZ's and Yamaha's convention: c-1 = 0, g9 = 127).
 * Any thread (no state).
 */
#ifndef FLZ_APP_NOTE_H
#define FLZ_APP_NOTE_H

#include <stdint.h>

/* Highest MIDI key and velocity. */
#define FLZ_NOTE_MAX 127u

/* Reads all of `text` as a key into *key. Returns 1, or 0 for anything else
 * (empty, trailing characters, out of 0..127). */
int flz_note_parse(const char *text, uint32_t *key);

#endif
