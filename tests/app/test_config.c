/* tests/app/test_config.c: flitz.ini: the defaults, every key, sections
 * replacing their defaults, the printed configuration read back unchanged,
 * bad lines reported with their numbers, the default location and the
 * options winning over the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/config.h"
#include "engine/repeat.h"
#include "app/run.h"
#include "capture.h"
#include "engine/limits.h"
#include "engine/result.h"
#include "readme.h"

static char dir[] = "/tmp/flitz-config-XXXXXX";
static char path[128];

static int setup(void **state)
{
  (void)state;
  if (mkdtemp(dir) == NULL)
    return -1;
  snprintf(path, sizeof path, "%s/flitz.ini", dir);
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  remove(path);
  return rmdir(dir);
}

static void write_file(const char *text)
{
  FILE *file = fopen(path, "w");
  assert_non_null(file);
  fputs(text, file);
  fclose(file);
}

static flz_config_rule rule(uint16_t action, uint16_t arg)
{
  return (flz_config_rule){.action = action, .arg = arg};
}

static void assert_rule(flz_config_rule got, uint16_t action, uint16_t arg)
{
  assert_int_equal(got.action, action);
  assert_int_equal(got.arg, arg);
}

static void defaults_map_gm_drums_keys_and_buttons(void **state)
{
  (void)state;
  flz_config c;
  flz_config_init(&c);
  for (uint16_t pad = 1; pad <= 16; pad++)
    assert_rule(c.notes[35 + pad], FLZ_CONFIG_PAD, pad);
  assert_rule(c.notes[35], FLZ_CONFIG_NONE, 0);
  assert_rule(c.notes[52], FLZ_CONFIG_NONE, 0);
  assert_rule(c.cc[7], FLZ_CONFIG_VOLUME, 0);
  assert_rule(c.cc[0], FLZ_CONFIG_BANK_SELECT, 0);
  assert_rule(c.cc[120], FLZ_CONFIG_STOP_ALL, 0);
  assert_rule(c.keys[20], FLZ_CONFIG_PAD, 5);  /* Q */
  assert_rule(c.keys[25], FLZ_CONFIG_PAD, 16); /* V */
  assert_rule(c.keys[75], FLZ_CONFIG_BANK_UP, 0);
  assert_rule(c.keys[78], FLZ_CONFIG_BANK_DOWN, 0);
  assert_rule(c.keys[58], FLZ_CONFIG_BANK, 1);
  assert_rule(c.keys[41], FLZ_CONFIG_QUIT, 0);
  assert_rule(c.buttons[FLZ_CONFIG_LEFT_TRIGGER], FLZ_CONFIG_PAD, 7);
  assert_rule(c.buttons[4], FLZ_CONFIG_STOP_ALL, 0);
  assert_int_equal(c.combo_count, 6);
  assert_int_equal(c.combos[0].modifier, 6);
  assert_int_equal(c.combos[0].button, 13);
  assert_rule(c.combos[0].rule, FLZ_CONFIG_BANK_DOWN, 0);
  assert_int_equal(c.bank_size, 16);
  assert_int_equal(flz_config_banks(&c), 16);
  assert_int_equal(c.rate, 48000);
  assert_int_equal(c.period, 256);
  assert_int_equal(c.channel, 0);
  assert_int_equal(c.sequencer, 1);
  assert_true(c.velocity == 1.0f);
}

