/* tests/app/test_mapping.c: input events to actions by the default and by
 * custom rules: notes, controllers, program change, buttons and their
 * MODIFIER+BUTTON rules, keys, window clicks, banks, the analog triggers'
 * velocity window, the channel filter, a device going away releasing
 * what it held, and a multi-sample kit's keys. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/kitformat.h"
#include "app/mapping.h"
#include "engine/repeat.h"

static flz_mapping mapping;
static flz_mapping_state state;
static flz_mapping_action out[FLZ_MAPPING_ACTIONS_MAX];

static void start(const flz_config *config)
{
  flz_config c;
  flz_config_init(&c);
  flz_mapping_init(&mapping, config != NULL ? config : &c);
  flz_mapping_state_init(&state);
}

static flz_input_event midi(uint32_t type, uint32_t channel, int32_t control, uint32_t raw,
                            int32_t device)
{
  return (flz_input_event){.source = FLZ_SOURCE_MIDI,
                           .type = type,
                           .device = device,
                           .control = control,
                           .value = (float)raw / 127.0f,
                           .time_ns = 1000u + raw,
                           .channel = channel};
}

static flz_input_event from(uint32_t source, uint32_t type, int32_t device, int32_t control,
                            float value, uint64_t time_ns)
{
  return (flz_input_event){.source = source,
                           .type = type,
                           .device = device,
                           .control = control,
                           .value = value,
                           .time_ns = time_ns};
}

static uint32_t map(flz_input_event event)
{
  return flz_mapping_event(&mapping, &state, &event, out);
}

static void assert_action(const flz_mapping_action *a, uint32_t type, uint32_t slot, float value,
                          uint64_t time_ns)
{
  assert_int_equal(a->type, type);
  assert_int_equal(a->slot, slot);
  assert_true(a->value == value);
  assert_int_equal(a->time_ns, time_ns);
}

static void gm_drum_notes_play_pads_and_release_what_they_pressed(void **s)
{
  (void)s;
  start(NULL);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 9, 36, 100, 1)), 1);
  assert_action(&out[0], FLZ_MAPPING_PLAY, 0, 100.0f / 127.0f, 1100);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 0, 51, 127, 1)), 1);
  assert_action(&out[0], FLZ_MAPPING_PLAY, 15, 1.0f, 1127);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 0, 52, 127, 1)), 0); /* unmapped */
  /* The bank changes while note 36 is held: its release still releases
   * slot 0, and a new press plays bank 2's pad 1 (slot 16). */
  assert_int_equal(map(midi(FLZ_INPUT_PROGRAM_CHANGE, 0, 1, 0, 1)), 0);
  assert_int_equal(flz_mapping_bank(&mapping), 2);
  assert_int_equal(map(midi(FLZ_INPUT_RELEASE, 9, 36, 0, 1)), 1);
  assert_action(&out[0], FLZ_MAPPING_RELEASE, 0, 0.0f, 1000);
  assert_int_equal(map(midi(FLZ_INPUT_RELEASE, 9, 36, 0, 1)), 0); /* released once */
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 9, 36, 64, 1)), 1);
  assert_action(&out[0], FLZ_MAPPING_PLAY, 16, 64.0f / 127.0f, 1064);
  /* Program change past the last bank does nothing; the last bank is 16. */
  map(midi(FLZ_INPUT_PROGRAM_CHANGE, 0, 16, 0, 1));
  assert_int_equal(flz_mapping_bank(&mapping), 2);
  map(midi(FLZ_INPUT_PROGRAM_CHANGE, 0, 15, 0, 1));
  assert_int_equal(flz_mapping_bank(&mapping), 16);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 0, 51, 127, 1)), 1);
  assert_action(&out[0], FLZ_MAPPING_PLAY, 255, 1.0f, 1127);
}

