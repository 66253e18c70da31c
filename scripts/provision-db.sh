#!/usr/bin/env bash
# provision-db.sh - leave a PostgreSQL server with the pgvector extension ready
# for Parley (run database + test database) on a Debian machine.
#
# Idempotent: safe to run any number of times; a run with nothing to do takes
# about a second and only prints short status lines.
#
# What it does (local target host, i.e. 127.0.0.1 / localhost / ::1):
#   1. installs the `postgresql` package if no PostgreSQL server is installed;
#   2. if the server has no `vector` extension, builds pgvector from the Debian
#      13 (trixie) source package (bookworm does not package it) and installs it
#      into the server's extension directory;
#   3. creates/starts the cluster listening on PARLEY_DB_PORT and waits for it;
#   4. creates the application role (LOGIN, NOSUPERUSER, password re-set every
#      run) and the run + test databases owned by it, and runs
#      `CREATE EXTENSION IF NOT EXISTS vector` in both as the superuser;
#   5. checks that the role can log in over TCP with its password;
#   6. with PARLEY_REPLICA=1, keeps a streaming standby of that cluster on
#      PARLEY_REPLICA_PORT (a second cluster, made by pg_basebackup -R, which
#      writes standby.signal and primary_conninfo), reused while it follows the
#      primary and rebuilt when it cannot (README "Read replicas").
# For a non-local target host it only checks connectivity (and, if
# PARLEY_DB_SUPERUSER_URL is given and psql is available, applies step 4
# through that superuser connection).
#
# Settings (environment, with defaults):
#   PARLEY_DB_HOST                127.0.0.1
#   PARLEY_DB_PORT                5432
#   PARLEY_DB_NAME                parley
#   PARLEY_TEST_DB_NAME           parley_test
#   DATASOURCES_DEFAULT_USERNAME  parley
#   DATASOURCES_DEFAULT_PASSWORD  parley
#   DATASOURCES_DEFAULT_URL       jdbc:postgresql://host:port/db - if set, host,
#                                 port and run database are taken from it
#   PARLEY_DB_SUPERUSER_URL       optional libpq URL of a superuser, only used
#                                 for a non-local host
#   PARLEY_RESET_TEST_DB          1: drop and recreate the test database (scripts/test.sh)
#   PARLEY_REPLICA                1: also provision the local streaming standby (scripts/test.sh)
#   PARLEY_REPLICA_PORT           5433, the standby's port
#   PARLEY_REPLICATION_USERNAME   parley_replication, the role the standby streams as
#   PARLEY_REPLICATION_PASSWORD   parley_replication
#   PARLEY_PROVISION_LOG          log of apt/build output
#                                 (default /tmp/parley-provision-db-<uid>.log)
#
# About the pgvector source: the deb-src entry for trixie is written to
# /etc/apt/sources.list.d/parley-pgvector-src.sources only while the source
# package is fetched and is removed again when the script exits (so later
# `apt-get update` runs on this machine do not depend on trixie). Its URI and
# Signed-By are copied at runtime from the machine's existing Debian archive
# entry. The build uses OPTFLAGS="" (no -march=native) so the installed
# library also works if the machine image is moved to another CPU.

set -euo pipefail

readonly ME="provision-db"
readonly SRC_FILE=/etc/apt/sources.list.d/parley-pgvector-src.sources
readonly SOURCE_SUITE=trixie
LOG="${PARLEY_PROVISION_LOG:-/tmp/parley-provision-db-$(id -u).log}"

