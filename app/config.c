/* app/config.c: flitz.ini (app/config.h): the table of its keys, its rule
 * sections, parsing (libinih), defaults, printing, the docs' key list and
 * the default location. Must not touch SDL, the sampler or devices: key
 * names come from platform/input.h. */
#include "app/config.h"

#include "app/ini.h"
#include "app/script.h"
#include "engine/pattern.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/limits.h"
#include "engine/repeat.h"
#include "engine/result.h"
#include "platform/input.h"

/* Button names as SDL's controller mappings spell them, flz_button order,
 * then the triggers (FLZ_CONFIG_LEFT_TRIGGER, FLZ_CONFIG_RIGHT_TRIGGER). */
static const char *const flz_config_controls[FLZ_CONFIG_CONTROLS] = {
  "a",
  "b",
  "x",
  "y",
  "back",
  "guide",
  "start",
  "leftstick",
  "rightstick",
  "leftshoulder",
  "rightshoulder",
  "dpup",
  "dpdown",
  "dpleft",
  "dpright",
  "lefttrigger",
  "righttrigger",
};

const char *flz_config_control_name(uint32_t control)
{
  return flz_config_controls[control];
}

/* The foundation layout's keys (HID usages), pads 1-16. */
static const int32_t flz_config_pad_keys[16] = {
  30, 31, 32, 33, /* 1 2 3 4 */
  20, 26, 8,  21, /* Q W E R */
  4,  22, 7,  9,  /* A S D F */
  29, 27, 6,  25, /* Z X C V */
};
#define FLZ_CONFIG_KEY_ESCAPE 41
#define FLZ_CONFIG_KEY_SPACE 44
#define FLZ_CONFIG_KEY_F1 58 /* F1..F12 are 58..69 */
#define FLZ_CONFIG_KEY_PAGEUP 75
#define FLZ_CONFIG_KEY_PAGEDOWN 78

/* General MIDI percussion key 36 (Bass Drum 1) is pad 1: 36..51 = pads 1-16. */
#define FLZ_CONFIG_FIRST_NOTE 36

static flz_config_rule flz_config_make(uint16_t action, uint16_t arg)
{
  return (flz_config_rule){.action = action, .arg = arg};
}

static void flz_config_default_notes(flz_config *c)
{
  memset(c->notes, 0, sizeof c->notes);
  for (uint16_t pad = 1; pad <= 16; pad++)
    c->notes[FLZ_CONFIG_FIRST_NOTE + pad - 1] = flz_config_make(FLZ_CONFIG_PAD, pad);
}

static void flz_config_default_cc(flz_config *c)
{
  memset(c->cc, 0, sizeof c->cc);
  c->cc[0] = flz_config_make(FLZ_CONFIG_BANK_SELECT, 0); /* MIDI Bank Select (MSB) */
  c->cc[7] = flz_config_make(FLZ_CONFIG_VOLUME, 0);      /* MIDI Channel Volume */
  c->cc[102] = flz_config_make(FLZ_CONFIG_BANK_DOWN, 0); /* 102, 103: undefined */
  c->cc[103] = flz_config_make(FLZ_CONFIG_BANK_UP, 0);   /* in MIDI 1.0, free */
  c->cc[120] = flz_config_make(FLZ_CONFIG_STOP_ALL, 0);  /* MIDI All Sound Off */
}

static void flz_config_default_buttons(flz_config *c)
{
  static const uint16_t pads[FLZ_CONFIG_CONTROLS] = {
    [0] = 1,
    [1] = 2,
    [2] = 3,
    [3] = 4,
    [9] = 5,
    [10] = 6,
    [11] = 9,
    [12] = 10,
    [13] = 11,
    [14] = 12,
    [FLZ_CONFIG_LEFT_TRIGGER] = 7,
    [FLZ_CONFIG_RIGHT_TRIGGER] = 8,
  };
  memset(c->buttons, 0, sizeof c->buttons);
  for (uint32_t i = 0; i < FLZ_CONFIG_CONTROLS; i++)
    if (pads[i] != 0)
      c->buttons[i] = flz_config_make(FLZ_CONFIG_PAD, pads[i]);
  c->buttons[4] = flz_config_make(FLZ_CONFIG_STOP_ALL, 0); /* back */
  memset(c->combos, 0, sizeof c->combos);
  const flz_config_combo combos[] = {
    {6, 13, {FLZ_CONFIG_BANK_DOWN, 0}}, /* start+dpleft */
    {6, 14, {FLZ_CONFIG_BANK_UP, 0}},   /* start+dpright */
    {6, 0, {FLZ_CONFIG_BANK, 1}},       /* start+a .. start+y: banks 1-4 */
    {6, 1, {FLZ_CONFIG_BANK, 2}},       /* start+b */
    {6, 2, {FLZ_CONFIG_BANK, 3}},       /* start+x */
    {6, 3, {FLZ_CONFIG_BANK, 4}},       /* start+y */
  };
  c->combo_count = sizeof combos / sizeof combos[0];
  memcpy(c->combos, combos, sizeof combos);
}

