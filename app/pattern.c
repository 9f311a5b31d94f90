/* app/pattern.c: the pattern files of app/pattern.h.
 *
 * Owns: the files' folder, format, loading and atomic saving, and the one
 * exchange buffer lent to the engine. Control thread only.
 */
#include "app/pattern.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/kitformat.h"
#include "app/script.h"
#include "engine/result.h"

/* The buffer the engine copies a pattern into or loads one from; only one
 * COPY or LOAD is out at a time (`busy`). */
static flz_pattern_event flz_pattern_buffer[FLZ_PATTERN_EVENTS];

/* The longest line of a file: "SECONDS note KEY VELOCITY\n" with SECONDS up
 * to 64 beats at FLZ_TEMPO_MIN (192 s) and 9 decimals. */
#define FLZ_PATTERN_LINE_MAX 64

static void flz_pattern_path(const flz_pattern_files *files, uint32_t pattern, char *path,
                             size_t size)
{
  snprintf(path, size, "%s/pattern-%02u.txt", files->dir, (unsigned)(pattern + 1));
}

/* Creates `dir` and the folders above it (mkdir -p). */
static int flz_pattern_mkdirs(const char *dir)
{
  char path[4096];
  snprintf(path, sizeof path, "%s", dir);
  for (char *slash = strchr(path + 1, '/');; slash = strchr(slash + 1, '/')) {
    if (slash != NULL)
      *slash = '\0';
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
      return FLZ_ERR_WRITE;
    if (slash == NULL)
      return FLZ_OK;
    *slash = '/';
  }
}

int flz_pattern_files_open(flz_pattern_files *files, const flz_kit *kit, FILE *out, FILE *err)
{
  memset(files, 0, sizeof *files);
  files->err = err;
  files->regions = kit->regions;
  files->pads = kit->count;
  files->tempo = kit->settings != NULL && kit->settings->bpm > 0.0f ? kit->settings->bpm
                                                                    : (float)FLZ_DEFAULT_TEMPO;
  struct stat info;
  snprintf(files->dir, sizeof files->dir, "%s", kit->dir);
  if (stat(files->dir, &info) != 0 || !S_ISDIR(info.st_mode)) {
    char *slash = strrchr(files->dir, '/'); /* a kit file: its folder */
    if (slash == NULL)
      snprintf(files->dir, sizeof files->dir, ".");
    else if (slash == files->dir)
      slash[1] = '\0';
    else
      *slash = '\0';
  }
  int result = FLZ_OK;
  if (access(files->dir, W_OK) != 0) {
    char kit_dir[4096];
    snprintf(kit_dir, sizeof kit_dir, "%s", files->dir);
    size_t length = strlen(kit_dir);
    while (length > 1 && kit_dir[length - 1] == '/')
      kit_dir[--length] = '\0';
    const char *name = strrchr(kit_dir, '/') != NULL ? strrchr(kit_dir, '/') + 1 : kit_dir;
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    int length_needed = state != NULL && state[0] == '/'
                          ? snprintf(files->dir, sizeof files->dir, "%s/flitz/patterns/%s", state,
                                     name)
                          : snprintf(files->dir, sizeof files->dir,
                                     "%s/.local/state/flitz/patterns/%s", home != NULL ? home : "",
                                     name);
    result = length_needed < 0 || (size_t)length_needed >= sizeof files->dir
               ? FLZ_ERR_WRITE
               : flz_pattern_mkdirs(files->dir);
    if (result != FLZ_OK)
      fprintf(err, "error: %s: %s (patterns cannot be saved)\n", files->dir,
              flz_result_message(result));
    else
      fprintf(out, "flitz: %s is read-only: patterns are kept in %s\n", kit_dir, files->dir);
    snprintf(files->kit_dir, sizeof files->kit_dir, "%s", kit_dir);
  }
  files->loads = (1u << FLZ_PATTERNS) - 1u; /* a pattern with no file is emptied */
  return result;
}

int flz_pattern_files_pending(const flz_pattern_files *files)
{
  return files->busy || files->loads != 0 || files->saves != 0;
}

/* Notes in `keys` (a multi-sample kit's, per pad) the key `event` presses
 * its pads with, if it presses any. */
static void flz_pattern_note_key(const flz_pattern_files *files, const flz_script_event *event,
                                 uint8_t *keys)
{
  if (event->action == FLZ_SCRIPT_PLAY && event->pad - 1 < FLZ_PADS) {
    keys[event->pad - 1] = files->regions->pad_keys[event->pad - 1];
  } else if (event->action == FLZ_SCRIPT_NOTE) {
    uint16_t pads[FLZ_PADS];
    uint32_t count = flz_kit_regions_pads_of_key(files->regions, event->key, pads);
    for (uint32_t i = 0; i < count; i++)
      keys[pads[i]] = event->key;
  }
}

