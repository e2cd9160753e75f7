"""Forgetting a person (clinic data and tracker events) and retention of old data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from booking_support import ANN, ANN_PHONE_E164, BOB, book, count, key, london, screened
from sqlalchemy import create_engine, select, text

from actions.booking.contacts import ContactDetails
from actions.booking.handoffs import HandoffDesk
from actions.booking.models import (
    Appointment,
    Consent,
    ConsultationRecord,
    Contact,
    HandoffTicket,
    OutboxMessage,
    SlotOccupancy,
)
from actions.booking.outbox import deliver_due
from actions.booking.privacy import apply_retention, forget_person
from actions.booking.results import ErrorCode

# Rasa 3.6's SQLTrackerStore table (rasa/core/tracker_store.py, class SQLEvent).
EVENTS_DDL = """
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    sender_id VARCHAR(255) NOT NULL,
    type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT,
    intent_name VARCHAR(255),
    action_name VARCHAR(255),
    data TEXT
)
"""


@pytest.fixture
def tracker(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = create_engine(url, future=True)
    with engine.begin() as connection:
        connection.execute(text(EVENTS_DDL))
    yield url, engine
    engine.dispose()


def add_events(engine, sender_id, timestamps):
    with engine.begin() as connection:
        for moment in timestamps:
            connection.execute(
                text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, 'user', :t, '{}')"),
                {"s": sender_id, "t": moment},
            )


def events_by_sender(engine):
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT sender_id, count(*) FROM events GROUP BY sender_id")).all()
    return dict(rows)


@pytest.fixture
def people(service, seeded, clock, tracker):
    """Ann: a past appointment (conv-ann-1, with a handoff), a future one booked by e-mail only in another
    conversation (conv-ann-2). Bob: one future appointment (conv-bob). Events for all and a stranger."""
    _, engine = tracker
    book(service, key("microneedling", "dr-a", london(2026, 3, 3, 9, 0)), ANN, sender_id="conv-ann-1")
    HandoffDesk(seeded.factory, clock=clock).open("conv-ann-1", "rest", "visitor_asked", "Ann asked about aftercare")
    clock.set(london(2026, 3, 4, 8, 0))
    ann_later = book(
        service,
        key("microneedling", "dr-a", london(2026, 3, 12, 9, 0)),
        ContactDetails("Ann", email="ann.lee@example.com"),
        sender_id="conv-ann-2",
    )
    bob = book(service, key("microneedling", "nurse-b", london(2026, 3, 12, 10, 0)), BOB, sender_id="conv-bob")
    now = clock().timestamp()
    add_events(engine, "conv-ann-1", [now - 90000, now - 80000, now - 70000])
    add_events(engine, "conv-ann-2", [now - 100, now - 50])
    add_events(engine, "conv-bob", [now - 60, now - 30])
    add_events(engine, "conv-stranger", [now - 10])
    return {"ann_later": ann_later.reference, "bob": bob.reference}


def test_forget_a_person_everywhere(seeded, clock, tracker, people):
    url, engine = tracker
    dry = forget_person(seeded.factory, phone="07911 123456", tracker_url=url, clock=clock, dry_run=True)
    assert dry.ok and dry.value.dry_run
    assert count(seeded.factory, Contact) == 3 and events_by_sender(engine)["conv-ann-1"] == 3

    result = forget_person(seeded.factory, phone="07911 123456", tracker_url=url, clock=clock)
    assert result.ok, result
    report = result.value
    assert report.contacts == 2 and report.consents == 4 and report.consultation_records == 2
    assert report.handoff_tickets == 1 and report.notifications == 3  # 2 bookings + 1 handoff
    assert report.appointments_unlinked == 2 and report.appointments_cancelled == 1
    assert report.sender_ids == ["conv-ann-1", "conv-ann-2"] and report.tracker.events == 5
    assert (dry.value.contacts, dry.value.consultation_records, dry.value.tracker.events) == (2, 2, 5)
    assert "deleted: 2 contact(s)" in report.text()

    assert count(seeded.factory, Consent) == 2 and count(seeded.factory, ConsultationRecord) == 1  # Bob's
    assert count(seeded.factory, HandoffTicket) == 0
    with seeded.factory() as session:
        contacts = session.scalars(select(Contact)).all()
        assert [c.email for c in contacts] == ["bob@example.org"]
        assert [n.payload["reference"] for n in session.scalars(select(OutboxMessage))] == [people["bob"]]
        ann_rows = session.scalars(select(Appointment).where(Appointment.contact_id.is_(None))).all()
        assert len(ann_rows) == 2
        assert all(a.sender_id is None and a.channel is None and a.consultation_record_id is None for a in ann_rows)
        statuses = {a.reference: (a.status, a.cancel_reason) for a in ann_rows}
        assert statuses[people["ann_later"]] == ("cancelled", "person_forgotten")
        assert "ann" not in str(session.scalars(select(Contact.name)).all()).lower()
    assert events_by_sender(engine) == {"conv-bob": 2, "conv-stranger": 1}
    # Ann's future time is free again; Bob's booking is untouched.
    with seeded.factory() as session:
        later = session.scalars(select(Appointment).where(Appointment.reference == people["ann_later"])).one()
        bob = session.scalars(select(Appointment).where(Appointment.reference == people["bob"])).one()
        assert bob.status == "confirmed" and bob.contact.name == "Bob Stone"
    assert count(seeded.factory, SlotOccupancy, SlotOccupancy.appointment_id == later.id) == 0
    assert count(seeded.factory, SlotOccupancy, SlotOccupancy.appointment_id == bob.id) == 12
    again = forget_person(seeded.factory, phone=ANN_PHONE_E164, tracker_url=url, clock=clock)
    assert again.error_code == ErrorCode.NOT_FOUND


def test_forget_by_reference_or_conversation(seeded, clock, tracker, people):
    url, engine = tracker
    by_reference = forget_person(seeded.factory, reference=people["bob"].lower(), tracker_url=url, clock=clock)
    assert by_reference.ok and by_reference.value.contacts == 1 and by_reference.value.sender_ids == ["conv-bob"]
    assert "conv-bob" not in events_by_sender(engine)
    chat_only = forget_person(seeded.factory, sender_id="conv-stranger", tracker_url=url, clock=clock)
    assert chat_only.ok and chat_only.value.contacts == 0 and chat_only.value.tracker.events == 1
    assert forget_person(seeded.factory, tracker_url=url, clock=clock).error_code == ErrorCode.INVALID_REQUEST
    assert forget_person(seeded.factory, phone="12", clock=clock).error_code == ErrorCode.INVALID_PHONE
    assert forget_person(seeded.factory, reference="ZZZZZZZZ", clock=clock).error_code == ErrorCode.NOT_FOUND


def test_forget_reports_a_tracker_store_it_cannot_reach(seeded, clock, people):
    result = forget_person(
        seeded.factory, email="bob@example.org", tracker_url="postgresql+psycopg2://x@127.0.0.1:1/none", clock=clock
    )
    assert result.ok and result.value.contacts == 1
    assert result.value.tracker.error and "NOT cleaned" in result.value.text()


def test_retention_deletes_only_old_data(service, seeded, clock, tracker):
    url, engine = tracker
    start = clock()
    book(service, key("microneedling", "dr-a", london(2026, 3, 3, 9, 0)), sender_id="c1")  # ends 3 March
    [course] = service.find_series("microneedling", 3, "6-6", on_date="2026-03-05", practitioner="dr-a").value
    held = service.hold_series(course, consultation=screened(), sender_id="c2")  # last session ~ 28 May
    assert service.confirm(held.value.reference, BOB, ["booking", "health_data"]).ok
    desk = HandoffDesk(seeded.factory, clock=clock)
    closed = desk.open("c3", "rest", "visitor_asked", "old summary").value
    desk.close(closed.id)
    desk.open("c4", "rest", "visitor_asked", "still waiting")
    deliver_due(seeded.factory, type("T", (), {"description": "ok", "send": lambda self, n: None})(), clock)
    add_events(engine, "c1", [start.timestamp() - 3600, start.timestamp() + 60])

    clock.set(start + timedelta(days=40))  # cutoff for 30 days: 10 March
    add_events(engine, "c5", [clock().timestamp() - 60])
    desk.open("c6", "rest", "visitor_asked", "new, not yet delivered")
    dry = apply_retention(30, seeded.factory, tracker_url=url, clock=clock, dry_run=True)
    assert dry.ok and count(seeded.factory, ConsultationRecord) == 2
    result = apply_retention(30, seeded.factory, tracker_url=url, clock=clock)
    assert result.ok, result
    report = result.value
    assert report.consultation_records == 1  # the single booking's; the course still runs until May
    assert report.handoff_tickets == 1 and report.tracker.events == 2
    assert (dry.value.consultation_records, dry.value.handoff_tickets, dry.value.tracker.events) == (1, 1, 2)
    assert count(seeded.factory, ConsultationRecord) == 1
    with seeded.factory() as session:
        tickets = session.scalars(select(HandoffTicket.sender_id).order_by(HandoffTicket.id)).all()
        assert tickets == ["c4", "c6"]
        left = session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
        assert left == ["handoff"]  # delivered old ones deleted, the new undelivered one kept
        assert all(a.contact_id is not None for a in session.scalars(select(Appointment)))
    assert events_by_sender(engine) == {"c5": 1}
    assert apply_retention(0, seeded.factory, tracker_url=url, clock=clock).error_code == ErrorCode.INVALID_REQUEST


def test_retention_without_a_tracker_database(seeded, clock, tmp_path):
    result = apply_retention(30, seeded.factory, tracker_url=f"sqlite:///{tmp_path / 'missing.db'}", clock=clock)
    assert result.ok and "no tracker database" in result.value.tracker.note
    assert not (tmp_path / "missing.db").exists()