static void flz_config_default_keys(flz_config *c)
{
  memset(c->keys, 0, sizeof c->keys);
  for (uint16_t pad = 1; pad <= 16; pad++)
    c->keys[flz_config_pad_keys[pad - 1]] = flz_config_make(FLZ_CONFIG_PAD, pad);
  c->keys[FLZ_CONFIG_KEY_SPACE] = flz_config_make(FLZ_CONFIG_STOP_ALL, 0);
  c->keys[FLZ_CONFIG_KEY_ESCAPE] = flz_config_make(FLZ_CONFIG_QUIT, 0);
  c->keys[FLZ_CONFIG_KEY_PAGEUP] = flz_config_make(FLZ_CONFIG_BANK_UP, 0);
  c->keys[FLZ_CONFIG_KEY_PAGEDOWN] = flz_config_make(FLZ_CONFIG_BANK_DOWN, 0);
  for (uint16_t bank = 1; bank <= 12; bank++)
    c->keys[FLZ_CONFIG_KEY_F1 + bank - 1] = flz_config_make(FLZ_CONFIG_BANK, bank);
}

/* ---- the keys of the fixed sections, one row each ---- */

static const flz_ini_choice flz_config_policies[] = {
  {"steal-oldest", FLZ_POLICY_STEAL_OLDEST},
  {"drop", FLZ_POLICY_DROP},
  {NULL, 0},
};

static const flz_ini_choice flz_config_interpolations[] = {
  {"linear", FLZ_INTERPOLATION_LINEAR},
  {"hermite", FLZ_INTERPOLATION_HERMITE},
  {"sinc", FLZ_INTERPOLATION_SINC},
  {NULL, 0},
};

static const flz_ini_choice flz_config_clocks[] = {
  {"off", FLZ_CONFIG_CLOCK_OFF},
  {"follow", FLZ_CONFIG_CLOCK_FOLLOW},
  {"lead", FLZ_CONFIG_CLOCK_LEAD},
  {NULL, 0},
};

static const flz_ini_choice flz_config_programs[] = {
  {"bank", 1},
  {"none", 0},
  {NULL, 0},
};

/* Where a row's value is in flz_config (text: and its buffer's size). */
#define FLZ_CONFIG_AT(field) offsetof(flz_config, field)
#define FLZ_CONFIG_TEXT(field) offsetof(flz_config, field), sizeof(((flz_config *)0)->field)

/* MIDI channels are 1..16. */
#define FLZ_CONFIG_MIDI_CHANNELS 16

static const flz_ini_setting flz_config_settings[] = {
  {"audio", "device", FLZ_INI_TEXT, FLZ_CONFIG_TEXT(device), .zero = "default",
   .doc = "SDL output device name (flitz devices lists them)"},
  {"audio", "rate", FLZ_INI_UINT, FLZ_CONFIG_AT(rate), .low = FLZ_RATE_MIN, .high = FLZ_RATE_MAX,
   .default_value = FLZ_DEFAULT_RATE, .doc = "Hz"},
  {"audio", "period", FLZ_INI_UINT, FLZ_CONFIG_AT(period), .low = FLZ_PERIOD_MIN,
   .high = FLZ_PERIOD_MAX, .default_value = FLZ_DEFAULT_PERIOD, .doc = "frames per period"},
  {"audio", "polyphony", FLZ_INI_ENUM, FLZ_CONFIG_AT(policy), .choices = flz_config_policies,
   .default_value = FLZ_POLICY_STEAL_OLDEST, .doc = "all voices busy"},
  {"audio", "interpolation", FLZ_INI_ENUM, FLZ_CONFIG_AT(interpolation),
   .choices = flz_config_interpolations, .default_value = FLZ_DEFAULT_INTERPOLATION,
   .doc = "pitched voices (a kit.ini's wins)"},
  {"audio", "wait_for_device", FLZ_INI_BOOL, FLZ_CONFIG_AT(wait_for_device), .default_value = 0,
   .doc = "true: no device (yet) is no error: run silent and open it when it is plugged in"},
  {"midi", "sequencer", FLZ_INI_BOOL, FLZ_CONFIG_AT(sequencer), .default_value = 1,
   .doc = "the ALSA sequencer client, connected to every hardware port"},
  {"midi", "input", FLZ_INI_TEXT, FLZ_CONFIG_TEXT(input),
   .doc = "a raw MIDI byte stream (a device or a FIFO), as --midi-in"},
  {"midi", "channel", FLZ_INI_UINT, FLZ_CONFIG_AT(channel), .low = 1,
   .high = FLZ_CONFIG_MIDI_CHANNELS, .zero = "all", .doc = "the channel that plays"},
  {"midi", "program", FLZ_INI_ENUM, FLZ_CONFIG_AT(program_bank), .choices = flz_config_programs,
   .default_value = 1, .doc = "program change N selects bank N + 1, or not"},
  {"midi", "clock", FLZ_INI_ENUM, FLZ_CONFIG_AT(clock), .choices = flz_config_clocks,
   .default_value = FLZ_CONFIG_CLOCK_OFF,
   .doc = "follow: MIDI clock sets the tempo and beat, Start/Stop the transport; lead: sends it"},
  {"midi", "output", FLZ_INI_TEXT, FLZ_CONFIG_TEXT(output),
   .doc = "a raw MIDI output (a device or a FIFO) for clock = lead, as --midi-out"},
  {"gamepad", "velocity", FLZ_INI_FLOAT, FLZ_CONFIG_AT(velocity), .low = 0.01, .high = 1.0,
   .default_value = 1.0, .doc = "of button presses"},
  {"gamepad", "trigger_threshold", FLZ_INI_FLOAT, FLZ_CONFIG_AT(trigger_threshold), .low = 0.01,
   .high = 0.9, .default_value = 0.1, .doc = "trigger travel where a press starts"},
  {"gamepad", "trigger_window_ms", FLZ_INI_UINT, FLZ_CONFIG_AT(trigger_window_ms), .low = 0,
   .high = 20, .default_value = 8, .doc = "velocity window after the threshold, ms"},
  {"gamepad", "mappings", FLZ_INI_TEXT, FLZ_CONFIG_TEXT(mappings),
   .doc = "a gamecontrollerdb.txt with more controllers"},
  {"banks", "size", FLZ_INI_UINT, FLZ_CONFIG_AT(bank_size), .low = 1, .high = FLZ_PADS,
   .default_value = FLZ_DEFAULT_BANK_SIZE, .doc = "pads per bank"},
};

