"""One channel's routes on a real Sanic server (in a thread, on loopback) with a scripted assistant.

This tests the channels' HTTP behaviour (signatures, rules, rendering to the provider) without a
trained model; the integration tests (test_channel_integration.py) do the same with the real assistant.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import uuid
from types import SimpleNamespace
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic

MENU_BUTTONS = [
    {"title": "What is microneedling?", "payload": "/ask_what_is"},
    {"title": "Does it hurt?", "payload": "/ask_pain"},
    {"title": "Downtime", "payload": "/ask_downtime"},
]
# Several Sanic apps start in one process here; test mode lets each one re-apply Sanic's start-up
# "touch-up" of its HTTP classes (as sanic-testing does).
Sanic.test_mode = True

LONG_ANSWER = "Microneedling prompts the skin to renew its collagen over several weeks. " * 80


async def scripted_assistant(message: UserMessage) -> None:
    """Answers like the assistant would, in a few fixed ways chosen by the text received."""
    out, sender, text = message.output_channel, message.sender_id, message.text
    if text in ("menu", "/greet"):
        await out.send_response(sender, {"text": "Hello! What would you like to know?", "buttons": list(MENU_BUTTONS)})
    elif text == "long":
        await out.send_response(sender, {"text": LONG_ANSWER})
    elif text == "picture":
        await out.send_response(sender, {"image": "https://clinic.example/before-after.jpg"})
    else:
        await out.send_response(sender, {"text": f"received: {text}"})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ChannelServer:
    def __init__(
        self,
        channel: InputChannel,
        assistant: Callable[[UserMessage], Awaitable[Any]] = scripted_assistant,
        tracker_store: Optional[Any] = None,
    ) -> None:
        self.channel = channel
        self.received: list[tuple[str, str]] = []
        self.port = free_port()
        self.app = Sanic(f"channel_test_{uuid.uuid4().hex}")
        self.app.ctx.agent = SimpleNamespace(tracker_store=tracker_store)

        async def handler(message: UserMessage) -> None:
            self.received.append((message.sender_id, message.text))
            await assistant(message)

        self.app.blueprint(channel.blueprint(handler), url_prefix=f"/webhooks/{channel.url_prefix()}")
        self._ready = threading.Event()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/{self.channel.url_prefix()}"

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        server = loop.run_until_complete(
            self.app.create_server(host="127.0.0.1", port=self.port, return_asyncio_server=True, access_log=False)
        )
        loop.run_until_complete(server.startup())
        loop.run_until_complete(server.start_serving())
        self._server = server
        self._ready.set()
        loop.run_forever()
        loop.close()

    async def _shutdown(self) -> None:
        self._server.close()
        await self._server.wait_closed()
        for connection in list(self._server.connections):
            connection.close_if_idle()
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def __enter__(self) -> "ChannelServer":
        self._thread.start()
        if not self._ready.wait(20):
            raise RuntimeError("the test channel server did not start")
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
