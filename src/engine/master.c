/* Master data: stores, items and reason codes, and their CSV import. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/internal.h"
#include "engine/rules.h"
#include "invadj/csv.h"

iv_status iv_find_store(iv_db *db, const char *code, int64_t *id, iv_store *out)
{
	if (!code || !*code)
		return iv_fail(db, IV_E_INVALID, "Store: a store code is required");
	iv_status rc = store_store_find(db->st, code, id, out);
	if (rc == IV_E_NOT_FOUND)
		return iv_fail(db, rc, "Store: \"%s\" is not a known store code", code);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

iv_status iv_find_item(iv_db *db, const char *ident, int64_t *id, iv_item *out)
{
	if (!ident || !*ident)
		return iv_fail(db, IV_E_INVALID, "Item Number: an item is required");
	iv_status rc = store_item_find(db->st, ident, STORE_ITEM_ANY, id, out);
	if (rc == IV_E_NOT_FOUND)
		return iv_fail(db, rc,
		               "Item Number: \"%s\" is not a known item number, UPC, barcode or alternate number",
		               ident);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

iv_status iv_store_get(iv_db *db, const char *code, iv_store *out)
{
	return iv_find_store(db, code, NULL, out);
}

iv_status iv_item_find(iv_db *db, const char *ident, iv_item *out)
{
	return iv_find_item(db, ident, NULL, out);
}

static bool take_item(void *ctx, const char *const *vals, int ncols)
{
	iv_item *it = ctx;
	(void)ncols;
	char *dest[7] = {it->number, it->description, it->upc, it->barcode, it->alt[0], it->alt[1], it->alt[2]};
	for (int c = 0; c < 7; c++)
		snprintf(dest[c], c == 1 ? IV_NAME_SIZE : IV_IDENT_SIZE, "%s", vals[c + 1] ? vals[c + 1] : "");
	return false;
}

iv_status iv_item_by_id(iv_db *db, int64_t id, iv_item *out)
{
	memset(out, 0, sizeof *out);
	iv_status rc = store_master_row(db->st, STORE_T_ITEMS, id, take_item, out);
	if (rc == IV_E_NOT_FOUND)
		return iv_fail(db, rc, "Item Number: item #%lld does not exist", (long long)id);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

iv_status iv_reason_get(iv_db *db, const char *code, iv_reason *out)
{
	iv_status rc = store_reason_find(db->st, code ? code : "", NULL, out);
	if (rc == IV_E_NOT_FOUND)
		return iv_fail(db, rc, "Reason Code: \"%s\" is not a known reason code", code ? code : "");
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

struct fwd {
	void *cb;
	void *ctx;
};

static bool fwd_store(void *ctx, int64_t id, const iv_store *s)
{
	(void)id;
	struct fwd *f = ctx;
	return ((iv_store_cb)f->cb)(f->ctx, s);
}

static bool fwd_reason(void *ctx, int64_t id, const iv_reason *r)
{
	(void)id;
	struct fwd *f = ctx;
	return ((iv_reason_cb)f->cb)(f->ctx, r);
}

iv_status iv_store_list(iv_db *db, iv_store_cb cb, void *ctx)
{
	struct fwd f = {(void *)cb, ctx};
	iv_status rc = store_store_each(db->st, fwd_store, &f);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

iv_status iv_reason_list(iv_db *db, iv_reason_cb cb, void *ctx)
{
	struct fwd f = {(void *)cb, ctx};
	iv_status rc = store_reason_each(db->st, fwd_reason, &f);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

iv_status iv_item_search(iv_db *db, const char *text, size_t limit, iv_item_cb cb, void *ctx)
{
	iv_status rc = store_item_search(db->st, text, limit, cb, ctx);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

/* ---- import ---- */

/* The columns of each import file; the first is mandatory. */
enum { MAX_COLS = 8 };
static const char *const import_cols[3][MAX_COLS] = {
	[IV_IMPORT_STORES] = {"StoreCode", "StoreName", "AllowNegative", "ApprovalThreshold", "TimeZone"},
	[IV_IMPORT_ITEMS] = {"ItemNumber", "Description", "UPC", "Barcode", "AltItemNumber1",
	                     "AltItemNumber2", "AltItemNumber3", "UnitCost"},
	[IV_IMPORT_REASONS] = {"ReasonCode", "Description"},
};

