/* app/config.c: flitz.ini parsing (libinih), defaults, printing and the
 * default location (app/config.h). Must not touch SDL, the sampler or
 * devices: key names come from platform/input.h. */
#include "app/config.h"

#include "app/ini.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <ini.h>

#include "engine/engine.h"
#include "engine/limits.h"
#include "engine/result.h"
#include "platform/input.h"

/* Button names as SDL's controller mappings spell them, flz_button order,
 * then the triggers (FLZ_CONFIG_LEFT_TRIGGER, FLZ_CONFIG_RIGHT_TRIGGER). */
static const char *const flz_config_controls[FLZ_CONFIG_CONTROLS] = {
  "a", "b", "x", "y", "back", "guide", "start", "leftstick", "rightstick",
  "leftshoulder", "rightshoulder", "dpup", "dpdown", "dpleft", "dpright",
  "lefttrigger", "righttrigger",
};

/* The foundation layout's keys (HID usages), pads 1-16. */
static const int32_t flz_config_default_keys[16] = {
  30, 31, 32, 33, /* 1 2 3 4 */
  20, 26, 8, 21,  /* Q W E R */
  4, 22, 7, 9,    /* A S D F */
  29, 27, 6, 25,  /* Z X C V */
};
#define FLZ_CONFIG_KEY_ESCAPE 41
#define FLZ_CONFIG_KEY_SPACE 44
#define FLZ_CONFIG_KEY_F1 58  /* F1..F12 are 58..69 */
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
  c->cc[0] = flz_config_make(FLZ_CONFIG_BANK_SELECT, 0);     /* MIDI Bank Select (MSB) */
  c->cc[7] = flz_config_make(FLZ_CONFIG_VOLUME, 0);          /* MIDI Channel Volume */
  c->cc[102] = flz_config_make(FLZ_CONFIG_BANK_DOWN, 0);     /* 102, 103: undefined */
  c->cc[103] = flz_config_make(FLZ_CONFIG_BANK_UP, 0);       /* in MIDI 1.0, free */
  c->cc[120] = flz_config_make(FLZ_CONFIG_STOP_ALL, 0);      /* MIDI All Sound Off */
}

static void flz_config_default_buttons(flz_config *c)
{
  static const uint16_t pads[FLZ_CONFIG_CONTROLS] = {
    [0] = 1, [1] = 2, [2] = 3, [3] = 4, [9] = 5, [10] = 6, [11] = 9, [12] = 10,
    [13] = 11, [14] = 12, [FLZ_CONFIG_LEFT_TRIGGER] = 7, [FLZ_CONFIG_RIGHT_TRIGGER] = 8,
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
    {6, 1, {FLZ_CONFIG_BANK, 2}},
    {6, 2, {FLZ_CONFIG_BANK, 3}},
    {6, 3, {FLZ_CONFIG_BANK, 4}},
  };
  c->combo_count = sizeof combos / sizeof combos[0];
  memcpy(c->combos, combos, sizeof combos);
}

static void flz_config_default_keys_set(flz_config *c)
{
  memset(c->keys, 0, sizeof c->keys);
  for (uint16_t pad = 1; pad <= 16; pad++)
    c->keys[flz_config_default_keys[pad - 1]] = flz_config_make(FLZ_CONFIG_PAD, pad);
  c->keys[FLZ_CONFIG_KEY_SPACE] = flz_config_make(FLZ_CONFIG_STOP_ALL, 0);
  c->keys[FLZ_CONFIG_KEY_ESCAPE] = flz_config_make(FLZ_CONFIG_QUIT, 0);
  c->keys[FLZ_CONFIG_KEY_PAGEUP] = flz_config_make(FLZ_CONFIG_BANK_UP, 0);
  c->keys[FLZ_CONFIG_KEY_PAGEDOWN] = flz_config_make(FLZ_CONFIG_BANK_DOWN, 0);
  for (uint16_t bank = 1; bank <= 12; bank++)
    c->keys[FLZ_CONFIG_KEY_F1 + bank - 1] = flz_config_make(FLZ_CONFIG_BANK, bank);
}

void flz_config_init(flz_config *config)
{
  memset(config, 0, sizeof *config);
  config->rate = 48000;
  config->period = 256;
  config->sequencer = 1;
  config->channel = 0;
  config->program_bank = 1;
  config->velocity = 1.0f;
  config->trigger_threshold = 0.1f;
  config->trigger_window_ms = 8;
  config->bank_size = 16;
  flz_config_default_notes(config);
  flz_config_default_cc(config);
  flz_config_default_buttons(config);
  flz_config_default_keys_set(config);
}

