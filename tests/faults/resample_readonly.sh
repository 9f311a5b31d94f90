#!/bin/bash
# A resampling on a kit folder flitz cannot write (as on a read-only stick;
# here flitz runs as a user without the right): the recording goes to the
# state folder, the line says where and why, and the kit folder is unchanged.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root to run flitz as another user"
command -v setpriv >/dev/null || skip "no setpriv"
chmod 755 "$WORK"
cp -r "$(dirname "$FLITZ")/kit/default" "$WORK/kit"
mkdir -m 777 "$WORK/state" "$WORK/o"
printf '0 play 1\n0 resample master into 17 bars 0.25\n' >"$WORK/o/events.txt"
XDG_STATE_HOME=$WORK/state setpriv --reuid=65534 --regid=65534 --clear-groups \
  "$FLITZ" render "$WORK/kit" "$WORK/o/events.txt" "$WORK/o/out.wav" >"$WORK/out" 2>"$WORK/err"
rc=$?
[ $rc = 0 ] || fail "exit $rc"
line="resampled into pad 17: 0.500 s saved as $WORK/state/flitz/resample-001.wav"
grep -qxF "$line (the kit folder $WORK/kit: Permission denied)" "$WORK/out" ||
  fail "no line saying the state folder and why"
[ -s "$WORK/state/flitz/resample-001.wav" ] || fail "no recording in the state folder"
ls "$WORK/kit" | grep -q resample && fail "the kit folder changed"
say "$(head -1 "$WORK/out")"
exit 0
