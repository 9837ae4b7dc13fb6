/* Recovery: a consistent copy of the database while terminals work. */
#include "engine/internal.h"

iv_status iv_backup(iv_db *db, const char *path)
{
	if (!path || !*path)
		return iv_fail(db, IV_E_INVALID, "Backup file: a file name is required");
	iv_status rc = store_backup(db->st, path);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}
