/* tests/app/tempdir.h: the temporary folders the app tests work in, and the
 * small text files they write there and read back. Every function asserts
 * (cmocka) that it worked. Test helper only; test thread only. */
#ifndef FLZ_TESTS_APP_TEMPDIR_H
#define FLZ_TESTS_APP_TEMPDIR_H

#include <stddef.h>

/* Makes a new folder "/tmp/<prefix>-XXXXXX" (mkdtemp) and writes its path
 * into `dir` (`size` bytes). */
void flz_tempdir_make(char *dir, size_t size, const char *prefix);

/* Removes folder `dir` and everything in it (rm -rf). */
void flz_tempdir_remove(const char *dir);

/* Makes folder `to` and links (symlink) each file of folder `from` into it
 * under its own name, all but the one named `except` (NULL: none) and the
 * hidden ones: a copy of a kit, say, that a test changes by a file without
 * touching the original. */
void flz_tempdir_link(const char *from, const char *to, const char *except);

/* Writes `text` into the file `path`, replacing what it held. */
void flz_tempdir_write(const char *path, const char *text);

/* The whole of file `path`, malloc'ed, with a NUL after its last byte (so
 * text reads as a string); its size in bytes in `*size`. */
char *flz_tempdir_read(const char *path, size_t *size);

#endif
