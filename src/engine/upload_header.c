/* The upload template, the rule names, and matching a file's header. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/upload_internal.h"
#include "invadj/csv.h"
#include "invadj/files.h"

const char *const upload_col_names[NCOLS] = {
	[COL_STORE] = "StoreCode",  [COL_ITEM] = "ItemNumber",   [COL_KIND] = "ItemIdentifierCode",
	[COL_QTY] = "Qty",          [COL_REASON] = "ReasonCode", [COL_DATE] = "TransactionDate",
	[COL_MEMO] = "Memo",
};

/* ReasonCode is marked mandatory in the template, as users know it,
 * but a default reason may stand in for it: whether a blank one is
 * refused is decided per row. */
static const bool col_mandatory[NCOLS] = {
	[COL_STORE] = true, [COL_ITEM] = true, [COL_QTY] = true, [COL_REASON] = true,
};

static const char *const rule_names[] = {
	[IV_RULE_DELTA] = "delta", [IV_RULE_SYNC] = "sync", [IV_RULE_REVERSAL] = "reversal",
	[IV_RULE_COUNT] = "count"};

bool iv_rule_parse(const char *text, iv_rule *out)
{
	/* A reversal batch is made by `reverse --batch`, never uploaded. */
	for (int r = IV_RULE_DELTA; r <= IV_RULE_SYNC; r++)
		if (text && strcasecmp(text, rule_names[r]) == 0) {
			*out = (iv_rule)r;
			return true;
		}
	return false;
}

const char *iv_rule_name(iv_rule rule)
{
	return (unsigned)rule <= IV_RULE_COUNT ? rule_names[rule] : "?";
}

iv_status iv_upload_template(FILE *out)
{
	const char *cells[NCOLS];
	char names[NCOLS][32];
	for (int c = 0; c < NCOLS; c++) {
		snprintf(names[c], sizeof names[c], "%s%s", col_mandatory[c] ? "**" : "",
		         upload_col_names[c]);
		cells[c] = names[c];
	}
	csv_write_record(out, cells, NCOLS);
	return fflush(out) == 0 && !ferror(out) ? IV_OK : IV_E_IO;
}

iv_status iv_upload_template_file(const char *path, bool replace)
{
	iv_outfile o;
	iv_status rc = iv_outfile_create(&o, "Template", path, replace);
	if (rc == IV_OK && iv_upload_template(o.f) != IV_OK) {
		iv_outfile_discard(&o);
		snprintf(o.errmsg, sizeof o.errmsg, "Template: cannot write %s", path);
		rc = IV_E_IO;
	} else if (rc == IV_OK) {
		rc = iv_outfile_finish(&o);
	}
	files_set_errmsg(rc == IV_OK ? "" : o.errmsg);
	return rc;
}

/* A header cell without its "**" and surrounding blanks. */
static void bare_name(const char *cell, char *out, size_t size)
{
	while (*cell == ' ' || *cell == '\t' || *cell == '*')
		cell++;
	size_t n = strlen(cell);
	while (n > 0 && (cell[n - 1] == ' ' || cell[n - 1] == '\t'))
		n--;
	snprintf(out, size, "%.*s", (int)n, cell);
}

/* Appends a name to a list: "A", "B", "C" (quoted or not). */
static void append(char *buf, size_t size, const char *name, bool quoted)
{
	size_t len = strlen(buf);
	if (len < size)
		snprintf(buf + len, size - len, quoted ? "%s\"%s\"" : "%s%s", len ? ", " : "", name);
}

iv_status upload_header_match(iv_db *db, char **fields, size_t n, int map[NCOLS])
{
	char unknown[IV_MSG_MAX / 2] = "";
	size_t nunknown = 0;
	for (int c = 0; c < NCOLS; c++)
		map[c] = -1;
	for (size_t f = 0; f < n; f++) {
		char name[64];
		bare_name(fields[f], name, sizeof name);
		if (!*name)
			return iv_fail(db, IV_E_INVALID,
			               "line 1: column %zu has no name; remove the empty column or name it "
			               "(the columns are StoreCode, ItemNumber, ItemIdentifierCode, Qty, "
			               "ReasonCode, TransactionDate, Memo)",
			               f + 1);
		int found = -1;
		for (int c = 0; c < NCOLS; c++)
			if (strcasecmp(name, upload_col_names[c]) == 0)
				found = c;
		if (found < 0) {
			append(unknown, sizeof unknown, fields[f], true);
			nunknown++;
		} else if (map[found] >= 0) {
			return iv_fail(db, IV_E_INVALID, "line 1: column %s appears twice", upload_col_names[found]);
		} else {
			map[found] = (int)f;
		}
	}
	if (nunknown)
		return iv_fail(db, IV_E_INVALID,
		               "line 1: unknown column%s %s; the columns are StoreCode, ItemNumber, "
		               "ItemIdentifierCode, Qty, ReasonCode, TransactionDate, Memo",
		               nunknown > 1 ? "s" : "", unknown);
	char missing[128] = "";
	size_t nmissing = 0;
	for (int c = 0; c < NCOLS; c++)
		if (col_mandatory[c] && map[c] < 0) {
			append(missing, sizeof missing, upload_col_names[c], false);
			nmissing++;
		}
	if (nmissing)
		return iv_fail(db, IV_E_INVALID,
		               "line 1: the mandatory column%s %s %s missing; the template "
		               "(`invadj template`) has every column",
		               nmissing > 1 ? "s" : "", missing, nmissing > 1 ? "are" : "is");
	return IV_OK;
}
