/* app/render.c: `flitz render` (behaviour and output in app/render.h).
 *
 * Owns: the offline render loop: frame placement of script events, when the
 * render ends, and its summary line. Parsing is app/script.c's, kit loading
 * app/kit.c's, the engine and the WAV file the sampler's. Must not touch SDL.
 */
#include "app/render.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/config.h"
#include "app/kit.h"
#include "app/kitformat.h"
#include "app/options.h"
#include "app/pattern.h"
#include "app/resampling.h"
#include "app/script.h"
#include "engine/result.h"
#include "platform/resampler.h"
#include "platform/sampler.h"
#include "platform/wav_file.h"

/* Periods pulled between two drains of the event ring: 8 periods of voice
 * events stay far below the ring's FLZ_RING_CAPACITY messages. */
#define FLZ_RENDER_PULL_PERIODS 8u

/* A render without --seconds whose voices never end stops here (one day,
 * the longest --seconds). */
#define FLZ_RENDER_SECONDS_MAX 86400.0

typedef struct flz_render {
  flz_sampler *sampler;
  const char *out_path;
  uint32_t period;
  uint64_t frame;                 /* frames rendered so far */
  uint32_t pending;               /* commands sent since the last pull */
  const flz_kit_regions *regions; /* a multi-sample kit's, or NULL */
  uint8_t keys[FLZ_PADS];         /* the key each pad of it was last pressed with */
  flz_config notes;               /* the default [notes] map, for a folder kit */
  flz_pattern_files patterns;     /* the kit's pattern files */
  const char *kit_path;           /* where recordings are saved (app/resampling.h) */
  double tempo;                   /* the tempo the script set last, BPM */
  int recording;                  /* a resampling runs: RESAMPLED not yet seen */
  int saved;                      /* FLZ_OK, or the error of a recording's save */
} flz_render;

/* Prints the error line of OUT; the output's detail goes in parentheses. */
static void flz_render_out_error(const char *out_path, int result, const char *detail)
{
  if (detail[0] != '\0')
    fprintf(stderr, "error: %s: %s (%s)\n", out_path, flz_result_message(result), detail);
  else
    fprintf(stderr, "error: %s: %s\n", out_path, flz_result_message(result));
}

static void flz_render_drain(flz_render *render)
{
  flz_event event;
  while (flz_sampler_receive_msg(render->sampler, &event)) {
    (void)flz_pattern_files_event(&render->patterns, &event);
    if (event.type != FLZ_EVENT_RESAMPLED)
      continue;
    render->recording = 0;
    int result = flz_resampling_save(render->sampler, render->kit_path, event.slot + 1,
                                     event.value > 0.0f, stdout, stderr);
    if (result != FLZ_OK && result != FLZ_ERR_EMPTY_SLOT)
      render->saved = result;
  }
  flz_pattern_files_poll(&render->patterns, render->sampler);
}

/* Loads or saves the pattern files still waiting, without moving the
 * frame clock (a pull of no frames applies the commands). */
static int flz_render_patterns(flz_render *render)
{
  flz_render_drain(render);
  while (flz_pattern_files_pending(&render->patterns)) {
    int result = flz_sampler_pull(render->sampler, 0);
    if (result != FLZ_OK)
      return result;
    flz_render_drain(render);
  }
  return FLZ_OK;
}

/* Renders up to frame `target`, draining events as it goes. */
static int flz_render_to(flz_render *render, uint64_t target)
{
  uint64_t chunk = (uint64_t)render->period * FLZ_RENDER_PULL_PERIODS;
  while (render->frame < target) {
    uint64_t n = target - render->frame < chunk ? target - render->frame : chunk;
    int result = flz_sampler_pull(render->sampler, (uint32_t)n);
    if (result != FLZ_OK)
      return result;
    render->frame += n;
    render->pending = 0;
    flz_render_drain(render);
  }
  return FLZ_OK;
}

/* When the commands sent since the last pull are as many as the engine
 * applies in a period, a pull of no frames applies them without moving the
 * clock, so every command lands on its frame. */
static int flz_render_flush(flz_render *render)
{
  if (render->pending < FLZ_COMMANDS_PER_PERIOD)
    return FLZ_OK;
  int result = flz_sampler_pull(render->sampler, 0);
  if (result != FLZ_OK)
    return result;
  render->pending = 0;
  flz_render_drain(render);
  return FLZ_OK;
}

/* A press (`release` 0) or release of pad `pad` (0-based) of a
 * multi-sample kit with `key` on MIDI channel `channel` (0: any, its
 * regions' lochan..hichan not asked). */
