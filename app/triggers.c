/* app/triggers.c: input events to engine commands for every source
 * (app/triggers.h). The MIDI callback runs on the MIDI input thread and
 * touches only the mapping (read-only rules, atomic bank), its own mapping
 * state and action buffer, the MIDI command ring and the notice ring. */
#include "app/triggers.h"

#include "app/counters.h"

#include <math.h>
#include <string.h>

#include "engine/result.h"
#include "platform/input.h"

/* Sends one action through `producer`'s ring; returns the engine's result. */
static int flz_triggers_send(flz_triggers *t, uint32_t producer, const flz_mapping_action *action)
{
  flz_command command;
  memset(&command, 0, sizeof command);
  switch (action->type) {
  case FLZ_MAPPING_PLAY:
    command.type = action->pad ? FLZ_COMMAND_PLAY_PAD : FLZ_COMMAND_PLAY_SAMPLE;
    command.slot = action->slot;
    command.offset = action->key;
    command.channel = action->channel;
    command.value = action->value;
    break;
  case FLZ_MAPPING_RELEASE:
    command.type = action->pad ? FLZ_COMMAND_RELEASE_PAD : FLZ_COMMAND_RELEASE_SLOT;
    command.slot = action->slot;
    command.offset = action->key;
    command.channel = action->channel;
    break;
  case FLZ_MAPPING_STOP_ALL:
    command.type = FLZ_COMMAND_STOP;
    break;
  case FLZ_MAPPING_REPEAT:
    command.type = FLZ_COMMAND_REPEAT;
    command.offset = action->slot;
    break;
  case FLZ_MAPPING_PRESSURE:
    command.type = FLZ_COMMAND_PRESSURE;
    command.slot = action->slot;
    command.value = action->value;
    break;
  case FLZ_MAPPING_VOLUME:
    command.type = FLZ_COMMAND_SET_VOLUME;
    command.value = action->value;
    atomic_store_explicit(&t->volume_cdb, (int32_t)(action->value * 100.0f), memory_order_relaxed);
    break;
  case FLZ_MAPPING_RECORD:
    command.type = FLZ_COMMAND_RECORD;
    command.offset = action->slot; /* the flz_record */
    break;
  case FLZ_MAPPING_PATTERN:
    command.type = FLZ_COMMAND_PATTERN;
    command.slot = action->slot;
    break;
  case FLZ_MAPPING_CHAIN: {
    const flz_config_chain *chain = &t->mapping.config.chains[action->slot % FLZ_CONFIG_CHAINS];
    command.type = FLZ_COMMAND_PATTERN_CHAIN;
    command.offset = chain->length;
    memcpy(command.chain, chain->patterns, sizeof command.chain);
    break;
  }
  case FLZ_MAPPING_METRONOME:
    command.type = FLZ_COMMAND_METRONOME;
    command.value = -powf(10.0f, (float)FLZ_METRONOME_DB / 20.0f); /* a toggle */
    break;
  default:
    return FLZ_OK;
  }
  command.time_ns = action->time_ns;
  return flz_sampler_send(t->sampler, producer, &command);
}

/* The MIDI input thread's callback. */
static void flz_triggers_midi(void *user, const flz_input_event *event)
{
  flz_triggers *t = user;
  if (event->type == FLZ_INPUT_CLOCK) {
    if (t->mapping.config.clock != FLZ_CONFIG_CLOCK_FOLLOW)
      return;
    flz_command command = {.type = FLZ_COMMAND_CLOCK,
                           .offset = (uint32_t)event->control,
                           .slot = (uint32_t)event->value,
                           .time_ns = event->time_ns};
    if (flz_sampler_send(t->sampler, FLZ_PRODUCER_MIDI, &command) != FLZ_OK) {
      atomic_store_explicit(&t->midi_refused_device, event->device, memory_order_relaxed);
      atomic_fetch_add_explicit(&t->midi_refused, 1u, memory_order_release);
    }
    return;
  }
  if (event->type == FLZ_INPUT_DEVICE_ADDED || event->type == FLZ_INPUT_DEVICE_REMOVED)
    (void)flz_ring_push(&t->notices, event);
  else
    atomic_fetch_add_explicit(&t->midi_events, 1u, memory_order_relaxed);
  uint32_t count = flz_mapping_event(&t->mapping, &t->midi_state, event, t->midi_actions);
  for (uint32_t i = 0; i < count; i++)
    if (flz_triggers_send(t, FLZ_PRODUCER_MIDI, &t->midi_actions[i]) != FLZ_OK) {
      atomic_store_explicit(&t->midi_refused_device, event->device, memory_order_relaxed);
      atomic_fetch_add_explicit(&t->midi_refused, 1u, memory_order_release);
    }
}

