"""Plain values the service returns (never ORM objects, which die with their session)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from actions.booking.results import ErrorCode, Refusal
from actions.booking.schedule import label as time_label

_KEY = re.compile(r"^([a-z0-9_\-]{1,64})\|([A-Za-z0-9_\-.]{1,64})\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})Z$")
_SERIES_KEY = re.compile(r"^(\d{1,2})-(\d{1,2})/(.+)$")


@dataclass(frozen=True)
class SlotOffer:
    """A free time the assistant can offer; ``key`` is a compact form to round-trip through the chat."""

    treatment: str
    treatment_name: str
    practitioner: str
    practitioner_name: str
    start: datetime  # aware, UTC
    end: datetime
    timezone: str

    @property
    def key(self) -> str:
        return slot_key(self.treatment, self.practitioner, self.start)

    @property
    def start_local(self) -> datetime:
        return self.start.astimezone(ZoneInfo(self.timezone))

    @property
    def label(self) -> str:
        """'Tuesday 14 April, 14:30 with Dr Amara Okafor'."""
        return f"{time_label(self.start, ZoneInfo(self.timezone))} with {self.practitioner_name}"


@dataclass(frozen=True)
class SeriesOffer:
    """A course of sessions offered together, spaced ``interval_weeks`` apart."""

    sessions: tuple[SlotOffer, ...]
    interval_weeks: tuple[int, int]

    @property
    def key(self) -> str:
        low, high = self.interval_weeks
        return f"{low}-{high}/" + ",".join(offer.key for offer in self.sessions)

    @property
    def label(self) -> str:
        return "; ".join(offer.label for offer in self.sessions)


@dataclass(frozen=True)
class AppointmentView:
    reference: str
    status: str
    treatment: str
    treatment_name: str
    practitioner: str
    practitioner_name: str
    start: datetime
    end: datetime
    timezone: str
    hold_expires_at: datetime | None
    series_reference: str | None
    series_position: int | None
    contact_name: str | None

    @property
    def start_local(self) -> datetime:
        return self.start.astimezone(ZoneInfo(self.timezone))

    @property
    def label(self) -> str:
        return f"{self.treatment_name}, {time_label(self.start, ZoneInfo(self.timezone))} with {self.practitioner_name}"


@dataclass(frozen=True)
class BookingView:
    """One appointment, or a series of them, as the visitor sees it."""

    reference: str  # the reference to quote: the series' for a course, else the appointment's
    appointments: tuple[AppointmentView, ...]

    @property
    def status(self) -> str:
        statuses = {a.status for a in self.appointments}
        return statuses.pop() if len(statuses) == 1 else "mixed"

    @property
    def hold_expires_at(self) -> datetime | None:
        times = [a.hold_expires_at for a in self.appointments if a.hold_expires_at is not None]
        return min(times) if times else None

    @property
    def summary(self) -> str:
        return "\n".join(a.label for a in self.appointments)


def slot_key(treatment: str, practitioner: str, start: datetime) -> str:
    return f"{treatment}|{practitioner}|{start.astimezone(timezone.utc):%Y-%m-%dT%H:%M}Z"


def parse_slot_key(key: str) -> tuple[str, str, datetime]:
    """(treatment code, practitioner code, UTC start) from a slot key; Refusal(invalid_slot) if malformed."""
    match = _KEY.match((key or "").strip()) if isinstance(key, str) else None
    if not match:
        raise Refusal(ErrorCode.INVALID_SLOT)
    treatment, practitioner, when = match.groups()
    try:
        start = datetime.strptime(when, "%Y-%m-%dT%H:%M").replace(tzinfo=timezone.utc)
    except ValueError:
        raise Refusal(ErrorCode.INVALID_SLOT) from None
    return treatment, practitioner, start


def parse_series_key(key: str) -> tuple[tuple[int, int], list[str]]:
    match = _SERIES_KEY.match((key or "").strip()) if isinstance(key, str) else None
    if not match:
        raise Refusal(ErrorCode.INVALID_SLOT)
    low, high, keys = int(match.group(1)), int(match.group(2)), match.group(3).split(",")
    return (low, high), keys
