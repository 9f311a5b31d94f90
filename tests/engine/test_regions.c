/* tests/engine/test_regions.c: multi-sample pads in the engine, frame by
 * frame: the velocity layer at each boundary, the round-robin order, random
 * ranges from the seed, transposition over keys, release regions, the
 * envelope against its formula, the three choke fades (each voice by its
 * own region's off_mode), a pad choking others only or itself too, and a
 * pad's polyphony. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/result.h"

#define OUT_FRAMES 200000u
#define SAMPLE_FRAMES 100000u

static flz_engine engine;
static float ramp_src[SAMPLE_FRAMES]; /* distinct dyadic values */
static float half[SAMPLE_FRAMES];     /* 0.5 everywhere */
static float quarter[SAMPLE_FRAMES];  /* 0.25 everywhere */
static float other_half[16];          /* other frames, for a slot sharing a region */
static float out[OUT_FRAMES * 2];
static uint64_t rendered;
static flz_event events[512];
static uint32_t event_count;

static int setup(void **state)
{
  (void)state;
  assert_int_equal(flz_engine_init(&engine, NULL), FLZ_OK);
  memset(out, 0, sizeof out);
  rendered = 0;
  event_count = 0;
  for (uint32_t i = 0; i < SAMPLE_FRAMES; i++) {
    ramp_src[i] = (float)((i % 1000) + 1) / 1024.0f;
    half[i] = 0.5f;
    quarter[i] = 0.25f;
  }
  return 0;
}

static void send(flz_command command)
{
  assert_int_equal(flz_engine_send(&engine, FLZ_PRODUCER_CONTROL, &command), FLZ_OK);
}

static void load(uint32_t slot, const float *data, uint32_t frames)
{
  flz_command command = {.type = FLZ_COMMAND_LOAD_SAMPLE, .slot = slot};
  command.sample = (flz_sample){.data = data, .frame_count = frames, .channels = 1};
  send(command);
}

/* A region of slot `slot` with no velocity tracking (gain 1 at any velocity). */
static flz_region region_of(uint32_t slot)
{
  flz_region region;
  flz_engine_region_default(&region, slot);
  region.veltrack = 0.0f;
  return region;
}

static void set_region(uint32_t index, flz_region region)
{
  flz_command command = {.type = FLZ_COMMAND_SET_REGION, .slot = index};
  command.region = region;
  send(command);
}

static void set_pad(uint32_t pad, flz_pad_params params)
{
  flz_command command = {.type = FLZ_COMMAND_SET_PAD, .slot = pad};
  command.pad = params;
  send(command);
}

static void press(uint32_t pad, uint32_t key, uint32_t velocity)
{
  send((flz_command){
    .type = FLZ_COMMAND_PLAY_PAD, .slot = pad, .offset = key, .value = (float)velocity / 127.0f});
}

static void release(uint32_t pad, uint32_t key)
{
  send((flz_command){.type = FLZ_COMMAND_RELEASE_PAD, .slot = pad, .offset = key});
}

static void render_to(uint64_t to)
{
  while (rendered < to) {
    uint32_t n = to - rendered < 256 ? (uint32_t)(to - rendered) : 256;
    flz_engine_render(&engine, out + 2 * rendered, n, 2, 0);
    rendered += n;
    flz_event event;
    while (flz_engine_receive(&engine, &event))
      if (event.type != FLZ_EVENT_METER && event_count < 512)
        events[event_count++] = event;
  }
}

/* The slot of the `n`th VOICE_STARTED event (0-based); UINT32_MAX if none. */
static uint32_t started_slot(uint32_t n)
{
  for (uint32_t i = 0; i < event_count; i++)
    if (events[i].type == FLZ_EVENT_VOICE_STARTED && n-- == 0)
      return events[i].slot;
  return UINT32_MAX;
}

static uint32_t started_count(void)
{
  uint32_t count = 0;
  for (uint32_t i = 0; i < event_count; i++)
    count += events[i].type == FLZ_EVENT_VOICE_STARTED;
  return count;
}

