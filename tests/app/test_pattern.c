/* tests/app/test_pattern.c: the pattern recorder end to end through
 * `flitz render` (app/render.h, engine/pattern.h, app/pattern.h): a kit of
 * two one-frame clicks (0.5 and 0.25), so every onset of the output is one
 * nonzero frame whose value is the click times velocity^2. At the kit's 120
 * BPM a bar is 2 s, 96,000 frames at 48 kHz. Proves that recorded hits
 * replay at their exact frames every cycle, that record quantize and swing
 * move them to the grid, that overdub adds, undo removes the last pass and
 * clear empties, that chained patterns alternate, that a full store refuses
 * with one line and keeps what it holds, that a pattern is saved as a render
 * script and loads again in a new render, that a save killed with SIGKILL at
 * any point leaves the old file or the new one (a pattern's text, a
 * resampled recording's WAV), and the script errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app/config.h"
#include "app/mapping.h"
#include "app/pattern.h"
#include "app/render.h"
#include "app/script.h"
#include "capture.h"
#include "engine/result.h"
#include "platform/wav_file.h"

#define ARGV(...) ((char *[]){__VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)))
#define RENDER(...) flz_capture_run(flz_render_main, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

#define BAR 96000u /* frames of a bar at 120 BPM and 48 kHz */
#define ONSETS_MAX 64

typedef struct onset {
  uint64_t frame;
  float value;
} onset;

typedef struct fixture {
  char dir[64];
  char kit[96];
  char script[192];
  char out[192];
} fixture;

/* A mono 16-bit WAV at 48 kHz of the `count` frames `frames`. */
static void write_wav(const char *path, const int16_t *frames, uint32_t count)
{
  uint8_t header[44] = {0};
  uint32_t rate = 48000, data = count * 2, riff = 36 + data, fmt = 16, byte_rate = rate * 2;
  uint16_t pcm = 1, channels = 1, align = 2, bits = 16;
  memcpy(header, "RIFF", 4);
  memcpy(header + 4, &riff, 4);
  memcpy(header + 8, "WAVEfmt ", 8);
  memcpy(header + 16, &fmt, 4);
  memcpy(header + 20, &pcm, 2);
  memcpy(header + 22, &channels, 2);
  memcpy(header + 24, &rate, 4);
  memcpy(header + 28, &byte_rate, 4);
  memcpy(header + 32, &align, 2);
  memcpy(header + 34, &bits, 2);
  memcpy(header + 36, "data", 4);
  memcpy(header + 40, &data, 4);
  FILE *file = fopen(path, "wb");
  assert_non_null(file);
  assert_int_equal(fwrite(header, 1, sizeof header, file), sizeof header);
  assert_int_equal(fwrite(frames, 2, count, file), count);
  assert_int_equal(fclose(file), 0);
}

/* One frame of `value` (of 32768) and three of silence. */
static void write_click(const char *path, int16_t value)
{
  const int16_t frames[4] = {value, 0, 0, 0};
  write_wav(path, frames, 4);
}

/* `count` frames of `value`. */
static void write_level(const char *path, int16_t value, uint32_t count)
{
  int16_t *frames = malloc(count * sizeof *frames);
  assert_non_null(frames);
  for (uint32_t i = 0; i < count; i++)
    frames[i] = value;
  write_wav(path, frames, count);
  free(frames);
}

static void write_text(const char *path, const char *text)
{
  FILE *file = fopen(path, "w");
  assert_non_null(file);
  assert_true(fputs(text, file) >= 0);
  assert_int_equal(fclose(file), 0);
}

static char *read_text(const char *path, size_t *size)
{
  FILE *file = fopen(path, "rb");
  if (file == NULL)
    return NULL;
  assert_int_equal(fseek(file, 0, SEEK_END), 0);
  long length = ftell(file);
  rewind(file);
  char *text = malloc((size_t)length + 1);
  assert_non_null(text);
  assert_int_equal(fread(text, 1, (size_t)length, file), (size_t)length);
  text[length] = '\0';
  fclose(file);
  if (size != NULL)
    *size = (size_t)length;
  return text;
}

