"""A search day by day reads one snapshot: the same offers as separate searches, the clinic loaded once."""

from __future__ import annotations

from datetime import date, timedelta

from booking_support import book, screened

from actions.booking import schedule, store
from actions.booking.results import ErrorCode

MONDAY = date(2026, 3, 2)
WEEK = [MONDAY + timedelta(days=n) for n in range(1, 8)]


def test_searches_in_a_snapshot_find_what_separate_searches_find(service):
    separate = [service.find_slots("microneedling", on_date=day, limit=5).value for day in WEEK]
    courses = [service.find_series("microneedling", 3, (4, 6), on_date=day, limit=1).value for day in WEEK]
    with service.snapshot() as reader:
        assert [reader.find_slots("microneedling", on_date=day, limit=5).value for day in WEEK] == separate
        assert [reader.find_series("microneedling", 3, (4, 6), on_date=day, limit=1).value for day in WEEK] == courses
    assert any(separate) and any(courses)


def test_the_clinic_is_loaded_once_per_snapshot(service, monkeypatch):
    loads = []
    original = store._load_context
    monkeypatch.setattr(store, "_load_context", lambda session, slug: loads.append(slug) or original(session, slug))
    with service.snapshot() as reader:
        for day in WEEK:
            reader.find_series("microneedling", 3, (4, 6), on_date=day, limit=1)
    assert len(loads) == 1
    service.find_slots("microneedling", on_date=WEEK[0])
    service.find_slots("microneedling", on_date=WEEK[1])
    assert len(loads) == 3, "outside a snapshot every search reads the clinic afresh"


def test_bad_input_in_a_snapshot_is_refused_and_the_next_search_still_works(service):
    with service.snapshot() as reader:
        assert reader.find_slots("tattoo_removal", on_date=WEEK[0]).error_code == ErrorCode.UNKNOWN_TREATMENT
        assert reader.find_slots("microneedling", on_date=WEEK[0]).ok


def test_a_time_booked_from_a_snapshot_search_is_booked_once(service):
    with service.snapshot() as reader:
        offer = reader.find_slots("microneedling", on_date=WEEK[0], limit=1).value[0]
        book(service, offer, consultation=screened())
        again = service.hold(offer, consultation=screened(), sender_id="sender-2", channel="rest")
    assert again.error_code == ErrorCode.SLOT_TAKEN
    assert offer.key not in {o.key for o in service.find_slots("microneedling", on_date=WEEK[0], limit=100).value}


def test_a_snapshot_works_out_each_days_grid_once(service, monkeypatch):
    computed = []
    original = schedule.day_candidates
    monkeypatch.setattr(
        schedule,
        "day_candidates",
        lambda ctx, practitioner, treatment, day: (
            computed.append((practitioner.id, treatment.id, day)) or original(ctx, practitioner, treatment, day)
        ),
    )
    with service.snapshot() as reader:
        in_snapshot = [reader.find_series("microneedling", 3, (4, 6), on_date=day, limit=1).value for day in WEEK]
    assert computed and len(computed) == len(set(computed))
    computed.clear()
    separate = [service.find_series("microneedling", 3, (4, 6), on_date=day, limit=1).value for day in WEEK]
    assert len(computed) > len(set(computed)), "outside a snapshot each search works its days out afresh"
    assert in_snapshot == separate and any(separate)
