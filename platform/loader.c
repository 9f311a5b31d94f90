/* platform/loader.c: the loader threads of platform/loader.h.
 *
 * Owns: the threads, the job queue, the report queue and the generation
 * counter, all under one mutex. Must not touch: the sample pool, the engine,
 * SDL (decoding is platform/decode.c's).
 */
#include "platform/loader.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/result.h"

/* More threads than this gains nothing for a sample kit and only costs
 * memory (each decodes one file at a time). */
#define FLZ_LOADER_MAX_THREADS 64u

typedef struct flz_loader_report_node {
  struct flz_loader_report_node *next;
  flz_loader_report report;
} flz_loader_report_node;

/* A queued job, with its final report allocated when it is queued so a
 * running job always has one to fill. */
typedef struct flz_loader_job_node {
  struct flz_loader_job_node *next;
  uint32_t job;
  uint32_t tag;
  uint32_t generation;
  uint32_t rate;
  char *path;
  flz_loader_decode_fn decode; /* DECODE_WITH */
  unsigned char args[FLZ_LOADER_ARGS];
  flz_loader_report_node *done;
} flz_loader_job_node;

struct flz_loader {
  pthread_mutex_t lock;
  pthread_cond_t work;       /* a job was queued, or stop */
  pthread_cond_t reported;   /* a report was queued */
  flz_loader_job_node *jobs; /* FIFO */
  flz_loader_job_node *jobs_tail;
  flz_loader_report_node *reports; /* FIFO */
  flz_loader_report_node *reports_tail;
  uint32_t generation;
  uint32_t active;  /* jobs of the current generation queued or running */
  uint32_t waiting; /* reports queued (all of the current generation) */
  int stop;
  uint32_t thread_count;
  pthread_t threads[FLZ_LOADER_MAX_THREADS];
};

/* What a running job's progress callback needs. */
typedef struct flz_loader_run {
  flz_loader *loader;
  const flz_loader_job_node *job;
  uint32_t step; /* eighths reported so far */
} flz_loader_run;

uint32_t flz_loader_default_threads(void)
{
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  if (cores < 2)
    return 2;
  return cores > (long)FLZ_LOADER_MAX_THREADS ? FLZ_LOADER_MAX_THREADS : (uint32_t)cores;
}

/* Queues `node` if its generation is current, else frees it with what it
 * owns. Lock held. */
static void flz_loader_push_report(flz_loader *loader, flz_loader_report_node *node)
{
  if (node->report.generation != loader->generation) {
    flz_decode_free(&node->report.decoded);
    free(node);
    return;
  }
  node->next = NULL;
  if (loader->reports_tail != NULL)
    loader->reports_tail->next = node;
  else
    loader->reports = node;
  loader->reports_tail = node;
  loader->waiting++;
  pthread_cond_broadcast(&loader->reported);
}

/* Loader thread: the decoder's progress callback. */
static void flz_loader_progress(void *user, uint64_t done, uint64_t total)
{
  flz_loader_run *run = user;
  if (total == 0)
    return;
  uint64_t step = done >= total ? FLZ_LOADER_PROGRESS_STEPS
                                : done * FLZ_LOADER_PROGRESS_STEPS / total;
  if (step <= run->step)
    return;
  run->step = (uint32_t)step;
  flz_loader_report_node *node = calloc(1, sizeof *node);
  if (node == NULL)
    return; /* progress is advisory: a lost report changes nothing else */
  node->report.type = FLZ_LOADER_PROGRESS;
  node->report.generation = run->job->generation;
  node->report.tag = run->job->tag;
  node->report.frames_done = done;
  node->report.frames_total = total;
  pthread_mutex_lock(&run->loader->lock);
  flz_loader_push_report(run->loader, node);
  pthread_mutex_unlock(&run->loader->lock);
}

