/* tests/engine/test_pattern_store.c: the pattern recorder's store
 * (engine/pattern.h) on its own: patterns side by side in the one store
 * keep their events through records, undo, clear and loads of the others;
 * a load takes events in order and drops one out of order; a load or a
 * record that does not fit changes nothing; a held press keeps room for its
 * release, which goes its held length after it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine/message.h"
#include "engine/pattern.h"
#include "engine/result.h"

static flz_patterns patterns;
static flz_pattern_event buffer[FLZ_PATTERN_EVENTS];

/* 120 BPM at 48 kHz: 24000 frames a beat, beat 0 at frame 0. */
static const flz_pattern_clock clock = {.beat = 0.0, .frame = 0, .frames_per_beat = 24000.0};

static flz_pattern_event hit(uint16_t pad, float beats)
{
  return (flz_pattern_event){
    .position = (uint32_t)(beats * FLZ_PATTERN_ONE), .velocity = 1.0f, .pad = pad};
}

/* Pattern `pattern`'s pads in order, as a string of digits. */
static const char *pads_of(uint32_t pattern)
{
  static char text[64];
  uint32_t count = flz_patterns_copy(&patterns, pattern, buffer, FLZ_PATTERN_EVENTS);
  for (uint32_t i = 0; i < count && i < sizeof text - 1; i++)
    text[i] = (char)('0' + buffer[i].pad);
  text[count < sizeof text - 1 ? count : sizeof text - 1] = '\0';
  return text;
}

static void patterns_keep_their_events_side_by_side(void **state)
{
  (void)state;
  flz_patterns_init(&patterns);
  const flz_pattern_event two[] = {hit(1, 0.5f), hit(2, 1.5f)};
  const flz_pattern_event three[] = {hit(3, 0.0f), hit(4, 2.0f), hit(5, 3.0f)};
  assert_int_equal(flz_patterns_load(&patterns, 2, two, 2, 1), 2);
  assert_int_equal(flz_patterns_load(&patterns, 0, three, 3, 2), 3);
  assert_string_equal(pads_of(0), "345");
  assert_string_equal(pads_of(2), "12");
  /* Record into pattern 1, between the two: two passes. */
  flz_patterns_choose(&patterns, 1, 1);
  assert_int_equal(flz_patterns_record_action(&patterns, FLZ_RECORD_OVERDUB), 0);
  assert_int_equal(flz_patterns_record(&patterns, hit(7, 0), &clock, 36000, 0), FLZ_OK); /* 1.5 */
  assert_int_equal(flz_patterns_record(&patterns, hit(6, 0), &clock, 12000, 0), FLZ_OK); /* 0.5 */
  assert_int_equal(flz_patterns_record_action(&patterns, FLZ_RECORD_OFF), 1);
  assert_int_equal(flz_patterns_record_action(&patterns, FLZ_RECORD_OVERDUB), 0);
  assert_int_equal(flz_patterns_record(&patterns, hit(8, 0), &clock, 24000, 0), FLZ_OK); /* 1.0 */
  assert_string_equal(pads_of(1), "687");
  assert_int_equal(flz_patterns_record_action(&patterns, FLZ_RECORD_UNDO), 1);
  assert_string_equal(pads_of(1), "67");
  assert_string_equal(pads_of(0), "345");
  assert_string_equal(pads_of(2), "12");
  /* Loaded events are no pass of this run: undo keeps them. Record actions
   * act on the playing pattern, not on one queued behind it. */
  flz_patterns_choose(&patterns, 2, 0);
  assert_int_equal(patterns.current, 1);
  flz_patterns_choose(&patterns, FLZ_PATTERNS, 0);
  flz_patterns_choose(&patterns, 2, 0);
  assert_int_equal(patterns.current, 2);
  assert_int_equal(flz_patterns_record_action(&patterns, FLZ_RECORD_UNDO), 0);
  assert_string_equal(pads_of(2), "12");
  assert_int_equal(flz_patterns_record_action(&patterns, FLZ_RECORD_CLEAR), 1);
  assert_string_equal(pads_of(2), "");
  assert_string_equal(pads_of(1), "67");
  assert_int_equal(patterns.total, 5);
}

static void a_load_takes_events_in_order_and_drops_one_out_of_order(void **state)
{
  (void)state;
  flz_patterns_init(&patterns);
  const flz_pattern_event other[] = {hit(9, 1.0f)};
  assert_int_equal(flz_patterns_load(&patterns, 5, other, 1, 1), 1);
  const flz_pattern_event mixed[] = {hit(1, 0.5f), hit(2, 0.25f), hit(3, 0.5f), hit(4, 3.0f)};
  assert_int_equal(flz_patterns_load(&patterns, 3, mixed, 4, 1), 3);
  assert_string_equal(pads_of(3), "134");
  assert_string_equal(pads_of(5), "9");
  assert_int_equal(patterns.total, 4);
}

