#!/usr/bin/env bash
# Moderation benchmark: posts moderated per second through the pipeline, fake OpenAI answering
# at once and after 200 ms, batched against one post per provider request.
# Usage: scripts/bench-moderation.sh [posts]   (default 400)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/provision-db.sh >/dev/null
mvn -B -q -ntp -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
export DATASOURCES_DEFAULT_URL="jdbc:postgresql://${PARLEY_DB_HOST:-127.0.0.1}:${PARLEY_DB_PORT:-5432}/${PARLEY_TEST_DB_NAME:-parley_test}"
exec java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  dev.parley.bench.ModerationBenchmark "$@"
