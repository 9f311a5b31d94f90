/* engine/result.h: the one result type of the whole project.
 *
 * Owns: the list of named errors and their one-line human messages. 0 is
 * success; every error is negative. The list is one X-macro so that every code
 * has a stable name, number and message (as sokol_audio.h does for its logs).
 * Thread safety: everything here is pure and may be called from any thread,
 * including the audio callback.
 */
#ifndef FLZ_ENGINE_RESULT_H
#define FLZ_ENGINE_RESULT_H

#define FLZ_RESULT_LIST(X)                                                                         \
  X(FLZ_OK, 0, "success")                                                                          \
  X(FLZ_ERR_ARGUMENT, -1, "invalid argument")                                                      \
  X(FLZ_ERR_NOT_FOUND, -2, "no such file or directory")                                            \
  X(FLZ_ERR_IS_DIRECTORY, -3, "is a directory, not an audio file")                                 \
  X(FLZ_ERR_READ, -4, "cannot be read")                                                            \
  X(FLZ_ERR_EMPTY_FILE, -5, "file is empty")                                                       \
  X(FLZ_ERR_CORRUPT, -6, "corrupt or truncated audio data")                                        \
  X(FLZ_ERR_UNSUPPORTED, -7, "unsupported audio format")                                           \
  X(FLZ_ERR_NO_AUDIO, -8, "contains no audio frames")                                              \
  X(FLZ_ERR_POOL_FULL, -9, "does not fit in the sample pool")                                      \
  X(FLZ_ERR_NO_MEMORY, -10, "out of memory")                                                       \
  X(FLZ_ERR_RING_FULL, -11, "command ring is full")                                                \
  X(FLZ_ERR_SLOT, -12, "sample slot out of range")                                                 \
  X(FLZ_ERR_EMPTY_SLOT, -13, "sample slot is empty")                                               \
  X(FLZ_ERR_NO_AUDIO_DEVICE, -14, "no audio output device")                                        \
  X(FLZ_ERR_AUDIO_DEVICE, -15, "audio output device cannot be opened")                             \
  X(FLZ_ERR_EMPTY_KIT, -16, "contains no audio files")                                             \
  X(FLZ_ERR_NOT_A_KIT, -17, "is not a folder")                                                     \
  X(FLZ_ERR_SYNTAX, -18, "syntax error")                                                           \
  X(FLZ_ERR_WRITE, -19, "cannot be written")                                                       \
  X(FLZ_ERR_OPTION, -20, "unknown option")                                                         \
  X(FLZ_ERR_TOO_MANY_PADS, -21, "more files than sample slots")                                    \
  X(FLZ_ERR_NOT_RUNNING, -22, "the sampler is not running")                                        \
  X(FLZ_ERR_VIDEO, -23, "no display for a window")                                                 \
  X(FLZ_ERR_PATTERN_FULL, -24, "the pattern store is full")

typedef enum flz_result {
#define FLZ_RESULT_ENUM(name, value, message) name = value,
  FLZ_RESULT_LIST(FLZ_RESULT_ENUM)
#undef FLZ_RESULT_ENUM
} flz_result;

/* The one-line message of a result code ("success" for FLZ_OK, "unknown
 * error" for a value not in the list). Never NULL; static storage. */
const char *flz_result_message(int result);

/* The code's name as it is spelled in FLZ_RESULT_LIST ("FLZ_ERR_CORRUPT"). */
const char *flz_result_name(int result);

#endif
