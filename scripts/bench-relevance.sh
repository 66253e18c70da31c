#!/usr/bin/env bash
# Relevance benchmark: recall@5 and MRR@10 of semantic, keyword and hybrid search on the labelled
# corpus in src/test/resources/bench/relevance.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
# scripts/bench.sh provisions and builds once for the whole suite and sets PARLEY_BENCH_BUILT=1.
if [[ "${PARLEY_BENCH_BUILT:-0}" != 1 ]]; then
  scripts/provision-db.sh >/dev/null
  mvn -B -q -ntp -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
fi
export DATASOURCES_DEFAULT_URL="jdbc:postgresql://${PARLEY_DB_HOST:-127.0.0.1}:${PARLEY_DB_PORT:-5432}/${PARLEY_TEST_DB_NAME:-parley_test}"
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  dev.parley.bench.RelevanceBenchmark "$@"
