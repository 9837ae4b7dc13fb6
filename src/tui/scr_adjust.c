/* Adjust (F2), the seed's Inventory Adjustment module: Store, Date, then
 * lines of Item Number, Reason Code and Diff.  Every number shown comes
 * from the engine (iv_doc_preview, iv_net_available, iv_doc_post). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invadj/qty.h"
#include "tui/approval.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/field.h"
#include "tui/grid.h"
#include "tui/keys.h"
#include "tui/picker.h"
#include "tui/screen.h"

#define ADJ_LINES 100
#define DIFF_MAX 24
#define DATE_MAX 24

enum { F_STORE, F_DATE, F_MEMO, F_LINE };
enum { C_ITEM, C_DESC, C_REASON, C_NET, C_DIFF, C_NEW };

struct adj_line {
	struct field item, reason, diff;
	char desc[IV_NAME_SIZE];
	iv_line_out out;
	bool have_out;  /* out holds the engine's preview or post of the line */
	bool have_net;  /* net read for a line without a Diff yet */
	iv_qty net;
};

/* Scan mode: the Reason Code and the sign chosen once, then each scan
 * adds 1 (or -1, or the quantity typed before it with *) to its item's
 * line of that reason. */
struct adjust_scanning {
	bool on;
	struct field code;           /* the scan field */
	char reason[IV_CODE_SIZE];
	int sign;                    /* +1 or -1 */
	char qty[12];                /* the next scan's quantity, "" for 1 */
};

static struct adjust_state {
	struct field store, date, memo;
	bool back_dated;            /* the Date, as last checked, is before today */
	char date_iso[IV_DATE_ISO_LEN];
	char store_name[IV_NAME_SIZE];
	struct adj_line lines[ADJ_LINES];
	int n, focus, row, col, top;
	char doc_msg[IV_MSG_MAX];
	bool posted;
	int64_t docno;
	bool started;
	struct grid grid;
	struct approval approval;
	char not_exact[IV_MSG_MAX]; /* why the typed code was not taken as it is */
	struct tui *t;
	struct adjust_scanning scanning;
} adj;

static const struct grid_col adj_cols[] = {
	[C_ITEM] = {"Item Number", 14, 10, false, 1},
	[C_DESC] = {"Description", 22, 8, false, 3},
	[C_REASON] = {"Reason Code", 11, 6, false, 0},
	[C_NET] = {"Net Available", 13, 9, true, 0},
	[C_DIFF] = {"Diff", 9, 7, true, 0},
	[C_NEW] = {"New Qty", 9, 7, true, 0},
};

static const enum action adjust_actions[] = {ACT_SAVE, ACT_PICK, ACT_SCAN_MODE, ACT_ENTER, ACT_NEXT, ACT_PREV,
                                             ACT_DEL_LINE, ACT_NEW_DOC, ACT_UP, ACT_DOWN, ACT_RELOAD, FIELD_ACTIONS,
                                             ACT_NONE};
static const enum action scan_mode_actions[] = {ACT_SAVE, ACT_SCAN, ACT_SCAN_QTY, ACT_SCAN_MODE, ACT_BACK,
                                                ACT_NEW_DOC, ACT_RELOAD, FIELD_ACTIONS, ACT_NONE};

static const enum action *adjust_scope(struct tui *t)
{
	(void)t;
	return adj.scanning.on ? scan_mode_actions : adjust_actions;
}

static void line_init(struct adj_line *l)
{
	memset(l, 0, sizeof *l);
	field_init(&l->item, IV_IDENT_MAX, false);
	field_init(&l->reason, IV_CODE_MAX, false);
	field_init(&l->diff, DIFF_MAX, false);
}

static bool line_blank(const struct adj_line *l)
{
	return field_empty(&l->item) && field_empty(&l->diff);
}

static void new_document(void)
{
	/* the first line's Reason Code defaults to the last one used */
	char reason[IV_CODE_SIZE] = "";
	for (int i = 0; i < adj.n; i++)
		if (!field_empty(&adj.lines[i].reason))
			field_get(&adj.lines[i].reason, reason, sizeof reason);
	for (int i = 0; i < ADJ_LINES; i++)
		line_init(&adj.lines[i]);
	field_set(&adj.lines[0].reason, reason);
	adj.n = 1;
	adj.row = adj.top = 0;
	adj.col = C_ITEM;
	adj.focus = field_empty(&adj.store) ? F_STORE : F_LINE;
	if (adj.posted) {
		/* the next document is today's, without the last one's memo:
		 * a back-dated document is the exception, typed each time */
		char today[IV_DATE_ISO_LEN];
		char code[IV_CODE_SIZE];
		date_format(iv_today(adj.t->db, field_get(&adj.store, code, sizeof code)), today);
		field_set(&adj.date, today);
		field_clear(&adj.memo);
		adj.back_dated = false;
	}
	adj.posted = false;
	adj.docno = 0;
	adj.doc_msg[0] = '\0';
}

