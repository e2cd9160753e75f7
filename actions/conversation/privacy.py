"""'What do you store about me?' and 'delete my data' in the chat (the backend's forget-a-person)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking.privacy import forget_person
from actions.conversation.base import ConversationAction, load_answers
from actions.conversation.services import off_loop
from actions.conversation.texts import say

logger = logging.getLogger(__name__)
# Rasa writes this turn's events to the tracker store after the action returns, so the conversation's
# events are deleted once more shortly afterwards; otherwise that write would bring them back.
TRACKER_SECOND_PASS_SECONDS = 3.0


def forget_conversation(sender_id: str):
    return forget_person(sender_id=sender_id)


class ActionDataStored(ConversationAction):
    speaks_during_handoff = True  # a visitor's data is theirs to see and erase at any time

    def name(self) -> str:
        return "action_data_stored"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        lines = [say("privacy", "what_we_store")]
        answers = load_answers(tracker)
        if answers.asked():
            lines.append(say("privacy", "your_answers", summary=answers.summary()))
        if tracker.get_slot("booking_reference"):
            lines.append(say("privacy", "your_booking", reference=tracker.get_slot("booking_reference")))
        dispatcher.utter_message(
            text="\n".join(lines), buttons=[{"title": say("privacy", "delete_button"), "payload": "/delete_data"}]
        )
        return []


class ActionConfirmForget(ConversationAction):
    speaks_during_handoff = True  # a visitor's data is theirs to see and erase at any time

    def name(self) -> str:
        return "action_confirm_forget"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        dispatcher.utter_message(
            text=say("privacy", "confirm_delete"),
            buttons=[
                {"title": say("privacy", "confirm_button"), "payload": "/affirm"},
                {"title": say("privacy", "keep_button"), "payload": "/deny"},
            ],
        )
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("forget_pending", True)]


class ActionKeepData(ConversationAction):
    speaks_during_handoff = True  # a visitor's data is theirs to see and erase at any time

    def name(self) -> str:
        return "action_keep_data"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        dispatcher.utter_message(text=say("privacy", "kept"))
        return [SlotSet("forget_pending", False)]


class ActionForgetMe(ConversationAction):
    speaks_during_handoff = True  # a visitor's data is theirs to see and erase at any time

    def name(self) -> str:
        return "action_forget_me"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        result = await off_loop(forget_conversation, tracker.sender_id)
        if not result.ok and result.error_code != "not_found":
            logger.warning("forget in chat failed: %s", result.error_code)
            dispatcher.utter_message(text=say("privacy", "delete_failed"))
            return [SlotSet("forget_pending", False)]
        timer = threading.Timer(TRACKER_SECOND_PASS_SECONDS, forget_conversation, args=(tracker.sender_id,))
        timer.daemon = True
        timer.start()
        dispatcher.utter_message(text=say("privacy", "deleted"))
        return [Restarted()]
