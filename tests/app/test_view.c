/* tests/app/test_view.c: the window that shows the kit, through the live app
 * in this process (flz_run) on SDL's offscreen video driver with the software
 * renderer, audio to SDL's disk driver. Its screenshots (flz_run_state's
 * screenshot, the PNG that `flitz --screenshot` writes) are read back two
 * ways: as text, by Debian's tesseract OCR, which must find every pad's name
 * and triggers and the status bar; and as pixels, where a pad played lights
 * and a pad whose file failed has a red outline. A last run shows that a
 * MIDI note reaches the engine and sounds while the control thread (which
 * draws) is stuck in a slow turn of its loop. With FLZ_SCREENSHOT_DIR set,
 * the screenshots are copied there (docs/ holds the ones made so).
 *
 * Owns: these tests only. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <stb_image.h>

#include "app/run.h"
#include "engine/result.h"
#include "platform/clock.h"

#include "liverun.h"
#include "ocr.h"
#include "tempdir.h"

#define PADS 16

/* How long a step may take: generous, for the ARM builds under qemu-user,
 * where drawing and writing a PNG take seconds. */
#define FLZ_TEST_STEP_NS 20000000000u
#define FLZ_TEST_HALF_SECOND_FRAMES 24000u /* at the default 48000 Hz */
#define FLZ_TEST_LOOP_FRAMES 96000u        /* the bass loop: a bar at 120 BPM, 2 s */
#define BROKEN_PAD 5 /* 1-based: 05-clap.wav, replaced by a file that is no audio */

static const char *const pad_names[PADS] = {
  "01-kick",      "02-snare",     "03-closed-hat", "04-open-hat", "05-clap",  "06-low-tom",
  "07-mid-tom",   "08-high-tom",  "09-rim",        "10-cowbell",  "11-crash", "12-shaker",
  "13-bass-loop", "14-drum-loop", "15-chord-stab", "16-zap",
};
static const char *const pad_keys[PADS] = {"1", "2", "3", "4", "Q", "W", "E", "R",
                                           "A", "S", "D", "F", "Z", "X", "C", "V"};

static char dir[64];

/* The run's steps, driven by the loop's tick hook. */
typedef struct script {
  int step;
  uint64_t step_ns;
  const char *failed;
  char shots[3][128]; /* the screenshots to take, in order ("" = none) */
  uint32_t play[2];   /* slots to play before the second shot */
  int shot;           /* screenshots taken */
} script;

/* Frames into the loop of slot `slot` at the run's frame. */
static uint64_t loop_frames(const flz_run_state *state, uint32_t slot)
{
  return (state->frame - state->start_frame[slot]) % FLZ_TEST_LOOP_FRAMES;
}

static void tick(void *user, flz_run_state *state)
{
  script *s = user;
  uint64_t now = flz_clock_now_ns();
  if (s->failed == NULL && now - s->step_ns > FLZ_TEST_STEP_NS) {
    static char why[64];
    snprintf(why, sizeof why, "step %d did not happen within 20 s", s->step);
    s->failed = why;
  }
  if (s->failed != NULL) {
    state->quit = 1;
    return;
  }
  switch (s->step) {
  case 0: /* loaded: the first shot */
    if (state->kits_ready > 0) {
      state->screenshot = s->shots[0];
      s->step = 1;
      s->step_ns = now;
    }
    break;
  case 1:
    if (state->screenshot != NULL)
      break;
    if (state->screenshot_result != FLZ_OK)
      s->failed = "the first screenshot";
    s->shot = 1;
    if (s->shots[1][0] == '\0') {
      state->quit = 1;
      break;
    }
    /* The loop first (it starts on the next bar), then the short one. */
    (void)flz_sampler_play_sample(state->sampler, s->play[1], 1.0f, now);
    s->step = 2;
    s->step_ns = now;
    break;
  case 2: /* the loop sounds */
    if (state->voices[s->play[1]] > 0) {
      s->step = 3;
      s->step_ns = now;
    }
    break;
  case 3: /* the short one sounding, the loop 10 to 90 % through its cycle
           * (engine frames, not wall time: under qemu-user the audio runs
           * behind the clock and a turn of this loop can take 40,000
           * frames): the second shot, drawn from this state. Until then the
           * short one plays again whenever it has ended. */
    if (state->voices[s->play[0]] > 0 &&
        loop_frames(state, s->play[1]) >= FLZ_TEST_LOOP_FRAMES / 10 &&
        loop_frames(state, s->play[1]) <= FLZ_TEST_LOOP_FRAMES / 10 * 9) {
      state->screenshot = s->shots[1];
      s->step = 4;
      s->step_ns = now;
    } else if (state->voices[s->play[0]] == 0) {
      (void)flz_sampler_play_sample(state->sampler, s->play[0], 1.0f, now);
    }
    break;
  default:
    if (state->screenshot == NULL) {
      if (state->screenshot_result != FLZ_OK)
        s->failed = "the second screenshot";
      s->shot = 2;
      state->quit = 1;
    }
    break;
  }
}

