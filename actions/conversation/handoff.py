"""A person is always one message away: handoff tickets, and staying quiet while one is open."""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation.services import handoff_desk, off_loop
from actions.conversation.texts import say

logger = logging.getLogger(__name__)


async def handoff_still_open(tracker: Tracker) -> bool:
    """True while a person has this conversation (staff close the ticket to hand it back)."""
    if not tracker.get_slot("handoff_open"):
        return False
    return await off_loop(handoff_desk().is_open, tracker.sender_id)


class ConversationAction(Action, ABC):
    """An action that stays quiet while a person has the conversation.

    Subclasses implement ``respond``. While a handoff ticket is open the visitor is only told that a
    person will answer; once staff close it, the assistant answers again.
    """

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if await handoff_still_open(tracker):
            dispatcher.utter_message(text=say("handoff", "waiting"))
            return []
        events = await self.respond(dispatcher, tracker, domain)
        if tracker.get_slot("handoff_open"):
            events = [SlotSet("handoff_open", False)] + list(events)
        return events

    @abstractmethod
    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        """What the action does when no person has the conversation."""


def conversation_summary(tracker: Tracker) -> str:
    """What the person picking up needs: where the visitor is, minimal health data (their answers'
    own summary), no transcript."""
    from actions.conversation.journey import load_answers

    parts = []
    answers = load_answers(tracker)
    if answers.asked():
        parts.append(answers.summary())
    decision = tracker.get_slot("decision")
    if isinstance(decision, dict) and decision.get("next_step"):
        parts.append(f"Screening next step: {decision['next_step']}.")
    for slot in ("booking_treatment", "hold_reference", "booking_reference"):
        if tracker.get_slot(slot):
            parts.append(f"{slot.replace('_', ' ')}: {tracker.get_slot(slot)}")
    last = (tracker.latest_message or {}).get("intent", {}).get("name")
    if last:
        parts.append(f"Asked for a person (last intent: {last}).")
    return "\n".join(parts)


class ActionRequestHuman(Action):
    """Open a handoff ticket with a summary and say when and how a person will answer."""

    def name(self) -> str:
        return "action_request_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        channel = tracker.get_latest_input_channel() or "unknown"
        result = await off_loop(handoff_desk().open, tracker.sender_id, channel, "visitor asked for a person",
                                conversation_summary(tracker))
        events: list = [ActiveLoop(None), SlotSet("requested_slot", None)]
        if not result.ok:
            logger.warning("handoff ticket not opened: %s", result.error_code)
            dispatcher.utter_message(text=say("handoff", "unavailable"))
            return events
        dispatcher.utter_message(text=say("handoff", "opened"))
        return events + [SlotSet("handoff_open", True)]
