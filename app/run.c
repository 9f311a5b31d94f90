/* app/run.c: the live sampler loop of app/run.h. Hands input events to the
 * trigger path (app/triggers.h: mapping, banks, MIDI); keeps the window's
 * pad lights from the engine's voice events; loads kits in the background
 * (app/kit.h on a platform/loader.h pool) and shows their progress. */
#include "app/run.h"

#include "app/pattern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/config.h"
#include "app/counters.h"
#include "app/kit.h"
#include "app/kitformat.h"
#include "app/resampling.h"
#include "app/triggers.h"
#include "app/view.h"
#include "engine/result.h"
#include "platform/clock.h"
#include "platform/decode.h"
#include "platform/input.h"
#include "platform/loader.h"
#include "platform/resampler.h"
#include "platform/wav_file.h"
#include "platform/window.h"

/* The terminal's progress line is redrawn at most this often, ns. */
#define FLZ_RUN_PROGRESS_NS 100000000u

/* How long flitz waits for the engine to answer a record off, and at most
 * for the patterns to be saved, before it loads another kit or ends, ns. */
#define FLZ_RUN_PATTERN_ANSWER_NS 50000000u
#define FLZ_RUN_PATTERN_FLUSH_NS 2000000000u

/* The window is redrawn at least this often (its status bar), ns. */
#define FLZ_RUN_STATUS_NS 500000000u

/* How far flz_run_start got: each stage includes the ones before it. */
typedef enum flz_run_stage {
  FLZ_RUN_NOTHING = 0, /* nothing to undo */
  FLZ_RUN_LOADER,      /* the loader threads; the sampler and the first kit load,
                          which may have failed (undoing them then does nothing) */
  FLZ_RUN_INPUT,       /* SDL's input, and the window if one opened */
  FLZ_RUN_TRIGGERS,    /* the trigger path and its MIDI input */
} flz_run_stage;

typedef struct flz_run_loop {
  flz_run_stage stage;
  flz_run_state state;
  flz_config config;
  flz_triggers triggers;
  flz_window *window;
  int dirty; /* the window needs a redraw */
  flz_loader *loader;
  flz_kit_loading loading;
  char kit_dir[4096];                /* the kit being loaded or last loaded */
  int first_kit;                     /* the kit given on the command line is still loading */
  int tty;                           /* stdout is a terminal: show a progress line */
  int progress_shown;                /* a progress line is on screen, not yet ended */
  int metering;                      /* the last meter publication had sound: keep redrawing */
  uint64_t progress_ns;              /* when it was last drawn */
  uint64_t drawn_ns;                 /* when the window was last drawn */
  uint32_t controllers;              /* game controllers connected */
  const char *screenshot_when_ready; /* --screenshot: taken once the first kit is ready */
  flz_view view;
  flz_counters_watch counters;
  flz_pattern_files patterns; /* the kit's pattern files */
  int stats;                  /* --stats: the counters line every FLZ_COUNTERS_QUIET_SECONDS */
  uint64_t stats_ns;          /* when it was last printed */
  int resampling;             /* a resample press started a recording not yet RESAMPLED */
} flz_run_loop;

static void flz_run_device(const flz_input_event *event)
{
  if (event->type == FLZ_INPUT_DEVICE_ADDED)
    printf("flitz: controller %d connected: %s\n", event->device, event->name);
  else
    printf("flitz: controller %d disconnected\n", event->device);
  fflush(stdout);
}

/* The first slot of the current bank: window pad i is this slot + i. */
static uint32_t flz_run_bank_base(flz_run_loop *run)
{
  return (flz_triggers_bank(&run->triggers) - 1) * run->config.bank_size;
}

static void flz_run_patterns_flush(flz_run_loop *run);

/* Opens the kit at `path` (any format of app/kitformat.h; `preset`, or NULL
 * for the first, of a file holding several); its error line is printed. */
static int flz_run_open_kit(const char *path, const flz_kit_preset *preset, flz_kit *kit)
{
  int result = flz_kit_open_preset(path, preset, kit, stderr);
  if (result != FLZ_OK && result != FLZ_ERR_SYNTAX) /* a syntax error's line is printed */
    flz_kit_error(path, result, stderr);
  return result;
}

/* Starts loading the kit at `path` in the background (`kit`, opened from
 * it, or NULL to open it here; either way freed); the pads of the kit
 * before it are emptied, and its loads still running are cancelled. A
 * multi-sample kit's keys become the MIDI notes' (app/mapping.h). */
