/* app/view.c: the window's pads and status bar from the live loop's state
 * (app/view.h). Owns the labels: pad modes, controller buttons, and how a
 * pad's triggers read. */
#include "app/view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/kitfile.h"
#include "app/kitformat.h"
#include "platform/input.h"

/* The audio load is averaged over this long, ns. */
#define FLZ_VIEW_LOAD_NS 1000000000u

/* MIDI shows as active this long after its last event, ns. */
#define FLZ_VIEW_MIDI_NS 300000000u

/* The triggers a pad line names at most, of each kind. */
#define FLZ_VIEW_TRIGGERS_EACH 2

static const char *const flz_view_modes[] = {"one-shot", "gate", "loop", "loop-gate"};

/* Controller controls as a player reads them (app/config.h's order: the
 * buttons in flz_button order, then the two analog triggers). */
static const char *const flz_view_controls[FLZ_CONFIG_CONTROLS] = {
  "A",  "B",  "X",  "Y",    "Back", "Guide", "Start", "LS", "RS",
  "LB", "RB", "Up", "Down", "Left", "Right", "LT",    "RT",
};

void flz_view_grid(uint32_t pads, uint32_t *columns, uint32_t *rows)
{
  uint32_t c = 1;
  while (c * c < pads)
    c++;
  *columns = c;
  *rows = pads == 0 ? 1 : (pads + c - 1) / c;
}

static int flz_view_is_pad(flz_config_rule rule, uint32_t pad)
{
  return rule.action == FLZ_CONFIG_PAD && rule.arg == pad;
}

/* Appends `word` to `line` (capacity `size`) after a separator. */
static void flz_view_append(char *line, size_t size, const char *word)
{
  size_t used = strlen(line);
  int first = used == 0 || line[used - 1] == '\n';
  if (used + 1 < size)
    snprintf(line + used, size - used, "%s%s", first ? "" : " \xc2\xb7 ", word);
}

/* MIDI keys `lo`..`hi` by note name and number: "note D2 (38)", "notes
 * D2-E2 (38-40)" (SFZ's octaves: C4 is 60). */
static void flz_view_key(uint32_t lo, uint32_t hi, char *word, size_t size)
{
  static const char *const names[12] = {"C",  "C#", "D",  "D#", "E",  "F",
                                        "F#", "G",  "G#", "A",  "A#", "B"};
  if (lo == hi)
    snprintf(word, size, "note %s%d (%u)", names[lo % 12], (int)(lo / 12) - 1, (unsigned)lo);
  else
    snprintf(word, size, "notes %s%d-%s%d (%u-%u)", names[lo % 12], (int)(lo / 12) - 1,
             names[hi % 12], (int)(hi / 12) - 1, (unsigned)lo, (unsigned)hi);
}

/* What plays pad `pad` (1-based within a bank): its keys, controller
 * controls and MIDI notes, a few of each; a multi-sample kit's pad says
 * its key range in place of the notes of flitz.ini (`kit_pad`, else NULL). */
static void flz_view_triggers(const flz_config *config, uint32_t pad, const flz_pad_params *kit_pad,
                              const flz_kit_regions *regions, char *line, size_t size)
{
  char word[48];
  line[0] = '\0';
  uint32_t found = 0;
  for (int32_t key = 0; key < FLZ_CONFIG_KEYS && found < FLZ_VIEW_TRIGGERS_EACH; key++)
    if (flz_view_is_pad(config->keys[key], pad)) {
      const char *name = flz_input_key_name(key);
      snprintf(word, sizeof word, "key %s", name[0] != '\0' ? name : "?");
      flz_view_append(line, size, word);
      found++;
    }
  found = 0;
  for (uint32_t c = 0; c < FLZ_CONFIG_CONTROLS && found < FLZ_VIEW_TRIGGERS_EACH; c++)
    if (flz_view_is_pad(config->buttons[c], pad)) {
      snprintf(word, sizeof word, "pad %s", flz_view_controls[c]);
      flz_view_append(line, size, word);
      found++;
    }
  found = 0;
  if (line[0] != '\0' && strlen(line) + 1 < size)
    strcat(line, "\n");
  if (kit_pad != NULL) {
    uint32_t lo = 127, hi = 0;
    for (uint32_t r = kit_pad->first; r < kit_pad->first + kit_pad->count; r++) {
      const flz_region *region = &regions->regions[r].region;
      if (region->trigger != FLZ_TRIGGER_ATTACK)
        continue;
      lo = region->lokey < lo ? region->lokey : lo;
      hi = region->hikey > hi ? region->hikey : hi;
    }
    if (lo > hi)
      return; /* release regions only: no note starts it */
    flz_view_key(lo, hi, word, sizeof word);
    flz_view_append(line, size, word);
    return;
  }
  for (uint32_t note = 0; note < 128 && found < FLZ_VIEW_TRIGGERS_EACH; note++)
    if (flz_view_is_pad(config->notes[note], pad)) {
      snprintf(word, sizeof word, "note %u", (unsigned)note);
      flz_view_append(line, size, word);
      found++;
    }
}

