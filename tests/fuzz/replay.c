/* tests/fuzz/replay.c: runs one fuzz harness's LLVMFuzzerTestOneInput on
 * every file of the folders given on the command line, without libFuzzer, so
 * the inputs kept under tests/fuzz/regressions/ (each once a crash, now
 * fixed) and the seed corpus run in every build and under every sanitizer.
 * A folder that does not exist holds no inputs (git keeps no empty folder).
 * Exits 0 when every input ran; a crash is the sanitizer's or the signal's.
 * Owns: nothing but the files it reads. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
  FILE *file = fopen(path, "rb");
  if (file == NULL)
    return 0;
  size_t capacity = 1 << 16;
  size_t size = 0;
  unsigned char *data = malloc(capacity);
  size_t got;
  while (data != NULL && (got = fread(data + size, 1, capacity - size, file)) > 0) {
    size += got;
    if (size == capacity) {
      unsigned char *bigger = realloc(data, capacity * 2);
      if (bigger == NULL) {
        free(data);
        data = NULL;
        break;
      }
      data = bigger;
      capacity *= 2;
    }
  }
  fclose(file);
  if (data == NULL) {
    fprintf(stderr, "replay: %s: out of memory\n", path);
    return -1;
  }
  LLVMFuzzerTestOneInput(data, size);
  free(data);
  return 1;
}

int main(int argc, char **argv)
{
  int count = 0;
  for (int i = 1; i < argc; i++) {
    DIR *folder = opendir(argv[i]);
    if (folder == NULL && errno == ENOENT)
      continue;
    if (folder == NULL) {
      fprintf(stderr, "replay: %s: cannot be read\n", argv[i]);
      return 1;
    }
    struct dirent *entry;
    while ((entry = readdir(folder)) != NULL) {
      if (entry->d_name[0] == '.')
        continue;
      char path[4096];
      snprintf(path, sizeof path, "%s/%s", argv[i], entry->d_name);
      int result = replay_file(path);
      if (result < 0) {
        closedir(folder);
        return 1;
      }
      count += result;
    }
    closedir(folder);
  }
  printf("replay: %d inputs\n", count);
  return 0;
}
