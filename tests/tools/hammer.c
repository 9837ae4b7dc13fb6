/* A terminal that saves and saves: logs in once, then posts COUNT
 * single-line adjustments of DIFF (one document each) as fast as it
 * can, printing each saved id.  The crash tests kill it at random
 * moments; the benchmarks use it as load.
 *   hammer DB USER PIN STORE ITEM DIFF COUNT */
#include <stdio.h>
#include <stdlib.h>

#include "invadj/engine.h"

int main(int argc, char **argv)
{
	if (argc != 8) {
		fprintf(stderr, "usage: hammer DB USER PIN STORE ITEM DIFF COUNT\n");
		return 1;
	}
	iv_db *db = NULL;
	if (iv_open(argv[1], IV_OPEN_EXISTING, &db) != IV_OK || iv_login(db, argv[2], argv[3]) != IV_OK) {
		fprintf(stderr, "hammer: %s\n", iv_errmsg(db));
		return 1;
	}
	long count = atol(argv[7]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (long k = 0; k < count; k++) {
		iv_line_in line = {argv[5], "CC", argv[6], NULL};
		iv_line_out out;
		iv_document doc = {argv[4], NULL, &line, 1, {0}};
		int64_t docno;
		if (iv_doc_post(db, &doc, &out, &docno) != IV_OK) {
			fprintf(stderr, "hammer: %s\n", iv_errmsg(db));
			iv_close(db);
			return 1;
		}
		printf("%lld\n", (long long)out.id);
	}
	iv_close(db);
	return 0;
}
