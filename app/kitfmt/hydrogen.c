/* app/kitfmt/hydrogen.c: the Hydrogen drumkit.xml reader (hydrogen.h).
 * An expat parser with a stack of open element names; each element's text is
 * collected and read when it ends, by where it sits:
 *   drumkit_info/name
 *   drumkit_info/instrumentList/instrument/FIELD
 *   .../instrument/filename                            (oldest: one layer)
 *   .../instrument/layer/FIELD                         (old)
 *   .../instrument/instrumentComponent/{component_id,gain}
 *   .../instrument/instrumentComponent/layer/FIELD     (newer)
 * Everything else (info, license, componentList, FX levels...) is skipped. */
#include "app/kitfmt/hydrogen.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/result.h"

/* Deeper elements than this are skipped whole (the reader needs 6). */
#define DEPTH_MAX 16
#define NAME_MAX_CHARS 32
/* Longer text is a syntax error for the fields read (a path), else skipped. */
#define TEXT_MAX 4096

typedef struct reader {
  XML_Parser parser;
  const char *file;
  const char *folder;
  flz_hydrogen_kit *kit;
  char *why;
  size_t why_size;
  int result;
  uint32_t depth;
  char names[DEPTH_MAX][NAME_MAX_CHARS];
  char text[TEXT_MAX + 1];
  size_t text_length;
  int text_overflow;
  int in_component;         /* inside an <instrumentComponent> */
  uint32_t component_first; /* its first layer */
  int32_t component_id;
  float component_gain;
  int pan_given, pan_lr_given; /* of the current instrument */
} reader;

static void fail(reader *r, int result, const char *format, ...)
{
  if (r->result != FLZ_OK)
    return;
  r->result = result;
  char reason[256];
  va_list args;
  va_start(args, format);
  vsnprintf(reason, sizeof reason, format, args);
  va_end(args);
  if (r->parser != NULL)
    snprintf(r->why, r->why_size, "%s:%lu: %s", r->file,
             (unsigned long)XML_GetCurrentLineNumber(r->parser), reason);
  else
    snprintf(r->why, r->why_size, "%s: %s", r->file, reason);
  if (r->parser != NULL)
    XML_StopParser(r->parser, XML_FALSE);
}

static int at(const reader *r, uint32_t depth, const char *name)
{
  return r->depth >= depth && strcmp(r->names[depth - 1], name) == 0;
}

/* The open elements, from the root, are exactly the names given. */
static int path_is(const reader *r, uint32_t depth, ...)
{
  if (r->depth != depth)
    return 0;
  va_list args;
  va_start(args, depth);
  int same = 1;
  for (uint32_t i = 0; i < depth && same; i++)
    same = strcmp(r->names[i], va_arg(args, const char *)) == 0;
  va_end(args);
  return same;
}

static char *duplicate(reader *r, const char *text)
{
  char *copy = strdup(text);
  if (copy == NULL)
    fail(r, FLZ_ERR_NO_MEMORY, "out of memory");
  return copy;
}

static const char *trimmed(reader *r)
{
  char *text = r->text;
  size_t length = r->text_length;
  while (length > 0 && (text[length - 1] == ' ' || text[length - 1] == '\t' ||
                        text[length - 1] == '\n' || text[length - 1] == '\r'))
    length--;
  text[length] = '\0';
  while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
    text++;
  return text;
}

static float number(reader *r, const char *element)
{
  const char *text = trimmed(r);
  char *end = NULL;
  errno = 0;
  float value = strtof(text, &end);
  if (end == text || *end != '\0' || errno == ERANGE || !isfinite(value)) {
    fail(r, FLZ_ERR_SYNTAX, "<%s> is not a number: '%.40s'", element, text);
    return 0.0f;
  }
  return value;
}

static int32_t integer(reader *r, const char *element)
{
  const char *text = trimmed(r);
  char *end = NULL;
  errno = 0;
  long value = strtol(text, &end, 10);
  if (end == text || *end != '\0' || errno == ERANGE || value < INT32_MIN || value > INT32_MAX) {
    fail(r, FLZ_ERR_SYNTAX, "<%s> is not an integer: '%.40s'", element, text);
    return 0;
  }
  return (int32_t)value;
}

/* Inside drumkit_info/instrumentList/instrument, which made an instrument. */
static int in_instrument(const reader *r)
{
  return r->depth >= 3 && r->depth <= DEPTH_MAX && at(r, 1, "drumkit_info") &&
         at(r, 2, "instrumentList") && at(r, 3, "instrument") && r->kit->instrument_count > 0;
}