static void run_kit(const char *kit, script *s)
{
  flz_liverun run;
  flz_liverun_init(&run, dir, FLZ_LIVERUN_WINDOW);
  s->step_ns = flz_clock_now_ns();
  flz_run_hooks hooks = {.tick = tick, .user = s};
  assert_int_equal(flz_run(&run.options, kit, &hooks), 0);
  if (s->failed != NULL)
    fail_msg("%s", s->failed);
  flz_liverun_deinit(&run);
}

static void copy_for_docs(const char *png, const char *name)
{
  const char *out = getenv("FLZ_SCREENSHOT_DIR");
  if (out == NULL || out[0] == '\0')
    return;
  char command[512];
  snprintf(command, sizeof command, "cp '%s' '%s/%s'", png, out, name);
  assert_int_equal(system(command), 0);
}

typedef struct image {
  int width, height;
  unsigned char *rgb;
} image;

static image load(const char *png)
{
  image i;
  int channels;
  i.rgb = stbi_load(png, &i.width, &i.height, &channels, 3);
  assert_non_null(i.rgb);
  return i;
}

static const unsigned char *pixel(const image *i, int x, int y)
{
  return i->rgb + ((size_t)y * (size_t)i->width + (size_t)x) * 3;
}

/* Pads in a 4 x 4 grid over the window's area above the status bar
 * (platform/window.c: margins and gaps of 8 points, a 36-point status bar;
 * offscreen: a pixel per point). A point well inside pad `pad` (0-based),
 * `dx`, `dy` from its top left corner in pad fractions. */
static void pad_point(const image *i, int pad, double dx, double dy, int *x, int *y)
{
  int grid_w = i->width - 16 + 8, grid_h = i->height - 36 - 16 + 8;
  int cell_w = grid_w / 4, cell_h = grid_h / 4;
  *x = 8 + (pad % 4) * cell_w + (int)(dx * (cell_w - 8));
  *y = 8 + (pad / 4) * cell_h + (int)(dy * (cell_h - 8));
}

/* The colour of pad `pad`'s fill: below its name and right of its meter,
 * in a spot the text never reaches (the middle of its right half, just
 * under the name line). */
static const unsigned char *fill(const image *i, int pad)
{
  int x, y;
  pad_point(i, pad, 0.9, 0.62, &x, &y);
  return pixel(i, x, y);
}

static long luma(const unsigned char *p)
{
  return 299L * p[0] + 587L * p[1] + 114L * p[2];
}

static void the_window_shows_each_pads_name_and_triggers_and_lights_the_pads_played(void **state)
{
  (void)state;
  script s;
  memset(&s, 0, sizeof s);
  snprintf(s.shots[0], sizeof s.shots[0], "%s/idle.png", dir);
  snprintf(s.shots[1], sizeof s.shots[1], "%s/playing.png", dir);
  s.play[0] = 0;  /* the kick */
  s.play[1] = 12; /* the bass loop: a loop pad */
  run_kit(FLZ_DEFAULT_KIT_DIR, &s);
  assert_int_equal(s.shot, 2);

  char *text = flz_ocr_read(s.shots[0]);
  if (text == NULL) {
    print_message("tesseract is missing (tools/setup test installs it): no text check\n");
  } else {
    for (int pad = 0; pad < PADS; pad++) {
      char word[32];
      if (!flz_ocr_has_word(text, pad_names[pad]))
        fail_msg("pad %d's name '%s' is not in the window's text:\n%s", pad + 1, pad_names[pad],
                 text);
      snprintf(word, sizeof word, "key %s", pad_keys[pad]);
      if (strstr(text, word) == NULL)
        fail_msg("pad %d's '%s' is not in the window's text:\n%s", pad + 1, word, text);
      snprintf(word, sizeof word, "note %d", 36 + pad);
      if (strstr(text, word) == NULL)
        fail_msg("pad %d's '%s' is not in the window's text:\n%s", pad + 1, word, text);
    }
    assert_non_null(strstr(text, "pad A"));
    assert_non_null(strstr(text, "loop"));
    assert_non_null(strstr(text, "gate"));
    assert_non_null(strstr(text, "choke 1"));
    assert_non_null(strstr(text, "bank 1 of 16"));
    assert_non_null(strstr(text, "120 BPM"));
    assert_non_null(strstr(text, "48000 Hz"));
    free(text);
  }

  image idle = load(s.shots[0]);
  image playing = load(s.shots[1]);
  assert_int_equal(idle.width, playing.width);
  for (int pad = 0; pad < PADS; pad++) {
    const unsigned char *before = fill(&idle, pad), *after = fill(&playing, pad);
    if (pad == 0 || pad == 12) {
      /* lit orange: brighter, more red than green, more green than blue */
      assert_true(luma(after) > luma(before) + 50000);
      assert_true(after[0] > after[1] && after[1] > after[2]);
    } else {
      assert_memory_equal(before, after, 3);
    }
  }
  /* The loop pad's position: a bar along its top edge, 10 to 90 % of the
   * way through its 2 s loop (the state the screenshot was drawn from). */
  int x, y, right_x;
  pad_point(&playing, 12, 0.05, 0.0, &x, &y);
  pad_point(&playing, 12, 0.95, 0.0, &right_x, &y);
  const unsigned char *bar = pixel(&playing, x, y + 1), *past = pixel(&playing, right_x, y + 1);
  assert_true(bar[2] > 0xe0 && bar[0] < 0x80);    /* blue */
  assert_false(past[2] > 0xe0 && past[0] < 0x80); /* not yet */
  pad_point(&playing, 0, 0.5, 0.0, &x, &y);
  bar = pixel(&playing, x, y + 1); /* the kick is no loop: no bar */
  assert_false(bar[2] > 0xe0 && bar[0] < 0x80);
  copy_for_docs(s.shots[0], "window-idle.png");
  copy_for_docs(s.shots[1], "window-playing.png");
  stbi_image_free(idle.rgb);
  stbi_image_free(playing.rgb);
  remove(s.shots[0]);
  remove(s.shots[1]);
}

