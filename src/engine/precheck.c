/* Checks a front end makes before it shows what will be posted: a
 * document's date when its field is left, and a supervisor's approval
 * on its own (a wrong PIN is said before the confirmation, not after). */
#include "engine/internal.h"

iv_status iv_doc_date(iv_db *db, const char *store_code, const char *text, char iso[IV_DATE_ISO_LEN], bool *back_dated)
{
	iv_date d, today = iv_today(db, store_code);
	iv_status rc = iv_parse_date(db, text, "Date", today, &d);
	if (rc != IV_OK)
		return rc;
	date_format(d, iso);
	*back_dated = d < today;
	return IV_OK;
}

iv_status iv_approval_check(iv_db *db, iv_approval ap, const char *what)
{
	iv_user approver;
	return iv_check_approval(db, ap, what && *what ? what : "this", &approver);
}
