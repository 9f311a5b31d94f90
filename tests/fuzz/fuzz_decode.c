/* tests/fuzz/fuzz_decode.c: the libFuzzer harness of the decoders
 * (platform/decode.h), built once per format with FLZ_FUZZ_FORMAT set to
 * FLZ_DECODE_WAV, FLZ_DECODE_OGG or FLZ_DECODE_FLAC. Each input is a whole
 * file: probed and decoded at 48000 Hz (so the resampler runs on every
 * non-48 kHz input), with decodes larger than 16 MiB refused, which keeps
 * libFuzzer's memory limit for real bugs.
 * Owns: nothing but the input it is given. */
#include <stddef.h>
#include <stdint.h>

#include "platform/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  flz_decode_estimate estimate;
  (void)flz_decode_probe_memory(data, size, FLZ_FUZZ_FORMAT, 48000, &estimate, NULL, 0);
  flz_decode_config config = {48000, 16u << 20, NULL, NULL};
  flz_decoded decoded;
  char detail[256];
  if (flz_decode_memory(data, size, FLZ_FUZZ_FORMAT, &config, &decoded, NULL, detail,
                        sizeof detail) == 0)
    flz_decode_free(&decoded);
  return 0;
}
