"""The booking and manage-by-reference actions, driven like Rasa drives a form, against a real SQLite
database seeded from the real clinic.yml, at a fixed time (Monday 2 March 2026, 08:00 UTC).

``FormDriver`` plays Rasa's part of a form: it builds the tracker the validation action receives
(the user message, the form's ActionExecuted), applies the returned events, picks the next slot the
way Rasa does and runs its ask action. Nothing here calls Rasa itself.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.booking.contacts import ContactDetails
from actions.booking.db import get_engine, session_factory
from actions.booking.gate import ConsultationInput
from actions.booking.models import Appointment, Consent
from actions.booking.search import Course, SlotSearch, course_plan, parse_course_interval
from actions.booking.seed import prepare_database
from actions.booking.views import parse_series_key, parse_slot_key, slot_key
from actions.conversation import services
from actions.conversation.appointments import (
    ActionAppointment,
    ActionAskAppointmentCancelConfirm,
    ActionAskAppointmentContact,
    ActionAskAppointmentNewSlot,
    ActionAskAppointmentReference,
    ValidateAppointmentForm,
)
from actions.conversation.booking import ValidateBookingForm
from actions.conversation.booking_prompts import (
    ActionAskBookingConfirm,
    ActionAskBookingSlot,
    ActionAskContactDetail,
    ActionAskContactName,
    ActionBookingDone,
)
from actions.conversation.services import reset_services
from actions.conversation.texts import say
from actions.conversation.times import pick_offered
from actions.intake_answers import Answers
from actions.screening import decide

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)  # a Monday; London is on GMT
LONDON = ZoneInfo("Europe/London")
TODAY = NOW.date()

BOOKING_SLOTS = ["booking_slot", "contact_name", "contact_detail", "booking_confirm"]
APPOINTMENT_SLOTS = [
    "appointment_reference",
    "appointment_contact",
    "appointment_new_slot",
    "appointment_cancel_confirm",
]
DOMAIN = {
    "forms": {
        "booking_form": {"required_slots": BOOKING_SLOTS},
        "appointment_form": {"required_slots": APPOINTMENT_SLOTS},
    },
    "slots": {},
}

# Real screening decisions from the engine.
SUITABLE = decide(
    {
        "today": TODAY.isoformat(),
        "age": 28,
        "fitzpatrick": 3,
        "concerns": ["acne_scars"],
        "areas": ["face"],
        "pregnant": False,
        "breastfeeding": False,
        "conditions": [],
        "medications": [],
        "recent_procedures": [],
        "preferences": {"downtime": "minimal"},
    }
)
NEEDS_CLINICIAN = decide({"today": TODAY.isoformat(), "age": 32, "pregnant": True, "concerns": ["hyperpigmentation"]})
ANSWERS = Answers(concerns=["acne_scars"], preferences={"downtime": "minimal"}).to_dict()


def screened(treatment: str, decision: dict = SUITABLE) -> dict[str, Any]:
    return {
        "booking_treatment": treatment,
        "decision": decision,
        "answers": ANSWERS,
        "health_consent": True,
        "booking_ready": True,
    }


class FakeClock:
    def __init__(self, value: datetime) -> None:
        self.value = value

    def __call__(self) -> datetime:
        return self.value

    def advance(self, **delta: float) -> None:
        self.value += timedelta(**delta)


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    monkeypatch.setenv("CLINIC_DATABASE_URL", url)
    clock = FakeClock(NOW)
    monkeypatch.setattr(services, "utc_now", clock)
    reset_services()
    prepare_database()
    yield SimpleNamespace(clock=clock, factory=session_factory(get_engine(url)))
    reset_services()


def run(action, tracker: Tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, events


def button_payload(key: str) -> str:
    return "/inform" + json.dumps({"slot_choice": key})


class FormDriver:
    """Rasa's side of a form, turn by turn."""

    def __init__(self, form: str, validator, asks: dict, required: list[str], slots: dict, sender: str = "visitor-1"):
        self.form, self.validator, self.asks, self.required = form, validator, asks, required
        self.slots: dict[str, Any] = {"requested_slot": None, **slots}
        self.sender = sender
        self.channel = "rest"
        self.done = False

    def _tracker(
        self, text: str, intent: str | None, entities: list[dict], activating: bool, responded: tuple[str, ...]
    ) -> Tracker:
        latest = {
            "text": text,
            "intent": {"name": intent, "confidence": 0.95} if intent else {},
            "entities": entities,
            "message_id": "m",
        }
        events: list[dict] = [
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": text, "parse_data": latest, "input_channel": self.channel},
        ]
        events += [{"event": "action", "name": name} for name in responded]
        if activating:
            events.append({"event": "active_loop", "name": self.form})
        events.append({"event": "slot", "name": "requested_slot", "value": self.slots["requested_slot"]})
        events.append({"event": "action", "name": self.form})
        return Tracker(self.sender, dict(self.slots), latest, events, False, None, {"name": self.form}, "action_listen")

    def turn(
        self,
        text: str = "",
        intent: str | None = "inform",
        entities: list[dict] | None = None,
        *,
        activating: bool = False,
        responded: tuple[str, ...] = (),
    ) -> SimpleNamespace:
        tracker = self._tracker(text, intent, entities or [], activating, responded)
        messages, events = run(self.validator, tracker)
        slot_events = [e for e in events if e["event"] == "slot"]
        if not activating and not responded and not any(e["name"] != "requested_slot" for e in slot_events):
            return SimpleNamespace(messages=messages, rejected=True)  # other policies take over
        requested = "unset"
        for event in slot_events:
            self.slots[event["name"]] = event["value"]
            if event["name"] == "requested_slot":
                requested = event["value"]
        if requested == "unset":
            requested = next((s for s in self.required if self.slots.get(s) is None), None)
        self.slots["requested_slot"] = requested
        if requested is None:
            self.done = True
            return SimpleNamespace(messages=messages, rejected=False)
        asked, ask_events = run(self.asks[requested], self._tracker(text, intent, entities or [], False, ()))
        for event in ask_events:
            if event["event"] == "slot":
                self.slots[event["name"]] = event["value"]
        return SimpleNamespace(messages=messages + asked, rejected=False)

    def start(self, text: str, intent: str, entities: list[dict] | None = None) -> SimpleNamespace:
        return self.turn(text, intent, entities, activating=True, responded=("action_start_booking",))

    def click(self, key: str) -> SimpleNamespace:
        return self.turn(button_payload(key), "inform", [{"entity": "slot_choice", "value": key}])

    def after(self, action) -> list[dict]:
        tracker = Tracker(
            self.sender,
            dict(self.slots),
            {"text": "", "intent": {}, "entities": []},
            [],
            False,
            None,
            {},
            "action_listen",
        )
        messages, events = run(action, tracker)
        for event in events:
            if event["event"] == "slot":
                self.slots[event["name"]] = event["value"]
        return messages


