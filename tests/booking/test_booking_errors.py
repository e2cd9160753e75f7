"""Every error code, produced by a realistic bad request, with a message a visitor can read.

The table must cover ErrorCode completely: adding a code without a scenario here fails the suite.
"""

from __future__ import annotations

import re

import pytest
from booking_support import ANN, ANN_PHONE_E164, EMERGENCY, NEEDS_CLINICIAN, book, key, london, screened

from actions.booking.contacts import ContactDetails
from actions.booking.db import make_engine, session_factory
from actions.booking.gate import ConsultationInput
from actions.booking.results import MESSAGES, ErrorCode, failure, success
from actions.booking.service import BookingService

TUE_9 = key("microneedling", "dr-a", london(2026, 3, 3, 9, 0))
TUE_11 = key("microneedling", "dr-a", london(2026, 3, 3, 11, 0))


def booked(service):
    return book(service, TUE_9).reference


def held(service):
    return service.hold(TUE_11, consultation=screened()).value.reference


SCENARIOS = {
    ErrorCode.NOT_FOUND: lambda s, c, db: s.cancel("K7M2QX9D", ANN_PHONE_E164),
    ErrorCode.CONTACT_MISMATCH: lambda s, c, db: s.cancel(booked(s), "bob@example.org"),
    ErrorCode.INVALID_REFERENCE: lambda s, c, db: s.cancel("my booking", ANN_PHONE_E164),
    ErrorCode.UNKNOWN_TREATMENT: lambda s, c, db: s.find_slots("laser hair removal"),
    ErrorCode.UNKNOWN_PRACTITIONER: lambda s, c, db: s.find_slots("microneedling", practitioner="dr-who"),
    ErrorCode.INVALID_SLOT: lambda s, c, db: s.hold("tomorrow at 3", consultation=screened()),
    ErrorCode.INVALID_DATE: lambda s, c, db: s.find_slots("microneedling", on_date="2026-02-30"),
    ErrorCode.DATE_IN_PAST: lambda s, c, db: s.find_slots("microneedling", on_date="2026-02-27"),
    ErrorCode.DATE_TOO_FAR: lambda s, c, db: s.find_slots("microneedling", on_date="2026-06-01"),
    ErrorCode.INVALID_PART_OF_DAY: lambda s, c, db: s.find_slots("microneedling", part_of_day="lunchtime"),
    ErrorCode.INVALID_REQUEST: lambda s, c, db: s.find_series("microneedling", 40),
    ErrorCode.SLOT_IN_PAST: lambda s, c, db: s.hold(
        key("microneedling", "dr-a", london(2026, 3, 2, 7)), consultation=screened()
    ),
    ErrorCode.TOO_SHORT_NOTICE: lambda s, c, db: s.hold(
        key("microneedling", "dr-a", london(2026, 3, 2, 15)), consultation=screened()
    ),
    ErrorCode.SLOT_UNAVAILABLE: lambda s, c, db: s.hold(
        key("microneedling", "dr-a", london(2026, 3, 4, 7)), consultation=screened()
    ),
    ErrorCode.SLOT_TAKEN: lambda s, c, db: (booked(s), s.hold(TUE_9, consultation=screened()))[1],
    ErrorCode.HOLD_EXPIRED: lambda s, c, db: (
        r := held(s),
        c.advance(minutes=11),
        s.confirm(r, ANN, ["booking", "health_data"]),
    )[2],
    ErrorCode.ALREADY_CONFIRMED: lambda s, c, db: s.confirm(booked(s), ANN, ["booking", "health_data"]),
    ErrorCode.INVALID_STATE: lambda s, c, db: (
        r := booked(s),
        s.cancel(r, ANN_PHONE_E164),
        s.cancel(r, ANN_PHONE_E164),
    )[2],
    ErrorCode.INVALID_NAME: lambda s, c, db: s.confirm(
        held(s), ContactDetails("", phone="07911123456"), ["booking", "health_data"]
    ),
    ErrorCode.INVALID_PHONE: lambda s, c, db: s.confirm(
        held(s), ContactDetails("Ann", phone="0123"), ["booking", "health_data"]
    ),
    ErrorCode.INVALID_EMAIL: lambda s, c, db: s.confirm(
        held(s), ContactDetails("Ann", email="ann@"), ["booking", "health_data"]
    ),
    ErrorCode.CONTACT_REQUIRED: lambda s, c, db: s.confirm(held(s), ContactDetails("Ann"), ["booking", "health_data"]),
    ErrorCode.CONSENT_REQUIRED: lambda s, c, db: s.confirm(held(s), ANN, []),
    ErrorCode.SCREENING_REQUIRED: lambda s, c, db: s.hold(TUE_9),
    ErrorCode.SCREENING_REQUIRES_REVIEW: lambda s, c, db: s.hold(TUE_9, consultation=screened(NEEDS_CLINICIAN)),
    ErrorCode.SCREENING_NOT_BOOKABLE: lambda s, c, db: s.hold(TUE_9, consultation=screened(EMERGENCY)),
    ErrorCode.INVALID_SCREENING: lambda s, c, db: s.hold(TUE_9, consultation=ConsultationInput(decision=["proceed"])),
    ErrorCode.CLINIC_NOT_CONFIGURED: lambda s, c, db: BookingService(_unseeded(db), clock=c).find_slots(
        "microneedling"
    ),
    ErrorCode.DATABASE_UNAVAILABLE: lambda s, c, db: BookingService(
        session_factory(make_engine("postgresql+psycopg2://x@127.0.0.1:1/none", connect_args={"connect_timeout": 2})),
        clock=c,
    ).find_slots("microneedling"),
}


def _unseeded(seeded_db):
    from sqlalchemy import delete

    from actions.booking.models import ClinicRow

    with seeded_db.factory() as session, session.begin():
        session.execute(delete(ClinicRow))
    return seeded_db.factory


def test_every_error_code_has_a_scenario_and_a_message():
    assert set(SCENARIOS) == set(ErrorCode)
    assert set(MESSAGES) == set(ErrorCode) and all(MESSAGES[code].strip() for code in ErrorCode)


def test_the_services_messages_are_for_staff_not_worded_for_a_visitor():
    """A visitor reads journey.yml's booking.error_<code>; the service's messages speak to staff and logs."""
    spoken = re.compile(r"\b(I|I'm|I'll|you|your|please|sorry|let me)\b", re.IGNORECASE)
    assert {code: text for code, text in MESSAGES.items() if spoken.search(text)} == {}


@pytest.mark.parametrize("code", list(ErrorCode), ids=lambda code: code.value)
def test_error_code(code, service, clock, seeded):
    result = SCENARIOS[code](service, clock, seeded)
    assert not result.ok and result.value is None
    assert result.error_code == code
    assert result.message and "Traceback" not in result.message and "sqlalchemy" not in result.message.lower()


def test_unwrap_gives_a_successful_calls_value_and_refuses_a_failure():
    assert success("K7M2QX9D").unwrap() == "K7M2QX9D"
    with pytest.raises(ValueError, match="database_unavailable"):
        failure(ErrorCode.DATABASE_UNAVAILABLE).unwrap()
    with pytest.raises(ValueError):
        success().unwrap()
