"""Rasa sends the action server the events of the current turn, not the whole conversation.

Stock Rasa 3.6 (rasa.core.actions.action.RemoteAction._action_call_format) serialises every event of
the conversation into every call to the action server: a booking turn calls it two or three times, and
by then a consultation has ~440 events (~180 kB of JSON, mostly slot events with their metadata). The
Rasa server spends ~6 ms per call building and encoding them and the action server as long decoding
them, the largest part of what a late turn costs beyond the starter bot (`make bench`).

The project's actions read the conversation's state from what every call still carries in full (the
slots, the latest message with its intent and entities, the active form, the latest action), and look
at events only within the current turn: rasa_sdk's ``slots_to_validate`` (the slot candidates Rasa
appends at the end), ``get_latest_input_channel`` (the latest user event), and
``actions.conversation.base`` (what happened since the visitor's message). So the call carries the
events from the latest user message on (all events while there is none yet); everything else in the
payload is Rasa's own. tests/rasa_server/test_action_call_payload.py checks both halves of that claim:
the payload equals the stock one but for the earlier events, every tracker read the actions make
answers the same, and no action reads further back. Installed by the Rasa server's switch
(rasa_server/__init__.py).
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

import rasa
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

_STOCK = RemoteAction._action_call_format


def turn_events(tracker: DialogueStateTracker) -> List[Event]:
    """The events from the latest user message on; every event if the visitor has not written yet."""
    turn: List[Event] = []
    for event in reversed(tracker.events):
        turn.append(event)
        if isinstance(event, UserUttered):
            break
    turn.reverse()
    return turn


def action_call_format(self: RemoteAction, tracker: DialogueStateTracker, domain: Any) -> Dict[Text, Any]:
    """``RemoteAction._action_call_format`` with the current turn's events instead of all of them."""
    tracker_state = tracker.current_state(EventVerbosity.NONE)
    tracker_state["events"] = [event.as_dict() for event in turn_events(tracker)]
    result = {
        "next_action": self._name,
        "sender_id": tracker.sender_id,
        "tracker": tracker_state,
        "version": rasa.__version__,
    }
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(self.name()):
        result["domain"] = domain.as_dict()
    return result


def install() -> None:
    """Idempotent: the stock method is replaced once."""
    if RemoteAction._action_call_format is _STOCK:
        RemoteAction._action_call_format = action_call_format


__all__ = ["action_call_format", "install", "turn_events"]
