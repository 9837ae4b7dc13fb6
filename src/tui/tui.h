/* The ncurses screens of invadj: the only public entry point. */
#ifndef INVADJ_TUI_H
#define INVADJ_TUI_H

#include "invadj/engine.h"

/* Runs the screens on an open database until the user quits; returns a process exit code. */
/* The screens on db; where names the database again, for the thread
 * that counts rows on a connection of its own (NULL: none). */
int tui_run(iv_db *db, const char *where);

#endif
