/* app/resampling.c: saving recordings (app/resampling.h). */
#include "app/resampling.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/result.h"
#include "platform/resampler.h"
#include "platform/wav_file.h"

/* Highest resample-NNN.wav number tried before giving up. */
#define FLZ_RESAMPLING_NAMES 999u

/* The folder of `kit_path` into `folder`. */
static void flz_resampling_kit_folder(const char *kit_path, char *folder, size_t size)
{
  struct stat info;
  if (stat(kit_path, &info) == 0 && S_ISDIR(info.st_mode)) {
    snprintf(folder, size, "%s", kit_path);
    return;
  }
  const char *slash = strrchr(kit_path, '/');
  if (slash == NULL)
    snprintf(folder, size, ".");
  else
    snprintf(folder, size, "%.*s", (int)(slash == kit_path ? 1 : slash - kit_path), kit_path);
}

/* The state folder into `folder`, made with its parents if missing; 0 with
 * errno when it cannot be. */
static int flz_resampling_state_folder(char *folder, size_t size)
{
  const char *xdg = getenv("XDG_STATE_HOME");
  const char *home = getenv("HOME");
  if (xdg != NULL && xdg[0] == '/')
    snprintf(folder, size, "%s/flitz", xdg);
  else if (home != NULL && home[0] != '\0')
    snprintf(folder, size, "%s/.local/state/flitz", home);
  else {
    errno = ENOENT;
    return 0;
  }
  for (char *p = folder + 1; *p != '\0'; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    int made = mkdir(folder, 0755) == 0 || errno == EEXIST;
    *p = '/';
    if (!made)
      return 0;
  }
  return mkdir(folder, 0755) == 0 || errno == EEXIST;
}

/* Saves `sample` as the first free resample-NNN.wav of `folder`; the path
 * in `path`. FLZ_OK or FLZ_ERR_WRITE with errno set. */
static int flz_resampling_write(const char *folder, const flz_sample *sample, uint32_t rate,
                                char *path, size_t size)
{
  for (uint32_t n = 1; n <= FLZ_RESAMPLING_NAMES; n++) {
    snprintf(path, size, "%s/resample-%03u.wav", folder, (unsigned)n);
    if (access(path, F_OK) == 0)
      continue;
    int error = 0;
    int result = flz_wav_file_save(path, FLZ_WAV_FLOAT32, sample->channels, rate, sample->data,
                                   sample->frame_count, &error);
    errno = error;
    return result;
  }
  errno = EEXIST;
  return FLZ_ERR_WRITE;
}

int flz_resampling_save(flz_sampler *sampler, const char *kit_path, uint32_t pad, int cut,
                        FILE *out, FILE *err)
{
  flz_sample sample;
  uint32_t slot;
  if (!flz_resampler_last(sampler, &sample, &slot))
    return FLZ_ERR_EMPTY_SLOT;
  uint32_t rate = flz_sampler_rate(sampler);
  char folder[PATH_MAX], path[PATH_MAX + 32];
  flz_resampling_kit_folder(kit_path, folder, sizeof folder);
  int result = flz_resampling_write(folder, &sample, rate, path, sizeof path);
  double seconds = (double)sample.frame_count / rate;
  const char *short_of = cut ? ", cut short: its reserved memory was full" : "";
  if (result == FLZ_OK) {
    fprintf(out, "resampled into pad %u: %.3f s saved as %s%s\n", (unsigned)pad, seconds, path,
            short_of);
    return FLZ_OK;
  }
  int kit_error = errno;
  if (kit_error != EROFS && kit_error != EACCES && kit_error != EPERM) {
    fprintf(err, "error: %s: %s (%s)\n", path, flz_result_message(result), strerror(kit_error));
    return result;
  }
  char state[PATH_MAX];
  if (!flz_resampling_state_folder(state, sizeof state) ||
      (result = flz_resampling_write(state, &sample, rate, path, sizeof path)) != FLZ_OK) {
    fprintf(err, "error: %s: %s (%s; the kit folder %s: %s)\n", state,
            flz_result_message(FLZ_ERR_WRITE), strerror(errno), folder, strerror(kit_error));
    return FLZ_ERR_WRITE;
  }
  fprintf(out, "resampled into pad %u: %.3f s saved as %s (the kit folder %s: %s)%s\n",
          (unsigned)pad, seconds, path, folder, strerror(kit_error), short_of);
  return FLZ_OK;
}