#define FLZ_CONFIG_SETTINGS (sizeof flz_config_settings / sizeof flz_config_settings[0])

/* ---- parsing ---- */

typedef struct flz_config_parse {
  flz_config *config;
  flz_ini_stream stream; /* the file, and the line being parsed */
  flz_ini_error error;
  uint32_t seen;    /* bit i: section i of flz_config_sections was in the file */
  uint32_t max_pad; /* the largest pad number a rule names */
  uint32_t max_pad_line;
  uint32_t max_bank; /* the largest bank-N */
  uint32_t max_bank_line;
} flz_config_parse;

#define flz_config_fail(p, ...) flz_ini_fail(&(p)->error, (p)->stream.line, __VA_ARGS__)

/* Rule kinds: which actions a section allows. */
enum {
  FLZ_CONFIG_KIND_NOTE,
  FLZ_CONFIG_KIND_CC,
  FLZ_CONFIG_KIND_BUTTON,
  FLZ_CONFIG_KIND_TRIGGER,
  FLZ_CONFIG_KIND_KEY,
};

/* chain-N,N,...: the rule plays that chain of the config's chains (one
 * entry for equal chains). */
static int flz_config_chain_rule(flz_config_parse *p, const char *value, flz_config_rule *rule)
{
  flz_config *c = p->config;
  flz_config_chain chain = {0};
  if (!flz_script_chain(value + 6, chain.patterns, &chain.length))
    return flz_config_fail(p, "chain must be up to %u patterns 1 to %u joined by commas, not '%s'",
                           FLZ_PATTERNS, FLZ_PATTERNS, value + 6);
  uint32_t i = 0;
  while (i < c->chain_count && (c->chains[i].length != chain.length ||
                                memcmp(c->chains[i].patterns, chain.patterns, chain.length) != 0))
    i++;
  if (i == FLZ_CONFIG_CHAINS)
    return flz_config_fail(p, "'%s' is one chain too many: rules play at most %u different chains",
                           value, FLZ_CONFIG_CHAINS);
  if (i == c->chain_count)
    c->chains[c->chain_count++] = chain;
  *rule = flz_config_make(FLZ_CONFIG_CHAIN, (uint16_t)i);
  return 1;
}

static int flz_config_rule_parse(flz_config_parse *p, const char *value, int kind,
                                 flz_config_rule *rule)
{
  uint32_t n;
  if (flz_ini_uint(value, 1, FLZ_PADS, &n)) {
    *rule = flz_config_make(FLZ_CONFIG_PAD, (uint16_t)n);
    if (n > p->max_pad) {
      p->max_pad = n;
      p->max_pad_line = p->stream.line;
    }
    return 1;
  }
  if (kind == FLZ_CONFIG_KIND_TRIGGER && strcmp(value, "none") != 0)
    return flz_config_fail(p, "a trigger plays a pad (1 to %u) or none, not '%s'", FLZ_PADS, value);
  if (strcmp(value, "none") == 0)
    *rule = flz_config_make(FLZ_CONFIG_NONE, 0);
  else if (strcmp(value, "stop-all") == 0)
    *rule = flz_config_make(FLZ_CONFIG_STOP_ALL, 0);
  else if (strcmp(value, "bank-up") == 0)
    *rule = flz_config_make(FLZ_CONFIG_BANK_UP, 0);
  else if (strcmp(value, "bank-down") == 0)
    *rule = flz_config_make(FLZ_CONFIG_BANK_DOWN, 0);
  else if (strncmp(value, "bank-", 5) == 0 && flz_ini_uint(value + 5, 1, FLZ_PADS, &n)) {
    *rule = flz_config_make(FLZ_CONFIG_BANK, (uint16_t)n);
    if (n > p->max_bank) {
      p->max_bank = n;
      p->max_bank_line = p->stream.line;
    }
  } else if (strcmp(value, "record") == 0)
    *rule = flz_config_make(FLZ_CONFIG_RECORD, FLZ_RECORD_TOGGLE);
  else if (strcmp(value, "record-undo") == 0)
    *rule = flz_config_make(FLZ_CONFIG_RECORD, FLZ_RECORD_UNDO);
  else if (strcmp(value, "record-clear") == 0)
    *rule = flz_config_make(FLZ_CONFIG_RECORD, FLZ_RECORD_CLEAR);
  else if (strncmp(value, "pattern-", 8) == 0 && flz_ini_uint(value + 8, 1, FLZ_PATTERNS, &n))
    *rule = flz_config_make(FLZ_CONFIG_PATTERN, (uint16_t)n);
  else if (strncmp(value, "chain-", 6) == 0)
    return flz_config_chain_rule(p, value, rule);
  else if (strcmp(value, "metronome") == 0)
    *rule = flz_config_make(FLZ_CONFIG_METRONOME, 0);
  else if (strcmp(value, "resample") == 0)
    *rule = flz_config_make(FLZ_CONFIG_RESAMPLE, 0);
  else if (strncmp(value, "resample-", 9) == 0 &&
           flz_ini_uint(value + 9, 1, FLZ_RESAMPLE_BARS_MAX, &n))
    *rule = flz_config_make(FLZ_CONFIG_RESAMPLE, (uint16_t)n);
  else if (strncmp(value, "repeat-", 7) == 0 && flz_repeat_parse(value + 7) > 0)
    *rule = flz_config_make(FLZ_CONFIG_REPEAT, (uint16_t)flz_repeat_parse(value + 7));
  else if (kind == FLZ_CONFIG_KIND_KEY && strcmp(value, "quit") == 0)
    *rule = flz_config_make(FLZ_CONFIG_QUIT, 0);
  else if (kind == FLZ_CONFIG_KIND_CC && strcmp(value, "volume") == 0)
    *rule = flz_config_make(FLZ_CONFIG_VOLUME, 0);
  else if (kind == FLZ_CONFIG_KIND_CC && strcmp(value, "bank-select") == 0)
    *rule = flz_config_make(FLZ_CONFIG_BANK_SELECT, 0);
  else
    return flz_config_fail(p,
                           "'%s' is not a rule (a pad number, none, stop-all, bank-up, "
                           "bank-down, bank-N, record, record-undo, record-clear, pattern-N, "
                           "chain-N,N,..., metronome, resample, resample-N, repeat-RATE%s)",
                           value,
                           kind == FLZ_CONFIG_KIND_KEY  ? ", quit"
                           : kind == FLZ_CONFIG_KIND_CC ? ", volume, bank-select"
                                                        : "");
  return 1;
}