static struct field *focused_field(void)
{
	if (adj.focus == F_STORE)
		return &adj.store;
	if (adj.focus == F_DATE)
		return &adj.date;
	if (adj.focus == F_MEMO)
		return &adj.memo;
	struct adj_line *l = &adj.lines[adj.row];
	return adj.col == C_ITEM ? &l->item : adj.col == C_REASON ? &l->reason : &l->diff;
}

/* ---- Asking the engine --------------------------------------------- */

/* Re-reads every number on screen: the preview of the lines that have a
 * Diff, and Net Available of those that do not have one yet. */
static void preview(struct tui *t)
{
	char store[IV_CODE_SIZE], date[DATE_MAX + 1];
	static char items[ADJ_LINES][IV_IDENT_SIZE], reasons[ADJ_LINES][IV_CODE_SIZE], diffs[ADJ_LINES][DIFF_MAX + 1];
	static iv_line_in in[ADJ_LINES];
	static iv_line_out out[ADJ_LINES];
	int map[ADJ_LINES], m = 0;

	adj.doc_msg[0] = '\0';
	char memo[IV_MEMO_SIZE];
	field_get(&adj.store, store, sizeof store);
	field_get(&adj.date, date, sizeof date);
	field_get(&adj.memo, memo, sizeof memo);
	for (int i = 0; i < adj.n; i++) {
		struct adj_line *l = &adj.lines[i];
		l->have_out = l->have_net = false;
		field_get(&l->item, items[i], sizeof items[i]);
		field_get(&l->reason, reasons[i], sizeof reasons[i]);
		field_get(&l->diff, diffs[i], sizeof diffs[i]);
		if (!items[i][0])
			continue;
		if (diffs[i][0]) {
			in[m] = (iv_line_in){items[i], reasons[i], diffs[i], memo};
			map[m++] = i;
		}
		if (store[0]) {
			/* Net Available read on its own for a line the preview
			 * does not compute (no Diff yet, or a Diff refused) */
			iv_item it;
			if (iv_item_find(t->db, items[i], &it) == IV_OK) {
				snprintf(l->desc, sizeof l->desc, "%s", it.description);
				l->have_net = iv_net_available(t->db, store, it.number, NULL, &l->net) == IV_OK;
			}
		}
	}
	if (!store[0] || m == 0)
		return;
	iv_document doc = {store, date, in, (size_t)m, {NULL, NULL}};
	memset(out, 0, sizeof out);
	iv_status st = iv_doc_preview(t->db, &doc, out);
	bool line_refused = false;
	for (int k = 0; k < m; k++) {
		/* a line the engine did not reach (the whole document was
		 * refused first, e.g. for its date) keeps its own Net Available */
		if (out[k].status == IV_OK && !out[k].item.number[0])
			continue;
		adj.lines[map[k]].out = out[k];
		adj.lines[map[k]].have_out = true;
		if (out[k].status != IV_OK)
			line_refused = true;
	}
	if (st != IV_OK && !line_refused)
		snprintf(adj.doc_msg, sizeof adj.doc_msg, "%s", iv_errmsg(t->db));
}

static int save(struct tui *t, bool with_approval);

static int save_approved(struct tui *t) { return save(t, true); }

/* Which lines need a supervisor, and the threshold they are above. */
static void approval_reason(struct tui *t, const char *store, const iv_line_out *out, const int *map, int m,
                            char *why, size_t size)
{
	iv_store s;
	int used = 0;
	for (int k = 0; k < m && used >= 0 && (size_t)used < size; k++)
		if (out[k].needs_approval)
			used += snprintf(why + used, size - (size_t)used, "%sline %d (%s, Diff %+" PRId64 ")",
			                 used ? ", " : "Needs a supervisor: ", map[k] + 1, out[k].item.number, out[k].diff);
	if (used > 0 && (size_t)used < size && iv_store_get(t->db, store, &s) == IV_OK)
		snprintf(why + used, size - (size_t)used, " above store %s's approval threshold of %" PRId64 ".", s.code,
		         s.approval_threshold);
	else if (used == 0)
		snprintf(why, size, "%s", iv_errmsg(t->db));
}

