#!/bin/bash
# Two flitz on one --midi-in FIFO: the second refuses it in one line and
# exits 1. A flood through the FIFO overflows the command ring: one flood
# line naming the input, not a line per command; the counters summary at
# shutdown shows the dropped commands.
. "$(dirname "$0")/lib.sh"
export SDL_AUDIODRIVER=dummy
mkfifo "$WORK/midi"
start_flitz "$WORK/out" "$WORK/err" --headless --midi-in "$WORK/midi"
wait_for "$WORK/out" "flitz: ready:" 20
"$FLITZ" --headless --midi-in "$WORK/midi" >"$WORK/out2" 2>"$WORK/err2"
rc=$?
[ $rc = 1 ] || fail "the second flitz: exit $rc"
grep -q "read by another process (it holds its lock)" "$WORK/err2" || { cat "$WORK/err2"; fail "no lock line"; }
cat "$WORK/err2"
printf '\x99\x24\x64%.0s' $(seq 1 60000) >"$WORK/midi"
sleep 1
stop_flitz TERM
[ "$FLITZ_RC" = 0 ] || fail "exit $FLITZ_RC"
cat "$WORK/err"
floods=$(grep -c "flood from MIDI input $WORK/midi: [0-9]* commands dropped" "$WORK/err")
[ "$floods" = 1 ] || fail "$floods flood lines"
! grep -q "^flitz: MIDI: [0-9]* commands dropped" "$WORK/err" || fail "per-command lines"
grep "flitz: counters:" "$WORK/out"
grep -q "flitz: counters: .*dropped commands [1-9]" "$WORK/out" || fail "no dropped commands in the summary"
exit 0
