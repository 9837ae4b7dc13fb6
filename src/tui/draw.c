/* Drawing helpers: every piece of text goes through draw_text, which
 * clips by display width so that long or odd input never garbles. */
#include "tui/draw.h"

#include <curses.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static attr_t attrs[ROLE_COUNT];

void draw_init(void)
{
	const char *nc = getenv("NO_COLOR");
	bool color = has_colors() && !(nc && nc[0]);
	/* without colour: attributes only, readable anywhere */
	attrs[ROLE_NORMAL] = A_NORMAL;
	attrs[ROLE_BAR] = A_REVERSE;
	attrs[ROLE_KEY] = A_BOLD;
	attrs[ROLE_TITLE] = A_BOLD;
	attrs[ROLE_HEAD] = A_BOLD | A_UNDERLINE;
	attrs[ROLE_SEL] = A_REVERSE;
	attrs[ROLE_FIELD] = A_UNDERLINE;
	attrs[ROLE_FOCUS] = A_REVERSE;
	attrs[ROLE_ERROR] = A_BOLD;
	attrs[ROLE_OK] = A_BOLD;
	attrs[ROLE_DIM] = A_DIM;
	attrs[ROLE_BOX] = A_NORMAL;
	/* without colour the bars below zero are told apart by weight (and
	 * by the sign of their figures) */
	attrs[ROLE_CHART_UP] = A_NORMAL;
	attrs[ROLE_CHART_DOWN] = A_BOLD;
	if (!color || start_color() == ERR)
		return;
	use_default_colors();
	/* foregrounds on the terminal's own background: red, green and
	 * blue bars read on dark and light themes alike */
	init_pair(1, COLOR_RED, -1);
	init_pair(2, COLOR_GREEN, -1);
	init_pair(3, COLOR_WHITE, COLOR_BLUE);
	init_pair(4, COLOR_BLACK, COLOR_CYAN);
	attrs[ROLE_ERROR] = A_BOLD | COLOR_PAIR(1);
	attrs[ROLE_OK] = A_BOLD | COLOR_PAIR(2);
	attrs[ROLE_BAR] = COLOR_PAIR(3);
	attrs[ROLE_SEL] = COLOR_PAIR(4);
	attrs[ROLE_FOCUS] = COLOR_PAIR(4);
	init_pair(5, COLOR_CYAN, -1);
	attrs[ROLE_CHART_UP] = COLOR_PAIR(5);
	attrs[ROLE_CHART_DOWN] = COLOR_PAIR(1);
}

bool draw_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && strcmp(cs, "UTF-8") == 0;
}

int draw_rows(void) { return LINES; }
int draw_cols(void) { return COLS; }

/* Decodes one character; bad bytes and control characters become '?'. */
static size_t next_char(const char *s, wchar_t *wc, int *w)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = mbrtowc(wc, s, strlen(s), &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*wc = L'?';
		n = 1;
	}
	int cw = wcwidth(*wc);
	if (cw < 0) {
		*wc = L'?';
		cw = 1;
	}
	*w = cw;
	return n;
}

int text_width(const char *s)
{
	int total = 0;
	while (s && *s) {
		wchar_t wc;
		int w;
		s += next_char(s, &wc, &w);
		total += w;
	}
	return total;
}

int draw_text(int y, int x, int width, const char *s, enum role r, bool pad)
{
	if (y < 0 || y >= LINES || x < 0 || width <= 0)
		return 0;
	if (x + width > COLS)
		width = COLS - x;
	if (width <= 0)
		return 0;
	attrset(attrs[r]);
	move(y, x);
	int used = 0;
	while (s && *s) {
		wchar_t wc[2] = {0, 0};
		int w;
		s += next_char(s, &wc[0], &w);
		if (used + w > width)
			break;
		if (w == 0 && used == 0)
			continue; /* a combining mark with nothing to combine with */
		addnwstr(wc, 1);
		used += w;
	}
	if (pad)
		for (int i = used; i < width; i++)
			addch(' ');
	attrset(A_NORMAL);
	return pad ? width : used;
}

int draw_text_right(int y, int x, int width, const char *s, enum role r)
{
	int w = text_width(s);
	if (w > width) {
		/* a figure that does not fit is never cut to fewer digits:
		 * the column shows it overflowed, as spreadsheets do */
		char mark[256];
		int n = width < (int)sizeof mark - 1 ? width : (int)sizeof mark - 1;
		memset(mark, '#', (size_t)(n > 0 ? n : 0));
		mark[n > 0 ? n : 0] = '\0';
		return draw_text(y, x, width, mark, r, true);
	}
	draw_fill(y, x, width - w, r);
	return draw_text(y, x + width - w, w, s, r, false);
}

void draw_fill(int y, int x, int width, enum role r)
{
	draw_text(y, x, width, "", r, true);
}

void draw_box(int y, int x, int h, int w, const char *title)
{
	if (h < 2 || w < 2)
		return;
	for (int i = 0; i < h; i++)
		draw_fill(y + i, x, w, ROLE_BOX);
	attrset(attrs[ROLE_BOX]);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	attrset(A_NORMAL);
	if (title && *title) {
		draw_text(y, x + 2, 1, " ", ROLE_BOX, false);
		int n = draw_text(y, x + 3, w - 6, title, ROLE_TITLE, false);
		draw_text(y, x + 3 + n, 1, " ", ROLE_BOX, false);
	}
}

int draw_wrapped(int y, int x, int width, int maxrows, const char *s, enum role r)
{
	char line[1024];
	int rows = 0;
	while (s && *s && rows < maxrows && width > 0) {
		size_t take = strlen(s);
		if (take >= sizeof line)
			take = sizeof line - 1;
		for (;;) {
			memcpy(line, s, take);
			line[take] = '\0';
			if (text_width(line) <= width || rows + 1 == maxrows)
				break;
			size_t sp = take - 1; /* a shorter cut each time: ends */
			while (sp > 0 && s[sp] != ' ')
				sp--;
			take = sp > 0 ? sp : take - 1;
			if (take == 0) {
				take = 1;
				break;
			}
		}
		memcpy(line, s, take);
		line[take] = '\0';
		draw_text(y + rows, x, width, line, r, true);
		rows++;
		s += take;
		while (*s == ' ')
			s++;
	}
	return rows;
}
