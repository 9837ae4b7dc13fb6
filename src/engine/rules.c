/* The rules of the ledger (rules.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "engine/rules.h"

bool rule_stock_ok(const rule_stock *in, rule_stock_fault *fault)
{
	memset(fault, 0, sizeof *fault);
	if (in->allow_negative || in->diff >= 0)
		return true;
	if (in->net + in->diff < 0) {
		fault->new_qty = true;
		fault->balance = in->net + in->diff;
		return false;
	}
	if (!in->back_dated)
		return true;
	iv_qty running = in->at_date + in->diff;
	if (running < 0) {
		fault->balance = running;
		fault->day = in->date;
		return false;
	}
	for (size_t k = 0; k < in->nlater; k++) {
		running += in->later[k].diff;
		/* A day's movements count together before it is checked. */
		bool day_ends = k + 1 == in->nlater || in->later[k + 1].date != in->later[k].date;
		if (day_ends && running < 0) {
			fault->balance = running;
			fault->day = in->later[k].date;
			return false;
		}
	}
	return true;
}

bool rule_stock_surely_ok(const rule_stock *in, iv_qty low)
{
	if (in->allow_negative || in->diff >= 0)
		return true;
	if (in->net + in->diff < 0)
		return false;
	return !in->back_dated || low + in->diff >= 0;
}

void rule_stock_text(const rule_stock *in, const rule_stock_fault *f, const char *store,
                     const char *item, char *msg, size_t size)
{
	if (f->new_qty) {
		snprintf(msg, size, "New Qty would be %lld at store %s for item %s; negative stock is not allowed",
		         (long long)f->balance, store, item);
		return;
	}
	char date[IV_DATE_ISO_LEN], day[IV_DATE_ISO_LEN];
	date_format(in->date, date);
	date_format(f->day, day);
	snprintf(msg, size,
	         "back-dated to %s, this would make the balance at store %s for item %s %lld on %s; "
	         "negative stock is not allowed",
	         date, store, item, (long long)f->balance, day);
}

bool rule_needs_approval(iv_qty threshold, iv_qty before, iv_qty diff)
{
	iv_qty sum = before + diff;
	return threshold > 0 && (sum > threshold || -sum > threshold);
}

rule_approval rule_approver(const rule_user *author, const rule_user *approver)
{
	if (!approver->known)
		return RULE_APPROVER_UNKNOWN;
	if (approver->role == IV_ROLE_CLERK)
		return RULE_APPROVER_CLERK;
	if (!approver->enabled)
		return RULE_APPROVER_DISABLED;
	/* A supervisor's or admin's session approves its own lines: invadj
	 * never writes another approver on them. */
	if (author->known && author->role != IV_ROLE_CLERK && approver->id != author->id)
		return RULE_APPROVER_NOT_SELF;
	return RULE_APPROVAL_OK;
}

const char *rule_approval_text(rule_approval a)
{
	switch (a) {
	case RULE_APPROVAL_OK: return "approved";
	case RULE_APPROVER_UNKNOWN: return "the approver is not a user";
	case RULE_APPROVER_CLERK: return "the approver is a clerk; a supervisor or admin must approve";
	case RULE_APPROVER_DISABLED: return "the approver was disabled";
	case RULE_APPROVER_NOT_SELF:
		return "a supervisor's or admin's own line is approved by themself, not by another user";
	}
	return "?";
}

bool rule_may(const rule_user *u, rule_action a)
{
	if (!u->known || !u->enabled)
		return false;
	switch (a) {
	case RULE_POST: return true;
	case RULE_EDIT_MASTER:
	case RULE_CHECKPOINT:
	case RULE_LIST_USERS:
	case RULE_REPORT: return u->role != IV_ROLE_CLERK;
	case RULE_EDIT_MASTER_SERVER:
	case RULE_ADMIN_USERS: return u->role == IV_ROLE_ADMIN;
	case RULE_SEE_BLIND: return u->role != IV_ROLE_CLERK;
	}
	return false;
}