static void each_velocity_plays_its_layer_at_both_sides_of_every_boundary(void **state)
{
  (void)state;
  /* Three layers of one pad: 1..40, 41..100, 101..127, each its own slot. */
  static const uint8_t low[] = {1, 41, 101}, high[] = {40, 100, 127};
  for (uint32_t r = 0; r < 3; r++) {
    load(r, ramp_src, 1000);
    flz_region region = region_of(r);
    region.lovel = low[r];
    region.hivel = high[r];
    set_region(10 + r, region);
  }
  set_pad(0, (flz_pad_params){.first = 10, .count = 3});
  static const uint32_t velocities[] = {1, 40, 41, 100, 101, 127};
  static const uint32_t layers[] = {0, 0, 1, 1, 2, 2};
  for (uint32_t i = 0; i < 6; i++) {
    press(0, 60, velocities[i]);
    render_to(rendered + 10);
  }
  assert_int_equal(started_count(), 6);
  for (uint32_t i = 0; i < 6; i++)
    assert_int_equal(started_slot(i), layers[i]);
  /* The layer plays its sample as it is: gain 1, keycenter 60, key 60. */
  for (uint32_t f = 0; f < 10; f++)
    assert_true(out[2 * f] == ramp_src[f]);
}

static void round_robin_regions_play_in_their_order_and_wrap(void **state)
{
  (void)state;
  for (uint32_t r = 0; r < 3; r++) {
    load(r, ramp_src, 1000);
    flz_region region = region_of(r);
    region.seq_position = (uint8_t)(r + 1);
    set_region(r, region);
  }
  set_pad(3, (flz_pad_params){.first = 0, .count = 3, .seq_length = 3});
  for (uint32_t i = 0; i < 7; i++) {
    press(3, 60, 100);
    render_to(rendered + 5);
  }
  for (uint32_t i = 0; i < 7; i++)
    assert_int_equal(started_slot(i), i % 3);
}

/* The engine's xorshift32 as its header describes it. */
static float next_random(uint32_t *x)
{
  *x ^= *x << 13;
  *x ^= *x >> 17;
  *x ^= *x << 5;
  return (float)(*x >> 8) * (1.0f / 16777216.0f);
}

static void random_ranges_follow_the_seed(void **state)
{
  (void)state;
  for (uint32_t r = 0; r < 2; r++) {
    load(r, ramp_src, 1000);
    flz_region region = region_of(r);
    region.lorand = r == 0 ? 0.0f : 0.5f;
    region.hirand = r == 0 ? 0.5f : 1.0f;
    set_region(r, region);
  }
  set_pad(0, (flz_pad_params){.count = 2});
  send((flz_command){.type = FLZ_COMMAND_SET_SEED, .offset = 1234});
  for (uint32_t i = 0; i < 40; i++) {
    press(0, 60, 100);
    render_to(rendered + 3);
  }
  assert_int_equal(started_count(), 40);
  uint32_t x = 1234, seen[2] = {0, 0};
  for (uint32_t i = 0; i < 40; i++) {
    uint32_t expected = next_random(&x) < 0.5f ? 0 : 1;
    assert_int_equal(started_slot(i), expected);
    seen[expected]++;
  }
  assert_true(seen[0] > 0 && seen[1] > 0);
}

static void a_key_an_octave_above_the_keycenter_plays_at_twice_the_rate(void **state)
{
  (void)state;
  send((flz_command){.type = FLZ_COMMAND_SET_INTERPOLATION, .offset = FLZ_INTERPOLATION_LINEAR});
  load(0, ramp_src, 10000);
  flz_region region = region_of(0);
  region.lokey = 48;
  region.hikey = 84;
  region.keycenter = 60;
  set_region(0, region);
  set_pad(0, (flz_pad_params){.count = 1});
  press(0, 72, 100);
  render_to(2000);
  for (uint32_t f = 0; f < 2000; f++)
    assert_true(out[2 * f] == ramp_src[2 * f]);
  /* A key outside lokey..hikey plays nothing. */
  press(0, 85, 100);
  render_to(2100);
  assert_int_equal(started_count(), 1);
}

static void a_release_region_sounds_on_the_release_at_the_press_velocity(void **state)
{
  (void)state;
  load(0, half, 1000);
  load(1, quarter, 1000);
  flz_region attack = region_of(0);
  attack.loop_mode = FLZ_LOOP_ONE_SHOT;
  set_region(0, attack);
  flz_region rel = region_of(1);
  rel.trigger = FLZ_TRIGGER_RELEASE;
  rel.lovel = 90; /* takes the press's velocity 100, not a release velocity */
  set_region(1, rel);
  set_pad(0, (flz_pad_params){.count = 2});
  press(0, 60, 100);
  render_to(300);
  release(0, 60);
  render_to(2000);
  assert_int_equal(started_count(), 2);
  assert_int_equal(started_slot(0), 0);
  assert_int_equal(started_slot(1), 1);
  /* The one-shot plays on through the release; the release region starts at
   * frame 300 exactly. */
  for (uint32_t f = 0; f < 300; f++)
    assert_true(out[2 * f] == 0.5f);
  for (uint32_t f = 300; f < 1000; f++)
    assert_true(out[2 * f] == 0.75f);
  for (uint32_t f = 1000; f < 1300; f++)
    assert_true(out[2 * f] == 0.25f);
  assert_true(out[2 * 1300] == 0.0f);
}

