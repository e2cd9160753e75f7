#!/bin/sh
# First start of the postgres container (docker-entrypoint-initdb.d): the two databases of the
# assistant, each with its own role. Passwords come from the environment (deploy/compose.yml), fed to
# psql on standard input, never on a command line.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE "$TRACKER_DB_USER" LOGIN PASSWORD '$(printf %s "$TRACKER_DB_PASSWORD" | sed "s/'/''/g")';
CREATE ROLE "$CLINIC_DB_USER" LOGIN PASSWORD '$(printf %s "$CLINIC_DB_PASSWORD" | sed "s/'/''/g")';
CREATE DATABASE "$TRACKER_DB_NAME" OWNER "$TRACKER_DB_USER";
CREATE DATABASE "$CLINIC_DB_NAME" OWNER "$CLINIC_DB_USER";
REVOKE ALL ON DATABASE "$TRACKER_DB_NAME" FROM PUBLIC;
REVOKE ALL ON DATABASE "$CLINIC_DB_NAME" FROM PUBLIC;
SQL
