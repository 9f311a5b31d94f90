/* platform/midi.c: the MIDI input of platform/midi.h: the byte parser over
 * libasound's snd_midi_event encoder, the ALSA sequencer client, the raw
 * stream, and the one thread that waits on all of them with poll().
 * Owns: the sequencer handle, its port and subscriptions, the raw stream's
 * file descriptor and the thread. Must not touch the engine, pads or SDL. */
#include "platform/midi.h"

#include <alsa/asoundlib.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/result.h"
#include "platform/clock.h"

/* The encoder's buffer holds one SysEx chunk; Flitz skips SysEx, so a small
 * buffer only means more (skipped) chunks. */
#define FLZ_MIDI_ENCODER_BUFFER 32

/* Bytes taken per read of the raw stream: 256 is 85 three-byte messages,
 * more than a pad controller sends in a millisecond. */
#define FLZ_MIDI_READ_BYTES 256

/* poll descriptors: the stop pipe, the raw stream, the sequencer's. */
#define FLZ_MIDI_POLL_FDS 8

typedef struct flz_midi_port {
  int client;
  int port;
  char name[128];
} flz_midi_port;

struct flz_midi {
  flz_midi_config config;
  char *raw_path;
  int raw_fd;            /* -1 while closed */
  int raw_fifo;          /* reopen on end of file */
  int raw_done;          /* a regular file was read to its end */
  int raw_failed;        /* the last open failed (reported once) */
  int raw_lock;          /* a descriptor of raw_path holding its flock, or -1 */
  uint64_t raw_retry_ns; /* when to try opening again */
  uint64_t raw_bytes;    /* bytes read since the stream was last opened */
  int raw_quiet;         /* it ended with no byte read: reopened every FLZ_MIDI_RETRY_MS
                            without a line (a port with no writer: a virtio port
                            whose host end is closed reads at its end at once) */
  flz_midi_parser parser;
  snd_seq_t *seq;
  snd_seq_port_info_t *port_info; /* scratch for port queries */
  snd_seq_client_info_t *client_info;
  int seq_port;
  int seq_client;
  flz_midi_port ports[FLZ_MIDI_PORTS];
  uint32_t port_count;
  int stop_pipe[2];
  pthread_t thread;
};

int flz_midi_parser_init(flz_midi_parser *parser)
{
  snd_midi_event_t *encoder = NULL;
  parser->encoder = NULL;
  if (snd_midi_event_new(FLZ_MIDI_ENCODER_BUFFER, &encoder) < 0)
    return FLZ_ERR_NO_MEMORY;
  snd_midi_event_init(encoder);
  parser->encoder = encoder;
  return FLZ_OK;
}

void flz_midi_parser_deinit(flz_midi_parser *parser)
{
  if (parser->encoder != NULL)
    snd_midi_event_free(parser->encoder);
  parser->encoder = NULL;
}

/* A sequencer event as Flitz's event; returns 0 for events Flitz skips.
 * Note On with velocity 0 is Note Off (MIDI 1.0, running status practice:
 * neither libasound's encoder nor the kernel turns it into one). */
