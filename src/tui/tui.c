/* The main loop: reads keys, hands them to the overlay on top or to the
 * current screen, switches screens, and is the only place that paints. */
#include "tui/tui.h"

#include <curses.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui/counter.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/pin_change.h"
#include "tui/screen.h"

static const struct screen_ops *const screens[SCR_COUNT] = {
	[SCR_LOGIN] = &scr_login_ops,
	[SCR_HELP] = &scr_help_ops,
	[SCR_ADJUST] = &scr_adjust_ops,
	[SCR_HISTORY] = &scr_history_ops,
	[SCR_UPLOAD] = &scr_upload_ops,
	[SCR_STOCK] = &scr_stock_ops,
	[SCR_COUNTING] = &scr_count_ops,
	[SCR_REPORTS] = &scr_reports_ops,
};

#define KEY_POLL_MS 250     /* the loop wakes to notice signals and a lost terminal */
#define ESC_SEQUENCE_MS 30  /* the rest of an escape sequence arrives within this */
#define ESC_PREFIX_MS 1000  /* Esc then a digit within this is a function key */

static const enum action global_bar[] = {ACT_HELP,     ACT_ADJUST,   ACT_HISTORY, ACT_UPLOAD, ACT_STOCK,
                                         ACT_COUNTING, ACT_REPORTS, ACT_QUIT,    ACT_NONE};

static volatile sig_atomic_t got_int, got_term;

static void on_signal(int sig)
{
	if (sig == SIGINT)
		got_int = 1;
	else
		got_term = 1;
}

void tui_msg(struct tui *t, enum msg_kind kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_kind = kind;
	t->msg_seq++;
}

void tui_engine_msg(struct tui *t, const char *what)
{
	if (what && *what)
		tui_msg(t, MSG_ERROR, "%s: %s", what, iv_errmsg(t->db));
	else
		tui_msg(t, MSG_ERROR, "%s", iv_errmsg(t->db));
}

void overlay_push(struct tui *t, struct overlay *o)
{
	if (!o) {
		tui_msg(t, MSG_ERROR, "Out of memory: the dialog could not be opened.");
		return;
	}
	if (t->nov >= TUI_OVERLAYS) {
		o->ops->free(o);
		return;
	}
	/* a scan or a habit typed before the box was on screen must not
	 * answer it: what is still unread goes */
	if (o->question)
		flushinp();
	t->ov[t->nov++] = o;
	t->overlay_changes++;
}

void overlay_close(struct overlay *o, int result)
{
	o->closed = true;
	o->result = result;
}

const enum action *screen_scope(struct tui *t)
{
	const struct screen_ops *s = screens[t->scr];
	return s->scope ? s->scope(t) : s->actions;
}

static const enum action *scope_now(struct tui *t)
{
	return t->nov > 0 ? t->ov[t->nov - 1]->actions : screen_scope(t);
}

/* Pops closed overlays and runs their continuations. */
static int overlays_settle(struct tui *t)
{
	int react = R_NONE;
	while (t->nov > 0 && t->ov[t->nov - 1]->closed) {
		struct overlay *o = t->ov[--t->nov];
		t->overlay_changes++;
		if (o->done) {
			int r = o->done(t, o, o->result);
			if (r != R_NONE)
				react = r;
		}
		o->ops->free(o);
	}
	return react;
}

/* ---- Painting ------------------------------------------------------ */

/* The width of a bar's entry: its first key, a space, its label. */
static int keybar_entry_width(enum action a)
{
	char keys[48];
	action_keys_text(a, keys, sizeof keys, false);
	return text_width(keys) + 1 + text_width(action_get(a)->label);
}

/* Entries two spaces apart, or one where two would push the last ones
 * off an 80-column line; what still does not fit is left out. */
static void draw_keybar(int y, const enum action *acts)
{
	int x = 0, cols = draw_cols(), gap = 2, whole = 0;
	for (const enum action *a = acts; a && *a != ACT_NONE; a++)
		if (action_get(*a)->bar)
			whole += (whole ? 2 : 0) + keybar_entry_width(*a);
	if (whole > cols)
		gap = 1;
	draw_fill(y, 0, cols, ROLE_BAR);
	for (; acts && *acts != ACT_NONE && x < cols; acts++) {
		char keys[48];
		const struct action_def *d = action_get(*acts);
		if (!d->bar)
			continue;
		action_keys_text(*acts, keys, sizeof keys, false);
		int kw = text_width(keys), lw = text_width(d->label);
		if (x + kw + 1 + lw > cols)
			break;
		x += draw_text(y, x, kw, keys, ROLE_KEY, false);
		x += draw_text(y, x, 1, " ", ROLE_BAR, true);
		x += draw_text(y, x, lw, d->label, ROLE_BAR, false);
		x += draw_text(y, x, gap, "  ", ROLE_BAR, true);
	}
}

