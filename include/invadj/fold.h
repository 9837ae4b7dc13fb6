/* Text folded for searching: Unicode normalised (compatibility forms),
 * case folded and accents stripped, by utf8proc, so that "CAFÉ", "café"
 * typed as one code point and "café" written with a combining accent
 * all fold to "cafe". */
#ifndef INVADJ_FOLD_H
#define INVADJ_FOLD_H

#include <stdbool.h>
#include <stddef.h>

/* The folded text into out (cut at size on a character boundary);
 * false when the input is not valid UTF-8 (out then holds it bytewise,
 * lower-cased in ASCII). */
bool text_fold(const char *in, char *out, size_t size);

#endif
