/* tests/app/tempdir.c: temporary folders and their files (tempdir.h). */
#include "tempdir.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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