static void every_key_is_read(void **state)
{
  (void)state;
  write_file("; a full file\n"
             "[audio]\ndevice = USB Audio\nrate = 44100\nperiod = 128\n"
             "[midi]\nsequencer = false\ninput = /dev/snd/midiC1D0\nchannel = 10\n"
             "program = none\n"
             "[notes]\n60 = 3\n61 = bank-up\n62 = none\n"
             "[cc]\n1 = volume\n64 = 2\n65 = bank-select\n66 = stop-all\n"
             "[gamepad]\nvelocity = 0.75\ntrigger_threshold = 0.2\ntrigger_window_ms = 4\n"
             "mappings = /tmp/db.txt\n"
             "[buttons]\nx = 8\nlefttrigger = 2\nback+start = bank-5\nSTART+DPUP = quit-not\n");
  flz_config c;
  uint32_t line = 0;
  char why[256];
  /* quit is for keys only: the last line is bad. */
  assert_int_equal(flz_config_load(path, &c, &line, why, sizeof why), FLZ_ERR_SYNTAX);
  assert_int_equal(line, 29);
  assert_non_null(strstr(why, "'quit-not' is not a rule"));

  write_file("[audio]\ndevice = USB Audio\nrate = 44100\nperiod = 128\npolyphony = drop\n"
             "interpolation = sinc\n"
             "[midi]\nsequencer = false\ninput = /dev/snd/midiC1D0\nchannel = 10\n"
             "program = none\n"
             "[notes]\n60 = 3\n61 = bank-up\n62 = none\n"
             "[cc]\n1 = volume\n64 = 2\n65 = bank-select\n66 = stop-all\n"
             "[gamepad]\nvelocity = 0.75\ntrigger_threshold = 0.2\ntrigger_window_ms = 4\n"
             "mappings = /tmp/db.txt\n"
             "[buttons]\nx = 8\nlefttrigger = 2\nback+start = bank-5\n"
             "[keys]\nspace = 1\nLeft Shift = stop-all\nusage46 = bank-2\nescape = quit\n"
             "[banks]\nsize = 8\n");
  assert_int_equal(flz_config_load(path, &c, &line, why, sizeof why), FLZ_OK);
  assert_string_equal(c.path, path);
  assert_string_equal(c.device, "USB Audio");
  assert_int_equal(c.rate, 44100);
  assert_int_equal(c.period, 128);
  assert_int_equal(c.policy, FLZ_POLICY_DROP);
  assert_int_equal(c.interpolation, FLZ_INTERPOLATION_SINC);
  assert_int_equal(c.sequencer, 0);
  assert_string_equal(c.input, "/dev/snd/midiC1D0");
  assert_int_equal(c.channel, 10);
  assert_int_equal(c.program_bank, 0);
  assert_rule(c.notes[60], FLZ_CONFIG_PAD, 3);
  assert_rule(c.notes[61], FLZ_CONFIG_BANK_UP, 0);
  assert_rule(c.notes[36], FLZ_CONFIG_NONE, 0); /* the section replaced the defaults */
  assert_rule(c.cc[1], FLZ_CONFIG_VOLUME, 0);
  assert_rule(c.cc[64], FLZ_CONFIG_PAD, 2);
  assert_rule(c.cc[65], FLZ_CONFIG_BANK_SELECT, 0);
  assert_rule(c.cc[66], FLZ_CONFIG_STOP_ALL, 0);
  assert_rule(c.cc[7], FLZ_CONFIG_NONE, 0);
  assert_true(c.velocity == 0.75f);
  assert_true(c.trigger_threshold == 0.2f);
  assert_int_equal(c.trigger_window_ms, 4);
  assert_string_equal(c.mappings, "/tmp/db.txt");
  assert_rule(c.buttons[2], FLZ_CONFIG_PAD, 8);
  assert_rule(c.buttons[FLZ_CONFIG_LEFT_TRIGGER], FLZ_CONFIG_PAD, 2);
  assert_rule(c.buttons[0], FLZ_CONFIG_NONE, 0);
  assert_int_equal(c.combo_count, 1);
  assert_int_equal(c.combos[0].modifier, 4);
  assert_int_equal(c.combos[0].button, 6);
  assert_rule(c.combos[0].rule, FLZ_CONFIG_BANK, 5);
  assert_rule(c.keys[44], FLZ_CONFIG_PAD, 1);       /* Space */
  assert_rule(c.keys[225], FLZ_CONFIG_STOP_ALL, 0); /* Left Shift */
  assert_rule(c.keys[46], FLZ_CONFIG_BANK, 2);      /* = */
  assert_rule(c.keys[41], FLZ_CONFIG_QUIT, 0);
  assert_rule(c.keys[20], FLZ_CONFIG_NONE, 0);
  assert_int_equal(c.bank_size, 8);
  assert_int_equal(flz_config_banks(&c), 32);
}

