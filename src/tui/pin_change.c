/* Ctrl-P: a form of current PIN, new PIN and the new one again, all
 * masked.  The engine checks the current PIN (with the login slowdown)
 * and the new one's rules; the form only makes sure the new PIN was
 * typed the same twice, as a masked field cannot be read back. */
#include <sodium.h>
#include <string.h>

#include "tui/dialog.h"
#include "tui/pin_change.h"

enum { PIN_CURRENT, PIN_NEW, PIN_AGAIN, PIN_FIELDS };

static int on_pin_form(struct tui *t, struct overlay *o, int result)
{
	if (!result) {
		tui_msg(t, MSG_INFO, "Your PIN was not changed.");
		return R_NONE;
	}
	char pin[PIN_FIELDS][IV_IDENT_SIZE];
	for (int i = 0; i < PIN_FIELDS; i++)
		dialog_value(o, i, pin[i], sizeof pin[i]);
	char keys[24];
	if (strcmp(pin[PIN_NEW], pin[PIN_AGAIN]) != 0)
		tui_msg(t, MSG_ERROR, "New PIN: the two entries differ; your PIN was not changed (%s to try again).",
		        action_keys_text(ACT_PIN, keys, sizeof keys, false));
	else if (iv_user_change_pin(t->db, pin[PIN_CURRENT], pin[PIN_NEW]) != IV_OK)
		tui_engine_msg(t, "Your PIN was not changed");
	else
		tui_msg(t, MSG_OK, "Your PIN was changed; use the new one from now on.");
	sodium_memzero(pin, sizeof pin);
	return R_NONE;
}

void pin_change_open(struct tui *t)
{
	static const char *const labels[PIN_FIELDS] = {"Current PIN", "New PIN", "New PIN again"};
	static const size_t max[PIN_FIELDS] = {IV_IDENT_MAX, IV_IDENT_MAX, IV_IDENT_MAX};
	static const bool mask[PIN_FIELDS] = {true, true, true};
	const iv_user *u = iv_session_user(t->db);
	char text[IV_IDENT_SIZE + 96];
	snprintf(text, sizeof text, "Change the PIN of %s: at least 4 characters.", u ? u->name : "?");
	struct overlay *o = dialog_form("My PIN", text, PIN_FIELDS, labels, max, mask);
	if (o)
		o->done = on_pin_form;
	overlay_push(t, o);
}