/* The file name of `path` without its folder and extension. */
static void flz_view_name(const char *path, char *name, size_t size)
{
  const char *base = strrchr(path, '/');
  base = base != NULL ? base + 1 : path;
  snprintf(name, size, "%s", base);
  char *dot = strrchr(name, '.');
  if (dot != NULL && dot != name)
    *dot = '\0';
}

/* Where a sounding loop pad is in its loop, 0..1, or -1 for other pads:
 * the frames since its voice started, from the loop's start, modulo the
 * loop's length (kit.ini's loop points, else the sample between start and
 * end), in engine frames. At speed 1: a kit's speed or tempo lock moves the
 * real position away from this. */
static float flz_view_loop_position(const flz_view_input *in, const flz_pad_settings *settings,
                                    const flz_kit_pad *state, uint32_t slot)
{
  if ((settings->mode != FLZ_MODE_LOOP && settings->mode != FLZ_MODE_LOOP_GATE) ||
      state->source_rate == 0 || in->frame < in->start_frame[slot])
    return -1.0f;
  uint64_t end = settings->end > 0 ? settings->end : state->frames_total;
  uint64_t from = settings->start, to = end;
  if (settings->loop_end > settings->loop_start) {
    from = settings->loop_start;
    to = settings->loop_end;
  }
  if (to <= from)
    return -1.0f;
  double scale = (double)flz_sampler_rate(in->sampler) / (double)state->source_rate;
  double length = (double)(to - from) * scale;
  double into = (double)(in->frame - in->start_frame[slot]) +
                ((double)settings->start - (double)from) * scale;
  if (into < 0.0 || length < 1.0)
    return 0.0f;
  return (float)(fmod(into, length) / length);
}

/* Pad `p` of the bank is pad `index` of a multi-sample kit: the names of its
 * regions' samples (each once), its key range, regions, choke group; lit
 * while a voice of one of its regions sounds. */
static void flz_view_kit_pad(flz_view *view, const flz_view_input *in, uint32_t p, uint32_t index)
{
  flz_window_pad *pad = &view->pads[p];
  const flz_kit_loading *loading = in->loading;
  const flz_kit_regions *regions = loading->kit.regions;
  if (index >= regions->pad_count || regions->pads[index].count == 0)
    return; /* past the kit's pads: nothing plays it */
  const flz_pad_params *params = &regions->pads[index];
  flz_view_triggers(in->config, p + 1, params, regions, view->triggers[p],
                    sizeof view->triggers[p]);
  pad->triggers = view->triggers[p];
  for (uint32_t r = params->first; r < params->first + params->count && r < FLZ_SLOTS; r++) {
    pad->playing |= in->voices[r] > 0;
    pad->level = view->levels[r] > pad->level ? view->levels[r] : pad->level;
  }
  /* Each sample's name once, while they fit (a pad of many regions most
   * often shares a few samples, and the first stops the search). */
  char *names = view->names[p];
  names[0] = '\0';
  for (uint32_t r = params->first; r < params->first + params->count; r++) {
    const char *path = regions->regions[r].path;
    uint32_t q = params->first;
    while (q < r && !(path == NULL ? regions->regions[q].path == NULL
                                   : regions->regions[q].path != NULL &&
                                       strcmp(regions->regions[q].path, path) == 0))
      q++;
    if (q < r)
      continue;
    char name[64];
    flz_view_name(path != NULL ? path : "*silence", name, sizeof name);
    size_t used = strlen(names);
    if (used + strlen(name) + 4 >= sizeof view->names[p])
      break;
    snprintf(names + used, sizeof view->names[p] - used, "%s%s", used > 0 ? " / " : "", name);
  }
  pad->name = names;
  snprintf(view->modes[p], sizeof view->modes[p], "%u region%s", (unsigned)params->count,
           params->count == 1 ? "" : "s");
  pad->mode = view->modes[p];
  pad->choke = params->group;
  const flz_kit_pad *state = &loading->pads[index];
  pad->loaded = state->state == FLZ_KIT_PAD_LOADED;
  if (state->reason[0] != '\0') {
    pad->failed = 1;
    pad->reason = state->reason;
  } else if (loading->active && state->state == FLZ_KIT_PAD_DECODING) {
    uint64_t done, total;
    flz_kit_pad_progress(loading, index, &done, &total);
    pad->progress = total > 0 ? (float)done / (float)total : 0.0f;
  }
}

