/* Charts as text: horizontal bars and sparklines in Unicode's block
 * characters, or in ASCII where the terminal's locale is not UTF-8.
 * The screens draw the text like any other (draw_text, a grid cell). */
#ifndef INVADJ_TUI_CHART_H
#define INVADJ_TUI_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A bar of |value| against |max| over width columns, in eighths of a
 * column: "███▌" (or "###+").  Empty for 0. */
char *chart_bar(char *buf, size_t size, int64_t value, int64_t max, int width, bool utf8);

/* One character a value, from the lowest to the highest of them:
 * "▁▂▅█" (or "_.=#"); a flat series is all low. */
char *chart_sparkline(char *buf, size_t size, const int64_t *v, int n, bool utf8);

#endif