uint32_t flz_config_banks(const flz_config *config)
{
  uint32_t size = config->bank_size > 0 ? config->bank_size : 16;
  return (FLZ_SLOTS + size - 1) / size;
}

/* ---- parsing ---- */

/* Rule sections: a section given in the file replaces its defaults. */
enum {
  FLZ_CONFIG_SEEN_NOTES = 1u << 0,
  FLZ_CONFIG_SEEN_CC = 1u << 1,
  FLZ_CONFIG_SEEN_BUTTONS = 1u << 2,
  FLZ_CONFIG_SEEN_KEYS = 1u << 3,
};

typedef struct flz_config_parse {
  flz_config *config;
  FILE *file;
  uint32_t line;        /* the line being parsed */
  int line_open;        /* the last chunk read did not end its line */
  flz_ini_error error;
  uint32_t seen;        /* FLZ_CONFIG_SEEN_* */
  uint32_t max_pad;     /* the largest pad number a rule names */
  uint32_t max_pad_line;
  uint32_t max_bank;    /* the largest bank-N */
  uint32_t max_bank_line;
} flz_config_parse;

#define flz_config_fail(p, ...) flz_ini_fail(&(p)->error, (p)->line, __VA_ARGS__)

/* libinih's line reader: fgets, counting lines for the handler. */
static char *flz_config_reader(char *str, int num, void *stream)
{
  flz_config_parse *p = stream;
  char *got = fgets(str, num, p->file);
  if (got == NULL)
    return NULL;
  if (!p->line_open)
    p->line++;
  size_t length = strlen(got);
  p->line_open = length > 0 && got[length - 1] != '\n';
  /* libinih would take the rest of a long line as a line of its own. */
  if (p->line_open && length + 1 == (size_t)num)
    (void)flz_config_fail(p, "line is longer than %d characters", num - 2);
  return got;
}

/* Rule kinds: which actions a section allows. */
enum { FLZ_RULE_NOTE, FLZ_RULE_CC, FLZ_RULE_BUTTON, FLZ_RULE_TRIGGER, FLZ_RULE_KEY };

static int flz_config_rule_parse(flz_config_parse *p, const char *value, int kind,
                                 flz_config_rule *rule)
{
  uint32_t n;
  if (flz_ini_uint(value, 1, FLZ_SLOTS, &n)) {
    *rule = flz_config_make(FLZ_CONFIG_PAD, (uint16_t)n);
    if (n > p->max_pad) {
      p->max_pad = n;
      p->max_pad_line = p->line;
    }
    return 1;
  }
  if (kind == FLZ_RULE_TRIGGER && strcmp(value, "none") != 0)
    return flz_config_fail(p, "a trigger plays a pad (1 to 256) or none, not '%s'", value);
  if (strcmp(value, "none") == 0)
    *rule = flz_config_make(FLZ_CONFIG_NONE, 0);
  else if (strcmp(value, "stop-all") == 0)
    *rule = flz_config_make(FLZ_CONFIG_STOP_ALL, 0);
  else if (strcmp(value, "bank-up") == 0)
    *rule = flz_config_make(FLZ_CONFIG_BANK_UP, 0);
  else if (strcmp(value, "bank-down") == 0)
    *rule = flz_config_make(FLZ_CONFIG_BANK_DOWN, 0);
  else if (strncmp(value, "bank-", 5) == 0 && flz_ini_uint(value + 5, 1, FLZ_SLOTS, &n)) {
    *rule = flz_config_make(FLZ_CONFIG_BANK, (uint16_t)n);
    if (n > p->max_bank) {
      p->max_bank = n;
      p->max_bank_line = p->line;
    }
  } else if (kind == FLZ_RULE_KEY && strcmp(value, "quit") == 0)
    *rule = flz_config_make(FLZ_CONFIG_QUIT, 0);
  else if (kind == FLZ_RULE_CC && strcmp(value, "volume") == 0)
    *rule = flz_config_make(FLZ_CONFIG_VOLUME, 0);
  else if (kind == FLZ_RULE_CC && strcmp(value, "bank-select") == 0)
    *rule = flz_config_make(FLZ_CONFIG_BANK_SELECT, 0);
  else
    return flz_config_fail(p,
                           "'%s' is not a rule (a pad number, none, stop-all, bank-up, "
                           "bank-down, bank-N%s)",
                           value,
                           kind == FLZ_RULE_KEY  ? ", quit"
                           : kind == FLZ_RULE_CC ? ", volume, bank-select"
                                                 : "");
  return 1;
}

