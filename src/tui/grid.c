/* The column grid. */
#include "tui/grid.h"

#include <string.h>

void grid_init(struct grid *g, const struct grid_col *cols, int ncols)
{
	memset(g, 0, sizeof *g);
	g->cols = cols;
	g->ncols = ncols > GRID_MAX_COLS ? GRID_MAX_COLS : ncols;
}

static int col_want(const struct grid *g, int c)
{
	return g->need[c] > g->cols[c].width ? g->need[c] : g->cols[c].width;
}

static int col_min(const struct grid *g, int c)
{
	return g->need[c] > g->cols[c].min ? g->need[c] : g->cols[c].min;
}

void grid_layout(struct grid *g, int x0, int width)
{
	int want = 0, min = 0, grow = 0;
	g->x0 = x0;
	g->width = width;
	for (int c = 0; c < g->ncols; c++) {
		want += col_want(g, c) + 1;
		min += col_min(g, c) + 1;
		grow += g->cols[c].grow;
		g->w[c] = col_want(g, c);
	}
	if (want > width) {
		/* shrink the columns that may, proportionally to their slack */
		int over = want - width, slack = want - min;
		for (int c = 0; c < g->ncols && slack > 0; c++) {
			int s = col_want(g, c) - col_min(g, c);
			int cut = (int)((long)over * s / slack);
			g->w[c] -= cut;
		}
		int total = 0;
		for (int c = 0; c < g->ncols; c++)
			total += g->w[c] + 1;
		for (int c = g->ncols - 1; c >= 0 && total > width; c--) {
			int can = g->w[c] - col_min(g, c);
			int cut = total - width < can ? total - width : can;
			g->w[c] -= cut;
			total -= cut;
		}
	} else if (grow > 0) {
		/* spare width to the text columns, in proportion to their grow */
		int extra = width - want, given = 0;
		for (int c = 0; c < g->ncols; c++) {
			int add = extra * g->cols[c].grow / grow;
			g->w[c] += add;
			given += add;
		}
		for (int c = 0; c < g->ncols && given < extra; c++)
			if (g->cols[c].grow) {
				g->w[c] += extra - given;
				break;
			}
	}
	int x = x0;
	for (int c = 0; c < g->ncols; c++) {
		if (g->w[c] < 0)
			g->w[c] = 0;
		g->x[c] = x;
		x += g->w[c] + 1;
	}
}

void grid_measure(struct grid *g, int first, int count, grid_cell_fn cell, void *ctx)
{
	for (int c = 0; c < g->ncols; c++)
		g->need[c] = g->cols[c].right ? text_width(g->cols[c].title) : 0;
	for (int r = first; r < first + count && r < g->nrows; r++)
		for (int c = 0; c < g->ncols; c++) {
			if (!g->cols[c].right)
				continue;
			char buf[512] = "";
			enum role role = ROLE_NORMAL;
			cell(ctx, r, c, buf, sizeof buf, &role);
			int w = text_width(buf);
			if (w > g->need[c])
				g->need[c] = w;
		}
	grid_layout(g, g->x0, g->width);
}

void grid_draw_header(const struct grid *g, int y)
{
	for (int c = 0; c < g->ncols; c++) {
		if (g->cols[c].right)
			draw_text_right(y, g->x[c], g->w[c], g->cols[c].title, ROLE_HEAD);
		else
			draw_text(y, g->x[c], g->w[c], g->cols[c].title, ROLE_HEAD, true);
	}
}

void grid_draw_row(const struct grid *g, int y, int r, bool sel, grid_cell_fn cell, void *ctx)
{
	for (int c = 0; c < g->ncols; c++) {
		char buf[512] = "";
		enum role role = ROLE_NORMAL;
		cell(ctx, r, c, buf, sizeof buf, &role);
		if (sel)
			role = ROLE_SEL;
		if (g->cols[c].right)
			draw_text_right(y, g->x[c], g->w[c], buf, role);
		else
			draw_text(y, g->x[c], g->w[c], buf, role, true);
		if (sel && c + 1 < g->ncols)
			draw_fill(y, g->x[c] + g->w[c], 1, ROLE_SEL);
	}
}

void grid_draw_list(struct grid *g, int y, int height, grid_cell_fn cell, void *ctx)
{
	if (height < 2)
		return;
	int rows = height - 1;
	if (g->sel >= g->nrows)
		g->sel = g->nrows - 1;
	if (g->sel < 0)
		g->sel = 0;
	if (g->sel < g->top)
		g->top = g->sel;
	if (g->sel >= g->top + rows)
		g->top = g->sel - rows + 1;
	if (g->top > 0 && g->top + rows > g->nrows)
		g->top = g->nrows > rows ? g->nrows - rows : 0;
	grid_measure(g, g->top, rows, cell, ctx);
	grid_draw_header(g, y);
	for (int i = 0; i < rows && g->top + i < g->nrows; i++)
		grid_draw_row(g, y + 1 + i, g->top + i, g->top + i == g->sel, cell, ctx);
}

bool grid_move(struct grid *g, enum action a, int page)
{
	if (page < 1)
		page = 1;
	switch (a) {
	case ACT_UP: g->sel--; break;
	case ACT_DOWN: g->sel++; break;
	case ACT_PGUP: g->sel -= page; break;
	case ACT_PGDN: g->sel += page; break;
	case ACT_HOME: g->sel = 0; break;
	case ACT_END: g->sel = g->nrows - 1; break;
	default: return false;
	}
	if (g->sel >= g->nrows)
		g->sel = g->nrows - 1;
	if (g->sel < 0)
		g->sel = 0;
	return true;
}
