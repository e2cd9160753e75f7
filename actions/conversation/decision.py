"""The screening result in plain words, the suggested plan, and the way into booking.

The decision is the screening engine's (actions.screening.decide, the same function as the CLI); this
module only words it with the clinic's texts (journey.yml `decision:`) and offers the next steps.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation.base import ConversationAction, load_answers
from actions.conversation.services import clinic, clinic_today
from actions.conversation.texts import say
from actions.screening import MODALITIES, decide, triage_reasons
from actions.screening.evaluate import UNKNOWN_RULE
from contract.statuses import BOOKABLE_STATUSES, SUPPRESSING_TRIAGE

CONSULTATION = "consultation"
MAX_REASONS = 5
WAIT_OR_NO = ("defer", "exclude")


def treatment_name(treatment_id: str) -> str:
    """A catalogue treatment's name; for a modality, the name of its treatment of the same id, else of
    its first treatment in the catalogue."""
    catalogue = clinic()
    treatment = catalogue.treatments.get(treatment_id) or next(iter(catalogue.treatments_of(treatment_id)), None)
    return treatment.name if treatment else treatment_id.replace("_", " ")


def treatments_for(modality: str) -> list[str]:
    """The catalogue's treatments of a modality (clinic.yml order)."""
    return [t.id for t in clinic().treatments_of(modality)]


def names(ids: list[str]) -> str:
    return ", ".join(treatment_name(i) for i in ids)


def long_date(day: str) -> str:
    value = date.fromisoformat(day)
    return f"{value.day} {value:%B %Y}"


def current_decision(tracker: Tracker) -> dict:
    """The engine's decision for everything the visitor has told us so far."""
    answers = load_answers(tracker)
    return decide(answers.to_intake(clinic_today()), clinic=clinic(), open_questions=answers.open_questions())


def bookable_treatments(decision: dict | None) -> list[str]:
    """Catalogue treatments the visitor may book directly (their modality's status allows it): only when
    the engine's next step is a treatment."""
    if not decision or decision.get("next_step") != "book_treatment":
        return []
    return [
        t.id
        for t in clinic().treatments.values()
        if t.modality is not None and decision["modalities"][t.modality]["status"] in BOOKABLE_STATUSES
    ]


def describe_statuses(decision: dict) -> list[str]:
    """What is possible now, what must wait (and until when), what a clinician must see first."""
    groups: dict[str, list[str]] = {}
    for modality in MODALITIES:
        groups.setdefault(decision["modalities"][modality]["status"], []).append(modality)
    lines = []
    possible = groups.get("proceed", []) + groups.get("caution", [])
    if possible:
        lines.append(say("decision", "possible", treatments=names(possible)))
    if groups.get("clinician_review"):
        lines.append(say("decision", "clinician_first", treatments=names(groups["clinician_review"])))
    dated = [m for m in groups.get("defer", []) if decision["modalities"][m]["until"]]
    open_ended = [m for m in groups.get("defer", []) if not decision["modalities"][m]["until"]]
    for until in sorted({decision["modalities"][m]["until"] for m in dated}):
        same = [m for m in dated if decision["modalities"][m]["until"] == until]
        lines.append(say("decision", "wait_until", treatments=names(same), date=long_date(until)))
    if open_ended:
        lines.append(say("decision", "wait", treatments=names(open_ended)))
    if groups.get("exclude"):
        lines.append(say("decision", "not_suitable", treatments=names(groups["exclude"])))
    return lines


def reasons(decision: dict) -> list[str]:
    """The rules' own visitor-facing texts behind anything short of 'proceed', each once. A treatment
    that must wait or is not suitable because of what the visitor said does not also list the questions
    still open for it ("we still need to know ..."): they were not asked, as they could not change that,
    and come back at the re-screen."""
    seen: list[str] = []
    for modality in MODALITIES:
        entry = decision["modalities"][modality]
        decided = entry["status"] in WAIT_OR_NO and any(r["rule"] != UNKNOWN_RULE for r in entry["reasons"])
        for reason in entry["reasons"]:
            if decided and reason["rule"] == UNKNOWN_RULE:
                continue
            if reason["text"] not in seen:
                seen.append(reason["text"])
    return seen[:MAX_REASONS]


def in_figures(value: object) -> bool:
    return any(ch.isdigit() for ch in str(value))


def option_text_key(option: dict) -> str:
    """The plan's sentence: a typical course in figures ("3-6" sessions, "4-6" weeks apart), the number
    of sessions with the spacing left to the clinician, or a course the clinician sets altogether."""
    if not in_figures(option["sessions"]):
        return "option_clinician_plan"
    return "option" if in_figures(option["interval_weeks"]) else "option_sessions_only"


def describe_option(option: dict) -> str:
    lines = [
        say(
            "decision",
            option_text_key(option),
            name=treatment_name(option["modality"]),
            sessions=option["sessions"],
            interval=option["interval_weeks"],
            downtime=option["downtime"],
            price=clinic().price_text(option["modality"]) or option["price"],
        )
    ]
    if option.get("why"):
        lines.append(say("decision", "option_why", why=" ".join(option["why"])))
    if option.get("why_not"):
        lines.append(say("decision", "option_why_not", why_not=" ".join(option["why_not"])))
    return "\n".join(lines)


