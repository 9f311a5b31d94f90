/* tests/app/test_live_sfz.c: a multi-sample kit (an SFZ file) played live,
 * through the real app in this process (flz_run): the kit loads on the
 * loader threads, MIDI notes arrive through a FIFO (--midi-in), SDL's disk
 * audio driver writes what would have been played, and the window (SDL's
 * offscreen driver) is read back by OCR. The kit, written by the test over
 * samples it synthesizes: two velocity layers on C2 (36), a pad on E2 (40)
 * whose only file is missing, and a loop_sustain pad on F#2 (42).
 *
 * Checks: velocity 40 and 100 of note 36 play the soft and the hard layer,
 * sample for sample; note 37 (no region takes it) and note 40 (its file is
 * missing) start no voice and sound nothing; the missing file has its error
 * line and the ready line counts pads and regions; note 42 loops until its
 * note off and then releases; the window shows the regions' sample names, a
 * pad's key and its regions count, and the failed pad's reason. A second
 * kit's two regions on one key answer MIDI channels 1 and 10 (lochan,
 * hichan): a note on each channel plays its region alone. The notes
 * follow the engine's voice events, not the wall clock: on a loaded machine
 * (the sanitizer builds) the audio thread stalls, and half a second of wall
 * time may come out as a few thousand frames.
 *
 * Owns: this test only. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/run.h"
#include "engine/result.h"
#include "platform/clock.h"
#include "platform/thread.h"
#include "platform/wav_file.h"

#include "capture.h"
#include "liverun.h"
#include "ocr.h"
#include "tempdir.h"

#define RATE 48000u
#define LAYER_FRAMES 4800u /* 0.1 s */
#define LOOP_FRAMES 480u
#define QUIET_NS 200000000u       /* before each note on: silence between the sounds */
#define QUIET_FRAMES (RATE / 100) /* the silence that ends a sound: less than QUIET_NS squeezed */
#define SUSTAIN_NS 500000000u     /* the loop pad held this long */
#define STEP_NS 20000000000u      /* a step taking longer has failed */

static char dir[64];
static float soft[LAYER_FRAMES], hard[LAYER_FRAMES], loop[LOOP_FRAMES];

typedef struct live {
  flz_liverun run; /* its FIFO: --midi-in */
  char shot[128];
  flz_thread writer;
  int started;
  _Atomic int done;
  _Atomic int cue; /* cues given to the writer; -1: the test gave up */
  int write_failed;
  int step;
  uint64_t step_ns;
  uint64_t done_ns;
  const char *failed;
  uint32_t voices[4]; /* voices started per region (slot) at the end */
  uint32_t started_all;
  int channels; /* 1: the channel test's notes (channel_writer) */
} live;

static void pause_ns(uint64_t ns)
{
  flz_clock_sleep_until_ns(flz_clock_now_ns() + ns);
}

static void note(live *t, int fd, uint8_t status, uint8_t key, uint8_t velocity)
{
  const uint8_t bytes[3] = {status, key, velocity};
  t->write_failed |= write(fd, bytes, 3) != 3;
}

/* Waits until the loop's tick has given cue `n` (or gave up); 0 if it gave
 * up. */
static int wait_cue(live *t, int n)
{
  while (atomic_load(&t->cue) < n)
    if (atomic_load(&t->cue) < 0)
      return 0;
    else
      pause_ns(1000000u);
  return 1;
}

/* The MIDI keyboard: note 36 at velocity 40, then at 100, each once the
 * voice before has ended (so neither cuts the other short, however the
 * machine's load squeezes the audio); notes 37 and 40; the loop pad's note
 * 42, its note off once SUSTAIN_NS of audio has played since it started. */
static void writer(void *user)
{
  live *t = user;
  int fd = open(t->run.fifo, O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    t->write_failed = 1;
    atomic_store(&t->done, 1);
    return;
  }
  static const uint8_t keys[4][2] = {{36, 40}, {36, 100}, {37, 100}, {40, 100}};
  for (int i = 0; i < 4 && wait_cue(t, i < 2 ? i : 2); i++) {
    pause_ns(QUIET_NS);
    note(t, fd, 0x90, keys[i][0], keys[i][1]);
    pause_ns(50000000u);
    note(t, fd, 0x80, keys[i][0], 0);
  }
  pause_ns(QUIET_NS);
  note(t, fd, 0x90, 42, 127);
  if (wait_cue(t, 3))
    note(t, fd, 0x80, 42, 0);
  (void)wait_cue(t, 4);
  close(fd);
  atomic_store(&t->done, 1);
}