static int flz_midi_from_seq(const snd_seq_event_t *ev, flz_input_event *event)
{
  memset(event, 0, sizeof *event);
  event->source = FLZ_SOURCE_MIDI;
  switch (ev->type) {
  case SND_SEQ_EVENT_NOTEON:
  case SND_SEQ_EVENT_NOTEOFF:
    event->channel = ev->data.note.channel & 15u;
    event->control = ev->data.note.note & 127;
    if (ev->type == SND_SEQ_EVENT_NOTEON && ev->data.note.velocity > 0) {
      event->type = FLZ_INPUT_PRESS;
      event->value = (float)(ev->data.note.velocity & 127) / 127.0f;
    } else {
      event->type = FLZ_INPUT_RELEASE;
    }
    return 1;
  case SND_SEQ_EVENT_CONTROLLER:
    event->type = FLZ_INPUT_CONTROL_CHANGE;
    event->channel = ev->data.control.channel & 15u;
    event->control = (int32_t)(ev->data.control.param & 127u);
    event->value = (float)(ev->data.control.value & 127) / 127.0f;
    return 1;
  case SND_SEQ_EVENT_KEYPRESS:
    event->type = FLZ_INPUT_PRESSURE;
    event->channel = ev->data.note.channel & 15u;
    event->control = ev->data.note.note & 127;
    event->value = (float)(ev->data.note.velocity & 127) / 127.0f;
    return 1;
  case SND_SEQ_EVENT_CHANPRESS:
    event->type = FLZ_INPUT_PRESSURE;
    event->channel = ev->data.control.channel & 15u;
    event->control = -1;
    event->value = (float)(ev->data.control.value & 127) / 127.0f;
    return 1;
  case SND_SEQ_EVENT_PGMCHANGE:
    event->type = FLZ_INPUT_PROGRAM_CHANGE;
    event->channel = ev->data.control.channel & 15u;
    event->control = ev->data.control.value & 127;
    return 1;
  case SND_SEQ_EVENT_CLOCK:
  case SND_SEQ_EVENT_START:
  case SND_SEQ_EVENT_CONTINUE:
  case SND_SEQ_EVENT_STOP:
  case SND_SEQ_EVENT_SONGPOS: {
    static const int32_t status[] = {0xF8, 0xFA, 0xFB, 0xFC, 0xF2};
    static const int types[] = {SND_SEQ_EVENT_CLOCK, SND_SEQ_EVENT_START, SND_SEQ_EVENT_CONTINUE,
                                SND_SEQ_EVENT_STOP, SND_SEQ_EVENT_SONGPOS};
    event->type = FLZ_INPUT_CLOCK;
    for (uint32_t i = 0; i < 5; i++)
      if (ev->type == types[i])
        event->control = status[i];
    if (ev->type == SND_SEQ_EVENT_SONGPOS)
      event->value = (float)(ev->data.control.value & 16383);
    return 1;
  }
  default:
    return 0;
  }
}

int flz_midi_parser_byte(flz_midi_parser *parser, uint8_t byte, flz_input_event *event)
{
  snd_seq_event_t ev;
  memset(&ev, 0, sizeof ev);
  if (parser->encoder == NULL || snd_midi_event_encode_byte(parser->encoder, byte, &ev) != 1)
    return 0;
  return flz_midi_from_seq(&ev, event);
}

/* ---- the MIDI input thread ---- */

static void flz_midi_emit(flz_midi *midi, const flz_input_event *event)
{
  midi->config.event(midi->config.user, event);
}

static void flz_midi_notice(flz_midi *midi, uint32_t type, int32_t device, const char *name)
{
  flz_input_event event;
  memset(&event, 0, sizeof event);
  event.source = FLZ_SOURCE_MIDI;
  event.type = type;
  event.device = device;
  event.time_ns = flz_clock_now_ns();
  snprintf(event.name, sizeof event.name, "%s", name);
  flz_midi_emit(midi, &event);
}

/* Hardware output ports Flitz subscribes to by itself. */
static int flz_midi_wanted(const snd_seq_port_info_t *info, int own_client)
{
  int client = snd_seq_port_info_get_client(info);
  unsigned caps = snd_seq_port_info_get_capability(info);
  unsigned type = snd_seq_port_info_get_type(info);
  unsigned need = SND_SEQ_PORT_CAP_READ | SND_SEQ_PORT_CAP_SUBS_READ;
  return client != own_client && client != SND_SEQ_CLIENT_SYSTEM && (caps & need) == need &&
         !(caps & SND_SEQ_PORT_CAP_NO_EXPORT) && (type & SND_SEQ_PORT_TYPE_HARDWARE);
}

static int flz_midi_port_index(const flz_midi *midi, int client, int port)
{
  for (uint32_t i = 0; i < midi->port_count; i++)
    if (midi->ports[i].client == client && (port < 0 || midi->ports[i].port == port))
      return (int)i;
  return -1;
}

