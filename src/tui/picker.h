/* A list popup with incremental search, for stores, items and reason
 * codes.  The list comes from the engine at every keystroke. */
#ifndef INVADJ_TUI_PICKER_H
#define INVADJ_TUI_PICKER_H

#include "tui/screen.h"

enum picker_kind { PICK_STORE, PICK_ITEM, PICK_REASON, PICK_LIST };

/* Result 1 when something was chosen (picker_choice), 0 cancelled. */
struct overlay *picker_open(struct tui *t, enum picker_kind kind, const char *query);

/* A short list of the caller's, in its order (Reports' groupings and
 * named ranges), searched like the others: code is what is chosen,
 * text what it means.  The list must outlive the picker. */
struct pick_choice {
	const char *code, *text;
};
struct overlay *picker_open_list(struct tui *t, const char *title, const char *noun,
                                 const struct pick_choice *list, int n);
const char *picker_choice(struct overlay *o);
const char *picker_choice_text(struct overlay *o); /* its description */

#endif