/* The MIDI keyboard of the channel test: note 36 on channel 10, then on
 * channel 1, each once the voice before has ended. */
static void channel_writer(void *user)
{
  live *t = user;
  int fd = open(t->run.fifo, O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    t->write_failed = 1;
    atomic_store(&t->done, 1);
    return;
  }
  static const uint8_t note_on[2] = {0x99, 0x90}; /* channels 10 and 1 */
  for (int i = 0; i < 2 && wait_cue(t, i); i++) {
    pause_ns(QUIET_NS);
    note(t, fd, note_on[i], 36, 100);
    pause_ns(50000000u);
    note(t, fd, (uint8_t)(note_on[i] - 0x10), 36, 0);
  }
  (void)wait_cue(t, 2);
  close(fd);
  atomic_store(&t->done, 1);
}

/* The cues the writer waits for, from the engine's voice events: in the
 * channel test, the voice of region 1 (channel 10) and then of region 0
 * (channel 1) started and ended. */
static void cue(live *t, const flz_run_state *state)
{
  const uint64_t sustain = (uint64_t)SUSTAIN_NS * RATE / 1000000000u;
  int n = atomic_load(&t->cue);
  if (t->channels) {
    uint32_t slot = n == 0 ? 1 : 0;
    if (n < 2 && state->started[slot] == 1 && state->voices[slot] == 0) {
      atomic_store(&t->cue, n + 1);
      t->step_ns = flz_clock_now_ns();
    }
    return;
  }
  if ((n == 0 && state->started[0] == 1 && state->voices[0] == 0) ||
      (n == 1 && state->started[1] == 1 && state->voices[1] == 0) ||
      (n == 2 && state->started[3] == 1 && state->frame >= state->start_frame[3] + sustain) ||
      (n == 3 && state->voices[3] == 0)) {
    atomic_store(&t->cue, n + 1);
    t->step_ns = flz_clock_now_ns();
  }
}

/* Loaded: the screenshot; then the MIDI notes; quit 0.2 s after the last. */
static void tick(void *user, flz_run_state *state)
{
  live *t = user;
  uint64_t now = flz_clock_now_ns();
  if (t->failed == NULL && now - t->step_ns > STEP_NS)
    t->failed = "a step did not happen within 20 s";
  if (t->failed != NULL) {
    atomic_store(&t->cue, -1);
    state->quit = 1;
    return;
  }
  switch (t->step) {
  case 0:
    if (state->kits_ready > 0) {
      state->screenshot = t->shot;
      t->step = 1;
      t->step_ns = now;
    }
    break;
  case 1:
    if (state->screenshot != NULL)
      break;
    if (state->screenshot_result != FLZ_OK)
      t->failed = "the screenshot";
    else if (flz_thread_start(&t->writer, t->channels ? channel_writer : writer, t) != FLZ_OK)
      t->failed = "the MIDI writer thread";
    t->started = t->failed == NULL;
    t->step = 2;
    t->step_ns = now;
    break;
  default:
    cue(t, state);
    if (t->done_ns == 0 && atomic_load(&t->done))
      t->done_ns = now;
    if (t->done_ns != 0 && now > t->done_ns + 200000000u) {
      for (uint32_t slot = 0; slot < FLZ_SLOTS; slot++) {
        t->started_all += state->started[slot];
        if (slot < 4)
          t->voices[slot] = state->started[slot];
      }
      state->quit = 1;
    }
    break;
  }
}

static void write_text(const char *name, const char *text)
{
  char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  flz_tempdir_write(path, text);
}

static void write_wav(const char *name, const float *data, uint32_t frames)
{
  char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  flz_wav_file wav;
  assert_int_equal(flz_wav_file_open(&wav, path, FLZ_WAV_FLOAT32, 1, RATE), FLZ_OK);
  assert_int_equal(flz_wav_file_write(&wav, data, frames), FLZ_OK);
  assert_int_equal(flz_wav_file_close(&wav), FLZ_OK);
}

/* flz_run on argv[1] with the test's run (flitz.ini and FIFO), as a main
 * function for flz_capture_run (argv[0]: the live test, as a pointer). */
static int run_main(int argc, char **argv)
{
  assert_int_equal(argc, 2);
  live *t = (live *)(void *)argv[0];
  flz_run_hooks hooks = {.tick = tick, .user = t};
  t->step_ns = flz_clock_now_ns();
  int code = flz_run(&t->run.options, argv[1], &hooks);
  if (t->started)
    flz_thread_join(&t->writer);
  return code;
}

