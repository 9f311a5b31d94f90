/* app/mapping.c: input events to pad and control actions (app/mapping.h).
 * Pure state machines over the caller's state; no I/O. */
#include "app/mapping.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/kitformat.h"
#include "engine/limits.h"

/* 1 when `config`'s [notes] differ from the built-in defaults. */
static int flz_mapping_notes_given(const flz_config *config)
{
  flz_config *defaults = malloc(sizeof *defaults);
  if (defaults == NULL)
    return 0;
  flz_config_init(defaults);
  int given = memcmp(defaults->notes, config->notes, sizeof config->notes) != 0;
  free(defaults);
  return given;
}

void flz_mapping_init(flz_mapping *mapping, const flz_config *config)
{
  mapping->config = *config;
  if (mapping->config.bank_size == 0)
    mapping->config.bank_size = FLZ_DEFAULT_BANK_SIZE;
  mapping->banks = flz_config_banks(&mapping->config);
  atomic_init(&mapping->bank, 1u);
  mapping->notes_given = flz_mapping_notes_given(config);
  atomic_init(&mapping->kit, 0);
  for (uint32_t key = 0; key < 128; key++)
    for (uint32_t word = 0; word < FLZ_MAPPING_PAD_WORDS; word++)
      atomic_init(&mapping->kit_notes[key][word], 0u);
  for (uint32_t pad = 0; pad < FLZ_PADS; pad++)
    atomic_init(&mapping->kit_keys[pad], (int16_t)-1);
  atomic_init(&mapping->resample, 0u);
  atomic_init(&mapping->resample_ns, 0u);
}

void flz_mapping_set_kit(flz_mapping *mapping, const flz_kit_regions *regions)
{
  for (uint32_t key = 0; key < 128; key++) {
    uint64_t words[FLZ_MAPPING_PAD_WORDS] = {0};
    uint16_t pads[FLZ_PADS];
    uint32_t count = regions != NULL ? flz_kit_regions_pads_of_key(regions, key, pads) : 0;
    for (uint32_t i = 0; i < count; i++)
      words[pads[i] / 64] |= UINT64_C(1) << (pads[i] % 64);
    for (uint32_t word = 0; word < FLZ_MAPPING_PAD_WORDS; word++)
      atomic_store_explicit(&mapping->kit_notes[key][word], words[word], memory_order_relaxed);
  }
  for (uint32_t pad = 0; pad < FLZ_PADS; pad++) {
    int16_t key = regions != NULL && pad < regions->pad_count ? (int16_t)regions->pad_keys[pad]
                                                              : -1;
    atomic_store_explicit(&mapping->kit_keys[pad], key, memory_order_relaxed);
  }
  atomic_store_explicit(&mapping->kit, regions != NULL, memory_order_relaxed);
}

void flz_mapping_state_init(flz_mapping_state *state)
{
  memset(state, 0, sizeof *state);
  for (uint32_t i = 0; i < FLZ_MAPPING_CONTROLLERS; i++)
    state->controllers[i].device = -1;
}

uint32_t flz_mapping_bank(flz_mapping *mapping)
{
  return atomic_load_explicit(&mapping->bank, memory_order_relaxed);
}

int flz_mapping_take_resample(flz_mapping *mapping, uint32_t *bars, uint64_t *time_ns)
{
  uint32_t pending = atomic_exchange_explicit(&mapping->resample, 0u, memory_order_acquire);
  if (pending == 0)
    return 0;
  *bars = pending - 1;
  *time_ns = atomic_load_explicit(&mapping->resample_ns, memory_order_relaxed);
  return 1;
}

int flz_mapping_set_bank(flz_mapping *mapping, uint32_t bank)
{
  if (bank < 1 || bank > mapping->banks)
    return 0;
  atomic_store_explicit(&mapping->bank, bank, memory_order_relaxed);
  return 1;
}

/* Moves the bank by `step` (+1 or -1), staying within 1..banks. */
static void flz_mapping_step_bank(flz_mapping *mapping, int step)
{
  uint32_t bank = flz_mapping_bank(mapping);
  uint32_t next;
  do {
    next = bank;
    if (step > 0 && bank < mapping->banks)
      next = bank + 1;
    else if (step < 0 && bank > 1)
      next = bank - 1;
  } while (!atomic_compare_exchange_weak_explicit(&mapping->bank, &bank, next, memory_order_relaxed,
                                                  memory_order_relaxed));
}

