/* tools/bench/latency.c: the MIDI input-to-sound benchmark of
 * tools/bench/latency.h.
 * Owns: its temporary folder, its writer thread and the arrays of write and
 * onset times. The tap runs on the audio thread and follows its rules: it
 * writes only into arrays allocated before the run starts. */
#include "tools/bench/latency.h"

#include "tools/bench/feeder.h"
#include "tools/bench/onsets.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/run.h"
#include "engine/limits.h"
#include "engine/result.h"
#include "platform/audio_output.h"
#include "platform/clock.h"

/* The click: 2 ms of frames at the rate the app runs at. */
#define FLZ_BENCH_LATENCY_CLICK (FLZ_DEFAULT_RATE * 2u / 1000u)
/* 100 ms between writes, plus 0..20 ms. */
#define FLZ_BENCH_LATENCY_GAP_NS 100000000u
#define FLZ_BENCH_LATENCY_JITTER_NS 20000000u

typedef struct flz_bench_latency_state {
  flz_bench_latency_config config;
  flz_bench_feeder feeder;
  uint64_t *write_ns;      /* [events], feeder thread */
  uint32_t written;        /* feeder thread; read after it is joined */
  flz_bench_onsets onsets; /* audio thread */
} flz_bench_latency_state;

void flz_bench_latency_config_init(flz_bench_latency_config *config)
{
  config->events = 100;
  config->settle_ms = 1000;
  config->period = FLZ_DEFAULT_PERIOD;
}

/* Audio thread: after the engine rendered the period, find its onsets. */
static void flz_bench_latency_tap(void *user, float *out, uint32_t frames, uint32_t channels,
                                  uint64_t period_time_ns)
{
  flz_bench_latency_state *s = user;
  flz_bench_onsets_scan(&s->onsets, out, frames, channels, period_time_ns);
}

/* The feeder thread: Note On messages at 100 ms plus random offsets. */
static int flz_bench_latency_feed(void *user, int fd)
{
  flz_bench_latency_state *s = user;
  uint32_t x = (uint32_t)flz_clock_now_ns() | 1u;
  uint64_t base = flz_clock_now_ns();
  for (uint32_t i = 0; i < s->config.events; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    uint64_t offset = (uint64_t)FLZ_BENCH_LATENCY_JITTER_NS * x >> 32;
    flz_clock_sleep_until_ns(base + (uint64_t)(i + 1) * FLZ_BENCH_LATENCY_GAP_NS + offset);
    static const uint8_t note_on[3] = {0x99, 36, 127};
    uint64_t now = flz_clock_now_ns();
    if (write(fd, note_on, sizeof note_on) != (ssize_t)sizeof note_on)
      return errno != 0 ? errno : EIO;
    s->write_ns[i] = now;
    s->written = i + 1;
  }
  return 0;
}

/* Control thread, every loop: the feeder. */
static void flz_bench_latency_tick(void *user, flz_run_state *state)
{
  flz_bench_latency_state *s = user;
  (void)flz_bench_feeder_tick(&s->feeder, state);
}

/* Writes the click kit and the config into `dir`. */
static int flz_bench_latency_files(const char *dir, uint32_t period, char *kit, size_t kit_size,
                                   char *config, size_t config_size)
{
  snprintf(kit, kit_size, "%s/kit", dir);
  if (mkdir(kit, 0700) != 0)
    return FLZ_ERR_WRITE;
  char path[256];
  snprintf(path, sizeof path, "%s/click.wav", kit);
  float click[FLZ_BENCH_LATENCY_CLICK];
  for (uint32_t i = 0; i < FLZ_BENCH_LATENCY_CLICK; i++) {
    float f = 1.0f - (float)i / (float)FLZ_BENCH_LATENCY_CLICK;
    click[i] = f * f;
  }
  int result = flz_bench_write_mono_wav(path, click, FLZ_BENCH_LATENCY_CLICK);
  if (result != FLZ_OK)
    return result;
  snprintf(config, config_size, "%s/flitz.ini", dir);
  FILE *file = fopen(config, "w");
  if (file == NULL)
    return FLZ_ERR_WRITE;
  fprintf(file, "[audio]\nrate = %u\nperiod = %u\n[midi]\nsequencer = false\n", FLZ_DEFAULT_RATE,
          period);
  return fclose(file) == 0 ? FLZ_OK : FLZ_ERR_WRITE;
}

