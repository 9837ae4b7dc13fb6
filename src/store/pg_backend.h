/* The PostgreSQL backend of the storage module (libpq).
 *
 * Every function of store.h has a twin here, pg_<name> for store_<name>,
 * with the identical signature; pg_backend (backend.h) is their table.
 * A PostgreSQL handle is a pg_store whose first member is store_common,
 * which begins with the table pointer as every backend's handle does.
 *
 * Which databases go here: store_open hands a path beginning with
 * "postgresql://" or "postgres://" (libpq's URI syntax) to pg_open;
 * pg_is_uri says so. */
#ifndef INVADJ_PG_BACKEND_H
#define INVADJ_PG_BACKEND_H

#include "store/backend.h"

/* The head of a PostgreSQL handle (be first, as every backend's handle;
 * errmsg: the last failure's sentence, read by pg_errmsg). */
typedef struct store_common {
	const store_backend *be;
	char errmsg[IV_MSG_MAX];
} store_common;

void pg_close(store *st);
const char *pg_errmsg(const store *st);
int pg_schema_version(store *st);
iv_status pg_begin(store *st, bool write);
iv_status pg_commit(store *st);
void pg_rollback(store *st);
void pg_bulk_mode(store *st, bool on);
iv_status pg_open_reader(store *st, store **out);

iv_status pg_store_find(store *st, const char *code, int64_t *id, iv_store *out);
iv_status pg_store_upsert(store *st, const iv_store *s);
iv_status pg_store_each(store *st, store_store_cb cb, void *ctx);
iv_status pg_item_find(store *st, const char *ident, int kind, int64_t *id, iv_item *out);
iv_status pg_item_upsert(store *st, const iv_item *it);
iv_status pg_item_each(store *st, store_item_cb cb, void *ctx);
iv_status pg_item_search(store *st, const char *text, size_t limit, iv_item_cb cb, void *ctx);
iv_status pg_reason_find(store *st, const char *code, int64_t *id, iv_reason *out);
iv_status pg_reason_upsert(store *st, const iv_reason *r);
iv_status pg_reason_each(store *st, store_reason_cb cb, void *ctx);

iv_status pg_user_find(store *st, const char *name, store_user *out);
iv_status pg_user_insert(store *st, const char *name, iv_role role, const char *pin_hash);
iv_status pg_user_login_result(store *st, int64_t user_id, bool ok, int64_t now);
iv_status pg_user_count(store *st, int64_t *n);

iv_status pg_ledger_head(store *st, int64_t *last_id, unsigned char hash[STORE_HASH_LEN]);
iv_status pg_ledger_insert(store *st, const store_ledger_rec *rec);
iv_status pg_ledger_get(store *st, int64_t id, iv_ledger_row *row, store_ledger_rec *raw);
iv_status pg_ledger_reversed_by(store *st, int64_t id, int64_t *rev_id);
iv_status pg_ledger_each(store *st, store_ledger_cb cb, void *ctx);
iv_status pg_ledger_each_in_batch(store *st, int64_t batch, store_ledger_cb cb, void *ctx);
iv_status pg_history(store *st, const iv_history_filter *f, iv_ledger_cb cb, void *ctx);

iv_status pg_balance_get(store *st, int64_t store_id, int64_t item_id, iv_qty *qty);
iv_status pg_balance_add(store *st, int64_t store_id, int64_t item_id, iv_qty diff);
iv_status pg_day_add(store *st, int64_t store_id, int64_t item_id, const char *tdate, iv_qty diff);
iv_status pg_balance_asof(store *st, int64_t store_id, int64_t item_id, const char *tdate, iv_qty *qty);
iv_status pg_days_after(store *st, int64_t store_id, int64_t item_id, const char *tdate,
                        store_day_cb cb, void *ctx);
iv_status pg_balances_each(store *st, const char *store_code, int64_t item_id,
                           const char *as_of, iv_balance_cb cb, void *ctx);

iv_status pg_batch_insert(store *st, const iv_batch *b, int64_t user_id,
                          int64_t reverses_batch, int64_t *id);
iv_status pg_batch_finish(store *st, int64_t id, uint64_t rows, uint64_t posted, uint64_t unchanged);
iv_status pg_batch_find_sha(store *st, const char *sha256, int64_t *id);
iv_status pg_batch_get(store *st, int64_t id, iv_batch *out);
iv_status pg_batch_finish_upload(store *st, int64_t id, const char *sha256, uint64_t rows,
                                 uint64_t posted, uint64_t unchanged);

iv_status pg_backup(store *st, const char *path);

iv_status pg_check_integrity(store *st);
iv_status pg_check_triggers(store *st);
iv_status pg_balance_each_raw(store *st, store_sum_cb cb, void *ctx);
iv_status pg_day_each_raw(store *st, store_sum_cb cb, void *ctx);
iv_status pg_key_names(store *st, int64_t store_id, int64_t item_id,
                       char code[IV_CODE_MAX + 1], char number[IV_IDENT_MAX + 1]);

iv_status pg_table_each(store *st, store_table t, store_row_cb cb, void *ctx);
iv_status pg_table_insert(store *st, store_table t, const char *const *vals, int ncols);
iv_status pg_table_count(store *st, store_table t, int64_t *n);
iv_status pg_copy_finish(store *st);

#endif
