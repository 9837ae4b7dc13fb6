/* The message table of the status enum, and its exit codes. */
#include "invadj/status.h"

static const struct {
	const char *text;
	int exit_code;
} status_table[IV_STATUS_COUNT] = {
	[IV_OK] = {"ok", 0},
	[IV_E_INVALID] = {"invalid input", 2},
	[IV_E_NOT_FOUND] = {"not found", 3},
	[IV_E_REFUSED] = {"refused", 4},
	[IV_E_AUTH] = {"login failed", 5},
	[IV_E_PERMISSION] = {"not permitted", 5},
	[IV_E_CONFLICT] = {"conflict", 6},
	[IV_E_STORAGE] = {"database error", 7},
	[IV_E_IO] = {"file error", 7},
	[IV_E_NOMEM] = {"out of memory", 7},
	[IV_E_CORRUPT] = {"verification failed", 8},
};

const char *iv_status_text(iv_status st)
{
	return (unsigned)st < IV_STATUS_COUNT ? status_table[st].text : "unknown error";
}

int iv_status_exit_code(iv_status st)
{
	return (unsigned)st < IV_STATUS_COUNT ? status_table[st].exit_code : 1;
}