/* [notes] and [cc]: a MIDI note or controller number = RULE. */
static int flz_config_midi_rule(flz_config_parse *p, const char *section, int kind,
                                flz_config_rule *table, const char *key, const char *value)
{
  uint32_t number;
  if (!flz_ini_uint(key, 0, 127, &number))
    return flz_config_fail(p, "[%s] keys are %s numbers from 0 to 127, not '%s'", section,
                           kind == FLZ_CONFIG_KIND_NOTE ? "note" : "controller", key);
  return flz_config_rule_parse(p, value, kind, &table[number]);
}

static int flz_config_note(flz_config_parse *p, const char *key, const char *value)
{
  return flz_config_midi_rule(p, "notes", FLZ_CONFIG_KIND_NOTE, p->config->notes, key, value);
}

static int flz_config_cc(flz_config_parse *p, const char *key, const char *value)
{
  return flz_config_midi_rule(p, "cc", FLZ_CONFIG_KIND_CC, p->config->cc, key, value);
}

static int flz_config_control(const char *name, size_t length)
{
  for (int i = 0; i < FLZ_CONFIG_CONTROLS; i++)
    if (strlen(flz_config_controls[i]) == length &&
        strncasecmp(flz_config_controls[i], name, length) == 0)
      return i;
  return -1;
}

/* [buttons]: BUTTON or MODIFIER+BUTTON = RULE. */
static int flz_config_button(flz_config_parse *p, const char *key, const char *value)
{
  flz_config *c = p->config;
  const char *plus = strchr(key, '+');
  if (plus == NULL) {
    int control = flz_config_control(key, strlen(key));
    if (control < 0)
      return flz_config_fail(p,
                             "unknown button '%s' (a b x y back guide start leftstick "
                             "rightstick leftshoulder rightshoulder dpup dpdown dpleft "
                             "dpright lefttrigger righttrigger)",
                             key);
    int kind = control >= FLZ_CONFIG_LEFT_TRIGGER ? FLZ_CONFIG_KIND_TRIGGER
                                                  : FLZ_CONFIG_KIND_BUTTON;
    return flz_config_rule_parse(p, value, kind, &c->buttons[control]);
  }
  int modifier = flz_config_control(key, (size_t)(plus - key));
  int button = flz_config_control(plus + 1, strlen(plus + 1));
  if (modifier < 0 || button < 0 || modifier >= FLZ_CONFIG_LEFT_TRIGGER ||
      button >= FLZ_CONFIG_LEFT_TRIGGER || modifier == button)
    return flz_config_fail(p,
                           "'%s' must be MODIFIER+BUTTON, two different buttons (not "
                           "triggers)",
                           key);
  flz_config_rule rule;
  if (!flz_config_rule_parse(p, value, FLZ_CONFIG_KIND_BUTTON, &rule))
    return 0;
  uint32_t i = 0;
  while (i < c->combo_count && (c->combos[i].modifier != modifier || c->combos[i].button != button))
    i++;
  if (i == FLZ_CONFIG_COMBOS)
    return flz_config_fail(p, "more than %d MODIFIER+BUTTON rules", FLZ_CONFIG_COMBOS);
  if (i == c->combo_count)
    c->combo_count++;
  c->combos[i] = (flz_config_combo){
    .modifier = (uint8_t)modifier, .button = (uint8_t)button, .rule = rule};
  return 1;
}

