/* The counting thread. */
#include "tui/counter.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* One worker for the whole program: the screens share it. */
static struct counter_state {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool running, stop;
	iv_db *own;       /* the worker's connection */
	iv_db *caller;    /* when there is no worker */
	struct count_request req;
	unsigned asked, done; /* tickets: the newest asked, the newest done */
	uint64_t n;
	bool failed;
} counter = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static const char *opt(const char *s) { return s[0] ? s : NULL; }

static iv_status count(iv_db *db, const struct count_request *r, uint64_t *n)
{
	switch (r->kind) {
	case COUNT_HISTORY: {
		iv_history_filter f = {.store = opt(r->text[0]), .item = opt(r->text[1]), .reason = opt(r->text[2]),
		                       .user = opt(r->text[3]), .from = opt(r->text[4]), .to = opt(r->text[5]),
		                       .batch = r->batch};
		return iv_history_count(db, &f, n);
	}
	case COUNT_STOCK: {
		iv_stock_query q = {opt(r->text[0]), opt(r->text[1]), opt(r->text[2]), NULL, false, 0};
		return iv_stock_count(db, &q, n);
	}
	case COUNT_ITEMS:
		return iv_item_count(db, r->text[1], n);
	}
	return IV_E_INVALID;
}

static void *work(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&counter.lock);
	for (;;) {
		while (!counter.stop && counter.done == counter.asked)
			pthread_cond_wait(&counter.wake, &counter.lock);
		if (counter.stop)
			break;
		struct count_request r = counter.req;
		unsigned ticket = counter.asked;
		pthread_mutex_unlock(&counter.lock);
		uint64_t n = 0;
		bool failed = count(counter.own, &r, &n) != IV_OK;
		pthread_mutex_lock(&counter.lock);
		if (counter.asked == ticket) {
			counter.n = n;
			counter.failed = failed;
		}
		counter.done = ticket;
	}
	pthread_mutex_unlock(&counter.lock);
	return NULL;
}

void counter_start(iv_db *db)
{
	counter_stop(); /* the worker of whoever was logged in before */
	counter.caller = db;
	counter.stop = false;
	if (iv_open_like(db, IV_OPEN_READONLY, &counter.own) != IV_OK) {
		iv_close(counter.own);
		counter.own = NULL;
		return; /* counts are then done at once on the caller's handle */
	}
	counter.running = pthread_create(&counter.thread, NULL, work, NULL) == 0;
	if (!counter.running) {
		iv_close(counter.own);
		counter.own = NULL;
	}
}

void counter_stop(void)
{
	if (counter.running) {
		pthread_mutex_lock(&counter.lock);
		counter.stop = true;
		pthread_cond_signal(&counter.wake);
		pthread_mutex_unlock(&counter.lock);
		pthread_join(counter.thread, NULL);
		counter.running = false;
	}
	iv_close(counter.own);
	counter.own = NULL;
}

unsigned counter_ask(const struct count_request *req)
{
	pthread_mutex_lock(&counter.lock);
	unsigned ticket = ++counter.asked;
	counter.req = *req;
	if (counter.running) {
		pthread_cond_signal(&counter.wake);
	} else {
		counter.failed = counter.caller ? count(counter.caller, req, &counter.n) != IV_OK : true;
		counter.done = ticket;
	}
	pthread_mutex_unlock(&counter.lock);
	return ticket;
}

bool counter_result(unsigned ticket, uint64_t *n, bool *failed)
{
	pthread_mutex_lock(&counter.lock);
	bool ready = counter.done == ticket && counter.asked == ticket;
	if (ready) {
		*n = counter.n;
		*failed = counter.failed;
	}
	pthread_mutex_unlock(&counter.lock);
	return ready;
}

bool counter_poll(unsigned ticket, int64_t *total)
{
	uint64_t n;
	bool failed;
	if (*total >= 0 || !counter_result(ticket, &n, &failed) || failed)
		return false;
	*total = (int64_t)n;
	return true;
}
