#!/bin/bash
# Silent misconfiguration refused: each bad kit.ini is an `error:` line
# with its file and line and `flitz check` exits 1; --config on a device or
# a huge file stops at once; an unclosed [audio line is its own error.
. "$(dirname "$0")/lib.sh"
make_tone_kit "$WORK/kit"
kit_bad() {
  printf "$1" >"$WORK/kit/kit.ini"
  timeout 20 "$FLITZ" check "$WORK/kit" >/dev/null 2>"$WORK/err"
  rc=$?
  [ $rc = 1 ] || fail "kit.ini '$1': exit $rc"
  grep -q "^error: $WORK/kit/kit.ini:$2: $3" "$WORK/err" || { cat "$WORK/err"; fail "no '$3' at line $2"; }
  cat "$WORK/err"
}
kit_bad '[pad 4294967297]\nmode = gate\n' 2 "\[pad 4294967297\] must be \[pad N\]"
kit_bad '[pad -4294967295]\nmode = gate\n' 2 "\[pad -4294967295\] must be \[pad N\]"
kit_bad '[pad 1]\nstart = 2000\nend = 1000\n' 3 "\[pad 1\] end 1000 is not after start 2000"
kit_bad '[pad 1]\nstart = 96000\n' 2 "\[pad 1\] start 96000 is past the file's end (96000 frames)"
kit_bad '[pad 1]\nloop_start = 10\nloop_end = 200000\n' 3 "\[pad 1\] loop_end 200000 is past"
kit_bad "[pad 1]\n; $(printf 'x%.0s' $(seq 1 250)) mode = loop\n" 2 "line is longer than"
kit_bad '[pad 1\nmode = loop\n' 1 "section line '\[pad 1' has no closing"

config_bad() {
  timeout 10 "$FLITZ" --config "$1" --print-config >/dev/null 2>"$WORK/err"
  rc=$?
  [ $rc = 2 ] || fail "--config $1: exit $rc (124: it never finished)"
  [ "$(wc -l <"$WORK/err")" = 1 ] || fail "--config $1: not one line"
  grep -q -- "$2" "$WORK/err" || { cat "$WORK/err"; fail "--config $1: no '$2'"; }
  cat "$WORK/err"
}
config_bad /dev/zero "flitz: /dev/zero: cannot be read (not a regular file)"
config_bad /dev/urandom "not a regular file"
head -c 2000000 /dev/zero | tr '\0' '\n' >"$WORK/big.ini"
config_bad "$WORK/big.ini" "the file is larger than 1048576 bytes"
printf '[midi]\nchannel = 1\n[audio\nrate = 44100\n' >"$WORK/open.ini"
config_bad "$WORK/open.ini" "open.ini:3: section line '\[audio' has no closing"
exit 0