/* Prints `c`, reads it back, and checks every field came back. */
static void round_trip(const flz_config *c)
{
  FILE *file = fopen(path, "w");
  assert_non_null(file);
  flz_config_print(c, file);
  fclose(file);
  flz_config back;
  uint32_t line = 0;
  char why[256] = "";
  int result = flz_config_load(path, &back, &line, why, sizeof why);
  if (result != FLZ_OK)
    fail_msg("line %u: %s", line, why);
  flz_config expected = *c;
  memset(expected.path, 0, sizeof expected.path);
  memset(back.path, 0, sizeof back.path);
  assert_memory_equal(&expected, &back, sizeof expected);
}

static void printed_config_reads_back_the_same(void **state)
{
  (void)state;
  flz_config c;
  flz_config_init(&c);
  round_trip(&c);

  /* Everything changed, including empty rule sections and keys INI cannot
   * spell by name. */
  snprintf(c.device, sizeof c.device, "hw:CARD=Device,DEV=0");
  c.rate = 96000;
  c.period = 64;
  c.sequencer = 0;
  snprintf(c.input, sizeof c.input, "/tmp/midi fifo");
  c.channel = 16;
  c.program_bank = 0;
  memset(c.notes, 0, sizeof c.notes);
  memset(c.buttons, 0, sizeof c.buttons);
  c.combo_count = 0;
  memset(c.combos, 0, sizeof c.combos);
  c.cc[127] = rule(FLZ_CONFIG_PAD, 4);
  c.velocity = 0.3f;
  c.trigger_threshold = 0.05f;
  c.trigger_window_ms = 0;
  snprintf(c.mappings, sizeof c.mappings, "/usr/share/db.txt");
  c.keys[46] = rule(FLZ_CONFIG_BANK_UP, 0);   /* "=" */
  c.keys[51] = rule(FLZ_CONFIG_BANK_DOWN, 0); /* ";" */
  c.keys[225] = rule(FLZ_CONFIG_PAD, 2);      /* Left Shift */
  c.bank_size = 4;
  for (uint32_t i = 0; i < 128; i++)
    if (c.cc[i].action == FLZ_CONFIG_PAD && c.cc[i].arg > 4)
      c.cc[i] = rule(FLZ_CONFIG_NONE, 0);
  for (uint32_t i = 0; i < FLZ_CONFIG_KEYS; i++)
    if (c.keys[i].action == FLZ_CONFIG_PAD && c.keys[i].arg > 4)
      c.keys[i] = rule(FLZ_CONFIG_NONE, 0);
  round_trip(&c);

  memset(c.keys, 0, sizeof c.keys);
  memset(c.cc, 0, sizeof c.cc);
  c.buttons[FLZ_CONFIG_RIGHT_TRIGGER] = rule(FLZ_CONFIG_PAD, 1);
  c.combos[0] = (flz_config_combo){
    .modifier = 5, .button = 14, .rule = rule(FLZ_CONFIG_STOP_ALL, 0)};
  c.combo_count = 1;
  round_trip(&c);
}

static void expect_bad(const char *text, uint32_t line, const char *reason)
{
  write_file(text);
  flz_config c;
  uint32_t got_line = 0;
  char why[256] = "";
  assert_int_equal(flz_config_load(path, &c, &got_line, why, sizeof why), FLZ_ERR_SYNTAX);
  if (got_line != line || strstr(why, reason) == NULL)
    fail_msg("'%s': got line %u '%s', expected line %u '%s'", text, got_line, why, line, reason);
}

