/* Dialogs. */
#include "tui/dialog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/field.h"
#include "tui/keys.h"

enum dialog_kind { DLG_MESSAGE, DLG_CONFIRM, DLG_FORM };

struct dialog {
	struct overlay base; /* first: the stack holds &base */
	enum dialog_kind kind;
	char title[128];
	char *text;
	char keys[16];
	char hint[128];
	int nfields, focus;
	char labels[DIALOG_FIELDS][32];
	struct field fields[DIALOG_FIELDS];
};

static void dialog_draw(struct tui *t, struct overlay *o);
static int dialog_key(struct tui *t, struct overlay *o, int key, enum action a);
static void dialog_free(struct overlay *o);

static const struct overlay_ops dialog_ops = {dialog_draw, dialog_key, dialog_free};

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

struct overlay *dialog_message(const char *title, const char *text, const char *keys, const char *hint)
{
	struct dialog *d = dialog_new(DLG_MESSAGE, title, text);
	if (!d)
		return NULL;
	snprintf(d->keys, sizeof d->keys, "%s", keys ? keys : "");
	snprintf(d->hint, sizeof d->hint, "%s", hint ? hint : "Enter: close");
	return &d->base;
}

struct overlay *dialog_confirm(const char *title, const char *text)
{
	struct dialog *d = dialog_new(DLG_CONFIRM, title, text);
	if (!d)
		return NULL;
	snprintf(d->hint, sizeof d->hint, "Enter or y: yes    Esc or n: no");
	return &d->base;
}

struct overlay *dialog_form(const char *title, const char *text, int nfields,
                            const char *const labels[], const size_t max_bytes[], const bool masks[])
{
	struct dialog *d = dialog_new(DLG_FORM, title, text);
	if (!d)
		return NULL;
	d->nfields = nfields > DIALOG_FIELDS ? DIALOG_FIELDS : nfields;
	for (int i = 0; i < d->nfields; i++) {
		snprintf(d->labels[i], sizeof d->labels[i], "%s", labels[i]);
		field_init(&d->fields[i], max_bytes[i], masks ? masks[i] : false);
	}
	snprintf(d->hint, sizeof d->hint, "Enter: next/OK   Tab/Up/Down: move   Esc: cancel");
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

static void dialog_free(struct overlay *o)
{
	struct dialog *d = (struct dialog *)o;
	free(d->text);
	free(d);
}

/* Word-wraps text to width; calls out for each line (NULL: count only). */
static int wrap(const char *text, int width, int y, int x, int maxlines)
{
	int n = 0;
	const char *p = text;
	char line[1024];
	while (*p && n < maxlines) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		/* take as many words as fit */
		size_t take = len;
		while (1) {
			if (take >= sizeof line)
				take = sizeof line - 1;
			memcpy(line, p, take);
			line[take] = '\0';
			if (text_width(line) <= width || take == 0)
				break;
			size_t sp = take;
			while (sp > 0 && line[sp - 1] != ' ')
				sp--;
			take = sp > 0 ? sp - 1 : take - 1;
		}
		if (take == 0 && len > 0)
			take = 1;
		if (y >= 0) {
			memcpy(line, p, take);
			line[take] = '\0';
			draw_text(y + n, x, width, line, ROLE_NORMAL, true);
		}
		n++;
		p += take;
		if (p < text + strlen(text) && *p == ' ')
			p++;
		else if (p == nl)
			p++;
	}
	return n;
}

static void dialog_draw(struct tui *t, struct overlay *o)
{
	struct dialog *d = (struct dialog *)o;
	int rows = draw_rows(), cols = draw_cols();
	int w = cols - 4 < 72 ? cols - 4 : 72;
	if (w < 20)
		return;
	int tw = w - 4;
	int tl = wrap(d->text, tw, -1, 0, rows);
	int h = tl + 4 + (d->nfields ? d->nfields + 1 : 0);
	if (h > rows - 2) {
		h = rows - 2;
		if (tl > h - 4 - (d->nfields ? d->nfields + 1 : 0))
			tl = h - 4 - (d->nfields ? d->nfields + 1 : 0);
	}
	int y = (rows - h) / 2, x = (cols - w) / 2;
	draw_box(y, x, h, w, d->title);
	wrap(d->text, tw, y + 1, x + 2, tl > 0 ? tl : 0);
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
	draw_text(y + h - 2, x + 2, tw, d->hint, ROLE_DIM, true);
}

static int dialog_key(struct tui *t, struct overlay *o, int key, enum action a)
{
	(void)t;
	struct dialog *d = (struct dialog *)o;
	bool enter = key == TK_ENTER || key == TK_NL || key == TK_FN(KEY_ENTER);
	if (key == TK_ESC) {
		overlay_close(o, d->kind == DLG_MESSAGE ? 1 : 0);
		return R_NONE;
	}
	switch (d->kind) {
	case DLG_MESSAGE:
		if (enter)
			overlay_close(o, 1);
		else if (key > 0 && key < 127 && strchr(d->keys, key))
			overlay_close(o, key);
		break;
	case DLG_CONFIRM:
		if (enter || key == 'y' || key == 'Y')
			overlay_close(o, 1);
		else if (key == 'n' || key == 'N')
			overlay_close(o, 0);
		break;
	case DLG_FORM:
		if (enter) {
			if (d->focus + 1 < d->nfields)
				d->focus++;
			else
				overlay_close(o, 1);
		} else if (key == TK_TAB || a == ACT_DOWN || key == TK_FN(KEY_DOWN)) {
			d->focus = (d->focus + 1) % d->nfields;
		} else if (key == TK_FN(KEY_BTAB) || key == TK_FN(KEY_UP)) {
			d->focus = (d->focus + d->nfields - 1) % d->nfields;
		} else {
			field_key(&d->fields[d->focus], key);
		}
		break;
	}
	return R_NONE;
}

struct overlay *dialog_approval(const char *why)
{
	static const char *const labels[] = {"Supervisor", "PIN"};
	static const size_t max[] = {IV_IDENT_MAX, IV_IDENT_MAX};
	static const bool mask[] = {false, true};
	char text[IV_MSG_MAX + 128];
	snprintf(text, sizeof text, "%s\nA supervisor types their user name and PIN to approve.", why);
	return dialog_form("Supervisor approval", text, 2, labels, max, mask);
}
