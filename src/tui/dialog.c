/* Dialogs. */
#include "tui/dialog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/field.h"
#include "tui/keys.h"

enum dialog_kind { DLG_MESSAGE, DLG_CONFIRM, DLG_FORM };

#define DIALOG_SCOPE 24

struct dialog {
	struct overlay base; /* first: the stack holds &base */
	enum dialog_kind kind;
	char title[128];
	char *text;
	char note[IV_MSG_MAX + 32];
	enum action scope[DIALOG_SCOPE];
	int nfields, focus;
	bool yes_highlighted; /* a question's answer under Enter */
	char labels[DIALOG_FIELDS][32];
	struct field fields[DIALOG_FIELDS];
};

static void dialog_draw(struct tui *t, struct overlay *o);
static bool scope_has(const struct dialog *d, enum action a)
{
	for (const enum action *s = d->scope; *s != ACT_NONE; s++)
		if (*s == a)
			return true;
	return false;
}

static int dialog_key(struct tui *t, struct overlay *o, int key, enum action a);
static void dialog_free(struct overlay *o);

static const struct overlay_ops dialog_ops = {dialog_draw, dialog_key, dialog_free};

/* The keys of each kind: what dispatch looks up and the hint shows. */
static const enum action message_scope[] = {ACT_CLOSE, ACT_NONE};
static const enum action confirm_scope[] = {ACT_YES, ACT_NO, ACT_CHOOSE, ACT_LEFT, ACT_RIGHT, ACT_NEXT, ACT_NONE};
static const enum action form_scope[] = {ACT_ENTER, ACT_NEXT, ACT_PREV, ACT_UP, ACT_DOWN, ACT_CANCEL,
                                         FIELD_ACTIONS, ACT_NONE};

static void scope_set(struct dialog *d, const enum action *first, const enum action *then)
{
	int n = 0;
	for (; first && *first != ACT_NONE && n < DIALOG_SCOPE - 1; first++)
		d->scope[n++] = *first;
	for (; then && *then != ACT_NONE && n < DIALOG_SCOPE - 1; then++)
		d->scope[n++] = *then;
	d->scope[n] = ACT_NONE;
	d->base.actions = d->scope;
}

static struct dialog *dialog_new(enum dialog_kind kind, const char *title, const char *text)
{
	struct dialog *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->text = strdup(text ? text : "");
	if (!d->text) {
		free(d);
		return NULL;
	}
	d->base.ops = &dialog_ops;
	d->kind = kind;
	snprintf(d->title, sizeof d->title, "%s", title ? title : "");
	return d;
}

struct overlay *dialog_message(const char *title, const char *text)
{
	return dialog_choices(title, text, NULL);
}

struct overlay *dialog_choices(const char *title, const char *text, const enum action *choices)
{
	struct dialog *d = dialog_new(DLG_MESSAGE, title, text);
	if (!d)
		return NULL;
	scope_set(d, message_scope, choices);
	return &d->base;
}

struct overlay *dialog_confirm(const char *title, const char *text)
{
	struct dialog *d = dialog_new(DLG_CONFIRM, title, text);
	if (!d)
		return NULL;
	scope_set(d, confirm_scope, NULL);
	d->base.question = true;
	return &d->base;
}

struct overlay *dialog_form(const char *title, const char *text, int nfields,
                            const char *const labels[], const size_t max_bytes[], const bool masks[])
{
	struct dialog *d = dialog_new(DLG_FORM, title, text);
	if (!d)
		return NULL;
	scope_set(d, form_scope, NULL);
	d->base.question = true;
	d->nfields = nfields > DIALOG_FIELDS ? DIALOG_FIELDS : nfields;
	for (int i = 0; i < d->nfields; i++) {
		snprintf(d->labels[i], sizeof d->labels[i], "%s", labels[i]);
		field_init(&d->fields[i], max_bytes[i], masks ? masks[i] : false);
	}
	return &d->base;
}

const char *dialog_value(struct overlay *o, int i, char *buf, size_t size)
{
	struct dialog *d = (struct dialog *)o;
	if (i < 0 || i >= d->nfields) {
		if (size)
			buf[0] = '\0';
		return buf;
	}
	return field_get(&d->fields[i], buf, size);
}

void dialog_set_value(struct overlay *o, int i, const char *value)
{
	struct dialog *d = (struct dialog *)o;
	if (i >= 0 && i < d->nfields)
		field_set(&d->fields[i], value);
}

void dialog_focus(struct overlay *o, int i)
{
	struct dialog *d = (struct dialog *)o;
	if (i >= 0 && i < d->nfields)
		d->focus = i;
}

void dialog_note(struct overlay *o, const char *note)
{
	struct dialog *d = (struct dialog *)o;
	snprintf(d->note, sizeof d->note, "%s", note ? note : "");
}

static void dialog_free(struct overlay *o)
{
	struct dialog *d = (struct dialog *)o;
	for (int i = 0; i < d->nfields; i++)
		field_clear(&d->fields[i]); /* a PIN does not stay in freed memory */
	free(d->text);
	free(d);
}