static void controllers_set_volume_banks_and_stop(void **s)
{
  (void)s;
  start(NULL);
  assert_int_equal(map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 7, 127, 2)), 1);
  assert_action(&out[0], FLZ_MAPPING_VOLUME, 0, 0.0f, 1127);
  assert_int_equal(map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 7, 64, 2)), 1);
  assert_action(&out[0], FLZ_MAPPING_VOLUME, 0, 40.0f * log10f(64.0f / 127.0f), 1064);
  assert_int_equal(map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 7, 0, 2)), 1);
  assert_action(&out[0], FLZ_MAPPING_VOLUME, 0, -96.0f, 1000);
  map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 0, 4, 2)); /* bank select: bank 5 */
  assert_int_equal(flz_mapping_bank(&mapping), 5);
  map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 103, 127, 2)); /* bank up */
  assert_int_equal(flz_mapping_bank(&mapping), 6);
  map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 103, 0, 2)); /* its release: nothing */
  assert_int_equal(flz_mapping_bank(&mapping), 6);
  map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 102, 64, 2)); /* bank down */
  assert_int_equal(flz_mapping_bank(&mapping), 5);
  assert_int_equal(map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 120, 127, 2)), 1);
  assert_action(&out[0], FLZ_MAPPING_STOP_ALL, 0, 0.0f, 1127);
  assert_int_equal(map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 120, 63, 2)), 0);
}

static void resample_presses_wait_for_the_control_thread(void **s)
{
  (void)s;
  flz_config c;
  flz_config_init(&c);
  c.cc[80] = (flz_config_rule){FLZ_CONFIG_RESAMPLE, 0};
  c.notes[60] = (flz_config_rule){FLZ_CONFIG_RESAMPLE, 2};
  start(&c);
  uint32_t bars = 99;
  uint64_t time_ns = 0;
  assert_int_equal(flz_mapping_take_resample(&mapping, &bars, &time_ns), 0);
  assert_int_equal(map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 80, 127, 1)), 0); /* no action */
  assert_int_equal(map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 80, 0, 1)), 0);   /* its release */
  assert_int_equal(flz_mapping_take_resample(&mapping, &bars, &time_ns), 1);
  assert_int_equal(bars, 0);
  assert_int_equal(time_ns, 1127);
  assert_int_equal(flz_mapping_take_resample(&mapping, &bars, &time_ns), 0); /* taken once */
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 0, 60, 100, 1)), 0);
  assert_int_equal(flz_mapping_take_resample(&mapping, &bars, &time_ns), 1);
  assert_int_equal(bars, 2);
  assert_int_equal(time_ns, 1100);
}

static void a_repeat_control_sets_the_rate_while_held(void **s)
{
  (void)s;
  flz_config c;
  flz_config_init(&c);
  c.cc[81] = (flz_config_rule){FLZ_CONFIG_REPEAT, FLZ_REPEAT_16TH};
  c.notes[61] = (flz_config_rule){FLZ_CONFIG_REPEAT, FLZ_REPEAT_8TH_TRIPLET};
  start(&c);
  assert_int_equal(map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 81, 127, 1)), 1);
  assert_action(&out[0], FLZ_MAPPING_REPEAT, FLZ_REPEAT_16TH, 0.0f, 1127);
  assert_int_equal(map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 81, 0, 1)), 1);
  assert_action(&out[0], FLZ_MAPPING_REPEAT, FLZ_REPEAT_OFF, 0.0f, 1000);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 0, 61, 90, 1)), 1);
  assert_action(&out[0], FLZ_MAPPING_REPEAT, FLZ_REPEAT_8TH_TRIPLET, 0.0f, 1090);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 0, 36, 100, 1)), 1); /* a pad, held with it */
  /* The controller goes away: repeat ends and the pad is released. */
  flz_input_event gone = midi(FLZ_INPUT_DEVICE_REMOVED, 0, 0, 0, 1);
  assert_int_equal(map(gone), 2);
  uint32_t repeat_off = out[0].type == FLZ_MAPPING_REPEAT ? 0 : 1;
  assert_action(&out[repeat_off], FLZ_MAPPING_REPEAT, FLZ_REPEAT_OFF, 0.0f, 1000);
  assert_action(&out[1 - repeat_off], FLZ_MAPPING_RELEASE, 0, 0.0f, 1000);
}

/* A chain control gives CHAIN of its chain once, at the press (a CC at 64
 * or more); its release gives nothing. */
