/* What verify's passes share (verify*.c, checkpoint.c): the master data
 * as the events say it was at every moment, rebuilt in memory (master
 * data is small next to the ledger), and the chains' heads. */
#ifndef INVADJ_ENGINE_VERIFY_H
#define INVADJ_ENGINE_VERIFY_H

#include "engine/internal.h"
#include "engine/rules.h"

#define BOOK_MAX_FIELDS 12

/* One state of an entity, from one event. */
typedef struct version {
	char recorded_at[32];
	int64_t event_seq;
	int64_t actor;
	char action[16];
	char *text;                      /* the canonical state, as hashed */
	char *field[BOOK_MAX_FIELDS];    /* its fields, each NUL-terminated (one allocation) */
	int nfields;
	/* Stores only, set by the ledger pass: the first row of the store's
	 * chain recorded at or after this version's time, and after it
	 * (INT64_MAX: none).  A row between the two was saved in the same
	 * millisecond as the change: either state may have applied. */
	int64_t first_id_at, first_id_after;
} version;

typedef struct entity {
	int64_t id;
	version *v;
	size_t n, cap;
} entity;

typedef struct timeline {
	hmap *index; /* id -> index in e */
	entity *e;
	size_t n, cap;
} timeline;

/* Kinds by their table: stores, items, reasons, users, batches. */
#define BOOK_KINDS 5

typedef struct master_book {
	timeline kind[BOOK_KINDS];
	uint64_t events;
	uint64_t checkpoints;
	store_chain_pos head; /* the master chain's */
} master_book;

void book_free(master_book *b);
/* The entity (t, id), or NULL. */
const entity *book_entity(const master_book *b, store_table t, int64_t id);
entity *book_find(master_book *b, store_table t, int64_t id);
/* The version in effect at time `when`: the last recorded at or before
 * it (strict: before it).  NULL when the entity did not exist then. */
const version *entity_at(const entity *e, const char *when, bool strict);
/* The versions a ledger row recorded at `when` may have met: the last
 * one before that millisecond and every one of that very millisecond
 * (rows and events are not ordered within it).  *n of them from the
 * returned one on; NULL and 0 when the entity did not exist then. */
const version *entity_span(const entity *e, const char *when, size_t *n);
const version *entity_latest(const entity *e);

/* A user as the rules see them in version v (NULL: unknown). */
void book_rule_user(const version *v, int64_t id, rule_user *out);
/* The name or code an entity is known by (its key field), "" if unknown. */
const char *book_key(const master_book *b, store_table t, int64_t id);

/* The master chain: every event checked and the book filled. */
iv_status verify_events(iv_db *db, master_book *book);
/* Every row of the derived tables against its entity's latest state. */
iv_status verify_master_tables(iv_db *db, const master_book *book);

/* The ledger's passes: each store chain in id order (hashes and the
 * rules of one row), then each store and item in id order (the rules
 * that sum: stock, approval threshold, stored sums). */
typedef struct ledger_tally {
	uint64_t rows, chains, balances;
} ledger_tally;
iv_status verify_chains(iv_db *db, master_book *book, ledger_tally *out);
iv_status verify_pairs(iv_db *db, const master_book *book, ledger_tally *out);

/* The cost history against the item events, and the report summaries
 * against the ledger rows and that history (verify_reports.c). */
iv_status verify_reports(iv_db *db, const master_book *book);
/* Each posted count's rows against its scans (verify_counts.c). */
iv_status verify_counts(iv_db *db, const master_book *book, uint64_t *posted_counts);

/* Checkpoints (checkpoint.c). */
typedef struct chain_list {
	canon_chain *v;
	size_t n, cap;
} chain_list;
/* The master chain and every store chain as they are now, in
 * checkpoint order. */
iv_status checkpoint_chains(iv_db *db, chain_list *out);
void chain_list_free(chain_list *l);
iv_status verify_checkpoints(iv_db *db, const char *text, uint64_t *proved);

#endif
