/* The master chain: events of stores, items, reasons, users, batches
 * and checkpoints, on SQLite. */
#include <string.h>

#include "store/sqlite_internal.h"

static iv_status one_pos(store *st, sqlite3_stmt *s, store_chain_pos *out, bool *found)
{
	memset(out, 0, sizeof *out);
	int rc = sqlite3_step(s);
	*found = rc == SQLITE_ROW;
	if (*found) {
		out->seq = sqlite3_column_int64(s, 0);
		out->id = sqlite3_column_int64(s, 1);
		sqlite_text(s, 2, out->recorded_at, sizeof out->recorded_at);
		sqlite_hash(s, 3, out->hash);
	}
	return sqlite_end_rows(st, s, rc, "reading the events");
}

iv_status sqlite_event_head(store *st, store_chain_pos *out)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_EVENT_HEAD);
	bool found;
	return s ? one_pos(st, s, out, &found) : IV_E_STORAGE;
}

iv_status sqlite_event_at(store *st, int64_t seq, store_chain_pos *out)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_EVENT_AT);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, seq);
	bool found;
	iv_status rc = one_pos(st, s, out, &found);
	return rc == IV_OK && !found ? IV_E_NOT_FOUND : rc;
}

iv_status sqlite_event_insert(store *st, const store_event *e)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_EVENT_INSERT);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, e->id);
	sqlite3_bind_int64(s, 2, e->seq);
	sqlite_param_text(s, 3, e->kind);
	sqlite3_bind_int64(s, 4, e->entity_id);
	sqlite_param_text(s, 5, e->entity_key ? e->entity_key : "");
	sqlite_param_text(s, 6, e->action);
	sqlite_param_text(s, 7, e->state ? e->state : "");
	sqlite_param_text(s, 8, e->recorded_at);
	sqlite3_bind_int64(s, 9, e->user_id);
	sqlite3_bind_int(s, 10, e->hash_version);
	sqlite3_bind_blob(s, 11, e->hash, STORE_HASH_LEN, SQLITE_STATIC);
	return sqlite_step_done(st, s, "recording the change");
}

iv_status sqlite_events_each(store *st, const char *kind, int64_t entity_id, store_event_cb cb,
                             void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_EVENTS_EACH);
	if (!s)
		return IV_E_STORAGE;
	sqlite_param_text(s, 1, kind);
	sqlite_param_id(s, 2, entity_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_event e;
		bool whole = true;
		e.id = sqlite3_column_int64(s, 0);
		e.seq = sqlite3_column_int64(s, 1);
		whole &= sqlite_text_exact(s, 2, e.kind, sizeof e.kind);
		e.entity_id = sqlite3_column_int64(s, 3);
		e.entity_key = sqlite_text_whole(s, 4);
		whole &= sqlite_text_exact(s, 5, e.action, sizeof e.action);
		e.state = sqlite_text_whole(s, 6);
		whole &= sqlite_text_exact(s, 7, e.recorded_at, sizeof e.recorded_at);
		e.user_id = sqlite3_column_int64(s, 8);
		e.hash_version = sqlite3_column_int(s, 9);
		sqlite_hash(s, 10, e.hash);
		if (!e.entity_key || !e.state) {
			whole = false;
			e.entity_key = e.entity_key ? e.entity_key : "";
			e.state = e.state ? e.state : "";
		}
		e.overlong = !whole;
		if (!cb(ctx, &e))
			break;
	}
	return sqlite_end_rows(st, s, rc, "reading the events");
}