static void a_chain_control_plays_its_chain_at_the_press(void **s)
{
  (void)s;
  flz_config c;
  flz_config_init(&c);
  c.chains[0] = (flz_config_chain){.patterns = {0, 1}, .length = 2};
  c.chains[1] = (flz_config_chain){.patterns = {2}, .length = 1};
  c.chain_count = 2;
  c.notes[62] = (flz_config_rule){FLZ_CONFIG_CHAIN, 1};
  c.cc[82] = (flz_config_rule){FLZ_CONFIG_CHAIN, 0};
  c.keys[40] = (flz_config_rule){FLZ_CONFIG_CHAIN, 0};
  start(&c);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 0, 62, 90, 1)), 1);
  assert_action(&out[0], FLZ_MAPPING_CHAIN, 1, 0.0f, 1090);
  assert_int_equal(map(midi(FLZ_INPUT_RELEASE, 0, 62, 0, 1)), 0);
  assert_int_equal(map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 82, 127, 1)), 1);
  assert_action(&out[0], FLZ_MAPPING_CHAIN, 0, 0.0f, 1127);
  assert_int_equal(map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 82, 0, 1)), 0);
  assert_int_equal(map(from(FLZ_SOURCE_KEYBOARD, FLZ_INPUT_PRESS, 0, 40, 1.0f, 7)), 1);
  assert_action(&out[0], FLZ_MAPPING_CHAIN, 0, 0.0f, 7);
}

static void aftertouch_of_a_pad_s_note_or_the_channel_is_pressure(void **s)
{
  (void)s;
  start(NULL);
  map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 0, 1, 2)); /* bank 2: note 37 is slot 17 */
  assert_int_equal(map(midi(FLZ_INPUT_PRESSURE, 0, 37, 90, 2)), 1);
  assert_action(&out[0], FLZ_MAPPING_PRESSURE, 17, 90.0f / 127.0f, 1090);
  assert_int_equal(map(midi(FLZ_INPUT_PRESSURE, 0, 20, 90, 2)), 0); /* no pad's note */
  assert_int_equal(map(midi(FLZ_INPUT_PRESSURE, 0, -1, 30, 2)), 1);
  assert_action(&out[0], FLZ_MAPPING_PRESSURE, UINT32_MAX, 30.0f / 127.0f, 1030);
}

static void controller_pad_rules_press_and_release(void **s)
{
  (void)s;
  flz_config c;
  flz_config_init(&c);
  c.cc[64] = (flz_config_rule){FLZ_CONFIG_PAD, 3};
  c.program_bank = 0;
  start(&c);
  assert_int_equal(map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 64, 127, 1)), 1);
  assert_action(&out[0], FLZ_MAPPING_PLAY, 2, 1.0f, 1127);
  /* Note 64 is not CC 64: no release from it. */
  assert_int_equal(map(midi(FLZ_INPUT_RELEASE, 0, 64, 0, 1)), 0);
  assert_int_equal(map(midi(FLZ_INPUT_CONTROL_CHANGE, 0, 64, 0, 1)), 1);
  assert_action(&out[0], FLZ_MAPPING_RELEASE, 2, 0.0f, 1000);
  map(midi(FLZ_INPUT_PROGRAM_CHANGE, 0, 3, 0, 1)); /* program = none */
  assert_int_equal(flz_mapping_bank(&mapping), 1);
}

static void channel_filter_keeps_one_channel(void **s)
{
  (void)s;
  flz_config c;
  flz_config_init(&c);
  c.channel = 10;
  start(&c);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 0, 36, 127, 1)), 0);
  assert_int_equal(map(midi(FLZ_INPUT_CONTROL_CHANGE, 8, 120, 127, 1)), 0);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 9, 36, 127, 1)), 1);
  assert_action(&out[0], FLZ_MAPPING_PLAY, 0, 1.0f, 1127);
  /* A device going away is no channel's event: it still releases. */
  flz_input_event gone = midi(FLZ_INPUT_DEVICE_REMOVED, 0, 0, 0, 1);
  assert_int_equal(map(gone), 1);
  assert_action(&out[0], FLZ_MAPPING_RELEASE, 0, 0.0f, 1000);
}

