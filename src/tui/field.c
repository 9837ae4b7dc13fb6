/* The edit field. */
#include "tui/field.h"

#include <curses.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "tui/draw.h"
#include "tui/keys.h"

void field_init(struct field *f, size_t max_bytes, bool mask)
{
	memset(f, 0, sizeof *f);
	f->max_bytes = max_bytes;
	f->mask = mask;
}

void field_clear(struct field *f)
{
	f->len = f->cur = f->scroll = 0;
	f->buf[0] = 0;
	f->full = false;
}

static size_t utf8_len(wchar_t c)
{
	char tmp[MB_LEN_MAX];
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = wcrtomb(tmp, c, &st);
	return n == (size_t)-1 ? 1 : n;
}

static size_t bytes_of(const struct field *f)
{
	size_t n = 0;
	for (int i = 0; i < f->len; i++)
		n += utf8_len(f->buf[i]);
	return n;
}

static bool insert(struct field *f, wchar_t c)
{
	if (f->len >= FIELD_CAP || bytes_of(f) + utf8_len(c) > f->max_bytes) {
		f->full = true;
		return false;
	}
	memmove(&f->buf[f->cur + 1], &f->buf[f->cur], (size_t)(f->len - f->cur) * sizeof(wchar_t));
	f->buf[f->cur++] = c;
	f->buf[++f->len] = 0;
	return true;
}

void field_set(struct field *f, const char *utf8)
{
	field_clear(f);
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t left = utf8 ? strlen(utf8) : 0;
	while (left > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, utf8, left, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			wc = L'?';
			n = 1;
			memset(&st, 0, sizeof st);
		}
		if (!insert(f, wc))
			break;
		utf8 += n;
		left -= n;
	}
	f->full = false;
}

const char *field_get(const struct field *f, char *out, size_t size)
{
	size_t used = 0;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	if (size == 0)
		return out;
	for (int i = 0; i < f->len; i++) {
		char tmp[MB_LEN_MAX];
		size_t n = wcrtomb(tmp, f->buf[i], &st);
		if (n == (size_t)-1) {
			tmp[0] = '?';
			n = 1;
		}
		if (used + n >= size)
			break;
		memcpy(out + used, tmp, n);
		used += n;
	}
	out[used] = '\0';
	/* trim blanks: a scanner or a paste may add them */
	size_t start = 0;
	while (out[start] == ' ' || out[start] == '\t')
		start++;
	if (start)
		memmove(out, out + start, used - start + 1);
	used -= start;
	while (used > 0 && (out[used - 1] == ' ' || out[used - 1] == '\t'))
		out[--used] = '\0';
	return out;
}

bool field_empty(const struct field *f)
{
	for (int i = 0; i < f->len; i++)
		if (!iswspace((wint_t)f->buf[i]))
			return false;
	return true;
}

void field_select(struct field *f)
{
	f->fresh = f->len > 0;
	f->cur = f->len;
}

enum field_result field_key(struct field *f, int key, enum action a)
{
	bool fresh = f->fresh;
	f->fresh = false;
	f->full = false;
	switch (a) {
	case ACT_LEFT:
		if (f->cur > 0)
			f->cur--;
		return FIELD_MOVED;
	case ACT_RIGHT:
		if (f->cur < f->len)
			f->cur++;
		return FIELD_MOVED;
	case ACT_LINE_START:
		f->cur = 0;
		return FIELD_MOVED;
	case ACT_LINE_END:
		f->cur = f->len;
		return FIELD_MOVED;
	case ACT_BACKSPACE:
		if (f->cur == 0)
			return FIELD_MOVED;
		f->cur--;
		/* fall through */
	case ACT_DELETE_CHAR:
		if (f->cur >= f->len)
			return FIELD_MOVED;
		memmove(&f->buf[f->cur], &f->buf[f->cur + 1], (size_t)(f->len - f->cur) * sizeof(wchar_t));
		f->len--;
		return FIELD_CHANGED;
	case ACT_CLEAR_FIELD:
		field_clear(f);
		return FIELD_CHANGED;
	case ACT_KILL_END:
		f->len = f->cur;
		f->buf[f->len] = 0;
		return FIELD_CHANGED;
	default:
		break;
	}
	if (TK_IS_FN(key) || key < 32 || key == TK_BS || (key >= 0x80 && key < 0xa0) || key > 0x10ffff)
		return FIELD_IGNORED;
	if (fresh)
		field_clear(f);
	insert(f, (wchar_t)key);
	return FIELD_CHANGED; /* also when full: the caller may say so */
}

void field_draw(struct field *f, int y, int x, int width, bool focus, int *cy, int *cx)
{
	if (width <= 0)
		return;
	/* keep the cursor visible: scroll by characters (close enough for
	 * the wide characters item descriptions rarely hold) */
	if (f->cur < f->scroll)
		f->scroll = f->cur;
	if (f->cur - f->scroll >= width)
		f->scroll = f->cur - width + 1;
	if (f->scroll > f->len)
		f->scroll = f->len;
	char text[FIELD_CAP * MB_LEN_MAX + 1];
	size_t used = 0;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	for (int i = f->scroll; i < f->len && used + MB_LEN_MAX < sizeof text; i++) {
		wchar_t c = f->mask ? L'*' : f->buf[i];
		size_t n = wcrtomb(text + used, c, &st);
		if (n == (size_t)-1) {
			text[used] = '?';
			n = 1;
		}
		used += n;
	}
	text[used] = '\0';
	draw_text(y, x, width, text, focus ? ROLE_FOCUS : ROLE_FIELD, true);
	if (focus && cy && cx) {
		*cy = y;
		int col = 0;
		for (int i = f->scroll; i < f->cur; i++) {
			int w = f->mask ? 1 : wcwidth(f->buf[i]);
			col += w < 0 ? 1 : w;
		}
		*cx = x + (col < width ? col : width - 1);
	}
}
