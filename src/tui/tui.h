/* The ncurses screens of invadj: the only public entry point. */
#ifndef INVADJ_TUI_H
#define INVADJ_TUI_H

#include "invadj/engine.h"

/* Runs the screens on an open database until the user quits; returns a process exit code. */
/* The screens on db (the thread that counts rows opens a connection
 * of its own like db's, at each login). */
int tui_run(iv_db *db);

#endif
