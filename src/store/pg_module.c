/* The one symbol the PostgreSQL module exports (backend.h): the program
 * checks that the module was built from its own interface, then opens
 * postgresql:// addresses through it.  Everything else in the module is
 * hidden (-fvisibility=hidden), so its copies of shared helpers never
 * mix with the program's. */
#include "store/pg_backend.h"

extern const store_module invadj_pg_module __attribute__((visibility("default")));

const store_module invadj_pg_module = {
	.interface = STORE_INTERFACE_TEXT,
	.sizes = STORE_INTERFACE_SIZES,
	.open = pg_open,
};
