#!/usr/bin/env bash
# Stop the production topology that scripts/prod-up.sh started (`make prod-down`). The data stays in
# $PROD_DIR (PostgreSQL cluster, secrets, logs); prod-up starts it again as it was.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=deploy/onehost.sh
. "$ROOT/deploy/onehost.sh"
load_settings

say() { echo "prod-down: $*" >&2; }

# stop NAME: TERM, then KILL after 20 s.
stop_process() {
    local name=$1 pid
    running "$name" || { rm -f "$RUN_DIR/$name.pid"; return 0; }
    pid=$(cat "$RUN_DIR/$name.pid")
    say "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { say "$name did not stop in 20 s: killing it"; kill -KILL "$pid" 2>/dev/null || true; }
    rm -f "$RUN_DIR/$name.pid"
}

[ -d "$RUN_DIR" ] || { say "nothing was started in $PROD_DIR"; exit 0; }
for name in $(component_names); do stop_process "$name"; done
stop_process redis
bindir=$(pg_bindir)
if [ -n "$bindir" ] && [ -f "$PROD_DIR/pg/data/PG_VERSION" ] \
    && as_owner "$bindir/pg_ctl" -D "$PROD_DIR/pg/data" status >/dev/null 2>&1; then
    say "stopping PostgreSQL"
    as_owner "$bindir/pg_ctl" -D "$PROD_DIR/pg/data" -m fast -w stop >/dev/null
fi
say "stopped (data kept in $PROD_DIR)"
