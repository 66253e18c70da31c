#!/usr/bin/env bash
# bench-replica.sh - what routing public reads to a read replica costs on this machine, and the
# replica's lag under the write load. Writes docs/bench/replica.md and re-assembles docs/benchmarks.md.
#
#   scripts/bench-replica.sh        the service with the local streaming standby (provisioned here with
#                                   PARLEY_REPLICA=1 scripts/provision-db.sh, port PARLEY_REPLICA_PORT,
#                                   5433) writes a corpus while its lag is sampled, then serves anonymous
#                                   thread reads and semantic searches; then a service without the replica
#                                   serves the same loads (about 4 minutes on 2 cores)
#
# Settings (environment): PARLEY_BENCH_PORT (18200), PARLEY_BENCH_DB (parley_bench_replica, dropped and
# recreated), PARLEY_BENCH_LEVELS (1,4,16), PARLEY_BENCH_SECONDS (5), PARLEY_REPLICA_PORT (5433).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf 'bench-replica: %s\n' "$*" >&2; }

BENCH_DB="${PARLEY_BENCH_DB:-parley_bench_replica}"
PORT="${PARLEY_BENCH_PORT:-18200}"
REPLICA_PORT="${PARLEY_REPLICA_PORT:-5433}"
WORK=target/bench-replica
mkdir -p "$WORK" docs/bench

say "provisioning PostgreSQL + pgvector (fresh $BENCH_DB), its streaming standby on :$REPLICA_PORT, wrk, pgbench"
( unset DATASOURCES_DEFAULT_URL
  PARLEY_REPLICA=1 PARLEY_DB_NAME=parley_bench PARLEY_TEST_DB_NAME="$BENCH_DB" PARLEY_RESET_TEST_DB=1 \
    scripts/provision-db.sh >/dev/null )
scripts/provision-bench-tools.sh >/dev/null

JAR=target/parley-0.1.0.jar
if [[ -f "$JAR" && -z "$(find src/main pom.xml -newer "$JAR" -print -quit)" ]]; then
  say "the jar is up to date; building the benchmark classes"
  mvn -B -q -ntp -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
else
  say "building the jar as scripts/run.sh does, and the benchmark classes"
  mvn -B -q -ntp -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
fi
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
RUN_DEFAULT_OPTS="$(sed -n '/^[[:space:]]*#/!s/.*\${JAVA_OPTS:-\([^}]*\)}.*/\1/p' scripts/run.sh | head -n1)"
SERVICE_OPTS="${JAVA_OPTS:-$RUN_DEFAULT_OPTS}"

java -Xmx768m -cp "$CP" dev.parley.bench.HttpBenchmark parts=replica jar="$JAR" javaOpts="$SERVICE_OPTS" \
  db="$BENCH_DB" port="$PORT" levels="${PARLEY_BENCH_LEVELS:-1,4,16}" seconds="${PARLEY_BENCH_SECONDS:-5}" \
  replicaUrl="jdbc:postgresql://127.0.0.1:$REPLICA_PORT/$BENCH_DB" work="$WORK"

TODAY=$(date -u +%F)
{ printf '## Read replica (`scripts/bench-replica.sh`)\n\n<!-- measured: %s quick -->\n_Measured %s; machine and versions in the header._\n\n' "$TODAY" "$TODAY"
  cat <<'TEXT'
One service with `datasources.replica` pointing at the local streaming standby (README "Read
replicas"), then one without it, on the same database and the same cores: anonymous thread reads
(`read.lua`) and semantic searches of queries the service has not seen (`search.lua`), each level
after a warm-up. Primary and standby are two PostgreSQL clusters on the same 2 cores, so the replica
adds no capacity here: the ratio is what the routing costs (a replica connection pool, the lag check
every second, the routing decision per read), not what a replica on its own machine gains. The lag is
the service's own figure (`parley_database_replica_lag_bytes` / `_seconds`), sampled every second
during the write load and the workers' moderation and embedding of it.
TEXT
  printf '\n'
  cat "$WORK/replica.md"
} > docs/bench/replica.md
scripts/bench-assemble.sh >/dev/null
say "wrote docs/bench/replica.md and docs/benchmarks.md"
