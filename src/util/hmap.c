/* Open addressing with linear probing.  Short keys (most are: ids,
 * codes) are kept in the slot itself, so a lookup touches one cache
 * line; longer keys live in one growing arena, so that a million entries
 * cost two allocations, not a million. */
#include "invadj/hmap.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define INLINE_KEY 24

typedef struct slot {
	uint64_t hash; /* 0: empty */
	int64_t value;
	uint32_t key_len;
	uint32_t pad;
	union {
		unsigned char bytes[INLINE_KEY]; /* key_len <= INLINE_KEY */
		size_t off;                      /* into the arena, otherwise */
	} key;
} slot;

static const unsigned char *slot_key(const slot *s, const unsigned char *arena)
{
	return s->key_len <= INLINE_KEY ? s->key.bytes : arena + s->key.off;
}

struct hmap {
	slot *slots;
	size_t cap; /* power of two */
	size_t count;
	unsigned char *arena;
	size_t arena_len, arena_cap;
	unsigned char sipkey[crypto_shorthash_KEYBYTES];
};

static uint64_t hash_key(const hmap *m, const void *key, size_t len)
{
	unsigned char out[crypto_shorthash_BYTES];
	crypto_shorthash(out, key, len, m->sipkey);
	uint64_t h;
	memcpy(&h, out, sizeof h);
	return h ? h : 1; /* 0 marks an empty slot */
}

hmap *hmap_new(void)
{
	if (sodium_init() < 0)
		return NULL;
	hmap *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->cap = 1024;
	m->slots = calloc(m->cap, sizeof *m->slots);
	if (!m->slots) {
		free(m);
		return NULL;
	}
	crypto_shorthash_keygen(m->sipkey);
	return m;
}

void hmap_free(hmap *m)
{
	if (!m)
		return;
	free(m->slots);
	free(m->arena);
	free(m);
}

size_t hmap_count(const hmap *m)
{
	return m->count;
}

static slot *find_slot(slot *slots, size_t cap, uint64_t h, const unsigned char *arena,
                       const void *key, size_t len)
{
	size_t i = (size_t)h & (cap - 1);
	for (;;) {
		slot *s = &slots[i];
		if (s->hash == 0)
			return s;
		if (s->hash == h && s->key_len == len && memcmp(slot_key(s, arena), key, len) == 0)
			return s;
		i = (i + 1) & (cap - 1);
	}
}

int64_t *hmap_get(const hmap *m, const void *key, size_t len)
{
	slot *s = find_slot(m->slots, m->cap, hash_key(m, key, len), m->arena, key, len);
	return s->hash ? &s->value : NULL;
}

static int grow(hmap *m)
{
	size_t ncap = m->cap * 2;
	slot *ns = calloc(ncap, sizeof *ns);
	if (!ns)
		return -1;
	for (size_t i = 0; i < m->cap; i++) {
		slot *s = &m->slots[i];
		if (!s->hash)
			continue;
		size_t j = (size_t)s->hash & (ncap - 1);
		while (ns[j].hash)
			j = (j + 1) & (ncap - 1);
		ns[j] = *s;
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

int64_t *hmap_put(hmap *m, const void *key, size_t len, int64_t init, int *created)
{
	if (len > UINT32_MAX)
		return NULL;
	uint64_t h = hash_key(m, key, len);
	slot *s = find_slot(m->slots, m->cap, h, m->arena, key, len);
	if (s->hash) {
		if (created)
			*created = 0;
		return &s->value;
	}
	if ((m->count + 1) * 4 > m->cap * 3) { /* keep the load under 3/4 */
		if (grow(m) < 0)
			return NULL;
		s = find_slot(m->slots, m->cap, h, m->arena, key, len);
	}
	s->hash = h;
	s->key_len = (uint32_t)len;
	s->value = init;
	if (len <= INLINE_KEY) {
		if (len)
			memcpy(s->key.bytes, key, len);
	} else {
		if (m->arena_len + len > m->arena_cap) {
			size_t ncap = m->arena_cap ? m->arena_cap : 4096;
			while (ncap < m->arena_len + len)
				ncap *= 2;
			unsigned char *na = realloc(m->arena, ncap);
			if (!na) {
				s->hash = 0;
				return NULL;
			}
			m->arena = na;
			m->arena_cap = ncap;
		}
		memcpy(m->arena + m->arena_len, key, len);
		s->key.off = m->arena_len;
		m->arena_len += len;
	}
	m->count++;
	if (created)
		*created = 1;
	return &s->value;
}

void hmap_each(const hmap *m, void (*fn)(void *ctx, const void *key, size_t len, int64_t value),
               void *ctx)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].hash)
			fn(ctx, slot_key(&m->slots[i], m->arena), m->slots[i].key_len, m->slots[i].value);
}