static void flz_midi_connect(flz_midi *midi, const snd_seq_port_info_t *info)
{
  int client = snd_seq_port_info_get_client(info);
  int port = snd_seq_port_info_get_port(info);
  if (!flz_midi_wanted(info, midi->seq_client) || midi->port_count == FLZ_MIDI_PORTS ||
      flz_midi_port_index(midi, client, port) >= 0)
    return;
  if (snd_seq_connect_from(midi->seq, midi->seq_port, client, port) < 0)
    return;
  flz_midi_port *p = &midi->ports[midi->port_count++];
  p->client = client;
  p->port = port;
  snprintf(p->name, sizeof p->name, "%s", snd_seq_port_info_get_name(info));
  char name[160];
  snprintf(name, sizeof name, "%d:%d %s", client, port, p->name);
  flz_midi_notice(midi, FLZ_INPUT_DEVICE_ADDED, (client << 8) | port, name);
}

/* Lets go of port `port` of `client` (every port of it when port < 0). */
static void flz_midi_forget(flz_midi *midi, int client, int port)
{
  int i;
  while ((i = flz_midi_port_index(midi, client, port)) >= 0) {
    flz_midi_port gone = midi->ports[i];
    midi->ports[i] = midi->ports[--midi->port_count];
    snd_seq_disconnect_from(midi->seq, midi->seq_port, gone.client, gone.port);
    char name[160];
    snprintf(name, sizeof name, "%d:%d %s", gone.client, gone.port, gone.name);
    flz_midi_notice(midi, FLZ_INPUT_DEVICE_REMOVED, (gone.client << 8) | gone.port, name);
  }
}

static void flz_midi_connect_all(flz_midi *midi)
{
  snd_seq_client_info_t *client = midi->client_info;
  snd_seq_port_info_t *port = midi->port_info;
  snd_seq_client_info_set_client(client, -1);
  while (snd_seq_query_next_client(midi->seq, client) >= 0) {
    snd_seq_port_info_set_client(port, snd_seq_client_info_get_client(client));
    snd_seq_port_info_set_port(port, -1);
    while (snd_seq_query_next_port(midi->seq, port) >= 0)
      flz_midi_connect(midi, port);
  }
}

static int flz_midi_seq_open(flz_midi *midi, char *detail, size_t detail_size)
{
  int err = snd_seq_open(&midi->seq, "default", SND_SEQ_OPEN_INPUT, SND_SEQ_NONBLOCK);
  if (err < 0) {
    midi->seq = NULL;
    snprintf(detail, detail_size, "ALSA sequencer: %s", snd_strerror(err));
    return 0;
  }
  if (snd_seq_port_info_malloc(&midi->port_info) < 0 ||
      snd_seq_client_info_malloc(&midi->client_info) < 0) {
    snprintf(detail, detail_size, "ALSA sequencer: %s", flz_result_message(FLZ_ERR_NO_MEMORY));
    snd_seq_close(midi->seq);
    midi->seq = NULL;
    return 0;
  }
  snd_seq_set_client_name(midi->seq, "Flitz");
  midi->seq_client = snd_seq_client_id(midi->seq);
  midi->seq_port = snd_seq_create_simple_port(
    midi->seq, "Flitz in", SND_SEQ_PORT_CAP_WRITE | SND_SEQ_PORT_CAP_SUBS_WRITE,
    SND_SEQ_PORT_TYPE_MIDI_GENERIC | SND_SEQ_PORT_TYPE_APPLICATION);
  if (midi->seq_port < 0 ||
      (err = snd_seq_connect_from(midi->seq, midi->seq_port, SND_SEQ_CLIENT_SYSTEM,
                                  SND_SEQ_PORT_SYSTEM_ANNOUNCE)) < 0) {
    snprintf(detail, detail_size, "ALSA sequencer: %s",
             snd_strerror(midi->seq_port < 0 ? midi->seq_port : err));
    snd_seq_close(midi->seq);
    midi->seq = NULL;
    return 0;
  }
  return 1;
}

