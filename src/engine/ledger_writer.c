/* The bulk loader's second thread: ledger rows are inserted here while
 * the loader's own thread parses, checks and hashes the next ones.
 * Two cores, two halves of the work of a million-row upload.
 *
 * Blocks of rows go round a small ring: the loader fills one, hands it
 * over, fills the next; the thread inserts a block and hands it back. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"

#define BLOCK_ROWS 2048
#define NBLOCKS 4

typedef struct block {
	size_t n;
	store_ledger_rec rec[BLOCK_ROWS];
	char memo[BLOCK_ROWS][IV_MEMO_SIZE];
	char item_number[BLOCK_ROWS][IV_IDENT_SIZE];
} block;

struct ledger_writer {
	iv_db *db;
	ledger_chains *chains;
	store *rd; /* where the loader reads chain heads */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	block *blocks; /* NBLOCKS */
	size_t head;   /* the oldest queued block: the thread's alone */
	size_t tail;   /* the block the loader fills: the loader's alone */
	size_t count;  /* queued blocks, under mu */
	bool closing;
	iv_status status; /* the first insert that failed */
};

static void *insert_blocks(void *arg)
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
		pthread_mutex_unlock(&w->mu);
		iv_status rc = IV_OK;
		for (size_t k = 0; !failed && rc == IV_OK && k < b->n; k++)
			rc = store_ledger_insert(w->db->st, &b->rec[k]);
		pthread_mutex_lock(&w->mu);
		if (rc != IV_OK && w->status == IV_OK)
			w->status = rc; /* the loader turns it into a sentence */
		b->n = 0;
		w->head = (w->head + 1) % NBLOCKS;
		w->count--;
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
	w->status = IV_OK;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, insert_blocks, w) != 0) {
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

/* A short text into a block's buffer (snprintf was a tenth of the
 * loader's time). */
static void copy_text(char *dst, size_t size, const char *src)
{
	size_t n = src ? strnlen(src, size - 1) : 0;
	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

iv_status ledger_writer_put(ledger_writer *w, store_ledger_rec *rec, const row_names *names)
{
	iv_status rc = ledger_chain_row(w->db, w->rd, w->chains, rec, names);
	if (rc != IV_OK)
		return rc;
	/* The loader owns the block at the tail until it pushes it. */
	block *b = &w->blocks[w->tail];
	size_t k = b->n++;
	b->rec[k] = *rec;
	copy_text(b->memo[k], sizeof b->memo[k], rec->memo);
	copy_text(b->item_number[k], sizeof b->item_number[k], rec->item_number);
	b->rec[k].memo = b->memo[k];
	b->rec[k].item_number = b->item_number[k];
	if (b->n < BLOCK_ROWS)
		return IV_OK;
	return push_block(w) == IV_OK ? IV_OK : IV_E_STORAGE;
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
