"""After a treatment: red-flag triage first (clinical-kb section 6), before anything else."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation.base import ConversationAction, load_answers
from actions.conversation.content import knowledge
from actions.conversation.services import clinic_today
from actions.conversation.texts import journey_texts, say
from actions.screening import decide, triage_reasons
from contract.statuses import SUPPRESSING_TRIAGE


def symptoms_named(tracker: Tracker) -> list[str]:
    named = [e.get("value") for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "symptom"]
    return sorted({s for s in named if isinstance(s, str)})


def resume_form(tracker: Tracker) -> list:
    """After advice that does not end the conversation's flow, the form in progress (booking, questions,
    an appointment) carries on and asks its question again; the rules cannot branch on the triage level."""
    form = (tracker.active_loop or {}).get("name")
    return [FollowupAction(form)] if form else []


def triage_level(tracker: Tracker) -> str | None:
    """The triage level of the symptoms the latest message names (None when it names none)."""
    symptoms = symptoms_named(tracker)
    if not symptoms:
        return None
    return str(decide({"today": clinic_today().isoformat(), "symptoms": symptoms})["triage"])


async def red_flag_first(dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list | None:
    """A message naming a red flag (contact the clinic, see a doctor, emergency) gets triage before
    anything else, whatever the intent classifier made of it: a question ("can I put antibiotic cream on
    it? it's hot and throbbing") or a message it could not place. Returns triage's events, or None when
    there is no red flag and the caller goes on."""
    if triage_level(tracker) not in SUPPRESSING_TRIAGE:
        return None
    return await ActionTriage().respond(dispatcher, tracker, domain)


class ActionTriage(ConversationAction):
    """Never silenced by a handoff: safety advice always goes out. An emergency, see-a-doctor or
    contact-the-clinic level ends the form in progress; after normal-recovery advice it resumes."""

    speaks_during_handoff = True

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
        intake = {"today": clinic_today().isoformat(), "symptoms": symptoms}
        try:
            intake = {**load_answers(tracker).to_intake(clinic_today()), "symptoms": symptoms}
            level = decide(intake)["triage"]
        except ValueError:  # the earlier answers could not be read: triage on the symptoms alone
            intake = {"today": clinic_today().isoformat(), "symptoms": symptoms}
            level = decide(intake)["triage"]
        lines = [say("triage", level)]
        if level in ("contact_clinic", "see_doctor"):
            lines += [f"- {r['text']}" for r in triage_reasons(intake) if r["level"] == level]
        if level in ("normal_recovery", "none"):
            lines.append(knowledge().answer("aftercare").text)
        dispatcher.utter_message(text="\n".join(lines))
        events: list = [SlotSet("triage_level", level)]
        if level in SUPPRESSING_TRIAGE:
            return events + [ActiveLoop(None), SlotSet("requested_slot", None)]
        return events + resume_form(tracker)