/* Lines are at most this long (flz_config_read refuses longer ones): a
 * value that would print longer could not be read back. */
#define FLZ_CONFIG_LINE_MAX 198

static int flz_config_copy(flz_config_parse *p, char *out, size_t size, const char *name,
                           const char *value)
{
  size_t longest = FLZ_CONFIG_LINE_MAX - strlen(name) - 3; /* "NAME = VALUE" */
  if (size - 1 < longest)
    longest = size - 1;
  if (strlen(value) > longest)
    return flz_config_fail(p, "%s is longer than %zu characters", name, longest);
  for (const unsigned char *c = (const unsigned char *)value; *c != '\0'; c++)
    if (*c < 0x20 || *c == 0x7f)
      return flz_config_fail(p, "%s has a control character", name);
  memset(out, 0, size); /* no bytes of an earlier, longer value stay behind */
  snprintf(out, size, "%s", value);
  return 1;
}

static int flz_config_audio(flz_config_parse *p, const char *name, const char *value)
{
  flz_config *c = p->config;
  if (strcmp(name, "device") == 0) {
    if (strcmp(value, "default") == 0 || value[0] == '\0') {
      memset(c->device, 0, sizeof c->device);
      return 1;
    }
    return flz_config_copy(p, c->device, sizeof c->device, name, value);
  }
  if (strcmp(name, "rate") == 0) {
    if (!flz_ini_uint(value, 8000, 384000, &c->rate))
      return flz_config_fail(p, "rate must be a number from 8000 to 384000, not '%s'", value);
    return 1;
  }
  if (strcmp(name, "period") == 0) {
    if (!flz_ini_uint(value, 16, 8192, &c->period))
      return flz_config_fail(p, "period must be a number from 16 to 8192, not '%s'", value);
    return 1;
  }
  if (strcmp(name, "polyphony") == 0) {
    if (strcmp(value, "steal-oldest") == 0)
      c->policy = FLZ_POLICY_STEAL_OLDEST;
    else if (strcmp(value, "drop") == 0)
      c->policy = FLZ_POLICY_DROP;
    else
      return flz_config_fail(p, "polyphony must be steal-oldest or drop, not '%s'", value);
    return 1;
  }
  return flz_config_fail(p, "unknown key '%s' in [audio] (device, rate, period, polyphony)",
                         name);
}

static int flz_config_midi(flz_config_parse *p, const char *name, const char *value)
{
  flz_config *c = p->config;
  if (strcmp(name, "sequencer") == 0) {
    if (!flz_ini_bool(value, &c->sequencer))
      return flz_config_fail(p, "sequencer must be true or false, not '%s'", value);
    return 1;
  }
  if (strcmp(name, "input") == 0)
    return flz_config_copy(p, c->input, sizeof c->input, name, value);
  if (strcmp(name, "channel") == 0) {
    if (strcmp(value, "all") == 0)
      c->channel = 0;
    else if (!flz_ini_uint(value, 1, 16, &c->channel))
      return flz_config_fail(p, "channel must be all or a number from 1 to 16, not '%s'", value);
    return 1;
  }
  if (strcmp(name, "program") == 0) {
    if (strcmp(value, "bank") == 0)
      c->program_bank = 1;
    else if (strcmp(value, "none") == 0)
      c->program_bank = 0;
    else
      return flz_config_fail(p, "program must be bank or none, not '%s'", value);
    return 1;
  }
  return flz_config_fail(p, "unknown key '%s' in [midi] (sequencer, input, channel, program)",
                         name);
}

static int flz_config_gamepad(flz_config_parse *p, const char *name, const char *value)
{
  flz_config *c = p->config;
  double number;
  if (strcmp(name, "velocity") == 0) {
    if (!flz_ini_number(value, 0.01, 1.0, &number))
      return flz_config_fail(p, "velocity must be a number from 0.01 to 1, not '%s'", value);
    c->velocity = (float)number;
    return 1;
  }
  if (strcmp(name, "trigger_threshold") == 0) {
    if (!flz_ini_number(value, 0.01, 0.9, &number))
      return flz_config_fail(p, "trigger_threshold must be a number from 0.01 to 0.9, not '%s'",
                             value);
    c->trigger_threshold = (float)number;
    return 1;
  }
  if (strcmp(name, "trigger_window_ms") == 0) {
    if (!flz_ini_uint(value, 0, 20, &c->trigger_window_ms))
      return flz_config_fail(p, "trigger_window_ms must be a number from 0 to 20, not '%s'",
                             value);
    return 1;
  }
  if (strcmp(name, "mappings") == 0)
    return flz_config_copy(p, c->mappings, sizeof c->mappings, name, value);
  return flz_config_fail(
    p, "unknown key '%s' in [gamepad] (velocity, trigger_threshold, trigger_window_ms, mappings)",
    name);
}

