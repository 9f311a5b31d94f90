/* app/run.c: the live sampler loop of app/run.h. Maps normalized input events
 * to pads and pads to engine slots (pad N plays slot N-1); keeps the window's
 * pad lights from the engine's voice events; loads kits in the background
 * (app/kit.h on a platform/loader.h pool) and shows their progress. */
#include "app/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/kit.h"
#include "engine/result.h"
#include "platform/input.h"
#include "platform/loader.h"
#include "platform/wav_file.h"
#include "platform/window.h"

/* USB HID keyboard usages (page 7) of the default layout, pad order. */
static const int32_t flz_run_keys[FLZ_RUN_PADS] = {
  30, 31, 32, 33, /* 1 2 3 4 */
  20, 26, 8, 21,  /* Q W E R */
  4, 22, 7, 9,    /* A S D F */
  29, 27, 6, 25,  /* Z X C V */
};
#define FLZ_KEY_SPACE 44
#define FLZ_KEY_ESCAPE 41

/* Pads of the standard gamepad buttons (1-based; 0 = not a pad). */
static const uint32_t flz_run_buttons[FLZ_BUTTON_COUNT] = {
  [FLZ_BUTTON_A] = 1, [FLZ_BUTTON_B] = 2, [FLZ_BUTTON_X] = 3, [FLZ_BUTTON_Y] = 4,
  [FLZ_BUTTON_LEFT_SHOULDER] = 5, [FLZ_BUTTON_RIGHT_SHOULDER] = 6,
  [FLZ_BUTTON_DPAD_UP] = 9, [FLZ_BUTTON_DPAD_DOWN] = 10,
  [FLZ_BUTTON_DPAD_LEFT] = 11, [FLZ_BUTTON_DPAD_RIGHT] = 12,
};
#define FLZ_TRIGGER_LEFT_PAD 7
#define FLZ_TRIGGER_RIGHT_PAD 8
#define FLZ_TRIGGER_PRESS 0.5f   /* past half way plays */
#define FLZ_TRIGGER_REARM 0.25f  /* back below a quarter re-arms */

/* Controllers whose triggers are tracked; more are played but share state. */
#define FLZ_RUN_CONTROLLERS 8

typedef struct flz_run_trigger {
  int32_t device;
  int armed[2]; /* left, right */
} flz_run_trigger;

/* The terminal's progress line is redrawn at most this often, ns. */
#define FLZ_RUN_PROGRESS_NS 100000000u

typedef struct flz_run_loop {
  flz_run_state state;
  flz_run_trigger triggers[FLZ_RUN_CONTROLLERS];
  flz_window *window;
  int dirty; /* the window needs a redraw */
  flz_loader *loader;
  flz_kit_loading loading;
  char kit_dir[4096];    /* the kit being loaded or last loaded */
  int first_kit;         /* the kit given on the command line is still loading */
  int tty;               /* stdout is a terminal: show a progress line */
  int progress_shown;    /* a progress line is on screen, not yet ended */
  uint64_t progress_ns;  /* when it was last drawn */
} flz_run_loop;

static void flz_run_play(flz_run_loop *run, uint32_t pad, float velocity, uint64_t time_ns)
{
  if (pad == 0 || pad > FLZ_SLOTS)
    return;
  int result = flz_sampler_play_sample(run->state.sampler, pad - 1, velocity, time_ns);
  if (result != FLZ_OK)
    fprintf(stderr, "flitz: pad %u: %s\n", pad, flz_result_message(result));
}

static flz_run_trigger *flz_run_trigger_of(flz_run_loop *run, int32_t device)
{
  for (uint32_t i = 0; i < FLZ_RUN_CONTROLLERS; i++)
    if (run->triggers[i].device == device)
      return &run->triggers[i];
  return &run->triggers[(uint32_t)device % FLZ_RUN_CONTROLLERS];
}

static void flz_run_axis(flz_run_loop *run, const flz_input_event *event)
{
  if (event->control != FLZ_AXIS_TRIGGER_LEFT && event->control != FLZ_AXIS_TRIGGER_RIGHT)
    return;
  int side = event->control == FLZ_AXIS_TRIGGER_RIGHT;
  flz_run_trigger *trigger = flz_run_trigger_of(run, event->device);
  if (trigger->armed[side] && event->value >= FLZ_TRIGGER_PRESS) {
    trigger->armed[side] = 0;
    flz_run_play(run, side ? FLZ_TRIGGER_RIGHT_PAD : FLZ_TRIGGER_LEFT_PAD, 1.0f,
                 event->time_ns);
  } else if (event->value < FLZ_TRIGGER_REARM) {
    trigger->armed[side] = 1;
  }
}

static void flz_run_device(flz_run_loop *run, const flz_input_event *event)
{
  if (event->type == FLZ_INPUT_DEVICE_ADDED) {
    printf("flitz: controller %d connected: %s\n", event->device, event->name);
    for (uint32_t i = 0; i < FLZ_RUN_CONTROLLERS; i++) {
      if (run->triggers[i].device == -1) {
        run->triggers[i] = (flz_run_trigger){.device = event->device, .armed = {1, 1}};
        break;
      }
    }
  } else {
    printf("flitz: controller %d disconnected\n", event->device);
    for (uint32_t i = 0; i < FLZ_RUN_CONTROLLERS; i++)
      if (run->triggers[i].device == event->device)
        run->triggers[i].device = -1;
  }
  fflush(stdout);
}