static void bad_lines_name_their_number_and_reason(void **state)
{
  (void)state;
  expect_bad("[audio]\nrate = 48000\nrate = fast\n", 3,
             "rate must be a number from 8000 to 384000, not 'fast'");
  expect_bad("[midi]\n\nsequenser = true\n", 3, "unknown key 'sequenser' in [midi]");
  expect_bad("[audio]\npolyphony = round-robin\n", 2,
             "polyphony must be steal-oldest or drop, not 'round-robin'");
  expect_bad("[mdi]\nchannel = 1\n", 2, "unknown section [mdi]");
  expect_bad("[midi]\nchannel = 17\n", 2, "channel must be all or a number from 1 to 16");
  expect_bad("[notes]\n128 = 1\n", 2, "[notes] keys are note numbers from 0 to 127");
  expect_bad("[notes]\n36 = kick\n", 2, "'kick' is not a rule");
  expect_bad("[cc]\n7 = quit\n", 2, "'quit' is not a rule");
  expect_bad("[keys]\nq = volume\n", 2, "'volume' is not a rule");
  expect_bad("[keys]\nnokey = 1\n", 2, "unknown key name 'nokey'");
  expect_bad("[buttons]\nz = 1\n", 2, "unknown button 'z'");
  expect_bad("[buttons]\nrighttrigger = stop-all\n", 2, "a trigger plays a pad");
  expect_bad("[buttons]\na+lefttrigger = 1\n", 2, "must be MODIFIER+BUTTON");
  expect_bad("[gamepad]\ntrigger_window_ms = 50\n", 2, "trigger_window_ms must be");
  expect_bad("; comment\nnot a line\n", 2, "not an INI line");
  expect_bad("[banks]\nsize = 0\n", 2, "size must be a number from 1 to 256");
  /* Checked once the whole file is read: the size may come after the rule. */
  expect_bad("[notes]\n36 = 1\n37 = 9\n38 = 2\n[banks]\nsize = 8\n", 3,
             "pad 9 is past the bank size 8");
  expect_bad("[keys]\nq = bank-20\n", 2, "bank 20 is past the last bank, 16");
  expect_bad("[midi]\ninput = a ; b\n  c ;d\n", 3, "a value cannot hold ';'");
  char long_line[400];
  memset(long_line, 'x', sizeof long_line);
  memcpy(long_line, "[audio]\n\ndevice = ", 18);
  memcpy(long_line + sizeof long_line - 2, "\n", 2);
  expect_bad(long_line, 3, "line is longer than 198 characters");
  /* An unclosed section line is reported at its own line, and the first
   * error ends the read. */
  expect_bad("[midi]\nchannel = 1\n[audio\nrate = 44100\n", 3,
             "section line '[audio' has no closing ']'");
}

/* --config /dev/zero would never end; a huge file stops at the size limit. */
static void a_config_that_is_not_a_regular_file_or_too_big_is_refused(void **state)
{
  (void)state;
  flz_config c;
  uint32_t line = 0;
  char why[256] = "";
  assert_int_equal(flz_config_load("/dev/zero", &c, &line, why, sizeof why), FLZ_ERR_READ);
  assert_string_equal(why, "not a regular file");
  FILE *file = fopen(path, "w");
  assert_non_null(file);
  for (uint32_t i = 0; i <= FLZ_SETTINGS_FILE_MAX / 8; i++)
    fputs("; more.\n", file); /* 8 bytes */
  fclose(file);
  assert_int_equal(flz_config_load(path, &c, &line, why, sizeof why), FLZ_ERR_SYNTAX);
  assert_string_equal(why, "the file is larger than 1048576 bytes");
  assert_int_equal(line, FLZ_SETTINGS_FILE_MAX / 8 + 1);
}

static void resolve_reports_one_line_and_options_win(void **state)
{
  (void)state;
  write_file("[audio]\nrate = 44100\nperiod = 512\n[midi]\ninput = /a\n");
  flz_options options;
  flz_options_init(&options);
  options.config_path = path;
  char text[512] = "";
  FILE *err = fmemopen(text, sizeof text, "w");
  flz_config c;
  assert_int_equal(flz_config_resolve(&options, &c, err), FLZ_OK);
  assert_int_equal(c.rate, 44100);
  assert_int_equal(c.period, 512);
  assert_string_equal(c.input, "/a");
  int index = 1;
  char *argv[] = {"flitz", "--rate", "96000", "--midi-in", "/b", NULL};
  char why[128];
  assert_int_equal(flz_options_parse(5, argv, &index, &options, why, sizeof why), FLZ_OK);
  assert_int_equal(flz_config_resolve(&options, &c, err), FLZ_OK);
  assert_int_equal(c.rate, 96000);
  assert_int_equal(c.period, 512);
  assert_string_equal(c.input, "/b");

  write_file("[audio]\nperiod = 1\n");
  assert_int_equal(flz_config_resolve(&options, &c, err), FLZ_ERR_SYNTAX);
  options.config_path = "/nonexistent/flitz.ini";
  assert_int_equal(flz_config_resolve(&options, &c, err), FLZ_ERR_NOT_FOUND);
  fclose(err);
  char expected[512];
  snprintf(expected, sizeof expected,
           "flitz: %s:2: period must be a number from 16 to 8192, not '1'\n"
           "flitz: /nonexistent/flitz.ini: no such file or directory\n",
           path);
  assert_string_equal(text, expected);
}

