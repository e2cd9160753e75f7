"""After a treatment: the triage action (clinical-kb section 6). A red flag in any other message is
caught before that action's own answer (:mod:`actions.conversation.red_flags`)."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation.base import ConversationAction
from actions.conversation.red_flags import (
    TRIAGE_SLOT,
    end_form,
    give_triage,
    mark_handoff_urgent,
    red_flag_first,
    resume_form,
    symptoms_named,
)
from actions.conversation.texts import journey_texts, say
from contract.statuses import SUPPRESSING_TRIAGE


class ActionTriage(ConversationAction):
    """Never silenced by a handoff: safety advice always goes out. An emergency, see-a-doctor or
    contact-the-clinic level ends the form in progress (and marks an open handoff ticket urgent); after
    normal-recovery advice it resumes."""

    speaks_during_handoff = True
    triage_first: ClassVar[bool] = False  # it is the triage

    def name(self) -> str:
        return "action_triage"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        symptoms = symptoms_named(tracker)
        if not symptoms:
            buttons = [
                {"title": title, "payload": "/report_symptoms" + json.dumps({"symptom": value})}
                for value, title in (journey_texts().get("triage_buttons") or {}).items()
            ]
            dispatcher.utter_message(text=say("triage", "ask_what"), buttons=buttons)
            return resume_form(tracker)
        triaged = await red_flag_first(dispatcher, tracker)
        if triaged is not None:
            return triaged
        level = give_triage(dispatcher, tracker, symptoms)
        if level in SUPPRESSING_TRIAGE:  # the earlier answers raised it
            await mark_handoff_urgent(tracker, level, symptoms)
            return [SlotSet(TRIAGE_SLOT, level), *end_form()]
        return [SlotSet(TRIAGE_SLOT, level), *resume_form(tracker)]