/* A name or description (fields.c): at most max characters, no
 * control characters. */
static bool check_text(iv_db *db, uint64_t line, const char *col, const char *v, size_t max,
                       bool required, iv_status *rc)
{
	char msg[IV_MSG_MAX];
	if (required && !*v)
		*rc = iv_fail(db, IV_E_INVALID, "line %llu: %s: a value is required",
		              (unsigned long long)line, col);
	else if (!field_text(col, v, max, false, msg, sizeof msg))
		*rc = iv_fail(db, IV_E_INVALID, "line %llu: %s", (unsigned long long)line, msg);
	else
		return true;
	return false;
}

/* An identifier cell (fields.c), trimmed into out as every upload trims
 * it; *v then points at out.  NULL (a column not in the file) stays. */
static bool check_ident(iv_db *db, uint64_t line, const char *col, const char **v, size_t max,
                        bool required, char *out, size_t size, iv_status *rc)
{
	char msg[IV_MSG_MAX];
	if (!*v)
		return true;
	if (!field_ident(col, *v, max, out, size, msg, sizeof msg)) {
		*rc = iv_fail(db, IV_E_INVALID, "line %llu: %s", (unsigned long long)line, msg);
		return false;
	}
	*v = out;
	return check_text(db, line, col, out, max, required, rc);
}

static bool parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"1", "y", "yes", "true"};
	static const char *const no[] = {"", "0", "n", "no", "false"};
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		if (strcasecmp(v, yes[i]) == 0)
			return *out = true;
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		if (strcasecmp(v, no[i]) == 0)
			return !(*out = false);
	return false;
}

/* An import's transaction: the master chain it appends to. */
typedef struct import_run {
	iv_db *db;
	event_chain events;
} import_run;

/* After an upsert of (t, id): the event, if the row changed. */
static iv_status record(import_run *ir, store_table t, int64_t id, const ns_text *before, bool existed)
{
	return events_record(ir->db, &ir->events, t, id, existed ? before->s : NULL, NULL, &ir->db->user);
}

static iv_status import_store(import_run *ir, uint64_t line, const char **v)
{
	iv_db *db = ir->db;
	iv_status rc = IV_OK;
	iv_store s;
	int64_t id = 0;
	char code[IV_CODE_SIZE];
	if (!check_ident(db, line, "StoreCode", &v[0], IV_CODE_MAX, true, code, sizeof code, &rc))
		return rc;
	/* a code matches whatever its case and keeps the spelling it has */
	if (store_store_find(db->st, v[0], &id, &s) != IV_OK) {
		memset(&s, 0, sizeof s);
		snprintf(s.code, sizeof s.code, "%s", v[0]);
	}
	if (v[1]) {
		if (!check_text(db, line, "StoreName", v[1], IV_NAME_MAX, false, &rc))
			return rc;
		snprintf(s.name, sizeof s.name, "%s", v[1]);
	}
	if (v[2] && !parse_bool(v[2], &s.allow_negative))
		return iv_fail(db, IV_E_INVALID, "line %llu: AllowNegative: \"%s\" is not yes or no",
		               (unsigned long long)line, v[2]);
	if (v[3]) {
		iv_qty t = 0;
		if (*v[3] && (qty_parse(v[3], &t) != QTY_OK || t < 0))
			return iv_fail(db, IV_E_INVALID,
			               "line %llu: ApprovalThreshold: \"%s\" is not a whole number of 0 or more",
			               (unsigned long long)line, v[3]);
		s.approval_threshold = t;
	}
	if (v[4]) {
		/* The zone must be one the database's clock knows. */
		int64_t offset;
		if (strlen(v[4]) > IV_TZ_MAX || (*v[4] && store_zone_offset(db->st, v[4], 0, &offset) != IV_OK))
			return iv_fail(db, IV_E_INVALID,
			               "line %llu: TimeZone: \"%s\" is not a time zone this database knows (an "
			               "IANA name such as Europe/Paris, or empty for the database's own)",
			               (unsigned long long)line, v[4]);
		snprintf(s.tz, sizeof s.tz, "%s", v[4]);
	}
	ns_text before = {0};
	bool existed = false;
	if (id && (rc = events_state(db, STORE_T_STORES, id, &before, &existed)) != IV_OK)
		return rc;
	rc = store_store_upsert(db->st, &s, &id);
	rc = rc == IV_OK ? record(ir, STORE_T_STORES, id, &before, existed) : iv_fail_store(db, rc);
	ns_text_free(&before);
	return rc;
}

