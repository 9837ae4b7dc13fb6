/* The bytes invadj hashes are the bytes docs/schema.md gives: each
 * test builds the input by hand, as an auditor would from the
 * documentation, and compares. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "engine/canon.h"

static void blake(const void *p, size_t n, unsigned char out[32])
{
	crypto_generichash(out, 32, p, n, NULL, 0);
}

/* Appends the netstring of n bytes at p to buf. */
static size_t ns(char *buf, size_t at, const void *p, size_t n)
{
	at += (size_t)sprintf(buf + at, "%zu:", n);
	memcpy(buf + at, p, n);
	at += n;
	buf[at++] = ',';
	return at;
}

static size_t nss(char *buf, size_t at, const char *s)
{
	return ns(buf, at, s, strlen(s));
}

static store_ledger_rec sample(void)
{
	store_ledger_rec r = {
		.id = 123456789012LL, .seq = 77, .document = 7, .store_id = 3, .item_id = 99, .reason_id = 2,
		.diff = -1000000000, .user_id = 1, .approved_by = 0, .reverses = 42, .batch_id = 9,
		.item_number = "KB-100", .memo = "memo|with|bars, and 3:colons,",
	};
	snprintf(r.tdate, sizeof r.tdate, "2026-03-15");
	snprintf(r.recorded_at, sizeof r.recorded_at, "2026-03-15T10:11:12.345Z");
	return r;
}

/* Version 1 is what schemas 1 and 2 wrote: rows migrated from them keep
 * verifying. */
static void test_row_hash_version_1(void **state)
{
	(void)state;
	store_ledger_rec r = sample();
	r.hash_version = 1;
	unsigned char prev[32], got[32], want[32];
	memset(prev, 0xab, sizeof prev);
	canon_row_hash(prev, &r, NULL, got);
	char text[512];
	memcpy(text, prev, 32);
	int n = snprintf(text + 32, sizeof text - 32, "%lld|%lld|%lld|%lld|%lld|%lld|%s|%s|%lld|%lld|%lld|%lld|%s",
	                 (long long)r.id, (long long)r.document, (long long)r.store_id,
	                 (long long)r.item_id, (long long)r.reason_id, (long long)r.diff, r.tdate,
	                 r.recorded_at, (long long)r.user_id, (long long)r.approved_by,
	                 (long long)r.reverses, (long long)r.batch_id, r.memo);
	blake(text, 32 + (size_t)n, want);
	assert_memory_equal(got, want, 32);
}

static void test_row_hash_version_2(void **state)
{
	(void)state;
	store_ledger_rec r = sample();
	r.hash_version = 2;
	row_names names = {"MAIN", "DMG", "clerk", "super"};
	unsigned char prev[32], got[32], want[32];
	memset(prev, 0xab, sizeof prev);
	canon_row_hash(prev, &r, &names, got);
	char b[1024];
	size_t k = 0;
	k = nss(b, k, "2");
	k = nss(b, k, "MAIN");
	k = nss(b, k, "77");
	k = nss(b, k, "123456789012");
	k = nss(b, k, "7");
	k = nss(b, k, "3");
	k = nss(b, k, "MAIN");
	k = nss(b, k, "99");
	k = nss(b, k, "KB-100");
	k = nss(b, k, "2");
	k = nss(b, k, "DMG");
	k = nss(b, k, "-1000000000");
	k = nss(b, k, "2026-03-15");
	k = nss(b, k, "2026-03-15T10:11:12.345Z");
	k = nss(b, k, "1");
	k = nss(b, k, "clerk");
	k = nss(b, k, "");  /* no approver: the empty field, id and name */
	k = nss(b, k, "");
	k = nss(b, k, "42");
	k = nss(b, k, "9");
	k = nss(b, k, "memo|with|bars, and 3:colons,");
	k = ns(b, k, prev, 32);
	blake(b, k, want);
	assert_memory_equal(got, want, 32);
	/* Every field counts, at its full length. */
	unsigned char other[32];
	snprintf(r.tdate, sizeof r.tdate, "2026-03-16");
	canon_row_hash(prev, &r, &names, other);
	assert_memory_not_equal(got, other, 32);
	r = sample();
	r.hash_version = 2;
	names.store_code = "MAINX";
	canon_row_hash(prev, &r, &names, other);
	assert_memory_not_equal(got, other, 32);
}

