#!/bin/bash
# SIGHUP shuts down cleanly like SIGTERM (exit 0, the shutdown lines); a
# SIGTERM as soon as flitz catches it, during start-up, also exits 0.
. "$(dirname "$0")/lib.sh"
export SDL_AUDIODRIVER=dummy
for sig in HUP TERM; do
  start_flitz "$WORK/out" "$WORK/err" --headless
  wait_for "$WORK/out" "flitz: ready:" 20
  stop_flitz $sig
  [ "$FLITZ_RC" = 0 ] || fail "SIG$sig: exit $FLITZ_RC"
  grep -q "flitz: shutting down" "$WORK/out" || fail "SIG$sig: no shutdown line"
  grep -q "flitz: counters: xruns" "$WORK/out" || fail "SIG$sig: no counters summary"
  say "SIG$sig after start: exit 0, $(tail -1 "$WORK/out")"
done
# Early: the moment the handler is in (SigCgt has SIGTERM, bit 15: the
# first thing flz_run_main does, before the config, kit and audio; before
# it only the dynamic loader runs), during start-up.
# Not under ThreadSanitizer: its own handler is in before main, so SigCgt
# says nothing, and its deferred delivery of signals lets an early SIGTERM
# end the process the default way now and then.
[ -z "${TSAN_OPTIONS:-}" ] || exit 0
for i in 1 2 3 4 5; do
  start_flitz "$WORK/out" "$WORK/err" --headless
  until mask=$(awk '/^SigCgt:/ {print $2}' /proc/$FLITZ_PID/status 2>/dev/null) &&
    [ -n "$mask" ] && (((0x$mask >> 14) & 1)); do :; done
  stop_flitz TERM
  [ "$FLITZ_RC" = 0 ] || fail "SIGTERM as soon as caught: exit $FLITZ_RC"
  grep -q "flitz: ready:" "$WORK/out" && say "(that one came after the kit loaded)"
  say "SIGTERM as soon as flitz catches it: exit 0"
done
exit 0
