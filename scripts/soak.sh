#!/usr/bin/env bash
# Soak: starts Parley the way users do (the jar, built like scripts/run.sh) on a fresh database of
# its own, drives a steady mixed load at a fixed arrival rate for MINUTES (default 10), samples
# memory, then checks that nothing failed, nothing was lost, the job pipeline drained and memory
# stayed flat. Writes docs/bench/soak.md (a "## Soak" fragment for docs/benchmarks.md) and exits
# non-zero when the soak failed.
# Memory is judged on the live heap: the load program forces a full collection through jcmd every 30 s
# and reads the heap right after it (README "Soak" says why the least-heap floor was not enough).
#   scripts/soak.sh [minutes]      SOAK_RATE=20 (operations/s)  SOAK_PORT=18480  SOAK_DB=parley_soak
#                                  SOAK_OUT=docs/bench/soak.md (the report)
#                                  SOAK_BUILT=1: the jar and test classes are built already (build them
#                                  beforehand, so a timed run does not include Maven)
set -euo pipefail
cd "$(dirname "$0")/.."

MINUTES="${1:-10}"
RATE="${SOAK_RATE:-20}"
PORT="${SOAK_PORT:-18480}"
DB="${SOAK_DB:-parley_soak}"
OUT="${SOAK_OUT:-docs/bench/soak.md}"
ADMIN_USER=soakadmin
ADMIN_PASSWORD="soak-admin-password-$RANDOM$RANDOM"

# A fresh database: the provisioning script drops and recreates its "test" database, here the
# soak's own (the run database it also ensures is the usual one, left as it is).
PARLEY_TEST_DB_NAME="$DB" PARLEY_RESET_TEST_DB=1 scripts/provision-db.sh
if [[ "${SOAK_BUILT:-0}" != 1 ]]; then
  echo "soak: building the jar and the load program"
  mvn -B -q -ntp -DskipTests package
  mvn -B -q -ntp test-compile
fi
# The load program runs from a copy, so that a later build of target/ cannot change it mid-run.
rm -rf target/soak-load && mkdir -p target/soak-load/dev/parley/bench
cp target/test-classes/dev/parley/bench/SoakLoad*.class target/soak-load/dev/parley/bench/

LOG=target/soak-service.log
# Rate limits are off: one load program on one address plays hundreds of users posting several times
# a second, which the per-address and per-user limits exist to refuse (their own tests are in the suite).
echo "soak: starting the service on :$PORT (log in $LOG)"
DATASOURCES_DEFAULT_URL="jdbc:postgresql://127.0.0.1:5432/$DB" \
MICRONAUT_SERVER_PORT="$PORT" \
PARLEY_JWT_SECRET="soak-only-secret-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
PARLEY_ADMIN_USERNAME="$ADMIN_USER" PARLEY_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
PARLEY_LIMITS_RATE_ENABLED=false \
  java ${JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError} -jar target/parley-0.1.0.jar \
  > "$LOG" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true' EXIT

for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then break; fi
  kill -0 "$PID" 2>/dev/null || { echo "soak: the service died at start, see $LOG"; exit 1; }
  sleep 1
done
curl -fs "http://127.0.0.1:$PORT/health" >/dev/null || { echo "soak: the service did not come up"; exit 1; }

echo "soak: $MINUTES minutes at $RATE operations/s"
status=0
java -Xmx256m -cp target/soak-load dev.parley.bench.SoakLoad "http://127.0.0.1:$PORT" "$MINUTES" "$RATE" "$PID" \
  "$ADMIN_USER" "$ADMIN_PASSWORD" "$OUT" || status=$?
grep -c " ERROR " "$LOG" | sed 's/^/soak: ERROR lines in the service log: /' || true
exit "$status"