/* Loader thread: runs one job and fills its report. */
static void flz_loader_run_job(flz_loader *loader, const flz_loader_job_node *job)
{
  flz_loader_report *r = &job->done->report;
  r->generation = job->generation;
  r->tag = job->tag;
  if (job->job == FLZ_LOADER_PROBE) {
    r->type = FLZ_LOADER_PROBED;
    r->result = flz_decode_probe(job->path, job->rate, &r->estimate, r->detail, sizeof r->detail);
  } else if (job->job == FLZ_LOADER_DECODE_WITH) {
    r->type = FLZ_LOADER_DECODED;
    r->result = job->decode(job->path, job->args, job->rate, &r->decoded, &r->source, r->detail,
                            sizeof r->detail);
  } else {
    r->type = FLZ_LOADER_DECODED;
    flz_loader_run run = {loader, job, 0};
    flz_decode_config config = {job->rate, 0, flz_loader_progress, &run};
    r->result = flz_decode_load(job->path, &config, &r->decoded, &r->source, r->detail,
                                sizeof r->detail);
  }
}

static void flz_loader_free_job(flz_loader_job_node *job)
{
  if (job->done != NULL)
    flz_decode_free(&job->done->report.decoded);
  free(job->done);
  free(job->path);
  free(job);
}

static void *flz_loader_thread_main(void *user)
{
  flz_loader *loader = user;
  pthread_mutex_lock(&loader->lock);
  for (;;) {
    while (!loader->stop && loader->jobs == NULL)
      pthread_cond_wait(&loader->work, &loader->lock);
    if (loader->stop)
      break;
    flz_loader_job_node *job = loader->jobs;
    loader->jobs = job->next;
    if (loader->jobs == NULL)
      loader->jobs_tail = NULL;
    pthread_mutex_unlock(&loader->lock);

    flz_loader_run_job(loader, job);

    pthread_mutex_lock(&loader->lock);
    flz_loader_push_report(loader, job->done);
    job->done = NULL;
    if (job->generation == loader->generation && loader->active > 0)
      loader->active--;
    pthread_cond_broadcast(&loader->reported);
    flz_loader_free_job(job);
  }
  pthread_mutex_unlock(&loader->lock);
  return NULL;
}

int flz_loader_start(uint32_t threads, flz_loader **out)
{
  if (out == NULL || threads > FLZ_LOADER_MAX_THREADS)
    return FLZ_ERR_ARGUMENT;
  *out = NULL;
  if (threads == 0)
    threads = flz_loader_default_threads();
  flz_decode_prepare(); /* on this (the control) thread, not on a loader's */
  flz_loader *loader = calloc(1, sizeof *loader);
  if (loader == NULL)
    return FLZ_ERR_NO_MEMORY;
  pthread_mutex_init(&loader->lock, NULL);
  pthread_cond_init(&loader->work, NULL);
  pthread_cond_init(&loader->reported, NULL);
  for (uint32_t i = 0; i < threads; i++) {
    if (pthread_create(&loader->threads[i], NULL, flz_loader_thread_main, loader) != 0) {
      flz_loader_stop(loader);
      return FLZ_ERR_NO_MEMORY;
    }
    loader->thread_count++;
  }
  *out = loader;
  return FLZ_OK;
}

/* Frees the queued jobs and reports. Lock held. */
static void flz_loader_clear(flz_loader *loader)
{
  while (loader->jobs != NULL) {
    flz_loader_job_node *job = loader->jobs;
    loader->jobs = job->next;
    flz_loader_free_job(job);
  }
  loader->jobs_tail = NULL;
  while (loader->reports != NULL) {
    flz_loader_report_node *node = loader->reports;
    loader->reports = node->next;
    flz_decode_free(&node->report.decoded);
    free(node);
  }
  loader->reports_tail = NULL;
  loader->waiting = 0;
  loader->active = 0;
}

void flz_loader_stop(flz_loader *loader)
{
  if (loader == NULL)
    return;
  pthread_mutex_lock(&loader->lock);
  loader->stop = 1;
  loader->generation++;
  flz_loader_clear(loader);
  pthread_cond_broadcast(&loader->work);
  pthread_mutex_unlock(&loader->lock);
  for (uint32_t i = 0; i < loader->thread_count; i++)
    pthread_join(loader->threads[i], NULL);
  pthread_mutex_lock(&loader->lock);
  flz_loader_clear(loader);
  pthread_mutex_unlock(&loader->lock);
  pthread_cond_destroy(&loader->reported);
  pthread_cond_destroy(&loader->work);
  pthread_mutex_destroy(&loader->lock);
  free(loader);
}

