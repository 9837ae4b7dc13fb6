/* What the main loop and the screens share.
 *
 * A screen is a small table of functions with its private state kept
 * static in its own file.  Key handlers change state and return what
 * should happen next; only the main loop draws (it calls draw after
 * every key).  Dialogs and pickers are overlays stacked on a screen:
 * they get the keys while open and, when closed, call back the opener. */
#ifndef INVADJ_TUI_SCREEN_H
#define INVADJ_TUI_SCREEN_H

#include <stdarg.h>
#include <stdbool.h>

#include "invadj/engine.h"
#include "tui/actions.h"

/* SCR_COUNTING is the Count screen; SCR_COUNT the number of screens. */
enum screen_id { SCR_LOGIN, SCR_HELP, SCR_ADJUST, SCR_HISTORY, SCR_UPLOAD, SCR_STOCK, SCR_COUNTING, SCR_REPORTS,
                 SCR_COUNT };

/* What a key handler asks for. */
enum react {
	R_NONE = 0, /* state changed or not: the loop redraws anyway */
	R_RELOAD,   /* read the screen's data again (calls enter) */
	R_SWITCH,   /* go to tui->want */
	R_QUIT,     /* leave, asking first if work is unsaved */
	R_QUIT_NOW, /* leave without asking */
	R_UNKNOWN,  /* the key means nothing here: the loop says so */
};

enum msg_kind { MSG_INFO, MSG_OK, MSG_ERROR };

struct overlay;
struct tui;

struct overlay_ops {
	void (*draw)(struct tui *t, struct overlay *o);
	/* returns a react; closing is done with overlay_close() */
	int (*key)(struct tui *t, struct overlay *o, int key, enum action a);
	void (*free)(struct overlay *o);
};

/* The opener's continuation, called after the overlay left the stack;
 * result is the overlay's (0: cancelled).  May open another overlay. */
typedef int (*overlay_done_fn)(struct tui *t, struct overlay *o, int result);

struct overlay {
	const struct overlay_ops *ops;
	const enum action *actions; /* its keys (dispatch scope, hint); ends with ACT_NONE */
	bool question; /* a question: keys typed before it opened are dropped */
	overlay_done_fn done;
	void *ctx; /* the opener's */
	int result;
	bool closed;
};

#define TUI_OVERLAYS 4

struct tui {
	iv_db *db;
	enum screen_id scr, want, prev;
	bool logged_in;
	char msg[IV_MSG_MAX + 128];
	enum msg_kind msg_kind;
	unsigned msg_seq; /* counts tui_msg calls */
	struct overlay *ov[TUI_OVERLAYS];
	int nov;
	int cur_y, cur_x;           /* where the cursor goes; -1 hides it */
	char store[IV_CODE_SIZE]; /* the store being worked on (top bar) */
	int body_top, body_rows;    /* the screen's area, set before draw */
	unsigned overlay_changes;   /* counts pushes and closes: an Esc prefix belongs to one box */
};

struct screen_ops {
	const char *title;
	const enum action *actions; /* key bar and dispatch scope; ends with ACT_NONE */
	/* a screen whose keys change with its mode gives them here (may be NULL) */
	const enum action *(*scope)(struct tui *t);
	void (*enter)(struct tui *t);  /* (re)read from the engine */
	void (*leave)(struct tui *t);  /* may be NULL */
	void (*draw)(struct tui *t);   /* within body_top .. body_top+body_rows */
	int (*key)(struct tui *t, int key, enum action a);
	bool (*unsaved)(struct tui *t); /* may be NULL */
};

extern const struct screen_ops scr_login_ops, scr_help_ops, scr_adjust_ops,
	scr_history_ops, scr_upload_ops, scr_stock_ops, scr_count_ops, scr_reports_ops;

/* History's filter, set by another screen before it switches there
 * (Reports: Enter on a bar); NULL or "" matches any. */
struct history_filter_preset {
	const char *store, *item, *reason, *user, *from, *to;
};
void history_preset(const struct history_filter_preset *p);

/* The keys of the current screen now (its scope, else its actions). */
const enum action *screen_scope(struct tui *t);

/* The status line under the screen. */
void tui_msg(struct tui *t, enum msg_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Puts the engine's sentence for the last failure on the status line. */
void tui_engine_msg(struct tui *t, const char *what);

/* Pushes an overlay (the stack owns it from now on); keys typed ahead
 * are dropped first, so that none answers a question unseen. */
void overlay_push(struct tui *t, struct overlay *o);
void overlay_close(struct overlay *o, int result);

/* Paints a whole frame now: for progress bars during a long engine call. */
void tui_paint(struct tui *t);

#endif