/* Handles the sequencer's waiting events. */
static void flz_midi_seq_read(flz_midi *midi)
{
  snd_seq_event_t *ev = NULL;
  while (snd_seq_event_input(midi->seq, &ev) >= 0 && ev != NULL) {
    uint64_t now = flz_clock_now_ns();
    snd_seq_port_info_t *info = midi->port_info;
    flz_input_event event;
    switch (ev->type) {
    case SND_SEQ_EVENT_PORT_START:
      if (snd_seq_get_any_port_info(midi->seq, ev->data.addr.client, ev->data.addr.port, info) >= 0)
        flz_midi_connect(midi, info);
      break;
    case SND_SEQ_EVENT_PORT_EXIT:
      flz_midi_forget(midi, ev->data.addr.client, ev->data.addr.port);
      break;
    case SND_SEQ_EVENT_CLIENT_EXIT:
      flz_midi_forget(midi, ev->data.addr.client, -1);
      break;
    case SND_SEQ_EVENT_PORT_UNSUBSCRIBED:
      if (ev->data.connect.dest.client == midi->seq_client)
        flz_midi_forget(midi, ev->data.connect.sender.client, ev->data.connect.sender.port);
      break;
    default:
      if (flz_midi_from_seq(ev, &event)) {
        event.device = (ev->source.client << 8) | ev->source.port;
        event.time_ns = now;
        flz_midi_emit(midi, &event);
      }
      break;
    }
  }
}

static void flz_midi_raw_close(flz_midi *midi)
{
  if (midi->raw_fd < 0)
    return;
  close(midi->raw_fd);
  midi->raw_fd = -1;
  if (!midi->raw_quiet)
    flz_midi_notice(midi, FLZ_INPUT_DEVICE_REMOVED, FLZ_MIDI_RAW_DEVICE, midi->raw_path);
  /* A message cut off by the device going away must not merge with the
   * bytes of the next writer. */
  snd_midi_event_reset_encode(midi->parser.encoder);
}

/* Takes an exclusive flock on the raw path, so that a second flitz reading
 * the same FIFO (which would split its notes between the two) refuses it.
 * The lock lives on a descriptor of its own, kept while the stream is closed
 * and opened again. Returns 1 when held, 0 when another process holds it,
 * -1 when the path cannot be opened (yet). */
static int flz_midi_raw_lock(flz_midi *midi)
{
  if (midi->raw_lock >= 0)
    return 1;
  int fd = open(midi->raw_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return -1;
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int taken = errno == EWOULDBLOCK;
    close(fd);
    return taken ? 0 : 1; /* a file system without locks: read it anyway */
  }
  midi->raw_lock = fd;
  return 1;
}