/* The gain k frames before the end of a ramp from `from` to `to` over `n`
 * frames, as the engine's ramps compute it (engine.c flz_engine_ramp). */
static float ramp_gain(float from, float to, uint32_t n, uint32_t k)
{
  return to + (from - to) / (float)n * (float)k;
}

static void the_envelope_follows_attack_hold_decay_sustain_release(void **state)
{
  (void)state;
  load(0, half, SAMPLE_FRAMES);
  flz_region region = region_of(0);
  region.attack_ms = 10.0f; /* 480 frames at 48 kHz */
  region.hold_ms = 5.0f;    /* 240 */
  region.decay_ms = 20.0f;  /* 960 */
  region.sustain = 0.25f;
  region.release_ms = 50.0f; /* 2400 */
  set_region(0, region);
  set_pad(0, (flz_pad_params){.count = 1});
  press(0, 60, 127);
  render_to(5000);
  release(0, 60);
  render_to(9000);
  const uint32_t a = 480, h = 240, d = 960, r = 2400;
  for (uint32_t i = 0; i < a; i++)
    assert_float_equal(out[2 * i], 0.5f * ramp_gain(0.0f, 1.0f, a, a - 1 - i), 1e-7);
  assert_true(out[2 * (a - 1)] == 0.5f); /* the attack lands on the peak */
  for (uint32_t i = a; i < a + h; i++)
    assert_true(out[2 * i] == 0.5f);
  for (uint32_t i = 0; i < d; i++)
    assert_float_equal(out[2 * (a + h + i)], 0.5f * ramp_gain(1.0f, 0.25f, d, d - 1 - i), 1e-7);
  for (uint32_t i = a + h + d; i < 5000; i++)
    assert_true(out[2 * i] == 0.125f);
  for (uint32_t i = 0; i < r; i++)
    assert_float_equal(out[2 * (5000 + i)], 0.5f * ramp_gain(0.25f, 0.0f, r, r - 1 - i), 1e-7);
  for (uint32_t i = 5000 + r; i < 9000; i++)
    assert_true(out[2 * i] == 0.0f);
  uint32_t ended = 0;
  for (uint32_t i = 0; i < event_count; i++)
    if (events[i].type == FLZ_EVENT_VOICE_ENDED) {
      assert_int_equal(events[i].frame, 5000 + r);
      ended++;
    }
  assert_int_equal(ended, 1);
}

/* Pad 0 (0.5 constant, release 10 ms) is choked by pad 1's group (0.25
 * constant) at frame 1000: pad 0 fades over `frames`. */
static void check_choke(uint32_t off_mode, float off_time_ms, uint32_t frames)
{
  load(0, half, SAMPLE_FRAMES);
  load(1, quarter, SAMPLE_FRAMES);
  flz_region open = region_of(0);
  open.release_ms = 10.0f;
  open.off_mode = (uint8_t)off_mode;
  open.off_time_ms = off_time_ms;
  set_region(0, open);
  set_region(1, region_of(1));
  set_pad(0, (flz_pad_params){.first = 0, .count = 1, .off_by = 7});
  set_pad(1, (flz_pad_params){.first = 1, .count = 1, .group = 7});
  press(0, 60, 100);
  render_to(1000);
  press(1, 60, 100);
  render_to(1000 + frames + 100);
  for (uint32_t f = 0; f < 1000; f++)
    assert_true(out[2 * f] == 0.5f);
  for (uint32_t k = 0; k < frames; k++)
    assert_float_equal(out[2 * (1000 + k)],
                       0.5f * ramp_gain(1.0f, 0.0f, frames, frames - 1 - k) + 0.25f, 1e-7);
  for (uint32_t f = 1000 + frames; f < 1000 + frames + 100; f++)
    assert_true(out[2 * f] == 0.25f);
}

static void a_choke_fades_fast_by_default(void **state)
{
  (void)state;
  check_choke(FLZ_OFF_FAST, 0.0f, engine.fade_frames);
}

static void a_choke_off_mode_normal_fades_by_the_release(void **state)
{
  (void)state;
  check_choke(FLZ_OFF_NORMAL, 0.0f, 480);
}

