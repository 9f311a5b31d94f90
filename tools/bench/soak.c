/* tools/bench/soak.c: the soak benchmark of tools/bench/soak.h.
 * Owns: its temporary folder and FIFO, and its writer thread. */
#include "tools/bench/soak.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/run.h"
#include "engine/limits.h"
#include "engine/result.h"
#include "platform/audio_output.h"
#include "platform/clock.h"
#include "platform/thread.h"

/* 20 notes a second: a busy drummer, for hours. */
#define FLZ_BENCH_SOAK_GAP_NS 50000000u
/* Pads 1..16 are notes 36..51 in the default mapping. */
#define FLZ_BENCH_SOAK_PADS 16u

typedef struct flz_bench_soak_state {
  uint32_t seconds;
  char fifo[96];
  uint32_t sent; /* writer thread; read after it is joined */
  int write_failed;
  _Atomic int writer_done;
  flz_thread writer;
  int writer_started;
  uint64_t rss_start_kib; /* control thread */
  uint64_t rss_end_kib;
  uint64_t played; /* voices started, summed over the slots */
  flz_engine_counters counters;
  uint64_t done_ns;
  uint64_t give_up_ns;
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

static void flz_bench_soak_writer(void *user)
{
  flz_bench_soak_state *s = user;
  int fd = open(s->fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd >= 0)
    (void)fcntl(fd, F_SETFL, 0);
  if (fd < 0) {
    s->write_failed = errno;
    atomic_store(&s->writer_done, 1);
    return;
  }
  const uint64_t base = flz_clock_now_ns();
  const uint64_t notes = (uint64_t)s->seconds * (1000000000u / FLZ_BENCH_SOAK_GAP_NS);
  for (uint64_t i = 0; i < notes; i++) {
    flz_clock_sleep_until_ns(base + (i + 1) * FLZ_BENCH_SOAK_GAP_NS);
    const uint8_t note_on[3] = {0x99, (uint8_t)(36u + i % FLZ_BENCH_SOAK_PADS), 100};
    if (write(fd, note_on, sizeof note_on) != (ssize_t)sizeof note_on) {
      s->write_failed = errno != 0 ? errno : EIO;
      break;
    }
    s->sent++;
  }
  close(fd);
  atomic_store(&s->writer_done, 1);
}

static void flz_bench_soak_tick(void *user, flz_run_state *state)
{
  flz_bench_soak_state *s = user;
  const uint64_t now = flz_clock_now_ns();
  if (!s->writer_started && state->pads_loaded >= FLZ_BENCH_SOAK_PADS) {
    s->rss_start_kib = flz_bench_soak_rss_kib();
    if (flz_thread_start(&s->writer, flz_bench_soak_writer, s) != FLZ_OK) {
      s->write_failed = EAGAIN;
      state->quit = 1;
      return;
    }
    s->writer_started = 1;
  }
  uint64_t played = 0;
  for (uint32_t i = 0; i < FLZ_SLOTS; i++)
    played += state->started[i];
  s->played = played;
  flz_sampler_counters(state->sampler, &s->counters);
  if (s->writer_started && s->done_ns == 0 && atomic_load(&s->writer_done))
    s->done_ns = now;
  if ((s->done_ns != 0 && now >= s->done_ns + 300000000u) || now >= s->give_up_ns) {
    s->rss_end_kib = flz_bench_soak_rss_kib();
    state->quit = 1;
  }
}

int flz_bench_soak_run(uint32_t seconds, FILE *out, FILE *err)
{
  static flz_bench_soak_state s;
  memset(&s, 0, sizeof s);
  s.seconds = seconds;
  atomic_init(&s.writer_done, 0);
  char dir[] = "/tmp/flitz-soak-XXXXXX";
  if (mkdtemp(dir) == NULL) {
    fprintf(err, "flitz bench: soak: /tmp: %s\n", flz_result_message(FLZ_ERR_WRITE));
    return 1;
  }
  char config_path[128];
  snprintf(s.fifo, sizeof s.fifo, "%s/midi", dir);
  snprintf(config_path, sizeof config_path, "%s/flitz.ini", dir);
  FILE *config = fopen(config_path, "w");
  int ready = config != NULL && mkfifo(s.fifo, 0600) == 0;
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
  options.midi_in = s.fifo;
  options.given |= FLZ_OPTIONS_GIVEN_MIDI_IN;
  s.give_up_ns = flz_clock_now_ns() + (uint64_t)seconds * 1000000000u + 60000000000u;
  flz_run_hooks hooks = {.tick = flz_bench_soak_tick, .user = &s};
  fflush(stdout);
  int saved = dup(STDOUT_FILENO);
  int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (saved >= 0 && null >= 0)
    dup2(null, STDOUT_FILENO);
  int app = flz_run(&options, NULL, &hooks);
  fflush(stdout);
  if (saved >= 0 && null >= 0)
    dup2(saved, STDOUT_FILENO);
  if (null >= 0)
    close(null);
  if (saved >= 0)
    close(saved);
  if (s.writer_started)
    flz_thread_join(&s.writer);
  if (app != 0 || s.write_failed != 0) {
    fprintf(err, "flitz bench: soak: the app exited with %d; %llu notes written (%s)\n", app,
            (unsigned long long)s.sent, s.write_failed ? strerror(s.write_failed) : "ok");
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
  remove(s.fifo);
  remove(config_path);
  rmdir(dir);
  return code;
}
