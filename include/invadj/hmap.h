/* A hash map from byte-string keys to 64-bit values, for the in-memory
 * lookups of the bulk loader and of verify (identifiers to ids, store
 * and item pairs to running balances).  Keys are copied; values are
 * plain integers (often an index into the caller's own array).  Hashing
 * is libsodium's SipHash with a random key, so crafted files cannot
 * make it slow. */
#ifndef INVADJ_HMAP_H
#define INVADJ_HMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct hmap hmap;

hmap *hmap_new(void); /* NULL on allocation failure */
void hmap_free(hmap *m);
size_t hmap_count(const hmap *m);

/* The value stored for key, or NULL. */
int64_t *hmap_get(const hmap *m, const void *key, size_t len);

/* The value slot for key, inserting it with value init when absent;
 * NULL on allocation failure.  *created tells which (may be NULL). */
int64_t *hmap_put(hmap *m, const void *key, size_t len, int64_t init, int *created);

/* Calls fn for every entry, in no particular order. */
void hmap_each(const hmap *m, void (*fn)(void *ctx, const void *key, size_t len, int64_t value),
               void *ctx);

#endif
