/* INTERIM (until store.h becomes a dispatch table): force-included into
 * src/store/sqlite_*.c by the Makefile, it names the SQLite backend's
 * functions sqlite_<name> so that store_switch.c can define store_<name>
 * and choose the backend.  Delete it with store_switch.c. */
#ifndef INVADJ_SQLITE_NAMES_H
#define INVADJ_SQLITE_NAMES_H
#define store_open sqlite_open
#define store_close sqlite_close
#define store_errmsg sqlite_errmsg
#define store_schema_version sqlite_schema_version
#define store_begin sqlite_begin
#define store_commit sqlite_commit
#define store_rollback sqlite_rollback
#define store_bulk_mode sqlite_bulk_mode
#define store_open_reader sqlite_open_reader
#define store_store_find sqlite_store_find
#define store_store_upsert sqlite_store_upsert
#define store_store_each sqlite_store_each
#define store_item_find sqlite_item_find
#define store_item_upsert sqlite_item_upsert
#define store_item_each sqlite_item_each
#define store_item_search sqlite_item_search
#define store_reason_find sqlite_reason_find
#define store_reason_upsert sqlite_reason_upsert
#define store_reason_each sqlite_reason_each
#define store_user_find sqlite_user_find
#define store_user_insert sqlite_user_insert
#define store_user_login_result sqlite_user_login_result
#define store_user_count sqlite_user_count
#define store_ledger_head sqlite_ledger_head
#define store_ledger_insert sqlite_ledger_insert
#define store_ledger_get sqlite_ledger_get
#define store_ledger_reversed_by sqlite_ledger_reversed_by
#define store_ledger_each sqlite_ledger_each
#define store_ledger_each_in_batch sqlite_ledger_each_in_batch
#define store_history sqlite_history
#define store_balance_get sqlite_balance_get
#define store_balance_add sqlite_balance_add
#define store_day_add sqlite_day_add
#define store_balance_asof sqlite_balance_asof
#define store_days_after sqlite_days_after
#define store_balances_each sqlite_balances_each
#define store_batch_insert sqlite_batch_insert
#define store_batch_finish sqlite_batch_finish
#define store_batch_find_sha sqlite_batch_find_sha
#define store_batch_get sqlite_batch_get
#define store_batch_finish_upload sqlite_batch_finish_upload
#define store_backup sqlite_backup
#define store_check_integrity sqlite_check_integrity
#define store_check_triggers sqlite_check_triggers
#define store_balance_each_raw sqlite_balance_each_raw
#define store_day_each_raw sqlite_day_each_raw
#define store_key_names sqlite_key_names
#define store_table_each sqlite_table_each
#define store_table_insert sqlite_table_insert
#define store_table_count sqlite_table_count
#define store_copy_finish sqlite_copy_finish
#endif
