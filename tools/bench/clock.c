/* tools/bench/clock.c: the MIDI clock benchmark of tools/bench/clock.h.
 * Owns: its temporary folder, its writer thread and the onset record. The
 * tap runs on the audio thread and follows its rules: it writes only into
 * arrays allocated before the run starts. */
#include "tools/bench/clock.h"

#include "tools/bench/feeder.h"
#include "tools/bench/onsets.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/run.h"
#include "engine/limits.h"
#include "engine/midiclock.h"
#include "engine/result.h"
#include "platform/audio_output.h"
#include "platform/clock.h"
#include "platform/thread.h"

/* The loop: one beat at 120 BPM; its click: 2 ms. */
#define FLZ_BENCH_CLOCK_LOOP (FLZ_DEFAULT_RATE / 2u)
#define FLZ_BENCH_CLOCK_CLICK (FLZ_DEFAULT_RATE * 2u / 1000u)
/* Tick jitter, ns either way (the issue's +-1 ms). */
#define FLZ_BENCH_CLOCK_JITTER_NS 1000000.0
/* The beat at which the writer presses the loop pad. */
#define FLZ_BENCH_CLOCK_PRESS 4u

typedef struct flz_bench_clock_state {
  flz_bench_clock_config config;
  double bpm;
  flz_bench_feeder feeder;
  uint64_t base_ns; /* feeder thread: the clock's beat 0; read after it is joined */
  uint32_t ticks_written;
  uint64_t *due_ns;        /* [beats x 24], feeder thread: each tick's jittered time ... */
  uint64_t *written_ns;    /* ... and when its write returned */
  flz_bench_onsets onsets; /* audio thread */
  /* Audio thread, arrays allocated before the run: each onset's frame (of
   * the frames rendered), and each callback's time and first frame. */
  uint64_t *onset_frame; /* [onsets.capacity] */
  uint64_t *callback_ns; /* [callback_capacity] */
  uint64_t *callback_frame;
  uint32_t callback_capacity, callbacks;
  uint64_t frames;
} flz_bench_clock_state;

void flz_bench_clock_config_init(flz_bench_clock_config *config)
{
  config->beats = 32;
  config->period = FLZ_DEFAULT_PERIOD;
}

static void flz_bench_clock_tap(void *user, float *out, uint32_t frames, uint32_t channels,
                                uint64_t period_time_ns)
{
  flz_bench_clock_state *s = user;
  uint32_t before = s->onsets.count;
  flz_bench_onsets_scan(&s->onsets, out, frames, channels, period_time_ns);
  for (uint32_t i = before; i < s->onsets.count && i < s->onsets.capacity; i++)
    s->onset_frame[i] = s->frames + s->onsets.offset[i];
  if (s->callbacks < s->callback_capacity) {
    s->callback_ns[s->callbacks] = period_time_ns;
    s->callback_frame[s->callbacks++] = s->frames;
  }
  s->frames += frames;
}

/* Frame `frame`'s time on the smoothed audio clock, ns: the least-squares
 * line of the callbacks' times over their frames within half a second of
 * it (the disk driver's callbacks wander by milliseconds around it). */
