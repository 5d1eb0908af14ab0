#!/bin/sh
# First start of the PostgreSQL container: the application's database and its two roles.
# The owner role runs migrations and owns the tables; the app role may only insert and read
# events, so it cannot disable the append-only trigger.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" <<SQL
CREATE ROLE inspections_owner LOGIN PASSWORD '${INSPECTIONS_OWNER_PASSWORD}';
CREATE ROLE inspections LOGIN PASSWORD '${INSPECTIONS_APP_PASSWORD}' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE inspections OWNER inspections_owner;
GRANT CONNECT ON DATABASE inspections TO inspections;
SQL
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname inspections <<SQL
GRANT USAGE ON SCHEMA public TO inspections;
ALTER SCHEMA public OWNER TO inspections_owner;
SQL
