/* UTF-8 text as people see it: characters counted, and text made safe
 * to print on a terminal.  Small and pure, like the other parsers. */
#ifndef INVADJ_TEXT_H
#define INVADJ_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Characters (Unicode code points) in the first len bytes of s, valid
 * UTF-8; a byte that is not part of a valid sequence counts as one. */
size_t text_chars(const char *s, size_t len);

/* Copies s into out (size bytes, always terminated, cut at a character
 * boundary) with every character a terminal would act on instead of
 * show replaced by '?', as the screens do: C0 controls (ESC, CR, TAB,
 * BEL ...), DEL, C1 controls (U+0080..U+009F, e.g. the one-character
 * CSI), bidirectional overrides and isolates (which reorder what is
 * shown), and bytes that are not UTF-8.  So a memo holding ESC[1A ESC[2K
 * or an OSC title sequence cannot hide rows or retitle the window of
 * whoever lists it.  Returns true when something was replaced. */
bool text_printable(const char *s, char *out, size_t size);

#endif
