/* Help (F1): the keys, read from the action table, and the words the
 * users know explained in their own terms. */
#include <stdio.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/screen.h"

#define HELP_LINES 240

static struct help_state {
	char lines[HELP_LINES][200];
	int n, top;
} help;

static const enum action help_actions[] = {ACT_CANCEL, ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_NONE};

static const char *const words[] = {
	"",
	"WHAT THE WORDS MEAN",
	"",
	"Net Available  How many units the store has of the item now: the sum of",
	"               every adjustment ever saved for it.",
	"Diff           By how much you change the stock.  Type 10 to add ten units,",
	"               -10 to take ten away.  A Diff is a whole number and never 0.",
	"New Qty        What Net Available will be after the line is saved:",
	"               Net Available + Diff.  Example: 100 + 10 = 110.",
	"Adjust Inventory (Ctrl-S)  Saves all lines together as one document.  If any",
	"               line is refused (red text under it) nothing is saved and the",
	"               lines stay on the screen so you can fix them.",
	"Reversal       An adjustment is never deleted.  To undo one, go to History",
	"               (F3), select it and press r: a new adjustment with the opposite",
	"               Diff is saved and both rows point at each other (\"reversed",
	"               by #N\" / \"reverses #N\").  A clerk needs a supervisor to type",
	"               their name and PIN.  Each adjustment can be reversed once.",
	"               You may also undo by hand: a new line with Diff -10 undoes +10.",
	"Delta rule     (Upload, F4) The file's Qty is the Diff: 1 adds one unit,",
	"               -1 takes one away.",
	"Sync rule      (Upload, F4) The file's Qty is the count: the new Net",
	"               Available.  With 100 on hand, Qty 110 adds 10 and Qty 90",
	"               takes 10 away.  Sync does not work on back-dated rows.",
	"Back-dating    The Date may be earlier than today (never later).  A back-dated",
	"               line may not make any later day's stock negative.",
	"",
	"FIELDS AND LISTS",
	"",
	"Enter or Tab moves to the next field: Store, Date, then on each line Item",
	"Number, Reason Code (taken from the line above), Diff.  Type or scan an item",
	"number, UPC, barcode or alternate number.  When what you typed is not an",
	"exact code, a list opens: type to narrow it, Up/Down, Enter to choose.",
	"In a list, Home and End go to the first and last row at once.",
	"Every question has No highlighted: Enter alone answers no, y answers yes.",
	"Without function keys: press Esc then the digit at once (or Alt and the",
	"digit): Esc 1 = F1 ... Esc 0 = F10.  The keys of fields are listed below.",
};

/* After the keys, so that the pages before them stay where people
 * know them. */
static const char *const counting_words[] = {
	"",
	"COUNTING",
	"",
	"Count (F9)     Counting a store with scanners.  Start a count (Ctrl-N), then",
	"               scan: each scan adds 1; 12 then * then a scan adds 12; - with",
	"               the item field empty undoes your last scan.  Several",
	"               terminals may scan into one count at once.",
	"Blind count    The clerks counting see only what they counted, never what",
	"               the books say; a supervisor reviews and posts it.",
	"Review (F7)    Diff = Counted - Net Available when the count started (an r",
	"               after it: when the item was recounted).  MOVED: the stock",
	"               changed since (a sale): recount the item (Enter) or post it",
	"               as counted, its move kept.  Posting writes one document dated",
	"               the count's day: New Qty = Net Available now + Diff.",
	"Scan mode      (Adjust, F7) Choose the Reason Code and + or - once; then each",
	"               scan adds 1 (or takes 1 away) on its item's line.",
};

static const char *const reports_words[] = {
	"",
	"REPORTS",
	"",
	"Reports        (F11, supervisors and admins) What was adjusted, why, where and",
	"               at what cost: Lines, Net and Value by store, reason, item, user,",
	"               day, week or month, a bar a row.  Enter on a bar shows its rows",
	"               in History.  A reversed adjustment and its reversal cancel and",
	"               are left out (F8 counts them).",
	"Value          A Diff at the item's unit cost on the line's date: -3 at 24.90",
	"               is -74.70.  A line whose item had no cost then has no value",
	"               (shown as a dash), never 0; a * marks a total without them.",
};

static void add(const char *s)
{
	if (help.n < HELP_LINES)
		snprintf(help.lines[help.n++], sizeof help.lines[0], "%s", s);
}

static void help_enter(struct tui *t)
{
	(void)t;
	help.n = help.top = 0;
	for (size_t i = 1; i < sizeof words / sizeof words[0]; i++)
		add(words[i]);
	add("");
	add("KEYS (Up/Down and PgUp/PgDn scroll this page)");
	add("");
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		const struct action_def *d = action_get((enum action)a);
		char keys[64], line[200];
		action_keys_text((enum action)a, keys, sizeof keys, true);
		/* the help text wrapped beside the keys, within 78 columns */
		const char *p = d->help;
		bool first = true;
		while (*p || first) {
			int take = (int)strlen(p);
			if (take > 50) {
				take = 50;
				while (take > 0 && p[take] != ' ')
					take--;
				if (take == 0)
					take = 50;
			}
			snprintf(line, sizeof line, "%-26.26s %.*s", first ? keys : "", take, p);
			add(line);
			p += take;
			while (*p == ' ')
				p++;
			first = false;
		}
	}
	for (size_t i = 0; i < sizeof counting_words / sizeof counting_words[0]; i++)
		add(counting_words[i]);
	for (size_t i = 0; i < sizeof reports_words / sizeof reports_words[0]; i++)
		add(reports_words[i]);
}

static void help_draw(struct tui *t)
{
	int rows = t->body_rows;
	if (help.top > help.n - rows)
		help.top = help.n - rows;
	if (help.top < 0)
		help.top = 0;
	for (int i = 0; i < rows && help.top + i < help.n; i++) {
		const char *s = help.lines[help.top + i];
		bool head = s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z' && s[3] != ' ';
		draw_text(t->body_top + i, 1, draw_cols() - 2, s, head ? ROLE_TITLE : ROLE_NORMAL, false);
	}
}

static int help_key(struct tui *t, int key, enum action a)
{
	(void)key;
	int page = t->body_rows > 1 ? t->body_rows - 1 : 1;
	switch (a) {
	case ACT_UP: help.top--; break;
	case ACT_DOWN: help.top++; break;
	case ACT_PGUP: help.top -= page; break;
	case ACT_PGDN: help.top += page; break;
	case ACT_CANCEL:
		t->want = t->prev == SCR_HELP ? SCR_LOGIN : t->prev;
		return R_SWITCH;
	default: return R_UNKNOWN;
	}
	if (help.top < 0)
		help.top = 0;
	return R_NONE;
}

const struct screen_ops scr_help_ops = {
	.title = "Help",
	.actions = help_actions,
	.enter = help_enter,
	.draw = help_draw,
	.key = help_key,
};
