/* Counting characters and neutralising terminal controls in UTF-8. */
#include "invadj/text.h"

#include <stdint.h>
#include <string.h>

/* Decodes one UTF-8 sequence at s: its length and code point, or 0 when
 * the bytes are not a valid (shortest, non-surrogate) sequence. */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		n = 2, v = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, v = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

size_t text_chars(const char *s, size_t len)
{
	size_t count = 0, k = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (k < len && p[k]) {
		uint32_t cp;
		size_t n = decode(p + k, &cp);
		k += n && k + n <= len ? n : 1;
		count++;
	}
	return count;
}

static bool acts_on_terminal(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
	       cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

bool text_printable(const char *s, char *out, size_t size)
{
	bool replaced = false;
	size_t j = 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		uint32_t cp;
		size_t n = decode(p, &cp);
		const char *put = (const char *)p;
		size_t len = n;
		if (n == 0 || acts_on_terminal(cp)) {
			put = "?";
			len = 1;
			replaced = true;
			n = n ? n : 1;
		}
		if (j + len >= size)
			break;
		memcpy(out + j, put, len);
		j += len;
		p += n;
	}
	if (size)
		out[j] = '\0';
	return replaced;
}
