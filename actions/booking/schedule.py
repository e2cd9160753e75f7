"""Pure scheduling arithmetic: weekly hours, the slot grid, time zones, overlaps, occupancy blocks.

Nothing here touches the database; the service loads the clinic into a :class:`ClinicContext` and the
busy times into lists of :class:`Busy`, and these functions do the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

from actions.booking.models import OCCUPANCY_CELL_MINUTES

Spans = tuple[tuple[time, time], ...]
PARTS_OF_DAY: Mapping[str, tuple[time, time | None]] = {
    "morning": (time(0, 0), time(12, 0)),
    "afternoon": (time(12, 0), time(17, 0)),
    "evening": (time(17, 0), None),
}
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class TreatmentInfo:
    id: int
    code: str
    name: str
    duration_minutes: int
    modality: str | None = None  # whose screening status decides it (None: the consultation)


@dataclass(frozen=True)
class PractitionerInfo:
    id: int
    code: str
    name: str
    role: str
    treatments: frozenset[str]
    hours: Mapping[int, Spans]  # weekday 0 = Monday -> spans, clinic wall-clock time


@dataclass(frozen=True)
class ClinicContext:
    id: int
    name: str
    timezone: str
    currency: str
    phone: str | None
    email: str | None
    address: str | None
    website: str | None
    min_notice_hours: int
    hold_minutes: int
    slot_step_minutes: int
    horizon_days: int
    opening_hours: Mapping[int, Spans]
    treatments: Mapping[str, TreatmentInfo]
    practitioners: tuple[PractitionerInfo, ...]  # in the clinic's preferred order

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def practitioner(self, code: str) -> PractitionerInfo | None:
        return next((p for p in self.practitioners if p.code == code), None)

    def practitioner_by_id(self, pid: int) -> PractitionerInfo | None:
        return next((p for p in self.practitioners if p.id == pid), None)


@dataclass(frozen=True)
class Busy:
    """A stretch of a practitioner's time that cannot be booked (appointment, hold or time off)."""

    practitioner_id: int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Candidate:
    practitioner: PractitionerInfo
    start: datetime  # aware UTC
    end: datetime


def to_minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def intersect(first: Spans, second: Spans) -> list[tuple[int, int]]:
    """Overlap of two lists of spans, as (start, end) minutes of the day."""
    result = []
    for a_start, a_end in first:
        for b_start, b_end in second:
            start = max(to_minutes(a_start), to_minutes(b_start))
            end = min(to_minutes(a_end), to_minutes(b_end))
            if end > start:
                result.append((start, end))
    return sorted(result)


def local_instant(day: date, minutes: int, tz: ZoneInfo) -> datetime | None:
    """The UTC instant of wall-clock ``minutes`` after midnight on ``day``; None if the clock skips it."""
    wall = datetime.combine(day, time(minutes // 60, minutes % 60))
    aware = wall.replace(tzinfo=tz)
    instant = aware.astimezone(timezone.utc)
    if instant.astimezone(tz).replace(tzinfo=None) != wall:
        return None  # inside a spring-forward gap
    return instant


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    return instant.astimezone(tz).date()


def day_candidates(
    ctx: ClinicContext, practitioner: PractitionerInfo, treatment: TreatmentInfo, day: date
) -> list[Candidate]:
    """Grid-aligned starts on ``day`` within both the clinic's and the practitioner's hours."""
    if treatment.code not in practitioner.treatments:
        return []
    weekday = day.weekday()
    spans = intersect(ctx.opening_hours.get(weekday, ()), practitioner.hours.get(weekday, ()))
    step = ctx.slot_step_minutes
    duration = treatment.duration_minutes
    tz = ctx.tz
    result = []
    for span_start, span_end in spans:
        first = -(-span_start // step) * step
        for minutes in range(first, span_end - duration + 1, step):
            start = local_instant(day, minutes, tz)
            if start is None:
                continue
            result.append(Candidate(practitioner, start, start + timedelta(minutes=duration)))
    return result


def overlaps(start: datetime, end: datetime, other_start: datetime, other_end: datetime) -> bool:
    return start < other_end and other_start < end


def is_free(candidate: Candidate, busy: Iterable[Busy]) -> bool:
    return not any(
        b.practitioner_id == candidate.practitioner.id and overlaps(candidate.start, candidate.end, b.start, b.end)
        for b in busy
    )


def in_part_of_day(instant: datetime, part: str | None, tz: ZoneInfo) -> bool:
    if part is None:
        return True
    lower, upper = PARTS_OF_DAY[part]
    wall = instant.astimezone(tz).time()
    return wall >= lower and (upper is None or wall < upper)


def free_candidates(
    ctx: ClinicContext,
    treatment: TreatmentInfo,
    practitioners: Sequence[PractitionerInfo],
    days: Iterable[date],
    busy: Sequence[Busy],
    earliest: datetime,
    part_of_day: str | None = None,
    grid: dict | None = None,
) -> list[Candidate]:
    """Every free grid start for ``treatment`` on ``days``, earliest first, practitioners in order.

    ``grid`` keeps each day's grid starts (``day_candidates``, which depend on ``ctx`` alone) for the
    next call with the same ``ctx``: a search in one snapshot (store.snapshot_grid) reads the same days
    many times over."""
    found = []
    for day in days:
        for practitioner in practitioners:
            if grid is None:
                starts = day_candidates(ctx, practitioner, treatment, day)
            else:
                key = (practitioner.id, treatment.id, day)
                known = grid.get(key)
                if known is None:
                    known = grid[key] = day_candidates(ctx, practitioner, treatment, day)
                starts = known
            for candidate in starts:
                if candidate.start < earliest:
                    continue
                if not in_part_of_day(candidate.start, part_of_day, ctx.tz):
                    continue
                if is_free(candidate, busy):
                    found.append(candidate)
    order = {p.id: index for index, p in enumerate(practitioners)}
    found.sort(key=lambda c: (c.start, order[c.practitioner.id]))
    return found


def occupancy_cells(start: datetime, end: datetime) -> list[datetime]:
    """The OCCUPANCY_CELL_MINUTES blocks (UTC, epoch-aligned) that [start, end) touches."""
    cell = timedelta(minutes=OCCUPANCY_CELL_MINUTES)
    first = _EPOCH + ((start.astimezone(timezone.utc) - _EPOCH) // cell) * cell
    cells = []
    current = first
    while current < end:
        cells.append(current)
        current += cell
    return cells


def date_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def label(instant: datetime, tz: ZoneInfo) -> str:
    """'Tuesday 14 April, 14:30' in the clinic's timezone."""
    wall = instant.astimezone(tz)
    return f"{wall:%A} {wall.day} {wall:%B}, {wall:%H:%M}"
