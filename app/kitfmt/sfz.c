/* app/kitfmt/sfz.c: the SFZ reader (what it reads: app/kitfmt/sfz.h).
 *
 * Owns: SFZ syntax, header inheritance, opcode values and their messages,
 * and grouping regions into pads. Must not touch the sampler.
 */
#include "app/kitfmt/sfz.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "app/ini.h"
#include "app/note.h"
#include "engine/result.h"

/* The most text read over a kit's file and its includes. */
#define FLZ_SFZ_BYTES_MAX (16ull * FLZ_SETTINGS_FILE_MAX)

/* Values of one header level (global, master, group, region). */
typedef struct flz_sfz_values {
  flz_kit_region r;
  char *sample;      /* as written, malloc'ed; NULL: none */
  double volume_db;  /* volume */
  double pan;        /* -100..100 */
  double tune_cents; /* tune */
  double transpose;  /* semitones */
  uint32_t group, off_by;
  uint32_t seq_length;
  uint32_t polyphony;
  uint32_t pad_set;         /* which pad-level opcodes it sets (FLZ_SFZ_SET_*) */
  float velcurve[128];      /* amp_velcurve_N, where set */
  uint32_t velcurve_set[4]; /* bit N: amp_velcurve_N is set */
} flz_sfz_values;

enum {
  FLZ_SFZ_SET_POLYPHONY = 1,
};

enum { FLZ_SFZ_NONE = -1, FLZ_SFZ_GLOBAL = 0, FLZ_SFZ_MASTER, FLZ_SFZ_GROUP, FLZ_SFZ_REGION };

typedef struct flz_sfz_parser {
  const char *dir;
  FILE *err;
  const char *name; /* the file being read */
  uint32_t line;
  int depth;
  unsigned long long bytes;
  int level;    /* FLZ_SFZ_* of the header whose opcodes follow */
  int control;  /* 1: in <control> */
  int skipping; /* 1: in an unknown header: its opcodes are skipped */
  flz_sfz_values values[4];
  char *default_path; /* malloc'ed */
  uint32_t define_count;
  char *define_names[FLZ_SFZ_DEFINES];
  char *define_values[FLZ_SFZ_DEFINES];
  flz_sfz_values *regions; /* read so far, malloc'ed */
  uint32_t count, capacity;
  uint32_t skipped;
} flz_sfz_parser;

static int flz_sfz_error(flz_sfz_parser *p, const char *format, ...)
{
  va_list args;
  va_start(args, format);
  fprintf(p->err, "error: %s:%u: ", p->name, (unsigned)p->line);
  vfprintf(p->err, format, args);
  fputc('\n', p->err);
  va_end(args);
  return FLZ_ERR_SYNTAX;
}

static void flz_sfz_warn(flz_sfz_parser *p, const char *format, ...)
{
  va_list args;
  va_start(args, format);
  fprintf(p->err, "warning: %s:%u: ", p->name, (unsigned)p->line);
  vfprintf(p->err, format, args);
  fputc('\n', p->err);
  va_end(args);
}

static void flz_sfz_values_init(flz_sfz_values *v)
{
  memset(v, 0, sizeof *v);
  flz_sampler_region_default(&v->r.region, 0);
}

/* Copies `from` into `to` (its sample string duplicated). */
static int flz_sfz_values_copy(flz_sfz_values *to, const flz_sfz_values *from)
{
  free(to->sample);
  *to = *from;
  if (from->sample != NULL && (to->sample = strdup(from->sample)) == NULL)
    return FLZ_ERR_NO_MEMORY;
  return FLZ_OK;
}

int flz_sfz_probe(const char *path)
{
  size_t length = strlen(path);
  return length > 4 && strcasecmp(path + length - 4, ".sfz") == 0;
}

/* A number of `opcode` in low..high, or an error line. */
static int flz_sfz_range(flz_sfz_parser *p, const char *opcode, const char *value, double low,
                         double high, double *out)
{
  if (!flz_ini_number(value, low, high, out))
    return flz_sfz_error(p, "%s must be a number from %g to %g, not '%s'", opcode, low, high,
                         value);
  return FLZ_OK;
}

/* A whole number of `opcode` in low..high, or an error line. */
static int flz_sfz_whole(flz_sfz_parser *p, const char *opcode, const char *value, double low,
                         double high, uint32_t *out)
{
  double number;
  if (!flz_ini_number(value, low, high, &number) || number != floor(number))
    return flz_sfz_error(p, "%s must be a whole number from %g to %g, not '%s'", opcode, low, high,
                         value);
  *out = (uint32_t)number;
  return FLZ_OK;
}

