/* tests/app/liverun.c: the live-app tests' runs on SDL's disk audio driver
 * (liverun.h). */
#include "liverun.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "tempdir.h"

static void join(char *path, size_t size, const char *dir, const char *name)
{
  int n = snprintf(path, size, "%s/%s", dir, name);
  assert_true(n > 0 && (size_t)n < size);
}

void flz_liverun_init(flz_liverun *run, const char *dir, unsigned flags)
{
  memset(run, 0, sizeof *run);
  join(run->raw, sizeof run->raw, dir, "out.raw");
  join(run->config, sizeof run->config, dir, "flitz.ini");
  assert_int_equal(setenv("SDL_AUDIODRIVER", "disk", 1), 0);
  assert_int_equal(setenv("SDL_DISKAUDIOFILE", run->raw, 1), 0);
  flz_options_init(&run->options);
  run->options.headless = (flags & FLZ_LIVERUN_WINDOW) == 0;
  run->options.no_fallback = 1;
  if (flags & (FLZ_LIVERUN_FIFO | FLZ_LIVERUN_MIDI_IN)) {
    join(run->fifo, sizeof run->fifo, dir, "midi");
    assert_int_equal(mkfifo(run->fifo, 0600), 0);
  }
  if (flags & FLZ_LIVERUN_MIDI_IN) {
    run->options.midi_in = run->fifo;
    run->options.given |= FLZ_OPTIONS_GIVEN_MIDI_IN;
  }
}

void flz_liverun_config(flz_liverun *run, const char *text)
{
  flz_tempdir_write(run->config, text);
  run->options.config_path = run->config;
}

float *flz_liverun_output(const flz_liverun *run, size_t *frames)
{
  size_t size = 0;
  char *bytes = flz_tempdir_read(run->raw, &size);
  *frames = size / (2 * sizeof(float));
  return (float *)(void *)bytes;
}

void flz_liverun_deinit(flz_liverun *run)
{
  remove(run->raw);
  if (run->options.config_path == run->config)
    remove(run->config);
  if (run->fifo[0] != '\0')
    remove(run->fifo);
}