static double flz_bench_clock_smoothed_ns(const flz_bench_clock_state *s, uint64_t frame)
{
  double n = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0;
  double y0 = s->callbacks > 0 ? (double)s->callback_ns[0] : 0.0;
  for (uint32_t i = 0; i < s->callbacks; i++) {
    double x = (double)s->callback_frame[i] - (double)frame;
    if (fabs(x) > FLZ_DEFAULT_RATE / 2.0)
      continue;
    double y = (double)s->callback_ns[i] - y0;
    n += 1.0;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return y0 + (sy - slope * sx) / n; /* the line at x = 0 */
}

/* Writes `n` bytes to `fd`: 0, or the errno of the failure. */
static int flz_bench_clock_write(int fd, const uint8_t *bytes, size_t n)
{
  if (write(fd, bytes, n) == (ssize_t)n)
    return 0;
  return errno != 0 ? errno : EIO;
}

/* The feeder thread: Start, jittered ticks, and the pad press. */
static int flz_bench_clock_feed(void *user, int fd)
{
  flz_bench_clock_state *s = user;
  static const uint8_t start[1] = {0xFA}, tick[1] = {0xF8}, note_on[3] = {0x99, 36, 127};
  double tick_ns = 60e9 / (s->bpm * 24.0);
  uint32_t x = (uint32_t)flz_clock_now_ns() | 1u;
  s->base_ns = flz_clock_now_ns() + 50000000u;
  flz_clock_sleep_until_ns(s->base_ns - 10000000u);
  int failed = flz_bench_clock_write(fd, start, sizeof start);
  uint32_t ticks = s->config.beats * 24u;
  for (uint32_t k = 0; k < ticks && failed == 0; k++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    double jitter = ((double)x / 4294967296.0 * 2.0 - 1.0) * FLZ_BENCH_CLOCK_JITTER_NS;
    s->due_ns[k] = (uint64_t)((double)s->base_ns + k * tick_ns + jitter);
    flz_clock_sleep_until_ns(s->due_ns[k]);
    failed = flz_bench_clock_write(fd, tick, sizeof tick);
    s->written_ns[k] = flz_clock_now_ns();
    if (failed == 0)
      s->ticks_written = k + 1;
    if (failed == 0 && k == FLZ_BENCH_CLOCK_PRESS * 24u)
      failed = flz_bench_clock_write(fd, note_on, sizeof note_on);
  }
  return failed;
}

/* Control thread, every loop: the feeder. */
static void flz_bench_clock_tick(void *user, flz_run_state *state)
{
  flz_bench_clock_state *s = user;
  (void)flz_bench_feeder_tick(&s->feeder, state);
}

/* Writes the loop kit and the config into `dir`. */
static int flz_bench_clock_files(const char *dir, uint32_t period, char *kit, size_t kit_size,
                                 char *config, size_t config_size)
{
  snprintf(kit, kit_size, "%s/kit", dir);
  if (mkdir(kit, 0700) != 0)
    return FLZ_ERR_WRITE;
  char path[256];
  snprintf(path, sizeof path, "%s/loop.wav", kit);
  static float loop[FLZ_BENCH_CLOCK_LOOP];
  memset(loop, 0, sizeof loop);
  for (uint32_t i = 0; i < FLZ_BENCH_CLOCK_CLICK; i++) {
    float f = 1.0f - (float)i / (float)FLZ_BENCH_CLOCK_CLICK;
    loop[i] = f * f;
  }
  int result = flz_bench_write_mono_wav(path, loop, FLZ_BENCH_CLOCK_LOOP);
  if (result != FLZ_OK)
    return result;
  snprintf(path, sizeof path, "%s/kit.ini", kit);
  FILE *file = fopen(path, "w");
  if (file == NULL)
    return FLZ_ERR_WRITE;
  fprintf(file, "[kit]\nbpm = 120\nquantize = 1/4\n[pad 1]\nmode = loop\nbpm = 120\n"
                "bpm_lock = true\n");
  if (fclose(file) != 0)
    return FLZ_ERR_WRITE;
  snprintf(config, config_size, "%s/flitz.ini", dir);
  file = fopen(config, "w");
  if (file == NULL)
    return FLZ_ERR_WRITE;
  fprintf(file,
          "[audio]\nrate = %u\nperiod = %u\ninterpolation = linear\n[midi]\nsequencer = false\n"
          "clock = follow\n",
          FLZ_DEFAULT_RATE, period);
  return fclose(file) == 0 ? FLZ_OK : FLZ_ERR_WRITE;
}

/* What the writer did and what the clock filter makes of it: how late each
 * tick's write returned after its jittered time (`late`: p50, p99, max,
 * ms), and the phase error of engine/midiclock.h fed those write times (at
 * FLZ_DEFAULT_RATE) against the clock's beat without the jitter, at each
 * tick's true time from beat FLZ_BENCH_CLOCK_SETTLE on (`filter`). FLZ_OK
 * or FLZ_ERR_NO_MEMORY. */
static int flz_bench_clock_feed_figures(const flz_bench_clock_state *s, double late[3],
                                        double filter[3])
{
  uint32_t ticks = s->ticks_written, from = FLZ_BENCH_CLOCK_SETTLE * 24u;
  double *d = calloc(ticks + 1, sizeof *d);
  if (d == NULL)
    return FLZ_ERR_NO_MEMORY;
  for (uint32_t k = 0; k < ticks; k++)
    d[k] = (double)s->written_ns[k] - (double)s->due_ns[k];
  flz_bench_onsets_spread(d, ticks, 0.0, late);
  flz_midiclock clock;
  flz_midiclock_init(&clock, FLZ_DEFAULT_RATE);
  flz_midiclock_start(&clock);
  double tick_ns = 60e9 / (s->bpm * 24.0), per_ns = FLZ_DEFAULT_RATE * 1e-9;
  uint32_t n = 0;
  for (uint32_t k = 0; k + 1 < ticks; k++) {
    flz_midiclock_tick(&clock, ((double)s->written_ns[k] - (double)s->base_ns) * per_ns);
    if (k + 1 >= from)
      d[n++] = (flz_midiclock_beat(&clock, (k + 1) * tick_ns * per_ns) - (k + 1) / 24.0) * 24.0 *
               tick_ns;
  }
  flz_bench_onsets_spread(d, n > 0 ? n : 1, 0.0, filter);
  free(d);
  return FLZ_OK;
}

/* The figures of one run from its onsets; 0, or 1 after a line on `err`. */
static int flz_bench_clock_figures(flz_bench_clock_state *s, FILE *out, FILE *err)
{
  double beat_ns = 60e9 / s->bpm;
  uint32_t n = 0;
  double *d = calloc(s->onsets.count + 1, sizeof *d);
  double *j = calloc(s->onsets.count + 1, sizeof *j);
  double *t = calloc(s->onsets.count + 1, sizeof *t);
  double *smooth = calloc(s->onsets.count + 1, sizeof *smooth);
  int failed = 1;
  if (d == NULL || j == NULL || t == NULL || smooth == NULL) {
    fprintf(err, "flitz bench: clock: %s\n", flz_result_message(FLZ_ERR_NO_MEMORY));
    goto done;
  }
  uint32_t count = s->onsets.count < s->onsets.capacity ? s->onsets.count : s->onsets.capacity;
  for (uint32_t i = 0; i < count; i++) {
    double at = flz_bench_onsets_time_ns(&s->onsets, i, FLZ_DEFAULT_RATE) - (double)s->base_ns;
    double beat = round(at / beat_ns);
    if (beat < FLZ_BENCH_CLOCK_SETTLE || beat >= s->config.beats)
      continue;
    j[n] = beat;
    t[n] = at;
    d[n] = at - beat * beat_ns;
    smooth[n] = flz_bench_clock_smoothed_ns(s, s->onset_frame[i]) - (double)s->base_ns -
                beat * beat_ns;
    n++;
  }
  uint32_t want = s->config.beats - FLZ_BENCH_CLOCK_SETTLE;
  if (n + 1 < want) {
    fprintf(err, "flitz bench: clock: %u clicks for %u beats at %.0f BPM\n", n, want, s->bpm);
    goto done;
  }
  double mj = 0.0, mt = 0.0, sum = 0.0;
  for (uint32_t i = 0; i < n; i++) {
    mj += j[i] / n;
    mt += t[i] / n;
    sum += d[i];
  }
  double sjt = 0.0, sjj = 0.0;
  for (uint32_t i = 0; i < n; i++) {
    sjt += (j[i] - mj) * (t[i] - mt);
    sjj += (j[i] - mj) * (j[i] - mj);
  }
  double tempo = 60e9 / (sjt / sjj);
  double mean = sum / n, phase[3], late[3], filter[3], smoothed[3], smooth_sum = 0.0;
  flz_bench_onsets_spread(d, n, mean, phase);
  for (uint32_t i = 0; i < n; i++)
    smooth_sum += smooth[i];
  flz_bench_onsets_spread(smooth, n, smooth_sum / n, smoothed);
  if (flz_bench_clock_feed_figures(s, late, filter) != FLZ_OK) {
    fprintf(err, "flitz bench: clock: %s\n", flz_result_message(FLZ_ERR_NO_MEMORY));
    goto done;
  }
  fprintf(out,
          "{\"bench\":\"clock\",\"period\":%u,\"bpm\":%.0f,\"jitter_ms\":1,\"beats\":%u,"
          "\"tempo_error_bpm\":%.4f,\"offset_ms\":%.3f,\"phase_p50_ms\":%.3f,"
          "\"phase_p99_ms\":%.3f,\"phase_max_ms\":%.3f,\"write_late_p50_ms\":%.3f,"
          "\"write_late_p99_ms\":%.3f,\"filter_phase_p50_ms\":%.3f,\"filter_phase_max_ms\":%.3f,"
          "\"audio_clock_phase_p50_ms\":%.3f,\"audio_clock_phase_p99_ms\":%.3f}\n",
          s->config.period, s->bpm, n, tempo - s->bpm, mean * 1e-6, phase[0], phase[1], phase[2],
          late[0], late[1], filter[0], filter[2], smoothed[0], smoothed[1]);
  fflush(out);
  failed = 0;
done:
  free(d);
  free(j);
  free(t);
  free(smooth);
  return failed;
}

/* ---- leading ---- */

typedef struct flz_bench_clock_lead {
  uint32_t beats;
  int fd;          /* the output FIFO's read end */
  uint64_t *times; /* [capacity]: when each tick was read */
  uint32_t capacity;
  uint32_t ticks;
  _Atomic int quit;
  uint64_t loaded_ns;
  uint64_t first_ns, last_ns, frames; /* audio thread: callback times, frames between */
  flz_thread reader;
} flz_bench_clock_lead;

static void flz_bench_clock_lead_reader(void *user)
{
  flz_bench_clock_lead *l = user;
  while (!atomic_load(&l->quit)) {
    struct pollfd p = {.fd = l->fd, .events = POLLIN};
    if (poll(&p, 1, 100) <= 0)
      continue;
    uint8_t bytes[64];
    ssize_t n = read(l->fd, bytes, sizeof bytes);
    uint64_t now = flz_clock_now_ns();
    if (n == 0)
      flz_clock_sleep_until_ns(now + 1000000u); /* no writer (yet) */
    for (ssize_t i = 0; i < n; i++)
      if (bytes[i] == 0xF8 && l->ticks < l->capacity)
        l->times[l->ticks++] = now;
  }
}

static void flz_bench_clock_lead_tap(void *user, float *out, uint32_t frames, uint32_t channels,
                                     uint64_t period_time_ns)
{
  (void)out;
  (void)channels;
  flz_bench_clock_lead *l = user;
  if (l->first_ns == 0)
    l->first_ns = period_time_ns;
  else
    l->frames += frames;
  l->last_ns = period_time_ns;
}

static void flz_bench_clock_lead_tick(void *user, flz_run_state *state)
{
  flz_bench_clock_lead *l = user;
  uint64_t now = flz_clock_now_ns();
  if (l->loaded_ns == 0 && state->pads_loaded >= 1)
    l->loaded_ns = now;
  if ((l->loaded_ns != 0 && now > l->loaded_ns + (uint64_t)l->beats * 500000000u) ||
      l->ticks == l->capacity)
    state->quit = 1;
}

/* Leads at the kit's 120 BPM into a FIFO; 0, or 1 after a line on `err`. */
static int flz_bench_clock_lead_run(const char *dir, const char *kit, uint32_t beats,
                                    uint32_t period, FILE *out, FILE *err)
{
  static flz_bench_clock_lead l;
  memset(&l, 0, sizeof l);
  l.beats = beats;
  l.capacity = beats * 24u + 48u;
  l.fd = -1;
  atomic_init(&l.quit, 0);
  char fifo[128], config[128];
  snprintf(fifo, sizeof fifo, "%s/midi-out", dir);
  snprintf(config, sizeof config, "%s/lead.ini", dir);
  FILE *file = fopen(config, "w");
  int failed = 1;
  if (file == NULL || mkfifo(fifo, 0600) != 0) {
    if (file != NULL)
      fclose(file);
    fprintf(err, "flitz bench: clock: %s: %s\n", dir, flz_result_message(FLZ_ERR_WRITE));
    goto done;
  }
  fprintf(file, "[audio]\nrate = %u\nperiod = %u\n[midi]\nsequencer = false\nclock = lead\n",
          FLZ_DEFAULT_RATE, period);
  fclose(file);
  l.times = calloc(l.capacity, sizeof *l.times);
  double *d = calloc(l.capacity, sizeof *d);
  l.fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (l.times == NULL || d == NULL || l.fd < 0 ||
      flz_thread_start(&l.reader, flz_bench_clock_lead_reader, &l) != FLZ_OK) {
    fprintf(err, "flitz bench: clock: %s\n", flz_result_message(FLZ_ERR_NO_MEMORY));
    free(d);
    goto done;
  }
  flz_options options;
  flz_options_init(&options);
  options.headless = 1;
  options.no_fallback = 1;
  options.config_path = config;
  options.midi_out = fifo;
  options.given |= FLZ_OPTIONS_GIVEN_MIDI_OUT;
  flz_run_hooks hooks = {
    .tick = flz_bench_clock_lead_tick, .user = &l, .tap = flz_bench_clock_lead_tap, .tap_user = &l};
  int code = flz_bench_app_run(kit, &options, &hooks, NULL);
  atomic_store(&l.quit, 1);
  flz_thread_join(&l.reader);
  if (code != 0 || l.ticks < 48 || l.frames == 0) {
    fprintf(err, "flitz bench: clock: leading: exit %d, %u ticks read\n", code, l.ticks);
    free(d);
    goto done;
  }
  double audio = (double)(l.last_ns - l.first_ns) / (double)l.frames * 1000.0;
  double mean = (double)(l.times[l.ticks - 1] - l.times[0]) / (l.ticks - 1);
  for (uint32_t i = 1; i < l.ticks; i++)
    d[i - 1] = (double)(l.times[i] - l.times[i - 1]);
  double jitter[3];
  flz_bench_onsets_spread(d, l.ticks - 1, audio, jitter);
  fprintf(out,
          "{\"bench\":\"clock-lead\",\"period\":%u,\"bpm\":120,\"ticks\":%u,"
          "\"interval_ms\":%.4f,\"audio_interval_ms\":%.4f,\"jitter_p50_ms\":%.3f,"
          "\"jitter_p99_ms\":%.3f,\"jitter_max_ms\":%.3f}\n",
          period, l.ticks, mean * 1e-6, audio * 1e-6, jitter[0], jitter[1], jitter[2]);
  fflush(out);
  free(d);
  failed = 0;
done:
  if (l.fd >= 0)
    close(l.fd);
  free(l.times);
  remove(fifo);
  remove(config);
  return failed;
}

/* One run at `bpm` in `dir`; 0, or 1 after a line on `err`. */
static int flz_bench_clock_one(flz_bench_clock_state *s, const char *kit, const char *config_path,
                               FILE *out, FILE *err)
{
  flz_options options;
  flz_options_init(&options);
  options.headless = 1;
  options.no_fallback = 1;
  options.config_path = config_path;
  options.midi_in = s->feeder.fifo;
  options.given |= FLZ_OPTIONS_GIVEN_MIDI_IN;
  s->feeder.give_up_ns = flz_clock_now_ns() + (uint64_t)(s->config.beats * 60.0 / s->bpm * 1e9) +
                         30000000000u;
  flz_run_hooks hooks = {
    .tick = flz_bench_clock_tick, .user = s, .tap = flz_bench_clock_tap, .tap_user = s};
  int code = flz_bench_app_run(kit, &options, &hooks, &s->feeder);
  if (code != 0) {
    fprintf(err, "flitz bench: clock: the app exited with %d\n", code);
    return 1;
  }
  if (s->feeder.failed != 0 || s->ticks_written != s->config.beats * 24u) {
    fprintf(err, "flitz bench: clock: %u of %u ticks written to %s (%s)\n", s->ticks_written,
            s->config.beats * 24u, s->feeder.fifo,
            s->feeder.failed ? strerror(s->feeder.failed) : "timed out");
    return 1;
  }
  return flz_bench_clock_figures(s, out, err);
}

/* Frees a run's arrays (not its onsets). */
static void flz_bench_clock_free(flz_bench_clock_state *s)
{
  free(s->due_ns);
  free(s->written_ns);
  free(s->callback_ns);
  free(s->callback_frame);
  free(s->onset_frame);
}

int flz_bench_clock_run(const flz_bench_clock_config *config, FILE *out, FILE *err)
{
  static const double tempos[] = {90.0, 120.0, 174.0};
  static flz_bench_clock_state s;
  flz_bench_clock_config c;
  flz_bench_clock_config_init(&c);
  if (config != NULL && config->beats > FLZ_BENCH_CLOCK_SETTLE + 2u)
    c.beats = config->beats;
  if (config != NULL && config->period != 0)
    c.period = config->period;
  char dir[] = "/tmp/flitz-clock-XXXXXX";
  if (mkdtemp(dir) == NULL) {
    fprintf(err, "flitz bench: clock: /tmp: %s\n", flz_result_message(FLZ_ERR_WRITE));
    return 1;
  }
  char kit[128] = "", config_path[128] = "", fifo[96];
  snprintf(fifo, sizeof fifo, "%s/midi", dir);
  int failed = 1;
  if (flz_bench_clock_files(dir, c.period, kit, sizeof kit, config_path, sizeof config_path) !=
        FLZ_OK ||
      mkfifo(fifo, 0600) != 0) {
    fprintf(err, "flitz bench: clock: %s: %s\n", dir, flz_result_message(FLZ_ERR_WRITE));
    goto done;
  }
  signal(SIGPIPE, SIG_IGN);
  if (flz_audio_output_use_sdl_disk("/dev/null") != FLZ_OK) {
    fprintf(err, "flitz bench: clock: %s\n", flz_result_message(FLZ_ERR_NO_MEMORY));
    goto done;
  }
  failed = 0;
  for (uint32_t i = 0; i < 3 && !failed; i++) {
    memset(&s, 0, sizeof s);
    s.config = c;
    s.bpm = tempos[i];
    snprintf(s.feeder.fifo, sizeof s.feeder.fifo, "%s", fifo);
    s.feeder.feed = flz_bench_clock_feed;
    s.feeder.user = &s;
    s.feeder.pads = 1;
    s.feeder.settle_ns = 1000000000u; /* a second: the engine's delay-locked loop has locked */
    s.feeder.linger_ns = 200000000u;
    s.feeder.realtime = 1;
    s.due_ns = calloc(c.beats * 24u, sizeof *s.due_ns);
    s.written_ns = calloc(c.beats * 24u, sizeof *s.written_ns);
    /* Callbacks: the beats at 90 BPM and the give-up time's 30 s, and 10 s
     * to load and settle. */
    s.callback_capacity = (uint32_t)((c.beats * 60.0 / 90.0 + 40.0) * FLZ_DEFAULT_RATE / c.period);
    s.callback_ns = calloc(s.callback_capacity, sizeof *s.callback_ns);
    s.callback_frame = calloc(s.callback_capacity, sizeof *s.callback_frame);
    s.onset_frame = calloc(2 * c.beats + 16, sizeof *s.onset_frame);
    if (s.due_ns == NULL || s.written_ns == NULL || s.callback_ns == NULL ||
        s.callback_frame == NULL || s.onset_frame == NULL ||
        flz_bench_onsets_init(&s.onsets, 2 * c.beats + 16) != FLZ_OK) {
      flz_bench_clock_free(&s);
      fprintf(err, "flitz bench: clock: %s\n", flz_result_message(FLZ_ERR_NO_MEMORY));
      failed = 1;
      break;
    }
    failed = flz_bench_clock_one(&s, kit, config_path, out, err);
    flz_bench_onsets_deinit(&s.onsets);
    flz_bench_clock_free(&s);
  }
  if (!failed)
    failed = flz_bench_clock_lead_run(dir, kit, c.beats, c.period, out, err);
done:;
  char path[256];
  snprintf(path, sizeof path, "%s/kit/loop.wav", dir);
  remove(path);
  snprintf(path, sizeof path, "%s/kit/kit.ini", dir);
  remove(path);
  snprintf(path, sizeof path, "%s/kit", dir);
  rmdir(path);
  remove(fifo);
  remove(config_path);
  rmdir(dir);
  return failed;
}