static int flz_render_pad(flz_render *render, uint32_t pad, uint32_t key, float velocity,
                          uint32_t channel, int release)
{
  flz_command command = {.type = release ? FLZ_COMMAND_RELEASE_PAD : FLZ_COMMAND_PLAY_PAD,
                         .slot = pad,
                         .offset = key,
                         .value = velocity,
                         .channel = channel};
  if (!release)
    render->keys[pad] = (uint8_t)key;
  return flz_sampler_command(render->sampler, &command);
}

/* A note: every pad of the multi-sample kit whose regions take its key, at
 * the same frame, else the default [notes] map's pad (app/config.h); a key
 * that plays nothing is no error. */
static int flz_render_note(flz_render *render, const flz_script_event *event)
{
  if (render->regions != NULL) {
    uint16_t pads[FLZ_PADS];
    uint32_t count = flz_kit_regions_pads_of_key(render->regions, event->key, pads);
    for (uint32_t i = 0; i < count; i++) {
      int result = flz_render_flush(render);
      if (result == FLZ_OK)
        result = flz_render_pad(render, pads[i], event->key, event->value, event->channel, 0);
      if (result != FLZ_OK)
        return result;
      render->pending++;
    }
    return FLZ_OK;
  }
  const flz_config_rule *rule = &render->notes.notes[event->key];
  if (rule->action != FLZ_CONFIG_PAD)
    return FLZ_OK;
  return flz_sampler_play_sample(render->sampler, rule->arg - 1, event->value, 0);
}

/* A resample event: a folder kit's pads are slots, a multi-sample kit's
 * pads are recorded by their voices (and cannot be recorded into). */
static int flz_render_resample(flz_render *render, const flz_script_event *event, char *detail,
                               size_t detail_size)
{
  if (event->action == FLZ_SCRIPT_RESAMPLE_STOP)
    return flz_resampler_stop(render->sampler, 0);
  uint32_t source = event->source == 0        ? FLZ_RESAMPLE_MASTER
                    : render->regions != NULL ? FLZ_RESAMPLE_PAD
                                              : FLZ_RESAMPLE_SLOT;
  int result = flz_resampler_start(render->sampler, event->pad - 1, source,
                                   event->source > 0 ? event->source - 1 : 0, event->value,
                                   render->tempo, 0, detail, detail_size);
  render->recording |= result == FLZ_OK;
  return result;
}

static int flz_render_send(flz_render *render, const flz_script_event *event)
{
  flz_sampler *sampler = render->sampler;
  if (render->regions != NULL &&
      (event->action == FLZ_SCRIPT_PLAY || event->action == FLZ_SCRIPT_RELEASE))
    return flz_render_pad(render, event->pad - 1,
                          event->action == FLZ_SCRIPT_PLAY
                            ? render->regions->pad_keys[event->pad - 1]
                          : event->has_key ? event->key
                                           : render->keys[event->pad - 1],
                          event->value, 0, event->action == FLZ_SCRIPT_RELEASE);
  switch (event->action) {
  case FLZ_SCRIPT_NOTE:
    return flz_render_note(render, event);
  case FLZ_SCRIPT_PLAY:
    return flz_sampler_play_sample(sampler, event->pad - 1, event->value, 0);
  case FLZ_SCRIPT_STOP:
    if (render->regions != NULL) {
      const flz_pad_params *pad = &render->regions->pads[event->pad - 1];
      int result = FLZ_OK;
      for (uint32_t r = pad->first; r < pad->first + pad->count && result == FLZ_OK; r++)
        result = flz_sampler_stop_sample(sampler, r);
      return result;
    }
    return flz_sampler_stop_sample(sampler, event->pad - 1);
  case FLZ_SCRIPT_STOP_ALL:
    return flz_sampler_stop_all(sampler);
  case FLZ_SCRIPT_VOLUME:
    return flz_sampler_set_volume(sampler, event->value);
  default: {
    flz_command command = {.slot = event->pad > 0 ? event->pad - 1 : 0, .value = event->value};
    /* clock's pad is a position, not a pad: set below. */
    switch (event->action) {
    case FLZ_SCRIPT_RELEASE:
      command.type = FLZ_COMMAND_RELEASE_SLOT;
      break;
    case FLZ_SCRIPT_SPEED:
      command.type = FLZ_COMMAND_SET_SPEED;
      break;
    case FLZ_SCRIPT_TEMPO:
      command.type = FLZ_COMMAND_SET_TEMPO;
      break;
    case FLZ_SCRIPT_QUANTIZE:
      command.type = FLZ_COMMAND_SET_QUANTIZE;
      command.offset = (uint32_t)event->value;
      break;
    case FLZ_SCRIPT_RECORD:
      command.type = FLZ_COMMAND_RECORD;
      command.offset = (uint32_t)event->value;
      break;
    case FLZ_SCRIPT_PATTERN:
      command.type = FLZ_COMMAND_PATTERN;
      command.slot = event->pad > 0 ? event->pad - 1 : FLZ_PATTERNS;
      command.offset = (uint32_t)event->value;
      break;
    case FLZ_SCRIPT_CHAIN:
      command.type = FLZ_COMMAND_PATTERN_CHAIN;
      command.offset = event->pad;
      memcpy(command.chain, event->chain, sizeof command.chain);
      break;
    case FLZ_SCRIPT_RECORD_QUANTIZE:
      command.type = FLZ_COMMAND_RECORD_QUANTIZE;
      command.offset = event->pad;
      break;
    case FLZ_SCRIPT_METRONOME:
      command.type = FLZ_COMMAND_METRONOME;
      break;
    case FLZ_SCRIPT_REPEAT:
      command.type = FLZ_COMMAND_REPEAT;
      command.offset = (uint32_t)event->value;
      break;
    case FLZ_SCRIPT_PRESSURE:
      command.type = FLZ_COMMAND_PRESSURE;
      command.slot = event->pad > 0 ? event->pad - 1 : UINT32_MAX;
      command.offset = render->regions != NULL;
      break;
    case FLZ_SCRIPT_CLOCK:
      command.type = FLZ_COMMAND_CLOCK;
      command.offset = (uint32_t)event->value;
      command.slot = event->pad; /* Song Position Pointer: 1/16 notes */
      break;
    default:
      command.type = FLZ_COMMAND_SET_MULTI_LOOP;
      command.offset = (uint32_t)event->value;
      break;
    }
    return flz_sampler_command(sampler, &command);
  }
  }
}

