/* tests/app/test_clock.c: following a MIDI clock end to end: the whole app
 * in-process with SDL's disk audio driver standing in for the sound card and
 * `clock = follow`, a thread writing raw MIDI (Start, ticks at 150 BPM with
 * +-1 ms of jitter, a Note On, Stop) into a --midi-in FIFO. The kit's pad
 * is a BPM-locked loop one beat long at 120 BPM with a click at its start:
 * followed, it clicks every 60 / 150 s = 400 ms, which the test finds with
 * a tap on the render path (tools/bench/onsets.h: each click's time is its
 * period's callback time plus its offset), and the app says when it locked
 * and, 2 s after the last tick, that the clock is lost.
 *
 * Tolerances: the disk driver paces its periods with sleeps, which on a
 * busy machine run a few % slower than the nominal rate, and its callback
 * times wander by milliseconds (flitz bench --latency's jitter). The
 * engine follows the clock in the driver's frames, so the tempo it prints
 * (in frames at the nominal 48 kHz) is within 6 % of the clock's, and the
 * clicks' mean interval in wall time within 1 % of 400 ms.
 *
 * Leading (`clock = lead`, --midi-out on a FIFO the test reads): Start,
 * then ticks at the kit's 120 BPM (one every 20.83 ms), then Stop when the
 * app quits.
 *
 * Start and Song Position Pointer through `flitz render` (clock events in
 * the script): a sounding BPM-locked loop moves to the clock's beat at the
 * tick after them, frame for frame. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/run.h"
#include "engine/result.h"
#include "platform/clock.h"
#include "platform/thread.h"
#include "platform/wav_file.h"
#include "tools/bench/onsets.h"

#include "kitrender.h"
#include "liverun.h"
#include "tempdir.h"

#define RATE 48000u
#define BPM 150.0
#define BEATS 12u

typedef struct flz_clock_test {
  const char *fifo; /* the run's --midi-in FIFO */
  flz_thread writer;
  int started;
  _Atomic int done;
  uint64_t loaded_ns;
  uint64_t done_ns;
  int write_failed;
  flz_bench_onsets onsets; /* audio thread */
} flz_clock_test;

static void tap(void *user, float *out, uint32_t frames, uint32_t channels, uint64_t period_time_ns)
{
  flz_clock_test *t = user;
  flz_bench_onsets_scan(&t->onsets, out, frames, channels, period_time_ns);
}

static void writer(void *user)
{
  flz_clock_test *t = user;
  int fd = open(t->fifo, O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    t->write_failed = 1;
    atomic_store(&t->done, 1);
    return;
  }
  const uint8_t start = 0xFA, tick = 0xF8, stop = 0xFC, note_on[3] = {0x99, 36, 127};
  uint64_t seed = 99, base = flz_clock_now_ns() + 20000000u;
  double tick_ns = 60e9 / (BPM * 24.0);
  t->write_failed |= write(fd, &start, 1) != 1;
  for (uint32_t k = 0; k < BEATS * 24 && !t->write_failed; k++) {
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    double jitter = ((double)(seed >> 11) / (double)(1ull << 52) - 1.0) * 1e6;
    flz_clock_sleep_until_ns((uint64_t)((double)base + k * tick_ns + jitter));
    t->write_failed |= write(fd, &tick, 1) != 1;
    if (k == 2 * 24)
      t->write_failed |= write(fd, note_on, 3) != 3;
  }
  t->write_failed |= write(fd, &stop, 1) != 1;
  /* Held open, silent: the clock is lost, not the device. */
  flz_clock_sleep_until_ns(flz_clock_now_ns() + 2600000000u);
  close(fd);
  atomic_store(&t->done, 1);
}

static void tick(void *user, flz_run_state *state)
{
  flz_clock_test *t = user;
  uint64_t now = flz_clock_now_ns();
  if (t->loaded_ns == 0 && state->pads_loaded >= 1)
    t->loaded_ns = now;
  if (!t->started && t->loaded_ns != 0 && now > t->loaded_ns + 500000000u) {
    assert_int_equal(flz_thread_start(&t->writer, writer, t), FLZ_OK);
    t->started = 1;
  }
  if (t->started && t->done_ns == 0 && atomic_load(&t->done))
    t->done_ns = now;
  if ((t->done_ns != 0 && now > t->done_ns + 100000000u) || state->loops > 3000)
    state->quit = 1;
}

/* Writes the kit folder <dir>/kit into `kit` (`size` bytes): its pad,
 * `name`, mono float32 at `rate` Hz (`frames` frames of `data`), and its
 * kit.ini `ini` (NULL: none). */