static void a_choke_off_mode_time_fades_over_off_time(void **state)
{
  (void)state;
  check_choke(FLZ_OFF_TIME, 30.0f, 1440);
}

/* Pad 0 sounds two regions at once, 0.5 (off_mode normal, release 10 ms:
 * 480 frames) and 0.25 (off_mode time, off_time 30 ms: 1440 frames); pad
 * 1's group chokes them at frame 1000 while it plays 0.25: each voice fades
 * by its own region's mode. */
static void each_choked_voice_fades_by_its_own_regions_off_mode(void **state)
{
  (void)state;
  load(0, half, SAMPLE_FRAMES);
  load(1, quarter, SAMPLE_FRAMES);
  load(2, quarter, SAMPLE_FRAMES);
  flz_region normal = region_of(0), timed = region_of(1);
  normal.release_ms = 10.0f;
  normal.off_mode = FLZ_OFF_NORMAL;
  timed.release_ms = 10.0f;
  timed.off_mode = FLZ_OFF_TIME;
  timed.off_time_ms = 30.0f;
  set_region(0, normal);
  set_region(1, timed);
  set_region(2, region_of(2));
  set_pad(0, (flz_pad_params){.first = 0, .count = 2, .off_by = 7});
  set_pad(1, (flz_pad_params){.first = 2, .count = 1, .group = 7});
  press(0, 60, 100);
  render_to(1000);
  press(1, 60, 100);
  render_to(3000);
  for (uint32_t f = 0; f < 1000; f++)
    assert_true(out[2 * f] == 0.75f);
  for (uint32_t k = 0; k < 1440; k++) {
    float want = (k < 480 ? 0.5f * ramp_gain(1.0f, 0.0f, 480, 479 - k) : 0.0f) +
                 0.25f * ramp_gain(1.0f, 0.0f, 1440, 1439 - k) + 0.25f;
    assert_float_equal(out[2 * (1000 + k)], want, 1e-7);
  }
  for (uint32_t f = 2440; f < 3000; f++)
    assert_true(out[2 * f] == 0.25f);
}

/* Pads 0 (0.25) and 1 (0.5) share group and off_by 7. With `others_only`
 * (Hydrogen's mute group) pad 0 pressed again at frame 1000 keeps its first
 * voice ringing (0.5); pad 1 at 2000 chokes both (the engine's fade). Without
 * (SFZ's group = off_by, SF2's exclusive class) the second press fades the
 * first voice. */
static void check_self_choke(uint8_t others_only)
{
  load(0, quarter, SAMPLE_FRAMES);
  load(1, half, SAMPLE_FRAMES);
  set_region(0, region_of(0));
  set_region(1, region_of(1));
  set_pad(0, (flz_pad_params){
               .first = 0, .count = 1, .group = 7, .off_by = 7, .choke_others = others_only});
  set_pad(1, (flz_pad_params){
               .first = 1, .count = 1, .group = 7, .off_by = 7, .choke_others = others_only});
  press(0, 60, 100);
  render_to(1000);
  press(0, 60, 100);
  render_to(2000);
  press(1, 60, 100);
  render_to(3000);
  uint32_t fade = engine.fade_frames;
  for (uint32_t f = 0; f < 1000; f++)
    assert_true(out[2 * f] == 0.25f);
  if (others_only) {
    for (uint32_t f = 1000; f < 2000; f++)
      assert_true(out[2 * f] == 0.5f);
    for (uint32_t k = 0; k < fade; k++)
      assert_float_equal(out[2 * (2000 + k)],
                         2.0f * 0.25f * ramp_gain(1.0f, 0.0f, fade, fade - 1 - k) + 0.5f, 1e-7);
  } else {
    for (uint32_t k = 0; k < fade; k++)
      assert_float_equal(out[2 * (1000 + k)],
                         0.25f * ramp_gain(1.0f, 0.0f, fade, fade - 1 - k) + 0.25f, 1e-7);
    for (uint32_t f = 1000 + fade; f < 2000; f++)
      assert_true(out[2 * f] == 0.25f);
    for (uint32_t k = 0; k < fade; k++)
      assert_float_equal(out[2 * (2000 + k)],
                         0.25f * ramp_gain(1.0f, 0.0f, fade, fade - 1 - k) + 0.5f, 1e-7);
  }
  for (uint32_t f = 2000 + fade; f < 3000; f++)
    assert_true(out[2 * f] == 0.5f);
}

