#!/usr/bin/env bash
# provision-browser.sh - leave Debian's headless-capable Chromium and its WebDriver ready for the
# console's browser tests (src/test/java/dev/parley/console).
#
# Idempotent: when /usr/bin/chromium and /usr/bin/chromedriver are both there it only prints one
# line. Otherwise it installs the `chromium` and `chromium-driver` packages with apt-get, which
# needs root or sudo (only this first time). Nothing is downloaded outside Debian's packages: the
# tests point Selenium at these two binaries and never let it fetch a browser or driver itself.
#
# Settings (environment):
#   PARLEY_PROVISION_LOG   log of apt output (default /tmp/parley-provision-browser-<uid>.log)
set -euo pipefail

readonly ME="provision-browser"
readonly BROWSER=/usr/bin/chromium
readonly DRIVER=/usr/bin/chromedriver
LOG="${PARLEY_PROVISION_LOG:-/tmp/parley-provision-browser-$(id -u).log}"

say() { printf '%s: %s\n' "$ME" "$*"; }
die() { printf '%s: ERROR: %s\n' "$ME" "$*" >&2; exit 1; }

if [[ -x "$BROWSER" && -x "$DRIVER" ]]; then
    say "chromium and chromedriver present ($("$DRIVER" --version 2>/dev/null | awk '{print $2}'))"
    exit 0
fi

command -v apt-get >/dev/null || die "apt-get not found: install chromium and its driver by hand"
if [[ $(id -u) -eq 0 ]]; then
    SUDO=()
elif command -v sudo >/dev/null; then
    SUDO=(sudo)
else
    die "installing chromium needs root or sudo"
fi

say "installing chromium and chromium-driver (log: $LOG)"
export DEBIAN_FRONTEND=noninteractive
# Another apt-get on the machine holds dpkg's lock for a while: wait for it instead of failing.
APT=("${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=900)
# A stale package list may name versions the archive no longer has: refresh it once and retry.
if ! "${APT[@]}" install -y --no-install-recommends chromium chromium-driver >>"$LOG" 2>&1; then
    "${APT[@]}" update >>"$LOG" 2>&1 || die "apt-get update failed, see $LOG"
    "${APT[@]}" install -y --no-install-recommends chromium chromium-driver >>"$LOG" 2>&1 \
        || die "apt-get install failed, see $LOG"
fi
[[ -x "$BROWSER" && -x "$DRIVER" ]] || die "installed, but $BROWSER or $DRIVER is missing"
say "installed $("$DRIVER" --version 2>/dev/null | awk '{print $2}')"