static int flz_sfz_key(flz_sfz_parser *p, const char *opcode, const char *value, uint8_t *out)
{
  uint32_t key;
  if (!flz_note_parse(value, &key))
    return flz_sfz_error(p, "%s must be a MIDI note 0..127 or a name like c4, not '%s'", opcode,
                         value);
  *out = (uint8_t)key;
  return FLZ_OK;
}

/* `value` as one of `words` (NULL-terminated); its index, or an error line. */
static int flz_sfz_word(flz_sfz_parser *p, const char *opcode, const char *value,
                        const char *const *words, uint32_t *out)
{
  for (uint32_t i = 0; words[i] != NULL; i++)
    if (strcmp(value, words[i]) == 0) {
      *out = i;
      return FLZ_OK;
    }
  char list[160] = "";
  for (uint32_t i = 0; words[i] != NULL; i++) {
    strncat(list, i > 0 ? ", " : "", sizeof list - strlen(list) - 1);
    strncat(list, words[i], sizeof list - strlen(list) - 1);
  }
  return flz_sfz_error(p, "%s must be %s, not '%s'", opcode, list, value);
}

static int flz_sfz_apply(flz_sfz_parser *p, const char *opcode, const char *value);

/* Applies `opcode`=`value` to the current level and the levels below it,
 * which inherit it until their own header opens again. */
static int flz_sfz_opcode(flz_sfz_parser *p, const char *opcode, const char *value)
{
  int result = flz_sfz_apply(p, opcode, value);
  if (result != FLZ_OK || p->skipping || p->control || p->level == FLZ_SFZ_NONE)
    return result;
  for (int l = p->level + 1; l <= FLZ_SFZ_REGION; l++)
    if (flz_sfz_values_copy(&p->values[l], &p->values[p->level]) != FLZ_OK)
      return FLZ_ERR_NO_MEMORY;
  return FLZ_OK;
}