/* Rows the text takes when wrapped to width (draw_wrapped's rule). */
static int wrapped_rows(const char *text, int width, int maxrows)
{
	int rows = 0;
	const char *p = text;
	while (*p && rows < maxrows) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024];
		snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
		int w = text_width(line);
		rows += w <= width ? 1 : (w + width - 1) / width + 1;
		p = nl ? nl + 1 : p + len;
	}
	return rows ? rows : 1;
}

/* Each paragraph of the text word-wrapped; returns the rows used. */
static int draw_paragraphs(int y, int x, int width, int maxrows, const char *text, enum role r)
{
	int used = 0;
	const char *p = text;
	while (*p && used < maxrows) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024];
		snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
		used += line[0] ? draw_wrapped(y + used, x, width, maxrows - used, line, r) : 1;
		p = nl ? nl + 1 : p + len;
	}
	return used;
}

static void dialog_draw(struct tui *t, struct overlay *o)
{
	struct dialog *d = (struct dialog *)o;
	int rows = draw_rows(), cols = draw_cols();
	int w = cols - 4 < 76 ? cols - 4 : 76;
	if (w < 20)
		return;
	int tw = w - 4;
	char hint[256];
	action_hint(d->scope, hint, sizeof hint);
	int tl = wrapped_rows(d->text, tw, rows);
	int nl = d->note[0] ? wrapped_rows(d->note, tw, 3) : 0;
	int hl = wrapped_rows(hint, tw, 3);
	int extra = (d->nfields ? d->nfields + 1 : 0) + (d->kind == DLG_CONFIRM ? 2 : 0) + nl;
	int h = tl + 3 + hl + extra;
	if (h > rows - 2) {
		h = rows - 2;
		tl = h - 3 - hl - extra;
	}
	int y = (rows - h) / 2, x = (cols - w) / 2;
	draw_box(y, x, h, w, d->title);
	draw_paragraphs(y + 1, x + 2, tw, tl > 0 ? tl : 0, d->text, ROLE_NORMAL);
	int fy = y + 1 + tl + 1;
	int lw = 0;
	for (int i = 0; i < d->nfields; i++)
		if (text_width(d->labels[i]) > lw)
			lw = text_width(d->labels[i]);
	t->cur_y = t->cur_x = -1;
	for (int i = 0; i < d->nfields; i++) {
		draw_text(fy + i, x + 2, lw + 2, d->labels[i], ROLE_NORMAL, true);
		field_draw(&d->fields[i], fy + i, x + 4 + lw, tw - lw - 2, i == d->focus, &t->cur_y, &t->cur_x);
	}
	if (nl)
		draw_paragraphs(fy + d->nfields, x + 2, tw, nl, d->note, ROLE_ERROR);
	if (d->kind == DLG_CONFIRM) {
		int by = y + h - 2 - hl - 1;
		draw_text(by, x + 4, 7, "[ Yes ]", d->yes_highlighted ? ROLE_FOCUS : ROLE_NORMAL, false);
		draw_text(by, x + 13, 6, "[ No ]", d->yes_highlighted ? ROLE_NORMAL : ROLE_FOCUS, false);
		t->cur_y = by;
		t->cur_x = d->yes_highlighted ? x + 6 : x + 15;
	}
	draw_paragraphs(y + h - 1 - hl, x + 2, tw, hl, hint, ROLE_DIM);
}

static int confirm_key(struct dialog *d, enum action a)
{
	switch (a) {
	case ACT_YES: overlay_close(&d->base, 1); break;
	case ACT_NO: overlay_close(&d->base, 0); break;
	case ACT_CHOOSE: overlay_close(&d->base, d->yes_highlighted); break;
	case ACT_LEFT:
	case ACT_RIGHT:
	case ACT_NEXT: d->yes_highlighted = !d->yes_highlighted; break;
	default: return R_UNKNOWN;
	}
	return R_NONE;
}

static int form_key(struct dialog *d, int key, enum action a)
{
	switch (a) {
	case ACT_CANCEL:
		overlay_close(&d->base, 0);
		break;
	case ACT_ENTER:
		if (d->focus + 1 < d->nfields)
			d->focus++;
		else
			overlay_close(&d->base, 1);
		break;
	case ACT_NEXT:
	case ACT_DOWN:
		d->focus = (d->focus + 1) % d->nfields;
		break;
	case ACT_PREV:
	case ACT_UP:
		d->focus = (d->focus + d->nfields - 1) % d->nfields;
		break;
	default:
		if (field_key(&d->fields[d->focus], key, a) == FIELD_IGNORED)
			return R_UNKNOWN;
		d->note[0] = '\0'; /* the refusal it showed is being corrected */
		break;
	}
	return R_NONE;
}

static int dialog_key(struct tui *t, struct overlay *o, int key, enum action a)
{
	(void)t;
	struct dialog *d = (struct dialog *)o;
	switch (d->kind) {
	case DLG_MESSAGE:
		if (a == ACT_CLOSE)
			overlay_close(o, 1);
		else if (a != ACT_NONE && scope_has(d, a))
			overlay_close(o, (int)a); /* one of its choices */
		else
			return R_UNKNOWN;
		return R_NONE;
	case DLG_CONFIRM:
		return confirm_key(d, a);
	case DLG_FORM:
		return form_key(d, key, a);
	}
	return R_NONE;
}