/* Reads pattern `pattern`'s file into the buffer: its events and bars.
 * Returns FLZ_OK or prints the file's error line and returns the error. */
static int flz_pattern_read(flz_pattern_files *files, uint32_t pattern, uint32_t *count,
                            uint32_t *bars)
{
  char path[4200];
  flz_pattern_path(files, pattern, path, sizeof path);
  *bars = 1;
  *count = 0;
  struct stat info;
  if (stat(path, &info) != 0 && errno == ENOENT && files->kit_dir[0] != '\0')
    snprintf(path, sizeof path, "%s/pattern-%02u.txt", files->kit_dir, (unsigned)(pattern + 1));
  if (stat(path, &info) != 0 && errno == ENOENT)
    return FLZ_OK; /* no file: an empty pattern */
  FILE *file = fopen(path, "r");
  if (file != NULL) {
    char line[128];
    unsigned number, value;
    if (fgets(line, sizeof line, file) != NULL &&
        sscanf(line, "# flitz pattern %u bars %u", &number, &value) == 2)
      *bars = value < 1 ? 1 : (value > FLZ_PATTERN_BARS_MAX ? FLZ_PATTERN_BARS_MAX : value);
    fclose(file);
  }
  flz_script script;
  uint32_t bad = 0;
  char why[256];
  int result = flz_script_load(path, files->pads, &script, &bad, why, sizeof why);
  if (result != FLZ_OK) {
    if (bad > 0)
      fprintf(files->err, "error: %s:%u: %s\n", path, (unsigned)bad, why);
    else
      fprintf(files->err, "error: %s: %s\n", path, flz_result_message(result));
    return result;
  }
  double tempo = files->tempo;
  uint32_t kept = 0;
  /* A release of a multi-sample pad releases the key it was last pressed
   * with, before it in the cycle or, wrapping round, at the cycle's end. */
  static uint8_t keys[FLZ_PADS];
  for (uint32_t pad = 0; files->regions != NULL && pad < files->pads && pad < FLZ_PADS; pad++)
    keys[pad] = files->regions->pad_keys[pad];
  for (size_t i = 0; files->regions != NULL && i < script.count; i++)
    flz_pattern_note_key(files, &script.events[i], keys);
  for (size_t i = 0; i < script.count; i++) {
    const flz_script_event *e = &script.events[i];
    flz_pattern_event event = {.velocity = e->value};
    /* A note presses every pad that takes its key, in pad order. */
    uint16_t pads[FLZ_PADS];
    uint32_t pad_count = 0;
    if (e->action == FLZ_SCRIPT_TEMPO) {
      tempo = e->value;
      continue;
    }
    if (e->action == FLZ_SCRIPT_RELEASE) {
      event = (flz_pattern_event){.pad = (uint16_t)(e->pad - 1)};
      event.kind = files->regions == NULL ? FLZ_PATTERN_SLOT | FLZ_PATTERN_RELEASE
                                          : FLZ_PATTERN_PAD | FLZ_PATTERN_RELEASE;
      event.key = files->regions == NULL ? 0 : e->has_key ? e->key : keys[e->pad - 1];
    } else if (e->action == FLZ_SCRIPT_PLAY && files->regions == NULL) {
      event.kind = FLZ_PATTERN_SLOT;
      event.pad = (uint16_t)(e->pad - 1);
    } else if (e->action == FLZ_SCRIPT_PLAY) {
      event.kind = FLZ_PATTERN_PAD;
      event.pad = (uint16_t)(e->pad - 1);
      event.key = files->regions->pad_keys[e->pad - 1];
    } else if (e->action == FLZ_SCRIPT_NOTE && files->regions != NULL &&
               (pad_count = flz_kit_regions_pads_of_key(files->regions, e->key, pads)) > 0) {
      event.kind = FLZ_PATTERN_PAD;
      event.pad = pads[0];
      event.key = e->key;
    } else {
      continue;
    }
    if (files->regions != NULL)
      flz_pattern_note_key(files, e, keys);
    double position = e->seconds * tempo / 60.0 * FLZ_PATTERN_ONE;
    if (position >= (double)FLZ_PATTERN_BARS_MAX * 4.0 * FLZ_PATTERN_ONE)
      continue;
    event.position = (uint32_t)llround(position);
    for (uint32_t p = 0; p < (pad_count > 0 ? pad_count : 1) && kept < FLZ_PATTERN_EVENTS; p++) {
      if (pad_count > 0)
        event.pad = pads[p];
      flz_pattern_buffer[kept++] = event;
    }
  }
  flz_script_deinit(&script); /* its times never decrease: the events are in order */
  *count = kept;
  return FLZ_OK;
}

