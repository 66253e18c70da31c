#!/usr/bin/env bash
# Pipeline benchmark: batch vs one-at-a-time claims and idle enqueue-to-start latency.
# Usage: scripts/bench-pipeline.sh [jobs]   (default 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
# scripts/bench.sh provisions and builds once for the whole suite and sets PARLEY_BENCH_BUILT=1.
if [[ "${PARLEY_BENCH_BUILT:-0}" != 1 ]]; then
  scripts/provision-db.sh >/dev/null
  mvn -B -q -ntp -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
fi
export DATASOURCES_DEFAULT_URL="jdbc:postgresql://${PARLEY_DB_HOST:-127.0.0.1}:${PARLEY_DB_PORT:-5432}/${PARLEY_TEST_DB_NAME:-parley_test}"
exec java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  dev.parley.bench.PipelineBenchmark "$@"
