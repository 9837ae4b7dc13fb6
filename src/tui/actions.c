/* The action table: the one place where keys, labels and help meet. */
#include "tui/actions.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui/keys.h"

#define ENTER_KEYS {TK_ENTER, TK_NL, TK_FN(KEY_ENTER)}

static const struct action_def table[ACT_COUNT] = {
	[ACT_NONE] = {ACT_NONE, "none", "", "", false, false, {0}},
	[ACT_HELP] = {ACT_HELP, "help", "Help", "Show the keys and what Diff, New Qty, reversal, Delta and Sync mean.",
	              true, true, {TK_FN(KEY_F(1))}},
	[ACT_ADJUST] = {ACT_ADJUST, "adjust", "Adjust", "Enter an inventory adjustment (the Inventory Adjustment module).",
	                true, true, {TK_FN(KEY_F(2))}},
	[ACT_HISTORY] = {ACT_HISTORY, "history", "History", "The ledger, newest first: look up, filter and reverse adjustments.",
	                 true, true, {TK_FN(KEY_F(3))}},
	[ACT_UPLOAD] = {ACT_UPLOAD, "upload", "Upload", "Upload a CSV file of counts or movements (Delta or Sync rule).",
	                true, true, {TK_FN(KEY_F(4))}},
	[ACT_STOCK] = {ACT_STOCK, "stock", "Stock", "Net Available by store and item, now or as of a date.",
	               true, true, {TK_FN(KEY_F(5))}},
	[ACT_COUNTING] = {ACT_COUNTING, "count", "Count", "Count a store with scanners: start or open a count, scan, review the differences and post them.",
	                  true, true, {TK_FN(KEY_F(9))}},
	[ACT_REPORTS] = {ACT_REPORTS, "reports", "Reports", "Adjustments by reason, store, item or period, at cost, as bar charts (supervisors and admins).",
	                 true, true, {TK_FN(KEY_F(11)), TK_CTRL('g')}},
	[ACT_QUIT] = {ACT_QUIT, "quit", "Quit", "Leave invadj (asks first when lines are not saved).",
	              true, true, {TK_FN(KEY_F(10))}},
	[ACT_INTERRUPT] = {ACT_INTERRUPT, "interrupt", "Quit?", "Ctrl-C asks whether to quit.",
	                   true, false, {TK_INTERRUPT}},
	[ACT_SUSPEND] = {ACT_SUSPEND, "suspend", "Suspend", "Put invadj in the background (fg brings it back).",
	                 true, false, {TK_CTRL('z')}},
	[ACT_REDRAW] = {ACT_REDRAW, "redraw", "Redraw", "Repaint the whole screen.",
	                true, false, {TK_CTRL('l')}},
	[ACT_PIN] = {ACT_PIN, "pin", "My PIN", "Change your own PIN (asks the current one, then the new one twice).",
	             true, false, {TK_CTRL('p')}},
	[ACT_SAVE] = {ACT_SAVE, "save", "Adjust Inventory", "Save all lines as one document (nothing is saved if any line is refused).",
	              false, true, {TK_CTRL('s'), TK_FN(KEY_F(12))}},
	[ACT_PICK] = {ACT_PICK, "pick", "Pick", "Open a list to search and choose a store, item or reason code.",
	              false, true, {TK_FN(KEY_F(6)), TK_CTRL('f')}},
	[ACT_NEXT] = {ACT_NEXT, "next", "Next", "Move to the next field.", false, false, {TK_TAB}, true},
	[ACT_PREV] = {ACT_PREV, "previous", "Back", "Move to the previous field.", false, false, {TK_FN(KEY_BTAB)}},
	[ACT_ENTER] = {ACT_ENTER, "enter", "Next", "Confirm the field and move to the next one.", false, false, ENTER_KEYS, true},
	[ACT_CANCEL] = {ACT_CANCEL, "cancel", "Cancel", "Close a list or dialog without choosing.", false, true, {TK_ESC}, true},
	[ACT_UP] = {ACT_UP, "up", "Up", "Previous line or row.", false, false, {TK_FN(KEY_UP)}},
	[ACT_DOWN] = {ACT_DOWN, "down", "Down", "Next line or row.", false, false, {TK_FN(KEY_DOWN)}},
	[ACT_PGUP] = {ACT_PGUP, "page-up", "PgUp", "One page up.", false, false, {TK_FN(KEY_PPAGE)}},
	[ACT_PGDN] = {ACT_PGDN, "page-down", "PgDn", "One page down.", false, false, {TK_FN(KEY_NPAGE)}},
	[ACT_HOME] = {ACT_HOME, "first", "First", "First row.", false, false, {TK_FN(KEY_HOME)}},
	[ACT_END] = {ACT_END, "last", "Last", "Last row.", false, false, {TK_FN(KEY_END)}},
	[ACT_NEW_DOC] = {ACT_NEW_DOC, "new", "New", "Clear the lines and start a new document (asks if not saved).",
	                 false, true, {TK_CTRL('n')}},
	[ACT_DEL_LINE] = {ACT_DEL_LINE, "delete-line", "Del line", "Remove the current line from the document.",
	                  false, true, {TK_FN(KEY_F(8)), TK_CTRL('d')}},
	[ACT_FILTER] = {ACT_FILTER, "filter", "Filter", "Filter by store, item, reason, user, dates or batch.",
	                false, true, {'/'}},
	[ACT_DETAIL] = {ACT_DETAIL, "detail", "Detail", "Show everything about the selected row.", false, true, ENTER_KEYS},
	[ACT_REVERSE] = {ACT_REVERSE, "reverse", "Reverse", "Reverse the selected adjustment (a clerk needs a supervisor's name and PIN).",
	                 false, true, {'r'}, true},
	[ACT_REVERSE_BATCH] = {ACT_REVERSE_BATCH, "reverse-batch", "Reverse batch", "Reverse every row of the upload batch this row came from.",
	                       false, true, {'b'}, true},
	[ACT_RELOAD] = {ACT_RELOAD, "refresh", "Refresh", "Read the numbers again from the database.",
	                false, true, {TK_CTRL('r')}},
	[ACT_RULE] = {ACT_RULE, "rule", "Delta/Sync", "Switch the upload rule between Delta and Sync.",
	              false, true, {TK_FN(KEY_F(7))}},
	[ACT_POST] = {ACT_POST, "post", "Check & Post", "Check the file, show the preview, then post it after you confirm.",
	              false, true, {TK_CTRL('s'), TK_FN(KEY_F(12))}},
	[ACT_TEMPLATE] = {ACT_TEMPLATE, "template", "Write template", "Save the upload template CSV to a file (asks before replacing one).",
	                  false, true, {TK_CTRL('t')}},
	[ACT_OPEN_COUNT] = {ACT_OPEN_COUNT, "open-count", "Open", "Open the selected count: scan into it while it is open, see its lines once it ended.",
	                    false, true, ENTER_KEYS},
	[ACT_START_COUNT] = {ACT_START_COUNT, "new-count", "New count", "Start a new count: its store, blind or not, which items, a memo.",
	                     false, true, {TK_CTRL('n')}},
	[ACT_BEGIN_COUNT] = {ACT_BEGIN_COUNT, "start-count", "Start", "Start the count as the fields say, and scan into it.",
	                     false, true, {TK_CTRL('s'), TK_FN(KEY_F(12))}},
	[ACT_SCAN] = {ACT_SCAN, "scan", "Scan", "Count the item typed or scanned: a scan adds 1, or the quantity typed before it with *.",
	              false, true, ENTER_KEYS, true},
	[ACT_SCAN_QTY] = {ACT_SCAN_QTY, "quantity", "Qty", "After digits in the item field: the next scan counts that many (12 * then a scan adds 12).",
	                  false, true, {'*'}},
	[ACT_UNDO_SCAN] = {ACT_UNDO_SCAN, "undo-scan", "Undo scan", "With the item field empty: undo your last scan (another terminal's scans stay).",
	                   false, true, {'-'}},
	[ACT_REVIEW] = {ACT_REVIEW, "review", "Review", "The count's lines, the largest differences first and moved items marked: recount, then post.",
	                false, true, {TK_FN(KEY_F(7))}},
	[ACT_RECOUNT] = {ACT_RECOUNT, "recount", "Recount", "Count the selected item again: what is on the shelf now replaces its count.",
	                 false, true, ENTER_KEYS},
	[ACT_ZERO_UNCOUNTED] = {ACT_ZERO_UNCOUNTED, "zero-uncounted", "Zero uncounted", "Post the items of the count nobody counted as counted 0, or leave them as they are.",
	                        false, true, {'z'}},
	[ACT_POST_COUNT] = {ACT_POST_COUNT, "post-count", "Post count", "Post every difference as one document, after one question (moved items as counted).",
	                    false, true, {TK_CTRL('s'), TK_FN(KEY_F(12))}},
	[ACT_CANCEL_COUNT] = {ACT_CANCEL_COUNT, "cancel-count", "Cancel count", "End the count without posting anything (asks first).",
	                      false, true, {TK_FN(KEY_F(8))}},
	[ACT_BACK] = {ACT_BACK, "back", "Back", "Back to the list of counts, or from the review to scanning.",
	              false, true, {TK_ESC}},
	[ACT_SCAN_MODE] = {ACT_SCAN_MODE, "scan-mode", "Scan mode", "Scan into the lines: choose the Reason Code and the sign once, then each scan adds 1 (or -1) to its item's line.",
	                   false, true, {TK_FN(KEY_F(7))}},
	[ACT_OPEN_HISTORY] = {ACT_OPEN_HISTORY, "history-of-bar", "History", "Open History filtered to the selected bar: its store, item, reason, user and dates.",
	                      false, true, ENTER_KEYS},
	[ACT_MEASURE] = {ACT_MEASURE, "bars", "Bars", "Switch what the bars show: the value at cost, the Net Diff or the number of lines.",
	                 false, true, {TK_FN(KEY_F(7))}},
	[ACT_WITH_REVERSED] = {ACT_WITH_REVERSED, "reversed", "Reversed", "Leave out or count reversed adjustments and their reversals (left out at first).",
	                       false, true, {TK_FN(KEY_F(8))}},
	[ACT_YES] = {ACT_YES, "yes", "Yes", "Answer a question yes.", false, true, {'y', 'Y'}, true},
	[ACT_NO] = {ACT_NO, "no", "No", "Answer a question no (Enter alone answers no unless you moved to Yes).",
	            false, true, {'n', 'N', TK_ESC}, true},
	[ACT_CHOOSE] = {ACT_CHOOSE, "choose", "Choose", "Take the highlighted answer or list entry.", false, true, ENTER_KEYS, true},
	[ACT_CLOSE] = {ACT_CLOSE, "close", "Close", "Close a message box.", false, true, {TK_ENTER, TK_ESC, TK_NL}, true},
	[ACT_TOGGLE] = {ACT_TOGGLE, "switch", "Switch", "Switch a choice such as the upload rule.", false, false, {' '}},
	[ACT_LEFT] = {ACT_LEFT, "left", "Left", "Cursor left; in a question, the answer on the left.", false, false, {TK_FN(KEY_LEFT)}},
	[ACT_RIGHT] = {ACT_RIGHT, "right", "Right", "Cursor right; in a question, the answer on the right.", false, false, {TK_FN(KEY_RIGHT)}},
	[ACT_LINE_START] = {ACT_LINE_START, "line-start", "Start", "In a field: to its start.", false, false, {TK_FN(KEY_HOME), TK_CTRL('a')}},
	[ACT_LINE_END] = {ACT_LINE_END, "line-end", "End", "In a field: to its end.", false, false, {TK_FN(KEY_END), TK_CTRL('e')}},
	[ACT_BACKSPACE] = {ACT_BACKSPACE, "backspace", "Backspace", "In a field: delete the character before the cursor.",
	                   false, false, {TK_FN(KEY_BACKSPACE), TK_BS, TK_CTRL('h')}},
	[ACT_DELETE_CHAR] = {ACT_DELETE_CHAR, "delete", "Delete", "In a field: delete the character under the cursor.",
	                     false, false, {TK_FN(KEY_DC)}},
	[ACT_CLEAR_FIELD] = {ACT_CLEAR_FIELD, "clear", "Clear", "In a field: clear it.", false, false, {TK_CTRL('u')}},
	[ACT_KILL_END] = {ACT_KILL_END, "kill", "Cut to end", "In a field: delete from the cursor to the end.",
	                  false, false, {TK_CTRL('k')}},
};

