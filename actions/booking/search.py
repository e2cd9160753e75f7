"""Finding free times to offer: the course a recommendation asks for, the times a visitor asked for
("friday morning", "after the 10th", "later"), and the nearest others when nothing matches.

Pure booking logic on top of :class:`actions.booking.service.BookingService`'s ``find_slots`` and
``find_series``; no conversation in here. The conversation keeps a :class:`SlotSearch` in a slot
(``to_slot`` / ``from_slot``) and shows the :class:`OfferPage` it gets back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable, Mapping, Sequence, Union

from actions.booking.results import Result
from actions.booking.views import SeriesOffer, SlotOffer
from actions.content.clinic import Clinic

Offer = Union[SlotOffer, SeriesOffer]

SINGLE_OFFERS = 4  # single times offered at once
COURSE_OFFERS = 3  # courses offered at once
PER_DAY = 2  # single times per day, unless the visitor named the day
DAY_FETCH_LIMIT = 100
MAX_COURSE_SESSIONS = 12
MAX_INTERVAL_WEEKS = 26
PARTS_OF_DAY = ("morning", "afternoon", "evening")


# --- what is booked: one session or a course ------------------------------------------------------------


@dataclass(frozen=True)
class Course:
    """A course of sessions from a recommendation: how many, and the weeks between them."""

    sessions: int
    interval_weeks: tuple[int, int]


def _first_number(value: Any) -> int | None:
    match = re.search(r"\d+", str(value or ""))
    return int(match.group()) if match else None


def parse_course_interval(value: Any) -> tuple[int, int] | None:
    """(min, max) weeks from "4-6", "4 (3-6)" (typically 4, at most 6) or "4"."""
    words = str(value or "").replace("–", "-")
    typical_and_range = re.search(r"(\d+)\s*\(\s*(\d+)\s*-\s*(\d+)\s*\)", words)
    plain_range = re.search(r"(\d+)\s*-\s*(\d+)", words)
    if typical_and_range:
        low, high = int(typical_and_range[1]), max(int(typical_and_range[1]), int(typical_and_range[3]))
    elif plain_range:
        low, high = int(plain_range[1]), int(plain_range[2])
    else:
        low = high = _first_number(words) or 0
    return (low, high) if 1 <= low <= high <= MAX_INTERVAL_WEEKS else None


def course_plan(decision: Mapping[str, Any] | None, modality: str | None) -> Course | None:
    """The course the decision recommends for a treatment of ``modality`` ("about 3" sessions, "2-4" weeks
    apart), or None when it is one session, the consultation (no modality) or the clinician sets the
    course ("set by the clinician")."""
    if not isinstance(decision, Mapping) or modality is None:
        return None
    for item in decision.get("recommendation") or ():
        if isinstance(item, Mapping) and item.get("modality") == modality:
            sessions = _first_number(item.get("sessions"))
            interval = parse_course_interval(item.get("interval_weeks"))
            if sessions and 2 <= sessions <= MAX_COURSE_SESSIONS and interval:
                return Course(sessions, interval)
            return None
    return None


# --- what the visitor asked for ---------------------------------------------------------------------------


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _datetime(value: Any) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return parsed if parsed is not None and parsed.tzinfo is not None else None


def _time(value: Any) -> time | None:
    try:
        return time.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class SlotSearch:
    """The times the visitor asked for (kept in a slot) and how far they have paged."""

    day: date | None = None
    weekday: int | None = None
    part_of_day: str | None = None
    earliest: date | None = None
    latest: date | None = None
    time: time | None = None
    after: datetime | None = None  # offer only times starting after this ("later")
    shown_until: datetime | None = None  # the start of the last time offered

    @classmethod
    def from_request(cls, request: Any) -> "SlotSearch":
        """From a day request read from the visitor's words (actions.intake_answers.DayRequest)."""
        part = request.part_of_day if request.part_of_day in PARTS_OF_DAY else None
        return cls(request.day, request.weekday, part, request.earliest, request.latest, request.time)

    @classmethod
    def from_slot(cls, value: Any) -> "SlotSearch":
        if not isinstance(value, Mapping):
            return cls()
        weekday = value.get("weekday")
        part = value.get("part_of_day")
        return cls(
            day=_date(value.get("day")),
            weekday=weekday if isinstance(weekday, int) and 0 <= weekday <= 6 else None,
            part_of_day=part if part in PARTS_OF_DAY else None,
            earliest=_date(value.get("earliest")),
            latest=_date(value.get("latest")),
            time=_time(value.get("time")),
            after=_datetime(value.get("after")),
            shown_until=_datetime(value.get("shown_until")),
        )

    def to_slot(self) -> dict[str, Any]:
        def iso(value: Any) -> str | None:
            return value.isoformat() if value is not None else None

        return {
            "day": iso(self.day),
            "weekday": self.weekday,
            "part_of_day": self.part_of_day,
            "earliest": iso(self.earliest),
            "latest": iso(self.latest),
            "time": self.time.strftime("%H:%M") if self.time else None,
            "after": iso(self.after),
            "shown_until": iso(self.shown_until),
        }

    @property
    def constrained(self) -> bool:
        return any(
            v is not None for v in (self.day, self.weekday, self.part_of_day, self.earliest, self.latest, self.time)
        )

    def first_day(self, today: date) -> date:
        return max(today, self.day or self.earliest or today)

    def days(self, today: date, last_day: date, tz: Any) -> list[date]:
        """The days to look at, earliest first, within today..last_day."""
        if self.day is not None:
            return [self.day] if today <= self.day <= last_day else []
        start = self.first_day(today)
        if self.after is not None:
            start = max(start, self.after.astimezone(tz).date())
        end = min(last_day, self.latest or last_day)
        days = []
        while start <= end:
            if self.weekday is None or start.weekday() == self.weekday:
                days.append(start)
            start += timedelta(days=1)
        return days