def booking(slots: dict, sender: str = "visitor-1") -> FormDriver:
    asks = {
        "booking_slot": ActionAskBookingSlot(),
        "contact_name": ActionAskContactName(),
        "contact_detail": ActionAskContactDetail(),
        "booking_confirm": ActionAskBookingConfirm(),
    }
    return FormDriver("booking_form", ValidateBookingForm(), asks, BOOKING_SLOTS, slots, sender)


def appointments(request: str, sender: str = "visitor-2") -> FormDriver:
    asks = {
        "appointment_reference": ActionAskAppointmentReference(),
        "appointment_contact": ActionAskAppointmentContact(),
        "appointment_new_slot": ActionAskAppointmentNewSlot(),
        "appointment_cancel_confirm": ActionAskAppointmentCancelConfirm(),
    }
    return FormDriver(
        "appointment_form", ValidateAppointmentForm(), asks, APPOINTMENT_SLOTS, {"appointment_request": request}, sender
    )


def texts(turn) -> list[str]:
    return [m["text"] for m in turn.messages if m.get("text")]


def all_text(turn) -> str:
    return "\n".join(texts(turn))


def offered(driver: FormDriver) -> list[str]:
    return list(driver.slots["offered_slots"])


def local_start(key: str) -> datetime:
    keys = parse_series_key(key)[1] if "/" in key else [key]
    return parse_slot_key(keys[0])[2].astimezone(LONDON)


def appointment_rows(factory, **where) -> list[Appointment]:
    with factory() as session:
        query = select(Appointment)
        for name, value in where.items():
            query = query.where(getattr(Appointment, name) == value)
        rows = list(session.scalars(query.order_by(Appointment.starts_at)))
        for row in rows:
            _ = (row.contact, row.consultation, row.treatment, row.series)
        session.expunge_all()
        return rows


def to_summary(driver: FormDriver, key: str | None = None) -> None:
    """Pick a time (the first offered unless given), a name and a phone number."""
    driver.click(key or offered(driver)[0])
    driver.turn("my name is sarah jones")
    driver.turn("07911 123456")
    assert driver.slots["requested_slot"] == "booking_confirm"


# --- pure helpers ---------------------------------------------------------------------------------------


def test_course_from_the_recommendation_strings():
    assert course_plan(SUITABLE, "microneedling") == Course(3, (2, 4))  # "about 3", "2-4"
    assert course_plan(SUITABLE, "rf_microneedling") == Course(3, (4, 6))  # "about 3 (1-5)", "4 (3-6)"
    assert course_plan(SUITABLE, "microneedling_prp") is None  # "set by the clinician"
    assert course_plan(SUITABLE, "consultation") is None
    assert parse_course_interval("set by the clinician") is None
    assert parse_course_interval("30") is None