static int flz_run_start_kit(flz_run_loop *run, const char *path, flz_kit *opened)
{
  flz_kit own;
  flz_kit *kit = opened;
  if (kit == NULL) {
    kit = &own;
    if (flz_run_open_kit(path, NULL, kit) != FLZ_OK) /* a kit dropped or plugged in */
      return FLZ_ERR_NOT_A_KIT;
  }
  flz_run_patterns_flush(run);
  int result = flz_kit_start(&run->loading, kit, run->state.sampler, run->loader, stderr);
  flz_kit_deinit(kit);
  if (result == FLZ_OK)
    (void)flz_pattern_files_open(&run->patterns, &run->loading.kit, stdout, stderr);
  if (result != FLZ_OK) {
    flz_kit_error(path, result, stderr);
    return result;
  }
  if (run->stage >= FLZ_RUN_TRIGGERS)
    flz_mapping_set_kit(&run->triggers.mapping, run->loading.kit.regions);
  snprintf(run->kit_dir, sizeof run->kit_dir, "%s", path);
  run->state.pads_loaded = 0;
  run->dirty = 1;
  return FLZ_OK;
}

/* Ends the progress line on the terminal, if one is showing. */
static void flz_run_end_progress(flz_run_loop *run)
{
  if (run->progress_shown) {
    printf("\n");
    run->progress_shown = 0;
  }
}

/* Takes the loader's reports; shows progress on a terminal (one line,
 * redrawn with \r) and the ready line when a kit is done. Returns 0 when the
 * kit given on the command line loaded no pad at all. */
static int flz_run_loading(flz_run_loop *run)
{
  if (!run->loading.active)
    return 1;
  int active = flz_kit_poll(&run->loading, 0);
  if (run->state.pads_loaded != run->loading.loaded)
    run->dirty = 1;
  run->state.pads_loaded = run->loading.loaded;
  uint64_t now = flz_clock_now_ns();
  if (active) {
    if (run->window != NULL)
      run->dirty = 1;
    if (run->tty && now - run->progress_ns >= FLZ_RUN_PROGRESS_NS) {
      uint64_t done, total;
      flz_kit_progress(&run->loading, &done, &total);
      printf("\rflitz: loading %s: %u of %u pads, %u%%", run->kit_dir,
             (unsigned)run->loading.loaded, (unsigned)run->loading.kit.count,
             (unsigned)(total > 0 ? done * 100 / total : 0));
      fflush(stdout);
      run->progress_shown = 1;
      run->progress_ns = now;
    }
    return 1;
  }
  flz_run_end_progress(run);
  fflush(stderr);
  if (run->loading.loaded == 0) {
    fprintf(stderr, "error: %s: no pad could be loaded\n", run->kit_dir);
    return !run->first_kit;
  }
  double ms = (double)(run->loading.end_ns - run->loading.start_ns) / 1e6;
  if (run->loading.kit.regions != NULL)
    printf("flitz: ready: %u pads, %u of %u regions from %s (loaded in %.0f ms)\n",
           run->loading.loaded, run->loading.regions_loaded, run->loading.kit.regions->count,
           run->kit_dir, ms);
  else
    printf("flitz: ready: %u pads from %s (loaded in %.0f ms)\n", run->loading.loaded, run->kit_dir,
           ms);
  fflush(stdout);
  run->first_kit = 0;
  run->state.kits_ready++;
  run->dirty = 1;
  return 1;
}

/* Loads a file dropped on the window into the pad under the pointer, or the
 * first empty pad when the pointer is not over one. A folder, or a file that
 * is no audio file by its name (an SFZ file...), dropped anywhere becomes
 * the new kit. A multi-sample kit's pads take no single file. */
