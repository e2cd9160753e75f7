"""What the booking form says (actions.conversation.booking holds what can be booked and reads the
answers): the free times, the questions for a name and a contact, the summary to confirm, and the result.
Texts: actions/content/journey.yml, section ``booking``.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking.models import PENDING_CLINICAL_REVIEW
from actions.booking.service import BookingService
from actions.booking.views import BookingView
from actions.conversation.base import ConversationAction, Guarded, booking_call, human_button, payload
from actions.conversation.booking import (
    BOOKING_SLOT,
    CONFIRM_SLOT,
    CONTACT_SLOT,
    FRESH_START_SLOTS,
    NAME_SLOT,
    REFERENCE_SLOT,
    Target,
    booking_target,
    offered_course,
    text,
)
from actions.conversation.services import clinic
from actions.conversation.times import (
    COURSE,
    OFFERED_SLOT,
    SINGLE,
    SLOT_CHOICE_ENTITY,
    appointment_when,
    offer_times,
    session_labels,
    when_text,
)
from actions.intake_answers import first_name

# --- describing what is booked -------------------------------------------------------------------------


def price_text(treatment: str, sessions: int) -> str:
    price = clinic().price_text(treatment)
    if price is None:
        return text("price_unknown")
    if sessions <= 1:
        return price
    return text("price_course", price=price, total=clinic().price_text(treatment, sessions), sessions=sessions)


class ActionAskBookingSlot(Guarded, ConversationAction):
    """Offers the next free times (or courses) for the treatment, or those matching the visitor's day."""

    speaks_during_handoff = False

    def name(self) -> str:
        return "action_ask_booking_slot"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        target = booking_target(tracker)
        if target.problem:
            dispatcher.utter_message(text=target.problem, buttons=[human_button()])
            return [SlotSet(OFFERED_SLOT, [])]
        name = target.treatment_name
        if target.course is not None:
            intro = text(
                "course_intro",
                treatment=name,
                sessions=target.course.sessions,
                interval="–".join(map(str, sorted(set(target.course.interval_weeks)))),
            )
            plan_button = {"title": text("button_single"), "payload": payload("inform", {SLOT_CHOICE_ENTITY: SINGLE})}
        else:
            intro = text("offers_intro_review" if target.needs_review else "offers_intro", treatment=name)
            plan_button = None
            if offered_course(tracker) is not None:
                plan_button = {
                    "title": text("button_course"),
                    "payload": payload("inform", {SLOT_CHOICE_ENTITY: COURSE}),
                }
        treatment = target.treatment or ""  # set whenever there is no problem
        return await offer_times(dispatcher, tracker, treatment, target.course, intro, plan_button=plan_button)


class ActionAskContactName(Guarded, ConversationAction):
    speaks_during_handoff = False

    def name(self) -> str:
        return "action_ask_contact_name"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=text("ask_name"))
        return []


class ActionAskContactDetail(Guarded, ConversationAction):
    speaks_during_handoff = False

    def name(self) -> str:
        return "action_ask_contact_detail"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        name = tracker.get_slot(NAME_SLOT)
        called = first_name(str(name or "")).strip()
        dispatcher.utter_message(text=text("ask_contact", first_name=called) if called else text("ask_contact_unnamed"))
        return []


def summary_text(tracker: Tracker, target: Target) -> str:
    key = str(tracker.get_slot(BOOKING_SLOT) or "")
    labels = session_labels(key)
    when = (
        when_text(labels)
        if len(labels) == 1
        else text("course_when", sessions=len(labels), when=when_text(labels, "   "))
    )
    lines = [
        text(
            "summary",
            treatment=target.treatment_name,
            when=when,
            price=price_text(target.treatment or "", len(labels)),
            name=tracker.get_slot(NAME_SLOT) or "",
            contact_detail=tracker.get_slot(CONTACT_SLOT) or "",
        )
    ]
    if target.needs_review:
        lines.append(text("summary_review"))
    lines.append(text("summary_consent_health" if target.consultation is not None else "summary_consent"))
    return "\n\n".join(lines)


class ActionAskBookingConfirm(Guarded, ConversationAction):
    """The summary (treatment, time, practitioner, price, name, contact) with Confirm / Change."""

    speaks_during_handoff = False

    def name(self) -> str:
        return "action_ask_booking_confirm"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        target = booking_target(tracker)
        buttons = [
            {"title": text("button_confirm"), "payload": payload("affirm")},
            {"title": text("button_change"), "payload": payload("deny")},
        ]
        dispatcher.utter_message(text=summary_text(tracker, target), buttons=buttons)
        return []


class ActionBookingDone(Guarded, ConversationAction):
    """After the form: the reference, what happens next, and how to change or cancel; or why nothing
    could be booked. Clears the form's slots so that a second booking starts afresh."""

    speaks_during_handoff = False

    def name(self) -> str:
        return "action_booking_done"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        reference = tracker.get_slot(REFERENCE_SLOT)
        resets = [SlotSet(name, None) for name in FRESH_START_SLOTS]
        if tracker.get_slot(CONFIRM_SLOT) is not True or not reference:
            target = booking_target(tracker)
            dispatcher.utter_message(text=target.problem or text("not_booked"), buttons=[human_button()])
            return resets
        result = await booking_call(BookingService.find_booking, reference, sender_id=tracker.sender_id)
        contact = tracker.get_slot(CONTACT_SLOT) or ""
        if not result.ok:
            dispatcher.utter_message(text=text("done_reference_only", reference=reference))
        else:
            view: BookingView = result.unwrap()
            labels = [appointment_when(a.start, a.practitioner_name) for a in view.appointments]
            treatment = view.appointments[0].treatment_name
            if view.status == PENDING_CLINICAL_REVIEW:
                key = "done_pending"
            elif len(labels) > 1:
                key = "done_course"
            else:
                key = "done_confirmed"
            dispatcher.utter_message(
                text=text(
                    key,
                    reference=view.reference,
                    treatment=treatment,
                    when=when_text(labels),
                    sessions=len(labels),
                    contact_detail=contact,
                )
            )
        dispatcher.utter_message(text=text("manage", reference=reference))
        return resets
