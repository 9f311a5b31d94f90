/* tests/platform/test_midi.c: the MIDI byte parser on byte streams with each
 * thing a real stream carries (running status, real-time bytes anywhere,
 * SysEx, Note On velocity 0, all 16 channels), and the raw MIDI input thread
 * on a FIFO (a writer closing and coming back) and on a regular file. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/result.h"
#include "platform/clock.h"
#include "platform/midi.h"

#define MAX_EVENTS 64

/* Parses `bytes` and keeps every event. */
static uint32_t parse(const uint8_t *bytes, size_t count, flz_input_event *events)
{
  flz_midi_parser parser;
  assert_int_equal(flz_midi_parser_init(&parser), FLZ_OK);
  uint32_t n = 0;
  for (size_t i = 0; i < count; i++) {
    flz_input_event event;
    if (flz_midi_parser_byte(&parser, bytes[i], &event)) {
      assert_true(n < MAX_EVENTS);
      events[n++] = event;
    }
  }
  flz_midi_parser_deinit(&parser);
  return n;
}

static void check(const flz_input_event *e, uint32_t type, uint32_t channel, int32_t control,
                  float value)
{
  assert_int_equal(e->source, FLZ_SOURCE_MIDI);
  assert_int_equal(e->type, type);
  assert_int_equal(e->channel, channel);
  assert_int_equal(e->control, control);
  assert_true(e->value == value);
}

static void key_and_channel_pressure_are_aftertouch(void **state)
{
  (void)state;
  const uint8_t bytes[] = {0xA9, 38, 64, 40, 127, 0xD2, 5};
  flz_input_event e[MAX_EVENTS];
  assert_int_equal(parse(bytes, sizeof bytes, e), 3);
  check(&e[0], FLZ_INPUT_PRESSURE, 9, 38, 64.0f / 127.0f);
  check(&e[1], FLZ_INPUT_PRESSURE, 9, 40, 1.0f); /* running status */
  check(&e[2], FLZ_INPUT_PRESSURE, 2, -1, 5.0f / 127.0f);
}

static void note_on_presses_with_velocity_over_127(void **state)
{
  (void)state;
  const uint8_t bytes[] = {0x90, 36, 100};
  flz_input_event e[MAX_EVENTS];
  assert_int_equal(parse(bytes, sizeof bytes, e), 1);
  check(&e[0], FLZ_INPUT_PRESS, 0, 36, 100.0f / 127.0f);
}

static void running_status_repeats_the_last_status(void **state)
{
  (void)state;
  /* Note On, then two more notes with no status byte, then a CC and two
   * values under its running status. */
  const uint8_t bytes[] = {0x99, 36, 127, 38, 64, 36, 0, 0xB9, 7, 100, 7, 50};
  flz_input_event e[MAX_EVENTS];
  assert_int_equal(parse(bytes, sizeof bytes, e), 5);
  check(&e[0], FLZ_INPUT_PRESS, 9, 36, 1.0f);
  check(&e[1], FLZ_INPUT_PRESS, 9, 38, 64.0f / 127.0f);
  check(&e[2], FLZ_INPUT_RELEASE, 9, 36, 0.0f);
  check(&e[3], FLZ_INPUT_CONTROL_CHANGE, 9, 7, 100.0f / 127.0f);
  check(&e[4], FLZ_INPUT_CONTROL_CHANGE, 9, 7, 50.0f / 127.0f);
}