static flz_hydrogen_instrument *current_instrument(reader *r)
{
  return &r->kit->instruments[r->kit->instrument_count - 1];
}

static void add_instrument(reader *r)
{
  flz_hydrogen_kit *kit = r->kit;
  if (kit->instrument_count == FLZ_HYDROGEN_INSTRUMENTS_MAX) {
    fail(r, FLZ_ERR_SYNTAX, "more than %d instruments", FLZ_HYDROGEN_INSTRUMENTS_MAX);
    return;
  }
  flz_hydrogen_instrument *grown = realloc(kit->instruments,
                                           (kit->instrument_count + 1) * sizeof *grown);
  if (grown == NULL) {
    fail(r, FLZ_ERR_NO_MEMORY, "out of memory");
    return;
  }
  kit->instruments = grown;
  flz_hydrogen_instrument *instrument = &grown[kit->instrument_count++];
  *instrument = (flz_hydrogen_instrument){
    .volume = 1.0f,
    .pan_l = 1.0f,
    .pan_r = 1.0f,
    .gain = 1.0f,
    .sustain = 1.0f,
    .release = 1000.0f,
    .mute_group = -1,
    .selection = FLZ_HYDROGEN_VELOCITY,
    .midi_out_note = -1,
    .midi_in_note = -1,
  };
  r->pan_given = 0;
  r->pan_lr_given = 0;
  r->in_component = 0;
}

/* A new layer of the current instrument, over all velocities until its
 * <min> and <max> say otherwise. */
static flz_hydrogen_layer *add_layer(reader *r)
{
  flz_hydrogen_instrument *instrument = current_instrument(r);
  if (instrument->layer_count == FLZ_HYDROGEN_LAYERS_MAX) {
    fail(r, FLZ_ERR_SYNTAX, "instrument %d has more than %d layers", instrument->id,
         FLZ_HYDROGEN_LAYERS_MAX);
    return NULL;
  }
  flz_hydrogen_layer *grown = realloc(instrument->layers,
                                      (instrument->layer_count + 1) * sizeof *grown);
  if (grown == NULL) {
    fail(r, FLZ_ERR_NO_MEMORY, "out of memory");
    return NULL;
  }
  instrument->layers = grown;
  flz_hydrogen_layer *layer = &grown[instrument->layer_count++];
  *layer = (flz_hydrogen_layer){
    .max = 1.0f,
    .gain = 1.0f,
    .component_id = r->in_component ? r->component_id : 0,
    .component_gain = r->in_component ? r->component_gain : 1.0f,
  };
  return layer;
}

static flz_hydrogen_layer *current_layer(reader *r)
{
  flz_hydrogen_instrument *instrument = current_instrument(r);
  return &instrument->layers[instrument->layer_count - 1];
}

static void set_path(reader *r, flz_hydrogen_layer *layer)
{
  const char *name = trimmed(r);
  if (r->text_overflow || name[0] == '\0') {
    fail(r, FLZ_ERR_SYNTAX, "<filename> is %s", r->text_overflow ? "too long" : "empty");
    return;
  }
  free(layer->path);
  layer->path = NULL;
  if (name[0] == '/') {
    layer->path = duplicate(r, name);
    return;
  }
  size_t size = strlen(r->folder) + 1 + strlen(name) + 1;
  layer->path = malloc(size);
  if (layer->path == NULL) {
    fail(r, FLZ_ERR_NO_MEMORY, "out of memory");
    return;
  }
  snprintf(layer->path, size, "%s/%s", r->folder, name);
}

static void on_start(void *data, const XML_Char *name, const XML_Char **attributes)
{
  (void)attributes;
  reader *r = data;
  if (r->depth < DEPTH_MAX)
    snprintf(r->names[r->depth], NAME_MAX_CHARS, "%s", name);
  r->depth++;
  r->text_length = 0;
  r->text_overflow = 0;
  if (r->depth == 1 && strcmp(name, "drumkit_info") != 0) {
    fail(r, FLZ_ERR_SYNTAX, "the root element is <%.40s>, not <drumkit_info>", name);
    return;
  }
  if (r->result != FLZ_OK)
    return;
  if (path_is(r, 3, "drumkit_info", "instrumentList", "instrument")) {
    add_instrument(r);
  } else if (r->depth == 4 && in_instrument(r)) {
    if (strcmp(name, "layer") == 0) {
      add_layer(r);
    } else if (strcmp(name, "instrumentComponent") == 0) {
      r->in_component = 1;
      r->component_first = current_instrument(r)->layer_count;
      r->component_id = 0;
      r->component_gain = 1.0f;
    }
  } else if (r->depth == 5 && in_instrument(r) && at(r, 4, "instrumentComponent") &&
             strcmp(name, "layer") == 0) {
    add_layer(r);
  }
}