/* The slot pad `pad` (1-based) of the current bank plays, or -1. */
static int32_t flz_mapping_slot(flz_mapping *mapping, uint32_t pad)
{
  uint32_t size = mapping->config.bank_size;
  if (pad < 1 || pad > size)
    return -1;
  uint64_t slot = (uint64_t)(flz_mapping_bank(mapping) - 1) * size + pad - 1;
  return slot < FLZ_PADS ? (int32_t)slot : -1;
}

/* The held slot of a note repeat control: its release ends repeat. */
#define FLZ_MAPPING_REPEAT_HELD UINT32_MAX

/* The MIDI channel 1..16 a pad press of an event from `source` on channel
 * `channel` (0..15) carries; 0 when it is no MIDI note. */
static uint32_t flz_mapping_note_channel(uint32_t source, uint32_t channel)
{
  return source == FLZ_SOURCE_MIDI ? channel + 1u : 0u;
}

/* What letting go of `h` does. */
static flz_mapping_action flz_mapping_let_go(const flz_mapping_held *h, uint64_t time_ns)
{
  if (h->slot == FLZ_MAPPING_REPEAT_HELD)
    return (flz_mapping_action){.type = FLZ_MAPPING_REPEAT, .time_ns = time_ns};
  return (flz_mapping_action){.type = FLZ_MAPPING_RELEASE,
                              .slot = h->slot,
                              .pad = h->pad,
                              .key = h->key,
                              .channel = h->pad ? flz_mapping_note_channel(h->source, h->channel)
                                                : 0,
                              .time_ns = time_ns};
}

/* 1 when `h` holds a press of `control` by `event`'s source, device and
 * channel. */
static int flz_mapping_holds(const flz_mapping_held *h, const flz_input_event *event,
                             int32_t control)
{
  return h->source == event->source && h->device == event->device && h->channel == event->channel &&
         h->control == control;
}

/* Records `press` of `control` until its release. A control holds one press,
 * but a note of a multi-sample kit one per pad it plays. */
static void flz_mapping_hold(flz_mapping_state *state, const flz_input_event *event,
                             int32_t control, const flz_mapping_action *press)
{
  flz_mapping_held *h = NULL;
  for (uint32_t i = 0; h == NULL && i < FLZ_MAPPING_HELD; i++)
    if (flz_mapping_holds(&state->held[i], event, control) &&
        (!press->pad || (state->held[i].pad && state->held[i].slot == press->slot)))
      h = &state->held[i];
  for (uint32_t i = 0; h == NULL && i < FLZ_MAPPING_HELD; i++)
    if (state->held[i].source == 0)
      h = &state->held[i];
  if (h == NULL)
    return; /* every slot's worth held: this press cannot be released */
  *h = (flz_mapping_held){.source = event->source,
                          .device = event->device,
                          .channel = event->channel,
                          .control = control,
                          .slot = press->slot,
                          .pad = press->pad,
                          .key = press->key};
}

/* Lets go of every press `control` holds; returns the actions written. */
static uint32_t flz_mapping_release(flz_mapping_state *state, const flz_input_event *event,
                                    int32_t control, uint64_t time_ns, flz_mapping_action *out)
{
  uint32_t count = 0;
  for (uint32_t i = 0; i < FLZ_MAPPING_HELD; i++) {
    flz_mapping_held *h = &state->held[i];
    if (!flz_mapping_holds(h, event, control))
      continue;
    out[count++] = flz_mapping_let_go(h, time_ns);
    h->source = 0;
  }
  return count;
}

/* Applies `rule` to a press (`value` > 0) of `control`; returns the actions
 * written. */
