"""The localhost REST channel keeps its conversations apart from every other channel's."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from rasa_server.channels.local_rest import LocalRestInput


def test_rest_sender_ids_live_in_their_own_namespace():
    request = SimpleNamespace(json={"sender": "webchat-abc123", "message": "hi"})
    assert asyncio.run(LocalRestInput()._extract_sender(request)) == "rest:webchat-abc123"
    assert LocalRestInput.name() == "rest"
