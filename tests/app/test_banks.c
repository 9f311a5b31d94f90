/* tests/app/test_banks.c: a kit's kit.ini bank_size in the live app. A copy
 * of the default kit whose kit.ini says bank_size = 8, played with the
 * built-in configuration (banks of the default size): Page Up selects bank
 * 2, and key 1 then plays pad 1 of bank 2, kit pad 9 (slot 8), not pad 17.
 * Keys come from SDL_PushEvent; the audio goes to SDL's disk driver. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include <SDL.h>

#include "app/run.h"

#include "liverun.h"
#include "tempdir.h"

typedef struct flz_banks_test {
  int phase; /* 0 loading, 1 Page Up pressed, 2 key 1 pressed, 3 done */
  const char *failed;
} flz_banks_test;

static void flz_banks_key(SDL_Scancode code)
{
  SDL_Event event;
  SDL_zero(event);
  event.type = SDL_KEYDOWN;
  event.key.state = SDL_PRESSED;
  event.key.keysym.scancode = code;
  SDL_PushEvent(&event);
  event.type = SDL_KEYUP;
  event.key.state = SDL_RELEASED;
  SDL_PushEvent(&event);
}

static void flz_banks_tick(void *user, flz_run_state *state)
{
  static const char *const waits[] = {
    "the kit did not load",
    "Page Up did not select bank 2",
    "key 1 of bank 2 did not play kit pad 9 (slot 8)",
  };
  flz_banks_test *t = user;
  if (t->phase == 0 && state->pads_loaded == 16) {
    flz_banks_key(SDL_SCANCODE_PAGEUP);
    t->phase = 1;
  } else if (t->phase == 1 && state->bank == 2) {
    flz_banks_key(SDL_SCANCODE_1);
    t->phase = 2;
  } else if (t->phase == 2 && state->started[8] == 1) {
    t->phase = 3;
  }
  if (t->phase < 3 && state->loops > 500) /* 5 s: end rather than hang */
    t->failed = waits[t->phase];
  if (t->phase == 3 || t->failed != NULL)
    state->quit = 1;
}

static void a_kits_bank_size_sets_the_banks(void **unused)
{
  (void)unused;
  char dir[64];
  flz_tempdir_make(dir, sizeof dir, "flitz-banks");
  char kit[96], path[128];
  snprintf(kit, sizeof kit, "%s/kit", dir);
  flz_tempdir_link(FLZ_DEFAULT_KIT_DIR, kit, "kit.ini");
  snprintf(path, sizeof path, "%s/kit.ini", kit);
  flz_tempdir_write(path, "[kit]\nbank_size = 8\n");
  flz_liverun run;
  flz_liverun_init(&run, dir, 0);

  static flz_banks_test t;
  flz_run_hooks hooks = {.tick = flz_banks_tick, .user = &t};
  assert_int_equal(flz_run(&run.options, kit, &hooks), 0);
  if (t.failed != NULL)
    fail_msg("%s", t.failed);
  flz_tempdir_remove(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_kits_bank_size_sets_the_banks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
