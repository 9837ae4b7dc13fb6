/* Quantities as the screens show them: every digit, always (a column
 * too narrow for one shows an overflow mark, never fewer digits). */
#ifndef INVADJ_TUI_NUMFMT_H
#define INVADJ_TUI_NUMFMT_H

#include <stdbool.h>
#include <stddef.h>

#include "invadj/qty.h"

/* "1000000104", or with sign "+1000000000" / "-5". */
char *numfmt_qty(char *buf, size_t size, iv_qty q, bool sign);

#endif
