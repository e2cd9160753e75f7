"""No double booking, ever: many simultaneous attempts on one practitioner's time leave exactly one.

Threads start together behind a barrier, each with its own session and connection, on SQLite and on
PostgreSQL. One variant switches off the Python-side availability check so that only the database's
UNIQUE (practitioner_id, slot_start) constraint stands between the racers.
"""

from __future__ import annotations

import threading
from collections import Counter

from booking_support import ANN, active_appointments, count, key, london, screened
from sqlalchemy import select

from actions.booking import service as service_module
from actions.booking.models import SlotOccupancy
from actions.booking.results import ErrorCode
from actions.booking.service import BookingService

RACERS = 30


def race(attempts):
    """Run the callables at the same moment in threads; return their results in order."""
    barrier = threading.Barrier(len(attempts))
    results = [None] * len(attempts)

    def run(index, attempt):
        barrier.wait()
        try:
            results[index] = attempt()
        except Exception as exc:  # recorded, so the assertion shows it
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a booking attempt hung"
    return results


def outcome(results):
    assert not [r for r in results if isinstance(r, Exception)], results
    return Counter("ok" if r.ok else r.error_code for r in results)


def assert_one_appointment(factory, minutes):
    [winner] = active_appointments(factory, "dr-a")
    with factory() as session:
        cells = session.scalars(select(SlotOccupancy).where(SlotOccupancy.appointment_id == winner.id)).all()
    assert len(cells) == minutes // 5
    assert count(factory, SlotOccupancy) == minutes // 5


def test_simultaneous_holds_of_the_same_slot(seeded, clock):
    slot = key("microneedling", "dr-a", london(2026, 3, 3, 9, 0))
    attempts = [
        (lambda i=i: BookingService(seeded.factory, clock=clock).hold(slot, consultation=screened(), sender_id=f"c{i}"))
        for i in range(RACERS)
    ]
    tally = outcome(race(attempts))
    assert tally == {"ok": 1, ErrorCode.SLOT_TAKEN: RACERS - 1}
    assert_one_appointment(seeded.factory, 60)


def test_simultaneous_overlapping_bookings_of_different_lengths(seeded, clock):
    one_hour_at_9 = key("microneedling", "dr-a", london(2026, 3, 3, 9, 0))
    ninety_at_930 = key("rf_microneedling", "dr-a", london(2026, 3, 3, 9, 30))
    attempts = [
        (
            lambda i=i: BookingService(seeded.factory, clock=clock).hold(
                one_hour_at_9 if i % 2 else ninety_at_930, consultation=screened(), sender_id=f"c{i}"
            )
        )
        for i in range(RACERS)
    ]
    results = race(attempts)
    tally = outcome(results)
    assert tally == {"ok": 1, ErrorCode.SLOT_TAKEN: RACERS - 1}
    [winner] = [r for r in results if r.ok]
    assert_one_appointment(seeded.factory, 60 if winner.value.appointments[0].treatment == "microneedling" else 90)


def test_the_database_constraint_alone_prevents_double_booking(seeded, clock, monkeypatch):
    monkeypatch.setattr(service_module, "has_conflict", lambda *args, **kwargs: False)
    slot = key("microneedling", "dr-a", london(2026, 3, 3, 10, 0))
    overlapping = key("microneedling", "dr-a", london(2026, 3, 3, 10, 30))
    attempts = [
        (
            lambda i=i: BookingService(seeded.factory, clock=clock).hold(
                slot if i % 3 else overlapping, consultation=screened(), sender_id=f"c{i}"
            )
        )
        for i in range(RACERS)
    ]
    tally = outcome(race(attempts))
    assert tally == {"ok": 1, ErrorCode.SLOT_TAKEN: RACERS - 1}
    assert_one_appointment(seeded.factory, 60)
    # Sequentially too: without the Python check a second hold still fails on the constraint.
    again = BookingService(seeded.factory, clock=clock).hold(slot, consultation=screened())
    assert again.error_code == ErrorCode.SLOT_TAKEN


def test_simultaneous_course_holds_sharing_one_session(seeded, clock):
    service = BookingService(seeded.factory, clock=clock)
    [offer] = service.find_series("microneedling", 3, "4-6", on_date="2026-03-10", practitioner="dr-a", limit=1).value
    attempts = [
        (lambda i=i: BookingService(seeded.factory, clock=clock).hold_series(offer, consultation=screened()))
        for i in range(RACERS)
    ]
    tally = outcome(race(attempts))
    assert tally == {"ok": 1, ErrorCode.SLOT_TAKEN: RACERS - 1}
    assert len(active_appointments(seeded.factory, "dr-a")) == 3


def test_simultaneous_reschedules_into_one_slot(seeded, clock):
    racers = RACERS
    service = BookingService(seeded.factory, clock=clock)
    references = []
    for _ in range(racers):
        # One-hour bookings spread over Tuesdays-Fridays of the next weeks, all with Dr A.
        offers = service.find_slots("microneedling", practitioner="dr-a", limit=1, days=28).value
        held = service.hold(offers[0], consultation=screened())
        assert held.ok
        assert service.confirm(held.value.reference, ANN, ["booking", "health_data"]).ok
        references.append(held.value.reference)
    target = key("microneedling", "dr-a", london(2026, 3, 27, 15, 0))
    free_before = service.find_slots("microneedling", on_date="2026-03-27", practitioner="dr-a", limit=100).value
    assert target in [o.key for o in free_before]
    attempts = [
        (lambda ref=ref: BookingService(seeded.factory, clock=clock).reschedule(ref, "07911 123456", target))
        for ref in references
    ]
    tally = outcome(race(attempts))
    assert tally == {"ok": 1, ErrorCode.SLOT_TAKEN: racers - 1}
    starts = [a.starts_at for a in active_appointments(seeded.factory, "dr-a")]
    assert len(starts) == racers and starts.count(london(2026, 3, 27, 15, 0)) == 1