/* A key's HID usage from its SDL name or "usageN"; -1 if none. */
static int32_t flz_config_key_usage(const char *name)
{
  uint32_t usage;
  if (strncmp(name, "usage", 5) == 0 && flz_ini_uint(name + 5, 1, FLZ_CONFIG_KEYS - 1, &usage))
    return (int32_t)usage;
  int32_t code = flz_input_key_from_name(name);
  return code > 0 && code < FLZ_CONFIG_KEYS ? code : -1;
}

/* [keys]: KEY = RULE. */
static int flz_config_key(flz_config_parse *p, const char *key, const char *value)
{
  int32_t usage = flz_config_key_usage(key);
  if (usage < 0)
    return flz_config_fail(p,
                           "unknown key name '%s' (SDL's names: Q, 1, Space, PageUp, F1, "
                           "Left Shift...; or usageN)",
                           key);
  return flz_config_rule_parse(p, value, FLZ_CONFIG_KIND_KEY, &p->config->keys[usage]);
}

static void flz_config_clear_notes(flz_config *c)
{
  memset(c->notes, 0, sizeof c->notes);
}

static void flz_config_clear_cc(flz_config *c)
{
  memset(c->cc, 0, sizeof c->cc);
}

static void flz_config_clear_buttons(flz_config *c)
{
  memset(c->buttons, 0, sizeof c->buttons);
  memset(c->combos, 0, sizeof c->combos);
  c->combo_count = 0;
}

static void flz_config_clear_keys(flz_config *c)
{
  memset(c->keys, 0, sizeof c->keys);
}

/* ---- printing the rule sections ---- */

void flz_config_rule_text(const flz_config *c, flz_config_rule rule, char *text, size_t size)
{
  static const char *const names[] = {
    [FLZ_CONFIG_STOP_ALL] = "stop-all",   [FLZ_CONFIG_BANK_UP] = "bank-up",
    [FLZ_CONFIG_BANK_DOWN] = "bank-down", [FLZ_CONFIG_QUIT] = "quit",
    [FLZ_CONFIG_VOLUME] = "volume",       [FLZ_CONFIG_BANK_SELECT] = "bank-select",
    [FLZ_CONFIG_METRONOME] = "metronome",
  };
  switch (rule.action) {
  case FLZ_CONFIG_PAD:
    snprintf(text, size, "%u", rule.arg);
    break;
  case FLZ_CONFIG_BANK:
    snprintf(text, size, "bank-%u", rule.arg);
    break;
  case FLZ_CONFIG_RECORD:
    snprintf(text, size, "%s",
             rule.arg == FLZ_RECORD_UNDO    ? "record-undo"
             : rule.arg == FLZ_RECORD_CLEAR ? "record-clear"
                                            : "record");
    break;
  case FLZ_CONFIG_PATTERN:
    snprintf(text, size, "pattern-%u", rule.arg);
    break;
  case FLZ_CONFIG_REPEAT:
    snprintf(text, size, "repeat-%s", flz_repeat_name(rule.arg));
    break;
  case FLZ_CONFIG_RESAMPLE:
    if (rule.arg > 0)
      snprintf(text, size, "resample-%u", rule.arg);
    else
      snprintf(text, size, "resample");
    break;
  case FLZ_CONFIG_CHAIN: {
    const flz_config_chain *chain = &c->chains[rule.arg < FLZ_CONFIG_CHAINS ? rule.arg : 0];
    size_t length = (size_t)snprintf(text, size, "chain-");
    for (uint32_t i = 0; i < chain->length && length < size; i++)
      length += (size_t)snprintf(text + length, size - length, i > 0 ? ",%u" : "%u",
                                 (unsigned)chain->patterns[i] + 1);
    break;
  }
  default:
    snprintf(text, size, "%s",
             rule.action < sizeof names / sizeof names[0] && names[rule.action] != NULL
               ? names[rule.action]
               : "none");
    break;
  }
}

static void flz_config_print_rule(FILE *out, const flz_config *c, flz_config_rule rule)
{
  char text[FLZ_CONFIG_RULE_TEXT];
  flz_config_rule_text(c, rule, text, sizeof text);
  fprintf(out, "%s\n", text);
}

/* One numbered table; an empty one is written as its first entry = none, so
 * that reading it back also clears the defaults. */
static void flz_config_print_numbered(FILE *out, const flz_config *c, const flz_config_rule *table,
                                      uint32_t count)
{
  int any = 0;
  for (uint32_t i = 0; i < count; i++) {
    if (table[i].action == FLZ_CONFIG_NONE)
      continue;
    fprintf(out, "%u = ", i);
    flz_config_print_rule(out, c, table[i]);
    any = 1;
  }
  if (!any)
    fputs("0 = none\n", out);
}

static void flz_config_print_notes(const flz_config *c, FILE *out)
{
  flz_config_print_numbered(out, c, c->notes, 128);
}

static void flz_config_print_cc(const flz_config *c, FILE *out)
{
  flz_config_print_numbered(out, c, c->cc, 128);
}

