/* tests/app/test_pattern_live.c: the pattern recorder in the live sampler
 * (app/run.c with SDL's disk audio driver, in-process): a press recorded
 * into pattern 1 is saved in the kit folder when flitz ends (it ends the
 * recording and waits for the save), and after a restart the kit's pattern
 * 1, chosen, plays pad 1 with no press. The kit is one click written with
 * platform/wav_file.h. Its own program: SDL's audio driver is chosen once
 * per process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include "app/run.h"
#include "engine/result.h"
#include "platform/clock.h"
#include "platform/wav_file.h"

typedef struct fixture {
  char dir[64];
  char kit[96];
} fixture;

static void write_text(const char *path, const char *text)
{
  FILE *file = fopen(path, "w");
  assert_non_null(file);
  assert_true(fputs(text, file) >= 0);
  assert_int_equal(fclose(file), 0);
}

/* The live sampler's run (SDL's disk driver): a tick hook that records a
 * press of pad 1 and quits (flitz then ends the recording and saves it), or
 * chooses pattern 1 and waits for it to play pad 1 with no press. */
typedef struct live {
  int play; /* 0: record a press; 1: choose pattern 1 */
  int sent;
  uint64_t sent_ns;
  uint32_t played; /* voices pad 1 started */
} live;

static void live_tick(void *user, flz_run_state *state)
{
  live *l = user;
  if (!l->sent && state->pads_loaded == 1) {
    flz_command record = {.type = FLZ_COMMAND_RECORD, .offset = FLZ_RECORD_ON};
    flz_command press = {.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = 0, .value = 1.0f};
    flz_command choose = {.type = FLZ_COMMAND_PATTERN, .slot = 0};
    if (l->play) {
      assert_int_equal(flz_sampler_command(state->sampler, &choose), FLZ_OK);
    } else {
      assert_int_equal(flz_sampler_command(state->sampler, &record), FLZ_OK);
      assert_int_equal(flz_sampler_command(state->sampler, &press), FLZ_OK);
    }
    l->sent = 1;
    l->sent_ns = flz_clock_now_ns();
  }
  /* A bar at 120 BPM is 2 s: the pattern plays its hit within one. */
  l->played = state->started[0];
  if (state->started[0] >= 1 || (l->sent && flz_clock_now_ns() - l->sent_ns > 5000000000u) ||
      state->loops > 3000)
    state->quit = 1;
}

/* Runs the live sampler on the fixture's kit; returns the voices pad 1
 * started. */
static uint32_t live_run(const fixture *f, int play)
{
  char config[160], raw[160];
  snprintf(config, sizeof config, "%s/flitz.ini", f->dir);
  write_text(config, "[audio]\nrate = 48000\nperiod = 256\n[midi]\nsequencer = false\n");
  snprintf(raw, sizeof raw, "%s/out.raw", f->dir);
  setenv("SDL_AUDIODRIVER", "disk", 1);
  setenv("SDL_DISKAUDIOFILE", raw, 1);
  flz_options options;
  flz_options_init(&options);
  options.headless = 1;
  options.no_fallback = 1;
  options.config_path = config;
  live l = {.play = play};
  flz_run_hooks hooks = {.tick = live_tick, .user = &l};
  assert_int_equal(flz_run(&options, f->kit, &hooks), 0);
  return l.played;
}

static void test_the_live_sampler_saves_a_recording_and_plays_it_after_a_restart(void **state)
{
  fixture *f = *state;
  assert_int_equal(live_run(f, 0), 1); /* the press */
  char path[160];
  snprintf(path, sizeof path, "%s/pattern-01.txt", f->kit);
  static char text[4096];
  FILE *file = fopen(path, "r");
  assert_non_null(file);
  size_t size = fread(text, 1, sizeof text - 1, file);
  fclose(file);
  text[size] = '\0';
  /* One hit, where in the bar depends on when the loop sent it. */
  assert_true(strncmp(text, "# flitz pattern 1 bars 1\n0 tempo 120\n", 37) == 0);
  assert_non_null(strstr(text + 37, " play 1 1\n"));
  assert_int_equal(live_run(f, 1), 1); /* no press: the pattern played it */
}

int main(void)
{
  static fixture f;
  snprintf(f.dir, sizeof f.dir, "/tmp/flz-pattern-live-XXXXXX");
  assert_non_null(mkdtemp(f.dir));
  snprintf(f.kit, sizeof f.kit, "%s/kit", f.dir);
  assert_int_equal(mkdir(f.kit, 0755), 0);
  static const float click[4] = {0.5f, 0.0f, 0.0f, 0.0f};
  char path[160];
  snprintf(path, sizeof path, "%s/1.wav", f.kit);
  flz_wav_file wav;
  assert_int_equal(flz_wav_file_open(&wav, path, FLZ_WAV_FLOAT32, 1, 48000), FLZ_OK);
  assert_int_equal(flz_wav_file_write(&wav, click, 4), FLZ_OK);
  assert_int_equal(flz_wav_file_close(&wav), FLZ_OK);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_prestate(test_the_live_sampler_saves_a_recording_and_plays_it_after_a_restart,
                              &f),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  char command[128];
  snprintf(command, sizeof command, "rm -rf '%s'", f.dir);
  if (system(command) != 0)
    failed++;
  return failed;
}