static int flz_config_control(const char *name, size_t length)
{
  for (int i = 0; i < FLZ_CONFIG_CONTROLS; i++)
    if (strlen(flz_config_controls[i]) == length && strncasecmp(flz_config_controls[i], name, length) == 0)
      return i;
  return -1;
}

static int flz_config_button(flz_config_parse *p, const char *name, const char *value)
{
  flz_config *c = p->config;
  if (!(p->seen & FLZ_CONFIG_SEEN_BUTTONS)) {
    p->seen |= FLZ_CONFIG_SEEN_BUTTONS;
    memset(c->buttons, 0, sizeof c->buttons);
    memset(c->combos, 0, sizeof c->combos);
    c->combo_count = 0;
  }
  const char *plus = strchr(name, '+');
  if (plus == NULL) {
    int control = flz_config_control(name, strlen(name));
    if (control < 0)
      return flz_config_fail(p, "unknown button '%s' (a b x y back guide start leftstick "
                                "rightstick leftshoulder rightshoulder dpup dpdown dpleft "
                                "dpright lefttrigger righttrigger)",
                             name);
    int kind = control >= FLZ_CONFIG_LEFT_TRIGGER ? FLZ_RULE_TRIGGER : FLZ_RULE_BUTTON;
    return flz_config_rule_parse(p, value, kind, &c->buttons[control]);
  }
  int modifier = flz_config_control(name, (size_t)(plus - name));
  int button = flz_config_control(plus + 1, strlen(plus + 1));
  if (modifier < 0 || button < 0 || modifier >= FLZ_CONFIG_LEFT_TRIGGER ||
      button >= FLZ_CONFIG_LEFT_TRIGGER || modifier == button)
    return flz_config_fail(p, "'%s' must be MODIFIER+BUTTON, two different buttons (not "
                              "triggers)",
                           name);
  flz_config_rule rule;
  if (!flz_config_rule_parse(p, value, FLZ_RULE_BUTTON, &rule))
    return 0;
  uint32_t i = 0;
  while (i < c->combo_count &&
         (c->combos[i].modifier != modifier || c->combos[i].button != button))
    i++;
  if (i == FLZ_CONFIG_COMBOS)
    return flz_config_fail(p, "more than %d MODIFIER+BUTTON rules", FLZ_CONFIG_COMBOS);
  if (i == c->combo_count)
    c->combo_count++;
  c->combos[i] = (flz_config_combo){.modifier = (uint8_t)modifier, .button = (uint8_t)button,
                                    .rule = rule};
  return 1;
}

/* A key's HID usage from its SDL name or "usageN"; -1 if none. */
static int32_t flz_config_key(const char *name)
{
  uint32_t usage;
  if (strncmp(name, "usage", 5) == 0 && flz_ini_uint(name + 5, 1, FLZ_CONFIG_KEYS - 1, &usage))
    return (int32_t)usage;
  int32_t code = flz_input_key_from_name(name);
  return code > 0 && code < FLZ_CONFIG_KEYS ? code : -1;
}

