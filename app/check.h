/* app/check.h: `flitz check KIT|FILE...`: decodes each file at its own rate
 * and says what it holds, or why it cannot be used.
 *
 * Owns: the check output format below (a contract: scripts parse it). Control
 * thread only.
 *
 * Output, one line per file, on stdout:
 *   "PAD PATH frames=N channels=C rate=R seconds=S.SSS"
 *   e.g. "3 kit/03-snare.wav frames=22050 channels=1 rate=44100 seconds=0.500"
 * N, C and R are what the file holds at its own rate (flz_decode_file with
 * rate 0); S = N / R with three decimals. For a folder argument the pads are
 * numbered 1..N in kit order (app/kit.h) and PATH is FOLDER/NAME; for a file
 * argument PAD is its position among the arguments (1-based) and PATH is the
 * argument as given.
 * A multi-sample kit (an SFZ file, a Hydrogen kit, an SF2 bank) prints a
 * line per region, its pad first, then
 *   " key=LO..HI vel=LO..HI seq=POSITION/LENGTH rand=LO..HI trigger=attack|release";
 * an SF2 bank first lists its presets, "preset BANK:PROGRAM NAME" (control
 * characters of NAME as '?'), and its regions' file fields are
 *   "PAD FILE.sf2 offset=BYTES frames=N channels=1 rate=R bits=16|24 seconds=S"
 * (--preset BANK:PROGRAM picks the preset whose regions print).
 * A file that cannot be used prints, on stderr:
 *   "error: PATH: REASON"
 * REASON is flz_result_message(code), then the decoder's detail in
 * parentheses when it has one, e.g.
 *   "error: bad/empty.wav: file is empty (0 bytes)".
 * A missing path, a folder with no audio files, or a folder that cannot be
 * read is an "error: PATH: REASON" line too.
 */
#ifndef FLZ_APP_CHECK_H
#define FLZ_APP_CHECK_H

/* argv[0] is "check"; the rest are options (--help, --version and --preset
 * mean anything here) and then one or more folders or files. Returns the process
 * exit code: 0 if every file decoded, 1 if any path printed an error line,
 * 2 for a usage error ("flitz check: REASON" on stderr). */
int flz_check_main(int argc, char **argv);

#endif
