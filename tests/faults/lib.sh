# tests/faults/lib.sh: what every fault script shares. Sourced with the
# flitz binary as $1. Each script runs the real binary through one fault and
# checks the line it says and what it does; exit 0 passes, 77 skips (ctest
# SKIP_RETURN_CODE), anything else fails.
set -u
FLITZ=${1:?usage: $0 FLITZ}
WORK=$(mktemp -d /tmp/flitz-faults-XXXXXX)
PIDS=""
cleanup_extra() { :; }
cleanup() {
  for p in $PIDS; do kill -KILL "$p" 2>/dev/null; done
  cleanup_extra
  rm -rf "$WORK"
}
trap cleanup EXIT
# On failure, flitz's own lines (a sanitizer's report among them) first.
fail() {
  for f in "$WORK"/err "$WORK"/out; do [ -f "$f" ] && tail -40 "$f" >&2; done
  echo "FAIL: $*" >&2
  exit 1
}
skip() { echo "SKIP: $*" >&2; exit 77; }
say() { echo "faults: $*"; }
export SDL_VIDEODRIVER=dummy
# No device at all (as tests/app/test_cli.c): SDL finds no such driver.
NO_AUDIO=flitz-test-no-such-driver

# wait_for FILE TEXT SECONDS: until FILE holds TEXT.
wait_for() {
  local i=0
  while ! grep -q -- "$2" "$1" 2>/dev/null; do
    i=$((i + 1))
    [ $i -le $(($3 * 20)) ] || { cat "$1" >&2; fail "no '$2' in $1 after $3 s"; }
    sleep 0.05
  done
}

# start_flitz OUT ERR ARGS...: flitz in the background; its pid in FLITZ_PID.
start_flitz() {
  local out=$1 err=$2
  shift 2
  "$FLITZ" "$@" >"$out" 2>"$err" &
  FLITZ_PID=$!
  PIDS="$PIDS $FLITZ_PID"
}

# stop_flitz SIGNAL: sends it, waits, sets FLITZ_RC.
stop_flitz() {
  kill -"$1" "$FLITZ_PID"
  wait "$FLITZ_PID"
  FLITZ_RC=$?
}

# wav_data_bytes FILE: the data chunk's size in a canonical 44-byte header.
wav_data_bytes() {
  od -An -tu4 -j40 -N4 "$1" | tr -d ' '
}

# A kit of one 2-second tone (sox), pad 1 looping.
make_tone_kit() {
  command -v sox >/dev/null || skip "sox is not installed (tools/setup test)"
  mkdir -p "$1"
  sox -n -r 48000 -c 2 -b 16 "$1/tone.wav" synth 2 sine 440 vol 0.5 || fail "sox"
  printf '[pad 1]\nmode = loop\n' >"$1/kit.ini"
}