def test_pick_offered_by_number_or_time():
    keys = [
        slot_key("consultation", "dr-amara-okafor", datetime(2026, 3, 3, h, 0, tzinfo=timezone.utc)) for h in (9, 10)
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "utc_now", lambda: NOW)
        assert pick_offered("2", keys, TODAY) == keys[1]
        assert pick_offered("the first one", keys, TODAY) == keys[0]
        assert pick_offered("the 10am one", keys, TODAY) == keys[1]
        assert pick_offered("tuesday at 9", keys, TODAY) == keys[0]
        assert pick_offered("5", keys, TODAY) is None
        assert pick_offered("friday at 9", keys, TODAY) is None
        assert pick_offered("2pm", keys, TODAY) is None


# --- booking ---------------------------------------------------------------------------------------------


def test_happy_path_confirms_an_appointment_in_the_database(db):
    driver = booking(screened("microneedling_prp"))
    turn = driver.start("can i book prp", "ask_booking")
    assert say("booking", "offers_intro", treatment="Microneedling with PRP") in all_text(turn)
    keys = offered(driver)
    assert len(keys) == 4 and all("/" not in k for k in keys)
    starts = [local_start(k) for k in keys]
    assert starts == sorted(starts) and starts[0] >= (NOW + timedelta(hours=24)).astimezone(LONDON)
    assert max(sum(1 for s in starts if s.date() == day) for day in {s.date() for s in starts}) <= 2
    payloads = [b["payload"] for b in turn.messages[-1]["buttons"]]
    assert payloads[:4] == [button_payload(k) for k in keys] and "/request_other_times" in payloads

    turn = driver.click(keys[1])
    assert driver.slots["booking_slot"] == keys[1] and driver.slots["hold_reference"]
    assert "holding" in texts(turn)[0] and texts(turn)[-1] == say("booking", "ask_name")
    turn = driver.turn("my name is sarah jones")
    assert driver.slots["contact_name"] == "Sarah Jones"
    assert texts(turn) == [say("booking", "ask_contact", first_name="Sarah")]
    turn = driver.turn("my mobile is 07911 123456")
    assert driver.slots["contact_detail"] == "+447911123456"
    summary = texts(turn)[-1]
    for part in (
        "Microneedling with PRP",
        "£350–£420",
        "Sarah Jones",
        "+447911123456",
        "Dr Amara Okafor",
        say("booking", "summary_consent_health"),
    ):
        assert part in summary
    assert f"{starts[1]:%H:%M}" in summary
    assert [b["payload"] for b in turn.messages[-1]["buttons"]] == ["/affirm", "/deny"]

    driver.turn("yes please", "affirm")
    assert driver.done and driver.slots["booking_confirm"] is True
    reference = driver.slots["booking_reference"]
    done = " ".join(m["text"] for m in driver.after(ActionBookingDone()))
    assert reference in done and "You're booked" in done
    assert driver.slots["booking_slot"] is None and driver.slots["booking_reference"] == reference

    [row] = appointment_rows(db.factory, reference=reference)
    assert row.status == "confirmed" and row.starts_at.replace(tzinfo=timezone.utc) == parse_slot_key(keys[1])[2]
    assert row.contact.name == "Sarah Jones" and row.contact.phone == "+447911123456"
    assert row.consultation.next_step == "book_treatment" and row.consultation.concerns == ["acne_scars"]
    assert row.sender_id == "visitor-1"
    with db.factory() as session:
        purposes = set(session.scalars(select(Consent.purpose).where(Consent.contact_id == row.contact_id)))
    assert purposes == {"booking", "health_data"}


def test_consultation_after_a_decision_that_needs_a_clinician_waits_for_review(db):
    driver = booking(screened("consultation", NEEDS_CLINICIAN))
    turn = driver.start("book a consultation", "ask_booking")
    assert say("booking", "offers_intro_review", treatment="Consultation with a clinician") in all_text(turn)
    chosen = offered(driver)[0]
    driver.turn("1")  # typed: the number of the first time
    assert driver.slots["booking_slot"] == chosen
    turn = driver.turn("I'm Priya Patel, 07911 123456")  # name and number at once
    assert driver.slots["contact_name"] == "Priya Patel" and driver.slots["contact_detail"] == "+447911123456"
    assert say("booking", "summary_review") in texts(turn)[-1] and "free" in texts(turn)[-1]
    driver.turn("yes", "affirm")
    reference = driver.slots["booking_reference"]
    done = [m["text"] for m in driver.after(ActionBookingDone())]
    assert "clinician" in done[0] and reference in done[0]
    [row] = appointment_rows(db.factory, reference=reference)
    assert row.status == "pending_clinical_review" and row.consultation.next_step == "book_consultation"


def test_consultation_without_health_consent_keeps_no_answers(db):
    driver = booking({"booking_treatment": "consultation", "health_consent": False, "decision": NEEDS_CLINICIAN})
    driver.start("book a consultation", "ask_booking")
    to_summary(driver)
    driver.turn("yes", "affirm")
    [row] = appointment_rows(db.factory, reference=driver.slots["booking_reference"])
    assert row.status == "confirmed" and row.consultation is None
    with db.factory() as session:
        purposes = set(session.scalars(select(Consent.purpose).where(Consent.contact_id == row.contact_id)))
    assert purposes == {"booking"}


