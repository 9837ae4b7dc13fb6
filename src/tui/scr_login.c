/* Login: User, then PIN (not echoed), each confirmed with Enter. */
#include <stdio.h>
#include <string.h>

#include "tui/counter.h"
#include "tui/draw.h"
#include "tui/field.h"
#include "tui/keys.h"
#include "tui/screen.h"

static struct login_state {
	struct field user, pin;
	int focus; /* 0 user, 1 PIN */
	int failures;
} login;

static const enum action login_actions[] = {ACT_ENTER, ACT_NEXT, ACT_PREV, FIELD_ACTIONS, ACT_NONE};

static void login_enter(struct tui *t)
{
	(void)t;
	field_init(&login.user, IV_IDENT_MAX, false);
	field_init(&login.pin, IV_IDENT_MAX, true);
	login.focus = 0;
}

static void login_draw(struct tui *t)
{
	int y = t->body_top + 3, x = 10;
	draw_text(y, x, 60, "Inventory Adjustment - log in", ROLE_TITLE, false);
	draw_text(y + 2, x, 60, "Type your user name, Enter, then your PIN, Enter.", ROLE_NORMAL, false);
	draw_text(y + 4, x, 6, "User", ROLE_NORMAL, true);
	field_draw(&login.user, y + 4, x + 7, IV_IDENT_MAX / 2, login.focus == 0, &t->cur_y, &t->cur_x);
	draw_text(y + 6, x, 6, "PIN", ROLE_NORMAL, true);
	field_draw(&login.pin, y + 6, x + 7, 16, login.focus == 1, &t->cur_y, &t->cur_x);
	char help[24], quit[24], line[80];
	snprintf(line, sizeof line, "%s explains the keys; %s quits.", action_keys_text(ACT_HELP, help, sizeof help, false),
	         action_keys_text(ACT_QUIT, quit, sizeof quit, false));
	draw_text(y + 9, x, 60, line, ROLE_DIM, false);
}

static int login_key(struct tui *t, int key, enum action a)
{
	char user[IV_IDENT_SIZE], pin[IV_IDENT_SIZE];
	if (a == ACT_NEXT || a == ACT_PREV) {
		login.focus = !login.focus;
		return R_NONE;
	}
	if (a != ACT_ENTER) {
		field_key(login.focus ? &login.pin : &login.user, key, a);
		return R_NONE;
	}
	if (login.focus == 0) {
		if (!field_empty(&login.user))
			login.focus = 1;
		return R_NONE;
	}
	field_get(&login.user, user, sizeof user);
	/* the PIN as typed, blanks included */
	field_get(&login.pin, pin, sizeof pin);
	iv_status st = iv_login(t->db, user, pin);
	memset(pin, 0, sizeof pin);
	field_clear(&login.pin);
	if (st != IV_OK) {
		/* the engine's sentence never says which part was wrong */
		login.failures++;
		tui_engine_msg(t, NULL);
		field_clear(&login.user);
		login.focus = 0;
		return R_NONE;
	}
	login.failures = 0;
	field_clear(&login.user);
	login.focus = 0;
	t->logged_in = true;
	counter_start(t->db); /* a connection of the person's own */
	const iv_user *u = iv_session_user(t->db);
	t->want = SCR_ADJUST;
	tui_msg(t, MSG_OK, "Welcome, %s.", u ? u->name : user);
	return R_SWITCH;
}

const struct screen_ops scr_login_ops = {
	.title = "Log in",
	.actions = login_actions,
	.enter = login_enter,
	.draw = login_draw,
	.key = login_key,
};