static void device_gone_releases_only_its_own_pads(void **s)
{
  (void)s;
  start(NULL);
  map(midi(FLZ_INPUT_PRESS, 0, 36, 127, 1));
  map(midi(FLZ_INPUT_PRESS, 1, 37, 127, 1));
  map(midi(FLZ_INPUT_PRESS, 0, 38, 127, 2));
  map(from(FLZ_SOURCE_GAMEPAD, FLZ_INPUT_PRESS, 1, FLZ_BUTTON_A, 1.0f, 5));
  assert_int_equal(map(midi(FLZ_INPUT_DEVICE_REMOVED, 0, 0, 0, 1)), 2);
  assert_action(&out[0], FLZ_MAPPING_RELEASE, 0, 0.0f, 1000);
  assert_action(&out[1], FLZ_MAPPING_RELEASE, 1, 0.0f, 1000);
  /* Device 2's note and the controller with the same number still hold. */
  assert_int_equal(map(from(FLZ_SOURCE_GAMEPAD, FLZ_INPUT_DEVICE_REMOVED, 1, 0, 0.0f, 9)), 1);
  assert_action(&out[0], FLZ_MAPPING_RELEASE, 0, 0.0f, 9);
  assert_int_equal(map(midi(FLZ_INPUT_RELEASE, 0, 38, 0, 2)), 1);
  assert_action(&out[0], FLZ_MAPPING_RELEASE, 2, 0.0f, 1000);
}

static void buttons_play_at_their_velocity_and_combos_switch_banks(void **s)
{
  (void)s;
  flz_config c;
  flz_config_init(&c);
  c.velocity = 0.5f;
  start(&c);
  assert_int_equal(map(from(FLZ_SOURCE_GAMEPAD, FLZ_INPUT_PRESS, 3, FLZ_BUTTON_DPAD_LEFT, 1.0f, 7)),
                   1);
  assert_action(&out[0], FLZ_MAPPING_PLAY, 10, 0.5f, 7);
  assert_int_equal(
    map(from(FLZ_SOURCE_GAMEPAD, FLZ_INPUT_RELEASE, 3, FLZ_BUTTON_DPAD_LEFT, 0.0f, 8)), 1);
  assert_action(&out[0], FLZ_MAPPING_RELEASE, 10, 0.0f, 8);
  /* Start held: d-pad right is bank up, d-pad left bank down, Y bank 4. */
  assert_int_equal(map(from(FLZ_SOURCE_GAMEPAD, FLZ_INPUT_PRESS, 3, FLZ_BUTTON_START, 1.0f, 9)), 0);
  assert_int_equal(
    map(from(FLZ_SOURCE_GAMEPAD, FLZ_INPUT_PRESS, 3, FLZ_BUTTON_DPAD_RIGHT, 1.0f, 10)), 0);
  assert_int_equal(flz_mapping_bank(&mapping), 2);
  map(from(FLZ_SOURCE_GAMEPAD, FLZ_INPUT_RELEASE, 3, FLZ_BUTTON_DPAD_RIGHT, 0.0f, 11));
  map(from(FLZ_SOURCE_GAMEPAD, FLZ_INPUT_PRESS, 3, FLZ_BUTTON_Y, 1.0f, 12));
  assert_int_equal(flz_mapping_bank(&mapping), 4);
  map(from(FLZ_SOURCE_GAMEPAD, FLZ_INPUT_PRESS, 3, FLZ_BUTTON_DPAD_LEFT, 1.0f, 13));
  assert_int_equal(flz_mapping_bank(&mapping), 3);
  /* Start held on another controller does not make a combo here. */
  assert_int_equal(
    map(from(FLZ_SOURCE_GAMEPAD, FLZ_INPUT_PRESS, 4, FLZ_BUTTON_DPAD_RIGHT, 1.0f, 14)), 1);
  assert_action(&out[0], FLZ_MAPPING_PLAY, 2 * 16 + 11, 0.5f, 14);
  /* Start let go: d-pad right is pad 12 again; Back stops everything. */
  map(from(FLZ_SOURCE_GAMEPAD, FLZ_INPUT_RELEASE, 3, FLZ_BUTTON_START, 0.0f, 15));
  assert_int_equal(
    map(from(FLZ_SOURCE_GAMEPAD, FLZ_INPUT_PRESS, 3, FLZ_BUTTON_DPAD_RIGHT, 1.0f, 16)), 1);
  assert_action(&out[0], FLZ_MAPPING_PLAY, 2 * 16 + 11, 0.5f, 16);
  assert_int_equal(map(from(FLZ_SOURCE_GAMEPAD, FLZ_INPUT_PRESS, 3, FLZ_BUTTON_BACK, 1.0f, 17)), 1);
  assert_action(&out[0], FLZ_MAPPING_STOP_ALL, 0, 0.0f, 17);
}

