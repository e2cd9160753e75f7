"""Rasa's REST channel for this machine only: `make run` serves it on 127.0.0.1 for trying the assistant
with curl, the end-to-end tests and the benchmarks. It is not one of the public channels (production
credentials leave it out; see docs/channels.md).

Rasa's REST channel lets the client name the conversation. Here every REST conversation id is put in
its own namespace ("rest:" + the id the client sent), so a REST client can never continue, or read the
replies of, a conversation of the website widget or of a messaging channel, whose ids the server mints
or the provider signs.
"""

from __future__ import annotations

from typing import Optional, Text

from rasa.core.channels.rest import RestInput
from sanic.request import Request

NAMESPACE = "rest:"


class LocalRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"  # same URL as Rasa's: /webhooks/rest/webhook

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        sender = await super()._extract_sender(req)
        return None if sender is None else f"{NAMESPACE}{sender}"
