"""Red flags first (clinical-kb section 6): a message naming a red flag gets triage before anything
else, in every state and whatever the intent classifier made of it.

The detector is deterministic: the entity ruler's ``symptom`` entities, graded by the screening rules
(``decide(...)["triage"]``). :class:`actions.conversation.base.ConversationAction` runs
:func:`red_flag_first` before every action's own response (also while a person has the conversation),
and :class:`RedFlagFirst` does the same for the forms' validation actions, so a red flag typed as the
answer to a screening, booking or appointment question is never recorded as an answer.

Levels that end the flow in progress (``SUPPRESSING_TRIAGE``: emergency, see a doctor, contact the
clinic) stop the form; an open handoff ticket is marked urgent for the staff. Normal recovery is left to
the triage action itself, after which the flow resumes.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation.content import knowledge
from actions.conversation.services import clinic_today, handoff_desk, off_loop
from actions.conversation.texts import say
from actions.conversation.turn import events_since_user
from actions.intake_answers import Answers, asks_self_treatment, symptoms_in
from actions.screening import decide, triage_reasons
from contract.statuses import SUPPRESSING_TRIAGE

log = logging.getLogger(__name__)

TRIAGE_SLOT = "triage_level"
# True while a person has the conversation (an open handoff ticket).
HANDOFF_SLOT = "handoff_open"


def symptoms_named(tracker: Tracker) -> list[str]:
    """The symptom values the entity ruler found in the latest message, with how long they have lasted
    ("still swollen 5 days after" is not the usual healing)."""
    named = [e.get("value") for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "symptom"]
    found = {s for s in named if isinstance(s, str)}
    return symptoms_in(tracker.latest_message.get("text") or "", found, clinic_today())


def triage_level(tracker: Tracker) -> str | None:
    """The triage level of the symptoms the latest message names (None when it names none)."""
    symptoms = symptoms_named(tracker)
    if not symptoms:
        return None
    return str(decide({"today": clinic_today().isoformat(), "symptoms": symptoms})["triage"])


def resume_form(tracker: Tracker) -> list[EventType]:
    """After advice that does not end the conversation's flow, the form in progress (booking, questions,
    an appointment) carries on and asks its question again; the rules cannot branch on the triage level."""
    form = (tracker.active_loop or {}).get("name")
    return [FollowupAction(form)] if form else []


def end_form() -> list[EventType]:
    return [ActiveLoop(None), SlotSet("requested_slot", None)]


def triaged_this_turn(tracker: Tracker) -> bool:
    """An action already gave triage advice for the latest message (a form that runs again after it must
    not repeat the advice, nor read the message as an answer)."""
    return any(e.get("event") == "slot" and e.get("name") == TRIAGE_SLOT for e in events_since_user(tracker))


def give_triage(dispatcher: CollectingDispatcher, tracker: Tracker, symptoms: list[str]) -> str:
    """Say the advice for ``symptoms`` (with the visitor's earlier answers, which can raise the level)
    and return the level."""
    intake: dict[str, Any] = {"today": clinic_today().isoformat(), "symptoms": symptoms}
    try:
        answers = Answers.from_dict(tracker.get_slot("answers"))
        intake = {**answers.to_intake(clinic_today()), "symptoms": symptoms}
        level = str(decide(intake)["triage"])
    except ValueError:  # the earlier answers could not be read: triage on the symptoms alone
        intake = {"today": clinic_today().isoformat(), "symptoms": symptoms}
        level = str(decide(intake)["triage"])
    lines = [say("triage", level)]
    if level in ("contact_clinic", "see_doctor"):
        lines += [f"- {r['text']}" for r in triage_reasons(intake) if r["level"] == level]
    if level in SUPPRESSING_TRIAGE and asks_self_treatment(tracker.latest_message.get("text") or ""):
        lines.append(say("triage", "no_self_treatment"))
    if level in ("normal_recovery", "none"):
        lines.append(knowledge().answer("aftercare").text)
    dispatcher.utter_message(text="\n".join(lines))
    return level


async def mark_handoff_urgent(tracker: Tracker, level: str, symptoms: list[str]) -> None:
    """While a person has the conversation, a red flag marks its ticket urgent (and tells the staff)."""
    if not tracker.get_slot(HANDOFF_SLOT):
        return
    result = await off_loop(handoff_desk().mark_urgent, tracker.sender_id, level, ", ".join(symptoms))
    if not result.ok:
        log.error("handoff ticket of %s not marked urgent: %s", tracker.sender_id, result.error_code)


async def red_flag_first(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """When the latest message names a red flag that ends the flow (emergency, see a doctor, contact the
    clinic): the advice, the handoff ticket marked urgent, the form in progress ended. Returns those
    events, or None when there is no such red flag and the caller goes on."""
    if triage_level(tracker) not in SUPPRESSING_TRIAGE:
        return None
    if triaged_this_turn(tracker):
        return end_form()
    symptoms = symptoms_named(tracker)
    level = give_triage(dispatcher, tracker, symptoms)
    if level in SUPPRESSING_TRIAGE:
        await mark_handoff_urgent(tracker, level, symptoms)
    return [SlotSet(TRIAGE_SLOT, level), *end_form()]


class RedFlagFirst:
    """Mixin for a form's validation action (before ``FormValidationAction`` in the bases): a red flag
    typed as the answer to the form's question gets triage and ends the form; the slot the form mapped
    from the message is emptied, so the red flag is never recorded as an answer."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        triaged = await red_flag_first(dispatcher, tracker)
        if triaged is None:
            return await super().run(dispatcher, tracker, domain)  # type: ignore[misc]
        requested = tracker.get_slot("requested_slot")
        return ([SlotSet(requested, None)] if requested else []) + triaged