static uint32_t flz_mapping_press(flz_mapping *mapping, flz_mapping_state *state,
                                  const flz_input_event *event, int32_t control,
                                  flz_config_rule rule, float velocity, uint64_t time_ns,
                                  flz_mapping_action *out)
{
  switch (rule.action) {
  case FLZ_CONFIG_PAD: {
    int32_t slot = flz_mapping_slot(mapping, rule.arg);
    if (slot < 0)
      return 0;
    int16_t key = atomic_load_explicit(&mapping->kit_keys[slot], memory_order_relaxed);
    if (atomic_load_explicit(&mapping->kit, memory_order_relaxed) && key < 0)
      return 0; /* past the multi-sample kit's pads */
    uint32_t channel = key >= 0 ? flz_mapping_note_channel(event->source, event->channel) : 0;
    out[0] = (flz_mapping_action){.type = FLZ_MAPPING_PLAY,
                                  .slot = (uint32_t)slot,
                                  .pad = key >= 0,
                                  .key = key >= 0 ? (uint32_t)key : 0,
                                  .channel = channel,
                                  .value = velocity,
                                  .time_ns = time_ns};
    flz_mapping_hold(state, event, control, &out[0]);
    return 1;
  }
  case FLZ_CONFIG_STOP_ALL:
    out[0] = (flz_mapping_action){.type = FLZ_MAPPING_STOP_ALL, .time_ns = time_ns};
    return 1;
  case FLZ_CONFIG_QUIT:
    out[0] = (flz_mapping_action){.type = FLZ_MAPPING_QUIT, .time_ns = time_ns};
    return 1;
  case FLZ_CONFIG_RECORD:
  case FLZ_CONFIG_PATTERN:
  case FLZ_CONFIG_METRONOME:
    out[0] = (flz_mapping_action){
      .type = rule.action == FLZ_CONFIG_RECORD    ? FLZ_MAPPING_RECORD
              : rule.action == FLZ_CONFIG_PATTERN ? FLZ_MAPPING_PATTERN
                                                  : FLZ_MAPPING_METRONOME,
      .slot = rule.action == FLZ_CONFIG_PATTERN ? rule.arg - 1u : rule.arg,
      .time_ns = time_ns};
    return 1;
  case FLZ_CONFIG_CHAIN:
    out[0] = (flz_mapping_action){.type = FLZ_MAPPING_CHAIN, .slot = rule.arg, .time_ns = time_ns};
    return 1;
  case FLZ_CONFIG_BANK_UP:
    flz_mapping_step_bank(mapping, 1);
    return 0;
  case FLZ_CONFIG_BANK_DOWN:
    flz_mapping_step_bank(mapping, -1);
    return 0;
  case FLZ_CONFIG_BANK:
    (void)flz_mapping_set_bank(mapping, rule.arg);
    return 0;
  case FLZ_CONFIG_REPEAT:
    out[0] = (flz_mapping_action){.type = FLZ_MAPPING_REPEAT, .slot = rule.arg, .time_ns = time_ns};
    flz_mapping_hold(state, event, control, &(flz_mapping_action){.slot = FLZ_MAPPING_REPEAT_HELD});
    return 1;
  case FLZ_CONFIG_RESAMPLE:
    atomic_store_explicit(&mapping->resample_ns, time_ns, memory_order_relaxed);
    atomic_store_explicit(&mapping->resample, rule.arg + 1u, memory_order_release);
    return 0;
  default:
    return 0;
  }
}

/* Releases everything the event's device held. */
static uint32_t flz_mapping_device_gone(flz_mapping_state *state, const flz_input_event *event,
                                        flz_mapping_action *out)
{
  uint32_t count = 0;
  for (uint32_t i = 0; i < FLZ_MAPPING_HELD; i++) {
    flz_mapping_held *h = &state->held[i];
    if (h->source != event->source || h->device != event->device)
      continue;
    out[count++] = flz_mapping_let_go(h, event->time_ns);
    h->source = 0;
  }
  return count;
}

/* A note on with a multi-sample kit's keys: every pad of the kit that takes
 * the key, each pressed with it; nothing for a key no pad takes. */
static uint32_t flz_mapping_kit_note(flz_mapping *mapping, flz_mapping_state *state,
                                     const flz_input_event *event, flz_mapping_action *out)
{
  uint32_t count = 0;
  for (uint32_t word = 0; word < FLZ_MAPPING_PAD_WORDS; word++) {
    uint64_t pads = atomic_load_explicit(&mapping->kit_notes[event->control][word],
                                         memory_order_relaxed);
    for (uint32_t bit = 0; pads != 0; bit++, pads >>= 1) {
      if ((pads & 1u) == 0)
        continue;
      out[count] = (flz_mapping_action){.type = FLZ_MAPPING_PLAY,
                                        .slot = word * 64 + bit,
                                        .pad = 1,
                                        .key = (uint32_t)event->control,
                                        .channel = event->channel + 1u,
                                        .value = event->value,
                                        .time_ns = event->time_ns};
      flz_mapping_hold(state, event, event->control, &out[count]);
      count++;
    }
  }
  return count;
}

