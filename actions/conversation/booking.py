"""Booking in the conversation (issue 5, step 6): free times, hold, contact details, summary, confirm.

``booking_form`` asks for four slots, each extracted and validated by :class:`ValidateBookingForm`
(every slot is custom-mapped, so a value typed as ``/inform{...}`` goes through the same checks):

* ``booking_slot``: the offered time (or course of sessions) the visitor picked. Only keys the
  assistant offered in this conversation (``offered_slots``) are accepted; the choice is held at once
  (``hold_reference``). A day in words ("next tuesday afternoon", "after the 10th") or "later" changes
  the search (``booking_search``) and the times are offered again.
* ``contact_name``, ``contact_detail``: a name, and a phone number or e-mail address.
* ``booking_confirm``: yes confirms the hold (``booking_reference``); no lets the time go and asks
  for another.

What is booked comes from the journey's slots (domain.yml): ``booking_treatment``,
``decision`` and ``answers`` (kept with the booking only when ``health_consent`` is true). A course of
sessions is offered when the decision's recommendation for the treatment has several.

Every database call runs through ``booking_call`` (actions.conversation.base); every refusal becomes
the clinic's words from actions/content/journey.yml (section ``booking``). What the form says (offers,
questions, summary, result) is actions.conversation.booking_prompts; offering times and reading the
choice, shared with rescheduling, actions.conversation.times; the search and the course rules
actions.booking.search; reading names and contact details actions.intake_answers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any, Mapping

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction

from actions.booking.contacts import ContactDetails
from actions.booking.gate import CONSULTATION, ConsultationInput, check_allowed
from actions.booking.results import ErrorCode, Refusal, Result
from actions.booking.search import Course, SlotSearch, course_plan
from actions.booking.service import BookingService
from actions.booking.views import BookingView
from actions.conversation.base import (
    activating,
    answered_now,
    booking_call,
    entity_value,
    error_text,
    human_button,
    latest,
    phone_region,
    reply_to,
    typed,
)
from actions.conversation.red_flags import RedFlagFirst
from actions.conversation.services import clinic, clinic_today
from actions.conversation.texts import say
from actions.conversation.times import (
    OFFERED_SLOT,
    OTHER_TIMES_INTENT,
    SEARCH_SLOT,
    SINGLE,
    SLOT_CHOICE_ENTITY,
    choice_candidate,
    interpret_choice,
    session_labels,
    when_text,
)
from actions.intake_answers import (
    Answers,
    looks_like_contact,
    name_answer,
    parse_contact,
    parse_day_request,
    parse_phone,
)
from actions.intake_answers.replies import CONTACT, NAME

log = logging.getLogger(__name__)

FORM = "booking_form"
BOOKING_SLOT = "booking_slot"
NAME_SLOT = "contact_name"
CONTACT_SLOT = "contact_detail"
CONFIRM_SLOT = "booking_confirm"
FORM_SLOTS = (BOOKING_SLOT, NAME_SLOT, CONTACT_SLOT, CONFIRM_SLOT)
PLAN_SLOT = "booking_plan"
HOLD_SLOT = "hold_reference"
REFERENCE_SLOT = "booking_reference"
# A fresh booking starts without anything left over from an earlier, abandoned one.
FRESH_START_SLOTS = FORM_SLOTS + (OFFERED_SLOT, SEARCH_SLOT, PLAN_SLOT, HOLD_SLOT)
TEXTS = "booking"


def text(key: str, **extra: Any) -> str:
    return say(TEXTS, key, **extra)


# --- what is being booked ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What this conversation can book now, or the reason it cannot (``problem``, a visitor text)."""

    treatment: str | None = None
    consultation: ConsultationInput | None = None
    course: Course | None = None
    needs_review: bool = False
    problem: str | None = None

    @property
    def treatment_name(self) -> str:
        entry = clinic().treatments.get(self.treatment or "")
        return entry.name if entry else ""

    @property
    def consent(self) -> list[str]:
        return ["booking", "health_data"] if self.consultation is not None else ["booking"]


def consultation_input(tracker: Tracker) -> ConsultationInput | None:
    """The screening decision and answers to keep with the booking: only with the visitor's consent."""
    decision = tracker.get_slot("decision")
    if tracker.get_slot("health_consent") is not True or not isinstance(decision, Mapping):
        return None
    try:
        answers = Answers.from_dict(tracker.get_slot("answers")).to_dict()
    except ValueError:
        answers = {}
    return ConsultationInput(
        decision=dict(decision),
        concerns=[str(c) for c in answers.get("concerns") or ()],
        preferences=dict(answers.get("preferences") or {}),
    )