static int setup(void **state)
{
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  snprintf(f->dir, sizeof f->dir, "/tmp/flz-pattern-XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  snprintf(f->kit, sizeof f->kit, "%s/kit", f->dir);
  assert_int_equal(mkdir(f->kit, 0755), 0);
  char path[160];
  snprintf(path, sizeof path, "%s/1.wav", f->kit);
  write_click(path, 16384);
  snprintf(path, sizeof path, "%s/2.wav", f->kit);
  write_click(path, 8192);
  snprintf(f->script, sizeof f->script, "%s/events.txt", f->dir);
  snprintf(f->out, sizeof f->out, "%s/out.wav", f->dir);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fixture *f = *state;
  char command[128];
  snprintf(command, sizeof command, "rm -rf '%s'", f->dir);
  assert_int_equal(system(command), 0);
  free(f);
  return 0;
}

/* Renders `script` for `seconds`; `err` (NULL: none expected) is what
 * stderr must say. */
static void render_only(const fixture *f, const char *script, const char *seconds, const char *err)
{
  write_text(f->script, script);
  flz_capture c = RENDER("render", "--seconds", (char *)seconds, (char *)f->kit, (char *)f->script,
                         (char *)f->out);
  if (c.code != 0)
    fail_msg("render exit %d: %s", c.code, c.err);
  assert_string_equal(c.err, err != NULL ? err : "");
  flz_capture_free(&c);
}

/* The left channel of the output (malloc'ed) and its frames. */
static float *left_channel(const fixture *f, size_t *frames)
{
  size_t size;
  char *wav = read_text(f->out, &size);
  assert_non_null(wav);
  const char *data = NULL;
  for (size_t i = 12; i + 8 <= size;) {
    uint32_t chunk;
    memcpy(&chunk, wav + i + 4, 4);
    if (memcmp(wav + i, "data", 4) == 0) {
      data = wav + i + 8;
      break;
    }
    i += 8 + (size_t)chunk;
  }
  assert_non_null(data);
  *frames = (size - (size_t)(data - wav)) / 8;
  float *left = malloc(sizeof(float) * (*frames + 1));
  assert_non_null(left);
  for (size_t i = 0; i < *frames; i++)
    memcpy(&left[i], data + 8 * i, 4);
  free(wav);
  return left;
}

/* The onsets of the output's left channel (its nonzero frames) in
 * `onsets`; their count. */
static size_t onsets_of(const fixture *f, onset *onsets)
{
  size_t frames, count = 0;
  float *left = left_channel(f, &frames);
  for (size_t i = 0; i < frames; i++) {
    if (left[i] != 0.0f) {
      assert_true(count < ONSETS_MAX);
      onsets[count++] = (onset){i, left[i]};
    }
  }
  free(left);
  return count;
}

/* Renders as render_only and returns the output's onsets (onsets_of). */
static size_t render(const fixture *f, const char *script, const char *seconds, const char *err,
                     onset *onsets)
{
  render_only(f, script, seconds, err);
  return onsets_of(f, onsets);
}

static void expect_onsets(const onset *got, size_t count, const onset *want, size_t wanted)
{
  for (size_t i = 0; i < count || i < wanted; i++) {
    if (i >= count || i >= wanted || got[i].frame != want[i].frame || got[i].value != want[i].value)
      fail_msg("onset %zu: got %llu (%g), want %llu (%g) (%zu onsets, %zu wanted)", i,
               i < count ? (unsigned long long)got[i].frame : 0ull,
               i < count ? (double)got[i].value : 0.0,
               i < wanted ? (unsigned long long)want[i].frame : 0ull,
               i < wanted ? (double)want[i].value : 0.0, count, wanted);
  }
}

#define EXPECT(got, count, ...)                                                                    \
  do {                                                                                             \
    static const onset want[] = {__VA_ARGS__};                                                     \
    expect_onsets(got, count, want, sizeof want / sizeof want[0]);                                 \
  } while (0)

static void test_recorded_hits_replay_at_their_frames_every_cycle(void **state)
{
  fixture *f = *state;
  onset o[ONSETS_MAX];
  size_t n = render(f, "0 record on\n0.1 play 1\n0.6 play 2 0.5\n1.9 record off\n", "6", NULL, o);
  EXPECT(o, n, {4800, 0.5f}, {28800, 0.0625f}, {BAR + 4800, 0.5f}, {BAR + 28800, 0.0625f},
         {2 * BAR + 4800, 0.5f}, {2 * BAR + 28800, 0.0625f});

  /* Saved as a render script of one cycle ... */
  char path[160];
  snprintf(path, sizeof path, "%s/pattern-01.txt", f->kit);
  char *text = read_text(path, NULL);
  assert_non_null(text);
  assert_string_equal(text, "# flitz pattern 1 bars 1\n0 tempo 120\n"
                            "0.100000001 play 1 1\n0.600000001 play 2 0.5\n");
  /* ... that renders as it played ... */
  n = render(f, text, "1", NULL, o);
  EXPECT(o, n, {4800, 0.5f}, {28800, 0.0625f});
  free(text);
  /* ... and loads at the next kit load: chosen, it plays without a press. */
  n = render(f, "0 pattern 1\n", "4", NULL, o);
  EXPECT(o, n, {4800, 0.5f}, {28800, 0.0625f}, {BAR + 4800, 0.5f}, {BAR + 28800, 0.0625f});
}

/* Pattern files written by hand: one of 2 bars plays at the seconds it
 * gives (1.5 s and 2.5 s of a 4 s cycle); one out of order is one error
 * line, and its pattern stays empty. */
static void test_hand_written_pattern_files_load_or_say_why(void **state)
{
  fixture *f = *state;
  char path[160], bad[160], err[400];
  snprintf(path, sizeof path, "%s/pattern-03.txt", f->kit);
  write_text(path, "# flitz pattern 3 bars 2\n0 tempo 120\n1.5 play 1 0.5\n2.5 play 2\n");
  snprintf(bad, sizeof bad, "%s/pattern-04.txt", f->kit);
  write_text(bad, "# flitz pattern 4 bars 1\n0 tempo 120\n1.5 play 2\n0.5 play 1\n");
  snprintf(err, sizeof err,
           "error: %s:4: time 0.5 is before the previous event's 1.5: times must not decrease\n",
           bad);
  onset o[ONSETS_MAX];
  size_t n = render(f, "0 pattern 3\n", "6", err, o);
  EXPECT(o, n, {72000, 0.125f}, {120000, 0.25f}, {2 * BAR + 72000, 0.125f});
  n = render(f, "0 pattern 4\n", "2", err, o);
  assert_int_equal(n, 0);
}

static void test_record_quantize_moves_hits_to_the_grid(void **state)
{
  fixture *f = *state;
  onset o[ONSETS_MAX];
  /* Beat 0.2 goes to 0.25 (6000 frames), beat 0.66 to 0.75 (18000). */
  size_t n = render(f,
                    "0 record-quantize 1/16\n0 record on\n0.1 play 1\n0.33 play 2\n"
                    "1.9 record off\n",
                    "4", NULL, o);
  EXPECT(o, n, {4800, 0.5f}, {15840, 0.25f}, {BAR + 6000, 0.5f}, {BAR + 18000, 0.25f});
}

/* The stretches of sound of the left channel: where each run of nonzero
 * frames starts and where it ends (its last frame + 1). */
typedef struct stretch {
  uint64_t onset, end;
} stretch;

static size_t stretches_of(const float *left, size_t frames, stretch *out, size_t capacity)
{
  size_t count = 0;
  for (size_t i = 0; i < frames; i++) {
    if (left[i] != 0.0f && (i == 0 || left[i - 1] == 0.0f)) {
      assert_true(count < capacity);
      out[count].onset = i;
    }
    if (left[i] != 0.0f && (i + 1 == frames || left[i + 1] == 0.0f))
      out[count++].end = i + 1;
  }
  return count;
}

/* Pad 3 of the fixture's kit: a gate pad (kit.ini) of `frames` frames at
 * 0.25. */
static void gate_pad(const fixture *f, uint32_t frames)
{
  char path[160];
  snprintf(path, sizeof path, "%s/3.wav", f->kit);
  write_level(path, 8192, frames);
  snprintf(path, sizeof path, "%s/kit.ini", f->kit);
  write_text(path, "[pad 3]\nmode = gate\n");
}

/* The fixture's kit made a multi-sample pad: <dir>/keys.sfz, an SFZ region
 * over keys 60..62 (key center 61) playing 2 bars at 0.25. */
static void keys_pad(fixture *f)
{
  char path[160];
  snprintf(path, sizeof path, "%s/level.wav", f->dir);
  write_level(path, 8192, 2 * BAR);
  snprintf(f->kit, sizeof f->kit, "%s/keys.sfz", f->dir);
  write_text(f->kit, "<region> sample=level.wav lokey=60 hikey=62 pitch_keycenter=61\n");
}

/* Asserts that the pattern file pattern-01.txt in folder `dir` is `want`. */
static void expect_saved(const char *dir, const char *want)
{
  char path[160];
  snprintf(path, sizeof path, "%s/pattern-01.txt", dir);
  char *text = read_text(path, NULL);
  assert_non_null(text);
  assert_string_equal(text, want);
  free(text);
}

/* Renders `script` (a note held 0.1..0.4 s and one from 1.5 s to 2.05 s)
 * on the fixture's kit and proves every later cycle sounds as the live one,
 * frame for frame: the same onsets and ends (the release's frame plus the 3
 * ms fade, 143 frames that sound); that the pattern file in folder `dir`
 * is `saved`; and that a new render of `pattern 1` plays the same. */
static void expect_held_notes_replayed(const fixture *f, const char *script, const char *dir,
                                       const char *saved)
{
  render_only(f, script, "6", NULL);
  size_t frames;
  float *left = left_channel(f, &frames);
  assert_int_equal(frames, 3 * BAR);
  stretch got[8];
  size_t n = stretches_of(left, frames, got, 8);
  static const stretch want[] = {
    {4800, 19343},
    {72000, BAR + 2543}, /* the live release at 2.05 s: 98,400 */
    {BAR + 4800, BAR + 19343},
    {BAR + 72000, 2 * BAR + 2543},
    {2 * BAR + 4800, 2 * BAR + 19343},
    {2 * BAR + 72000, 3 * BAR},
  };
  for (size_t i = 0; i < n || i < 6; i++)
    if (i >= n || i >= 6 || got[i].onset != want[i].onset || got[i].end != want[i].end)
      fail_msg("stretch %zu: got %llu..%llu, want %llu..%llu (%zu stretches)", i,
               i < n ? (unsigned long long)got[i].onset : 0ull,
               i < n ? (unsigned long long)got[i].end : 0ull,
               i < 6 ? (unsigned long long)want[i].onset : 0ull,
               i < 6 ? (unsigned long long)want[i].end : 0ull, n);
  for (size_t i = 0; i < BAR; i++) { /* sample for sample */
    if (left[2 * BAR + i] != left[BAR + i] || (i >= 2543 && left[BAR + i] != left[i]))
      fail_msg("frame %zu of the cycle: %g, %g, %g", i, (double)left[i], (double)left[BAR + i],
               (double)left[2 * BAR + i]);
  }

  expect_saved(dir, saved);
  render_only(f, "0 pattern 1\n", "4", NULL);
  float *again = left_channel(f, &frames);
  n = stretches_of(again, frames, got, 8);
  assert_int_equal(n, 4);
  for (size_t i = 0; i < 4; i++) { /* cycles 1 and 2 as live, less the live tail before them */
    assert_int_equal(got[i].onset, want[i + 2].onset - BAR);
    assert_int_equal(got[i].end, want[i + 2].end - BAR);
  }
  for (size_t i = 0; i < frames; i++)
    if (again[i] != left[BAR + i] && !(i < 2543 && again[i] == 0.0f))
      fail_msg("frame %zu: %g, live %g", i, (double)again[i], (double)left[BAR + i]);
  free(again);
  free(left);
}

/* A gate pad (pad 3: 2 s at 0.25, kit.ini mode = gate) recorded with its
 * releases: held 0.1..0.4 s, and 1.5 s to 2.05 s, across the cycle's end and
 * released after recording stopped. The file keeps the releases as
 * `release 3` lines. */
static void test_a_gate_pad_plays_back_held_as_long_as_it_was_held(void **state)
{
  fixture *f = *state;
  gate_pad(f, 2 * BAR);
  expect_held_notes_replayed(f,
                             "0 record on\n0.1 play 3\n0.4 release 3\n1.5 play 3 0.5\n"
                             "1.9 record off\n2.05 release 3\n",
                             f->kit,
                             "# flitz pattern 1 bars 1\n0 tempo 120\n0.049999997 release 3\n"
                             "0.100000001 play 3 1\n0.399999999 release 3\n"
                             "1.500000000 play 3 0.5\n");
}

/* Held keys of a multi-sample pad (an SFZ region over keys 60..62, at its
 * key center 61 and 62 a step up): each release is of the key it pressed,
 * and the file's `release 1` lines load back as those keys (the one before
 * the cycle's first press as the cycle's last key, 62). */
static void test_held_keys_of_a_multi_sample_pad_play_back_as_held(void **state)
{
  fixture *f = *state;
  keys_pad(f);
  expect_held_notes_replayed(f,
                             "0 record on\n0.1 note 61 100\n0.4 release 1\n1.5 note 62 64\n"
                             "1.9 record off\n2.05 release 1\n",
                             f->dir,
                             "# flitz pattern 1 bars 1\n0 tempo 120\n0.049999997 release 1 62\n"
                             "0.100000001 note 61 100\n0.399999999 release 1 61\n"
                             "1.500000000 note 62 64\n");
}

/* Two keys held at once on one multi-sample pad (the SFZ region over 60..62),
 * 61 from 0.1 s to 0.6 s and 62 from 0.2 s to 0.3 s: each release is saved
 * with its key, so the pattern's cycles and a new render of the saved
 * pattern sound as the live pass, sample for sample (a release by the pad's
 * last key would end 62 twice and hold 61 on). */
static void test_two_keys_held_on_one_pad_end_each_at_its_own_release(void **state)
{
  fixture *f = *state;
  keys_pad(f);
  render_only(f,
              "0 record on\n0.1 note 61 100\n0.2 note 62 64\n0.3 release 1 62\n"
              "0.6 release 1 61\n1.9 record off\n",
              "4", NULL);
  size_t frames;
  float *live = left_channel(f, &frames);
  assert_int_equal(frames, 2 * BAR);
  expect_saved(f->dir, "# flitz pattern 1 bars 1\n0 tempo 120\n0.100000001 note 61 100\n"
                       "0.200000003 note 62 64\n0.300000004 release 1 62\n"
                       "0.600000001 release 1 61\n");
  for (size_t i = 0; i < BAR; i++)
    if (live[BAR + i] != live[i])
      fail_msg("frame %zu of the cycle: %g, live %g", i, (double)live[BAR + i], (double)live[i]);
  /* 61 alone at 0.15 s and 0.4 s, both at 0.25 s, silence at 0.7 s */
  assert_true(live[7200] > 0.0f && live[19200] == live[7200] && live[12000] > live[7200] &&
              live[33600] == 0.0f);
  render_only(f, "0 pattern 1\n", "2", NULL);
  float *again = left_channel(f, &frames);
  assert_int_equal(frames, BAR);
  for (size_t i = 0; i < BAR; i++)
    if (again[i] != live[i])
      fail_msg("frame %zu: %g, live %g", i, (double)again[i], (double)live[i]);
  free(again);
  free(live);
}

/* Overlapping key ranges of an SFZ kit: the 0.25 click rooted at 36 on
 * 30..40 (pad 1, its keys the lower) and the 0.5 click on key 36 (pad 2).
 * A recorded note 36 presses both (0.75) in every cycle, a `play 2` pad 2
 * alone; the file
 * keeps one `note` line for the note and loads back as the same presses. */
static void test_a_recorded_note_replays_every_pad_that_takes_its_key(void **state)
{
  fixture *f = *state;
  char sfz[512];
  snprintf(sfz, sizeof sfz,
           "<global> amp_veltrack=0\n<region> sample=kit/1.wav key=36\n"
           "<region> sample=kit/2.wav lokey=30 hikey=40 pitch_keycenter=36\n");
  snprintf(f->kit, sizeof f->kit, "%s/keys.sfz", f->dir);
  write_text(f->kit, sfz);
  onset o[ONSETS_MAX];
  size_t n = render(f, "0 record on\n0.1 note 36 127\n0.5 play 2\n1.9 record off\n", "4", NULL, o);
  EXPECT(o, n, {4800, 0.75f}, {24000, 0.5f}, {BAR + 4800, 0.75f}, {BAR + 24000, 0.5f});
  expect_saved(f->dir, "# flitz pattern 1 bars 1\n0 tempo 120\n"
                       "0.100000001 note 36 127\n0.500000000 play 2 1\n");
  n = render(f, "0 pattern 1\n", "2", NULL, o);
  EXPECT(o, n, {4800, 0.75f}, {24000, 0.5f});
}

/* A note the pattern holds is let go when the pattern gives way to
 * another or stops: pad 3 recorded held from 1.5 s to 2.05 s (across the
 * cycle's end) plays again at 1.5 s of the next cycle; pattern 2 (empty),
 * chosen at 2.5 s, starts at that cycle's end (4 s), where the note ends
 * (with its fade); `pattern off` at 3.8 s ends it there. */
static void test_a_held_note_ends_when_its_pattern_gives_way_or_stops(void **state)
{
  fixture *f = *state;
  gate_pad(f, 3 * BAR);
  static const char *const endings[] = {"2.5 pattern 2\n", "3.8 pattern off\n"};
  static const uint64_t ends[] = {2 * BAR + 143, 182400 + 143};
  for (size_t i = 0; i < 2; i++) {
    char script[256];
    snprintf(script, sizeof script, "0 record on\n1.5 play 3\n1.9 record off\n2.05 release 3\n%s",
             endings[i]);
    render_only(f, script, "6", NULL);
    size_t frames;
    float *left = left_channel(f, &frames);
    stretch got[4];
    size_t n = stretches_of(left, frames, got, 4);
    assert_int_equal(n, 2);
    assert_int_equal(got[0].end, 98400 + 143);
    assert_int_equal(got[1].onset, BAR + 72000);
    assert_int_equal(got[1].end, ends[i]);
    free(left);
  }
}

/* Overdub records a pass of presses with their releases; undo takes them
 * away together: after the undo at 4 s the third cycle plays only the
 * first pass's note (0.1..0.4 s), and the file holds only it. */
static void test_undo_removes_a_pass_with_its_releases(void **state)
{
  fixture *f = *state;
  gate_pad(f, BAR);
  render_only(f,
              "0 record on\n0.1 play 3\n0.4 release 3\n1.9 record off\n2 record overdub\n"
              "2.5 play 3 0.5\n2.8 release 3\n3.9 record off\n4 record undo\n",
              "6", NULL);
  size_t frames;
  float *left = left_channel(f, &frames);
  stretch got[8];
  size_t n = stretches_of(left, frames, got, 8);
  assert_int_equal(n, 4);
  assert_int_equal(got[1].onset, BAR + 4800);
  assert_int_equal(got[2].onset, BAR + 24000); /* the overdub, live */
  assert_int_equal(got[2].end, BAR + 38400 + 143);
  assert_int_equal(got[3].onset, 2 * BAR + 4800);
  assert_int_equal(got[3].end, 2 * BAR + 19343);
  free(left);
  expect_saved(f->kit, "# flitz pattern 1 bars 1\n0 tempo 120\n0.100000001 play 3 1\n"
                       "0.399999999 release 3\n");
}

/* Record quantize moves a release with its press: held 0.11..0.41 s, the
 * press goes to the 1/16 line at 0.125 s and the release to 0.425 s, the
 * same 0.3 s later. */
static void test_quantize_keeps_the_held_length(void **state)
{
  fixture *f = *state;
  gate_pad(f, BAR);
  render_only(f,
              "0 record-quantize 1/16\n0 record on\n0.11 play 3\n0.41 release 3\n"
              "1.9 record off\n",
              "4", NULL);
  size_t frames;
  float *left = left_channel(f, &frames);
  stretch got[4];
  size_t n = stretches_of(left, frames, got, 4);
  assert_int_equal(n, 2);
  assert_int_equal(got[0].onset, 5280);
  assert_int_equal(got[0].end, 19680 + 143);
  assert_int_equal(got[1].onset, BAR + 6000);
  assert_int_equal(got[1].end, BAR + 20400 + 143);
  free(left);
}

static void test_swing_moves_the_second_sixteenth_of_each_pair(void **state)
{
  fixture *f = *state;
  onset o[ONSETS_MAX];
  /* Swing 60 %: a pair of 1/16 lines spans 0.5 beats, its second line at
   * 0.3. Beat 0.28 goes to 0.3 (7200 frames), 0.6 to 0.5 (12000), 0.8 to
   * 0.8 (19200). */
  size_t n = render(f,
                    "0 record-quantize 1/16 swing 60\n0 record on\n0.14 play 1\n0.3 play 2\n"
                    "0.4 play 1\n1.9 record off\n",
                    "4", NULL, o);
  EXPECT(o, n, {6720, 0.5f}, {14400, 0.25f}, {19200, 0.5f}, {BAR + 7200, 0.5f},
         {BAR + 12000, 0.25f}, {BAR + 19200, 0.5f});
}

static void test_overdub_adds_and_undo_removes_the_last_pass(void **state)
{
  fixture *f = *state;
  onset o[ONSETS_MAX];
  size_t n = render(f,
                    "0 record on\n0.1 play 1\n1 record off\n"
                    "2.5 record overdub\n2.75 play 2\n3.5 record off\n"
                    "5.9 record undo\n",
                    "8", NULL, o);
  EXPECT(o, n, {4800, 0.5f}, {BAR + 4800, 0.5f}, {132000, 0.25f}, {2 * BAR + 4800, 0.5f},
         {2 * BAR + 36000, 0.25f}, {3 * BAR + 4800, 0.5f});
}

static void test_clear_empties_the_pattern_and_its_file(void **state)
{
  fixture *f = *state;
  onset o[ONSETS_MAX];
  size_t n = render(f, "0 record on\n0.1 play 1\n1 record off\n2.5 record clear\n", "6", NULL, o);
  EXPECT(o, n, {4800, 0.5f}, {BAR + 4800, 0.5f});
  char path[160];
  snprintf(path, sizeof path, "%s/pattern-01.txt", f->kit);
  assert_null(read_text(path, NULL));
}

/* Positions are beats: after a tempo change at a cycle's start (beat 4)
 * from 120 to 60 BPM, the hit at beat 1 of each cycle comes at beat 5
 * (96000 + 48000) and beat 9 (96000 + 5 x 48000). */
static void test_patterns_follow_the_tempo_on_the_beat(void **state)
{
  fixture *f = *state;
  onset o[ONSETS_MAX];
  size_t n = render(f, "0 record on\n0.5 play 1\n1.9 record off\n2 tempo 60\n", "7.5", NULL, o);
  EXPECT(o, n, {24000, 0.5f}, {144000, 0.5f}, {336000, 0.5f});
}

/* A followed MIDI clock's Start at 3 s, then ticks at 120 BPM: once the
 * clock locks, the engine's beat is the clock's (0 at the Start), and the
 * pattern with it: its hit at beat 0.2 comes at 3 + 2k + 0.1 s (the one the
 * engine's own beat had at 4.1 s is gone; the lock took longer than the
 * 0.1 s to the first). */
static void test_patterns_lock_to_a_midi_clocks_start(void **state)
{
  fixture *f = *state;
  size_t size = 64 + 5 * 48 * 32;
  char *script = malloc(size);
  assert_non_null(script);
  size_t length = (size_t)snprintf(script, size,
                                   "0 record on\n0.1 play 1\n1.9 record off\n"
                                   "3 clock start\n");
  for (uint32_t k = 0; k < 5 * 48; k++) /* 24 ticks a beat, 48 a second */
    length += (size_t)snprintf(script + length, size - length, "%.9f clock tick\n", 3.0 + k / 48.0);
  onset o[ONSETS_MAX];
  size_t n = render(f, script, "8", NULL, o);
  free(script);
  EXPECT(o, n, {4800, 0.5f}, {BAR + 4800, 0.5f}, {144000 + BAR + 4800, 0.5f},
         {144000 + 2 * BAR + 4800, 0.5f});
}

static void test_chained_patterns_play_in_turn(void **state)
{
  fixture *f = *state;
  onset o[ONSETS_MAX];
  /* Pattern 2 is chosen while 1 plays: it starts at the cycle's end (2 s). */
  size_t n = render(f,
                    "0 record on\n0.1 play 1\n1.9 record off\n1.95 pattern 2 bars 1\n"
                    "2 record on\n2.2 play 2\n3 chain 1,2\n3.9 record off\n",
                    "12", NULL, o);
  EXPECT(o, n, {4800, 0.5f}, {BAR + 9600, 0.25f}, {2 * BAR + 4800, 0.5f}, {3 * BAR + 9600, 0.25f},
         {4 * BAR + 4800, 0.5f}, {5 * BAR + 9600, 0.25f});
}

static void test_a_full_store_refuses_with_one_line_and_keeps_what_it_holds(void **state)
{
  fixture *f = *state;
  size_t hits = FLZ_PATTERN_EVENTS + 10;
  size_t size = hits * 20 + 64;
  char *script = malloc(size);
  assert_non_null(script);
  size_t length = (size_t)snprintf(script, size, "0 record on\n");
  for (size_t i = 0; i < hits; i++)
    length += (size_t)snprintf(script + length, size - length, "0.5 play 1 0.001\n");
  snprintf(script + length, size - length, "1 record off\n");
  onset o[ONSETS_MAX];
  char err[160];
  snprintf(err, sizeof err,
           "flitz: the pattern store is full (%u events): pattern 1 records no more\n",
           (unsigned)FLZ_PATTERN_EVENTS);
  (void)render(f, script, "1.5", err, o);
  free(script);
  char path[160];
  snprintf(path, sizeof path, "%s/pattern-01.txt", f->kit);
  char *text = read_text(path, NULL);
  assert_non_null(text);
  size_t lines = 0;
  for (const char *c = text; *c != '\0'; c++)
    lines += *c == '\n';
  free(text);
  assert_int_equal(lines, FLZ_PATTERN_EVENTS + 2); /* the header, the tempo, every event */
}

/* The metronome: a 20 ms burst (960 frames) from each beat's frame, 2 kHz
 * on a bar's first beat and 1 kHz on the others (counted by zero
 * crossings: 2 per cycle), silence between; none before it is turned on. */
static void test_the_metronome_clicks_on_every_beat_from_the_frame_clock(void **state)
{
  fixture *f = *state;
  render_only(f, "0.25 metronome 0\n", "2.1", NULL);
  size_t frames;
  float *left = left_channel(f, &frames);
  assert_int_equal(frames, 100800);
  for (size_t i = 0; i < 24000; i++)
    assert_true(left[i] == 0.0f);
  for (uint32_t beat = 1; beat <= 4; beat++) {
    size_t at = beat * 24000u, crossings = 0;
    assert_true(left[at] == 0.0f); /* the sine starts at 0 */
    for (size_t i = at + 1; i < at + 960; i++) {
      assert_true(left[i] != 0.0f || left[i - 1] != 0.0f);
      crossings += (left[i] > 0.0f) != (left[i - 1] > 0.0f) && left[i] != 0.0f;
    }
    for (size_t i = at + 960; i < at + 24000 && i < frames; i++)
      assert_true(left[i] == 0.0f);
    /* 20 ms of 2 kHz: 40 cycles; of 1 kHz: 20 (a crossing or two of
     * rounding at the ends). */
    size_t cycles = beat % 4 == 0 ? 40 : 20;
    if (crossings < 2 * cycles - 2 || crossings > 2 * cycles + 1)
      fail_msg("beat %u: %zu zero crossings, want about %zu", beat, crossings, 2 * cycles);
  }
  free(left);
}

/* On a kit folder that cannot be written, patterns go to the state folder,
 * and render says where in one line; the kit's own pattern files still
 * load. As root (which writes anywhere) the render runs as the user nobody:
 * the flitz binary, executed in a child (this process has threads by now,
 * and a forked copy of it may not start more: ThreadSanitizer refuses),
 * copied first where nobody can reach it (the build tree may lie in
 * /root). */
static void test_a_read_only_kit_keeps_patterns_in_the_state_folder(void **state)
{
  fixture *f = *state;
  char state_dir[96], expected[512], saved[256], kit_file[160];
  snprintf(state_dir, sizeof state_dir, "%s/state", f->dir);
  assert_int_equal(mkdir(state_dir, 0777), 0);
  assert_int_equal(chmod(state_dir, 0777), 0);
  assert_int_equal(chmod(f->dir, 0755), 0);
  char shipped[160]; /* a pattern that came with the kit */
  snprintf(shipped, sizeof shipped, "%s/pattern-02.txt", f->kit);
  write_text(shipped, "# flitz pattern 2 bars 1\n0 tempo 120\n0.5 play 2\n");
  assert_int_equal(chmod(f->kit, 0555), 0);
  snprintf(f->out, sizeof f->out, "%s/out.wav", state_dir);
  snprintf(f->script, sizeof f->script, "%s/events.txt", state_dir);
  snprintf(saved, sizeof saved, "%s/flitz/patterns/kit/pattern-01.txt", state_dir);
  snprintf(kit_file, sizeof kit_file, "%s/pattern-01.txt", f->kit);
  snprintf(expected, sizeof expected,
           "flitz: %s is read-only: patterns are kept in %s/flitz/patterns/kit\n", f->kit,
           state_dir);
  char err_path[128];
  snprintf(err_path, sizeof err_path, "%s/stderr.txt", state_dir);
  write_text(f->script, "0 record on\n0.1 play 1\n1 record off\n1.5 pattern 2\n");
  char binary[128];
  snprintf(binary, sizeof binary, "%s/flitz-binary", f->dir);
  size_t binary_size = 0;
  char *image = read_text(FLZ_BINARY, &binary_size);
  assert_non_null(image);
  FILE *copy = fopen(binary, "wb");
  assert_non_null(copy);
  assert_int_equal(fwrite(image, 1, binary_size, copy), binary_size);
  assert_int_equal(fclose(copy), 0);
  free(image);
  assert_int_equal(chmod(binary, 0755), 0);
  pid_t child = fork();
  assert_true(child >= 0);
  if (child == 0) {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
      _exit(10);
    /* nobody's own home and no sound server: the render needs neither */
    if (setenv("XDG_STATE_HOME", state_dir, 1) != 0 || setenv("HOME", state_dir, 1) != 0 ||
        setenv("SDL_AUDIODRIVER", "dummy", 1) != 0 || !freopen("/dev/null", "w", stdout) ||
        !freopen(err_path, "w", stderr))
      _exit(11);
    execl(binary, binary, "render", "--seconds", "3", f->kit, f->script, f->out, (char *)NULL);
    _exit(12);
  }
  int status;
  assert_int_equal(waitpid(child, &status, 0), child);
  assert_int_equal(chmod(f->kit, 0755), 0);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
  char *err = read_text(err_path, NULL);
  assert_non_null(err);
  assert_string_equal(err, expected);
  free(err);
  remove(err_path);
  remove(binary);
  char *text = read_text(saved, NULL);
  assert_non_null(text);
  assert_string_equal(text, "# flitz pattern 1 bars 1\n0 tempo 120\n0.100000001 play 1 1\n");
  free(text);
  assert_null(read_text(kit_file, NULL));
  /* The kit's own pattern 2 loaded and played, from the cycle's end. */
  onset o[ONSETS_MAX];
  size_t n = onsets_of(f, o);
  EXPECT(o, n, {4800, 0.5f}, {BAR + 24000, 0.25f});
}

/* A file saved again and again in two versions, for the kill tests. */
typedef struct kill_target {
  char path[160];
  int (*save)(const struct kill_target *target, int version); /* FLZ_OK or an error */
  const void *data[2]; /* what `save` writes of each version ... */
  size_t sizes[2];     /* ... and its size (bytes or frames, as `save` reads it) */
  char *bytes[2];      /* the whole file after a save of each version */
  size_t lengths[2];
} kill_target;

/* A child process saving the two versions in turn, for ever. */
static void save_for_ever(const kill_target *target)
{
  for (;;) {
    if (target->save(target, 0) != FLZ_OK || target->save(target, 1) != FLZ_OK)
      _exit(1);
  }
}

/* Kills a child saving `target` with SIGKILL 60 times, at random moments;
 * after each kill the file is the whole old version or the whole new one,
 * and both are seen (kills fell on both sides of a rename). */
static void kill_saves_at_random(const kill_target *target)
{
  assert_int_equal(target->save(target, 0), FLZ_OK);
  uint32_t seed = 12345, seen[2] = {0, 0};
  for (int round = 0; round < 60; round++) {
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0)
      save_for_ever(target);
    seed = seed * 1103515245u + 12345u;
    struct timespec wait = {0, (long)((seed >> 8) % 20000u) * 1000l};
    nanosleep(&wait, NULL);
    assert_int_equal(kill(child, SIGKILL), 0);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status));
    size_t size;
    char *text = read_text(target->path, &size);
    assert_non_null(text);
    int version = -1;
    for (int v = 0; v < 2; v++)
      if (size == target->lengths[v] && memcmp(text, target->bytes[v], size) == 0)
        version = v;
    if (version < 0)
      fail_msg("round %d: %s is neither version (%zu bytes)", round, target->path, size);
    seen[version]++;
    free(text);
  }
  assert_true(seen[0] > 0);
  assert_true(seen[1] > 0);
}