static void keys_play_pads_switch_banks_and_quit(void **s)
{
  (void)s;
  start(NULL);
  assert_int_equal(map(from(FLZ_SOURCE_KEYBOARD, FLZ_INPUT_PRESS, 0, 20, 1.0f, 3)), 1); /* Q */
  assert_action(&out[0], FLZ_MAPPING_PLAY, 4, 1.0f, 3);
  map(from(FLZ_SOURCE_KEYBOARD, FLZ_INPUT_PRESS, 0, 75, 1.0f, 4)); /* PageUp */
  assert_int_equal(flz_mapping_bank(&mapping), 2);
  assert_int_equal(map(from(FLZ_SOURCE_KEYBOARD, FLZ_INPUT_PRESS, 0, 25, 1.0f, 5)), 1); /* V */
  assert_action(&out[0], FLZ_MAPPING_PLAY, 31, 1.0f, 5);
  assert_int_equal(map(from(FLZ_SOURCE_KEYBOARD, FLZ_INPUT_RELEASE, 0, 20, 0.0f, 6)), 1);
  assert_action(&out[0], FLZ_MAPPING_RELEASE, 4, 0.0f, 6);
  map(from(FLZ_SOURCE_KEYBOARD, FLZ_INPUT_PRESS, 0, 78, 1.0f, 7)); /* PageDown */
  map(from(FLZ_SOURCE_KEYBOARD, FLZ_INPUT_PRESS, 0, 78, 1.0f, 8)); /* stays at 1 */
  assert_int_equal(flz_mapping_bank(&mapping), 1);
  map(from(FLZ_SOURCE_KEYBOARD, FLZ_INPUT_PRESS, 0, 69, 1.0f, 9)); /* F12 */
  assert_int_equal(flz_mapping_bank(&mapping), 12);
  assert_int_equal(map(from(FLZ_SOURCE_WINDOW, FLZ_INPUT_PRESS, 0, 2, 1.0f, 10)), 1);
  assert_action(&out[0], FLZ_MAPPING_PLAY, 11 * 16 + 2, 1.0f, 10);
  assert_int_equal(map(from(FLZ_SOURCE_KEYBOARD, FLZ_INPUT_PRESS, 0, 41, 1.0f, 11)), 1);
  assert_int_equal(out[0].type, FLZ_MAPPING_QUIT);
  assert_int_equal(flz_mapping_set_bank(&mapping, 17), 0);
  assert_int_equal(flz_mapping_set_bank(&mapping, 16), 1);
  map(from(FLZ_SOURCE_KEYBOARD, FLZ_INPUT_PRESS, 0, 75, 1.0f, 12)); /* stays at 16 */
  assert_int_equal(flz_mapping_bank(&mapping), 16);
}

static void small_banks_reach_every_slot(void **s)
{
  (void)s;
  flz_config c;
  flz_config_init(&c);
  c.bank_size = 4;
  start(&c);
  assert_int_equal(mapping.banks, 64);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 0, 40, 127, 1)), 0); /* pad 5 > size */
  flz_mapping_set_bank(&mapping, 64);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 0, 39, 127, 1)), 1); /* pad 4 */
  assert_action(&out[0], FLZ_MAPPING_PLAY, 255, 1.0f, 1127);
}

static const uint64_t ms = 1000000u;

