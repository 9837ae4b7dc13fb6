/* The one status enum every engine function returns.
 *
 * SQLite's codes are converted at the storage boundary and never leak
 * upward.  The detailed, clerk-readable sentence for the last failure
 * (naming the field and the reason) is kept on the database handle:
 * see iv_errmsg() in engine.h. */
#ifndef INVADJ_STATUS_H
#define INVADJ_STATUS_H

typedef enum iv_status {
	IV_OK = 0,
	IV_E_INVALID,    /* bad input: a field's value is malformed or out of range */
	IV_E_NOT_FOUND,  /* an unknown store, item, reason, user, adjustment or batch */
	IV_E_REFUSED,    /* a rule refused it: negative stock, already reversed, ... */
	IV_E_AUTH,       /* wrong user name or PIN */
	IV_E_PERMISSION, /* the role may not do this (without approval) */
	IV_E_CONFLICT,   /* someone else changed the data meanwhile, or a duplicate */
	IV_E_STORAGE,    /* the database could not be read or written */
	IV_E_IO,         /* a file could not be read or written */
	IV_E_NOMEM,      /* out of memory */
	IV_E_CORRUPT,    /* verify found a fault */
	IV_STATUS_COUNT
} iv_status;

/* A short generic phrase for the status ("refused", "not found", ...). */
const char *iv_status_text(iv_status st);

/* The process exit code the command line uses for this status. */
int iv_status_exit_code(iv_status st);

#endif
