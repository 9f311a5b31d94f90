/* app/options.c: parsing and validation of the flitz command's options, and
 * the usage text.
 *
 * Owns: option names, defaults, ranges and their one-line error reasons. It
 * prints nothing but the usage text; callers print the reasons. Must not touch
 * the sampler, files or SDL.
 */
#include "app/options.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "engine/limits.h"
#include "engine/result.h"
#include "platform/decode.h"
#include "platform/wav_file.h"

void flz_options_init(flz_options *options)
{
  memset(options, 0, sizeof(*options));
  options->rate = FLZ_DEFAULT_RATE;
  options->period = FLZ_DEFAULT_PERIOD;
  options->wav_format = FLZ_WAV_FLOAT32;
}

/* Parses all of `text` as a decimal integer in min..max. */
static int flz_options_uint(const char *text, uint32_t min, uint32_t max, uint32_t *out)
{
  if (text == NULL || *text < '0' || *text > '9')
    return 0;
  errno = 0;
  char *end = NULL;
  unsigned long long value = strtoull(text, &end, 10);
  if (errno != 0 || *end != '\0' || value < min || value > max)
    return 0;
  *out = (uint32_t)value;
  return 1;
}

/* Parses all of `text` as a finite number of seconds, above 0 and at most
 * FLZ_RENDER_SECONDS_MAX. */
static int flz_options_seconds(const char *text, double *out)
{
  if (text == NULL || *text == '\0')
    return 0;
  errno = 0;
  char *end = NULL;
  double value = strtod(text, &end);
  if (errno != 0 || *end != '\0' || !isfinite(value) || value <= 0.0 ||
      value > FLZ_RENDER_SECONDS_MAX)
    return 0;
  *out = value;
  return 1;
}

static int flz_options_fail(char *detail, size_t detail_size, const char *format, ...)
{
  if (detail != NULL && detail_size > 0) {
    va_list args;
    va_start(args, format);
    vsnprintf(detail, detail_size, format, args);
    va_end(args);
  }
  return FLZ_ERR_OPTION;
}

typedef enum flz_options_id {
  FLZ_OPTION_HEADLESS,
  FLZ_OPTION_NO_FALLBACK,
  FLZ_OPTION_HELP,
  FLZ_OPTION_VERSION,
  FLZ_OPTION_AUDIO_DEVICE,
  FLZ_OPTION_RATE,
  FLZ_OPTION_PERIOD,
  FLZ_OPTION_SECONDS,
  FLZ_OPTION_FORMAT,
  FLZ_OPTION_CONFIG,
  FLZ_OPTION_MIDI_IN,
  FLZ_OPTION_MIDI_OUT,
  FLZ_OPTION_PRINT_CONFIG,
  FLZ_OPTION_SCREENSHOT,
  FLZ_OPTION_STATS,
  FLZ_OPTION_PRESET,
} flz_options_id;

static const struct {
  const char *name;
  uint32_t id; /* flz_options_id */
  int takes_value;
} flz_options_table[] = {
  {"--headless", FLZ_OPTION_HEADLESS, 0},
  {"--no-fallback", FLZ_OPTION_NO_FALLBACK, 0},
  {"--help", FLZ_OPTION_HELP, 0},
  {"-h", FLZ_OPTION_HELP, 0},
  {"--version", FLZ_OPTION_VERSION, 0},
  {"--audio-device", FLZ_OPTION_AUDIO_DEVICE, 1},
  {"--rate", FLZ_OPTION_RATE, 1},
  {"--period", FLZ_OPTION_PERIOD, 1},
  {"--seconds", FLZ_OPTION_SECONDS, 1},
  {"--format", FLZ_OPTION_FORMAT, 1},
  {"--config", FLZ_OPTION_CONFIG, 1},
  {"--midi-in", FLZ_OPTION_MIDI_IN, 1},
  {"--midi-out", FLZ_OPTION_MIDI_OUT, 1},
  {"--print-config", FLZ_OPTION_PRINT_CONFIG, 0},
  {"--screenshot", FLZ_OPTION_SCREENSHOT, 1},
  {"--stats", FLZ_OPTION_STATS, 0},
  {"--preset", FLZ_OPTION_PRESET, 1},
};

