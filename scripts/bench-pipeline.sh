#!/usr/bin/env bash
# Pipeline benchmark: batch vs one-at-a-time claims and idle enqueue-to-start latency.
# Usage: scripts/bench-pipeline.sh [jobs]   (default 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/provision-db.sh >/dev/null
mvn -B -q -ntp -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
export DATASOURCES_DEFAULT_URL="jdbc:postgresql://${PARLEY_DB_HOST:-127.0.0.1}:${PARLEY_DB_PORT:-5432}/${PARLEY_TEST_DB_NAME:-parley_test}"
exec java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  dev.parley.bench.PipelineBenchmark "$@"
