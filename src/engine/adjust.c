/* Adjustment documents and reversals: the seed's "Adjust Inventory". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "engine/rules.h"

typedef struct resolved {
	int64_t item_id, reason_id;
} resolved;

typedef struct doc_head {
	int64_t store_id;
	iv_store store;
	clock_reading now;
	iv_date today; /* the store's */
	iv_date date;
	char tdate[IV_DATE_ISO_LEN];
} doc_head;

static iv_status line_fail(iv_line_out *o, iv_status st, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static iv_status line_fail(iv_line_out *o, iv_status st, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(o->message, sizeof o->message, fmt, ap);
	va_end(ap);
	snprintf(o->field, sizeof o->field, "%s", field);
	o->status = st;
	return st;
}

static iv_status check_head(iv_db *db, const iv_document *doc, doc_head *h)
{
	iv_status rc = iv_find_store(db, doc->store, &h->store_id, &h->store);
	if (rc == IV_OK && (rc = clock_read(db, &h->now)) == IV_OK)
		rc = clock_day(db, &h->now, h->store.tz, &h->today);
	if (rc == IV_OK)
		rc = iv_parse_date(db, doc->date, "Date", h->today, &h->date);
	if (rc != IV_OK)
		return rc;
	date_format(h->date, h->tdate);
	if (doc->nlines == 0)
		return iv_fail(db, IV_E_INVALID, "the adjustment has no lines; enter at least one item");
	return IV_OK;
}

/* Validates one line: item, reason, Diff, memo, threshold, and the
 * negative-stock rule given the earlier lines of the same document. */
static iv_status check_line(iv_db *db, const doc_head *h, const iv_line_in *in, size_t k,
                            const resolved *res, const iv_line_out *outs, resolved *r, iv_line_out *o)
{
	memset(o, 0, sizeof *o);
	memset(r, 0, sizeof *r);
	iv_status rc = iv_find_item(db, in->item, &r->item_id, &o->item);
	if (rc != IV_OK)
		return line_fail(o, rc, "Item Number", "%s", db->errmsg);
	if (!in->reason || !*in->reason)
		return line_fail(o, IV_E_INVALID, "Reason Code", "Reason Code: a reason code is required");
	iv_reason reason;
	rc = store_reason_find(db->st, in->reason, &r->reason_id, &reason);
	if (rc == IV_E_NOT_FOUND)
		return line_fail(o, IV_E_NOT_FOUND, "Reason Code",
		                 "Reason Code: \"%s\" is not a known reason code", in->reason);
	if (rc != IV_OK)
		return line_fail(o, rc, "Reason Code", "%s", store_errmsg(db->st));
	snprintf(o->reason, sizeof o->reason, "%s", reason.code);
	rc = iv_parse_diff(db, in->diff, "Diff", &o->diff);
	if (rc != IV_OK)
		return line_fail(o, rc, "Diff", "%s", db->errmsg);
	char msg[IV_MSG_MAX];
	if (!field_text("Memo", in->memo, IV_MEMO_MAX, true, msg, sizeof msg))
		return line_fail(o, IV_E_INVALID, "Memo", "%s", msg);
	iv_qty pending = 0;
	for (size_t j = 0; j < k; j++)
		if (res[j].item_id == r->item_id && outs[j].status == IV_OK)
			pending += outs[j].diff;
	/* The threshold counts the user's earlier lines of the same store,
	 * item and date: saved ones, and this document's. */
	iv_qty user_day = 0;
	if (h->store.approval_threshold > 0 && db->logged_in &&
	    (rc = store_user_day_get(db->st, db->user.id, h->store_id, r->item_id, h->tdate,
	                             &user_day)) != IV_OK)
		return line_fail(o, rc, "Diff", "%s", store_errmsg(db->st));
	o->needs_approval = rule_needs_approval(h->store.approval_threshold, user_day + pending, o->diff);
	rc = ledger_check_negative(db, &h->store, h->store_id, r->item_id, o->item.number, pending,
	                           o->diff, h->date, h->today, &o->net_available, msg, sizeof msg);
	o->new_qty = o->net_available + o->diff;
	o->back_dated = h->date < h->today;
	o->net_on_date = o->net_available;
	if (o->back_dated && rc == IV_OK) {
		/* what the store had that day, for a screen to show beside today's */
		iv_status r2 = store_balance_asof(db->st, h->store_id, r->item_id, h->tdate, &o->net_on_date);
		if (r2 != IV_OK)
			return line_fail(o, r2, "Diff", "%s", store_errmsg(db->st));
		o->net_on_date += pending;
	}
	o->new_qty_on_date = o->net_on_date + o->diff;
	if (rc == IV_E_REFUSED)
		return line_fail(o, rc, "Diff", "%s", msg);
	if (rc != IV_OK)
		return line_fail(o, rc, "Diff", "%s", db->errmsg);
	return IV_OK;
}

/* Checks every line; the first refusal becomes the document's status
 * and message. */
static iv_status check_lines(iv_db *db, const iv_document *doc, const doc_head *h,
                             resolved *res, iv_line_out *out)
{
	size_t first = doc->nlines;
	for (size_t k = 0; k < doc->nlines; k++)
		if (check_line(db, h, &doc->lines[k], k, res, out, &res[k], &out[k]) != IV_OK &&
		    first == doc->nlines)
			first = k;
	if (first == doc->nlines)
		return IV_OK;
	if (doc->nlines == 1)
		return iv_fail(db, out[first].status, "%s", out[first].message);
	return iv_fail(db, out[first].status, "line %zu: %s", first + 1, out[first].message);
}

/* The checks of a document, in the open transaction: the same in a
 * preview and under the write lock (where the store's lock, a no-op in
 * a preview, is what the rest is read under). */
static iv_status check_doc(iv_db *db, const iv_document *doc, doc_head *h, resolved *res,
                           iv_line_out *out)
{
	iv_status rc = check_head(db, doc, h);
	if (rc == IV_OK)
		rc = ledger_lock_stores(db, &h->store_id, 1);
	if (rc == IV_OK)
		rc = check_lines(db, doc, h, res, out);
	return rc;
}

iv_status iv_doc_preview(iv_db *db, const iv_document *doc, iv_line_out *out)
{
	resolved *res = calloc(doc->nlines ? doc->nlines : 1, sizeof *res);
	if (!res)
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	doc_head h;
	iv_status rc = store_begin(db->st, false); /* one consistent snapshot for all lines */
	if (rc == IV_OK) {
		rc = check_doc(db, doc, &h, res, out);
		store_rollback(db->st);
	} else {
		rc = iv_fail_store(db, rc);
	}
	free(res);
	return rc;
}

static bool any_needs_approval(const iv_line_out *out, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (out[k].needs_approval)
			return true;
	return false;
}

iv_status iv_doc_post(iv_db *db, const iv_document *doc, iv_line_out *out, int64_t *document_no)
{
	iv_status rc = iv_need_login(db);
	if (rc != IV_OK)
		return rc;
	/* A first look outside the transaction tells whether a supervisor
	 * must approve; the approval (a slow PIN check) is done before the
	 * write lock is taken, and every rule is checked again under it.
	 * What the first look reads is sent again ahead with the write
	 * transaction's BEGIN (store_read_ahead_note): one round trip on a
	 * server for all of the second look's reads. */
	store_read_ahead_note(db->st, true);
	rc = iv_doc_preview(db, doc, out);
	store_read_ahead_note(db->st, false);
	if (rc != IV_OK)
		return rc;
	iv_user approver = {0};
	if (any_needs_approval(out, doc->nlines) &&
	    (rc = iv_check_approval(db, doc->approval, "a Diff above the store's approval threshold",
	                            &approver)) != IV_OK)
		return rc;
	doc_head h;
	resolved *res = calloc(doc->nlines, sizeof *res);
	if (!res)
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	if ((rc = store_begin(db->st, true)) != IV_OK ||
	    (rc = store_read_ahead_send(db->st, doc->nlines)) != IV_OK) {
		store_rollback(db->st);
		free(res);
		return iv_fail_store(db, rc);
	}
	rc = check_doc(db, doc, &h, res, out);
	if (rc == IV_OK && any_needs_approval(out, doc->nlines) && approver.id == 0)
		rc = iv_fail(db, IV_E_PERMISSION, "the store's approval threshold changed meanwhile; "
		                                  "save again to be asked for a supervisor's approval");
	ledger_chains chains = {0};
	if (rc == IV_OK)
		rc = ledger_chains_init(db, &chains);
	chains.ids_hint = (int64_t)doc->nlines;
	char now[32];
	clock_utc_text(&h.now, now);
	int64_t document = 0;
	for (size_t k = 0; rc == IV_OK && k < doc->nlines; k++) {
		store_ledger_rec rec = {
			.document = document,
			.store_id = h.store_id,
			.item_id = res[k].item_id,
			.item_number = out[k].item.number,
			.reason_id = res[k].reason_id,
			.diff = out[k].diff,
			.user_id = db->user.id,
			.approved_by = out[k].needs_approval ? approver.id : 0,
			.memo = doc->lines[k].memo ? doc->lines[k].memo : "",
		};
		row_names names = {h.store.code, out[k].reason, db->user.name, approver.name};
		snprintf(rec.tdate, sizeof rec.tdate, "%s", h.tdate);
		snprintf(rec.recorded_at, sizeof rec.recorded_at, "%s", now);
		rc = ledger_append(db, &chains, &rec, &names, false);
		out[k].id = rec.id;
		document = rec.document;
	}
	if (rc == IV_OK)
		rc = ledger_sign(db, &chains, doc->approval);
	ledger_chains_free(&chains);
	free(res);
	if (rc != IV_OK) {
		store_rollback(db->st);
		for (size_t k = 0; k < doc->nlines; k++)
			out[k].id = 0;
		return rc;
	}
	if ((rc = store_commit(db->st)) != IV_OK) {
		for (size_t k = 0; k < doc->nlines; k++)
			out[k].id = 0;
		return iv_fail_store(db, rc);
	}
	*document_no = document;
	return IV_OK;
}

/* ---- reversal ---- */

typedef struct rev_plan {
	store_ledger_rec orig;
	iv_ledger_row row;
	iv_store store;
	clock_reading now;
	iv_date today; /* the store's: a reversal is dated today */
	int64_t reason_id;
	iv_item item; /* as it is numbered now: the reversal is posted under that */
} rev_plan;

/* The rules of reversal, checked in the current transaction. */
static iv_status plan_reversal(iv_db *db, int64_t id, const char *reason, rev_plan *p, iv_line_out *o)
{
	memset(o, 0, sizeof *o);
	iv_status rc = store_ledger_get(db->st, id, &p->row, &p->orig);
	if (rc != IV_OK)
		return line_fail(o, rc, "Id", "%s", store_errmsg(db->st));
	snprintf(o->item.number, sizeof o->item.number, "%s", p->row.item);
	o->diff = -p->row.diff;
	rule_rev_row orig = {id, p->orig.store_id, p->orig.item_id, p->row.reverses, p->row.diff};
	switch (rule_reverse(&orig, p->row.reversed_by != 0, NULL)) {
	case RULE_REVERSAL_OF_REVERSAL:
		return line_fail(o, IV_E_REFUSED, "Id",
		                 "adjustment #%lld is itself a reversal (of #%lld) and cannot be reversed; "
		                 "enter a new adjustment instead",
		                 (long long)id, (long long)p->row.reverses);
	case RULE_REVERSAL_TWICE:
		return line_fail(o, IV_E_REFUSED, "Id", "adjustment #%lld was already reversed by #%lld",
		                 (long long)id, (long long)p->row.reversed_by);
	default: break;
	}
	const char *code = reason && *reason ? reason : "REV";
	iv_reason r;
	rc = store_reason_find(db->st, code, &p->reason_id, &r);
	if (rc == IV_E_NOT_FOUND)
		return line_fail(o, rc, "Reason Code", "Reason Code: \"%s\" is not a known reason code", code);
	if (rc != IV_OK)
		return line_fail(o, rc, "Reason Code", "%s", store_errmsg(db->st));
	snprintf(o->reason, sizeof o->reason, "%s", r.code);
	int64_t sid;
	rc = store_store_find(db->st, p->row.store, &sid, &p->store);
	if (rc != IV_OK)
		return line_fail(o, rc, "Store", "%s", store_errmsg(db->st));
	if ((rc = iv_item_by_id(db, p->orig.item_id, &p->item)) != IV_OK)
		return line_fail(o, rc, "Id", "%s", db->errmsg);
	o->item = p->item;
	if ((rc = clock_read(db, &p->now)) != IV_OK ||
	    (rc = clock_day(db, &p->now, p->store.tz, &p->today)) != IV_OK)
		return line_fail(o, rc, "Date", "%s", db->errmsg);
	char msg[IV_MSG_MAX];
	rc = ledger_check_negative(db, &p->store, p->orig.store_id, p->orig.item_id, p->item.number, 0,
	                           o->diff, p->today, p->today, &o->net_available, msg, sizeof msg);
	o->new_qty = o->net_available + o->diff;
	if (rc == IV_E_REFUSED)
		return line_fail(o, rc, "Diff", "reversing #%lld: %s", (long long)id, msg);
	if (rc != IV_OK)
		return line_fail(o, rc, "Diff", "%s", db->errmsg);
	o->needs_approval = !db->logged_in || db->user.role == IV_ROLE_CLERK;
	return IV_OK;
}

iv_status iv_reverse_preview(iv_db *db, int64_t id, iv_line_out *out)
{
	rev_plan p;
	iv_status rc = store_begin(db->st, false);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	rc = plan_reversal(db, id, NULL, &p, out);
	store_rollback(db->st);
	return rc == IV_OK ? IV_OK : iv_fail(db, rc, "%s", out->message);
}

iv_status iv_reverse(iv_db *db, const iv_reversal *rev, iv_line_out *out)
{
	iv_status rc = iv_need_login(db);
	if (rc != IV_OK)
		return rc;
	char msg[IV_MSG_MAX];
	if (!field_text("Memo", rev->memo, IV_MEMO_MAX, true, msg, sizeof msg))
		return iv_fail(db, IV_E_INVALID, "%s", msg);
	iv_user approver;
	if ((rc = iv_check_approval(db, rev->approval, "a reversal", &approver)) != IV_OK)
		return rc;
	if ((rc = store_begin(db->st, true)) != IV_OK)
		return iv_fail_store(db, rc);
	/* The row's store is known once it is read (rows never change); its
	 * lock, then the plan again from what the store's writers left, its
	 * reads all sent at once behind the lock (store_read_ahead_note). */
	rev_plan p;
	store_read_ahead_note(db->st, true);
	rc = plan_reversal(db, rev->id, rev->reason, &p, out);
	store_read_ahead_note(db->st, false);
	if (rc == IV_OK && store_locks_per_store(db->st)) {
		if ((rc = store_lock_stores(db->st, &p.orig.store_id, 1)) != IV_OK ||
		    (rc = store_read_ahead_send(db->st, 1)) != IV_OK)
			snprintf(out->message, sizeof out->message, "%s", store_errmsg(db->st));
		else
			rc = plan_reversal(db, rev->id, rev->reason, &p, out);
	}
	if (rc != IV_OK) {
		store_rollback(db->st);
		return iv_fail(db, rc, "%s", out->message);
	}
	ledger_chains chains;
	store_ledger_rec rec = {
		.store_id = p.orig.store_id,
		.item_id = p.orig.item_id,
		.item_number = p.item.number,
		.reason_id = p.reason_id,
		.diff = -p.orig.diff,
		.user_id = db->user.id,
		.approved_by = approver.id,
		.reverses = rev->id,
		.memo = rev->memo ? rev->memo : "",
	};
	row_names names = {p.store.code, out->reason, db->user.name, approver.name};
	date_format(p.today, rec.tdate);
	clock_utc_text(&p.now, rec.recorded_at);
	rc = ledger_chains_init(db, &chains);
	if (rc == IV_OK)
		rc = ledger_append(db, &chains, &rec, &names, false);
	if (rc == IV_OK)
		rc = ledger_sign(db, &chains, rev->approval);
	ledger_chains_free(&chains);
	if (rc == IV_OK && (rc = store_commit(db->st)) != IV_OK)
		return iv_fail_store(db, rc);
	if (rc != IV_OK) {
		store_rollback(db->st);
		return rc;
	}
	out->id = rec.id;
	out->needs_approval = false;
	return IV_OK;
}
