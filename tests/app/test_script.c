/* tests/app/test_script.c: the event script parser (app/script.h): every
 * action, comments, velocities, and malformed lines reported with their line
 * numbers and reasons. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/script.h"
#include "engine/message.h"
#include "engine/result.h"

static void test_every_action_with_comments_and_blank_lines(void **state)
{
  (void)state;
  const char *text = "# a drum groove\n"
                     "\n"
                     "0 play 1\n"
                     "0.25\tplay 2 0.5   # soft snare\n"
                     "   \t \n"
                     "0.25 volume -6\n"
                     "1.5 stop 2\r\n"
                     "2 stop-all#no space before the comment\n"
                     "2.000 play 8 0\n"
                     "3 play 8 1.0\n"
                     "3 volume +3.5";
  flz_script script;
  uint32_t line = 99;
  char why[128];
  assert_int_equal(flz_script_parse(text, 8, &script, &line, why, sizeof(why)), FLZ_OK);
  assert_int_equal(line, 0);
  assert_int_equal(script.count, 8);
  static const flz_script_event expected[] = {
    {0.0, FLZ_SCRIPT_PLAY, 1, 1.0f, 3, 0, 0, {0}, 0, 0},
    {0.25, FLZ_SCRIPT_PLAY, 2, 0.5f, 4, 0, 0, {0}, 0, 0},
    {0.25, FLZ_SCRIPT_VOLUME, 0, -6.0f, 6, 0, 0, {0}, 0, 0},
    {1.5, FLZ_SCRIPT_STOP, 2, 0.0f, 7, 0, 0, {0}, 0, 0},
    {2.0, FLZ_SCRIPT_STOP_ALL, 0, 0.0f, 8, 0, 0, {0}, 0, 0},
    {2.0, FLZ_SCRIPT_PLAY, 8, 0.0f, 9, 0, 0, {0}, 0, 0},
    {3.0, FLZ_SCRIPT_PLAY, 8, 1.0f, 10, 0, 0, {0}, 0, 0},
    {3.0, FLZ_SCRIPT_VOLUME, 0, 3.5f, 11, 0, 0, {0}, 0, 0},
  };
  for (size_t i = 0; i < script.count; i++) {
    assert_true(script.events[i].seconds == expected[i].seconds);
    assert_int_equal(script.events[i].action, expected[i].action);
    assert_int_equal(script.events[i].pad, expected[i].pad);
    assert_true(script.events[i].value == expected[i].value);
    assert_int_equal(script.events[i].line, expected[i].line);
  }
  flz_script_deinit(&script);
  flz_script_deinit(&script);
  assert_null(script.events);
  assert_int_equal(script.count, 0);
}

static void test_notes_parse_numbers_and_names_with_c4_as_60(void **state)
{
  (void)state;
  flz_script script;
  uint32_t line = 99;
  char why[200] = "";
  assert_int_equal(flz_script_parse("0 note 36 1\n0 note c4 127 10\n0 note Db-1 64\n"
                                    "0 note eb2 100 16\n0 note g9 2\n",
                                    8, &script, &line, why, sizeof why),
                   FLZ_OK);
  assert_int_equal(script.count, 5);
  static const uint8_t keys[] = {36, 60, 1, 39, 127}, channels[] = {1, 10, 1, 16, 1};
  static const float velocities[] = {1.0f, 127.0f, 64.0f, 100.0f, 2.0f};
  for (size_t i = 0; i < 5; i++) {
    assert_int_equal(script.events[i].action, FLZ_SCRIPT_NOTE);
    assert_int_equal(script.events[i].key, keys[i]);
    assert_int_equal(script.events[i].channel, channels[i]);
    assert_true(script.events[i].value == velocities[i] / 127.0f);
  }
  flz_script_deinit(&script);
}

static void test_pad_model_actions_parse_to_their_values(void **state)
{
  (void)state;
  flz_script script;
  uint32_t line = 99;
  char why[200] = "";
  assert_int_equal(flz_script_parse("0 release 3\n0.5 speed 1.5\n1 tempo 92.5\n"
                                    "1 quantize 1/8\n2 multi-loop off\n2 multi-loop on\n"
                                    "3 quantize off\n3 release 2 db4\n",
                                    8, &script, &line, why, sizeof why),
                   FLZ_OK);
  assert_int_equal(script.count, 8);
  assert_int_equal(script.events[0].action, FLZ_SCRIPT_RELEASE);
  assert_int_equal(script.events[0].pad, 3);
  assert_int_equal(script.events[0].has_key, 0);
  assert_int_equal(script.events[7].action, FLZ_SCRIPT_RELEASE);
  assert_int_equal(script.events[7].pad, 2);
  assert_int_equal(script.events[7].has_key, 1);
  assert_int_equal(script.events[7].key, 61);
  assert_int_equal(script.events[1].action, FLZ_SCRIPT_SPEED);
  assert_true(script.events[1].value == 1.5f);
  assert_int_equal(script.events[2].action, FLZ_SCRIPT_TEMPO);
  assert_true(script.events[2].value == 92.5f);
  assert_int_equal(script.events[3].action, FLZ_SCRIPT_QUANTIZE);
  assert_true(script.events[3].value == (float)FLZ_QUANTIZE_8TH);
  assert_int_equal(script.events[4].action, FLZ_SCRIPT_MULTI_LOOP);
  assert_true(script.events[4].value == 0.0f);
  assert_true(script.events[5].value == 1.0f);
  assert_true(script.events[6].value == (float)FLZ_QUANTIZE_OFF);
  flz_script_deinit(&script);
  /* MIDI clock: the status byte, and a position in 1/16 notes. */
  assert_int_equal(flz_script_parse("0 clock start\n0 clock tick\n1 clock stop\n1 clock continue\n"
                                    "2 clock position 16383\n",
                                    8, &script, &line, why, sizeof why),
                   FLZ_OK);
  assert_int_equal(script.count, 5);
  static const float status[] = {0xFA, 0xF8, 0xFC, 0xFB, 0xF2};
  for (uint32_t i = 0; i < 5; i++) {
    assert_int_equal(script.events[i].action, FLZ_SCRIPT_CLOCK);
    assert_true(script.events[i].value == status[i]);
  }
  assert_int_equal(script.events[4].pad, 16383);
  flz_script_deinit(&script);
}

