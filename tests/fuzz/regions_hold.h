/* tests/fuzz/regions_hold.h: the promises every multi-sample kit
 * description (app/kitformat.h's flz_kit_regions) keeps, for the kit-format
 * harnesses: capacities kept, each pad's regions contiguous and in the
 * table, ranges inside MIDI's, round-robin positions inside the pad's
 * length, random ranges inside 0..1, gains and rates finite. And the error
 * text a refusal leaves: lines that start with "error: " and end in '\n'. */
#ifndef FLZ_TESTS_FUZZ_REGIONS_HOLD_H
#define FLZ_TESTS_FUZZ_REGIONS_HOLD_H

#include <math.h>
#include <string.h>

#include "app/kitformat.h"

static int flz_fuzz_regions_hold(const flz_kit_regions *k)
{
  if (k->count > FLZ_REGIONS || k->pad_count > FLZ_PADS || k->count == 0)
    return 0;
  uint32_t next = 0;
  for (uint32_t p = 0; p < k->pad_count; p++) {
    const flz_pad_params *pad = &k->pads[p];
    if (pad->first != next || pad->count == 0 || pad->count > FLZ_PAD_REGIONS ||
        pad->first + pad->count > k->count)
      return 0;
    next += pad->count;
    for (uint32_t r = pad->first; r < pad->first + pad->count; r++) {
      const flz_kit_region *kr = &k->regions[r];
      const flz_region *g = &kr->region;
      if (kr->path == NULL || g->lokey > g->hikey || g->hikey > 127 || g->lovel < 1 ||
          g->lovel > g->hivel || g->hivel > 127 || g->keycenter > 127 ||
          g->seq_position > (pad->seq_length > 1 ? pad->seq_length : 0) ||
          !(g->lorand >= 0.0f && g->lorand < g->hirand && g->hirand <= 1.0f) ||
          !isfinite(kr->params.gain) || !isfinite(kr->params.rate) ||
          !(kr->params.pan >= -1.0f && kr->params.pan <= 1.0f) || !isfinite(g->attack_ms) ||
          !isfinite(g->decay_ms) || !isfinite(g->release_ms) || !(g->sustain >= 0.0f))
        return 0;
      if (r == pad->first && k->pad_keys[p] != g->lokey)
        return 0;
    }
  }
  return next == k->count;
}

/* 1 if `text` is one or more lines "error: ...\n". */
static int flz_fuzz_error_lines(const char *text)
{
  if (text == NULL || strncmp(text, "error: ", 7) != 0)
    return 0;
  for (const char *line = text; *line != '\0';) {
    if (strncmp(line, "error: ", 7) != 0)
      return 0;
    const char *end = strchr(line, '\n');
    if (end == NULL)
      return 0;
    line = end + 1;
  }
  return 1;
}

#endif