static void a_full_store_refuses_and_keeps_what_it_holds(void **state)
{
  (void)state;
  flz_patterns_init(&patterns);
  for (uint32_t i = 0; i < FLZ_PATTERN_EVENTS - 1; i++)
    buffer[i] = hit(1, 0.0f);
  assert_int_equal(flz_patterns_load(&patterns, 0, buffer, FLZ_PATTERN_EVENTS - 1, 1),
                   (int)(FLZ_PATTERN_EVENTS - 1));
  const flz_pattern_event two[] = {hit(2, 0.0f), hit(3, 1.0f)};
  assert_int_equal(flz_patterns_load(&patterns, 1, two, 2, 1), FLZ_ERR_PATTERN_FULL);
  assert_int_equal(patterns.count[1], 0);
  flz_patterns_choose(&patterns, 1, 0);
  assert_int_equal(flz_patterns_record_action(&patterns, FLZ_RECORD_OVERDUB), 0);
  assert_int_equal(flz_patterns_record(&patterns, hit(2, 0), &clock, 100, 0), FLZ_OK);
  assert_int_equal(flz_patterns_record(&patterns, hit(3, 0), &clock, 200, 0), FLZ_ERR_PATTERN_FULL);
  assert_int_equal(patterns.total, FLZ_PATTERN_EVENTS);
  assert_int_equal(patterns.count[0], FLZ_PATTERN_EVENTS - 1);
  assert_string_equal(pads_of(1), "2");
}

/* A held press (a gate pad) is recorded only with room for its release:
 * with two free events, a held press takes both (its release comes later,
 * still fits, and goes its held length after the press); with one left, a
 * held press is refused while a one-shot hit fits. Undo takes a release
 * with its press, and a press undone gets no release. */
static void a_held_press_keeps_room_for_its_release(void **state)
{
  (void)state;
  flz_patterns_init(&patterns);
  for (uint32_t i = 0; i < FLZ_PATTERN_EVENTS - 3; i++)
    buffer[i] = hit(1, 0.0f);
  assert_int_equal(flz_patterns_load(&patterns, 0, buffer, FLZ_PATTERN_EVENTS - 3, 1),
                   (int)(FLZ_PATTERN_EVENTS - 3));
  flz_patterns_choose(&patterns, 1, 0);
  assert_int_equal(flz_patterns_record_action(&patterns, FLZ_RECORD_OVERDUB), 0);
  assert_int_equal(flz_patterns_record(&patterns, hit(2, 0), &clock, 12000, 1), FLZ_OK);
  assert_int_equal(flz_patterns_record(&patterns, hit(3, 0), &clock, 24000, 1),
                   FLZ_ERR_PATTERN_FULL);
  assert_int_equal(flz_patterns_record(&patterns, hit(4, 0), &clock, 30000, 0), FLZ_OK);
  assert_int_equal(flz_patterns_record(&patterns, hit(5, 0), &clock, 31000, 0),
                   FLZ_ERR_PATTERN_FULL);
  assert_int_equal(flz_patterns_release(&patterns, FLZ_PATTERN_SLOT, 3, 0, &clock, 40000), 0);
  assert_int_equal(flz_patterns_release(&patterns, FLZ_PATTERN_SLOT, 2, 0, &clock, 60000), 1);
  assert_int_equal(patterns.total, FLZ_PATTERN_EVENTS);
  assert_int_equal(flz_patterns_copy(&patterns, 1, buffer, FLZ_PATTERN_EVENTS), 3);
  assert_int_equal(buffer[0].pad, 2);
  assert_int_equal(buffer[0].position, FLZ_PATTERN_ONE / 2);
  assert_int_equal(buffer[1].pad, 4);
  assert_int_equal(buffer[2].pad, 2);
  assert_int_equal(buffer[2].kind, FLZ_PATTERN_SLOT | FLZ_PATTERN_RELEASE);
  assert_int_equal(buffer[2].position, FLZ_PATTERN_ONE / 2 * 5); /* 1.5 beats later */
  assert_int_equal(flz_patterns_record_action(&patterns, FLZ_RECORD_UNDO), 1);
  assert_int_equal(patterns.count[1], 0);

  assert_int_equal(flz_patterns_record_action(&patterns, FLZ_RECORD_OVERDUB), 0);
  assert_int_equal(flz_patterns_record(&patterns, hit(6, 0), &clock, 12000, 1), FLZ_OK);
  assert_int_equal(flz_patterns_record_action(&patterns, FLZ_RECORD_UNDO), 1);
  assert_int_equal(patterns.held_count, 0);
  assert_int_equal(flz_patterns_release(&patterns, FLZ_PATTERN_SLOT, 6, 0, &clock, 24000), 0);
  assert_int_equal(patterns.count[1], 0);
}

/* A hold of a cycle or longer is released just before its press plays
 * again: one unit before its position. */
static void a_hold_of_a_cycle_ends_before_the_press_plays_again(void **state)
{
  (void)state;
  flz_patterns_init(&patterns);
  flz_patterns_choose(&patterns, 0, 1);
  assert_int_equal(flz_patterns_record_action(&patterns, FLZ_RECORD_ON), 0);
  assert_int_equal(flz_patterns_record(&patterns, hit(2, 0), &clock, 24000, 1), FLZ_OK);
  assert_int_equal(flz_patterns_release(&patterns, FLZ_PATTERN_SLOT, 2, 0, &clock, 24000 * 9), 1);
  assert_int_equal(flz_patterns_copy(&patterns, 0, buffer, FLZ_PATTERN_EVENTS), 2);
  assert_int_equal(buffer[0].position, FLZ_PATTERN_ONE - 1);
  assert_int_equal(buffer[0].kind, FLZ_PATTERN_SLOT | FLZ_PATTERN_RELEASE);
  assert_int_equal(buffer[1].position, FLZ_PATTERN_ONE);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(patterns_keep_their_events_side_by_side),
    cmocka_unit_test(a_load_takes_events_in_order_and_drops_one_out_of_order),
    cmocka_unit_test(a_full_store_refuses_and_keeps_what_it_holds),
    cmocka_unit_test(a_held_press_keeps_room_for_its_release),
    cmocka_unit_test(a_hold_of_a_cycle_ends_before_the_press_plays_again),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
