/* What a storage backend provides: one function for each function of
 * store.h (listed once, in store_funcs.h), gathered in a table.  Every
 * backend's handle begins with one header, store_common: the pointer to
 * its table, through which store.c hands each store_<name> call to the
 * backend's <name>, and the last failure's sentence (store_errmsg). */
#ifndef INVADJ_STORE_BACKEND_H
#define INVADJ_STORE_BACKEND_H

#include "store/store.h"
#include "store/store_funcs.h"

struct store_backend {
	const char *kind; /* "SQLite", "PostgreSQL" */
#define STORE_MEMBER(ret, fn, params, args) ret(*fn) params;
#define STORE_MEMBER_VOID(fn, params, args) void(*fn) params;
	STORE_FUNCS(STORE_MEMBER, STORE_MEMBER_VOID)
#undef STORE_MEMBER
#undef STORE_MEMBER_VOID
};

/* A backend's declarations of its functions prefix_<name>, and its
 * table of them (they must all exist: a missing one fails the link). */
#define STORE_DECL_sqlite(ret, fn, params, args) ret sqlite_##fn params;
#define STORE_DECL_VOID_sqlite(fn, params, args) void sqlite_##fn params;
#define STORE_DECL_pg(ret, fn, params, args) ret pg_##fn params;
#define STORE_DECL_VOID_pg(fn, params, args) void pg_##fn params;
#define STORE_ENTRY_sqlite(ret, fn, params, args) .fn = sqlite_##fn,
#define STORE_ENTRY_VOID_sqlite(fn, params, args) .fn = sqlite_##fn,
#define STORE_ENTRY_pg(ret, fn, params, args) .fn = pg_##fn,
#define STORE_ENTRY_VOID_pg(fn, params, args) .fn = pg_##fn,

extern const store_backend sqlite_backend;
extern const store_backend pg_backend;

/* The head of every backend's handle (its first member): be is the
 * backend's table; errmsg the last failure's sentence.  (A handle whose
 * backend could not be loaded has a table with close alone: only
 * store_errmsg and store_close are called on a handle that failed to
 * open.) */
typedef struct store_common {
	const store_backend *be;
	char errmsg[IV_MSG_MAX];
} store_common;

/* A LIKE pattern in which the user's %, _ and \ are literal (escape
 * character \): prefix matching, or containing when leading is set. */
void store_like_pattern(char *out, size_t n, const char *text, bool leading);
/* The statement that serves a history query: the index of its most
 * selective filter (store.h). */
store_history_drive store_history_drive_of(const store_history_query *q);
/* The search key of an item: its identifiers and description folded. */
#define STORE_ITEM_KEY_MAX (6 * IV_IDENT_SIZE + IV_NAME_SIZE + 8)
void store_item_key(const iv_item *it, char *out, size_t size);

/* A stored 32-byte hash as the rows give it: lower-case hex and a NUL
 * (out holds 2 * STORE_HASH_LEN + 1 characters). */
void store_hash_hex(const unsigned char h[STORE_HASH_LEN], char out[IV_HASH_HEX]);

/* A user's role as both backends keep it: its name in users.role. */
const char *store_role_text(iv_role role);
iv_role store_role_parse(const char *text); /* unknown: clerk, the least */
/* A count's scope, status and scan kinds as the counts tables keep them. */
const char *store_scope_text(iv_count_scope s);
const char *store_count_status_text(iv_count_status s);
const char *store_scan_kind_text(iv_scan_kind k);
iv_count_scope store_scope_parse(const char *text);
iv_count_status store_count_status_parse(const char *text);
iv_scan_kind store_scan_kind_parse(const char *text);

iv_status sqlite_open(const char *path, iv_open_mode mode, store_upgrade_fn upgrade, store **out);
iv_status pg_open(const char *path, iv_open_mode mode, store_upgrade_fn upgrade, store **out);

/* ---- The PostgreSQL backend as a loadable module ----------------------
 * The PostgreSQL backend (pg_*.c, with libpq) is built as a shared
 * object of its own, which store_open loads (store_module.c) the first
 * time it is given a postgresql:// address: a run on a SQLite file does
 * not load libpq and the libraries it pulls in.  The module exports one
 * symbol, STORE_MODULE_SYMBOL, a store_module; the program uses it only
 * if it was built from the same interface as the program itself. */
#define STORE_MODULE_SYMBOL "invadj_pg_module"

/* The text of the storage interface (every function's signature) and
 * the sizes of the structures both sides pass: a module made from
 * another version of the sources is refused rather than called. */
#define STORE_SIGNATURE_TEXT(ret, fn, params, args) #ret " " #fn #params ";"
#define STORE_SIGNATURE_TEXT_VOID(fn, params, args) "void " #fn #params ";"
#define STORE_INTERFACE_TEXT STORE_FUNCS(STORE_SIGNATURE_TEXT, STORE_SIGNATURE_TEXT_VOID)
#define STORE_INTERFACE_SIZES                                                            \
	{                                                                                    \
		sizeof(store_common), sizeof(store_backend), sizeof(store_ledger_rec),           \
		sizeof(store_user), sizeof(store_event), sizeof(iv_store),                       \
		sizeof(iv_item), sizeof(iv_reason), sizeof(iv_user), sizeof(iv_batch),           \
		sizeof(iv_history_filter), sizeof(iv_ledger_row), sizeof(iv_balance_row),        \
		sizeof(store_chain_pos), sizeof(store_audit_row), sizeof(store_pair_row),        \
		sizeof(store_role_change), sizeof(store_count), sizeof(store_count_scan),          \
		sizeof(store_count_end)                                                          \
	}
#define STORE_INTERFACE_NSIZES 20

typedef struct store_module {
	const char *interface;                         /* STORE_INTERFACE_TEXT */
	size_t sizes[STORE_INTERFACE_NSIZES];          /* STORE_INTERFACE_SIZES */
	iv_status (*open)(const char *path, iv_open_mode mode, store_upgrade_fn upgrade, store **out);
} store_module;

/* Opens a postgresql:// address through the module, loading it first
 * (once per process).  A module that is missing, cannot be loaded or
 * is from another build gives one sentence on a handle of no backend. */
iv_status store_module_open_pg(const char *path, iv_open_mode mode, store_upgrade_fn upgrade,
                               store **out);

#endif
