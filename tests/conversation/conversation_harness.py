"""Run custom actions the way the action server does: a Tracker, a CollectingDispatcher.

(A module of its own, not conftest: `from conftest import ...` picks whichever conftest.py another
test folder put on sys.path first when the whole suite runs.)"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def make_tracker(
    intent: str | None = None,
    slots: dict[str, Any] | None = None,
    entities: list[dict] | None = None,
    text: str = "",
    sender: str = "visitor-1",
    events: list[dict] | None = None,
    active_loop: dict | None = None,
) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9} if intent else {}, "entities": entities or []}
    return Tracker(sender, slots or {}, latest, events or [], False, None, active_loop or {}, "action_listen")


def run_action(action, tracker: Tracker, domain: dict | None = None) -> tuple[list[dict], list[dict]]:
    """Run an action; return (messages sent, events returned)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain or {}))
    return dispatcher.messages, events
