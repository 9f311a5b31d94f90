/* app/kit.h: a kit is a folder of audio files; its .wav, .ogg, .oga and
 * .flac files become pads 1..N in natural sort order ("2.wav" before
 * "10.wav", case folded). Hidden files (starting with '.') and other files
 * are skipped.
 *
 * Owns: finding a kit's files, their pad order, loading them into a sampler
 * (in the background through a platform/loader.h pool, or blocking), the
 * check that a kit fits in the sample pool, and locating the built-in
 * default kit. Control thread only (file I/O, the sample pool).
 *
 * A kit load: every slot of the sampler is emptied (the kit owns the sampler
 * and the whole pool), every file's headers are probed on the loader threads
 * for its decoded size at the engine's rate, then the pads are taken in pad
 * order while their sizes (each rounded up to FLZ_POOL_ALIGN) fit in the pool;
 * each pad that does not fit gets one line "error: PATH: does not fit in the
 * sample pool (needs X MiB, Y MiB free)" (Y: what is left after the pads
 * before it). The pads that fit are decoded on the loader threads, in pad
 * order as threads come free, and each is published (copied into the pool
 * and sent to the engine) by flz_kit_poll as soon as it is decoded: playable
 * from then on. A file that fails prints one line "error: PATH: REASON" (the
 * result's message, then the decoder's detail in parentheses) and the other
 * pads go on loading; its slot stays empty.
 *
 * A multi-sample kit (app/kitformat.h: flz_kit.regions) loads the same way
 * with its regions in place of the pads: region i's file is probed, planned
 * and decoded into slot i, and published with its SET_SLOT and SET_REGION
 * (a region that fails prints its error line and stays silent, and its pad
 * shows the reason). A pad is sent (SET_PAD) once each of its regions is
 * published or failed: playable from then on with the regions that loaded.
 */
#ifndef FLZ_APP_KIT_H
#define FLZ_APP_KIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app/kitfile.h"
#include "engine/limits.h"
#include "platform/loader.h"
#include "platform/sampler.h"

struct flz_kit_regions;

typedef struct flz_kit {
  char *dir;                       /* the folder as given */
  uint32_t count;                  /* pads found, at most FLZ_PADS */
  uint32_t skipped;                /* audio files past FLZ_PADS, not loaded */
  char *paths[FLZ_PADS];           /* dir + "/" + file name, pad order; malloc'ed; NULL
                               for a pad left empty (a kit.ini `file` put a
                               file on a later pad) */
  flz_kitfile *settings;           /* the folder's kit.ini, or its defaults; malloc'ed */
  int settings_result;             /* FLZ_OK, or FLZ_ERR_SYNTAX / FLZ_ERR_READ for a
                               kit.ini that could not be used (then ignored) */
  uint32_t settings_line;          /* the bad line of kit.ini */
  char settings_detail[160];       /* its reason */
  struct flz_kit_regions *regions; /* a multi-sample kit (app/kitformat.h): its pads
                                      and regions, malloc'ed; NULL for a folder */
} flz_kit;

/* Natural order of two file names: digit runs compare by value, the rest
 * case-insensitively (ASCII); names equal that way ("01" and "1", "a" and "A")
 * are ordered by strcmp. Returns -1, 0 (only for equal strings) or 1. */
int flz_kit_natural_compare(const char *a, const char *b);

/* Scans folder `dir`: every entry whose name is not hidden and ends in .wav,
 * .ogg, .oga, .flac, .aif or .aiff (any case) is a pad, chosen by name only
 * (a folder "x.ogg" is a pad that fails to load, so the user hears why).
 * Errors: FLZ_ERR_NOT_FOUND, FLZ_ERR_NOT_A_KIT (not a folder), FLZ_ERR_READ,
 * FLZ_ERR_EMPTY_KIT, FLZ_ERR_NO_MEMORY. More than FLZ_PADS audio files is not
 * an error: the first FLZ_PADS are pads and `skipped` counts the rest.
 * A kit.ini in the folder (app/kitfile.h) is read into `settings`: a pad
 * whose section names a `file` plays that file, the other audio files fill
 * the other pads in natural order. A kit.ini with a bad line is not an error
 * of the scan: `settings_result` says so, the kit keeps the defaults and the
 * folder order, and flz_kit_settings_error prints the line. */
int flz_kit_scan(const char *dir, flz_kit *kit);

/* Prints "error: DIR/kit.ini:LINE: REASON" on `err` when the kit's kit.ini
 * could not be used; returns 1 if it printed. */
int flz_kit_settings_error(const flz_kit *kit, FILE *err);

/* The reason a sample of `needs` bytes is not loaded while the pool has
 * `free_bytes` free, as a kit load's error line says it after the path:
 * "does not fit in the sample pool (needs X MiB, Y MiB free)" (one decimal),
 * into `reason` (`size` bytes, cut to fit). Any thread. */
void flz_kit_pool_reason(char *reason, size_t size, uint64_t needs, uint64_t free_bytes);

/* Prints "error: DIR: REASON" on `err` for a kit folder that cannot be used
 * (`result` from flz_kit_scan or flz_kit_start); an empty kit's reason names
 * the extensions of platform/decode.h's table. */
void flz_kit_error(const char *dir, int result, FILE *err);

/* Sends the kit-wide settings (tempo, quantize, multi-loop, speed) to the
 * engine. */
int flz_kit_apply_settings(const flz_kit *kit, flz_sampler *sampler);

/* Frees what flz_kit_scan allocated. NULL-safe, safe twice. */
void flz_kit_deinit(flz_kit *kit);

