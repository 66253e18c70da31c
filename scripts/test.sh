#!/usr/bin/env bash
# Provisions PostgreSQL + pgvector (with a fresh test database) and runs the whole test suite
# against it over real JDBC and HTTP. Extra arguments go to Maven, e.g. -Dtest=AuthApiTest.
set -euo pipefail
cd "$(dirname "$0")/.."

PARLEY_RESET_TEST_DB=1 scripts/provision-db.sh
scripts/provision-browser.sh   # chromium + chromedriver for the console's browser tests
scripts/provision-lint-tools.sh   # Redocly's CLI for the OpenAPI lint test
# The suite always runs against the test database, never the one the service uses.
export DATASOURCES_DEFAULT_URL="jdbc:postgresql://${PARLEY_DB_HOST:-127.0.0.1}:${PARLEY_DB_PORT:-5432}/${PARLEY_TEST_DB_NAME:-parley_test}"
exec mvn -B -ntp test "$@"
