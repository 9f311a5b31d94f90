/* app/config.h: flitz.ini, the configuration file: audio output, MIDI, and
 * how notes, controllers, game controller buttons and keys map to pads and
 * controls. INI syntax (parsed with libinih): `;` or `#` starts a comment
 * line, ` ;` also ends a value, lines are at most 198 characters
 * (FLZ_INI_LINE_MAX).
 *
 * Sections [audio], [midi], [gamepad] and [banks] hold fixed keys: one row
 * each in app/config.c's table gives its type, default, range (from
 * engine/limits.h) and doc; README.md's key list is written from it
 * (flz_config_document). The rule sections map an input to a RULE:
 *   [notes]   MIDI note (0..127) = RULE; default 36..51 = pads 1..16 (the
 *             General MIDI drums)
 *   [cc]      MIDI controller (0..127) = RULE, or volume or bank-select;
 *             default 0 = bank-select, 7 = volume, 102 = bank-down,
 *             103 = bank-up, 120 = stop-all
 *   [buttons] BUTTON or MODIFIER+BUTTON = RULE; default a b x y = 1-4,
 *             leftshoulder rightshoulder = 5 6, lefttrigger righttrigger =
 *             7 8, dpup dpdown dpleft dpright = 9-12, back = stop-all,
 *             start+dpleft/dpright = bank-down/up, start+a/b/x/y = bank-1..4
 *   [keys]    KEY = RULE, SDL key names (Q, 1, Space, PageUp, F1...);
 *             default 1 2 3 4 / Q W E R / A S D F / Z X C V = pads 1-16,
 *             Space = stop-all, Escape = quit, PageUp/PageDown = bank-up/down,
 *             F1..F12 = bank-1..12
 *
 * RULE: a pad number (of the current bank), none, stop-all, bank-up,
 * bank-down, bank-N (select bank N), record (arm or disarm the pattern
 * recorder, overdubbing), record-undo, record-clear, pattern-N (choose
 * pattern N), chain-N,N,... (play patterns in turn, a cycle each, as the
 * script event `chain`; up to FLZ_CONFIG_CHAINS different chains), metronome (on or off), resample (record the output into the
 * first free pad until pressed again), resample-N (for N bars, 1 to
 * FLZ_RESAMPLE_BARS_MAX), repeat-RATE (note repeat while held: RATE 1/4,
 * 1/8, 1/16, 1/32 or a triplet 1/4t ... 1/32t), quit (keys only), volume and
 * bank-select (CC only). Buttons: a b x y back guide start leftstick
 * rightstick leftshoulder rightshoulder dpup dpdown dpleft dpright, and
 * lefttrigger righttrigger (pads only; velocity-sensitive, app/mapping.h).
 * MODIFIER+BUTTON: BUTTON pressed while MODIFIER is held does RULE instead of
 * its own rule (both are buttons, not triggers). A key with no SDL name, or
 * one INI cannot spell (= : ; # [), is written usageN (its HID usage).
 * A rule section given in a file replaces that section's defaults as a
 * whole; `N = none` clears one rule.
 *
 * Bank b (1-based) pad p plays slot (b - 1) x size + p - 1 (pad p of bank b
 * is kit pad (b - 1) x size + p); there are ceil(FLZ_PADS / size) banks.
 *
 * Owns: parsing, validating and printing the configuration, its defaults and
 * its default location. Control thread only.
 */
#ifndef FLZ_APP_CONFIG_H
#define FLZ_APP_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app/options.h"
#include "engine/limits.h"