static void flz_config_print_buttons(const flz_config *c, FILE *out)
{
  int any = 0;
  for (uint32_t i = 0; i < FLZ_CONFIG_CONTROLS; i++) {
    if (c->buttons[i].action == FLZ_CONFIG_NONE)
      continue;
    fprintf(out, "%s = ", flz_config_controls[i]);
    flz_config_print_rule(out, c, c->buttons[i]);
    any = 1;
  }
  for (uint32_t i = 0; i < c->combo_count; i++) {
    fprintf(out, "%s+%s = ", flz_config_controls[c->combos[i].modifier],
            flz_config_controls[c->combos[i].button]);
    flz_config_print_rule(out, c, c->combos[i].rule);
    any = 1;
  }
  if (!any)
    fputs("a = none\n", out);
}

/* A key name INI can write as a key and that reads back as the same key. */
static void flz_config_print_key_name(FILE *out, int32_t usage)
{
  const char *name = flz_input_key_name(usage);
  size_t length = strlen(name);
  if (length == 0 || length > 40 || strpbrk(name, "=:;#[]") != NULL || name[0] == ' ' ||
      name[length - 1] == ' ' || flz_input_key_from_name(name) != usage ||
      strncmp(name, "usage", 5) == 0)
    fprintf(out, "usage%d = ", usage);
  else
    fprintf(out, "%s = ", name);
}

static void flz_config_print_keys(const flz_config *c, FILE *out)
{
  int any = 0;
  for (int32_t i = 1; i < FLZ_CONFIG_KEYS; i++) {
    if (c->keys[i].action == FLZ_CONFIG_NONE)
      continue;
    flz_config_print_key_name(out, i);
    flz_config_print_rule(out, c, c->keys[i]);
    any = 1;
  }
  if (!any)
    fputs("Space = none\n", out);
}

/* ---- the sections ---- */

/* A section of flitz.ini: fixed keys (the rows of flz_config_settings), or,
 * when `parse` is set, a rule section: a map from notes, controllers,
 * buttons or keys to rules, which a section in the file replaces as a
 * whole. */
typedef struct flz_config_section {
  const char *name;
  const char *doc;              /* rule sections: the docs' comment */
  void (*reset)(flz_config *c); /* rule sections: the defaults */
  void (*clear)(flz_config *c); /* rule sections: no rule at all */
  int (*parse)(flz_config_parse *p, const char *key, const char *value); /* one rule */
  void (*print)(const flz_config *c, FILE *out);                         /* every rule */
} flz_config_section;

static const flz_config_section flz_config_sections[] = {
  {.name = "audio"},
  {.name = "midi"},
  {"notes", "NOTE (0..127) = RULE", flz_config_default_notes, flz_config_clear_notes,
   flz_config_note, flz_config_print_notes},
  {"cc", "CONTROLLER (0..127) = RULE, volume or bank-select", flz_config_default_cc,
   flz_config_clear_cc, flz_config_cc, flz_config_print_cc},
  {.name = "gamepad"},
  {"buttons", "BUTTON or MODIFIER+BUTTON = RULE", flz_config_default_buttons,
   flz_config_clear_buttons, flz_config_button, flz_config_print_buttons},
  {"keys", "KEY = RULE (SDL key names: Q, 1, Space, PageUp, F1, Left Shift)",
   flz_config_default_keys, flz_config_clear_keys, flz_config_key, flz_config_print_keys},
  {.name = "banks"},
};

#define FLZ_CONFIG_SECTIONS (sizeof flz_config_sections / sizeof flz_config_sections[0])

void flz_config_init(flz_config *config)
{
  memset(config, 0, sizeof *config);
  for (size_t i = 0; i < FLZ_CONFIG_SETTINGS; i++)
    flz_ini_reset(&flz_config_settings[i], config);
  for (size_t i = 0; i < FLZ_CONFIG_SECTIONS; i++)
    if (flz_config_sections[i].reset != NULL)
      flz_config_sections[i].reset(config);
}

uint32_t flz_config_banks(const flz_config *config)
{
  uint32_t size = config->bank_size > 0 ? config->bank_size : FLZ_DEFAULT_BANK_SIZE;
  return (FLZ_PADS + size - 1) / size;
}

static int flz_config_handler(void *user, const char *section, const char *name, const char *value)
{
  flz_config_parse *p = user;
  for (const char *v = value; *v != '\0'; v++)
    if (*v == ';' && (v == value || v[-1] == ' ' || v[-1] == '\t'))
      return flz_config_fail(
        p, "a value cannot hold ';' at its start or after a space (it starts a comment)");
  char list[160];
  for (size_t i = 0; i < FLZ_CONFIG_SECTIONS; i++) {
    const flz_config_section *s = &flz_config_sections[i];
    if (strcmp(section, s->name) != 0)
      continue;
    if (s->parse != NULL) {
      if (!(p->seen & (1u << i))) {
        p->seen |= 1u << i;
        s->clear(p->config);
      }
      return s->parse(p, name, value);
    }
    const flz_ini_setting *row = flz_ini_find(flz_config_settings, FLZ_CONFIG_SETTINGS, section,
                                              name);
    if (row != NULL)
      return flz_ini_parse(row, p->config, value, &p->error, p->stream.line);
    flz_ini_names(flz_config_settings, FLZ_CONFIG_SETTINGS, section, list, sizeof list);
    return flz_config_fail(p, "unknown key '%s' in [%s] (%s)", name, section, list);
  }
  list[0] = '\0';
  for (size_t i = 0; i < FLZ_CONFIG_SECTIONS; i++)
    snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i > 0 ? ", " : "",
             flz_config_sections[i].name);
  return flz_config_fail(p, "unknown section [%s] (%s)", section, list);
}

