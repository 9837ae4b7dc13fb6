/* Dialogs as overlays: a message, a yes/no question, a small form.
 * The opener sets o->done (and o->ctx) and pushes the overlay. */
#ifndef INVADJ_TUI_DIALOG_H
#define INVADJ_TUI_DIALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/screen.h"

#define DIALOG_FIELDS 8

/* Enter or Esc closes with result 1; each character of keys (may be
 * NULL) closes with that character as the result. */
struct overlay *dialog_message(const char *title, const char *text, const char *keys, const char *hint);
/* Enter or y: result 1; Esc or n: 0. */
struct overlay *dialog_confirm(const char *title, const char *text);
/* Enter moves to the next field and on the last one closes with 1;
 * Esc closes with 0. */
struct overlay *dialog_form(const char *title, const char *text, int nfields,
                            const char *const labels[], const size_t max_bytes[], const bool masks[]);
const char *dialog_value(struct overlay *o, int i, char *buf, size_t size);
/* The supervisor's approval: a form of user name (field 0) and PIN
 * (field 1, masked), explaining why it is needed. */
struct overlay *dialog_approval(const char *why);
void dialog_set_value(struct overlay *o, int i, const char *value);

#endif
