#!/usr/bin/env bash
# Relevance benchmarks.
#
#   scripts/bench-relevance.sh              recall@5 and MRR@10 of semantic, keyword and hybrid search on
#                                           the small labelled corpus in src/test/resources/bench/relevance.txt
#   scripts/bench-relevance.sh --manpages   the same modes and the exact whole-document baseline on
#                                           Debian's manual pages (about 650 threads; recall@5, MRR@10,
#                                           nDCG@10 per query class; about 10 minutes on 2 cores)
#   scripts/bench-relevance.sh --model-rate the raw rate of each local model on that corpus's posts, side by
#                                           side in one run (embedding only, as the embedding jobs call it)
#
# PARLEY_EMBEDDING_MODEL picks the model --manpages runs the service with (default all-minilm-l6-v2).
# --manpages and --model-rate fetch the packages pinned in src/test/resources/bench/manpages/packages.txt with
# `apt-get download` (this machine's apt sources; run `apt-get update` first on a fresh machine) and
# unpacks them with `dpkg-deb -x` under target/relevance-manpages/, once; later runs reuse them.
set -euo pipefail
cd "$(dirname "$0")/.."

CORPUS=target/relevance-manpages
MANIFEST=src/test/resources/bench/manpages/packages.txt

fetch_manpages() {
  mkdir -p "$CORPUS/debs" "$CORPUS/root"
  local pkg version rest deb
  while read -r pkg version rest; do
    [[ -z "$pkg" || "$pkg" == \#* ]] && continue
    if [[ ! -d "$CORPUS/root/$pkg" ]]; then
      deb=$(find "$CORPUS/debs" -name "${pkg}_${version//:/%3a}_*.deb" -print -quit)
      if [[ -z "$deb" ]]; then
        if ! ( cd "$CORPUS/debs" && apt-get download "$pkg=$version" ) >&2; then
          echo "bench-relevance: cannot download $pkg $version with apt-get (run apt-get update; if that version" \
               "is gone from the sources, pin the one apt-cache policy $pkg offers in $MANIFEST)" >&2
          exit 1
        fi
        deb=$(find "$CORPUS/debs" -name "${pkg}_${version//:/%3a}_*.deb" -print -quit)
      fi
      rm -rf "$CORPUS/root/$pkg.partial"
      dpkg-deb -x "$deb" "$CORPUS/root/$pkg.partial"
      mv "$CORPUS/root/$pkg.partial" "$CORPUS/root/$pkg"
    fi
  done <"$MANIFEST"
}

MAIN=dev.parley.bench.RelevanceBenchmark
ARGS=("$@")
if [[ "${1:-}" == --manpages || "${1:-}" == --model-rate ]]; then
  fetch_manpages
  [[ "$1" == --manpages ]] && MAIN=dev.parley.bench.ManpagesRelevanceBenchmark || MAIN=dev.parley.bench.ModelRateBenchmark
  ARGS=("$CORPUS/root")
fi

# scripts/bench.sh provisions and builds once for the whole suite and sets PARLEY_BENCH_BUILT=1.
if [[ "${PARLEY_BENCH_BUILT:-0}" != 1 ]]; then
  scripts/provision-db.sh >/dev/null
  mvn -B -q -ntp -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
fi
export DATASOURCES_DEFAULT_URL="jdbc:postgresql://${PARLEY_DB_HOST:-127.0.0.1}:${PARLEY_DB_PORT:-5432}/${PARLEY_TEST_DB_NAME:-parley_test}"
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" "$MAIN" "${ARGS[@]}"
