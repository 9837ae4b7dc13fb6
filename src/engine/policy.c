/* The one policy the test build may relax: how long a PIN must be on a
 * PostgreSQL server, where it is the password of the person's own login
 * and can be guessed online by anyone who reaches the server (a file's
 * PIN is checked by invadj, slowed down after wrong tries).
 *
 * Built twice, as clock.c: ./invadj always asks for SERVER_MIN_SECRET;
 * the test build (-DINVADJ_TEST_CLOCK) also reads INVADJ_TEST_MIN_SECRET,
 * so that the suites shared with files (PINs 0000, 1111, 2222) run on a
 * test server too.  tests/pg/test_roles.sh checks the real minimum. */
#include <stdlib.h>

#include "engine/internal.h"

/* NIST SP 800-63B's least length for a memorized secret; together with
 * the server's auth_delay and a ban on addresses that keep failing
 * (docs/deployment.md), an online guess of eight characters takes years
 * rather than the minutes four digits take. */
#define SERVER_MIN_SECRET 8
#define FILE_MIN_PIN 4

size_t policy_min_secret(bool server)
{
	if (!server)
		return FILE_MIN_PIN;
#ifdef INVADJ_TEST_CLOCK
	const char *v = getenv("INVADJ_TEST_MIN_SECRET");
	if (v && *v)
		return (size_t)strtoul(v, NULL, 10);
#endif
	return SERVER_MIN_SECRET;
}