const struct action_def *action_get(enum action a)
{
	if (a <= ACT_NONE || a >= ACT_COUNT)
		return &table[ACT_NONE];
	return &table[a];
}

static bool action_has_key(const struct action_def *d, int key)
{
	for (int i = 0; i < ACTION_KEYS && d->keys[i]; i++)
		if (d->keys[i] == key)
			return true;
	return false;
}

enum action action_find(int key, const enum action *scope)
{
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++)
		if (table[a].global && action_has_key(&table[a], key))
			return (enum action)a;
	for (; scope && *scope != ACT_NONE; scope++)
		if (action_has_key(action_get(*scope), key))
			return *scope;
	return ACT_NONE;
}

const char *tk_name(int key, char *buf, int size)
{
	if (key == TK_INTERRUPT)
		snprintf(buf, (size_t)size, "^C");
	else if (TK_IS_FN(key)) {
		int k = key - TK_FN_BASE;
		if (k >= KEY_F(1) && k <= KEY_F(12))
			snprintf(buf, (size_t)size, "F%d", k - KEY_F(0));
		else if (k == KEY_ENTER)
			snprintf(buf, (size_t)size, "Enter");
		else if (k == KEY_BTAB)
			snprintf(buf, (size_t)size, "Shift-Tab");
		else if (k == KEY_UP)
			snprintf(buf, (size_t)size, "Up");
		else if (k == KEY_DOWN)
			snprintf(buf, (size_t)size, "Down");
		else if (k == KEY_PPAGE)
			snprintf(buf, (size_t)size, "PgUp");
		else if (k == KEY_NPAGE)
			snprintf(buf, (size_t)size, "PgDn");
		else if (k == KEY_HOME)
			snprintf(buf, (size_t)size, "Home");
		else if (k == KEY_END)
			snprintf(buf, (size_t)size, "End");
		else if (k == KEY_LEFT)
			snprintf(buf, (size_t)size, "Left");
		else if (k == KEY_RIGHT)
			snprintf(buf, (size_t)size, "Right");
		else if (k == KEY_BACKSPACE)
			snprintf(buf, (size_t)size, "Backspace");
		else if (k == KEY_DC)
			snprintf(buf, (size_t)size, "Delete");
		else
			snprintf(buf, (size_t)size, "key%d", k);
	} else if (key == TK_ENTER || key == TK_NL)
		snprintf(buf, (size_t)size, "Enter");
	else if (key == TK_TAB)
		snprintf(buf, (size_t)size, "Tab");
	else if (key == TK_ESC)
		snprintf(buf, (size_t)size, "Esc");
	else if (key > 0 && key < 32)
		snprintf(buf, (size_t)size, "^%c", key + '@');
	else if (key == TK_BS)
		snprintf(buf, (size_t)size, "Backspace");
	else if (key == ' ')
		snprintf(buf, (size_t)size, "Space");
	else if (key > 32 && key < 127)
		snprintf(buf, (size_t)size, "%c", key);
	else
		snprintf(buf, (size_t)size, "?");
	return buf;
}

