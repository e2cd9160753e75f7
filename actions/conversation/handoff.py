"""A person is always one message away: handoff tickets (staying quiet while one is open is
:class:`actions.conversation.base.ConversationAction`'s part)."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation.base import ConversationAction, load_answers
from actions.conversation.red_flags import HANDOFF_SLOT, TRIAGE_SLOT, red_flag_first
from actions.conversation.services import handoff_desk, off_loop
from actions.conversation.texts import say

logger = logging.getLogger(__name__)


def conversation_summary(tracker: Tracker) -> str:
    """What the person picking up needs: where the visitor is, minimal health data (their answers'
    own summary), no transcript."""
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


class ActionRequestHuman(ConversationAction):
    """Open a handoff ticket with a summary and say when and how a person will answer."""

    speaks_during_handoff = True  # asking again while waiting still gets an answer
    triage_first: ClassVar[bool] = False  # a red flag gets its advice here, and the ticket is urgent

    def name(self) -> str:
        return "action_request_human"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        triaged = await red_flag_first(dispatcher, tracker) or []
        urgency = next((e["value"] for e in triaged if e.get("name") == TRIAGE_SLOT), None)
        channel = tracker.get_latest_input_channel() or "unknown"
        result = await off_loop(
            handoff_desk().open,
            tracker.sender_id,
            channel,
            "visitor asked for a person",
            conversation_summary(tracker),
            urgency=urgency,
        )
        events: list = [*triaged, ActiveLoop(None), SlotSet("requested_slot", None)]
        if not result.ok:
            logger.warning("handoff ticket not opened: %s", result.error_code)
            dispatcher.utter_message(text=say("handoff", "unavailable"))
            return events
        dispatcher.utter_message(text=say("handoff", "opened"))
        return events + [SlotSet(HANDOFF_SLOT, True)]