/* What a note, controller, button or key does. */
typedef enum flz_config_action {
  FLZ_CONFIG_NONE = 0,
  FLZ_CONFIG_PAD,         /* play pad `arg` (1-based) of the current bank */
  FLZ_CONFIG_STOP_ALL,    /* fade out every voice */
  FLZ_CONFIG_BANK_UP,     /* next bank (stays at the last) */
  FLZ_CONFIG_BANK_DOWN,   /* previous bank (stays at the first) */
  FLZ_CONFIG_BANK,        /* select bank `arg` (1-based) */
  FLZ_CONFIG_QUIT,        /* keys: end flitz */
  FLZ_CONFIG_VOLUME,      /* CC: master volume 40 log10(value / 127) dB */
  FLZ_CONFIG_BANK_SELECT, /* CC: bank value + 1 */
  FLZ_CONFIG_RECORD,      /* the pattern recorder's action `arg` (flz_record: TOGGLE,
                             UNDO or CLEAR; engine/pattern.h) */
  FLZ_CONFIG_PATTERN,     /* choose pattern `arg` (1-based) */
  FLZ_CONFIG_METRONOME,   /* the metronome on (at FLZ_METRONOME_DB) or off */
  FLZ_CONFIG_RESAMPLE,    /* resample the output into a free pad: `arg` bars (resample-N),
                             0 = until pressed again (resample); app/run.c */
  FLZ_CONFIG_REPEAT,      /* note repeat at rate `arg` (flz_repeat_rate) while held */
  FLZ_CONFIG_CHAIN,       /* play chain `arg` (0-based) of flz_config's chains */
} flz_config_action;

typedef struct flz_config_rule {
  uint16_t action; /* flz_config_action */
  uint16_t arg;    /* pad or bank number */
} flz_config_rule;

/* Game controller controls with rules: the buttons (flz_button), then the
 * two analog triggers. */
#define FLZ_CONFIG_LEFT_TRIGGER 15
#define FLZ_CONFIG_RIGHT_TRIGGER 16
#define FLZ_CONFIG_CONTROLS 17

/* The name of game controller control `control` (< FLZ_CONFIG_CONTROLS) as
 * SDL's controller mappings and flitz.ini spell it ("a", "leftshoulder",
 * "righttrigger"). Any thread. */
const char *flz_config_control_name(uint32_t control);

/* Key rules are indexed by HID usage (SDL scancode), below 512. */
#define FLZ_CONFIG_KEYS 512

/* Different chains the rules play (chain-N,N,...). 16: one a pattern. */
#define FLZ_CONFIG_CHAINS 16

/* A chain rule's patterns. */
typedef struct flz_config_chain {
  uint8_t patterns[FLZ_PATTERNS]; /* 0-based */
  uint32_t length;                /* 1..FLZ_PATTERNS */
} flz_config_chain;

/* Modifier+button rules. 32: every button with a handful of modifiers. */
#define FLZ_CONFIG_COMBOS 32

typedef struct flz_config_combo {
  uint8_t modifier; /* flz_button */
  uint8_t button;   /* flz_button */
  flz_config_rule rule;
} flz_config_combo;

/* [midi] clock: what Flitz does with MIDI clock. */
typedef enum flz_config_clock {
  FLZ_CONFIG_CLOCK_OFF = 0, /* ignores it */
  FLZ_CONFIG_CLOCK_FOLLOW,  /* its ticks set the master tempo and beat, Start, Continue,
                               Stop and Song Position Pointer the transport
                               (engine/midiclock.h) */
  FLZ_CONFIG_CLOCK_LEAD,    /* sends it, from the engine's frame clock
                               (platform/midi_out.h) */
} flz_config_clock;

typedef struct flz_config {
  char path[4096]; /* the file read, "" = built-in defaults */
  /* [audio] */
  char device[256]; /* "" = the system's default */
  uint32_t rate;
  uint32_t period;
  uint32_t policy;        /* flz_policy */
  uint32_t interpolation; /* flz_interpolation */
  int wait_for_device;    /* [audio] wait_for_device: wait for the device instead of failing */
  /* [midi] */
  int sequencer;
  char input[1024];      /* "" = none */
  char output[1024];     /* raw MIDI output path (clock = lead); "" = none */
  uint32_t channel;      /* 0 = all, else 1..16 */
  uint32_t program_bank; /* program change selects a bank */
  uint32_t clock;        /* flz_config_clock */
  flz_config_rule notes[128];
  flz_config_rule cc[128];
  /* [gamepad] */
  float velocity;
  float trigger_threshold;
  uint32_t trigger_window_ms;
  char mappings[1024]; /* "" = none */
  flz_config_rule buttons[FLZ_CONFIG_CONTROLS];
  flz_config_combo combos[FLZ_CONFIG_COMBOS];
  uint32_t combo_count;
  /* [keys] */
  flz_config_rule keys[FLZ_CONFIG_KEYS];
  /* [banks] */
  uint32_t bank_size;
  /* what the chain rules of every section play */
  flz_config_chain chains[FLZ_CONFIG_CHAINS];
  uint32_t chain_count;
} flz_config;

