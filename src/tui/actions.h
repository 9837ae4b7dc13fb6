/* Every action of the screens, declared once: its name, its key-bar
 * label, its help text and its default keys.  The key bar, the help
 * screen and the dispatcher all read this one table. */
#ifndef INVADJ_TUI_ACTIONS_H
#define INVADJ_TUI_ACTIONS_H

#include <stdbool.h>

enum action {
	ACT_NONE = 0,
	/* global: work on every screen */
	ACT_HELP, ACT_ADJUST, ACT_HISTORY, ACT_UPLOAD, ACT_STOCK, ACT_COUNTING, ACT_REPORTS, ACT_QUIT,
	ACT_INTERRUPT, ACT_SUSPEND, ACT_REDRAW, ACT_PIN,
	/* screen actions: only where the screen lists them */
	ACT_SAVE, ACT_PICK, ACT_NEXT, ACT_PREV, ACT_ENTER, ACT_CANCEL,
	ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_HOME, ACT_END,
	ACT_NEW_DOC, ACT_DEL_LINE, ACT_FILTER, ACT_DETAIL, ACT_REVERSE,
	ACT_REVERSE_BATCH, ACT_RELOAD, ACT_RULE, ACT_POST, ACT_TEMPLATE,
	/* counting (the Count screen, and Adjust's scan mode) */
	ACT_OPEN_COUNT, ACT_START_COUNT, ACT_BEGIN_COUNT, ACT_SCAN, ACT_SCAN_QTY, ACT_UNDO_SCAN,
	ACT_REVIEW, ACT_RECOUNT, ACT_ZERO_UNCOUNTED, ACT_POST_COUNT, ACT_CANCEL_COUNT, ACT_BACK,
	ACT_SCAN_MODE,
	/* the Reports screen */
	ACT_OPEN_HISTORY, ACT_MEASURE, ACT_WITH_REVERSED,
	/* boxes: questions, messages, lists */
	ACT_YES, ACT_NO, ACT_CHOOSE, ACT_CLOSE, ACT_TOGGLE,
	/* editing a field */
	ACT_LEFT, ACT_RIGHT, ACT_LINE_START, ACT_LINE_END, ACT_BACKSPACE, ACT_DELETE_CHAR,
	ACT_CLEAR_FIELD, ACT_KILL_END,
	ACT_COUNT
};

#define ACTION_KEYS 3

/* The editing actions of a field, for the scope of every screen or box
 * that has one (after its own actions, which win a shared key). */
#define FIELD_ACTIONS ACT_LEFT, ACT_RIGHT, ACT_LINE_START, ACT_LINE_END, ACT_BACKSPACE, \
	ACT_DELETE_CHAR, ACT_CLEAR_FIELD, ACT_KILL_END

struct action_def {
	enum action id;
	const char *name;   /* for help and docs: "save" */
	const char *label;  /* key bar: "Adjust Inventory" */
	const char *help;   /* one sentence for the help screen */
	bool global;        /* active on every screen */
	bool bar;           /* shown on the key bar (movement keys are not) */
	int keys[ACTION_KEYS]; /* TK_ encoded; 0 ends the list */
	bool hint;          /* named in the hint at the foot of a box */
};

const struct action_def *action_get(enum action a);

/* The action a key means here: a global action, or one of the screen's
 * (scope ends with ACT_NONE; may be NULL). */
enum action action_find(int key, const enum action *scope);

/* "F2", "^S/F12", "Alt-2": the keys of an action, joined. */
const char *action_keys_text(enum action a, char *buf, int size, bool all);

/* "Enter Choose  y Yes  n No": the key-bar actions of a scope in one
 * line, for the hint at the foot of a box. */
const char *action_hint(const enum action *scope, char *buf, int size);

#endif