def test_a_course_of_sessions_is_held_and_confirmed_together(db):
    driver = booking(screened("microneedling"))
    turn = driver.start("book microneedling", "ask_booking")
    assert "course of 3 sessions, 2–4 weeks apart" in all_text(turn)
    keys = offered(driver)
    assert len(keys) == 3 and all("/" in k for k in keys)
    assert len({local_start(k).date() for k in keys}) == 3  # courses start on different days
    single = button_payload("single")
    assert single in [b["payload"] for b in turn.messages[-1]["buttons"]]

    to_summary(driver, keys[0])
    summary = texts(driver.turn("07911 123456"))[-1]  # the number again at the summary just repeats it
    assert "£220 per session, £660 for all 3" in summary  # the course's total, from the catalogue's price
    assert summary.count("with Dr") + summary.count("with Lena") == 3
    driver.turn("confirm", "affirm")
    reference = driver.slots["booking_reference"]
    rows = appointment_rows(db.factory, status="confirmed")
    assert len(rows) == 3 and {r.series.reference for r in rows} == {reference}
    days = [row.starts_at.replace(tzinfo=timezone.utc).astimezone(LONDON).date() for row in rows]
    gaps = [(later - earlier).days for earlier, later in zip(days, days[1:])]
    assert all(14 <= gap <= 28 for gap in gaps)
    done = driver.after(ActionBookingDone())[0]["text"]
    assert reference in done and "3 sessions" in done


def test_just_the_first_session_instead_of_the_course(db):
    driver = booking(screened("microneedling"))
    driver.start("book microneedling", "ask_booking")
    turn = driver.click("single")
    keys = offered(driver)
    assert driver.slots["booking_plan"] == "single" and len(keys) == 4 and all("/" not in k for k in keys)
    assert button_payload("course") in [b["payload"] for b in turn.messages[-1]["buttons"]]
    driver.click(keys[0])
    assert len(appointment_rows(db.factory, status="held")) == 1


def test_a_day_in_words_offers_times_on_that_day(db):
    driver = booking(screened("microneedling_prp"))
    driver.start("book prp", "ask_booking")
    turn = driver.turn("friday morning")
    assert driver.slots["booking_slot"] is None and driver.slots["hold_reference"] is None
    starts = [local_start(k) for k in offered(driver)]
    assert starts and all(s.date().isoformat() == "2026-03-06" and s.hour < 12 for s in starts)
    assert not appointment_rows(db.factory)

    driver.turn("after the 10th")
    assert all(local_start(k).date() >= datetime(2026, 3, 11).date() for k in offered(driver))
    shown = offered(driver)
    driver.turn("/request_other_times", "request_other_times")
    later = offered(driver)
    assert later and min(local_start(k) for k in later) > max(local_start(k) for k in shown)
    assert all(local_start(k).date() >= datetime(2026, 3, 11).date() for k in later)
    assert say("booking", "pick_hint") in all_text(turn)


def test_a_day_named_when_asking_to_book_is_used_straight_away(db):
    driver = booking(screened("microneedling_prp"))
    driver.start("book me in for prp next week", "ask_booking")
    days = {local_start(k).date().isoformat() for k in offered(driver)}
    assert days and all("2026-03-09" <= day <= "2026-03-15" for day in days)


def test_nothing_free_that_day_offers_the_nearest_times(db):
    driver = booking(screened("microneedling_prp"))
    driver.start("book prp", "ask_booking")
    turn = driver.turn("sunday afternoon")  # the clinic is closed on Sundays
    assert say("booking", "nothing_then") in all_text(turn) and offered(driver)


def test_an_injected_slot_choice_that_was_not_offered_is_refused(db):
    driver = booking(screened("microneedling_prp"))
    driver.start("book prp", "ask_booking")
    free_but_not_offered = slot_key(
        "microneedling_prp", "dr-amara-okafor", datetime(2026, 3, 19, 14, 0, tzinfo=timezone.utc)
    )
    assert free_but_not_offered not in offered(driver)
    turn = driver.click(free_but_not_offered)
    assert texts(turn)[0] == say("booking", "not_offered")
    assert driver.slots["booking_slot"] is None and driver.slots["hold_reference"] is None
    cheaper = offered(driver)[0].replace("microneedling_prp", "consultation")
    driver.click(cheaper)
    assert driver.slots["booking_slot"] is None and not appointment_rows(db.factory)


def test_a_time_taken_between_offer_and_choice_gets_new_offers(db):
    driver = booking(screened("microneedling_prp"))
    driver.start("book prp", "ask_booking")
    key = offered(driver)[0]
    taken = services.booking_service().hold(
        key, consultation=ConsultationInput(decision=SUITABLE), sender_id="someone-else"
    )
    assert taken.ok
    turn = driver.click(key)
    assert texts(turn)[0] == say("booking", "error_slot_taken")
    assert driver.slots["booking_slot"] is None and key not in offered(driver) and offered(driver)
    assert [r.sender_id for r in appointment_rows(db.factory, status="held")] == ["someone-else"]