def next_step_buttons(decision: dict) -> list[dict[str, str]]:
    buttons = [
        {
            "title": say("decision", "book_button", name=treatment_name(t)),
            "payload": f'/ask_booking{{"booking_choice": "{t}"}}',
        }
        for m in [o["modality"] for o in decision["recommendation"]][:2]
        for t in treatments_for(m)
    ]
    buttons.append(
        {
            "title": say("decision", "consultation_button"),
            "payload": f'/ask_booking{{"booking_choice": "{CONSULTATION}"}}',
        }
    )
    buttons.append({"title": say("decision", "person_button"), "payload": "/request_human"})
    return buttons


class ActionShowDecision(ConversationAction):
    speaks_during_handoff = False

    def name(self) -> str:
        return "action_show_decision"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if tracker.get_slot("health_consent") is False:
            dispatcher.utter_message(
                text=say("consent", "declined"),
                buttons=[
                    {
                        "title": say("decision", "consultation_button"),
                        "payload": f'/ask_booking{{"booking_choice": "{CONSULTATION}"}}',
                    },
                    {"title": say("decision", "person_button"), "payload": "/request_human"},
                ],
            )
            return [SlotSet("decision", None)]
        answers = load_answers(tracker)
        decision = current_decision(tracker)
        if decision["triage"] in SUPPRESSING_TRIAGE:
            texts = [r["text"] for r in triage_reasons(answers.to_intake(clinic_today()))]
            dispatcher.utter_message(text="\n".join([say("triage", decision["triage"])] + texts))
            return [SlotSet("decision", decision)]
        lines = describe_statuses(decision)
        why = reasons(decision)
        if why:
            lines.append(say("decision", "why") + "\n" + "\n".join(f"- {text}" for text in why))
        dispatcher.utter_message(text="\n".join(lines))
        for option in decision["recommendation"][:2]:
            dispatcher.utter_message(text=describe_option(option))
        closing = "next_treatment" if decision["next_step"] == "book_treatment" else "next_consultation"
        dispatcher.utter_message(
            text=f"{say('decision', closing)} {say('decision', 'disclaimer')}", buttons=next_step_buttons(decision)
        )
        return [SlotSet("decision", decision)]


class ActionStartBooking(ConversationAction):
    """Decides what can be booked: a treatment only when screening allows it, else a consultation.

    Sets ``booking_ready`` (the rules go on to the booking form, or to the screening questions first)
    and ``booking_treatment``. A choice injected with ``/ask_booking{...}`` is checked like any other.
    """

    speaks_during_handoff = False

    def name(self) -> str:
        return "action_start_booking"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        choice = _named_choice(tracker)
        if choice is None and tracker.get_slot("decision") is None and tracker.get_slot("health_consent") is not False:
            dispatcher.utter_message(text=say("decision", "screen_first"))
            return [SlotSet("booking_ready", False), SlotSet("booking_treatment", None)]
        if choice != CONSULTATION and tracker.get_slot("health_consent") is not False:
            decision = current_decision(tracker)
            if decision["triage"] in SUPPRESSING_TRIAGE:
                dispatcher.utter_message(text=say("triage", decision["triage"]))
                return [SlotSet("booking_ready", False), SlotSet("decision", decision)]
            allowed = bookable_treatments(decision)
            if tracker.get_slot("decision") is None and choice not in allowed:
                dispatcher.utter_message(text=say("decision", "screen_first"))
                return [SlotSet("booking_ready", False), SlotSet("booking_treatment", choice)]
            if choice in allowed or (choice is None and allowed):
                recommended = [t for o in decision["recommendation"] for t in treatments_for(o["modality"])]
                treatment = choice or (recommended + allowed)[0]
                return [
                    SlotSet("booking_ready", True),
                    SlotSet("booking_treatment", treatment),
                    SlotSet("decision", decision),
                ]
            dispatcher.utter_message(text=say("decision", "consultation_instead"))
            return [
                SlotSet("booking_ready", True),
                SlotSet("booking_treatment", CONSULTATION),
                SlotSet("decision", decision),
            ]
        return [SlotSet("booking_ready", True), SlotSet("booking_treatment", CONSULTATION)]


def _named_choice(tracker: Tracker) -> str | None:
    """A catalogue treatment (the consultation included), from a button (booking_choice) or the words
    ("book RF microneedling": a modality, read as its first treatment in the catalogue)."""
    catalogue = clinic().treatments
    for entity in tracker.latest_message.get("entities") or []:
        value = entity.get("value")
        if entity.get("entity") not in ("booking_choice", "treatment") or not isinstance(value, str):
            continue
        if value in catalogue:
            return value
        if value in MODALITIES and treatments_for(value):
            return treatments_for(value)[0]
    return None
