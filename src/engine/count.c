/* Counts (include/invadj/count.h): starting one, scanning into it,
 * undoing a scan, reading and listing counts, cancelling one.  The
 * lines and their snapshot are count_lines.c's, posting count_post.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/count_internal.h"
#include "engine/rules.h"
#include "invadj/csv.h"
#include "invadj/hmap.h"

const char *iv_count_scope_name(iv_count_scope s)
{
	static const char *const names[] = {"scanned", "items", "all"};
	return (unsigned)s < 3 ? names[s] : "?";
}

const char *iv_count_status_name(iv_count_status s)
{
	static const char *const names[] = {"open", "posted", "cancelled"};
	return (unsigned)s < 3 ? names[s] : "?";
}

/* ---- reading a count ---- */

iv_status count_load(iv_db *db, int64_t id, bool tally, store_count *out)
{
	iv_status rc = store_count_get(db->st, id, tally, out);
	if (rc == IV_E_NOT_FOUND)
		return iv_fail(db, rc, "Count: there is no count %lld", (long long)id);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

/* Refuses, in words (by whom and when), a count that ended. */
static iv_status must_be_open(iv_db *db, const store_count *c)
{
	if (c->status == IV_COUNT_OPEN)
		return IV_OK;
	if (c->status == IV_COUNT_POSTED)
		return iv_fail(db, IV_E_REFUSED, "count %lld was already posted by %s at %s: a count posts once",
		               (long long)c->id, c->ended_by, c->ended_at);
	return iv_fail(db, IV_E_REFUSED, "count %lld was cancelled by %s at %s", (long long)c->id, c->ended_by,
	               c->ended_at);
}

iv_status count_load_open(iv_db *db, int64_t id, store_count *out)
{
	iv_status rc = count_load(db, id, false, out);
	return rc == IV_OK ? must_be_open(db, out) : rc;
}

bool count_hidden(const iv_db *db, const store_count *c)
{
	rule_user u;
	iv_session_rule_user(db, &u);
	return c->blind && !rule_may(&u, RULE_SEE_BLIND);
}

static bool first_row(void *ctx, const store_ledger_rec *rec)
{
	*(int64_t *)ctx = rec->document;
	return false;
}

iv_status count_info(iv_db *db, const store_count *c, iv_count_info *out)
{
	memset(out, 0, sizeof *out);
	out->id = c->id;
	snprintf(out->store, sizeof out->store, "%s", c->store_code);
	out->blind = c->blind;
	out->scope = c->scope;
	snprintf(out->memo, sizeof out->memo, "%s", c->memo);
	snprintf(out->started_by, sizeof out->started_by, "%s", c->started_by);
	snprintf(out->started_at, sizeof out->started_at, "%s", c->started_at);
	snprintf(out->count_day, sizeof out->count_day, "%s", c->count_day);
	out->status = c->status;
	snprintf(out->ended_by, sizeof out->ended_by, "%s", c->ended_by);
	snprintf(out->ended_at, sizeof out->ended_at, "%s", c->ended_at);
	out->batch = c->batch_id;
	out->zero_uncounted = c->zero_uncounted;
	out->scans = c->scans;
	out->items = c->items;
	iv_store s;
	iv_status rc = iv_find_store(db, c->store_code, NULL, &s);
	if (rc != IV_OK)
		return rc;
	clock_local_text(db, s.tz, c->started_at, out->started_local, sizeof out->started_local);
	if (c->batch_id && (rc = store_ledger_each_in_batch(db->st, c->batch_id, first_row, &out->document)) != IV_OK)
		return iv_fail_store(db, rc);
	return IV_OK;
}

iv_status iv_count_get(iv_db *db, int64_t id, iv_count_info *out)
{
	iv_status rc = store_begin(db->st, false);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	store_count c;
	if ((rc = count_load(db, id, true, &c)) == IV_OK)
		rc = count_info(db, &c, out);
	store_rollback(db->st);
	return rc;
}

typedef struct count_listing {
	iv_db *db;
	iv_count_info_cb cb;
	void *ctx;
	iv_status status;
} count_listing;

static bool list_one(void *ctx, const store_count *c)
{
	count_listing *l = ctx;
	iv_count_info info;
	if ((l->status = count_info(l->db, c, &info)) != IV_OK)
		return false;
	return l->cb(l->ctx, &info);
}

iv_status iv_count_list(iv_db *db, const char *store_code, bool all, iv_count_info_cb cb, void *ctx)
{
	store_count_filter f = {0};
	char since[32];
	iv_status rc = IV_OK;
	if (!all) {
		clock_reading now;
		if ((rc = clock_read(db, &now)) != IV_OK)
			return rc;
		now.unix_ms -= (int64_t)IV_COUNT_RECENT_DAYS * 86400 * 1000;
		clock_utc_text(&now, since);
		f.ended_since = since;
	}
	if ((rc = store_begin(db->st, false)) != IV_OK)
		return iv_fail_store(db, rc);
	if (store_code && *store_code)
		rc = iv_find_store(db, store_code, &f.store_id, NULL);
	count_listing l = {db, cb, ctx, IV_OK};
	if (rc == IV_OK && (rc = store_count_each(db->st, &f, list_one, &l)) != IV_OK)
		rc = iv_fail_store(db, rc);
	store_rollback(db->st);
	return rc == IV_OK ? l.status : rc;
}

/* ---- starting one ---- */

typedef struct item_list {
	int64_t *ids;
	size_t n, cap;
	hmap *seen;
} item_list;

static void item_list_free(item_list *l)
{
	free(l->ids);
	hmap_free(l->seen);
}

/* The items of an --items file: a CSV file with an ItemNumber column;
 * each row's item found by any identifier, each item once. */
static iv_status read_item_list(iv_db *db, const char *path, item_list *out)
{
	if (!path || !*path)
		return iv_fail(db, IV_E_INVALID, "Items file: a file listing the items to count is required");
	FILE *f = fopen(path, "rb");
	if (!f)
		return iv_fail(db, IV_E_IO, "Items file: cannot open %s", path);
	csv_reader *r = csv_open(f);
	if (!r || !(out->seen = hmap_new())) {
		csv_close(r);
		fclose(f);
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	}
	char **fields;
	size_t n, ncols = 0;
	int col = -1;
	csv_result cr = csv_next(r, &fields, &n);
	iv_status rc = IV_OK;
	if (cr == CSV_RECORD) {
		ncols = n;
		for (size_t k = 0; k < n; k++)
			if (strcasecmp(fields[k], "ItemNumber") == 0)
				col = (int)k;
	}
	if (cr == CSV_RECORD && col < 0)
		rc = iv_fail(db, IV_E_INVALID,
		             "Items file: %s has no ItemNumber column; its first line must name the columns", path);
	while (rc == IV_OK && cr == CSV_RECORD && (cr = csv_next(r, &fields, &n)) == CSV_RECORD) {
		uint64_t line = csv_line(r);
		if (n != ncols) {
			rc = iv_fail(db, IV_E_INVALID, "Items file, line %llu: %zu fields where the header has %zu",
			             (unsigned long long)line, n, ncols);
			break;
		}
		int64_t id;
		if ((rc = iv_find_item(db, fields[col], &id, NULL)) != IV_OK) {
			char why[IV_MSG_MAX];
			snprintf(why, sizeof why, "%s", iv_errmsg(db));
			rc = iv_fail(db, rc, "Items file, line %llu: %s", (unsigned long long)line, why);
			break;
		}
		int created;
		if (!hmap_put(out->seen, &id, sizeof id, 0, &created)) {
			rc = iv_fail(db, IV_E_NOMEM, "out of memory");
			break;
		}
		if (!created)
			continue;
		if (out->n == out->cap) {
			size_t cap = out->cap ? 2 * out->cap : 64;
			int64_t *v = realloc(out->ids, cap * sizeof *v);
			if (!v) {
				rc = iv_fail(db, IV_E_NOMEM, "out of memory");
				break;
			}
			out->ids = v;
			out->cap = cap;
		}
		out->ids[out->n++] = id;
	}
	if (rc == IV_OK && cr == CSV_ERROR)
		rc = iv_fail(db, IV_E_INVALID, "Items file: %s", csv_error(r));
	if (rc == IV_OK && out->n == 0)
		rc = iv_fail(db, IV_E_INVALID, "Items file: %s lists no items to count", path);
	csv_close(r);
	fclose(f);
	return rc;
}

static iv_status start_locked(iv_db *db, const iv_count_start_in *in, const item_list *items, int64_t *id)
{
	store_count c = {.blind = in->blind, .scope = in->scope, .user_id = db->user.id};
	iv_store s;
	iv_status rc = iv_find_store(db, in->store, &c.store_id, &s);
	clock_reading now;
	iv_date day;
	if (rc == IV_OK && (rc = clock_read(db, &now)) == IV_OK)
		rc = clock_day(db, &now, s.tz, &day);
	if (rc != IV_OK)
		return rc;
	clock_utc_text(&now, c.started_at);
	date_format(day, c.count_day);
	snprintf(c.memo, sizeof c.memo, "%s", in->memo ? in->memo : "");
	/* The count's moment: the place of the store's chain now, under the
	 * write lock, so that no row can come between it and the start. */
	store_chain_pos head;
	if ((rc = store_chain_head(db->st, c.store_id, &head)) != IV_OK)
		return iv_fail_store(db, rc);
	c.start_seq = head.seq;
	if ((rc = store_count_insert(db->st, &c)) != IV_OK)
		return iv_fail_store(db, rc);
	for (size_t k = 0; k < items->n; k++)
		if ((rc = store_count_item_add(db->st, c.id, items->ids[k])) != IV_OK)
			return iv_fail_store(db, rc);
	*id = c.id;
	return IV_OK;
}

iv_status iv_count_start(iv_db *db, const iv_count_start_in *in, int64_t *id)
{
	*id = 0;
	iv_status rc = iv_need_login(db);
	if (rc != IV_OK)
		return rc;
	char msg[IV_MSG_MAX];
	if (!field_text("Memo", in->memo, IV_MEMO_MAX, true, msg, sizeof msg))
		return iv_fail(db, IV_E_INVALID, "%s", msg);
	if (in->scope != IV_COUNT_ITEMS && in->items_path && *in->items_path)
		return iv_fail(db, IV_E_INVALID, "Items file: a list of items is for a count of listed items only");
	if ((unsigned)in->scope > IV_COUNT_ALL)
		return iv_fail(db, IV_E_INVALID, "Scope: not scanned, items or all");
	item_list items = {0};
	if (in->scope == IV_COUNT_ITEMS && (rc = read_item_list(db, in->items_path, &items)) != IV_OK) {
		item_list_free(&items);
		return rc;
	}
	/* the file was read before the lock: items are never removed, so
	 * the ids found stay good */
	if ((rc = store_begin(db->st, true)) != IV_OK) {
		item_list_free(&items);
		return iv_fail_store(db, rc);
	}
	rc = start_locked(db, in, &items, id);
	item_list_free(&items);
	if (rc != IV_OK) {
		store_rollback(db->st);
		*id = 0;
		return rc;
	}
	if ((rc = store_commit(db->st)) != IV_OK) {
		*id = 0;
		return iv_fail_store(db, rc);
	}
	return IV_OK;
}

/* ---- scans ---- */

typedef struct fold {
	rule_counted counted;
} fold;

static bool fold_scan(void *ctx, const store_count_scan *s)
{
	fold *f = ctx;
	rule_scan r = {s->kind, s->qty, s->seq, s->undone};
	rule_counted_add(&f->counted, &r);
	return true;
}

iv_status count_counted(iv_db *db, const store_count *c, int64_t item_id, rule_counted *out)
{
	fold f;
	rule_counted_start(&f.counted, c->start_seq);
	iv_status rc = store_count_scans(db->st, c->id, item_id, fold_scan, &f);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	*out = f.counted;
	return IV_OK;
}

/* A scan's quantity as typed: 1 when none; a whole number, 1 or more
 * (a set: 0 or more). */
static iv_status parse_scan_qty(iv_db *db, const iv_scan_in *in, iv_qty *out)
{
	if (!in->qty || !*in->qty) {
		if (in->set)
			return iv_fail(db, IV_E_INVALID, "Qty: a recount needs the quantity counted");
		*out = 1;
		return IV_OK;
	}
	qty_error e = qty_parse(in->qty, out);
	if (e != QTY_OK)
		return iv_fail(db, IV_E_INVALID, "Qty: \"%s\" %s", in->qty, qty_error_text(e));
	if (*out < (in->set ? 0 : 1))
		return iv_fail(db, IV_E_INVALID, "Qty: %s must be %s", in->qty,
		               in->set ? "0 or more (the number counted)"
		                       : "1 or more (a scan adds; undo one with count undo, or recount with --set)");
	return IV_OK;
}

/* The session user's scan, written in the caller's write transaction;
 * out gets the item's Counted after it. */
static iv_status add_scan(iv_db *db, const store_count *c, store_count_scan *s, iv_scan_out *out)
{
	rule_counted counted;
	iv_status rc = count_counted(db, c, s->item_id, &counted);
	if (rc != IV_OK)
		return rc;
	rule_scan r = {s->kind, s->qty, s->seq, false};
	if (s->kind != IV_SCAN_UNDO && !rule_scan_fits(&counted, &r))
		return iv_fail(db, IV_E_INVALID, "Qty: item %s would be counted %lld, above %lld", out->item.number,
		               (long long)(counted.qty + s->qty), (long long)RULE_COUNT_MAX);
	s->count_id = c->id;
	s->user_id = db->user.id;
	if ((rc = clock_now_text(db, s->recorded_at)) != IV_OK)
		return rc;
	if ((rc = store_count_scan_insert(db->st, s)) != IV_OK)
		return iv_fail_store(db, rc);
	if (s->kind == IV_SCAN_UNDO) {
		/* what the item counts without the scan undone */
		if ((rc = count_counted(db, c, s->item_id, &counted)) != IV_OK)
			return rc;
	} else {
		rule_counted_add(&counted, &r); /* under the write lock: nobody scanned meanwhile */
	}
	out->scan = s->id;
	out->kind = s->kind;
	out->qty = s->qty;
	out->counted = counted.qty;
	return IV_OK;
}

static iv_status add_locked(iv_db *db, const iv_scan_in *in, iv_qty qty, iv_scan_out *out)
{
	store_count c;
	iv_status rc = count_load_open(db, in->count, &c);
	store_count_scan s = {.kind = in->set ? IV_SCAN_SET : IV_SCAN_ADD, .qty = qty};
	if (rc == IV_OK)
		rc = iv_find_item(db, in->item, &s.item_id, &out->item);
	if (rc != IV_OK)
		return rc;
	if (c.scope == IV_COUNT_ITEMS) {
		bool listed;
		if ((rc = store_count_in_list(db->st, c.id, s.item_id, &listed)) != IV_OK)
			return iv_fail_store(db, rc);
		if (!listed)
			return iv_fail(db, IV_E_REFUSED,
			               "Item Number: %s is not one of the items count %lld lists; count it in "
			               "a count of its own",
			               out->item.number, (long long)c.id);
	}
	if (s.kind == IV_SCAN_SET) {
		/* a recount is what is on the shelf now: its moment is the place
		 * of the store's chain now, under the write lock */
		store_chain_pos head;
		if ((rc = store_chain_head(db->st, c.store_id, &head)) != IV_OK)
			return iv_fail_store(db, rc);
		s.seq = head.seq;
	}
	return add_scan(db, &c, &s, out);
}

/* Ends the write transaction a change ran in (rc its status): commits
 * it when the change succeeded, else rolls it back. */
static iv_status finish_write(iv_db *db, iv_status rc)
{
	if (rc != IV_OK) {
		store_rollback(db->st);
		return rc;
	}
	rc = store_commit(db->st);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

iv_status iv_count_add(iv_db *db, const iv_scan_in *in, iv_scan_out *out)
{
	memset(out, 0, sizeof *out);
	iv_status rc = iv_need_login(db);
	iv_qty qty = 0;
	if (rc == IV_OK)
		rc = parse_scan_qty(db, in, &qty);
	if (rc != IV_OK)
		return rc;
	if ((rc = store_begin(db->st, true)) != IV_OK)
		return iv_fail_store(db, rc);
	return finish_write(db, add_locked(db, in, qty, out));
}

static iv_status undo_locked(iv_db *db, int64_t count, iv_scan_out *out)
{
	store_count c;
	iv_status rc = count_load_open(db, count, &c);
	if (rc != IV_OK)
		return rc;
	store_count_scan last;
	bool found;
	if ((rc = store_count_last_scan(db->st, c.id, db->user.id, &last, &found)) != IV_OK)
		return iv_fail_store(db, rc);
	if (!found)
		return iv_fail(db, IV_E_NOT_FOUND, "Count: %s has no scan left to undo in count %lld", db->user.name,
		               (long long)c.id);
	if ((rc = iv_item_by_id(db, last.item_id, &out->item)) != IV_OK)
		return rc;
	store_count_scan s = {.kind = IV_SCAN_UNDO, .item_id = last.item_id, .qty = last.qty, .undoes = last.id};
	rc = add_scan(db, &c, &s, out);
	out->kind = last.kind; /* what was undone */
	return rc;
}

iv_status iv_count_undo(iv_db *db, int64_t count, iv_scan_out *out)
{
	memset(out, 0, sizeof *out);
	iv_status rc = iv_need_login(db);
	if (rc != IV_OK)
		return rc;
	if ((rc = store_begin(db->st, true)) != IV_OK)
		return iv_fail_store(db, rc);
	return finish_write(db, undo_locked(db, count, out));
}

/* ---- cancelling ---- */

static iv_status cancel_locked(iv_db *db, int64_t count)
{
	store_count c;
	iv_status rc = count_load_open(db, count, &c);
	if (rc != IV_OK)
		return rc;
	rule_user u;
	iv_session_rule_user(db, &u);
	if (!rule_may_end_count(&u, c.user_id))
		return iv_fail(db, IV_E_PERMISSION,
		               "Count: count %lld was started by %s; only they or a supervisor may cancel it",
		               (long long)c.id, c.started_by);
	store_count_end e = {.count_id = c.id, .status = IV_COUNT_CANCELLED, .user_id = db->user.id};
	if ((rc = clock_now_text(db, e.recorded_at)) != IV_OK)
		return rc;
	rc = store_count_end_insert(db->st, &e);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

iv_status iv_count_cancel(iv_db *db, int64_t count)
{
	iv_status rc = iv_need_login(db);
	if (rc != IV_OK)
		return rc;
	if ((rc = store_begin(db->st, true)) != IV_OK)
		return iv_fail_store(db, rc);
	return finish_write(db, cancel_locked(db, count));
}
