/* Fixed-size records in an unnamed temporary file: a list as long as
 * an upload (millions of rows) kept in constant memory, read back by
 * index for the page on screen. */
#ifndef INVADJ_TUI_ROWFILE_H
#define INVADJ_TUI_ROWFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct rowfile {
	FILE *f;
	size_t size;  /* bytes per record */
	uint64_t n;
	bool failed;  /* a write failed (disk full): n counts what is there */
};

void rowfile_init(struct rowfile *rf, size_t record_size);
/* Forgets every record (the file is kept for the next list). */
void rowfile_clear(struct rowfile *rf);
bool rowfile_add(struct rowfile *rf, const void *record);
bool rowfile_get(struct rowfile *rf, uint64_t i, void *record);
void rowfile_close(struct rowfile *rf);

#endif
