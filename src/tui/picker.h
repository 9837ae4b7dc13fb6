/* A list popup with incremental search, for stores, items and reason
 * codes.  The list comes from the engine at every keystroke. */
#ifndef INVADJ_TUI_PICKER_H
#define INVADJ_TUI_PICKER_H

#include "tui/screen.h"

enum picker_kind { PICK_STORE, PICK_ITEM, PICK_REASON };

/* Result 1 when something was chosen (picker_choice), 0 cancelled. */
struct overlay *picker_open(struct tui *t, enum picker_kind kind, const char *query);
const char *picker_choice(struct overlay *o);
const char *picker_choice_text(struct overlay *o); /* its description */

#endif
