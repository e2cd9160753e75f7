"""Handoff tickets: opening (once per conversation), staying quiet while open, taking and closing."""

from __future__ import annotations

import threading

from booking_support import count
from sqlalchemy import select

from actions.booking.db import make_engine, session_factory
from actions.booking.handoffs import HandoffDesk, is_handoff_open
from actions.booking.models import HandoffTicket, OutboxMessage
from actions.booking.results import ErrorCode


def test_open_take_close(seeded, clock):
    desk = HandoffDesk(seeded.factory, clock=clock)
    assert not desk.is_open("conv-1")
    opened = desk.open("conv-1", "whatsapp", "visitor_asked", "Asked about PRP after isotretinoin.")
    assert opened.ok and opened.value.is_new and opened.value.status == "open"
    assert desk.is_open("conv-1") and is_handoff_open("conv-1", seeded.factory)
    assert not desk.is_open("conv-2")
    with seeded.factory() as session:
        [note] = session.scalars(select(OutboxMessage)).all()
    assert note.kind == "handoff" and note.handoff_id == opened.value.id
    assert note.payload["summary"] == "Asked about PRP after isotretinoin."
    assert note.payload["sender_id"] == "conv-1"

    again = desk.open("conv-1", "whatsapp", "visitor_asked", "second message")
    assert again.ok and not again.value.is_new and again.value.id == opened.value.id
    assert count(seeded.factory, HandoffTicket) == 1 and count(seeded.factory, OutboxMessage) == 1

    clock.advance(minutes=5)
    taken = desk.take(opened.value.id, "Sam (reception)")
    assert taken.ok and taken.value.status == "taken" and taken.value.taken_at == clock()
    assert desk.is_open("conv-1")  # a person has it: the assistant stays quiet
    assert desk.take(opened.value.id, "Sam (reception)").ok  # taking it again is harmless
    other = desk.take(opened.value.id, "Alex")
    assert other.error_code == ErrorCode.INVALID_STATE and "Sam" in other.message
    assert [t.id for t in desk.list().value] == [opened.value.id]

    closed = desk.close(opened.value.id)
    assert closed.ok and closed.value.status == "closed" and closed.value.closed_at == clock()
    assert not desk.is_open("conv-1")
    assert desk.close(opened.value.id).error_code == ErrorCode.INVALID_STATE
    assert desk.take(opened.value.id, "Sam").error_code == ErrorCode.INVALID_STATE
    assert desk.list().value == [] and len(desk.list(("open", "taken", "closed")).value) == 1

    reopened = desk.open("conv-1", "whatsapp", "complaint", "")
    assert reopened.value.is_new and reopened.value.id != opened.value.id


def test_bad_handoff_requests(seeded, clock):
    desk = HandoffDesk(seeded.factory, clock=clock)
    assert desk.take(999, "Sam").error_code == ErrorCode.NOT_FOUND
    assert desk.close(999).error_code == ErrorCode.NOT_FOUND
    assert desk.open("", "rest", "visitor_asked").error_code == ErrorCode.INVALID_REQUEST
    assert desk.open("conv", "rest", "x" * 65).error_code == ErrorCode.INVALID_REQUEST
    ticket = desk.open("conv", "rest", "visitor_asked").value
    assert desk.take(ticket.id, "  ").error_code == ErrorCode.INVALID_REQUEST
    assert desk.status("conv").value.id == ticket.id and desk.status("nobody").value is None


def test_simultaneous_opens_make_one_ticket(seeded, clock):
    barrier = threading.Barrier(20)
    results = []

    def open_one():
        barrier.wait()
        results.append(HandoffDesk(seeded.factory, clock=clock).open("conv-race", "rest", "visitor_asked"))

    threads = [threading.Thread(target=open_one) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(r.ok for r in results) and len({r.value.id for r in results}) == 1
    assert sum(r.value.is_new for r in results) == 1
    assert count(seeded.factory, HandoffTicket) == 1 and count(seeded.factory, OutboxMessage) == 1


def test_database_down_means_not_quiet_and_a_clear_error(clock):
    factory = session_factory(
        make_engine("postgresql+psycopg2://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 2})
    )
    desk = HandoffDesk(factory, clock=clock)
    assert desk.is_open("conv-1") is False
    result = desk.open("conv-1", "rest", "visitor_asked")
    assert not result.ok and result.error_code == ErrorCode.DATABASE_UNAVAILABLE and result.message
