#!/usr/bin/env bash
# bench.sh - run the benchmark suite and write docs/benchmarks.md and the plots docs/bench-*.png.
#
#   scripts/bench.sh            quick mode (the default; under 5 minutes on 2 cores): HTTP write, read
#                               and search load against their baselines, memory, start-up, pipeline
#   scripts/bench.sh --full     everything: the HTTP part with more concurrencies and longer points,
#                               the sizing sweep, pipeline, moderation, relevance (the small corpus and
#                               the manual pages), search at 100,000
#                               posts and reindex (about an hour)
#
# Provisions what it needs (PostgreSQL + pgvector, wrk, pgbench), builds the jar the way
# scripts/run.sh does and starts it with run.sh's JAVA_OPTS (or yours, if JAVA_OPTS is set) on its
# own database. Each benchmark writes a Markdown fragment under docs/bench/; docs/benchmarks.md is
# assembled from all fragments, so one not re-run in this mode (the soak, the 100k-post runs in quick
# mode) keeps its last result and is marked with the date it was measured.
#
# Settings (environment): PARLEY_BENCH_PORT (18200), PARLEY_BENCH_DB (parley_bench_http, dropped and
# recreated), PARLEY_TEST_DB_NAME (parley_test_bench, for the in-process benchmarks), PARLEY_BENCH_LEVELS
# and PARLEY_BENCH_SECONDS (override the concurrencies and seconds per point), PARLEY_BENCH_SERVICE_ENV
# (extra KEY=VALUE pairs for the service, e.g. to set rate limits), PARLEY_DB_HOST / PARLEY_DB_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=quick
case "${1:-}" in
  ""|--quick) MODE=quick ;;
  --full) MODE=full ;;
  -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
  *) echo "usage: scripts/bench.sh [--quick|--full]" >&2; exit 2 ;;
esac

BEGAN=$(date +%s)
say() { printf 'bench: %s\n' "$*" >&2; }

DB_HOST="${PARLEY_DB_HOST:-127.0.0.1}"
DB_PORT="${PARLEY_DB_PORT:-5432}"
BENCH_DB="${PARLEY_BENCH_DB:-parley_bench_http}"
export PARLEY_TEST_DB_NAME="${PARLEY_TEST_DB_NAME:-parley_test_bench}"
PORT="${PARLEY_BENCH_PORT:-18200}"
WORK=target/bench
mkdir -p "$WORK" docs/bench

# ---------------------------------------------------------------- provision and build
say "provisioning PostgreSQL + pgvector (fresh $BENCH_DB), wrk, pgbench"
# The service's bench database is recreated every run: the pgbench scripts address users and threads
# by id ranges, and every run should start from the same state.
( unset DATASOURCES_DEFAULT_URL
  PARLEY_DB_NAME=parley_bench PARLEY_TEST_DB_NAME="$BENCH_DB" PARLEY_RESET_TEST_DB=1 scripts/provision-db.sh >/dev/null )
( unset DATASOURCES_DEFAULT_URL
  PARLEY_DB_NAME=parley_bench PARLEY_RESET_TEST_DB=1 scripts/provision-db.sh >/dev/null )
scripts/provision-bench-tools.sh >/dev/null

JAR=target/parley-0.1.0.jar
# run.sh's build is `mvn -DskipTests package`; re-shading the 230 MB jar takes half a minute, so it is
# skipped when the jar is newer than every source and the pom (the quick mode's budget is 5 minutes).
if [[ -f "$JAR" && -z "$(find src/main pom.xml -newer "$JAR" -print -quit)" ]]; then
  say "the jar is up to date; building the benchmark classes"
  mvn -B -q -ntp -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
else
  say "building the jar as scripts/run.sh does, and the benchmark classes"
  mvn -B -q -ntp -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
fi
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"

