/* Fields as people type them: identifiers trimmed the same way in every
 * import and upload, and every limit counted in characters, with one
 * message form ("Memo: 300 characters, more than the 255 allowed"). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine/internal.h"
#include "invadj/text.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool field_fail(char *msg, size_t msgsize, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool field_fail(char *msg, size_t msgsize, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, msgsize, fmt, ap);
	va_end(ap);
	return false;
}

/* The limit, counted in characters; never cut. */
static bool check_length(const char *field, const char *text, size_t len, size_t max, char *msg,
                         size_t msgsize)
{
	size_t chars = text_chars(text, len);
	return chars <= max || field_fail(msg, msgsize, "%s: %zu characters, more than the %zu allowed",
	                                  field, chars, max);
}

bool field_ident(const char *field, const char *in, size_t max, char *out, size_t out_size,
                 char *msg, size_t msgsize)
{
	const char *s = in ? in : "";
	while (blank(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && blank(s[n - 1]))
		n--;
	if (!check_length(field, s, n, max, msg, msgsize))
		return false;
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];
		if (blank((char)c))
			return field_fail(msg, msgsize, "%s: \"%.*s\" has a blank inside; an identifier has none",
			                  field, (int)n, s);
		if (c < ' ' || c == 0x7F)
			return field_fail(msg, msgsize, "%s: contains a control character", field);
	}
	if (n >= out_size) /* cannot happen for buffers of IV_TEXT_SIZE(max) */
		return field_fail(msg, msgsize, "%s: too long", field);
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

bool field_text(const char *field, const char *in, size_t max, bool control_ok, char *msg,
                size_t msgsize)
{
	const char *s = in ? in : "";
	if (!check_length(field, s, strlen(s), max, msg, msgsize))
		return false;
	for (const char *p = s; !control_ok && *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7F)
			return field_fail(msg, msgsize, "%s: contains a control character", field);
	return true;
}
