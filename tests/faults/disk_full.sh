#!/bin/bash
# The fallback WAV's disk fills up (a 2 MB tmpfs as TMPDIR): one line names
# the file and "No space left on device", Flitz runs on without output
# (MIDI notes are taken, no "commands dropped" lines), SIGTERM exits 0, and
# the file is a valid WAV whose header counts exactly the data in it.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root to mount a tmpfs"
mkdir "$WORK/small"
mount -t tmpfs -o size=2m tmpfs "$WORK/small" || skip "cannot mount a tmpfs here"
cleanup_extra() { umount "$WORK/small" 2>/dev/null; }
mkfifo "$WORK/midi"
SDL_AUDIODRIVER=$NO_AUDIO TMPDIR=$WORK/small start_flitz "$WORK/out" "$WORK/err" --headless \
  --midi-in "$WORK/midi"
wait_for "$WORK/out" "flitz: ready:" 20
# 2 MB at 48 kHz 16-bit stereo is 10.9 s.
wait_for "$WORK/err" "running on without output" 30
exec 3>"$WORK/midi"
for i in $(seq 1 50); do printf '\x99\x24\x64\x89\x24\x00' >&3; sleep 0.02; done
sleep 0.5
exec 3>&-
stop_flitz TERM
[ "$FLITZ_RC" = 0 ] || fail "exit $FLITZ_RC after SIGTERM"
cat "$WORK/err"
[ "$(grep -c 'No space left on device' "$WORK/err")" = 1 ] || fail "not one ENOSPC line"
grep -q "audio output stopped: $WORK/small/flitz-[0-9]*.wav: No space left on device" \
  "$WORK/err" || fail "the line does not name the file"
! grep -q "commands dropped" "$WORK/err" || fail "commands dropped after the disk filled"
wav=$(ls "$WORK"/small/flitz-*.wav)
size=$(stat -c %s "$wav")
data=$(wav_data_bytes "$wav")
say "disk full: $wav is $size bytes, header data $data bytes"
[ "$data" -gt 1000000 ] || fail "only $data bytes of data"
[ $((data + 44)) = "$size" ] || fail "header says $data data bytes, file holds $((size - 44))"
if command -v sox >/dev/null; then
  sox "$wav" -n stat 2>"$WORK/stat" || fail "sox cannot read $wav"
fi
exit 0