static uint32_t flz_mapping_midi(flz_mapping *mapping, flz_mapping_state *state,
                                 const flz_input_event *event, flz_mapping_action *out)
{
  const flz_config *c = &mapping->config;
  if (event->type == FLZ_INPUT_DEVICE_REMOVED)
    return flz_mapping_device_gone(state, event, out);
  if (c->channel != 0 && event->channel != c->channel - 1)
    return 0;
  if (event->type == FLZ_INPUT_PRESSURE) {
    /* Poly pressure of a note that plays a pad, or channel pressure. */
    int32_t slot = -1;
    if (event->control < 0)
      slot = INT32_MAX;
    else if (event->control <= 127 && c->notes[event->control].action == FLZ_CONFIG_PAD)
      slot = flz_mapping_slot(mapping, c->notes[event->control].arg);
    if (slot < 0)
      return 0;
    out[0] = (flz_mapping_action){.type = FLZ_MAPPING_PRESSURE,
                                  .slot = slot == INT32_MAX ? UINT32_MAX : (uint32_t)slot,
                                  .value = event->value,
                                  .time_ns = event->time_ns};
    return 1;
  }
  if (event->control < 0 || event->control > 127)
    return 0;
  uint32_t raw = (uint32_t)lroundf(event->value * 127.0f);
  switch (event->type) {
  case FLZ_INPUT_PRESS:
    if (atomic_load_explicit(&mapping->kit, memory_order_relaxed) &&
        (!mapping->notes_given || c->notes[event->control].action == FLZ_CONFIG_NONE))
      return flz_mapping_kit_note(mapping, state, event, out);
    return flz_mapping_press(mapping, state, event, event->control, c->notes[event->control],
                             event->value, event->time_ns, out);
  case FLZ_INPUT_RELEASE:
    return flz_mapping_release(state, event, event->control, event->time_ns, out);
  case FLZ_INPUT_CONTROL_CHANGE: {
    flz_config_rule rule = c->cc[event->control];
    if (rule.action == FLZ_CONFIG_VOLUME) {
      float db = raw == 0 ? (float)FLZ_GAIN_DB_MIN : 40.0f * log10f((float)raw / 127.0f);
      out[0] = (flz_mapping_action){
        .type = FLZ_MAPPING_VOLUME, .value = db, .time_ns = event->time_ns};
      return 1;
    }
    if (rule.action == FLZ_CONFIG_BANK_SELECT) {
      (void)flz_mapping_set_bank(mapping, raw + 1);
      return 0;
    }
    /* A controller's own number is its "control": 128 + CC keeps it apart
     * from the note of the same number in the held record. */
    int32_t control = 128 + event->control;
    if (rule.action == FLZ_CONFIG_PAD) {
      if (raw == 0)
        return flz_mapping_release(state, event, control, event->time_ns, out);
      return flz_mapping_press(mapping, state, event, control, rule, event->value, event->time_ns,
                               out);
    }
    if (raw < 64)
      return rule.action == FLZ_CONFIG_REPEAT
               ? flz_mapping_release(state, event, control, event->time_ns, out)
               : 0;
    return flz_mapping_press(mapping, state, event, control, rule, 1.0f, event->time_ns, out);
  }
  case FLZ_INPUT_PROGRAM_CHANGE:
    if (c->program_bank)
      (void)flz_mapping_set_bank(mapping, (uint32_t)event->control + 1);
    return 0;
  default:
    return 0;
  }
}

static flz_mapping_controller *flz_mapping_controller_of(flz_mapping_state *state, int32_t device)
{
  for (uint32_t i = 0; i < FLZ_MAPPING_CONTROLLERS; i++)
    if (state->controllers[i].device == device)
      return &state->controllers[i];
  for (uint32_t i = 0; i < FLZ_MAPPING_CONTROLLERS; i++)
    if (state->controllers[i].device == -1) {
      memset(&state->controllers[i], 0, sizeof state->controllers[i]);
      state->controllers[i].device = device;
      return &state->controllers[i];
    }
  /* More controllers than tracked: the extra ones share a record. */
  return &state->controllers[(uint32_t)device % FLZ_MAPPING_CONTROLLERS];
}

