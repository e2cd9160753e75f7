"""Courses of sessions: spacing, time off, daylight-saving changes, all-or-nothing holds."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from booking_support import ANN, ANN_PHONE_E164, BOB, LONDON, count, key, london, screened
from sqlalchemy import select

from actions.booking.models import Appointment, AppointmentSeries, OutboxMessage
from actions.booking.results import ErrorCode
from actions.booking.staff import StaffDesk


def local(offer_or_view):
    return offer_or_view.start.astimezone(LONDON)


def gaps_in_days(sessions):
    days = [local(s).date() for s in sessions]
    return [(b - a).days for a, b in zip(days, days[1:])]


def test_series_sessions_are_spaced_within_the_interval(service, clock):
    result = service.find_series("microneedling", 3, "4-6", limit=3)
    assert result.ok and len(result.value) == 3
    first_days = [local(offer.sessions[0]).date() for offer in result.value]
    assert len(set(first_days)) == 3  # offers start on different days
    for offer in result.value:
        assert len(offer.sessions) == 3
        assert all(28 <= gap <= 42 for gap in gaps_in_days(offer.sessions))
        assert offer.sessions[0].start >= clock() + timedelta(hours=24) and offer.interval_weeks == (4, 6)
        assert len({s.practitioner for s in offer.sessions}) == 1  # same practitioner when possible
        assert len({local(s).time() for s in offer.sessions}) == 1  # and the same time of day


def test_series_across_the_spring_daylight_saving_change(service):
    # 10 March is GMT (UTC+0); 7 April is BST (UTC+1): same wall-clock time, one hour earlier in UTC.
    [offer] = service.find_series("microneedling", 2, (4, 4), on_date="2026-03-10", practitioner="dr-a", limit=1).value
    first, second = offer.sessions
    assert local(first) == datetime(2026, 3, 10, 9, 0, tzinfo=LONDON)
    assert local(second) == datetime(2026, 4, 7, 9, 0, tzinfo=LONDON)
    assert first.start == datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)
    assert second.start == datetime(2026, 4, 7, 8, 0, tzinfo=timezone.utc)
    held = service.hold_series(offer, consultation=screened())
    assert held.ok, held
    assert [a.start for a in held.value.appointments] == [first.start, second.start]


def test_series_across_the_autumn_daylight_saving_change(service, clock):
    clock.set(datetime(2026, 10, 5, 8, 0, tzinfo=timezone.utc))  # Monday, BST
    [offer] = service.find_series("microneedling", 2, 4, on_date="2026-10-13", practitioner="dr-a", limit=1).value
    first, second = offer.sessions
    assert local(first) == datetime(2026, 10, 13, 9, 0, tzinfo=LONDON)
    assert local(second) == datetime(2026, 11, 10, 9, 0, tzinfo=LONDON)
    assert first.start == datetime(2026, 10, 13, 8, 0, tzinfo=timezone.utc)  # BST, UTC+1
    assert second.start == datetime(2026, 11, 10, 9, 0, tzinfo=timezone.utc)  # GMT again
    booked = service.hold_series(offer.key, consultation=screened())
    assert booked.ok
    assert service.confirm(booked.value.reference, ANN, ["booking", "health_data"]).ok


def test_series_steps_around_practitioner_time_off(service, seeded, clock):
    desk = StaffDesk(seeded.factory, clock=clock)
    assert desk.add_time_off("dr-a", "2026-04-06", "2026-04-10", "holiday").ok
    [offer] = service.find_series("microneedling", 3, "4-6", on_date="2026-03-10", part_of_day="morning", limit=1).value
    first, second, third = offer.sessions
    assert local(first).date() == date(2026, 3, 10) and first.practitioner == "dr-a"
    # Four weeks later Dr A is away all week: the earliest Dr A day in the 4-6 week window is Mon 13 April.
    assert local(second).date() == date(2026, 4, 13) and second.practitioner == "dr-a"
    assert not (date(2026, 4, 6) <= local(second).date() <= date(2026, 4, 10))
    assert local(third).date() == date(2026, 5, 11)
    assert all(28 <= gap <= 42 for gap in gaps_in_days(offer.sessions))
    # With Dr A away for the whole window, a Dr-A-only course cannot start on 10 March.
    assert desk.add_time_off("dr-a", "2026-04-11", "2026-04-21").ok
    assert service.find_series("microneedling", 2, "4-6", on_date="2026-03-10", practitioner="dr-a").value == []
    # A hold of the earlier offer is re-checked and refused.
    refused = service.hold_series(offer, consultation=screened())
    assert refused.error_code == ErrorCode.SLOT_UNAVAILABLE and refused.details["reason"] == "time_off"


def test_series_hold_is_all_or_nothing(service, seeded):
    [offer] = service.find_series("microneedling", 3, "4-6", on_date="2026-03-10", practitioner="dr-a", limit=1).value
    # Someone else books the third session's time (it is beyond the horizon for single bookings, so
    # they book it as the second session of their own course).
    third = offer.sessions[2]
    rival_first = key("microneedling", "dr-a", london(2026, 3, 24, 9, 0))
    rival = service.hold_series(f"6-7/{rival_first},{third.key}", consultation=screened(), sender_id="rival")
    assert rival.ok, rival
    before = count(seeded.factory, Appointment)
    result = service.hold_series(offer, consultation=screened(), sender_id="me")
    assert result.error_code == ErrorCode.SLOT_TAKEN and result.details["session"] == 3
    assert count(seeded.factory, Appointment) == before
    assert count(seeded.factory, AppointmentSeries) == 1


def test_series_spacing_and_treatment_are_checked(service):
    a = key("microneedling", "dr-a", london(2026, 3, 10, 9, 0))
    b = key("microneedling", "dr-a", london(2026, 3, 24, 9, 0))
    assert service.hold_series(f"4-6/{a},{b}", consultation=screened()).error_code == ErrorCode.INVALID_SLOT
    c = key("consultation", "dr-a", london(2026, 4, 7, 9, 0))
    assert service.hold_series(f"4-6/{a},{c}", consultation=screened()).error_code == ErrorCode.INVALID_SLOT
    assert service.hold_series("4-6/", consultation=screened()).error_code == ErrorCode.INVALID_SLOT
    assert service.hold_series(f"9-4/{a}", consultation=screened()).error_code == ErrorCode.INVALID_REQUEST
    assert service.find_series("microneedling", 0).error_code == ErrorCode.INVALID_REQUEST
    assert service.find_series("microneedling", 3, "six weeks").error_code == ErrorCode.INVALID_REQUEST
    assert service.find_series("microneedling", 3, (6, 4)).error_code == ErrorCode.INVALID_REQUEST


def test_confirm_and_cancel_a_course(service, seeded):
    [offer] = service.find_series("microneedling_prp", 3, "4-6", on_date="2026-03-12", limit=1).value
    held = service.hold_series(offer, consultation=screened(), sender_id="conv-s")
    assert held.ok and held.value.status == "held" and len(held.value.appointments) == 3
    series_reference = held.value.reference
    assert all(a.series_reference == series_reference for a in held.value.appointments)
    assert [a.series_position for a in held.value.appointments] == [1, 2, 3]
    done = service.confirm(series_reference, ANN, ["booking", "health_data"], sender_id="conv-s")
    assert done.ok and done.value.status == "confirmed"
    with seeded.factory() as session:
        [note] = session.scalars(select(OutboxMessage)).all()
        assert note.payload["ics"].count("BEGIN:VEVENT") == 3 and "+2 more sessions" in note.subject
    # Moving a course needs the session's own reference; each session can be cancelled on its own.
    assert service.reschedule(series_reference, ANN_PHONE_E164, offer.sessions[0].key).error_code == (
        ErrorCode.INVALID_REQUEST
    )
    second = done.value.appointments[1].reference
    assert service.cancel(second, ANN_PHONE_E164).ok
    course = service.find_booking(series_reference, contact=ANN_PHONE_E164).value
    assert [a.status for a in course.appointments] == ["confirmed", "cancelled", "confirmed"]
    rest = service.cancel(series_reference, "ann.lee@example.com")
    assert rest.ok and [a.status for a in rest.value.appointments] == ["cancelled"] * 3
    assert service.cancel(series_reference, BOB.email).error_code == ErrorCode.CONTACT_MISMATCH
