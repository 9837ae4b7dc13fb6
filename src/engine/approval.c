/* A supervisor's approval checked on its own, before a front end shows
 * what will be posted: a wrong PIN is said before the confirmation,
 * not after it. */
#include "engine/internal.h"

iv_status iv_approval_check(iv_db *db, iv_approval ap, const char *what)
{
	int64_t approver;
	return iv_check_approval(db, ap, what && *what ? what : "this", &approver);
}