/* Ctrl-S: "Adjust Inventory". */
static int save(struct tui *t, bool with_approval)
{
	char store[IV_CODE_SIZE], date[DATE_MAX + 1];
	static char items[ADJ_LINES][IV_IDENT_SIZE], reasons[ADJ_LINES][IV_CODE_SIZE], diffs[ADJ_LINES][DIFF_MAX + 1];
	static iv_line_in in[ADJ_LINES];
	static iv_line_out out[ADJ_LINES];
	int map[ADJ_LINES], m = 0;

	char memo[IV_MEMO_SIZE];
	field_get(&adj.store, store, sizeof store);
	field_get(&adj.date, date, sizeof date);
	field_get(&adj.memo, memo, sizeof memo);
	for (int i = 0; i < adj.n; i++) {
		struct adj_line *l = &adj.lines[i];
		if (line_blank(l))
			continue;
		field_get(&l->item, items[i], sizeof items[i]);
		field_get(&l->reason, reasons[i], sizeof reasons[i]);
		field_get(&l->diff, diffs[i], sizeof diffs[i]);
		in[m] = (iv_line_in){items[i], reasons[i], diffs[i], memo};
		map[m++] = i;
	}
	if (m == 0) {
		tui_msg(t, MSG_ERROR, "Nothing to save: type an Item Number and a Diff first.");
		return R_NONE;
	}
	iv_document doc = {store, date, in, (size_t)m, with_approval ? approval_get(&adj.approval) : (iv_approval){0}};
	memset(out, 0, sizeof out);
	int64_t docno = 0;
	iv_status st = iv_doc_post(t->db, &doc, out, &docno);
	approval_forget(&adj.approval);
	if (st == IV_E_PERMISSION && !with_approval) {
		char why[IV_MSG_MAX];
		approval_reason(t, store, out, map, m, why, sizeof why);
		approval_ask(t, &adj.approval, why, "a Diff above the store's approval threshold",
		             "Not saved: no approval given.  The lines are still here.", save_approved);
		return R_NONE;
	}
	if (st != IV_OK) {
		/* nothing was saved: keep the lines, show why on them */
		preview(t);
		for (int k = 0; k < m; k++)
			if (out[k].status != IV_OK) {
				adj.lines[map[k]].out = out[k];
				adj.lines[map[k]].have_out = true;
			}
		tui_engine_msg(t, "Not saved");
		return R_NONE;
	}
	char summary[IV_MSG_MAX + 64];
	int used = snprintf(summary, sizeof summary, "Saved document %" PRId64 ". New Qty:", docno);
	for (int k = 0; k < m; k++) {
		struct adj_line *l = &adj.lines[map[k]];
		l->out = out[k];
		l->have_out = true;
		l->have_net = false;
		if (used > 0 && (size_t)used < sizeof summary)
			used += snprintf(summary + used, sizeof summary - (size_t)used, " %s %" PRId64 "%s",
			                 out[k].item.number, out[k].new_qty, k + 1 < m ? "," : ".");
	}
	adj.posted = true;
	adj.docno = docno;
	adj.doc_msg[0] = '\0';
	tui_msg(t, MSG_OK, "%s", summary);
	return R_NONE;
}

/* ---- Moving between fields ----------------------------------------- */

static void add_line_after(void)
{
	if (adj.n >= ADJ_LINES)
		return;
	struct adj_line *l = &adj.lines[adj.n];
	line_init(l);
	/* Reason Code defaults to the line above */
	char reason[IV_CODE_SIZE];
	field_get(&adj.lines[adj.n - 1].reason, reason, sizeof reason);
	field_set(&l->reason, reason);
	adj.n++;
}

static void goto_line(int row, int col)
{
	adj.focus = F_LINE;
	adj.row = row;
	adj.col = col;
	if (adj.col == C_REASON && field_empty(&adj.lines[row].reason) && row > 0) {
		char reason[IV_CODE_SIZE];
		field_get(&adj.lines[row - 1].reason, reason, sizeof reason);
		field_set(&adj.lines[row].reason, reason);
	}
	struct adj_line *l = &adj.lines[row];
	field_select(col == C_ITEM ? &l->item : col == C_REASON ? &l->reason : &l->diff);
}

enum { PICK_FOR_STORE = 1, PICK_FOR_ITEM, PICK_FOR_REASON };

static void advance(struct tui *t, bool to_memo);

static int on_pick(struct tui *t, struct overlay *o, int result)
{
	if (!result) {
		/* what was typed stays, selected: a scan or the next code replaces it */
		field_select(focused_field());
		if (adj.not_exact[0]) {
			char pick[24];
			tui_msg(t, MSG_ERROR, "%s (%s searches again)", adj.not_exact,
			        action_keys_text(ACT_PICK, pick, sizeof pick, false));
		}
		return R_NONE;
	}
	const char *code = picker_choice(o);
	intptr_t what = (intptr_t)o->ctx;
	if (what == PICK_FOR_STORE) {
		field_set(&adj.store, code);
	} else if (what == PICK_FOR_ITEM) {
		field_set(&adj.lines[adj.row].item, code);
		snprintf(adj.lines[adj.row].desc, sizeof adj.lines[adj.row].desc, "%s", picker_choice_text(o));
	} else {
		field_set(&adj.lines[adj.row].reason, code);
	}
	advance(t, false);
	return R_NONE;
}

static void open_picker(struct tui *t, enum picker_kind kind, intptr_t what, const char *query, bool after_lookup)
{
	adj.not_exact[0] = '\0';
	if (after_lookup && query && query[0])
		snprintf(adj.not_exact, sizeof adj.not_exact, "%s", iv_errmsg(t->db));
	struct overlay *o = picker_open(t, kind, query);
	if (o) {
		o->done = on_pick;
		o->ctx = (void *)what;
	}
	overlay_push(t, o);
}