say()  { printf '%s: %s\n' "$ME" "$*"; }
warn() { printf '%s: WARNING: %s\n' "$ME" "$*" >&2; }
die()  { printf '%s: ERROR: %s\n' "$ME" "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------
# settings
# ---------------------------------------------------------------------------
DB_HOST="${PARLEY_DB_HOST:-127.0.0.1}"
DB_PORT="${PARLEY_DB_PORT:-5432}"
DB_NAME="${PARLEY_DB_NAME:-parley}"
TEST_DB_NAME="${PARLEY_TEST_DB_NAME:-parley_test}"
REPLICA="${PARLEY_REPLICA:-0}"
REPLICA_PORT="${PARLEY_REPLICA_PORT:-5433}"
REPLICA_CLUSTER=replica
REPL_USER="${PARLEY_REPLICATION_USERNAME:-parley_replication}"
REPL_PASSWORD="${PARLEY_REPLICATION_PASSWORD:-parley_replication}"
DB_USER="${DATASOURCES_DEFAULT_USERNAME:-parley}"
DB_PASSWORD="${DATASOURCES_DEFAULT_PASSWORD:-parley}"

if [[ -n "${DATASOURCES_DEFAULT_URL:-}" ]]; then
  url="${DATASOURCES_DEFAULT_URL}"
  [[ "$url" == jdbc:postgresql://* ]] \
    || die "DATASOURCES_DEFAULT_URL must look like jdbc:postgresql://host:port/db (got: $url)"
  rest="${url#jdbc:postgresql://}"
  rest="${rest%%\?*}"                      # drop ?params
  hostport="${rest%%/*}"
  hostport="${hostport%%,*}"               # multi-host URL: use the first host
  if [[ "$rest" == */* ]]; then
    db="${rest#*/}"
    [[ -n "$db" ]] && DB_NAME="$db"
  fi
  if [[ "$hostport" == \[*\]* ]]; then     # [ipv6]:port
    DB_HOST="${hostport%%]*}"; DB_HOST="${DB_HOST#[}"
    p="${hostport#*]}"; p="${p#:}"
    [[ -n "$p" ]] && DB_PORT="$p"
  elif [[ "$hostport" == *:* ]]; then
    DB_HOST="${hostport%%:*}"
    DB_PORT="${hostport##*:}"
  elif [[ -n "$hostport" ]]; then
    DB_HOST="$hostport"
    DB_PORT=5432
  fi
fi

[[ "$DB_PORT" =~ ^[0-9]+$ ]] || die "invalid port: $DB_PORT"
[[ "$REPLICA_PORT" =~ ^[0-9]+$ && "$REPLICA_PORT" != "$DB_PORT" ]] \
  || die "invalid PARLEY_REPLICA_PORT: $REPLICA_PORT (a number, not the primary's port)"
name_re='^[A-Za-z_][A-Za-z0-9_]*$'
for n in "$DB_USER" "$DB_NAME" "$TEST_DB_NAME" "$REPL_USER"; do
  [[ "$n" =~ $name_re ]] || die "unsupported role/database name '$n' (use letters, digits, _)"
done
[[ "$DB_NAME" != "$TEST_DB_NAME" ]] || die "run and test database must differ (both '$DB_NAME')"

if [[ "$(id -u)" -eq 0 ]]; then SUDO=(); else SUDO=(sudo); fi

# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

# run a command, output to the log; on failure show the log tail and exit
quietly() {
  printf '\n### %s: %s\n' "$(date '+%F %T')" "$*" >>"$LOG"
  # 9>&- : daemons started from here (postgres) must not inherit the lock fd
  if ! "$@" >>"$LOG" 2>&1 9>&-; then
    printf '%s: ERROR: command failed: %s\n--- last lines of %s ---\n' "$ME" "$*" "$LOG" >&2
    tail -n 30 "$LOG" >&2
    exit 1
  fi
}

need_sudo() {
  if [[ ${#SUDO[@]} -gt 0 ]] && ! command -v sudo >/dev/null 2>&1; then
    die "not running as root and sudo is not installed; re-run as root"
  fi
}

pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

APT_UPDATED=0
apt_install() {
  local missing=() p
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  need_sudo
  say "installing ${missing[*]} (log: $LOG)"
  if [[ $APT_UPDATED -eq 0 ]]; then
    quietly "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    APT_UPDATED=1
  fi
  quietly "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y \
    --no-install-recommends "${missing[@]}"
}

is_local_host() {
  case "$1" in
    127.0.0.1|localhost|::1|"") return 0 ;;
    *) return 1 ;;
  esac
}

port_open() {  # host port
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$1" -p "$2" -t 3 && return 0
    # exit 1 = "rejecting connections" (e.g. starting up): still reachable
    [[ $? -eq 1 ]] && return 0
    return 1
  fi
  timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# newest installed PostgreSQL server major version (empty if none)
installed_server_major() {
  local d v best=""
  for d in /usr/lib/postgresql/*/bin/postgres; do
    [[ -x "$d" ]] || continue
    v="${d#/usr/lib/postgresql/}"; v="${v%%/*}"
    [[ "$v" =~ ^[0-9]+$ ]] || continue
    if [[ -z "$best" || "$v" -gt "$best" ]]; then best="$v"; fi
  done
  printf '%s' "$best"
}

# SQL quoting (names are validated above; quote anyway)
sql_lit()   { local s="${1//\'/\'\'}"; printf "'%s'" "$s"; }
sql_ident() { local s="${1//\"/\"\"}"; printf '"%s"' "$s"; }

# SQL that creates/updates role, databases and extension; fed to psql on stdin
# (so the password never shows up in a process list)
provision_sql() {
  local role_l role_i pw_l db
  role_l="$(sql_lit "$DB_USER")"; role_i="$(sql_ident "$DB_USER")"
  pw_l="$(sql_lit "$DB_PASSWORD")"
  cat <<SQL
\\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SELECT format('CREATE ROLE %I LOGIN', ${role_l})
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${role_l}) \\gexec
SQL
  if [[ "$DB_USER" == postgres ]]; then
    printf 'ALTER ROLE %s WITH LOGIN PASSWORD %s;\n' "$role_i" "$pw_l"
  else
    printf 'ALTER ROLE %s WITH LOGIN NOSUPERUSER PASSWORD %s;\n' "$role_i" "$pw_l"
  fi
  if [[ "${PARLEY_RESET_TEST_DB:-0}" == 1 ]]; then
    # The test suite starts from an empty database, whatever an earlier run left behind.
    printf 'DROP DATABASE IF EXISTS %s WITH (FORCE);\n' "$(sql_ident "$TEST_DB_NAME")"
  fi
  for db in "$DB_NAME" "$TEST_DB_NAME"; do
    cat <<SQL
SELECT format('CREATE DATABASE %I OWNER %I', $(sql_lit "$db"), ${role_l})
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = $(sql_lit "$db")) \\gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', d.datname, ${role_l})
  FROM pg_database d
 WHERE d.datname = $(sql_lit "$db") AND pg_get_userbyid(d.datdba) <> ${role_l} \\gexec
SQL
  done
  for db in "$DB_NAME" "$TEST_DB_NAME"; do
    cat <<SQL
\\c $(sql_ident "$db")
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS vector;
SELECT 'ALTER EXTENSION vector UPDATE'
  FROM pg_extension e JOIN pg_available_extensions a ON a.name = e.extname
 WHERE e.extname = 'vector' AND a.default_version <> e.extversion \\gexec
SELECT 'db ' || current_database() || ' vector ' || extversion
  FROM pg_extension WHERE extname = 'vector';
SQL
  done
  if [[ "$REPLICA" == 1 ]]; then
    # The replica tests pause and resume the standby's replay to see what it serves; only in the
    # test database (grants on functions are per database and replicate with it).
    cat <<SQL
\\c $(sql_ident "$TEST_DB_NAME")
GRANT EXECUTE ON FUNCTION pg_wal_replay_pause(), pg_wal_replay_resume() TO ${role_i};
SQL
  fi
}

print_sql_result() {  # reads psql -At output
  local line
  while IFS= read -r line; do
    [[ "$line" == "db "* ]] || continue
    # shellcheck disable=SC2086
    set -- $line
    say "database $2 ready (owner $DB_USER, vector $4)"
  done
}

# ---------------------------------------------------------------------------
# remote (or externally managed) database
# ---------------------------------------------------------------------------
remote_mode() {
  local why="$1"
  say "$why: $DB_HOST:$DB_PORT - no local installation or cluster management"
  port_open "$DB_HOST" "$DB_PORT" \
    || die "cannot reach PostgreSQL at $DB_HOST:$DB_PORT"
  say "$DB_HOST:$DB_PORT is reachable"
  if [[ -n "${PARLEY_DB_SUPERUSER_URL:-}" ]]; then
    command -v psql >/dev/null 2>&1 \
      || die "PARLEY_DB_SUPERUSER_URL is set but psql is not installed"
    say "provisioning role/databases/extension via PARLEY_DB_SUPERUSER_URL"
    provision_sql | psql -X -q -At -d "$PARLEY_DB_SUPERUSER_URL" -f - | print_sql_result \
      || die "provisioning through PARLEY_DB_SUPERUSER_URL failed"
  else
    say "database, role '$DB_USER' and the vector extension are assumed to be provisioned already"
  fi
  exit 0
}

if ! is_local_host "$DB_HOST"; then
  remote_mode "remote database"
fi

# ---------------------------------------------------------------------------
# local: serialise concurrent runs
# ---------------------------------------------------------------------------
if command -v flock >/dev/null 2>&1; then
  LOCK="/tmp/parley-provision-db-$(id -u).lock"
  exec 9>>"$LOCK"
  flock -w 900 9 || die "another provision-db run holds $LOCK for more than 15 minutes"
fi
{ true >>"$LOG"; } 2>/dev/null || LOG="$(mktemp -t parley-provision-db.XXXXXX.log)"

# ---------------------------------------------------------------------------
# 1. PostgreSQL server
# ---------------------------------------------------------------------------
PG_MAJOR="$(installed_server_major)"
if [[ -z "$PG_MAJOR" ]]; then
  if port_open "$DB_HOST" "$DB_PORT"; then
    remote_mode "no local PostgreSQL server installed but $DB_HOST:$DB_PORT answers; assuming an externally managed database"
  fi
  apt_install postgresql
  PG_MAJOR="$(installed_server_major)"
  [[ -n "$PG_MAJOR" ]] || die "installed 'postgresql' but found no server under /usr/lib/postgresql"
  say "PostgreSQL $PG_MAJOR installed"
fi

# Prefer the version of an existing cluster on our port.
cluster_line() {  # prints "ver name port status" of the cluster on DB_PORT
  pg_lsclusters -h 2>/dev/null | awk -v port="$DB_PORT" '$3 == port { print $1, $2, $3, $4; exit }'
}
CL="$(cluster_line || true)"
if [[ -n "$CL" ]]; then
  read -r PG_MAJOR CLUSTER _ _ <<<"$CL"
else
  CLUSTER=main
fi
PG_BIN="/usr/lib/postgresql/$PG_MAJOR/bin"
[[ -x "$PG_BIN/postgres" ]] || die "cluster $PG_MAJOR/$CLUSTER exists but $PG_BIN/postgres is missing"
say "PostgreSQL $PG_MAJOR server present"

# ---------------------------------------------------------------------------
# 2. pgvector
# ---------------------------------------------------------------------------
ext_dir()     { "$PG_BIN/pg_config" --sharedir | sed 's|$|/extension|'; }
vector_ok()   {
  local share lib
  share="$("$PG_BIN/pg_config" --sharedir)"; lib="$("$PG_BIN/pg_config" --pkglibdir)"
  [[ -f "$share/extension/vector.control" && -f "$lib/vector.so" ]]
}
vector_ver()  {
  sed -n "s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" \
    "$(ext_dir)/vector.control" | head -n1
}

# Print "URI<TAB>Signed-By-lines" of the machine's main Debian archive entry:
# a deb entry whose suites include the release codename and whose components
# include main (the -security entry has suite <codename>-security, so it never
# matches; URIs mentioning "security" are skipped as well).
debian_archive_entry() {
  local codename="$1" f
  local files=()
  for f in /etc/apt/sources.list.d/*.sources; do [[ -f "$f" && "$f" != "$SRC_FILE" ]] && files+=("$f"); done
  if [[ ${#files[@]} -gt 0 ]]; then
    # deb822: stanzas separated by blank lines, continuation lines start with space
    awk -v cn="$codename" '
      function flush() {
        if (types ~ /(^|[ \t])deb([ \t]|$)/ && enabled !~ /^[ \t]*no/ \
            && (" " suites " ") ~ (" " cn " ") && (" " comps " ") ~ / main / && uris != "") {
          n = split(uris, u, /[ \t]+/)
          for (i = 1; i <= n; i++)
            if (u[i] != "" && u[i] !~ /security/ && u[i] !~ /^cdrom:/) {
              gsub(/\n/, "\001", signed); print u[i] "\t" signed; found = 1; exit
            }
        }
        types = uris = suites = comps = signed = enabled = ""; cur = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { if (cur == "signed-by") signed = signed "\n" $0; next }
      {
        key = tolower($0); sub(/:.*/, "", key)
        val = $0; sub(/^[^:]*:[ \t]*/, "", val)
        cur = key
        if (key == "types") types = val
        else if (key == "uris") uris = val
        else if (key == "suites") suites = " " val
        else if (key == "components") comps = val
        else if (key == "enabled") enabled = val
        else if (key == "signed-by") signed = val
      }
      END { if (!found) flush() }
    ' "${files[@]}" | head -n1
  fi
  if [[ -f /etc/apt/sources.list ]]; then
    # one-line: deb [opts] URI suite comp...
    awk -v cn="$codename" '
      $1 != "deb" { next }
      {
        line = $0; sub(/^deb[ \t]+/, "", line); opts = ""
        if (substr(line, 1, 1) == "[") {
          p = index(line, "]"); if (p == 0) next
          opts = substr(line, 2, p - 2); line = substr(line, p + 1); sub(/^[ \t]+/, "", line)
        }
        n = split(line, f, /[ \t]+/)
        if (n < 3 || f[2] != cn || f[1] ~ /security/ || f[1] ~ /^cdrom:/) next
        hasmain = 0; for (i = 3; i <= n; i++) if (f[i] == "main") hasmain = 1
        if (!hasmain) next
        signed = ""
        if (match(opts, /signed-by=[^ \t]+/)) signed = substr(opts, RSTART + 10, RLENGTH - 10)
        print f[1] "\t" signed; exit
      }
    ' /etc/apt/sources.list
  fi
}

install_pgvector() {
  need_sudo
  local codename entry uri signed tmp srcdir
  # shellcheck disable=SC1091
  codename="$(. /etc/os-release 2>/dev/null && printf '%s' "${VERSION_CODENAME:-}")"
  [[ -n "$codename" ]] || die "cannot determine the Debian release codename from /etc/os-release"

  say "pgvector not installed for PostgreSQL $PG_MAJOR; building it from the Debian $SOURCE_SUITE source package (log: $LOG)"
  apt_install "postgresql-server-dev-$PG_MAJOR" make gcc libc6-dev dpkg-dev

  entry="$(debian_archive_entry "$codename" | head -n1)"
  [[ -n "$entry" ]] || die "no Debian archive entry (suite '$codename', component main) found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
  uri="${entry%%$'\t'*}"
  signed="${entry#*$'\t'}"
  signed="${signed//$'\001'/$'\n'}"

  tmp="$(mktemp -d -t parley-pgvector.XXXXXX)"
  # remove the temporary deb-src entry and build dir however we exit
  # shellcheck disable=SC2064  # expand now: $tmp is local to this function
  trap "${SUDO[*]:-} rm -f '$SRC_FILE'; rm -rf '$tmp'" EXIT
  {
    printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\n' "$uri" "$SOURCE_SUITE"
    if [[ -n "$signed" ]]; then printf 'Signed-By: %s\n' "$signed"; fi
  } >"$tmp/src.sources"
  "${SUDO[@]}" install -m 0644 "$tmp/src.sources" "$SRC_FILE"

  # update only the new entry (keep the other lists as they are)
  mkdir -p "$tmp/empty-parts"
  local rc=0
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update \
    -o Dir::Etc::SourceList="$SRC_FILE" -o Dir::Etc::SourceParts="$tmp/empty-parts" \
    -o APT::Get::List-Cleanup=0 >"$tmp/update.log" 2>&1 9>&- || rc=$?
  { printf '\n### %s: apt-get update (%s deb-src only)\n' "$(date '+%F %T')" "$SOURCE_SUITE"
    cat "$tmp/update.log"; } >>"$LOG"
  if [[ $rc -ne 0 ]] || grep -qE '^E: |^W: .*'"$SOURCE_SUITE" "$tmp/update.log"; then
    sed -n 's/^\([EW]: \)/  \1/p' "$tmp/update.log" >&2
    die "the Debian archive at $uri does not provide suite '$SOURCE_SUITE' (or it could not be fetched/verified); cannot get the pgvector source"
  fi
  apt-cache showsrc pgvector 2>/dev/null | grep -q '^Package: pgvector' \
    || die "suite '$SOURCE_SUITE' at $uri has no source package 'pgvector'"

  local apt_src_opts=()
  [[ "$(id -u)" -eq 0 ]] && apt_src_opts=(-o APT::Sandbox::User=root)
  (cd "$tmp" && quietly apt-get "${apt_src_opts[@]}" source pgvector)
  srcdir="$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n1)"
  [[ -n "$srcdir" ]] || die "apt-get source pgvector did not produce a source directory (see $LOG)"
  say "building $(basename "$srcdir")"

  quietly make -C "$srcdir" -j"$(nproc 2>/dev/null || echo 2)" PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS=""
  quietly "${SUDO[@]}" make -C "$srcdir" install PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS=""

  "${SUDO[@]}" rm -f "$SRC_FILE"
  rm -rf "$tmp"
  trap - EXIT
  vector_ok || die "pgvector build finished but vector.control/vector.so are not in place"
  say "pgvector $(vector_ver) built and installed for PostgreSQL $PG_MAJOR"
}

if vector_ok; then
  say "pgvector $(vector_ver) present"
else
  install_pgvector
fi

# ---------------------------------------------------------------------------
# 3. cluster up and listening
# ---------------------------------------------------------------------------
start_cluster() {  # ver name
  if [[ -d /run/systemd/system ]]; then
    quietly "${SUDO[@]}" pg_ctlcluster "$1" "$2" start
  else
    quietly "${SUDO[@]}" pg_ctlcluster --skip-systemctl-redirect "$1" "$2" start
  fi
}

CL="$(cluster_line || true)"
if [[ -z "$CL" ]]; then
  if pg_lsclusters -h 2>/dev/null | awk -v v="$PG_MAJOR" -v c="$CLUSTER" '$1 == v && $2 == c { f = 1 } END { exit !f }'; then
    die "cluster $PG_MAJOR/$CLUSTER exists but not on port $DB_PORT; set PARLEY_DB_PORT to its port or change the cluster's port"
  fi
  need_sudo
  say "creating cluster $PG_MAJOR/$CLUSTER on port $DB_PORT"
  quietly "${SUDO[@]}" pg_createcluster "$PG_MAJOR" "$CLUSTER" -p "$DB_PORT"
  CL="$(cluster_line)"
fi
read -r _ _ _ CL_STATUS <<<"$CL"
if [[ "$CL_STATUS" != online* ]]; then
  need_sudo
  say "starting cluster $PG_MAJOR/$CLUSTER"
  start_cluster "$PG_MAJOR" "$CLUSTER"
fi
for _ in $(seq 1 60); do
  "$PG_BIN/pg_isready" -q -h "$DB_HOST" -p "$DB_PORT" -t 2 && break
  sleep 1
done
"$PG_BIN/pg_isready" -q -h "$DB_HOST" -p "$DB_PORT" -t 2 \
  || die "PostgreSQL $PG_MAJOR/$CLUSTER is not accepting connections on $DB_HOST:$DB_PORT (check listen_addresses and /var/log/postgresql/postgresql-$PG_MAJOR-$CLUSTER.log)"
say "cluster $PG_MAJOR/$CLUSTER online on $DB_HOST:$DB_PORT"

# ---------------------------------------------------------------------------
# 4. role, databases, extension (as superuser postgres)
# ---------------------------------------------------------------------------
admin_psql() {
  local args=(-X -q -At -p "$DB_PORT" -d postgres -f -)
  if [[ "$(id -u)" -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$PG_BIN/psql" "${args[@]}")
  elif command -v sudo >/dev/null 2>&1 && sudo -n -u postgres true 2>/dev/null; then
    (cd / && sudo -n -u postgres "$PG_BIN/psql" "${args[@]}")
  else
    "$PG_BIN/psql" -U postgres -h "$DB_HOST" "${args[@]}"
  fi
}
sql_out="$(provision_sql | admin_psql)" || die "creating role/databases/extension as postgres failed"
say "role $DB_USER ready (login, not superuser, password set)"
print_sql_result <<<"$sql_out"

# ---------------------------------------------------------------------------
# 5. the application can log in over TCP with its password
# ---------------------------------------------------------------------------
PGPASSWORD="$DB_PASSWORD" PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -q -At -w \
  -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$TEST_DB_NAME" \
  -c "SELECT '[1,2,3]'::vector <-> '[1,2,4]'::vector" >/dev/null 2>>"$LOG" \
  || die "role $DB_USER cannot log in with its password on $DB_HOST:$DB_PORT (check pg_hba.conf; details in $LOG)"
say "login as $DB_USER over TCP ok; PostgreSQL with pgvector is ready"

# ---------------------------------------------------------------------------
# 6. optional: a streaming standby of this cluster on REPLICA_PORT
# ---------------------------------------------------------------------------
[[ "$REPLICA" == 1 ]] || exit 0

as_postgres() {  # runs a command as the cluster's owner
  if [[ "$(id -u)" -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  elif command -v sudo >/dev/null 2>&1 && sudo -n -u postgres true 2>/dev/null; then
    (cd / && sudo -n -u postgres "$@")
  else
    die "the standby is made as the postgres user: run as root or with sudo"
  fi
}
# one statement as the superuser, on the primary or (port argument) the standby; prints the value
primary_value() { as_postgres "$PG_BIN/psql" -X -q -At -p "$DB_PORT" -d postgres -c "$1"; }
standby_value() { as_postgres "$PG_BIN/psql" -X -q -At -p "$REPLICA_PORT" -d postgres -c "$1" 2>/dev/null; }

[[ "$(primary_value 'SHOW wal_level')" != minimal ]] \
  || die "the primary runs with wal_level = minimal: set it to replica and restart it to stream to a standby"
[[ "$(primary_value 'SHOW max_wal_senders')" -gt 0 ]] \
  || die "the primary runs with max_wal_senders = 0: raise it and restart it to stream to a standby"

# The role the standby streams as, and a pg_hba entry that lets it in over loopback.
repl_sql() {
  local role_l role_i
  role_l="$(sql_lit "$REPL_USER")"; role_i="$(sql_ident "$REPL_USER")"
  cat <<SQL
\\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SELECT format('CREATE ROLE %I REPLICATION LOGIN', ${role_l})
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${role_l}) \\gexec
ALTER ROLE ${role_i} WITH REPLICATION LOGIN NOSUPERUSER PASSWORD $(sql_lit "$REPL_PASSWORD");
SQL
}
repl_sql | admin_psql >/dev/null || die "creating the replication role $REPL_USER failed"
HBA_FILE="$(primary_value 'SHOW hba_file')"
if ! grep -Eq "^[[:space:]]*host[[:space:]]+replication[[:space:]]+$REPL_USER[[:space:]]+127\.0\.0\.1/32" "$HBA_FILE"; then
  method=scram-sha-256
  [[ "$(primary_value 'SHOW password_encryption')" == scram-sha-256 ]] || method=md5
  printf '# Parley: the local streaming standby (scripts/provision-db.sh, PARLEY_REPLICA=1)\nhost replication %s 127.0.0.1/32 %s\n' \
    "$REPL_USER" "$method" >>"$HBA_FILE"
  primary_value 'SELECT pg_reload_conf()' >/dev/null
  say "pg_hba: replication connections of $REPL_USER from 127.0.0.1 allowed ($HBA_FILE)"
fi

replica_line() {  # "ver name port status" of the cluster on REPLICA_PORT
  pg_lsclusters -h 2>/dev/null | awk -v port="$REPLICA_PORT" '$3 == port { print $1, $2, $3, $4; exit }'
}
replica_data_dir() { printf '/var/lib/postgresql/%s/%s' "$PG_MAJOR" "$REPLICA_CLUSTER"; }

# A fresh copy of the primary: pg_basebackup -R writes standby.signal and primary_conninfo.
build_replica() {
  local dir pass
  dir="$(replica_data_dir)"
  if [[ -z "$(replica_line)" ]]; then
    say "creating cluster $PG_MAJOR/$REPLICA_CLUSTER on port $REPLICA_PORT for the standby"
    quietly pg_createcluster "$PG_MAJOR" "$REPLICA_CLUSTER" -p "$REPLICA_PORT"
  else
    quietly pg_ctlcluster "$PG_MAJOR" "$REPLICA_CLUSTER" stop -m fast || true
  fi
  say "copying the primary into the standby (pg_basebackup)"
  rm -rf "${dir:?}"/*
  # The password goes through a password file beside the standby's data (never a command line); the
  # standby's primary_conninfo names it, so it reconnects after restarts.
  pass="$(dirname "$dir")/$REPLICA_CLUSTER.pgpass"
  printf '127.0.0.1:%s:*:%s:%s\n' "$DB_PORT" "$REPL_USER" "$REPL_PASSWORD" >"$pass"
  chmod 600 "$pass"; chown postgres "$pass"
  if ! as_postgres "$PG_BIN/pg_basebackup" -w -D "$dir" -X stream -R -c fast \
      -d "host=127.0.0.1 port=$DB_PORT user=$REPL_USER passfile=$pass" >>"$LOG" 2>&1 9>&-; then
    tail -n 20 "$LOG" >&2
    die "pg_basebackup from 127.0.0.1:$DB_PORT failed (see $LOG)"
  fi
  start_cluster "$PG_MAJOR" "$REPLICA_CLUSTER"
}

# Caught up means replaying the primary's WAL up to where the primary is now, within a minute.
replica_follows() {
  local target
  [[ "$(standby_value 'SELECT pg_is_in_recovery()')" == t ]] || return 1
  [[ "$(standby_value 'SELECT system_identifier FROM pg_control_system()')" \
      == "$(primary_value 'SELECT system_identifier FROM pg_control_system()')" ]] || return 1
  # A test run that was killed may have left replay paused.
  standby_value 'SELECT pg_wal_replay_resume()' >/dev/null || true
  target="$(primary_value 'SELECT pg_current_wal_lsn()')"
  for _ in $(seq 1 60); do
    [[ "$(standby_value "SELECT pg_last_wal_replay_lsn() >= '$target'::pg_lsn")" == t ]] && return 0
    sleep 1
  done
  return 1
}

RL="$(replica_line || true)"
if [[ -n "$RL" ]]; then
  read -r _ rname _ rstatus <<<"$RL"
  [[ "$rname" == "$REPLICA_CLUSTER" ]] \
    || die "port $REPLICA_PORT belongs to cluster $rname, not to Parley's standby: set PARLEY_REPLICA_PORT to another port"
  [[ "$rstatus" == online* ]] || start_cluster "$PG_MAJOR" "$REPLICA_CLUSTER" || true
  if ! replica_follows; then
    warn "the standby on port $REPLICA_PORT does not follow the primary (missing WAL, another primary): rebuilding it"
    build_replica
  fi
else
  build_replica
fi
replica_follows || die "the standby on port $REPLICA_PORT does not catch up with the primary (see /var/log/postgresql/postgresql-$PG_MAJOR-$REPLICA_CLUSTER.log)"
say "standby $PG_MAJOR/$REPLICA_CLUSTER on 127.0.0.1:$REPLICA_PORT streams from port $DB_PORT and has caught up"
