/* tests/app/capture.c: stdout/stderr capture for in-process subcommand runs
 * (capture.h). Test helper only; aborts the test on any setup failure. */
#include "capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void flz_capture_die(const char *what)
{
  perror(what);
  abort();
}

/* Points file descriptor `fd` at a fresh temporary file; returns the saved
 * original descriptor and the temporary one in *temp. */
static int flz_capture_redirect(int fd, int *temp)
{
  char path[] = "/tmp/flz-capture-XXXXXX";
  *temp = mkstemp(path);
  if (*temp < 0)
    flz_capture_die("mkstemp");
  unlink(path);
  int saved = dup(fd);
  if (saved < 0 || dup2(*temp, fd) < 0)
    flz_capture_die("dup2");
  return saved;
}

/* Restores `fd` and returns what was written to `temp`. */
static char *flz_capture_restore(int fd, int saved, int temp)
{
  if (dup2(saved, fd) < 0)
    flz_capture_die("dup2");
  close(saved);
  off_t size = lseek(temp, 0, SEEK_END);
  char *text = malloc((size_t)size + 1);
  if (text == NULL || lseek(temp, 0, SEEK_SET) != 0 ||
      read(temp, text, (size_t)size) != (ssize_t)size)
    flz_capture_die("read");
  text[size] = '\0';
  close(temp);
  return text;
}

flz_capture flz_capture_run(int (*main_fn)(int, char **), int argc, char **argv)
{
  fflush(stdout);
  fflush(stderr);
  int out_temp;
  int err_temp;
  int out_saved = flz_capture_redirect(STDOUT_FILENO, &out_temp);
  int err_saved = flz_capture_redirect(STDERR_FILENO, &err_temp);
  flz_capture capture;
  capture.code = main_fn(argc, argv);
  fflush(stdout);
  fflush(stderr);
  capture.out = flz_capture_restore(STDOUT_FILENO, out_saved, out_temp);
  capture.err = flz_capture_restore(STDERR_FILENO, err_saved, err_temp);
  return capture;
}

void flz_capture_free(flz_capture *capture)
{
  free(capture->out);
  free(capture->err);
  capture->out = NULL;
  capture->err = NULL;
}

size_t flz_capture_lines(const char *text)
{
  size_t count = 0;
  for (; *text != '\0'; text++)
    count += *text == '\n';
  return count;
}
