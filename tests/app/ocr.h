/* tests/app/ocr.h: the window's screenshots read back as text by Debian's
 * tesseract OCR (tools/setup test installs it). Test helper only. */
#ifndef FLZ_TESTS_APP_OCR_H
#define FLZ_TESTS_APP_OCR_H

/* The text tesseract reads in the PNG `png` (malloc'ed), or NULL when
 * tesseract is missing or fails. */
char *flz_ocr_read(const char *png);

/* 1 if a word of `text` (words split at spaces and newlines) is `word`
 * within one OCR slip (one letter read wrong, dropped or added: "O1-kick"
 * for "01-kick"). Words of 64 bytes or more never match. */
int flz_ocr_has_word(const char *text, const char *word);

#endif