def booking_target(tracker: Tracker) -> Target:
    """``booking_treatment`` checked against clinic.yml and against what the screening decision allows.

    The decision always gates (an emergency triage allows no booking, with or without consent); it is
    only kept with the booking with the visitor's consent, and a treatment needs it kept."""
    treatment = tracker.get_slot("booking_treatment")
    if not isinstance(treatment, str) or treatment not in clinic().treatments:
        return Target(problem=text("no_treatment"))
    decision = tracker.get_slot("decision")
    decision = dict(decision) if isinstance(decision, Mapping) else None
    consultation = consultation_input(tracker)
    modality = clinic().modality_of(treatment)
    try:
        needs_review = check_allowed(treatment, decision, modality=modality)
        if treatment != CONSULTATION and consultation is None:
            raise Refusal(ErrorCode.SCREENING_REQUIRED)
    except Refusal as refusal:
        return Target(treatment=treatment, problem=error_text(refusal.result))
    course = course_plan(decision, modality) if tracker.get_slot(PLAN_SLOT) != SINGLE else None
    return Target(treatment, consultation, course, needs_review and consultation is not None)


def offered_course(tracker: Tracker) -> Course | None:
    """The course the recommendation has for the treatment, whether or not the visitor chose it."""
    decision = tracker.get_slot("decision")
    modality = clinic().modality_of(str(tracker.get_slot("booking_treatment") or ""))
    return course_plan(decision if isinstance(decision, Mapping) else None, modality)


# --- the form ---------------------------------------------------------------------------------------------


async def hold_choice(key: str, tracker: Tracker, target: Target) -> Result:
    channel = tracker.get_latest_input_channel()
    kwargs = {"consultation": target.consultation, "sender_id": tracker.sender_id, "channel": channel}
    if "/" in key:
        return await booking_call(BookingService.hold_series, key, **kwargs)
    return await booking_call(BookingService.hold, key, **kwargs)


# Channels whose sender id is the visitor's own phone number, proven by the provider's signed webhook
# (rasa_server/channels/twilio.py: SMS "+447...", WhatsApp "whatsapp:+447...").
PHONE_SENDER_CHANNELS = {"twilio": "whatsapp:"}


def known_contact(tracker: Tracker) -> dict[str, str | None]:
    """Who the visitor is, as far as this conversation knows: the name and contact detail of an earlier
    booking in it (shown again in the summary to confirm, never asked twice), or on SMS and WhatsApp
    the number they write from."""
    contact = tracker.get_slot(CONTACT_SLOT)
    channel = tracker.get_latest_input_channel()
    if not contact and channel in PHONE_SENDER_CHANNELS:
        contact = parse_phone(tracker.sender_id.removeprefix(PHONE_SENDER_CHANNELS[channel]), phone_region())
    return {NAME_SLOT: tracker.get_slot(NAME_SLOT), CONTACT_SLOT: contact}


