/* platform/midi.h: MIDI input from ALSA, normalized into flz_input_event
 * (platform/input.h) on a MIDI input thread of its own.
 *
 * Owns: the raw MIDI byte parser, the ALSA sequencer client "Flitz" and its
 * input port, the raw MIDI stream of --midi-in, and the MIDI input thread.
 * Must not know what a pad, a bank or a mapping is (app/ does), and never
 * touches the engine: events go to the callback the caller gives.
 *
 * Sources, all read by one thread (so that whatever the callback sends goes
 * through one producer ring, FLZ_PRODUCER_MIDI):
 *   sequencer  an ALSA sequencer client named "Flitz" with one input port
 *              ("Flitz in"). At start it subscribes to every hardware MIDI
 *              output port (a port whose type has SND_SEQ_PORT_TYPE_HARDWARE
 *              and whose capabilities have READ and SUBS_READ, of any client
 *              but Flitz and System; the kernel's "Midi Through" is software
 *              and is skipped), and it watches the System Announce port
 *              (0:1): a hardware port that appears later is subscribed to at
 *              once, one that goes away (port or client exit, or an
 *              unsubscription) is let go. Software clients can still send to
 *              Flitz by connecting to "Flitz in" themselves (aconnect).
 *   raw        a path (--midi-in): an ALSA raw MIDI device such as
 *              /dev/snd/midiC1D0, a FIFO, or a regular file. Bytes go through
 *              the parser below. When a FIFO's writer closes it (read returns
 *              0), or a device fails (unplugged), the stream is reported
 *              removed and opened again: a new writer, or the device plugged
 *              back in, plays on without a restart. A path that cannot be
 *              opened is tried again every FLZ_MIDI_RETRY_MS. A regular file
 *              is read once to its end.
 *
 * Events, as flz_input_event with source FLZ_SOURCE_MIDI:
 *   FLZ_INPUT_PRESS           Note On; control = note 0..127, value =
 *                             velocity / 127 (above 0)
 *   FLZ_INPUT_RELEASE         Note Off, and Note On with velocity 0; control
 *                             = note, value 0
 *   FLZ_INPUT_CONTROL_CHANGE  control = controller 0..127, value = value / 127
 *   FLZ_INPUT_PROGRAM_CHANGE  control = program 0..127, value 0
 *   FLZ_INPUT_CLOCK           MIDI clock (tick, Start, Continue, Stop) and
 *                             Song Position Pointer: control = the status
 *                             byte, value = the position (1/16 notes)
 *   FLZ_INPUT_DEVICE_ADDED    a port was subscribed to or the raw stream
 *                             opened; name = the port's or the path
 *   FLZ_INPUT_DEVICE_REMOVED  it went away; name as when added. Sent before
 *                             any event of a device that replaces it.
 * `channel` is the MIDI channel 0..15 (shown to users as 1..16). `device` is
 * (client << 8) | port for a sequencer port (both < 256, so 0..65535), and
 * FLZ_MIDI_RAW_DEVICE for the raw stream. `time_ns` is CLOCK_MONOTONIC read
 * right after the read (raw) or the sequencer input call that returned the
 * bytes: every message of one read shares that time.
 */
#ifndef FLZ_PLATFORM_MIDI_H
#define FLZ_PLATFORM_MIDI_H

#include <stddef.h>
#include <stdint.h>

#include "platform/input.h"

/* The `device` of the raw stream: above every sequencer client:port. */
#define FLZ_MIDI_RAW_DEVICE 65536

/* How often a raw path that cannot be opened is tried again, ms: half a
 * second finds a device plugged back in before a performer's next bar. */
#define FLZ_MIDI_RETRY_MS 500

/* Sequencer ports subscribed to at once. 64: far more USB MIDI ports than a
 * Pi's hubs take; ports past it are skipped. */
#define FLZ_MIDI_PORTS 64

/* The byte parser: libasound's MIDI byte-stream encoder
 * (snd_midi_event_encode_byte) with Flitz's normalization on top. It keeps
 * running status, lets real-time bytes (0xF8..0xFF) through anywhere, even
 * inside a message or a SysEx, without disturbing it, skips SysEx and system
 * common messages (which also cancel running status), and drops data bytes
 * that have no status. */
typedef struct flz_midi_parser {
  void *encoder; /* snd_midi_event_t */
} flz_midi_parser;

/* Sets up `parser`. Returns FLZ_OK or FLZ_ERR_NO_MEMORY. Any thread; a
 * parser is used by one thread at a time. */
int flz_midi_parser_init(flz_midi_parser *parser);

/* Frees what flz_midi_parser_init took. Safe on a zeroed parser and twice. */
void flz_midi_parser_deinit(flz_midi_parser *parser);

/* Feeds one byte. Returns 1 when it completes a channel message Flitz uses
 * (see Events above: note on or off, control change, program change, clock) and
 * fills `event`'s source, type, control, value and channel (the rest is
 * zeroed: the caller sets device and time_ns); returns 0 otherwise (the
 * message is not complete, or is one Flitz skips: Active Sensing and Reset,
 * SysEx, other system common, poly or channel pressure, pitch bend). */
int flz_midi_parser_byte(flz_midi_parser *parser, uint8_t byte, flz_input_event *event);

/* Called on the MIDI input thread for every event. May block only briefly
 * (it delays the events behind it); must not call flz_midi_close. */
typedef void (*flz_midi_event_fn)(void *user, const flz_input_event *event);

typedef struct flz_midi_config {
  int sequencer;           /* 1: run the ALSA sequencer client */
  const char *raw_path;    /* raw MIDI stream path, NULL = none */
  flz_midi_event_fn event; /* required */
  void *user;
} flz_midi_config;

typedef struct flz_midi flz_midi;

/* Starts the MIDI input thread with the sources of `config`. A sequencer
 * that cannot be opened (no /dev/snd/seq: the snd-seq kernel module is not
 * loaded) is not an error: `detail` gets the reason ("" when it opened) and
 * the raw stream still runs; `*sequencer_ok` (may be NULL) says whether it
 * did. The raw path is locked (flock) while it is read: FLZ_ERR_READ, with
 * the reason in `detail`, when another process holds its lock (a second
 * flitz on the same FIFO); a path that appears later and is locked then is
 * reported as a DEVICE_REMOVED notice and not read. Returns FLZ_OK and the
 * handle in `*out`, FLZ_ERR_ARGUMENT (no callback or no source at all),
 * FLZ_ERR_NO_MEMORY (no thread). Control thread. */
int flz_midi_open(flz_midi **out, const flz_midi_config *config, int *sequencer_ok, char *detail,
                  size_t detail_size);

/* Stops the thread (no callback runs after it returns), lets go of the
 * ports and closes everything. NULL-safe. Control thread. */
void flz_midi_close(flz_midi *midi);

/* Lists the MIDI output ports of the ALSA sequencer that Flitz reads: calls
 * `fn` (may be NULL) with each port's device number (see above), its
 * "client:port" address, its name, and whether Flitz subscribes to it by
 * itself (hardware) or it needs connecting. Returns how many, or
 * FLZ_ERR_NOT_FOUND with the reason in `detail` when there is no sequencer.
 * Any thread but the audio thread; opens and closes a client of its own. */
int flz_midi_list_ports(void (*fn)(void *user, int32_t device, const char *address,
                                   const char *name, int hardware),
                        void *user, char *detail, size_t detail_size);

#endif