static void flz_run_drop(flz_run_loop *run, int32_t pad, const char *path)
{
  struct stat info;
  if ((stat(path, &info) == 0 && S_ISDIR(info.st_mode)) || !flz_decode_is_audio_name(path)) {
    flz_run_end_progress(run);
    (void)flz_run_start_kit(run, path, NULL);
    return;
  }
  if (run->loading.kit.regions != NULL) {
    fprintf(stderr, "error: %s: the pads of a multi-sample kit take no single file (drop a kit)\n",
            path);
    return;
  }
  uint32_t base = flz_run_bank_base(run);
  uint32_t end = base + FLZ_RUN_PADS < FLZ_PADS ? base + FLZ_RUN_PADS : FLZ_PADS;
  uint32_t slot = base;
  if (pad >= 0 && pad < FLZ_RUN_PADS && base + (uint32_t)pad < FLZ_PADS)
    slot = base + (uint32_t)pad;
  else
    while (slot < end && flz_sampler_slot_loaded(run->state.sampler, slot))
      slot++;
  if (slot == end) {
    fprintf(stderr, "error: %s: every pad is taken\n", path);
    return;
  }
  int was_loaded = flz_sampler_slot_loaded(run->state.sampler, slot);
  char detail[256];
  int result = flz_sampler_load_sample(run->state.sampler, slot, path, detail, sizeof detail);
  if (result != FLZ_OK) {
    fprintf(stderr, "error: %s: %s%s%s%s\n", path, flz_result_message(result),
            detail[0] ? " (" : "", detail, detail[0] ? ")" : "");
    return;
  }
  printf("flitz: pad %u: %s\n", slot + 1, path);
  fflush(stdout);
  if (!was_loaded)
    run->state.pads_loaded++;
  run->dirty = 1;
}

/* Handles one input event; returns 0 when it asks to quit. */
static int flz_run_input(flz_run_loop *run, const flz_input_event *event)
{
  if (event->type == FLZ_INPUT_DROP_FILE) {
    flz_run_drop(run, event->control, event->name);
    return 1;
  }
  if (event->source == FLZ_SOURCE_GAMEPAD &&
      (event->type == FLZ_INPUT_DEVICE_ADDED || event->type == FLZ_INPUT_DEVICE_REMOVED)) {
    flz_run_device(event);
    if (event->type == FLZ_INPUT_DEVICE_ADDED)
      run->controllers++;
    else if (run->controllers > 0)
      run->controllers--;
    run->dirty = 1;
  }
  return flz_triggers_input(&run->triggers, event);
}

/* A resample press (app/mapping.h) starts recording the output into the
 * first free pad from the current bank's first, for its bars at the kit's
 * tempo or until the next press; a press while it records ends it. */
static void flz_run_resample(flz_run_loop *run)
{
  uint32_t bars;
  uint64_t time_ns;
  if (!flz_mapping_take_resample(&run->triggers.mapping, &bars, &time_ns))
    return;
  flz_sampler *sampler = run->state.sampler;
  int result;
  if (run->resampling) {
    if ((result = flz_resampler_stop(sampler, time_ns)) != FLZ_OK)
      fprintf(stderr, "flitz: resample: %s\n", flz_result_message(result));
    return;
  }
  uint32_t slot = flz_run_bank_base(run);
  while (slot < FLZ_PADS && flz_sampler_slot_loaded(sampler, slot))
    slot++;
  if (slot >= FLZ_PADS) {
    fprintf(stderr, "flitz: resample: no free pad from pad %u on\n",
            (unsigned)flz_run_bank_base(run) + 1);
    return;
  }
  const flz_kitfile *settings = run->loading.kit.settings;
  double tempo = settings != NULL && settings->bpm > 0.0f ? settings->bpm : FLZ_DEFAULT_TEMPO;
  char detail[160] = "";
  result = flz_resampler_start(sampler, slot, FLZ_RESAMPLE_MASTER, 0, (float)bars, tempo, time_ns,
                               detail, sizeof detail);
  if (result != FLZ_OK) {
    fprintf(stderr, "flitz: resample into pad %u: %s%s%s%s\n", (unsigned)slot + 1,
            flz_result_message(result), detail[0] ? " (" : "", detail, detail[0] ? ")" : "");
    return;
  }
  run->resampling = 1;
  if (bars > 0)
    printf("flitz: resampling the output into pad %u for %u bars\n", (unsigned)slot + 1,
           (unsigned)bars);
  else
    printf("flitz: resampling the output into pad %u until pressed again\n", (unsigned)slot + 1);
  fflush(stdout);
}

