/* Placeholder until the screens land: says so instead of opening them. */
#include <stdio.h>

#include "tui/tui.h"

int tui_run(iv_db *db)
{
	(void)db;
	fprintf(stderr, "invadj: the screens are not built yet; use a command (invadj --help)\n");
	return 1;
}
