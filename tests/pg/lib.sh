# Shared by the PostgreSQL tests (run by `make test-pg` with
# INVADJ_TEST_DB set to the throw-away server's URI): tests/cli/lib.sh,
# and databases made on that server and dropped afterwards.
. tests/cli/lib.sh
if [ -z "${INVADJ_TEST_DB:-}" ]; then
	echo "set INVADJ_TEST_DB to a PostgreSQL URI (tests/pg/with-server does)"; exit 1
fi
ADMIN_URI=$INVADJ_TEST_DB
# The suites shared with files log in with PINs of four digits; the test
# build accepts them on a server when told so (src/engine/policy.c).
export INVADJ_TEST_MIN_SECRET=4
DBS=""

# pg_drop_people: drops every invadj person's role on the test server.
# Roles belong to the whole server, not to one database: each test's
# `init --admin admin` needs the names free again.  (Tests run one at a
# time on their server.)
pg_drop_people() {
	psql -qX "$ADMIN_URI" -c "SET client_min_messages = error" -c "DO \$\$ DECLARE r record; BEGIN
	  FOR r IN SELECT DISTINCT m.rolname FROM pg_roles m JOIN pg_auth_members a ON a.member = m.oid
	    JOIN pg_roles g ON g.oid = a.roleid
	    WHERE g.rolname IN ('invadj_clerk', 'invadj_supervisor', 'invadj_admin') AND NOT m.rolsuper LOOP
	    EXECUTE format('DROP ROLE %I', r.rolname);
	  END LOOP; END \$\$" >/dev/null 2>&1
}
pg_drop_people
trap 'for d in $DBS; do psql -qX "$ADMIN_URI" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1; done; pg_drop_people; rm -rf "$T"' EXIT

# pg_uri NAME [USER [PASSWORD]]: the URI of database NAME on the test
# server (as USER).
pg_uri() {
	base=${ADMIN_URI%/*}
	[ $# -gt 1 ] && base=$(echo "$base" | sed "s|://[^@]*@|://$2@|")
	[ $# -gt 2 ] && base=$(echo "$base" | sed "s|://$2@|://$2:$3@|")
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
