/* tools/seq-source.c: flitz-seq-source [SECONDS [NOTE]], a test program for
 * tools/boot-test, run inside the booted image: an ALSA sequencer client
 * that stands in for a USB MIDI controller plugged in after Flitz started.
 * It makes one output port typed like a hardware MIDI port (what Flitz
 * subscribes to by itself), waits up to SECONDS (default 10) for a
 * subscriber, says who subscribed in one line, then sends NOTE (default 36)
 * on channel 1 at velocity 127 and its Note Off half a second later.
 * Exit status: 0 sent, 1 no subscriber in time, 2 no sequencer.
 */
#include <alsa/asoundlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void seq_source_sleep_ms(long ms)
{
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

static void seq_source_note(snd_seq_t *seq, int port, int on, int note)
{
  snd_seq_event_t ev;
  snd_seq_ev_clear(&ev);
  snd_seq_ev_set_source(&ev, port);
  snd_seq_ev_set_subs(&ev);
  snd_seq_ev_set_direct(&ev);
  if (on)
    snd_seq_ev_set_noteon(&ev, 0, note, 127);
  else
    snd_seq_ev_set_noteoff(&ev, 0, note, 0);
  snd_seq_event_output_direct(seq, &ev);
}

int main(int argc, char **argv)
{
  const long seconds = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
  const int note = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 36;
  snd_seq_t *seq;
  if (snd_seq_open(&seq, "default", SND_SEQ_OPEN_OUTPUT, 0) < 0) {
    fprintf(stderr, "flitz-seq-source: no ALSA sequencer\n");
    return 2;
  }
  snd_seq_set_client_name(seq, "flitz-seq-source");
  const int port = snd_seq_create_simple_port(
    seq, "out", SND_SEQ_PORT_CAP_READ | SND_SEQ_PORT_CAP_SUBS_READ,
    SND_SEQ_PORT_TYPE_MIDI_GENERIC | SND_SEQ_PORT_TYPE_HARDWARE | SND_SEQ_PORT_TYPE_PORT);
  if (port < 0) {
    fprintf(stderr, "flitz-seq-source: no port: %s\n", snd_strerror(port));
    return 2;
  }
  snd_seq_query_subscribe_t *subs;
  if (snd_seq_query_subscribe_malloc(&subs) < 0) {
    fprintf(stderr, "flitz-seq-source: out of memory\n");
    return 2;
  }
  snd_seq_addr_t self = {(unsigned char)snd_seq_client_id(seq), (unsigned char)port};
  snd_seq_query_subscribe_set_root(subs, &self);
  snd_seq_query_subscribe_set_type(subs, SND_SEQ_QUERY_SUBS_READ);
  for (long waited = 0; waited <= seconds * 10; waited++) {
    snd_seq_query_subscribe_set_index(subs, 0);
    if (snd_seq_query_port_subscribers(seq, subs) == 0) {
      const snd_seq_addr_t *to = snd_seq_query_subscribe_get_addr(subs);
      printf("flitz-seq-source: %d:%d subscribed to %d:%d after %ld ms\n", to->client, to->port,
             self.client, self.port, waited * 100);
      fflush(stdout);
      seq_source_note(seq, port, 1, note);
      seq_source_sleep_ms(500);
      seq_source_note(seq, port, 0, note);
      seq_source_sleep_ms(200);
      snd_seq_query_subscribe_free(subs);
      snd_seq_close(seq);
      return 0;
    }
    seq_source_sleep_ms(100);
  }
  fprintf(stderr, "flitz-seq-source: no subscriber within %ld s\n", seconds);
  snd_seq_query_subscribe_free(subs);
  snd_seq_close(seq);
  return 1;
}