/* Netstrings leave no two rows the same bytes by moving text between
 * fields. */
static void test_fields_cannot_run_together(void **state)
{
	(void)state;
	store_ledger_rec a = sample(), b = sample();
	a.hash_version = b.hash_version = 2;
	a.item_number = "KB-1";
	a.memo = "00";
	b.item_number = "KB-100";
	b.memo = "";
	row_names n = {"MAIN", "DMG", "clerk", ""};
	unsigned char prev[32] = {0}, ha[32], hb[32];
	canon_row_hash(prev, &a, &n, ha);
	canon_row_hash(prev, &b, &n, hb);
	assert_memory_not_equal(ha, hb, 32);
}

static void test_event_hash(void **state)
{
	(void)state;
	store_event e = {.id = 5, .seq = 4, .entity_id = 2, .entity_key = "MAIN",
	                 .state = "4:MAIN,4:Main,1:0,1:0,0:,", .user_id = 1, .hash_version = 2};
	snprintf(e.kind, sizeof e.kind, "store");
	snprintf(e.action, sizeof e.action, "change");
	snprintf(e.recorded_at, sizeof e.recorded_at, "2026-03-15T10:11:12.345Z");
	unsigned char prev[32], got[32], want[32];
	memset(prev, 7, sizeof prev);
	canon_event_hash(prev, &e, "admin", got);
	char b[512];
	size_t k = 0;
	k = nss(b, k, "2");
	k = nss(b, k, "");
	k = nss(b, k, "4");
	k = nss(b, k, "5");
	k = nss(b, k, "store");
	k = nss(b, k, "change");
	k = nss(b, k, "2");
	k = nss(b, k, "MAIN");
	k = nss(b, k, "4:MAIN,4:Main,1:0,1:0,0:,");
	k = nss(b, k, "2026-03-15T10:11:12.345Z");
	k = nss(b, k, "1");
	k = nss(b, k, "admin");
	k = ns(b, k, prev, 32);
	blake(b, k, want);
	assert_memory_equal(got, want, 32);
}

static void test_root(void **state)
{
	(void)state;
	canon_chain c[2] = {{"", 12, {0}}, {"MAIN", 340, {0}}};
	memset(c[0].head, 1, 32);
	memset(c[1].head, 2, 32);
	unsigned char got[32], want[32];
	canon_root("2026-03-15T10:11:12.345Z", c, 2, got);
	char b[512];
	size_t k = 0;
	k = nss(b, k, "invadj-checkpoint");
	k = nss(b, k, "1");
	k = nss(b, k, "2026-03-15T10:11:12.345Z");
	k = nss(b, k, "");
	k = nss(b, k, "12");
	k = ns(b, k, c[0].head, 32);
	k = nss(b, k, "MAIN");
	k = nss(b, k, "340");
	k = ns(b, k, c[1].head, 32);
	blake(b, k, want);
	assert_memory_equal(got, want, 32);
}

static void test_split(void **state)
{
	(void)state;
	const char *f[4];
	size_t len[4];
	assert_int_equal(ns_split("4:MAIN,0:,3:a,b,", f, len, 4), 3);
	assert_int_equal(len[0], 4);
	assert_int_equal(len[1], 0);
	assert_memory_equal(f[2], "a,b", 3);
	assert_int_equal(ns_split("", f, len, 4), 0);
	assert_int_equal(ns_split("4:MAIN", f, len, 4), -1);  /* no comma */
	assert_int_equal(ns_split("04:MAIN,", f, len, 4), -1); /* a leading zero */
	assert_int_equal(ns_split("9:MAIN,", f, len, 4), -1);  /* too long */
	assert_int_equal(ns_split("1:a,1:b,1:c,1:d,1:e,", f, len, 4), -1);
	ns_text t = {0};
	ns_text_add(&t, "MAIN");
	ns_text_add(&t, NULL);
	ns_text_add(&t, "a,b");
	assert_string_equal(t.s, "4:MAIN,0:,3:a,b,");
	ns_text_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_hash_version_1),
		cmocka_unit_test(test_row_hash_version_2),
		cmocka_unit_test(test_fields_cannot_run_together),
		cmocka_unit_test(test_event_hash),
		cmocka_unit_test(test_root),
		cmocka_unit_test(test_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
