/* Bars and sparklines as text (chart.h). */
#include "tui/chart.h"

#include <string.h>

/* Eighths of a column, 1..8: U+258F (one eighth) .. U+2588 (full). */
static const char *const eighths[9] = {"", "\u258f", "\u258e", "\u258d", "\u258c",
                                       "\u258b", "\u258a", "\u2589", "\u2588"};
/* Heights, lowest to highest: U+2581 .. U+2588. */
static const char *const heights[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                       "\u2585", "\u2586", "\u2587", "\u2588"};
static const char ascii_heights[8] = {'_', '.', ',', '-', '=', '+', '*', '#'};

static void put(char *buf, size_t size, size_t *used, const char *s)
{
	size_t n = strlen(s);
	if (*used + n < size) {
		memcpy(buf + *used, s, n);
		*used += n;
		buf[*used] = '\0';
	}
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

char *chart_bar(char *buf, size_t size, int64_t value, int64_t max, int width, bool utf8)
{
	size_t used = 0;
	buf[0] = '\0';
	uint64_t m = magnitude(max), v = magnitude(value);
	if (m == 0 || v == 0 || width <= 0)
		return buf;
	/* eighths of the width, rounded, never 0 for a value that is not */
	unsigned __int128 e = ((unsigned __int128)v * (unsigned)width * 8 + m / 2) / m;
	if (e == 0)
		e = 1;
	if (e > (unsigned __int128)width * 8)
		e = (unsigned __int128)width * 8;
	int full = (int)(e / 8), rest = (int)(e % 8);
	for (int i = 0; i < full; i++)
		put(buf, size, &used, utf8 ? eighths[8] : "#");
	if (rest)
		put(buf, size, &used, utf8 ? eighths[rest] : rest >= 4 ? "+" : full ? "" : "+");
	return buf;
}

char *chart_sparkline(char *buf, size_t size, const int64_t *v, int n, bool utf8)
{
	size_t used = 0;
	buf[0] = '\0';
	if (n <= 0)
		return buf;
	int64_t lo = v[0], hi = v[0];
	for (int i = 1; i < n; i++) {
		if (v[i] < lo)
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	for (int i = 0; i < n; i++) {
		int level = 0;
		if (hi > lo)
			level = (int)(((unsigned __int128)((uint64_t)v[i] - (uint64_t)lo) * 7 + ((uint64_t)hi - (uint64_t)lo) / 2) /
			              ((uint64_t)hi - (uint64_t)lo));
		if (utf8) {
			put(buf, size, &used, heights[level]);
		} else {
			char one[2] = {ascii_heights[level], '\0'};
			put(buf, size, &used, one);
		}
	}
	return buf;
}