static void on_text(void *data, const XML_Char *text, int length)
{
  reader *r = data;
  size_t room = TEXT_MAX - r->text_length;
  size_t count = (size_t)length;
  if (count > room) {
    count = room;
    r->text_overflow = 1;
  }
  memcpy(r->text + r->text_length, text, count);
  r->text_length += count;
}

static void layer_field(reader *r, const char *name)
{
  flz_hydrogen_layer *layer = current_layer(r);
  if (strcmp(name, "filename") == 0)
    set_path(r, layer);
  else if (strcmp(name, "min") == 0)
    layer->min = number(r, name);
  else if (strcmp(name, "max") == 0)
    layer->max = number(r, name);
  else if (strcmp(name, "gain") == 0)
    layer->gain = number(r, name);
  else if (strcmp(name, "pitch") == 0)
    layer->pitch = number(r, name);
}

static void instrument_field(reader *r, const char *name)
{
  flz_hydrogen_instrument *instrument = current_instrument(r);
  if (strcmp(name, "id") == 0) {
    instrument->id = integer(r, name);
  } else if (strcmp(name, "name") == 0) {
    free(instrument->name);
    instrument->name = duplicate(r, trimmed(r));
  } else if (strcmp(name, "volume") == 0) {
    instrument->volume = number(r, name);
  } else if (strcmp(name, "pan_L") == 0) {
    instrument->pan_l = number(r, name);
    r->pan_lr_given = 1;
  } else if (strcmp(name, "pan_R") == 0) {
    instrument->pan_r = number(r, name);
    r->pan_lr_given = 1;
  } else if (strcmp(name, "pan") == 0) {
    instrument->pan = number(r, name);
    r->pan_given = 1;
  } else if (strcmp(name, "gain") == 0) {
    instrument->gain = number(r, name);
  } else if (strcmp(name, "pitchOffset") == 0) {
    instrument->pitch_offset = number(r, name);
  } else if (strcmp(name, "Attack") == 0) {
    instrument->attack = number(r, name);
  } else if (strcmp(name, "Decay") == 0) {
    instrument->decay = number(r, name);
  } else if (strcmp(name, "Sustain") == 0) {
    instrument->sustain = number(r, name);
  } else if (strcmp(name, "Release") == 0) {
    instrument->release = number(r, name);
  } else if (strcmp(name, "muteGroup") == 0) {
    instrument->mute_group = integer(r, name);
  } else if (strcmp(name, "midiOutNote") == 0) {
    instrument->midi_out_note = integer(r, name);
  } else if (strcmp(name, "midiInNote") == 0) {
    instrument->midi_in_note = integer(r, name);
  } else if (strcmp(name, "sampleSelectionAlgo") == 0) {
    const char *algo = trimmed(r);
    if (strcmp(algo, "VELOCITY") == 0)
      instrument->selection = FLZ_HYDROGEN_VELOCITY;
    else if (strcmp(algo, "ROUND_ROBIN") == 0)
      instrument->selection = FLZ_HYDROGEN_ROUND_ROBIN;
    else if (strcmp(algo, "RANDOM") == 0)
      instrument->selection = FLZ_HYDROGEN_RANDOM;
    else
      fail(r, FLZ_ERR_SYNTAX,
           "<sampleSelectionAlgo> must be VELOCITY, ROUND_ROBIN or RANDOM, not '%.40s'", algo);
  } else if (strcmp(name, "filename") == 0) {
    flz_hydrogen_layer *layer = add_layer(r);
    if (layer != NULL)
      set_path(r, layer);
  }
}

/* Hydrogen 1.x's Sampler::getRatioPan, and its inverse with the louder
 * side at 1. */
