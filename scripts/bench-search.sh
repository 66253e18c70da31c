#!/usr/bin/env bash
# Search scale benchmark: latency, HNSW recall against an exact scan, throughput and freshness.
# Usage: scripts/bench-search.sh [posts]   (default 100000; takes several minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
# scripts/bench.sh provisions and builds once for the whole suite and sets PARLEY_BENCH_BUILT=1.
if [[ "${PARLEY_BENCH_BUILT:-0}" != 1 ]]; then
  scripts/provision-db.sh >/dev/null
  mvn -B -q -ntp -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
fi
export DATASOURCES_DEFAULT_URL="jdbc:postgresql://${PARLEY_DB_HOST:-127.0.0.1}:${PARLEY_DB_PORT:-5432}/${PARLEY_TEST_DB_NAME:-parley_test}"
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  dev.parley.bench.SearchScaleBenchmark "$@"