static int flz_config_handler(void *user, const char *section, const char *name,
                              const char *value)
{
  flz_config_parse *p = user;
  flz_config *c = p->config;
  uint32_t number;
  for (const char *v = value; *v != '\0'; v++)
    if (*v == ';' && (v == value || v[-1] == ' ' || v[-1] == '\t'))
      return flz_config_fail(p, "a value cannot hold ';' at its start or after a space (it starts a comment)");
  if (strcmp(section, "audio") == 0)
    return flz_config_audio(p, name, value);
  if (strcmp(section, "midi") == 0)
    return flz_config_midi(p, name, value);
  if (strcmp(section, "gamepad") == 0)
    return flz_config_gamepad(p, name, value);
  if (strcmp(section, "buttons") == 0)
    return flz_config_button(p, name, value);
  if (strcmp(section, "notes") == 0 || strcmp(section, "cc") == 0) {
    int notes = section[0] == 'n';
    uint32_t bit = notes ? FLZ_CONFIG_SEEN_NOTES : FLZ_CONFIG_SEEN_CC;
    flz_config_rule *table = notes ? c->notes : c->cc;
    if (!(p->seen & bit)) {
      p->seen |= bit;
      memset(table, 0, sizeof c->notes);
    }
    if (!flz_ini_uint(name, 0, 127, &number))
      return flz_config_fail(p, "[%s] keys are %s numbers from 0 to 127, not '%s'", section,
                             notes ? "note" : "controller", name);
    return flz_config_rule_parse(p, value, notes ? FLZ_RULE_NOTE : FLZ_RULE_CC, &table[number]);
  }
  if (strcmp(section, "keys") == 0) {
    if (!(p->seen & FLZ_CONFIG_SEEN_KEYS)) {
      p->seen |= FLZ_CONFIG_SEEN_KEYS;
      memset(c->keys, 0, sizeof c->keys);
    }
    int32_t key = flz_config_key(name);
    if (key < 0)
      return flz_config_fail(p, "unknown key name '%s' (SDL's names: Q, 1, Space, PageUp, F1, "
                                "Left Shift...; or usageN)",
                             name);
    return flz_config_rule_parse(p, value, FLZ_RULE_KEY, &c->keys[key]);
  }
  if (strcmp(section, "banks") == 0) {
    if (strcmp(name, "size") != 0)
      return flz_config_fail(p, "unknown key '%s' in [banks] (size)", name);
    if (!flz_ini_uint(value, 1, FLZ_SLOTS, &c->bank_size))
      return flz_config_fail(p, "size must be a number from 1 to 256, not '%s'", value);
    return 1;
  }
  return flz_config_fail(p, "unknown section [%s] (audio, midi, notes, cc, gamepad, buttons, "
                            "keys, banks)",
                         section);
}

static void flz_config_prune(flz_config *c);

int flz_config_load(const char *path, flz_config *config, uint32_t *line, char *detail,
                    size_t detail_size)
{
  flz_config_init(config);
  *line = 0;
  if (detail_size > 0)
    detail[0] = '\0';
  FILE *file = fopen(path, "r");
  if (file == NULL)
    return errno == ENOENT ? FLZ_ERR_NOT_FOUND : FLZ_ERR_READ;
  int result = flz_config_read(file, path, config, line, detail, detail_size);
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
  p.file = file;
  p.error.detail = detail;
  p.error.detail_size = detail_size;
  int result = ini_parse_stream(flz_config_reader, &p, flz_config_handler, &p);
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
    snprintf(detail, detail_size, "bank %u is past the last bank, %u (256 slots / [banks] size)",
             p.max_bank, flz_config_banks(config));
    return FLZ_ERR_SYNTAX;
  }
  flz_config_prune(config);
  return FLZ_OK;
}

/* Clears one rule that names a pad past the bank size or a bank past the
 * last (only defaults can: the file's own such rules are errors). */
static void flz_config_prune_rule(const flz_config *c, flz_config_rule *rule)
{
  if ((rule->action == FLZ_CONFIG_PAD && rule->arg > c->bank_size) ||
      (rule->action == FLZ_CONFIG_BANK && rule->arg > flz_config_banks(c)))
    *rule = flz_config_make(FLZ_CONFIG_NONE, 0);
}

/* A smaller bank size leaves default rules that could never play: they go,
 * so that what is printed is what is in effect. */
static void flz_config_prune(flz_config *c)
{
  for (uint32_t i = 0; i < 128; i++) {
    flz_config_prune_rule(c, &c->notes[i]);
    flz_config_prune_rule(c, &c->cc[i]);
  }
  for (uint32_t i = 0; i < FLZ_CONFIG_CONTROLS; i++)
    flz_config_prune_rule(c, &c->buttons[i]);
  for (uint32_t i = 0; i < c->combo_count; i++)
    flz_config_prune_rule(c, &c->combos[i].rule);
  for (uint32_t i = 0; i < FLZ_CONFIG_KEYS; i++)
    flz_config_prune_rule(c, &c->keys[i]);
}

/* ---- printing ---- */

