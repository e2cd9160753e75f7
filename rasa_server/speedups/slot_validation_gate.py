"""Rasa asks the action server to validate slot mappings only for messages that may carry facts.

With ``action_validate_slot_mappings`` in the domain, Rasa 3.6 calls it after every visitor message
(rasa.core.actions.action.ActionExtractSlots._execute_validation_action): it rebuilds the whole
conversation from its events, sends it to the action server and waits. The project's one such action,
``ValidateVolunteeredFacts``, only records facts volunteered outside the consultation form and returns
nothing for every other message: questions, button payloads, turns inside the form. `make bench`'s
profiles showed that call as the largest part of what an FAQ turn costs beyond the starter bot.

This gate asks ``contract.volunteering.may_volunteer_facts`` (the rule the action itself
applies) first; when it says no, the slots Rasa extracted stand as they are, which is exactly what
Rasa makes of the action's empty answer. Installed by the Rasa server's switch (rasa_server/__init__.py).
"""

from __future__ import annotations

from typing import Any, List

from rasa.core.actions.action import ActionExtractSlots
from rasa.shared.core.events import Event, SlotSet

from contract.volunteering import may_volunteer_facts

_STOCK = ActionExtractSlots._execute_validation_action


def message_may_volunteer_facts(tracker: Any) -> bool:
    message = tracker.latest_message
    if message is None:
        return False
    intent = (message.intent or {}).get("name")
    return may_volunteer_facts(intent, message.text, message.entities or [], tracker.active_loop_name)


async def execute_validation_action(
    self: ActionExtractSlots, extraction_events: List[Event], output_channel: Any, nlg: Any, tracker: Any, domain: Any
) -> List[Event]:
    if not message_may_volunteer_facts(tracker):
        return [event for event in extraction_events if isinstance(event, SlotSet)]
    return await _STOCK(self, extraction_events, output_channel, nlg, tracker, domain)


def install() -> None:
    """Idempotent: the stock method is replaced once."""
    if ActionExtractSlots._execute_validation_action is _STOCK:
        ActionExtractSlots._execute_validation_action = execute_validation_action


__all__ = ["execute_validation_action", "install", "message_may_volunteer_facts"]
