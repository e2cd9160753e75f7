"""Dates in what visitors type: "2 months ago", "end of march", "15/09/2026", "next saturday", "the 12th".

Two directions, because the same words mean different days: a last dose or a procedure lies in the past
(``parse_past_date``), an event or an appointment in the future (``parse_future_date``). A date is never
guessed: a vague amount ("a few weeks ago") or an impossible date gives None.

When a phrase names a span rather than a day (a month, "last week", "less than 2 weeks ago") the
parsers return the day of that span closest to today. For a past date (a last dose, a procedure) that
is the latest possible day: a deferral counted from it is never shorter than the rules ask. For a future
date (an event) it is the earliest possible day: treatments are never planned too close to it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Callable, Iterator, Literal

from actions.intake_answers.text import NUMBER_WORDS_PATTERN, normalise, words_to_number
from actions.lang import lexicon

Direction = Literal["past", "future"]

_LEXICON = lexicon.dates
# The meanings of "last", "this" and "next" (the language's words are mapped onto them).
LAST, THIS, NEXT = "last", "this", "next"

MONTHS: dict[str, int] = {
    name: number for number, names in enumerate(_LEXICON.MONTH_SPELLINGS, start=1) for name in names.split()
}
# Month names that are also ordinary words ("i may be", "march in"): they need a date-like neighbour.
_WORDLIKE_MONTHS = _LEXICON.WORDLIKE_MONTHS
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"

WEEKDAYS: dict[str, int] = {
    name: number for number, names in enumerate(_LEXICON.WEEKDAY_SPELLINGS) for name in names.split()
}
# Abbreviations that are also words ("the sun", "we sat", "getting wed", "mon" as in "c'mon").
_WORDLIKE_WEEKDAYS = _LEXICON.WORDLIKE_WEEKDAYS
_WEEKDAY_NAMES = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_WEEKDAY = r"(?P<weekday>" + _WEEKDAY_NAMES + r")"

_ORDINAL = rf"(?:{_LEXICON.ORDINAL_SUFFIXES})"
_AMOUNT = r"(?P<amount>\d{1,3}|" + _LEXICON.AMOUNT_WORDS + "|" + NUMBER_WORDS_PATTERN + r")"
_UNIT = rf"(?P<unit>{_LEXICON.TIME_UNITS})"
_AFTER_CONTEXT = rf"(?:{_LEXICON.MONTH_CONTEXT_WORDS})"
# Upper bounds ("less than 2 weeks ago", "within 3 weeks"): the closest day of the span is today.
_BOUND = rf"(?P<bound>{_LEXICON.UPPER_BOUNDS})"
_ROUGHLY = rf"(?:{_LEXICON.ROUGHLY})"
_HOLIDAYS = _LEXICON.HOLIDAYS


@dataclass(frozen=True)
class DateMatch:
    """A date phrase found in a text: its character span and the day it stands for."""

    start: int
    end: int
    date: date
    via_weekday: bool = False  # the phrase named a weekday ("next tuesday")


# --------------------------------------------------------------------------------------------------
# Calendar arithmetic


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _amount(raw: str) -> int | None:
    text = " ".join(raw.split())
    if text.isdigit():
        return int(text)
    if text in _LEXICON.AMOUNTS_OF_ONE:
        return 1
    if _LEXICON.COUPLE in text:
        return 2
    return words_to_number(text)


# How far towards today an approximate amount moves ("about 6 months ago" is taken as 5 months ago): one
# of its unit, but two months for an amount in years.
APPROXIMATION_MARGIN_YEARS = 2  # months


def _towards_today(found: date, today: date, unit: str) -> date:
    """An approximate date moved one step towards today (never past it)."""
    sign = 1 if found < today else -1
    kind = next((kind for start, kind in _LEXICON.TIME_UNIT_STARTS if unit.lower().startswith(start)), None)
    moved = add_months(found, sign * APPROXIMATION_MARGIN_YEARS) if kind == "year" else _shift(found, 1, unit, sign)
    if moved is None:
        return found
    return min(moved, today) if sign > 0 else max(moved, today)


def _shift(today: date, amount: int, unit: str, sign: int) -> date | None:
    unit = unit.lower()
    kind = next((kind for start, kind in _LEXICON.TIME_UNIT_STARTS if unit.startswith(start)), None)
    try:
        if kind == "fortnight":
            return today + timedelta(days=14 * amount * sign)
        if kind == "day":
            return today + timedelta(days=amount * sign)
        if kind == "week":
            return today + timedelta(weeks=amount * sign)
        if kind == "month":
            return add_months(today, amount * sign)
        if kind == "year":
            return add_months(today, 12 * amount * sign)
    except (OverflowError, ValueError):
        return None
    return None


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --------------------------------------------------------------------------------------------------
# Resolving a partial date for a direction


def _resolve_day_month(day: int, month: int, year: int | None, today: date, direction: Direction) -> date | None:
    """A day and month, with or without a year, in the given direction from today (None if impossible)."""
    if year is not None:
        found = _safe_date(year, month, day)
        if found is None:
            return None
        return found if _fits(found, today, direction) else None
    step = -1 if direction == "past" else 1
    for offset in range(0, 5 * step, step):  # 29 February may be up to 4 years away
        found = _safe_date(today.year + offset, month, day)
        if found is not None and _fits(found, today, direction):
            return found
    return None


def _fits(day: date, today: date, direction: Direction) -> bool:
    return day <= today if direction == "past" else day >= today


def _resolve_month(month: int, year: int | None, today: date, direction: Direction) -> date | None:
    """A month without a day: its day closest to today (last day for the past, first for the future)."""
    if year is None:
        if direction == "past":
            year = today.year if month <= today.month else today.year - 1
        else:
            year = today.year if month >= today.month else today.year + 1
    if direction == "past":
        first = date(year, month, 1)
        return min(month_end(year, month), today) if first <= today else None
    last = month_end(year, month)
    return max(date(year, month, 1), today) if last >= today else None


def _resolve_year(year: int, today: date, direction: Direction) -> date | None:
    if direction == "past":
        return min(date(year, 12, 31), today) if year <= today.year else None
    return max(date(year, 1, 1), today) if year >= today.year else None


def _resolve_nth(day: int, today: date, direction: Direction) -> date | None:
    """ "the 12th": the nearest 12th on or before (past) / on or after (future) today."""
    if not 1 <= day <= 31:
        return None
    step = -1 if direction == "past" else 1
    for offset in range(0, 3 * step, step):
        index = today.year * 12 + today.month - 1 + offset
        found = _safe_date(index // 12, index % 12 + 1, day)
        if found is not None and _fits(found, today, direction):
            return found
    return None


def _resolve_weekday(weekday: int, today: date, direction: Direction, modifier: str | None) -> date:
    """A weekday: past ones count back from today (today itself unless "last"); future ones count
    forward from tomorrow ("this" also allows today). "next tuesday" is the coming Tuesday. ``modifier``
    is a meaning: LAST, THIS, NEXT or None."""
    if direction == "past":
        back = (today.weekday() - weekday) % 7
        if back == 0 and modifier == LAST:
            back = 7
        return today - timedelta(days=back)
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and modifier != THIS:
        ahead = 7
    return today + timedelta(days=ahead)


# --------------------------------------------------------------------------------------------------
# Phrase finders: each yields DateMatch for one kind of phrase

Finder = Callable[[str, date, Direction], Iterator[DateMatch]]


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    value = int(raw.strip("' "))
    return value + 2000 if value < 100 else value


def _iso(text: str, today: date, direction: Direction) -> Iterator[DateMatch]:
    for m in re.finditer(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", text):
        found = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        if found is not None and _fits(found, today, direction):
            yield DateMatch(m.start(), m.end(), found)


def _numeric(text: str, today: date, direction: Direction) -> Iterator[DateMatch]:
    """15/09/2026 (UK day first); 09/15/2026 only when it cannot be day first; 15/9 without a year."""
    pattern = (
        r"\b(\d{1,2})([/.\-])(\d{1,2})(?:\2(\d{4}|\d{2}))?\b(?![/.\-]\d)"
        rf"(?!\s*(?:{_LEXICON.NOT_A_DATE_AFTER_NUMBERS})\b)"
    )
    for m in re.finditer(pattern, text):
        if m[4] is None and m[2] != "/":
            continue  # "1-3 days", "2.5" are not dates
        first, second, year = int(m[1]), int(m[3]), _year(m[4])
        found = None
        for day, month in ((first, second), (second, first)):
            if 1 <= month <= 12:
                found = _resolve_day_month(day, month, year, today, direction)
                if found is not None or _safe_date(2000, month, day) is not None:
                    break  # a valid day-first reading decides, even when it is on the wrong side of today
        if found is not None:
            yield DateMatch(m.start(), m.end(), found)


def _day_month(text: str, today: date, direction: Direction) -> Iterator[DateMatch]:
    pattern = (
        rf"\b(?:{_LEXICON.BEFORE_DAY_OF_MONTH})?(?P<day>\d{{1,2}}){_ORDINAL}?(?:{_LEXICON.BETWEEN_DAY_AND_MONTH})?"
        rf"\s*{_MONTH}\b\.?(?:,?\s*(?P<year>\d{{4}}|'\d{{2}}))?"
    )
    for m in re.finditer(pattern, text):
        found = _resolve_day_month(int(m["day"]), MONTHS[m["month"]], _year(m["year"]), today, direction)
        if found is not None:
            yield DateMatch(m.start(), m.end(), found)


def _month_day(text: str, today: date, direction: Direction) -> Iterator[DateMatch]:
    pattern = (
        rf"\b{_MONTH}\.?\s+(?:{_LEXICON.BETWEEN_MONTH_AND_DAY})?(?P<day>\d{{1,2}}){_ORDINAL}?\b"
        rf"(?!\s*(?:{_LEXICON.NOT_A_DAY_AFTER}))(?:,?\s*(?P<year>\d{{4}}))?"
    )
    for m in re.finditer(pattern, text):
        found = _resolve_day_month(int(m["day"]), MONTHS[m["month"]], _year(m["year"]), today, direction)
        if found is not None:
            yield DateMatch(m.start(), m.end(), found)


def _month_alone(text: str, today: date, direction: Direction) -> Iterator[DateMatch]:
    pattern = (
        rf"\b(?P<qualifier>{_LEXICON.MONTH_QUALIFIERS})?"
        rf"(?:(?P<which>{_LEXICON.PREVIOUS_THIS_NEXT})\s+)?{_MONTH}\b\.?"
        rf"(?:\s+(?:{_LEXICON.BEFORE_YEAR_OF_MONTH})?(?P<year>\d{{4}}|'\d{{2}})\b|\s+(?P<relyear>{_LEXICON.RELATIVE_YEARS}))?"
    )
    for m in re.finditer(pattern, text):
        name = m["month"]
        if name in _WORDLIKE_MONTHS and not (m["qualifier"] or m["which"] or m["year"] or m["relyear"]):
            before = text[: m.start()].split()
            if text.strip(" .!?") != name and not (before and re.fullmatch(_AFTER_CONTEXT, before[-1])):
                continue
        year = _year(m["year"])
        which = _LEXICON.RELATIVE_MEANINGS.get(m["which"] or "")
        if m["relyear"]:
            year = today.year + {LAST: -1, THIS: 0, NEXT: 1}[_LEXICON.RELATIVE_MEANINGS[m["relyear"].split()[0]]]
        elif which == LAST and direction == "past" and year is None:
            month = MONTHS[name]
            year = today.year if month < today.month else today.year - 1
        elif which == NEXT and direction == "future" and year is None:
            month = MONTHS[name]
            year = today.year if month > today.month else today.year + 1
        found = _resolve_month(MONTHS[name], year, today, direction)
        if found is not None:
            yield DateMatch(m.start(), m.end(), found)


def _nth(text: str, today: date, direction: Direction) -> Iterator[DateMatch]:
    pattern = rf"\b{_LEXICON.BEFORE_NTH_DAY}(?P<day>\d{{1,2}})(?:{_ORDINAL}\b|\b(?=\s*$))"
    for m in re.finditer(pattern, text):
        found = _resolve_nth(int(m["day"]), today, direction)
        if found is not None:
            yield DateMatch(m.start(), m.end(), found)


def _year_alone(text: str, today: date, direction: Direction) -> Iterator[DateMatch]:
    for m in re.finditer(rf"\b(?:{_LEXICON.BEFORE_YEAR_ALONE})\s+((?:19|20)\d{{2}})\b", text):
        found = _resolve_year(int(m[1]), today, direction)
        if found is not None:
            yield DateMatch(m.start(), m.end(), found)


def _holidays(text: str, today: date, direction: Direction) -> Iterator[DateMatch]:
    for pattern, (month, day) in _HOLIDAYS.items():
        for m in re.finditer(rf"\b(?:{pattern})\b(?:\s+(?P<year>\d{{4}}))?", text):
            found = _resolve_day_month(day, month, _year(m["year"]), today, direction)
            if found is not None:
                yield DateMatch(m.start(), m.end(), found)


def _relative_amount(text: str, today: date, direction: Direction) -> Iterator[DateMatch]:
    """ "2 months ago", "3 weeks back", "in 3 weeks", "2 weeks from now", "less than a week ago"."""
    amount_unit = rf"{_AMOUNT}\s*{_UNIT}\b"
    if direction == "past":
        patterns = [
            rf"\b(?:{_BOUND}\s+)?(?:(?P<roughly>{_ROUGHLY})\s+)?{amount_unit}(?P<or_so>{_LEXICON.OR_SO})?\s+"
            rf"(?:{_LEXICON.AGO})\b(?P<or_so_after>{_LEXICON.OR_SO}\b)?"
        ]
        sign = -1
    else:
        patterns = [
            rf"\b(?P<within>{_LEXICON.IN_OR_WITHIN})\s+(?P<next>{_LEXICON.WITHIN_THE_NEXT})?(?:{_BOUND}\s+)?"
            rf"(?:{_ROUGHLY}\s+)?{amount_unit}(?:{_LEXICON.IN_AMOUNTS_TIME})?",
            rf"\b(?:{_BOUND}\s+)?(?:{_ROUGHLY}\s+)?{amount_unit}\s+(?:{_LEXICON.FROM_NOW})\b",
        ]
        sign = 1
    for pattern in patterns:
        for m in re.finditer(pattern, text):
            amount = _amount(m["amount"])
            if amount is None:
                continue
            groups = m.groupdict()
            bounded = m["bound"] is not None or groups.get("within") == _LEXICON.WITHIN or bool(groups.get("next"))
            found = today if bounded else _shift(today, amount, m["unit"], sign)
            approximate = (
                groups.get("or_so")
                or groups.get("or_so_after")
                or (groups.get("roughly") or "").strip() in _LEXICON.APPROXIMATE_WORDS
            )
            if found is not None and approximate and not bounded:
                found = _towards_today(found, today, m["unit"])
            if found is not None:
                yield DateMatch(m.start(), m.end(), found)


def _half(text: str, today: date, direction: Direction) -> Iterator[DateMatch]:
    pattern = rf"\b{_LEXICON.HALF_A_YEAR_AGO}\b" if direction == "past" else rf"\b{_LEXICON.IN_HALF_A_YEAR}\b"
    for m in re.finditer(pattern, text):
        yield DateMatch(m.start(), m.end(), add_months(today, -6 if direction == "past" else 6))


def _named_days(text: str, today: date, direction: Direction) -> Iterator[DateMatch]:
    """yesterday, today, tomorrow, last/next week or month or year, this week, the end of the month."""
    last_month_end = date(today.year, today.month, 1) - timedelta(days=1)
    if direction == "past":
        days = {
            "two_days_ago": today - timedelta(days=2),
            "yesterday": today - timedelta(days=1),
            "today": today,
            "this_span": today,
            "last_week": _week_start(today) - timedelta(days=1),
            "last_month": last_month_end,
            "last_year": date(today.year - 1, 12, 31),
            "fortnight_ago": today - timedelta(days=14),
            "within_the_last": today,  # the span reaches up to today
            "week_before_last": _week_start(today) - timedelta(days=8),
        }
        names = _LEXICON.NAMED_PAST_DAYS
    else:
        next_month = add_months(date(today.year, today.month, 1), 1)
        weekend = today + timedelta(days=(5 - today.weekday()) % 7) if today.weekday() < 5 else today
        days = {
            "in_two_days": today + timedelta(days=2),
            "tomorrow": today + timedelta(days=1),
            "today": today,
            "this_span": today,
            "next_week": _week_start(today) + timedelta(days=7),
            "next_weekend": _week_start(today) + timedelta(days=12),
            "next_month": next_month,
            "end_of_next_month": next_month,
            "next_year": date(today.year + 1, 1, 1),
            "in_a_fortnight": today + timedelta(days=14),
            "this_weekend": weekend,
        }
        names = _LEXICON.NAMED_FUTURE_DAYS
    table = {names[key]: days[key] for key in names}
    for pattern, found in table.items():
        for m in re.finditer(rf"\b(?:{pattern})\b", text):
            yield DateMatch(m.start(), m.end(), found)


def _weekdays(text: str, today: date, direction: Direction) -> Iterator[DateMatch]:
    """ "last monday", "on friday", "next saturday", "this friday", "tuesday next week"."""
    pattern = (
        rf"\b(?:(?P<prefix>{_LEXICON.BEFORE_WEEKDAY})\s+)?(?:(?P<modifier>{_LEXICON.WEEKDAY_MODIFIERS})\s+)?"
        rf"{_WEEKDAY}\b(?:\s+(?P<week>{_LEXICON.WEEKDAY_WEEKS}))?"
    )
    for m in re.finditer(pattern, text):
        name = m["weekday"]
        # What the words mean (LAST, THIS, NEXT, "coming", "gone"); words typed with extra spaces mean nothing.
        modifier: str | None = _LEXICON.WEEKDAY_MODIFIER_MEANINGS.get(m["modifier"], m["modifier"])
        followed_by_part = re.match(rf"\s+(?:{_LEXICON.PART_OF_DAY_AFTER_WEEKDAY})\b", text[m.end() :])
        if name in _WORDLIKE_WEEKDAYS and not (m["prefix"] or modifier or m["week"] or followed_by_part):
            continue
        weekday = WEEKDAYS[name]
        week = _LEXICON.WEEKDAY_WEEK_MEANINGS.get(m["week"] or "", m["week"] or "")
        if week == "gone":
            modifier = LAST
        if week == NEXT or (week == "" and modifier == NEXT and direction == "past"):
            if direction == "past":
                continue
            found = _week_start(today) + timedelta(days=7 + weekday)
        elif week == LAST:
            if direction == "future":
                continue
            found = _week_start(today) - timedelta(days=7 - weekday)
        elif week == THIS:
            found = _week_start(today) + timedelta(days=weekday)
            if not _fits(found, today, direction):
                continue
        else:
            if modifier == LAST and direction == "future":
                continue
            if modifier == "coming":
                modifier = None
            found = _resolve_weekday(weekday, today, direction, modifier)
        yield DateMatch(m.start(), m.end(), found, via_weekday=True)
    if direction == "future":
        for m in re.finditer(rf"\b{_LEXICON.NEXT_WEEK_BEFORE_WEEKDAY}{_WEEKDAY}\b", text):
            found = _week_start(today) + timedelta(days=7 + WEEKDAYS[m["weekday"]])
            yield DateMatch(m.start(), m.end(), found, via_weekday=True)


_FINDERS: tuple[Finder, ...] = (
    _iso,
    _numeric,
    _day_month,
    _month_day,
    _month_alone,
    _nth,
    _year_alone,
    _holidays,
    _relative_amount,
    _half,
    _named_days,
    _weekdays,
)


def find_dates(text: str, today: date, direction: Direction) -> list[DateMatch]:
    """Every date phrase in ``text`` for the direction, in text order; overlapping phrases resolved
    in favour of the longest (so "on the 12th of december" is one date, not two)."""
    lowered = normalise(text)
    candidates = [match for finder in _FINDERS for match in finder(lowered, today, direction)]
    chosen: list[DateMatch] = []
    for match in sorted(candidates, key=lambda m: (-(m.end - m.start), m.start)):
        if all(match.end <= other.start or match.start >= other.end for other in chosen):
            chosen.append(match)
    return sorted(chosen, key=lambda m: m.start)


def parse_past_date(text: str, today: date) -> date | None:
    """The first past date in ``text`` (never after ``today``), or None when there is none.

    A month without a day ("march", "in january", "end of march") gives the LAST day of that month (or
    today, for the current month): for a last dose or a procedure this is the conservative choice,
    because a deferral counted from it is never shorter than the rules ask. A month later in the year
    than today's month means last year. "last week" is its Sunday, "last month" its last day, and an
    upper bound ("less than 2 weeks ago", "within the last month") is today, for the same reason.
    "2 months ago" is the same day of the month two months back. Vague amounts ("a few weeks ago") and
    impossible dates give None.
    """
    found = find_dates(text, today, "past")
    return found[0].date if found else None


def parse_future_date(text: str, today: date) -> date | None:
    """The first date on or after ``today`` in ``text``, or None.

    A month without a day gives the FIRST day of that month (or today, for the current month), the
    conservative choice for an event: treatments are never planned too close to it. "next week" is its
    Monday, "next month" its first day. A weekday is the coming one ("next saturday" on a Thursday is
    in two days; "this friday" may be today). Explicit dates: 15/09/2026 (day first), 2026-09-15,
    "15 sept", "sept 15th", "the 12th".
    """
    found = find_dates(text, today, "future")
    return found[0].date if found else None


# --------------------------------------------------------------------------------------------------
# Booking: the day a visitor asks for


@dataclass(frozen=True)
class DayRequest:
    """What a visitor asked for when choosing an appointment; every part is optional.

    ``day``: one date ("tomorrow", "next tuesday", "12 dec"); ``weekday`` (0 = Monday) when a weekday
    was named ("tuesday", "tuesdays", "any tuesday": then ``day`` is only set for a single one);
    ``part_of_day``: "morning" / "afternoon" / "evening"; ``earliest`` / ``latest``: a range ("next
    week", "after the 10th" = from the 11th, "before friday"); ``later``: "later", "something later";
    ``time``: a clock time ("10am", "2:30pm", "at 3" = 15:00).
    """

    day: date | None = None
    weekday: int | None = None
    part_of_day: str | None = None
    earliest: date | None = None
    latest: date | None = None
    later: bool = False
    time: time | None = None

    def is_empty(self) -> bool:
        return self == DayRequest()


_PARTS_OF_DAY = _LEXICON.PARTS_OF_DAY


def _part_of_day(text: str) -> str | None:
    for part, pattern in _PARTS_OF_DAY:
        if re.search(rf"\b(?:{pattern})\b", text):
            return part
    return None


def _clock_time(text: str) -> time | None:
    m = re.search(rf"\b(\d{{1,2}})(?:[:.](\d{{2}}))?\s*({_LEXICON.AM_PM})(?![a-z])", text)
    if m:
        hour, minute = int(m[1]), int(m[2] or 0)
        if not (1 <= hour <= 12 and minute < 60):
            return None
        hour = hour % 12 + (12 if m[3].startswith(_LEXICON.PM_START) else 0)
        return time(hour, minute)
    m = re.search(r"\b([01]?\d|2[0-3]):([0-5]\d)\b", text)
    if m:
        return time(int(m[1]), int(m[2]))
    if re.search(rf"\b(?:{_LEXICON.NOON})\b", text):
        return time(12, 0)
    m = re.search(
        rf"\b(?:{_LEXICON.BEFORE_HOUR})\s+(\d{{1,2}})(?:\s*(?:{_LEXICON.AFTER_HOUR}))?\b"
        rf"(?!\s*(?:{_LEXICON.NOT_AN_HOUR_AFTER}))",
        text,
    )
    if m and 1 <= int(m[1]) <= 12:
        hour = int(m[1])
        return time(hour if 8 <= hour <= 12 else hour + 12, 0)  # nobody books at 3 in the night
    return None


def parse_day_request(text: str, today: date) -> DayRequest:
    """The day, part of day and range a visitor asks for when booking ("next tuesday afternoon",
    "friday morning", "anything next week?", "after the 10th", "later"); see DayRequest."""
    lowered = normalise(text)
    earliest = latest = day = None
    weekday = None
    for m in re.finditer(rf"\b(?P<word>{_LEXICON.RANGE_WORDS})\s+", lowered):
        rest = lowered[m.end() :]
        matches = find_dates(rest, today, "future")
        if not matches or matches[0].start != 0:
            continue
        bound = matches[0].date
        word = _LEXICON.RANGE_WORD_MEANINGS.get(" ".join(m["word"].split()))
        if word == "after":
            earliest = bound + timedelta(days=1)
        elif word == "from":
            earliest = bound
        elif word == "before":
            latest = bound - timedelta(days=1)
        else:
            latest = bound
        lowered = (
            lowered[: m.start()] + " " * (m.end() - m.start() + matches[0].end) + lowered[m.end() + matches[0].end :]
        )
    next_week = _LEXICON.NEXT_WEEK
    if re.search(rf"\b{next_week}\b", lowered) and not re.search(
        rf"\b(?:{_WEEKDAY_NAMES})\s+{next_week}|{_LEXICON.NEXT_WEEK_ON}(?:{_WEEKDAY_NAMES})\b", lowered
    ):
        earliest = earliest or _week_start(today) + timedelta(days=7)
        latest = latest or _week_start(today) + timedelta(days=13)
        lowered = re.sub(rf"\b{next_week}\b", " " * len(_LEXICON.NEXT_WEEK_PHRASE), lowered)
    elif re.search(rf"\b{_LEXICON.THIS_WEEK}\b", lowered) and not re.search(
        rf"\b(?:{_WEEKDAY_NAMES}){_LEXICON.THIS_WEEK_AFTER_WEEKDAY}", lowered
    ):
        earliest, latest = earliest or today, latest or _week_start(today) + timedelta(days=6)
        lowered = re.sub(rf"\b{_LEXICON.LATER_THIS_WEEK}\b", lambda m: " " * len(m.group()), lowered)
    plural = re.search(
        rf"\b(?:{_LEXICON.BEFORE_ANY_WEEKDAY})\s+{_WEEKDAY}\b|\b(?P<plural>{_LEXICON.WEEKDAY_PLURALS})\b",
        lowered,
    )
    if plural:
        weekday = WEEKDAYS[plural["weekday"] or plural["plural"]]
        if plural.group().startswith(_LEXICON.ANY_WEEKDAY_STARTS) or plural["plural"]:
            lowered = lowered[: plural.start()] + " " * (plural.end() - plural.start()) + lowered[plural.end() :]
    matches = [m for m in find_dates(lowered, today, "future") if not _is_range_word(lowered, m)]
    if matches:
        day = matches[0].date
        weekday = day.weekday() if matches[0].via_weekday else weekday
    later = bool(re.search(rf"\b(?:{_LEXICON.LATER})\b", lowered))
    return DayRequest(day, weekday, _part_of_day(lowered), earliest, latest, later, _clock_time(lowered))


def _is_range_word(text: str, match: DateMatch) -> bool:
    """ "this month", "later this week" name a range, not a day to book."""
    phrase = text[match.start : match.end].strip()
    return bool(re.fullmatch(_LEXICON.SPANS_NOT_A_DAY, phrase))