/* 1 when press `first` of `events` (`count` of them) and the presses after
 * it at its position press every pad of `pads` (`pad_count`, `first`'s the
 * first) with its key and velocity: one note's presses. */
static int flz_pattern_whole_note(const flz_pattern_event *events, uint32_t count, uint32_t first,
                                  const uint16_t *pads, uint32_t pad_count)
{
  const flz_pattern_event *e = &events[first];
  for (uint32_t p = 1; p < pad_count; p++) {
    int found = 0;
    for (uint32_t j = first + 1; !found && j < count && events[j].position == e->position; j++)
      found = events[j].kind == FLZ_PATTERN_PAD && events[j].pad == pads[p] &&
              events[j].key == e->key && events[j].velocity == e->velocity;
    if (!found)
      return 0;
  }
  return 1;
}

/* How press `i` of `events` (`count` of them, of a multi-sample kit's pads)
 * is written: 0 as a `play` of its pad, 1 as a `note` of its key, 2 not at
 * all. A note presses every pad that takes its key (flz_pattern_read does
 * too): those presses are one `note` line, the first pad's; any other press
 * is a `play` with its pad's own key, else a `note`. */
static int flz_pattern_note_line(const flz_pattern_files *files, const flz_pattern_event *events,
                                 uint32_t count, uint32_t i)
{
  const flz_pattern_event *e = &events[i];
  uint16_t pads[FLZ_PADS];
  uint32_t pad_count = flz_kit_regions_pads_of_key(files->regions, e->key, pads);
  if (pad_count > 1 && e->pad == pads[0] &&
      flz_pattern_whole_note(events, count, i, pads, pad_count))
    return 1;
  for (uint32_t j = i; pad_count > 1 && j-- > 0 && events[j].position == e->position;)
    if (events[j].kind == FLZ_PATTERN_PAD && events[j].pad == pads[0] && events[j].key == e->key &&
        events[j].velocity == e->velocity &&
        flz_pattern_whole_note(events, count, j, pads, pad_count))
      return 2;
  return files->regions->pad_keys[e->pad] != e->key;
}

size_t flz_pattern_format(const flz_pattern_files *files, uint32_t pattern, uint32_t bars,
                          const flz_pattern_event *events, uint32_t count, char *text, size_t size)
{
  double tempo = files->tempo;
  size_t length = (size_t)snprintf(text, size, "# flitz pattern %u bars %u\n0 tempo %.9g\n",
                                   (unsigned)(pattern + 1), (unsigned)bars, tempo);
  for (uint32_t i = 0; i < count && length < size; i++) {
    const flz_pattern_event *e = &events[i];
    int line = 0;
    double seconds = (double)e->position / FLZ_PATTERN_ONE * 60.0 / tempo;
    if ((e->kind & FLZ_PATTERN_RELEASE) && files->regions != NULL)
      length += (size_t)snprintf(text + length, size - length, "%.9f release %u %u\n", seconds,
                                 (unsigned)e->pad + 1, (unsigned)e->key);
    else if (e->kind & FLZ_PATTERN_RELEASE)
      length += (size_t)snprintf(text + length, size - length, "%.9f release %u\n", seconds,
                                 (unsigned)e->pad + 1);
    else if (e->kind == FLZ_PATTERN_PAD && files->regions != NULL &&
             (line = flz_pattern_note_line(files, events, count, i)) != 0) {
      if (line == 2)
        continue;
      long velocity = lroundf(e->velocity * 127.0f);
      length += (size_t)snprintf(text + length, size - length, "%.9f note %u %ld\n", seconds,
                                 (unsigned)e->key, velocity < 1 ? 1 : velocity);
    } else {
      length += (size_t)snprintf(text + length, size - length, "%.9f play %u %.9g\n", seconds,
                                 (unsigned)e->pad + 1, (double)e->velocity);
    }
  }
  return length;
}

/* fsync of folder `dir`: makes a rename in it durable. */
static int flz_pattern_sync_dir(const char *dir)
{
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return FLZ_ERR_WRITE;
  int ok = fsync(fd) == 0;
  close(fd);
  return ok ? FLZ_OK : FLZ_ERR_WRITE;
}

