/* The master chain of events on PostgreSQL (store.h). */
#include <string.h>

#include "store/pg_internal.h"

static iv_status one_pos(pg_store *pg, pg_query q, const pg_params *p, store_chain_pos *out, bool *found)
{
	PGresult *res;
	memset(out, 0, sizeof *out);
	*found = false;
	iv_status rc = pg_exec(pg, q, p, &res, "reading the events");
	if (rc != IV_OK)
		return rc;
	if ((*found = PQntuples(res) > 0)) {
		out->seq = pg_int(res, 0, 0);
		out->id = pg_int(res, 0, 1);
		pg_text(res, 0, 2, out->recorded_at, sizeof out->recorded_at);
		pg_hash(res, 0, 3, out->hash);
	}
	PQclear(res);
	return IV_OK;
}

iv_status pg_event_head(store *st, store_chain_pos *out)
{
	iv_status rc = pg_lock_for_head(pg_of(st), 0);
	if (rc != IV_OK)
		return rc;
	bool found;
	return one_pos(pg_of(st), PQ_EVENT_HEAD, NULL, out, &found);
}

iv_status pg_event_at(store *st, int64_t seq, store_chain_pos *out)
{
	pg_params p = {0};
	pg_param_int(&p, seq);
	bool found;
	iv_status rc = one_pos(pg_of(st), PQ_EVENT_AT, &p, out, &found);
	return rc == IV_OK && !found ? IV_E_NOT_FOUND : rc;
}

iv_status pg_event_insert(store *st, const store_event *e)
{
	pg_params p = {0};
	pg_param_int(&p, e->id);
	pg_param_int(&p, e->seq);
	pg_param_text(&p, e->kind);
	pg_param_int(&p, e->entity_id);
	pg_param_text(&p, e->entity_key ? e->entity_key : "");
	pg_param_text(&p, e->action);
	pg_param_text(&p, e->state ? e->state : "");
	pg_param_text(&p, e->recorded_at);
	pg_param_int(&p, e->user_id);
	pg_param_int(&p, e->hash_version);
	pg_param_bytes(&p, e->hash, STORE_HASH_LEN);
	return pg_exec(pg_of(st), PQ_EVENT_INSERT, &p, NULL, "recording the change");
}

iv_status pg_events_each(store *st, const char *kind, int64_t entity_id, store_event_cb cb, void *ctx)
{
	pg_params p = {0};
	pg_param_text(&p, kind);
	pg_param_id(&p, entity_id);
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_EVENTS_EACH, &p, &res, "reading the events");
	if (rc != IV_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		store_event e;
		bool whole = true;
		e.id = pg_int(res, i, 0);
		e.seq = pg_int(res, i, 1);
		whole &= pg_text_exact(res, i, 2, e.kind, sizeof e.kind);
		e.entity_id = pg_int(res, i, 3);
		e.entity_key = PQgetvalue(res, i, 4);
		whole &= pg_text_exact(res, i, 5, e.action, sizeof e.action);
		e.state = PQgetvalue(res, i, 6);
		whole &= pg_text_exact(res, i, 7, e.recorded_at, sizeof e.recorded_at);
		e.user_id = pg_int(res, i, 8);
		e.hash_version = (int)pg_int(res, i, 9);
		pg_hash(res, i, 10, e.hash);
		e.overlong = !whole;
		if (!cb(ctx, &e))
			break;
	}
	PQclear(res);
	return IV_OK;
}