/* The next run of non-silent frames of the stereo `out` from `*at`: its
 * first frame, or `frames` when there is none; *at moves past it (past the
 * first QUIET_FRAMES silent frames after it). */
static size_t next_sound(const float *out, size_t frames, size_t *at)
{
  size_t i = *at;
  while (i < frames && out[2 * i] == 0.0f && out[2 * i + 1] == 0.0f)
    i++;
  size_t start = i, quiet = 0;
  for (; i < frames && quiet < QUIET_FRAMES; i++)
    quiet = out[2 * i] == 0.0f && out[2 * i + 1] == 0.0f ? quiet + 1 : 0;
  *at = i;
  return start;
}

/* `layer` is in `out` from frame `start`, sample for sample on both
 * channels (velocity gain 1 with amp_veltrack=0, centre pan, 0 dB),
 * followed by silence. */
static void assert_layer(const float *out, size_t frames, size_t start, const float *layer)
{
  assert_true(start + LAYER_FRAMES + QUIET_FRAMES <= frames);
  for (size_t i = 0; i < LAYER_FRAMES; i++) {
    if (out[2 * (start + i)] != layer[i] || out[2 * (start + i) + 1] != layer[i])
      fail_msg("frame %zu of the layer: %g %g, not %g", i, (double)out[2 * (start + i)],
               (double)out[2 * (start + i) + 1], (double)layer[i]);
  }
  for (size_t i = start + LAYER_FRAMES; i < start + LAYER_FRAMES + QUIET_FRAMES; i++)
    assert_true(out[2 * i] == 0.0f);
}

/* The next sound of `out` from `*at` (next_sound), asserted to be `layer`;
 * returns its first frame. */
static size_t next_layer(const float *out, size_t frames, size_t *at, const float *layer)
{
  size_t start = next_sound(out, frames, at);
  assert_true(start < frames);
  assert_layer(out, frames, start, layer);
  return start;
}

/* Two layers no sample of which is 0 (so the onset is the first frame)
 * and which differ everywhere: one positive, one negative, in soft.wav and
 * hard.wav. */
static void write_layers(void)
{
  for (uint32_t i = 0; i < LAYER_FRAMES; i++) {
    soft[i] = 0.3f + 0.2f * (float)((i * 37u) % 101u) / 101.0f;
    hard[i] = -0.4f - 0.3f * (float)((i * 53u) % 97u) / 97.0f;
  }
  write_wav("soft.wav", soft, LAYER_FRAMES);
  write_wav("hard.wav", hard, LAYER_FRAMES);
}

/* Runs flitz on kit.sfz (its path in `kit`, 128 bytes) with the test's
 * flitz.ini and its MIDI notes (the channel test's when `channels`) until
 * the notes have sounded; checks it ran and quit cleanly. */
static flz_capture play_live(live *t, int channels, char *kit)
{
  memset(t, 0, sizeof *t);
  atomic_init(&t->done, 0);
  atomic_init(&t->cue, 0);
  t->channels = channels;
  flz_liverun_init(&t->run, dir, FLZ_LIVERUN_WINDOW | FLZ_LIVERUN_MIDI_IN);
  flz_liverun_config(&t->run, "[audio]\nrate = 48000\nperiod = 256\n[midi]\nsequencer = false\n");
  snprintf(t->shot, sizeof t->shot, "%s/kit.png", dir);
  snprintf(kit, 128, "%s/kit.sfz", dir);
  char *argv[] = {(char *)(void *)t, kit};
  flz_capture run = flz_capture_run(run_main, 2, argv);
  printf("%s%s", run.out, run.err);
  if (t->failed != NULL)
    fail_msg("%s", t->failed);
  assert_int_equal(run.code, 0);
  assert_false(t->write_failed);
  return run;
}

