/* platform/loader.h: a pool of loader threads that probe and decode files
 * in the background while audio plays.
 *
 * Owns: the loader threads, their job queue and the queue of reports back to
 * the control thread. Loader threads only read and decode (platform/decode.h)
 * into memory they malloc; they never touch the sample pool or the engine:
 * the control thread takes each decoded sample from a report, copies it into
 * a pool region and publishes it (platform/sampler.h), so the pool allocator
 * and the engine's command ring keep their single control-side owner. The
 * copy costs a memcpy per sample on the control thread (about 1 ms per 10 MB)
 * and lets a sample of unknown length (a FLAC stream without a length) load
 * like any other.
 *
 * Generations: every flz_loader_new_generation starts a new generation (a new kit).
 * Jobs of older generations still queued are dropped without running; a job
 * already running finishes, and its report is discarded and its memory freed
 * by the loader, so no report of a stale generation ever reaches the control
 * thread.
 *
 * Threads: the job and report queues are guarded by one mutex with condition
 * variables, between the control thread and the loader threads only; the
 * audio thread never touches a loader. Every function here is for the one
 * control thread that created the loader, unless it says otherwise.
 */
#ifndef FLZ_PLATFORM_LOADER_H
#define FLZ_PLATFORM_LOADER_H

#include <stdint.h>

#include "platform/decode.h"

typedef struct flz_loader flz_loader;

/* What a job does. */
typedef enum flz_loader_job {
  FLZ_LOADER_PROBE = 1,   /* flz_decode_probe: the decoded size from the headers */
  FLZ_LOADER_DECODE,      /* flz_decode_load: the whole file at the job's rate */
  FLZ_LOADER_DECODE_WITH, /* the job's own decoder (flz_loader_submit_decoder) */
} flz_loader_job;

/* What a report says. */
typedef enum flz_loader_report_type {
  FLZ_LOADER_PROBED = 1, /* a PROBE job ended: `result`, `estimate`, `detail` */
  FLZ_LOADER_PROGRESS,   /* a DECODE job is under way: `frames_done` of `frames_total` */
  FLZ_LOADER_DECODED,    /* a DECODE job ended: `result`, `decoded`, `source`, `detail` */
} flz_loader_report_type;

typedef struct flz_loader_report {
  uint32_t type;                /* flz_loader_report_type */
  uint32_t generation;          /* the job's generation: always the current one */
  uint32_t tag;                 /* the job's tag (the app uses the slot) */
  int result;                   /* PROBED, DECODED: FLZ_OK or an error of platform/decode.h */
  flz_decode_estimate estimate; /* PROBED */
  flz_decoded decoded;          /* DECODED with FLZ_OK: the receiver owns it
                                   and frees it with flz_decode_free */
  flz_audio_info source;        /* DECODED: what the file holds */
  uint64_t frames_done;         /* PROGRESS: source frames decoded so far */
  uint64_t frames_total;        /* PROGRESS: source frames in all (0 unknown) */
  char detail[256];             /* PROBED, DECODED: the decoder's reason */
} flz_loader_report;

/* Progress reports per DECODE job at most: one each time another eighth of
 * the file is decoded. */
#define FLZ_LOADER_PROGRESS_STEPS 8u

/* Threads used when `threads` is 0: the number of online cores
 * (sysconf(_SC_NPROCESSORS_ONLN)), at least 2, so one long file never holds
 * up the rest of a kit. */
uint32_t flz_loader_default_threads(void);

/* Starts `threads` loader threads (0: flz_loader_default_threads) and stores
 * the loader in `*out`. Errors: FLZ_ERR_ARGUMENT (NULL out, more than 64
 * threads), FLZ_ERR_NO_MEMORY (also when a thread cannot be started). */
int flz_loader_start(uint32_t threads, flz_loader **out);

/* Drops the queued jobs, waits for the running ones, stops the threads and
 * frees every report not taken. NULL-safe. */
void flz_loader_stop(flz_loader *loader);

/* Loader threads running. */
uint32_t flz_loader_threads(const flz_loader *loader);

/* Starts a new generation and returns its number: queued jobs of older
 * generations are dropped, running ones finish unseen, reports of older
 * generations not yet taken are freed. */
uint32_t flz_loader_new_generation(flz_loader *loader);

/* Queues a `job` on `path` (copied) for the current generation, with `tag`
 * handed back in its reports, decoding at `rate` Hz (0: the file's rate).
 * Jobs start in the order they are queued. Errors: FLZ_ERR_ARGUMENT (NULL
 * path, unknown job), FLZ_ERR_NO_MEMORY. */
int flz_loader_submit(flz_loader *loader, uint32_t job, uint32_t tag, const char *path,
                      uint32_t rate);

/* A decoder of the caller's own, for samples no file decoder reads whole (an
 * SF2 bank's points): decodes what `path` and `args` (the bytes handed to
 * flz_loader_submit_decoder) name at `rate` Hz (0: their own) into `out`
 * (malloc'ed, as flz_decode_load's), says in `source` what they hold, and
 * returns FLZ_OK or an error of platform/decode.h with a short reason in
 * `detail`. Runs on a loader thread: it must not touch what the control
 * thread may free. */
typedef int (*flz_loader_decode_fn)(const char *path, const void *args, uint32_t rate,
                                    flz_decoded *out, flz_audio_info *source, char *detail,
                                    size_t detail_size);

/* The most bytes of `args` a decoder job carries. */
#define FLZ_LOADER_ARGS 64u

/* Queues a decode of `path` (copied) by `decode` with `args_size` bytes of
 * `args` (copied; at most FLZ_LOADER_ARGS), reported as a DECODE job's
 * (DECODED, no PROGRESS), at `rate` Hz. Errors: FLZ_ERR_ARGUMENT (NULL path
 * or decode, args too large), FLZ_ERR_NO_MEMORY. */
int flz_loader_submit_decoder(flz_loader *loader, uint32_t tag, const char *path, uint32_t rate,
                              flz_loader_decode_fn decode, const void *args, size_t args_size);

/* Takes the oldest report of the current generation into `report` and
 * returns 1, or returns 0 at once if there is none. Never blocks for long
 * (the queue's mutex is held only to move a report). */
int flz_loader_poll(flz_loader *loader, flz_loader_report *report);

/* As flz_loader_poll, but waits up to `timeout_ms` milliseconds for a report
 * (for callers with nothing else to do, such as `flitz render`). */
int flz_loader_wait(flz_loader *loader, flz_loader_report *report, uint32_t timeout_ms);

/* Jobs of the current generation queued or running, plus its reports not yet
 * taken: 0 when everything asked for has been reported and taken. */
uint32_t flz_loader_pending(flz_loader *loader);

#endif