static void real_time_bytes_anywhere_keep_the_messages_around_them(void **state)
{
  (void)state;
  /* Clock (F8), start (FA), active sensing (FE) and the undefined F9 and FD
   * before, inside and between messages, and inside running status: the
   * clock and start come out where they were, the rest are skipped. */
  const uint8_t bytes[] = {0xFE, 0x90, 0xF8, 40,   0xFE, 90,   0xF8, 41,
                           0xFA, 0xF9, 91,   0xFD, 0xC3, 0xF8, 2,    0xFE};
  flz_input_event e[MAX_EVENTS];
  assert_int_equal(parse(bytes, sizeof bytes, e), 7);
  check(&e[0], FLZ_INPUT_CLOCK, 0, 0xF8, 0.0f);
  check(&e[1], FLZ_INPUT_PRESS, 0, 40, 90.0f / 127.0f);
  check(&e[2], FLZ_INPUT_CLOCK, 0, 0xF8, 0.0f);
  check(&e[3], FLZ_INPUT_CLOCK, 0, 0xFA, 0.0f);
  check(&e[4], FLZ_INPUT_PRESS, 0, 41, 91.0f / 127.0f);
  check(&e[5], FLZ_INPUT_CLOCK, 0, 0xF8, 0.0f);
  check(&e[6], FLZ_INPUT_PROGRAM_CHANGE, 3, 2, 0.0f);
}

static void sysex_is_skipped_and_cancels_running_status(void **state)
{
  (void)state;
  uint8_t bytes[128];
  size_t n = 0;
  bytes[n++] = 0x90;
  bytes[n++] = 36;
  bytes[n++] = 1;
  /* A SysEx longer than the encoder's buffer (so it comes in chunks), whose
   * data bytes look like notes, with a clock byte inside. */
  bytes[n++] = 0xF0;
  for (int i = 0; i < 70; i++)
    bytes[n++] = (uint8_t)(i % 2 ? 100 : 0x24);
  bytes[n++] = 0xF8;
  bytes[n++] = 0x7F;
  bytes[n++] = 0xF7;
  /* Data bytes right after the SysEx: running status is gone, they do
   * nothing. */
  bytes[n++] = 37;
  bytes[n++] = 99;
  bytes[n++] = 0x80;
  bytes[n++] = 36;
  bytes[n++] = 64;
  flz_input_event e[MAX_EVENTS];
  assert_int_equal(parse(bytes, n, e), 3);
  check(&e[0], FLZ_INPUT_PRESS, 0, 36, 1.0f / 127.0f);
  check(&e[1], FLZ_INPUT_CLOCK, 0, 0xF8, 0.0f);
  check(&e[2], FLZ_INPUT_RELEASE, 0, 36, 0.0f);
}

static void note_on_velocity_zero_is_note_off(void **state)
{
  (void)state;
  const uint8_t bytes[] = {0x95, 60, 0, 0x85, 61, 30};
  flz_input_event e[MAX_EVENTS];
  assert_int_equal(parse(bytes, sizeof bytes, e), 2);
  check(&e[0], FLZ_INPUT_RELEASE, 5, 60, 0.0f);
  check(&e[1], FLZ_INPUT_RELEASE, 5, 61, 0.0f);
}

static void every_channel_and_message_kind_is_parsed(void **state)
{
  (void)state;
  uint8_t bytes[16 * 11];
  size_t n = 0;
  for (uint8_t ch = 0; ch < 16; ch++) {
    const uint8_t message[] = {(uint8_t)(0x90 | ch), (uint8_t)(36 + ch), (uint8_t)(ch + 1),
                               (uint8_t)(0x80 | ch), (uint8_t)(36 + ch), 0,
                               (uint8_t)(0xB0 | ch), (uint8_t)(ch * 8),  127,
                               (uint8_t)(0xC0 | ch), (uint8_t)(127 - ch)};
    memcpy(bytes + n, message, sizeof message);
    n += sizeof message;
  }
  flz_input_event e[MAX_EVENTS];
  assert_int_equal(parse(bytes, n, e), 64);
  for (uint32_t ch = 0; ch < 16; ch++) {
    check(&e[4 * ch], FLZ_INPUT_PRESS, ch, 36 + (int32_t)ch, (float)(ch + 1) / 127.0f);
    check(&e[4 * ch + 1], FLZ_INPUT_RELEASE, ch, 36 + (int32_t)ch, 0.0f);
    check(&e[4 * ch + 2], FLZ_INPUT_CONTROL_CHANGE, ch, (int32_t)ch * 8, 1.0f);
    check(&e[4 * ch + 3], FLZ_INPUT_PROGRAM_CHANGE, ch, 127 - (int32_t)ch, 0.0f);
  }
}