static void midi_notes_play_the_kits_layers_and_the_window_shows_its_regions(void **state)
{
  (void)state;
  write_layers();
  for (uint32_t i = 0; i < LOOP_FRAMES; i++)
    loop[i] = 0.1f + 0.05f * (float)(i % 7u);
  write_wav("hold.wav", loop, LOOP_FRAMES);
  write_text("kit.sfz", "<global> amp_veltrack=0\n"
                        "<group> key=c2 loop_mode=one_shot\n"
                        "<region> sample=soft.wav lovel=1 hivel=63\n"
                        "<region> sample=hard.wav lovel=64 hivel=127\n"
                        "<region> sample=gone.wav key=e2\n"
                        "<region> sample=hold.wav key=f#2 loop_mode=loop_sustain loop_start=0 "
                        "loop_end=479 ampeg_release=0.02\n");
  live t;
  char kit[128];
  flz_capture run = play_live(&t, 0, kit);
  char line[256];
  snprintf(line, sizeof line, "flitz: ready: 2 pads, 3 of 4 regions from %s", kit);
  assert_non_null(strstr(run.out, line));
  snprintf(line, sizeof line, "error: %s/gone.wav: ", dir);
  assert_non_null(strstr(run.err, line));
  flz_capture_free(&run);

  /* Voices: one per layer and the loop's, none for notes 37 and 40 (slot
   * 2 is gone.wav's region). */
  assert_int_equal(t.voices[0], 1);
  assert_int_equal(t.voices[1], 1);
  assert_int_equal(t.voices[2], 0);
  assert_int_equal(t.voices[3], 1);
  assert_int_equal(t.started_all, 3);

  /* The sound: the soft layer, the hard one, nothing for notes 37 and 40,
   * then the loop until its note off and its release. */
  size_t frames = 0, at = 0;
  float *out = flz_liverun_output(&t.run, &frames);
  size_t first = next_layer(out, frames, &at, soft);
  size_t second = next_layer(out, frames, &at, hard);
  size_t third = next_sound(out, frames, &at);
  printf("sounds at frames %zu, %zu, %zu of %zu\n", first, second, third, frames);
  assert_true(third < frames);
  for (size_t i = 0; i < LOOP_FRAMES * 3; i++)
    assert_true(out[2 * (third + i)] == loop[i % LOOP_FRAMES]);
  /* It loops while held (no sample of it is 0) for SUSTAIN_NS of audio at
   * least (its note off came after that), and stops after its note off and
   * release (held on, it would sound to the end). */
  size_t end = third;
  while (end < frames && out[2 * end] != 0.0f)
    end++;
  printf("loop held %zu frames\n", end - third);
  assert_true(end - third >= (uint64_t)SUSTAIN_NS * RATE / 1000000000u);
  assert_true(end < frames);
  assert_true(next_sound(out, frames, &at) == frames);
  free(out);

  char *text = flz_ocr_read(t.shot);
  if (text == NULL) {
    print_message("tesseract is missing (tools/setup test installs it): no text check\n");
  } else {
    printf("%s\n", text);
    assert_true(flz_ocr_has_word(text, "soft"));
    assert_true(flz_ocr_has_word(text, "hard"));
    assert_true(flz_ocr_has_word(text, "hold"));
    assert_true(flz_ocr_has_word(text, "gone"));
    assert_non_null(strstr(text, "note C2 (36)"));
    assert_non_null(strstr(text, "note F#2 (42)"));
    assert_non_null(strstr(text, "2 regions"));
    assert_non_null(strstr(text, "gone.wav: no such")); /* the failed pad's reason */
    free(text);
  }
  flz_liverun_deinit(&t.run);
}

/* lochan..hichan live: two regions on C2 (36), soft.wav on channel 1 and
 * hard.wav on channel 10; note 36 on channel 10 plays hard.wav alone, then
 * on channel 1 soft.wav alone, sample for sample. */
static void a_midi_notes_channel_picks_the_regions_of_its_range(void **state)
{
  (void)state;
  write_layers();
  write_text("kit.sfz", "<global> amp_veltrack=0\n"
                        "<group> key=c2 loop_mode=one_shot\n"
                        "<region> sample=soft.wav lochan=1 hichan=1\n"
                        "<region> sample=hard.wav lochan=10 hichan=10\n");
  live t;
  char kit[128];
  flz_capture run = play_live(&t, 1, kit);
  flz_capture_free(&run);
  assert_int_equal(t.voices[0], 1);
  assert_int_equal(t.voices[1], 1);
  assert_int_equal(t.started_all, 2);
  size_t frames = 0, at = 0;
  float *out = flz_liverun_output(&t.run, &frames);
  (void)next_layer(out, frames, &at, hard);
  (void)next_layer(out, frames, &at, soft);
  assert_true(next_sound(out, frames, &at) == frames);
  free(out);
  flz_liverun_deinit(&t.run);
}

static int setup(void **state)
{
  (void)state;
  flz_tempdir_make(dir, sizeof dir, "flitz-live-sfz");
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  flz_tempdir_remove(dir);
  return 0;
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(midi_notes_play_the_kits_layers_and_the_window_shows_its_regions),
    cmocka_unit_test(a_midi_notes_channel_picks_the_regions_of_its_range),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
