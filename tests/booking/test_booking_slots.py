"""Free slots: opening and working hours, time off, bookings and holds, duration, notice, grid, filters."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from booking_support import LONDON, book, key, london, screened

from actions.booking.results import ErrorCode
from actions.booking.staff import StaffDesk

# Hours from clinic_test.yml (wall clock, London), weekday 0 = Monday.
CLINIC_HOURS = {d: (time(9), time(18)) for d in range(5)} | {5: (time(10), time(14))}
PRACTITIONER_HOURS = {
    "dr-a": {d: (time(9), time(17)) for d in range(5)},
    "nurse-b": {1: (time(10), time(18)), 3: (time(10), time(18))},
}
TUESDAY = date(2026, 3, 3)


def assert_bookable(offer, now):
    start, end = offer.start.astimezone(LONDON), offer.end.astimezone(LONDON)
    weekday = start.weekday()
    opens, closes = CLINIC_HOURS[weekday]
    works_from, works_to = PRACTITIONER_HOURS[offer.practitioner][weekday]
    assert max(opens, works_from) <= start.time(), offer
    assert end.time() <= min(closes, works_to) and end.date() == start.date(), offer
    assert start.minute % 30 == 0 and start.second == 0, offer
    assert offer.start >= now + timedelta(hours=24), offer


def starts(offers, practitioner=None):
    return [o.start.astimezone(LONDON).strftime("%H:%M") for o in offers if practitioner in (None, o.practitioner)]


def test_offers_respect_clinic_and_practitioner_hours_grid_and_notice(service, clock):
    result = service.find_slots("microneedling", days=14, limit=100)
    assert result.ok
    offers = result.value
    assert len(offers) == 100
    for offer in offers:
        assert_bookable(offer, clock())
    assert offers == sorted(offers, key=lambda o: o.start)
    # Monday 08:00 now + 24 h notice: Tuesday 09:00 with Dr A is the first possible time.
    assert offers[0].start == london(2026, 3, 3, 9, 0) and offers[0].practitioner == "dr-a"
    assert offers[0].label == "Tuesday 3 March, 09:00 with Dr A"


def test_treatment_duration_limits_the_last_start(service):
    offers = service.find_slots("rf_microneedling", on_date=TUESDAY, limit=100).value
    assert starts(offers, "dr-a")[-1] == "15:30"  # 90 minutes, Dr A works until 17:00
    assert "nurse-b" not in {o.practitioner for o in offers}  # Nurse B does not do RF
    offers = service.find_slots("microneedling", on_date=TUESDAY, limit=100).value
    assert starts(offers, "dr-a")[-1] == "16:00"
    assert starts(offers, "nurse-b")[-1] == "17:00"  # clinic closes 18:00, Nurse B works until 18:00


def test_minimum_notice_moves_the_first_offer(service, clock):
    clock.set(london(2026, 3, 2, 10, 10))
    offers = service.find_slots("microneedling", days=2, limit=100).value
    assert offers[0].start == london(2026, 3, 3, 10, 30)
    assert all(o.start >= london(2026, 3, 3, 10, 10) for o in offers)
    too_soon = service.hold(key("microneedling", "dr-a", london(2026, 3, 3, 10, 0)), consultation=screened())
    assert too_soon.error_code == ErrorCode.TOO_SHORT_NOTICE
    assert service.hold(key("microneedling", "dr-a", london(2026, 3, 3, 10, 30)), consultation=screened()).ok


def test_date_and_part_of_day_filter(service):
    evening = service.find_slots("microneedling", on_date="2026-03-03", part_of_day="evening", limit=100).value
    assert [(o.practitioner, starts([o])[0]) for o in evening] == [("nurse-b", "17:00")]
    afternoon = service.find_slots("microneedling", on_date=TUESDAY, part_of_day="Afternoon", limit=100).value
    assert afternoon and all(time(12) <= o.start.astimezone(LONDON).time() < time(17) for o in afternoon)
    assert "16:00" in starts(afternoon, "dr-a") and "16:30" not in starts(afternoon, "dr-a")
    morning = service.find_slots("microneedling", on_date=TUESDAY, part_of_day="morning", limit=100).value
    assert morning and all(o.start.astimezone(LONDON).time() < time(12) for o in morning)
    assert {o.start.astimezone(LONDON).date() for o in afternoon + morning + evening} == {TUESDAY}


def test_closed_days_and_days_nobody_works_have_no_slots(service):
    assert service.find_slots("microneedling", on_date="2026-03-08").value == []  # Sunday: closed
    assert service.find_slots("microneedling", on_date="2026-03-07").value == []  # Saturday: nobody works


def test_limit_per_day_and_practitioner_filter(service):
    offers = service.find_slots("microneedling", days=7, per_day=2, limit=6).value
    days = [o.start.astimezone(LONDON).date() for o in offers]
    assert len(offers) == 6 and all(days.count(d) <= 2 for d in days)
    only_nurse = service.find_slots("microneedling", days=7, practitioner="nurse-b", limit=100).value
    assert only_nurse and {o.practitioner for o in only_nurse} == {"nurse-b"}
    assert {o.start.astimezone(LONDON).weekday() for o in only_nurse} <= {1, 3}
    not_offered = service.find_slots("rf_microneedling", practitioner="nurse-b")
    assert not not_offered.ok and not_offered.error_code == ErrorCode.SLOT_UNAVAILABLE


def test_bookings_block_overlapping_starts(service):
    book(service, key("microneedling", "dr-a", london(2026, 3, 3, 9, 0)))
    dr_a = starts(service.find_slots("microneedling", on_date=TUESDAY, practitioner="dr-a", limit=100).value)
    assert "09:00" not in dr_a and "09:30" not in dr_a and dr_a[0] == "10:00"
    # A 90-minute treatment starting at 08:30 would overlap too; 10:00 does not.
    rf = starts(service.find_slots("rf_microneedling", on_date=TUESDAY, limit=100).value)
    assert rf[0] == "10:00"


def test_unexpired_holds_block_and_expired_holds_do_not(service, clock):
    held = service.hold(key("microneedling", "dr-a", london(2026, 3, 3, 10, 0)), consultation=screened())
    assert held.ok

    def dr_a():
        return starts(service.find_slots("microneedling", on_date=TUESDAY, practitioner="dr-a", limit=100).value)

    assert "10:00" not in dr_a() and "09:30" not in dr_a()
    clock.advance(minutes=9, seconds=59)
    assert "10:00" not in dr_a()
    clock.advance(seconds=1)  # the hold expires at exactly 10 minutes
    assert "10:00" in dr_a() and "09:30" in dr_a()


def test_time_off_blocks_slots(service, seeded, clock):
    desk = StaffDesk(seeded.factory, clock=clock)
    added = desk.add_time_off("dr-a", "2026-03-03 12:00", "2026-03-03 14:00", "training")
    assert added.ok
    dr_a = starts(service.find_slots("microneedling", on_date=TUESDAY, practitioner="dr-a", limit=100).value)
    assert "11:00" in dr_a and "14:00" in dr_a
    assert not {"11:30", "12:00", "12:30", "13:00", "13:30"} & set(dr_a)
    blocked = service.hold(key("microneedling", "dr-a", london(2026, 3, 3, 11, 30)), consultation=screened())
    assert blocked.error_code == ErrorCode.SLOT_UNAVAILABLE and blocked.details["reason"] == "time_off"
    whole_days = desk.add_time_off("nurse-b", "2026-03-05", "2026-03-05")
    assert whole_days.ok
    thursday = service.find_slots("microneedling", on_date="2026-03-05", limit=100).value
    assert thursday and {o.practitioner for o in thursday} == {"dr-a"}


def test_horizon_and_bad_dates(service, clock):
    today = clock().astimezone(LONDON).date()
    assert service.find_slots("microneedling", on_date=today + timedelta(days=28)).ok
    assert service.find_slots("microneedling", on_date=today + timedelta(days=29)).error_code == ErrorCode.DATE_TOO_FAR
    assert service.find_slots("microneedling", on_date="2026-03-01").error_code == ErrorCode.DATE_IN_PAST
    assert service.find_slots("microneedling", on_date="2026-02-30").error_code == ErrorCode.INVALID_DATE
    assert service.find_slots("microneedling", on_date="next tuesday").error_code == ErrorCode.INVALID_DATE
    assert service.find_slots("microneedling", part_of_day="night").error_code == ErrorCode.INVALID_PART_OF_DAY
    far = service.find_slots("microneedling", days=1000, limit=100, per_day=1).value
    assert max(o.start.astimezone(LONDON).date() for o in far) <= today + timedelta(days=28)
    assert service.find_slots("microneedling", days=0).error_code == ErrorCode.INVALID_REQUEST


def test_offer_key_round_trips_and_presents_local_time(service):
    offer = service.find_slots("microneedling", on_date=TUESDAY, practitioner="nurse-b").value[0]
    assert offer.key == "microneedling|nurse-b|2026-03-03T10:00Z"
    assert offer.start_local == datetime(2026, 3, 3, 10, 0, tzinfo=LONDON)
    assert offer.start.utcoffset() == timedelta(0)
