# Shared by the PostgreSQL tests (run by `make test-pg` with
# INVADJ_TEST_DB set to the throw-away server's URI): tests/cli/lib.sh,
# and databases made on that server and dropped afterwards.
. tests/cli/lib.sh
if [ -z "${INVADJ_TEST_DB:-}" ]; then
	echo "set INVADJ_TEST_DB to a PostgreSQL URI (tests/pg/with-server does)"; exit 1
fi
ADMIN_URI=$INVADJ_TEST_DB
DBS=""
trap 'for d in $DBS; do psql -qX "$ADMIN_URI" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1; done; rm -rf "$T"' EXIT

# pg_uri NAME [USER]: the URI of database NAME on the test server (as USER).
pg_uri() {
	base=${ADMIN_URI%/*}
	[ $# -gt 1 ] && base=$(echo "$base" | sed "s|://[^@]*@|://$2@|")
	echo "$base/$1"
}

# pg_newdb NAME: creates an empty database (dropped at the end), prints its URI.
pg_newdb() {
	name="ivpg_$$_$1"
	psql -qX "$ADMIN_URI" -c "CREATE DATABASE $name" >/dev/null || { echo "cannot create $name"; exit 1; }
	DBS="$DBS $name"
	pg_uri "$name"
}

# psql_as URI SQL: runs SQL, prints the output and the error; exit code kept.
psql_as() {
	psql -qXAt -v ON_ERROR_STOP=1 "$1" -c "$2" 2>&1
}
