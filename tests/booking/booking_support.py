"""Shared values for the booking tests: screening decisions as the engine returns them, and helpers."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from actions.booking.contacts import ContactDetails
from actions.booking.gate import ConsultationInput
from actions.booking.models import Appointment

LONDON = ZoneInfo("Europe/London")
MODALITIES = ("microneedling", "microneedling_prp", "rf_microneedling")


def decision(next_step: str, status: str = "proceed", **overrides) -> dict:
    modalities = {m: {"status": status, "until": None, "reasons": []} for m in MODALITIES}
    modalities.update(overrides)
    return {
        "contract": 1,
        "rules_version": "2026-11-20",
        "triage": "none",
        "modalities": modalities,
        "recommendation": [{"modality": "microneedling", "sessions": "3-6", "interval_weeks": "4-6"}]
        if next_step == "book_treatment"
        else [],
        "next_step": next_step,
    }


PROCEED = decision("book_treatment")
NEEDS_CLINICIAN = decision(
    "book_consultation",
    "clinician_review",
    rf_microneedling={
        "status": "exclude",
        "until": None,
        "reasons": [{"rule": "X29", "text": "Implanted electronic device.", "source": "S12"}],
    },
)
EMERGENCY = decision("emergency", "exclude")

ANN = ContactDetails("Ann Lee", phone="07911 123456", email="Ann.Lee@Example.com")
ANN_PHONE_E164 = "+447911123456"
BOB = ContactDetails("Bob Stone", email="bob@example.org")


def screened(dec: dict = PROCEED, **extra) -> ConsultationInput:
    return ConsultationInput(decision=dec, concerns=["acne_scars"], preferences={"downtime": "minimal"}, **extra)


def london(year, month, day, hour=0, minute=0) -> datetime:
    """A wall-clock time in London as an aware UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON).astimezone(timezone.utc)


def key(treatment: str, practitioner: str, start: datetime) -> str:
    return f"{treatment}|{practitioner}|{start.astimezone(timezone.utc):%Y-%m-%dT%H:%M}Z"


def count(factory, model, *where) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def active_appointments(factory, practitioner_code: str | None = None) -> list[Appointment]:
    from actions.booking.models import ACTIVE_STATUSES, PractitionerRow

    with factory() as session:
        query = select(Appointment).where(Appointment.status.in_(ACTIVE_STATUSES))
        if practitioner_code:
            query = query.join(PractitionerRow).where(PractitionerRow.code == practitioner_code)
        return list(session.scalars(query))


def book(service, slot, contact=ANN, consultation=None, sender_id="sender-1"):
    """Hold and confirm; returns the confirmed BookingView (asserts both steps worked)."""
    consultation = consultation if consultation is not None else screened()
    held = service.hold(slot, consultation=consultation, sender_id=sender_id, channel="rest")
    assert held.ok, held
    done = service.confirm(held.value.reference, contact, ["booking", "health_data"], sender_id=sender_id)
    assert done.ok, done
    return done.value