static void other_messages_and_stray_data_are_skipped(void **state)
{
  (void)state;
  /* Data with no status yet, poly pressure and channel pressure (kept:
   * aftertouch), pitch bend, song position (system common: kept, 1 + 2 x 128
   * 1/16 notes), tune request, a stray EOX, then a note. */
  const uint8_t bytes[] = {36, 100,  0xA0, 36, 50,   0xD0, 60,   0xE0, 0,
                           64, 0xF2, 1,    2,  0xF6, 0xF7, 0x9F, 51,   127};
  flz_input_event e[MAX_EVENTS];
  assert_int_equal(parse(bytes, sizeof bytes, e), 4);
  check(&e[0], FLZ_INPUT_PRESSURE, 0, 36, 50.0f / 127.0f);
  check(&e[1], FLZ_INPUT_PRESSURE, 0, -1, 60.0f / 127.0f);
  check(&e[2], FLZ_INPUT_CLOCK, 0, 0xF2, 257.0f);
  check(&e[3], FLZ_INPUT_PRESS, 15, 51, 1.0f);
}

/* ---- the raw input thread ---- */

typedef struct recorder {
  pthread_mutex_t lock;
  pthread_cond_t changed;
  flz_input_event events[MAX_EVENTS];
  uint32_t count;
} recorder;

static void record(void *user, const flz_input_event *event)
{
  recorder *r = user;
  pthread_mutex_lock(&r->lock);
  if (r->count < MAX_EVENTS)
    r->events[r->count++] = *event;
  pthread_cond_broadcast(&r->changed);
  pthread_mutex_unlock(&r->lock);
}

/* Waits up to 5 s (a loaded machine under a sanitizer) for `count` events. */
static uint32_t wait_for(recorder *r, uint32_t count)
{
  uint64_t deadline = flz_clock_now_ns() + 5000000000u;
  pthread_mutex_lock(&r->lock);
  while (r->count < count && flz_clock_now_ns() < deadline) {
    pthread_mutex_unlock(&r->lock);
    flz_clock_sleep_until_ns(flz_clock_now_ns() + 1000000u);
    pthread_mutex_lock(&r->lock);
  }
  uint32_t got = r->count;
  pthread_mutex_unlock(&r->lock);
  return got;
}

static void write_all(int fd, const uint8_t *bytes, size_t count)
{
  assert_int_equal(write(fd, bytes, count), (ssize_t)count);
}

static void fifo_plays_on_after_its_writer_closes_and_comes_back(void **state)
{
  (void)state;
  char dir[] = "/tmp/flitz-midi-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/in", dir);
  assert_int_equal(mkfifo(path, 0600), 0);
  static recorder r = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};
  r.count = 0;
  flz_midi_config config = {.sequencer = 0, .raw_path = path, .event = record, .user = &r};
  flz_midi *midi = NULL;
  char detail[256];
  assert_int_equal(flz_midi_open(&midi, &config, NULL, detail, sizeof detail), FLZ_OK);
  assert_int_equal(wait_for(&r, 1), 1);
  assert_int_equal(r.events[0].type, FLZ_INPUT_DEVICE_ADDED);
  assert_int_equal(r.events[0].device, FLZ_MIDI_RAW_DEVICE);
  assert_string_equal(r.events[0].name, path);

  /* First writer: a note, cut off in the middle of a second one. */
  int fd = open(path, O_WRONLY);
  assert_true(fd >= 0);
  uint64_t before = flz_clock_now_ns();
  const uint8_t first[] = {0x99, 36, 127, 0x99, 38};
  write_all(fd, first, sizeof first);
  assert_int_equal(wait_for(&r, 2), 2);
  uint64_t after = flz_clock_now_ns();
  check(&r.events[1], FLZ_INPUT_PRESS, 9, 36, 1.0f);
  assert_int_equal(r.events[1].device, FLZ_MIDI_RAW_DEVICE);
  assert_true(r.events[1].time_ns >= before && r.events[1].time_ns <= after);
  close(fd);
  /* The writer's end: the stream is removed and opened again. */
  assert_int_equal(wait_for(&r, 4), 4);
  assert_int_equal(r.events[2].type, FLZ_INPUT_DEVICE_REMOVED);
  assert_int_equal(r.events[3].type, FLZ_INPUT_DEVICE_ADDED);

  /* Second writer: its first bytes are data; the cut-off message of the
   * first writer must not complete with them. Then a whole note. */
  fd = open(path, O_WRONLY);
  assert_true(fd >= 0);
  const uint8_t second[] = {64, 0x89, 38, 0};
  write_all(fd, second, sizeof second);
  assert_int_equal(wait_for(&r, 5), 5);
  check(&r.events[4], FLZ_INPUT_RELEASE, 9, 38, 0.0f);
  close(fd);
  assert_int_equal(wait_for(&r, 7), 7);
  flz_midi_close(midi);
  assert_int_equal(r.count, 7);
  remove(path);
  rmdir(dir);
}