static void trigger_velocity_is_the_travel_within_its_window(void **s)
{
  (void)s;
  start(NULL); /* threshold 0.1, window 8 ms; left trigger = pad 7 */
  uint64_t t0 = 1000 * ms;
  flz_input_event axis = from(FLZ_SOURCE_GAMEPAD, FLZ_INPUT_AXIS, 2, FLZ_AXIS_TRIGGER_LEFT, 0.05f,
                              t0 - ms);
  assert_int_equal(map(axis), 0);
  axis.value = 0.4f;
  axis.time_ns = t0;
  assert_int_equal(map(axis), 0);
  assert_int_equal(flz_mapping_deadline(&mapping, &state), t0 + 8 * ms);
  axis.value = 0.64f;
  axis.time_ns = t0 + 5 * ms;
  assert_int_equal(map(axis), 0);
  assert_int_equal(flz_mapping_tick(&mapping, &state, t0 + 8 * ms - 1, out), 0);
  assert_int_equal(flz_mapping_tick(&mapping, &state, t0 + 8 * ms, out), 1);
  assert_action(&out[0], FLZ_MAPPING_PLAY, 6, (0.64f - 0.1f) / (1.0f - 0.1f), t0 + 8 * ms);
  assert_int_equal(flz_mapping_deadline(&mapping, &state), 0);
  /* Travel after the window changes nothing; falling below half the
   * threshold releases and re-arms. */
  axis.value = 1.0f;
  axis.time_ns = t0 + 20 * ms;
  assert_int_equal(map(axis), 0);
  axis.value = 0.049f;
  axis.time_ns = t0 + 30 * ms;
  assert_int_equal(map(axis), 1);
  assert_action(&out[0], FLZ_MAPPING_RELEASE, 6, 0.0f, t0 + 30 * ms);

  /* A fast full pull: the window's first report is already at the end. The
   * next report after the window plays it (no tick needed) with the peak
   * from inside the window. */
  axis.control = FLZ_AXIS_TRIGGER_RIGHT;
  axis.value = 1.0f;
  axis.time_ns = t0 + 40 * ms;
  assert_int_equal(map(axis), 0);
  axis.value = 0.5f;
  axis.time_ns = t0 + 49 * ms;
  assert_int_equal(map(axis), 1);
  assert_action(&out[0], FLZ_MAPPING_PLAY, 7, 1.0f, t0 + 48 * ms);
  /* Let go inside a new window: it plays at once, then releases. */
  axis.value = 0.0f;
  axis.time_ns = t0 + 50 * ms;
  assert_int_equal(map(axis), 1);
  assert_action(&out[0], FLZ_MAPPING_RELEASE, 7, 0.0f, t0 + 50 * ms);
  axis.value = 0.1f;
  axis.time_ns = t0 + 60 * ms;
  assert_int_equal(map(axis), 0);
  axis.value = 0.0f;
  axis.time_ns = t0 + 61 * ms;
  assert_int_equal(map(axis), 2);
  assert_action(&out[0], FLZ_MAPPING_PLAY, 7, 1.0f / 127.0f, t0 + 68 * ms);
  /* The release is timed with the press, not before it. */
  assert_action(&out[1], FLZ_MAPPING_RELEASE, 7, 0.0f, t0 + 68 * ms);
}

static void trigger_with_no_window_plays_the_first_report(void **s)
{
  (void)s;
  flz_config c;
  flz_config_init(&c);
  c.trigger_window_ms = 0;
  c.trigger_threshold = 0.2f;
  start(&c);
  flz_input_event axis = from(FLZ_SOURCE_GAMEPAD, FLZ_INPUT_AXIS, 2, FLZ_AXIS_TRIGGER_RIGHT, 0.6f,
                              77);
  assert_int_equal(map(axis), 1);
  assert_action(&out[0], FLZ_MAPPING_PLAY, 7, (0.6f - 0.2f) / (1.0f - 0.2f), 77);
  /* A stick axis is no trigger. */
  axis.control = FLZ_AXIS_LEFT_X;
  assert_int_equal(map(axis), 0);
}

/* A multi-sample kit: pad 1 (two velocity layers) on key 36, pad 2 on keys
 * 38..40; each pad's own key is its lowest. */
static flz_kit_regions kit_regions;
static flz_kit_region kit_region_table[3];

static void set_kit(void)
{
  memset(&kit_regions, 0, sizeof kit_regions);
  memset(kit_region_table, 0, sizeof kit_region_table);
  static const uint8_t keys[3][4] = {{36, 36, 1, 63}, {36, 36, 64, 127}, {38, 40, 1, 127}};
  for (uint32_t r = 0; r < 3; r++)
    kit_region_table[r].region = (flz_region){.lokey = keys[r][0],
                                              .hikey = keys[r][1],
                                              .lovel = keys[r][2],
                                              .hivel = keys[r][3],
                                              .trigger = FLZ_TRIGGER_ATTACK};
  kit_regions.regions = kit_region_table;
  kit_regions.count = 3;
  kit_regions.pad_count = 2;
  kit_regions.pads[0] = (flz_pad_params){.first = 0, .count = 2};
  kit_regions.pads[1] = (flz_pad_params){.first = 2, .count = 1};
  kit_regions.pad_keys[0] = 36;
  kit_regions.pad_keys[1] = 38;
  flz_mapping_set_kit(&mapping, &kit_regions);
}