static void a_pad_choking_others_only_keeps_its_own_voices_ringing(void **state)
{
  (void)state;
  check_self_choke(1);
}

static void a_pad_whose_group_is_its_off_by_chokes_its_own_voices(void **state)
{
  (void)state;
  check_self_choke(0);
}

static void note_polyphony_fades_the_oldest_voice_of_the_pad(void **state)
{
  (void)state;
  load(0, half, SAMPLE_FRAMES);
  set_region(0, region_of(0));
  set_pad(0, (flz_pad_params){.count = 1, .polyphony = 2});
  press(0, 60, 100);
  render_to(100);
  press(0, 60, 100);
  render_to(200);
  press(0, 60, 100); /* the first voice fades (fast); two stay */
  render_to(2000);
  uint32_t fade = engine.fade_frames;
  for (uint32_t f = 100; f < 200; f++)
    assert_true(out[2 * f] == 1.0f);
  for (uint32_t k = 0; k < fade; k++)
    assert_float_equal(out[2 * (200 + k)],
                       fminf(1.0f, 0.5f * ramp_gain(1.0f, 0.0f, fade, fade - 1 - k) + 1.0f), 1e-7);
  assert_true(out[2 * 1999] == 1.0f); /* two voices of 0.5 */
  flz_engine_counters counters;
  flz_engine_counters_get(&engine, &counters);
  assert_int_equal(counters.voices_active, 2);
}

static void a_loop_sustain_region_loops_while_held_and_plays_out_after(void **state)
{
  (void)state;
  load(0, ramp_src, 1000);
  flz_command set = {.type = FLZ_COMMAND_SET_SLOT, .slot = 0};
  set.params = (flz_slot_params){.loop_start = 200, .loop_end = 400};
  send(set);
  flz_region region = region_of(0);
  region.loop_mode = FLZ_LOOP_SUSTAIN;
  region.release_ms = 100.0f; /* 4800 frames: longer than what is left */
  set_region(0, region);
  set_pad(0, (flz_pad_params){.count = 1});
  press(0, 60, 100);
  render_to(1000); /* 400 + 3 loops: at 200 again */
  release(0, 60);
  render_to(3000);
  for (uint32_t f = 0; f < 1000; f++)
    assert_true(out[2 * f] == ramp_src[f < 400 ? f : 200 + (f - 400) % 200]);
  /* Released at loop position 200: plays 200..999 once, fading, then ends. */
  for (uint32_t k = 0; k < 800; k++)
    assert_float_equal(out[2 * (1000 + k)],
                       ramp_src[200 + k] * ramp_gain(1.0f, 0.0f, 4800, 4799 - k), 1e-7);
  assert_true(out[2 * 1800] == 0.0f);
}

static void a_pads_velocity_curve_gives_the_gain(void **state)
{
  (void)state;
  load(0, half, 1000);
  set_region(0, region_of(0));
  for (uint32_t v = 0; v < 128; v += FLZ_VELCURVE_CHUNK) {
    flz_command curve = {.type = FLZ_COMMAND_SET_VELCURVE, .slot = 0, .offset = v};
    for (uint32_t i = 0; i < FLZ_VELCURVE_CHUNK; i++)
      curve.curve[i] = (float)(v + i) / 128.0f; /* dyadic: exact */
    send(curve);
  }
  set_pad(0, (flz_pad_params){.count = 1, .velcurve = 1});
  press(0, 60, 100);
  render_to(10);
  assert_true(out[0] == 0.5f * 100.0f / 128.0f);
}

/* Every slot published, then replaced: each old pool region is retired
 * exactly once, and a region two slots publish only once both let it go.
 * (The engine keeps the published regions in a hash set, engine.c.) */
