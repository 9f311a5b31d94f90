/* tests/app/test_triggers.c: every input source end to end through the live
 * app in this process (flz_run, headless, SDL's disk audio driver): MIDI
 * through a FIFO (--midi-in), whose writer closes and comes back; keys
 * through injected SDL key events; a virtual game controller's buttons,
 * MODIFIER+BUTTON bank switch and analog trigger velocity, unplugged while
 * a gate pad is held and plugged back in; program change and keys switching
 * banks. A phase machine in the loop's tick hook drives it; each phase waits
 * for what the engine reports (voices started and ended, their velocity) and
 * fails with its name if that does not come within 3 s. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <SDL.h>

#include "app/run.h"
#include "engine/result.h"
#include "liverun.h"
#include "platform/clock.h"
#include "tempdir.h"
#include "virtualpad.h"

/* Slots of the default kit: 0 kick, 1 snare, 5 low tom, 6 mid tom (the left
 * trigger's pad 7), 12 the 2 s bass loop (made a gate pad here). */
#define GATE_SLOT 12

typedef struct script {
  int phase;
  uint64_t phase_ns;  /* when the phase began */
  uint64_t mark_ns;   /* a time a phase keeps */
  uint32_t mark;      /* a count a phase keeps */
  const char *failed; /* the phase that timed out */
  const char *fifo;   /* the run's FIFO, flitz.ini's [midi] input */
  int fd;             /* the FIFO's writer, -1 closed */
  flz_virtualpad pad;
  float trigger_velocity;
  uint64_t gate_ended_ms; /* how long the gate pad sounded after its device went */
  uint32_t banks_seen;    /* bit b: bank b + 1 was current */
} script;

static void next(script *s, int phase)
{
  s->phase = phase;
  s->phase_ns = flz_clock_now_ns();
}

static void midi_write(script *s, const uint8_t *bytes, size_t count)
{
  if (write(s->fd, bytes, count) != (ssize_t)count)
    s->failed = "write to the FIFO";
}

static int open_writer(script *s)
{
  s->fd = open(s->fifo, O_WRONLY | O_NONBLOCK);
  if (s->fd < 0)
    return 0; /* no reader yet: try again next loop */
  (void)fcntl(s->fd, F_SETFL, 0);
  return 1;
}

static void key(SDL_Scancode code, int down)
{
  SDL_Event event;
  SDL_zero(event);
  event.type = down ? SDL_KEYDOWN : SDL_KEYUP;
  event.key.state = down ? SDL_PRESSED : SDL_RELEASED;
  event.key.keysym.scancode = code;
  SDL_PushEvent(&event);
}

static void make_gate(flz_run_state *state, uint32_t slot)
{
  flz_command command;
  memset(&command, 0, sizeof command);
  command.type = FLZ_COMMAND_SET_SLOT;
  command.slot = slot;
  command.params.mode = FLZ_MODE_GATE;
  flz_sampler_send(state->sampler, FLZ_PRODUCER_CONTROL, &command);
}

enum {
  LOADING,
  OPEN_FIFO,
  MIDI_NOTE,
  MIDI_GATE,
  GATE_HELD,
  WRITER_GONE,
  WRITER_BACK,
  PROGRAM_BANK,
  BANK_BACK,
  KEYS,
  KEY_BANK,
  PAD_ATTACHED,
  PAD_GATE,
  PAD_UNPLUGGED,
  PAD_BACK,
  TRIGGER,
  TRIGGER_RELEASE,
  COMBO,
  DONE
};

static const char *const names[] = {
  "loading",     "open fifo",       "midi note",    "midi gate",     "gate held",
  "writer gone", "writer back",     "program bank", "bank back",     "keys",
  "key bank",    "pad attached",    "pad gate",     "pad unplugged", "pad back",
  "trigger",     "trigger release", "combo",        "done"};