def test_a_malformed_phone_number_is_asked_again(db):
    driver = booking(screened("microneedling_prp"))
    driver.start("book prp", "ask_booking")
    driver.click(offered(driver)[0])
    driver.turn("Sarah Jones")
    turn = driver.turn("0123 456")
    assert texts(turn) == [say("booking", "contact_again"), say("booking", "ask_contact", first_name="Sarah")]
    assert driver.slots["contact_detail"] is None and driver.slots["requested_slot"] == "contact_detail"
    driver.turn("sarah@example")
    assert driver.slots["contact_detail"] is None
    driver.turn("it's Sarah.Jones@Example.com")
    assert driver.slots["contact_detail"] == "sarah.jones@example.com"
    assert driver.slots["requested_slot"] == "booking_confirm"


def test_no_at_the_summary_releases_the_hold_and_asks_for_a_time_again(db):
    driver = booking(screened("microneedling_prp"))
    driver.start("book prp", "ask_booking")
    key = offered(driver)[0]
    to_summary(driver, key)
    held = driver.slots["hold_reference"]
    turn = driver.turn("no", "deny")
    assert texts(turn)[0] == say("booking", "released")
    assert driver.slots["booking_slot"] is None and driver.slots["hold_reference"] is None
    assert driver.slots["requested_slot"] == "booking_slot" and key in offered(driver)  # free again
    [row] = appointment_rows(db.factory, reference=held)
    assert row.status == "cancelled" and row.cancel_reason == "released"
    assert driver.slots["contact_name"] == "Sarah Jones"  # details are kept for the next time chosen


def test_an_expired_hold_is_not_confirmed_and_times_are_offered_again(db):
    driver = booking(screened("microneedling_prp"))
    driver.start("book prp", "ask_booking")
    to_summary(driver)
    db.clock.advance(minutes=11)
    turn = driver.turn("yes", "affirm")
    assert texts(turn)[0] == say("booking", "error_hold_expired")
    assert not driver.done and driver.slots["requested_slot"] == "booking_slot" and offered(driver)
    assert not appointment_rows(db.factory, status="confirmed")


def test_a_question_in_the_middle_is_left_to_the_rules_and_not_read_twice(db):
    driver = booking(screened("microneedling_prp"))
    driver.start("book prp", "ask_booking")
    assert driver.turn("does it hurt?", "ask_pain").rejected
    shown = offered(driver)
    turn = driver.turn("friday morning", "inform", responded=("action_answer_question",))  # form resumed
    assert SlotSearch.from_slot(driver.slots["booking_search"]).day is None  # "friday morning" was not read again
    assert offered(driver) == shown and len(texts(turn)) == 1  # the same offers again, nothing else said


def test_never_mind_is_not_taken_for_a_name(db):
    driver = booking(screened("microneedling_prp"))
    driver.start("book prp", "ask_booking")
    driver.click(offered(driver)[0])
    assert driver.turn("never mind", "stop").rejected
    assert driver.turn("talk to a person please", "request_human").rejected
    assert driver.slots["contact_name"] is None
    driver.turn("Anne-Marie O'Brien", "out_of_scope")  # names are often misread; the words decide
    assert driver.slots["contact_name"] == "Anne-Marie O'Brien"


def test_an_emergency_triage_allows_no_consultation_even_without_health_consent(db):
    emergency = decide(
        {
            "today": TODAY.isoformat(),
            "symptoms": ["fever", "spreading_redness"],
            "recent_procedures": [{"type": "rf_microneedling", "date": "2026-02-28"}],
        }
    )
    assert emergency["next_step"] == "emergency"
    driver = booking({"booking_treatment": "consultation", "decision": emergency, "health_consent": False})
    driver.start("book a consultation", "ask_booking")
    assert driver.done
    assert "urgent" in driver.after(ActionBookingDone())[0]["text"] and not appointment_rows(db.factory)


def test_a_treatment_the_screening_does_not_allow_ends_the_form_with_the_reason(db):
    driver = booking(screened("microneedling", NEEDS_CLINICIAN))
    turn = driver.start("book microneedling", "ask_booking")
    assert driver.done and not texts(turn)
    done = driver.after(ActionBookingDone())[0]["text"]
    assert "consultation" in done.lower() and not appointment_rows(db.factory)


# --- manage by reference -----------------------------------------------------------------------------------


@pytest.fixture
def booked(db):
    """A confirmed PRP appointment for Ann Lee (07911 123456), and its start."""
    service = services.booking_service()
    key = service.find_slots("microneedling_prp", limit=1).value[0].key
    held = service.hold(key, consultation=ConsultationInput(decision=SUITABLE), sender_id="booking-chat")
    done = service.confirm(
        held.value.reference,
        ContactDetails("Ann Lee", phone="07911 123456"),
        ["booking", "health_data"],
        sender_id="booking-chat",
    )
    assert done.ok
    return SimpleNamespace(reference=done.value.reference, key=key, label=done.value.appointments[0].label, db=db)