# --- searching ----------------------------------------------------------------------------------------------


def first_start(offer: Offer) -> datetime:
    return offer.sessions[0].start if isinstance(offer, SeriesOffer) else offer.start


@dataclass
class OfferPage:
    offers: list[Offer]
    error: Result | None = None
    nothing_then: bool = False  # nothing matched what was asked; these are the nearest other times
    wrapped: bool = False  # nothing later: back to the earliest times


def _minutes(instant: datetime, tz: Any) -> int:
    wall = instant.astimezone(tz)
    return wall.hour * 60 + wall.minute


def _collect(
    service: Any,
    treatment: str,
    course: Course | None,
    search: SlotSearch,
    days: Sequence[date],
    limit: int,
    per_day: int,
    exclude: frozenset[str],
    tz: Any,
) -> tuple[list[Offer], Result | None]:
    offers: list[Offer] = []
    for day in days:
        if course is not None:
            result = service.find_series(
                treatment,
                course.sessions,
                course.interval_weeks,
                on_date=day,
                part_of_day=search.part_of_day,
                limit=3 if search.time else 1,
            )
        else:
            result = service.find_slots(treatment, on_date=day, part_of_day=search.part_of_day, limit=DAY_FETCH_LIMIT)
        if not result.ok:
            return offers, result
        found = [
            o for o in result.value if o.key not in exclude and (search.after is None or first_start(o) > search.after)
        ]
        if search.time is not None:
            wanted = search.time.hour * 60 + search.time.minute
            found.sort(key=lambda o: abs(_minutes(first_start(o), tz) - wanted))
        offers.extend(found[:per_day])
        if len(offers) >= limit:
            break
    return offers[:limit], None


def search_offers(
    service: Any,
    settings: Clinic,
    treatment: str,
    course: Course | None,
    search: SlotSearch,
    today: date,
    exclude: Iterable[str] = (),
) -> OfferPage:
    """Free times (or courses) for ``search``: what was asked for, else the nearest other times.
    ``service`` is a BookingService, best one snapshot of the database (the search looks day by day)."""
    tz = settings.tz
    last_day = today + timedelta(days=settings.booking.horizon_days)
    limit = COURSE_OFFERS if course else SINGLE_OFFERS
    per_day = 1 if course else (limit if search.day else PER_DAY)
    excluded = frozenset(exclude)

    def collect(wanted: SlotSearch, per: int) -> tuple[list[Offer], Result | None]:
        return _collect(service, treatment, course, wanted, wanted.days(today, last_day, tz), limit, per, excluded, tz)

    offers, error = collect(search, per_day)
    if error is not None or offers:
        return OfferPage(offers, error)
    if search.after is not None:  # nothing later: the earliest times that fit again
        offers, error = collect(replace(search, after=None), per_day)
        if error is not None or offers:
            return OfferPage(offers, error, wrapped=True)
    if search.constrained:  # nothing on that day / at that time: the nearest others from then on
        per_day = 1 if course else PER_DAY
        offers, error = collect(SlotSearch(earliest=search.first_day(today)), per_day)
        if error is not None or offers:
            return OfferPage(offers, error, nothing_then=True)
        offers, error = collect(SlotSearch(), per_day)
        return OfferPage(offers, error, nothing_then=True)
    return OfferPage([], None)
