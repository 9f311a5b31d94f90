/* app/kitfmt/hydrogen.h: the Hydrogen drumkit reader. A Hydrogen kit is a
 * folder holding drumkit.xml and the samples it names; this reader parses the
 * XML (with libexpat) into a plain description in Hydrogen's own terms:
 * the kit's instruments in file order, each with its layers. It reads no
 * audio and checks no sample file; the caller decodes the paths it gives.
 *
 * Layouts read (both found in Debian's hydrogen-data and hydrogen-drumkits):
 *   - old: <instrument> holds its <layer>s directly, or (oldest) a single
 *     <filename> that is one layer over all velocities;
 *   - newer (Hydrogen 0.9.7 and later): <instrument> holds one or more
 *     <instrumentComponent>s, each with its <component_id>, <gain> and
 *     <layer>s. The layers of every component are listed together, each
 *     with its component's id and gain (Hydrogen plays all components of an
 *     instrument at once).
 * Pan: old kits write <pan_L>/<pan_R> (each 0..1), newer ones <pan> (-1..1);
 * both are given, the missing one derived as Hydrogen 1.x does (pan =
 * pan_R / pan_L - 1 when pan_L >= pan_R, else 1 - pan_L / pan_R; back from
 * pan: the louder side 1, the other 1 - |pan|).
 * MIDI notes: an instrument's <midiInNote> when the kit has one, else 36
 * plus the instrument's position in the list (Hydrogen's own input mapping);
 * positions past note 127 have no note (-1). <midiOutNote> is given as it
 * is written (many kits write 60 for every instrument: it is no input map).
 *
 * Owns: parsing drumkit.xml and the memory of the flz_hydrogen_kit it fills.
 * Any thread; each call works on its own kit (no shared state).
 */
#ifndef FLZ_APP_KITFMT_HYDROGEN_H
#define FLZ_APP_KITFMT_HYDROGEN_H

#include <stddef.h>
#include <stdint.h>

/* Capacities that keep a hostile file's cost bounded: Hydrogen's own limit
 * of instruments per kit (MAX_INSTRUMENTS), and the regions one pad holds. */
#define FLZ_HYDROGEN_INSTRUMENTS_MAX 1000
#define FLZ_HYDROGEN_LAYERS_MAX 128

/* <sampleSelectionAlgo>: how an instrument picks among layers that all
 * cover a velocity (absent: velocity). */
typedef enum flz_hydrogen_selection {
  FLZ_HYDROGEN_VELOCITY,    /* "VELOCITY": the first layer whose range holds it */
  FLZ_HYDROGEN_ROUND_ROBIN, /* "ROUND_ROBIN": in turn among the layers holding it */
  FLZ_HYDROGEN_RANDOM,      /* "RANDOM": at random among the layers holding it */
} flz_hydrogen_selection;

typedef struct flz_hydrogen_layer {
  char *path;           /* absolute, or as written when <filename> is absolute */
  float min, max;       /* velocity range, 0..1 as written (<min>, <max>) */
  uint8_t lovel, hivel; /* the same as MIDI velocities 1..127: the v with
                            min <= v / 127.0f <= max (Hydrogen's test, in
                            float); 0..0 when no MIDI velocity falls inside */
  float gain;           /* linear factor (<gain>, default 1) */
  float pitch;          /* semitones (<pitch>, default 0) */
  int32_t component_id; /* <component_id> of its <instrumentComponent>; 0 in old kits */
  float component_gain; /* linear factor, that component's <gain>; 1 in old kits */
} flz_hydrogen_layer;

typedef struct flz_hydrogen_instrument {
  int32_t id;         /* <id> */
  char *name;         /* <name>, "" when absent */
  float volume;       /* linear factor (<volume>, default 1) */
  float pan_l, pan_r; /* 0..1 each (<pan_L>/<pan_R>, or derived from <pan>) */
  float pan;          /* -1 (left) .. 1 (right) (<pan>, or derived) */
  float gain;         /* linear factor (<gain>, default 1) */
  float pitch_offset; /* semitones (<pitchOffset>, default 0) */
  /* ADSR as written (<Attack> <Decay> <Sustain> <Release>): attack, decay and
   * release in frames (Hydrogen's H2Core::ADSR unit, which it steps once a
   * frame of output and shapes as exponentials), sustain a level 0..1.
   * Defaults 0, 0, 1, 1000 (Hydrogen's). */
  float attack, decay, sustain, release;
  int32_t mute_group;               /* <muteGroup>; -1 = none (also when absent) */
  flz_hydrogen_selection selection; /* <sampleSelectionAlgo> */
  int32_t midi_out_note;            /* <midiOutNote>, -1 when absent */
  int32_t midi_in_note;             /* <midiInNote>, -1 when absent */
  int32_t note;                     /* the MIDI note that plays it, 0..127, or -1 (see top) */
  flz_hydrogen_layer *layers;       /* in file order */
  uint32_t layer_count;             /* may be 0: an instrument with no sample */
} flz_hydrogen_instrument;

typedef struct flz_hydrogen_kit {
  char *name;                           /* <name> of <drumkit_info>, "" when absent */
  flz_hydrogen_instrument *instruments; /* in file order */
  uint32_t instrument_count;
} flz_hydrogen_kit;

/* Reads the kit at `path`: a drumkit.xml file or the folder holding one.
 * Relative sample paths are resolved against the file's folder.
 * Returns FLZ_OK with `kit` filled (free it with flz_hydrogen_free); or an
 * error with `kit` empty and one line in `why` naming the file, the line
 * when expat gives one, and the reason ("/k/drumkit.xml:12: not well-formed
 * (invalid token)", "/k/drumkit.xml:40: <min> is not a number: 'x'"):
 * FLZ_ERR_NOT_FOUND, FLZ_ERR_READ (cannot be read), FLZ_ERR_SYNTAX (XML or a
 * value malformed, no <drumkit_info>, more than the capacities above),
 * FLZ_ERR_NO_MEMORY. */
int flz_hydrogen_read(const char *path, flz_hydrogen_kit *kit, char *why, size_t why_size);

/* Parses drumkit.xml already in memory (`xml`, `size` bytes) as
 * flz_hydrogen_read does; `folder` resolves relative sample paths and
 * `file` names the document in messages. The fuzz harness's entry. */
int flz_hydrogen_parse(const char *xml, size_t size, const char *folder, const char *file,
                       flz_hydrogen_kit *kit, char *why, size_t why_size);

/* Frees what a successful read put in `kit` and empties it; an empty kit
 * (all zero) is fine. */
void flz_hydrogen_free(flz_hydrogen_kit *kit);

#endif