static int save_pattern_text(const kill_target *target, int version)
{
  return flz_pattern_write_atomic(target->path, target->data[version], target->sizes[version]);
}

static void test_a_save_killed_at_any_point_leaves_the_old_or_the_new_file(void **state)
{
  fixture *f = *state;
  /* Two versions of 300 and 400 KB: each save takes long enough that the
   * kills land in every step (write, fsync, rename). */
  kill_target target = {.save = save_pattern_text, .sizes = {300000, 400000}};
  for (int v = 0; v < 2; v++) {
    char *text = malloc(target.sizes[v]);
    assert_non_null(text);
    for (size_t i = 0; i < target.sizes[v]; i++)
      text[i] = (char)((v == 0 ? 'a' : 'A') + i % 26);
    target.data[v] = target.bytes[v] = text;
    target.lengths[v] = target.sizes[v];
  }
  snprintf(target.path, sizeof target.path, "%s/pattern-01.txt", f->kit);
  kill_saves_at_random(&target);
  free(target.bytes[0]);
  free(target.bytes[1]);
}

static int save_resample_wav(const kill_target *target, int version)
{
  int error = 0;
  return flz_wav_file_save(target->path, FLZ_WAV_FLOAT32, 2, 48000, target->data[version],
                           (uint32_t)target->sizes[version], &error);
}

