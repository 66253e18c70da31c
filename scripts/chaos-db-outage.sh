#!/usr/bin/env bash
# chaos-db-outage.sh - operator drill: stop PostgreSQL for 30 s under a small write load against a
# running Parley service, start it again, and check that the service answered 503 (not hangs)
# meanwhile, recovered by itself, and lost no acknowledged write.
#
# It STOPS THE WHOLE POSTGRESQL CLUSTER: every other client of that cluster loses it for the
# outage too. Run it only against a cluster that serves nothing else (a staging box, your own
# cluster), never against a shared one. It refuses to run without --yes-stop-postgres.
#
# Settings (environment, with defaults):
#   BASE            http://localhost:8080        the running service
#   PG_VERSION      15                           cluster to stop/start with pg_ctlcluster
#   PG_CLUSTER      main
#   OUTAGE_SECONDS  30
#   WRITERS         3                            concurrent writers (curl loops)
# Needs curl, and root (or the postgres user) for pg_ctlcluster. Run as root on Debian:
#   scripts/chaos-db-outage.sh --yes-stop-postgres
set -euo pipefail

[[ "${1:-}" == "--yes-stop-postgres" ]] || {
  echo "This stops PostgreSQL cluster ${PG_VERSION:-15}/${PG_CLUSTER:-main} for ${OUTAGE_SECONDS:-30} s." >&2
  echo "Re-run with --yes-stop-postgres if nothing else depends on it." >&2
  exit 2
}
BASE="${BASE:-http://localhost:8080}"
PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER="${PG_CLUSTER:-main}"
OUTAGE_SECONDS="${OUTAGE_SECONDS:-30}"
WRITERS="${WRITERS:-3}"
WORK="$(mktemp -d)"
say() { printf 'chaos: %s\n' "$*"; }

pg() { pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" "$@"; }
# Whatever happens, PostgreSQL is started again.
trap 'pg status >/dev/null 2>&1 || pg start || true' EXIT

curl -sf "$BASE/health" >/dev/null || { say "service at $BASE is not healthy; start it first"; exit 1; }
USER_NAME="chaos$(date +%s)"
PASSWORD="chaos-password-$RANDOM$RANDOM"
curl -sf -X POST "$BASE/api/auth/register" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$USER_NAME\",\"email\":\"$USER_NAME@example.com\",\"password\":\"$PASSWORD\"}" >/dev/null
TOKEN=$(curl -sf -X POST "$BASE/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$USER_NAME\",\"password\":\"$PASSWORD\"}" | grep -o '"access_token":"[^"]*"' | cut -d'"' -f4)
THREAD_ID=$(curl -sf -X POST "$BASE/api/threads" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"category":"general","title":"Chaos drill","body":"Database outage drill"}' | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
say "user $USER_NAME, thread $THREAD_ID; writing with $WRITERS writers"
say "note: the drill posts more than the default posting limit allows; 429s are counted, not failures"

# Each writer appends "status seconds post-id" per request to its own file until STOP exists.
writer() {
  local n=0 out="$WORK/writer-$1"
  while [[ ! -e "$WORK/STOP" ]]; do
    n=$((n + 1))
    local res
    res=$(curl -s -m 40 -o "$WORK/body-$1" -w '%{http_code} %{time_total}' -X POST "$BASE/api/threads/$THREAD_ID/posts" \
      -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d "{\"body\":\"chaos write $1/$n\"}" || echo "000 40")
    local id=""
    [[ "$res" == 201* ]] && id=$(grep -o '"id":[0-9]*' "$WORK/body-$1" | head -1 | cut -d: -f2)
    echo "$res $id" >> "$out"
    sleep 0.3
  done
}
for w in $(seq 1 "$WRITERS"); do writer "$w" & done

sleep 5
say "stopping PostgreSQL $PG_VERSION/$PG_CLUSTER for $OUTAGE_SECONDS s"
pg stop -m fast
OUTAGE_START=$(date +%s)
sleep 5
HEALTH_DURING=$(curl -s -m 30 -o /dev/null -w '%{http_code}' "$BASE/health" || echo 000)
sleep $((OUTAGE_SECONDS - 5))
pg start
say "PostgreSQL started again after $(( $(date +%s) - OUTAGE_START )) s; waiting for the service to recover"
for _ in $(seq 1 60); do
  curl -sf "$BASE/health" >/dev/null && break
  sleep 1
done
sleep 10
touch "$WORK/STOP"
wait

cat "$WORK"/writer-* > "$WORK/all"
total=$(wc -l < "$WORK/all")
created=$(grep -c '^201 ' "$WORK/all" || true)
unavailable=$(grep -c '^503 ' "$WORK/all" || true)
limited=$(grep -c '^429 ' "$WORK/all" || true)
other=$(grep -vc '^\(201\|503\|429\) ' "$WORK/all" || true)
slowest=$(awk '{print $2}' "$WORK/all" | sort -n | tail -1)
say "$total requests: $created x 201, $unavailable x 503, $limited x 429, $other other (500, hang, refused); slowest ${slowest}s"
say "/health during the outage: HTTP $HEALTH_DURING (expected 503)"

# Every acknowledged post must exist and leave "pending" once moderation catches up.
missing=0; pending=0
for id in $(awk '$1 == 201 {print $3}' "$WORK/all"); do
  status=""
  for _ in $(seq 1 60); do
    status=$(curl -s "$BASE/api/posts/$id" -H "Authorization: Bearer $TOKEN" | grep -o '"status":"[a-z]*"' | cut -d'"' -f4)
    [[ -n "$status" && "$status" != pending ]] && break
    sleep 1
  done
  [[ -z "$status" ]] && missing=$((missing + 1))
  [[ "$status" == pending ]] && pending=$((pending + 1))
done
say "acknowledged posts missing: $missing, still pending after 60 s: $pending"
rm -rf "$WORK"
if [[ "$other" -eq 0 && "$unavailable" -gt 0 && "$missing" -eq 0 && "$pending" -eq 0 && "$HEALTH_DURING" == 503 ]]; then
  say "PASS"
else
  say "FAIL"; exit 1
fi