/* Applies `opcode`=`value` to the current level. */
static int flz_sfz_apply(flz_sfz_parser *p, const char *opcode, const char *value)
{
  static const char *const loop_modes[] = {"no_loop", "one_shot", "loop_continuous", "loop_sustain",
                                           NULL};
  static const char *const off_modes[] = {"fast", "normal", "time", NULL};
  static const char *const triggers[] = {"attack", "release", NULL};
  if (p->skipping)
    return FLZ_OK;
  if (p->control) {
    if (strcmp(opcode, "default_path") == 0) {
      free(p->default_path);
      p->default_path = strdup(value);
      return p->default_path != NULL ? FLZ_OK : FLZ_ERR_NO_MEMORY;
    }
    flz_sfz_warn(p, "unknown opcode '%s' in <control> (ignored)", opcode);
    return FLZ_OK;
  }
  if (p->level == FLZ_SFZ_NONE)
    return flz_sfz_error(p, "opcode '%s' before any header (<global>, <group>, <region>...)",
                         opcode);
  flz_sfz_values *v = &p->values[p->level];
  flz_region *region = &v->r.region;
  flz_slot_params *params = &v->r.params;
  double number = 0.0;
  uint32_t whole = 0;
  int result = FLZ_OK;
  if (strcmp(opcode, "sample") == 0) {
    free(v->sample);
    v->sample = strdup(value);
    return v->sample != NULL ? FLZ_OK : FLZ_ERR_NO_MEMORY;
  } else if (strcmp(opcode, "key") == 0) {
    if ((result = flz_sfz_key(p, opcode, value, &region->lokey)) == FLZ_OK)
      region->hikey = region->keycenter = region->lokey;
  } else if (strcmp(opcode, "lokey") == 0) {
    result = flz_sfz_key(p, opcode, value, &region->lokey);
  } else if (strcmp(opcode, "hikey") == 0) {
    result = flz_sfz_key(p, opcode, value, &region->hikey);
  } else if (strcmp(opcode, "pitch_keycenter") == 0) {
    result = flz_sfz_key(p, opcode, value, &region->keycenter);
  } else if (strcmp(opcode, "lovel") == 0 || strcmp(opcode, "hivel") == 0) {
    if ((result = flz_sfz_whole(p, opcode, value, 0, FLZ_NOTE_MAX, &whole)) == FLZ_OK) {
      uint8_t velocity = (uint8_t)(whole < 1 ? 1 : whole);
      *(opcode[0] == 'l' ? &region->lovel : &region->hivel) = velocity;
    }
  } else if (strcmp(opcode, "seq_length") == 0) {
    result = flz_sfz_whole(p, opcode, value, 1, 100, &v->seq_length);
  } else if (strcmp(opcode, "seq_position") == 0) {
    if ((result = flz_sfz_whole(p, opcode, value, 1, 100, &whole)) == FLZ_OK)
      region->seq_position = (uint8_t)whole;
  } else if (strcmp(opcode, "lorand") == 0 || strcmp(opcode, "hirand") == 0) {
    if ((result = flz_sfz_range(p, opcode, value, 0, 1, &number)) == FLZ_OK)
      *(opcode[0] == 'l' ? &region->lorand : &region->hirand) = (float)number;
  } else if (strcmp(opcode, "group") == 0) {
    result = flz_sfz_whole(p, opcode, value, 0, 4294967295.0, &v->group);
  } else if (strcmp(opcode, "off_by") == 0 || strcmp(opcode, "offby") == 0) {
    result = flz_sfz_whole(p, opcode, value, 0, 4294967295.0, &v->off_by);
  } else if (strcmp(opcode, "off_mode") == 0) {
    if ((result = flz_sfz_word(p, opcode, value, off_modes, &whole)) == FLZ_OK)
      region->off_mode = (uint8_t)whole;
  } else if (strcmp(opcode, "off_time") == 0) {
    if ((result = flz_sfz_range(p, opcode, value, 0, FLZ_ENVELOPE_MS_MAX / 1000.0, &number)) ==
        FLZ_OK)
      region->off_time_ms = (float)(number * 1000.0);
  } else if (strcmp(opcode, "note_polyphony") == 0 || strcmp(opcode, "polyphony") == 0) {
    result = flz_sfz_whole(p, opcode, value, 1, FLZ_NOTE_MAX, &v->polyphony);
    v->pad_set |= FLZ_SFZ_SET_POLYPHONY;
  } else if (strcmp(opcode, "loop_mode") == 0 || strcmp(opcode, "loopmode") == 0) {
    if ((result = flz_sfz_word(p, opcode, value, loop_modes, &whole)) == FLZ_OK)
      region->loop_mode = (uint8_t)whole;
  } else if (strcmp(opcode, "loop_start") == 0 || strcmp(opcode, "loopstart") == 0) {
    result = flz_sfz_whole(p, opcode, value, 0, 4294967294.0, &params->loop_start);
  } else if (strcmp(opcode, "loop_end") == 0 || strcmp(opcode, "loopend") == 0) {
    if ((result = flz_sfz_whole(p, opcode, value, 0, 4294967294.0, &whole)) == FLZ_OK)
      params->loop_end = whole + 1; /* SFZ's loop_end is the loop's last frame */
  } else if (strcmp(opcode, "offset") == 0) {
    result = flz_sfz_whole(p, opcode, value, 0, 4294967294.0, &params->start);
  } else if (strcmp(opcode, "end") == 0) {
    if ((result = flz_sfz_whole(p, opcode, value, 0, 4294967294.0, &whole)) == FLZ_OK)
      params->end = whole + 1; /* SFZ's end is the last frame played */
  } else if (strcmp(opcode, "trigger") == 0) {
    if ((result = flz_sfz_word(p, opcode, value, triggers, &whole)) == FLZ_OK)
      region->trigger = (uint8_t)whole;
  } else if (strcmp(opcode, "volume") == 0) {
    result = flz_sfz_range(p, opcode, value, -144.0, FLZ_GAIN_DB_MAX, &v->volume_db);
  } else if (strcmp(opcode, "pan") == 0) {
    result = flz_sfz_range(p, opcode, value, -100.0, 100.0, &v->pan);
  } else if (strcmp(opcode, "tune") == 0) {
    result = flz_sfz_range(p, opcode, value, -9600.0, 9600.0, &v->tune_cents);
  } else if (strcmp(opcode, "transpose") == 0) {
    if ((result = flz_sfz_range(p, opcode, value, -127.0, 127.0, &v->transpose)) == FLZ_OK &&
        v->transpose != floor(v->transpose))
      result = flz_sfz_error(p, "transpose must be whole semitones, not '%s'", value);
  } else if (strcmp(opcode, "amp_veltrack") == 0) {
    if ((result = flz_sfz_range(p, opcode, value, -100.0, 100.0, &number)) == FLZ_OK) {
      if (number < 0.0)
        flz_sfz_warn(p, "amp_veltrack below 0 plays as 0 (louder when softer is not supported)");
      region->veltrack = (float)(number < 0.0 ? 0.0 : number / 100.0);
    }
  } else if (strncmp(opcode, "amp_velcurve_", 13) == 0) {
    if ((result = flz_sfz_whole(p, "the N of amp_velcurve_N", opcode + 13, 0, FLZ_NOTE_MAX,
                                &whole)) == FLZ_OK &&
        (result = flz_sfz_range(p, opcode, value, 0.0, 1.0, &number)) == FLZ_OK) {
      v->velcurve[whole] = (float)number;
      v->velcurve_set[whole / 32] |= 1u << (whole % 32);
    }
  } else if (strcmp(opcode, "ampeg_attack") == 0 || strcmp(opcode, "ampeg_hold") == 0 ||
             strcmp(opcode, "ampeg_decay") == 0 || strcmp(opcode, "ampeg_release") == 0) {
    if ((result = flz_sfz_range(p, opcode, value, 0.0, FLZ_ENVELOPE_MS_MAX / 1000.0, &number)) ==
        FLZ_OK) {
      float ms = (float)(number * 1000.0);
      switch (opcode[6]) {
      case 'a':
        region->attack_ms = ms;
        break;
      case 'h':
        region->hold_ms = ms;
        break;
      case 'd':
        region->decay_ms = ms;
        break;
      default:
        region->release_ms = ms;
        break;
      }
    }
  } else if (strcmp(opcode, "lochan") == 0) {
    if ((result = flz_sfz_whole(p, opcode, value, 1, 16, &whole)) == FLZ_OK)
      region->channels = (uint8_t)((region->channels & 0xf0u) | (whole - 1));
  } else if (strcmp(opcode, "hichan") == 0) {
    if ((result = flz_sfz_whole(p, opcode, value, 1, 16, &whole)) == FLZ_OK)
      region->channels = (uint8_t)((region->channels & 0x0fu) | ((16 - whole) << 4));
  } else if (strcmp(opcode, "sample_quality") == 0) {
    /* sfzformat.com: 1 linear, 2 a polynomial, 3..10 windowed sinc of
     * growing windows; 0 (sfizz's extension, its fastest) plays linear. */
    if ((result = flz_sfz_whole(p, opcode, value, 0, 10, &whole)) == FLZ_OK)
      region->interpolation = (uint8_t)(1 + (whole <= 1   ? FLZ_INTERPOLATION_LINEAR
                                             : whole == 2 ? FLZ_INTERPOLATION_HERMITE
                                                          : FLZ_INTERPOLATION_SINC));
  } else if (strcmp(opcode, "ampeg_sustain") == 0) {
    if ((result = flz_sfz_range(p, opcode, value, 0.0, 100.0, &number)) == FLZ_OK)
      region->sustain = (float)(number / 100.0);
  } else {
    flz_sfz_warn(p, "unknown opcode '%s' (ignored)", opcode);
  }
  return result;
}