/* A resampled recording's WAV (app/resampling.h saves it with
 * flz_wav_file_save, 32-bit float stereo) killed while it is written: the
 * file is always a whole WAV, the old recording or the new one, never a
 * cut one. The versions: 0.8 s and 1 s (307 and 384 KB). */
static void test_a_resample_wav_killed_while_saved_is_the_old_or_the_new_one(void **state)
{
  fixture *f = *state;
  kill_target target = {.save = save_resample_wav, .sizes = {38400, 48000}};
  snprintf(target.path, sizeof target.path, "%s/resample-001.wav", f->kit);
  float *data[2];
  for (int v = 0; v < 2; v++) {
    data[v] = malloc(target.sizes[v] * 2 * sizeof(float));
    assert_non_null(data[v]);
    for (size_t i = 0; i < target.sizes[v] * 2; i++)
      data[v][i] = (float)((i * (v + 3)) % 1000) / 1000.0f - 0.5f;
    target.data[v] = data[v];
    assert_int_equal(save_resample_wav(&target, v), FLZ_OK);
    target.bytes[v] = read_text(target.path, &target.lengths[v]);
    assert_non_null(target.bytes[v]);
    uint32_t riff;
    memcpy(&riff, target.bytes[v] + 4, 4);
    assert_int_equal(riff + 8, target.lengths[v]); /* a whole WAV */
  }
  kill_saves_at_random(&target);
  for (int v = 0; v < 2; v++) {
    free(data[v]);
    free(target.bytes[v]);
  }
}