int flz_triggers_start(flz_triggers *t, const flz_config *config, flz_sampler *sampler, FILE *out,
                       FILE *err)
{
  memset(t, 0, sizeof *t);
  flz_mapping_init(&t->mapping, config);
  flz_mapping_state_init(&t->control_state);
  flz_mapping_state_init(&t->midi_state);
  t->sampler = sampler;
  t->out = out;
  t->err = err;
  t->bank_shown = 1;
  atomic_init(&t->midi_refused, 0u);
  flz_ring_init(&t->notices, t->notice_storage, FLZ_TRIGGERS_NOTICES, sizeof(flz_input_event));
  char detail[512] = "";
  if (config->mappings[0] != '\0') {
    int added = flz_input_add_mappings(config->mappings, detail, sizeof detail);
    if (added < 0)
      fprintf(err, "error: %s: %s (%s)\n", config->mappings, flz_result_message(added), detail);
    else
      fprintf(out, "flitz: %s: %d game controller mappings\n", config->mappings, added);
  }
  if (config->clock != FLZ_CONFIG_CLOCK_LEAD && config->output[0] != '\0')
    fprintf(err,
            "flitz: MIDI output %s: not opened: it carries the MIDI clock of clock = lead "
            "([midi] clock is not lead)\n",
            config->output);
  if (config->clock == FLZ_CONFIG_CLOCK_LEAD) {
    flz_midi_out_config lead = {.sequencer = config->sequencer,
                                .raw_path = config->output[0] != '\0' ? config->output : NULL};
    int result = flz_midi_out_open(&t->midi_out, sampler, &lead, detail, sizeof detail);
    if (result == FLZ_OK) {
      flz_command command = {.type = FLZ_COMMAND_CLOCK_LEAD, .offset = 1};
      result = flz_sampler_command(sampler, &command);
    }
    if (result == FLZ_ERR_ARGUMENT)
      fprintf(err, "flitz: clock = lead: no MIDI output (sequencer = false and no [midi] output "
                   "or --midi-out)\n");
    else if (result != FLZ_OK)
      fprintf(err, "flitz: MIDI clock out: %s\n", flz_result_message(result));
    else if (lead.raw_path == NULL && detail[0] != '\0')
      fprintf(err,
              "flitz: clock = lead: nowhere to send the clock (%s; give --midi-out or [midi] "
              "output)\n",
              detail);
    else
      fprintf(out, "flitz: leading the MIDI clock%s%s%s%s%s\n", lead.raw_path ? " to " : "",
              lead.raw_path ? lead.raw_path : "", detail[0] ? " (no sequencer port: " : "", detail,
              detail[0] ? ")" : "");
    detail[0] = '\0';
  }
  if (!config->sequencer && config->input[0] == '\0')
    return FLZ_OK;
  flz_midi_config midi = {.sequencer = config->sequencer,
                          .raw_path = config->input[0] != '\0' ? config->input : NULL,
                          .event = flz_triggers_midi,
                          .user = t};
  int sequencer_ok = 0;
  int result = flz_midi_open(&t->midi, &midi, &sequencer_ok, detail, sizeof detail);
  if (result != FLZ_OK) {
    fprintf(err, "flitz: MIDI input: %s%s%s%s\n", flz_result_message(result), detail[0] ? " (" : "",
            detail, detail[0] ? ")" : "");
    return result;
  }
  /* No sequencer is how a machine without ALSA MIDI looks, not an error. */
  if (config->sequencer && !sequencer_ok) {
    fprintf(out, "flitz: MIDI: %s; MIDI pad controllers need the snd-seq kernel module%s\n", detail,
            midi.raw_path != NULL ? " (the raw input still plays)" : "");
    fflush(out);
  }
  return FLZ_OK;
}

/* Says a flood of refused commands from `source`: `total` refused in all. */
static void flz_triggers_flood_say(flz_triggers *t, flz_triggers_flood *flood, const char *source,
                                   uint32_t total, uint64_t now_ns)
{
  const uint64_t quiet_ns = (uint64_t)FLZ_COUNTERS_QUIET_SECONDS * 1000000000u;
  if (total == flood->shown || (flood->said_ns != 0 && now_ns - flood->said_ns < quiet_ns))
    return;
  fprintf(t->err, "flitz: %sflood from %s: %u commands dropped (%s)\n",
          flood->said_ns == 0 ? "" : "still a ", source, total - flood->shown,
          flz_result_message(FLZ_ERR_RING_FULL));
  flood->shown = total;
  flood->said_ns = now_ns;
}