def test_when_is_my_appointment_with_the_right_details(booked):
    driver = appointments("check")
    turn = driver.turn("when is my appointment", "check_appointment", activating=True)
    assert texts(turn) == [say("appointments", "ask_reference")]
    driver.turn(f"ref {booked.reference.lower()}")
    assert driver.slots["appointment_reference"] == booked.reference
    driver.turn("07911123456")
    assert driver.done
    [message] = driver.after(ActionAppointment())
    assert booked.label in message["text"] and say("appointments", "status_confirmed") in message["text"]
    assert driver.slots["appointment_reference"] is None and driver.slots["appointment_contact"] is None


def test_a_wrong_contact_and_a_wrong_reference_get_the_same_reply(booked):
    driver = appointments("check")
    driver.turn(f"when is {booked.reference}", "check_appointment", activating=True)
    wrong_contact = driver.turn("07712 345678")
    assert driver.slots["appointment_reference"] is None and driver.slots["appointment_contact"] is None
    unknown = "ABCD2345" if booked.reference != "ABCD2345" else "ABCD2346"
    driver.turn(unknown)
    wrong_reference = driver.turn("07911 123456")
    assert (
        texts(wrong_contact)
        == texts(wrong_reference)
        == [say("appointments", "not_found"), say("appointments", "ask_reference")]
    )
    assert booked.reference not in all_text(wrong_contact) + all_text(wrong_reference)
    driver.turn(booked.reference)
    driver.turn("ann@example.com")  # the third miss: no more tries in this conversation
    assert driver.done
    [message] = driver.after(ActionAppointment())
    assert message["text"] == say("appointments", "too_many_attempts")
    again = appointments("check")
    again.slots["appointment_failures"] = driver.slots["appointment_failures"]
    again.turn(f"when is {booked.reference}", "check_appointment", activating=True)
    assert again.done


def test_cancel_by_reference_asks_first_then_cancels(booked):
    driver = appointments("cancel")
    turn = driver.turn(f"cancel my booking {booked.reference}", "cancel_appointment", activating=True)
    assert texts(turn) == [say("appointments", "ask_contact")]
    turn = driver.turn("07911 123456")
    assert texts(turn) == [say("appointments", "ask_cancel", when=booked.label)]
    assert [b["payload"] for b in turn.messages[0]["buttons"]] == ["/affirm", "/deny"]
    driver.turn("yes", "affirm")
    assert driver.done
    [message] = driver.after(ActionAppointment())
    assert message["text"] == say("appointments", "cancelled", when=booked.label)
    [row] = appointment_rows(booked.db.factory, reference=booked.reference)
    assert row.status == "cancelled"


def test_cancel_answered_no_keeps_the_booking(booked):
    driver = appointments("cancel")
    driver.turn(f"cancel {booked.reference}", "cancel_appointment", activating=True)
    driver.turn("07911 123456")
    driver.turn("no", "deny")
    [message] = driver.after(ActionAppointment())
    assert message["text"] == say("appointments", "kept")
    assert appointment_rows(booked.db.factory, reference=booked.reference)[0].status == "confirmed"


def test_cancel_with_the_wrong_contact_cancels_nothing(booked):
    driver = appointments("cancel")
    driver.turn(f"cancel {booked.reference} my number is 07712 345678", "cancel_appointment", activating=True)
    assert driver.slots["requested_slot"] == "appointment_reference"
    assert appointment_rows(booked.db.factory, reference=booked.reference)[0].status == "confirmed"


def test_reschedule_by_reference_moves_the_appointment(booked):
    driver = appointments("reschedule")
    driver.turn("i need to move my appointment", "reschedule_appointment", activating=True)
    driver.turn(booked.reference)
    turn = driver.turn("07911 123456")
    assert say("appointments", "offers_intro", when=booked.label) in all_text(turn)
    keys = offered(driver)
    assert keys and booked.key not in keys
    driver.turn("friday morning")
    friday = offered(driver)
    assert friday and all(local_start(k).weekday() == 4 and local_start(k).hour < 12 for k in friday)
    driver.click(friday[0])
    assert driver.done
    [message] = driver.after(ActionAppointment())
    [row] = appointment_rows(booked.db.factory, reference=booked.reference)
    assert row.status == "confirmed" and row.starts_at.replace(tzinfo=timezone.utc) == parse_slot_key(friday[0])[2]
    assert message["text"].startswith("Done") and f"{local_start(friday[0]):%H:%M}" in message["text"]


def test_reschedule_with_the_wrong_contact_changes_nothing(booked):
    driver = appointments("reschedule")
    driver.turn(f"move {booked.reference}", "reschedule_appointment", activating=True)
    turn = driver.turn("ann.lee@example.com")
    assert texts(turn)[0] == say("appointments", "not_found") and not driver.slots.get("offered_slots")
    [row] = appointment_rows(booked.db.factory, reference=booked.reference)
    assert row.starts_at.replace(tzinfo=timezone.utc) == parse_slot_key(booked.key)[2]


