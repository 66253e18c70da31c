#!/usr/bin/env bash
# Runs once, as the superuser, when the compose database is first created: a role the replica service
# streams as, and a pg_hba entry that lets it in from the compose network (replication connections
# match only "replication" lines, which the image's own pg_hba.conf has for loopback alone).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v role="${PARLEY_REPLICATION_USERNAME:-parley_replication}" \
  -v password="${PARLEY_REPLICATION_PASSWORD:-parley_replication}" <<'SQL'
SELECT format('CREATE ROLE %I REPLICATION LOGIN PASSWORD %L', :'role', :'password') \gexec
SQL
printf 'host replication %s all scram-sha-256\n' "${PARLEY_REPLICATION_USERNAME:-parley_replication}" >>"$PGDATA/pg_hba.conf"