static void draw_topbar(struct tui *t)
{
	int cols = draw_cols();
	char left[128], right[640];
	snprintf(left, sizeof left, " invadj | %s", screens[t->scr]->title);
	const iv_user *u = iv_session_user(t->db);
	if (u)
		snprintf(right, sizeof right, "Store %s | User %s (%s) ", t->store[0] ? t->store : "-",
		         u->name, iv_role_name(u->role));
	else
		snprintf(right, sizeof right, "not logged in ");
	draw_fill(0, 0, cols, ROLE_BAR);
	draw_text(0, 0, cols, left, ROLE_BAR, false);
	int rw = text_width(right);
	if (rw < cols - text_width(left) - 1)
		draw_text(0, cols - rw, rw, right, ROLE_BAR, false);
}

void tui_paint(struct tui *t)
{
	int rows = draw_rows(), cols = draw_cols();
	erase();
	t->cur_y = t->cur_x = -1;
	if (rows < 24 || cols < 80) {
		char m[160];
		snprintf(m, sizeof m, "invadj needs a terminal of at least 80x24; this one is %dx%d.", cols, rows);
		draw_text(0, 0, cols, m, ROLE_ERROR, false);
		char quit[24];
		snprintf(m, sizeof m, "Make the window larger (%s quits).", action_keys_text(ACT_QUIT, quit, sizeof quit, false));
		draw_text(1, 0, cols, m, ROLE_NORMAL, false);
		curs_set(0);
		refresh();
		return;
	}
	draw_topbar(t);
	/* a long message takes a second row from the screen rather than
	 * being cut at its edge */
	int msg_rows = text_width(t->msg) > cols ? 2 : 1;
	t->body_top = 1;
	t->body_rows = rows - 3 - msg_rows;
	screens[t->scr]->draw(t);
	enum role mr = t->msg_kind == MSG_ERROR ? ROLE_ERROR : t->msg_kind == MSG_OK ? ROLE_OK : ROLE_NORMAL;
	draw_wrapped(rows - 2 - msg_rows, 0, cols, msg_rows, t->msg, mr);
	draw_keybar(rows - 2, screen_scope(t));
	draw_keybar(rows - 1, global_bar);
	for (int i = 0; i < t->nov; i++)
		t->ov[i]->ops->draw(t, t->ov[i]);
	if (t->cur_y >= 0 && t->cur_x >= 0) {
		curs_set(1);
		move(t->cur_y, t->cur_x);
	} else {
		curs_set(0);
	}
	refresh();
}

/* ---- Keys ---------------------------------------------------------- */

/* True when the terminal has gone away (the SSH session or the tmux
 * pane closed): reads then fail at once instead of waiting, and a loop
 * that only waited for keys would spin. */