int flz_bench_latency_run(const flz_bench_latency_config *config, FILE *out, FILE *err)
{
  static flz_bench_latency_state s;
  memset(&s, 0, sizeof s);
  flz_bench_latency_config_init(&s.config);
  if (config != NULL) {
    if (config->events != 0)
      s.config.events = config->events;
    if (config->settle_ms != 0)
      s.config.settle_ms = config->settle_ms;
    if (config->period != 0)
      s.config.period = config->period;
  }
  char dir[] = "/tmp/flitz-latency-XXXXXX";
  if (mkdtemp(dir) == NULL) {
    fprintf(err, "flitz bench: latency: /tmp: %s\n", flz_result_message(FLZ_ERR_WRITE));
    return 1;
  }
  char kit[128] = "", config_path[128] = "";
  flz_bench_feeder *feeder = &s.feeder;
  snprintf(feeder->fifo, sizeof feeder->fifo, "%s/midi", dir);
  feeder->feed = flz_bench_latency_feed;
  feeder->user = &s;
  feeder->pads = 1;
  feeder->settle_ns = (uint64_t)s.config.settle_ms * 1000000u;
  feeder->linger_ns = 200000000u; /* the last click sounds within a period or two */
  int failed = 1;
  s.write_ns = calloc(s.config.events, sizeof *s.write_ns);
  int onsets_result = flz_bench_onsets_init(&s.onsets, 2 * s.config.events);
  double *d = calloc(s.config.events, sizeof *d);
  if (s.write_ns == NULL || onsets_result != FLZ_OK || d == NULL) {
    fprintf(err, "flitz bench: latency: %s\n", flz_result_message(FLZ_ERR_NO_MEMORY));
    goto done;
  }
  if (flz_bench_latency_files(dir, s.config.period, kit, sizeof kit, config_path,
                              sizeof config_path) != FLZ_OK ||
      mkfifo(feeder->fifo, 0600) != 0) {
    fprintf(err, "flitz bench: latency: %s: %s\n", dir, flz_result_message(FLZ_ERR_WRITE));
    goto done;
  }

  /* A reader gone early must fail the write, not kill the process. */
  signal(SIGPIPE, SIG_IGN);
  if (flz_audio_output_use_sdl_disk("/dev/null") != FLZ_OK) {
    fprintf(err, "flitz bench: latency: %s\n", flz_result_message(FLZ_ERR_NO_MEMORY));
    goto done;
  }
  flz_options options;
  flz_options_init(&options);
  options.headless = 1;
  options.no_fallback = 1;
  options.config_path = config_path;
  options.midi_in = feeder->fifo;
  options.given |= FLZ_OPTIONS_GIVEN_MIDI_IN;
  feeder->give_up_ns = flz_clock_now_ns() + (uint64_t)s.config.events * 130000000u +
                       (uint64_t)s.config.settle_ms * 1000000u + 30000000000u;
  flz_run_hooks hooks = {
    .tick = flz_bench_latency_tick, .user = &s, .tap = flz_bench_latency_tap, .tap_user = &s};
  int code = flz_bench_app_run(kit, &options, &hooks, feeder);
  if (code != 0) {
    fprintf(err, "flitz bench: latency: the app exited with %d\n", code);
    goto done;
  }
  if (feeder->failed != 0 || s.written != s.config.events) {
    fprintf(err, "flitz bench: latency: %u of %u writes to %s (%s)\n", s.written, s.config.events,
            feeder->fifo, feeder->failed ? strerror(feeder->failed) : "timed out");
    goto done;
  }
  if (s.onsets.count != s.written) {
    fprintf(err, "flitz bench: latency: %u onsets for %u Note On messages\n", s.onsets.count,
            s.written);
    goto done;
  }
  uint32_t n = s.written;
  double sum = 0.0;
  for (uint32_t i = 0; i < n; i++) {
    d[i] = flz_bench_onsets_time_ns(&s.onsets, i, FLZ_DEFAULT_RATE) - (double)s.write_ns[i];
    sum += d[i];
  }
  double mean = sum / n;
  double jitter[3];
  flz_bench_onsets_spread(d, n, mean, jitter);
  fprintf(out,
          "{\"bench\":\"latency\",\"period\":%u,\"events\":%u,\"latency_mean_ms\":%.3f,"
          "\"jitter_p50_ms\":%.3f,\"jitter_p99_ms\":%.3f,\"jitter_max_ms\":%.3f}\n",
          s.config.period, n, mean * 1e-6, jitter[0], jitter[1], jitter[2]);
  fflush(out);
  failed = 0;
done:
  free(d);
  flz_bench_onsets_deinit(&s.onsets);
  free(s.write_ns);
  char path[256];
  snprintf(path, sizeof path, "%s/kit/click.wav", dir);
  remove(path);
  snprintf(path, sizeof path, "%s/kit", dir);
  rmdir(path);
  remove(feeder->fifo);
  remove(config_path);
  rmdir(dir);
  return failed;
}
