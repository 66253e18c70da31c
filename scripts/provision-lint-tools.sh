#!/usr/bin/env bash
# provision-lint-tools.sh - leave Redocly's CLI ready for the test that lints the served OpenAPI
# document (src/test/java/dev/parley/common/OpenApiLintTest.java) with Redocly's recommended rules.
#
# Idempotent: when tools/redocly holds the pinned version it only prints one line. Otherwise it
# installs that version with npm (from the npm registry npm is configured for) into tools/redocly,
# which git ignores; nothing is installed globally. Node.js comes from Debian's packages when it is
# missing (root or sudo, only this first time). The CLI is pinned to the 1.x line because it runs on
# Debian bookworm's Node.js 18 (it needs 18.17+); 2.x needs Node.js 20.19+, which bookworm does not package.
#
# Settings (environment):
#   PARLEY_PROVISION_LOG   log of apt and npm output (default /tmp/parley-provision-lint-tools-<uid>.log)
set -euo pipefail
cd "$(dirname "$0")/.."

readonly ME="provision-lint-tools"
readonly VERSION=1.34.20
readonly DIR=tools/redocly
readonly CLI="$DIR/node_modules/.bin/redocly"
LOG="${PARLEY_PROVISION_LOG:-/tmp/parley-provision-lint-tools-$(id -u).log}"

say() { printf '%s: %s\n' "$ME" "$*"; }
die() { printf '%s: ERROR: %s\n' "$ME" "$*" >&2; exit 1; }

installed_version() {
    # The package's own manifest: asking the CLI would start Node.js and may print update notices.
    node -p "require('./$DIR/node_modules/@redocly/cli/package.json').version" 2>/dev/null || true
}

if [[ -x "$CLI" && "$(installed_version)" == "$VERSION" ]]; then
    say "redocly $VERSION present ($CLI)"
    exit 0
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    command -v apt-get >/dev/null || die "node and npm not found: install Node.js 18.17+ by hand"
    if [[ $(id -u) -eq 0 ]]; then SUDO=(); elif command -v sudo >/dev/null; then SUDO=(sudo); else
        die "installing Node.js needs root or sudo"; fi
    say "installing nodejs and npm (log: $LOG)"
    APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900)
    if ! "${APT[@]}" install -y --no-install-recommends nodejs npm >>"$LOG" 2>&1; then
        "${APT[@]}" update >>"$LOG" 2>&1 || die "apt-get update failed, see $LOG"
        "${APT[@]}" install -y --no-install-recommends nodejs npm >>"$LOG" 2>&1 \
            || die "apt-get install failed, see $LOG"
    fi
fi
node -e 'const [a, b] = process.versions.node.split(".").map(Number);
         process.exit(a > 18 || (a === 18 && b >= 17) ? 0 : 1)' \
    || die "Node.js $(node --version) is too old for redocly $VERSION: it needs 18.17+"

say "installing @redocly/cli@$VERSION into $DIR (log: $LOG)"
mkdir -p "$DIR"
# A package.json of its own keeps npm from walking up into the repository.
[[ -f "$DIR/package.json" ]] || printf '{"private": true}\n' >"$DIR/package.json"
npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error --save-exact "@redocly/cli@$VERSION" >>"$LOG" 2>&1 \
    || { tail -n 20 "$LOG" >&2; die "npm install failed, see $LOG"; }
[[ -x "$CLI" && "$(installed_version)" == "$VERSION" ]] || die "installed, but $CLI is not version $VERSION"
say "installed redocly $VERSION"
