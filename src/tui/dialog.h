/* Dialogs as overlays: a message, a yes/no question, a small form.
 * The opener sets o->done (and o->ctx) and pushes the overlay.  Their
 * keys are the action table's; the hint at their foot is made from it. */
#ifndef INVADJ_TUI_DIALOG_H
#define INVADJ_TUI_DIALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/screen.h"

#define DIALOG_FIELDS 8
#define DIALOG_CHOICES 4

/* Enter or Esc closes with result 1. */
struct overlay *dialog_message(const char *title, const char *text);
/* A message that also offers actions (ends with ACT_NONE, at most
 * DIALOG_CHOICES): one of them closes it with the action as result. */
struct overlay *dialog_choices(const char *title, const char *text, const enum action *choices);
/* A question: y answers 1, n or Esc 0; Enter takes the highlighted
 * answer, which is No until Left/Right/Tab moves to Yes. */
struct overlay *dialog_confirm(const char *title, const char *text);
/* Enter moves to the next field and on the last one closes with 1;
 * Esc closes with 0. */
struct overlay *dialog_form(const char *title, const char *text, int nfields,
                            const char *const labels[], const size_t max_bytes[], const bool masks[]);
const char *dialog_value(struct overlay *o, int i, char *buf, size_t size);
void dialog_set_value(struct overlay *o, int i, const char *value);
/* The field with the cursor when the form opens. */
void dialog_focus(struct overlay *o, int i);
/* A line under the form's fields (a refusal to correct), "" for none. */
void dialog_note(struct overlay *o, const char *note);

#endif