# --- when the database is away --------------------------------------------------------------------------------


@pytest.fixture
def no_database(db, monkeypatch):
    monkeypatch.setenv(
        "CLINIC_DATABASE_URL", "postgresql+psycopg2://nobody:secret@127.0.0.1:9/clinic?connect_timeout=2"
    )
    reset_services()


def test_database_unavailable_while_offering_times(no_database):
    driver = booking(screened("microneedling_prp"))
    turn = driver.start("book prp", "ask_booking")
    assert texts(turn) == [say("booking", "error_database_unavailable")]
    assert driver.slots["offered_slots"] == []
    assert {b["payload"] for b in turn.messages[0]["buttons"]} == {"/request_other_times", "/request_human"}


def test_database_unavailable_while_looking_up_a_booking(no_database):
    driver = appointments("check")
    driver.turn("when is my appointment KD7P2QXM", "check_appointment", activating=True)
    driver.turn("07911 123456")
    assert driver.done
    [message] = driver.after(ActionAppointment())
    assert message["text"] == say("appointments", "error_database_unavailable")


def test_an_unexpected_error_is_never_shown_to_the_visitor(db, monkeypatch):
    class Broken:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise RuntimeError("secret internals at /srv/clinic")

            return fail

    monkeypatch.setattr("actions.conversation.services.booking_service", lambda: Broken())
    driver = booking(screened("microneedling_prp"))
    turn = driver.start("book prp", "ask_booking")
    assert texts(turn) == [say("booking", "error_database_unavailable")]
    assert "secret" not in all_text(turn)


def test_a_failure_inside_an_action_gets_a_calm_reply(db, monkeypatch):
    def broken(tracker):
        raise RuntimeError("secret internals at /srv/clinic")

    driver = booking(screened("microneedling_prp"))
    driver.start("book prp", "ask_booking")
    monkeypatch.setattr("actions.conversation.booking.booking_target", broken)
    monkeypatch.setattr("actions.conversation.booking_prompts.booking_target", broken)
    turn = driver.turn("friday morning")
    assert texts(turn) == [say("booking", "error_unexpected")] * 2  # the validation, then the question
    assert "secret" not in all_text(turn) and driver.slots["booking_slot"] is None


# --- free-text answers do not depend on the intent classifier (actions.intake_answers.replies) -------------


def _domain_intents() -> list[str]:
    from pathlib import Path

    import yaml

    domain = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text())
    return [i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]] + ["nlu_fallback"]


INTENTS = _domain_intents()
# Names that are also words or look like nothing the classifier was trained on.
WORDLIKE_NAMES = [
    "Zelphine Quarrington",
    "Hope",
    "April May",
    "Summer",
    "Will Smith",
    "Dr No",
    "Joy Book",
    "Siobhán Ní Bhraonáin",
    "Anne-Marie O'Brien",
    "Nguyễn Thị Minh Khai",
    "李小龍",
    "Мария Иванова",
]


@pytest.mark.parametrize("intent", INTENTS)
def test_no_name_or_phone_number_ends_the_booking_whatever_the_classifier_reads(db, intent):
    name = WORDLIKE_NAMES[INTENTS.index(intent) % len(WORDLIKE_NAMES)]
    driver = booking(screened("microneedling_prp"), sender=f"visitor-{intent}")
    driver.start("book prp", "ask_booking")
    chosen = offered(driver)[0]
    driver.click(chosen)
    turn = driver.turn(name, intent)
    assert not turn.rejected and driver.slots["contact_name"] == name
    turn = driver.turn("020 7946 0958", intent)
    assert not turn.rejected and driver.slots["contact_detail"] == "+442079460958"
    assert driver.slots["booking_slot"] == chosen and driver.slots["requested_slot"] == "booking_confirm"
    driver.turn("yes", "affirm")
    assert driver.done and driver.slots["booking_confirm"] is True
    [row] = appointment_rows(db.factory, reference=driver.slots["booking_reference"])
    assert row.status == "confirmed" and row.contact.name == name and row.contact.phone == "+442079460958"


@pytest.mark.parametrize("name", WORDLIKE_NAMES)
def test_every_wordlike_name_is_taken_as_the_name_with_any_intent(db, name):
    for intent in ("stop", "request_human", "ask_price", "goodbye", "deny", "out_of_scope", "report_symptoms"):
        driver = booking(screened("microneedling_prp"), sender="visitor-names")
        driver.start("book prp", "ask_booking")
        driver.click(offered(driver)[0])
        assert not driver.turn(name, intent).rejected and driver.slots["contact_name"] == name, intent