int flz_pattern_write_atomic(const char *path, const char *text, size_t size)
{
  char temporary[4200], dir[4200];
  snprintf(temporary, sizeof temporary, "%s.tmp", path);
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash == NULL)
    snprintf(dir, sizeof dir, ".");
  else
    *slash = '\0';
  int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return FLZ_ERR_WRITE;
  size_t done = 0;
  while (done < size) {
    ssize_t n = write(fd, text + done, size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    done += (size_t)n;
  }
  int ok = done == size && fsync(fd) == 0;
  ok = close(fd) == 0 && ok;
  if (!ok || rename(temporary, path) != 0) {
    unlink(temporary);
    return FLZ_ERR_WRITE;
  }
  return flz_pattern_sync_dir(dir);
}

/* Saves pattern `pattern` from the buffer: `count` events, `bars` bars. */
static void flz_pattern_save(flz_pattern_files *files, uint32_t pattern, uint32_t count,
                             uint32_t bars)
{
  char path[4200];
  flz_pattern_path(files, pattern, path, sizeof path);
  if (count == 0 && bars <= 1) {
    if (unlink(path) == 0)
      (void)flz_pattern_sync_dir(files->dir);
    return;
  }
  size_t size = (size_t)count * FLZ_PATTERN_LINE_MAX + 128;
  char *text = malloc(size);
  int result = FLZ_ERR_NO_MEMORY;
  if (text != NULL) {
    size_t length = flz_pattern_format(files, pattern, bars, flz_pattern_buffer, count, text, size);
    result = length < size ? flz_pattern_write_atomic(path, text, length) : FLZ_ERR_WRITE;
  }
  free(text);
  if (result != FLZ_OK)
    fprintf(files->err, "error: %s: %s\n", path, flz_result_message(result));
}

void flz_pattern_files_poll(flz_pattern_files *files, flz_sampler *sampler)
{
  while (!files->busy && files->loads != 0) {
    uint32_t pattern = (uint32_t)__builtin_ctz(files->loads);
    uint32_t count = 0, bars = 1;
    if (flz_pattern_read(files, pattern, &count, &bars) != FLZ_OK) {
      files->loads &= ~(1u << pattern);
      continue;
    }
    flz_command command = {.type = FLZ_COMMAND_PATTERN_LOAD,
                           .slot = pattern,
                           .offset = count,
                           .value = (float)bars,
                           .events = flz_pattern_buffer};
    if (flz_sampler_command(sampler, &command) != FLZ_OK)
      return; /* the ring is full: again at the next poll */
    files->loads &= ~(1u << pattern);
    files->busy = 1;
  }
  if (!files->busy && files->saves != 0) {
    uint32_t pattern = (uint32_t)__builtin_ctz(files->saves);
    flz_command command = {.type = FLZ_COMMAND_PATTERN_COPY,
                           .slot = pattern,
                           .offset = FLZ_PATTERN_EVENTS,
                           .events = flz_pattern_buffer};
    if (flz_sampler_command(sampler, &command) != FLZ_OK)
      return;
    files->saves &= ~(1u << pattern);
    files->busy = 1;
  }
}

int flz_pattern_files_event(flz_pattern_files *files, const flz_event *event)
{
  switch (event->type) {
  case FLZ_EVENT_PATTERN_CHANGED:
    if (event->slot < FLZ_PATTERNS)
      files->saves |= 1u << event->slot;
    return 1;
  case FLZ_EVENT_PATTERN_COPIED:
    files->busy = 0;
    if (event->slot < FLZ_PATTERNS)
      flz_pattern_save(files, event->slot, event->voice, (uint32_t)event->value);
    return 1;
  case FLZ_EVENT_PATTERN_LOADED:
    files->busy = 0;
    return 1;
  case FLZ_EVENT_PATTERN_FULL:
    if (event->voice != UINT32_MAX) { /* a refused load hands the buffer back */
      files->busy = 0;
      fprintf(files->err, "error: pattern %u: %s (%u events)\n", (unsigned)event->slot + 1,
              flz_result_message(FLZ_ERR_PATTERN_FULL), (unsigned)FLZ_PATTERN_EVENTS);
      return 1;
    }
    if (!files->full_said)
      fprintf(files->err,
              "flitz: the pattern store is full (%u events): pattern %u records no more\n",
              (unsigned)FLZ_PATTERN_EVENTS, (unsigned)event->slot + 1);
    files->full_said = 1;
    return 1;
  default:
    return 0;
  }
}
