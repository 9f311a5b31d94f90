/* tests/platform/test_input.c: platform/input.h through real SDL, with no
 * window: SDL's virtual joystick plays the game controller, SDL_PushEvent
 * the keyboard and file drops, raise() the signals.
 * Owns: these tests only; touches nothing outside platform/input.h and SDL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>
#include <signal.h>
#include <string.h>

#include "engine/result.h"
#include "platform/clock.h"
#include "platform/input.h"
#include "tests/app/virtualpad.h"

/* How long a test waits for an event it expects: far longer than SDL needs
 * (it polls joysticks every millisecond), so only a missing event fails. */
#define EXPECT_MS 2000

static const char pad_name[] = "Flitz test pad";

static int setup_input(void **state)
{
  (void)state;
  char detail[256] = "";
  if (flz_input_open(detail, sizeof detail) != FLZ_OK) {
    print_error("flz_input_open: %s\n", detail);
    return -1;
  }
  return 0;
}

static int teardown_input(void **state)
{
  (void)state;
  flz_input_close();
  return 0;
}

/* The next event Flitz uses, which must come within EXPECT_MS. */
static flz_input_event next_event(void)
{
  flz_input_event event;
  assert_int_equal(flz_input_wait(&event, EXPECT_MS), 1);
  return event;
}

/* Plugs in a virtual game controller with every standard button and axis,
 * left for input.c to open, and returns its device index. */
static int attach_pad(void)
{
  int index = flz_virtualpad_plug(pad_name);
  assert_true(index >= 0);
  return index;
}

/* Attaches a pad, takes its DEVICE_ADDED and returns its instance id. */
static int32_t attach_and_announce(void)
{
  int index = attach_pad();
  flz_input_event added = next_event();
  assert_int_equal(added.type, FLZ_INPUT_DEVICE_ADDED);
  assert_int_equal(added.device, SDL_JoystickGetDeviceInstanceID(index));
  return added.device;
}

static void a_virtual_gamepad_is_announced_with_its_name(void **state)
{
  (void)state;
  int index = attach_pad();
  flz_input_event added = next_event();
  assert_int_equal(added.source, FLZ_SOURCE_GAMEPAD);
  assert_int_equal(added.type, FLZ_INPUT_DEVICE_ADDED);
  assert_int_equal(added.device, SDL_JoystickGetDeviceInstanceID(index));
  assert_string_equal(added.name, pad_name);
  assert_non_null(SDL_GameControllerFromInstanceID(added.device)); /* input.c opened it */
}

static void button_a_presses_and_releases_with_the_time_it_was_taken(void **state)
{
  (void)state;
  int32_t device = attach_and_announce();
  SDL_Joystick *joystick = SDL_JoystickFromInstanceID(device);
  assert_non_null(joystick);

  uint64_t before = flz_clock_now_ns();
  assert_int_equal(SDL_JoystickSetVirtualButton(joystick, SDL_CONTROLLER_BUTTON_A, 1), 0);
  flz_input_event press = next_event();
  uint64_t after = flz_clock_now_ns();
  assert_int_equal(press.source, FLZ_SOURCE_GAMEPAD);
  assert_int_equal(press.type, FLZ_INPUT_PRESS);
  assert_int_equal(press.device, device);
  assert_int_equal(press.control, FLZ_BUTTON_A);
  assert_true(press.value == 1.0f);
  assert_in_range(press.time_ns, before, after);

  assert_int_equal(SDL_JoystickSetVirtualButton(joystick, SDL_CONTROLLER_BUTTON_A, 0), 0);
  flz_input_event release = next_event();
  assert_int_equal(release.type, FLZ_INPUT_RELEASE);
  assert_int_equal(release.device, device);
  assert_int_equal(release.control, FLZ_BUTTON_A);
  assert_true(release.value == 0.0f);
}

static void the_right_trigger_reports_its_position_from_0_to_1(void **state)
{
  (void)state;
  int32_t device = attach_and_announce();
  SDL_Joystick *joystick = SDL_JoystickFromInstanceID(device);
  assert_non_null(joystick);

  assert_int_equal(
    SDL_JoystickSetVirtualAxis(joystick, SDL_CONTROLLER_AXIS_TRIGGERRIGHT, SDL_JOYSTICK_AXIS_MAX),
    0);
  flz_input_event full = next_event();
  assert_int_equal(full.source, FLZ_SOURCE_GAMEPAD);
  assert_int_equal(full.type, FLZ_INPUT_AXIS);
  assert_int_equal(full.device, device);
  assert_int_equal(full.control, FLZ_AXIS_TRIGGER_RIGHT);
  assert_true(full.value == 1.0f);

  assert_int_equal(
    SDL_JoystickSetVirtualAxis(joystick, SDL_CONTROLLER_AXIS_TRIGGERRIGHT, SDL_JOYSTICK_AXIS_MIN),
    0);
  flz_input_event rest = next_event();
  assert_int_equal(rest.control, FLZ_AXIS_TRIGGER_RIGHT);
  assert_true(rest.value == 0.0f);
}

