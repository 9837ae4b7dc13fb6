/* The approval box. */
#include "tui/approval.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "tui/dialog.h"

struct approval_request {
	struct approval *held;
	approval_done_fn done;
	char why[IV_MSG_MAX + 64];
	char what[96];
	char cancelled[160];
};

static void open_form(struct tui *t, struct approval_request *req, const char *note);

static int on_form(struct tui *t, struct overlay *o, int result)
{
	struct approval_request *req = o->ctx;
	struct approval *held = req->held;
	if (!result) {
		approval_forget(held);
		tui_msg(t, MSG_INFO, "%s", req->cancelled);
		free(req);
		return R_NONE;
	}
	dialog_value(o, 0, held->name, sizeof held->name);
	dialog_value(o, 1, held->pin, sizeof held->pin);
	iv_approval ap = {held->name, held->pin};
	if (iv_approval_check(t->db, ap, req->what) != IV_OK) {
		/* asked again at once, the name kept: nothing else is redone */
		sodium_memzero(held->pin, sizeof held->pin);
		open_form(t, req, iv_errmsg(t->db));
		return R_NONE;
	}
	held->given = true;
	approval_done_fn done = req->done;
	free(req);
	return done(t);
}

static void open_form(struct tui *t, struct approval_request *req, const char *note)
{
	static const char *const labels[] = {"Supervisor", "PIN"};
	static const size_t max[] = {IV_IDENT_MAX, IV_IDENT_MAX};
	static const bool mask[] = {false, true};
	struct overlay *o = dialog_form("Supervisor approval", req->why, 2, labels, max, mask);
	if (!o) {
		approval_forget(req->held);
		free(req);
		overlay_push(t, NULL);
		return;
	}
	if (note && *note) {
		dialog_set_value(o, 0, req->held->name);
		dialog_focus(o, 1);
		dialog_note(o, note);
	}
	o->done = on_form;
	o->ctx = req;
	overlay_push(t, o);
}

void approval_ask(struct tui *t, struct approval *held, const char *why, const char *what,
                  const char *cancelled, approval_done_fn done)
{
	approval_forget(held);
	struct approval_request *req = calloc(1, sizeof *req);
	if (!req) {
		overlay_push(t, NULL);
		return;
	}
	req->held = held;
	req->done = done;
	snprintf(req->why, sizeof req->why, "%s\nA supervisor types their user name and PIN to approve.", why);
	snprintf(req->what, sizeof req->what, "%s", what);
	snprintf(req->cancelled, sizeof req->cancelled, "%s", cancelled);
	open_form(t, req, NULL);
}

iv_approval approval_get(const struct approval *held)
{
	return (iv_approval){held->given ? held->name : NULL, held->given ? held->pin : NULL};
}

void approval_forget(struct approval *held)
{
	sodium_memzero(held->pin, sizeof held->pin);
	held->given = false;
}