static void flz_run_engine_events(flz_run_loop *run)
{
  flz_event event;
  while (flz_sampler_receive_msg(run->state.sampler, &event)) {
    if (event.type == FLZ_EVENT_RESAMPLED) {
      run->resampling = 0;
      if (event.voice > 0)
        (void)flz_resampling_save(run->state.sampler, run->kit_dir, event.slot + 1,
                                  event.value > 0.0f, stdout, stderr);
      fflush(stdout);
      run->dirty = 1;
    }
    if (event.type == FLZ_EVENT_METER && (event.value > 0.0f || run->metering)) {
      run->metering = event.value > 0.0f; /* redraw the meters, once more at silence */
      run->dirty = 1;
    }
    if (event.frame > run->state.frame)
      run->state.frame = event.frame;
    if (event.type == FLZ_EVENT_CLOCK_LOCKED) {
      printf("flitz: following the MIDI clock at %.1f BPM\n", (double)event.value);
      fflush(stdout);
    } else if (event.type == FLZ_EVENT_CLOCK_LOST) {
      printf("flitz: MIDI clock lost (no tick for %d s); keeping %.1f BPM\n",
             FLZ_CLOCK_LOST_MS / 1000, (double)event.value);
      fflush(stdout);
    }
    if (flz_pattern_files_event(&run->patterns, &event) || event.slot >= FLZ_SLOTS)
      continue;
    if (event.type == FLZ_EVENT_VOICE_STARTED) {
      run->state.start_frame[event.slot] = event.frame;
      run->state.voices[event.slot]++;
      run->state.started[event.slot]++;
      run->state.velocity[event.slot] = event.value;
      run->dirty = 1;
    } else if (event.type == FLZ_EVENT_VOICE_ENDED || event.type == FLZ_EVENT_VOICE_STOLEN) {
      if (run->state.voices[event.slot] > 0)
        run->state.voices[event.slot]--;
      run->dirty = 1;
    }
  }
  flz_pattern_files_poll(&run->patterns, run->state.sampler);
}

/* Ends a recording and waits (at most FLZ_RUN_PATTERN_FLUSH_NS) until the
 * patterns it changed are saved: before another kit's patterns load, and
 * before flitz ends. */
static void flz_run_patterns_flush(flz_run_loop *run)
{
  if (run->patterns.dir[0] == '\0')
    return; /* no kit's patterns yet */
  flz_command off = {.type = FLZ_COMMAND_RECORD, .offset = FLZ_RECORD_OFF};
  (void)flz_sampler_command(run->state.sampler, &off);
  uint64_t start = flz_clock_now_ns(), now = start;
  /* First the engine's answer (a period or two), then the saves. */
  while (now - start < FLZ_RUN_PATTERN_FLUSH_NS &&
         (now - start < FLZ_RUN_PATTERN_ANSWER_NS || flz_pattern_files_pending(&run->patterns))) {
    flz_run_engine_events(run);
    flz_clock_sleep_until_ns(now + 1000000u);
    now = flz_clock_now_ns();
  }
}

/* Draws the window from the view (app/view.h); takes the screenshot a hook
 * or --screenshot asked for. */
static void flz_run_draw(flz_run_loop *run)
{
  flz_view_input in = {
    .sampler = run->state.sampler,
    .config = &run->config,
    .loading = &run->loading,
    .voices = run->state.voices,
    .start_frame = run->state.start_frame,
    .frame = run->state.frame,
    .bank = flz_triggers_bank(&run->triggers),
    .kit_dir = run->kit_dir,
    .controllers = run->controllers,
    .midi_events = atomic_load_explicit(&run->triggers.midi_events, memory_order_relaxed),
    .volume_db = (float)atomic_load_explicit(&run->triggers.volume_cdb, memory_order_relaxed) /
                 100.0f,
  };
  uint64_t now = flz_clock_now_ns();
  flz_view_build(&run->view, &in, now);
  flz_window_set_grid(run->window, run->view.columns, run->view.rows);
  flz_window_set_status(run->window, run->view.status);
  if (run->state.screenshot != NULL) {
    char detail[512] = "";
    run->state.screenshot_result = flz_window_screenshot(
      run->window, run->view.pads, run->view.count, run->state.screenshot, detail, sizeof detail);
    if (run->state.screenshot_result != FLZ_OK)
      fprintf(stderr, "error: %s\n", detail);
    else
      printf("flitz: screenshot: %s\n", run->state.screenshot);
    fflush(stdout);
    run->state.screenshot = NULL;
  } else {
    flz_window_draw(run->window, run->view.pads, run->view.count);
  }
  run->drawn_ns = now;
  run->dirty = 0;
}

