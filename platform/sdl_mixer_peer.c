/* platform/sdl_mixer_peer.c: SDL_mixer's mixing cost, platform/sdl_mixer_peer.h.
 *
 * Owns: its chunks, the SDL audio subsystem during the run. Must not touch:
 * the engine. The hooks run on SDL's audio thread: they only read the clock
 * and write into the array allocated before the device opens.
 */
#define _POSIX_C_SOURCE 200809L
#include "platform/sdl_mixer_peer.h"

#include "engine/result.h"

#ifdef FLZ_HAVE_SDL_MIXER

#include <SDL.h>
#include <SDL_mixer.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "platform/clock.h"

/* Stereo frames of each chunk: 2^17 x 8 bytes = 1 MB. */
#define FLZ_SDL_MIXER_PEER_CHUNK_FRAMES 131072u

typedef struct flz_sdl_mixer_peer_run_state {
  uint64_t *times; /* callback i's mixing time, ns */
  uint32_t capacity;
  uint64_t start;
  _Atomic uint32_t count;
} flz_sdl_mixer_peer_run_state;

static flz_sdl_mixer_peer_run_state flz_sdl_mixer_peer_state;

/* SDL_mixer's music hook: the first thing its callback does. */
static void SDLCALL flz_sdl_mixer_peer_begin(void *user, Uint8 *stream, int len)
{
  (void)user, (void)stream, (void)len;
  flz_sdl_mixer_peer_state.start = flz_clock_now_ns();
}

/* Its post-mix hook: the last. */
static void SDLCALL flz_sdl_mixer_peer_end(void *user, Uint8 *stream, int len)
{
  (void)user, (void)stream, (void)len;
  uint64_t now = flz_clock_now_ns();
  flz_sdl_mixer_peer_run_state *s = &flz_sdl_mixer_peer_state;
  uint32_t i = atomic_load_explicit(&s->count, memory_order_relaxed);
  if (i < s->capacity) {
    s->times[i] = now - s->start;
    atomic_store_explicit(&s->count, i + 1, memory_order_release);
  }
}

/* SDL's disk driver logs a warning as it opens: not a figure. */
static void SDLCALL flz_sdl_mixer_peer_quiet(void *user, int category, SDL_LogPriority priority,
                                             const char *message)
{
  (void)user, (void)category, (void)priority, (void)message;
}

static int flz_sdl_mixer_peer_compare(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

int flz_sdl_mixer_peer_run(uint32_t voices, uint32_t period, uint32_t periods, double *median_ns)
{
  if (voices < 1 || voices > 256 || periods < 1 || periods > 100000 || period < 16 || period > 8192)
    return FLZ_ERR_ARGUMENT;
  uint32_t warm = periods / 4;
  flz_sdl_mixer_peer_run_state *s = &flz_sdl_mixer_peer_state;
  s->capacity = warm + periods;
  s->times = malloc(sizeof *s->times * s->capacity);
  float **data = calloc(voices, sizeof *data);
  Mix_Chunk **chunks = calloc(voices, sizeof *chunks);
  int result = s->times != NULL && data != NULL && chunks != NULL ? FLZ_OK : FLZ_ERR_NO_MEMORY;
  uint32_t x = 0x9e3779b9u; /* xorshift32 noise, as tools/bench/mix.c's */
  for (uint32_t v = 0; v < voices && result == FLZ_OK; v++) {
    data[v] = malloc(sizeof(float) * 2 * FLZ_SDL_MIXER_PEER_CHUNK_FRAMES);
    if (data[v] == NULL) {
      result = FLZ_ERR_NO_MEMORY;
      break;
    }
    for (uint32_t i = 0; i < 2 * FLZ_SDL_MIXER_PEER_CHUNK_FRAMES; i++) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      data[v][i] = (float)(x >> 8) * (1.0f / 16777216.0f) - 0.5f;
    }
  }
  int opened = 0;
  if (result == FLZ_OK &&
      (setenv("SDL_AUDIODRIVER", "disk", 1) != 0 || setenv("SDL_DISKAUDIOFILE", "/dev/null", 1) ||
       setenv("SDL_DISKAUDIODELAY", "0", 1) != 0))
    result = FLZ_ERR_NO_MEMORY;
  SDL_LogOutputFunction log_fn;
  void *log_user;
  SDL_LogGetOutputFunction(&log_fn, &log_user);
  SDL_LogSetOutputFunction(flz_sdl_mixer_peer_quiet, NULL);
  if (result == FLZ_OK) {
    atomic_store(&s->count, 0);
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0 ||
        Mix_OpenAudioDevice(48000, AUDIO_F32SYS, 2, (int)period, NULL, 0) != 0)
      result = FLZ_ERR_AUDIO_DEVICE;
    else
      opened = 1;
  }
  if (result == FLZ_OK && Mix_AllocateChannels((int)voices) != (int)voices)
    result = FLZ_ERR_AUDIO_DEVICE;
  for (uint32_t v = 0; v < voices && result == FLZ_OK; v++) {
    chunks[v] = Mix_QuickLoad_RAW((Uint8 *)data[v],
                                  (Uint32)(sizeof(float) * 2 * FLZ_SDL_MIXER_PEER_CHUNK_FRAMES));
    if (chunks[v] == NULL)
      result = FLZ_ERR_NO_MEMORY;
  }
  if (result == FLZ_OK) {
    Mix_HookMusic(flz_sdl_mixer_peer_begin, NULL);
    Mix_SetPostMix(flz_sdl_mixer_peer_end, NULL);
    for (uint32_t v = 0; v < voices && result == FLZ_OK; v++)
      if (Mix_PlayChannel((int)v, chunks[v], -1) != (int)v)
        result = FLZ_ERR_AUDIO_DEVICE;
    uint32_t last = 0;
    uint64_t since = flz_clock_now_ns();
    while (result == FLZ_OK && last < s->capacity) {
      SDL_Delay(10);
      uint32_t now = atomic_load_explicit(&s->count, memory_order_acquire);
      if (now != last)
        since = flz_clock_now_ns();
      else if (flz_clock_now_ns() - since > 10000000000ull)
        result = FLZ_ERR_AUDIO_DEVICE;
      last = now;
    }
  }
  if (opened) {
    Mix_HaltChannel(-1);
    Mix_CloseAudio();
  }
  SDL_QuitSubSystem(SDL_INIT_AUDIO);
  SDL_LogSetOutputFunction(log_fn, log_user);
  if (result == FLZ_OK) {
    qsort(s->times + warm, periods, sizeof *s->times, flz_sdl_mixer_peer_compare);
    *median_ns = (double)s->times[warm + periods / 2] / ((double)voices * (double)period);
  }
  for (uint32_t v = 0; v < voices && chunks != NULL && data != NULL; v++) {
    if (chunks[v] != NULL)
      Mix_FreeChunk(chunks[v]);
    free(data[v]);
  }
  free(chunks);
  free(data);
  free(s->times);
  s->times = NULL;
  return result;
}

#else

int flz_sdl_mixer_peer_run(uint32_t voices, uint32_t period, uint32_t periods, double *median_ns)
{
  (void)voices, (void)period, (void)periods, (void)median_ns;
  return FLZ_ERR_UNSUPPORTED;
}

#endif