# The JVM flags users get: run.sh's default, unless JAVA_OPTS is set (as run.sh honours it too).
RUN_DEFAULT_OPTS="$(sed -n '/^[[:space:]]*#/!s/.*\${JAVA_OPTS:-\([^}]*\)}.*/\1/p' scripts/run.sh | head -n1)"
[[ -n "$RUN_DEFAULT_OPTS" ]] || { echo "bench: cannot read the default JAVA_OPTS from scripts/run.sh" >&2; exit 1; }
SERVICE_OPTS="${JAVA_OPTS:-$RUN_DEFAULT_OPTS}"

if [[ $MODE == quick ]]; then
  LEVELS="${PARLEY_BENCH_LEVELS:-1,4,16}"; SECONDS_PER_POINT="${PARLEY_BENCH_SECONDS:-4}"; RESTARTS=1; SIZING=false; DRAIN=false
else
  LEVELS="${PARLEY_BENCH_LEVELS:-1,2,4,8,16,32,64}"; SECONDS_PER_POINT="${PARLEY_BENCH_SECONDS:-15}"; RESTARTS=3; SIZING=true; DRAIN=true
fi

RAN=()  # fragments written by this run

# ---------------------------------------------------------------- HTTP load, memory, start-up
say "HTTP load ($MODE: clients $LEVELS, ${SECONDS_PER_POINT}s per point), service on :$PORT, database $BENCH_DB"
java -Xmx768m -cp "$CP" dev.parley.bench.HttpBenchmark jar="$JAR" javaOpts="$SERVICE_OPTS" \
  dbHost="$DB_HOST" dbPort="$DB_PORT" db="$BENCH_DB" port="$PORT" levels="$LEVELS" seconds="$SECONDS_PER_POINT" \
  restarts="$RESTARTS" sizing="$SIZING" drainBacklog="$DRAIN" mode="$MODE" docs=docs work="$WORK"
RAN+=(headline http)
if [[ $SIZING == true ]]; then RAN+=(sizing); fi

# ---------------------------------------------------------------- the in-process benchmarks
# Each prints Markdown tables; the fragment is a fixed description plus those tables.
export PARLEY_BENCH_BUILT=1
TODAY=$(date -u +%F)

tables() {  # keep the tables and result lines of a benchmark's output, blank lines between blocks
  awk '/^\|/ { print; t = 1; next } /^(Loaded|Corpus:)/ { if (t) print ""; print; print ""; t = 0; next }
       { if (t) { print ""; t = 0 } }'
}

fragment() {  # name title description-text output-file
  local name=$1 title=$2 text=$3 output=$4
  { printf '## %s\n\n<!-- measured: %s %s -->\n_Measured %s, %s mode; machine and versions in the header._\n\n' \
      "$title" "$TODAY" "$MODE" "$TODAY" "$MODE"
    printf '%s\n\n' "$text"
    tables <"$output"
  } >"docs/bench/$name.md"
  RAN+=("$name")
}

run_bench() {  # name script args...; output kept in target/bench/<name>.out
  local name=$1; shift
  say "$name: $*"
  if ! "$@" >"$WORK/$name.out" 2>&1; then
    echo "bench: $name failed; last lines of $WORK/$name.out:" >&2
    tail -n 30 "$WORK/$name.out" >&2
    exit 1
  fi
}

