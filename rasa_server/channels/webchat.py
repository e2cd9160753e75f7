"""The website chat: serves the widget and its demo page, mints signed session ids, answers over HTTP.

credentials.yml:

    rasa_server.channels.webchat.WebChatInput:
      secret: ${WEBCHAT_SECRET}           # signs session ids; empty = generated once into var/webchat-secret
      allowed_origins: ${CORS_ORIGINS}    # sites (scheme://host[:port]) whose pages may use the chat
      max_message_chars: 500
      rate_limit_per_minute: 20           # messages per session
      sessions_per_minute: ${WEBCHAT_SESSIONS_PER_MINUTE}   # new sessions per client address; empty = 10
      start_payload: /greet               # run for a new session, so the visitor is greeted with the menu

Routes (under /webhooks/webchat):

    GET  /widget.js   the widget (widget/widget.js)         GET /demo   a demo clinic page
    POST /session     {} -> {session_id, signature, messages}: a new conversation and its greeting
    POST /history     {session_id, signature} -> {messages}: the conversation so far, for a reload
    POST /webhook     {session_id, signature, message} -> {messages}: the assistant's reply

Why not Rasa's socket.io or REST channel as they are: both let the client choose its sender id, so
anyone who knows or guesses an id (socket.io session ids are even sent to the browser) can read or
continue that conversation. Here the server mints random ids (192 bits) and signs them with HMAC-SHA256;
a message whose id and signature do not verify is refused with 403.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Mapping, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.events import BotUttered, Event, Restarted, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_server.channels.base import GuardedInput
from rasa_server.channels.guard import OfferedOptions, RateLimiter, options_from_buttons
from rasa_server.channels.policy import EMPTY, RATE_LIMITED, TOO_LONG, PublicChannelPolicy, int_setting, setting

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WIDGET_DIR = PROJECT_ROOT / "widget"
DEFAULT_SECRET_FILE = Path("var") / "webchat-secret"
MIN_SECRET_CHARS = 32
SESSION_ID_BYTES = 24  # 192 random bits, written as 32 URL-safe characters
SESSION_ID_FORMAT = re.compile(r"^[A-Za-z0-9_-]{32}$")
SIGNATURE_FORMAT = re.compile(r"^[0-9a-f]{64}$")
MAX_REQUEST_BYTES = 16 * 1024
DEFAULT_MAX_MESSAGE_CHARS = 500
DEFAULT_HISTORY_MESSAGES = 200
STATIC_FILES = {
    "widget.js": ("widget.js", "application/javascript; charset=utf-8"),
    "demo": ("demo.html", "text/html; charset=utf-8"),
}
DEMO_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


def load_or_create_secret(configured: Optional[str], secret_file: Path) -> bytes:
    """The configured secret, else the one in ``secret_file``, written (mode 600) on first use."""
    if configured:
        if len(configured) < MIN_SECRET_CHARS:
            raise ValueError(
                f"WEBCHAT_SECRET must be at least {MIN_SECRET_CHARS} characters (e.g. `openssl rand -hex 32`)"
            )
        return configured.encode("utf-8")
    secret_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        stored = secret_file.read_text(encoding="utf-8").strip()
        if len(stored) < MIN_SECRET_CHARS:
            raise ValueError(f"{secret_file} holds no usable secret: delete it to have a new one generated") from None
        return stored.encode("utf-8")
    generated = secrets.token_hex(32)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(generated + "\n")
    logger.info("generated a web chat secret in %s", secret_file)
    return generated.encode("utf-8")


class SessionSigner:
    """Mints random session ids and signs them, so that a client cannot pick an id."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def sign(self, session_id: str) -> str:
        return hmac.new(self._secret, b"webchat-session:" + session_id.encode("ascii"), hashlib.sha256).hexdigest()

    def mint(self) -> tuple[str, str]:
        session_id = secrets.token_urlsafe(SESSION_ID_BYTES)
        return session_id, self.sign(session_id)

    def verify(self, session_id: Any, signature: Any) -> bool:
        if not isinstance(session_id, str) or not isinstance(signature, str):
            return False
        if not SESSION_ID_FORMAT.match(session_id) or not SIGNATURE_FORMAT.match(signature):
            return False
        return hmac.compare_digest(self.sign(session_id), signature)


def parse_origins(value: Any) -> frozenset[str]:
    """Origins from a space- or comma-separated string (the CORS_ORIGINS variable) or a list."""
    items = value if isinstance(value, (list, tuple)) else str(value or "").replace(",", " ").split()
    return frozenset(str(item).strip().rstrip("/") for item in items if str(item).strip())


