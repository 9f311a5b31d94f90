/* tests/engine/test_result.c: the result codes of engine/result.h.
 * Owns: tests of flz_result_message and flz_result_name only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "engine/result.h"

typedef struct result_entry {
  int value;
  const char *name;
  const char *message;
} result_entry;

#define RESULT_ENTRY(name, value, message) {value, #name, message},
static const result_entry all_results[] = {FLZ_RESULT_LIST(RESULT_ENTRY)};
#undef RESULT_ENTRY
#define RESULT_COUNT (sizeof all_results / sizeof all_results[0])

static void ok_is_zero_and_every_error_is_negative(void **state)
{
  (void)state;
  assert_int_equal(FLZ_OK, 0);
  assert_int_equal(all_results[0].value, 0);
  for (size_t i = 1; i < RESULT_COUNT; i++)
    assert_true(all_results[i].value < 0);
}

static void every_code_has_a_distinct_value_name_and_message(void **state)
{
  (void)state;
  for (size_t i = 0; i < RESULT_COUNT; i++) {
    const char *message = flz_result_message(all_results[i].value);
    const char *name = flz_result_name(all_results[i].value);
    assert_string_equal(message, all_results[i].message);
    assert_string_equal(name, all_results[i].name);
    assert_true(strlen(message) > 0);
    assert_string_not_equal(message, "unknown error");
    assert_true(strncmp(name, "FLZ_", 4) == 0);
    for (size_t j = 0; j < i; j++) {
      assert_int_not_equal(all_results[i].value, all_results[j].value);
      assert_string_not_equal(message, flz_result_message(all_results[j].value));
      assert_string_not_equal(name, flz_result_name(all_results[j].value));
    }
  }
}

static void an_unknown_code_reads_unknown_error(void **state)
{
  (void)state;
  int lowest = 0;
  for (size_t i = 0; i < RESULT_COUNT; i++)
    if (all_results[i].value < lowest)
      lowest = all_results[i].value;
  assert_string_equal(flz_result_message(lowest - 1), "unknown error");
  assert_string_equal(flz_result_message(1), "unknown error");
  assert_string_equal(flz_result_message(INT32_MIN), "unknown error");
  assert_string_equal(flz_result_name(lowest - 1), "FLZ_ERR_UNKNOWN");
  assert_string_equal(flz_result_message(FLZ_OK), "success");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(ok_is_zero_and_every_error_is_negative),
    cmocka_unit_test(every_code_has_a_distinct_value_name_and_message),
    cmocka_unit_test(an_unknown_code_reads_unknown_error),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