static void a_pad_whose_file_failed_is_marked_red_with_its_reason(void **state)
{
  (void)state;
  /* The default kit with pad 5's file replaced by one that is no audio. */
  char kit[128], name[64], path[256];
  snprintf(kit, sizeof kit, "%s/kit", dir);
  snprintf(name, sizeof name, "%s.wav", pad_names[BROKEN_PAD - 1]);
  flz_tempdir_link(FLZ_DEFAULT_KIT_DIR, kit, name);
  snprintf(path, sizeof path, "%s/%s", kit, name);
  flz_tempdir_write(path, "this is no audio file\n");
  script s;
  memset(&s, 0, sizeof s);
  snprintf(s.shots[0], sizeof s.shots[0], "%s/failed.png", dir);
  run_kit(kit, &s);
  assert_int_equal(s.shot, 1);

  image shot = load(s.shots[0]);
  for (int pad = 0; pad < PADS; pad++) {
    /* The outline: the pad's top left corner pixel. */
    int x, y;
    pad_point(&shot, pad, 0.0, 0.0, &x, &y);
    const unsigned char *corner = pixel(&shot, x, y + 20);
    int red = corner[0] > 0xc0 && corner[1] < 0x80 && corner[2] < 0x80;
    assert_int_equal(red, pad == BROKEN_PAD - 1);
  }
  char *text = flz_ocr_read(s.shots[0]);
  if (text != NULL) {
    /* The name still shows, and the reason (the decoder's) under it. */
    if (!flz_ocr_has_word(text, "05-clap"))
      fail_msg("the failed pad's name is not in the window's text:\n%s", text);
    if (strstr(text, "corrupt") == NULL)
      fail_msg("the failed pad's reason is not in the window's text:\n%s", text);
    free(text);
  }
  copy_for_docs(s.shots[0], "window-failed.png");
  stbi_image_free(shot.rgb);
  remove(s.shots[0]);
  flz_tempdir_remove(kit);
}

/* A kit in banks of 8: the window lays out 3 x 3 cells and shows bank 1's
 * eight pads (and not pad 9, which is bank 2's first). */
static void the_layout_follows_the_kits_bank_size(void **state)
{
  (void)state;
  char kit[128], path[256];
  snprintf(kit, sizeof kit, "%s/kit8", dir);
  flz_tempdir_link(FLZ_DEFAULT_KIT_DIR, kit, "kit.ini");
  snprintf(path, sizeof path, "%s/kit.ini", kit);
  flz_tempdir_write(path, "[kit]\nbank_size = 8\n");
  script s;
  memset(&s, 0, sizeof s);
  snprintf(s.shots[0], sizeof s.shots[0], "%s/banks.png", dir);
  run_kit(kit, &s);
  assert_int_equal(s.shot, 1);
  image shot = load(s.shots[0]);
  /* Three columns: the first cell's right edge lies a third of the way. */
  int third = (shot.width - 16 + 8) / 3;
  const unsigned char *gap = pixel(&shot, 8 + third - 4, 40);
  const unsigned char *inside = pixel(&shot, 8 + third - 12, 40);
  assert_true(luma(gap) < luma(inside));
  stbi_image_free(shot.rgb);
  char *text = flz_ocr_read(s.shots[0]);
  if (text != NULL) {
    for (int pad = 0; pad < 8; pad++)
      if (!flz_ocr_has_word(text, pad_names[pad]))
        fail_msg("pad %d's name is not in the window's text:\n%s", pad + 1, pad_names[pad]);
    assert_false(flz_ocr_has_word(text, pad_names[8]));
    assert_non_null(strstr(text, "bank 1 of 32"));
    free(text);
  }
  remove(s.shots[0]);
  flz_tempdir_remove(kit);
}

