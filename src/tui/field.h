/* A single-line edit field: cursor, horizontal scrolling, a maximum
 * length in bytes of UTF-8 (the engine's IV_*_MAX), optional masking. */
#ifndef INVADJ_TUI_FIELD_H
#define INVADJ_TUI_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "tui/actions.h"

#define FIELD_CAP 512 /* characters; max_bytes is the real limit */

struct field {
	wchar_t buf[FIELD_CAP + 1];
	int len, cur, scroll;
	size_t max_bytes;
	bool mask;
	bool full; /* the last key was refused because the field is full */
	bool fresh; /* a default just entered: the first character typed replaces it */
};

enum field_result { FIELD_IGNORED, FIELD_MOVED, FIELD_CHANGED };

void field_init(struct field *f, size_t max_bytes, bool mask);
void field_clear(struct field *f);
void field_set(struct field *f, const char *utf8);
/* The text as UTF-8, trimmed of surrounding blanks. */
const char *field_get(const struct field *f, char *out, size_t size);
bool field_empty(const struct field *f);
/* Marks the text as a default that typing replaces (as when a field is entered). */
void field_select(struct field *f);
/* The editing actions (FIELD_ACTIONS: the keys are the action table's)
 * and printable characters, typed as they are whatever action the
 * scope gave them.  Anything else is FIELD_IGNORED. */
enum field_result field_key(struct field *f, int key, enum action a);
/* Draws the field; with focus, cy and cx receive the cursor position. */
void field_draw(struct field *f, int y, int x, int width, bool focus, int *cy, int *cx);

#endif