/* Keeps the region being read, if it has a sample. */
static int flz_sfz_end_region(flz_sfz_parser *p)
{
  if (p->level != FLZ_SFZ_REGION || p->skipping)
    return FLZ_OK;
  flz_sfz_values *v = &p->values[FLZ_SFZ_REGION];
  if (v->sample == NULL) {
    flz_sfz_warn(p, "a region without a sample (ignored)");
    return FLZ_OK;
  }
  if (p->count == FLZ_REGIONS) {
    p->skipped++;
    return FLZ_OK;
  }
  if (p->count == p->capacity) {
    uint32_t grown = p->capacity == 0 ? 64 : p->capacity * 2;
    flz_sfz_values *bigger = realloc(p->regions, grown * sizeof *bigger);
    if (bigger == NULL)
      return FLZ_ERR_NO_MEMORY;
    p->regions = bigger;
    p->capacity = grown;
  }
  flz_sfz_values *kept = &p->regions[p->count];
  memset(kept, 0, sizeof *kept);
  if (flz_sfz_values_copy(kept, v) != FLZ_OK)
    return FLZ_ERR_NO_MEMORY;
  kept->r.line = p->line;
  p->count++;
  return FLZ_OK;
}

/* Opens header `name` (without the brackets). */
static int flz_sfz_header(flz_sfz_parser *p, const char *name)
{
  int result = flz_sfz_end_region(p);
  if (result != FLZ_OK)
    return result;
  p->control = 0;
  p->skipping = 0;
  int level;
  if (strcmp(name, "control") == 0) {
    p->control = 1;
    return FLZ_OK;
  } else if (strcmp(name, "global") == 0) {
    level = FLZ_SFZ_GLOBAL;
  } else if (strcmp(name, "master") == 0) {
    level = FLZ_SFZ_MASTER;
  } else if (strcmp(name, "group") == 0) {
    level = FLZ_SFZ_GROUP;
  } else if (strcmp(name, "region") == 0) {
    level = FLZ_SFZ_REGION;
  } else {
    flz_sfz_warn(p, "unknown header <%s> (its opcodes are ignored)", name);
    p->skipping = 1;
    return FLZ_OK;
  }
  if (level == FLZ_SFZ_GLOBAL) {
    free(p->values[0].sample);
    flz_sfz_values_init(&p->values[0]);
  }
  for (int l = level > 0 ? level : 1; l <= FLZ_SFZ_REGION; l++)
    if (flz_sfz_values_copy(&p->values[l], &p->values[l - 1]) != FLZ_OK)
      return FLZ_ERR_NO_MEMORY;
  p->level = level;
  return FLZ_OK;
}

