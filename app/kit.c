/* app/kit.c: kit folders: which files are pads, in which order, loading them
 * into the sampler, and where the built-in default kit is.
 *
 * Owns: the pad order (natural sort) and the per-file error lines of a load.
 * Decoding is platform/decode.c's and publishing platform/sampler.c's; this
 * file must not touch SDL (the executable's folder comes from /proc/self/exe).
 */
#include "app/kit.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/result.h"
#include "platform/decode.h"

/* Compares the digit runs starting at *a and *b by value and advances both
 * past them. Leading zeros do not count. */
static int flz_kit_compare_number(const char **a, const char **b)
{
  const char *pa = *a;
  const char *pb = *b;
  while (*pa == '0')
    pa++;
  while (*pb == '0')
    pb++;
  const char *start_a = pa;
  const char *start_b = pb;
  while (isdigit((unsigned char)*pa))
    pa++;
  while (isdigit((unsigned char)*pb))
    pb++;
  size_t length_a = (size_t)(pa - start_a);
  size_t length_b = (size_t)(pb - start_b);
  *a = pa;
  *b = pb;
  if (length_a != length_b)
    return length_a < length_b ? -1 : 1;
  int c = memcmp(start_a, start_b, length_a);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

/* Digit runs compare by value, other bytes case-folded (ASCII). Names that
 * are equal that way ("01" and "1", "a" and "A") are ordered by strcmp, so
 * the order is total and the same on every run. */
int flz_kit_natural_compare(const char *a, const char *b)
{
  const char *pa = a;
  const char *pb = b;
  while (*pa != '\0' && *pb != '\0') {
    if (isdigit((unsigned char)*pa) && isdigit((unsigned char)*pb)) {
      int c = flz_kit_compare_number(&pa, &pb);
      if (c != 0)
        return c;
      continue;
    }
    int ca = tolower((unsigned char)*pa);
    int cb = tolower((unsigned char)*pb);
    if (ca != cb)
      return ca < cb ? -1 : 1;
    pa++;
    pb++;
  }
  if (*pa != '\0' || *pb != '\0')
    return *pa == '\0' ? -1 : 1;
  int c = strcmp(a, b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

static int flz_kit_compare_names(const void *a, const void *b)
{
  return flz_kit_natural_compare(*(const char *const *)a, *(const char *const *)b);
}

static void flz_kit_free_names(char **names, size_t count)
{
  for (size_t i = 0; i < count; i++)
    free(names[i]);
  free(names);
}

/* Reads the names in `dir` that may be pads: not hidden, with an audio
 * extension. Entries are chosen by name only, so a folder called "x.ogg"
 * becomes a pad that fails to load with a message instead of vanishing. */
static int flz_kit_read_names(const char *dir, char ***names_out, size_t *count_out)
{
  DIR *folder = opendir(dir);
  if (folder == NULL)
    return FLZ_ERR_READ;
  char **names = NULL;
  size_t count = 0;
  size_t capacity = 0;
  int result = FLZ_OK;
  struct dirent *entry;
  errno = 0;
  while ((entry = readdir(folder)) != NULL) {
    if (entry->d_name[0] == '.' || !flz_decode_is_audio_name(entry->d_name))
      continue;
    if (count == capacity) {
      size_t grown = capacity == 0 ? 64 : capacity * 2;
      char **bigger = realloc(names, grown * sizeof(*names));
      if (bigger == NULL) {
        result = FLZ_ERR_NO_MEMORY;
        break;
      }
      names = bigger;
      capacity = grown;
    }
    names[count] = strdup(entry->d_name);
    if (names[count] == NULL) {
      result = FLZ_ERR_NO_MEMORY;
      break;
    }
    count++;
  }
  if (result == FLZ_OK && errno != 0)
    result = FLZ_ERR_READ;
  closedir(folder);
  if (result != FLZ_OK) {
    flz_kit_free_names(names, count);
    return result;
  }
  *names_out = names;
  *count_out = count;
  return FLZ_OK;
}

/* dir + "/" + name, without doubling a '/' that `dir` ends with. */
static char *flz_kit_join(const char *dir, const char *name)
{
  size_t dir_length = strlen(dir);
  int slash = dir_length > 0 && dir[dir_length - 1] == '/' ? 0 : 1;
  size_t size = dir_length + (size_t)slash + strlen(name) + 1;
  char *path = malloc(size);
  if (path != NULL)
    snprintf(path, size, "%s%s%s", dir, slash ? "/" : "", name);
  return path;
}

int flz_kit_scan(const char *dir, flz_kit *kit)
{
  memset(kit, 0, sizeof(*kit));
  struct stat info;
  if (stat(dir, &info) != 0)
    return errno == ENOENT || errno == ENOTDIR ? FLZ_ERR_NOT_FOUND : FLZ_ERR_READ;
  if (!S_ISDIR(info.st_mode))
    return FLZ_ERR_NOT_A_KIT;

  char **names = NULL;
  size_t count = 0;
  int result = flz_kit_read_names(dir, &names, &count);
  if (result != FLZ_OK)
    return result;
  if (count == 0) {
    free(names);
    return FLZ_ERR_EMPTY_KIT;
  }
  qsort(names, count, sizeof(*names), flz_kit_compare_names);

  kit->dir = strdup(dir);
  result = kit->dir != NULL ? FLZ_OK : FLZ_ERR_NO_MEMORY;
  for (size_t i = 0; i < count && i < FLZ_SLOTS && result == FLZ_OK; i++) {
    kit->paths[i] = flz_kit_join(dir, names[i]);
    if (kit->paths[i] == NULL)
      result = FLZ_ERR_NO_MEMORY;
    else
      kit->count++;
  }
  kit->skipped = count > FLZ_SLOTS ? (uint32_t)(count - FLZ_SLOTS) : 0;
  flz_kit_free_names(names, count);
  if (result != FLZ_OK)
    flz_kit_free(kit);
  return result;
}

void flz_kit_free(flz_kit *kit)
{
  if (kit == NULL)
    return;
  for (uint32_t i = 0; i < kit->count; i++)
    free(kit->paths[i]);
  free(kit->dir);
  memset(kit, 0, sizeof(*kit));
}

uint32_t flz_kit_load(const flz_kit *kit, flz_sampler *sampler, FILE *err)
{
  uint32_t loaded = 0;
  for (uint32_t i = 0; i < kit->count; i++) {
    char detail[256] = "";
    int result = flz_sampler_load_sample(sampler, i, kit->paths[i], detail, sizeof(detail));
    if (result == FLZ_OK) {
      loaded++;
    } else if (detail[0] != '\0') {
      fprintf(err, "error: %s: %s (%s)\n", kit->paths[i], flz_result_message(result), detail);
    } else {
      fprintf(err, "error: %s: %s\n", kit->paths[i], flz_result_message(result));
    }
  }
  if (kit->skipped > 0)
    fprintf(err, "error: %s: %s (%u files past pad %u not loaded)\n", kit->dir,
            flz_result_message(FLZ_ERR_TOO_MANY_PADS), (unsigned)kit->skipped,
            (unsigned)FLZ_SLOTS);
  return loaded;
}

static int flz_kit_is_dir(const char *path)
{
  struct stat info;
  return stat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

int flz_kit_default_dir(char *out, size_t size)
{
  char exe[4096];
  ssize_t length = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (length <= 0)
    return FLZ_ERR_NOT_FOUND;
  exe[length] = '\0';
  char *slash = strrchr(exe, '/');
  if (slash == NULL)
    return FLZ_ERR_NOT_FOUND;
  slash[1] = '\0'; /* the executable's folder, ending with '/' */

  static const char *const candidates[] = {"kit/default", "../share/flitz/kits/default"};
  for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
    char path[4096 + 64];
    int n = snprintf(path, sizeof(path), "%s%s", exe, candidates[i]);
    if (n < 0 || (size_t)n >= sizeof(path) || !flz_kit_is_dir(path))
      continue;
    if ((size_t)n >= size)
      return FLZ_ERR_ARGUMENT;
    memcpy(out, path, (size_t)n + 1);
    return FLZ_OK;
  }
  return FLZ_ERR_NOT_FOUND;
}