static void flz_config_prune(flz_config *c);

int flz_config_load(const char *path, flz_config *config, uint32_t *line, char *detail,
                    size_t detail_size)
{
  flz_config_init(config);
  *line = 0;
  if (detail_size > 0)
    detail[0] = '\0';
  FILE *file;
  int result = flz_ini_open(path, &file, detail, detail_size);
  if (result != FLZ_OK)
    return result;
  result = flz_config_read(file, path, config, line, detail, detail_size);
  fclose(file);
  return result;
}

int flz_config_read(FILE *file, const char *path, flz_config *config, uint32_t *line, char *detail,
                    size_t detail_size)
{
  flz_config_init(config);
  *line = 0;
  if (detail_size > 0)
    detail[0] = '\0';
  snprintf(config->path, sizeof config->path, "%s", path);
  flz_config_parse p;
  memset(&p, 0, sizeof p);
  p.config = config;
  p.error.detail = detail;
  p.error.detail_size = detail_size;
  p.stream.file = file;
  p.stream.error = &p.error;
  int result = ini_parse_stream(flz_ini_reader, &p.stream, flz_config_handler, &p);
  if (ferror(file))
    return FLZ_ERR_READ;
  if (result != 0 || p.error.failed) {
    *line = p.error.failed ? p.error.line : (result > 0 ? (uint32_t)result : 0);
    if (!p.error.failed)
      snprintf(detail, detail_size, "not an INI line (expected [section] or key = value)");
    return FLZ_ERR_SYNTAX;
  }
  if (p.max_pad > config->bank_size) {
    *line = p.max_pad_line;
    snprintf(detail, detail_size, "pad %u is past the bank size %u ([banks] size)", p.max_pad,
             config->bank_size);
    return FLZ_ERR_SYNTAX;
  }
  if (p.max_bank > flz_config_banks(config)) {
    *line = p.max_bank_line;
    snprintf(detail, detail_size, "bank %u is past the last bank, %u (%u slots / [banks] size)",
             p.max_bank, flz_config_banks(config), FLZ_PADS);
    return FLZ_ERR_SYNTAX;
  }
  flz_config_prune(config);
  return FLZ_OK;
}

/* Calls fn(c, rule, user) on every rule of `c`: the notes, CCs, buttons,
 * combos and keys. */
static void flz_config_each_rule(flz_config *c,
                                 void (*fn)(flz_config *c, flz_config_rule *rule, void *user),
                                 void *user)
{
  for (uint32_t i = 0; i < 128; i++) {
    fn(c, &c->notes[i], user);
    fn(c, &c->cc[i], user);
  }
  for (uint32_t i = 0; i < FLZ_CONFIG_CONTROLS; i++)
    fn(c, &c->buttons[i], user);
  for (uint32_t i = 0; i < c->combo_count; i++)
    fn(c, &c->combos[i].rule, user);
  for (uint32_t i = 0; i < FLZ_CONFIG_KEYS; i++)
    fn(c, &c->keys[i], user);
}

/* Marks in `user` (FLZ_CONFIG_CHAINS flags) the chain a chain rule plays. */
static void flz_config_mark_chain(flz_config *c, flz_config_rule *rule, void *user)
{
  uint8_t *used = user;
  if (rule->action == FLZ_CONFIG_CHAIN && rule->arg < c->chain_count)
    used[rule->arg] = 1;
}

/* Gives a chain rule its chain's new index, from `user` (FLZ_CONFIG_CHAINS
 * entries, by old index). */
static void flz_config_renumber_chain(flz_config *c, flz_config_rule *rule, void *user)
{
  const uint8_t *index = user;
  (void)c;
  if (rule->action == FLZ_CONFIG_CHAIN && rule->arg < FLZ_CONFIG_CHAINS)
    rule->arg = index[rule->arg];
}

/* Shortest first, then by patterns. */
static int flz_config_chain_order(const flz_config_chain *a, const flz_config_chain *b)
{
  if (a->length != b->length)
    return a->length < b->length ? -1 : 1;
  return memcmp(a->patterns, b->patterns, FLZ_PATTERNS);
}

/* The chains that rules play, and only those, in one order whatever order
 * the file named them in (flz_config_chain_order): a rule given twice
 * leaves no chain behind, and a printed config reads back the same. */
static void flz_config_compact_chains(flz_config *c)
{
  uint8_t used[FLZ_CONFIG_CHAINS] = {0}, index[FLZ_CONFIG_CHAINS] = {0}, from[FLZ_CONFIG_CHAINS];
  flz_config_each_rule(c, flz_config_mark_chain, used);
  flz_config_chain kept[FLZ_CONFIG_CHAINS];
  uint32_t count = 0;
  for (uint32_t i = 0; i < c->chain_count; i++) {
    if (!used[i])
      continue;
    uint32_t at = count++;
    for (; at > 0 && flz_config_chain_order(&c->chains[i], &kept[at - 1]) < 0; at--) {
      kept[at] = kept[at - 1];
      from[at] = from[at - 1];
    }
    kept[at] = c->chains[i];
    from[at] = (uint8_t)i;
  }
  for (uint32_t i = 0; i < count; i++)
    index[from[i]] = (uint8_t)i;
  flz_config_each_rule(c, flz_config_renumber_chain, index);
  memset(c->chains, 0, sizeof c->chains);
  memcpy(c->chains, kept, count * sizeof *kept);
  c->chain_count = count;
}

