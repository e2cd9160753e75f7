#!/usr/bin/env bash
# Start the action server and the Rasa server on localhost (called by `make run` / `make shell`,
# which set the environment defaults). Stops both on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
# The Rasa server through the project's switch (rasa_server/__init__.py); the action server is rasa_sdk's.
RASA=(.venv/bin/python -m rasa_server)
model=$(.venv/bin/python scripts/train_if_changed.py 2>/dev/null)

.venv/bin/python -m actions.admin init-demo >/dev/null 2>&1 || .venv/bin/python -m actions.admin init-demo

SANIC_HOST=127.0.0.1 .venv/bin/rasa run actions --actions actions.conversation --port 5055 >var/action-server.log 2>&1 &
action_pid=$!
# Delivers staff notifications (new bookings, reviews, handoffs; var/outbox/ by default) and
# releases expired holds.
.venv/bin/python -m actions.booking.worker >var/worker.log 2>&1 &
worker_pid=$!
trap 'kill $action_pid $worker_pid 2>/dev/null || true' EXIT INT TERM

# Wait for the action server to answer before the first visitor does.
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:5055/health" >/dev/null && break
  kill -0 $action_pid 2>/dev/null || { echo "action server failed to start; see var/action-server.log" >&2; exit 1; }
  sleep 1
done

if [ "${1:-}" = "--shell" ]; then
  "${RASA[@]}" shell --model "$model" --endpoints endpoints.yml
  exit
fi

cat <<MSG

  The assistant is starting on this machine (stop with Ctrl-C). When the log below says
  "Rasa server is up and running":
    Chat in a browser: http://localhost:$RASA_PORT/webhooks/webchat/demo   (a demo clinic page with the widget)
    REST:              curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender":"me","message":"hi"}'
    Logs:              var/action-server.log, var/worker.log (notifications); the Rasa server logs below

MSG
# shellcheck disable=SC2086
"${RASA[@]}" run --model "$model" --endpoints endpoints.yml --credentials credentials.yml \
  --interface 127.0.0.1 --port "$RASA_PORT" --cors $CORS_ORIGINS
