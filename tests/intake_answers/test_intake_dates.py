"""Dates as visitors type them: past (last doses, procedures), future (events), booking day requests.
TODAY is Friday 20 November 2026; every expected day below is worked out by hand from it."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from intake_support import FEBRUARY, TODAY

from actions.intake_answers import DayRequest, parse_day_request, parse_future_date, parse_past_date


@pytest.mark.parametrize(
    "text, expected",
    [
        # month names: the last day of the month (conservative for a deferral)
        ("march", date(2026, 3, 31)),
        ("in january", date(2026, 1, 31)),
        ("end of march", date(2026, 3, 31)),
        ("beginning of march", date(2026, 3, 31)),
        ("mid-june", date(2026, 6, 30)),
        ("I stopped accutane in March", date(2026, 3, 31)),
        ("i was on it until feb", date(2026, 2, 28)),
        ("stopped in feb 2024", date(2024, 2, 29)),
        ("in november", TODAY),  # this month: not after today
        ("december", date(2025, 12, 31)),  # later than this month: last year
        ("last december", date(2025, 12, 31)),
        ("march last year", date(2025, 3, 31)),
        ("septmber", date(2026, 9, 30)),  # typo
        ("febuary", date(2026, 2, 28)),
        # relative
        ("2 months ago", date(2026, 9, 20)),
        ("two months ago", date(2026, 9, 20)),
        # "about" is a guess: one month nearer today, so a waiting time counted from it is never short
        ("about six months ago", date(2026, 6, 20)),
        ("six months ago", date(2026, 5, 20)),
        ("around 3 weeks ago", date(2026, 11, 6)),
        ("a year ago or so", date(2026, 1, 20)),
        ("over 6 months ago", date(2026, 5, 20)),
        ("3 weeks back", date(2026, 10, 30)),
        ("3wks ago", date(2026, 10, 30)),
        ("a week ago", date(2026, 11, 13)),
        ("a couple of weeks ago", date(2026, 11, 6)),
        ("a fortnight ago", date(2026, 11, 6)),
        ("10 days ago", date(2026, 11, 10)),
        ("a year ago", date(2025, 11, 20)),
        ("half a year ago", date(2026, 5, 20)),
        ("last week", date(2026, 11, 15)),  # the Sunday that ended last week
        ("last month", date(2026, 10, 31)),
        ("last year", date(2025, 12, 31)),
        ("yesterday", date(2026, 11, 19)),
        ("the day before yesterday", date(2026, 11, 18)),
        ("earlier today", TODAY),
        ("less than 2 weeks ago", TODAY),  # an upper bound: the closest day is today
        ("within the last month", TODAY),
        ("over a year ago", date(2025, 11, 20)),
        ("last monday", date(2026, 11, 16)),
        ("on monday", date(2026, 11, 16)),
        ("on friday", TODAY),
        ("last friday", date(2026, 11, 13)),
        # explicit dates
        ("15/09/2026", date(2026, 9, 15)),  # UK: day first
        ("03/04/2026", date(2026, 4, 3)),  # 3 April, not March 4
        ("09/15/2026", date(2026, 9, 15)),  # US order only when day-first is impossible
        ("15.09.26", date(2026, 9, 15)),
        ("2026-09-15", date(2026, 9, 15)),
        ("15 sept", date(2026, 9, 15)),
        ("15th of september", date(2026, 9, 15)),
        ("sept 15th", date(2026, 9, 15)),
        ("september 15, 2025", date(2025, 9, 15)),
        ("on the 12th", date(2026, 11, 12)),
        ("the 25th", date(2026, 10, 25)),  # the 25th of this month is still to come
        ("on the 31st", date(2026, 10, 31)),
        ("12 dec", date(2025, 12, 12)),
        ("christmas", date(2025, 12, 25)),
        ("in 2024", date(2024, 12, 31)),
    ],
)
def test_past_dates(text, expected):
    assert parse_past_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no idea",
        "a few weeks ago",
        "some time ago",
        "ages ago",
        "a while back",
        "in 3 weeks",
        "tomorrow",
        "next week",
        "i may be pregnant",
        "march on",
        "31/02/2026",
        "13/13/2026",
        "2027-01-05",
        "15/12/2026",
        "1-3 days",
        "2/3 sessions",
        "i'm 34",
        "anyway",
        "wait a mo",
    ],
)
def test_past_date_unknown_or_not_past_is_none(text):
    assert parse_past_date(text, TODAY) is None


def test_month_later_than_today_means_last_year():
    assert parse_past_date("stopped in march", FEBRUARY) == date(2025, 3, 31)
    assert parse_past_date("in february", FEBRUARY) == FEBRUARY  # this month: up to today only
    assert parse_past_date("in january", FEBRUARY) == date(2026, 1, 31)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("in 3 weeks", date(2026, 12, 11)),
        ("in three weeks' time", date(2026, 12, 11)),
        ("2 weeks from now", date(2026, 12, 4)),
        ("in a month", date(2026, 12, 20)),
        ("in a fortnight", date(2026, 12, 4)),
        ("within 2 weeks", TODAY),  # the earliest possible day
        ("tomorrow", date(2026, 11, 21)),
        ("tmrw", date(2026, 11, 21)),
        ("day after tomorrow", date(2026, 11, 22)),
        ("next saturday", date(2026, 11, 21)),  # the coming Saturday
        ("saturday", date(2026, 11, 21)),
        ("this friday", TODAY),
        ("friday", date(2026, 11, 27)),
        ("next friday", date(2026, 11, 27)),
        ("tuesday next week", date(2026, 11, 24)),
        ("next week", date(2026, 11, 23)),
        ("next month", date(2026, 12, 1)),
        ("march", date(2027, 3, 1)),  # a month: its first day (earliest for an event)
        ("end of march", date(2027, 3, 1)),
        ("december", date(2026, 12, 1)),
        ("november", TODAY),
        ("wedding on 12 december", date(2026, 12, 12)),
        ("the wedding is 12/12", date(2026, 12, 12)),
        ("a party in 3 weeks", date(2026, 12, 11)),
        ("on the 12th", date(2026, 12, 12)),
        ("on the 20th", TODAY),
        ("15/09/2027", date(2027, 9, 15)),
        ("may 3rd", date(2027, 5, 3)),
        ("christmas", date(2026, 12, 25)),
        ("new year's eve", date(2026, 12, 31)),
    ],
)
def test_future_dates(text, expected):
    assert parse_future_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text", ["", "2 weeks ago", "yesterday", "last week", "15/09/2026", "2026-01-01", "soon", "in a few weeks"]
)
def test_future_date_unknown_or_past_is_none(text):
    assert parse_future_date(text, TODAY) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("next tuesday afternoon", DayRequest(day=date(2026, 11, 24), weekday=1, part_of_day="afternoon")),
        ("tuesday", DayRequest(day=date(2026, 11, 24), weekday=1)),
        ("friday morning", DayRequest(day=date(2026, 11, 27), weekday=4, part_of_day="morning")),
        ("sat morning", DayRequest(day=date(2026, 11, 21), weekday=5, part_of_day="morning")),
        ("tomorrow", DayRequest(day=date(2026, 11, 21))),
        ("12 dec", DayRequest(day=date(2026, 12, 12))),
        ("any tuesday evening", DayRequest(weekday=1, part_of_day="evening")),
        ("tuesdays are best", DayRequest(weekday=1)),
        ("anything next week?", DayRequest(earliest=date(2026, 11, 23), latest=date(2026, 11, 29))),
        ("next week on wednesday", DayRequest(day=date(2026, 11, 25), weekday=2)),
        ("after the 10th", DayRequest(earliest=date(2026, 12, 11))),
        ("from the 1st of december", DayRequest(earliest=date(2026, 12, 1))),
        ("before friday", DayRequest(latest=date(2026, 11, 26))),
        ("later", DayRequest(later=True)),
        ("something later please", DayRequest(later=True)),
        ("tomorrow at 10am", DayRequest(day=date(2026, 11, 21), time=time(10, 0))),
        ("the 10am one", DayRequest(time=time(10, 0))),
        ("monday at 3", DayRequest(day=date(2026, 11, 23), weekday=0, time=time(15, 0))),
        ("i am free monday pm", DayRequest(day=date(2026, 11, 23), weekday=0, part_of_day="afternoon")),
        ("after work", DayRequest(part_of_day="evening")),
        ("", DayRequest()),
        ("any time", DayRequest()),
    ],
)
def test_day_requests(text, expected):
    assert parse_day_request(text, TODAY) == expected


def test_an_empty_day_request_says_so():
    assert parse_day_request("whenever suits", TODAY).is_empty()
    assert not parse_day_request("friday", TODAY).is_empty()


_PHRASES = st.sampled_from(
    [
        "{n} days ago",
        "{n} weeks ago",
        "{n} months ago",
        "in {n} days",
        "in {n} weeks",
        "{month}",
        "in {month}",
        "end of {month}",
        "{d} {month}",
        "{month} {d}",
        "{d}/{m}",
        "{d}/{m}/2026",
        "the {d}th",
        "last {weekday}",
        "next {weekday}",
        "{weekday}",
        "stopped it {n} weeks ago",
        "wedding on {d} {month}",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    phrase=_PHRASES,
    n=st.integers(0, 40),
    d=st.integers(1, 31),
    m=st.integers(1, 12),
    month=st.sampled_from(
        ["january", "feb", "march", "april", "may", "june", "july", "august", "sept", "october", "nov", "december"]
    ),
    weekday=st.sampled_from(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]),
    offset=st.integers(0, 3000),
)
def test_past_is_never_after_today_and_future_never_before(phrase, n, d, m, month, weekday, offset):
    today = date(2020, 1, 1) + timedelta(days=offset)
    text = phrase.format(n=n, d=d, m=m, month=month, weekday=weekday)
    past, future = parse_past_date(text, today), parse_future_date(text, today)
    assert past is None or past <= today
    assert future is None or future >= today
