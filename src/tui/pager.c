/* The window over a long list. */
#include "tui/pager.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK (PAGER_WINDOW / 2)

bool pager_init(struct pager *p, const struct pager_source *src, void *ctx)
{
	struct grid keep = p->grid;
	memset(p, 0, sizeof *p);
	p->grid = keep;
	p->src = src;
	p->ctx = ctx;
	p->rows = calloc(PAGER_WINDOW, src->row_size);
	p->spare = calloc(PAGER_WINDOW, src->row_size);
	p->first_pos = -1;
	return p->rows && p->spare;
}

void pager_free(struct pager *p)
{
	free(p->rows);
	free(p->spare);
	p->rows = p->spare = NULL;
	p->n = 0;
}

static unsigned char *at(const struct pager *p, unsigned char *base, int i)
{
	return base + (size_t)i * p->src->row_size;
}

const void *pager_row(const struct pager *p, int i)
{
	return i >= 0 && i < p->n ? at(p, p->rows, i) : NULL;
}

const void *pager_selected(const struct pager *p)
{
	return pager_row(p, p->grid.sel);
}

int64_t pager_position(const struct pager *p)
{
	return p->first_pos < 0 || p->n == 0 ? -1 : p->first_pos + p->grid.sel;
}

static void reverse(struct pager *p, unsigned char *base, int n)
{
	size_t size = p->src->row_size;
	unsigned char *tmp = at(p, p->spare, PAGER_WINDOW - 1);
	for (int i = 0, j = n - 1; i < j; i++, j--) {
		memcpy(tmp, at(p, base, i), size);
		memcpy(at(p, base, i), at(p, base, j), size);
		memcpy(at(p, base, j), tmp, size);
	}
}

static int fetch(struct pager *p, const void *anchor, bool forward, int limit, unsigned char *out)
{
	if (!p->rows)
		return -1;
	int got = p->src->fetch(p->ctx, anchor, forward, limit, out);
	p->failed = got < 0;
	return got;
}

void pager_home(struct pager *p)
{
	int got = fetch(p, NULL, true, PAGER_WINDOW, p->rows);
	p->n = got > 0 ? got : 0;
	p->at_first = true;
	p->at_last = got < PAGER_WINDOW;
	p->first_pos = 0;
	p->grid.sel = p->grid.top = 0;
	p->grid.nrows = p->n;
}

void pager_end(struct pager *p, int64_t total)
{
	/* one row short of the window: room to reverse in place */
	int got = fetch(p, NULL, false, PAGER_WINDOW - 1, p->rows);
	p->n = got > 0 ? got : 0;
	reverse(p, p->rows, p->n);
	p->at_last = true;
	p->at_first = got < PAGER_WINDOW - 1;
	p->first_pos = p->at_first ? 0 : total >= 0 ? total - p->n : -1;
	p->grid.nrows = p->n;
	p->grid.sel = p->n ? p->n - 1 : 0;
	p->grid.top = p->n;
}

/* Reads a chunk past the window's last row, dropping rows at its top. */
static bool extend_forward(struct pager *p)
{
	if (p->at_last || p->n == 0)
		return false;
	int got = fetch(p, at(p, p->rows, p->n - 1), true, CHUNK, p->spare);
	if (got < 0)
		return false;
	if (got < CHUNK)
		p->at_last = true;
	int drop = p->n + got - PAGER_WINDOW;
	if (drop > 0) {
		memmove(p->rows, at(p, p->rows, drop), (size_t)(p->n - drop) * p->src->row_size);
		p->n -= drop;
		p->grid.sel -= drop;
		p->grid.top -= drop;
		if (p->first_pos >= 0)
			p->first_pos += drop;
		p->at_first = false;
	}
	memcpy(at(p, p->rows, p->n), p->spare, (size_t)got * p->src->row_size);
	p->n += got;
	p->grid.nrows = p->n;
	return got > 0;
}

/* Reads a chunk before the window's first row, dropping rows at its end. */
static bool extend_backward(struct pager *p)
{
	if (p->at_first || p->n == 0)
		return false;
	int got = fetch(p, at(p, p->rows, 0), false, CHUNK, p->spare);
	if (got < 0)
		return false;
	if (got < CHUNK)
		p->at_first = true;
	reverse(p, p->spare, got);
	int keep = p->n + got > PAGER_WINDOW ? PAGER_WINDOW - got : p->n;
	if (keep < p->n)
		p->at_last = false;
	memmove(at(p, p->rows, got), p->rows, (size_t)keep * p->src->row_size);
	memcpy(p->rows, p->spare, (size_t)got * p->src->row_size);
	p->n = keep + got;
	p->grid.sel += got;
	p->grid.top += got;
	if (p->first_pos >= 0)
		p->first_pos = p->first_pos >= got ? p->first_pos - got : 0;
	if (p->at_first)
		p->first_pos = 0;
	p->grid.nrows = p->n;
	return got > 0;
}

bool pager_move(struct pager *p, enum action a, int page, int64_t total)
{
	if (page < 1)
		page = 1;
	int delta;
	switch (a) {
	case ACT_UP: delta = -1; break;
	case ACT_DOWN: delta = 1; break;
	case ACT_PGUP: delta = -page; break;
	case ACT_PGDN: delta = page; break;
	case ACT_HOME: pager_home(p); return true;
	case ACT_END: pager_end(p, total); return true;
	default: return false;
	}
	int target = p->grid.sel + delta;
	while (target >= p->n && extend_forward(p))
		target = p->grid.sel + delta;
	while (target < 0 && extend_backward(p))
		target = p->grid.sel + delta;
	if (target >= p->n)
		target = p->n - 1;
	if (target < 0)
		target = 0;
	p->grid.sel = target;
	return true;
}

void pager_refresh(struct pager *p)
{
	if (p->n == 0 || (p->at_first && p->grid.sel < CHUNK)) {
		int64_t pos = pager_position(p);
		int sel = p->grid.sel;
		pager_home(p);
		p->grid.sel = sel < p->n ? sel : p->n - 1;
		(void)pos;
		return;
	}
	/* the selected row, and the rows before it read again */
	size_t size = p->src->row_size;
	memcpy(at(p, p->spare, PAGER_WINDOW - 1), at(p, p->rows, p->grid.sel), size);
	int64_t pos = pager_position(p);
	int before = fetch(p, at(p, p->spare, PAGER_WINDOW - 1), false, CHUNK, p->rows);
	if (before < 0)
		return;
	reverse(p, p->rows, before);
	int got = before > 0 ? fetch(p, at(p, p->rows, before - 1), true, PAGER_WINDOW - before, at(p, p->rows, before))
	                     : fetch(p, NULL, true, PAGER_WINDOW, p->rows);
	if (got < 0)
		got = 0;
	p->n = before + got;
	p->at_first = before < CHUNK;
	p->at_last = got < PAGER_WINDOW - before;
	p->first_pos = p->at_first ? 0 : pos >= 0 ? pos - before : -1;
	p->grid.nrows = p->n;
	p->grid.sel = before < p->n ? before : p->n - 1;
	if (p->grid.sel < 0)
		p->grid.sel = 0;
}

void pager_total_known(struct pager *p, int64_t total)
{
	if (p->first_pos < 0 && p->at_last && total >= p->n)
		p->first_pos = total - p->n;
}
