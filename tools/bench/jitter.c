/* tools/bench/jitter.c: the trigger timing benchmark of tools/bench/jitter.h.
 *
 * Owns: its static engine, its sender thread, the SDL output of a run and
 * the arrays of trigger and onset times. Must not touch: the sample pool or
 * any file but `out`, `err` and the disk driver's /dev/null. The render
 * callback follows the audio thread's rules: it writes only into arrays
 * allocated before the output starts.
 */
#include "tools/bench/jitter.h"

#include "tools/bench/onsets.h"

#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/limits.h"
#include "engine/result.h"
#include "platform/audio_output.h"
#include "platform/clock.h"
#include "platform/thread.h"

/* The click lasts 2 ms; at the engine's highest rate that is 768 frames. */
#define FLZ_BENCH_JITTER_CLICK_MS 2u
#define FLZ_BENCH_JITTER_CLICK_MAX (FLZ_RATE_MAX * FLZ_BENCH_JITTER_CLICK_MS / 1000u)

/* About 0.4 MB: static, not on the stack. */
static flz_engine flz_bench_jitter_engine;
static float flz_bench_jitter_click[FLZ_BENCH_JITTER_CLICK_MAX];

typedef struct flz_bench_jitter_state {
  flz_bench_jitter_config config;
  int timed;               /* stamp the triggers with their time */
  uint64_t *trigger_ns;    /* [config.triggers], written by the sender */
  uint32_t sent;           /* triggers sent (sender thread) */
  int send_failed;         /* a push was refused (sender thread) */
  flz_bench_onsets onsets; /* written by the callback */
} flz_bench_jitter_state;

void flz_bench_jitter_config_init(flz_bench_jitter_config *config)
{
  config->triggers = 200;
  config->gap_min_ms = 15;
  config->gap_max_ms = 40;
  config->settle_ms = 1000;
  config->period = FLZ_DEFAULT_PERIOD;
  config->rate = FLZ_DEFAULT_RATE;
}

/* The audio thread: render, then find the onsets in what was rendered. */
static void flz_bench_jitter_render(void *user, float *out, uint32_t frames, uint32_t channels,
                                    uint64_t period_time_ns)
{
  flz_bench_jitter_state *s = user;
  flz_engine_render(&flz_bench_jitter_engine, out, frames, channels, period_time_ns);
  flz_bench_onsets_scan(&s->onsets, out, frames, channels, period_time_ns);
}

/* The sender thread: random waits, then a PLAY_SAMPLE stamped with the time
 * read just before it is sent. xorshift32 (Marsaglia 2003) seeded from the
 * clock draws the waits. */
static void flz_bench_jitter_sender(void *user)
{
  flz_bench_jitter_state *s = user;
  const flz_bench_jitter_config *c = &s->config;
  uint32_t x = (uint32_t)flz_clock_now_ns() | 1u;
  uint64_t span_ns = (uint64_t)(c->gap_max_ms - c->gap_min_ms) * 1000000u;
  for (uint32_t i = 0; i < c->triggers; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    uint64_t gap = (uint64_t)c->gap_min_ms * 1000000u + (span_ns * x >> 32);
    flz_clock_sleep_until_ns(flz_clock_now_ns() + gap);
    flz_command command;
    memset(&command, 0, sizeof command);
    command.type = FLZ_COMMAND_PLAY_SAMPLE;
    command.slot = 0;
    command.value = 1.0f;
    uint64_t now = flz_clock_now_ns();
    command.time_ns = s->timed ? now : 0;
    if (flz_engine_send(&flz_bench_jitter_engine, FLZ_PRODUCER_MIDI, &command) != FLZ_OK) {
      s->send_failed = 1;
      break;
    }
    s->trigger_ns[i] = now;
    s->sent = i + 1;
  }
}

/* One run. Fills figures[3] (p50, p99, max in ms) and returns 0, or prints
 * the reason on `err` and returns 1. */
