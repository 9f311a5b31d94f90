/* tests/arm/test_arm_render.c: ARM builds only. This program is
 * cross-compiled and runs under the emulator (qemu-aarch64 or qemu-arm);
 * it compares what the ARM build makes with what a host build of the same
 * source makes (FLZ_HOST_BINARY, built by the host_flitz fixture):
 *   - the default kit that flitz-mkkit synthesized under emulation, file by
 *     file, with the host's;
 *   - `flitz render` of the host's default kit, in-process here on ARM
 *     (flz_render_main, which `flitz render` runs), with the host binary's
 *     render of the same kit and script.
 * At the kit's own rate the renders are equal bit for bit, in float and in
 * 16-bit: the project compiles as ISO C11, where GCC does not contract
 * a * b + c into a fused multiply-add (-ffp-contract=off is its default
 * outside the GNU modes), the engine flushes denormals on both
 * architectures, and IEEE-754 arithmetic rounds the same everywhere.
 * At another rate every file is resampled on load by SDL_AudioStream, inside
 * Debian's libSDL2, which is compiled in GNU C mode: on arm64 GCC fuses its
 * resampler's multiply-adds (fmadd) and rounds once where x86-64 rounds
 * twice. Those renders must agree to within half a 16-bit step (2^-16) in
 * float, and to one step in 16-bit output: the differences are a few float
 * roundings per filter tap (measured: at most 7.8e-7, -122 dBFS), far below
 * what 16-bit output can show except where a value sits on a rounding tie.
 * Owns nothing outside its temporary folders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/render.h"

extern char **environ;

#define FLZ_KIT_FILES 17 /* tools/mkkit.c writes 16 pads; tools/kits/default/kit.ini */

/* A whole file in memory. */
typedef struct flz_blob {
  unsigned char *data;
  size_t size;
} flz_blob;

static flz_blob flz_blob_read(const char *path)
{
  FILE *file = fopen(path, "rb");
  if (file == NULL)
    fail_msg("cannot open %s", path);
  assert_int_equal(fseek(file, 0, SEEK_END), 0);
  long size = ftell(file);
  assert_true(size > 0);
  rewind(file);
  flz_blob blob = {malloc((size_t)size), (size_t)size};
  assert_non_null(blob.data);
  assert_int_equal(fread(blob.data, 1, blob.size, file), blob.size);
  fclose(file);
  return blob;
}

/* Fails, naming the first differing byte and how many differ, unless the
 * two files hold the same bytes. */
static void flz_assert_same_file(const char *host_path, const char *arm_path)
{
  flz_blob host = flz_blob_read(host_path);
  flz_blob arm = flz_blob_read(arm_path);
  if (host.size != arm.size)
    fail_msg("%s has %zu bytes, %s has %zu", host_path, host.size, arm_path, arm.size);
  size_t first = host.size, differing = 0;
  for (size_t i = 0; i < host.size; i++) {
    if (host.data[i] != arm.data[i]) {
      if (differing == 0)
        first = i;
      differing++;
    }
  }
  free(host.data);
  free(arm.data);
  if (differing != 0)
    fail_msg("%s and %s: %zu of %zu bytes differ, the first at byte %zu", host_path, arm_path,
             differing, host.size, first);
}

/* The sample bytes of a WAV file from platform/wav_file.c: the payload of
 * its "data" chunk, found by walking the RIFF chunks. */
static size_t flz_wav_data(const flz_blob *wav, size_t *bytes)
{
  assert_true(wav->size >= 12);
  assert_memory_equal(wav->data, "RIFF", 4);
  assert_memory_equal(wav->data + 8, "WAVE", 4);
  size_t at = 12;
  while (at + 8 <= wav->size) {
    const unsigned char *c = wav->data + at;
    size_t size = (size_t)c[4] | (size_t)c[5] << 8 | (size_t)c[6] << 16 | (size_t)c[7] << 24;
    if (memcmp(c, "data", 4) == 0) {
      assert_true(at + 8 + size <= wav->size);
      *bytes = size;
      return at + 8;
    }
    at += 8 + size + (size & 1);
  }
  fail_msg("no data chunk");
  return 0;
}

/* Fails unless the two WAV files have the same header and every sample
 * differs by at most `tolerance` (in full-scale units for float, in steps
 * for 16-bit); prints how far apart they are. */
static void flz_assert_close_wav(const char *host_path, const char *arm_path, int s16,
                                 double tolerance)
{
  flz_blob host = flz_blob_read(host_path);
  flz_blob arm = flz_blob_read(arm_path);
  size_t host_bytes = 0, arm_bytes = 0;
  size_t data = flz_wav_data(&host, &host_bytes);
  assert_int_equal(flz_wav_data(&arm, &arm_bytes), data);
  assert_int_equal(arm_bytes, host_bytes);
  assert_memory_equal(arm.data, host.data, data);
  size_t width = s16 ? 2 : 4, samples = host_bytes / width, differing = 0;
  double largest = 0.0;
  for (size_t i = 0; i < samples; i++) {
    const unsigned char *h = host.data + data + i * width, *a = arm.data + data + i * width;
    double difference;
    if (s16) {
      int16_t hv, av;
      memcpy(&hv, h, 2);
      memcpy(&av, a, 2);
      difference = fabs((double)hv - (double)av);
    } else {
      float hv, av;
      memcpy(&hv, h, 4);
      memcpy(&av, a, 4);
      difference = fabs((double)hv - (double)av);
    }
    differing += difference != 0.0;
    largest = difference > largest ? difference : largest;
  }
  free(host.data);
  free(arm.data);
  print_message("%s: %zu of %zu samples differ from the host's, by at most %g\n", arm_path,
                differing, samples, largest);
  assert_true(largest <= tolerance);
}