static int flz_run_start_audio(const flz_options *options, const flz_config *c,
                               const flz_run_hooks *hooks, flz_sampler *sampler)
{
  /* The fallback WAV's path: $TMPDIR (or /tmp) must exist as a folder and
   * the path must fit, else the error names it (not the device). */
  static char fallback[4096];
  const char *tmp = getenv("TMPDIR");
  tmp = tmp != NULL && tmp[0] ? tmp : "/tmp";
  int length = snprintf(fallback, sizeof fallback, "%s/flitz-%ld.wav", tmp, (long)getpid());
  struct stat folder;
  const char *unusable = length < 0 || (size_t)length >= sizeof fallback ? "too long for a path"
                         : stat(tmp, &folder) != 0                       ? "no such folder"
                         : !S_ISDIR(folder.st_mode)                      ? "not a folder"
                                                                         : NULL;
  flz_sampler_config config;
  flz_sampler_config_init(&config);
  config.device = c->device[0] != '\0' ? c->device : NULL;
  config.rate = c->rate;
  config.period = c->period;
  config.policy = c->policy;
  config.interpolation = c->interpolation;
  config.wait_for_device = c->wait_for_device;
  if (hooks != NULL) {
    config.tap = hooks->tap;
    config.tap_user = hooks->tap_user;
  }
  config.fallback_path = options->no_fallback || unusable != NULL ? NULL : fallback;
  config.wav_format = FLZ_WAV_S16; /* the fallback file: half the disk of float */
  int result = flz_sampler_run(sampler, &config);
  if (result == FLZ_ERR_NO_AUDIO_DEVICE && !options->no_fallback && unusable != NULL) {
    if (length < 0 || (size_t)length >= sizeof fallback)
      fprintf(stderr,
              "flitz: no audio output device, and no fallback WAV: TMPDIR %s: %s (%zu "
              "characters)\n",
              tmp, unusable, strlen(tmp));
    else
      fprintf(stderr, "flitz: no audio output device, and no fallback WAV: TMPDIR %s: %s\n", tmp,
              unusable);
    return result;
  }
  if (result != FLZ_OK && flz_sampler_fell_back(sampler)) {
    fprintf(stderr, "flitz: no audio output device, and the fallback WAV %s %s (%s)\n", fallback,
            flz_result_message(result), flz_sampler_output_detail(sampler));
    return result;
  }
  if (result != FLZ_OK) {
    const char *detail = flz_sampler_output_detail(sampler);
    fprintf(stderr, "flitz: audio output %s: %s%s%s%s\n",
            config.device != NULL ? config.device : "default", flz_result_message(result),
            detail[0] ? " (" : "", detail, detail[0] ? ")" : "");
    return result;
  }
  const flz_audio_output_info *info = flz_sampler_output_info(sampler);
  if (info->rate == 0) /* waiting for the device: the loop says so */
    return FLZ_OK;
  if (flz_sampler_fell_back(sampler))
    printf("flitz: no audio output device; writing what it plays to %s\n", fallback);
  printf("flitz: audio: driver %s, device %s, %u Hz, %u frames per period\n", info->driver,
         info->device, info->rate, info->period);
  if (info->scheduling[0])
    printf("flitz: audio thread: %s\n", info->scheduling);
  fflush(stdout);
  return FLZ_OK;
}

/* A line when an engine counter starts rising (app/counters.h), and with
 * --stats all of them every FLZ_COUNTERS_QUIET_SECONDS. */
static void flz_run_counters(flz_run_loop *run, uint64_t now_ns)
{
  flz_engine_counters counters;
  flz_sampler_counters(run->state.sampler, &counters);
  if (!run->counters.started) {
    flz_counters_watch_init(&run->counters, &counters);
    run->stats_ns = now_ns;
    return;
  }
  if (flz_counters_watch_tick(&run->counters, &counters, now_ns, stderr) > 0)
    flz_run_end_progress(run);
  if (run->stats && now_ns - run->stats_ns >= (uint64_t)FLZ_COUNTERS_QUIET_SECONDS * 1000000000u) {
    char text[256];
    flz_counters_format(&counters, text, sizeof text);
    flz_run_end_progress(run);
    printf("flitz: counters: %s\n", text);
    fflush(stdout);
    run->stats_ns = now_ns;
  }
}