static int flz_sfz_text(flz_sfz_parser *p, const char *name, const char *text, size_t size);

/* #include "FILE", relative to the kit's folder. */
static int flz_sfz_include(flz_sfz_parser *p, const char *rest)
{
  while (*rest == ' ' || *rest == '\t')
    rest++;
  const char *close = rest[0] == '"' ? strchr(rest + 1, '"') : NULL;
  if (close == NULL)
    return flz_sfz_error(p, "#include needs a \"FILE\" in double quotes");
  if (p->depth >= FLZ_SFZ_INCLUDE_DEPTH)
    return flz_sfz_error(p, "#include nested deeper than %d files (an include loop?)",
                         FLZ_SFZ_INCLUDE_DEPTH);
  size_t length = (size_t)(close - rest - 1);
  char *path = malloc(strlen(p->dir) + length + 2);
  if (path == NULL)
    return FLZ_ERR_NO_MEMORY;
  sprintf(path, "%s/%.*s", p->dir, (int)length, rest + 1);
  for (char *c = path; *c != '\0'; c++)
    if (*c == '\\')
      *c = '/';
  struct stat info;
  FILE *file = stat(path, &info) == 0 && S_ISREG(info.st_mode) ? fopen(path, "rb") : NULL;
  if (file == NULL) {
    int r = flz_sfz_error(p, "#include \"%.*s\": no such file", (int)length, rest + 1);
    free(path);
    return r;
  }
  if ((unsigned long long)info.st_size > FLZ_SFZ_BYTES_MAX - p->bytes) {
    fclose(file);
    free(path);
    return flz_sfz_error(p, "the kit's files are larger than %llu bytes in all",
                         (unsigned long long)FLZ_SFZ_BYTES_MAX);
  }
  char *text = malloc((size_t)info.st_size + 1);
  size_t got = text != NULL ? fread(text, 1, (size_t)info.st_size, file) : 0;
  fclose(file);
  if (text == NULL) {
    free(path);
    return FLZ_ERR_NO_MEMORY;
  }
  const char *outer = p->name;
  uint32_t line = p->line;
  p->depth++;
  int result = flz_sfz_text(p, path, text, got);
  p->depth--;
  p->name = outer;
  p->line = line;
  free(text);
  free(path);
  return result;
}

/* #define $NAME VALUE */
static int flz_sfz_define(flz_sfz_parser *p, char *rest)
{
  char *save = NULL;
  char *name = strtok_r(rest, " \t", &save);
  char *value = name != NULL ? strtok_r(NULL, " \t", &save) : NULL;
  if (name == NULL || name[0] != '$' || name[1] == '\0' || value == NULL ||
      strtok_r(NULL, " \t", &save) != NULL)
    return flz_sfz_error(p, "#define needs $NAME and one value");
  for (uint32_t i = 0; i < p->define_count; i++)
    if (strcmp(p->define_names[i], name + 1) == 0) {
      char *copy = strdup(value);
      if (copy == NULL)
        return FLZ_ERR_NO_MEMORY;
      free(p->define_values[i]);
      p->define_values[i] = copy;
      return FLZ_OK;
    }
  if (p->define_count == FLZ_SFZ_DEFINES)
    return flz_sfz_error(p, "more than %d #define", FLZ_SFZ_DEFINES);
  p->define_names[p->define_count] = strdup(name + 1);
  p->define_values[p->define_count] = strdup(value);
  p->define_count++;
  if (p->define_names[p->define_count - 1] == NULL || p->define_values[p->define_count - 1] == NULL)
    return FLZ_ERR_NO_MEMORY;
  return FLZ_OK;
}

/* Writes `line` with its $NAMEs replaced by their #define values into `out`
 * (FLZ_SFZ_LINE_MAX bytes); 0 if it does not fit. */
