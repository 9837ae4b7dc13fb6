/* Ctrl-P on any screen: the logged-in user changes their own PIN. */
#ifndef INVADJ_TUI_PIN_CHANGE_H
#define INVADJ_TUI_PIN_CHANGE_H

#include "tui/screen.h"

void pin_change_open(struct tui *t);

#endif