class WebChatOutput(CollectingOutputChannel):
    """Collects the reply for the HTTP answer; remembers the buttons it offered."""

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    def __init__(self, offered: OfferedOptions) -> None:
        super().__init__()
        self.offered = offered

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._persist_message({"text": text})

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        options = options_from_buttons(buttons)
        self.offered.offer(recipient_id, options)
        shown = [{"title": option.title, "payload": option.payload} for option in options]
        await self._persist_message({"text": text, "buttons": shown})

    async def send_quick_replies(
        self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._persist_message({"image": image})

    async def send_attachment(self, recipient_id: Text, attachment: Any, **kwargs: Any) -> None:
        await self._persist_message({"attachment": attachment})

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self._persist_message({"custom": json_message})


def history_messages(
    events: Iterable[Event], shown_titles: Mapping[str, str], hidden_payloads: Iterable[str], limit: int
) -> list[dict[str, Any]]:
    """The conversation as the widget showed it: a button press appears as the button's title.

    ``shown_titles`` maps always-allowed payloads to their titles; ``hidden_payloads`` (the start
    payload) were sent by the widget itself and are not shown.
    """
    hidden = set(hidden_payloads)
    messages: list[dict[str, Any]] = []
    titles_offered: dict[str, str] = {}
    for event in events:
        if isinstance(event, Restarted):
            messages, titles_offered = [], {}
        elif isinstance(event, UserUttered) and event.text:
            text = event.text
            title = titles_offered.get(text) or shown_titles.get(text)
            titles_offered = {}
            if title is None and text in hidden:
                continue
            messages.append({"from": "visitor", "text": title or text})
        elif isinstance(event, BotUttered):
            data = event.data or {}
            options = options_from_buttons((data.get("buttons") or []) + (data.get("quick_replies") or []))
            titles_offered.update({option.payload: option.title for option in options})
            message: dict[str, Any] = {"from": "assistant"}
            if event.text:
                message["text"] = event.text
            if options:
                message["buttons"] = [{"title": option.title, "payload": option.payload} for option in options]
            for key in ("image", "attachment", "custom"):
                if data.get(key):
                    message[key] = data[key]
            if len(message) > 1:
                messages.append(message)
    return messages[-limit:]


def error(code: str, status: int, **details: Any) -> HTTPResponse:
    return response.json({"error": code, **details}, status=status)


class WebChatInput(GuardedInput, RestInput):
    """REST-style web chat with server-minted, signed session ids, serving its own widget."""

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WebChatInput":
        credentials = dict(credentials or {})
        credentials.setdefault("max_message_chars", DEFAULT_MAX_MESSAGE_CHARS)
        secret_file = Path(setting(credentials, "secret_file", str(DEFAULT_SECRET_FILE)))
        return cls(
            signer=SessionSigner(load_or_create_secret(setting(credentials, "secret", ""), secret_file)),
            allowed_origins=parse_origins(setting(credentials, "allowed_origins", "")),
            policy=PublicChannelPolicy.from_credentials(credentials),
            sessions_per_minute=int_setting(credentials, "sessions_per_minute", 10),
            start_payload=setting(credentials, "start_payload", "/greet"),
            history_messages=int_setting(credentials, "history_messages", DEFAULT_HISTORY_MESSAGES),
            widget_dir=Path(setting(credentials, "widget_dir", str(WIDGET_DIR))),
        )

    def __init__(
        self,
        signer: SessionSigner,
        allowed_origins: Iterable[str] = (),
        policy: Optional[PublicChannelPolicy] = None,
        sessions_per_minute: int = 10,
        start_payload: Optional[str] = "/greet",
        history_messages: int = DEFAULT_HISTORY_MESSAGES,
        widget_dir: Path = WIDGET_DIR,
    ) -> None:
        self.signer = signer
        self.allowed_origins = frozenset(allowed_origins)
        self.policy = policy or PublicChannelPolicy(max_message_chars=DEFAULT_MAX_MESSAGE_CHARS)
        self.session_limiter = RateLimiter(sessions_per_minute, 60.0)
        self.start_payload = start_payload or ""
        self.history_limit = history_messages
        self.widget_dir = widget_dir
        self._proxy_warning_given = False

    # --- checks ------------------------------------------------------------------------------------

    def origin_allowed(self, request: Request) -> bool:
        """Browsers send Origin with every POST: it must be a configured site or this server itself."""
        origin = request.headers.get("origin")
        if origin is None:
            return True  # not a browser page (curl, a server): CORS is a browser matter
        own_origin = f"{request.scheme}://{request.host}"
        return origin.rstrip("/") in self.allowed_origins or origin == own_origin

    def read_json(self, request: Request) -> Dict[str, Any] | HTTPResponse:
        """The request's JSON object, or the refusal to send back."""
        if not self.origin_allowed(request):
            logger.warning("refused a web chat request from an origin not in CORS_ORIGINS")
            return error("origin_not_allowed", 403)
        if len(request.body or b"") > MAX_REQUEST_BYTES:
            return error("too_long", 413, max_message_chars=self.policy.max_message_chars)
        try:
            body = request.json
        except Exception:  # sanic raises InvalidUsage on malformed JSON
            body = None
        if not isinstance(body, dict):
            return error("bad_request", 400)
        return body

    def verified_session(self, body: Mapping[str, Any]) -> Optional[str]:
        session_id, signature = body.get("session_id"), body.get("signature")
        return session_id if self.signer.verify(session_id, signature) else None

    def client_address(self, request: Request) -> str:
        """The visitor's address: the proxy's forwarded one when Sanic is told to trust it."""
        if not request.remote_addr and "x-forwarded-for" in request.headers and not self._proxy_warning_given:
            self._proxy_warning_given = True
            logger.warning(
                "web chat requests come through a proxy, but every visitor counts as the proxy's address for the "
                "new-session limit: set SANIC_PROXIES_COUNT=1 (or SANIC_REAL_IP_HEADER) in the environment"
            )
        return request.remote_addr or request.ip or "unknown"

    # --- conversation ------------------------------------------------------------------------------

    async def reply(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]], session_id: str, text: str
    ) -> Optional[list[dict[str, Any]]]:
        """The assistant's messages in answer to ``text``, or None when it failed (logged)."""
        output = WebChatOutput(self.policy.offered)
        try:
            await on_new_message(UserMessage(text, output, session_id, input_channel=self.name()))
        except Exception:
            logger.exception("the assistant failed to answer a web chat message")
            return None
        return output.messages

    def history(self, tracker: Any) -> list[dict[str, Any]]:
        if tracker is None:
            return []
        titles = dict(self.policy.always_allowed_payloads)
        return history_messages(
            tracker.events, titles, [self.start_payload] if self.start_payload else [], self.history_limit
        )

    # --- routes ------------------------------------------------------------------------------------

    def static_file(self, name: str) -> HTTPResponse:
        file_name, content_type = STATIC_FILES[name]
        path = self.widget_dir / file_name
        if not path.is_file():
            return error("not_found", 404)
        headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        if name == "demo":
            headers["Content-Security-Policy"] = DEMO_CSP
        return response.raw(path.read_bytes(), content_type=content_type, headers=headers)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webchat = Blueprint("webchat_webhook", __name__)

        @webchat.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webchat.route("/widget.js", methods=["GET"])
        async def widget(_: Request) -> HTTPResponse:
            return self.static_file("widget.js")

        @webchat.route("/demo", methods=["GET"])
        async def demo(_: Request) -> HTTPResponse:
            return self.static_file("demo")

        @webchat.route("/session", methods=["POST"])
        async def new_session(request: Request) -> HTTPResponse:
            body = self.read_json(request)
            if isinstance(body, HTTPResponse):
                return body
            if not self.session_limiter.allow(self.client_address(request)):
                return error(RATE_LIMITED, 429)
            session_id, signature = self.signer.mint()
            messages: Optional[list] = []
            if self.start_payload:
                self.policy.offered.start_turn(session_id)
                messages = await self.reply(on_new_message, session_id, self.start_payload)
                if messages is None:
                    return error("assistant_unavailable", 503)
            return response.json({"session_id": session_id, "signature": signature, "messages": messages})

        @webchat.route("/history", methods=["POST"])
        async def history(request: Request) -> HTTPResponse:
            body = self.read_json(request)
            if isinstance(body, HTTPResponse):
                return body
            session_id = self.verified_session(body)
            if session_id is None:
                return error("invalid_session", 403)
            agent = getattr(request.app.ctx, "agent", None)
            tracker_store = getattr(agent, "tracker_store", None)
            tracker = await tracker_store.retrieve(session_id) if tracker_store is not None else None
            return response.json({"messages": self.history(tracker)})

        @webchat.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = self.read_json(request)
            if isinstance(body, HTTPResponse):
                return body
            session_id = self.verified_session(body)
            if session_id is None:
                return error("invalid_session", 403)
            message = body.get("message")
            if not isinstance(message, str):
                return error("bad_request", 400)
            admission = await self.admit(request, session_id, message)
            if admission.refused == RATE_LIMITED:
                return error(RATE_LIMITED, 429)
            if admission.refused == TOO_LONG:
                return error(TOO_LONG, 413, max_message_chars=self.policy.max_message_chars)
            if admission.refused == EMPTY:
                return response.json({"messages": []})
            messages = await self.reply(on_new_message, session_id, admission.text)
            if messages is None:
                return error("assistant_unavailable", 503)
            return response.json({"messages": messages})

        return webchat
