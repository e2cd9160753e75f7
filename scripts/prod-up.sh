#!/usr/bin/env bash
# Start the production topology on this machine, from Debian's packages (`make prod-up`):
#
#   PostgreSQL (two databases: conversations and clinic data) - Redis (lock store)
#   RASA_INSTANCES Rasa servers + ACTION_REPLICAS action servers + the notification worker
#   nginx: the public address (widget + webhooks, hash on the conversation) and the private action gateway
#
# Everything listens on 127.0.0.1 only. Settings: the environment, then .env, then .env.example (see
# that file). Secrets left empty are generated once into $PROD_DIR/secrets.env (mode 600). Running it
# again starts only what is not running (so it also brings back a stopped or killed part).
#
#   scripts/prod-up.sh            start (or complete) the topology
#   scripts/prod-up.sh status     what is running
#   scripts/prod-down.sh          stop everything (data is kept in $PROD_DIR)
#
# $PROD_DIR/topology.env (mode 600) holds the resolved settings, for tools and tests:
#   set -a; . var/prod/topology.env; set +a; .venv/bin/python -m actions.admin forget --phone ...
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=deploy/onehost.sh
. "$ROOT/deploy/onehost.sh"

say() { echo "prod-up: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# --- packages ---------------------------------------------------------------------------------------

ensure_packages() {
    local missing=()
    [ -n "$(pg_bindir)" ] || missing+=(postgresql)
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
    command -v envsubst >/dev/null 2>&1 || missing+=(gettext-base)
    [ ${#missing[@]} -eq 0 ] && return
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install ${missing[*]}"
        sudo="sudo"
    fi
    $sudo apt-get update -qq >&2
    # Debian 12 has the small nginx-light; later releases only nginx (which is light itself there).
    if [[ " ${missing[*]} " == *" nginx "* ]] && apt-cache show nginx-light >/dev/null 2>&1; then
        missing=("${missing[@]/#nginx/nginx-light}")
    fi
    say "installing Debian packages: ${missing[*]}"
    # policy-rc.d-less containers: the packages' own services are not wanted, ours run on other ports.
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

# --- PostgreSQL -------------------------------------------------------------------------------------

sql_literal() { printf "'%s'" "${1//\'/\'\'}"; }

start_postgres() {
    local bindir data=$PROD_DIR/pg/data sockets=$PROD_DIR/pg/run
    bindir=$(pg_bindir)
    mkdir -p "$PROD_DIR/pg" "$sockets"
    chmod 700 "$sockets"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PROD_DIR/pg" "$sockets"
    if [ ! -f "$data/PG_VERSION" ]; then
        say "creating the PostgreSQL cluster in $data"
        as_owner mkdir -p "$data"
        chmod 700 "$data"
        # Local (unix socket, directory mode 700) connections: the cluster's owner only. TCP: passwords.
        as_owner "$bindir/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
            --encoding=UTF8 --no-locale >"$LOG_DIR/postgresql-initdb.log" 2>&1 || die "initdb failed: $LOG_DIR/postgresql-initdb.log"
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        touch "$LOG_DIR/postgresql.log"
        [ "$(id -u)" -eq 0 ] && chown postgres "$LOG_DIR/postgresql.log"
        say "starting PostgreSQL on 127.0.0.1:$TRACKER_DB_PORT"
        # log_min_error_statement=panic: a failed statement is not copied into the log with its values.
        as_owner "$bindir/pg_ctl" -D "$data" -l "$LOG_DIR/postgresql.log" -w -t 60 -o "$(postgres_options)" start \
            >/dev/null || die "PostgreSQL did not start; see $LOG_DIR/postgresql.log"
    fi
    local psql=("$bindir/psql" -h "$sockets" -p "$TRACKER_DB_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq)
    for _ in $(seq 1 30); do as_owner "${psql[@]}" -c 'select 1' >/dev/null 2>&1 && break; sleep 1; done
    # Roles and databases, created once; passwords (re)set from the settings every time. Fed on standard
    # input, so that no password appears in a process list.
    as_owner "${psql[@]}" >/dev/null <<SQL
SELECT format('CREATE ROLE %I LOGIN', $(sql_literal "$TRACKER_DB_USER")) WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $(sql_literal "$TRACKER_DB_USER")) \gexec
SELECT format('CREATE ROLE %I LOGIN', $(sql_literal "$CLINIC_DB_USER")) WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $(sql_literal "$CLINIC_DB_USER")) \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', $(sql_literal "$TRACKER_DB_USER"), $(sql_literal "$TRACKER_DB_PASSWORD")) \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', $(sql_literal "$CLINIC_DB_USER"), $(sql_literal "$CLINIC_DB_PASSWORD")) \gexec
SELECT format('CREATE DATABASE %I OWNER %I', $(sql_literal "$TRACKER_DB_NAME"), $(sql_literal "$TRACKER_DB_USER")) WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = $(sql_literal "$TRACKER_DB_NAME")) \gexec
SELECT format('CREATE DATABASE %I OWNER %I', $(sql_literal "$CLINIC_DB_NAME"), $(sql_literal "$CLINIC_DB_USER")) WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = $(sql_literal "$CLINIC_DB_NAME")) \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', $(sql_literal "$TRACKER_DB_NAME")) \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', $(sql_literal "$CLINIC_DB_NAME")) \gexec
SQL
}

