/* The record file. */
#include "tui/rowfile.h"

#include <string.h>

void rowfile_init(struct rowfile *rf, size_t record_size)
{
	memset(rf, 0, sizeof *rf);
	rf->size = record_size;
}

void rowfile_clear(struct rowfile *rf)
{
	rf->n = 0;
	rf->failed = false;
	if (rf->f)
		rewind(rf->f);
}

bool rowfile_add(struct rowfile *rf, const void *record)
{
	if (rf->failed)
		return false;
	if (!rf->f && !(rf->f = tmpfile())) {
		rf->failed = true;
		return false;
	}
	if (fseeko(rf->f, (off_t)(rf->n * rf->size), SEEK_SET) != 0 || fwrite(record, rf->size, 1, rf->f) != 1) {
		rf->failed = true;
		return false;
	}
	rf->n++;
	return true;
}

bool rowfile_get(struct rowfile *rf, uint64_t i, void *record)
{
	if (!rf->f || i >= rf->n)
		return false;
	return fseeko(rf->f, (off_t)(i * rf->size), SEEK_SET) == 0 && fread(record, rf->size, 1, rf->f) == 1;
}

void rowfile_close(struct rowfile *rf)
{
	if (rf->f)
		fclose(rf->f);
	rf->f = NULL;
	rf->n = 0;
}