/* Applies option `id` with `value` (NULL if none was given). */
static int flz_options_apply(uint32_t id, const char *name, const char *value, flz_options *options,
                             char *detail, size_t detail_size)
{
  switch (id) {
  case FLZ_OPTION_HEADLESS:
    options->headless = 1;
    return FLZ_OK;
  case FLZ_OPTION_NO_FALLBACK:
    options->no_fallback = 1;
    return FLZ_OK;
  case FLZ_OPTION_STATS:
    options->stats = 1;
    return FLZ_OK;
  case FLZ_OPTION_HELP:
    options->help = 1;
    return FLZ_OK;
  case FLZ_OPTION_VERSION:
    options->version = 1;
    return FLZ_OK;
  case FLZ_OPTION_AUDIO_DEVICE:
    if (value == NULL || *value == '\0')
      return flz_options_fail(detail, detail_size, "%s needs a device name", name);
    options->audio_device = value;
    options->given |= FLZ_OPTIONS_GIVEN_AUDIO_DEVICE;
    return FLZ_OK;
  case FLZ_OPTION_RATE:
    if (!flz_options_uint(value, FLZ_RATE_MIN, FLZ_RATE_MAX, &options->rate))
      return flz_options_fail(detail, detail_size, "%s needs a number from %u to %u", name,
                              FLZ_RATE_MIN, FLZ_RATE_MAX);
    options->given |= FLZ_OPTIONS_GIVEN_RATE;
    return FLZ_OK;
  case FLZ_OPTION_PERIOD:
    if (!flz_options_uint(value, FLZ_PERIOD_MIN, FLZ_PERIOD_MAX, &options->period))
      return flz_options_fail(detail, detail_size, "%s needs a number from %u to %u", name,
                              FLZ_PERIOD_MIN, FLZ_PERIOD_MAX);
    options->given |= FLZ_OPTIONS_GIVEN_PERIOD;
    return FLZ_OK;
  case FLZ_OPTION_SECONDS:
    if (!flz_options_seconds(value, &options->seconds))
      return flz_options_fail(detail, detail_size,
                              "%s needs a number of seconds above 0 and at most %g", name,
                              FLZ_RENDER_SECONDS_MAX);
    return FLZ_OK;
  case FLZ_OPTION_CONFIG:
    if (value == NULL || *value == '\0')
      return flz_options_fail(detail, detail_size, "%s needs a file", name);
    options->config_path = value;
    return FLZ_OK;
  case FLZ_OPTION_MIDI_IN:
    if (value == NULL || *value == '\0')
      return flz_options_fail(detail, detail_size, "%s needs a path (a raw MIDI device or a FIFO)",
                              name);
    options->midi_in = value;
    options->given |= FLZ_OPTIONS_GIVEN_MIDI_IN;
    return FLZ_OK;
  case FLZ_OPTION_MIDI_OUT:
    if (value == NULL || *value == '\0')
      return flz_options_fail(detail, detail_size, "%s needs a path (a raw MIDI device or a FIFO)",
                              name);
    options->midi_out = value;
    options->given |= FLZ_OPTIONS_GIVEN_MIDI_OUT;
    return FLZ_OK;
  case FLZ_OPTION_PRINT_CONFIG:
    options->print_config = 1;
    return FLZ_OK;
  case FLZ_OPTION_SCREENSHOT:
    if (value == NULL || *value == '\0')
      return flz_options_fail(detail, detail_size, "%s needs a file (FILE.png)", name);
    options->screenshot = value;
    return FLZ_OK;
  case FLZ_OPTION_PRESET: {
    const char *colon = value != NULL ? strchr(value, ':') : NULL;
    char bank[16];
    uint32_t b = 0, p = 0;
    if (colon == NULL || (size_t)(colon - value) >= sizeof bank)
      return flz_options_fail(detail, detail_size,
                              "%s needs BANK:PROGRAM, BANK 0..%u and PROGRAM 0..127", name,
                              FLZ_OPTIONS_PRESET_BANK_MAX);
    memcpy(bank, value, (size_t)(colon - value));
    bank[colon - value] = '\0';
    if (!flz_options_uint(bank, 0, FLZ_OPTIONS_PRESET_BANK_MAX, &b) ||
        !flz_options_uint(colon + 1, 0, 127, &p))
      return flz_options_fail(detail, detail_size,
                              "%s needs BANK:PROGRAM, BANK 0..%u and PROGRAM 0..127", name,
                              FLZ_OPTIONS_PRESET_BANK_MAX);
    options->preset_given = 1;
    options->preset_bank = (uint16_t)b;
    options->preset_program = (uint16_t)p;
    return FLZ_OK;
  }
  default: /* FLZ_OPTION_FORMAT */
    if (value != NULL && strcmp(value, "f32") == 0)
      options->wav_format = FLZ_WAV_FLOAT32;
    else if (value != NULL && strcmp(value, "s16") == 0)
      options->wav_format = FLZ_WAV_S16;
    else
      return flz_options_fail(detail, detail_size, "%s needs f32 or s16", name);
    return FLZ_OK;
  }
}