static uint64_t flz_run_now_ns(void)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

/* Starts loading the kit in folder `dir` in the background; the pads of the
 * kit before it are emptied, and its loads still running are cancelled. */
static int flz_run_start_kit(flz_run_loop *run, const char *dir)
{
  flz_kit kit;
  int result = flz_kit_scan(dir, &kit);
  if (result == FLZ_OK) {
    result = flz_kit_start(&run->loading, &kit, run->state.sampler, run->loader, stderr);
    flz_kit_free(&kit);
  }
  if (result != FLZ_OK) {
    fprintf(stderr, "error: %s: %s\n", dir, flz_result_message(result));
    return result;
  }
  snprintf(run->kit_dir, sizeof run->kit_dir, "%s", dir);
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
  uint64_t now = flz_run_now_ns();
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
  printf("flitz: ready: %u pads from %s (loaded in %.0f ms)\n", run->loading.loaded,
         run->kit_dir, ms);
  fflush(stdout);
  run->first_kit = 0;
  return 1;
}

/* Loads a file dropped on the window into the pad under the pointer, or the
 * first empty pad when the pointer is not over one. A folder dropped anywhere
 * becomes the new kit. */
static void flz_run_drop(flz_run_loop *run, int32_t pad, const char *path)
{
  struct stat info;
  if (stat(path, &info) == 0 && S_ISDIR(info.st_mode)) {
    flz_run_end_progress(run);
    (void)flz_run_start_kit(run, path);
    return;
  }
  uint32_t slot = 0;
  if (pad >= 0 && pad < FLZ_RUN_PADS)
    slot = (uint32_t)pad;
  else
    while (slot < FLZ_RUN_PADS && run->state.sampler->regions[slot] != 0)
      slot++;
  if (slot == FLZ_RUN_PADS) {
    fprintf(stderr, "error: %s: every pad is taken\n", path);
    return;
  }
  int was_loaded = run->state.sampler->regions[slot] != 0;
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
  switch (event->type) {
  case FLZ_INPUT_QUIT:
    return 0;
  case FLZ_INPUT_PRESS:
    if (event->source == FLZ_SOURCE_KEYBOARD) {
      if (event->control == FLZ_KEY_ESCAPE)
        return 0;
      if (event->control == FLZ_KEY_SPACE)
        (void)flz_sampler_stop_all(run->state.sampler);
      for (uint32_t pad = 0; pad < FLZ_RUN_PADS; pad++)
        if (flz_run_keys[pad] == event->control)
          flz_run_play(run, pad + 1, event->value, event->time_ns);
    } else if (event->source == FLZ_SOURCE_GAMEPAD) {
      if (event->control == FLZ_BUTTON_BACK)
        (void)flz_sampler_stop_all(run->state.sampler);
      else if (event->control >= 0 && event->control < FLZ_BUTTON_COUNT)
        flz_run_play(run, flz_run_buttons[event->control], event->value, event->time_ns);
    } else if (event->source == FLZ_SOURCE_WINDOW && event->control >= 0) {
      flz_run_play(run, (uint32_t)event->control + 1, 1.0f, event->time_ns);
    }
    break;
  case FLZ_INPUT_AXIS:
    flz_run_axis(run, event);
    break;
  case FLZ_INPUT_DEVICE_ADDED:
  case FLZ_INPUT_DEVICE_REMOVED:
    flz_run_device(run, event);
    break;
  case FLZ_INPUT_DROP_FILE:
    flz_run_drop(run, event->control, event->name);
    break;
  default:
    break;
  }
  return 1;
}

static void flz_run_engine_events(flz_run_loop *run)
{
  flz_event event;
  while (flz_sampler_receive_msg(run->state.sampler, &event)) {
    if (event.slot >= FLZ_SLOTS)
      continue;
    if (event.type == FLZ_EVENT_VOICE_STARTED) {
      run->state.voices[event.slot]++;
      run->dirty = 1;
    } else if (event.type == FLZ_EVENT_VOICE_ENDED || event.type == FLZ_EVENT_VOICE_STOLEN) {
      if (run->state.voices[event.slot] > 0)
        run->state.voices[event.slot]--;
      run->dirty = 1;
    }
  }
}

static void flz_run_draw(flz_run_loop *run)
{
  flz_window_pad pads[FLZ_RUN_PADS];
  memset(pads, 0, sizeof pads);
  for (uint32_t i = 0; i < FLZ_RUN_PADS; i++) {
    pads[i].loaded = run->state.sampler->regions[i] != 0;
    pads[i].playing = run->state.voices[i] > 0;
    const flz_kit_pad *pad = &run->loading.pads[i];
    if (run->loading.active && i < run->loading.kit.count &&
        pad->state == FLZ_KIT_PAD_DECODING && pad->frames_total > 0)
      pads[i].progress = (float)pad->frames_done / (float)pad->frames_total;
  }
  flz_window_draw(run->window, pads, FLZ_RUN_PADS);
  run->dirty = 0;
}

