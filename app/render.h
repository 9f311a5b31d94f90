/* app/render.h: `flitz render [OPTIONS] KIT EVENTS OUT.wav`, the offline
 * render of an event script (app/script.h) on a kit through the same engine
 * the live sampler uses, with the sampler's "wav" backend pulled on demand.
 *
 * Owns: placing each event at its exact frame and deciding when the render
 * ends. Control thread only; uses the process's one sampler
 * (flz_sampler_instance), so it must not run while the live sampler runs.
 *
 * Timing: an event at SECONDS takes effect at frame round(SECONDS * rate):
 * the render pulls the frames before it, then sends the command, which the
 * engine applies at the start of the next period. Without --seconds the
 * render ends after the last event once no voice is playing or fading (in
 * whole periods, --period frames each); with --seconds S it is exactly
 * round(S * rate) frames and events at or after that frame are not played.
 * At most FLZ_COMMANDS_PER_PERIOD commands take effect at one frame; the
 * kit's pad loads count among those at frame 0.
 *
 * OUT is stereo at --rate Hz, 32-bit float or, with --format s16, 16-bit.
 *
 * Output: on success one line on stdout,
 *   "OUT frames=N channels=2 rate=R seconds=S.SSS format=f32|s16"
 * Errors go to stderr, one line each:
 *   "error: PATH: REASON" for a kit file that does not load (the render goes
 *     on without that pad; a play of it is silent), a kit folder or EVENTS
 *     file that cannot be used, or an OUT that cannot be written;
 *   "error: EVENTS:LINE: REASON" for a malformed script line;
 *   "flitz render: REASON" for usage problems (unknown option, operands).
 */
#ifndef FLZ_APP_RENDER_H
#define FLZ_APP_RENDER_H

/* argv[0] is "render"; the rest are OPTIONS KIT EVENTS OUT.wav. Returns the
 * process exit code: 0 when OUT was written (even if some kit files failed),
 * 1 when it was not (script error, no usable kit, no pad loaded, OUT not
 * writable), 2 for a usage error. --help prints the usage on stdout and
 * --version the version, both returning 0. */
int flz_render_main(int argc, char **argv);

#endif
