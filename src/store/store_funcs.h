/* Every function of store.h that takes a handle, once, as X(return
 * type, name, parameters, arguments) (V for those returning nothing):
 * backend.h makes the backends' tables of it, store.c the store_<name>
 * functions that call through them, sqlite_internal.h the SQLite
 * backend's declarations.  The first parameter of each is the handle,
 * named st.  (store_errmsg is not here: it reads the header every
 * handle begins with, store_common in backend.h.) */
#ifndef INVADJ_STORE_FUNCS_H
#define INVADJ_STORE_FUNCS_H

#define STORE_FUNCS(X, V)                                                                         \
	V(close, (store * st), (st))                                                                  \
	X(int, schema_version, (store * st), (st))                                                    \
	X(iv_status, begin, (store * st, bool write), (st, write))                                    \
	X(iv_status, commit, (store * st), (st))                                                      \
	X(iv_status, begin_relaxed, (store * st), (st))                                               \
	V(read_ahead_note, (store * st, bool on), (st, on))                                           \
	X(iv_status, read_ahead_send, (store * st, size_t nrows), (st, nrows))                        \
	X(iv_status, lock_stores, (store * st, const int64_t *store_ids, size_t n), (st, store_ids, n)) \
	X(iv_status, lock_events, (store * st), (st))                                                 \
	X(bool, locks_per_store, (store * st), (st))                                                  \
	X(iv_status, ledger_ids, (store * st, int64_t after, int64_t n, int64_t *first),              \
	  (st, after, n, first))                                                                      \
	V(rollback, (store * st), (st))                                                               \
	V(bulk_mode, (store * st, bool on), (st, on))                                                 \
	X(iv_status, open_reader, (store * st, store **out), (st, out))                               \
	X(iv_status, now_ms, (store * st, int64_t *unix_ms), (st, unix_ms))                           \
	X(iv_status, zone_offset, (store * st, const char *tz, int64_t unix_s, int64_t *offset_s),    \
	  (st, tz, unix_s, offset_s))                                                                 \
	X(iv_status, store_find, (store * st, const char *code, int64_t *id, iv_store *out),          \
	  (st, code, id, out))                                                                        \
	X(iv_status, store_upsert, (store * st, const iv_store *s, int64_t *id), (st, s, id))         \
	X(iv_status, store_each, (store * st, store_store_cb cb, void *ctx), (st, cb, ctx))           \
	X(iv_status, item_find,                                                                      \
	  (store * st, const char *ident, store_item_kind kind, int64_t *id, iv_item *out),           \
	  (st, ident, kind, id, out))                                                                 \
	X(iv_status, item_upsert, (store * st, const iv_item *it, int64_t *id), (st, it, id))         \
	X(iv_status, item_each, (store * st, store_item_cb cb, void *ctx), (st, cb, ctx))             \
	X(iv_status, item_search, (store * st, const char *text, size_t limit, iv_item_cb cb, void *ctx), \
	  (st, text, limit, cb, ctx))                                                                 \
	X(iv_status, item_page,                                                                       \
	  (store * st, const char *folded, const char *number, bool back, size_t limit, iv_item_cb cb, \
	   void *ctx),                                                                                \
	  (st, folded, number, back, limit, cb, ctx))                                                 \
	X(iv_status, item_count, (store * st, const char *folded, uint64_t *n), (st, folded, n))      \
	X(iv_status, item_unfolded_each, (store * st, store_item_cb cb, void *ctx), (st, cb, ctx)) \
	X(iv_status, item_set_key, (store * st, int64_t id, const char *key), (st, id, key))           \
	X(iv_status, stock_page, (store * st, const store_stock_query *q, iv_balance_cb cb, void *ctx), \
	  (st, q, cb, ctx))                                                                           \
	X(iv_status, stock_count, (store * st, const store_stock_query *q, uint64_t *n), (st, q, n))  \
	X(iv_status, reason_find, (store * st, const char *code, int64_t *id, iv_reason *out),        \
	  (st, code, id, out))                                                                        \
	X(iv_status, reason_upsert, (store * st, const iv_reason *r, int64_t *id), (st, r, id))       \
	X(iv_status, reason_each, (store * st, store_reason_cb cb, void *ctx), (st, cb, ctx))         \
	X(iv_status, user_find, (store * st, const char *name, store_user *out), (st, name, out))     \
	X(iv_status, user_insert,                                                                     \
	  (store * st, const char *name, iv_role role, const char *pin_hash, const char *at,         \
	   int64_t *id),                                                                              \
	  (st, name, role, pin_hash, at, id))                                                         \
	X(iv_status, login_failures_get, (store * st, const char *name, store_login *out),            \
	  (st, name, out))                                                                            \
	X(iv_status, login_failures_set, (store * st, const char *name, const store_login *in),       \
	  (st, name, in))                                                                             \
	X(iv_status, login_unlock, (store * st, const char *name), (st, name))                        \
	X(iv_status, user_count, (store * st, int64_t *n), (st, n))                                   \
	X(iv_status, user_admins, (store * st, int64_t *n), (st, n))                                  \
	X(iv_status, user_set_pin,                                                                    \
	  (store * st, int64_t user_id, const char *pin_hash, int64_t by_id, const char *at),        \
	  (st, user_id, pin_hash, by_id, at))                                                         \
	X(iv_status, user_set_disabled,                                                               \
	  (store * st, int64_t user_id, bool disabled, int64_t by_id, const char *at),               \
	  (st, user_id, disabled, by_id, at))                                                         \
	X(iv_status, user_set_role, (store * st, int64_t user_id, iv_role role), (st, user_id, role)) \
	X(iv_status, user_each, (store * st, iv_user_cb cb, void *ctx), (st, cb, ctx))                \
	X(iv_status, user_id_any_case, (store * st, const char *name, int64_t *id), (st, name, id))   \
	X(iv_status, connect_as, (store * st, const char *user, const char *secret), (st, user, secret)) \
	X(iv_status, open_as, (store * st, const char *user, const char *secret, store **out),        \
	  (st, user, secret, out))                                                                    \
	X(iv_status, open_like, (store * st, iv_open_mode mode, store **out), (st, mode, out))        \
	X(iv_status, role_create,                                                                     \
	  (store * st, const char *name, iv_role role, const char *secret, bool login),               \
	  (st, name, role, secret, login))                                                            \
	X(iv_status, role_alter, (store * st, const char *name, const store_role_change *c),          \
	  (st, name, c))                                                                              \
	X(iv_status, role_exists, (store * st, const char *name, bool *exists), (st, name, exists))   \
	X(iv_status, role_revoke, (store * st, const char *name), (st, name))                         \
	X(iv_status, roles_start, (store * st), (st))                                                 \
	X(iv_status, approval_sign,                                                                   \
	  (store * st, int64_t author_id, const unsigned char *digest, uint64_t rows),                \
	  (st, author_id, digest, rows))                                                              \
	X(iv_status, check_server, (store * st), (st))                                                \
	X(bool, sums_by_server, (store * st), (st))                                                   \
	X(iv_status, ledger_last_id, (store * st, int64_t *id), (st, id))                             \
	X(iv_status, chain_head, (store * st, int64_t store_id, store_chain_pos *out),                \
	  (st, store_id, out))                                                                        \
	X(iv_status, chain_row, (store * st, int64_t store_id, int64_t seq, store_chain_pos *out),    \
	  (st, store_id, seq, out))                                                                   \
	X(iv_status, chain_heads, (store * st, store_chain_cb cb, void *ctx), (st, cb, ctx))          \
	X(iv_status, ledger_insert, (store * st, const store_ledger_rec *rec), (st, rec))             \
	X(iv_status, ledger_insert_many, (store * st, const store_ledger_rec *recs, size_t n),        \
	  (st, recs, n))                                                                              \
	X(iv_status, ledger_get, (store * st, int64_t id, iv_ledger_row *row, store_ledger_rec *raw), \
	  (st, id, row, raw))                                                                         \
	X(iv_status, ledger_reversed_by, (store * st, int64_t id, int64_t *rev_id), (st, id, rev_id)) \
	X(iv_status, ledger_each_in_batch, (store * st, int64_t batch, store_ledger_cb cb, void *ctx), \
	  (st, batch, cb, ctx))                                                                       \
	X(iv_status, history, (store * st, const store_history_query *q, iv_ledger_cb cb, void *ctx), \
	  (st, q, cb, ctx))                                                                           \
	X(iv_status, history_count, (store * st, const store_history_query *q, uint64_t *n),          \
	  (st, q, n))                                                                                 \
	X(iv_status, ledger_audit, (store * st, store_audit_cb cb, void *ctx), (st, cb, ctx))         \
	X(iv_status, ledger_by_pair, (store * st, store_pair_cb cb, void *ctx), (st, cb, ctx))        \
	X(iv_status, item_rows_each, (store * st, store_item_row_cb cb, void *ctx, bool *kept),       \
	  (st, cb, ctx, kept))                                                                        \
	X(iv_status, balance_get, (store * st, int64_t store_id, int64_t item_id, iv_qty *qty),       \
	  (st, store_id, item_id, qty))                                                               \
	X(iv_status, balance_add, (store * st, int64_t store_id, int64_t item_id, iv_qty diff),       \
	  (st, store_id, item_id, diff))                                                              \
	X(iv_status, day_add,                                                                         \
	  (store * st, int64_t store_id, int64_t item_id, const char *tdate, iv_qty diff),            \
	  (st, store_id, item_id, tdate, diff))                                                       \
	X(iv_status, stock_after,                                                                     \
	  (store * st, int64_t store_id, int64_t item_id, const char *tdate, iv_qty *sum,             \
	   iv_qty *lowest),                                                                           \
	  (st, store_id, item_id, tdate, sum, lowest))                                                \
	X(iv_status, sums_add, (store * st, int64_t user_id, const store_sum *v, size_t n),           \
	  (st, user_id, v, n))                                                                        \
	X(iv_status, balance_asof,                                                                    \
	  (store * st, int64_t store_id, int64_t item_id, const char *tdate, iv_qty *qty),            \
	  (st, store_id, item_id, tdate, qty))                                                        \
	X(iv_status, days_after,                                                                      \
	  (store * st, int64_t store_id, int64_t item_id, const char *tdate, store_day_cb cb,         \
	   void *ctx),                                                                                \
	  (st, store_id, item_id, tdate, cb, ctx))                                                    \
	X(iv_status, balances_each,                                                                   \
	  (store * st, const char *store_code, int64_t item_id, const char *as_of, iv_balance_cb cb,  \
	   void *ctx),                                                                                \
	  (st, store_code, item_id, as_of, cb, ctx))                                                  \
	X(iv_status, user_day_get,                                                                    \
	  (store * st, int64_t user_id, int64_t store_id, int64_t item_id, const char *tdate,         \
	   iv_qty *qty),                                                                              \
	  (st, user_id, store_id, item_id, tdate, qty))                                               \
	X(iv_status, user_day_add,                                                                    \
	  (store * st, int64_t user_id, int64_t store_id, int64_t item_id, const char *tdate,         \
	   iv_qty diff),                                                                              \
	  (st, user_id, store_id, item_id, tdate, diff))                                              \
	X(iv_status, pair_sums,                                                                       \
	  (store * st, int64_t store_id, int64_t item_id, store_sum_cb cb, void *ctx),                \
	  (st, store_id, item_id, cb, ctx))                                                           \
	X(iv_status, item_cost_get, (store * st, int64_t item_id, store_cost *out), (st, item_id, out)) \
	X(iv_status, item_cost_set, (store * st, int64_t item_id, const store_cost *c), (st, item_id, c)) \
	X(iv_status, cost_history_put,                                                                \
	  (store * st, int64_t item_id, const char *effective, bool has, iv_money cost),             \
	  (st, item_id, effective, has, cost))                                                        \
	X(iv_status, cost_at,                                                                         \
	  (store * st, int64_t item_id, const char *tdate, bool *has, iv_money *cost),               \
	  (st, item_id, tdate, has, cost))                                                            \
	X(iv_status, report_add, (store * st, bool items, const store_report_row *r), (st, items, r)) \
	X(iv_status, report_add_many, (store * st, bool items, const store_report_row *v, size_t n),   \
	  (st, items, v, n))                                                                          \
	X(iv_status, report_rows,                                                                     \
	  (store * st, const store_report_query *q, store_report_cb cb, void *ctx), (st, q, cb, ctx)) \
	X(iv_status, report_audit, (store * st, bool items, store_report_check_cb cb, void *ctx),     \
	  (st, items, cb, ctx))                                                                       \
	X(iv_status, batch_lines, (store * st, int64_t batch_id, store_report_cb cb, void *ctx),       \
	  (st, batch_id, cb, ctx))                                                                    \
	X(iv_status, batch_insert,                                                                    \
	  (store * st, const iv_batch *b, int64_t user_id, int64_t reverses_batch, int64_t *id),      \
	  (st, b, user_id, reverses_batch, id))                                                       \
	X(iv_status, batch_finish,                                                                    \
	  (store * st, int64_t id, uint64_t rows, uint64_t posted, uint64_t unchanged),               \
	  (st, id, rows, posted, unchanged))                                                          \
	X(iv_status, batch_find_sha, (store * st, const char *sha256, int64_t *id), (st, sha256, id)) \
	X(iv_status, batch_get, (store * st, int64_t id, iv_batch *out), (st, id, out))               \
	X(iv_status, batch_finish_upload,                                                             \
	  (store * st, int64_t id, const char *sha256, uint64_t rows, uint64_t posted,                \
	   uint64_t unchanged),                                                                       \
	  (st, id, sha256, rows, posted, unchanged))                                                  \
	X(iv_status, event_head, (store * st, store_chain_pos *out), (st, out))                       \
	X(iv_status, event_at, (store * st, int64_t seq, store_chain_pos *out), (st, seq, out))       \
	X(iv_status, event_insert, (store * st, const store_event *e), (st, e))                       \
	X(iv_status, events_each,                                                                     \
	  (store * st, const char *kind, int64_t entity_id, store_event_cb cb, void *ctx),            \
	  (st, kind, entity_id, cb, ctx))                                                             \
	X(iv_status, count_insert, (store * st, store_count *c), (st, c))                              \
	X(iv_status, count_get, (store * st, int64_t id, bool tally, store_count *out),               \
	  (st, id, tally, out))                                                                       \
	X(iv_status, count_each, (store * st, const store_count_filter *f, store_count_cb cb, void *ctx), \
	  (st, f, cb, ctx))                                                                           \
	X(iv_status, count_item_add, (store * st, int64_t count_id, int64_t item_id),                 \
	  (st, count_id, item_id))                                                                    \
	X(iv_status, count_in_list, (store * st, int64_t count_id, int64_t item_id, bool *in),        \
	  (st, count_id, item_id, in))                                                                \
	X(iv_status, count_scan_insert, (store * st, store_count_scan *s), (st, s))                   \
	X(iv_status, count_scans,                                                                     \
	  (store * st, int64_t count_id, int64_t item_id, store_count_scan_cb cb, void *ctx),         \
	  (st, count_id, item_id, cb, ctx))                                                           \
	X(iv_status, count_last_scan,                                                                 \
	  (store * st, int64_t count_id, int64_t user_id, store_count_scan *out, bool *found),        \
	  (st, count_id, user_id, out, found))                                                        \
	X(iv_status, count_list_items, (store * st, int64_t count_id, store_count_item_cb cb, void *ctx), \
	  (st, count_id, cb, ctx))                                                                    \
	X(iv_status, count_stock, (store * st, int64_t store_id, store_count_item_cb cb, void *ctx),  \
	  (st, store_id, cb, ctx))                                                                    \
	X(iv_status, count_end_insert, (store * st, const store_count_end *e), (st, e))               \
	X(iv_status, chain_sums,                                                                      \
	  (store * st, int64_t store_id, int64_t after_seq, int64_t upto_seq, store_item_sum_cb cb,   \
	   void *ctx),                                                                                \
	  (st, store_id, after_seq, upto_seq, cb, ctx))                                               \
	X(iv_status, item_moved_after,                                                                \
	  (store * st, int64_t store_id, int64_t item_id, int64_t after_id, iv_qty *sum),             \
	  (st, store_id, item_id, after_id, sum))                                                     \
	X(iv_status, backup, (store * st, const char *path), (st, path))                              \
	X(iv_status, check_integrity, (store * st), (st))                                             \
	X(iv_status, check_triggers, (store * st), (st))                                              \
	X(iv_status, table_each, (store * st, store_table t, store_row_cb cb, void *ctx),             \
	  (st, t, cb, ctx))                                                                           \
	X(iv_status, table_insert, (store * st, store_table t, const char *const *vals, int ncols),   \
	  (st, t, vals, ncols))                                                                       \
	X(iv_status, table_count, (store * st, store_table t, int64_t *n), (st, t, n))                \
	X(iv_status, master_row,                                                                      \
	  (store * st, store_table t, int64_t id, store_row_cb cb, void *ctx), (st, t, id, cb, ctx))  \
	X(iv_status, copy_finish, (store * st), (st))

#endif
