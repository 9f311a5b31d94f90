/* tests/app/readme.c: README.md blocks (tests/app/readme.h). */
#include "readme.h"

#include <stdlib.h>
#include <string.h>

char *flz_readme_block(const char *marker)
{
  FILE *file = fopen(FLZ_README, "r");
  if (file == NULL)
    return NULL;
  char *block = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&block, &size);
  char line[1024];
  int state = 0; /* 0 before the marker, 1 before the fence, 2 in the block, 3 done */
  while (state < 3 && out != NULL && fgets(line, sizeof line, file) != NULL) {
    if (state == 0 && strncmp(line, "<!-- ", 5) == 0 &&
        strncmp(line + 5, marker, strlen(marker)) == 0)
      state = 1;
    else if (state == 1 && strncmp(line, "```", 3) == 0)
      state = 2;
    else if (state == 2 && strncmp(line, "```", 3) == 0)
      state = 3;
    else if (state == 2)
      fputs(line, out);
  }
  fclose(file);
  if (out != NULL)
    fclose(out);
  if (state != 3) {
    free(block);
    return NULL;
  }
  return block;
}

char *flz_readme_written(void (*write)(FILE *out))
{
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);
  if (out == NULL)
    return NULL;
  write(out);
  fclose(out);
  return text;
}
