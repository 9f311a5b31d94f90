/* tests/engine/test_resample.c: the engine's resampling (engine/resample.h)
 * frame by frame: a recording of the master output holds the very floats
 * the output got, from the command's frame, for N bars at the tempo; it is
 * published in its slot when it ends and plays back bit for bit; a stop
 * ends it at its frame; a full memory cuts it and says so; a slot's
 * recording holds that slot's voices alone; nothing recorded retires the
 * memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/result.h"

#define RATE 48000u
#define OUT_FRAMES 400000u
#define BAR_120 (4u * RATE / 2u) /* a bar of 4 beats at 120 BPM, frames */

static flz_engine engine;
static float src[100000];
static float other[100000];
static float out[OUT_FRAMES * 2];
static float memory[OUT_FRAMES * 2];
static uint64_t rendered;
static flz_event events[1024];
static uint32_t event_count;

static int setup(void **state)
{
  (void)state;
  assert_int_equal(flz_engine_init(&engine, NULL), FLZ_OK);
  memset(out, 0, sizeof out);
  memset(memory, 0, sizeof memory);
  rendered = 0;
  event_count = 0;
  for (uint32_t i = 0; i < sizeof src / sizeof src[0]; i++) {
    src[i] = 0.6f * sinf((float)i * 0.01f);
    other[i] = 0.7f * sinf((float)i * 0.0037f + 1.0f);
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

static void press(uint32_t slot, float velocity)
{
  send((flz_command){.type = FLZ_COMMAND_PLAY_SAMPLE, .slot = slot, .value = velocity});
}

static void resample(uint32_t slot, uint32_t source, uint32_t index, float bars, uint32_t capacity,
                     uint32_t region)
{
  flz_command command = {.type = FLZ_COMMAND_RESAMPLE, .slot = slot};
  command.resample = (flz_resample_request){.data = memory,
                                            .capacity = capacity,
                                            .channels = 2,
                                            .region = region,
                                            .source = source,
                                            .index = index,
                                            .bars = bars};
  send(command);
}

/* Renders up to frame `to` in periods of 100 frames (so a recording starts
 * and ends inside the engine's mix steps, not on them), collecting events. */
static void render_to(uint64_t to)
{
  while (rendered < to) {
    uint32_t n = to - rendered < 100 ? (uint32_t)(to - rendered) : 100;
    flz_engine_render(&engine, out + 2 * rendered, n, 2, 0);
    rendered += n;
    flz_event event;
    while (flz_engine_receive(&engine, &event))
      if (event.type != FLZ_EVENT_METER && event_count < 1024)
        events[event_count++] = event;
  }
}

static const flz_event *find(uint32_t type)
{
  for (uint32_t i = 0; i < event_count; i++)
    if (events[i].type == type)
      return &events[i];
  return NULL;
}

static void a_master_recording_holds_the_output_bit_for_bit_and_plays_back(void **state)
{
  (void)state;
  load(0, src, 100000);
  load(1, other, 100000);
  send((flz_command){.type = FLZ_COMMAND_SET_VOLUME, .value = -3.0f});
  press(0, 0.9f);
  render_to(1000);
  press(1, 1.0f);
  resample(5, FLZ_RESAMPLE_MASTER, 0, 1.0f, OUT_FRAMES, 77);
  render_to(1500);
  send((flz_command){.type = FLZ_COMMAND_SET_VOLUME, .value = 0.0f}); /* a ramp inside it */
  render_to(1000 + BAR_120 + 250);

  const flz_event *done = find(FLZ_EVENT_RESAMPLED);
  assert_non_null(done);
  assert_int_equal(done->slot, 5);
  assert_int_equal(done->voice, BAR_120);
  assert_int_equal(done->region, 77);
  assert_int_equal(done->frame, 1000 + BAR_120);
  assert_true(done->value == 0.0f);
  const flz_event *loaded = find(FLZ_EVENT_SLOT_LOADED);
  for (uint32_t i = 0; i < event_count; i++)
    if (events[i].type == FLZ_EVENT_SLOT_LOADED && events[i].slot == 5)
      loaded = &events[i];
  assert_int_equal(loaded->slot, 5);
  assert_int_equal(loaded->frame, 1000 + BAR_120);
  /* The recording is the output from the command's frame, float for float. */
  assert_memory_equal(memory, out + 2 * 1000, sizeof(float) * 2 * BAR_120);
  assert_true(memory[2 * 500] != 0.0f);
  assert_true(engine.slots[5].data == memory && engine.slots[5].frame_count == BAR_120);

  /* Alone, the recorded slot plays it back as it was heard. */
  send((flz_command){.type = FLZ_COMMAND_STOP});
  render_to(rendered + 1000);
  uint64_t from = rendered;
  press(5, 1.0f);
  render_to(from + BAR_120);
  assert_memory_equal(out + 2 * from, memory, sizeof(float) * 2 * BAR_120);
}

static void the_length_follows_the_tempo_when_it_starts(void **state)
{
  (void)state;
  load(0, src, 100000);
  send((flz_command){.type = FLZ_COMMAND_SET_TEMPO, .value = 90.0f});
  press(0, 1.0f);
  resample(1, FLZ_RESAMPLE_MASTER, 0, 0.5f, OUT_FRAMES, 3);
  render_to(70000);
  const flz_event *done = find(FLZ_EVENT_RESAMPLED);
  assert_non_null(done);
  /* Half a bar, 2 beats, at 90 BPM: 4/3 s, 64000 frames. */
  assert_int_equal(done->voice, (uint32_t)llround(0.5 * 4 * 60.0 * RATE / 90.0));
}

static void a_stop_ends_the_recording_at_its_frame(void **state)
{
  (void)state;
  load(0, src, 100000);
  press(0, 1.0f);
  render_to(300);
  resample(2, FLZ_RESAMPLE_MASTER, 0, 0.0f, OUT_FRAMES, 9);
  render_to(12345);
  send((flz_command){.type = FLZ_COMMAND_RESAMPLE_STOP});
  render_to(20000);
  const flz_event *done = find(FLZ_EVENT_RESAMPLED);
  assert_non_null(done);
  assert_int_equal(done->frame, 12345); /* the start of the period after the stop was sent */
  assert_int_equal(done->voice, 12345 - 300);
  assert_true(done->value == 0.0f);
  assert_memory_equal(memory, out + 2 * 300, sizeof(float) * 2 * (12345 - 300));
}

static void a_full_memory_cuts_the_recording_and_says_so(void **state)
{
  (void)state;
  load(0, src, 100000);
  press(0, 1.0f);
  resample(2, FLZ_RESAMPLE_MASTER, 0, 1.0f, 1234, 9);
  render_to(5000);
  const flz_event *done = find(FLZ_EVENT_RESAMPLED);
  assert_non_null(done);
  assert_int_equal(done->voice, 1234);
  assert_int_equal(done->frame, 1234);
  assert_true(done->value == 1.0f);
  assert_memory_equal(memory, out, sizeof(float) * 2 * 1234);
  assert_true(memory[2 * 1234] == 0.0f); /* nothing past its memory */
}

static void a_slot_recording_holds_that_slot_alone_before_the_master_gain(void **state)
{
  (void)state;
  load(0, src, 100000);
  load(1, other, 100000);
  send((flz_command){.type = FLZ_COMMAND_SET_VOLUME, .value = -12.0f});
  press(0, 1.0f);
  press(1, 1.0f);
  resample(4, FLZ_RESAMPLE_SLOT, 1, 0.25f, OUT_FRAMES, 5);
  render_to(30000);
  const flz_event *done = find(FLZ_EVENT_RESAMPLED);
  assert_non_null(done);
  assert_int_equal(done->voice, BAR_120 / 4);
  for (uint32_t i = 0; i < BAR_120 / 4; i++) {
    assert_true(memory[2 * i] == other[i]);
    assert_true(memory[2 * i + 1] == other[i]);
  }
}

static void nothing_recorded_retires_the_memory(void **state)
{
  (void)state;
  resample(3, FLZ_RESAMPLE_MASTER, 0, 0.0f, OUT_FRAMES, 42);
  send((flz_command){.type = FLZ_COMMAND_RESAMPLE_STOP});
  render_to(256);
  const flz_event *retired = find(FLZ_EVENT_SLOT_RETIRED);
  const flz_event *done = find(FLZ_EVENT_RESAMPLED);
  assert_non_null(retired);
  assert_non_null(done);
  assert_int_equal(retired->region, 42);
  assert_int_equal(done->voice, 0);
  assert_null(find(FLZ_EVENT_SLOT_LOADED));
  assert_null(engine.slots[3].data);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(a_master_recording_holds_the_output_bit_for_bit_and_plays_back, setup),
    cmocka_unit_test_setup(the_length_follows_the_tempo_when_it_starts, setup),
    cmocka_unit_test_setup(a_stop_ends_the_recording_at_its_frame, setup),
    cmocka_unit_test_setup(a_full_memory_cuts_the_recording_and_says_so, setup),
    cmocka_unit_test_setup(a_slot_recording_holds_that_slot_alone_before_the_master_gain, setup),
    cmocka_unit_test_setup(nothing_recorded_retires_the_memory, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
