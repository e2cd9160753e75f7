#!/usr/bin/env bash
# Print the URL of a PostgreSQL database the tests can use, starting one if needed.
#
#   TEST_POSTGRES_URL=$(scripts/ensure-postgres.sh) .venv/bin/python -m pytest tests/booking
#   scripts/ensure-postgres.sh --stop        # stop the throwaway cluster again
#
# 1. If TEST_POSTGRES_URL is set and the server answers, print it unchanged.
# 2. Otherwise make sure Debian's PostgreSQL is installed (apt-get update once, then
#    apt-get install -y postgresql), create a throwaway cluster under $PG_TEST_DIR
#    (default /tmp/clinic-pgtest) listening on 127.0.0.1:$PG_TEST_PORT (default 55432) only,
#    start it with pg_ctl (no systemd), create the database clinic_test and print its URL.
#
# Only the URL goes to standard output; progress and errors go to standard error.
# The cluster trusts local connections: it is for tests only, never for real data.
set -euo pipefail

PG_TEST_DIR=${PG_TEST_DIR:-/tmp/clinic-pgtest}
PG_TEST_PORT=${PG_TEST_PORT:-55432}
PG_TEST_DB=${PG_TEST_DB:-clinic_test}
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { echo "ensure-postgres: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

[[ "$PG_TEST_DB" =~ ^[a-z_][a-z0-9_]*$ ]] || die "PG_TEST_DB must be a plain lower-case name, got '$PG_TEST_DB'"
[[ "$PG_TEST_PORT" =~ ^[0-9]+$ ]] || die "PG_TEST_PORT must be a number, got '$PG_TEST_PORT'"

# Is the database at this SQLAlchemy/libpq URL answering?
reachable() {
    local libpq_url=${1/+psycopg2/}
    if command -v psql >/dev/null 2>&1; then
        psql "$libpq_url" -Atqc 'select 1' >/dev/null 2>&1 && return 0
        return 1
    fi
    local python="$REPO_ROOT/.venv/bin/python"
    [ -x "$python" ] || python=python3
    "$python" - "$libpq_url" >/dev/null 2>&1 <<'PY'
import sys, psycopg2
psycopg2.connect(sys.argv[1], connect_timeout=5).close()
PY
}

pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

# Run a command as the cluster's owner: the postgres user when we are root, else ourselves.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

install_postgres() {
    say "PostgreSQL is not installed; installing Debian's postgresql package"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install postgresql"
        sudo="sudo"
    fi
    $sudo apt-get update >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y postgresql >&2
}

BINDIR=$(pg_bindir || true)

if [ "${1:-}" = "--stop" ]; then
    [ -n "$BINDIR" ] || die "PostgreSQL is not installed"
    if [ -f "$PG_TEST_DIR/PG_VERSION" ] && as_owner "$BINDIR/pg_ctl" -D "$PG_TEST_DIR" status >/dev/null 2>&1; then
        as_owner "$BINDIR/pg_ctl" -D "$PG_TEST_DIR" -m fast -w stop >&2
    else
        say "no test cluster running in $PG_TEST_DIR"
    fi
    exit 0
fi

if [ -n "${TEST_POSTGRES_URL:-}" ]; then
    if reachable "$TEST_POSTGRES_URL"; then
        echo "$TEST_POSTGRES_URL"
        exit 0
    fi
    say "TEST_POSTGRES_URL is set but does not answer; starting a local test cluster instead"
fi

if [ -z "$BINDIR" ]; then
    install_postgres
    BINDIR=$(pg_bindir || true)
    [ -n "$BINDIR" ] || die "postgresql was installed but no /usr/lib/postgresql/*/bin/pg_ctl was found"
fi
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no postgres user to own the cluster"
fi

if [ ! -f "$PG_TEST_DIR/PG_VERSION" ]; then
    say "creating a throwaway cluster in $PG_TEST_DIR"
    mkdir -p "$PG_TEST_DIR"
    chmod 700 "$PG_TEST_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_TEST_DIR"
    as_owner "$BINDIR/initdb" -D "$PG_TEST_DIR" -U postgres --auth=trust --encoding=UTF8 --no-locale >&2 \
        || die "initdb failed"
fi

if ! as_owner "$BINDIR/pg_ctl" -D "$PG_TEST_DIR" status >/dev/null 2>&1; then
    say "starting the test cluster on 127.0.0.1:$PG_TEST_PORT"
    if ! as_owner "$BINDIR/pg_ctl" -D "$PG_TEST_DIR" -l "$PG_TEST_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PG_TEST_PORT -c unix_socket_directories=$PG_TEST_DIR -c fsync=off -c max_connections=200" \
        start >&2; then
        tail -n 20 "$PG_TEST_DIR/server.log" >&2 || true
        die "the test cluster did not start (is port $PG_TEST_PORT taken? set PG_TEST_PORT)"
    fi
fi

PSQL=("$BINDIR/psql" -h 127.0.0.1 -p "$PG_TEST_PORT" -U postgres -d postgres -Atq)
for _ in $(seq 1 30); do
    "${PSQL[@]}" -c 'select 1' >/dev/null 2>&1 && break
    sleep 1
done
"${PSQL[@]}" -c 'select 1' >/dev/null 2>&1 || die "the test cluster does not answer on 127.0.0.1:$PG_TEST_PORT"
if [ "$("${PSQL[@]}" -c "select 1 from pg_database where datname = '$PG_TEST_DB'")" != "1" ]; then
    "${PSQL[@]}" -c "create database $PG_TEST_DB" >/dev/null || die "could not create database $PG_TEST_DB"
fi

URL="postgresql+psycopg2://postgres@127.0.0.1:$PG_TEST_PORT/$PG_TEST_DB"
reachable "$URL" || die "created $URL but cannot connect to it"
echo "$URL"