rule_reversal rule_reverse(const rule_rev_row *orig, bool already_reversed, const rule_rev_row *rev)
{
	if (!orig)
		return RULE_REVERSAL_MISSING;
	if (orig->reverses)
		return RULE_REVERSAL_OF_REVERSAL;
	if (already_reversed)
		return RULE_REVERSAL_TWICE;
	if (!rev)
		return RULE_REVERSAL_OK;
	if (orig->id >= rev->id)
		return RULE_REVERSAL_NOT_EARLIER;
	if (orig->store_id != rev->store_id || orig->item_id != rev->item_id || orig->diff != -rev->diff)
		return RULE_REVERSAL_NOT_MIRROR;
	return RULE_REVERSAL_OK;
}

bool rule_date_ok(iv_date tdate, iv_date saved_day)
{
	return tdate <= saved_day;
}

bool rule_in_order(const char *prev_recorded_at, const char *recorded_at)
{
	return strcmp(prev_recorded_at, recorded_at) <= 0;
}

static bool digits(const char *p, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	return true;
}

bool rule_recorded_at_valid(const char *t)
{
	iv_date d;
	char day[IV_DATE_ISO_LEN];
	if (strlen(t) != 24 || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != '.' ||
	    t[23] != 'Z' || !digits(t + 11, 2) || !digits(t + 14, 2) || !digits(t + 17, 2) ||
	    !digits(t + 20, 3))
		return false;
	memcpy(day, t, 10);
	day[10] = '\0';
	int h = (t[11] - '0') * 10 + (t[12] - '0'), m = (t[14] - '0') * 10 + (t[15] - '0'),
	    s = (t[17] - '0') * 10 + (t[18] - '0');
	return rule_tdate_valid(day, &d) && h < 24 && m < 60 && s < 61;
}

bool rule_tdate_valid(const char *t, iv_date *out)
{
	char again[IV_DATE_ISO_LEN];
	if (strlen(t) != 10 || t[4] != '-' || t[7] != '-' || !date_parse(t, out))
		return false;
	date_format(*out, again);
	return strcmp(again, t) == 0;
}

/* ---- unit costs and values ---- */

bool rule_value(int64_t lines, iv_qty net, bool has_cost, iv_money cost, iv_money *value,
                int64_t *unvalued)
{
	*value = 0;
	*unvalued = has_cost ? 0 : lines;
	return !has_cost || money_value(net, cost, value);
}

iv_date rule_cost_from(iv_date today, bool has_prev, iv_date prev_from)
{
	return has_prev && prev_from > today ? prev_from : today;
}

bool rule_cost_from_ok(iv_date from, iv_date recorded_day, bool has_prev, iv_date prev_from)
{
	return from <= rule_cost_from(recorded_day, has_prev, prev_from) && (!has_prev || from >= prev_from);
}

/* ---- counts ---- */

void rule_counted_start(rule_counted *c, int64_t start_seq)
{
	*c = (rule_counted){.moment = start_seq};
}

void rule_counted_add(rule_counted *c, const rule_scan *s)
{
	if (s->undone || s->kind == IV_SCAN_UNDO)
		return;
	c->counted = true;
	if (s->kind == IV_SCAN_SET) {
		/* a recount: what is on the shelf now, against Net Available now */
		c->qty = s->qty;
		c->moment = s->seq;
		c->recounted = true;
	} else {
		c->qty += s->qty;
	}
}

bool rule_scan_fits(const rule_counted *c, const rule_scan *s)
{
	if (s->qty < 0 || s->qty > RULE_COUNT_MAX)
		return false;
	return s->kind != IV_SCAN_ADD || c->qty <= RULE_COUNT_MAX - s->qty;
}

iv_qty rule_count_diff(iv_qty counted, iv_qty at_moment)
{
	return counted - at_moment;
}

bool rule_may_end_count(const rule_user *u, int64_t started_by)
{
	return u->known && u->enabled && (u->id == started_by || u->role != IV_ROLE_CLERK);
}