/* Plays trigger `side`'s press from its window: velocity from its peak. */
static uint32_t flz_mapping_trigger_fire(flz_mapping *mapping, flz_mapping_state *state,
                                         int32_t device, int side, flz_mapping_trigger *trigger,
                                         flz_mapping_action *out)
{
  const flz_config *c = &mapping->config;
  float t = c->trigger_threshold;
  float velocity = (trigger->peak - t) / (1.0f - t);
  if (velocity < 1.0f / 127.0f)
    velocity = 1.0f / 127.0f;
  if (velocity > 1.0f)
    velocity = 1.0f;
  trigger->state = 2;
  int32_t control = side ? FLZ_CONFIG_RIGHT_TRIGGER : FLZ_CONFIG_LEFT_TRIGGER;
  flz_input_event owner = {.source = FLZ_SOURCE_GAMEPAD, .device = device};
  uint64_t time_ns = trigger->start_ns + (uint64_t)c->trigger_window_ms * 1000000u;
  return flz_mapping_press(mapping, state, &owner, control, c->buttons[control], velocity, time_ns,
                           out);
}

static uint32_t flz_mapping_axis(flz_mapping *mapping, flz_mapping_state *state,
                                 const flz_input_event *event, flz_mapping_action *out)
{
  if (event->control != FLZ_AXIS_TRIGGER_LEFT && event->control != FLZ_AXIS_TRIGGER_RIGHT)
    return 0;
  const flz_config *c = &mapping->config;
  int side = event->control == FLZ_AXIS_TRIGGER_RIGHT;
  flz_mapping_controller *pad = flz_mapping_controller_of(state, event->device);
  flz_mapping_trigger *trigger = &pad->triggers[side];
  uint64_t window_ns = (uint64_t)c->trigger_window_ms * 1000000u;
  uint32_t count = 0;
  if (trigger->state == 1 && event->time_ns > trigger->start_ns + window_ns)
    count += flz_mapping_trigger_fire(mapping, state, event->device, side, trigger, out);
  if (trigger->state == 0 && event->value >= c->trigger_threshold) {
    trigger->state = 1;
    trigger->peak = event->value;
    trigger->start_ns = event->time_ns;
    if (window_ns == 0)
      count += flz_mapping_trigger_fire(mapping, state, event->device, side, trigger, out + count);
  } else if (trigger->state == 1 && event->value > trigger->peak) {
    trigger->peak = event->value;
  }
  if (event->value < c->trigger_threshold * 0.5f) {
    if (trigger->state == 1)
      count += flz_mapping_trigger_fire(mapping, state, event->device, side, trigger, out + count);
    if (trigger->state == 2) {
      trigger->state = 0;
      int32_t control = side ? FLZ_CONFIG_RIGHT_TRIGGER : FLZ_CONFIG_LEFT_TRIGGER;
      /* Never before the press it releases (let go inside the window). */
      uint64_t played_ns = trigger->start_ns + window_ns;
      uint64_t time_ns = event->time_ns > played_ns ? event->time_ns : played_ns;
      count += flz_mapping_release(state, event, control, time_ns, out + count);
    }
  }
  return count;
}