static int flz_run_start_audio(const flz_options *options, flz_sampler *sampler)
{
  static char fallback[512];
  const char *tmp = getenv("TMPDIR");
  snprintf(fallback, sizeof fallback, "%s/flitz-%ld.wav", tmp != NULL && tmp[0] ? tmp : "/tmp",
           (long)getpid());
  flz_sampler_config config;
  flz_sampler_config_init(&config);
  config.device = options->audio_device;
  config.rate = options->rate;
  config.period = options->period;
  config.fallback_path = options->no_fallback ? NULL : fallback;
  config.wav_format = FLZ_WAV_S16; /* the fallback file: half the disk of float */
  int result = flz_sampler_run(sampler, &config);
  if (result != FLZ_OK) {
    const char *detail = sampler->output.detail;
    fprintf(stderr, "flitz: audio output %s: %s%s%s%s\n",
            options->audio_device != NULL ? options->audio_device : "default",
            flz_result_message(result), detail[0] ? " (" : "", detail, detail[0] ? ")" : "");
    return result;
  }
  const flz_audio_output_info *info = &sampler->output.info;
  if (sampler->fell_back)
    printf("flitz: no audio output device; writing what it plays to %s\n", fallback);
  printf("flitz: audio: driver %s, device %s, %u Hz, %u frames per period\n", info->driver,
         info->device, info->rate, info->period);
  fflush(stdout);
  return FLZ_OK;
}

int flz_run(const flz_options *options, const char *kit_dir, const flz_run_hooks *hooks)
{
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
  int result = flz_kit_scan(kit_dir, &kit);
  if (result != FLZ_OK) {
    fprintf(stderr, "error: %s: %s\n", kit_dir, flz_result_message(result));
    return 1;
  }
  flz_kit_free(&kit);

  static flz_run_loop run;
  memset(&run, 0, sizeof run);
  for (uint32_t i = 0; i < FLZ_RUN_CONTROLLERS; i++)
    run.triggers[i].device = -1;
  run.tty = isatty(STDOUT_FILENO);
  run.first_kit = 1;
  run.state.sampler = flz_sampler_instance();
  if (flz_loader_create(0, &run.loader) != FLZ_OK) {
    fprintf(stderr, "flitz: loader threads: %s\n", flz_result_message(FLZ_ERR_NO_MEMORY));
    return 1;
  }
  if (flz_run_start_audio(options, run.state.sampler) != FLZ_OK ||
      flz_run_start_kit(&run, kit_dir) != FLZ_OK) {
    flz_sampler_shut_down(run.state.sampler);
    flz_loader_destroy(run.loader);
    return 1;
  }

  char detail[256] = "";
  if (flz_input_init(detail, sizeof detail) != FLZ_OK) {
    fprintf(stderr, "flitz: input: %s\n", detail);
    flz_kit_cancel(&run.loading);
    flz_loader_destroy(run.loader);
    flz_sampler_shut_down(run.state.sampler);
    return 1;
  }
  if (!options->headless) {
    run.window = flz_window_open("Flitz", 4, 4, detail, sizeof detail);
    if (run.window == NULL)
      fprintf(stderr, "flitz: window: %s (%s); running headless\n",
              flz_result_message(FLZ_ERR_VIDEO), detail);
    run.dirty = 1;
  }

  int code = 0;
  for (;;) {
    flz_input_event event;
    int go_on = 1;
    if (flz_input_wait(&event, 10)) {
      go_on = flz_run_input(&run, &event);
      while (go_on && flz_input_wait(&event, 0))
        go_on = flz_run_input(&run, &event);
    }
    flz_run_engine_events(&run);
    if (!flz_run_loading(&run)) {
      code = 1;
      break;
    }
    if (run.window != NULL && run.dirty)
      flz_run_draw(&run);
    run.state.loops++;
    if (hooks != NULL && hooks->tick != NULL)
      hooks->tick(hooks->user, &run.state);
    if (!go_on || run.state.quit)
      break;
  }

  flz_run_end_progress(&run);
  printf("flitz: shutting down\n");
  fflush(stdout);
  flz_kit_cancel(&run.loading);
  flz_loader_destroy(run.loader);
  flz_window_close(run.window);
  flz_sampler_shut_down(run.state.sampler);
  flz_input_quit();
  return code;
}

int flz_run_main(int argc, char **argv)
{
  flz_options options;
  int index;
  int code = flz_options_parse_command(argc, argv, "flitz", &index, &options);
  if (code >= 0)
    return code;
  if (argc - index > 1) {
    fprintf(stderr, "flitz: one kit folder at most, got %s and %s\n", argv[index],
            argv[index + 1]);
    return 2;
  }
  return flz_run(&options, index < argc ? argv[index] : NULL, NULL);
}