postgres_options() {
    printf '%s' "-c listen_addresses=127.0.0.1 -p $TRACKER_DB_PORT -c unix_socket_directories=$PROD_DIR/pg/run" \
        " -c max_connections=${PG_MAX_CONNECTIONS:-200} -c shared_buffers=256MB" \
        " -c log_min_error_statement=panic -c log_line_prefix=%m%x[%p]"
}

# --- Redis ------------------------------------------------------------------------------------------

start_redis() {
    local dir=$PROD_DIR/redis
    mkdir -p "$dir"
    if redis_ping; then return; fi
    say "starting Redis on 127.0.0.1:$REDIS_PORT"
    (umask 077; cat >"$dir/redis.conf" <<CONF
bind 127.0.0.1
protected-mode yes
port $REDIS_PORT
requirepass $REDIS_PASSWORD
daemonize yes
pidfile $RUN_DIR/redis.pid
logfile $LOG_DIR/redis.log
dir $dir
save ""
appendonly no
CONF
)
    if [ "$(id -u)" -eq 0 ] && id redis >/dev/null 2>&1; then
        chown -R redis "$dir"; touch "$LOG_DIR/redis.log"; chown redis "$LOG_DIR/redis.log" "$RUN_DIR"
        runuser -u redis -- redis-server "$dir/redis.conf"
    else
        redis-server "$dir/redis.conf"
    fi
    for _ in $(seq 1 30); do redis_ping && return; sleep 0.5; done
    die "Redis did not start; see $LOG_DIR/redis.log"
}

redis_ping() {
    REDISCLI_AUTH=$REDIS_PASSWORD redis-cli -h 127.0.0.1 -p "$REDIS_PORT" --no-auth-warning ping 2>/dev/null | grep -q PONG
}

# --- the assistant's processes ---------------------------------------------------------------------

# start NAME LOG COMMAND...: in the background, in its own session, pid in $RUN_DIR/NAME.pid.
start_process() {
    local name=$1 log=$2; shift 2
    if running "$name"; then return 1; fi
    setsid "$@" >>"$log" 2>&1 </dev/null &
    echo $! >"$RUN_DIR/$name.pid"
}

# wait_http NAME URL SECONDS: until URL answers; fails when NAME stops (or never answers).
wait_http() {
    local name=$1 url=$2 seconds=$3
    for _ in $(seq 1 "$seconds"); do
        curl -sf -o /dev/null "$url" && return 0
        running "$name" || { say "$name stopped while starting; see $LOG_DIR/$name.log"; return 1; }
        sleep 1
    done
    die "$name did not answer on $url within $seconds s; see $LOG_DIR/$name.log"
}

# start_and_wait NAME URL SECONDS COMMAND...: start (unless running) and wait until it answers; a
# process that stops while starting (or was itself just stopping) is started once more.
start_and_wait() {
    local name=$1 url=$2 seconds=$3 attempt; shift 3
    for attempt in 1 2; do
        start_process "$name" "$LOG_DIR/$name.log" "$@" && say "starting $name ($url)"
        wait_http "$name" "$url" "$seconds" && return 0
        sleep 2
    done
    die "$name does not start; see $LOG_DIR/$name.log"
}

prepare_clinic_database() {
    say "migrating the clinic database and loading actions/content/clinic.yml"
    "$PY" -m actions.admin init-demo >>"$LOG_DIR/admin.log" 2>&1 || die "clinic database setup failed; see $LOG_DIR/admin.log"
}

start_action_servers() {
    local i port
    for i in $(seq 1 "$ACTION_REPLICAS"); do
        port=$((ACTION_BASE_PORT + i - 1))
        start_process "actions-$i" "$LOG_DIR/actions-$i.log" \
            env SANIC_HOST=127.0.0.1 "$ROOT/.venv/bin/rasa" run actions --actions actions.conversation --port "$port" \
            && say "starting action server $i on 127.0.0.1:$port"
    done
    for i in $(seq 1 "$ACTION_REPLICAS"); do
        port=$((ACTION_BASE_PORT + i - 1))
        start_and_wait "actions-$i" "http://127.0.0.1:$port/health" 180 \
            env SANIC_HOST=127.0.0.1 "$ROOT/.venv/bin/rasa" run actions --actions actions.conversation --port "$port"
    done
}