static void settle_pan(flz_hydrogen_instrument *instrument, int pan_given, int pan_lr_given)
{
  if (pan_given || !pan_lr_given) {
    float pan = instrument->pan < -1.0f ? -1.0f : instrument->pan > 1.0f ? 1.0f : instrument->pan;
    instrument->pan = pan;
    instrument->pan_l = pan > 0.0f ? 1.0f - pan : 1.0f;
    instrument->pan_r = pan < 0.0f ? 1.0f + pan : 1.0f;
    return;
  }
  float l = instrument->pan_l, r = instrument->pan_r;
  if (l < 0.0f || r < 0.0f || (l == 0.0f && r == 0.0f))
    instrument->pan = 0.0f;
  else if (l >= r)
    instrument->pan = r / l - 1.0f;
  else
    instrument->pan = 1.0f - l / r;
}

static void on_end(void *data, const XML_Char *name)
{
  reader *r = data;
  if (r->result == FLZ_OK && r->depth <= DEPTH_MAX) {
    if (path_is(r, 3, "drumkit_info", "instrumentList", "instrument")) {
      settle_pan(current_instrument(r), r->pan_given, r->pan_lr_given);
    } else if (path_is(r, 2, "drumkit_info", "name")) {
      free(r->kit->name);
      r->kit->name = duplicate(r, trimmed(r));
    } else if (r->depth == 4 && in_instrument(r)) {
      if (strcmp(name, "instrumentComponent") == 0)
        r->in_component = 0;
      else if (strcmp(name, "layer") == 0 && current_layer(r)->path == NULL)
        fail(r, FLZ_ERR_SYNTAX, "<layer> without <filename>");
      else
        instrument_field(r, name);
    } else if (r->depth == 5 && in_instrument(r) && at(r, 4, "layer")) {
      layer_field(r, name);
    } else if (r->depth == 5 && in_instrument(r) && at(r, 4, "instrumentComponent")) {
      flz_hydrogen_instrument *instrument = current_instrument(r);
      if (strcmp(name, "layer") == 0 && current_layer(r)->path == NULL) {
        fail(r, FLZ_ERR_SYNTAX, "<layer> without <filename>");
      } else if (strcmp(name, "component_id") == 0 || strcmp(name, "gain") == 0) {
        if (name[0] == 'c')
          r->component_id = integer(r, name);
        else
          r->component_gain = number(r, name);
        for (uint32_t i = r->component_first; i < instrument->layer_count; i++) {
          instrument->layers[i].component_id = r->component_id;
          instrument->layers[i].component_gain = r->component_gain;
        }
      }
    } else if (r->depth == 6 && in_instrument(r) && at(r, 5, "layer") &&
               at(r, 4, "instrumentComponent")) {
      layer_field(r, name);
    }
  }
  r->depth--;
  r->text_length = 0;
  r->text_overflow = 0;
}

static void settle_velocities(flz_hydrogen_layer *layer)
{
  layer->lovel = 0;
  layer->hivel = 0;
  for (int v = 1; v <= 127; v++) {
    float velocity = (float)v / 127.0f;
    if (velocity >= layer->min && velocity <= layer->max) {
      if (layer->lovel == 0)
        layer->lovel = (uint8_t)v;
      layer->hivel = (uint8_t)v;
    }
  }
}

void flz_hydrogen_free(flz_hydrogen_kit *kit)
{
  for (uint32_t i = 0; i < kit->instrument_count; i++) {
    flz_hydrogen_instrument *instrument = &kit->instruments[i];
    for (uint32_t j = 0; j < instrument->layer_count; j++)
      free(instrument->layers[j].path);
    free(instrument->layers);
    free(instrument->name);
  }
  free(kit->instruments);
  free(kit->name);
  *kit = (flz_hydrogen_kit){0};
}

