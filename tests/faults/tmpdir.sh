#!/bin/bash
# A missing, non-folder or too-long TMPDIR for the fallback WAV: one line
# naming it, exit 1 (not the device "default", not a cut path).
. "$(dirname "$0")/lib.sh"
check() {
  SDL_AUDIODRIVER=$NO_AUDIO TMPDIR=$1 "$FLITZ" --headless >"$WORK/out" 2>"$WORK/err"
  rc=$?
  [ $rc = 1 ] || fail "TMPDIR $1: exit $rc"
  [ "$(wc -l <"$WORK/err")" = 1 ] || { cat "$WORK/err"; fail "not one line"; }
  grep -q "TMPDIR $1: $2" "$WORK/err" || { cat "$WORK/err"; fail "TMPDIR $1: no '$2'"; }
  cut -c1-160 "$WORK/err"
}
check "$WORK/nowhere" "no such folder"
touch "$WORK/file"
check "$WORK/file" "not a folder"
check "$WORK/$(printf 'a%.0s' $(seq 1 4100))" "too long for a path"
exit 0