static void write_kit(char *kit, size_t size, const char *dir, const char *name, const float *data,
                      uint32_t frames, uint32_t rate, const char *ini)
{
  char path[200];
  snprintf(kit, size, "%s/kit", dir);
  assert_int_equal(mkdir(kit, 0700), 0);
  snprintf(path, sizeof path, "%s/%s", kit, name);
  flz_wav_file wav;
  assert_int_equal(flz_wav_file_open(&wav, path, FLZ_WAV_FLOAT32, 1, rate), FLZ_OK);
  assert_int_equal(flz_wav_file_write(&wav, data, frames), FLZ_OK);
  assert_int_equal(flz_wav_file_close(&wav), FLZ_OK);
  if (ini != NULL) {
    snprintf(path, sizeof path, "%s/kit.ini", kit);
    flz_tempdir_write(path, ini);
  }
}

static void clock_follow_plays_a_locked_loop_at_the_clocks_tempo(void **state)
{
  (void)state;
  char dir[64];
  flz_tempdir_make(dir, sizeof dir, "flitz-clock-test");
  char kit[160], out[160];
  static float loop[RATE / 2];
  loop[0] = 1.0f;
  loop[1] = 0.5f;
  write_kit(kit, sizeof kit, dir, "loop.wav", loop, RATE / 2, RATE,
            "[kit]\nbpm = 120\nquantize = 1/4\n[pad 1]\nmode = loop\nbpm = 120\n"
            "bpm_lock = true\n");
  flz_liverun run;
  flz_liverun_init(&run, dir, FLZ_LIVERUN_MIDI_IN);
  flz_liverun_config(&run, "[audio]\nrate = 48000\nperiod = 256\ninterpolation = linear\n"
                           "[midi]\nsequencer = false\nclock = follow\n");
  flz_clock_test t = {.fifo = run.fifo};
  atomic_init(&t.done, 0);
  snprintf(out, sizeof out, "%s/stdout", dir);

  assert_int_equal(flz_bench_onsets_init(&t.onsets, 64), FLZ_OK);
  flz_run_hooks hooks = {.tick = tick, .user = &t, .tap = tap, .tap_user = &t};
  fflush(stdout);
  int saved = dup(STDOUT_FILENO);
  int captured = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  assert_true(saved >= 0 && captured >= 0);
  dup2(captured, STDOUT_FILENO);
  int code = flz_run(&run.options, kit, &hooks);
  fflush(stdout);
  dup2(saved, STDOUT_FILENO);
  close(saved);
  close(captured);
  if (t.started)
    flz_thread_join(&t.writer);
  assert_int_equal(code, 0);
  assert_false(t.write_failed);

  size_t size = 0;
  char *text = flz_tempdir_read(out, &size);
  printf("%s", text);
  const char *locked = strstr(text, "flitz: following the MIDI clock at ");
  assert_non_null(locked);
  double bpm = atof(locked + strlen("flitz: following the MIDI clock at "));
  assert_true(bpm > BPM * 0.94 && bpm < BPM * 1.06);
  const char *lost = strstr(text, "flitz: MIDI clock lost (no tick for 2 s); keeping ");
  assert_non_null(lost);
  assert_true(lost > locked);
  double kept = atof(lost + strlen("flitz: MIDI clock lost (no tick for 2 s); keeping "));
  assert_true(kept > BPM * 0.94 && kept < BPM * 1.06);
  free(text);

  /* Pressed on beat 2, launched on beat 3, paused by Stop after beat 12. */
  uint32_t n = t.onsets.count;
  printf("%u clicks\n", n);
  assert_true(n >= 8 && n <= 10);
  double first = flz_bench_onsets_time_ns(&t.onsets, 0, RATE);
  double last = flz_bench_onsets_time_ns(&t.onsets, n - 1, RATE);
  double mean = (last - first) / (n - 1) * 1e-6;
  printf("mean click interval %.3f ms\n", mean);
  assert_true(mean > 400.0 * 0.99 && mean < 400.0 * 1.01);
  flz_bench_onsets_deinit(&t.onsets);
  flz_liverun_deinit(&run);
  flz_tempdir_remove(dir);
}

/* ---- leading ---- */

#define LEAD_BYTES 512

typedef struct flz_lead_test {
  int fd; /* the FIFO's read end */
  uint8_t bytes[LEAD_BYTES];
  uint64_t times[LEAD_BYTES];
  uint32_t count;
  _Atomic int quit;
  uint64_t loaded_ns;
  flz_thread reader;
  uint64_t first_ns, last_ns; /* audio thread: callback times, and frames between */
  uint64_t frames;
} flz_lead_test;