int flz_hydrogen_parse(const char *xml, size_t size, const char *folder, const char *file,
                       flz_hydrogen_kit *kit, char *why, size_t why_size)
{
  *kit = (flz_hydrogen_kit){0};
  static reader zero;
  reader *r = malloc(sizeof *r);
  if (r == NULL) {
    snprintf(why, why_size, "%s: out of memory", file);
    return FLZ_ERR_NO_MEMORY;
  }
  *r = zero;
  r->file = file;
  r->folder = folder;
  r->kit = kit;
  r->why = why;
  r->why_size = why_size;
  r->parser = XML_ParserCreate(NULL);
  if (r->parser == NULL) {
    fail(r, FLZ_ERR_NO_MEMORY, "out of memory");
    int result = r->result;
    free(r);
    return result;
  }
  XML_SetUserData(r->parser, r);
  XML_SetElementHandler(r->parser, on_start, on_end);
  XML_SetCharacterDataHandler(r->parser, on_text);
  /* XML_Parse takes an int length: feed larger documents in pieces. */
  size_t done = 0;
  do {
    size_t piece = size - done > (1u << 30) ? (1u << 30) : size - done;
    int last = done + piece == size;
    if (XML_Parse(r->parser, xml + done, (int)piece, last) == XML_STATUS_ERROR &&
        r->result == FLZ_OK)
      fail(r, FLZ_ERR_SYNTAX, "%s", XML_ErrorString(XML_GetErrorCode(r->parser)));
    done += piece;
  } while (done < size && r->result == FLZ_OK);
  XML_ParserFree(r->parser);
  r->parser = NULL;
  if (r->result == FLZ_OK && kit->name == NULL)
    kit->name = duplicate(r, "");
  for (uint32_t i = 0; r->result == FLZ_OK && i < kit->instrument_count; i++) {
    flz_hydrogen_instrument *instrument = &kit->instruments[i];
    if (instrument->name == NULL && (instrument->name = duplicate(r, "")) == NULL)
      break;
    for (uint32_t j = 0; j < instrument->layer_count; j++)
      settle_velocities(&instrument->layers[j]);
    instrument->note = instrument->midi_in_note >= 0 && instrument->midi_in_note <= 127
                         ? instrument->midi_in_note
                       : 36 + i <= 127 ? (int32_t)(36 + i)
                                       : -1;
  }
  int result = r->result;
  free(r);
  if (result != FLZ_OK)
    flz_hydrogen_free(kit);
  return result;
}

/* drumkit.xml larger than this is refused (the kits of hydrogen-drumkits are
 * under 100 KiB). */
#define FILE_MAX (64u << 20)

int flz_hydrogen_read(const char *path, flz_hydrogen_kit *kit, char *why, size_t why_size)
{
  *kit = (flz_hydrogen_kit){0};
  struct stat info;
  if (stat(path, &info) != 0) {
    snprintf(why, why_size, "%s: %s", path, strerror(errno));
    return errno == ENOENT ? FLZ_ERR_NOT_FOUND : FLZ_ERR_READ;
  }
  size_t length = strlen(path);
  char *file = malloc(length + sizeof "/drumkit.xml");
  if (file == NULL) {
    snprintf(why, why_size, "%s: out of memory", path);
    return FLZ_ERR_NO_MEMORY;
  }
  memcpy(file, path, length + 1);
  while (length > 1 && file[length - 1] == '/')
    file[--length] = '\0';
  if (S_ISDIR(info.st_mode))
    memcpy(file + length, "/drumkit.xml", sizeof "/drumkit.xml");
  char *folder = strdup(file);
  char *xml = NULL;
  int result = FLZ_ERR_NO_MEMORY;
  if (folder == NULL) {
    snprintf(why, why_size, "%s: out of memory", file);
    goto done;
  }
  char *slash = strrchr(folder, '/');
  if (slash == NULL)
    memcpy(folder, ".", 2);
  else
    slash[slash == folder ? 1 : 0] = '\0';
  FILE *in = fopen(file, "rb");
  if (in == NULL) {
    result = errno == ENOENT ? FLZ_ERR_NOT_FOUND : FLZ_ERR_READ;
    snprintf(why, why_size, "%s: %s", file, strerror(errno));
    goto done;
  }
  size_t size = 0;
  result = FLZ_ERR_READ;
  if (fstat(fileno(in), &info) != 0 || !S_ISREG(info.st_mode)) {
    snprintf(why, why_size, "%s: not a regular file", file);
  } else if ((uintmax_t)info.st_size > FILE_MAX) {
    result = FLZ_ERR_SYNTAX;
    snprintf(why, why_size, "%s: larger than %u MiB", file, FILE_MAX >> 20);
  } else if ((xml = malloc((size_t)info.st_size + 1)) == NULL) {
    result = FLZ_ERR_NO_MEMORY;
    snprintf(why, why_size, "%s: out of memory", file);
  } else if ((size = fread(xml, 1, (size_t)info.st_size, in)) != (size_t)info.st_size) {
    snprintf(why, why_size, "%s: cannot be read", file);
  } else {
    result = FLZ_OK;
  }
  fclose(in);
  if (result == FLZ_OK)
    result = flz_hydrogen_parse(xml, size, folder, file, kit, why, why_size);
done:
  free(xml);
  free(folder);
  free(file);
  return result;
}