if [[ $MODE == quick ]]; then PIPELINE_JOBS=5000; else PIPELINE_JOBS=20000; fi
run_bench pipeline scripts/bench-pipeline.sh "$PIPELINE_JOBS"
fragment pipeline 'Job pipeline (`scripts/bench-pipeline.sh`)' \
"One worker pool, concurrency 2 (the default for 2 cores), $PIPELINE_JOBS jobs with a no-op handler,
queued before the workers start. Batches of 16: one \`UPDATE … FOR UPDATE SKIP LOCKED\` claims 16 jobs,
and the jobs that finish while a worker's write is under way are marked succeeded together in its next
\`UPDATE … FROM unnest(ids, lease tokens)\`, while the next claim runs. The baseline in the same run
claims one job per statement and marks each done in its own transaction. The latency is from the
enqueueing commit to the handler starting, at idle, woken by LISTEN/NOTIFY." "$WORK/pipeline.out"

if [[ $MODE == full ]]; then
  run_bench moderation scripts/bench-moderation.sh 400
  fragment moderation 'Moderation throughput (`scripts/bench-moderation.sh`)' \
"400 posts created over HTTP with the workers stopped, then one worker pool (moderation concurrency 2)
drains them; OpenAI is played by the fake server of the test suite, answering at once or after 200 ms.
\"Batches of 16\" is the default (16 posts scored in one provider request); the baseline in the same run
sends one post per request (at 200 ms on 100 posts, to keep the run short)." "$WORK/moderation.out"

  run_bench relevance scripts/bench-relevance.sh
  fragment relevance 'Search relevance (`scripts/bench-relevance.sh`)' \
"The labelled corpus in \`src/test/resources/bench/relevance.txt\`: 30 threads on unrelated everyday topics
and 30 queries (10 paraphrases sharing no keyword with their thread, 10 keyword queries, 10 mixed), the
service in-process with the local all-MiniLM-L6-v2 model, every query sent over HTTP in each mode." \
    "$WORK/relevance.out"

  run_bench relevance-manpages scripts/bench-relevance.sh --manpages
  fragment relevance-manpages 'Search relevance on manual pages (`scripts/bench-relevance.sh --manpages`)' \
"A corpus nobody on the team wrote: the manual pages of the Debian packages pinned in
\`src/test/resources/bench/manpages/packages.txt\` (fetched with apt-get, parsed from roff), one page a thread
titled by its names, the opening post its NAME line, synopsis and the start of its description, the other
sections as replies of up to 170 words (10 posts a thread at most). Queries: known-item (each page's own
NAME-line summary without its names; pages sharing a summary are all relevant), reworded questions written
without the pages' key terms before any search was run (\`questions.txt\`, graded), and keyword/identifier
queries (\`identifiers.txt\`: options, constants, function names). Every query over HTTP in each mode, the
service in-process with its configured model; the whole-document baseline embeds each thread's title and
whole opening post with the same model and ranks them by exact cosine. recall@5 counts the labelled pages in
the first five over their number capped at five; nDCG@10 uses gains 2^grade - 1." "$WORK/relevance-manpages.out"

  # Search at scale loads 100,000 posts into a fresh in-process test database; reindex re-embeds them.
  ( unset DATASOURCES_DEFAULT_URL
    PARLEY_DB_NAME=parley_bench PARLEY_RESET_TEST_DB=1 scripts/provision-db.sh >/dev/null )
  run_bench search-scale scripts/bench-search.sh 100000
  fragment search-scale 'Search at scale (`scripts/bench-search.sh`)' \
"100,000 posts of synthetic forum text in threads of realistic sizes (most 1–10 posts, one thread in fifty
200–400 posts, all on the thread's topic), the threads in three categories holding 89%, 10% and 1% of them,
embedded with the local all-MiniLM-L6-v2 model (384 dimensions) and bulk-loaded, then \`VACUUM ANALYZE\`d as
autovacuum would. Each row: 100 semantic queries over HTTP at one client (\`limit=10\`), each new to the
service so none is answered from its query cache; recall@10 of the threads answered (HNSW, iterative scan
with the category filter, \`ef_search\` 200) against an exact scan of the same rows; \"full pages\": ten
distinct threads, or every matching thread when fewer match." "$WORK/search-scale.out"

  run_bench reindex scripts/bench-reindex.sh
  fragment reindex 'Reindex (`scripts/bench-reindex.sh`)' \
"An \`all\` run with the local model over the posts the search benchmark left, through the job pipeline
(batches of 64, one batch in flight), the service in-process with its default settings; the raw rate is
the same model embedding batches of 64 short texts just before the run." "$WORK/reindex.out"
fi

# ---------------------------------------------------------------- assemble docs/benchmarks.md
WALL=$(( $(date +%s) - BEGAN ))
scripts/bench-assemble.sh "$MODE" "$WALL" "${RAN[@]}"
say "done in ${WALL} s: docs/benchmarks.md, docs/bench/*.md, docs/bench-*.png"
