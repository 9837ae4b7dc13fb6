/* Folding for search, with utf8proc (Debian's libutf8proc). */
#include "invadj/fold.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static void copy_cut(const char *in, char *out, size_t size)
{
	size_t n = strlen(in);
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)in[n] & 0xc0) == 0x80)
			n--; /* not inside a character */
	}
	memcpy(out, in, n);
	out[n] = '\0';
}

bool text_fold(const char *in, char *out, size_t size)
{
	if (size == 0)
		return false;
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)(in ? in : ""), 0, &folded,
	                                  UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT |
	                                  UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
	                                  UTF8PROC_IGNORE);
	if (n < 0) {
		copy_cut(in ? in : "", out, size);
		for (char *p = out; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		return false;
	}
	copy_cut((const char *)folded, out, size);
	free(folded);
	return true;
}
