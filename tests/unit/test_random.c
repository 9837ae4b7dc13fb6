/* Seeded random testing of the ledger rules against a simple model.
 *
 * Thousands of random adjustments (many back-dated), small Delta
 * uploads (all or nothing) and reversals; the model predicts which the
 * engine must accept or refuse, and after every
 * step each balance must equal the model's sum, as-of balances must
 * match, and no store without negative stock may be below zero on any
 * day; every 250 steps verify replays every rule and finds no fault.
 * The seed is printed; INVADJ_SEED=N replays a failure. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "invadj/date.h"
#include "invadj/upload.h"
#include "support/fixture.h"

#define DAYS 40 /* day 0 .. DAYS-1, the last one is "today" */
#define STEPS 1500
#define MAX_ROWS (STEPS * 5 + 16) /* an upload adds up to 5 rows a step */

static const char *const stores[] = {"MAIN", "NEG"};
static const char *const items[] = {"KB-100", "MS-200", "CB-0042"};

typedef struct model {
	iv_qty day[2][3][DAYS]; /* sum of Diffs per store, item, day */
	struct {
		int store, item, day;
		iv_qty diff;
		bool reversed, is_reversal;
		int64_t id; /* its ledger id: rising, not always by one (a server's
		             * ids skip those a refused upload took) */
	} rows[MAX_ROWS + 8];
	int nrows;
} model;

static iv_date today_date(void)
{
	iv_date d;
	date_parse(FIXTURE_TODAY, &d);
	return d;
}

static void day_text(int day, char buf[IV_DATE_ISO_LEN])
{
	date_format(today_date() - (DAYS - 1) + day, buf);
}

static iv_qty running(const model *m, int s, int i, int day)
{
	iv_qty q = 0;
	for (int d = 0; d <= day; d++)
		q += m->day[s][i][d];
	return q;
}

/* Would adding diff on day leave every day from then on at zero or above? */
static bool model_allows(const model *m, int s, int i, int day, iv_qty diff)
{
	if (s == 1 || diff > 0)
		return true;
	for (int d = day; d < DAYS; d++)
		if (running(m, s, i, d) + diff < 0)
			return false;
	return true;
}

static void record(model *m, int64_t id, int s, int i, int day, iv_qty diff, bool is_reversal)
{
	if (m->nrows > 0 && id <= m->rows[m->nrows - 1].id)
		fail_msg("ledger id %lld is not above the row before (#%lld)", (long long)id,
		         (long long)m->rows[m->nrows - 1].id);
	m->rows[m->nrows].id = id;
	m->day[s][i][day] += diff;
	m->rows[m->nrows].store = s;
	m->rows[m->nrows].item = i;
	m->rows[m->nrows].day = day;
	m->rows[m->nrows].diff = diff;
	m->rows[m->nrows].reversed = false;
	m->rows[m->nrows].is_reversal = is_reversal;
	m->nrows++;
}

static void check_all(iv_db *db, const model *m, bool every_day, unsigned *rng)
{
	for (int s = 0; s < 2; s++)
		for (int i = 0; i < 3; i++) {
			iv_qty q;
			assert_int_equal(iv_net_available(db, stores[s], items[i], NULL, &q), IV_OK);
			assert_int_equal(q, running(m, s, i, DAYS - 1));
			int from = every_day ? 0 : rand_r(rng) % DAYS, to = every_day ? DAYS : from + 1;
			for (int d = from; d < to; d++) {
				char t[IV_DATE_ISO_LEN];
				day_text(d, t);
				assert_int_equal(iv_net_available(db, stores[s], items[i], t, &q), IV_OK);
				assert_int_equal(q, running(m, s, i, d));
				if (s == 0)
					assert_true(q >= 0);
			}
		}
}

/* A Delta upload of 1 to 5 random rows: the model applies them one by
 * one (each row sees the earlier ones); one refusal refuses them all. */
