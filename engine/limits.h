/* engine/limits.h: the engine's compile-time capacities, and the defaults
 * and ranges of every value a user sets.
 *
 * Owns: every size the engine's fixed memory is built from. Each capacity can
 * be overridden from CMake (-DFLZ_SLOTS=... and so on); the defaults and why:
 */
#ifndef FLZ_ENGINE_LIMITS_H
#define FLZ_ENGINE_LIMITS_H

/* Sample slots. 4096: a region of a multi-sample kit is a slot, and real
 * kits need many (AVL Black Pearl has 118 samples, big SFZ kits over 1,000);
 * per slot the engine keeps 88 bytes (the sample, its parameters, meters). */
#ifndef FLZ_SLOTS
#define FLZ_SLOTS 4096
#endif

/* Regions (engine/message.h flz_region), one static table: one per slot. */
#ifndef FLZ_REGIONS
#define FLZ_REGIONS 4096
#endif

/* Regions one pad holds at most: 128, one per MIDI key or velocity. */
#define FLZ_PAD_REGIONS 128

/* Multi-sample pads. 256: 16 banks x 16 pads, a whole pad controller layout;
 * an SFZ or drum kit has at most 128 (one per MIDI key). */
#ifndef FLZ_PADS
#define FLZ_PADS 256
#endif

/* Pattern recorder (engine/pattern.h): events of all patterns together, one
 * static store. 65,536: 16 patterns of 16 bars of 1/64 notes on 16 pads
 * would need more, but a played pattern holds hundreds; 16 bytes each, 1 MiB. */
#ifndef FLZ_PATTERN_EVENTS
#define FLZ_PATTERN_EVENTS 65536
#endif

/* Patterns per kit (16: one bank of pads chooses them) and the bars one
 * holds (1..16: 64 beats, what a pattern position's 6 integer bits hold). */
#define FLZ_PATTERNS 16
#define FLZ_PATTERN_BARS_MAX 16

/* Recorded presses held at once whose releases the recorder waits for (a
 * gate pad, a multi-sample key): 256, every pad of a controller layout. */
#define FLZ_PATTERN_HELD 256

/* The metronome's click, ms: 20 ms of a decaying sine, short enough not to
 * hide a hit, long enough to hear over a kit. */
#define FLZ_METRONOME_MS 20

/* The click's level when a control turns the metronome on, dB: -12, under
 * a pad played at full velocity so it guides without masking. */
#define FLZ_METRONOME_DB (-12.0)

/* The longest envelope segment, ms: 100 s, SFZ's range of ampeg_*. */
#define FLZ_ENVELOPE_MS_MAX 100000.0f

/* Voices (polyphony). 64: the reference notes have 32; sfizz defaults to 64,
 * and 64 voices of float mixing fit a Pi 3 period with room to spare. */
#ifndef FLZ_VOICES
#define FLZ_VOICES 64
#endif

/* Voices that only play out the fade of a stolen or replaced voice, so a
 * steal never cuts a waveform mid-signal. 1/8 of the voices: steals come one
 * per trigger and each tail lives only FLZ_FADE_FRAMES_MAX frames. */
#define FLZ_TAIL_VOICES (FLZ_VOICES / 8 > 0 ? FLZ_VOICES / 8 : 1)

/* Messages per ring (a power of two). 1024: the reference notes' value; one
 * period drains at most FLZ_COMMANDS_PER_PERIOD of them. */
#ifndef FLZ_RING_CAPACITY
#define FLZ_RING_CAPACITY 1024
#endif

/* Command producers, one SPSC ring each: the control thread and the MIDI
 * input thread (the only threads that send commands; loaders hand decoded
 * samples to the control thread, which publishes them). */
#define FLZ_PRODUCERS 2

/* Commands the audio thread drains per period and producer: bounds the work of
 * one period; a burst larger than this waits for the next period. */
#define FLZ_COMMANDS_PER_PERIOD 256

/* Sample pool, MiB. 256: a Pi 4 has 2-8 GiB; smaller boards set less. At
 * 48 kHz stereo float, 256 MiB hold 11.6 minutes of audio. */
#ifndef FLZ_POOL_MIB
#define FLZ_POOL_MIB 256
#endif
#define FLZ_POOL_BYTES ((unsigned long long)FLZ_POOL_MIB * 1024u * 1024u)

/* Pool regions the allocator tracks: one per slot plus one being replaced per
 * slot, plus free gaps between them. */
#define FLZ_POOL_REGIONS (FLZ_SLOTS * 4 + 4)

/* Largest fade the engine applies, in frames (5 ms at 96 kHz). */
#define FLZ_FADE_FRAMES_MAX 480

/* Windowed-sinc interpolation (engine/interpolate.h): zero crossings of the
 * kernel on each side at unity rate (16: 32 taps, a Kaiser design of about
 * 100 dB stopband and a 0.2 fs transition band, J. O. Smith's "Digital Audio
 * Resampling" proportions), table phases per zero crossing (512: linear
 * interpolation between phases then errs below -110 dB), and the most a
 * pitch up stretches the kernel (4: two octaves; above that the kernel stays
 * at 4 x 32 taps and aliases rather than taking more time). */