static void default_location_prefers_xdg_then_home(void **state)
{
  (void)state;
  char sub[160], file[200], out[256];
  snprintf(sub, sizeof sub, "%s/flitz", dir);
  assert_int_equal(mkdir(sub, 0700), 0);
  snprintf(file, sizeof file, "%s/flitz.ini", sub);
  FILE *f = fopen(file, "w");
  assert_non_null(f);
  fclose(f);
  setenv("XDG_CONFIG_HOME", dir, 1);
  assert_int_equal(flz_config_default_path(out, sizeof out), FLZ_OK);
  assert_string_equal(out, file);
  assert_int_equal(flz_config_default_path(out, 4), FLZ_ERR_ARGUMENT);

  /* No XDG_CONFIG_HOME: $HOME/.config. */
  char home[160], config_dir[200], home_file[240];
  snprintf(home, sizeof home, "%s/home", dir);
  snprintf(config_dir, sizeof config_dir, "%s/.config", home);
  assert_int_equal(mkdir(home, 0700), 0);
  assert_int_equal(mkdir(config_dir, 0700), 0);
  snprintf(config_dir, sizeof config_dir, "%s/.config/flitz", home);
  assert_int_equal(mkdir(config_dir, 0700), 0);
  snprintf(home_file, sizeof home_file, "%s/flitz.ini", config_dir);
  f = fopen(home_file, "w");
  assert_non_null(f);
  fclose(f);
  unsetenv("XDG_CONFIG_HOME");
  setenv("HOME", home, 1);
  assert_int_equal(flz_config_default_path(out, sizeof out), FLZ_OK);
  assert_string_equal(out, home_file);

  remove(home_file);
  int etc = access("/etc/flitz/flitz.ini", F_OK) == 0;
  assert_int_equal(flz_config_default_path(out, sizeof out), etc ? FLZ_OK : FLZ_ERR_NOT_FOUND);
  rmdir(config_dir);
  snprintf(config_dir, sizeof config_dir, "%s/.config", home);
  rmdir(config_dir);
  rmdir(home);
  remove(file);
  rmdir(sub);
}

static void print_config_option_prints_what_is_in_effect(void **state)
{
  (void)state;
  write_file("[audio]\nrate = 44100\nperiod = 512\n[banks]\nsize = 8\n");
  char *argv[] = {"flitz", "--config", path, "--period", "128", "--print-config", NULL};
  flz_capture run = flz_capture_run(flz_run_main, 6, argv);
  assert_int_equal(run.code, 0);
  assert_string_equal(run.err, "");
  write_file(run.out);
  flz_capture_free(&run);
  flz_config c;
  uint32_t line = 0;
  char why[256];
  assert_int_equal(flz_config_load(path, &c, &line, why, sizeof why), FLZ_OK);
  assert_int_equal(c.rate, 44100);
  assert_int_equal(c.period, 128);
  assert_int_equal(c.bank_size, 8);
  /* The default rules past pad 8 cannot play with banks of 8: not printed. */
  assert_rule(c.notes[43], FLZ_CONFIG_PAD, 8);
  assert_rule(c.notes[44], FLZ_CONFIG_NONE, 0);

  write_file("[banks]\nsize = big\n");
  char *bad[] = {"flitz", "--config", path, NULL};
  run = flz_capture_run(flz_run_main, 3, bad);
  assert_int_equal(run.code, 2);
  assert_int_equal(flz_capture_lines(run.err), 1);
  char expected[256];
  snprintf(expected, sizeof expected,
           "flitz: %s:2: size must be a number from 1 to 256, not 'big'\n", path);
  assert_string_equal(run.err, expected);
  flz_capture_free(&run);
}

