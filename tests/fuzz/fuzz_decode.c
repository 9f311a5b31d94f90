/* tests/fuzz/fuzz_decode.c: the libFuzzer harness of the decoders
 * (platform/decode.h), built once per format with FLZ_FUZZ_FORMAT set to
 * FLZ_DECODE_WAV, FLZ_DECODE_OGG, FLZ_DECODE_FLAC or FLZ_DECODE_AIFF. Each input is a whole
 * file: probed and decoded at FLZ_DEFAULT_RATE (so the resampler runs on
 * every input at another rate), with decodes larger than 16 MiB refused,
 * which keeps libFuzzer's memory limit for real bugs.
 * Owns: nothing but the input it is given. */
#include <stddef.h>
#include <stdint.h>

#include "engine/limits.h"
#include "platform/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  flz_decode_estimate estimate;
  (void)flz_decode_probe_memory(data, size, FLZ_FUZZ_FORMAT, FLZ_DEFAULT_RATE, &estimate, NULL, 0);
  flz_decode_config config = {FLZ_DEFAULT_RATE, 16u << 20, NULL, NULL};
  flz_decoded decoded;
  char detail[256];
  if (flz_decode_memory(data, size, FLZ_FUZZ_FORMAT, &config, &decoded, NULL, detail,
                        sizeof detail) == 0)
    flz_decode_free(&decoded);
  return 0;
}
