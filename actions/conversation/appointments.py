"""Checking, moving and cancelling a booking by its reference (issue 5, step 6).

``appointment_form`` asks for the booking reference and the phone number or e-mail address on file
(both custom-mapped and checked by :class:`ValidateAppointmentForm`); as soon as both are there the
booking service checks that they belong together. A wrong reference and wrong contact details get the
same reply, so nobody learns whether a reference exists; after three misses the form stops.

What happens next depends on ``appointment_request`` (set from the intents check_appointment,
reschedule_appointment, cancel_appointment):

* check: ``action_appointment`` says when and what;
* reschedule: the form also asks ``appointment_new_slot`` with the same offers and choices as a new
  booking (actions.conversation.booking), and moves the appointment as soon as a time is picked;
* cancel: the form also asks ``appointment_cancel_confirm``: a cancellation cannot be undone and the
  time may be booked by someone else a minute later, and "cancel" is easily misread (``stop`` vs
  ``cancel_appointment``), so one more tap is worth it; ``action_appointment`` then cancels.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction

from actions.booking.models import ACTIVE_STATUSES, HELD
from actions.booking.results import ErrorCode, Result, failure
from actions.booking.service import BookingService
from actions.booking.views import AppointmentView, BookingView, slot_key
from actions.conversation import services
from actions.conversation.base import (
    ConversationAction,
    Guarded,
    activating,
    answered_now,
    booking_call,
    error_text,
    human_button,
    latest,
    payload,
    phone_region,
    reply_to,
    typed,
)
from actions.conversation.red_flags import RedFlagFirst
from actions.conversation.texts import say
from actions.conversation.times import OFFERED_SLOT, SEARCH_SLOT, choice_candidate, interpret_choice, offer_times
from actions.intake_answers import looks_like_contact, parse_contact, parse_reference
from actions.intake_answers.replies import CONTACT, REFERENCE, STOP

log = logging.getLogger(__name__)

FORM = "appointment_form"
REFERENCE_SLOT = "appointment_reference"
CONTACT_SLOT = "appointment_contact"
NEW_SLOT = "appointment_new_slot"
CANCEL_SLOT = "appointment_cancel_confirm"
REQUEST_SLOT = "appointment_request"
FAILURES_SLOT = "appointment_failures"
PROBLEM_SLOT = "appointment_problem"
FORM_SLOTS = (REFERENCE_SLOT, CONTACT_SLOT, NEW_SLOT, CANCEL_SLOT)
# Cleared when the form starts and after action_appointment; the failure count stays for the conversation.
FRESH_START_SLOTS = FORM_SLOTS + (PROBLEM_SLOT, OFFERED_SLOT, SEARCH_SLOT)
CHECK, RESCHEDULE, CANCEL = "check", "reschedule", "cancel"
REQUESTS = (CHECK, RESCHEDULE, CANCEL)
MAX_FAILURES = 3
TOO_MANY = "too_many_attempts"
NOTHING_TO_CHANGE = "nothing_to_change"
# A reference or contact detail that parses is the answer whatever the intent (actions.intake_answers.
# replies); a reply whose words decide nothing is taken as an attempt (to be checked and asked again)
# when it comes with one of these intents (a reference typed alone, "KD7P2QXM", is often too unlike any
# sentence for the NLU to be confident: nlu_fallback).
ANSWER_INTENTS = frozenset(
    {"inform", "check_appointment", "reschedule_appointment", "cancel_appointment", "nlu_fallback"}
)
# "Cancel it" is what this form is for, not a wish to leave it: the classifier tells the two apart.
ATTEMPT_DESPITE = (None, STOP)
MISMATCH_CODES = (
    ErrorCode.NOT_FOUND,
    ErrorCode.CONTACT_MISMATCH,
    ErrorCode.INVALID_REFERENCE,
    ErrorCode.INVALID_PHONE,
    ErrorCode.INVALID_EMAIL,
    ErrorCode.CONTACT_REQUIRED,
)
TEXTS = "appointments"


def text(key: str, **extra: Any) -> str:
    return say(TEXTS, key, **extra)


def request_of(tracker: Tracker) -> str:
    value = tracker.get_slot(REQUEST_SLOT)
    return value if value in REQUESTS else CHECK


def failures_of(tracker: Tracker) -> int:
    value = tracker.get_slot(FAILURES_SLOT)
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else 0


def is_series(view: BookingView) -> bool:
    return view.reference != view.appointments[0].reference


def status_text(status: str) -> str:
    return (
        text(f"status_{status}") if status in ACTIVE_STATUSES + ("cancelled", "completed", "no_show", "mixed") else ""
    )


def session_status(status: str) -> str:
    return text(f"session_{status}") if status in ACTIVE_STATUSES + ("cancelled", "completed", "no_show") else status


def session_lines(view: BookingView) -> str:
    return "\n" + "\n".join(
        text("course_session", when=a.label, reference=a.reference, status=session_status(a.status))
        for a in view.appointments
    )


def changeable(appointment: AppointmentView) -> bool:
    return (
        appointment.status in ACTIVE_STATUSES and appointment.status != HELD and appointment.start > services.utc_now()
    )


def problem_text(problem: str) -> str:
    if problem in (TOO_MANY, NOTHING_TO_CHANGE):
        return text(problem)
    try:
        code = ErrorCode(problem)
    except ValueError:
        code = ErrorCode.DATABASE_UNAVAILABLE
    return error_text(failure(code), TEXTS)


async def find(tracker: Tracker) -> Result:
    return await booking_call(
        BookingService.find_booking, tracker.get_slot(REFERENCE_SLOT), contact=tracker.get_slot(CONTACT_SLOT)
    )


class ValidateAppointmentForm(RedFlagFirst, FormValidationAction):
    """Reference and contact (checked together against the booking), then a new time or a yes to cancel."""

    def name(self) -> str:
        return "validate_appointment_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        starting = activating(tracker, FORM)
        try:
            events = await super().run(dispatcher, tracker, domain)
        except Exception:
            log.exception("validate_appointment_form failed")
            dispatcher.utter_message(text=say("booking", "error_unexpected"), buttons=[human_button()])
            requested = tracker.get_slot(REQUESTED_SLOT)
            return [SlotSet(requested, None)] if requested in FORM_SLOTS else []
        if starting:
            already = {e.get("name") for e in events if e.get("event") == "slot"}
            events = [SlotSet(name, None) for name in FRESH_START_SLOTS if name not in already] + events
        return events

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[str]:
        if failures_of(tracker) >= MAX_FAILURES:
            return []
        if tracker.get_slot(PROBLEM_SLOT) and not activating(tracker, FORM):
            return []
        wanted = [REFERENCE_SLOT, CONTACT_SLOT]
        request = request_of(tracker)
        if request == RESCHEDULE:
            wanted.append(NEW_SLOT)
        elif request == CANCEL:
            wanted.append(CANCEL_SLOT)
        return [slot for slot in wanted if slot in domain_slots]

    # --- extraction ---

    def _fresh(self, tracker: Tracker) -> bool:
        return activating(tracker, FORM) or answered_now(tracker, FORM)

    async def extract_appointment_reference(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if not self._fresh(tracker):
            return {}
        message = typed(tracker)
        if not message:
            return {}
        reply = reply_to(tracker, REFERENCE)
        if reply.answer is not None:
            return {REFERENCE_SLOT: message}
        asked = tracker.get_slot(REQUESTED_SLOT) == REFERENCE_SLOT and not activating(tracker, FORM)
        if (
            asked
            and reply.other in ATTEMPT_DESPITE
            and latest(tracker)[0] in ANSWER_INTENTS
            and not parse_contact(message, phone_region())
        ):
            return {REFERENCE_SLOT: message}
        return {}

    async def extract_appointment_contact(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if not self._fresh(tracker):
            return {}
        message = typed(tracker)
        if not message:
            return {}
        reply = reply_to(tracker, CONTACT)
        if reply.answer is not None:
            return {CONTACT_SLOT: message}
        asked = tracker.get_slot(REQUESTED_SLOT) == CONTACT_SLOT and not activating(tracker, FORM)
        if (
            asked
            and reply.other in ATTEMPT_DESPITE
            and (latest(tracker)[0] in ANSWER_INTENTS or looks_like_contact(message))
        ):
            return {CONTACT_SLOT: message}
        return {}

    async def extract_appointment_new_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if tracker.get_slot(REQUESTED_SLOT) != NEW_SLOT:
            return {}
        return choice_candidate(tracker, FORM, NEW_SLOT)

    async def extract_appointment_cancel_confirm(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if (
            tracker.get_slot(REQUESTED_SLOT) != CANCEL_SLOT
            or not answered_now(tracker, FORM)
            or activating(tracker, FORM)
        ):
            return {}
        intent = latest(tracker)[0]
        if intent in ("affirm", "cancel_appointment"):
            return {CANCEL_SLOT: True}
        if intent == "deny":
            return {CANCEL_SLOT: False}
        return {}

    # --- validation ---

    @staticmethod
    def _stale(value: Any, tracker: Tracker) -> bool:
        """At activation, a value left from an earlier request rather than read from this message."""
        return activating(tracker, FORM) and value != typed(tracker)

    async def validate_appointment_reference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if value is None or self._stale(value, tracker):
            return {REFERENCE_SLOT: None}
        reference = parse_reference(str(value))
        if reference is None:
            dispatcher.utter_message(text=text("reference_again"))
            return {REFERENCE_SLOT: None}
        contact = tracker.get_slot(CONTACT_SLOT)
        if CONTACT_SLOT in tracker.slots_to_validate() or not contact:
            return {REFERENCE_SLOT: reference}  # the contact's validation checks the pair
        return await self._verify(reference, str(contact), dispatcher, tracker)

    async def validate_appointment_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if value is None or self._stale(value, tracker):
            return {CONTACT_SLOT: None}
        contact = parse_contact(str(value), phone_region())
        if contact is None:
            dispatcher.utter_message(text=text("contact_again"))
            return {CONTACT_SLOT: None}
        reference = tracker.get_slot(REFERENCE_SLOT)
        if not reference:
            return {CONTACT_SLOT: contact}
        return await self._verify(str(reference), contact, dispatcher, tracker)

    async def _verify(
        self, reference: str, contact: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        result = await booking_call(BookingService.find_booking, reference, contact=contact)
        if result.ok:
            view: BookingView = result.unwrap()
            request = request_of(tracker)
            if request == RESCHEDULE and is_series(view):
                dispatcher.utter_message(text=text("pick_session", sessions=session_lines(view)))
                return {REFERENCE_SLOT: None, CONTACT_SLOT: contact}
            if request in (RESCHEDULE, CANCEL) and not any(changeable(a) for a in view.appointments):
                return {REFERENCE_SLOT: reference, CONTACT_SLOT: contact, PROBLEM_SLOT: NOTHING_TO_CHANGE}
            return {REFERENCE_SLOT: reference, CONTACT_SLOT: contact}
        if result.error_code in MISMATCH_CODES:
            failures = failures_of(tracker) + 1
            if failures >= MAX_FAILURES:
                return {
                    REFERENCE_SLOT: None,
                    CONTACT_SLOT: None,
                    FAILURES_SLOT: float(failures),
                    PROBLEM_SLOT: TOO_MANY,
                }
            dispatcher.utter_message(text=text("not_found"))
            return {REFERENCE_SLOT: None, CONTACT_SLOT: None, FAILURES_SLOT: float(failures)}
        code = result.error_code or ErrorCode.DATABASE_UNAVAILABLE
        return {REFERENCE_SLOT: reference, CONTACT_SLOT: contact, PROBLEM_SLOT: code.value}

    async def validate_appointment_new_slot(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if value is None or activating(tracker, FORM):
            return {NEW_SLOT: None}
        choice = interpret_choice(value, tracker)
        if choice.kind == "search" and choice.search is not None:
            return {NEW_SLOT: None, SEARCH_SLOT: choice.search.to_slot()}
        if choice.kind != "key" or not choice.key:
            dispatcher.utter_message(
                text=say("booking", "not_offered" if choice.kind == "not_offered" else "unclear_time")
            )
            return {NEW_SLOT: None}
        reference, contact = tracker.get_slot(REFERENCE_SLOT), tracker.get_slot(CONTACT_SLOT)
        result = await booking_call(BookingService.reschedule, reference, contact, choice.key)
        if result.ok:
            return {NEW_SLOT: choice.key}
        if result.error_code in (ErrorCode.NOT_FOUND, ErrorCode.CONTACT_MISMATCH, ErrorCode.INVALID_STATE):
            return {NEW_SLOT: None, PROBLEM_SLOT: NOTHING_TO_CHANGE}
        dispatcher.utter_message(text=error_text(result))
        return {NEW_SLOT: None}

    async def validate_appointment_cancel_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if activating(tracker, FORM) or not isinstance(value, bool):
            return {CANCEL_SLOT: None}
        return {CANCEL_SLOT: value}


class ActionAskAppointmentReference(Guarded, ConversationAction):
    speaks_during_handoff = False

    def name(self) -> str:
        return "action_ask_appointment_reference"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=text("ask_reference"))
        return []


class ActionAskAppointmentContact(Guarded, ConversationAction):
    speaks_during_handoff = False

    def name(self) -> str:
        return "action_ask_appointment_contact"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=text("ask_contact"))
        return []


class ActionAskAppointmentNewSlot(Guarded, ConversationAction):
    """Free times for the same treatment, the current time left out."""

    speaks_during_handoff = False

    def name(self) -> str:
        return "action_ask_appointment_new_slot"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        result = await find(tracker)
        if not result.ok:
            dispatcher.utter_message(
                text=error_text(result, TEXTS),
                buttons=[
                    {"title": say("booking", "button_try_again"), "payload": payload("request_other_times")},
                    human_button(),
                ],
            )
            return [SlotSet(OFFERED_SLOT, [])]
        current = result.unwrap().appointments[0]
        intro = text("offers_intro", when=current.label)
        now_key = slot_key(current.treatment, current.practitioner, current.start)
        return await offer_times(dispatcher, tracker, current.treatment, None, intro, exclude=[now_key])


class ActionAskAppointmentCancelConfirm(Guarded, ConversationAction):
    speaks_during_handoff = False

    def name(self) -> str:
        return "action_ask_appointment_cancel_confirm"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        result = await find(tracker)
        buttons = [
            {"title": text("button_cancel_yes"), "payload": payload("affirm")},
            {"title": text("button_cancel_no"), "payload": payload("deny")},
        ]
        if not result.ok:
            dispatcher.utter_message(text=text("ask_cancel", when=tracker.get_slot(REFERENCE_SLOT)), buttons=buttons)
            return []
        view: BookingView = result.unwrap()
        if is_series(view):
            remaining = BookingView(view.reference, tuple(a for a in view.appointments if changeable(a)))
            message = text("ask_cancel_course", sessions=session_lines(remaining))
        else:
            message = text("ask_cancel", when=view.appointments[0].label)
        dispatcher.utter_message(text=message, buttons=buttons)
        return []


class ActionAppointment(Guarded, ConversationAction):
    """After appointment_form: says when and what, cancels, or confirms the move; or why it can't."""

    speaks_during_handoff = False

    def name(self) -> str:
        return "action_appointment"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        resets = [SlotSet(name, None) for name in FRESH_START_SLOTS + (REQUEST_SLOT,)]
        if failures_of(tracker) >= MAX_FAILURES:
            dispatcher.utter_message(text=text(TOO_MANY), buttons=[human_button()])
            return resets
        problem = tracker.get_slot(PROBLEM_SLOT)
        if problem:
            dispatcher.utter_message(text=problem_text(str(problem)), buttons=[human_button()])
            return resets
        reference, contact = tracker.get_slot(REFERENCE_SLOT), tracker.get_slot(CONTACT_SLOT)
        if not reference or not contact:
            dispatcher.utter_message(text=text("not_found"))
            return resets
        request = request_of(tracker)
        if request == CANCEL:
            await self._cancel(dispatcher, tracker, reference, contact)
        elif request == RESCHEDULE:
            await self._rescheduled(dispatcher, tracker)
        else:
            await self._check(dispatcher, tracker)
        return resets

    async def _check(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        result = await find(tracker)
        if not result.ok:
            dispatcher.utter_message(text=self._failure_text(result))
            return
        view: BookingView = result.unwrap()
        if is_series(view):
            dispatcher.utter_message(text=text("check_course", reference=view.reference, sessions=session_lines(view)))
            return
        appointment = view.appointments[0]
        status = status_text(appointment.status)
        dispatcher.utter_message(
            text=" ".join(filter(None, [text("check", reference=view.reference, when=appointment.label), status]))
        )

    async def _cancel(self, dispatcher: CollectingDispatcher, tracker: Tracker, reference: str, contact: str) -> None:
        if tracker.get_slot(CANCEL_SLOT) is not True:
            dispatcher.utter_message(text=text("kept"))
            return
        result = await booking_call(BookingService.cancel, reference, contact)
        if not result.ok:
            dispatcher.utter_message(text=self._failure_text(result))
            return
        view: BookingView = result.unwrap()
        if is_series(view):
            dispatcher.utter_message(text=text("cancelled_course"))
        else:
            dispatcher.utter_message(text=text("cancelled", when=view.appointments[0].label))

    async def _rescheduled(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        if not tracker.get_slot(NEW_SLOT):
            dispatcher.utter_message(text=text("kept"))
            return
        result = await find(tracker)
        if not result.ok:
            dispatcher.utter_message(text=self._failure_text(result))
            return
        appointment = result.unwrap().appointments[0]
        dispatcher.utter_message(text=text("rescheduled", when=appointment.label, reference=appointment.reference))

    @staticmethod
    def _failure_text(result: Result) -> str:
        if result.error_code in MISMATCH_CODES:
            return text("not_found")
        if result.error_code == ErrorCode.INVALID_STATE:
            return text(NOTHING_TO_CHANGE)
        return error_text(result, TEXTS)