/* The Date checked as saving would check it, when it is left: an
 * impossible or future date is said at once, not when a line is typed. */
static bool date_checked(struct tui *t)
{
	char date[DATE_MAX + 1], store[IV_CODE_SIZE];
	field_get(&adj.date, date, sizeof date);
	field_get(&adj.store, store, sizeof store);
	if (iv_doc_date(t->db, store, date, adj.date_iso, &adj.back_dated) != IV_OK) {
		tui_engine_msg(t, NULL);
		field_select(&adj.date);
		return false;
	}
	return true;
}

/* Enter or Tab: confirm the field (an exact code is taken as it is,
 * anything else opens the picker) and move on; from the Date, Tab goes
 * to the Memo and Enter straight to the lines. */
static void advance(struct tui *t, bool to_memo)
{
	char text[IV_NAME_SIZE];
	struct field *f = focused_field();
	field_get(f, text, sizeof text);
	if (adj.focus == F_STORE) {
		iv_store s;
		if (!text[0]) {
			char pick[24];
			tui_msg(t, MSG_ERROR, "Store: type a store code, or press %s to choose one.",
			        action_keys_text(ACT_PICK, pick, sizeof pick, false));
			return;
		}
		if (iv_store_get(t->db, text, &s) != IV_OK) {
			open_picker(t, PICK_STORE, PICK_FOR_STORE, text, true);
			return;
		}
		field_set(&adj.store, s.code);
		snprintf(adj.store_name, sizeof adj.store_name, "%s", s.name);
		snprintf(t->store, sizeof t->store, "%s", s.code);
		adj.focus = F_DATE;
		field_select(&adj.date);
	} else if (adj.focus == F_DATE) {
		if (!date_checked(t))
			return;
		if (to_memo) {
			adj.focus = F_MEMO;
			field_select(&adj.memo);
		} else {
			goto_line(adj.row, C_ITEM);
		}
	} else if (adj.focus == F_MEMO) {
		goto_line(adj.row, C_ITEM);
	} else if (adj.col == C_ITEM) {
		iv_item it;
		if (!text[0]) {
			char pick[24], save[24];
			tui_msg(t, MSG_INFO, "Type or scan an Item Number, UPC or barcode (%s searches); %s saves.",
			        action_keys_text(ACT_PICK, pick, sizeof pick, false),
			        action_keys_text(ACT_SAVE, save, sizeof save, false));
			return;
		}
		if (iv_item_find(t->db, text, &it) != IV_OK) {
			open_picker(t, PICK_ITEM, PICK_FOR_ITEM, text, true);
			return;
		}
		field_set(&adj.lines[adj.row].item, it.number);
		snprintf(adj.lines[adj.row].desc, sizeof adj.lines[adj.row].desc, "%s", it.description);
		goto_line(adj.row, C_REASON);
	} else if (adj.col == C_REASON) {
		iv_reason r;
		if (!text[0] || iv_reason_get(t->db, text, &r) != IV_OK) {
			open_picker(t, PICK_REASON, PICK_FOR_REASON, text, true);
			return;
		}
		field_set(&adj.lines[adj.row].reason, r.code);
		goto_line(adj.row, C_DIFF);
	} else {
		if (adj.row + 1 >= adj.n)
			add_line_after();
		if (adj.row + 1 < adj.n)
			goto_line(adj.row + 1, C_ITEM);
	}
	t->msg[0] = '\0';
	preview(t);
}

static void back(void)
{
	if (adj.focus == F_DATE)
		adj.focus = F_STORE;
	else if (adj.focus == F_MEMO)
		adj.focus = F_DATE;
	else if (adj.focus == F_LINE) {
		if (adj.col == C_DIFF)
			adj.col = C_REASON;
		else if (adj.col == C_REASON)
			adj.col = C_ITEM;
		else if (adj.row > 0)
			goto_line(adj.row - 1, C_DIFF);
		else
			adj.focus = F_MEMO;
	}
}

static void delete_line(void)
{
	if (adj.focus != F_LINE)
		return;
	if (adj.n == 1) {
		line_init(&adj.lines[0]);
		adj.col = C_ITEM;
		return;
	}
	memmove(&adj.lines[adj.row], &adj.lines[adj.row + 1], (size_t)(adj.n - adj.row - 1) * sizeof adj.lines[0]);
	adj.n--;
	if (adj.row >= adj.n)
		adj.row = adj.n - 1;
}

static int on_new_doc_answer(struct tui *t, struct overlay *o, int result)
{
	(void)o;
	if (result) {
		new_document();
		preview(t);
	}
	return R_NONE;
}