static void random_upload(fixture *f, model *m, unsigned *rng, int step, unsigned seed)
{
	int n = 1 + rand_r(rng) % 5;
	int s[5], i[5], day[5];
	iv_qty diff[5];
	char text[1024];
	int len = snprintf(text, sizeof text, "StoreCode,ItemNumber,Qty,ReasonCode,TransactionDate,Memo\n");
	for (int k = 0; k < n; k++) {
		s[k] = rand_r(rng) % 2;
		i[k] = rand_r(rng) % 3;
		day[k] = rand_r(rng) % 2 ? DAYS - 1 : rand_r(rng) % DAYS;
		diff[k] = rand_r(rng) % 31 - 15;
		if (diff[k] == 0)
			diff[k] = -4;
		char date[IV_DATE_ISO_LEN];
		day_text(day[k], date);
		/* A memo unique to the step keeps every file's content new. */
		len += snprintf(text + len, sizeof text - (size_t)len, "%s,%s,%lld,CC,%s,step %d row %d\n",
		                stores[s[k]], items[i[k]], (long long)diff[k], date, step, k);
	}
	static model trial;
	trial = *m;
	bool expect = true;
	for (int k = 0; k < n && expect; k++) {
		expect = model_allows(&trial, s[k], i[k], day[k], diff[k]);
		if (expect)
			record(&trial, trial.nrows ? trial.rows[trial.nrows - 1].id + 1 : 1, s[k], i[k], day[k],
			       diff[k], false);
	}
	iv_upload_opts opts = {.path = fixture_file(f, "random.csv", text), .rule = IV_RULE_DELTA};
	iv_upload_result res;
	iv_status st = iv_upload(f->db, &opts, &res);
	if ((st == IV_OK) != expect)
		fail_msg("step %d (seed %u): upload of %d rows: engine %d, model %s: %s\n%s", step, seed, n,
		         st, expect ? "accepts" : "refuses", iv_errmsg(f->db), text);
	if (expect) {
		assert_int_equal(res.posted, (uint64_t)n);
		for (int k = 0; k < n; k++) /* one document of ids in a row */
			trial.rows[m->nrows + k].id = res.document + k;
		assert_true(m->nrows == 0 || res.document > m->rows[m->nrows - 1].id);
		*m = trial;
	}
}

static void test_random_operations_keep_every_invariant(void **state)
{
	fixture *f = *state;
	unsigned seed = getenv("INVADJ_SEED") ? (unsigned)atoi(getenv("INVADJ_SEED")) : (unsigned)time(NULL);
	print_message("random ledger test: seed %u (replay with INVADJ_SEED=%u)\n", seed, seed);
	unsigned rng = seed;
	static model m;
	memset(&m, 0, sizeof m);
	/* The fixture's opening stock: rows 1 and 2, dated FIXTURE_OPENING. */
	iv_date open_d;
	date_parse(FIXTURE_OPENING, &open_d);
	int open_day = (int)(open_d - (today_date() - (DAYS - 1)));
	record(&m, 1, 0, 0, open_day, 100, false);
	record(&m, 2, 0, 1, open_day, 50, false);
	iv_db *sup = fixture_open_other(f, "super", "2222");

	for (int step = 0; step < STEPS; step++) {
		int op = rand_r(&rng) % 10;
		if (op == 9) {
			random_upload(f, &m, &rng, step, seed);
		} else if (op < 7 || m.nrows == 0) {
			int s = rand_r(&rng) % 2, i = rand_r(&rng) % 3;
			int day = rand_r(&rng) % 3 ? DAYS - 1 : rand_r(&rng) % DAYS;
			iv_qty diff = rand_r(&rng) % 41 - 20;
			if (diff == 0)
				diff = 7;
			char ds[24], date[IV_DATE_ISO_LEN];
			snprintf(ds, sizeof ds, "%lld", (long long)diff);
			day_text(day, date);
			bool expect = model_allows(&m, s, i, day, diff);
			int64_t id;
			iv_status st = fixture_adjust(f->db, stores[s], items[i], ds, date, &id);
			if (st != (expect ? IV_OK : IV_E_REFUSED))
				fail_msg("step %d (seed %u): adjust %s %s %s on %s: engine %d, model %s: %s", step, seed,
				         stores[s], items[i], ds, date, st, expect ? "accepts" : "refuses",
				         iv_errmsg(f->db));
			if (expect) {
				record(&m, id, s, i, day, diff, false);
			}
		} else {
			int k = rand_r(&rng) % m.nrows;
			int64_t id = m.rows[k].id;
			iv_reversal rev = {.id = id};
			iv_line_out out;
			bool expect = !m.rows[k].is_reversal && !m.rows[k].reversed &&
			              model_allows(&m, m.rows[k].store, m.rows[k].item, DAYS - 1, -m.rows[k].diff);
			iv_status st = iv_reverse(sup, &rev, &out);
			if ((st == IV_OK) != expect)
				fail_msg("step %d (seed %u): reverse #%lld: engine %d, model %s: %s", step, seed,
				         (long long)id, st, expect ? "accepts" : "refuses", iv_errmsg(sup));
			if (expect) {
				m.rows[k].reversed = true;
				record(&m, out.id, m.rows[k].store, m.rows[k].item, DAYS - 1, -m.rows[k].diff, true);
			}
		}
		check_all(f->db, &m, step % 100 == 99, &rng);
		/* verify replays every rule from the rows: what the engine
		 * accepted it must accept too, back-dated lines included. */
		if (step % 250 == 249) {
			iv_verify_report r;
			if (iv_verify(f->db, &r) != IV_OK)
				fail_msg("step %d (seed %u): verify: %s", step, seed, iv_errmsg(f->db));
		}
	}
	iv_verify_report r;
	assert_int_equal(iv_verify(f->db, &r), IV_OK);
	assert_int_equal(r.ledger_rows, (uint64_t)m.nrows);
	iv_close(sup);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_random_operations_keep_every_invariant, fixture_setup,
		                                fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
