/* tests/app/tempdir.c: temporary folders and their files (tempdir.h). */
#include "tempdir.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dirent.h>

#include <cmocka.h>

void flz_tempdir_make(char *dir, size_t size, const char *prefix)
{
  int n = snprintf(dir, size, "/tmp/%s-XXXXXX", prefix);
  assert_true(n > 0 && (size_t)n < size);
  assert_non_null(mkdtemp(dir));
}

void flz_tempdir_remove(const char *dir)
{
  char command[1200];
  int n = snprintf(command, sizeof command, "rm -rf '%s'", dir);
  assert_true(n > 0 && (size_t)n < sizeof command);
  assert_int_equal(system(command), 0);
}

void flz_tempdir_link(const char *from, const char *to, const char *except)
{
  assert_int_equal(mkdir(to, 0700), 0);
  DIR *dir = opendir(from);
  assert_non_null(dir);
  size_t linked = 0;
  for (struct dirent *entry = readdir(dir); entry != NULL; entry = readdir(dir)) {
    if (entry->d_name[0] == '.' || (except != NULL && strcmp(entry->d_name, except) == 0))
      continue;
    char target[1024], link[1024];
    int n = snprintf(target, sizeof target, "%s/%s", from, entry->d_name);
    assert_true(n > 0 && (size_t)n < sizeof target);
    n = snprintf(link, sizeof link, "%s/%s", to, entry->d_name);
    assert_true(n > 0 && (size_t)n < sizeof link);
    assert_int_equal(symlink(target, link), 0);
    linked++;
  }
  closedir(dir);
  assert_true(linked > 0);
}

void flz_tempdir_write(const char *path, const char *text)
{
  FILE *file = fopen(path, "w");
  assert_non_null(file);
  assert_true(fputs(text, file) >= 0);
  assert_int_equal(fclose(file), 0);
}

char *flz_tempdir_read(const char *path, size_t *size)
{
  FILE *file = fopen(path, "rb");
  assert_non_null(file);
  assert_int_equal(fseek(file, 0, SEEK_END), 0);
  long bytes = ftell(file);
  assert_true(bytes >= 0);
  assert_int_equal(fseek(file, 0, SEEK_SET), 0);
  char *data = malloc((size_t)bytes + 1);
  assert_non_null(data);
  *size = fread(data, 1, (size_t)bytes, file);
  data[*size] = '\0';
  fclose(file);
  return data;
}