static bool adjust_unsaved(struct tui *t)
{
	(void)t;
	if (adj.posted)
		return false;
	for (int i = 0; i < adj.n; i++)
		if (!line_blank(&adj.lines[i]))
			return true;
	return false;
}

/* ---- The screen ---------------------------------------------------- */

static void adjust_enter(struct tui *t)
{
	adj.t = t;
	if (!adj.started) {
		char today[IV_DATE_ISO_LEN];
		field_init(&adj.store, IV_CODE_MAX, false);
		field_init(&adj.date, DATE_MAX, false);
		field_init(&adj.memo, IV_MEMO_MAX, false);
		date_format(iv_today(t->db, NULL), today);
		field_set(&adj.date, today);
		grid_init(&adj.grid, adj_cols, 6);
		field_init(&adj.scanning.code, IV_IDENT_MAX, false);
		adj.scanning.sign = 1;
		adj.started = true;
		new_document();
	} else if (adj.posted) {
		new_document();
	}
	preview(t);
}

static int key_pick(struct tui *t)
{
	char text[IV_NAME_SIZE];
	field_get(focused_field(), text, sizeof text);
	if (adj.focus == F_STORE)
		open_picker(t, PICK_STORE, PICK_FOR_STORE, text, false);
	else if (adj.focus == F_LINE && adj.col == C_ITEM)
		open_picker(t, PICK_ITEM, PICK_FOR_ITEM, text, false);
	else if (adj.focus == F_LINE && adj.col == C_REASON)
		open_picker(t, PICK_REASON, PICK_FOR_REASON, text, false);
	else {
		char pick[24];
		tui_msg(t, MSG_INFO, "%s picks a Store, an Item Number or a Reason Code.",
		        action_keys_text(ACT_PICK, pick, sizeof pick, false));
	}
	return R_NONE;
}

static int key_up(void)
{
	if (adj.focus == F_LINE && adj.row > 0)
		goto_line(adj.row - 1, adj.col);
	else if (adj.focus == F_LINE)
		adj.focus = F_MEMO;
	else if (adj.focus == F_MEMO)
		adj.focus = F_DATE;
	else if (adj.focus == F_DATE)
		adj.focus = F_STORE;
	return R_NONE;
}

static int key_down(struct tui *t)
{
	if (adj.focus == F_STORE)
		adj.focus = F_DATE;
	else if (adj.focus == F_DATE) {
		if (date_checked(t))
			adj.focus = F_MEMO;
	} else if (adj.focus == F_MEMO)
		goto_line(adj.row, adj.col);
	else if (adj.row + 1 < adj.n)
		goto_line(adj.row + 1, adj.col);
	return R_NONE;
}

static int key_new_document(struct tui *t)
{
	if (!adjust_unsaved(t)) {
		new_document();
		preview(t);
		return R_NONE;
	}
	struct overlay *o = dialog_confirm("New document", "Clear the lines you have not saved?");
	if (o)
		o->done = on_new_doc_answer;
	overlay_push(t, o);
	return R_NONE;
}

/* A key for the field with the cursor: New Qty follows every keystroke. */
static int key_edit(struct tui *t, int key, enum action a)
{
	struct field *f = focused_field();
	enum field_result r = field_key(f, key, a);
	if (r == FIELD_IGNORED)
		return R_UNKNOWN;
	if (r == FIELD_CHANGED) {
		t->msg[0] = '\0'; /* an old "Not saved" would be stale now */
		if (adj.focus == F_LINE && adj.col == C_ITEM)
			adj.lines[adj.row].desc[0] = '\0';
		if (adj.focus == F_STORE)
			adj.store_name[0] = '\0';
		preview(t);
	}
	if (f->full)
		tui_msg(t, MSG_ERROR, "That field is full: nothing more fits.");
	return R_NONE;
}

/* ---- Scan mode ----------------------------------------------------- */

static int on_scan_mode_form(struct tui *t, struct overlay *o, int result)
{
	if (!result)
		return R_NONE;
	char reason[IV_CODE_SIZE], sign[8];
	dialog_value(o, 0, reason, sizeof reason);
	dialog_value(o, 1, sign, sizeof sign);
	iv_reason r;
	if (iv_reason_get(t->db, reason, &r) != IV_OK) {
		tui_engine_msg(t, "Scan mode");
		return R_NONE;
	}
	if (strcmp(sign, "+") != 0 && strcmp(sign, "-") != 0) {
		tui_msg(t, MSG_ERROR, "Sign: type + (each scan adds 1) or - (each scan takes 1 away).");
		return R_NONE;
	}
	struct adjust_scanning *sc = &adj.scanning;
	sc->on = true;
	snprintf(sc->reason, sizeof sc->reason, "%s", r.code);
	sc->sign = sign[0] == '-' ? -1 : 1;
	sc->qty[0] = '\0';
	field_clear(&sc->code);
	char save[24], mode[24];
	tui_msg(t, MSG_OK, "Scan mode: each scan %s 1 with reason %s.  %s saves the lines, %s ends scan mode.",
	        sc->sign > 0 ? "adds" : "takes away", sc->reason, action_keys_text(ACT_SAVE, save, sizeof save, false),
	        action_keys_text(ACT_SCAN_MODE, mode, sizeof mode, false));
	return R_NONE;
}