/* The audio clock: frames rendered between the first and the last callback. */
static void lead_tap(void *user, float *out, uint32_t frames, uint32_t channels,
                     uint64_t period_time_ns)
{
  (void)out;
  (void)channels;
  flz_lead_test *t = user;
  if (t->first_ns == 0)
    t->first_ns = period_time_ns;
  else
    t->frames += frames;
  t->last_ns = period_time_ns;
}

/* Reads the FIFO until the app has quit and its writer closed it. */
static void lead_reader(void *user)
{
  flz_lead_test *t = user;
  for (;;) {
    struct pollfd p = {.fd = t->fd, .events = POLLIN};
    if (poll(&p, 1, 100) <= 0) {
      if (atomic_load(&t->quit) == 2)
        return;
      continue;
    }
    uint8_t buffer[64];
    ssize_t n = read(t->fd, buffer, sizeof buffer);
    uint64_t now = flz_clock_now_ns();
    if (n == 0 && atomic_load(&t->quit) == 2)
      return;
    if (n == 0)
      flz_clock_sleep_until_ns(now + 1000000u); /* no writer yet */
    for (ssize_t i = 0; i < n && t->count < LEAD_BYTES; i++) {
      t->bytes[t->count] = buffer[i];
      t->times[t->count++] = now;
    }
  }
}

static void lead_tick(void *user, flz_run_state *state)
{
  flz_lead_test *t = user;
  uint64_t now = flz_clock_now_ns();
  if (t->loaded_ns == 0 && state->pads_loaded >= 1)
    t->loaded_ns = now;
  if ((t->loaded_ns != 0 && now > t->loaded_ns + 3000000000u) || state->loops > 3000)
    state->quit = 1;
}

static void clock_lead_writes_start_ticks_and_stop_to_the_midi_out_path(void **state)
{
  (void)state;
  char dir[64];
  flz_tempdir_make(dir, sizeof dir, "flitz-lead-test");
  char kit[160], fifo[160];
  static float click[RATE / 100];
  click[0] = 1.0f;
  write_kit(kit, sizeof kit, dir, "click.wav", click, RATE / 100, RATE, NULL);
  flz_liverun run;
  flz_liverun_init(&run, dir, 0);
  flz_liverun_config(&run, "[midi]\nsequencer = false\nclock = lead\n");
  /* What it plays is not read back. */
  setenv("SDL_DISKAUDIOFILE", "/dev/null", 1);
  snprintf(fifo, sizeof fifo, "%s/midi-out", dir);
  assert_int_equal(mkfifo(fifo, 0600), 0);
  static flz_lead_test t;
  memset(&t, 0, sizeof t);
  t.fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  assert_true(t.fd >= 0);
  atomic_init(&t.quit, 0);
  assert_int_equal(flz_thread_start(&t.reader, lead_reader, &t), FLZ_OK);
  run.options.midi_out = fifo;
  run.options.given |= FLZ_OPTIONS_GIVEN_MIDI_OUT;
  flz_run_hooks hooks = {.tick = lead_tick, .user = &t, .tap = lead_tap, .tap_user = &t};
  assert_int_equal(flz_run(&run.options, kit, &hooks), 0);
  atomic_store(&t.quit, 2);
  flz_thread_join(&t.reader);
  close(t.fd);

  printf("%u bytes\n", t.count);
  assert_true(t.count >= 3);
  assert_int_equal(t.bytes[0], 0xFA);
  assert_int_equal(t.bytes[t.count - 1], 0xFC);
  uint32_t ticks = 0;
  for (uint32_t i = 1; i + 1 < t.count; i++) {
    assert_int_equal(t.bytes[i], 0xF8);
    ticks++;
  }
  /* 3 s after the kit loaded, and the time it took to load: 120 BPM is
   * 48 ticks a second. */
  printf("%u ticks\n", ticks);
  assert_true(ticks >= 3 * 48);
  /* A tick every 1000 frames of the audio clock, whatever the driver's
   * real pace (SDL's disk driver sleeps, and runs a few % off 48 kHz). */
  double frame_ms = (double)(t.last_ns - t.first_ns) / (double)t.frames * 1e-6;
  double mean = (double)(t.times[t.count - 2] - t.times[1]) / (ticks - 1) * 1e-6;
  printf("mean tick interval %.4f ms, 1000 frames of the audio clock %.4f ms\n", mean,
         1000 * frame_ms);
  assert_true(mean > 1000 * frame_ms * 0.99 && mean < 1000 * frame_ms * 1.01);
  flz_liverun_deinit(&run);
  flz_tempdir_remove(dir);
}

/* ---- Start and Song Position Pointer through flitz render ---- */

#define RENDER_BEAT 25200u /* frames of a beat at 105 BPM and 44.1 kHz */
#define RENDER_TICK 1050u  /* ... and of a tick */

