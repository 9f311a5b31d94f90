#!/bin/bash
# The audio device goes away and comes back, for real: a PulseAudio daemon
# of the test's own with a null sink ("FlitzOut"), flitz on SDL's
# pulseaudio driver playing a looping pad. The sink is unloaded (flitz says
# "audio output lost" in one line) and loaded again; the sound recorded from
# the sink's monitor with parec must resume within 2 s of its return, and
# flitz says "audio output back". The time is measured until flitz's stream
# is on the sink again (its sink input, polled every 10 ms); parec proves
# the sound (parec itself takes about a second to deliver its first data,
# too slow to time with). Then the same with the sink gone at start
# ([audio] wait_for_device = true). Prints the recovery times.
# A second sink ("Other") stays loaded: SDL 2.26's pulseaudio driver
# crashes when the server has no sink at all.
. "$(dirname "$0")/lib.sh"
for tool in pulseaudio pactl parec sox; do
  command -v $tool >/dev/null || skip "$tool is not installed (tools/setup test)"
done
PA=$WORK/pa
mkdir -p "$PA/run" "$PA/state"
cat >"$PA/default.pa" <<PAEOF
load-module module-native-protocol-unix auth-anonymous=1 socket=$PA/native
load-module module-null-sink sink_name=other sink_properties=device.description=Other
PAEOF
export HOME=$PA PULSE_RUNTIME_PATH=$PA/run PULSE_STATE_PATH=$PA/state PULSE_SERVER=unix:$PA/native
pulseaudio -n -F "$PA/default.pa" --exit-idle-time=-1 --daemonize=no --log-target=stderr \
  2>"$PA/log" &
PIDS="$PIDS $!"
for i in $(seq 1 100); do pactl info >/dev/null 2>&1 && break; sleep 0.05; done
pactl info >/dev/null 2>&1 || skip "the PulseAudio daemon did not start ($(tail -1 "$PA/log"))"
export SDL_AUDIODRIVER=pulseaudio

load_sink() {
  pactl load-module module-null-sink sink_name=flitzsink sink_properties=device.description=FlitzOut
}
unload_sink() {
  pactl unload-module "$(pactl list short modules | awk '/sink_name=flitzsink/ {print $1}')"
}
ns() { date +%s%N; }

# reopened T0: the ms from T0 (ns) until flitz's stream plays on the sink
# (a sink input on flitzsink, polled every 10 ms), or -1 after 5 s.
reopened() {
  local t0=$1 sink
  sink=$(pactl list short sinks | awk '$2 == "flitzsink" {print $1}')
  while [ $(($(ns) - t0)) -lt 5000000000 ]; do
    if pactl list short sink-inputs | awk -v s="$sink" '$2 == s {found = 1} END {exit !found}'; then
      echo $((($(ns) - t0) / 1000000))
      return
    fi
    sleep 0.01
  done
  echo -1
}

# sounding: 1 if 4 s recorded from the sink's monitor hold sound (parec), else 0.
# parec takes about a second to deliver its first data, more on a loaded
# machine or under a sanitizer, so it records for 4 s; the 2 s bound is
# checked on the stream itself (reopened).
sounding() {
  timeout 4 parec -d flitzsink.monitor --format=s16le --rate=48000 --channels=2 >"$WORK/rec.raw"
  sox -t raw -r 48000 -e signed -b 16 -c 2 "$WORK/rec.raw" -n stat 2>"$WORK/stat"
  awk '/Maximum amplitude/ {exit !($3 > 0.1)}' "$WORK/stat" && echo 1 || echo 0
}

make_tone_kit "$WORK/kit"
mkfifo "$WORK/midi"

# 1. Lost while playing, and back.
load_sink >/dev/null
start_flitz "$WORK/out" "$WORK/err" --headless --audio-device FlitzOut --midi-in "$WORK/midi" \
  "$WORK/kit"
wait_for "$WORK/out" "flitz: ready:" 20
printf '\x99\x24\x64' >"$WORK/midi"
sleep 1
[ "$(sounding)" = 1 ] || fail "no sound before the sink went away"
unload_sink
wait_for "$WORK/err" "audio output lost: FlitzOut (pulseaudio): the device went away" 5
sleep 1
load_sink >/dev/null
back=$(reopened "$(ns)")
[ "$(sounding)" = 1 ] || fail "no sound after the sink returned"
wait_for "$WORK/out" "flitz: audio output back: driver pulseaudio, device FlitzOut" 5
say "lost and back: playing on the sink again ${back} ms after it returned"
[ "$back" -ge 0 ] || fail "flitz did not reopen the sink"
[ "$back" -le 2000 ] || fail "sound came back after $back ms"
stop_flitz TERM
[ "$FLITZ_RC" = 0 ] || fail "exit $FLITZ_RC"
grep "audio output" "$WORK/out" "$WORK/err"

# 2. Gone at start, waited for.
unload_sink
printf '[audio]\nwait_for_device = true\n' >"$WORK/wait.ini"
start_flitz "$WORK/out" "$WORK/err" --headless --config "$WORK/wait.ini" \
  --audio-device FlitzOut --midi-in "$WORK/midi" "$WORK/kit"
wait_for "$WORK/err" "audio output FlitzOut (.*) is not there yet; waiting for it" 20
wait_for "$WORK/out" "flitz: ready:" 20
sleep 1
load_sink >/dev/null
back=$(reopened "$(ns)")
printf '\x99\x24\x64' >"$WORK/midi"
[ "$(sounding)" = 1 ] || fail "no sound once the sink appeared"
say "gone at start: playing on the sink ${back} ms after it appeared"
[ "$back" -ge 0 ] || fail "flitz did not open the sink"
[ "$back" -le 2000 ] || fail "sound came after $back ms"
stop_flitz TERM
[ "$FLITZ_RC" = 0 ] || fail "exit $FLITZ_RC"
grep "audio output" "$WORK/out" "$WORK/err"
exit 0