/* The trigger path does not wait for the control thread: a MIDI note sent
 * while the control thread is stuck in one slow turn of its loop (where it
 * draws) sounds before that turn ends. */
typedef struct slow {
  int step;
  uint64_t step_ns;
  const char *failed;
  const char *fifo;
  int fd;
  atomic_int stuck;          /* the control thread is in its slow turn */
  atomic_int sounded;        /* the audio thread rendered sound */
  atomic_int stuck_at_sound; /* ... and the control thread was stuck then */
  uint32_t frames;
} slow;

static void slow_tap(void *user, float *out, uint32_t frames, uint32_t channels,
                     uint64_t period_time_ns)
{
  (void)period_time_ns;
  slow *s = user;
  if (atomic_load(&s->sounded))
    return;
  for (uint32_t i = 0; i < frames * channels; i++)
    if (out[i] != 0.0f) {
      atomic_store(&s->stuck_at_sound, atomic_load(&s->stuck));
      atomic_store(&s->sounded, 1);
      return;
    }
}

static void slow_tick(void *user, flz_run_state *state)
{
  slow *s = user;
  uint64_t now = flz_clock_now_ns();
  if (s->failed == NULL && now - s->step_ns > FLZ_TEST_STEP_NS)
    s->failed = "a step did not happen within 20 s";
  if (s->failed != NULL) {
    state->quit = 1;
    return;
  }
  if (s->step == 0 && state->kits_ready > 0) {
    s->fd = open(s->fifo, O_WRONLY | O_NONBLOCK);
    if (s->fd < 0)
      return;
    (void)fcntl(s->fd, F_SETFL, 0);
    s->step = 1;
    s->step_ns = now;
  } else if (s->step == 1) {
    static const uint8_t kick[] = {0x99, 36, 127};
    atomic_store(&s->stuck, 1);
    if (write(s->fd, kick, sizeof kick) != (ssize_t)sizeof kick)
      s->failed = "write to the FIFO";
    /* A slow frame: the control thread is busy for 1 s. */
    struct timespec second = {1, 0};
    while (nanosleep(&second, &second) != 0 && errno == EINTR)
      ;
    atomic_store(&s->stuck, 0);
    s->step = 2;
    state->quit = 1;
  }
}

static void a_slow_frame_does_not_delay_a_midi_trigger(void **state)
{
  (void)state;
  slow s;
  memset(&s, 0, sizeof s);
  s.fd = -1;
  flz_liverun run;
  flz_liverun_init(&run, dir, FLZ_LIVERUN_WINDOW | FLZ_LIVERUN_FIFO);
  s.fifo = run.fifo;
  char config[256];
  snprintf(config, sizeof config, "[midi]\nsequencer = false\ninput = %s\n", run.fifo);
  flz_liverun_config(&run, config);
  s.step_ns = flz_clock_now_ns();
  flz_run_hooks hooks = {.tick = slow_tick, .user = &s, .tap = slow_tap, .tap_user = &s};
  assert_int_equal(flz_run(&run.options, FLZ_DEFAULT_KIT_DIR, &hooks), 0);
  if (s.fd >= 0)
    close(s.fd);
  if (s.failed != NULL)
    fail_msg("%s", s.failed);
  assert_int_equal(s.step, 2);
  assert_int_equal(atomic_load(&s.sounded), 1);
  assert_int_equal(atomic_load(&s.stuck_at_sound), 1);
  flz_liverun_deinit(&run);
}

static int setup(void **state)
{
  (void)state;
  flz_tempdir_make(dir, sizeof dir, "flz-view");
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
    cmocka_unit_test(the_window_shows_each_pads_name_and_triggers_and_lights_the_pads_played),
    cmocka_unit_test(a_pad_whose_file_failed_is_marked_red_with_its_reason),
    cmocka_unit_test(the_layout_follows_the_kits_bank_size),
    cmocka_unit_test(a_slow_frame_does_not_delay_a_midi_trigger),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
