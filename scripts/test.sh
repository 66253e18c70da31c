#!/usr/bin/env bash
# Provisions PostgreSQL + pgvector (with a fresh test database) and a streaming standby of it, and runs
# the whole test suite against them over real JDBC and HTTP. Extra arguments go to Maven, e.g.
# -Dtest=AuthApiTest. PARLEY_REPLICA=0 leaves the standby out; the replica tests then skip, saying so.
set -euo pipefail
cd "$(dirname "$0")/.."

PARLEY_REPLICA="${PARLEY_REPLICA:-1}" PARLEY_RESET_TEST_DB=1 scripts/provision-db.sh
scripts/provision-browser.sh   # chromium + chromedriver for the console's browser tests
scripts/provision-lint-tools.sh   # Redocly's CLI for the OpenAPI lint test
# The suite always runs against the test database, never the one the service uses.
export DATASOURCES_DEFAULT_URL="jdbc:postgresql://${PARLEY_DB_HOST:-127.0.0.1}:${PARLEY_DB_PORT:-5432}/${PARLEY_TEST_DB_NAME:-parley_test}"
if [[ "${PARLEY_REPLICA:-1}" == 1 ]]; then
  # The same test database on the standby (ReplicaReadsTest); it follows the primary by itself.
  export PARLEY_TEST_REPLICA_URL="jdbc:postgresql://127.0.0.1:${PARLEY_REPLICA_PORT:-5433}/${PARLEY_TEST_DB_NAME:-parley_test}"
else
  export PARLEY_TEST_REPLICA_URL=none
fi
exec mvn -B -ntp test "$@"
