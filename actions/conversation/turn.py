"""The current turn: the events since the visitor's latest message (all the action server receives of
the conversation's events; see rasa_server/speedups/action_call_payload.py)."""

from __future__ import annotations

from rasa_sdk import Tracker


def events_since_user(tracker: Tracker) -> list[dict]:
    """The events after the latest user message, oldest first."""
    found: list[dict] = []
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            break
        found.append(event)
    return found[::-1]
