/* platform/midi_out.c: the MIDI clock output of platform/midi_out.h.
 * Owns: the output sequencer handle and port, the raw output descriptor and
 * the thread. Must not touch pads or SDL. */
#include "platform/midi_out.h"

#include <alsa/asoundlib.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/result.h"
#include "platform/clock.h"
#include "platform/midi.h"
#include "platform/sampler_internal.h"

struct flz_midi_out {
  flz_sampler *sampler;
  char *raw_path;
  int raw_fd;            /* -1 while closed */
  uint64_t raw_retry_ns; /* when to try opening again */
  snd_seq_t *seq;
  int seq_port;
  int started; /* a Start went out without its Stop */
  atomic_int stop;
  pthread_t thread;
};

static void flz_midi_out_raw_open(flz_midi_out *out, uint64_t now)
{
  if (out->raw_path == NULL || out->raw_fd >= 0 || now < out->raw_retry_ns)
    return;
  out->raw_fd = open(out->raw_path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (out->raw_fd < 0)
    out->raw_retry_ns = now + (uint64_t)FLZ_MIDI_RETRY_MS * 1000000u;
}

/* Sends one clock status byte on every output. */
static void flz_midi_out_send(flz_midi_out *out, uint32_t status)
{
  uint8_t byte = (uint8_t)status;
  flz_midi_out_raw_open(out, flz_clock_now_ns());
  if (out->raw_fd >= 0) {
    ssize_t n;
    do
      n = write(out->raw_fd, &byte, 1);
    while (n < 0 && errno == EINTR);
    if (n != 1 && !(n < 0 && errno == EAGAIN)) {
      close(out->raw_fd);
      out->raw_fd = -1;
    }
  }
  if (out->seq != NULL) {
    snd_seq_event_t ev;
    snd_seq_ev_clear(&ev);
    snd_seq_ev_set_source(&ev, out->seq_port);
    snd_seq_ev_set_subs(&ev);
    snd_seq_ev_set_direct(&ev);
    ev.type = status == 0xFA   ? SND_SEQ_EVENT_START
              : status == 0xFC ? SND_SEQ_EVENT_STOP
                               : SND_SEQ_EVENT_CLOCK;
    (void)snd_seq_event_output_direct(out->seq, &ev);
  }
  if (status == 0xFA)
    out->started = 1;
  else if (status == 0xFC)
    out->started = 0;
}

static void *flz_midi_out_thread(void *user)
{
  flz_midi_out *out = user;
  /* A FIFO whose reader went away fails the write with EPIPE, not the
   * process with SIGPIPE. */
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, NULL);
  while (!atomic_load(&out->stop)) {
    flz_clock_out message;
    if (!flz_engine_clock_out(&out->sampler->engine, &message)) {
      flz_midi_out_raw_open(out, flz_clock_now_ns());
      flz_clock_sleep_until_ns(flz_clock_now_ns() + FLZ_MIDI_OUT_POLL_MS * 1000000u);
      continue;
    }
    /* A time more than a second ahead is not a period's: send it now. */
    if (message.time_ns != 0 && message.time_ns < flz_clock_now_ns() + 1000000000u)
      flz_clock_sleep_until_ns(message.time_ns);
    flz_midi_out_send(out, message.status);
  }
  if (out->started)
    flz_midi_out_send(out, 0xFC);
  return NULL;
}

static void flz_midi_out_seq_open(flz_midi_out *out, char *detail, size_t detail_size)
{
  int err = snd_seq_open(&out->seq, "default", SND_SEQ_OPEN_OUTPUT, 0);
  if (err >= 0) {
    snd_seq_set_client_name(out->seq, "Flitz");
    out->seq_port = snd_seq_create_simple_port(
      out->seq, "Flitz out", SND_SEQ_PORT_CAP_READ | SND_SEQ_PORT_CAP_SUBS_READ,
      SND_SEQ_PORT_TYPE_MIDI_GENERIC | SND_SEQ_PORT_TYPE_APPLICATION);
    if (out->seq_port >= 0)
      return;
    err = out->seq_port;
    snd_seq_close(out->seq);
  }
  out->seq = NULL;
  snprintf(detail, detail_size, "ALSA sequencer: %s", snd_strerror(err));
}

int flz_midi_out_open(flz_midi_out **result, flz_sampler *sampler,
                      const flz_midi_out_config *config, char *detail, size_t detail_size)
{
  *result = NULL;
  if (detail_size > 0)
    detail[0] = '\0';
  if (sampler == NULL || config == NULL || (!config->sequencer && config->raw_path == NULL))
    return FLZ_ERR_ARGUMENT;
  flz_midi_out *out = calloc(1, sizeof *out);
  if (out == NULL)
    return FLZ_ERR_NO_MEMORY;
  out->sampler = sampler;
  out->raw_fd = -1;
  atomic_init(&out->stop, 0);
  if (config->raw_path != NULL && (out->raw_path = strdup(config->raw_path)) == NULL) {
    free(out);
    return FLZ_ERR_NO_MEMORY;
  }
  if (config->sequencer)
    flz_midi_out_seq_open(out, detail, detail_size);
  if (pthread_create(&out->thread, NULL, flz_midi_out_thread, out) != 0) {
    if (out->seq != NULL)
      snd_seq_close(out->seq);
    free(out->raw_path);
    free(out);
    return FLZ_ERR_NO_MEMORY;
  }
  *result = out;
  return FLZ_OK;
}

void flz_midi_out_close(flz_midi_out *out)
{
  if (out == NULL)
    return;
  atomic_store(&out->stop, 1);
  pthread_join(out->thread, NULL);
  if (out->raw_fd >= 0)
    close(out->raw_fd);
  if (out->seq != NULL)
    snd_seq_close(out->seq);
  free(out->raw_path);
  free(out);
}
