#!/usr/bin/env bash
# Provisions PostgreSQL + pgvector, builds Parley and runs it with its embedded defaults
# (local database, rules moderation, no API key needed). Extra arguments go to the JVM's main.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/provision-db.sh
echo "run: building (tests are the other command: scripts/test.sh)"
mvn -B -q -ntp -DskipTests package
# Heap sized for a 2-core / small-memory host; raise -Xmx on bigger machines (see README).
# Measured by scripts/bench.sh (docs/benchmarks.md, "Memory"): about 550 MiB resident under every load
# with these flags, ~200 MiB of it outside the heap (ONNX model, metaspace, threads). scripts/bench.sh
# reads the default flags from the line below, so keep them in this ${JAVA_OPTS:-...} form.
exec java ${JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError} -jar target/parley-0.1.0.jar "$@"
