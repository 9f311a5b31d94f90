/* tools/bench/soak.c: the soak benchmark of tools/bench/soak.h.
 * Owns: its temporary folder and FIFO, and its writer thread. */
#include "tools/bench/soak.h"

#include "tools/bench/feeder.h"

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

/* 20 notes a second: a busy drummer, for hours. */
#define FLZ_BENCH_SOAK_GAP_NS 50000000u
/* Pads 1..16 are notes 36..51 in the default mapping. */
#define FLZ_BENCH_SOAK_PADS 16u

typedef struct flz_bench_soak_state {
  uint32_t seconds;
  flz_bench_feeder feeder;
  uint32_t sent;          /* feeder thread; read after it is joined */
  uint64_t rss_start_kib; /* control thread */
  uint64_t rss_end_kib;
  uint64_t played; /* voices started, summed over the slots */
  flz_engine_counters counters;
} flz_bench_soak_state;

/* The resident set, KiB (/proc/self/statm's second field), 0 if unknown. */
static uint64_t flz_bench_soak_rss_kib(void)
{
  FILE *file = fopen("/proc/self/statm", "r");
  unsigned long long size = 0, resident = 0;
  if (file == NULL)
    return 0;
  int got = fscanf(file, "%llu %llu", &size, &resident);
  fclose(file);
  return got == 2 ? resident * (uint64_t)sysconf(_SC_PAGESIZE) / 1024u : 0;
}

/* The feeder thread: a note every FLZ_BENCH_SOAK_GAP_NS over the pads. */
static int flz_bench_soak_feed(void *user, int fd)
{
  flz_bench_soak_state *s = user;
  const uint64_t base = flz_clock_now_ns();
  const uint64_t notes = (uint64_t)s->seconds * (1000000000u / FLZ_BENCH_SOAK_GAP_NS);
  for (uint64_t i = 0; i < notes; i++) {
    flz_clock_sleep_until_ns(base + (i + 1) * FLZ_BENCH_SOAK_GAP_NS);
    const uint8_t note_on[3] = {0x99, (uint8_t)(36u + i % FLZ_BENCH_SOAK_PADS), 100};
    if (write(fd, note_on, sizeof note_on) != (ssize_t)sizeof note_on)
      return errno != 0 ? errno : EIO;
    s->sent++;
  }
  return 0;
}

static void flz_bench_soak_tick(void *user, flz_run_state *state)
{
  flz_bench_soak_state *s = user;
  if (flz_bench_feeder_tick(&s->feeder, state))
    s->rss_start_kib = flz_bench_soak_rss_kib();
  uint64_t played = 0;
  for (uint32_t i = 0; i < FLZ_SLOTS; i++)
    played += state->started[i];
  s->played = played;
  flz_sampler_counters(state->sampler, &s->counters);
  if (state->quit)
    s->rss_end_kib = flz_bench_soak_rss_kib();
}

int flz_bench_soak_run(uint32_t seconds, FILE *out, FILE *err)
{
  static flz_bench_soak_state s;
  memset(&s, 0, sizeof s);
  s.seconds = seconds;
  char dir[] = "/tmp/flitz-soak-XXXXXX";
  if (mkdtemp(dir) == NULL) {
    fprintf(err, "flitz bench: soak: /tmp: %s\n", flz_result_message(FLZ_ERR_WRITE));
    return 1;
  }
  char config_path[128];
  flz_bench_feeder *feeder = &s.feeder;
  snprintf(feeder->fifo, sizeof feeder->fifo, "%s/midi", dir);
  feeder->feed = flz_bench_soak_feed;
  feeder->user = &s;
  feeder->pads = FLZ_BENCH_SOAK_PADS;
  feeder->linger_ns = 300000000u;
  snprintf(config_path, sizeof config_path, "%s/flitz.ini", dir);
  FILE *config = fopen(config_path, "w");
  int ready = config != NULL && mkfifo(feeder->fifo, 0600) == 0;
  if (config != NULL) {
    fprintf(config, "[midi]\nsequencer = false\n");
    ready &= fclose(config) == 0;
  }
  int code = 1;
  if (!ready || flz_audio_output_use_sdl_disk("/dev/null") != FLZ_OK) {
    fprintf(err, "flitz bench: soak: %s: %s\n", dir, flz_result_message(FLZ_ERR_WRITE));
    goto done;
  }
  signal(SIGPIPE, SIG_IGN);
  flz_options options;
  flz_options_init(&options);
  options.headless = 1;
  options.no_fallback = 1;
  options.config_path = config_path;
  options.midi_in = feeder->fifo;
  options.given |= FLZ_OPTIONS_GIVEN_MIDI_IN;
  feeder->give_up_ns = flz_clock_now_ns() + (uint64_t)seconds * 1000000000u + 60000000000u;
  flz_run_hooks hooks = {.tick = flz_bench_soak_tick, .user = &s};
  int app = flz_bench_app_run(NULL, &options, &hooks, feeder);
  if (app != 0 || feeder->failed != 0) {
    fprintf(err, "flitz bench: soak: the app exited with %d; %llu notes written (%s)\n", app,
            (unsigned long long)s.sent, feeder->failed ? strerror(feeder->failed) : "ok");
    goto done;
  }
  const flz_engine_counters *c = &s.counters;
  fprintf(out,
          "{\"bench\":\"soak\",\"seconds\":%u,\"rss_start_kib\":%llu,\"rss_end_kib\":%llu,"
          "\"notes_sent\":%u,\"notes_played\":%llu,\"xruns\":%u,\"commands_late\":%u,"
          "\"commands_dropped\":%u,\"events_dropped\":%u,\"triggers_dropped\":%u,"
          "\"voices_stolen\":%u}\n",
          seconds, (unsigned long long)s.rss_start_kib, (unsigned long long)s.rss_end_kib, s.sent,
          (unsigned long long)s.played, c->xruns, c->commands_late, c->commands_dropped,
          c->events_dropped, c->triggers_dropped, c->voices_stolen);
  code = 0;
done:
  remove(feeder->fifo);
  remove(config_path);
  rmdir(dir);
  return code;
}
