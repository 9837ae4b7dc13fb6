/* What every backend shares about copying whole tables (store.h). */
#include "store/store.h"

const int store_table_cols[STORE_T_COUNT] = {
	[STORE_T_STORES] = 6,   [STORE_T_ITEMS] = 10,   [STORE_T_REASONS] = 3,    [STORE_T_USERS] = 9,
	[STORE_T_BATCHES] = 12, [STORE_T_EVENTS] = 11, [STORE_T_LEDGER] = 17,    [STORE_T_BALANCES] = 3,
	[STORE_T_DAY_TOTALS] = 4, [STORE_T_USER_DAYS] = 5, [STORE_T_COUNTS] = 9, [STORE_T_COUNT_ITEMS] = 2,
	[STORE_T_COUNT_SCANS] = 9, [STORE_T_COUNT_ENDS] = 7, [STORE_T_ITEM_COSTS] = 3,
	[STORE_T_REPORT_ITEMS] = 11, [STORE_T_REPORT_DAYS] = 10,
};

const char *const store_table_names[STORE_T_COUNT] = {
	[STORE_T_STORES] = "stores",     [STORE_T_ITEMS] = "items",         [STORE_T_REASONS] = "reasons",
	[STORE_T_USERS] = "users",       [STORE_T_BATCHES] = "batches",     [STORE_T_EVENTS] = "events",
	[STORE_T_LEDGER] = "ledger",     [STORE_T_BALANCES] = "balances",   [STORE_T_DAY_TOTALS] = "day_totals",
	[STORE_T_USER_DAYS] = "user_days", [STORE_T_COUNTS] = "counts", [STORE_T_COUNT_ITEMS] = "count_items",
	[STORE_T_COUNT_SCANS] = "count_scans", [STORE_T_COUNT_ENDS] = "count_ends",
	[STORE_T_ITEM_COSTS] = "item_costs", [STORE_T_REPORT_ITEMS] = "report_items",
	[STORE_T_REPORT_DAYS] = "report_days",
};
