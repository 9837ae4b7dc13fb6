/* A list too long to hold (a ledger of ten million rows, every item of
 * every store) seen through a window of at most PAGER_WINDOW rows.  The
 * source reads rows next to a row it is given (keyset paging), so moving
 * anywhere costs one page read and memory stays the same; Home and End
 * read the first or last page at once.  The grid inside draws the window. */
#ifndef INVADJ_TUI_PAGER_H
#define INVADJ_TUI_PAGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tui/grid.h"

#define PAGER_WINDOW 400

struct pager_source {
	size_t row_size;
	/* Reads up to limit rows next to anchor (NULL: from the start when
	 * forward, from the end when not) into out: forward in list order,
	 * backward nearest first.  Returns how many, or -1 after failure
	 * (the message is the source's to give). */
	int (*fetch)(void *ctx, const void *anchor, bool forward, int limit, void *out);
};

struct pager {
	const struct pager_source *src;
	void *ctx;
	unsigned char *rows, *spare; /* the window, and room for one read */
	int n;
	bool at_first, at_last;  /* the window holds the list's first / last row */
	int64_t first_pos;       /* position in the list of rows[0]; -1 when not known */
	bool failed;
	struct grid grid;        /* nrows is n; sel and top index the window */
};

bool pager_init(struct pager *p, const struct pager_source *src, void *ctx);
void pager_free(struct pager *p);
/* The first rows; the last rows (total, when known, gives positions). */
void pager_home(struct pager *p);
void pager_end(struct pager *p, int64_t total);
/* Reads the window again around the selected row (after a change). */
void pager_refresh(struct pager *p);
/* Up/Down/PgUp/PgDn/Home/End; false for other actions. */
bool pager_move(struct pager *p, enum action a, int page, int64_t total);
const void *pager_row(const struct pager *p, int i);
const void *pager_selected(const struct pager *p); /* NULL when empty */
/* The list's length became known: positions follow from it at the end. */
void pager_total_known(struct pager *p, int64_t total);
/* Position of the selected row in the whole list (0 first), -1 unknown. */
int64_t pager_position(const struct pager *p);

#endif
