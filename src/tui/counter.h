/* Counting off the keystroke path: a thread with its own connection to
 * the database counts the rows a History filter or a Stock search
 * matches (on ten million rows that takes a second or more), while the
 * screens go on answering keys.  Each request replaces any earlier one
 * still waiting; a screen shows the count whose ticket is its newest. */
#ifndef INVADJ_TUI_COUNTER_H
#define INVADJ_TUI_COUNTER_H

#include <stdbool.h>
#include <stdint.h>

#include "invadj/engine.h"

enum count_kind { COUNT_HISTORY, COUNT_STOCK, COUNT_ITEMS };

#define COUNT_TEXT 8

/* What to count: the texts of a History filter (store, item, reason,
 * user, from, to; batch), or of a Stock query (store, search, as-of),
 * or an item search. */
struct count_request {
	enum count_kind kind;
	char text[COUNT_TEXT][IV_NAME_SIZE];
	int64_t batch;
};

/* Starts the worker on a connection of its own to db's database, as
 * the person logged in on db (on a server the connection is theirs:
 * started at each login, stopped at logout); when it cannot be had,
 * counts are done on db itself, at once. */
void counter_start(iv_db *db);
void counter_stop(void);
/* Queues a count; returns its ticket. */
unsigned counter_ask(const struct count_request *req);
/* The result of ticket, once done: true and *n (or *failed). */
bool counter_result(unsigned ticket, uint64_t *n, bool *failed);
/* For a screen's draw: *total becomes the count of ticket once it is
 * done (-1 while not, or after a failure); true when it just changed. */
bool counter_poll(unsigned ticket, int64_t *total);

#endif