int flz_options_parse(int argc, char **argv, int *index, flz_options *options, char *detail,
                      size_t detail_size)
{
  if (detail != NULL && detail_size > 0)
    detail[0] = '\0';
  while (*index < argc) {
    const char *arg = argv[*index];
    if (arg[0] != '-' || arg[1] == '\0')
      return FLZ_OK; /* the first operand ("-" alone is one) */
    (*index)++;
    if (strcmp(arg, "--") == 0)
      return FLZ_OK;

    /* "--name=value" and "--name value" are the same. */
    const char *equals = arg[1] == '-' ? strchr(arg, '=') : NULL;
    size_t name_length = equals != NULL ? (size_t)(equals - arg) : strlen(arg);
    size_t option = 0;
    size_t count = sizeof(flz_options_table) / sizeof(flz_options_table[0]);
    while (option < count && (strlen(flz_options_table[option].name) != name_length ||
                              strncmp(flz_options_table[option].name, arg, name_length) != 0))
      option++;
    if (option == count) {
      if (detail != NULL && detail_size > 0)
        snprintf(detail, detail_size, "unknown option %.*s", (int)name_length, arg);
      return FLZ_ERR_OPTION;
    }

    const char *name = flz_options_table[option].name;
    const char *value = equals != NULL ? equals + 1 : NULL;
    if (!flz_options_table[option].takes_value && value != NULL)
      return flz_options_fail(detail, detail_size, "%s takes no value", name);
    if (flz_options_table[option].takes_value && value == NULL && *index < argc)
      value = argv[(*index)++];
    int result = flz_options_apply(flz_options_table[option].id, name, value, options, detail,
                                   detail_size);
    if (result != FLZ_OK)
      return result;
  }
  return FLZ_OK;
}

int flz_options_parse_command(int argc, char **argv, const char *command, int *index,
                              flz_options *options)
{
  flz_options_init(options);
  *index = 1;
  char detail[256];
  if (flz_options_parse(argc, argv, index, options, detail, sizeof detail) != FLZ_OK) {
    fprintf(stderr, "%s: %s (see flitz --help)\n", command, detail);
    return 2;
  }
  if (options->help) {
    flz_options_usage(stdout);
    return 0;
  }
  if (options->version) {
    printf("flitz %s\n", FLZ_VERSION);
    return 0;
  }
  return -1;
}

