/* migrate: a ledger moves between databases (SQLite file to PostgreSQL
 * server, or any backend to any other) without losing what makes it
 * trustworthy: the same ids, the same row hashes, the same PIN hashes,
 * checked by verify on both sides. */
#include <stdio.h>
#include <string.h>

#include "engine/internal.h"
#include "invadj/migrate.h"

typedef struct copy_ctx {
	iv_db *dst;
	store_table table;
	uint64_t rows;
	iv_status status;
} copy_ctx;

static bool copy_row(void *ctx, const char *const *vals, int ncols)
{
	copy_ctx *c = ctx;
	c->status = store_table_insert(c->dst->st, c->table, vals, ncols);
	if (c->status != IV_OK)
		return false;
	c->rows++;
	return true;
}

static iv_status fail(iv_migrate_report *out, iv_status st, const char *side, const char *why)
{
	snprintf(out->message, sizeof out->message, "%s: %.480s", side, why);
	return st;
}

/* Copies every table inside one write transaction on the target and
 * one read snapshot of the source. */
static iv_status copy_all(iv_db *src, iv_db *dst, iv_migrate_report *out)
{
	uint64_t *counts[STORE_T_COUNT] = {
		[STORE_T_STORES] = &out->stores,       [STORE_T_ITEMS] = &out->items,
		[STORE_T_REASONS] = &out->reasons,     [STORE_T_USERS] = &out->users,
		[STORE_T_BATCHES] = &out->batches,     [STORE_T_EVENTS] = &out->events,
		[STORE_T_LEDGER] = &out->ledger_rows,  [STORE_T_BALANCES] = &out->balances,
		[STORE_T_DAY_TOTALS] = &out->day_totals, [STORE_T_USER_DAYS] = &out->user_days,
		[STORE_T_COUNTS] = &out->counts,       [STORE_T_COUNT_ITEMS] = &out->count_items,
		[STORE_T_COUNT_SCANS] = &out->count_scans, [STORE_T_COUNT_ENDS] = &out->count_ends,
	};
	iv_status rc = store_begin(src->st, false);
	if (rc != IV_OK)
		return fail(out, rc, "From", store_errmsg(src->st));
	store_bulk_mode(dst->st, true);
	if ((rc = store_begin(dst->st, true)) != IV_OK) {
		store_bulk_mode(dst->st, false);
		store_rollback(src->st);
		return fail(out, rc, "To", store_errmsg(dst->st));
	}
	copy_ctx c = {.dst = dst, .status = IV_OK};
	/* In an order that satisfies the foreign keys: users before batches,
	 * batches before the ledger rows that name them; each table in id
	 * order, as the append-only triggers want it. */
	for (int t = 0; rc == IV_OK && t < STORE_T_COUNT; t++) {
		c.table = (store_table)t;
		c.rows = 0;
		rc = store_table_each(src->st, c.table, copy_row, &c);
		if (rc != IV_OK) {
			fail(out, rc, "From", store_errmsg(src->st));
		} else if (c.status != IV_OK) {
			rc = fail(out, c.status, "To", store_errmsg(dst->st));
		}
		if (counts[t]) /* the derived tables are copied, not reported */
			*counts[t] = c.rows;
	}
	if (rc == IV_OK && (rc = store_copy_finish(dst->st)) != IV_OK)
		fail(out, rc, "To", store_errmsg(dst->st));
	if (rc == IV_OK && (rc = store_commit(dst->st)) != IV_OK)
		fail(out, rc, "To", store_errmsg(dst->st));
	if (rc != IV_OK)
		store_rollback(dst->st);
	store_bulk_mode(dst->st, false);
	store_rollback(src->st);
	return rc;
}

static iv_status check_empty(iv_db *dst, iv_migrate_report *out)
{
	for (int t = 0; t < STORE_T_COUNT; t++) {
		int64_t n;
		iv_status rc = store_table_count(dst->st, (store_table)t, &n);
		if (rc != IV_OK)
			return fail(out, rc, "To", store_errmsg(dst->st));
		if (n > 0) {
			char why[200];
			snprintf(why, sizeof why,
			         "the database already holds invadj data (%lld rows in %s); migrate copies "
			         "into an empty database only",
			         (long long)n, store_table_names[t]);
			return fail(out, IV_E_REFUSED, "To", why);
		}
	}
	return IV_OK;
}

iv_status iv_migrate(const char *from, const char *to, iv_migrate_report *out)
{
	memset(out, 0, sizeof *out);
	if (!from || !*from || !to || !*to)
		return fail(out, IV_E_INVALID, "Migrate", "both --from and --to are needed");
	if (strcmp(from, to) == 0)
		return fail(out, IV_E_INVALID, "To", "the target is the source itself");
	iv_db *src = NULL, *dst = NULL;
	iv_status rc = iv_open(from, IV_OPEN_EXISTING, &src);
	if (rc != IV_OK) {
		fail(out, rc, "From", iv_errmsg(src));
		iv_close(src);
		return rc;
	}
	iv_verify_report vs;
	if ((rc = iv_verify(src, &vs)) != IV_OK && !(rc == IV_E_STORAGE && !vs.triggers_tried)) {
		char why[IV_MSG_MAX];
		snprintf(why, sizeof why, "the source does not verify, so it is not copied: %.400s",
		         iv_errmsg(src));
		iv_close(src);
		return fail(out, rc, "From", why);
	}
	memcpy(out->source_head, vs.head_hash, IV_HASH_HEX);
	rc = iv_open(to, IV_OPEN_CREATE, &dst);
	if (rc != IV_OK)
		fail(out, rc, "To", iv_errmsg(dst));
	if (rc == IV_OK)
		rc = check_empty(dst, out);
	if (rc == IV_OK)
		rc = copy_all(src, dst, out);
	/* the copied items' search keys (not copied: they are derived) */
	if (rc == IV_OK && (rc = store_fill_search_keys(dst->st)) != IV_OK)
		fail(out, rc, "To", store_errmsg(dst->st));
	iv_close(src);
	if (rc != IV_OK) {
		iv_close(dst);
		return rc;
	}
	/* The copy is checked from its own rows, as `invadj verify` on the
	 * target would, and must end where the copied chains ended. */
	iv_verify_report vd;
	rc = iv_verify(dst, &vd);
	memcpy(out->target_head, vd.head_hash, IV_HASH_HEX);
	if (rc != IV_OK) {
		char why[IV_MSG_MAX];
		snprintf(why, sizeof why, "the copy does not verify: %.400s", iv_errmsg(dst));
		fail(out, rc, "To", why);
	} else if (vd.ledger_rows != out->ledger_rows || strcmp(vd.head_hash, out->source_head) != 0) {
		rc = fail(out, IV_E_CORRUPT, "To",
		          "the copy's head hash or row count differs from the source's; do not use it");
	}
	iv_close(dst);
	return rc;
}