static void scan_mode_toggle(struct tui *t)
{
	if (adj.scanning.on) {
		adj.scanning.on = false;
		tui_msg(t, MSG_INFO, "Scan mode ended; the lines stay as they are.");
		return;
	}
	char store[IV_CODE_SIZE];
	iv_store s;
	if (iv_store_get(t->db, field_get(&adj.store, store, sizeof store), &s) != IV_OK) {
		tui_msg(t, MSG_ERROR, "Scan mode: type the Store first.");
		adj.focus = F_STORE;
		return;
	}
	static const char *const labels[] = {"Reason Code", "Sign (+ or -)"};
	static const size_t max[] = {IV_CODE_MAX, 1};
	struct overlay *o = dialog_form("Scan mode", "Each scan will add 1 (sign +) or take 1 away (sign -) on "
	                                "its item's line, with this Reason Code.", 2, labels, max, NULL);
	if (o) {
		char reason[IV_CODE_SIZE];
		field_get(&adj.lines[adj.row].reason, reason, sizeof reason);
		dialog_set_value(o, 0, adj.scanning.reason[0] ? adj.scanning.reason : reason);
		dialog_set_value(o, 1, adj.scanning.sign < 0 ? "-" : "+");
		o->done = on_scan_mode_form;
	}
	overlay_push(t, o);
}

/* The line of this item and the scan mode's reason, or a new one. */
static int scan_line(const iv_item *it)
{
	char item[IV_IDENT_SIZE], reason[IV_CODE_SIZE];
	for (int i = 0; i < adj.n; i++) {
		field_get(&adj.lines[i].item, item, sizeof item);
		field_get(&adj.lines[i].reason, reason, sizeof reason);
		if (strcmp(item, it->number) == 0 && strcmp(reason, adj.scanning.reason) == 0)
			return i;
	}
	if (!line_blank(&adj.lines[adj.n - 1]))
		add_line_after();
	int i = adj.n - 1;
	if (!line_blank(&adj.lines[i]))
		return -1; /* every line is taken */
	field_set(&adj.lines[i].item, it->number);
	field_set(&adj.lines[i].reason, adj.scanning.reason);
	snprintf(adj.lines[i].desc, sizeof adj.lines[i].desc, "%s", it->description);
	return i;
}

static void scan_into_lines(struct tui *t, const char *code)
{
	struct adjust_scanning *sc = &adj.scanning;
	iv_item it;
	if (iv_item_find(t->db, code, &it) != IV_OK) {
		/* what was scanned stays, selected: the next scan replaces it */
		tui_engine_msg(t, "Not scanned");
		field_select(&sc->code);
		beep();
		return;
	}
	int i = scan_line(&it);
	if (i < 0) {
		tui_msg(t, MSG_ERROR, "Not scanned: the document has %d lines, the most it takes; save it first.",
		        ADJ_LINES);
		field_select(&sc->code);
		return;
	}
	char diff[DIFF_MAX + 1];
	iv_qty had = 0, add = sc->qty[0] ? strtoll(sc->qty, NULL, 10) : 1;
	if (qty_parse(field_get(&adj.lines[i].diff, diff, sizeof diff), &had) != QTY_OK)
		had = 0;
	iv_qty now = had + sc->sign * add;
	snprintf(diff, sizeof diff, "%" PRId64, now);
	field_set(&adj.lines[i].diff, now ? diff : "");
	adj.row = i;
	field_clear(&sc->code);
	sc->qty[0] = '\0';
	preview(t);
	if (now)
		tui_msg(t, MSG_OK, "%s %s: Diff %+" PRId64 " on line %d.", it.number, it.description, now, i + 1);
	else
		tui_msg(t, MSG_INFO, "%s %s: Diff 0 on line %d: the line posts nothing until scanned again.",
		        it.number, it.description, i + 1);
}

static int scan_mode_key(struct tui *t, int key, enum action a)
{
	struct adjust_scanning *sc = &adj.scanning;
	char code[IV_IDENT_SIZE];
	field_get(&sc->code, code, sizeof code);
	switch (a) {
	case ACT_SAVE: return save(t, false);
	case ACT_SCAN:
		if (code[0])
			scan_into_lines(t, code);
		return R_NONE;
	case ACT_SCAN_QTY: {
		size_t n = strlen(code);
		if (n == 0 || n > 9 || strspn(code, "0123456789") != n)
			break; /* a '*' in a code is typed */
		snprintf(sc->qty, sizeof sc->qty, "%s", code);
		field_clear(&sc->code);
		tui_msg(t, MSG_INFO, "The next scan counts %s.", sc->qty);
		return R_NONE;
	}
	case ACT_SCAN_MODE:
	case ACT_BACK: scan_mode_toggle(t); return R_NONE;
	case ACT_NEW_DOC: return key_new_document(t);
	case ACT_RELOAD: preview(t); return R_NONE;
	default: break;
	}
	if (field_key(&sc->code, key, a) == FIELD_IGNORED)
		return R_UNKNOWN;
	return R_NONE;
}