static void a_kits_bank_size_wins_over_the_default_only(void **state)
{
  (void)state;
  flz_config c;
  flz_config_init(&c);
  flz_config_apply_kit(&c, 8);
  assert_int_equal(c.bank_size, 8);
  assert_int_equal(flz_config_banks(&c), 32);
  /* Default rules past pad 8 could never play: cleared, as for [banks] size. */
  assert_rule(c.notes[43], FLZ_CONFIG_PAD, 8);
  assert_rule(c.notes[44], FLZ_CONFIG_NONE, 0);
  assert_rule(c.keys[69], FLZ_CONFIG_BANK, 12); /* F12 */

  flz_config_init(&c);
  flz_config_apply_kit(&c, 36);
  assert_int_equal(c.bank_size, 36);
  assert_int_equal(flz_config_banks(&c), 8);
  assert_rule(c.notes[51], FLZ_CONFIG_PAD, 16);
  assert_rule(c.keys[65], FLZ_CONFIG_BANK, 8); /* F8 */
  assert_rule(c.keys[66], FLZ_CONFIG_NONE, 0); /* F9: bank 9 of 8 */

  /* A [banks] size other than the default is the machine's: it wins. */
  write_file("[banks]\nsize = 4\n");
  uint32_t line = 0;
  char detail[256];
  assert_int_equal(flz_config_load(path, &c, &line, detail, sizeof detail), FLZ_OK);
  flz_config_apply_kit(&c, 8);
  assert_int_equal(c.bank_size, 4);

  /* No size, or one past the slots, changes nothing. */
  flz_config_init(&c);
  flz_config expected = c;
  flz_config_apply_kit(&c, 0);
  flz_config_apply_kit(&c, FLZ_PADS + 1);
  flz_config_apply_kit(&c, FLZ_DEFAULT_BANK_SIZE);
  assert_memory_equal(&c, &expected, sizeof c);
}

/* README.md's flitz.ini key list is what the table writes: the docs cannot
 * drift from the parser. */
static void readme_lists_the_keys_as_the_table_writes_them(void **state)
{
  (void)state;
  char *documented = flz_readme_block("flitz.ini keys");
  char *written = flz_readme_written(flz_config_document);
  assert_non_null(documented);
  assert_non_null(written);
  assert_string_equal(documented, written);
  assert_non_null(strstr(written, "rate = 48000         ; Hz, 8000..384000\n"));
  free(documented);
  free(written);
}

static void resample_and_repeat_rules_read_print_and_refuse_bad_values(void **state)
{
  (void)state;
  flz_config c;
  uint32_t line = 0;
  char why[256] = "";
  write_file("[keys]\nreturn = resample\n[notes]\n60 = resample-4\n61 = repeat-1/16t\n"
             "[cc]\n80 = resample\n81 = repeat-1/4\n[buttons]\nguide = resample-64\n");
  assert_int_equal(flz_config_load(path, &c, &line, why, sizeof why), FLZ_OK);
  assert_rule(c.notes[60], FLZ_CONFIG_RESAMPLE, 4);
  assert_rule(c.cc[80], FLZ_CONFIG_RESAMPLE, 0);
  assert_rule(c.notes[61], FLZ_CONFIG_REPEAT, FLZ_REPEAT_16TH_TRIPLET);
  assert_rule(c.cc[81], FLZ_CONFIG_REPEAT, FLZ_REPEAT_4TH);
  round_trip(&c);
  expect_bad("[notes]\n60 = resample-65\n", 2, "'resample-65' is not a rule");
  expect_bad("[notes]\n60 = resample-0\n", 2, "'resample-0' is not a rule");
  expect_bad("[notes]\n60 = repeat-off\n", 2, "'repeat-off' is not a rule");
  expect_bad("[notes]\n60 = repeat-1/64\n", 2, "'repeat-1/64' is not a rule");
}

/* chain-N,N,... rules: equal chains share one entry of the config's
 * chains, every section reads them, they print back as written, and a bad
 * list or a 17th different chain is one line naming it. */