void flz_options_usage(FILE *out)
{
  char extensions[FLZ_DECODE_EXTENSION_LIST_BYTES];
  flz_decode_extension_list(extensions, sizeof extensions);
  fprintf(out,
          "usage: flitz [OPTIONS] [KIT]\n"
          "       flitz render [OPTIONS] KIT EVENTS OUT.wav\n"
          "       flitz check KIT|FILE...\n"
          "       flitz devices [--config FILE]\n"
          "       flitz bench [--jitter | --latency | --load DIR]\n"
          "\n"
          "flitz plays KIT: a folder of audio files (%s; pads 1..N in\n"
          "natural order, or as its kit.ini says), an SFZ file, a Hydrogen\n"
          "drumkit.xml (or its folder) or an SF2 bank; without KIT, the built-in kit.\n"
          "flitz render plays the event script EVENTS on KIT offline into OUT.wav.\n"
          "  EVENTS has one event a line, '#' starts a comment:\n"
          "    SECONDS play PAD [VELOCITY]   velocity 0..1, default 1\n"
          "    SECONDS note KEY VELOCITY [CHANNEL]   MIDI note on: KEY 0..127 or a name\n"
          "                                  (c4 = 60), VELOCITY 1..127, CHANNEL 1..16\n"
          "    SECONDS release PAD [KEY]     let go of a gate or loop-gate pad (of its KEY)\n"
          "    SECONDS stop PAD\n"
          "    SECONDS stop-all\n"
          "    SECONDS volume DB\n"
          "    SECONDS speed X               %g..%g\n"
          "    SECONDS tempo BPM\n"
          "    SECONDS quantize off|1/16|1/8|1/4|bar\n"
          "    SECONDS multi-loop on|off\n"
          "    SECONDS clock tick|start|continue|stop|position N   MIDI clock (N: 1/16 notes)\n"
          "    SECONDS record on|off|overdub|undo|clear   the pattern recorder\n"
          "    SECONDS pattern N [bars B] | pattern off   choose pattern 1..16 of 1..16 bars\n"
          "    SECONDS chain N,N,...         play patterns in turn\n"
          "    SECONDS record-quantize off|1/16|1/8|1/4 [swing 50..75]\n"
          "    SECONDS metronome DB|off\n"
          "  Times must not decrease. The render ends when every voice has ended\n"
          "  after the last event, or after --seconds.\n"
          "flitz check prints pad, frames, channels, rate and length of each file.\n"
          "flitz devices lists audio outputs, MIDI ports and controllers, and their mapping.\n"
          "flitz bench prints benchmark figures as JSON lines (flitz bench --help).\n"
          "\n"
          "options (before KIT):\n"
          "  --headless            no window; pad controllers and game controllers only\n"
          "  --audio-device NAME   the audio output device (default: the system's)\n"
          "  --no-fallback         fail if there is no audio device, instead of\n"
          "                        writing what it plays to a WAV file\n"
          "  --rate HZ             sample rate, %u..%u (default %u)\n"
          "  --period FRAMES       frames per period, %u..%u (default %u)\n"
          "  --seconds S           render: stop after S seconds\n"
          "  --format f32|s16      render: 32-bit float (default) or 16-bit WAV\n"
          "  --config FILE         the configuration file (default: the first of\n"
          "                        $XDG_CONFIG_HOME/flitz/flitz.ini, ~/.config/flitz/\n"
          "                        flitz.ini, /etc/flitz/flitz.ini; else built in)\n"
          "  --print-config        print the configuration in effect as flitz.ini\n"
          "  --screenshot FILE     once the kit is loaded, write what the window shows\n"
          "                        to FILE as PNG and quit\n"
          "  --midi-in PATH        read raw MIDI bytes from PATH (a device such as\n"
          "                        /dev/snd/midiC1D0, or a FIFO)\n"
          "  --midi-out PATH       with clock = lead, write MIDI clock to PATH too\n"
          "  --stats               print the engine's counters (xruns, late and\n"
          "                        dropped commands...) every 10 seconds\n"
          "  --preset BANK:PROGRAM the preset of an SF2 bank KIT (default: its first;\n"
          "                        flitz check FILE.sf2 lists them; 128:0 is a GM\n"
          "                        drum kit)\n"
          "  --help, -h            this text\n"
          "  --version             the version\n",
          extensions, FLZ_SPEED_MIN, FLZ_SPEED_MAX, FLZ_RATE_MIN, FLZ_RATE_MAX, FLZ_DEFAULT_RATE,
          FLZ_PERIOD_MIN, FLZ_PERIOD_MAX, FLZ_DEFAULT_PERIOD);
}