/* A control-thread command that could not be sent: a full ring counts
 * towards the flood line, anything else is a line of its own. */
static void flz_triggers_refused(flz_triggers *t, const char *source, uint32_t slot, int result)
{
  if (result == FLZ_ERR_RING_FULL) {
    t->control_refused++;
    snprintf(t->control_source, sizeof t->control_source, "%s", source);
    return;
  }
  fprintf(t->err, "flitz: slot %u: %s\n", slot + 1, flz_result_message(result));
}

static const char *flz_triggers_source(const flz_input_event *event)
{
  switch (event->source) {
  case FLZ_SOURCE_KEYBOARD:
    return "the keyboard";
  case FLZ_SOURCE_GAMEPAD:
    return "a game controller";
  case FLZ_SOURCE_WINDOW:
    return "the window";
  default:
    return "the controls";
  }
}

int flz_triggers_input(flz_triggers *t, const flz_input_event *event)
{
  uint32_t count = flz_mapping_event(&t->mapping, &t->control_state, event, t->control_actions);
  int go_on = 1;
  for (uint32_t i = 0; i < count; i++) {
    const flz_mapping_action *action = &t->control_actions[i];
    if (action->type == FLZ_MAPPING_QUIT) {
      go_on = 0;
      continue;
    }
    int result = flz_triggers_send(t, FLZ_PRODUCER_CONTROL, action);
    if (result != FLZ_OK)
      flz_triggers_refused(t, flz_triggers_source(event), action->slot, result);
  }
  return go_on;
}

void flz_triggers_poll(flz_triggers *t, uint64_t now_ns)
{
  uint32_t count = flz_mapping_tick(&t->mapping, &t->control_state, now_ns, t->control_actions);
  for (uint32_t i = 0; i < count; i++) {
    int result = flz_triggers_send(t, FLZ_PRODUCER_CONTROL, &t->control_actions[i]);
    if (result != FLZ_OK)
      flz_triggers_refused(t, "the controls", t->control_actions[i].slot, result);
  }
  flz_input_event notice;
  int printed = 0;
  while (flz_ring_pop(&t->notices, &notice)) {
    fprintf(t->out, "flitz: MIDI %s: %s\n",
            notice.type == FLZ_INPUT_DEVICE_ADDED ? "connected" : "disconnected", notice.name);
    printed = 1;
  }
  uint32_t bank = flz_mapping_bank(&t->mapping);
  if (bank != t->bank_shown) {
    uint32_t size = t->mapping.config.bank_size;
    uint32_t last = bank * size < FLZ_PADS ? bank * size : FLZ_PADS;
    fprintf(t->out, "flitz: bank %u (pads %u-%u)\n", bank, (bank - 1) * size + 1, last);
    t->bank_shown = bank;
    printed = 1;
  }
  uint32_t refused = atomic_load_explicit(&t->midi_refused, memory_order_acquire);
  if (refused != t->midi_flood.shown) {
    int32_t device = atomic_load_explicit(&t->midi_refused_device, memory_order_relaxed);
    char source[sizeof t->mapping.config.input + 32];
    if (device == FLZ_MIDI_RAW_DEVICE)
      snprintf(source, sizeof source, "MIDI input %s", t->mapping.config.input);
    else
      snprintf(source, sizeof source, "MIDI port %d:%d", device >> 8, device & 0xff);
    flz_triggers_flood_say(t, &t->midi_flood, source, refused, now_ns);
  }
  flz_triggers_flood_say(t, &t->control_flood, t->control_source, t->control_refused, now_ns);
  if (printed)
    fflush(t->out);
}

int flz_triggers_timeout_ms(const flz_triggers *t, uint64_t now_ns, int max_ms)
{
  uint64_t deadline = flz_mapping_deadline(&t->mapping, &t->control_state);
  if (deadline == 0)
    return max_ms;
  if (deadline <= now_ns)
    return 0;
  uint64_t ms = (deadline - now_ns + 999999u) / 1000000u;
  return ms < (uint64_t)max_ms ? (int)ms : max_ms;
}

uint32_t flz_triggers_bank(flz_triggers *t)
{
  return flz_mapping_bank(&t->mapping);
}

void flz_triggers_stop(flz_triggers *t)
{
  flz_midi_close(t->midi);
  t->midi = NULL;
  flz_midi_out_close(t->midi_out);
  t->midi_out = NULL;
}
