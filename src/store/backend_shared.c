/* Conventions both backends keep alike (backend.h): LIKE patterns and
 * the names of roles.  Linked into the program and into the PostgreSQL
 * module both. */
#include <string.h>

#include "store/backend.h"

void store_like_pattern(char *out, size_t n, const char *text, bool leading)
{
	size_t j = 0;
	if (leading && j + 1 < n)
		out[j++] = '%';
	for (const char *p = text; *p && j + 3 < n; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			out[j++] = '\\';
		out[j++] = *p;
	}
	if (j + 1 < n)
		out[j++] = '%';
	out[j] = '\0';
}

static const char *const role_texts[] = {"clerk", "supervisor", "admin"};

const char *store_role_text(iv_role role)
{
	return (unsigned)role < 3 ? role_texts[role] : role_texts[IV_ROLE_CLERK];
}

iv_role store_role_parse(const char *text)
{
	for (int i = 0; i < 3; i++)
		if (text && strcmp(text, role_texts[i]) == 0)
			return (iv_role)i;
	return IV_ROLE_CLERK;
}