start_nginx() {
    local nginx conf=$PROD_DIR/nginx/nginx.conf
    nginx=$(command -v nginx || echo /usr/sbin/nginx)
    RASA_SERVERS=$(rasa_servers) ACTION_SERVERS=$(action_servers) NGINX_RUN_DIR=$PROD_DIR/nginx \
        WIDGET_DIR=$ROOT/widget ACTION_GATEWAY_LISTEN=127.0.0.1:$ACTION_GATEWAY_PORT \
        NGINX_ACCESS_LOG=$LOG_DIR/nginx-access.log NGINX_ACTIONS_ACCESS_LOG=$LOG_DIR/nginx-actions-access.log \
        NGINX_ERROR_LOG=$LOG_DIR/nginx-error.log \
        sh deploy/nginx/render.sh "$conf"
    "$nginx" -t -q -c "$conf" -p "$PROD_DIR/nginx" 2>>"$LOG_DIR/nginx-error.log" || die "nginx rejects $conf; see $LOG_DIR/nginx-error.log"
    if [ -f "$PROD_DIR/nginx/nginx.pid" ] && kill -0 "$(cat "$PROD_DIR/nginx/nginx.pid")" 2>/dev/null; then
        "$nginx" -c "$conf" -p "$PROD_DIR/nginx" -s reload 2>>"$LOG_DIR/nginx-error.log"
    else
        say "starting nginx on $NGINX_LISTEN (action gateway on 127.0.0.1:$ACTION_GATEWAY_PORT)"
        "$nginx" -c "$conf" -p "$PROD_DIR/nginx"
    fi
    ln -sf "$PROD_DIR/nginx/nginx.pid" "$RUN_DIR/nginx.pid"
}

start_rasa_instances() {
    local i port model
    model=$(resolve_model)
    for i in $(seq 1 "$RASA_INSTANCES"); do
        port=$((RASA_BASE_PORT + i - 1))
        # One at a time: the first start creates the tracker store's table.
        # shellcheck disable=SC2086  # CORS_ORIGINS is a list
        start_and_wait "rasa-$i" "http://127.0.0.1:$port/webhooks/webchat/" 400 \
            "$PY" -m rasa_server run --model "$model" --endpoints deploy/endpoints.production.yml \
            --credentials deploy/credentials.production.yml --interface 127.0.0.1 --port "$port" --cors $CORS_ORIGINS
    done
}

start_worker() {
    start_process worker "$LOG_DIR/worker.log" "$PY" -m actions.booking.worker && say "starting the notification worker" || true
}

resolve_model() {
    local model=${RASA_MODEL:-}
    if [ -z "$model" ]; then
        model=$(ls -t models/*.tar.gz 2>/dev/null | head -n 1 || true)
    fi
    [ -n "$model" ] && [ -f "$model" ] || die "no model: run \`make train\` (or set RASA_MODEL)"
    echo "$model"
}

status() {
    local name
    for name in $(component_names); do
        if running "$name"; then echo "$name: running (pid $(cat "$RUN_DIR/$name.pid"))"; else echo "$name: stopped"; fi
    done
    if as_owner "$(pg_bindir)/pg_ctl" -D "$PROD_DIR/pg/data" status >/dev/null 2>&1; then echo "postgresql: running"; else echo "postgresql: stopped"; fi
    if redis_ping; then echo "redis: running"; else echo "redis: stopped"; fi
}

main() {
    load_settings
    if [ "${1:-}" = "status" ]; then status; exit 0; fi
    [ -x "$PY" ] || die "no .venv: run \`make venv\` first"
    ensure_packages
    prepare_dirs_and_secrets
    write_topology_env
    start_postgres
    start_redis
    prepare_clinic_database
    start_action_servers
    start_nginx
    start_rasa_instances
    start_worker
    cat >&2 <<MSG
prod-up: the production topology is up (logs: $LOG_DIR, stop: scripts/prod-down.sh)
  Widget demo page: http://$NGINX_LISTEN/webhooks/webchat/demo
  Rasa instances:   $(rasa_servers)   (not public: nginx routes /webhooks/ only)
  Action servers:   $(action_servers) behind the gateway 127.0.0.1:$ACTION_GATEWAY_PORT
  PostgreSQL:       127.0.0.1:$TRACKER_DB_PORT ($TRACKER_DB_NAME, $CLINIC_DB_NAME)   Redis: 127.0.0.1:$REDIS_PORT
MSG
}

main "$@"