static int adjust_key(struct tui *t, int key, enum action a)
{
	if (adj.posted) {
		/* the saved document stays on screen until the next key */
		new_document();
		preview(t);
		if (a == ACT_NEW_DOC || a == ACT_SAVE)
			return R_NONE;
	}
	if (adj.scanning.on)
		return scan_mode_key(t, key, a);
	switch (a) {
	case ACT_SAVE: return save(t, false);
	case ACT_PICK: return key_pick(t);
	case ACT_SCAN_MODE: scan_mode_toggle(t); return R_NONE;
	case ACT_ENTER: advance(t, false); return R_NONE;
	case ACT_NEXT: advance(t, true); return R_NONE;
	case ACT_PREV: back(); return R_NONE;
	case ACT_UP: return key_up();
	case ACT_DOWN: return key_down(t);
	case ACT_DEL_LINE:
		delete_line();
		if (t->msg_kind == MSG_ERROR)
			t->msg[0] = '\0'; /* it may have been about the line just deleted */
		preview(t);
		return R_NONE;
	case ACT_NEW_DOC: return key_new_document(t);
	case ACT_RELOAD:
		preview(t);
		tui_msg(t, MSG_INFO, "Numbers read again from the database.");
		return R_NONE;
	default: return key_edit(t, key, a);
	}
}

static char *fmt_qty(char *buf, size_t size, iv_qty q)
{
	snprintf(buf, size, "%" PRId64, q);
	return buf;
}

static bool show_msg(int i)
{
	const struct adj_line *l = &adj.lines[i];
	if (!l->have_out || l->out.status == IV_OK)
		return false;
	/* while the item or reason is being typed, do not nag */
	return adj.posted || !(adj.focus == F_LINE && adj.row == i && adj.col != C_DIFF);
}

static void cell(void *ctx, int r, int c, char *buf, size_t size, enum role *role)
{
	(void)ctx;
	struct adj_line *l = &adj.lines[r];
	bool resolved = l->have_out && l->out.item.number[0];
	/* the preview's numbers count only where it computed them */
	bool computed = resolved && (l->out.status == IV_OK || l->out.diff != 0);
	switch (c) {
	case C_ITEM: field_get(&l->item, buf, size); break;
	case C_REASON: field_get(&l->reason, buf, size); break;
	case C_DIFF: field_get(&l->diff, buf, size); break;
	case C_DESC: snprintf(buf, size, "%s", resolved ? l->out.item.description : l->desc); break;
	case C_NET:
		/* a back-dated line: the figures of its day, today's after them */
		if (computed && l->out.back_dated)
			snprintf(buf, size, "%" PRId64 " (now %" PRId64 ")", l->out.net_on_date, l->out.net_available);
		else if (computed)
			fmt_qty(buf, size, l->out.net_available);
		else if (l->have_net)
			fmt_qty(buf, size, l->net);
		break;
	case C_NEW:
		if (computed && l->out.back_dated)
			snprintf(buf, size, "%" PRId64 " (now %" PRId64 ")", l->out.new_qty_on_date, l->out.new_qty);
		else if (computed)
			fmt_qty(buf, size, l->out.new_qty);
		if (computed && l->out.status != IV_OK)
			*role = ROLE_ERROR;
		if (adj.posted && l->have_out && l->out.status == IV_OK)
			*role = ROLE_OK;
		break;
	default: break;
	}
}

/* A refusal under its line, in words, on one or two rows. */
static void line_msg(int i, char *first, char *second, size_t size, int width)
{
	const struct adj_line *l = &adj.lines[i];
	char m[IV_MSG_MAX + 8];
	snprintf(m, sizeof m, "! %s", l->out.message[0] ? l->out.message : iv_status_text(l->out.status));
	second[0] = '\0';
	size_t len = strlen(m);
	if (text_width(m) <= width || width < 10) {
		snprintf(first, size, "%s", m);
		return;
	}
	size_t cut = (size_t)width < len ? (size_t)width : len;
	while (cut > 0 && m[cut] != ' ')
		cut--;
	if (cut == 0)
		cut = (size_t)width;
	snprintf(first, size, "%.*s", (int)cut, m);
	snprintf(second, size, "  %s", m + cut + (m[cut] == ' '));
}

static int line_height(int i)
{
	if (!show_msg(i))
		return 1;
	char a[IV_MSG_MAX + 8], b[IV_MSG_MAX + 8];
	line_msg(i, a, b, sizeof a, draw_cols() - 4);
	return b[0] ? 3 : 2;
}