/* Says in one line what happened to the audio output, once. */
static void flz_run_watch_output(flz_run_loop *run)
{
  char detail[512];
  switch (flz_sampler_watch_output(run->state.sampler, flz_clock_now_ns(), detail, sizeof detail)) {
  case FLZ_SAMPLER_OUTPUT_FAILED:
    flz_run_end_progress(run);
    fprintf(stderr, "flitz: audio output stopped: %s; running on without output\n", detail);
    break;
  case FLZ_SAMPLER_OUTPUT_LOST:
    flz_run_end_progress(run);
    fprintf(stderr, "flitz: audio output lost: %s; waiting for it to come back\n", detail);
    break;
  case FLZ_SAMPLER_OUTPUT_WAITING:
    flz_run_end_progress(run);
    fprintf(stderr, "flitz: audio output %s is not there yet; waiting for it\n", detail);
    break;
  case FLZ_SAMPLER_OUTPUT_BACK:
    flz_run_end_progress(run);
    printf("flitz: audio output back: %s\n", detail);
    fflush(stdout);
    break;
  default:
    break;
  }
}

/* Sets up what the loop needs: the configuration, the loader threads, the
 * audio output and the first kit load, SDL's input and the window, then
 * the trigger path. run->stage records how far it got, for flz_run_stop.
 * Returns 0, or the exit code to leave with (flz_run's), its line printed. */
static int flz_run_start(flz_run_loop *run, const flz_options *options, const char *kit_dir,
                         const flz_run_hooks *hooks)
{
  if (flz_config_resolve(options, &run->config, stderr) != FLZ_OK)
    return 2;
  char default_dir[4096];
  if (kit_dir == NULL) {
    if (flz_kit_default_dir(default_dir, sizeof default_dir) != FLZ_OK) {
      fprintf(stderr, "flitz: default kit: %s (build it with cmake --build)\n",
              flz_result_message(FLZ_ERR_NOT_FOUND));
      return 1;
    }
    kit_dir = default_dir;
  }
  flz_kit kit;
  flz_kit_preset preset = {options->preset_given, options->preset_bank, options->preset_program};
  if (flz_run_open_kit(kit_dir, &preset, &kit) != FLZ_OK)
    return 1;
  flz_config_apply_kit(&run->config, kit.settings->bank_size);

  run->tty = isatty(STDOUT_FILENO);
  run->first_kit = 1;
  run->state.sampler = flz_sampler_instance();
  if (flz_loader_start(0, &run->loader) != FLZ_OK) {
    flz_kit_deinit(&kit);
    fprintf(stderr, "flitz: loader threads: %s\n", flz_result_message(FLZ_ERR_NO_MEMORY));
    return 1;
  }
  run->stage = FLZ_RUN_LOADER;
  if (flz_run_start_audio(options, &run->config, hooks, run->state.sampler) != FLZ_OK) {
    flz_kit_deinit(&kit);
    return 1;
  }
  if (flz_run_start_kit(run, kit_dir, &kit) != FLZ_OK)
    return 1;

  char detail[256] = "";
  if (flz_input_open(detail, sizeof detail) != FLZ_OK) {
    fprintf(stderr, "flitz: input: %s\n", detail);
    return 1;
  }
  run->stage = FLZ_RUN_INPUT;
  if (!options->headless) {
    uint32_t columns, rows;
    flz_view_grid(run->config.bank_size, &columns, &rows);
    run->window = flz_window_open("Flitz", columns, rows, detail, sizeof detail);
    if (run->window == NULL)
      fprintf(stderr, "flitz: window: %s (%s); running headless\n",
              flz_result_message(FLZ_ERR_VIDEO), detail);
    else if (flz_window_font(run->window) == NULL)
      fprintf(stderr, "flitz: window: no usable font (FLZ_FONT, fc-match 'DejaVu Sans', "
                      "/usr/share/fonts/truetype/dejavu; install fonts-dejavu-core); the pads "
                      "show no text\n");
    run->dirty = 1;
  }
  if (options->screenshot != NULL) {
    if (run->window == NULL) {
      fprintf(stderr, "error: %s: no window to take a screenshot of\n", options->screenshot);
      return 1;
    }
    run->screenshot_when_ready = options->screenshot;
  }
  if (flz_triggers_start(&run->triggers, &run->config, run->state.sampler, stdout, stderr) !=
      FLZ_OK)
    return 1;
  run->stage = FLZ_RUN_TRIGGERS;
  flz_mapping_set_kit(&run->triggers.mapping, run->loading.kit.regions);
  return 0;
}