static void arm_made_default_kit_is_bit_identical_to_host_made_kit(void **state)
{
  (void)state;
  DIR *dir = opendir(FLZ_HOST_KIT_DIR);
  if (dir == NULL)
    fail_msg("no host kit at %s (the host_flitz fixture builds it)", FLZ_HOST_KIT_DIR);
  size_t files = 0;
  for (struct dirent *entry = readdir(dir); entry != NULL; entry = readdir(dir)) {
    if (entry->d_name[0] == '.')
      continue;
    char host_path[1024], arm_path[1024];
    snprintf(host_path, sizeof host_path, "%s/%s", FLZ_HOST_KIT_DIR, entry->d_name);
    snprintf(arm_path, sizeof arm_path, "%s/%s", FLZ_TARGET_KIT_DIR, entry->d_name);
    flz_assert_same_file(host_path, arm_path);
    files++;
  }
  closedir(dir);
  assert_int_equal(files, FLZ_KIT_FILES);
}

/* The script both renders play: 240 hits 5 ms apart over all 16 pads at
 * velocities 1/8 ... 1, and another hit on every eighth, so far more sounds
 * overlap than the 64 voices (up to 147, from the kit's lengths) and the
 * oldest are stolen with their fade; master volume steps (smoothed), a stop
 * of one pad, a stop of everything, and the two loops once more after it.
 * Times are written in units of 0.1 ms. */
static void flz_write_script(const char *path)
{
  FILE *file = fopen(path, "w");
  assert_non_null(file);
  for (unsigned i = 0; i < 240; i++) {
    unsigned tenth_ms = i * 50, milli = 125 * (i % 8 + 1);
    fprintf(file, "%u.%04u play %u %u.%03u\n", tenth_ms / 10000, tenth_ms % 10000, i % 16 + 1,
            milli / 1000, milli % 1000);
    if (i % 8 == 7)
      fprintf(file, "%u.%04u play %u\n", tenth_ms / 10000, tenth_ms % 10000, 16 - i / 8 % 16);
    if (i == 80)
      fputs("0.4000 volume -9\n", file);
    if (i == 160)
      fputs("0.8000 volume 2.5\n", file);
    if (i == 180)
      fputs("0.9000 stop 13\n", file);
  }
  fputs("1.2500 stop-all\n1.5000 play 13 0.7\n1.5000 play 14\n1.7500 stop 14\n", file);
  assert_int_equal(fclose(file), 0);
}

/* Renders the host's default kit with this script twice, here and with the
 * host binary, with the given options, and compares the two WAV files: byte
 * for byte when `tolerance` is 0, else sample by sample. */
static void flz_compare_renders(const char *rate, const char *format, double tolerance)
{
  char dir[64];
  snprintf(dir, sizeof dir, "/tmp/flitz-arm-XXXXXX");
  assert_non_null(mkdtemp(dir));
  char script[96], arm_out[96], host_out[96];
  snprintf(script, sizeof script, "%s/events.txt", dir);
  snprintf(arm_out, sizeof arm_out, "%s/arm.wav", dir);
  snprintf(host_out, sizeof host_out, "%s/host.wav", dir);
  flz_write_script(script);

  char *arm_argv[] = {"render",       "--rate",    (char *)rate, "--format",
                      (char *)format, "--seconds", "2.5",        FLZ_HOST_KIT_DIR,
                      script,         arm_out,     NULL};
  assert_int_equal(flz_render_main(10, arm_argv), 0);

  char *host_argv[] = {FLZ_HOST_BINARY,  "render",       "--rate",    (char *)rate,
                       "--format",       (char *)format, "--seconds", "2.5",
                       FLZ_HOST_KIT_DIR, script,         host_out,    NULL};
  pid_t pid;
  assert_int_equal(posix_spawn(&pid, FLZ_HOST_BINARY, NULL, NULL, host_argv, environ), 0);
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);

  if (tolerance == 0.0)
    flz_assert_same_file(host_out, arm_out);
  else
    flz_assert_close_wav(host_out, arm_out, strcmp(format, "s16") == 0, tolerance);

  char command[128];
  snprintf(command, sizeof command, "rm -rf %s", dir);
  assert_int_equal(system(command), 0);
}

static void arm_render_at_the_kit_rate_is_bit_identical_to_host_render(void **state)
{
  (void)state;
  flz_compare_renders("48000", "f32", 0.0);
  flz_compare_renders("48000", "s16", 0.0);
}

static void arm_render_resampled_to_44100_is_within_half_a_16_bit_step_of_host_render(void **state)
{
  (void)state;
  flz_compare_renders("44100", "f32", ldexp(1.0, -16));
  flz_compare_renders("44100", "s16", 1.0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(arm_made_default_kit_is_bit_identical_to_host_made_kit),
    cmocka_unit_test(arm_render_at_the_kit_rate_is_bit_identical_to_host_render),
    cmocka_unit_test(arm_render_resampled_to_44100_is_within_half_a_16_bit_step_of_host_render),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