static void adjust_draw(struct tui *t)
{
	int y = t->body_top + 1, cols = draw_cols();
	draw_text(y, 1, 6, "Store", ROLE_NORMAL, true);
	bool typing = !adj.posted && !adj.scanning.on; /* the fields have the cursor */
	field_draw(&adj.store, y, 7, 10, adj.focus == F_STORE && typing, &t->cur_y, &t->cur_x);
	draw_text(y, 18, cols - 18 - 24, adj.store_name, ROLE_DIM, true);
	draw_text(y, cols - 23, 5, "Date", ROLE_NORMAL, true);
	field_draw(&adj.date, y, cols - 17, 12, adj.focus == F_DATE && typing, &t->cur_y, &t->cur_x);
	draw_text(y + 1, 1, 6, "Memo", ROLE_NORMAL, true);
	field_draw(&adj.memo, y + 1, 7, cols - 7 - 20, adj.focus == F_MEMO && typing, &t->cur_y, &t->cur_x);
	if (adj.back_dated)
		draw_text(y + 1, cols - 17, 16, "BACK-DATED", ROLE_ERROR, true);
	y++;
	if (adj.scanning.on) {
		/* the scan field has the cursor: every key a scanner types goes there */
		char how[IV_CODE_SIZE + 64];
		snprintf(how, sizeof how, "%s%s each scan %s1, reason %s", adj.scanning.qty[0] ? adj.scanning.qty : "",
		         adj.scanning.qty[0] ? " x:" : "", adj.scanning.sign > 0 ? "+" : "-", adj.scanning.reason);
		draw_text(y + 1, 1, 6, "Scan", ROLE_OK, true);
		field_draw(&adj.scanning.code, y + 1, 7, 24, true, &t->cur_y, &t->cur_x);
		draw_text(y + 1, 33, cols - 34, how, ROLE_OK, true);
	} else if (adj.doc_msg[0])
		draw_text(y + 1, 1, cols - 2, adj.doc_msg, ROLE_ERROR, true);
	else if (adj.posted) {
		char m[96];
		snprintf(m, sizeof m, "Document %" PRId64 " saved. Any key starts a new document.", adj.docno);
		draw_text(y + 1, 1, cols - 2, m, ROLE_OK, true);
	} else if (adj.back_dated) {
		char m[160];
		snprintf(m, sizeof m, "Dated %s: Net Available and New Qty as of that day, today's in brackets.",
		         adj.date_iso);
		draw_text(y + 1, 1, cols - 2, m, ROLE_ERROR, true);
	}
	grid_layout(&adj.grid, 1, cols - 2);
	adj.grid.nrows = adj.n;
	grid_measure(&adj.grid, 0, adj.n, cell, NULL); /* every digit of every figure */
	if (adj.focus == F_LINE && adj.col == C_DIFF && !adj.posted) {
		/* and room for the cursor after the Diff being typed */
		char diff[DIFF_MAX + 1];
		int w = text_width(field_get(&adj.lines[adj.row].diff, diff, sizeof diff)) + 1;
		if (w > adj.grid.need[C_DIFF]) {
			adj.grid.need[C_DIFF] = w;
			grid_layout(&adj.grid, 1, cols - 2);
		}
	}
	grid_draw_header(&adj.grid, y + 2);
	int top = y + 3, area = t->body_top + t->body_rows - top;
	/* keep the current line in view; refused lines take two rows */
	if (adj.row < adj.top)
		adj.top = adj.row;
	for (;;) {
		int h = 0;
		for (int i = adj.top; i <= adj.row && i < adj.n; i++)
			h += line_height(i);
		if (h <= area || adj.top >= adj.row)
			break;
		adj.top++;
	}
	int yy = top;
	for (int i = adj.top; i < adj.n && yy < top + area; i++) {
		grid_draw_row(&adj.grid, yy, i, adj.scanning.on && i == adj.row, cell, NULL);
		if (adj.focus == F_LINE && i == adj.row && !adj.posted && !adj.scanning.on) {
			struct field *f = focused_field();
			field_draw(f, yy, adj.grid.x[adj.col], adj.grid.w[adj.col], true, &t->cur_y, &t->cur_x);
		}
		yy++;
		if (show_msg(i) && yy < top + area) {
			char a[IV_MSG_MAX + 8], b[IV_MSG_MAX + 8];
			line_msg(i, a, b, sizeof a, cols - 4);
			draw_text(yy++, 3, cols - 4, a, ROLE_ERROR, true);
			if (b[0] && yy < top + area)
				draw_text(yy++, 3, cols - 4, b, ROLE_ERROR, true);
		}
	}
}

const struct screen_ops scr_adjust_ops = {
	.title = "Adjust Inventory",
	.actions = adjust_actions,
	.scope = adjust_scope,
	.enter = adjust_enter,
	.draw = adjust_draw,
	.key = adjust_key,
	.unsaved = adjust_unsaved,
};
