/* The statements both backends prepare, each named once: X(NAME) for
 * one statement, R(NAME, N) for N statements in a row, NAME to
 * NAME_LAST.  Each backend makes its enum of statements from this list
 * with its own prefix (Q_ in sqlite_internal.h, PQ_ in pg_internal.h),
 * adds the statements only it needs after them, and gives every one its
 * text in its table (sqlite_sql.c, pg_sql.c), indexed by that enum.
 *
 * Where a new statement goes: here when both backends run it (its text
 * in both tables), else at the end of its backend's enum (its text in
 * that backend's table); text both spell alike goes in sql_shared.h.
 *
 * HISTORY is STORE_HIST_DRIVES x STORE_HIST_KINDS statements,
 * drive-major (store_history_drive_of).  BALANCES to BALANCES_ASOF_OF_PAIR
 * are one statement for each set of filters given, so that each uses its
 * index: BALANCES (or BALANCES_ASOF) + BALANCES_SHAPE (sql_shared.h). */
#ifndef INVADJ_STORE_QUERIES_H
#define INVADJ_STORE_QUERIES_H

#define STORE_QUERIES(X, R)                                                                        \
	X(STORE_FIND)                                                                                     \
	X(STORE_UPSERT)                                                                                   \
	X(STORE_EACH)                                                                                     \
	X(ITEM_FIND_ANY)                                                                                  \
	X(ITEM_FIND_NUMBER)                                                                               \
	X(ITEM_FIND_UPC)                                                                                  \
	X(ITEM_FIND_BARCODE)                                                                              \
	X(ITEM_FIND_ALT1)                                                                                 \
	X(ITEM_FIND_ALT2)                                                                                 \
	X(ITEM_FIND_ALT3)                                                                                 \
	X(ITEM_UPSERT)                                                                                    \
	X(ITEM_EACH)                                                                                      \
	X(ITEM_SEARCH)                                                                                    \
	X(ITEM_UNFOLDED)                                                                                  \
	X(ITEM_SET_KEY)                                                                                   \
	X(ITEM_PAGE)                                                                                      \
	X(ITEM_PAGE_BACK)                                                                                 \
	X(ITEM_COUNT)                                                                                     \
	X(STOCK_PAGE)                                                                                     \
	X(STOCK_PAGE_BACK)                                                                                \
	X(STOCK_COUNT)                                                                                    \
	X(REASON_FIND)                                                                                    \
	X(REASON_UPSERT)                                                                                  \
	X(REASON_EACH)                                                                                    \
	X(USER_FIND)                                                                                      \
	X(USER_INSERT)                                                                                    \
	X(LOGIN_GET)                                                                                      \
	X(LOGIN_SET)                                                                                      \
	X(LOGIN_CLEAR)                                                                                    \
	X(USER_COUNT)                                                                                     \
	X(USER_ADMINS)                                                                                    \
	X(USER_SET_PIN)                                                                                   \
	X(USER_DISABLE)                                                                                   \
	X(USER_ENABLE)                                                                                    \
	X(USER_SET_ROLE)                                                                                  \
	X(USER_EACH)                                                                                      \
	X(USER_ID_ANY_CASE)                                                                               \
	X(LEDGER_LAST_ID)                                                                                 \
	X(CHAIN_HEAD)                                                                                     \
	X(CHAIN_ROW)                                                                                      \
	X(CHAIN_HEADS)                                                                                    \
	X(LEDGER_INSERT)                                                                                  \
	X(LEDGER_GET)                                                                                     \
	X(LEDGER_REVERSED_BY)                                                                             \
	R(HISTORY, STORE_HIST_DRIVES * STORE_HIST_KINDS)                                                  \
	X(BALANCE_GET)                                                                                    \
	X(BALANCE_ADD)                                                                                    \
	X(DAY_ADD)                                                                                        \
	X(BALANCE_ADD_MANY)                                                                               \
	X(DAY_ADD_MANY)                                                                                   \
	X(USER_DAY_ADD_MANY)                                                                              \
	X(BALANCE_ASOF)                                                                                   \
	X(DAYS_AFTER)                                                                                     \
	X(STOCK_AFTER)                                                                                    \
	X(BALANCES)                                                                                       \
	X(BALANCES_OF_STORE)                                                                              \
	X(BALANCES_OF_ITEM)                                                                               \
	X(BALANCES_OF_PAIR)                                                                               \
	X(BALANCES_ASOF)                                                                                  \
	X(BALANCES_ASOF_OF_STORE)                                                                         \
	X(BALANCES_ASOF_OF_ITEM)                                                                          \
	X(BALANCES_ASOF_OF_PAIR)                                                                          \
	X(USER_DAY_GET)                                                                                   \
	X(USER_DAY_ADD)                                                                                   \
	X(PAIR_SUMS)                                                                                      \
	X(BATCH_INSERT)                                                                                   \
	X(BATCH_FINISH)                                                                                   \
	X(BATCH_FIND_SHA)                                                                                 \
	X(BATCH_GET)                                                                                      \
	X(BATCH_FINISH_UPLOAD)                                                                            \
	X(EVENT_HEAD)                                                                                     \
	X(EVENT_AT)                                                                                       \
	X(EVENT_INSERT)                                                                                   \
	X(EVENTS_EACH)                                                                                    \
	X(COUNT_INSERT)                                                                                   \
	X(COUNT_GET)                                                                                      \
	X(COUNT_GET_TALLIED)                                                                              \
	X(COUNT_EACH)                                                                                     \
	X(COUNT_EACH_POSTED)                                                                              \
	X(COUNT_ITEM_ADD)                                                                                 \
	X(COUNT_IN_LIST)                                                                                  \
	X(COUNT_SCAN_INSERT)                                                                              \
	X(COUNT_SCANS_OF_ITEM)                                                                            \
	X(COUNT_SCANS_ALL)                                                                                \
	X(COUNT_LAST_SCAN)                                                                                \
	X(COUNT_LIST_ITEMS)                                                                               \
	X(COUNT_STOCK)                                                                                    \
	X(COUNT_END_INSERT)                                                                               \
	X(CHAIN_SUMS)                                                                                     \
	X(ITEM_MOVED_AFTER)                                                                               \
	X(ITEM_COST_GET)                                                                                  \
	X(ITEM_COST_SET)                                                                                  \
	X(COST_HISTORY_PUT)                                                                               \
	X(COST_AT)                                                                                        \
	X(REPORT_ADD_ITEMS)                                                                               \
	X(REPORT_ADD_DAYS)                                                                                \
	X(REPORT_DAYS)                                                                                    \
	X(REPORT_ITEMS)                                                                                   \
	X(REPORT_ITEMS_OF_ITEM)                                                                           \
	X(REPORT_AUDIT_ITEMS)                                                                             \
	X(REPORT_AUDIT_DAYS)                                                                              \
	X(BATCH_LINES)

#endif