/* Frame i of the ramp loop: (i + 1) / 2^15, exact in a float. */
static float ramp_at(uint64_t i)
{
  return (float)(i % RENDER_BEAT + 1) / 32768.0f;
}

/* Asserts that frames [from, to) of `w` are, on both sides, ramp_at(f +
 * `shift`) (shift taken modulo the beat). */
static void assert_ramp(const flz_kitrender_wav *w, uint64_t from, uint64_t to, uint64_t shift)
{
  for (uint64_t f = from; f < to; f++) {
    float want = ramp_at(f + shift);
    if (w->data[2 * f] != want || w->data[2 * f + 1] != want)
      fail_msg("frame %llu: %g, want %g", (unsigned long long)f, (double)w->data[2 * f],
               (double)want);
  }
}

/* A kit whose pad 1 is a one-beat loop locked to 105 BPM, a ramp (its
 * value tells its place); a 105 BPM clock ticking from 0 s; the pad
 * pressed at 0.1 s. Start at 2.0173 s (frame 88963): the tick at 89250 is
 * beat 0 and the loop plays from its first frame from there, its old
 * place fading out over the fade time. Stop on the tick at 2.5 s, Song
 * Position Pointer 6 (1/16 notes: beat 1.5) at 2.7 s, Continue at
 * 3.0101 s (frame 132745): the tick at 133350 is beat 1.5, half way into
 * the loop, where it plays on from (fading in). */
static void clock_start_and_song_position_move_a_sounding_loop_in_a_render(void **state)
{
  (void)state;
  char dir[64];
  flz_tempdir_make(dir, sizeof dir, "flitz-clock-render");
  char kit[160];
  static float loop[RENDER_BEAT];
  for (uint32_t i = 0; i < RENDER_BEAT; i++)
    loop[i] = ramp_at(i);
  write_kit(kit, sizeof kit, dir, "loop.wav", loop, RENDER_BEAT, FLZ_KITRENDER_RATE,
            "[kit]\nbpm = 105\nquantize = off\n[pad 1]\nmode = loop\nbpm = 105\n"
            "bpm_lock = true\n");

  const struct {
    double seconds;
    const char *event;
  } cues[] = {{0.1, "play 1"},
              {2.0173, "clock start"},
              {2.5, "clock stop"},
              {2.7, "clock position 6"},
              {3.0101, "clock continue"}};
  size_t size = 256 * 1024, used = 0;
  char *script = malloc(size);
  assert_non_null(script);
  uint32_t next = 0;
  for (uint32_t k = 0; k * RENDER_TICK < 4 * FLZ_KITRENDER_RATE; k++) {
    double seconds = (double)(k * RENDER_TICK) / FLZ_KITRENDER_RATE;
    for (; next < 5 && cues[next].seconds <= seconds; next++)
      used += (size_t)snprintf(script + used, size - used, "%.9f %s\n", cues[next].seconds,
                               cues[next].event);
    used += (size_t)snprintf(script + used, size - used, "%.9f clock tick\n", seconds);
    assert_true(used < size);
  }
  flz_kitrender_wav w = flz_kitrender_run(dir, kit, NULL, script, "4");
  free(script);
  assert_true(w.frames >= 4 * FLZ_KITRENDER_RATE);
  const uint64_t press = 4410, beat0 = 89250, stop = 110250, beat = 133350, fade = 132;
  /* The loop plays on from its press up to the tick after Start ... */
  assert_ramp(&w, press, beat0, RENDER_BEAT - press);
  /* ... its old place fading out (the engine's 3 ms, 132 frames) ... */
  for (uint64_t f = beat0; f < beat0 + fade; f++) {
    float left = (float)(beat0 + fade - f - 1) / (float)fade;
    float want = ramp_at(f - beat0) + ramp_at(f - press) * left;
    assert_true(fabsf(w.data[2 * f] - want) < 1e-6f);
  }
  /* ... then from its first frame at the tick until Stop ... */
  assert_ramp(&w, beat0 + fade, stop, RENDER_BEAT - beat0 % RENDER_BEAT);
  /* ... and from the tick after Continue on, from half way in. */
  assert_ramp(&w, beat + fade, 4 * FLZ_KITRENDER_RATE,
              RENDER_BEAT / 2 + RENDER_BEAT - beat % RENDER_BEAT);
  free(w.data);
  flz_tempdir_remove(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(clock_follow_plays_a_locked_loop_at_the_clocks_tempo),
    cmocka_unit_test(clock_lead_writes_start_ticks_and_stop_to_the_midi_out_path),
    cmocka_unit_test(clock_start_and_song_position_move_a_sounding_loop_in_a_render),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