#define FLZ_SINC_ZEROS 16
#define FLZ_SINC_PHASES 512
#define FLZ_SINC_STRETCH_MAX 4
/* The Kaiser window's beta (Kaiser and Schafer 1980: beta = 0.1102 (A - 8.7)
 * for a stopband of A dB; 10.5 gives about 104 dB). */
#define FLZ_SINC_KAISER_BETA 10.5

/* The longest resampling that runs until stopped, and the pool memory it
 * reserves while it records, s: 60, a minute of a live mix (22 MiB at
 * 48 kHz stereo float, under a tenth of the default pool); the memory past
 * what it recorded goes back to the pool when it ends. */
#ifndef FLZ_RESAMPLE_SECONDS
#define FLZ_RESAMPLE_SECONDS 60
#endif

/* The most bars one resampling records: 64, the longest loop of a looper's
 * bar counter (16 minutes at FLZ_TEMPO_MIN). */
#define FLZ_RESAMPLE_BARS_MAX 64

/* ---- Defaults and ranges (like miniaudio's MA_DEFAULT_*). Every default
 * and every accepted range of a user-set value lives here, once; code fills
 * defaults from these where the value is owned, and messages print these
 * constants, never a copied number. ---- */

/* Output rate, Hz. 48000: what USB DACs and SDL's drivers take without
 * resampling. 8000..384000: telephone rate to the top rate of current audio
 * interfaces' playback. */
#define FLZ_DEFAULT_RATE 48000u
#define FLZ_RATE_MIN 8000u
#define FLZ_RATE_MAX 384000u

/* Frames per audio period. 256: 5.3 ms at 48 kHz, which a Pi 3 keeps up
 * with at 64 voices. 16..8192: 0.3 ms to 170 ms at 48 kHz. */
#define FLZ_DEFAULT_PERIOD 256u
#define FLZ_PERIOD_MIN 16u
#define FLZ_PERIOD_MAX 8192u

/* SCHED_FIFO priority of the audio thread where the system allows it
 * (RLIMIT_RTPRIO, the flitz service's LimitRTPRIO): 70, above the kernel's
 * threaded interrupts (50) and below its own watchdogs (99), as JACK's and
 * PipeWire's defaults sit. */
#define FLZ_AUDIO_RT_PRIORITY 70

/* Output channels: stereo. */
#define FLZ_DEFAULT_CHANNELS 2u

/* Master tempo, BPM. 120: the common default of DAWs and drum machines.
 * 20..999: what a tempo display of three digits shows. */
#define FLZ_DEFAULT_TEMPO 120.0
#define FLZ_TEMPO_MIN 20.0
#define FLZ_TEMPO_MAX 999.0

/* Interpolation of pitched voices, an flz_interpolation (engine/message.h):
 * 0 linear, 1 hermite, 2 sinc. 1, hermite: the best mode whose cost at 64
 * voices and speed 1.5 stays within 2x of linear's (hermite 1.07-1.64x
 * linear, sinc 37x: flitz bench --quality, README's Benchmarks), and 22 to 50 dB
 * cleaner than linear at 1 and 5 kHz. */
#define FLZ_DEFAULT_INTERPOLATION 1u

/* Global speed (a pitch fader: 0.5 = an octave down, 2 = an octave up). */
#define FLZ_DEFAULT_SPEED 1.0
#define FLZ_SPEED_MIN 0.5
#define FLZ_SPEED_MAX 2.0

/* Gain in dB. At or below FLZ_GAIN_DB_MIN is silence (-96 dB: the 16-bit
 * noise floor); FLZ_GAIN_DB_MAX (+24 dB) is the most any pad or the master
 * may boost. */
#define FLZ_GAIN_DB_MIN (-96.0)
#define FLZ_GAIN_DB_MAX 24.0

/* Pads per bank. 16: a 4 x 4 pad controller, and the window's grid. */
#define FLZ_DEFAULT_BANK_SIZE 16u

/* The latest time of an offline render (--seconds, event script times), in
 * seconds. One day: frame counts stay exact at any rate. */
#define FLZ_RENDER_SECONDS_MAX 86400.0

/* How often the fallback WAV file (written in real time when there is no
 * audio device) gets its header's sizes rewritten and its data synced, in
 * seconds: a SIGKILL or a power cut loses at most this much. */
#define FLZ_FALLBACK_SYNC_SECONDS 2u

/* How often a lost audio device is looked for, ms: often enough that the
 * sound comes back within a second of the device, seldom enough that the
 * look (a listing of the sound server's devices) costs nothing. */
#define FLZ_DEVICE_RETRY_MS 500u

/* The largest settings file (flitz.ini, kit.ini) read, in bytes: 1 MiB, a
 * hundred times the largest real one (a full [keys] and [notes] map), so
 * --config /dev/zero or a wrong file stops with an error. */
#define FLZ_SETTINGS_FILE_MAX 1048576u

#endif
