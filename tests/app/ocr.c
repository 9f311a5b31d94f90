/* tests/app/ocr.c: screenshots read back as text (ocr.h). Test helper only;
 * aborts on a failed allocation. */
#include "ocr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *flz_ocr_read(const char *png)
{
  char command[512];
  snprintf(command, sizeof command, "tesseract '%s' - --psm 11 2>/dev/null", png);
  FILE *pipe = popen(command, "r");
  if (pipe == NULL)
    return NULL;
  size_t size = 1 << 16, used = 0;
  char *text = malloc(size);
  if (text == NULL)
    abort();
  size_t got;
  while ((got = fread(text + used, 1, size - 1 - used, pipe)) > 0)
    used += got;
  text[used] = '\0';
  if (pclose(pipe) != 0) {
    free(text);
    return NULL;
  }
  return text;
}

/* Edit distance of `a` (shorter than 64 bytes) and the `n` bytes at `b`
 * (n < 64). */
static size_t flz_ocr_distance(const char *a, const char *b, size_t n)
{
  size_t m = strlen(a);
  size_t row[64];
  for (size_t j = 0; j <= n; j++)
    row[j] = j;
  for (size_t i = 1; i <= m; i++) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= n; j++) {
      size_t above = row[j];
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      size_t best = diagonal + cost;
      if (above + 1 < best)
        best = above + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diagonal = above;
    }
  }
  return row[n];
}

int flz_ocr_has_word(const char *text, const char *word)
{
  if (strlen(word) >= 64)
    return 0;
  const char *p = text;
  while (*p != '\0') {
    while (*p == ' ' || *p == '\n')
      p++;
    size_t n = strcspn(p, " \n");
    if (n > 0 && n < 64 && flz_ocr_distance(word, p, n) <= 1)
      return 1;
    p += n;
  }
  return 0;
}