static void a_stick_pushed_fully_left_reports_minus_1(void **state)
{
  (void)state;
  int32_t device = attach_and_announce();
  SDL_Joystick *joystick = SDL_JoystickFromInstanceID(device);
  assert_non_null(joystick);

  assert_int_equal(
    SDL_JoystickSetVirtualAxis(joystick, SDL_CONTROLLER_AXIS_LEFTX, SDL_JOYSTICK_AXIS_MIN), 0);
  flz_input_event left = next_event();
  assert_int_equal(left.type, FLZ_INPUT_AXIS);
  assert_int_equal(left.control, FLZ_AXIS_LEFT_X);
  assert_true(left.value == -1.0f); /* -32768 / 32767, clamped */
}

static void unplugging_and_plugging_again_is_announced_each_time(void **state)
{
  (void)state;
  int32_t first = attach_and_announce();
  assert_int_equal(flz_input_list_controllers(NULL, NULL), 1);

  assert_int_equal(SDL_JoystickDetachVirtual(0), 0);
  flz_input_event removed = next_event();
  assert_int_equal(removed.source, FLZ_SOURCE_GAMEPAD);
  assert_int_equal(removed.type, FLZ_INPUT_DEVICE_REMOVED);
  assert_int_equal(removed.device, first);
  assert_null(SDL_GameControllerFromInstanceID(first)); /* input.c closed it */
  assert_int_equal(flz_input_list_controllers(NULL, NULL), 0);

  int index = attach_pad();
  flz_input_event again = next_event();
  assert_int_equal(again.type, FLZ_INPUT_DEVICE_ADDED);
  assert_int_equal(again.device, SDL_JoystickGetDeviceInstanceID(index));
  assert_int_not_equal(again.device, first); /* SDL never reuses an instance id */
  assert_string_equal(again.name, pad_name);
}

static void unplugging_a_pad_with_a_button_held_releases_it_before_removal(void **state)
{
  (void)state;
  int32_t device = attach_and_announce();
  SDL_Joystick *joystick = SDL_JoystickFromInstanceID(device);
  assert_non_null(joystick);
  assert_int_equal(SDL_JoystickSetVirtualButton(joystick, SDL_CONTROLLER_BUTTON_B, 1), 0);
  assert_int_equal(next_event().type, FLZ_INPUT_PRESS);

  assert_int_equal(SDL_JoystickDetachVirtual(0), 0);
  flz_input_event release = next_event();
  assert_int_equal(release.type, FLZ_INPUT_RELEASE);
  assert_int_equal(release.control, FLZ_BUTTON_B);
  assert_int_equal(release.device, device);
  flz_input_event removed = next_event();
  assert_int_equal(removed.type, FLZ_INPUT_DEVICE_REMOVED);
  assert_int_equal(removed.device, device);
}

typedef struct listed {
  int calls;
  int32_t device;
  char name[64];
} listed;

static void remember(void *user, int32_t device, const char *name)
{
  listed *seen = user;
  seen->calls++;
  seen->device = device;
  snprintf(seen->name, sizeof seen->name, "%s", name);
}

static void listing_names_each_connected_controller(void **state)
{
  (void)state;
  int32_t device = attach_and_announce();
  listed seen = {0};
  assert_int_equal(flz_input_list_controllers(remember, &seen), 1);
  assert_int_equal(seen.calls, 1);
  assert_int_equal(seen.device, device);
  assert_string_equal(seen.name, pad_name);
}

static void push_key(Uint32 type, SDL_Scancode scancode, Uint8 repeat)
{
  SDL_Event event;
  SDL_zero(event);
  event.type = type;
  event.key.state = type == SDL_KEYDOWN ? SDL_PRESSED : SDL_RELEASED;
  event.key.repeat = repeat;
  event.key.keysym.scancode = scancode;
  assert_int_equal(SDL_PushEvent(&event), 1);
}