/* A writer that comes and goes without a byte (a virtio port whose host end
 * is closed reads at its end at once) is no device coming and going: no
 * line for each, no spinning; what is written later is read. */
static void fifo_writers_that_write_nothing_are_not_reported(void **state)
{
  (void)state;
  char dir[] = "/tmp/flitz-midi-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/in", dir);
  assert_int_equal(mkfifo(path, 0600), 0);
  static recorder r = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};
  r.count = 0;
  flz_midi_config config = {.sequencer = 0, .raw_path = path, .event = record, .user = &r};
  flz_midi *midi = NULL;
  assert_int_equal(flz_midi_open(&midi, &config, NULL, NULL, 0), FLZ_OK);
  assert_int_equal(wait_for(&r, 1), 1);
  assert_int_equal(r.events[0].type, FLZ_INPUT_DEVICE_ADDED);
  for (int i = 0; i < 20; i++) {
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    close(fd);
    flz_clock_sleep_until_ns(flz_clock_now_ns() + 5000000u);
  }
  int fd = open(path, O_WRONLY);
  assert_true(fd >= 0);
  const uint8_t note[] = {0x90, 50, 127};
  write_all(fd, note, sizeof note);
  assert_int_equal(wait_for(&r, 2), 2);
  check(&r.events[1], FLZ_INPUT_PRESS, 0, 50, 1.0f);
  flz_midi_close(midi);
  close(fd);
  remove(path);
  rmdir(dir);
}

static void regular_file_is_read_once(void **state)
{
  (void)state;
  char path[] = "/tmp/flitz-midi-file-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  const uint8_t bytes[] = {0x90, 40, 10, 41, 20, 0xB0, 7, 127};
  write_all(fd, bytes, sizeof bytes);
  close(fd);
  static recorder r = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};
  r.count = 0;
  flz_midi_config config = {.raw_path = path, .event = record, .user = &r};
  flz_midi *midi = NULL;
  assert_int_equal(flz_midi_open(&midi, &config, NULL, NULL, 0), FLZ_OK);
  assert_int_equal(wait_for(&r, 5), 5);
  flz_clock_sleep_until_ns(flz_clock_now_ns() +
                           50000000u); /* nothing more comes: the file is not read again */
  flz_midi_close(midi);
  assert_int_equal(r.count, 5);
  assert_int_equal(r.events[0].type, FLZ_INPUT_DEVICE_ADDED);
  check(&r.events[1], FLZ_INPUT_PRESS, 0, 40, 10.0f / 127.0f);
  check(&r.events[2], FLZ_INPUT_PRESS, 0, 41, 20.0f / 127.0f);
  check(&r.events[3], FLZ_INPUT_CONTROL_CHANGE, 0, 7, 1.0f);
  assert_int_equal(r.events[4].type, FLZ_INPUT_DEVICE_REMOVED);
  remove(path);
}