static bool terminal_gone(void)
{
	struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
	return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

static int read_key(void)
{
	wint_t wc;
	int r = get_wch(&wc);
	if (r == ERR) {
		if (terminal_gone())
			got_term = 1;
		return TK_NONE;
	}
	if (r == KEY_CODE_YES)
		return TK_FN((int)wc);
	return (int)wc;
}

/* The next key only if it is already there (a terminal sends an escape
 * sequence in one write): TK_NONE otherwise. */
static int read_key_now(void)
{
	timeout(ESC_SEQUENCE_MS);
	int key = read_key();
	timeout(KEY_POLL_MS);
	return key;
}

/* After an Esc that curses did not recognise as a sequence: a plain Esc,
 * Alt-digit (the function key of that number), or a sequence this
 * terminal's description lacks (PuTTY's F1 "[11~" under TERM=xterm),
 * which is read to its end and dropped, never typed into a field. */
static int read_after_esc(void)
{
	int next = read_key_now();
	if (next == TK_NONE)
		return TK_ESC;
	if (next == TK_ESC || TK_IS_FN(next)) {
		/* Esc pressed twice, or Esc then a key curses knew: both count */
		unget_wch(next == TK_ESC ? (wchar_t)TK_ESC : 0);
		if (TK_IS_FN(next))
			ungetch(next - TK_FN_BASE);
		return TK_ESC;
	}
	if (next >= '0' && next <= '9')
		return TK_FN(KEY_F(next == '0' ? 10 : next - '0'));
	if (next == '[' || next == 'O') {
		/* CSI or SS3: parameters and intermediates (digits, ';'),
		 * then one final byte */
		for (int i = 0; i < 16; i++) {
			int c = read_key_now();
			if (c == TK_NONE || (c >= 0x40 && c <= 0x7e))
				break;
		}
	}
	return TK_UNKNOWN;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Esc then a digit is the function key of that number, for terminals
 * without them; the prefix lasts about a second and only in the box (or
 * screen) where Esc was pressed, so that a digit typed or scanned later
 * is a digit. */
struct esc_prefix {
	bool armed;
	long at_ms;
	unsigned overlay_changes;
};

static int esc_prefix_apply(struct esc_prefix *p, const struct tui *t, int key)
{
	bool live = p->armed && now_ms() - p->at_ms <= ESC_PREFIX_MS && p->overlay_changes == t->overlay_changes;
	p->armed = false;
	if (live && key >= '0' && key <= '9')
		return TK_FN(KEY_F(key == '0' ? 10 : key - '0'));
	return key;
}

/* After Esc was handled: a prefix only if it closed nothing. */
static void esc_prefix_arm(struct esc_prefix *p, const struct tui *t, unsigned changes_before)
{
	p->armed = t->overlay_changes == changes_before;
	p->at_ms = now_ms();
	p->overlay_changes = t->overlay_changes;
}

static void suspend(struct tui *t)
{
	/* started without a job-control shell (we lead the session): a
	 * stop would be discarded or leave the terminal dead, so say so */
	if (getsid(0) == getpid()) {
		char keys[24];
		tui_msg(t, MSG_INFO, "%s: invadj was not started from a shell, so it cannot be suspended.",
		        action_keys_text(ACT_SUSPEND, keys, sizeof keys, false));
		return;
	}
	def_prog_mode();
	endwin();
	void (*old)(int) = signal(SIGTSTP, SIG_DFL);
	raise(SIGTSTP);
	signal(SIGTSTP, old == SIG_ERR ? SIG_DFL : old);
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
}

static bool any_unsaved(struct tui *t)
{
	for (int i = 0; i < SCR_COUNT; i++)
		if (screens[i]->unsaved && screens[i]->unsaved(t))
			return true;
	return false;
}

static int on_quit_answer(struct tui *t, struct overlay *o, int result)
{
	(void)t;
	(void)o;
	return result ? R_QUIT_NOW : R_NONE;
}

static bool quit_dialog_open(struct tui *t)
{
	return t->nov > 0 && t->ov[t->nov - 1]->done == on_quit_answer;
}

static void ask_quit(struct tui *t, bool always)
{
	bool unsaved = any_unsaved(t);
	if (!unsaved && !always) {
		got_term = 1;
		return;
	}
	struct overlay *o = dialog_confirm("Quit", unsaved ? "Lines you have not saved will be lost.\nQuit invadj anyway?"
	                                                   : "Quit invadj?");
	if (o)
		o->done = on_quit_answer;
	overlay_push(t, o);
}

static void switch_to(struct tui *t, enum screen_id id, unsigned seq_before)
{
	if (!t->logged_in && id != SCR_HELP && id != SCR_LOGIN) {
		tui_msg(t, MSG_ERROR, "Log in first: type your user name and PIN.");
		id = SCR_LOGIN;
	}
	if (screens[t->scr]->leave)
		screens[t->scr]->leave(t);
	if (t->msg_seq == seq_before)
		t->msg[0] = '\0'; /* an old message; keep one the key just set */
	if (t->scr != id)
		t->prev = t->scr;
	t->scr = id;
	screens[id]->enter(t);
}

/* How to leave the box on top: its Esc action's keys and label. */
static const char *box_leave_keys(const struct overlay *o)
{
	static char text[64];
	for (const enum action *a = o->actions; a && *a != ACT_NONE; a++)
		if (*a == ACT_CANCEL || *a == ACT_NO || *a == ACT_CLOSE) {
			char keys[40];
			snprintf(text, sizeof text, "%s %s", action_keys_text(*a, keys, sizeof keys, false),
			         action_get(*a)->label);
			return text;
		}
	return "Esc";
}

/* One key through the layers; returns false to leave the loop. */
static bool dispatch(struct tui *t, int key)
{
	enum action a = action_find(key, scope_now(t));
	int react = R_NONE;
	unsigned seq = t->msg_seq;
	if (a == ACT_INTERRUPT) {
		if (quit_dialog_open(t))
			return false; /* a second Ctrl-C: yes */
		ask_quit(t, true);
	} else if (a == ACT_SUSPEND) {
		suspend(t);
	} else if (a == ACT_REDRAW) {
		clearok(curscr, TRUE);
	} else if (a == ACT_PIN && t->nov == 0) {
		if (t->logged_in)
			pin_change_open(t);
		else
		{
			char keys[24];
			tui_msg(t, MSG_INFO, "Log in first; then %s changes your PIN.",
			        action_keys_text(ACT_PIN, keys, sizeof keys, false));
		}
	} else if (key == TK_FN(KEY_RESIZE)) {
		/* the next paint uses the new size */
	} else if (t->nov > 0 && a != ACT_NONE && action_get(a)->global) {
		char keys[48];
		tui_msg(t, MSG_INFO, "%s: answer or close the box first (%s).",
		        action_keys_text(a, keys, sizeof keys, false), box_leave_keys(t->ov[t->nov - 1]));
	} else if (t->nov > 0) {
		struct overlay *o = t->ov[t->nov - 1];
		react = o->ops->key(t, o, key, a);
	} else if (a == ACT_QUIT) {
		react = R_QUIT;
	} else if (a >= ACT_HELP && a <= ACT_REPORTS) {
		static const enum screen_id target[] = {
			[ACT_HELP] = SCR_HELP, [ACT_ADJUST] = SCR_ADJUST, [ACT_HISTORY] = SCR_HISTORY,
			[ACT_UPLOAD] = SCR_UPLOAD, [ACT_STOCK] = SCR_STOCK, [ACT_COUNTING] = SCR_COUNTING,
			[ACT_REPORTS] = SCR_REPORTS};
		t->want = target[a];
		react = R_SWITCH;
	} else {
		react = screens[t->scr]->key(t, key, a);
	}
	int after = overlays_settle(t);
	if (after != R_NONE)
		react = after;
	switch (react) {
	case R_RELOAD: screens[t->scr]->enter(t); break;
	case R_SWITCH: switch_to(t, t->want, seq); break;
	case R_QUIT: ask_quit(t, false); break;
	case R_QUIT_NOW: return false;
	case R_UNKNOWN: {
		char name[24], help[48];
		tui_msg(t, MSG_INFO, "%s does nothing here; %s lists the keys, %s quits.", tk_name(key, name, sizeof name),
		        action_keys_text(ACT_HELP, help, sizeof help, false),
		        action_keys_text(ACT_QUIT, help + 24, 24, false));
		break;
	}
	default: break;
	}
	/* The engine ended the session (an admin disabled the user). */
	if (t->logged_in && !iv_session_user(t->db)) {
		t->logged_in = false;
		counter_stop();
		while (t->nov > 0) {
			struct overlay *o = t->ov[--t->nov];
			o->ops->free(o);
		}
		unsigned before = t->msg_seq;
		tui_msg(t, MSG_ERROR, "Logged out: an admin has disabled this user; nothing was saved.");
		switch_to(t, SCR_LOGIN, before);
	}
	return !got_term;
}

int tui_run(iv_db *db)
{
	setlocale(LC_ALL, "");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "invadj: the screens need a terminal; see `invadj --help` for the commands\n");
		return 2;
	}
	/* our handlers first, so that curses leaves SIGINT to us */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		fprintf(stderr, "invadj: cannot use this terminal (TERM=%s)\n", getenv("TERM") ? getenv("TERM") : "");
		return 2;
	}
	set_escdelay(25);
	raw(); /* Ctrl-C, Ctrl-Z and Ctrl-S arrive as keys */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	timeout(KEY_POLL_MS);
	draw_init();

	struct tui t;
	memset(&t, 0, sizeof t);
	t.db = db;
	t.scr = SCR_LOGIN;
	if (iv_session_user(db)) {
		t.logged_in = true;
		counter_start(db);
	}
	switch_to(&t, t.logged_in ? SCR_ADJUST : SCR_LOGIN, t.msg_seq);

	struct esc_prefix esc = {0};
	bool running = true;
	while (running && !got_term) {
		tui_paint(&t);
		int key = read_key();
		if (got_int) {
			got_int = 0;
			esc.armed = false;
			running = dispatch(&t, TK_INTERRUPT);
			continue;
		}
		if (key == TK_NONE)
			continue;
		if (key == TK_CTRL('c'))
			key = TK_INTERRUPT;
		if (key == TK_ESC)
			key = read_after_esc();
		if (key == TK_UNKNOWN) {
			esc.armed = false;
			tui_msg(&t, MSG_INFO, "An unknown key was ignored (this terminal sent a sequence invadj does not know).");
			continue;
		}
		key = esc_prefix_apply(&esc, &t, key);
		unsigned changes = t.overlay_changes;
		running = dispatch(&t, key);
		if (key == TK_ESC)
			esc_prefix_arm(&esc, &t, changes);
	}
	while (t.nov > 0) {
		struct overlay *o = t.ov[--t.nov];
		o->ops->free(o);
	}
	if (screens[t.scr]->leave)
		screens[t.scr]->leave(&t);
	endwin();
	delscreen(scr);
	counter_stop();
	return 0;
}