uint32_t flz_loader_threads(const flz_loader *loader)
{
  return loader->thread_count;
}

uint32_t flz_loader_new_generation(flz_loader *loader)
{
  pthread_mutex_lock(&loader->lock);
  loader->generation++;
  flz_loader_clear(loader);
  uint32_t generation = loader->generation;
  pthread_mutex_unlock(&loader->lock);
  return generation;
}

/* Queues `node` (its fields set) with its path and report. */
static int flz_loader_queue(flz_loader *loader, flz_loader_job_node *node, const char *path)
{
  node->path = strdup(path);
  node->done = calloc(1, sizeof *node->done);
  if (node->path == NULL || node->done == NULL) {
    flz_loader_free_job(node);
    return FLZ_ERR_NO_MEMORY;
  }
  pthread_mutex_lock(&loader->lock);
  node->generation = loader->generation;
  if (loader->jobs_tail != NULL)
    loader->jobs_tail->next = node;
  else
    loader->jobs = node;
  loader->jobs_tail = node;
  loader->active++;
  pthread_cond_signal(&loader->work);
  pthread_mutex_unlock(&loader->lock);
  return FLZ_OK;
}

int flz_loader_submit(flz_loader *loader, uint32_t job, uint32_t tag, const char *path,
                      uint32_t rate)
{
  if (path == NULL || (job != FLZ_LOADER_PROBE && job != FLZ_LOADER_DECODE))
    return FLZ_ERR_ARGUMENT;
  flz_loader_job_node *node = calloc(1, sizeof *node);
  if (node == NULL)
    return FLZ_ERR_NO_MEMORY;
  node->job = job;
  node->tag = tag;
  node->rate = rate;
  return flz_loader_queue(loader, node, path);
}

int flz_loader_submit_decoder(flz_loader *loader, uint32_t tag, const char *path, uint32_t rate,
                              flz_loader_decode_fn decode, const void *args, size_t args_size)
{
  if (path == NULL || decode == NULL || args_size > FLZ_LOADER_ARGS)
    return FLZ_ERR_ARGUMENT;
  flz_loader_job_node *node = calloc(1, sizeof *node);
  if (node == NULL)
    return FLZ_ERR_NO_MEMORY;
  node->job = FLZ_LOADER_DECODE_WITH;
  node->tag = tag;
  node->rate = rate;
  node->decode = decode;
  if (args_size > 0)
    memcpy(node->args, args, args_size);
  return flz_loader_queue(loader, node, path);
}

/* Moves the oldest report into `report`. Lock held. */
static int flz_loader_take(flz_loader *loader, flz_loader_report *report)
{
  flz_loader_report_node *node = loader->reports;
  if (node == NULL)
    return 0;
  loader->reports = node->next;
  if (loader->reports == NULL)
    loader->reports_tail = NULL;
  loader->waiting--;
  *report = node->report;
  free(node);
  return 1;
}

int flz_loader_poll(flz_loader *loader, flz_loader_report *report)
{
  pthread_mutex_lock(&loader->lock);
  int got = flz_loader_take(loader, report);
  pthread_mutex_unlock(&loader->lock);
  return got;
}

int flz_loader_wait(flz_loader *loader, flz_loader_report *report, uint32_t timeout_ms)
{
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += (time_t)(timeout_ms / 1000u);
  until.tv_nsec += (long)(timeout_ms % 1000u) * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&loader->lock);
  int got;
  while (!(got = flz_loader_take(loader, report)) && loader->active > 0)
    if (pthread_cond_timedwait(&loader->reported, &loader->lock, &until) != 0)
      break;
  pthread_mutex_unlock(&loader->lock);
  return got;
}

uint32_t flz_loader_pending(flz_loader *loader)
{
  pthread_mutex_lock(&loader->lock);
  uint32_t pending = loader->active + loader->waiting;
  pthread_mutex_unlock(&loader->lock);
  return pending;
}