static void missing_path_is_opened_once_it_appears(void **state)
{
  (void)state;
  char dir[] = "/tmp/flitz-midi-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/later", dir);
  static recorder r = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};
  r.count = 0;
  flz_midi_config config = {.raw_path = path, .event = record, .user = &r};
  flz_midi *midi = NULL;
  assert_int_equal(flz_midi_open(&midi, &config, NULL, NULL, 0), FLZ_OK);
  assert_int_equal(wait_for(&r, 1), 1);
  assert_int_equal(r.events[0].type, FLZ_INPUT_DEVICE_REMOVED);
  assert_non_null(strstr(r.events[0].name, path));
  assert_int_equal(mkfifo(path, 0600), 0);
  /* Within FLZ_MIDI_RETRY_MS (plus scheduling) the path is opened. */
  assert_int_equal(wait_for(&r, 2), 2);
  assert_int_equal(r.events[1].type, FLZ_INPUT_DEVICE_ADDED);
  int fd = open(path, O_WRONLY);
  assert_true(fd >= 0);
  const uint8_t note[] = {0x90, 50, 127};
  write_all(fd, note, sizeof note);
  assert_int_equal(wait_for(&r, 3), 3);
  check(&r.events[2], FLZ_INPUT_PRESS, 0, 50, 1.0f);
  flz_midi_close(midi);
  close(fd);
  remove(path);
  rmdir(dir);
}

static void missing_sequencer_is_reported_not_fatal(void **state)
{
  (void)state;
  static recorder r = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};
  r.count = 0;
  flz_midi_config config = {.sequencer = 1, .event = record, .user = &r};
  flz_midi *midi = NULL;
  int ok = -1;
  char detail[256];
  assert_int_equal(flz_midi_open(&midi, &config, &ok, detail, sizeof detail), FLZ_OK);
  int has_seq = access("/dev/snd/seq", R_OK) == 0;
  assert_int_equal(ok, has_seq);
  if (!has_seq)
    assert_non_null(strstr(detail, "ALSA sequencer"));
  flz_midi_close(midi);
  char list_detail[256];
  int listed = flz_midi_list_ports(NULL, NULL, list_detail, sizeof list_detail);
  if (has_seq)
    assert_true(listed >= 0);
  else
    assert_int_equal(listed, FLZ_ERR_NOT_FOUND);
}

static void open_needs_a_callback_and_a_source(void **state)
{
  (void)state;
  flz_midi *midi = NULL;
  flz_midi_config none = {.event = record};
  assert_int_equal(flz_midi_open(&midi, &none, NULL, NULL, 0), FLZ_ERR_ARGUMENT);
  flz_midi_config no_callback = {.raw_path = "/dev/null"};
  assert_int_equal(flz_midi_open(&midi, &no_callback, NULL, NULL, 0), FLZ_ERR_ARGUMENT);
  assert_null(midi);
  flz_midi_close(NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(note_on_presses_with_velocity_over_127),
    cmocka_unit_test(key_and_channel_pressure_are_aftertouch),
    cmocka_unit_test(running_status_repeats_the_last_status),
    cmocka_unit_test(real_time_bytes_anywhere_keep_the_messages_around_them),
    cmocka_unit_test(sysex_is_skipped_and_cancels_running_status),
    cmocka_unit_test(note_on_velocity_zero_is_note_off),
    cmocka_unit_test(every_channel_and_message_kind_is_parsed),
    cmocka_unit_test(other_messages_and_stray_data_are_skipped),
    cmocka_unit_test(fifo_plays_on_after_its_writer_closes_and_comes_back),
    cmocka_unit_test(fifo_writers_that_write_nothing_are_not_reported),
    cmocka_unit_test(regular_file_is_read_once),
    cmocka_unit_test(missing_path_is_opened_once_it_appears),
    cmocka_unit_test(missing_sequencer_is_reported_not_fatal),
    cmocka_unit_test(open_needs_a_callback_and_a_source),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