static void test_script_errors_name_the_event_and_the_reason(void **state)
{
  (void)state;
  static const struct {
    const char *text;
    const char *why;
  } cases[] = {
    {"0 record maybe\n", "record must be on, off, overdub, undo or clear, not 'maybe'"},
    {"0 pattern 17\n", "pattern must be 1 to 16 or off, not '17'"},
    {"0 pattern 2 bars 17\n", "bars must be 1 to 16, not '17'"},
    {"0 pattern 2 beats 4\n", "unexpected 'beats' after pattern 2"},
    {"0 chain 1,x\n", "chain must be up to 16 patterns 1 to 16 joined by commas, not '1,x'"},
    {"0 record-quantize bar\n", "record-quantize must be off, 1/16, 1/8 or 1/4, not 'bar'"},
    {"0 record-quantize 1/8 swing 80\n", "swing must be 50 to 75 percent, not '80'"},
    {"0 metronome loud\n", "metronome must be a level in dB up to +24 or off, not 'loud'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    flz_script script;
    uint32_t line = 0;
    char why[256] = "";
    int result = flz_script_parse(cases[i].text, 8, &script, &line, why, sizeof why);
    if (result != FLZ_ERR_SYNTAX || line != 1 || strcmp(why, cases[i].why) != 0)
      fail_msg("case %zu: result %d line %u why \"%s\"", i, result, (unsigned)line, why);
  }
}

/* The recorder's controls in flitz.ini: a key, a MIDI CC and note, a
 * controller button; they map to their actions and print back. */
static void test_record_controls_map_from_keys_midi_and_buttons(void **state)
{
  (void)state;
  static const char text[] = "[keys]\nReturn = record\nBackspace = record-undo\n"
                             "[cc]\n64 = record-clear\n[notes]\n60 = pattern-2\n"
                             "[buttons]\nleftstick = metronome\n";
  FILE *file = fmemopen((void *)text, sizeof text - 1, "r");
  assert_non_null(file);
  static flz_config config;
  uint32_t line = 0;
  char why[256] = "";
  assert_int_equal(flz_config_read(file, "flitz.ini", &config, &line, why, sizeof why), FLZ_OK);
  fclose(file);
  static flz_mapping mapping;
  static flz_mapping_state held;
  static flz_mapping_action out[FLZ_MAPPING_ACTIONS_MAX];
  flz_mapping_init(&mapping, &config);
  flz_mapping_state_init(&held);
  static const struct {
    flz_input_event event;
    uint32_t type, slot;
  } cases[] = {
    {{.source = FLZ_SOURCE_KEYBOARD, .type = FLZ_INPUT_PRESS, .control = 40, .value = 1.0f},
     FLZ_MAPPING_RECORD,
     FLZ_RECORD_TOGGLE},
    {{.source = FLZ_SOURCE_KEYBOARD, .type = FLZ_INPUT_PRESS, .control = 42, .value = 1.0f},
     FLZ_MAPPING_RECORD,
     FLZ_RECORD_UNDO},
    {{.source = FLZ_SOURCE_MIDI, .type = FLZ_INPUT_CONTROL_CHANGE, .control = 64, .value = 1.0f},
     FLZ_MAPPING_RECORD,
     FLZ_RECORD_CLEAR},
    {{.source = FLZ_SOURCE_MIDI, .type = FLZ_INPUT_PRESS, .control = 60, .value = 0.5f},
     FLZ_MAPPING_PATTERN,
     1},
    {{.source = FLZ_SOURCE_GAMEPAD,
      .type = FLZ_INPUT_PRESS,
      .control = FLZ_BUTTON_LEFT_STICK,
      .value = 1.0f},
     FLZ_MAPPING_METRONOME,
     0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint32_t count = flz_mapping_event(&mapping, &held, &cases[i].event, out);
    if (count != 1 || out[0].type != cases[i].type || out[0].slot != cases[i].slot)
      fail_msg("case %zu: %u actions, type %u slot %u", i, (unsigned)count, (unsigned)out[0].type,
               (unsigned)out[0].slot);
  }
  char printed[65536];
  FILE *print = fmemopen(printed, sizeof printed, "w");
  assert_non_null(print);
  flz_config_print(&config, print);
  fclose(print);
  assert_non_null(strstr(printed, "Return = record\n"));
  assert_non_null(strstr(printed, "Backspace = record-undo\n"));
  assert_non_null(strstr(printed, "64 = record-clear\n"));
  assert_non_null(strstr(printed, "60 = pattern-2\n"));
  assert_non_null(strstr(printed, "leftstick = metronome\n"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_recorded_hits_replay_at_their_frames_every_cycle, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_hand_written_pattern_files_load_or_say_why, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_record_quantize_moves_hits_to_the_grid, setup, teardown),
    cmocka_unit_test_setup_teardown(test_swing_moves_the_second_sixteenth_of_each_pair, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_a_gate_pad_plays_back_held_as_long_as_it_was_held, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_held_keys_of_a_multi_sample_pad_play_back_as_held, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_two_keys_held_on_one_pad_end_each_at_its_own_release,
                                    setup, teardown),
    cmocka_unit_test_setup_teardown(test_a_recorded_note_replays_every_pad_that_takes_its_key,
                                    setup, teardown),
    cmocka_unit_test_setup_teardown(test_quantize_keeps_the_held_length, setup, teardown),
    cmocka_unit_test_setup_teardown(test_undo_removes_a_pass_with_its_releases, setup, teardown),
    cmocka_unit_test_setup_teardown(test_a_held_note_ends_when_its_pattern_gives_way_or_stops,
                                    setup, teardown),
    cmocka_unit_test_setup_teardown(test_overdub_adds_and_undo_removes_the_last_pass, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_clear_empties_the_pattern_and_its_file, setup, teardown),
    cmocka_unit_test_setup_teardown(test_chained_patterns_play_in_turn, setup, teardown),
    cmocka_unit_test_setup_teardown(test_patterns_follow_the_tempo_on_the_beat, setup, teardown),
    cmocka_unit_test_setup_teardown(test_patterns_lock_to_a_midi_clocks_start, setup, teardown),
    cmocka_unit_test_setup_teardown(test_a_full_store_refuses_with_one_line_and_keeps_what_it_holds,
                                    setup, teardown),
    cmocka_unit_test_setup_teardown(test_a_save_killed_at_any_point_leaves_the_old_or_the_new_file,
                                    setup, teardown),
    cmocka_unit_test_setup_teardown(
      test_a_resample_wav_killed_while_saved_is_the_old_or_the_new_one, setup, teardown),
    cmocka_unit_test(test_script_errors_name_the_event_and_the_reason),
    cmocka_unit_test(test_record_controls_map_from_keys_midi_and_buttons),
    cmocka_unit_test_setup_teardown(test_the_metronome_clicks_on_every_beat_from_the_frame_clock,
                                    setup, teardown),
    cmocka_unit_test_setup_teardown(test_a_read_only_kit_keeps_patterns_in_the_state_folder, setup,
                                    teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
