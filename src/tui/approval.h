/* A supervisor's approval, asked the same way on every screen: a form
 * of user name and PIN that the engine checks (iv_approval_check) before
 * anything is confirmed or posted.  A wrong name or PIN is said in the
 * form, which stays open with the name kept; Esc gives up. */
#ifndef INVADJ_TUI_APPROVAL_H
#define INVADJ_TUI_APPROVAL_H

#include <stdbool.h>

#include "tui/screen.h"

/* Held by the screen from the check until its post (or cancel). */
struct approval {
	char name[IV_IDENT_SIZE];
	char pin[IV_IDENT_SIZE];
	bool given;
};

/* Runs once the approval was checked; returns a react. */
typedef int (*approval_done_fn)(struct tui *t);

/* why: the sentence shown above the fields; what: for the engine's
 * message ("a reversal"); cancelled: the status line on Esc. */
void approval_ask(struct tui *t, struct approval *held, const char *why, const char *what,
                  const char *cancelled, approval_done_fn done);
/* What to give the engine: none unless given. */
iv_approval approval_get(const struct approval *held);
/* Forgets the PIN (and that an approval was given). */
void approval_forget(struct approval *held);

#endif