@pytest.mark.parametrize(
    "text", ["never mind", "talk to a person please", "can I speak to someone?", "how much is it?", "stop", "Cancel"]
)
def test_something_else_is_left_to_the_rules_even_when_read_as_inform(db, text):
    driver = booking(screened("microneedling_prp"))
    driver.start("book prp", "ask_booking")
    driver.click(offered(driver)[0])
    assert driver.turn(text, "inform").rejected  # the rules answer it; the form resumes afterwards
    assert driver.slots["contact_name"] is None and driver.slots["hold_reference"]


def test_a_red_flag_typed_as_the_name_gets_triage_and_ends_the_form(db):
    symptom = [{"entity": "symptom", "value": "fever", "start": 9, "end": 14}]
    for text in ("i have a fever", "Hope"):  # safety first, even for a plausible name
        driver = booking(screened("microneedling_prp"))
        driver.start("book prp", "ask_booking")
        driver.click(offered(driver)[0])
        answered = driver.turn(text, "inform", symptom)
        assert [m["text"].splitlines()[0] for m in answered.messages] == [say("triage", "see_doctor")]
        assert driver.done and driver.slots["contact_name"] is None
        assert driver.slots["triage_level"] == "see_doctor"


def test_normal_healing_named_in_reply_to_the_name_question_is_left_to_the_rules(db):
    driver = booking(screened("microneedling_prp"))
    driver.start("book prp", "ask_booking")
    driver.click(offered(driver)[0])
    redness = [{"entity": "symptom", "value": "normal_redness_swelling", "start": 0, "end": 7}]
    assert driver.turn("redness and a bit swollen", "inform", redness).rejected
    assert driver.slots["contact_name"] is None


def test_a_name_that_is_a_time_request_to_the_classifier_keeps_the_held_time(db):
    driver = booking(screened("microneedling_prp"))
    driver.start("book prp", "ask_booking")
    chosen = offered(driver)[0]
    driver.click(chosen)
    driver.turn("Will Smith", "request_other_times")
    assert driver.slots["contact_name"] == "Will Smith" and driver.slots["booking_slot"] == chosen
    assert driver.slots["hold_reference"]


@pytest.mark.parametrize("intent", ["ask_price", "stop", "goodbye", "request_human", "out_of_scope"])
def test_a_reference_and_contact_are_read_whatever_the_classifier_reads(booked, intent):
    driver = appointments("check")
    driver.turn("when is my appointment", "check_appointment", activating=True)
    assert not driver.turn(booked.reference, intent).rejected
    assert driver.slots["appointment_reference"] == booked.reference
    assert not driver.turn("07911 123456", intent).rejected
    assert driver.done


def test_any_other_times_typed_as_a_question_still_gets_other_times(db):
    driver = booking(screened("microneedling_prp"))
    driver.start("book prp", "ask_booking")
    shown = offered(driver)
    turn = driver.turn("any other times?", "request_other_times")
    assert not turn.rejected and offered(driver) and offered(driver) != shown


def test_cancel_typed_for_the_reference_is_an_attempt_when_read_as_cancelling(booked):
    driver = appointments("cancel")
    driver.turn("cancel my appointment", "cancel_appointment", activating=True)
    assert not driver.turn("cancel it", "cancel_appointment").rejected  # asked again, counted as a try
    assert driver.slots["appointment_reference"] is None
    assert driver.turn("stop", "stop").rejected  # leaving is left to the rules


def test_a_second_booking_in_the_conversation_reuses_the_name_and_contact_shown_to_confirm(db):
    driver = booking(screened("consultation", NEEDS_CLINICIAN))
    driver.start("book a consultation", "ask_booking")
    driver.turn("1")
    driver.turn("I'm Priya Patel, 07911 123456")
    driver.turn("yes", "affirm")
    assert driver.slots["booking_reference"]
    driver.done = False
    driver.start("can I book another one", "ask_booking")
    turn = driver.turn("1")  # a time: the next question is the summary, not the name
    assert driver.slots["requested_slot"] == "booking_confirm"
    assert "Name: Priya Patel" in texts(turn)[-1] and "Contact: +447911123456" in texts(turn)[-1]


@pytest.mark.parametrize("sender", ["+447911123456", "whatsapp:+447911123456"])
def test_on_sms_and_whatsapp_the_number_they_write_from_is_the_contact(db, sender):
    driver = booking(screened("consultation", NEEDS_CLINICIAN), sender=sender)
    driver.channel = "twilio"
    driver.start("book a consultation", "ask_booking")
    driver.turn("1")
    assert driver.slots["contact_detail"] == "+447911123456"
    turn = driver.turn("Priya Patel")  # the name is asked; the number is not
    assert driver.slots["requested_slot"] == "booking_confirm"
    assert "Contact: +447911123456" in texts(turn)[-1]


def test_on_the_web_chat_the_contact_is_still_asked(db):
    driver = booking(screened("consultation", NEEDS_CLINICIAN), sender="+447911123456")
    driver.start("book a consultation", "ask_booking")
    driver.turn("1")
    driver.turn("Priya Patel")
    assert driver.slots["requested_slot"] == "contact_detail"
