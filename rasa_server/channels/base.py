"""Pieces every public channel shares: admission with the tracker's memory, disabled channels,
and a small non-blocking HTTP client for the providers' APIs."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Collection, Iterable, Mapping, Optional, Sequence

import aiohttp
from rasa.core.lock_store import InMemoryLockStore
from rasa.shared.core.events import BotUttered, Event, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_server.channels.guard import Option, options_from_buttons
from rasa_server.channels.policy import Admission, PublicChannelPolicy

logger = logging.getLogger(__name__)

PROVIDER_TIMEOUT_SECONDS = 10


def buttons_of_latest_turn(events: Iterable[Event]) -> list[Option]:
    """The buttons the assistant offered after the sender's latest message, in the order shown."""
    offered_reversed: list[list[Option]] = []
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            data = event.data or {}
            offered_reversed.append(
                options_from_buttons((data.get("buttons") or []) + (data.get("quick_replies") or []))
            )
    return [option for options in reversed(offered_reversed) for option in options]


class GuardedInput:
    """Mixin for input channels: ``self.policy`` decides what a message becomes."""

    policy: PublicChannelPolicy

    async def admit(
        self, request: Request, sender_id: str, text: Optional[str], extra_allowed: Collection[str] = ()
    ) -> Admission:
        await self.recall_offered_options(request, sender_id)
        return self.policy.admit(sender_id, text, extra_allowed)

    async def recall_offered_options(self, request: Request, sender_id: str) -> None:
        """Makes ``self.policy.offered`` hold what the assistant offered in the sender's latest turn.

        One process answering every conversation (the embedded setup) remembers its own turns; it reads
        the tracker only for a sender it has not seen (after a restart). When several processes share
        the conversations (a shared lock store: the production topology), another instance may have
        answered since this one last did (a new session started elsewhere, an instance that died or
        was skipped for a moment), so what this process remembers can be stale: the tracker is read
        every time, and the memory is used only when the tracker cannot be read.
        """
        remembered = self.policy.offered.options(sender_id)
        if remembered is not None and not shares_conversations(request):
            return
        options = await latest_offered_in_tracker(request, sender_id)
        if options is None:
            if remembered is not None:
                return
            options = []
        self.policy.offered.start_turn(sender_id)
        self.policy.offered.offer(sender_id, options)


def shares_conversations(request: Request) -> bool:
    """Whether other processes answer this process's conversations too: Rasa needs a lock store other
    than the in-memory one (Redis) as soon as there is more than one of them."""
    agent = getattr(request.app.ctx, "agent", None)
    lock_store = getattr(agent, "lock_store", None)
    return lock_store is not None and not isinstance(lock_store, InMemoryLockStore)


async def latest_offered_in_tracker(request: Request, sender_id: str) -> Optional[list[Option]]:
    """The buttons of the sender's latest turn as the tracker store has them; None when there is no
    tracker store, no conversation, or it cannot be read (a hiccup must not stop the conversation)."""
    agent = getattr(request.app.ctx, "agent", None)
    tracker_store = getattr(agent, "tracker_store", None)
    if tracker_store is None:
        return None
    try:
        tracker = await tracker_store.retrieve(sender_id)
    except Exception:
        logger.exception("could not read the tracker to recall offered buttons")
        return None
    return None if tracker is None else buttons_of_latest_turn(tracker.events)


def missing_settings(values: Mapping[str, Optional[str]]) -> list[str]:
    """The names (environment variables) whose values are unset or blank."""
    return [name for name, value in values.items() if not (value or "").strip()]


def disabled_blueprint(channel_name: str, missing: Sequence[str]) -> Blueprint:
    """Routes of a channel whose secrets are not set: it answers 503 and says what is missing."""
    logger.warning(
        "%s channel is disabled until these environment variables are set: %s", channel_name, ", ".join(missing)
    )
    blueprint = Blueprint(f"{channel_name}_disabled_webhook", __name__)

    @blueprint.route("/", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "disabled", "missing": list(missing)})

    @blueprint.route("/webhook", methods=["GET", "POST"])
    async def webhook(_: Request) -> HTTPResponse:
        return response.json({"error": f"the {channel_name} channel is not configured"}, status=503)

    return blueprint


async def post_to_provider(
    url: str,
    *,
    json: Optional[Mapping[str, Any]] = None,
    form: Optional[Mapping[str, Any]] = None,
    params: Optional[Mapping[str, str]] = None,
    auth: Optional[aiohttp.BasicAuth] = None,
    what: str = "message",
) -> Optional[Any]:
    """POSTs to a provider's API; returns the decoded JSON answer, or None (logged) on failure.

    Neither the message nor the URL (it may hold a token) is logged.
    """
    timeout = aiohttp.ClientTimeout(total=PROVIDER_TIMEOUT_SECONDS)
    try:
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.post(url, json=json, data=form, params=params, auth=auth) as answer:
                body = await answer.read()
                if answer.status >= 300:
                    logger.error("sending a %s failed: the provider answered HTTP %s", what, answer.status)
                    return None
                try:
                    return await answer.json(content_type=None) if body else {}
                except ValueError:
                    return {}
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        logger.error("sending a %s failed: %s", what, type(error).__name__)
        return None
