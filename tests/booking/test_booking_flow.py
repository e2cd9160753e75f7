"""Hold, confirm, screening gates, clinical review, reschedule, cancel, look-ups; all-or-nothing writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from booking_support import (
    ANN,
    ANN_PHONE_E164,
    BOB,
    EMERGENCY,
    NEEDS_CLINICIAN,
    PROCEED,
    active_appointments,
    book,
    count,
    decision,
    key,
    london,
    screened,
)
from sqlalchemy import event, select

from actions.booking.contacts import ContactDetails
from actions.booking.gate import ConsultationInput
from actions.booking.models import (
    Appointment,
    Consent,
    ConsultationRecord,
    Contact,
    OutboxMessage,
    SlotOccupancy,
)
from actions.booking.results import ErrorCode
from actions.booking.staff import StaffDesk

TUE_9 = key("microneedling", "dr-a", london(2026, 3, 3, 9, 0))
TUE_11 = key("microneedling", "dr-a", london(2026, 3, 3, 11, 0))
CONSULT_TUE_9 = key("consultation", "dr-a", london(2026, 3, 3, 9, 0))


def outbox(factory):
    with factory() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_hold_then_confirm_stores_contact_consent_and_health_data_separately(service, seeded, clock):
    held = service.hold(TUE_9, consultation=screened(), sender_id="conv-1", channel="socketio")
    assert held.ok and held.value.status == "held"
    assert held.value.hold_expires_at == clock() + timedelta(minutes=10)
    reference = held.value.reference
    assert len(reference) == 8 and reference.isalnum() and reference.isupper()
    assert count(seeded.factory, Contact) == 0 and outbox(seeded.factory) == []

    clock.advance(minutes=3)
    done = service.confirm(reference.lower(), ANN, ["booking", "health_data"], sender_id="conv-1")
    assert done.ok, done
    assert done.value.status == "confirmed" and done.value.reference == reference
    assert done.value.hold_expires_at is None

    with seeded.factory() as session:
        appointment = session.scalars(select(Appointment)).one()
        assert appointment.contact.phone == ANN_PHONE_E164
        assert appointment.contact.email == "ann.lee@example.com"
        assert {(c.purpose, c.given_at) for c in appointment.contact.consents} == {
            ("booking", clock()),
            ("health_data", clock()),
        }
        record = appointment.consultation
        assert record.rules_version == "2026-11-20" and record.next_step == "book_treatment"
        assert record.decision == PROCEED and record.concerns == ["acne_scars"]
        assert record.preferences == {"downtime": "minimal"}
        assert record.recommended_plan == PROCEED["recommendation"]
        assert appointment.sender_id == "conv-1" and appointment.channel == "socketio"
        assert appointment.starts_at == london(2026, 3, 3, 9, 0)
        assert appointment.ends_at == london(2026, 3, 3, 10, 0)
    [note] = outbox(seeded.factory)
    assert note.kind == "new_booking" and reference in note.subject
    assert note.payload["contact"]["phone"] == ANN_PHONE_E164
    assert "acne_scars" not in str(note.payload)  # no health data in notifications
    assert "BEGIN:VEVENT" in note.payload["ics"] and f"UID:{reference}@test-clinic.example" in note.payload["ics"]


def test_confirm_needs_consent_and_writes_nothing_without_it(service, seeded):
    reference = service.hold(TUE_9, consultation=screened()).value.reference
    no_health = service.confirm(reference, ANN, ["booking"])
    assert no_health.error_code == ErrorCode.CONSENT_REQUIRED and no_health.details["missing"] == "health_data"
    no_booking = service.confirm(reference, ANN, ["health_data"])
    assert no_booking.error_code == ErrorCode.CONSENT_REQUIRED and no_booking.details["missing"] == "booking"
    unknown = service.confirm(reference, ANN, ["booking", "health_data", "selling_my_data"])
    assert unknown.error_code == ErrorCode.INVALID_REQUEST
    bad_phone = service.confirm(reference, ContactDetails("Ann", phone="12345"), ["booking", "health_data"])
    assert bad_phone.error_code == ErrorCode.INVALID_PHONE
    assert count(seeded.factory, Contact) == 0 and count(seeded.factory, Consent) == 0
    assert [a.status for a in active_appointments(seeded.factory)] == ["held"]
    assert outbox(seeded.factory) == []
    assert service.confirm(reference, ANN, ["booking", "health_data"]).ok


def test_consultation_without_screening_needs_only_booking_consent(service, seeded):
    held = service.hold(CONSULT_TUE_9, sender_id="conv-2")
    assert held.ok
    done = service.confirm(held.value.reference, BOB, ["booking"])
    assert done.ok and done.value.status == "confirmed"
    assert count(seeded.factory, ConsultationRecord) == 0


def test_hold_expiry_releases_the_slot(service, seeded, clock):
    first = service.hold(TUE_9, consultation=screened(), sender_id="slow")
    clock.advance(minutes=10, seconds=1)
    late = service.confirm(first.value.reference, ANN, ["booking", "health_data"])
    assert late.error_code == ErrorCode.HOLD_EXPIRED
    second = service.hold(TUE_9, consultation=screened(), sender_id="quick")
    assert second.ok
    still_late = service.confirm(first.value.reference, ANN, ["booking", "health_data"])
    assert still_late.error_code == ErrorCode.HOLD_EXPIRED
    with seeded.factory() as session:
        expired = session.scalars(select(Appointment).where(Appointment.reference == first.value.reference)).one()
        assert expired.status == "cancelled" and expired.cancel_reason == "hold_expired"
        assert expired.consultation_record_id is None
    assert count(seeded.factory, ConsultationRecord) == 1  # only the live hold's record is kept
    assert service.confirm(second.value.reference, BOB, ["booking", "health_data"]).ok


def test_a_hold_is_confirmed_only_from_its_own_conversation(service):
    reference = service.hold(TUE_9, consultation=screened(), sender_id="conv-1").value.reference
    other = service.confirm(reference, ANN, ["booking", "health_data"], sender_id="conv-2")
    assert other.error_code == ErrorCode.NOT_FOUND
    again = service.confirm(reference, ANN, ["booking", "health_data"], sender_id="conv-1")
    assert again.ok
    twice = service.confirm(reference, ANN, ["booking", "health_data"], sender_id="conv-1")
    assert twice.error_code == ErrorCode.ALREADY_CONFIRMED


@pytest.mark.parametrize(
    "slot, consultation, code",
    [
        (TUE_9, None, ErrorCode.SCREENING_REQUIRED),
        (TUE_9, screened(NEEDS_CLINICIAN), ErrorCode.SCREENING_REQUIRES_REVIEW),
        (
            key("rf_microneedling", "dr-a", london(2026, 3, 3, 9, 0)),
            screened(decision("book_treatment", rf_microneedling={"status": "clinician_review", "reasons": []})),
            ErrorCode.SCREENING_REQUIRES_REVIEW,
        ),
        (
            key("rf_microneedling", "dr-a", london(2026, 3, 3, 9, 0)),
            screened(decision("book_treatment", rf_microneedling={"status": "defer", "until": "2026-06-01"})),
            ErrorCode.SCREENING_REQUIRES_REVIEW,
        ),
        (TUE_9, screened(EMERGENCY), ErrorCode.SCREENING_NOT_BOOKABLE),
        (CONSULT_TUE_9, screened(EMERGENCY), ErrorCode.SCREENING_NOT_BOOKABLE),
        (CONSULT_TUE_9, screened(decision("see_doctor")), ErrorCode.SCREENING_NOT_BOOKABLE),
        (CONSULT_TUE_9, screened(decision("contact_clinic")), ErrorCode.SCREENING_NOT_BOOKABLE),
        (TUE_9, ConsultationInput(decision={"next_step": "book_anything"}), ErrorCode.INVALID_SCREENING),
        (
            TUE_9,
            ConsultationInput(decision={"next_step": "book_treatment", "modalities": []}),
            ErrorCode.INVALID_SCREENING,
        ),
        (TUE_9, ConsultationInput(decision=PROCEED, preferences={"when": object()}), ErrorCode.INVALID_SCREENING),
    ],
)
def test_screening_decides_what_can_be_booked(service, seeded, slot, consultation, code):
    result = service.hold(slot, consultation=consultation, sender_id="conv")
    assert not result.ok and result.error_code == code
    assert result.message
    assert count(seeded.factory, Appointment) == 0 and count(seeded.factory, ConsultationRecord) == 0


def test_screening_that_needs_a_clinician_books_a_consultation_pending_review(service, seeded, clock):
    held = service.hold(CONSULT_TUE_9, consultation=screened(NEEDS_CLINICIAN), sender_id="conv-3")
    assert held.ok
    done = service.confirm(held.value.reference, ANN, ["booking", "health_data"])
    assert done.ok and done.value.status == "pending_clinical_review"
    [note] = outbox(seeded.factory)
    assert note.kind == "review_needed" and "review confirm" in note.payload["action"]
    assert "STATUS:TENTATIVE" in note.payload["ics"]

    desk = StaffDesk(seeded.factory, clock=clock)
    [pending] = desk.pending_reviews().value
    assert pending.appointment.reference == held.value.reference and pending.next_step == "book_consultation"
    assert any("X29" in reason for reason in pending.screening_reasons)
    approved = desk.confirm_review(held.value.reference)
    assert approved.ok and approved.value.status == "confirmed"
    assert [n.kind for n in outbox(seeded.factory)] == ["review_needed", "new_booking"]
    assert desk.confirm_review(held.value.reference).error_code == ErrorCode.INVALID_STATE
    assert desk.pending_reviews().value == []


def test_rejected_review_frees_the_time(service, seeded, clock):
    held = service.hold(CONSULT_TUE_9, consultation=screened(NEEDS_CLINICIAN))
    service.confirm(held.value.reference, ANN, ["booking", "health_data"])
    rejected = StaffDesk(seeded.factory, clock=clock).reject_review(held.value.reference, "refer to GP")
    assert rejected.ok and rejected.value.status == "cancelled"
    assert count(seeded.factory, SlotOccupancy) == 0
    assert service.hold(TUE_9, consultation=screened()).ok


def test_reschedule_with_the_contact_on_file(service, seeded):
    booked = book(service, TUE_9)
    wrong = service.reschedule(booked.reference, "07911 123457", TUE_11)
    assert wrong.error_code == ErrorCode.CONTACT_MISMATCH
    wrong_email = service.reschedule(booked.reference, "someone@example.com", TUE_11)
    assert wrong_email.error_code == ErrorCode.CONTACT_MISMATCH
    assert [a.starts_at for a in active_appointments(seeded.factory)] == [london(2026, 3, 3, 9, 0)]

    moved = service.reschedule(booked.reference, "07911123456", TUE_11)
    assert moved.ok, moved
    view = moved.value.appointments[0]
    assert view.start == london(2026, 3, 3, 11, 0) and view.status == "confirmed"
    assert moved.value.reference == booked.reference
    # The old time is free again, the new one is taken.
    assert service.hold(TUE_9, consultation=screened()).ok
    assert service.hold(TUE_11, consultation=screened()).error_code == ErrorCode.SLOT_TAKEN
    with seeded.factory() as session:
        row = session.scalars(select(Appointment).where(Appointment.reference == booked.reference)).one()
        assert row.sequence == 1
    kinds = [n.kind for n in outbox(seeded.factory)]
    assert kinds == ["new_booking", "rescheduled"]
    assert "SEQUENCE:1" in outbox(seeded.factory)[-1].payload["ics"]
    by_email = service.reschedule(
        booked.reference, " ANN.LEE@example.COM ", key("microneedling", "nurse-b", london(2026, 3, 3, 14, 0))
    )
    assert by_email.ok and by_email.value.appointments[0].practitioner == "nurse-b"


def test_reschedule_into_a_taken_time_keeps_the_old_one(service, seeded):
    mine = book(service, TUE_9)
    book(service, TUE_11, contact=BOB, sender_id="other")
    clash = service.reschedule(mine.reference, ANN_PHONE_E164, key("microneedling", "dr-a", london(2026, 3, 3, 10, 30)))
    assert clash.error_code == ErrorCode.SLOT_TAKEN
    same = service.reschedule(mine.reference, ANN_PHONE_E164, TUE_9)
    assert same.error_code == ErrorCode.INVALID_REQUEST
    other_treatment = service.reschedule(
        mine.reference, ANN_PHONE_E164, key("consultation", "dr-a", london(2026, 3, 3, 13))
    )
    assert other_treatment.error_code == ErrorCode.INVALID_SLOT
    found = service.find_booking(mine.reference, contact=ANN_PHONE_E164).value
    assert found.appointments[0].start == london(2026, 3, 3, 9, 0)
    with seeded.factory() as session:
        cells = session.scalars(select(SlotOccupancy.slot_start).order_by(SlotOccupancy.slot_start)).all()
    assert len(cells) == 24  # two one-hour appointments, twelve 5-minute blocks each


def test_cancel_with_right_and_wrong_contact(service, seeded, clock):
    booked = book(service, TUE_9)
    assert service.cancel(booked.reference, "bob@example.org").error_code == ErrorCode.CONTACT_MISMATCH
    assert service.cancel(booked.reference, "0791112345x").error_code == ErrorCode.INVALID_PHONE
    assert [a.status for a in active_appointments(seeded.factory)] == ["confirmed"]
    cancelled = service.cancel(booked.reference, "+44 7911 123456", reason="can't make it")
    assert cancelled.ok and cancelled.value.status == "cancelled"
    assert count(seeded.factory, SlotOccupancy) == 0
    note = outbox(seeded.factory)[-1]
    assert note.kind == "cancellation" and "METHOD:CANCEL" in note.payload["ics"]
    assert "STATUS:CANCELLED" in note.payload["ics"]
    assert service.cancel(booked.reference, ANN_PHONE_E164).error_code == ErrorCode.INVALID_STATE
    assert service.hold(TUE_9, consultation=screened()).ok


def test_past_appointments_cannot_be_changed(service, clock):
    booked = book(service, TUE_9)
    clock.set(london(2026, 3, 3, 9, 30))
    assert service.cancel(booked.reference, ANN_PHONE_E164).error_code == ErrorCode.INVALID_STATE
    later = key("microneedling", "dr-a", london(2026, 3, 5, 9, 0))
    assert service.reschedule(booked.reference, ANN_PHONE_E164, later).error_code == ErrorCode.INVALID_STATE


def test_find_booking_by_contact_or_conversation(service):
    booked = book(service, TUE_9, sender_id="conv-9")
    formatted = f"{booked.reference[:4]}-{booked.reference[4:].lower()}"
    assert service.find_booking(formatted, contact="ann.lee@example.com").value.reference == booked.reference
    assert service.find_booking(booked.reference, sender_id="conv-9").ok
    assert service.find_booking(booked.reference, sender_id="conv-x").error_code == ErrorCode.NOT_FOUND
    assert service.find_booking(booked.reference, contact="x@example.com").error_code == ErrorCode.CONTACT_MISMATCH
    assert service.find_booking(booked.reference).error_code == ErrorCode.CONTACT_REQUIRED
    assert service.find_booking("ZZZZZZZZ", contact=ANN_PHONE_E164).error_code == ErrorCode.NOT_FOUND
    assert service.find_booking("ABC", contact=ANN_PHONE_E164).error_code == ErrorCode.INVALID_REFERENCE
    # Unknown reference and wrong contact read the same to the visitor.
    assert (
        service.find_booking("ZZZZZZZZ", contact=ANN_PHONE_E164).message
        == service.find_booking(booked.reference, contact="x@example.com").message
    )


def test_release_hold_and_calendar_file(service, seeded):
    held = service.hold(TUE_9, consultation=screened(), sender_id="conv-4")
    assert service.release_hold(held.value.reference, sender_id="conv-5").error_code == ErrorCode.NOT_FOUND
    assert service.calendar_file(held.value.reference, sender_id="conv-4").error_code == ErrorCode.INVALID_STATE
    released = service.release_hold(held.value.reference, sender_id="conv-4")
    assert released.ok and released.value.status == "cancelled"
    assert count(seeded.factory, ConsultationRecord) == 0 and count(seeded.factory, SlotOccupancy) == 0
    assert service.release_hold(held.value.reference, sender_id="conv-4").error_code == ErrorCode.INVALID_STATE
    booked = book(service, TUE_9, sender_id="conv-6")
    ics = service.calendar_file(booked.reference, contact=ANN_PHONE_E164)
    assert ics.ok and "DTSTART:20260303T090000Z" in ics.value and "DTEND:20260303T100000Z" in ics.value


def test_slot_keys_are_revalidated(service):
    outside = key("microneedling", "dr-a", london(2026, 3, 3, 16, 30))  # would end after Dr A's hours
    assert service.hold(outside, consultation=screened()).error_code == ErrorCode.SLOT_UNAVAILABLE
    off_grid = key("microneedling", "dr-a", london(2026, 3, 3, 9, 10))
    assert service.hold(off_grid, consultation=screened()).error_code == ErrorCode.SLOT_UNAVAILABLE
    sunday = key("microneedling", "dr-a", london(2026, 3, 8, 10, 0))
    assert service.hold(sunday, consultation=screened()).error_code == ErrorCode.SLOT_UNAVAILABLE
    past = key("microneedling", "dr-a", london(2026, 3, 2, 7, 0))
    assert service.hold(past, consultation=screened()).error_code == ErrorCode.SLOT_IN_PAST
    too_far = key("microneedling", "dr-a", london(2026, 4, 6, 9, 0))
    assert service.hold(too_far, consultation=screened()).error_code == ErrorCode.DATE_TOO_FAR
    assert service.hold("microneedling|dr-a|2026-02-30T09:00Z").error_code == ErrorCode.INVALID_SLOT
    assert service.hold('/book{"slot": 1}').error_code == ErrorCode.INVALID_SLOT
    assert service.hold(key("botox", "dr-a", london(2026, 3, 3, 9))).error_code == ErrorCode.UNKNOWN_TREATMENT
    assert service.hold(key("consultation", "dr-z", london(2026, 3, 3, 9))).error_code == ErrorCode.UNKNOWN_PRACTITIONER
    not_offered = service.hold(key("rf_microneedling", "nurse-b", london(2026, 3, 3, 10)), consultation=screened())
    assert not_offered.error_code == ErrorCode.SLOT_UNAVAILABLE


def test_a_conversation_holds_one_thing_at_a_time(service, seeded):
    first = service.hold(TUE_9, consultation=screened(), sender_id="conv-7")
    other = service.hold(
        key("microneedling", "nurse-b", london(2026, 3, 3, 10, 0)), consultation=screened(), sender_id="conv-8"
    )
    second = service.hold(TUE_11, consultation=screened(), sender_id="conv-7")
    assert first.ok and other.ok and second.ok
    assert service.confirm(first.value.reference, ANN, ["booking", "health_data"]).error_code == ErrorCode.INVALID_STATE
    third = service.hold(TUE_9, consultation=screened(), sender_id="conv-9")  # the first time is free again
    assert third.ok
    held = {a.reference for a in active_appointments(seeded.factory) if a.status == "held"}
    assert held == {other.value.reference, second.value.reference, third.value.reference}
    assert count(seeded.factory, ConsultationRecord) == 3  # the replaced hold's health data is gone
    assert service.confirm(second.value.reference, ANN, ["booking", "health_data"], sender_id="conv-7").ok


def test_a_hold_claims_its_five_minute_blocks_in_one_statement_and_a_taken_block_refuses(service, seeded):
    statements = []
    event.listen(
        seeded.engine,
        "before_cursor_execute",
        lambda conn, cursor, sql, params, context, many: statements.append((sql, many)),
    )
    held = service.hold(TUE_9, consultation=screened(), sender_id="conv-1")
    assert held.ok, held
    claims = [many for sql, many in statements if sql.lstrip().upper().startswith("INSERT INTO SLOT_OCCUPANCY")]
    assert claims == [True]
    with seeded.factory() as session:
        blocks = session.scalars(select(SlotOccupancy.slot_start).order_by(SlotOccupancy.slot_start)).all()
    assert len(blocks) == 12  # a 60-minute microneedling session
    assert blocks[0] == london(2026, 3, 3, 9, 0) and blocks[-1] == london(2026, 3, 3, 9, 55)
    again = service.hold(TUE_9, consultation=screened(), sender_id="conv-2")
    assert again.error_code == ErrorCode.SLOT_TAKEN
