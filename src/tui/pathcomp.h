/* File name completion for path fields (no curses here). */
#ifndef INVADJ_TUI_PATHCOMP_H
#define INVADJ_TUI_PATHCOMP_H

#include <stddef.h>

/* Completes path as far as it is unambiguous into out (a directory
 * gains a '/'); some matching names go to hint.  Returns the number of
 * matches (0: none). */
int path_complete(const char *path, char *out, size_t size, char *hint, size_t hint_size);

#endif