/* Plays the script and renders until the end (render.h). Returns FLZ_OK or
 * prints its error line and returns the error. */
static int flz_render_play(flz_render *render, const flz_script *script, const char *events_path,
                           double seconds)
{
  uint32_t rate = flz_sampler_rate(render->sampler);
  uint64_t end = seconds > 0.0 ? (uint64_t)llround(seconds * rate) : 0;
  for (size_t i = 0; i < script->count; i++) {
    const flz_script_event *event = &script->events[i];
    uint64_t at = (uint64_t)llround(event->seconds * rate);
    if (seconds > 0.0 && at >= end)
      break;
    int result = flz_render_to(render, at);
    if (result != FLZ_OK) {
      flz_render_out_error(render->out_path, result, flz_sampler_output_detail(render->sampler));
      return result;
    }
    if ((result = flz_render_flush(render)) != FLZ_OK) {
      flz_render_out_error(render->out_path, result, flz_sampler_output_detail(render->sampler));
      return result;
    }
    char detail[160] = "";
    if (event->action == FLZ_SCRIPT_RESAMPLE && render->regions != NULL) {
      fprintf(stderr,
              "error: %s:%u: resample into a pad of a multi-sample kit: its pads play "
              "regions, not one sample; resample into a folder kit's pad\n",
              events_path, (unsigned)event->line);
      return FLZ_ERR_ARGUMENT;
    }
    if (event->action == FLZ_SCRIPT_TEMPO)
      render->tempo = event->value;
    result = event->action == FLZ_SCRIPT_RESAMPLE || event->action == FLZ_SCRIPT_RESAMPLE_STOP
               ? flz_render_resample(render, event, detail, sizeof detail)
               : flz_render_send(render, event);
    if (result != FLZ_OK) {
      fprintf(stderr, "error: %s:%u: %s%s%s%s\n", events_path, (unsigned)event->line,
              flz_result_message(result), detail[0] ? " (" : "", detail, detail[0] ? ")" : "");
      return result;
    }
    render->pending++;
  }

  int result = FLZ_OK;
  if (seconds > 0.0) {
    result = flz_render_to(render, end);
  } else {
    /* At least one period, so the last event is applied, then whole
     * periods until no voice plays or fades. Note repeat ends with the
     * last event: a pad it holds would repeat forever. */
    flz_command off = {.type = FLZ_COMMAND_REPEAT, .offset = FLZ_REPEAT_OFF};
    (void)flz_sampler_command(render->sampler, &off); /* at most a period's events wait */
    uint64_t limit = (uint64_t)llround(FLZ_RENDER_SECONDS_MAX * rate);
    flz_engine_counters counters;
    do {
      result = flz_render_to(render, render->frame + render->period);
      flz_sampler_counters(render->sampler, &counters);
    } while (result == FLZ_OK && (counters.voices_active > 0 || render->recording) &&
             render->frame < limit);
  }
  /* A recording still running ends with the render, and is kept. */
  if (result == FLZ_OK && render->recording) {
    result = flz_resampler_stop(render->sampler, 0);
    if (result == FLZ_OK)
      result = flz_sampler_pull(render->sampler, 0);
    flz_render_drain(render);
  }
  if (result == FLZ_OK && render->saved != FLZ_OK)
    return render->saved; /* its line is printed */
  if (result != FLZ_OK)
    flz_render_out_error(render->out_path, result, flz_sampler_output_detail(render->sampler));
  return result;
}

