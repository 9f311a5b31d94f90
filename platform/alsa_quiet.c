/* platform/alsa_quiet.c: alsa-lib's error handler, made silent. */
#include "platform/alsa_quiet.h"

#include <alsa/asoundlib.h>

static void flz_alsa_quiet_handler(const char *file, int line, const char *function, int err,
                                   const char *fmt, ...)
{
  (void)file;
  (void)line;
  (void)function;
  (void)err;
  (void)fmt;
}

void flz_alsa_quiet(void)
{
  snd_lib_error_set_handler(flz_alsa_quiet_handler);
}
