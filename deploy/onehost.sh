# Shared by scripts/prod-up.sh and scripts/prod-down.sh (sourced, bash): settings, paths, helpers of
# the one-host production topology. ROOT is the repository root.

PY=$ROOT/.venv/bin/python
# Components with a pid file in $RUN_DIR, in the order prod-down stops them.
component_names() {
    local i names="worker nginx"
    for i in $(seq 1 "${RASA_INSTANCES:-2}"); do names="$names rasa-$i"; done
    for i in $(seq 1 "${ACTION_REPLICAS:-2}"); do names="$names actions-$i"; done
    echo "$names"
}

# Settings: a non-empty value in the environment wins, then .env, then .env.example. The files are
# read as KEY=VALUE lines (the value taken literally, up to the end of the line: no shell expansion),
# the format docker compose reads too.
read_env_file() {
    local file=$1 line key value
    [ -f "$file" ] || return 0
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line%$'\r'}
        case "$line" in ''|'#'*) continue ;; esac
        key=${line%%=*}
        value=${line#*=}
        [[ "$key" =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
        if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then value=${BASH_REMATCH[1]}; fi
        [ -n "${!key:-}" ] && continue
        export "$key=$value"
    done <"$file"
}

load_settings() {
    read_env_file "$ROOT/.env"
    read_env_file "$ROOT/.env.example"
    PROD_DIR=${PROD_DIR:-var/prod}
    case "$PROD_DIR" in /*) ;; *) PROD_DIR=$ROOT/$PROD_DIR ;; esac
    export PROD_DIR
    RUN_DIR=$PROD_DIR/run
    LOG_DIR=$PROD_DIR/logs
    [ -f "$PROD_DIR/secrets.env" ] && read_env_file "$PROD_DIR/secrets.env"
    export RASA_TELEMETRY_ENABLED=false
}

# Secrets left empty are generated once (64 hex characters) into $PROD_DIR/secrets.env.
prepare_dirs_and_secrets() {
    mkdir -p "$PROD_DIR" "$RUN_DIR" "$LOG_DIR" "$PROD_DIR/nginx"
    chmod 755 "$PROD_DIR"
    local name generated=()
    for name in TRACKER_DB_PASSWORD CLINIC_DB_PASSWORD REDIS_PASSWORD WEBCHAT_SECRET; do
        if [ -z "${!name:-}" ]; then
            export "$name=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
            generated+=("$name")
        fi
    done
    if [ ${#generated[@]} -gt 0 ]; then
        (umask 077; for name in "${generated[@]}"; do echo "$name=${!name}"; done >>"$PROD_DIR/secrets.env")
        echo "prod-up: generated ${generated[*]} into $PROD_DIR/secrets.env" >&2
    fi
}

# Every setting the processes use, resolved, for tools and tests: KEY=VALUE lines (values literal,
# as in .env; read them with read_env_file or tests/production/topology.py).
write_topology_env() {
    export TRACKER_DATABASE_URL="postgresql+psycopg2://$TRACKER_DB_USER:$TRACKER_DB_PASSWORD@$TRACKER_DB_HOST:$TRACKER_DB_PORT/$TRACKER_DB_NAME"
    export CLINIC_DATABASE_URL="postgresql+psycopg2://$CLINIC_DB_USER:$CLINIC_DB_PASSWORD@$CLINIC_DB_HOST:$CLINIC_DB_PORT/$CLINIC_DB_NAME"
    export ACTION_ENDPOINT_URL=${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTION_GATEWAY_PORT/webhook}
    local name
    (
        umask 077
        for name in $(topology_variables); do printf '%s=%s\n' "$name" "${!name:-}"; done >"$PROD_DIR/topology.env"
    )
}

topology_variables() {
    sed -n 's/^\([A-Z_][A-Z0-9_]*\)=.*/\1/p' "$ROOT/.env.example"
    echo TRACKER_DATABASE_URL CLINIC_DATABASE_URL PROD_DIR
}

rasa_servers() {
    local i out=""
    for i in $(seq 1 "$RASA_INSTANCES"); do out="$out 127.0.0.1:$((RASA_BASE_PORT + i - 1))"; done
    echo $out
}

action_servers() {
    local i out=""
    for i in $(seq 1 "$ACTION_REPLICAS"); do out="$out 127.0.0.1:$((ACTION_BASE_PORT + i - 1))"; done
    echo $out
}

running() {
    local pid_file=$RUN_DIR/$1.pid
    [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
    return 0
}

# Run a command as the PostgreSQL cluster's owner: the postgres user when we are root, else ourselves.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