static void flz_config_print_rule(FILE *out, flz_config_rule rule)
{
  switch (rule.action) {
  case FLZ_CONFIG_PAD: fprintf(out, "%u\n", rule.arg); break;
  case FLZ_CONFIG_STOP_ALL: fputs("stop-all\n", out); break;
  case FLZ_CONFIG_BANK_UP: fputs("bank-up\n", out); break;
  case FLZ_CONFIG_BANK_DOWN: fputs("bank-down\n", out); break;
  case FLZ_CONFIG_BANK: fprintf(out, "bank-%u\n", rule.arg); break;
  case FLZ_CONFIG_QUIT: fputs("quit\n", out); break;
  case FLZ_CONFIG_VOLUME: fputs("volume\n", out); break;
  case FLZ_CONFIG_BANK_SELECT: fputs("bank-select\n", out); break;
  default: fputs("none\n", out); break;
  }
}

/* One numbered table; an empty one is written as its first entry = none, so
 * that reading it back also clears the defaults. */
static void flz_config_print_table(FILE *out, const char *section, const flz_config_rule *table,
                                   uint32_t count)
{
  fprintf(out, "\n[%s]\n", section);
  int any = 0;
  for (uint32_t i = 0; i < count; i++) {
    if (table[i].action == FLZ_CONFIG_NONE)
      continue;
    fprintf(out, "%u = ", i);
    flz_config_print_rule(out, table[i]);
    any = 1;
  }
  if (!any)
    fputs("0 = none\n", out);
}

/* A key name INI can write as a key and that reads back as the same key. */
static void flz_config_print_key(FILE *out, int32_t usage)
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

/* The shortest of %.6g and %.9g that reads back as the same float. */
static void flz_config_print_float(FILE *out, const char *name, float value)
{
  char text[32];
  snprintf(text, sizeof text, "%.6g", (double)value);
  if (strtof(text, NULL) != value)
    snprintf(text, sizeof text, "%.9g", (double)value);
  fprintf(out, "%s = %s\n", name, text);
}

void flz_config_print(const flz_config *c, FILE *out)
{
  fputs("; flitz.ini: the configuration in effect (flitz --print-config)\n", out);
  fprintf(out, "\n[audio]\ndevice = %s\nrate = %u\nperiod = %u\npolyphony = %s\n",
          c->device[0] ? c->device : "default", c->rate, c->period,
          c->policy == FLZ_POLICY_DROP ? "drop" : "steal-oldest");
  fprintf(out, "\n[midi]\nsequencer = %s\ninput = %s\n", c->sequencer ? "true" : "false",
          c->input);
  if (c->channel == 0)
    fputs("channel = all\n", out);
  else
    fprintf(out, "channel = %u\n", c->channel);
  fprintf(out, "program = %s\n", c->program_bank ? "bank" : "none");
  flz_config_print_table(out, "notes", c->notes, 128);
  flz_config_print_table(out, "cc", c->cc, 128);
  fputs("\n[gamepad]\n", out);
  flz_config_print_float(out, "velocity", c->velocity);
  flz_config_print_float(out, "trigger_threshold", c->trigger_threshold);
  fprintf(out, "trigger_window_ms = %u\nmappings = %s\n", c->trigger_window_ms, c->mappings);
  fputs("\n[buttons]\n", out);
  int any = 0;
  for (uint32_t i = 0; i < FLZ_CONFIG_CONTROLS; i++) {
    if (c->buttons[i].action == FLZ_CONFIG_NONE)
      continue;
    fprintf(out, "%s = ", flz_config_controls[i]);
    flz_config_print_rule(out, c->buttons[i]);
    any = 1;
  }
  for (uint32_t i = 0; i < c->combo_count; i++) {
    fprintf(out, "%s+%s = ", flz_config_controls[c->combos[i].modifier],
            flz_config_controls[c->combos[i].button]);
    flz_config_print_rule(out, c->combos[i].rule);
    any = 1;
  }
  if (!any)
    fputs("a = none\n", out);
  fputs("\n[keys]\n", out);
  any = 0;
  for (int32_t i = 1; i < FLZ_CONFIG_KEYS; i++) {
    if (c->keys[i].action == FLZ_CONFIG_NONE)
      continue;
    flz_config_print_key(out, i);
    flz_config_print_rule(out, c->keys[i]);
    any = 1;
  }
  if (!any)
    fputs("Space = none\n", out);
  fprintf(out, "\n[banks]\nsize = %u\n", c->bank_size);
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
      fprintf(err, "flitz: %s: %s\n", options->config_path, flz_result_message(result));
      return result;
    }
  }
  flz_config_apply_options(config, options);
  return FLZ_OK;
}
