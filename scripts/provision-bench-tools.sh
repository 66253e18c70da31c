#!/usr/bin/env bash
# provision-bench-tools.sh - install what scripts/bench.sh needs beyond the database:
#   wrk       the HTTP load generator (Debian package "wrk")
#   pgbench   the PostgreSQL baseline (Debian ships it with the server and client packages;
#             "postgresql-contrib" is installed too when it is missing, as older layouts had it there)
# Plots are drawn by the benchmark program itself (java.awt, headless), so no plotting package.
# Idempotent: with everything present it installs nothing and takes well under a second.
set -euo pipefail

ME=provision-bench-tools
LOG="${PARLEY_PROVISION_LOG:-/tmp/parley-provision-bench-tools-$(id -u).log}"
if [[ "$(id -u)" -eq 0 ]]; then SUDO=(); else SUDO=(sudo); fi

have_pgbench() {
  command -v pgbench >/dev/null 2>&1 || compgen -G '/usr/lib/postgresql/*/bin/pgbench' >/dev/null
}

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
have_pgbench || missing+=(postgresql-contrib)

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "$ME: wrk and pgbench present"
  exit 0
fi
echo "$ME: installing ${missing[*]} (log: $LOG)"
if ! { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update \
       && "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; \
     } >>"$LOG" 2>&1; then
  echo "$ME: ERROR: apt-get failed; last lines of $LOG:" >&2
  tail -n 20 "$LOG" >&2
  exit 1
fi
command -v wrk >/dev/null 2>&1 || { echo "$ME: ERROR: wrk still missing" >&2; exit 1; }
have_pgbench || { echo "$ME: ERROR: pgbench still missing" >&2; exit 1; }
echo "$ME: wrk and pgbench present"