static void replacing_every_slot_retires_each_region_once_when_no_slot_holds_it(void **state)
{
  (void)state;
  static uint8_t retired[3 * FLZ_SLOTS + 2];
  memset(retired, 0, sizeof retired);
  for (uint32_t round = 0; round < 2; round++)
    for (uint32_t s = 0; s < FLZ_SLOTS; s++) {
      /* round 0: slots 2k and 2k+1 share region k + 1; round 1: own regions */
      uint32_t region = round == 0 ? s / 2 + 1 : FLZ_SLOTS + s + 1;
      flz_command command = {.type = FLZ_COMMAND_LOAD_SAMPLE, .slot = s};
      command.sample = (flz_sample){
        .data = round == 0 ? half : quarter, .frame_count = 10, .channels = 1, .region = region};
      while (flz_engine_send(&engine, FLZ_PRODUCER_CONTROL, &command) != FLZ_OK)
        flz_engine_render(&engine, out, 256, 2, 0);
      flz_event event;
      while (flz_engine_receive(&engine, &event))
        if (event.type == FLZ_EVENT_SLOT_RETIRED) {
          assert_true(event.region < sizeof retired);
          retired[event.region]++;
        }
    }
  for (uint32_t i = 0; i < 8; i++) {
    flz_engine_render(&engine, out, 256, 2, 0);
    flz_event event;
    while (flz_engine_receive(&engine, &event))
      if (event.type == FLZ_EVENT_SLOT_RETIRED)
        retired[event.region]++;
  }
  for (uint32_t region = 1; region <= FLZ_SLOTS / 2; region++)
    assert_int_equal(retired[region], 1);
  for (uint32_t region = FLZ_SLOTS / 2 + 1; region < sizeof retired; region++)
    assert_int_equal(retired[region], 0);
}

/* Regions whose hash places collide (multiples of the set's size all start
 * at place 0): letting them go in publication order must still find the
 * later ones, so each is retired once, and the one another slot still
 * publishes not at all. */
static void colliding_regions_are_each_retired_once(void **state)
{
  (void)state;
  enum { COUNT = 64 };
  uint32_t retired[COUNT + 1] = {0};
  for (uint32_t round = 0; round < 2; round++)
    for (uint32_t s = 0; s < COUNT; s++) {
      if (round == 1 && s == 0) {
        /* Slot COUNT also publishes region 3 x size, third in the run. */
        flz_command keep = {.type = FLZ_COMMAND_LOAD_SAMPLE, .slot = COUNT};
        keep.sample = (flz_sample){
          .data = other_half, .frame_count = 10, .channels = 1, .region = 3 * FLZ_PUBLISHED_SIZE};
        send(keep);
      }
      uint32_t region = round == 0 ? (s + 1) * FLZ_PUBLISHED_SIZE : s + 1;
      flz_command command = {.type = FLZ_COMMAND_LOAD_SAMPLE, .slot = s};
      command.sample = (flz_sample){
        .data = round == 0 ? half : quarter, .frame_count = 10, .channels = 1, .region = region};
      send(command);
      flz_engine_render(&engine, out, 16, 2, 0);
      flz_event event;
      while (flz_engine_receive(&engine, &event))
        if (event.type == FLZ_EVENT_SLOT_RETIRED) {
          assert_int_equal(event.region % FLZ_PUBLISHED_SIZE, 0);
          retired[event.region / FLZ_PUBLISHED_SIZE]++;
        }
    }
  for (uint32_t k = 1; k <= COUNT; k++)
    assert_int_equal(retired[k], k == 3 ? 0 : 1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(each_velocity_plays_its_layer_at_both_sides_of_every_boundary, setup),
    cmocka_unit_test_setup(round_robin_regions_play_in_their_order_and_wrap, setup),
    cmocka_unit_test_setup(random_ranges_follow_the_seed, setup),
    cmocka_unit_test_setup(a_key_an_octave_above_the_keycenter_plays_at_twice_the_rate, setup),
    cmocka_unit_test_setup(a_release_region_sounds_on_the_release_at_the_press_velocity, setup),
    cmocka_unit_test_setup(the_envelope_follows_attack_hold_decay_sustain_release, setup),
    cmocka_unit_test_setup(a_choke_fades_fast_by_default, setup),
    cmocka_unit_test_setup(a_choke_off_mode_normal_fades_by_the_release, setup),
    cmocka_unit_test_setup(a_choke_off_mode_time_fades_over_off_time, setup),
    cmocka_unit_test_setup(each_choked_voice_fades_by_its_own_regions_off_mode, setup),
    cmocka_unit_test_setup(a_pad_choking_others_only_keeps_its_own_voices_ringing, setup),
    cmocka_unit_test_setup(a_pad_whose_group_is_its_off_by_chokes_its_own_voices, setup),
    cmocka_unit_test_setup(note_polyphony_fades_the_oldest_voice_of_the_pad, setup),
    cmocka_unit_test_setup(a_loop_sustain_region_loops_while_held_and_plays_out_after, setup),
    cmocka_unit_test_setup(a_pads_velocity_curve_gives_the_gain, setup),
    cmocka_unit_test_setup(replacing_every_slot_retires_each_region_once_when_no_slot_holds_it,
                           setup),
    cmocka_unit_test_setup(colliding_regions_are_each_retired_once, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
