/* Drawing helpers: clipped UTF-8 text, roles for attributes and colour. */
#ifndef INVADJ_TUI_DRAW_H
#define INVADJ_TUI_DRAW_H

#include <stdbool.h>

enum role { ROLE_NORMAL, ROLE_BAR, ROLE_KEY, ROLE_TITLE, ROLE_HEAD, ROLE_SEL,
	    ROLE_FIELD, ROLE_FOCUS, ROLE_ERROR, ROLE_OK, ROLE_DIM, ROLE_BOX,
	    ROLE_CHART_UP, ROLE_CHART_DOWN, /* a chart's bars above and below zero */
	    ROLE_COUNT };

/* Colours only when the terminal has them and NO_COLOR is not set. */
void draw_init(void);
/* Whether the terminal's locale is UTF-8: charts then use Unicode's
 * block characters, else ASCII. */
bool draw_utf8(void);

/* Writes text clipped to width columns (padding with blanks when pad);
 * control characters and bad UTF-8 show as '?'.  Returns columns used. */
int draw_text(int y, int x, int width, const char *s, enum role r, bool pad);
int draw_text_right(int y, int x, int width, const char *s, enum role r);
void draw_fill(int y, int x, int width, enum role r);
/* Display width of UTF-8 text. */
int text_width(const char *s);
/* Text word-wrapped over at most maxrows rows; returns the rows used. */
int draw_wrapped(int y, int x, int width, int maxrows, const char *s, enum role r);
/* A framed box, cleared inside. */
void draw_box(int y, int x, int h, int w, const char *title);

int draw_rows(void);
int draw_cols(void);

#endif
