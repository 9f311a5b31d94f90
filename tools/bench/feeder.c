/* tools/bench/feeder.c: the feeder thread, the quiet app run and the click
 * files of tools/bench/feeder.h. */
#include "tools/bench/feeder.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "engine/limits.h"
#include "engine/result.h"
#include "platform/clock.h"
#include "platform/wav_file.h"

/* The feeder thread: opens the FIFO without blocking (it fails, ENXIO,
 * rather than waits when the app is not reading), then feeds it with
 * blocking writes. */
static void flz_bench_feeder_thread(void *user)
{
  flz_bench_feeder *feeder = user;
  if (feeder->realtime)
    (void)flz_thread_set_realtime();
  int fd = open(feeder->fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    feeder->failed = errno;
  } else {
    (void)fcntl(fd, F_SETFL, 0);
    feeder->failed = feeder->feed(feeder->user, fd);
    close(fd);
  }
  atomic_store(&feeder->done, 1);
}

int flz_bench_feeder_tick(flz_bench_feeder *feeder, flz_run_state *state)
{
  uint64_t now = flz_clock_now_ns();
  int started = 0;
  if (feeder->loaded_ns == 0 && state->pads_loaded >= feeder->pads)
    feeder->loaded_ns = now;
  if (!feeder->started && feeder->loaded_ns != 0 && now >= feeder->loaded_ns + feeder->settle_ns) {
    atomic_init(&feeder->done, 0);
    if (flz_thread_start(&feeder->thread, flz_bench_feeder_thread, feeder) != FLZ_OK) {
      feeder->failed = EAGAIN;
      state->quit = 1;
      return 0;
    }
    feeder->started = 1;
    started = 1;
  }
  if (feeder->started && feeder->done_ns == 0 && atomic_load(&feeder->done))
    feeder->done_ns = now;
  if ((feeder->done_ns != 0 && now >= feeder->done_ns + feeder->linger_ns) ||
      now >= feeder->give_up_ns)
    state->quit = 1;
  return started;
}

int flz_bench_app_run(const char *kit, const flz_options *options, const flz_run_hooks *hooks,
                      flz_bench_feeder *feeder)
{
  fflush(stdout);
  int saved = dup(STDOUT_FILENO);
  int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (saved >= 0 && null >= 0)
    dup2(null, STDOUT_FILENO);
  int code = flz_run(options, kit, hooks);
  fflush(stdout);
  if (saved >= 0 && null >= 0)
    dup2(saved, STDOUT_FILENO);
  if (null >= 0)
    close(null);
  if (saved >= 0)
    close(saved);
  if (feeder != NULL && feeder->started)
    flz_thread_join(&feeder->thread);
  return code;
}

int flz_bench_write_mono_wav(const char *path, const float *samples, uint32_t frames)
{
  flz_wav_file wav;
  int result = flz_wav_file_open(&wav, path, FLZ_WAV_FLOAT32, 1, FLZ_DEFAULT_RATE);
  if (result != FLZ_OK)
    return result;
  result = flz_wav_file_write(&wav, samples, frames);
  int closed = flz_wav_file_close(&wav);
  return result != FLZ_OK ? result : closed;
}