static int flz_sfz_substitute(const flz_sfz_parser *p, const char *line, char *out)
{
  size_t n = 0;
  for (const char *c = line; *c != '\0';) {
    const char *add = c;
    size_t length = 1;
    if (*c == '$') {
      size_t name = strspn(c + 1,
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
      for (uint32_t i = 0; i < p->define_count && name > 0; i++)
        if (strlen(p->define_names[i]) == name && strncmp(p->define_names[i], c + 1, name) == 0) {
          add = p->define_values[i];
          length = strlen(add);
          c += name;
          break;
        }
    }
    if (n + length >= FLZ_SFZ_LINE_MAX)
      return 0;
    memcpy(out + n, add, length);
    n += length;
    c++;
  }
  out[n] = '\0';
  return 1;
}

static int flz_sfz_is_name(char c)
{
  return isalnum((unsigned char)c) || c == '_';
}

/* Where the value starting at `c` ends: before the blanks that precede the
 * next opcode= or header, or at the line's end. */
static char *flz_sfz_value_end(char *c)
{
  for (; *c != '\0'; c++) {
    if (*c != ' ' && *c != '\t')
      continue;
    char *next = c;
    while (*next == ' ' || *next == '\t')
      next++;
    if (*next == '\0' || *next == '<')
      return c;
    char *word = next;
    while (flz_sfz_is_name(*word))
      word++;
    if (word > next && *word == '=')
      return c;
  }
  return c;
}

/* Parses one line (comments removed, defines not yet replaced). */
static int flz_sfz_line(flz_sfz_parser *p, char *raw)
{
  char *c = raw;
  while (*c == ' ' || *c == '\t' || *c == '\r')
    c++;
  if (strncmp(c, "#define", 7) == 0 && (c[7] == ' ' || c[7] == '\t'))
    return flz_sfz_define(p, c + 7);
  char line[FLZ_SFZ_LINE_MAX];
  if (!flz_sfz_substitute(p, c, line))
    return flz_sfz_error(p, "line longer than %d bytes", FLZ_SFZ_LINE_MAX);
  if (strncmp(line, "#include", 8) == 0 && (line[8] == ' ' || line[8] == '\t' || line[8] == '"'))
    return flz_sfz_include(p, line + 8);
  char *end = line + strlen(line);
  while (end > line && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
    *--end = '\0';
  c = line;
  while (*c != '\0') {
    while (*c == ' ' || *c == '\t' || *c == '\r')
      c++;
    if (*c == '\0')
      break;
    if (*c == '<') {
      char *close = strchr(c, '>');
      if (close == NULL)
        return flz_sfz_error(p, "a header without its '>'");
      *close = '\0';
      int result = flz_sfz_header(p, c + 1);
      if (result != FLZ_OK)
        return result;
      c = close + 1;
      continue;
    }
    char *name = c;
    while (flz_sfz_is_name(*c))
      c++;
    if (c == name || *c != '=') {
      char *stop = c;
      while (*stop != '\0' && *stop != ' ' && *stop != '\t')
        stop++;
      *stop = '\0';
      return flz_sfz_error(p, "expected opcode=value or a <header>, not '%s'", name);
    }
    *c++ = '\0';
    char *value = c;
    c = flz_sfz_value_end(value);
    if (*c != '\0')
      *c++ = '\0';
    if (value[0] == '\0')
      return flz_sfz_error(p, "opcode '%s' has no value", name);
    int result = flz_sfz_opcode(p, name, value);
    if (result != FLZ_OK)
      return result;
  }
  return FLZ_OK;
}

/* Reads the lines of `text` (`size` bytes) of file `name`. */
static int flz_sfz_text(flz_sfz_parser *p, const char *name, const char *text, size_t size)
{
  p->name = name;
  p->line = 0;
  p->bytes += size;
  int comment = 0; /* inside a block comment */
  size_t at = 0;
  char line[FLZ_SFZ_LINE_MAX];
  while (at < size) {
    p->line++;
    size_t n = 0;
    int too_long = 0;
    for (; at < size && text[at] != '\n'; at++) {
      char ch = text[at];
      if (comment) {
        if (ch == '*' && at + 1 < size && text[at + 1] == '/') {
          comment = 0;
          at++;
        }
        continue;
      }
      if (ch == '/' && at + 1 < size && text[at + 1] == '*') {
        comment = 1;
        at++;
        continue;
      }
      if (ch == '/' && at + 1 < size && text[at + 1] == '/') {
        while (at < size && text[at] != '\n')
          at++;
        break;
      }
      if (ch == '\0')
        return flz_sfz_error(p, "NUL byte: not a text file");
      if (n + 1 >= FLZ_SFZ_LINE_MAX)
        too_long = 1;
      else
        line[n++] = ch;
    }
    at++;
    if (too_long)
      return flz_sfz_error(p, "line longer than %d bytes", FLZ_SFZ_LINE_MAX);
    line[n] = '\0';
    int result = flz_sfz_line(p, line);
    if (result != FLZ_OK)
      return result;
  }
  return FLZ_OK;
}

/* Pad order: by key range, then file order. */
static int flz_sfz_compare(const void *a, const void *b)
{
  const flz_sfz_values *x = *(const flz_sfz_values *const *)a;
  const flz_sfz_values *y = *(const flz_sfz_values *const *)b;
  if (x->r.region.lokey != y->r.region.lokey)
    return x->r.region.lokey < y->r.region.lokey ? -1 : 1;
  if (x->r.region.hikey != y->r.region.hikey)
    return x->r.region.hikey < y->r.region.hikey ? -1 : 1;
  return x < y ? -1 : (x > y);
}

/* The sample's path: DIR/default_path + sample, '\' read as '/'; NULL for
 * *silence (in *path) or no memory (returns FLZ_ERR_NO_MEMORY). */
static int flz_sfz_path(const flz_sfz_parser *p, const char *sample, char **path)
{
  *path = NULL;
  if (strcmp(sample, "*silence") == 0)
    return FLZ_OK;
  const char *prefix = p->default_path != NULL ? p->default_path : "";
  char *joined = malloc(strlen(p->dir) + strlen(prefix) + strlen(sample) + 2);
  if (joined == NULL)
    return FLZ_ERR_NO_MEMORY;
  sprintf(joined, "%s/%s%s", p->dir, prefix, sample);
  for (char *c = joined; *c != '\0'; c++)
    if (*c == '\\')
      *c = '/';
  *path = joined;
  return FLZ_OK;
}

/* The velocity curve of `v`'s amp_velcurve_N points into `curve`: velocity
 * 0 is 0 and 127 is 1 unless set, straight lines between the points. */
static void flz_sfz_velcurve(const flz_sfz_values *v, float *curve)
{
  uint32_t last = 0;
  float last_gain = (v->velcurve_set[0] & 1u) ? v->velcurve[0] : 0.0f;
  curve[0] = last_gain;
  for (uint32_t n = 1; n < 128; n++) {
    int set = (v->velcurve_set[n / 32] >> (n % 32)) & 1u;
    if (!set && n < 127)
      continue;
    float gain = set ? v->velcurve[n] : 1.0f;
    for (uint32_t k = last + 1; k <= n; k++)
      curve[k] = last_gain + (gain - last_gain) * (float)(k - last) / (float)(n - last);
    last = n;
    last_gain = gain;
  }
}

/* The most choke groups a kit has: flz_region's group and off_by are
 * numbers 1..255 of the kit's distinct off_by values. */
#define FLZ_SFZ_CHOKE_GROUPS 255u

/* The number of choke group `value` among `ids`, 0 if none. */
static uint8_t flz_sfz_choke_id(const uint32_t *ids, uint32_t count, uint32_t value)
{
  for (uint32_t i = 0; i < count && value != 0; i++)
    if (ids[i] == value)
      return (uint8_t)(i + 1);
  return 0;
}

/* Groups the regions read into pads (sfz.h) in `out`. */
static int flz_sfz_build(flz_sfz_parser *p, flz_kit_regions *out)
{
  memset(out, 0, sizeof *out);
  out->skipped = p->skipped;
  if (p->count == 0)
    return FLZ_ERR_EMPTY_KIT;
  const flz_sfz_values **order = malloc(p->count * sizeof *order);
  out->regions = calloc(p->count, sizeof *out->regions);
  if (order == NULL || out->regions == NULL) {
    free(order);
    return FLZ_ERR_NO_MEMORY;
  }
  for (uint32_t i = 0; i < p->count; i++)
    order[i] = &p->regions[i];
  /* Only a group some region's off_by names can choke: those are numbered,
   * in the order the file first names them. */
  uint32_t ids[FLZ_SFZ_CHOKE_GROUPS], id_count = 0, past = 0;
  for (uint32_t i = 0; i < p->count; i++) {
    uint32_t off_by = p->regions[i].off_by;
    if (off_by == 0 || flz_sfz_choke_id(ids, id_count, off_by) != 0)
      continue;
    if (id_count < FLZ_SFZ_CHOKE_GROUPS)
      ids[id_count++] = off_by;
    else
      past++;
  }
  if (past > 0)
    fprintf(p->err, "warning: %s: %u off_by groups past the first %u choke nothing\n", p->name,
            (unsigned)past, FLZ_SFZ_CHOKE_GROUPS);
  qsort(order, p->count, sizeof *order, flz_sfz_compare);
  int result = FLZ_OK;
  for (uint32_t i = 0; i < p->count && result == FLZ_OK; i++) {
    const flz_sfz_values *v = order[i];
    const flz_region *r = &v->r.region;
    flz_pad_params *pad = out->pad_count > 0 ? &out->pads[out->pad_count - 1] : NULL;
    const flz_kit_region *head = pad != NULL ? &out->regions[pad->first] : NULL;
    if (head == NULL || head->region.lokey != r->lokey || head->region.hikey != r->hikey) {
      if (out->pad_count == FLZ_PADS) {
        out->skipped++;
        continue;
      }
      pad = &out->pads[out->pad_count];
      out->pad_keys[out->pad_count++] = r->lokey;
      pad->first = (uint16_t)out->count;
    }
    if (pad->count == FLZ_PAD_REGIONS) {
      out->skipped++;
      continue;
    }
    flz_kit_region *kept = &out->regions[out->count++];
    pad->count++;
    *kept = v->r;
    result = flz_sfz_path(p, v->sample, &kept->path);
    kept->region.group = flz_sfz_choke_id(ids, id_count, v->group);
    kept->region.off_by = flz_sfz_choke_id(ids, id_count, v->off_by);
    kept->params.gain = v->volume_db != 0.0 ? (float)pow(10.0, v->volume_db / 20.0) : 0.0f;
    kept->params.pan = (float)(v->pan / 100.0);
    double cents = v->transpose * 100.0 + v->tune_cents;
    kept->params.rate = cents != 0.0 ? (float)exp2(cents / 1200.0) : 0.0f;
    if (v->seq_length > pad->seq_length)
      pad->seq_length = (uint8_t)v->seq_length;
    /* The first region sets each; a later one fills what is still unset. */
    if (pad->count == 1 || (pad->polyphony == 0 && (v->pad_set & FLZ_SFZ_SET_POLYPHONY)))
      pad->polyphony = (uint8_t)v->polyphony;
    if (!pad->velcurve &&
        (v->velcurve_set[0] | v->velcurve_set[1] | v->velcurve_set[2] | v->velcurve_set[3])) {
      pad->velcurve = 1;
      flz_sfz_velcurve(v, out->velcurves[out->pad_count - 1]);
    }
  }
  free(order);
  if (result != FLZ_OK)
    flz_kit_regions_free(out);
  return result;
}

static void flz_sfz_parser_free(flz_sfz_parser *p)
{
  for (int l = 0; l < 4; l++)
    free(p->values[l].sample);
  for (uint32_t i = 0; i < p->count; i++)
    free(p->regions[i].sample);
  free(p->regions);
  free(p->default_path);
  for (uint32_t i = 0; i < p->define_count; i++) {
    free(p->define_names[i]);
    free(p->define_values[i]);
  }
}

int flz_sfz_parse(const char *name, const char *text, size_t size, const char *dir,
                  flz_kit_regions *out, FILE *err)
{
  memset(out, 0, sizeof *out);
  flz_sfz_parser *p = calloc(1, sizeof *p);
  if (p == NULL)
    return FLZ_ERR_NO_MEMORY;
  p->dir = dir;
  p->err = err;
  p->level = FLZ_SFZ_NONE;
  for (int l = 0; l < 4; l++)
    flz_sfz_values_init(&p->values[l]);
  int result = size > FLZ_SFZ_BYTES_MAX ? FLZ_ERR_SYNTAX : flz_sfz_text(p, name, text, size);
  if (size > FLZ_SFZ_BYTES_MAX)
    fprintf(err, "error: %s: larger than %llu bytes\n", name,
            (unsigned long long)FLZ_SFZ_BYTES_MAX);
  if (result == FLZ_OK)
    result = flz_sfz_end_region(p);
  if (result == FLZ_OK)
    result = flz_sfz_build(p, out);
  if (result == FLZ_OK && out->skipped > 0)
    fprintf(err,
            "error: %s: more regions than the engine holds (%u past %u regions, %u pads or "
            "%u regions a pad not loaded)\n",
            name, (unsigned)out->skipped, (unsigned)FLZ_REGIONS, (unsigned)FLZ_PADS,
            (unsigned)FLZ_PAD_REGIONS);
  flz_sfz_parser_free(p);
  free(p);
  return result;
}

int flz_sfz_read(const char *path, flz_kit_regions *out, FILE *err)
{
  memset(out, 0, sizeof *out);
  struct stat info;
  if (stat(path, &info) != 0)
    return errno == ENOENT || errno == ENOTDIR ? FLZ_ERR_NOT_FOUND : FLZ_ERR_READ;
  if (!S_ISREG(info.st_mode))
    return FLZ_ERR_READ;
  if ((unsigned long long)info.st_size > FLZ_SFZ_BYTES_MAX) {
    fprintf(err, "error: %s: larger than %llu bytes\n", path,
            (unsigned long long)FLZ_SFZ_BYTES_MAX);
    return FLZ_ERR_SYNTAX;
  }
  FILE *file = fopen(path, "rb");
  if (file == NULL)
    return FLZ_ERR_READ;
  char *text = malloc((size_t)info.st_size + 1);
  size_t got = text != NULL ? fread(text, 1, (size_t)info.st_size, file) : 0;
  int failed = ferror(file);
  fclose(file);
  if (text == NULL)
    return FLZ_ERR_NO_MEMORY;
  if (failed) {
    free(text);
    return FLZ_ERR_READ;
  }
  char *dir = strdup(path);
  if (dir == NULL) {
    free(text);
    return FLZ_ERR_NO_MEMORY;
  }
  char *slash = strrchr(dir, '/');
  if (slash != NULL)
    *slash = '\0';
  else
    strcpy(dir, ".");
  int result = flz_sfz_parse(path, text, got, dir, out, err);
  free(dir);
  free(text);
  return result;
}