static int flz_bench_jitter_once(const flz_bench_jitter_config *c, int timed, double *figures,
                                 FILE *err)
{
  const char *mode = timed ? "timestamped" : "untimed";
  flz_bench_jitter_state s;
  memset(&s, 0, sizeof s);
  s.config = *c;
  s.timed = timed;
  s.trigger_ns = calloc(c->triggers, sizeof *s.trigger_ns);
  int onsets_result = flz_bench_onsets_init(&s.onsets, 2 * c->triggers);
  double *d = calloc(c->triggers, sizeof *d);
  int failed = 1;
  if (s.trigger_ns == NULL || onsets_result != FLZ_OK || d == NULL) {
    fprintf(err, "flitz bench: %s\n", flz_result_message(FLZ_ERR_NO_MEMORY));
    goto done;
  }

  flz_engine_config engine_config;
  flz_engine_config_init(&engine_config);
  engine_config.rate = c->rate;
  if (flz_engine_init(&flz_bench_jitter_engine, &engine_config) != FLZ_OK) {
    fprintf(err, "flitz bench: jitter: rate %u Hz: %s\n", c->rate,
            flz_result_message(FLZ_ERR_ARGUMENT));
    goto done;
  }
  /* 1.0, then a quadratic decay that stays above 0 until the sample ends. */
  uint32_t click = c->rate * FLZ_BENCH_JITTER_CLICK_MS / 1000u;
  for (uint32_t i = 0; i < click; i++) {
    float f = 1.0f - (float)i / (float)click;
    flz_bench_jitter_click[i] = f * f;
  }
  flz_command load;
  memset(&load, 0, sizeof load);
  load.type = FLZ_COMMAND_LOAD_SAMPLE;
  load.slot = 0;
  load.sample = (flz_sample){
    .data = flz_bench_jitter_click, .frame_count = click, .channels = 1, .region = 0};
  flz_engine_send(&flz_bench_jitter_engine, FLZ_PRODUCER_CONTROL, &load);

  flz_audio_output out;
  flz_audio_output_config config = {.rate = c->rate,
                                    .period = c->period,
                                    .channels = FLZ_DEFAULT_CHANNELS,
                                    .render = flz_bench_jitter_render,
                                    .user = &s};
  int result = flz_audio_output_use_sdl_disk("/dev/null");
  if (result != FLZ_OK) {
    fprintf(err, "flitz bench: jitter: SDL disk audio output: %s\n", flz_result_message(result));
    goto done;
  }
  result = flz_audio_output_open(&out, "sdl", &config);
  if (result != FLZ_OK) {
    fprintf(err, "flitz bench: jitter: SDL disk audio output: %s (%s)\n",
            flz_result_message(result), out.detail);
    goto done;
  }
  if (out.info.rate != c->rate || out.info.period != c->period) {
    fprintf(err, "flitz bench: jitter: the output gave %u Hz, %u frames, not %u Hz, %u frames\n",
            out.info.rate, out.info.period, c->rate, c->period);
    flz_audio_output_close(&out);
    goto done;
  }
  uint64_t started = flz_clock_now_ns();
  if (flz_audio_output_start(&out) != FLZ_OK) {
    fprintf(err, "flitz bench: jitter: %s\n", flz_result_message(FLZ_ERR_NO_MEMORY));
    flz_audio_output_close(&out);
    goto done;
  }
  flz_clock_sleep_until_ns(started + (uint64_t)c->settle_ms * 1000000u);
  flz_thread sender;
  result = flz_thread_start(&sender, flz_bench_jitter_sender, &s);
  if (result != FLZ_OK) {
    fprintf(err, "flitz bench: jitter: %s\n", flz_result_message(result));
    flz_audio_output_close(&out);
    goto done;
  }
  flz_thread_join(&sender);
  /* The last trigger sounds within two periods; wait four and 50 ms more. */
  uint64_t period_ns = (uint64_t)c->period * 1000000000u / c->rate;
  flz_clock_sleep_until_ns(flz_clock_now_ns() + 4 * period_ns + 50000000u);
  flz_audio_output_close(&out);

  if (s.send_failed) {
    fprintf(err, "flitz bench: jitter: %s: trigger %u: %s\n", mode, s.sent + 1,
            flz_result_message(FLZ_ERR_RING_FULL));
    goto done;
  }
  if (s.onsets.count != s.sent) {
    fprintf(err, "flitz bench: jitter: %s: %u onsets for %u triggers\n", mode, s.onsets.count,
            s.sent);
    goto done;
  }
  for (uint32_t i = 0; i < s.sent; i++)
    d[i] = flz_bench_onsets_time_ns(&s.onsets, i, c->rate) - (double)s.trigger_ns[i];
  flz_bench_onsets_spread(d, s.sent, flz_bench_onsets_median(d, s.sent), figures);
  failed = 0;
done:
  free(d);
  flz_bench_onsets_deinit(&s.onsets);
  free(s.trigger_ns);
  return failed;
}

int flz_bench_jitter_run(const flz_bench_jitter_config *config, FILE *out, FILE *err)
{
  flz_bench_jitter_config c;
  flz_bench_jitter_config_init(&c);
  if (config != NULL) {
    if (config->triggers != 0)
      c.triggers = config->triggers;
    if (config->gap_min_ms != 0)
      c.gap_min_ms = config->gap_min_ms;
    if (config->gap_max_ms != 0)
      c.gap_max_ms = config->gap_max_ms;
    if (config->settle_ms != 0)
      c.settle_ms = config->settle_ms;
    if (config->period != 0)
      c.period = config->period;
    if (config->rate != 0)
      c.rate = config->rate;
  }
  if (c.gap_max_ms < c.gap_min_ms || c.gap_min_ms <= FLZ_BENCH_JITTER_CLICK_MS) {
    fprintf(err, "flitz bench: jitter: the gaps must be longer than the click (%u ms)\n",
            FLZ_BENCH_JITTER_CLICK_MS);
    return 1;
  }
  double timestamped[3], untimed[3];
  if (flz_bench_jitter_once(&c, 1, timestamped, err) != 0 ||
      flz_bench_jitter_once(&c, 0, untimed, err) != 0)
    return 1;
  fprintf(out,
          "{\"bench\":\"jitter\",\"period\":%u,\"triggers\":%u,"
          "\"timestamped\":{\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f},"
          "\"untimed\":{\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}}\n",
          c.period, c.triggers, timestamped[0], timestamped[1], timestamped[2], untimed[0],
          untimed[1], untimed[2]);
  fflush(out);
  return 0;
}
