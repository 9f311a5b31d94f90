/* app/options.h: the options of the flitz command, shared by every
 * subcommand. Options come first ("flitz [OPTIONS] [KIT]", "flitz render
 * [OPTIONS] KIT EVENTS OUT.wav"); parsing stops at the first argument that is
 * not an option, or after "--".
 *
 * Owns: option names, defaults and their validation. Control thread only.
 */
#ifndef FLZ_APP_OPTIONS_H
#define FLZ_APP_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct flz_options {
  int headless;             /* --headless: no window, game controllers only */
  int no_fallback;          /* --no-fallback: no audio device is an error */
  int help;                 /* --help, -h */
  int version;              /* --version */
  const char *audio_device; /* --audio-device NAME; NULL = default */
  uint32_t rate;            /* --rate HZ: FLZ_DEFAULT_RATE, FLZ_RATE_MIN..MAX */
  uint32_t period;          /* --period FRAMES: FLZ_DEFAULT_PERIOD, FLZ_PERIOD_MIN..MAX */
  double seconds;           /* render --seconds S; 0 = until the voices end */
  uint32_t wav_format;      /* render --format f32|s16: flz_wav_format */
  const char *config_path;  /* --config FILE; NULL = none given */
  const char *midi_in;      /* --midi-in PATH: raw MIDI byte stream; NULL = none */
  const char *midi_out;     /* --midi-out PATH: raw MIDI output (clock = lead); NULL = none */
  int print_config;         /* --print-config: print the effective flitz.ini, exit */
  const char *screenshot;   /* --screenshot FILE: the window as PNG once loaded, then quit */
  int stats;                /* --stats: print the engine's counters every 10 s */
  int preset_given;         /* --preset BANK:PROGRAM given: an SF2 bank's preset */
  uint16_t preset_bank;     /* 0..FLZ_OPTIONS_PRESET_BANK_MAX (128: GM drums) */
  uint16_t preset_program;  /* 0..127 */
  uint32_t given;           /* FLZ_OPTIONS_GIVEN_* bits: options on the command line */
} flz_options;

/* The highest --preset BANK: a 14-bit MIDI bank select. */
#define FLZ_OPTIONS_PRESET_BANK_MAX 16383u

/* Bits of flz_options.given, so a config file's values yield only to options
 * that were actually given. */
enum {
  FLZ_OPTIONS_GIVEN_AUDIO_DEVICE = 1u << 0,
  FLZ_OPTIONS_GIVEN_RATE = 1u << 1,
  FLZ_OPTIONS_GIVEN_PERIOD = 1u << 2,
  FLZ_OPTIONS_GIVEN_MIDI_IN = 1u << 3,
  FLZ_OPTIONS_GIVEN_MIDI_OUT = 1u << 4,
};

/* Fills `options` with the defaults. */
void flz_options_init(flz_options *options);

/* Parses the options at argv[*index...] and advances *index past them.
 * Returns FLZ_OK, or FLZ_ERR_OPTION with a one-line reason in `detail` (e.g.
 * "unknown option --foo", "--rate needs a number from 8000 to 384000"). */
int flz_options_parse(int argc, char **argv, int *index, flz_options *options, char *detail,
                      size_t detail_size);

/* The start of every subcommand: parses the options of `command` ("flitz",
 * "flitz render", ...) from argv[1] on and handles --help and --version.
 * Returns -1 to go on (`options` filled, *index at the first argument after
 * them), or the exit code to return at once: 0 after --help or --version, 2
 * after a bad option, whose one-line message it printed on stderr. */
int flz_options_parse_command(int argc, char **argv, const char *command, int *index,
                              flz_options *options);

/* Prints the usage text of every subcommand. */
void flz_options_usage(FILE *out);

#endif
