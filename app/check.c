/* app/check.c: `flitz check` (the output format is app/check.h's contract).
 *
 * Owns: the per-file report lines. Decoding is platform/decode.c's and the
 * pad order app/kit.c's. Must not touch the sampler or SDL.
 */
#include "app/check.h"

#include <stdio.h>
#include <string.h>

#include "app/kit.h"
#include "app/kitfile.h"
#include "app/kitformat.h"
#include "app/options.h"
#include "engine/result.h"
#include "platform/decode.h"

/* Prints the error line of `path`; `detail` may be empty. */
static void flz_check_error(const char *path, int result, const char *detail)
{
  if (detail != NULL && detail[0] != '\0')
    fprintf(stderr, "error: %s: %s (%s)\n", path, flz_result_message(result), detail);
  else
    fprintf(stderr, "error: %s: %s\n", path, flz_result_message(result));
}

/* Decodes `path` and prints its line. Returns 1 if it is usable (its
 * source frames in *frames when not NULL), else 0. */
static int flz_check_file(unsigned pad, const char *path, uint64_t *frames, const char *suffix)
{
  flz_decoded decoded;
  flz_audio_info info;
  char detail[256] = "";
  int result = flz_decode_file(path, 0, &decoded, &info, detail, sizeof(detail));
  if (result != FLZ_OK) {
    flz_check_error(path, result, detail);
    return 0;
  }
  flz_decode_free(&decoded);
  if (frames != NULL)
    *frames = info.frames;
  printf("%u %s frames=%llu channels=%u rate=%u seconds=%.3f%s\n", pad, path,
         (unsigned long long)info.frames, (unsigned)info.channels, (unsigned)info.rate,
         (double)info.frames / (double)info.rate, suffix);
  return 1;
}

/* Checks every region of a multi-sample kit: one line each, the file's
 * line and then " key=LO..HI vel=LO..HI seq=POSITION/LENGTH
 * rand=LO..HI trigger=attack|release" (seq 0: every round). Returns 1 if
 * all are usable, else 0. */
static int flz_check_regions(const flz_kit_regions *regions)
{
  int ok = 1;
  for (uint32_t p = 0; p < regions->pad_count; p++) {
    const flz_pad_params *pad = &regions->pads[p];
    for (uint32_t r = pad->first; r < pad->first + pad->count; r++) {
      const flz_kit_region *kr = &regions->regions[r];
      const flz_region *g = &kr->region;
      char suffix[160];
      snprintf(suffix, sizeof suffix, " key=%u..%u vel=%u..%u seq=%u/%u rand=%.2f..%.2f trigger=%s",
               g->lokey, g->hikey, g->lovel, g->hivel, g->seq_position,
               pad->seq_length > 0 ? pad->seq_length : 1, (double)g->lorand, (double)g->hirand,
               g->trigger == FLZ_TRIGGER_RELEASE ? "release" : "attack");
      if (kr->path == NULL)
        printf("%u *silence%s\n", (unsigned)(p + 1), suffix);
      else if (kr->data_frames > 0)
        printf("%u %s offset=%llu frames=%u channels=1 rate=%u bits=%u seconds=%.3f%s\n",
               (unsigned)(p + 1), kr->path, (unsigned long long)kr->data_offset,
               (unsigned)kr->data_frames, (unsigned)kr->data_rate, kr->low_offset != 0 ? 24u : 16u,
               kr->data_rate > 0 ? (double)kr->data_frames / kr->data_rate : 0.0, suffix);
      else
        ok &= flz_check_file(p + 1, kr->path, NULL, suffix);
    }
  }
  return ok && regions->skipped == 0;
}

/* Checks every pad of kit `dir` of format `format` (a folder or a kit file;
 * `preset` picks a bank's), after what its file holds (format->list).
 * Returns 1 if all are usable, else 0. */
static int flz_check_kit(const char *dir, const flz_kit_format *format,
                         const flz_kit_preset *preset)
{
  if (!format->list(dir, stdout, stderr))
    return 0;
  flz_kit kit;
  int result = flz_kit_open_preset(dir, preset, &kit, stderr);
  if (result != FLZ_OK) {
    if (result != FLZ_ERR_SYNTAX)
      flz_kit_error(dir, result, stderr);
    return 0;
  }
  if (kit.regions != NULL) {
    int ok = flz_check_regions(kit.regions);
    flz_kit_deinit(&kit);
    return ok;
  }
  int ok = !flz_kit_settings_error(&kit, stderr);
  const char *slash = dir[0] != '\0' && dir[strlen(dir) - 1] == '/' ? "" : "/";
  for (uint32_t i = 0; i < kit.count; i++) {
    uint64_t frames = 0;
    if (kit.paths[i] == NULL || !flz_check_file(i + 1, kit.paths[i], &frames, "")) {
      ok &= kit.paths[i] == NULL;
      continue;
    }
    /* kit.ini's frame points against the file they play. */
    uint32_t line = 0;
    char detail[160];
    if (frames > 0 && !flz_kitfile_check_points(&kit.settings->pads[i], i + 1, frames, &line,
                                                detail, sizeof detail)) {
      fprintf(stderr, "error: %s%skit.ini:%u: %s (%s)\n", dir, slash, (unsigned)line, detail,
              kit.paths[i]);
      ok = 0;
    }
  }
  if (kit.skipped > 0) {
    fprintf(stderr, "error: %s: %s (%u files past pad %u not checked)\n", dir,
            flz_result_message(FLZ_ERR_TOO_MANY_PADS), (unsigned)kit.skipped, (unsigned)FLZ_PADS);
    ok = 0;
  }
  flz_kit_deinit(&kit);
  return ok;
}

int flz_check_main(int argc, char **argv)
{
  flz_options options;
  int index;
  int code = flz_options_parse_command(argc, argv, "flitz check", &index, &options);
  if (code >= 0)
    return code;
  if (index >= argc) {
    fprintf(stderr, "flitz check: needs a KIT folder or audio FILEs (see flitz --help)\n");
    return 2;
  }

  int ok = 1;
  flz_kit_preset preset = {options.preset_given, options.preset_bank, options.preset_program};
  for (int i = index; i < argc; i++) {
    const char *path = argv[i];
    const flz_kit_format *format = flz_kit_format_of(path);
    if (format != NULL)
      ok &= flz_check_kit(path, format, &preset);
    else
      ok &= flz_check_file((unsigned)(i - index + 1), path, NULL, "");
  }
  fflush(stdout);
  return ok ? 0 : 1;
}