/* Where one pad of a kit load is. */
typedef enum flz_kit_pad_state {
  FLZ_KIT_PAD_PROBING = 1, /* its headers are being read */
  FLZ_KIT_PAD_DECODING,    /* it fits and is queued or being decoded */
  FLZ_KIT_PAD_READY,       /* decoded, waiting for pool memory that retiring
                              samples still hold, or for room in the command ring */
  FLZ_KIT_PAD_LOADED,      /* published: playable */
  FLZ_KIT_PAD_FAILED,      /* its error line is printed; the slot is empty */
  FLZ_KIT_PAD_EMPTY,       /* no file for this pad */
} flz_kit_pad_state;

/* One pad of a kit load; of a multi-sample kit's, also one region. */
typedef struct flz_kit_pad {
  uint32_t state;        /* flz_kit_pad_state; a multi-sample pad: LOADED once
                            sent with at least one region loaded, FAILED once
                            sent with none */
  uint64_t bytes;        /* decoded size from the probe, rounded up to
                             FLZ_POOL_ALIGN; 0 when the header gives no length */
  uint64_t frames_done;  /* source frames decoded so far */
  uint64_t frames_total; /* source frames of the file (0 unknown) */
  uint32_t source_rate;  /* the file's own rate, Hz, from the probe */
  flz_decoded decoded;   /* READY: the frames waiting to be published */
  char reason[128];      /* FAILED: why, as its error line says after the path;
                            a multi-sample pad: "FILE: why" of its first region
                            that failed, whatever its state */
} flz_kit_pad;

/* A kit load in progress. Zero it before the first flz_kit_start. */
typedef struct flz_kit_loading {
  flz_kit kit; /* a copy of the kit being loaded */
  flz_sampler *sampler;
  flz_loader *loader;
  FILE *err;
  uint32_t generation; /* the loader generation of this load */
  uint32_t probing;    /* probes not reported yet */
  uint32_t empty;      /* pads with no file */
  uint32_t loaded;     /* pads published */
  uint32_t failed;     /* pads that printed an error line */
  int active;          /* 1 from flz_kit_start until every pad is LOADED or FAILED */
  int hold;            /* 1: a decoded pad waits (READY) while the pool's
                              memory is retiring; 0: it fails at once */
  uint64_t start_ns;   /* CLOCK_MONOTONIC at flz_kit_start */
  uint64_t end_ns;     /* ... when the last pad was done (0 while active) */
  flz_kit_pad pads[FLZ_PADS];
  /* a multi-sample kit: its regions' loads (kit.regions->count of them,
     malloc'ed; NULL for a folder) and how many are published or failed */
  flz_kit_pad *regions;
  uint32_t regions_loaded;
  uint32_t regions_failed;
  uint32_t pads_unsent; /* pads whose regions are done, waiting for room in the
                           command ring to be sent */
} flz_kit_loading;

/* Starts loading `kit` (copied) into `sampler` in the background on
 * `loader`'s threads; error lines go to `err`. Cancels a load `loading` still
 * has running: its queued files are dropped, what its threads are decoding is
 * discarded, and none of its samples lands on a pad afterwards. Empties every
 * slot of `sampler` first (the old pads' voices fade out), and the pads of
 * the multi-sample kit it loaded before, if any (SET_PAD with no regions).
 * Files past
 * FLZ_PADS (kit->skipped) print one line "error: DIR: more files than sample
 * slots (N files past pad 256 not loaded)" (a multi-sample kit's reader
 * says its own). Returns FLZ_OK, or
 * FLZ_ERR_NO_MEMORY (nothing changed). */
int flz_kit_start(flz_kit_loading *loading, const flz_kit *kit, flz_sampler *sampler,
                  flz_loader *loader, FILE *err);

/* Takes the loader's reports, plans the pool once every file is probed,
 * publishes decoded pads and prints error lines. Waits up to `wait_ms`
 * milliseconds for the first report (0: never blocks). Returns 1 while the
 * load is active, 0 once every pad is LOADED or FAILED (or with no load). */
int flz_kit_poll(flz_kit_loading *loading, uint32_t wait_ms);

/* Stops the load: cancels it (as flz_kit_start does) and frees what it holds; pads
 * already published stay. NULL-safe, safe twice. */
void flz_kit_stop(flz_kit_loading *loading);

/* Source frames decoded so far and in all, over the pads being loaded (a
 * pad whose length is unknown counts 1 frame, done when it is); over the
 * regions of a multi-sample kit. */
void flz_kit_progress(const flz_kit_loading *loading, uint64_t *done, uint64_t *total);

/* Source frames decoded so far and in all of pad `pad`'s regions, as
 * flz_kit_progress (its own frames for a folder kit's pad). */
void flz_kit_pad_progress(const flz_kit_loading *loading, uint32_t pad, uint64_t *done,
                          uint64_t *total);

/* Loads every pad of `kit` into `sampler` (pad N -> slot N-1) as above and
 * waits until all are published or failed, with a loader of its own
 * (flz_loader_default_threads threads). For `flitz render`. Returns how many
 * pads loaded. */
uint32_t flz_kit_load(const flz_kit *kit, flz_sampler *sampler, FILE *err);

/* The folder of the built-in default kit: "kit/default" next to the flitz
 * executable (the build tree), else "../share/flitz/kits/default" relative to
 * it (an installed package). The executable's folder comes from
 * /proc/self/exe. Writes it into `out` (`size` bytes) and returns FLZ_OK,
 * FLZ_ERR_NOT_FOUND if neither exists, or FLZ_ERR_ARGUMENT if `size` is too
 * small. */
int flz_kit_default_dir(char *out, size_t size);

#endif
