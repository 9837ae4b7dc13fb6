/* The bulk loader's second thread: ledger rows are inserted here while
 * the loader's own thread parses, checks and hashes the next ones, and
 * so are the sums the loader hands over (balances, day totals, the
 * user's day totals), in the order it hands them.  Two cores, two halves
 * of the work of a million-row upload.
 *
 * Blocks go round a small ring: the loader fills one, hands it over,
 * fills the next; the thread writes a block and hands it back. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"

#define BLOCK_ROWS 2048
#define NBLOCKS 4
/* The texts of a block's rows (item number and memo), one after the
 * other: rows hold a few bytes of them, and fixed slots of their
 * largest size spread a block over 2.5 MiB that the inserting thread
 * then read line by line.  A row whose texts do not fit starts the
 * next block. */
#define BLOCK_TEXT (64u * 1024u)
#define BLOCK_SUMS (BLOCK_ROWS * sizeof(store_ledger_rec) / sizeof(store_sum))

typedef struct block {
	enum { BLOCK_OF_ROWS, BLOCK_OF_SUMS } kind;
	size_t n;
	size_t text_used;
	union {
		store_ledger_rec rec[BLOCK_ROWS];
		store_sum sum[BLOCK_SUMS];
	} u;
	char text[BLOCK_TEXT];
} block;

struct ledger_writer {
	iv_db *db;
	ledger_chains *chains;
	store *rd;       /* where the loader reads chain heads */
	int64_t user_id; /* whose day totals the sums add to */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	block *blocks; /* NBLOCKS */
	size_t head;   /* the oldest queued block: the thread's alone */
	size_t tail;   /* the block the loader fills: the loader's alone */
	size_t count;  /* queued blocks, under mu */
	bool busy;     /* the thread is writing a block, under mu */
	bool closing;
	iv_status status; /* the first write that failed */
};

static void *write_blocks(void *arg)
{
	ledger_writer *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->count == 0 && !w->closing)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->count == 0)
			break;
		block *b = &w->blocks[w->head];
		bool failed = w->status != IV_OK;
		w->busy = true;
		pthread_mutex_unlock(&w->mu);
		iv_status rc = IV_OK;
		if (!failed)
			rc = b->kind == BLOCK_OF_ROWS ? store_ledger_insert_many(w->db->st, b->u.rec, b->n)
			                              : store_sums_add(w->db->st, w->user_id, b->u.sum, b->n);
		pthread_mutex_lock(&w->mu);
		if (rc != IV_OK && w->status == IV_OK)
			w->status = rc; /* the loader turns it into a sentence */
		b->n = 0;
		b->text_used = 0;
		w->head = (w->head + 1) % NBLOCKS;
		w->count--;
		w->busy = false;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

iv_status ledger_writer_start(iv_db *db, ledger_chains *chains, store *rd, ledger_writer **out)
{
	ledger_writer *w = calloc(1, sizeof *w);
	*out = w;
	if (!w || !(w->blocks = calloc(NBLOCKS, sizeof *w->blocks))) {
		free(w);
		*out = NULL;
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	}
	w->db = db;
	w->chains = chains;
	w->rd = rd;
	w->user_id = db->user.id;
	w->status = IV_OK;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, write_blocks, w) != 0) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		free(w->blocks);
		free(w);
		*out = NULL;
		return iv_fail(db, IV_E_NOMEM, "cannot start the upload's writer thread");
	}
	return IV_OK;
}

/* Hands the loader's current block to the thread and waits for a free
 * one.  Returns the thread's status so far. */
static iv_status push_block(ledger_writer *w)
{
	pthread_mutex_lock(&w->mu);
	w->count++;
	w->tail = (w->tail + 1) % NBLOCKS;
	pthread_cond_broadcast(&w->cv);
	while (w->count == NBLOCKS)
		pthread_cond_wait(&w->cv, &w->mu);
	iv_status st = w->status;
	pthread_mutex_unlock(&w->mu);
	return st;
}

/* The block at the tail, of kind: the loader owns it until it pushes
 * it.  A block of the other kind with something in it is pushed first,
 * so that everything is written in the order it was handed over. */
static block *tail_of(ledger_writer *w, int kind)
{
	block *b = &w->blocks[w->tail];
	if (b->n > 0 && (int)b->kind != kind) {
		if (push_block(w) != IV_OK)
			return NULL;
		b = &w->blocks[w->tail];
	}
	b->kind = kind;
	return b;
}

/* A text into the block's texts (snprintf was a tenth of the loader's
 * time); its length is kept, so that nobody measures it again. */
static const char *copy_text(block *b, const char *src, size_t n)
{
	char *dst = b->text + b->text_used;
	memcpy(dst, src, n);
	dst[n] = '\0';
	b->text_used += n + 1;
	return dst;
}

iv_status ledger_writer_put(ledger_writer *w, store_ledger_rec *rec, const row_names *names)
{
	iv_status rc = ledger_chain_row(w->db, w->rd, w->chains, rec, names);
	if (rc != IV_OK)
		return rc;
	const char *memo = rec->memo ? rec->memo : "", *number = rec->item_number ? rec->item_number : "";
	size_t memo_len = rec->memo_len ? rec->memo_len : strlen(memo);
	size_t number_len = rec->item_number_len ? rec->item_number_len : strlen(number);
	block *b = tail_of(w, BLOCK_OF_ROWS);
	if (b && b->text_used + memo_len + number_len + 2 > BLOCK_TEXT)
		b = push_block(w) == IV_OK ? tail_of(w, BLOCK_OF_ROWS) : NULL;
	if (!b)
		return IV_E_STORAGE;
	store_ledger_rec *out = &b->u.rec[b->n++];
	*out = *rec;
	out->memo = copy_text(b, memo, memo_len);
	out->memo_len = memo_len;
	out->item_number = copy_text(b, number, number_len);
	out->item_number_len = number_len;
	if (b->n < BLOCK_ROWS)
		return IV_OK;
	return push_block(w) == IV_OK ? IV_OK : IV_E_STORAGE;
}

iv_status ledger_writer_sum(ledger_writer *w, const store_sum *s)
{
	block *b = tail_of(w, BLOCK_OF_SUMS);
	if (!b)
		return IV_E_STORAGE;
	b->u.sum[b->n++] = *s;
	if (b->n < BLOCK_SUMS)
		return IV_OK;
	return push_block(w) == IV_OK ? IV_OK : IV_E_STORAGE;
}

iv_status ledger_writer_drain(ledger_writer *w)
{
	pthread_mutex_lock(&w->mu);
	if (w->blocks[w->tail].n > 0) {
		w->count++;
		w->tail = (w->tail + 1) % NBLOCKS;
		pthread_cond_broadcast(&w->cv);
	}
	while (w->count > 0 || w->busy)
		pthread_cond_wait(&w->cv, &w->mu);
	iv_status st = w->status;
	pthread_mutex_unlock(&w->mu);
	return st;
}

iv_status ledger_writer_finish(ledger_writer *w)
{
	if (!w)
		return IV_OK;
	pthread_mutex_lock(&w->mu);
	if (w->blocks[w->tail].n > 0)
		w->count++;
	w->closing = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	iv_status st = w->status;
	iv_db *db = w->db;
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w->blocks);
	free(w);
	return st == IV_OK ? IV_OK : iv_fail_store(db, st);
}