static void test_an_empty_script_has_no_events(void **state)
{
  (void)state;
  flz_script script;
  uint32_t line;
  char why[64];
  assert_int_equal(flz_script_parse("", 4, &script, &line, why, sizeof(why)), FLZ_OK);
  assert_int_equal(script.count, 0);
  assert_int_equal(
    flz_script_parse("# only\n\n  # comments\n", 4, &script, &line, why, sizeof(why)), FLZ_OK);
  assert_int_equal(script.count, 0);
  flz_script_deinit(&script);
}

static void test_malformed_lines_give_line_and_reason(void **state)
{
  (void)state;
  static const struct {
    const char *text;
    uint32_t line;
    const char *why;
  } cases[] = {
    {"0 play 1\n0.5 jump 2\n", 2,
     "unknown action 'jump' (play, note, stop, release, stop-all, volume, speed, tempo, quantize, "
     "multi-loop, clock, record, pattern, chain, record-quantize, metronome, resample, repeat, "
     "pressure)"},
    {"abc play 1\n", 1, "bad time 'abc'"},
    {"1e400 play 1\n", 1, "bad time '1e400'"},
    {"nan play 1\n", 1, "bad time 'nan'"},
    {"-0.5 play 1\n", 1, "time -0.5 is outside 0..86400 seconds"},
    {"86401 play 1\n", 1, "time 86401 is outside 0..86400 seconds"},
    {"# x\n1 play 1\n0.75 play 2\n", 3,
     "time 0.75 is before the previous event's 1: times must not decrease"},
    {"1\n", 1, "missing action after the time"},
    {"\n\n1 play\n", 3, "missing pad number"},
    {"1 play x\n", 1, "bad pad number 'x'"},
    {"1 play 1.5\n", 1, "bad pad number '1.5'"},
    {"1 play -1\n", 1, "bad pad number '-1'"},
    {"1 play 0\n", 1, "pad 0 is out of range 1..8"},
    {"1 play 9\n", 1, "pad 9 is out of range 1..8"},
    {"1 play 99999999999999999999999\n", 1, "pad 99999999999999999999999 is out of range 1..8"},
    {"1 play 1 1.5\n", 1, "velocity 1.5 is outside 0..1"},
    {"1 play 1 -0.1\n", 1, "velocity -0.1 is outside 0..1"},
    {"1 play 1 loud\n", 1, "bad velocity 'loud'"},
    {"1 play 1 0.5 7\n", 1, "unexpected '7' after play"},
    {"1 stop\n", 1, "missing pad number"},
    {"1 stop 9\n", 1, "pad 9 is out of range 1..8"},
    {"1 stop 1 2\n", 1, "unexpected '2' after stop"},
    {"1 stop-all 3\n", 1, "unexpected '3' after stop-all"},
    {"1 volume\n", 1, "missing volume in dB"},
    {"1 volume loud\n", 1, "bad volume 'loud'"},
    {"1 volume 30\n", 1, "volume 30 dB is above +24 dB"},
    {"1 volume -6 x\n", 1, "unexpected 'x' after volume"},
    {"1 PLAY 1\n", 1,
     "unknown action 'PLAY' (play, note, stop, release, stop-all, volume, speed, tempo, quantize, "
     "multi-loop, clock, record, pattern, chain, record-quantize, metronome, resample, repeat, "
     "pressure)"},
    {"1 release\n", 1, "missing pad number"},
    {"1 note\n", 1, "missing key after note"},
    {"1 note h4 100\n", 1, "bad key 'h4' (a MIDI note 0..127 or a name like c4 = 60)"},
    {"1 note 128 100\n", 1, "bad key '128' (a MIDI note 0..127 or a name like c4 = 60)"},
    {"1 note c4\n", 1, "missing velocity after the key"},
    {"1 note c4 0\n", 1, "velocity must be a MIDI value from 1 to 127, not '0'"},
    {"1 note c4 128\n", 1, "velocity must be a MIDI value from 1 to 127, not '128'"},
    {"1 note c4 0.5\n", 1, "velocity must be a MIDI value from 1 to 127, not '0.5'"},
    {"1 note c4 100 17\n", 1, "channel must be 1 to 16, not '17'"},
    {"1 note c4 100 1 x\n", 1, "unexpected 'x' after note"},
    {"1 release 9\n", 1, "pad 9 is out of range 1..8"},
    {"1 release 2 h4\n", 1, "bad key 'h4' (a MIDI note 0..127 or a name like c4 = 60)"},
    {"1 release 2 60 1\n", 1, "unexpected '1' after release"},
    {"1 speed\n", 1, "missing speed"},
    {"1 speed 3\n", 1, "speed must be a number from 0.5 to 2, not '3'"},
    {"1 speed 1 2\n", 1, "unexpected '2' after speed"},
    {"1 tempo fast\n", 1, "tempo must be a number from 20 to 999, not 'fast'"},
    {"1 tempo\n", 1, "missing tempo in BPM"},
    {"1 quantize 1/32\n", 1, "quantize must be off, 1/16, 1/8, 1/4 or bar, not '1/32'"},
    {"1 quantize\n", 1, "quantize must be off, 1/16, 1/8, 1/4 or bar, not ''"},
    {"1 multi-loop maybe\n", 1, "multi-loop must be on or off, not 'maybe'"},
    {"1 clock\n", 1, "clock must be tick, start, continue, stop or position N, not ''"},
    {"1 clock pause\n", 1, "clock must be tick, start, continue, stop or position N, not 'pause'"},
    {"1 clock tick 2\n", 1, "unexpected '2' after clock"},
    {"1 clock position 1.5\n", 1,
     "clock position must be a whole number of 1/16 notes from 0 to 16383, not '1.5'"},
    {"1 clock position\n", 1,
     "clock position must be a whole number of 1/16 notes from 0 to 16383, not ''"},
    {"1 resample\n", 1, "resample needs master or a pad, or stop"},
    {"1 resample 9 into 3\n", 1, "pad 9 is out of range 1..8"},
    {"1 resample master 3\n", 1, "resample master needs 'into PAD'"},
    {"1 resample master into 257\n", 1, "pad 257 is out of range 1..256"},
    {"1 resample master into 3 bars 0\n", 1,
     "bars must be a number above 0 and at most 64, not '0'"},
    {"1 resample master into 3 beats 2\n", 1, "unexpected 'beats' after resample"},
    {"1 resample stop now\n", 1, "unexpected 'now' after resample"},
    {"1 resample master into 12\n2 play 13\n", 2, "pad 13 is out of range 1..12"},
    {"1 repeat 1/64\n", 1,
     "repeat must be off, 1/4, 1/8, 1/16, 1/32, 1/4t, 1/8t, 1/16t or 1/32t, not '1/64'"},
    {"1 pressure 1\n", 1, "pressure must be a number from 0 to 1, not ''"},
    {"1 pressure all 1.5\n", 1, "pressure must be a number from 0 to 1, not '1.5'"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    flz_script script;
    uint32_t line = 0;
    char why[256] = "";
    int result = flz_script_parse(cases[i].text, 8, &script, &line, why, sizeof(why));
    if (result != FLZ_ERR_SYNTAX || line != cases[i].line || strcmp(why, cases[i].why) != 0)
      fail_msg("case %zu \"%s\": result %d line %u why \"%s\"", i, cases[i].text, result,
               (unsigned)line, why);
    assert_null(script.events);
    assert_int_equal(script.count, 0);
  }
}

static void test_load_reads_a_file_and_reports_file_errors(void **state)
{
  (void)state;
  char path[] = "/tmp/flz-script-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  const char text[] = "0.5 play 2 0.25\n1 stop-all\n";
  assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
  close(fd);

  flz_script script;
  uint32_t line = 7;
  char why[128];
  assert_int_equal(flz_script_load(path, 2, &script, &line, why, sizeof(why)), FLZ_OK);
  assert_int_equal(script.count, 2);
  assert_true(script.events[0].seconds == 0.5);
  assert_int_equal(script.events[0].pad, 2);
  assert_true(script.events[0].value == 0.25f);
  assert_int_equal(script.events[1].action, FLZ_SCRIPT_STOP_ALL);
  flz_script_deinit(&script);

  /* The same file for a kit of one pad: pad 2 is out of range. */
  assert_int_equal(flz_script_load(path, 1, &script, &line, why, sizeof(why)), FLZ_ERR_SYNTAX);
  assert_int_equal(line, 1);
  assert_string_equal(why, "pad 2 is out of range 1..1");

  /* A NUL byte is not text; its line is named. */
  FILE *file = fopen(path, "wb");
  assert_non_null(file);
  fwrite("0 play 1\n1 pl\0ay 1\n", 1, 19, file);
  fclose(file);
  assert_int_equal(flz_script_load(path, 1, &script, &line, why, sizeof(why)), FLZ_ERR_SYNTAX);
  assert_int_equal(line, 2);
  assert_string_equal(why, "NUL byte: not a text file");
  unlink(path);

  assert_int_equal(flz_script_load(path, 1, &script, &line, why, sizeof(why)), FLZ_ERR_NOT_FOUND);
  assert_int_equal(line, 0);
  assert_int_equal(flz_script_load("/tmp", 1, &script, &line, why, sizeof(why)),
                   FLZ_ERR_IS_DIRECTORY);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_every_action_with_comments_and_blank_lines),
    cmocka_unit_test(test_notes_parse_numbers_and_names_with_c4_as_60),
    cmocka_unit_test(test_pad_model_actions_parse_to_their_values),
    cmocka_unit_test(test_an_empty_script_has_no_events),
    cmocka_unit_test(test_malformed_lines_give_line_and_reason),
    cmocka_unit_test(test_load_reads_a_file_and_reports_file_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