class ValidateBookingForm(RedFlagFirst, FormValidationAction):
    """Extracts and checks the booking form's slots; holds the chosen time and confirms the booking."""

    def name(self) -> str:
        return "validate_booking_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        starting = activating(tracker, FORM)
        try:
            events = await super().run(dispatcher, tracker, domain)
        except Exception:
            log.exception("validate_booking_form failed")
            dispatcher.utter_message(text=text("error_unexpected"), buttons=[human_button()])
            requested = tracker.get_slot(REQUESTED_SLOT)
            return [SlotSet(requested, None)] if requested in FORM_SLOTS else []
        if starting:  # a new booking: nothing left over from an abandoned one but who the visitor is
            already = {e.get("name") for e in events if e.get("event") == "slot"}
            known = known_contact(tracker)
            events = (
                [SlotSet(name, None) for name in FRESH_START_SLOTS if name not in already and not known.get(name)]
                + [SlotSet(name, value) for name, value in known.items() if value and name not in already]
                + events
            )
        return events

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[str]:
        # Nothing bookable (unknown treatment, screening says no): the form ends and
        # action_booking_done explains why.
        return [] if booking_target(tracker).problem else domain_slots

    # --- extraction (all four slots are custom-mapped) ---

    async def extract_booking_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if activating(tracker, FORM):  # "book me in for next week": the day is a search, not a choice
            message = typed(tracker)
            if message and not parse_day_request(message, clinic_today()).is_empty():
                return {BOOKING_SLOT: message}
            return {}
        requested = tracker.get_slot(REQUESTED_SLOT)
        if requested in (NAME_SLOT, CONTACT_SLOT, CONFIRM_SLOT) and answered_now(tracker, FORM):
            intent = latest(tracker)[0]
            if (
                intent == OTHER_TIMES_INTENT
                and not entity_value(tracker, SLOT_CHOICE_ENTITY)
                and not self._answers(tracker, requested)
            ):
                return {BOOKING_SLOT: OTHER_TIMES_INTENT}  # "can I have another time?" while giving details
        return choice_candidate(tracker, FORM, BOOKING_SLOT)

    @staticmethod
    def _answers(tracker: Tracker, requested: str) -> bool:
        """The typed message reads as the answer to the name or contact question being asked."""
        expected = {NAME_SLOT: NAME, CONTACT_SLOT: CONTACT}.get(requested)
        return expected is not None and bool(typed(tracker)) and reply_to(tracker, expected).answer is not None

    async def extract_contact_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if (
            tracker.get_slot(REQUESTED_SLOT) != NAME_SLOT
            or activating(tracker, FORM)
            or not answered_now(tracker, FORM)
        ):
            return {}
        message = typed(tracker)
        if not message:
            return {}
        reply = reply_to(tracker, NAME)
        if reply.answer is not None or (reply.undecided and latest(tracker)[0] == "inform"):
            return {NAME_SLOT: message}
        return {}

    async def extract_contact_detail(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        requested = tracker.get_slot(REQUESTED_SLOT)
        if (
            requested not in (NAME_SLOT, CONTACT_SLOT, CONFIRM_SLOT)
            or activating(tracker, FORM)
            or not answered_now(tracker, FORM)
        ):
            return {}
        message = typed(tracker)
        if not message:
            return {}
        reply = reply_to(tracker, CONTACT)
        if reply.answer is not None:
            return {CONTACT_SLOT: message}
        if (
            requested == CONTACT_SLOT
            and reply.undecided
            and (latest(tracker)[0] == "inform" or looks_like_contact(message))
        ):
            return {CONTACT_SLOT: message}
        return {}

    async def extract_booking_confirm(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if (
            tracker.get_slot(REQUESTED_SLOT) != CONFIRM_SLOT
            or activating(tracker, FORM)
            or not answered_now(tracker, FORM)
        ):
            return {}
        intent = latest(tracker)[0]
        if intent == "affirm":
            return {CONFIRM_SLOT: True}
        if intent == "deny":
            return {CONFIRM_SLOT: False}
        return {}

    # --- validation ---

    async def validate_booking_slot(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if activating(tracker, FORM):
            message = typed(tracker)
            if value and value == message:
                search = SlotSearch.from_request(parse_day_request(message, clinic_today()))
                return {BOOKING_SLOT: None, SEARCH_SLOT: search.to_slot()}
            return {BOOKING_SLOT: None}
        if value is None:
            return {BOOKING_SLOT: None}
        if value == OTHER_TIMES_INTENT and tracker.get_slot(REQUESTED_SLOT) != BOOKING_SLOT:
            return await self._let_go(dispatcher, tracker, text("released"))
        choice = interpret_choice(value, tracker, plans=offered_course(tracker) is not None)
        if choice.kind == "key" and choice.key:
            return await self._hold(choice.key, dispatcher, tracker)
        if choice.kind == "plan":
            return {
                BOOKING_SLOT: None,
                PLAN_SLOT: choice.plan,
                SEARCH_SLOT: replace(SlotSearch.from_slot(tracker.get_slot(SEARCH_SLOT)), after=None).to_slot(),
            }
        if choice.kind == "search" and choice.search is not None:
            return {BOOKING_SLOT: None, SEARCH_SLOT: choice.search.to_slot()}
        dispatcher.utter_message(text=text("not_offered" if choice.kind == "not_offered" else "unclear_time"))
        return {BOOKING_SLOT: None}

    async def _hold(self, key: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        target = booking_target(tracker)
        if target.problem:
            dispatcher.utter_message(text=target.problem)
            return {BOOKING_SLOT: None}
        if ("/" in key) != (target.course is not None):
            dispatcher.utter_message(text=text("not_offered"))  # an offer from before the plan changed
            return {BOOKING_SLOT: None}
        result = await hold_choice(key, tracker, target)
        if not result.ok:
            dispatcher.utter_message(text=error_text(result))
            return {BOOKING_SLOT: None, HOLD_SLOT: None}
        view: BookingView = result.unwrap()
        labels = session_labels(key)
        minutes = clinic().booking.hold_minutes
        if len(labels) > 1:
            dispatcher.utter_message(
                text=text("held_course", sessions=len(labels), when=when_text(labels), hold_minutes=minutes)
            )
        else:
            dispatcher.utter_message(text=text("held", when=when_text(labels), hold_minutes=minutes))
        return {BOOKING_SLOT: key, HOLD_SLOT: view.reference, CONFIRM_SLOT: None}

    async def _let_go(self, dispatcher: CollectingDispatcher, tracker: Tracker, message: str) -> dict[str, Any]:
        reference = tracker.get_slot(HOLD_SLOT)
        if isinstance(reference, str) and reference:
            await booking_call(BookingService.release_hold, reference, sender_id=tracker.sender_id)
        dispatcher.utter_message(text=message)
        search = SlotSearch.from_slot(tracker.get_slot(SEARCH_SLOT))
        return {
            BOOKING_SLOT: None,
            HOLD_SLOT: None,
            CONFIRM_SLOT: None,
            SEARCH_SLOT: replace(search, after=None).to_slot(),
        }

    async def validate_contact_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if activating(tracker, FORM) or not isinstance(value, str):
            return {NAME_SLOT: None}
        name = name_answer(value)
        if name is None:
            dispatcher.utter_message(text=text("name_again"))
        return {NAME_SLOT: name}

    async def validate_contact_detail(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if activating(tracker, FORM) or not isinstance(value, str):
            return {CONTACT_SLOT: None}
        contact = parse_contact(value, phone_region())
        if contact is None:
            dispatcher.utter_message(text=text("contact_again"))
            return {CONTACT_SLOT: None}
        if tracker.get_slot(REQUESTED_SLOT) == CONFIRM_SLOT:
            dispatcher.utter_message(text=text("contact_updated", contact_detail=contact))
        return {CONTACT_SLOT: contact}

    async def validate_booking_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if activating(tracker, FORM) or value is None:
            return {CONFIRM_SLOT: None}
        if value is not True:
            return await self._let_go(dispatcher, tracker, text("released"))
        reference = tracker.get_slot(HOLD_SLOT)
        name, contact = tracker.get_slot(NAME_SLOT), tracker.get_slot(CONTACT_SLOT)
        if not reference or not tracker.get_slot(BOOKING_SLOT):
            return {CONFIRM_SLOT: None, BOOKING_SLOT: None, HOLD_SLOT: None}
        target = booking_target(tracker)
        if target.problem:
            dispatcher.utter_message(text=target.problem)
            return {CONFIRM_SLOT: None}
        details = ContactDetails(str(name), **{"email" if "@" in str(contact) else "phone": str(contact)})
        result = await booking_call(
            BookingService.confirm, reference, details, target.consent, sender_id=tracker.sender_id
        )
        if result.ok or result.error_code == ErrorCode.ALREADY_CONFIRMED:
            confirmed = result.unwrap().reference if result.ok else reference
            return {CONFIRM_SLOT: True, REFERENCE_SLOT: confirmed, HOLD_SLOT: None}
        dispatcher.utter_message(text=error_text(result))
        code = result.error_code
        if code == ErrorCode.INVALID_NAME:
            return {CONFIRM_SLOT: None, NAME_SLOT: None}
        if code in (ErrorCode.INVALID_PHONE, ErrorCode.INVALID_EMAIL, ErrorCode.CONTACT_REQUIRED):
            return {CONFIRM_SLOT: None, CONTACT_SLOT: None}
        if code in (ErrorCode.DATABASE_UNAVAILABLE, ErrorCode.CLINIC_NOT_CONFIGURED):
            return {CONFIRM_SLOT: None}  # the hold may still be there: ask again
        return {CONFIRM_SLOT: None, BOOKING_SLOT: None, HOLD_SLOT: None}  # expired or gone: choose again