static void keys_press_and_release_by_scancode_and_repeats_are_skipped(void **state)
{
  (void)state;
  push_key(SDL_KEYDOWN, SDL_SCANCODE_Q, 0);
  push_key(SDL_KEYDOWN, SDL_SCANCODE_Q, 1);
  push_key(SDL_KEYUP, SDL_SCANCODE_Q, 0);

  flz_input_event press = next_event();
  assert_int_equal(press.source, FLZ_SOURCE_KEYBOARD);
  assert_int_equal(press.type, FLZ_INPUT_PRESS);
  assert_int_equal(press.control, 20); /* USB HID usage of the key Q */
  assert_int_equal(press.device, 0);
  assert_true(press.value == 1.0f);

  flz_input_event release = next_event();
  assert_int_equal(release.type, FLZ_INPUT_RELEASE);
  assert_int_equal(release.control, 20);

  flz_input_event none;
  assert_int_equal(flz_input_wait(&none, 0), 0);
}

static void push_drop(const char *path)
{
  SDL_Event event;
  SDL_zero(event);
  event.type = SDL_DROPFILE;
  event.drop.file = SDL_strdup(path);
  assert_int_equal(SDL_PushEvent(&event), 1);
}

static void a_dropped_file_arrives_with_its_path_and_too_long_paths_are_skipped(void **state)
{
  (void)state;
  char too_long[300];
  memset(too_long, 'a', sizeof too_long - 1);
  too_long[0] = '/';
  too_long[sizeof too_long - 1] = '\0';
  push_drop(too_long);
  push_drop("/tmp/kit/kick.wav");

  flz_input_event drop = next_event();
  assert_int_equal(drop.source, FLZ_SOURCE_WINDOW);
  assert_int_equal(drop.type, FLZ_INPUT_DROP_FILE);
  assert_string_equal(drop.name, "/tmp/kit/kick.wav");
  assert_int_equal(drop.control, -1); /* no window: over no pad */
}

static void events_flitz_does_not_use_are_skipped_until_the_timeout(void **state)
{
  (void)state;
  SDL_Event user;
  SDL_zero(user);
  user.type = SDL_USEREVENT;
  assert_int_equal(SDL_PushEvent(&user), 1);
  flz_input_event event;
  uint64_t before = flz_clock_now_ns();
  assert_int_equal(flz_input_wait(&event, 30), 0);
  assert_true(flz_clock_now_ns() - before >= 30000000u);
}

/* SDL installs its handler only over the default disposition; a shell may
 * start a test in the background with SIGINT ignored, so the test restores
 * the default before SDL's event subsystem starts. */
static int setup_input_with_default_signals(void **state)
{
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  return setup_input(state);
}

static void sigint_arrives_as_quit(void **state)
{
  (void)state;
  assert_int_equal(raise(SIGINT), 0);
  flz_input_event quit = next_event();
  assert_int_equal(quit.source, FLZ_SOURCE_WINDOW);
  assert_int_equal(quit.type, FLZ_INPUT_QUIT);
}

static void sigterm_arrives_as_quit(void **state)
{
  (void)state;
  assert_int_equal(raise(SIGTERM), 0);
  flz_input_event quit = next_event();
  assert_int_equal(quit.type, FLZ_INPUT_QUIT);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(a_virtual_gamepad_is_announced_with_its_name, setup_input,
                                    teardown_input),
    cmocka_unit_test_setup_teardown(button_a_presses_and_releases_with_the_time_it_was_taken,
                                    setup_input, teardown_input),
    cmocka_unit_test_setup_teardown(the_right_trigger_reports_its_position_from_0_to_1, setup_input,
                                    teardown_input),
    cmocka_unit_test_setup_teardown(a_stick_pushed_fully_left_reports_minus_1, setup_input,
                                    teardown_input),
    cmocka_unit_test_setup_teardown(unplugging_and_plugging_again_is_announced_each_time,
                                    setup_input, teardown_input),
    cmocka_unit_test_setup_teardown(unplugging_a_pad_with_a_button_held_releases_it_before_removal,
                                    setup_input, teardown_input),
    cmocka_unit_test_setup_teardown(listing_names_each_connected_controller, setup_input,
                                    teardown_input),
    cmocka_unit_test_setup_teardown(keys_press_and_release_by_scancode_and_repeats_are_skipped,
                                    setup_input, teardown_input),
    cmocka_unit_test_setup_teardown(
      a_dropped_file_arrives_with_its_path_and_too_long_paths_are_skipped, setup_input,
      teardown_input),
    cmocka_unit_test_setup_teardown(events_flitz_does_not_use_are_skipped_until_the_timeout,
                                    setup_input, teardown_input),
    cmocka_unit_test_setup_teardown(sigint_arrives_as_quit, setup_input_with_default_signals,
                                    teardown_input),
    cmocka_unit_test_setup_teardown(sigterm_arrives_as_quit, setup_input_with_default_signals,
                                    teardown_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