static void flz_view_pad(flz_view *view, const flz_view_input *in, uint32_t p, uint32_t slot)
{
  flz_window_pad *pad = &view->pads[p];
  const flz_kit_loading *loading = in->loading;
  memset(pad, 0, sizeof *pad);
  pad->number = slot + 1;
  pad->position = -1.0f;
  if (loading->kit.regions != NULL) {
    flz_view_kit_pad(view, in, p, slot);
    return;
  }
  pad->loaded = flz_sampler_slot_loaded(in->sampler, slot);
  pad->playing = in->voices[slot] > 0;
  pad->level = view->levels[slot];
  flz_view_triggers(in->config, p + 1, NULL, NULL, view->triggers[p], sizeof view->triggers[p]);
  pad->triggers = view->triggers[p];
  view->names[p][0] = '\0';
  if (slot >= loading->kit.count || loading->kit.paths[slot] == NULL)
    return;
  flz_view_name(loading->kit.paths[slot], view->names[p], sizeof view->names[p]);
  pad->name = view->names[p];
  if (loading->kit.settings != NULL) {
    const flz_pad_settings *settings = &loading->kit.settings->pads[slot];
    if (settings->mode < sizeof flz_view_modes / sizeof flz_view_modes[0])
      pad->mode = flz_view_modes[settings->mode];
    pad->choke = settings->choke;
  }
  const flz_kit_pad *state = &loading->pads[slot];
  if (pad->playing && loading->kit.settings != NULL)
    pad->position = flz_view_loop_position(in, &loading->kit.settings->pads[slot], state, slot);
  if (state->state == FLZ_KIT_PAD_FAILED) {
    pad->failed = 1;
    pad->reason = state->reason;
  } else if (loading->active && state->state == FLZ_KIT_PAD_DECODING && state->frames_total > 0) {
    pad->progress = (float)state->frames_done / (float)state->frames_total;
  }
}

/* The audio thread's load: render time over period time, over the last
 * FLZ_VIEW_LOAD_NS. */
static void flz_view_load(flz_view *view, flz_sampler *sampler, uint64_t now_ns)
{
  if (view->load_ns != 0 && now_ns - view->load_ns < FLZ_VIEW_LOAD_NS)
    return;
  uint64_t render_ns, periods;
  flz_sampler_render_time(sampler, &render_ns, &periods);
  const flz_audio_output_info *info = flz_sampler_output_info(sampler);
  if (view->load_ns != 0 && periods > view->periods && info->rate > 0)
    view->load = (float)((double)(render_ns - view->render_ns) /
                         ((double)(periods - view->periods) * info->period * 1e9 / info->rate));
  view->render_ns = render_ns;
  view->periods = periods;
  view->load_ns = now_ns;
}

static float flz_view_db(float level)
{
  return level > 0.00001f ? 20.0f * log10f(level) : -100.0f;
}

void flz_view_build(flz_view *view, const flz_view_input *in, uint64_t now_ns)
{
  float master = 0.0f;
  (void)flz_sampler_meters(in->sampler, view->levels, &master);
  uint32_t size = in->config->bank_size > 0 ? in->config->bank_size : 16;
  if (size > FLZ_PADS)
    size = FLZ_PADS;
  flz_view_grid(size, &view->columns, &view->rows);
  uint32_t base = (in->bank > 0 ? in->bank - 1 : 0) * size;
  view->count = 0;
  for (uint32_t p = 0; p < size && base + p < FLZ_PADS; p++, view->count++)
    flz_view_pad(view, in, p, base + p);

  flz_view_load(view, in->sampler, now_ns);
  if (in->midi_events != view->midi_events) {
    view->midi_events = in->midi_events;
    view->midi_ns = now_ns;
  }
  int midi_active = view->midi_ns != 0 && now_ns - view->midi_ns < FLZ_VIEW_MIDI_NS;
  flz_engine_counters counters;
  flz_sampler_counters(in->sampler, &counters);
  const flz_audio_output_info *info = flz_sampler_output_info(in->sampler);
  const flz_kitfile *kit = in->loading->kit.settings;
  const char *kit_name = strrchr(in->kit_dir, '/');
  kit_name = kit_name != NULL && kit_name[1] != '\0' ? kit_name + 1 : in->kit_dir;
  const char *quantize = "off";
  for (const flz_ini_choice *c = flz_kitfile_quantizes; kit != NULL && c->name != NULL; c++)
    if (c->value == kit->quantize)
      quantize = c->name;
  char level[16];
  float db = flz_view_db(master);
  if (db <= -96.0f)
    snprintf(level, sizeof level, "-inf");
  else
    snprintf(level, sizeof level, "%.0f", (double)db);
  snprintf(view->status, sizeof view->status,
           "kit %s \xc2\xb7 bank %u of %u \xc2\xb7 %.0f BPM \xc2\xb7 quantize %s \xc2\xb7 "
           "volume %.1f dB \xc2\xb7 level %s dB\n"
           "audio %s %s, %u Hz, %u frames \xc2\xb7 load %.1f%% \xc2\xb7 xruns %u \xc2\xb7 "
           "MIDI %u%s \xc2\xb7 controllers %u",
           kit_name, (unsigned)(in->bank > 0 ? in->bank : 1),
           (unsigned)flz_config_banks(in->config), kit != NULL ? (double)kit->bpm : 120.0, quantize,
           (double)in->volume_db, level, info->driver, info->device, (unsigned)info->rate,
           (unsigned)info->period, (double)(view->load * 100.0f), (unsigned)counters.xruns,
           (unsigned)in->midi_events, midi_active ? " (active)" : "", (unsigned)in->controllers);
}
