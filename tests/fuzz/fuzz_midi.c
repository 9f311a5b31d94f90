/* tests/fuzz/fuzz_midi.c: the libFuzzer harness of the raw MIDI byte parser
 * (platform/midi.h): each input is one byte stream, fed byte by byte to a
 * fresh parser. Every event it gives must be a valid one: a MIDI source, a
 * note, CC or program type, channel 0..15, control 0..127, value 0..1
 * (0 for releases and program changes), or a clock message (control its
 * status byte; value 0, or 0..16383 for a Song Position Pointer); anything
 * else aborts.
 * Owns: nothing but the input it is given. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "engine/result.h"
#include "platform/midi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  flz_midi_parser parser;
  if (flz_midi_parser_init(&parser) != FLZ_OK)
    return 0;
  for (size_t i = 0; i < size; i++) {
    flz_input_event event;
    if (!flz_midi_parser_byte(&parser, data[i], &event))
      continue;
    if (event.type == FLZ_INPUT_CLOCK) {
      int status = event.control == 0xF8 || event.control == 0xFA || event.control == 0xFB ||
                   event.control == 0xFC || event.control == 0xF2;
      float top = event.control == 0xF2 ? 16383.0f : 0.0f;
      if (event.source != FLZ_SOURCE_MIDI || !status || !(event.value >= 0.0f) || event.value > top)
        abort();
      continue;
    }
    if (event.type == FLZ_INPUT_PRESSURE) { /* aftertouch: a key, or -1 for the channel */
      if (event.source != FLZ_SOURCE_MIDI || event.channel > 15 || event.control < -1 ||
          event.control > 127 || !(event.value >= 0.0f) || event.value > 1.0f)
        abort();
      continue;
    }
    int typed = event.type == FLZ_INPUT_PRESS || event.type == FLZ_INPUT_RELEASE ||
                event.type == FLZ_INPUT_CONTROL_CHANGE || event.type == FLZ_INPUT_PROGRAM_CHANGE;
    int zero = event.type == FLZ_INPUT_RELEASE || event.type == FLZ_INPUT_PROGRAM_CHANGE;
    if (event.source != FLZ_SOURCE_MIDI || !typed || event.channel > 15 || event.control < 0 ||
        event.control > 127 || !(event.value >= 0.0f) || event.value > 1.0f ||
        (zero && event.value != 0.0f) || (event.type == FLZ_INPUT_PRESS && event.value == 0.0f))
      abort();
  }
  flz_midi_parser_deinit(&parser);
  return 0;
}
