/* The one column widget: Adjust, History and Stock fill cells, this
 * lays the columns out for the width at hand and draws them. */
#ifndef INVADJ_TUI_GRID_H
#define INVADJ_TUI_GRID_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/actions.h"
#include "tui/draw.h"

#define GRID_MAX_COLS 12

struct grid_col {
	const char *title;
	int width; /* wanted */
	int min;   /* shrinks down to this when the terminal is narrow */
	bool right;
	int grow;  /* share of any extra width */
};

struct grid {
	const struct grid_col *cols;
	int ncols;
	int x[GRID_MAX_COLS], w[GRID_MAX_COLS];
	int need[GRID_MAX_COLS]; /* widest value of a number column now shown */
	int x0, width;           /* the last layout's */
	int nrows, sel, top; /* list mode */
};

/* Fills one cell's text (and its role) of row r, column c. */
typedef void (*grid_cell_fn)(void *ctx, int r, int c, char *buf, size_t size, enum role *role);

void grid_init(struct grid *g, const struct grid_col *cols, int ncols);
/* Computes x and w of each column for a total width starting at x0:
 * a number column gets at least the width of its widest value measured
 * (grid_measure), the text columns share the rest by their grow. */
void grid_layout(struct grid *g, int x0, int width);
/* Measures the number (right-aligned) columns over rows first.. first+count-1
 * and lays out again. */
void grid_measure(struct grid *g, int first, int count, grid_cell_fn cell, void *ctx);
void grid_draw_header(const struct grid *g, int y);
/* One row, cells from the callback; sel paints the row selected. */
void grid_draw_row(const struct grid *g, int y, int r, bool sel, grid_cell_fn cell, void *ctx);
/* List mode: header then rows top.., selected row kept in view. */
void grid_draw_list(struct grid *g, int y, int height, grid_cell_fn cell, void *ctx);
/* Up/Down/PgUp/PgDn/Home/End on the selection; false for other actions. */
bool grid_move(struct grid *g, enum action a, int page);

#endif