static iv_status import_item(import_run *ir, uint64_t line, const char **v)
{
	iv_db *db = ir->db;
	int64_t id = 0;
	static const char *const names[] = {"ItemNumber", "Description", "UPC", "Barcode",
	                                    "AltItemNumber1", "AltItemNumber2", "AltItemNumber3"};
	iv_status rc = IV_OK;
	iv_item it;
	char idents[7][IV_IDENT_SIZE];
	for (int c = 0; c < 7; c++)
		if (c != 1 && !check_ident(db, line, names[c], &v[c], IV_IDENT_MAX, c == 0, idents[c],
		                           sizeof idents[c], &rc))
			return rc;
	bool known = store_item_find(db->st, v[0], STORE_ITEM_NUMBER, &id, &it) == IV_OK;
	if (!known)
		memset(&it, 0, sizeof it);
	char *dest[7] = {it.number, it.description, it.upc, it.barcode, it.alt[0], it.alt[1], it.alt[2]};
	for (int c = 0; c < 7; c++) {
		if (!v[c] || (c == 0 && known))
			continue; /* a known number keeps its spelling, whatever the case typed */
		size_t max = c == 1 ? IV_NAME_MAX : IV_IDENT_MAX;
		if (!check_text(db, line, names[c], v[c], max, c == 0, &rc))
			return rc;
		snprintf(dest[c], IV_TEXT_SIZE(max), "%s", v[c]);
	}
	/* Every identifier must name one item only, whatever its kind. */
	for (int c = 0; c < 7; c++) {
		if (c == 1 || !*dest[c])
			continue;
		iv_item other;
		if (store_item_find(db->st, dest[c], STORE_ITEM_ANY, NULL, &other) == IV_OK &&
		    strcmp(other.number, it.number) != 0)
			return iv_fail(db, IV_E_CONFLICT, "line %llu: %s: \"%s\" already identifies item %s",
			               (unsigned long long)line, names[c], dest[c], other.number);
	}
	ns_text before = {0};
	bool existed = false;
	if (id && (rc = events_state(db, STORE_T_ITEMS, id, &before, &existed)) != IV_OK)
		return rc;
	rc = store_item_upsert(db->st, &it, &id);
	if (rc != IV_OK)
		rc = iv_fail(db, rc, "line %llu: %s", (unsigned long long)line, store_errmsg(db->st));
	else if (v[7]) /* UnitCost: a change is part of the item's event */
		rc = costs_import(db, line, id, v[7]);
	if (rc == IV_OK)
		rc = record(ir, STORE_T_ITEMS, id, &before, existed);
	ns_text_free(&before);
	return rc;
}

static iv_status import_reason(import_run *ir, uint64_t line, const char **v)
{
	iv_db *db = ir->db;
	iv_status rc = IV_OK;
	iv_reason r;
	int64_t id = 0;
	char code[IV_CODE_SIZE];
	if (!check_ident(db, line, "ReasonCode", &v[0], IV_CODE_MAX, true, code, sizeof code, &rc))
		return rc;
	if (store_reason_find(db->st, v[0], &id, &r) != IV_OK) {
		memset(&r, 0, sizeof r);
		snprintf(r.code, sizeof r.code, "%s", v[0]);
	}
	if (v[1]) {
		if (!check_text(db, line, "Description", v[1], IV_NAME_MAX, false, &rc))
			return rc;
		snprintf(r.description, sizeof r.description, "%s", v[1]);
	}
	ns_text before = {0};
	bool existed = false;
	if (id && (rc = events_state(db, STORE_T_REASONS, id, &before, &existed)) != IV_OK)
		return rc;
	rc = store_reason_upsert(db->st, &r, &id);
	rc = rc == IV_OK ? record(ir, STORE_T_REASONS, id, &before, existed) : iv_fail_store(db, rc);
	ns_text_free(&before);
	return rc;
}

/* Maps the file's header onto the known columns: map[c] is the file
 * column holding known column c, or -1. */