/* The loop: input, triggers, engine events, kit loading, drawing and the
 * hooks, until quit. Returns the exit code: 0, or 1 when the kit given on
 * the command line loaded no pad. */
static int flz_run_play(flz_run_loop *run, const flz_run_hooks *hooks)
{
  int code = 0;
  for (;;) {
    flz_input_event event;
    int go_on = 1;
    int wait_ms = flz_triggers_timeout_ms(&run->triggers, flz_clock_now_ns(), 10);
    if (flz_input_wait(&event, wait_ms)) {
      go_on = flz_run_input(run, &event);
      while (go_on && flz_input_wait(&event, 0))
        go_on = flz_run_input(run, &event);
    }
    flz_triggers_poll(&run->triggers, flz_clock_now_ns());
    flz_run_resample(run);
    if (run->state.bank != flz_triggers_bank(&run->triggers)) {
      run->state.bank = flz_triggers_bank(&run->triggers);
      run->dirty = 1;
    }
    flz_run_engine_events(run);
    flz_run_watch_output(run);
    flz_run_counters(run, flz_clock_now_ns());
    if (!flz_run_loading(run)) {
      code = 1;
      break;
    }
    if (run->screenshot_when_ready != NULL && !run->first_kit) {
      run->state.screenshot = run->screenshot_when_ready;
      run->screenshot_when_ready = NULL;
      flz_run_draw(run);
      if (run->state.screenshot_result != FLZ_OK)
        code = 1;
      break;
    }
    if (run->window != NULL && (run->dirty || run->state.screenshot != NULL ||
                                flz_clock_now_ns() - run->drawn_ns >= FLZ_RUN_STATUS_NS))
      flz_run_draw(run);
    run->state.loops++;
    if (hooks != NULL && hooks->tick != NULL)
      hooks->tick(hooks->user, &run->state);
    /* A hook's screenshot shows the state the hook just saw. */
    if (run->window != NULL && run->state.screenshot != NULL)
      flz_run_draw(run);
    if (!go_on || run->state.quit)
      break;
  }
  flz_run_end_progress(run);
  flz_run_patterns_flush(run);
  flz_engine_counters counters;
  char text[256];
  flz_sampler_counters(run->state.sampler, &counters);
  flz_counters_format(&counters, text, sizeof text);
  printf("flitz: shutting down\nflitz: counters: %s\n", text);
  fflush(stdout);
  return code;
}

/* Undoes what flz_run_start set up, as far as run->stage says it got. */
static void flz_run_stop(flz_run_loop *run)
{
  if (run->stage >= FLZ_RUN_TRIGGERS)
    flz_triggers_stop(&run->triggers);
  if (run->stage >= FLZ_RUN_LOADER) {
    flz_kit_stop(&run->loading);
    flz_loader_stop(run->loader);
  }
  flz_window_close(run->window);
  if (run->stage >= FLZ_RUN_LOADER)
    flz_sampler_shut_down(run->state.sampler);
  if (run->stage >= FLZ_RUN_INPUT)
    flz_input_close();
}

int flz_run(const flz_options *options, const char *kit_dir, const flz_run_hooks *hooks)
{
  static flz_run_loop run;
  memset(&run, 0, sizeof run);
  run.stats = options->stats;
  int code = flz_run_start(&run, options, kit_dir, hooks);
  if (code == 0)
    code = flz_run_play(&run, hooks);
  flz_run_stop(&run);
  return code;
}

int flz_run_main(int argc, char **argv)
{
  /* First: a SIGTERM, SIGINT or SIGHUP during start-up ends the run as one
   * later does (platform/input.h). */
  flz_input_catch_signals();
  flz_options options;
  int index;
  int code = flz_options_parse_command(argc, argv, "flitz", &index, &options);
  if (code >= 0)
    return code;
  if (argc - index > 1) {
    fprintf(stderr, "flitz: one kit folder at most, got %s and %s\n", argv[index], argv[index + 1]);
    return 2;
  }
  char default_path[4096];
  if (options.config_path == NULL &&
      flz_config_default_path(default_path, sizeof default_path) == FLZ_OK)
    options.config_path = default_path;
  if (options.print_config) {
    flz_config config;
    if (flz_config_resolve(&options, &config, stderr) != FLZ_OK)
      return 2;
    flz_config_print(&config, stdout);
    return 0;
  }
  return flz_run(&options, index < argc ? argv[index] : NULL, NULL);
}