/* Clears one rule that names a pad past the bank size or a bank past the
 * last (only defaults can: the file's own such rules are errors). */
static void flz_config_prune_rule(flz_config *c, flz_config_rule *rule, void *user)
{
  (void)user;
  if ((rule->action == FLZ_CONFIG_PAD && rule->arg > c->bank_size) ||
      (rule->action == FLZ_CONFIG_BANK && rule->arg > flz_config_banks(c)))
    *rule = flz_config_make(FLZ_CONFIG_NONE, 0);
}

/* A smaller bank size leaves default rules that could never play: they go,
 * so that what is printed is what is in effect; so do chains no rule plays. */
static void flz_config_prune(flz_config *c)
{
  flz_config_each_rule(c, flz_config_prune_rule, NULL);
  flz_config_compact_chains(c);
}

/* ---- printing and docs ---- */

void flz_config_print(const flz_config *c, FILE *out)
{
  fputs("; flitz.ini: the configuration in effect (flitz --print-config)\n", out);
  for (size_t i = 0; i < FLZ_CONFIG_SECTIONS; i++) {
    const flz_config_section *s = &flz_config_sections[i];
    fprintf(out, "\n[%s]\n", s->name);
    if (s->print != NULL) {
      s->print(c, out);
      continue;
    }
    for (size_t k = 0; k < FLZ_CONFIG_SETTINGS; k++) {
      const flz_ini_setting *row = &flz_config_settings[k];
      if (strcmp(row->section, s->name) != 0)
        continue;
      char text[sizeof c->mappings]; /* the longest value */
      flz_ini_format(row, c, text, sizeof text);
      fprintf(out, "%s = %s\n", row->name, text);
    }
  }
}

void flz_config_document(FILE *out)
{
  for (size_t i = 0; i < FLZ_CONFIG_SECTIONS; i++) {
    const flz_config_section *s = &flz_config_sections[i];
    flz_ini_document_section(out, s->name, s->doc);
    for (size_t k = 0; k < FLZ_CONFIG_SETTINGS; k++)
      if (strcmp(flz_config_settings[k].section, s->name) == 0)
        flz_ini_document(&flz_config_settings[k], out);
  }
}

/* ---- location and options ---- */

int flz_config_default_path(char *out, size_t size)
{
  char candidate[4096];
  const char *xdg = getenv("XDG_CONFIG_HOME");
  const char *home = getenv("HOME");
  if (xdg != NULL && xdg[0] != '\0')
    snprintf(candidate, sizeof candidate, "%s/flitz/flitz.ini", xdg);
  else if (home != NULL && home[0] != '\0')
    snprintf(candidate, sizeof candidate, "%s/.config/flitz/flitz.ini", home);
  else
    candidate[0] = '\0';
  const char *found = NULL;
  if (candidate[0] != '\0' && access(candidate, F_OK) == 0)
    found = candidate;
  else if (access("/etc/flitz/flitz.ini", F_OK) == 0)
    found = "/etc/flitz/flitz.ini";
  if (found == NULL)
    return FLZ_ERR_NOT_FOUND;
  if (strlen(found) >= size)
    return FLZ_ERR_ARGUMENT;
  snprintf(out, size, "%s", found);
  return FLZ_OK;
}

void flz_config_apply_options(flz_config *config, const flz_options *options)
{
  if (options->given & FLZ_OPTIONS_GIVEN_AUDIO_DEVICE)
    snprintf(config->device, sizeof config->device, "%s", options->audio_device);
  if (options->given & FLZ_OPTIONS_GIVEN_RATE)
    config->rate = options->rate;
  if (options->given & FLZ_OPTIONS_GIVEN_PERIOD)
    config->period = options->period;
  if (options->given & FLZ_OPTIONS_GIVEN_MIDI_IN)
    snprintf(config->input, sizeof config->input, "%s", options->midi_in);
  if (options->given & FLZ_OPTIONS_GIVEN_MIDI_OUT)
    snprintf(config->output, sizeof config->output, "%s", options->midi_out);
}

void flz_config_apply_kit(flz_config *config, uint32_t kit_bank_size)
{
  if (config->bank_size != FLZ_DEFAULT_BANK_SIZE || kit_bank_size == 0 || kit_bank_size > FLZ_PADS)
    return;
  config->bank_size = kit_bank_size;
  flz_config_prune(config);
}

int flz_config_resolve(const flz_options *options, flz_config *config, FILE *err)
{
  flz_config_init(config);
  if (options->config_path != NULL) {
    uint32_t line = 0;
    char detail[256];
    int result = flz_config_load(options->config_path, config, &line, detail, sizeof detail);
    if (result == FLZ_ERR_SYNTAX) {
      fprintf(err, "flitz: %s:%u: %s\n", options->config_path, line, detail);
      return result;
    }
    if (result != FLZ_OK) {
      fprintf(err, "flitz: %s: %s%s%s%s\n", options->config_path, flz_result_message(result),
              detail[0] ? " (" : "", detail, detail[0] ? ")" : "");
      return result;
    }
  }
  flz_config_apply_options(config, options);
  return FLZ_OK;
}
