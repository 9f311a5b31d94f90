/* tests/app/test_pattern_live.c: the pattern recorder in the live sampler
 * (app/run.c with SDL's disk audio driver, in-process): a press recorded
 * into pattern 1 is saved in the kit folder when flitz ends (it ends the
 * recording and waits for the save), and after a restart the kit's pattern
 * 1, chosen, plays pad 1 with no press; a chain control mapped in
 * flitz.ini and played by MIDI plays its patterns in turn. The kit is two
 * clicks written with platform/wav_file.h. Its own program: SDL's audio driver is chosen once
 * per process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/run.h"
#include "engine/result.h"
#include "platform/clock.h"
#include "platform/wav_file.h"

#include "liverun.h"
#include "tempdir.h"

typedef struct fixture {
  char dir[64];
  char kit[96];
} fixture;

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
  if (!l->sent && state->kits_ready > 0) {
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
  flz_liverun run;
  flz_liverun_init(&run, f->dir, 0);
  flz_liverun_config(&run, "[audio]\nrate = 48000\nperiod = 256\n[midi]\nsequencer = false\n");
  live l = {.play = play};
  flz_run_hooks hooks = {.tick = live_tick, .user = &l};
  assert_int_equal(flz_run(&run.options, f->kit, &hooks), 0);
  flz_liverun_deinit(&run);
  return l.played;
}

static void test_the_live_sampler_saves_a_recording_and_plays_it_after_a_restart(void **state)
{
  fixture *f = *state;
  assert_int_equal(live_run(f, 0), 1); /* the press */
  char path[160];
  snprintf(path, sizeof path, "%s/pattern-01.txt", f->kit);
  size_t size = 0;
  char *text = flz_tempdir_read(path, &size);
  /* One hit, where in the bar depends on when the loop sent it. */
  assert_true(strncmp(text, "# flitz pattern 1 bars 1\n0 tempo 120\n", 37) == 0);
  assert_non_null(strstr(text + 37, " play 1 1\n"));
  free(text);
  assert_int_equal(live_run(f, 1), 1); /* no press: the pattern played it */
}

/* A chain control (flitz.ini `[notes] 60 = chain-2,1`) played live: MIDI
 * Note On 60 through --midi-in (a FIFO) plays pattern 2 (pad 2 at 0.1 s),
 * then pattern 1 (pad 1 at 0.1 s), then pattern 2 again, a cycle each: the
 * onsets lie one cycle (96,000 frames at 120 BPM) apart. */
typedef struct chained {
  const char *fifo; /* the run's --midi-in FIFO */
  int fd;
  uint64_t start_ns;
  uint32_t order[3]; /* the slots whose voices started, in turn */
  uint64_t frames[3];
  uint32_t heard;
  uint32_t seen[2];
} chained;

static void chain_tick(void *user, flz_run_state *state)
{
  chained *c = user;
  if (c->fd < 0 && state->kits_ready > 0) {
    c->fd = open(c->fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    static const uint8_t note_on[3] = {0x90, 60, 100};
    if (c->fd < 0 || write(c->fd, note_on, sizeof note_on) != (ssize_t)sizeof note_on)
      state->quit = 1;
  }
  for (uint32_t slot = 0; slot < 2; slot++)
    if (state->started[slot] > c->seen[slot] && c->heard < 3) {
      c->seen[slot] = state->started[slot];
      c->order[c->heard] = slot;
      c->frames[c->heard++] = state->start_frame[slot];
    }
  if (c->heard == 3 || flz_clock_now_ns() - c->start_ns > 15000000000u)
    state->quit = 1;
}

static void test_a_chain_control_plays_its_patterns_in_turn(void **state)
{
  fixture *f = *state;
  char path[160];
  snprintf(path, sizeof path, "%s/pattern-01.txt", f->kit);
  flz_tempdir_write(path, "# flitz pattern 1 bars 1\n0 tempo 120\n0.1 play 1\n");
  snprintf(path, sizeof path, "%s/pattern-02.txt", f->kit);
  flz_tempdir_write(path, "# flitz pattern 2 bars 1\n0 tempo 120\n0.1 play 2\n");
  flz_liverun run;
  flz_liverun_init(&run, f->dir, FLZ_LIVERUN_MIDI_IN);
  flz_liverun_config(&run, "[audio]\nrate = 48000\nperiod = 256\n[midi]\nsequencer = false\n"
                           "[notes]\n60 = chain-2,1\n");
  chained c = {.fifo = run.fifo, .fd = -1};
  flz_run_hooks hooks = {.tick = chain_tick, .user = &c};
  c.start_ns = flz_clock_now_ns();
  assert_int_equal(flz_run(&run.options, f->kit, &hooks), 0);
  if (c.fd >= 0)
    close(c.fd);
  flz_liverun_deinit(&run);
  assert_int_equal(c.heard, 3);
  assert_int_equal(c.order[0], 1);
  assert_int_equal(c.order[1], 0);
  assert_int_equal(c.order[2], 1);
  assert_int_equal(c.frames[1] - c.frames[0], 96000);
  assert_int_equal(c.frames[2] - c.frames[1], 96000);
}

int main(void)
{
  static fixture f;
  flz_tempdir_make(f.dir, sizeof f.dir, "flz-pattern-live");
  snprintf(f.kit, sizeof f.kit, "%s/kit", f.dir);
  assert_int_equal(mkdir(f.kit, 0755), 0);
  static const float click[4] = {0.5f, 0.0f, 0.0f, 0.0f};
  char path[160];
  snprintf(path, sizeof path, "%s/1.wav", f.kit);
  flz_wav_file wav;
  assert_int_equal(flz_wav_file_open(&wav, path, FLZ_WAV_FLOAT32, 1, 48000), FLZ_OK);
  assert_int_equal(flz_wav_file_write(&wav, click, 4), FLZ_OK);
  assert_int_equal(flz_wav_file_close(&wav), FLZ_OK);
  static const float softer[4] = {0.25f, 0.0f, 0.0f, 0.0f};
  snprintf(path, sizeof path, "%s/2.wav", f.kit);
  assert_int_equal(flz_wav_file_open(&wav, path, FLZ_WAV_FLOAT32, 1, 48000), FLZ_OK);
  assert_int_equal(flz_wav_file_write(&wav, softer, 4), FLZ_OK);
  assert_int_equal(flz_wav_file_close(&wav), FLZ_OK);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_prestate(test_the_live_sampler_saves_a_recording_and_plays_it_after_a_restart,
                              &f),
    cmocka_unit_test_prestate(test_a_chain_control_plays_its_patterns_in_turn, &f),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  flz_tempdir_remove(f.dir);
  return failed;
}
