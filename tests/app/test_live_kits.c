/* tests/app/test_live_kits.c: the kits people own, played live: a SoundFont
 * 2 preset (avldrums.lv2-soundfont's Black Pearl, whose samples lie inside
 * the bank and load through the loader's decoder jobs) and a Hydrogen
 * drumkit (hydrogen-data's GMRockKit), each loaded in the background by the
 * live app in this process (flz_run, SDL's disk audio driver, headless), a
 * MIDI Note On written into its --midi-in FIFO (the SF2 preset also at 48
 * kHz, where its points play at their own rate). What sounds must be, sample
 * for sample from its onset, what `flitz render` of the same note on the
 * same kit writes (test_sf2_render and test_hydrogen_render check that
 * against the kits' own samples), the note rendered at the same place in a
 * 256-frame period as it sounded live (the engine steps envelopes a mix
 * block at a time, and blocks end at period ends).
 *
 * Owns: these tests only. */
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

#include "app/run.h"
#include "platform/clock.h"
#include "tests/app/kitrender.h"
#include "tests/app/liverun.h"
#include "tests/app/tempdir.h"

#define PEARL "/usr/share/sounds/sf2/Black_Pearl_4_LV2.sf2"
#define ROCK "/usr/share/hydrogen/data/drumkits/GMRockKit"
#define GIVE_UP_NS 60000000000u /* generous, for the sanitizer builds */

static char dir[64];

typedef struct live {
  const char *fifo;  /* the run's --midi-in FIFO */
  int fd;            /* the FIFO's write end, open while the run lasts: a
                        controller that stays plugged in (a closed one is
                        unplugged, and its held notes are released) */
  int sent;          /* the Note On was written */
  int failed;        /* the FIFO could not be written */
  uint64_t start_ns; /* when the run began */
  uint64_t onset;    /* the engine frame the note's first voice started at */
  uint32_t voices;   /* voices started in all */
  uint32_t rate;     /* the output's, Hz: a second of the note is compared */
} live;

/* Once the kit is loaded: Note On 36 at velocity 100 on channel 10; quits a
 * second of audio after the note's voice started (or after GIVE_UP_NS). */
static void tick(void *user, flz_run_state *state)
{
  live *t = user;
  if (flz_clock_now_ns() - t->start_ns > GIVE_UP_NS) {
    state->quit = 1;
    return;
  }
  if (!t->sent && state->kits_ready > 0) {
    t->fd = open(t->fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    static const uint8_t note_on[3] = {0x99, 36, 100};
    t->failed = t->fd < 0 || write(t->fd, note_on, sizeof note_on) != (ssize_t)sizeof note_on;
    t->sent = 1;
    if (t->failed)
      state->quit = 1;
    return;
  }
  uint32_t voices = 0;
  uint64_t onset = UINT64_MAX;
  for (uint32_t slot = 0; slot < FLZ_SLOTS; slot++)
    if (state->started[slot] > 0) {
      voices += state->started[slot];
      if (state->start_frame[slot] < onset)
        onset = state->start_frame[slot];
    }
  t->voices = voices;
  t->onset = onset;
  if (voices > 0 && state->frame >= onset + 2u * t->rate)
    state->quit = 1;
}

/* The first frame of stereo `data` (`frames` frames) that is not silent. */
static uint64_t first_sound(const float *data, uint64_t frames)
{
  uint64_t i = 0;
  while (i < frames && data[2 * i] == 0.0f && data[2 * i + 1] == 0.0f)
    i++;
  return i;
}

/* Plays Note On 36 live on `kit` (`preset` "BANK:PROGRAM" or NULL) at
 * `rate` Hz and compares what sounded with `flitz render` of "0 note 36
 * 100" at that rate. */
static void live_note_sounds_as_rendered(const char *kit, uint16_t bank, uint16_t program,
                                         const char *preset, uint32_t rate)
{
  flz_liverun run;
  flz_liverun_init(&run, dir, FLZ_LIVERUN_MIDI_IN);
  char config[128];
  snprintf(config, sizeof config, "[audio]\nrate = %u\nperiod = 256\n[midi]\nsequencer = false\n",
           (unsigned)rate);
  flz_liverun_config(&run, config);
  run.options.preset_given = preset != NULL;
  run.options.preset_bank = bank;
  run.options.preset_program = program;
  live t;
  memset(&t, 0, sizeof t);
  t.rate = rate;
  t.fifo = run.fifo;
  flz_run_hooks hooks = {.tick = tick, .user = &t};
  t.start_ns = flz_clock_now_ns();
  t.fd = -1;
  assert_int_equal(flz_run(&run.options, kit, &hooks), 0);
  if (t.fd >= 0)
    close(t.fd);
  assert_true(t.sent);
  assert_false(t.failed);
  assert_true(t.voices > 0);

  char script[64];
  snprintf(script, sizeof script, "%.9f note 36 100\n", (double)(t.onset % 256u) / (double)rate);
  flz_kitrender_wav w = flz_kitrender_run_at(dir, kit, preset, script, "1.5", rate);
  size_t frames = 0;
  float *heard = flz_liverun_output(&run, &frames);

  uint64_t at = first_sound(heard, frames), from = first_sound(w.data, w.frames);
  assert_true(from < w.frames);
  assert_true(at + rate <= frames);
  assert_true(from + rate <= w.frames);
  for (uint64_t i = 0; i < rate; i++)
    for (uint64_t c = 0; c < 2; c++)
      if (heard[2 * (at + i) + c] != w.data[2 * (from + i) + c])
        fail_msg("%s: frame %llu after the onset, channel %llu: live %.9g, rendered %.9g", kit,
                 (unsigned long long)i, (unsigned long long)c, (double)heard[2 * (at + i) + c],
                 (double)w.data[2 * (from + i) + c]);
  free(heard);
  free(w.data);
  flz_liverun_deinit(&run);
  char path[128];
  const char *left[] = {"events.txt", "out.wav"};
  for (size_t i = 0; i < sizeof left / sizeof left[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, left[i]);
    remove(path);
  }
}

static void an_sf2_preset_plays_live_as_it_renders(void **state)
{
  (void)state;
  live_note_sounds_as_rendered(PEARL, 0, 0, NULL, FLZ_KITRENDER_RATE);
}

/* Black Pearl's 44.1 kHz points played at 48 kHz: the voice steps at their
 * rate, live as in the render. */
static void an_sf2_preset_plays_live_at_another_rate_as_it_renders(void **state)
{
  (void)state;
  live_note_sounds_as_rendered(PEARL, 0, 0, NULL, 48000);
}

static void a_hydrogen_kit_plays_live_as_it_renders(void **state)
{
  (void)state;
  live_note_sounds_as_rendered(ROCK, 0, 0, NULL, FLZ_KITRENDER_RATE);
}

static int setup(void **state)
{
  (void)state;
  flz_tempdir_make(dir, sizeof dir, "flz-live-kits");
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  return rmdir(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(an_sf2_preset_plays_live_as_it_renders),
    cmocka_unit_test(an_sf2_preset_plays_live_at_another_rate_as_it_renders),
    cmocka_unit_test(a_hydrogen_kit_plays_live_as_it_renders),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