static uint32_t flz_mapping_gamepad(flz_mapping *mapping, flz_mapping_state *state,
                                    const flz_input_event *event, flz_mapping_action *out)
{
  const flz_config *c = &mapping->config;
  if (event->type == FLZ_INPUT_AXIS)
    return flz_mapping_axis(mapping, state, event, out);
  if (event->type == FLZ_INPUT_DEVICE_ADDED || event->type == FLZ_INPUT_DEVICE_REMOVED) {
    flz_mapping_controller *pad = flz_mapping_controller_of(state, event->device);
    memset(pad, 0, sizeof *pad);
    pad->device = event->type == FLZ_INPUT_DEVICE_ADDED ? event->device : -1;
    return event->type == FLZ_INPUT_DEVICE_REMOVED ? flz_mapping_device_gone(state, event, out) : 0;
  }
  if (event->control < 0 || event->control >= FLZ_BUTTON_COUNT)
    return 0;
  flz_mapping_controller *pad = flz_mapping_controller_of(state, event->device);
  uint32_t bit = 1u << event->control;
  if (event->type == FLZ_INPUT_RELEASE) {
    pad->buttons &= ~bit;
    return flz_mapping_release(state, event, event->control, event->time_ns, out);
  }
  if (event->type != FLZ_INPUT_PRESS)
    return 0;
  flz_config_rule rule = c->buttons[event->control];
  for (uint32_t i = 0; i < c->combo_count; i++)
    if (c->combos[i].button == event->control && (pad->buttons & (1u << c->combos[i].modifier))) {
      rule = c->combos[i].rule;
      break;
    }
  pad->buttons |= bit;
  return flz_mapping_press(mapping, state, event, event->control, rule, c->velocity, event->time_ns,
                           out);
}

uint32_t flz_mapping_event(flz_mapping *mapping, flz_mapping_state *state,
                           const flz_input_event *event, flz_mapping_action *out)
{
  switch (event->source) {
  case FLZ_SOURCE_MIDI:
    return flz_mapping_midi(mapping, state, event, out);
  case FLZ_SOURCE_GAMEPAD:
    return flz_mapping_gamepad(mapping, state, event, out);
  case FLZ_SOURCE_KEYBOARD:
    if (event->control <= 0 || event->control >= FLZ_CONFIG_KEYS)
      return 0;
    if (event->type == FLZ_INPUT_PRESS)
      return flz_mapping_press(mapping, state, event, event->control,
                               mapping->config.keys[event->control], event->value, event->time_ns,
                               out);
    if (event->type == FLZ_INPUT_RELEASE)
      return flz_mapping_release(state, event, event->control, event->time_ns, out);
    return 0;
  case FLZ_SOURCE_SIGNAL: /* SIGINT, SIGTERM, SIGHUP: quit */
  case FLZ_SOURCE_WINDOW:
    if (event->type == FLZ_INPUT_QUIT) {
      out[0] = (flz_mapping_action){.type = FLZ_MAPPING_QUIT, .time_ns = event->time_ns};
      return 1;
    }
    if (event->control < 0)
      return 0;
    if (event->type == FLZ_INPUT_PRESS)
      return flz_mapping_press(mapping, state, event, event->control,
                               (flz_config_rule){FLZ_CONFIG_PAD, (uint16_t)(event->control + 1)},
                               event->value, event->time_ns, out);
    if (event->type == FLZ_INPUT_RELEASE)
      return flz_mapping_release(state, event, event->control, event->time_ns, out);
    return 0;
  default:
    return 0;
  }
}

uint32_t flz_mapping_tick(flz_mapping *mapping, flz_mapping_state *state, uint64_t now_ns,
                          flz_mapping_action *out)
{
  uint64_t window_ns = (uint64_t)mapping->config.trigger_window_ms * 1000000u;
  uint32_t count = 0;
  for (uint32_t i = 0; i < FLZ_MAPPING_CONTROLLERS; i++) {
    flz_mapping_controller *pad = &state->controllers[i];
    for (int side = 0; side < 2; side++) {
      flz_mapping_trigger *trigger = &pad->triggers[side];
      if (pad->device != -1 && trigger->state == 1 && now_ns >= trigger->start_ns + window_ns)
        count += flz_mapping_trigger_fire(mapping, state, pad->device, side, trigger, out + count);
    }
  }
  return count;
}

uint64_t flz_mapping_deadline(const flz_mapping *mapping, const flz_mapping_state *state)
{
  uint64_t window_ns = (uint64_t)mapping->config.trigger_window_ms * 1000000u;
  uint64_t earliest = 0;
  for (uint32_t i = 0; i < FLZ_MAPPING_CONTROLLERS; i++) {
    const flz_mapping_controller *pad = &state->controllers[i];
    for (int side = 0; side < 2; side++) {
      uint64_t end = pad->triggers[side].start_ns + window_ns;
      if (pad->device != -1 && pad->triggers[side].state == 1 && (earliest == 0 || end < earliest))
        earliest = end;
    }
  }
  return earliest;
}
