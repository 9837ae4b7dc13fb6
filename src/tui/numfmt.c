/* Quantities for the screens. */
#include "tui/numfmt.h"

#include <inttypes.h>
#include <stdio.h>

char *numfmt_qty(char *buf, size_t size, iv_qty q, bool sign)
{
	snprintf(buf, size, sign ? "%+" PRId64 : "%" PRId64, q);
	return buf;
}
