/* Tables for people and CSV for scripts, from the same rows. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "invadj/csv.h"
#include "invadj/text.h"

const char *cell_int(char *buf, long long v)
{
	snprintf(buf, 24, "%lld", v);
	return buf;
}

const char *const history_headers[EXPORT_COLUMNS] = {
	"Id", "Document", "TransactionDate", "RecordedAt", "StoreCode", "ItemNumber", "ReasonCode",
	"Diff", "User", "ApprovedBy", "Reverses", "ReversedBy", "BatchId", "Memo",
	/* export only: the rest of what the hash covers (docs/schema.md) */
	"Seq", "StoreId", "ItemId", "ReasonId", "UserId", "ApproverId", "HashVersion", "PrevHash",
	"Hash",
};

void history_row_cells(const iv_ledger_row *r, bool local_time, history_cells *c)
{
	const char *cells[EXPORT_COLUMNS] = {
		cell_int(c->num[0], r->id), cell_int(c->num[1], r->document), r->tdate,
		local_time && r->recorded_local[0] ? r->recorded_local : r->recorded_at,
		r->store, r->item, r->reason, cell_int(c->num[2], r->diff), r->user, r->approved_by,
		r->reverses ? cell_int(c->num[3], r->reverses) : "",
		r->reversed_by ? cell_int(c->num[4], r->reversed_by) : "",
		r->batch ? cell_int(c->num[5], r->batch) : "", r->memo,
		cell_int(c->num[6], r->seq), cell_int(c->num[7], r->store_id),
		cell_int(c->num[8], r->item_id), cell_int(c->num[9], r->reason_id),
		cell_int(c->num[10], r->user_id), r->approver_id ? cell_int(c->num[11], r->approver_id) : "",
		cell_int(c->num[12], r->hash_version), r->prev_hash, r->hash,
	};
	memcpy(c->cell, cells, sizeof cells);
}

/* A table is for people on a terminal: every cell goes through
 * text_printable, so that escape sequences in a memo or a name are
 * shown as '?' and never run; columns are padded by characters. */
static void print_cells(const table *t, const char *const *cells)
{
	for (size_t i = 0; i < t->ncols; i++) {
		char text[4 * IV_MEMO_MAX + 64];
		text_printable(cells[i], text, sizeof text);
		int w = t->widths ? t->widths[i] : 0;
		int pad = w < 0 ? -w : w;
		size_t chars = text_chars(text, strlen(text));
		pad = chars < (size_t)pad ? pad - (int)chars : 0;
		const char *sep = i + 1 < t->ncols ? "  " : "";
		if (w < 0)
			printf("%*s%s%s", pad, "", text, sep);
		else if (i + 1 < t->ncols)
			printf("%s%*s%s", text, pad, "", sep);
		else
			printf("%s", text);
	}
	putchar('\n');
}

table table_for(const cli *c, size_t ncols, const char *const *headers, const int *widths)
{
	return (table){.format = c->format, .style = cli_csv_style(c), .ncols = ncols,
	               .headers = headers, .widths = widths};
}

void table_row(table *t, const char *const *cells)
{
	if (!t->header_done) {
		t->header_done = true;
		if (t->format == OUT_CSV)
			csv_write_record(stdout, t->headers, t->ncols);
		else
			print_cells(t, t->headers);
	}
	if (!cells)
		return;
	if (t->format == OUT_CSV)
		csv_write_record_as(stdout, cells, t->ncols, t->style);
	else
		print_cells(t, cells);
}