static iv_status read_header(iv_db *db, iv_import_kind kind, char **fields, size_t n, int map[MAX_COLS])
{
	const char *const *cols = import_cols[kind];
	for (int c = 0; c < MAX_COLS; c++)
		map[c] = -1;
	for (size_t f = 0; f < n; f++) {
		const char *name = fields[f];
		while (*name == '*')
			name++;
		int found = -1;
		for (int c = 0; c < MAX_COLS && cols[c]; c++)
			if (strcasecmp(name, cols[c]) == 0)
				found = c;
		if (found < 0)
			return iv_fail(db, IV_E_INVALID, "line 1: unknown column \"%s\"", fields[f]);
		if (map[found] >= 0)
			return iv_fail(db, IV_E_INVALID, "line 1: column %s appears twice", cols[found]);
		map[found] = (int)f;
	}
	if (map[0] < 0)
		return iv_fail(db, IV_E_INVALID, "line 1: the mandatory column %s is missing", cols[0]);
	return IV_OK;
}

static iv_status import_rows(iv_db *db, iv_import_kind kind, csv_reader *r, size_t *rows)
{
	import_run ir = {.db = db};
	char **fields;
	size_t n;
	int map[MAX_COLS];
	csv_result cr = csv_next(r, &fields, &n);
	if (cr == CSV_ERROR)
		return iv_fail(db, IV_E_INVALID, "%s", csv_error(r));
	if (cr == CSV_END)
		return iv_fail(db, IV_E_INVALID, "the file is empty; the first line must name the columns");
	iv_status rc = read_header(db, kind, fields, n, map);
	size_t ncols = n;
	while (rc == IV_OK && (cr = csv_next(r, &fields, &n)) == CSV_RECORD) {
		uint64_t line = csv_line(r);
		if (n != ncols)
			return iv_fail(db, IV_E_INVALID, "line %llu: %zu fields where the header has %zu",
			               (unsigned long long)line, n, ncols);
		const char *v[MAX_COLS];
		for (int c = 0; c < MAX_COLS; c++)
			v[c] = map[c] >= 0 ? fields[map[c]] : NULL;
		switch (kind) {
		case IV_IMPORT_STORES: rc = import_store(&ir, line, v); break;
		case IV_IMPORT_ITEMS: rc = import_item(&ir, line, v); break;
		case IV_IMPORT_REASONS: rc = import_reason(&ir, line, v); break;
		}
		(*rows)++;
	}
	if (rc == IV_OK && cr == CSV_ERROR)
		rc = iv_fail(db, IV_E_INVALID, "%s", csv_error(r));
	return rc;
}

iv_status iv_import(iv_db *db, iv_import_kind kind, const char *path, size_t *rows)
{
	*rows = 0;
	iv_status rc = iv_need_login(db);
	if (rc != IV_OK)
		return rc;
	rule_user u;
	iv_session_rule_user(db, &u);
	if (db->server && !rule_may(&u, RULE_EDIT_MASTER_SERVER))
		return iv_fail(db, IV_E_PERMISSION,
		               "only an admin may import master data on a PostgreSQL server (%s is a %s)",
		               db->user.name, iv_role_name(db->user.role));
	if (!rule_may(&u, RULE_EDIT_MASTER))
		return iv_fail(db, IV_E_PERMISSION, "only a supervisor or admin may import master data");
	FILE *f = fopen(path, "rb");
	if (!f)
		return iv_fail(db, IV_E_IO, "cannot open %s", path);
	csv_reader *r = csv_open(f);
	if (!r) {
		fclose(f);
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	}
	if ((rc = store_begin(db->st, true)) != IV_OK) {
		rc = iv_fail_store(db, rc);
	} else {
		/* Every kind: stores and reasons are states the rules read, and
		 * an item's new unit cost values again the report lines already
		 * written, which a save still open elsewhere would miss. */
		rc = ledger_lock_all_stores(db);
		if (rc == IV_OK)
			rc = import_rows(db, kind, r, rows);
		if (rc == IV_OK)
			rc = store_commit(db->st) == IV_OK ? IV_OK : iv_fail_store(db, IV_E_STORAGE);
		else
			store_rollback(db->st);
	}
	csv_close(r);
	fclose(f);
	if (rc != IV_OK)
		*rows = 0;
	return rc;
}