static void chain_rules_read_print_and_refuse_bad_lists(void **state)
{
  (void)state;
  flz_config c;
  uint32_t line = 0;
  char why[256] = "";
  write_file("[notes]\n60 = chain-1,2,1,3\n61 = chain-16\n[cc]\n20 = chain-1,2,1,3\n"
             "[keys]\nReturn = chain-2,1\n");
  assert_int_equal(flz_config_load(path, &c, &line, why, sizeof why), FLZ_OK);
  /* One entry a chain, shortest first, then by patterns. */
  assert_rule(c.notes[60], FLZ_CONFIG_CHAIN, 2);
  assert_rule(c.notes[61], FLZ_CONFIG_CHAIN, 0);
  assert_rule(c.cc[20], FLZ_CONFIG_CHAIN, 2);
  assert_rule(c.keys[40], FLZ_CONFIG_CHAIN, 1);
  assert_int_equal(c.chain_count, 3);
  assert_int_equal(c.chains[2].length, 4);
  assert_memory_equal(c.chains[2].patterns, ((uint8_t[]){0, 1, 0, 2}), 4);
  assert_int_equal(c.chains[0].length, 1);
  assert_int_equal(c.chains[0].patterns[0], 15);
  char text[FLZ_CONFIG_RULE_TEXT];
  flz_config_rule_text(&c, c.keys[40], text, sizeof text);
  assert_string_equal(text, "chain-2,1");
  flz_config_rule_text(&c, c.notes[60], text, sizeof text);
  assert_string_equal(text, "chain-1,2,1,3");
  round_trip(&c);
  /* A rule given again keeps no chain of its first value (the fuzzer's
   * find: the printed config read back without it). */
  write_file("[notes]\n36 = chain-1\n[gamepad]\n[notes]\n36 = chain-16\n");
  assert_int_equal(flz_config_load(path, &c, &line, why, sizeof why), FLZ_OK);
  assert_rule(c.notes[36], FLZ_CONFIG_CHAIN, 0);
  assert_int_equal(c.chain_count, 1);
  assert_int_equal(c.chains[0].patterns[0], 15);
  round_trip(&c);
  static const char longest[] = "chain-16,16,16,16,16,16,16,16,16,16,16,16,16,16,16,16";
  assert_true(sizeof longest <= FLZ_CONFIG_RULE_TEXT);
  const char *why_chain = "chain must be up to 16 patterns 1 to 16 joined by commas";
  expect_bad("[notes]\n60 = chain-\n", 2, why_chain);
  expect_bad("[notes]\n60 = chain-1,17\n", 2, "not '1,17'");
  expect_bad("[notes]\n60 = chain-1,x\n", 2, why_chain);
  expect_bad("[notes]\n60 = chain-1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,1\n", 2, why_chain);
  char many[1024];
  size_t length = (size_t)snprintf(many, sizeof many, "[notes]\n");
  for (int i = 1; i <= 17; i++)
    length += (size_t)snprintf(many + length, sizeof many - length, "%d = chain-%d,%d\n", i,
                               (i - 1) % 16 + 1, i <= 16 ? 1 : 2);
  expect_bad(many, 18, "'chain-1,2' is one chain too many: rules play at most 16 different chains");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(defaults_map_gm_drums_keys_and_buttons),
    cmocka_unit_test(every_key_is_read),
    cmocka_unit_test(a_config_that_is_not_a_regular_file_or_too_big_is_refused),
    cmocka_unit_test(printed_config_reads_back_the_same),
    cmocka_unit_test(bad_lines_name_their_number_and_reason),
    cmocka_unit_test(resolve_reports_one_line_and_options_win),
    cmocka_unit_test(print_config_option_prints_what_is_in_effect),
    cmocka_unit_test(default_location_prefers_xdg_then_home),
    cmocka_unit_test(a_kits_bank_size_wins_over_the_default_only),
    cmocka_unit_test(readme_lists_the_keys_as_the_table_writes_them),
    cmocka_unit_test(resample_and_repeat_rules_read_print_and_refuse_bad_values),
    cmocka_unit_test(chain_rules_read_print_and_refuse_bad_lists),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