static void assert_kit_action(uint32_t type, uint32_t pad, uint32_t key, float value)
{
  assert_int_equal(out[0].type, type);
  assert_int_equal(out[0].pad, 1);
  assert_int_equal(out[0].slot, pad);
  assert_int_equal(out[0].key, key);
  assert_true(out[0].value == value);
}

static void a_multi_sample_kits_keys_play_its_pads_with_the_note(void **s)
{
  (void)s;
  start(NULL);
  set_kit();
  /* Notes: the pad of the key, pressed with the note; 37 is no pad's key,
   * and the default [notes] (36..51 = pads 1..16) do not apply. */
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 9, 39, 90, 1)), 1);
  assert_kit_action(FLZ_MAPPING_PLAY, 1, 39, 90.0f / 127.0f);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 9, 36, 40, 1)), 1);
  assert_kit_action(FLZ_MAPPING_PLAY, 0, 36, 40.0f / 127.0f);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 9, 37, 100, 1)), 0);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 9, 45, 100, 1)), 0);
  assert_int_equal(map(midi(FLZ_INPUT_RELEASE, 9, 39, 0, 1)), 1);
  assert_kit_action(FLZ_MAPPING_RELEASE, 1, 39, 0.0f);
  /* Keys and buttons play pads in order with the pad's own key, at their
   * velocity; a pad past the kit's plays nothing. */
  assert_int_equal(map(from(FLZ_SOURCE_KEYBOARD, FLZ_INPUT_PRESS, 0, 31, 1.0f, 3)), 1); /* 2 */
  assert_kit_action(FLZ_MAPPING_PLAY, 1, 38, 1.0f);
  assert_int_equal(map(from(FLZ_SOURCE_KEYBOARD, FLZ_INPUT_RELEASE, 0, 31, 0.0f, 4)), 1);
  assert_kit_action(FLZ_MAPPING_RELEASE, 1, 38, 0.0f);
  assert_int_equal(map(from(FLZ_SOURCE_GAMEPAD, FLZ_INPUT_PRESS, 1, FLZ_BUTTON_A, 1.0f, 5)), 1);
  assert_kit_action(FLZ_MAPPING_PLAY, 0, 36, mapping.config.velocity);
  assert_int_equal(map(from(FLZ_SOURCE_KEYBOARD, FLZ_INPUT_PRESS, 0, 32, 1.0f, 6)), 0); /* 3 */
  /* No kit: the folder's slots again. */
  flz_mapping_set_kit(&mapping, NULL);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 9, 37, 127, 2)), 1);
  assert_action(&out[0], FLZ_MAPPING_PLAY, 1, 1.0f, 1127);
  assert_int_equal(out[0].pad, 0);
}

static void a_notes_section_overrides_the_kits_keys(void **s)
{
  (void)s;
  flz_config c;
  flz_config_init(&c);
  memset(c.notes, 0, sizeof c.notes);
  c.notes[60] = (flz_config_rule){FLZ_CONFIG_PAD, 2};
  c.notes[36] = (flz_config_rule){FLZ_CONFIG_STOP_ALL, 0};
  start(&c);
  set_kit();
  /* Note 60 plays pad 2 with its key; 36's rule wins over the kit; 39 has
   * no rule and plays the kit's pad. */
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 0, 60, 127, 1)), 1);
  assert_kit_action(FLZ_MAPPING_PLAY, 1, 38, 1.0f);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 0, 36, 127, 1)), 1);
  assert_int_equal(out[0].type, FLZ_MAPPING_STOP_ALL);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 0, 39, 127, 1)), 1);
  assert_kit_action(FLZ_MAPPING_PLAY, 1, 39, 1.0f);
}

/* Overlapping key ranges: pad 1 on key 36, pad 2 on 30..40. Note 36
 * presses both, with the note, and its note off releases both; note 38
 * pad 2 alone. */