/* The built-in defaults (the file above). */
void flz_config_init(flz_config *config);

/* Banks of `config`: ceil(FLZ_PADS / bank_size). */
uint32_t flz_config_banks(const flz_config *config);

/* Reads `path` into `config` (defaults first). Returns FLZ_OK;
 * FLZ_ERR_NOT_FOUND or FLZ_ERR_READ if it cannot be opened; FLZ_ERR_SYNTAX
 * for a bad line, with its 1-based number in *line and the reason in `detail`
 * ("unknown key 'sequenser' in [midi] (sequencer, input, channel, program)",
 * "rate must be a number from 8000 to 384000, not 'fast'", "pad 17 is past
 * the bank size 16"). The first bad line is reported. */
int flz_config_load(const char *path, flz_config *config, uint32_t *line, char *detail,
                    size_t detail_size);

/* flz_config_load on an open stream (the caller closes it); `path` is what
 * config->path records. For parsers of memory (the fuzzer). */
int flz_config_read(FILE *file, const char *path, flz_config *config, uint32_t *line, char *detail,
                    size_t detail_size);

/* The longest rule text: "chain-" and 16 patterns of 16. */
#define FLZ_CONFIG_RULE_TEXT 64

/* Writes rule `rule` of `config` as flitz.ini spells it ("12",
 * "record-undo", "chain-1,2,1,3", "none") into `text` (`size` bytes,
 * FLZ_CONFIG_RULE_TEXT holds every rule). Any thread. */
void flz_config_rule_text(const flz_config *config, flz_config_rule rule, char *text, size_t size);

/* Writes `config` as a flitz.ini that flz_config_load reads back into the
 * same configuration: every section and every rule. */
void flz_config_print(const flz_config *config, FILE *out);

/* Writes the key list of README.md's flitz.ini section: each section, and
 * each fixed key with its default, doc and range, from app/config.c's
 * table (tests/app/test_config.c checks README.md against it). */
void flz_config_document(FILE *out);

/* The default location: $XDG_CONFIG_HOME/flitz/flitz.ini (XDG_CONFIG_HOME
 * unset or empty: $HOME/.config), then /etc/flitz/flitz.ini; the first that
 * exists is written into `out`. Returns FLZ_OK, FLZ_ERR_NOT_FOUND (none
 * exists: use the defaults), or FLZ_ERR_ARGUMENT (`size` too small). */
int flz_config_default_path(char *out, size_t size);

/* Options on the command line win over the file: --audio-device, --rate,
 * --period and --midi-in, when given, replace the file's values. */
void flz_config_apply_options(flz_config *config, const flz_options *options);

/* A kit's own bank size (kit.ini's bank_size, app/kitfile.h) over `config`:
 * it becomes the bank size when `config` keeps the default
 * FLZ_DEFAULT_BANK_SIZE; a flitz.ini [banks] size other than the default
 * wins for every kit. Rules that then name a pad past the bank size or a
 * bank past the last are cleared, as for a smaller [banks] size. A size of
 * 0 or past FLZ_PADS changes nothing. Control thread. */
void flz_config_apply_kit(flz_config *config, uint32_t kit_bank_size);

/* The configuration flitz runs with: the file options->config_path (--config
 * FILE, or the default location flitz's main found; NULL: the defaults),
 * then the options over it. Prints one line
 * "flitz: CONFIG:LINE: REASON" or "flitz: CONFIG: REASON" on `err` and
 * returns FLZ_ERR_SYNTAX, FLZ_ERR_NOT_FOUND or FLZ_ERR_READ on failure. */
int flz_config_resolve(const flz_options *options, flz_config *config, FILE *err);

#endif
