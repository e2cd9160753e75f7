"""A website visitor talking to the assistant through nginx, as the widget does (POST session, webhook).

Each visitor comes from its own loopback address (127.0.x.y), so that the per-address limits of nginx
and of the web chat apply per visitor, as they would on the internet. Every turn is recorded: what was
sent, the HTTP status, the latency and the messages received.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import time
from dataclasses import dataclass, field
from typing import Any, Optional

import aiohttp

REQUEST_TIMEOUT_SECONDS = 330  # above nginx's RASA_TIMEOUT_SECONDS (300 in make prod-test)
# A visitor reads the answer and types or taps before the next message (the web chat also allows a
# session only 20 messages a minute).
THINK_SECONDS = tuple(float(x) for x in os.environ.get("PROD_THINK_SECONDS", "3.0,4.5").split(","))


@dataclass
class Turn:
    sent: str
    status: int
    seconds: float
    messages: list[dict[str, Any]]
    error: str = ""
    at: float = field(default_factory=time.monotonic)  # when the answer came (time.monotonic())

    @property
    def answered(self) -> bool:
        return self.status == 200 and any(m.get("text") or m.get("buttons") for m in self.messages)


def loopback_address(index: int) -> str:
    """127.0.1.1, 127.0.1.2, ... 127.0.1.250, 127.0.2.1, ... (never a non-loopback address)."""
    third, fourth = divmod(index, 250)
    address = f"127.0.{1 + third}.{1 + fourth}"
    assert 1 + third < 255, "too many visitors for the loopback range used"
    return address


class TranscriptError(AssertionError):
    pass


@dataclass
class ChatVisitor:
    base_url: str  # .../webhooks/webchat
    source_address: str
    session_id: str = ""
    signature: str = ""
    turns: list[Turn] = field(default_factory=list)
    greeting: list[dict[str, Any]] = field(default_factory=list)
    think_seconds: tuple[float, float] = THINK_SECONDS
    _http: Optional[aiohttp.ClientSession] = None

    async def __aenter__(self) -> "ChatVisitor":
        connector = aiohttp.TCPConnector(local_addr=(self.source_address, 0), limit=2, force_close=False)
        self._http = aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
        )
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        if self._http is not None:
            await self._http.close()

    async def _post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any], str]:
        assert self._http is not None
        try:
            async with self._http.post(f"{self.base_url}/{path}", json=body) as answer:
                try:
                    data = await answer.json(content_type=None)
                except ValueError:
                    data = {}
                return answer.status, data if isinstance(data, dict) else {}, ""
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            return 0, {}, type(error).__name__

    async def start(self) -> list[dict[str, Any]]:
        """A new conversation: the server mints and signs the session id and sends the greeting."""
        began = time.monotonic()
        status, data, error = await self._post("session", {})
        turn = Turn("<new session>", status, time.monotonic() - began, list(data.get("messages") or []), error)
        self.turns.append(turn)
        if status != 200:
            raise TranscriptError(f"starting a session failed: HTTP {status} {error} {data}")
        self.session_id, self.signature = data["session_id"], data["signature"]
        self.greeting = turn.messages
        return turn.messages

    async def say(self, text: str, think: bool = True) -> list[dict[str, Any]]:
        if think and self.think_seconds[1] > 0:
            await asyncio.sleep(random.uniform(*self.think_seconds))
        began = time.monotonic()
        body = {"session_id": self.session_id, "signature": self.signature, "message": text}
        status, data, error = await self._post("webhook", body)
        turn = Turn(
            text, status, time.monotonic() - began, list(data.get("messages") or []), error or data.get("error", "")
        )
        self.turns.append(turn)
        if status != 200:
            raise TranscriptError(f"message {text!r} failed: HTTP {status} {turn.error}\n{self.transcript()}")
        return turn.messages

    async def history(self) -> list[dict[str, Any]]:
        status, data, error = await self._post("history", {"session_id": self.session_id, "signature": self.signature})
        if status != 200:
            raise TranscriptError(f"history failed: HTTP {status} {error}")
        return list(data.get("messages") or [])

    # --- reading the latest answer -------------------------------------------------------------------

    @property
    def last(self) -> list[dict[str, Any]]:
        return self.turns[-1].messages if self.turns else []

    @property
    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.last)

    def buttons(self) -> list[dict[str, str]]:
        return [b for m in self.last for b in m.get("buttons") or []]

    def button(self, pattern: str) -> Optional[str]:
        for b in self.buttons():
            if re.search(pattern, b["title"], re.I) or re.search(pattern, b["payload"], re.I):
                return b["payload"]
        return None

    def transcript(self, last: int = 30) -> str:
        lines = []
        for turn in self.turns[-last:]:
            lines.append(f"> {turn.sent}   [{turn.status} {turn.seconds:.2f}s {turn.error}]")
            for m in turn.messages:
                shown = (m.get("text") or "").replace("\n", " | ")[:200]
                lines.append(f"< {shown} {[b['title'] for b in m.get('buttons') or []]}")
        return "\n".join(lines)

    def fail(self, why: str) -> None:
        raise TranscriptError(f"{why}\n{self.transcript()}")