static void a_note_presses_and_releases_every_pad_that_takes_its_key(void **s)
{
  (void)s;
  start(NULL);
  set_kit();
  kit_region_table[2].region.lokey = 30;
  kit_regions.pad_keys[1] = 30;
  flz_mapping_set_kit(&mapping, &kit_regions);
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 9, 36, 127, 1)), 2);
  for (uint32_t pad = 0; pad < 2; pad++) {
    assert_int_equal(out[pad].type, FLZ_MAPPING_PLAY);
    assert_int_equal(out[pad].pad, 1);
    assert_int_equal(out[pad].slot, pad);
    assert_int_equal(out[pad].key, 36);
    assert_int_equal(out[pad].channel, 10);
    assert_true(out[pad].value == 1.0f);
  }
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 9, 38, 127, 1)), 1);
  assert_kit_action(FLZ_MAPPING_PLAY, 1, 38, 1.0f);
  assert_int_equal(map(midi(FLZ_INPUT_RELEASE, 9, 36, 0, 1)), 2);
  for (uint32_t pad = 0; pad < 2; pad++) {
    assert_int_equal(out[pad].type, FLZ_MAPPING_RELEASE);
    assert_int_equal(out[pad].slot, pad);
    assert_int_equal(out[pad].key, 36);
  }
  assert_int_equal(map(midi(FLZ_INPUT_RELEASE, 9, 38, 0, 1)), 1);
  assert_kit_action(FLZ_MAPPING_RELEASE, 1, 38, 0.0f);
  assert_int_equal(map(midi(FLZ_INPUT_RELEASE, 9, 36, 0, 1)), 0);
}

/* 18 pads: the second bank's first two are pads 17 and 18. */
static void a_multi_sample_kits_pads_page_by_bank(void **s)
{
  (void)s;
  start(NULL);
  static flz_kit_regions many;
  static flz_kit_region table[18];
  memset(&many, 0, sizeof many);
  for (uint32_t p = 0; p < 18; p++) {
    table[p].region = (flz_region){
      .lokey = (uint8_t)(36 + p), .hikey = (uint8_t)(36 + p), .lovel = 1, .hivel = 127};
    many.pads[p] = (flz_pad_params){.first = (uint16_t)p, .count = 1};
    many.pad_keys[p] = (uint8_t)(36 + p);
  }
  many.regions = table;
  many.count = 18;
  many.pad_count = 18;
  flz_mapping_set_kit(&mapping, &many);
  map(from(FLZ_SOURCE_KEYBOARD, FLZ_INPUT_PRESS, 0, 75, 1.0f, 1)); /* PageUp */
  assert_int_equal(flz_mapping_bank(&mapping), 2);
  assert_int_equal(map(from(FLZ_SOURCE_KEYBOARD, FLZ_INPUT_PRESS, 0, 31, 1.0f, 2)), 1); /* 2 */
  assert_kit_action(FLZ_MAPPING_PLAY, 17, 53, 1.0f);
  assert_int_equal(map(from(FLZ_SOURCE_KEYBOARD, FLZ_INPUT_PRESS, 0, 32, 1.0f, 3)), 0); /* 3 */
  /* A note plays its pad whatever the bank. */
  assert_int_equal(map(midi(FLZ_INPUT_PRESS, 0, 36, 127, 1)), 1);
  assert_kit_action(FLZ_MAPPING_PLAY, 0, 36, 1.0f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(gm_drum_notes_play_pads_and_release_what_they_pressed),
    cmocka_unit_test(a_multi_sample_kits_keys_play_its_pads_with_the_note),
    cmocka_unit_test(a_notes_section_overrides_the_kits_keys),
    cmocka_unit_test(a_note_presses_and_releases_every_pad_that_takes_its_key),
    cmocka_unit_test(a_multi_sample_kits_pads_page_by_bank),
    cmocka_unit_test(controllers_set_volume_banks_and_stop),
    cmocka_unit_test(controller_pad_rules_press_and_release),
    cmocka_unit_test(resample_presses_wait_for_the_control_thread),
    cmocka_unit_test(a_repeat_control_sets_the_rate_while_held),
    cmocka_unit_test(a_chain_control_plays_its_chain_at_the_press),
    cmocka_unit_test(aftertouch_of_a_pad_s_note_or_the_channel_is_pressure),
    cmocka_unit_test(channel_filter_keeps_one_channel),
    cmocka_unit_test(device_gone_releases_only_its_own_pads),
    cmocka_unit_test(buttons_play_at_their_velocity_and_combos_switch_banks),
    cmocka_unit_test(keys_play_pads_switch_banks_and_quit),
    cmocka_unit_test(small_banks_reach_every_slot),
    cmocka_unit_test(trigger_velocity_is_the_travel_within_its_window),
    cmocka_unit_test(trigger_with_no_window_plays_the_first_report),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
