#!/bin/sh
# The tamper suite on PostgreSQL with psql as the database's owner: the
# attacks of tests/cli/tamper_attacks.sh, each on a copy of the base
# database (CREATE DATABASE ... TEMPLATE).
. tests/pg/lib.sh
BASE=$(pg_newdb tamper)
export INVADJ_DB="$BASE"

# fresh_db NAME: a copy of the base database.
fresh_db() {
	name="ivpg_$$_t_$1"
	psql -qX "$ADMIN_URI" -c "CREATE DATABASE $name TEMPLATE ${BASE##*/}" >/dev/null || { echo "cannot copy the base"; exit 1; }
	DBS="$DBS $name"
	INVADJ_DB=$(pg_uri "$name")
	export INVADJ_DB
	# The demo's people as the base left them: roles belong to the server,
	# and every copy shares them (an attack disables super, another
	# resets clerk's PIN).
	psql -qX "$ADMIN_URI" -c "ALTER ROLE admin LOGIN PASSWORD '0000'" \
		-c "ALTER ROLE clerk LOGIN PASSWORD '1111'" -c "ALTER ROLE super LOGIN PASSWORD '2222'" >/dev/null
}

. tests/cli/tamper_attacks.sh
finish