int flz_render_main(int argc, char **argv)
{
  flz_options options;
  int index;
  int code = flz_options_parse_command(argc, argv, "flitz render", &index, &options);
  if (code >= 0)
    return code;
  if (argc - index != 3) {
    if (argc - index > 3)
      fprintf(stderr, "flitz render: unexpected argument '%s' after OUT.wav\n", argv[index + 3]);
    else
      fprintf(stderr, "flitz render: needs KIT EVENTS OUT.wav (see flitz --help)\n");
    return 2;
  }
  const char *kit_path = argv[index];
  const char *events_path = argv[index + 1];
  const char *out_path = argv[index + 2];

  /* Everything that can be checked is checked before OUT is created. */
  flz_kit kit;
  flz_kit_preset preset = {options.preset_given, options.preset_bank, options.preset_program};
  int result = flz_kit_open_preset(kit_path, &preset, &kit, stderr);
  if (result != FLZ_OK) {
    if (result != FLZ_ERR_SYNTAX)
      flz_kit_error(kit_path, result, stderr);
    return 1;
  }
  flz_script script;
  char why[256];
  uint32_t line = 0;
  result = flz_script_load(events_path, kit.count, &script, &line, why, sizeof(why));
  if (result != FLZ_OK) {
    if (line > 0)
      fprintf(stderr, "error: %s:%u: %s\n", events_path, (unsigned)line, why);
    else
      fprintf(stderr, "error: %s: %s\n", events_path, flz_result_message(result));
    flz_kit_deinit(&kit);
    return 1;
  }

  flz_sampler *sampler = flz_sampler_instance();
  flz_sampler_config config;
  flz_sampler_config_init(&config);
  config.backend = "wav";
  config.device = out_path;
  config.rate = options.rate;
  config.period = options.period;
  config.wav_format = options.wav_format;
  config.realtime = 0;
  result = flz_sampler_run(sampler, &config);
  if (result != FLZ_OK) {
    flz_render_out_error(out_path, result, flz_sampler_output_detail(sampler));
    flz_script_deinit(&script);
    flz_kit_deinit(&kit);
    return 1;
  }

  static flz_render render;
  memset(&render, 0, sizeof render);
  render.sampler = sampler;
  render.out_path = out_path;
  render.period = options.period;
  render.regions = kit.regions;
  render.kit_path = kit_path;
  render.tempo = kit.settings->bpm > 0.0f ? kit.settings->bpm : FLZ_DEFAULT_TEMPO;
  flz_config_init(&render.notes);
  uint32_t loaded = flz_kit_load(&kit, sampler, stderr);
  render.pending = loaded;
  if (loaded == 0) {
    fprintf(stderr, "error: %s: no file of the kit loaded, nothing rendered\n", kit_path);
    result = FLZ_ERR_EMPTY_KIT;
  } else {
    (void)flz_pattern_files_open(&render.patterns, &kit, stderr, stderr);
    result = flz_render_patterns(&render);
    if (result != FLZ_OK)
      flz_render_out_error(out_path, result, flz_sampler_output_detail(sampler));
    else
      result = flz_render_play(&render, &script, events_path, options.seconds);
    flz_command off = {.type = FLZ_COMMAND_RECORD, .offset = FLZ_RECORD_OFF};
    if (result == FLZ_OK)
      result = flz_sampler_command(sampler, &off); /* a pass still recording is saved */
    if (result == FLZ_OK && (result = flz_render_patterns(&render)) != FLZ_OK)
      flz_render_out_error(out_path, result, flz_sampler_output_detail(sampler));
  }
  uint32_t rate = flz_sampler_rate(sampler);
  uint32_t channels = flz_sampler_output_info(sampler)->channels;
  flz_sampler_shut_down(sampler);
  const char *detail = flz_sampler_output_detail(sampler);
  if (result == FLZ_OK && detail[0] != '\0') {
    flz_render_out_error(out_path, FLZ_ERR_WRITE, detail);
    result = FLZ_ERR_WRITE;
  }
  flz_script_deinit(&script);
  flz_kit_deinit(&kit);
  if (result != FLZ_OK) {
    unlink(out_path); /* no half-written OUT is left behind */
    return 1;
  }
  printf("%s frames=%llu channels=%u rate=%u seconds=%.3f format=%s\n", out_path,
         (unsigned long long)render.frame, (unsigned)channels, (unsigned)rate,
         (double)render.frame / rate, options.wav_format == FLZ_WAV_S16 ? "s16" : "f32");
  fflush(stdout);
  return 0;
}
