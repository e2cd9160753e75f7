#!/bin/sh
# Render deploy/nginx/clinic.conf.template from the environment into an nginx.conf.
#
#   deploy/nginx/render.sh OUTPUT [TEMPLATE]
#
# Required: RASA_SERVERS and ACTION_SERVERS (space-separated host:port lists), NGINX_LISTEN,
# ACTION_GATEWAY_LISTEN, WIDGET_DIR, NGINX_RUN_DIR. Everything else has a default (below). Plain POSIX
# sh + envsubst, so the same script runs on a host (scripts/prod-up.sh) and in the nginx image
# (deploy/docker/nginx.Dockerfile runs it from /docker-entrypoint.d/).
set -eu

output=${1:?usage: render.sh OUTPUT [TEMPLATE]}
template=${2:-$(dirname "$0")/clinic.conf.template}

fail() { echo "render.sh: $*" >&2; exit 1; }

: "${RASA_SERVERS:?RASA_SERVERS: the Rasa instances, e.g. '127.0.0.1:5101 127.0.0.1:5102'}"
: "${ACTION_SERVERS:?ACTION_SERVERS: the action server replicas, e.g. '127.0.0.1:5151 127.0.0.1:5152'}"
: "${NGINX_LISTEN:?NGINX_LISTEN: the public address, e.g. 127.0.0.1:8480 or 80}"
: "${ACTION_GATEWAY_LISTEN:?ACTION_GATEWAY_LISTEN: the private action gateway address, e.g. 127.0.0.1:5150}"
: "${WIDGET_DIR:?WIDGET_DIR: the folder holding widget.js and demo.html}"
: "${NGINX_RUN_DIR:?NGINX_RUN_DIR: a writable folder for the pid file and temporary files}"

export NGINX_WORKER_PROCESSES="${NGINX_WORKER_PROCESSES:-auto}"
export NGINX_SERVER_NAME="${NGINX_SERVER_NAME:-_}"
export NGINX_MIME_TYPES="${NGINX_MIME_TYPES:-/etc/nginx/mime.types}"
export NGINX_ACCESS_LOG="${NGINX_ACCESS_LOG:-$NGINX_RUN_DIR/access.log}"
export NGINX_ACTIONS_ACCESS_LOG="${NGINX_ACTIONS_ACCESS_LOG:-$NGINX_RUN_DIR/actions-access.log}"
export NGINX_ERROR_LOG="${NGINX_ERROR_LOG:-$NGINX_RUN_DIR/error.log}"
export NGINX_RATE_PER_SECOND="${NGINX_RATE_PER_SECOND:-10}"
export NGINX_RATE_BURST="${NGINX_RATE_BURST:-40}"
export RASA_TIMEOUT_SECONDS="${RASA_TIMEOUT_SECONDS:-120}"
export ACTION_TIMEOUT_SECONDS="${ACTION_TIMEOUT_SECONDS:-30}"
export ACTION_UNAVAILABLE_TEXT="${ACTION_UNAVAILABLE_TEXT:-Sorry, I can’t do that just now. Please give me a moment and try again. You can also contact the clinic directly.}"

case "$ACTION_UNAVAILABLE_TEXT" in
    *[\"\'\\\$\{\}\;]*) fail "ACTION_UNAVAILABLE_TEXT must not contain quotes, backslashes, \$, braces or ;" ;;
esac
for number in "$NGINX_RATE_PER_SECOND" "$NGINX_RATE_BURST" "$RASA_TIMEOUT_SECONDS" "$ACTION_TIMEOUT_SECONDS"; do
    case "$number" in ''|*[!0-9]*) fail "rate, burst and timeouts must be whole numbers, got '$number'" ;; esac
done

# "server host:port max_fails=1 fail_timeout=5s;" lines: a server that fails is left alone for 5 s.
upstream_lines() {
    lines=""
    for server in $1; do
        case "$server" in *[!A-Za-z0-9.:_-]*) fail "not a host:port: '$server'" ;; esac
        lines="${lines}server $server max_fails=1 fail_timeout=5s; "
    done
    [ -n "$lines" ] || fail "an empty server list"
    printf '%s' "$lines"
}
RASA_UPSTREAM_SERVERS=$(upstream_lines "$RASA_SERVERS")
ACTION_UPSTREAM_SERVERS=$(upstream_lines "$ACTION_SERVERS")
export RASA_UPSTREAM_SERVERS ACTION_UPSTREAM_SERVERS NGINX_LISTEN ACTION_GATEWAY_LISTEN WIDGET_DIR NGINX_RUN_DIR

# Only these variables are substituted: nginx's own $variables stay as they are.
variables='${NGINX_WORKER_PROCESSES} ${NGINX_SERVER_NAME} ${NGINX_MIME_TYPES} ${NGINX_ACCESS_LOG}
${NGINX_ACTIONS_ACCESS_LOG} ${NGINX_ERROR_LOG} ${NGINX_RATE_PER_SECOND} ${NGINX_RATE_BURST}
${RASA_TIMEOUT_SECONDS} ${ACTION_TIMEOUT_SECONDS} ${ACTION_UNAVAILABLE_TEXT} ${RASA_UPSTREAM_SERVERS}
${ACTION_UPSTREAM_SERVERS} ${NGINX_LISTEN} ${ACTION_GATEWAY_LISTEN} ${WIDGET_DIR} ${NGINX_RUN_DIR}'

mkdir -p "$NGINX_RUN_DIR"
envsubst "$variables" <"$template" >"$output.tmp"
mv "$output.tmp" "$output"