static void tick(void *user, flz_run_state *state)
{
  script *s = user;
  uint64_t now = flz_clock_now_ns();
  s->banks_seen |= 1u << (state->bank - 1);
  if (s->failed == NULL && s->phase != DONE && now - s->phase_ns > 3000000000u)
    s->failed = names[s->phase];
  if (s->failed != NULL) {
    state->quit = 1;
    return;
  }
  static const uint8_t kick[] = {0x99, 36, 100};    /* pad 1, velocity 100 */
  static const uint8_t bass_on[] = {0x99, 48, 127}; /* pad 13 */
  static const uint8_t snare[] = {0x99, 37, 127};   /* pad 2 */
  static const uint8_t bank2[] = {0xC9, 1};         /* program 1: bank 2 */
  static const uint8_t bank1[] = {0xC9, 0};
  switch (s->phase) {
  case LOADING:
    if (state->pads_loaded == 16) {
      make_gate(state, GATE_SLOT);
      next(s, OPEN_FIFO);
    }
    break;
  case OPEN_FIFO:
    if (open_writer(s)) {
      midi_write(s, kick, sizeof kick);
      next(s, MIDI_NOTE);
    }
    break;
  case MIDI_NOTE:
    if (state->started[0] == 1) {
      if (state->velocity[0] != 100.0f / 127.0f)
        s->failed = "midi note velocity";
      midi_write(s, bass_on, sizeof bass_on);
      next(s, MIDI_GATE);
    }
    break;
  case MIDI_GATE:
    if (state->voices[GATE_SLOT] == 1) {
      /* The writer goes away with the note held: it must be released. */
      close(s->fd);
      s->fd = -1;
      s->mark_ns = now;
      next(s, WRITER_GONE);
    }
    break;
  case WRITER_GONE:
    if (state->voices[GATE_SLOT] == 0) {
      s->gate_ended_ms = (now - s->mark_ns) / 1000000u;
      next(s, WRITER_BACK);
    }
    break;
  case WRITER_BACK:
    if (s->fd < 0 && open_writer(s))
      midi_write(s, snare, sizeof snare);
    if (state->started[1] == 1) {
      midi_write(s, bank2, sizeof bank2);
      next(s, PROGRAM_BANK);
    }
    break;
  case PROGRAM_BANK:
    if (state->bank == 2) {
      midi_write(s, bank1, sizeof bank1);
      next(s, BANK_BACK);
    }
    break;
  case BANK_BACK:
    if (state->bank == 1) {
      key(SDL_SCANCODE_W, 1); /* pad 6 */
      next(s, KEYS);
    }
    break;
  case KEYS:
    if (state->started[5] == 1) {
      key(SDL_SCANCODE_W, 0);
      key(SDL_SCANCODE_PAGEUP, 1);
      key(SDL_SCANCODE_PAGEUP, 0);
      next(s, KEY_BANK);
    }
    break;
  case KEY_BANK:
    if (state->bank == 2) {
      key(SDL_SCANCODE_PAGEDOWN, 1);
      key(SDL_SCANCODE_PAGEDOWN, 0);
      flz_virtualpad_attach(&s->pad, "Flitz trigger pad");
      s->mark = 0;
      next(s, PAD_ATTACHED);
    }
    break;
  case PAD_ATTACHED:
    /* The controller is opened by the loop a few turns after it appears. */
    if (state->bank == 1 && ++s->mark == 30) {
      SDL_JoystickSetVirtualButton(s->pad.joystick, SDL_CONTROLLER_BUTTON_DPAD_UP, 1);
      next(s, PAD_GATE);
    }
    break;
  case PAD_GATE:
    if (state->voices[GATE_SLOT] == 1) {
      flz_virtualpad_detach(&s->pad); /* unplugged with the gate pad held */
      s->mark_ns = now;
      next(s, PAD_UNPLUGGED);
    }
    break;
  case PAD_UNPLUGGED:
    if (state->voices[GATE_SLOT] == 0) {
      if ((now - s->mark_ns) / 1000000u > s->gate_ended_ms)
        s->gate_ended_ms = (now - s->mark_ns) / 1000000u;
      flz_virtualpad_attach(&s->pad, "Flitz trigger pad");
      s->mark = 0;
      next(s, PAD_BACK);
    }
    break;
  case PAD_BACK:
    if (++s->mark == 30)
      SDL_JoystickSetVirtualButton(s->pad.joystick, SDL_CONTROLLER_BUTTON_A, 1);
    if (state->started[0] == 2) {
      SDL_JoystickSetVirtualButton(s->pad.joystick, SDL_CONTROLLER_BUTTON_A, 0);
      /* Half way in one step (raw 0 of -32768..32767 is SDL's trigger
       * value 16383 of 0..32767). */
      SDL_JoystickSetVirtualAxis(s->pad.joystick, SDL_CONTROLLER_AXIS_TRIGGERLEFT, 0);
      s->mark = 0;
      next(s, TRIGGER);
    }
    break;
  case TRIGGER:
    if (state->started[6] == 1) {
      s->trigger_velocity = state->velocity[6];
      SDL_JoystickSetVirtualAxis(s->pad.joystick, SDL_CONTROLLER_AXIS_TRIGGERLEFT,
                                 SDL_JOYSTICK_AXIS_MIN);
      next(s, TRIGGER_RELEASE);
    }
    break;
  case TRIGGER_RELEASE:
    if (++s->mark == 5) {
      SDL_JoystickSetVirtualButton(s->pad.joystick, SDL_CONTROLLER_BUTTON_START, 1);
    } else if (s->mark == 8) {
      SDL_JoystickSetVirtualButton(s->pad.joystick, SDL_CONTROLLER_BUTTON_DPAD_RIGHT, 1);
      next(s, COMBO);
    }
    break;
  case COMBO:
    if (state->bank == 2) {
      SDL_JoystickSetVirtualButton(s->pad.joystick, SDL_CONTROLLER_BUTTON_DPAD_RIGHT, 0);
      SDL_JoystickSetVirtualButton(s->pad.joystick, SDL_CONTROLLER_BUTTON_START, 0);
      next(s, DONE);
    }
    break;
  default:
    flz_virtualpad_detach(&s->pad);
    state->quit = 1;
    break;
  }
}

