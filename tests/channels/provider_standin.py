"""A local stand-in for the messaging providers' APIs, on loopback, recording what it is sent.

It answers the requests our output channels make in the providers' real formats:

    Twilio    POST /2010-04-01/Accounts/{AccountSid}/Messages.json  form (To, From, Body | MediaUrl),
              HTTP basic auth AccountSid:AuthToken; answers 201 with a message resource (401 without auth)
    Telegram  POST /bot{token}/{method} (sendMessage, sendPhoto, answerCallbackQuery) with a JSON body;
              answers {"ok": true, "result": ...}
    Graph API POST /{version}/me/messages?access_token=... with a JSON body (recipient, message |
              sender_action, messaging_type); answers {"recipient_id", "message_id"} (400 without token)
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional
from urllib.parse import parse_qs, urlsplit

TWILIO_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")
TELEGRAM_PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>\w+)$")
GRAPH_PATH = re.compile(r"^(?:/v[\d.]+)?/me/messages$")


@dataclass
class Recorded:
    provider: str
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    form: dict[str, list[str]] = field(default_factory=dict)
    json: Any = None

    def basic_auth(self) -> Optional[tuple[str, str]]:
        header = self.headers.get("authorization", "")
        if not header.lower().startswith("basic "):
            return None
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        return user, password


class ProviderStandIn:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status, answer = standin._answer(self, body)
                encoded = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(encoded)))
                self.end_headers()
                self.wfile.write(encoded)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()

    def _answer(self, handler: BaseHTTPRequestHandler, body: bytes) -> tuple[int, Any]:
        parts = urlsplit(handler.path)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        record = Recorded("unknown", "POST", parts.path, parse_qs(parts.query), headers, body)
        content_type = headers.get("content-type", "")
        if "application/x-www-form-urlencoded" in content_type:
            record.form = parse_qs(body.decode(), keep_blank_values=True)
        elif "application/json" in content_type:
            record.json = json.loads(body or b"null")
        status, answer = 404, {"error": "unknown endpoint"}
        if TWILIO_PATH.match(parts.path):
            record.provider = "twilio"
            status, answer = self._twilio(record)
        elif TELEGRAM_PATH.match(parts.path):
            record.provider = "telegram"
            status, answer = 200, {"ok": True, "result": {"message_id": len(self.requests) + 1}}
        elif GRAPH_PATH.match(parts.path):
            record.provider = "messenger"
            if not record.query.get("access_token"):
                status, answer = 400, {"error": {"message": "An access token is required", "code": 104}}
            else:
                recipient = ((record.json or {}).get("recipient") or {}).get("id")
                status, answer = 200, {"recipient_id": recipient, "message_id": f"m_{len(self.requests) + 1}"}
        with self._lock:
            self.requests.append(record)
        return status, answer

    @staticmethod
    def _twilio(record: Recorded) -> tuple[int, Any]:
        sid = TWILIO_PATH.match(record.path).group("sid")
        auth = record.basic_auth()
        if auth is None or auth[0] != sid:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        form = {k: v[0] for k, v in record.form.items()}
        return 201, {
            "sid": "SM" + "0" * 32,
            "account_sid": sid,
            "to": form.get("To"),
            "from": form.get("From"),
            "body": form.get("Body", ""),
            "status": "queued",
        }

    # --- what tests read -----------------------------------------------------------------------------

    def of(self, provider: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.provider == provider]

    def twilio_messages(self) -> list[dict[str, str]]:
        return [{k: v[0] for k, v in r.form.items()} for r in self.of("twilio")]

    def telegram_calls(self, method: Optional[str] = None) -> list[dict[str, Any]]:
        calls = [r for r in self.of("telegram") if method is None or r.path.endswith("/" + method)]
        return [r.json for r in calls]

    def graph_messages(self, with_message: bool = True) -> list[dict[str, Any]]:
        bodies = [r.json for r in self.of("messenger")]
        return [b for b in bodies if not with_message or "message" in b]

    def wait_for(self, condition: Callable[[], bool], timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.05)
        return condition()
