/* app/note.c: MIDI note numbers and names (app/note.h). */
#include "app/note.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int flz_note_parse(const char *text, uint32_t *key)
{
  /* semitones of c d e f g a b above c */
  static const int steps[] = {9, 11, 0, 2, 4, 5, 7};
  if (text == NULL || text[0] == '\0')
    return 0;
  long value;
  char *end = NULL;
  if (isdigit((unsigned char)text[0])) {
    value = strtol(text, &end, 10);
    if (*end != '\0' || strlen(text) > 3)
      return 0;
  } else {
    int letter = tolower((unsigned char)text[0]);
    if (letter < 'a' || letter > 'g')
      return 0;
    value = steps[letter - 'a'];
    const char *rest = text + 1;
    if (*rest == '#') {
      value++;
      rest++;
    } else if (*rest == 'b') {
      value--;
      rest++;
    }
    if (!(isdigit((unsigned char)rest[0]) || (rest[0] == '-' && rest[1] == '1')) ||
        strlen(rest) > 2)
      return 0;
    long octave = strtol(rest, &end, 10);
    if (*end != '\0')
      return 0;
    value += (octave + 1) * 12;
  }
  if (value < 0 || value > (long)FLZ_NOTE_MAX)
    return 0;
  *key = (uint32_t)value;
  return 1;
}