static void every_source_triggers_pads_and_survives_unplugging(void **unused)
{
  (void)unused;
  char dir[64];
  flz_tempdir_make(dir, sizeof dir, "flitz-triggers");
  flz_liverun run;
  flz_liverun_init(&run, dir, FLZ_LIVERUN_FIFO);
  static script s;
  memset(&s, 0, sizeof s);
  s.fd = -1;
  s.fifo = run.fifo;
  char config[512];
  int n = snprintf(config, sizeof config,
                   "[midi]\nsequencer = false\ninput = %s\n"
                   "[buttons]\na = 1\ndpup = 13\nlefttrigger = 7\nstart+dpright = bank-up\n",
                   run.fifo);
  assert_true(n > 0 && (size_t)n < sizeof config);
  flz_liverun_config(&run, config);

  next(&s, LOADING);
  flz_run_hooks hooks = {.tick = tick, .user = &s};
  assert_int_equal(flz_run(&run.options, FLZ_DEFAULT_KIT_DIR, &hooks), 0);
  if (s.fd >= 0)
    close(s.fd);
  if (s.failed != NULL)
    fail_msg("phase '%s' did not happen within 3 s", s.failed);
  assert_int_equal(s.phase, DONE);
  /* Released on unplug, long before the 2 s sample would have ended (the
   * release fades over 3 ms; the rest is the loop's turn and the period). */
  assert_true(s.gate_ended_ms < 500);
  /* SDL's trigger value for raw 0 is 16383 / 32767 (its integer scaling);
   * velocity = (value - 0.1) / 0.9 by the trigger rule (app/mapping.h). The
   * tolerance is one step of the 15-bit trigger value. */
  float value = 16383.0f / 32767.0f;
  float expected = (value - 0.1f) / 0.9f;
  assert_true(s.trigger_velocity > expected - 1.0f / 32767.0f &&
              s.trigger_velocity < expected + 1.0f / 32767.0f);
  assert_true(s.banks_seen & (1u << 1));

  /* What was played reached SDL's disk driver. */
  size_t frames = 0;
  float *out = flz_liverun_output(&run, &frames);
  uint32_t nonzero = 0;
  for (size_t i = 0; i < frames; i++)
    nonzero += out[2 * i] != 0.0f;
  free(out);
  assert_true(nonzero > 48000 / 10);
  flz_liverun_deinit(&run);
  flz_tempdir_remove(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_source_triggers_pads_and_survives_unplugging),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
