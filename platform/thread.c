/* platform/thread.c: flz_thread (platform/thread.h) on POSIX threads. */
#include "platform/thread.h"

#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "engine/result.h"

_Static_assert(sizeof(pthread_t) <= sizeof(uint64_t), "flz_thread.handle holds a pthread_t");

static void *flz_thread_main(void *arg)
{
  flz_thread *thread = arg;
  thread->fn(thread->user);
  return NULL;
}

int flz_thread_start(flz_thread *thread, flz_thread_fn fn, void *user)
{
  pthread_t id;
  thread->fn = fn;
  thread->user = user;
  thread->handle = 0;
  if (pthread_create(&id, NULL, flz_thread_main, thread) != 0)
    return FLZ_ERR_NO_MEMORY;
  memcpy(&thread->handle, &id, sizeof id);
  return FLZ_OK;
}

int flz_thread_set_realtime(void)
{
  struct sched_param param = {.sched_priority = sched_get_priority_min(SCHED_FIFO)};
  return pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) == 0;
}

void flz_thread_join(flz_thread *thread)
{
  pthread_t id;
  memcpy(&id, &thread->handle, sizeof id);
  pthread_join(id, NULL);
}
