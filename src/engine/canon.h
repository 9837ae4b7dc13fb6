/* The canonical encodings that invadj hashes, byte for byte as
 * docs/schema.md gives them, so that an auditor can recompute every
 * hash from an export alone (tests/cli/ivchain.py does, with Python's
 * hashlib):
 *   - a ledger row, version 1 (rows from before schema 4) and version 2;
 *   - an event of the master chain;
 *   - a checkpoint's root over the chains' lengths and heads.
 * Every field of version 2 is a netstring, "<decimal length>:<bytes>,",
 * so no field can run into the next, and none is cut to a buffer. */
#ifndef INVADJ_ENGINE_CANON_H
#define INVADJ_ENGINE_CANON_H

#include <sodium.h>

#include "store/store.h"

/* Hashing a sequence of netstrings with BLAKE2b-256. */
typedef struct ns_hasher {
	crypto_generichash_state st;
	size_t len;
	unsigned char buf[1024];
} ns_hasher;

void ns_hash_init(ns_hasher *h);
void ns_hash_bytes(ns_hasher *h, const void *p, size_t n);
void ns_hash_text(ns_hasher *h, const char *s); /* NULL: the empty field */
void ns_hash_int(ns_hasher *h, int64_t v);
void ns_hash_ref(ns_hasher *h, int64_t id);     /* 0 (SQL NULL): the empty field */
void ns_hash_final(ns_hasher *h, unsigned char out[STORE_HASH_LEN]);

/* A text made of netstrings (an event's state). */
typedef struct ns_text {
	char *s;
	size_t len, cap;
	bool nomem;
} ns_text;

void ns_text_add(ns_text *t, const char *field); /* NULL: the empty field */
void ns_text_free(ns_text *t);
/* Splits text into at most max fields; returns their number, or -1
 * when text is not a sequence of netstrings. */
int ns_split(const char *text, const char **field, size_t *len, int max);

/* What a version-2 row hash covers besides the row: the names its ids
 * stand for.  approver_name "" when there is none. */
typedef struct row_names {
	const char *store_code, *reason_code, *user_name, *approver_name;
} row_names;

/* The row's hash as its hash_version says, chained to prev (32 zero
 * bytes for a chain's first row).  names is not used by version 1. */
void canon_row_hash(const unsigned char prev[STORE_HASH_LEN], const store_ledger_rec *r,
                    const row_names *names, unsigned char out[STORE_HASH_LEN]);

/* An event's hash, chained to prev; actor_name is its user's name. */
void canon_event_hash(const unsigned char prev[STORE_HASH_LEN], const store_event *e,
                      const char *actor_name, unsigned char out[STORE_HASH_LEN]);

/* One chain as a checkpoint lists it. */
typedef struct canon_chain {
	char name[IV_CODE_SIZE]; /* a store code, or "" for the master chain */
	int64_t length;
	unsigned char head[STORE_HASH_LEN];
} canon_chain;

/* The root over chains (recorded_at NULL: without a time, as verify
 * prints it). */
void canon_root(const char *recorded_at, const canon_chain *chains, size_t n,
                unsigned char out[STORE_HASH_LEN]);

void canon_hex(const unsigned char h[STORE_HASH_LEN], char out[IV_HASH_HEX]);
bool canon_unhex(const char *hex, unsigned char out[STORE_HASH_LEN]);

#endif
