#!/bin/bash
# A SIGKILL (or a power cut) while the fallback WAV is written leaves a
# playable file: the header is rewritten every FLZ_FALLBACK_SYNC_SECONDS.
. "$(dirname "$0")/lib.sh"
SDL_AUDIODRIVER=$NO_AUDIO TMPDIR=$WORK start_flitz "$WORK/out" "$WORK/err" --headless
wait_for "$WORK/out" "flitz: ready:" 20
sleep 3
kill -KILL "$FLITZ_PID"
wait "$FLITZ_PID" 2>/dev/null
wav=$(ls "$WORK"/flitz-*.wav)
size=$(stat -c %s "$wav")
data=$(wav_data_bytes "$wav")
say "killed: $wav is $size bytes, header data $data bytes"
[ "$data" -ge 192000 ] || fail "the header counts $data bytes after 3 s (no sync?)"
[ $((data + 44)) -le "$size" ] || fail "the header counts more data than the file holds"
exit 0