const char *action_keys_text(enum action a, char *buf, int size, bool all)
{
	const struct action_def *d = action_get(a);
	int used = 0;
	buf[0] = '\0';
	for (int i = 0; i < ACTION_KEYS && d->keys[i]; i++) {
		char one[24];
		if (i > 0 && (d->keys[i] == TK_NL || d->keys[i] == TK_FN(KEY_ENTER) || (d->keys[0] >= 'a' && d->keys[0] <= 'z' && d->keys[i] == d->keys[0] - 32) ||
		              d->keys[i] == TK_BS || d->keys[i] == TK_CTRL('h')))
			continue; /* Enter and Backspace have several codes, y/Y is one key: name each once */
		tk_name(d->keys[i], one, sizeof one);
		int n = snprintf(buf + used, (size_t)(size - used), "%s%s", used ? "/" : "", one);
		if (n < 0 || n >= size - used)
			break;
		used += n;
		if (!all)
			break;
		int k = d->keys[i] - TK_FN_BASE;
		if (TK_IS_FN(d->keys[i]) && k >= KEY_F(1) && k <= KEY_F(10)) {
			int digit = (k - KEY_F(0)) % 10;
			n = snprintf(buf + used, (size_t)(size - used), "/Alt-%d/Esc %d", digit, digit);
			if (n < 0 || n >= size - used)
				break;
			used += n;
		}
	}
	return buf;
}

const char *action_hint(const enum action *scope, char *buf, int size)
{
	int used = 0;
	buf[0] = '\0';
	for (; scope && *scope != ACT_NONE; scope++) {
		const struct action_def *d = action_get(*scope);
		char keys[48];
		if (!d->hint)
			continue;
		action_keys_text(*scope, keys, sizeof keys, true);
		int n = snprintf(buf + used, (size_t)(size - used), "%s%s %s", used ? "   " : "", keys, d->label);
		if (n < 0 || n >= size - used) {
			buf[used] = '\0';
			break;
		}
		used += n;
	}
	return buf;
}