static void flz_midi_raw_open(flz_midi *midi)
{
  if (flz_midi_raw_lock(midi) == 0) {
    char name[sizeof((flz_input_event *)0)->name];
    snprintf(name, sizeof name, "%s (read by another process that holds its lock; not read)",
             midi->raw_path);
    flz_midi_notice(midi, FLZ_INPUT_DEVICE_REMOVED, FLZ_MIDI_RAW_DEVICE, name);
    midi->raw_done = 1;
    return;
  }
  int fd = open(midi->raw_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  /* A device that admits one open at a time (a virtio serial port, some
   * serial drivers) refuses this second one: read through the lock's. */
  if (fd < 0 && errno == EBUSY && midi->raw_lock >= 0)
    fd = fcntl(midi->raw_lock, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) {
    if (!midi->raw_failed) {
      char name[sizeof((flz_input_event *)0)->name];
      snprintf(name, sizeof name, "%s (%s; trying again every %d ms)", midi->raw_path,
               strerror(errno), FLZ_MIDI_RETRY_MS);
      flz_midi_notice(midi, FLZ_INPUT_DEVICE_REMOVED, FLZ_MIDI_RAW_DEVICE, name);
    }
    midi->raw_failed = 1;
    midi->raw_retry_ns = flz_clock_now_ns() + (uint64_t)FLZ_MIDI_RETRY_MS * 1000000u;
    return;
  }
  struct stat st;
  midi->raw_fifo = fstat(fd, &st) == 0 && !S_ISREG(st.st_mode);
  midi->raw_fd = fd;
  midi->raw_failed = 0;
  midi->raw_bytes = 0;
  if (!midi->raw_quiet)
    flz_midi_notice(midi, FLZ_INPUT_DEVICE_ADDED, FLZ_MIDI_RAW_DEVICE, midi->raw_path);
}

/* Reads what the raw stream has; at its end or on an error closes it (a FIFO
 * or device is opened again, a regular file is done). */
static void flz_midi_raw_read(flz_midi *midi)
{
  uint8_t bytes[FLZ_MIDI_READ_BYTES];
  for (;;) {
    ssize_t n = read(midi->raw_fd, bytes, sizeof bytes);
    uint64_t now = flz_clock_now_ns();
    if (n > 0) {
      midi->raw_bytes += (uint64_t)n;
      midi->raw_quiet = 0;
      for (ssize_t i = 0; i < n; i++) {
        flz_input_event event;
        if (flz_midi_parser_byte(&midi->parser, bytes[i], &event)) {
          event.device = FLZ_MIDI_RAW_DEVICE;
          event.time_ns = now;
          flz_midi_emit(midi, &event);
        }
      }
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return;
    int fifo = midi->raw_fifo;
    if (fifo && n == 0 && midi->raw_bytes == 0) {
      /* At its end with nothing read: no writer. Stays connected as far as
       * the app knows, and is opened again in FLZ_MIDI_RETRY_MS, not at
       * once (which would spin). */
      midi->raw_quiet = 1;
      flz_midi_raw_close(midi);
      midi->raw_retry_ns = now + (uint64_t)FLZ_MIDI_RETRY_MS * 1000000u;
      return;
    }
    flz_midi_raw_close(midi);
    if (fifo)
      flz_midi_raw_open(midi);
    else
      midi->raw_done = 1;
    return;
  }
}

static void *flz_midi_thread(void *user)
{
  flz_midi *midi = user;
  struct pollfd fds[FLZ_MIDI_POLL_FDS];
  if (midi->seq != NULL)
    flz_midi_connect_all(midi);
  if (midi->raw_path != NULL)
    flz_midi_raw_open(midi);
  for (;;) {
    nfds_t count = 0;
    fds[count++] = (struct pollfd){.fd = midi->stop_pipe[0], .events = POLLIN};
    int raw_index = -1;
    if (midi->raw_fd >= 0) {
      raw_index = (int)count;
      fds[count++] = (struct pollfd){.fd = midi->raw_fd, .events = POLLIN};
    }
    nfds_t seq_first = count;
    if (midi->seq != NULL) {
      int n = snd_seq_poll_descriptors(midi->seq, &fds[count], FLZ_MIDI_POLL_FDS - count, POLLIN);
      count += n > 0 ? (nfds_t)n : 0;
    }
    int timeout = -1;
    if (midi->raw_path != NULL && midi->raw_fd < 0 && !midi->raw_done) {
      uint64_t now = flz_clock_now_ns();
      timeout = now >= midi->raw_retry_ns ? 0
                                          : (int)((midi->raw_retry_ns - now + 999999u) / 1000000u);
    }
    int ready = poll(fds, count, timeout);
    if (ready < 0 && errno != EINTR)
      break;
    if (fds[0].revents)
      break;
    if (raw_index >= 0 && fds[raw_index].revents)
      flz_midi_raw_read(midi);
    for (nfds_t i = seq_first; i < count; i++)
      if (fds[i].revents) {
        flz_midi_seq_read(midi);
        break;
      }
    if (midi->raw_path != NULL && midi->raw_fd < 0 && !midi->raw_done &&
        flz_clock_now_ns() >= midi->raw_retry_ns)
      flz_midi_raw_open(midi);
  }
  return NULL;
}

int flz_midi_open(flz_midi **out, const flz_midi_config *config, int *sequencer_ok, char *detail,
                  size_t detail_size)
{
  *out = NULL;
  if (detail_size > 0)
    detail[0] = '\0';
  if (sequencer_ok != NULL)
    *sequencer_ok = 0;
  if (config == NULL || config->event == NULL || (!config->sequencer && config->raw_path == NULL))
    return FLZ_ERR_ARGUMENT;
  flz_midi *midi = calloc(1, sizeof *midi);
  if (midi == NULL)
    return FLZ_ERR_NO_MEMORY;
  midi->config = *config;
  midi->raw_fd = -1;
  midi->raw_lock = -1;
  midi->stop_pipe[0] = midi->stop_pipe[1] = -1;
  if (config->raw_path != NULL && (midi->raw_path = strdup(config->raw_path)) == NULL)
    goto no_memory;
  if (midi->raw_path != NULL && flz_midi_raw_lock(midi) == 0) {
    snprintf(detail, detail_size,
             "%s is read by another process (it holds its lock); two readers would split its "
             "notes",
             midi->raw_path);
    free(midi->raw_path);
    free(midi);
    return FLZ_ERR_READ;
  }
  if (flz_midi_parser_init(&midi->parser) != FLZ_OK || pipe(midi->stop_pipe) != 0)
    goto no_memory;
  if (config->sequencer && flz_midi_seq_open(midi, detail, detail_size) && sequencer_ok != NULL)
    *sequencer_ok = 1;
  if (pthread_create(&midi->thread, NULL, flz_midi_thread, midi) != 0) {
    if (midi->seq != NULL)
      snd_seq_close(midi->seq);
    goto no_memory;
  }
  *out = midi;
  return FLZ_OK;
no_memory:
  if (midi->raw_lock >= 0)
    close(midi->raw_lock);
  snd_seq_port_info_free(midi->port_info);
  snd_seq_client_info_free(midi->client_info);
  if (midi->stop_pipe[0] >= 0) {
    close(midi->stop_pipe[0]);
    close(midi->stop_pipe[1]);
  }
  flz_midi_parser_deinit(&midi->parser);
  free(midi->raw_path);
  free(midi);
  return FLZ_ERR_NO_MEMORY;
}

void flz_midi_close(flz_midi *midi)
{
  if (midi == NULL)
    return;
  ssize_t written;
  do
    written = write(midi->stop_pipe[1], "x", 1);
  while (written < 0 && errno == EINTR);
  pthread_join(midi->thread, NULL);
  if (midi->raw_fd >= 0)
    close(midi->raw_fd);
  if (midi->raw_lock >= 0)
    close(midi->raw_lock);
  if (midi->seq != NULL)
    snd_seq_close(midi->seq);
  snd_seq_port_info_free(midi->port_info);
  snd_seq_client_info_free(midi->client_info);
  close(midi->stop_pipe[0]);
  close(midi->stop_pipe[1]);
  flz_midi_parser_deinit(&midi->parser);
  free(midi->raw_path);
  free(midi);
}

int flz_midi_list_ports(void (*fn)(void *user, int32_t device, const char *address,
                                   const char *name, int hardware),
                        void *user, char *detail, size_t detail_size)
{
  if (detail_size > 0)
    detail[0] = '\0';
  snd_seq_t *seq = NULL;
  int err = snd_seq_open(&seq, "default", SND_SEQ_OPEN_INPUT, SND_SEQ_NONBLOCK);
  if (err < 0) {
    snprintf(detail, detail_size, "ALSA sequencer: %s", snd_strerror(err));
    return FLZ_ERR_NOT_FOUND;
  }
  int own = snd_seq_client_id(seq);
  snd_seq_client_info_t *client = NULL;
  snd_seq_port_info_t *port = NULL;
  if (snd_seq_client_info_malloc(&client) < 0 || snd_seq_port_info_malloc(&port) < 0) {
    snd_seq_client_info_free(client);
    snd_seq_close(seq);
    snprintf(detail, detail_size, "ALSA sequencer: %s", flz_result_message(FLZ_ERR_NO_MEMORY));
    return FLZ_ERR_NO_MEMORY;
  }
  snd_seq_client_info_set_client(client, -1);
  int count = 0;
  unsigned need = SND_SEQ_PORT_CAP_READ | SND_SEQ_PORT_CAP_SUBS_READ;
  while (snd_seq_query_next_client(seq, client) >= 0) {
    int c = snd_seq_client_info_get_client(client);
    snd_seq_port_info_set_client(port, c);
    snd_seq_port_info_set_port(port, -1);
    while (snd_seq_query_next_port(seq, port) >= 0) {
      unsigned caps = snd_seq_port_info_get_capability(port);
      if (c == own || c == SND_SEQ_CLIENT_SYSTEM || (caps & need) != need ||
          (caps & SND_SEQ_PORT_CAP_NO_EXPORT))
        continue;
      int p = snd_seq_port_info_get_port(port);
      char address[16];
      snprintf(address, sizeof address, "%d:%d", c, p);
      if (fn != NULL)
        fn(user, (c << 8) | p, address, snd_seq_port_info_get_name(port),
           flz_midi_wanted(port, own));
      count++;
    }
  }
  snd_seq_port_info_free(port);
  snd_seq_client_info_free(client);
  snd_seq_close(seq);
  return count;
}
