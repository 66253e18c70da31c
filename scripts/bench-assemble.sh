#!/usr/bin/env bash
# bench-assemble.sh - write docs/benchmarks.md from the fragments in docs/bench/*.md.
#
#   scripts/bench-assemble.sh [mode wall-seconds fragment...]
#
# scripts/bench.sh calls it at the end with its mode, its wall time and the fragments it re-ran.
# Run it alone (no arguments) after another script wrote its fragment (e.g. the soak writing
# docs/bench/soak.md): nothing is then marked as re-run, and the header keeps the machine of now.
#
# Order: the header (machine, JDK, PostgreSQL, pgvector, wrk, date, the run), then headline, reading,
# http, sizing, pipeline, moderation, relevance, relevance-manpages, search-scale, reindex, soak, then
# any other fragment alphabetically. A fragment carries its date in a "<!-- measured: YYYY-MM-DD mode -->" line (or,
# without one, the file's modification date); each fragment this run did not re-run gets a line saying
# when it was measured.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE="${1:-}"
WALL="${2:-}"
shift 2 2>/dev/null || shift $#
RAN=" $* "

OUT=docs/benchmarks.md
DB_HOST="${PARLEY_DB_HOST:-127.0.0.1}"
DB_PORT="${PARLEY_DB_PORT:-5432}"
DB_USER="${DATASOURCES_DEFAULT_USERNAME:-parley}"
export PGPASSWORD="${DATASOURCES_DEFAULT_PASSWORD:-parley}"
sqlq() { psql -X -At -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "${PARLEY_BENCH_DB:-parley_bench_http}" -c "$1" 2>/dev/null || echo "?"; }

cpu="$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)"
cores="$(nproc)"
mem_gib="$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)"
os="$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-Linux}")"
jdk="$(java -version 2>&1 | head -n1)"
pg="$(sqlq 'SHOW server_version' | awk '{print $1}')"
pgvector="$(sqlq "SELECT extversion FROM pg_extension WHERE extname = 'vector'")"
wrk_version="$( (wrk --version 2>&1 || true) | head -n1 | awk '{print $2}')"
today="$(date -u +%F)"

measured_of() {  # fragment file -> its measured date
  local d
  d="$(sed -n 's/^<!-- measured: \([0-9-]*\).*-->$/\1/p' "$1" | head -n1)"
  [[ -n "$d" ]] || d="$(date -u -r "$1" +%F)"
  printf '%s' "$d"
}

# A fragment links to the plots relative to docs/bench/ (../bench-write.png); this page is in docs/,
# where the same files are bench-write.png.
rebase_links() {
  sed -e 's#](\.\./#](#g'
}

ORDER=(headline reading http sizing pipeline moderation relevance relevance-manpages search-scale reindex soak)
files=()
for name in "${ORDER[@]}"; do
  if [[ -f "docs/bench/$name.md" ]]; then files+=("docs/bench/$name.md"); fi
done
for f in docs/bench/*.md; do
  [[ -f "$f" ]] || continue
  name="$(basename "$f" .md)"
  if [[ " ${ORDER[*]} " != *" $name "* ]]; then files+=("$f"); fi
done

{
  echo "# Benchmarks"
  echo
  echo "Every figure here comes from a program in this repository; \`scripts/bench.sh\` (quick, under five"
  echo "minutes) or \`scripts/bench.sh --full\` re-runs them and rewrites this page from the fragments in"
  echo "\`docs/bench/\`. Absolute numbers drift on shared machines, so each load is compared against a baseline"
  echo "measured in the same run on the same machine; the ratio is the figure to read."
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| machine | ${cpu:-unknown CPU}, ${cores} cores, ${mem_gib} GiB, ${os} |"
  echo "| JDK | ${jdk} |"
  echo "| PostgreSQL | ${pg} (same host), pgvector ${pgvector} |"
  echo "| load generators | wrk ${wrk_version}, pgbench ${pg} |"
  echo "| assembled | ${today} |"
  if [[ -n "$MODE" ]]; then
    echo "| this run | \`scripts/bench.sh --${MODE}\`, ${WALL} s wall time, re-ran:${RAN% } |"
  else
    echo "| this run | none: assembled from the fragments as they were (\`scripts/bench-assemble.sh\`) |"
  fi
  for f in "${files[@]}"; do
    name="$(basename "$f" .md)"
    echo
    if [[ "$RAN" == *" $name "* ]]; then
      grep -v '^<!-- measured:' "$f"
    else
      # The heading first, then the note, then the rest.
      awk -v note="> Not re-run in this run: measured $(measured_of "$f")." '
        !done && /^## / { print; print ""; print note; done = 1; next }
        /^<!-- measured:/ { next }
        { print }' "$f"
    fi | rebase_links
  done
  echo
} >"$OUT.tmp"
# Collapse runs of blank lines left by the fragments' own spacing.
cat -s "$OUT.tmp" >"$OUT"
rm -f "$OUT.tmp"
echo "bench-assemble: wrote $OUT from ${#files[@]} fragments" >&2
