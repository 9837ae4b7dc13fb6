-- The PostgreSQL server's side of an invadj deployment (docs/deployment.md):
-- what its superuser runs once, in psql, before `invadj init` or
-- `invadj migrate`:
--
--   psql 'postgresql://postgres@db.chain.example/postgres' \
--        -v dba=invadj_dba -v database=invadj -f docs/pg-roles.sql
--   psql 'postgresql://postgres@db.chain.example/postgres' -c '\password invadj_dba'
--
-- (psql's \password sends the password as a SCRAM verifier, never as
-- text a server log could keep.)
--
-- Every invadj user becomes a login role of the server of their own,
-- made by invadj (`init --admin`, `user add`, `server roles`); nothing
-- here is a person's, and no role is shared by terminals.
--
-- The database's administrator for invadj (:dba, a login of the
-- server's administrators, not of a person at a till) owns the database
-- and may create roles: `invadj init`, `migrate` and `server roles` run
-- as it, and create
--   invadj_owner       NOLOGIN: owns every table, function and trigger;
--                      the only role that may create in the schema;
--   invadj_clerk, invadj_supervisor, invadj_admin
--                      NOLOGIN groups: every person is a LOGIN role in
--                      exactly one of them (an admin's has CREATEROLE);
-- and grant the groups what docs/deployment.md lists (the grant list is
-- invadj's own, src/store/pg_roles.c, made again by every upgrade).
-- The dba is made a member of invadj_owner by init.
SET client_min_messages = warning;
CREATE ROLE :"dba" LOGIN CREATEROLE;
CREATE DATABASE :"database" OWNER :"dba";
-- Nobody else connects or makes temporary tables unless invadj grants
-- it (init grants CONNECT to the three groups).
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
-- PostgreSQL 15 makes the `public` schema the database owner's and
-- gives PUBLIC no CREATE on it; invadj's set-up revokes it again for
-- older clusters, so a person's role can create nothing in the schema.
