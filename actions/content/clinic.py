"""The clinic's settings (clinic.yml): contact, opening hours, treatment catalogue, practitioners."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from actions.content import CONTENT_DIR, ContentError, read_yaml, require_mapping, require_str
from contract.statuses import MODALITIES

CLINIC_FILE = CONTENT_DIR / "clinic.yml"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "AUD": "A$", "CAD": "C$"}
_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

Hours = Mapping[str, tuple[tuple[time, time], ...]]


CONSULTATION = "consultation"


@dataclass(frozen=True)
class Wording:
    """How the clinic's details read in the assistant's language (clinic.yml ``wording``)."""

    free: str
    price_from: str  # with {amount}
    price_range: str  # with {low} and {high}
    weekdays: tuple[str, ...]  # Monday first
    closed: str
    contact_or: str
    no_contact: str


@dataclass(frozen=True)
class Treatment:
    """One entry of the catalogue. ``modality`` is the kind of treatment whose screening status decides
    whether it may be booked (None only for the consultation, which anyone may book)."""

    id: str
    name: str
    duration_minutes: int
    price: Decimal | None = None
    price_from: Decimal | None = None
    price_to: Decimal | None = None
    modality: str | None = None

    def price_text(self, currency: str, wording: Wording, sessions: int = 1) -> str | None:
        """The price of ``sessions`` sessions as a visitor reads it, or None when the clinic has not
        configured one."""
        if self.price is not None:
            return wording.free if self.price == 0 else _money(self.price * sessions, currency)
        if self.price_from is not None and self.price_to is not None:
            low, high = _money(self.price_from * sessions, currency), _money(self.price_to * sessions, currency)
            return wording.price_range.format(low=low, high=high)
        if self.price_from is not None:
            return wording.price_from.format(amount=_money(self.price_from * sessions, currency))
        return None


@dataclass(frozen=True)
class Practitioner:
    id: str
    name: str
    role: str
    treatments: tuple[str, ...]
    hours: Hours


@dataclass(frozen=True)
class BookingSettings:
    min_notice_hours: int = 24
    hold_minutes: int = 10
    slot_step_minutes: int = 30
    horizon_days: int = 28


@dataclass(frozen=True)
class Clinic:
    name: str
    timezone: str
    currency: str
    phone: str | None
    email: str | None
    address: str | None
    website: str | None
    opening_hours: Hours
    booking: BookingSettings
    notifications: Mapping[str, Any]
    treatments: Mapping[str, Treatment]
    wording: Wording
    practitioners: tuple[Practitioner, ...] = field(default_factory=tuple)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def price_text(self, treatment_id: str, sessions: int = 1) -> str | None:
        """The price of one session, or of a course of ``sessions``."""
        treatment = self.treatments.get(treatment_id)
        return treatment.price_text(self.currency, self.wording, sessions) if treatment else None

    def treatments_of(self, modality: str) -> tuple[Treatment, ...]:
        """The catalogue's treatments of one modality, in the file's order."""
        return tuple(t for t in self.treatments.values() if t.modality == modality)

    def modality_of(self, treatment_id: str) -> str | None:
        treatment = self.treatments.get(treatment_id)
        return treatment.modality if treatment else None

    def opening_hours_text(self) -> str:
        """Opening hours as short lines, e.g. 'Mon–Tue 09:00–18:00', consecutive equal days merged."""
        lines: list[str] = []
        groups: list[tuple[list[str], str]] = []
        for day in WEEKDAYS:
            spans = self.opening_hours.get(day, ())
            text = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in spans) or self.wording.closed
            if groups and groups[-1][1] == text:
                groups[-1][0].append(day)
            else:
                groups.append(([day], text))
        names = dict(zip(WEEKDAYS, self.wording.weekdays))
        for days, text in groups:
            label = names[days[0]] if len(days) == 1 else f"{names[days[0]]}–{names[days[-1]]}"
            lines.append(f"{label} {text}")
        return "\n".join(lines)

    def contact_text(self) -> str:
        """Phone and e-mail as they read after "reach us on ...", e.g. "+44 20 ... or hello@..."."""
        parts = [p for p in (self.phone, self.email) if p]
        return f" {self.wording.contact_or} ".join(parts) if parts else self.wording.no_contact


def _money(amount: Decimal, currency: str) -> str:
    symbol = CURRENCY_SYMBOLS.get(currency)
    number = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{symbol}{number}" if symbol else f"{number} {currency}"


def _decimal(value: Any, path: Path, key: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ContentError(path, key, "must be a number")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ContentError(path, key, f"must be a number, got {value!r}") from None
    if amount < 0:
        raise ContentError(path, key, "must not be negative")
    return amount


def _wording(raw: Any, path: Path) -> Wording:
    raw = require_mapping(raw, path, "wording")
    unknown = set(raw) - set(Wording.__dataclass_fields__)
    if unknown:
        raise ContentError(path, f"wording.{sorted(unknown)[0]}", "unknown key")
    texts = {
        name: require_str(raw.get(name), path, f"wording.{name}")
        for name in Wording.__dataclass_fields__
        if name != "weekdays"
    }
    for name, placeholders in (("price_from", ("{amount}",)), ("price_range", ("{low}", "{high}"))):
        for placeholder in placeholders:
            if placeholder not in texts[name]:
                raise ContentError(path, f"wording.{name}", f"must contain {placeholder}")
    weekdays = raw.get("weekdays")
    if not isinstance(weekdays, list) or len(weekdays) != len(WEEKDAYS):
        raise ContentError(path, "wording.weekdays", "must list the seven days' short names, Monday first")
    for index, name in enumerate(weekdays):
        require_str(name, path, f"wording.weekdays[{index}]")
    return Wording(weekdays=tuple(weekdays), **texts)


def _modality(treatment_id: str, value: Any, path: Path, key: str) -> str | None:
    """A treatment's modality: given, or its own id when that is a modality; the consultation has none."""
    if treatment_id == CONSULTATION:
        if value is not None:
            raise ContentError(path, key, "the consultation has no modality (anyone may book it)")
        return None
    if value is None:
        if treatment_id in MODALITIES:
            return treatment_id
        raise ContentError(path, key, f"is required: which screening decides it ({', '.join(MODALITIES)})")
    if value not in MODALITIES:
        raise ContentError(path, key, f"must be one of {', '.join(MODALITIES)}, got {value!r}")
    return str(value)


def _positive_int(value: Any, path: Path, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ContentError(path, key, f"must be a whole number above 0, got {value!r}")
    return value


def parse_hours(raw: Any, path: Path | str, key: str) -> dict[str, tuple[tuple[time, time], ...]]:
    """Weekly hours: {mon: ["09:00-17:00", ...], ...}; missing days are closed."""
    raw = require_mapping(raw if raw is not None else {}, path, key)
    hours: dict[str, tuple[tuple[time, time], ...]] = {}
    for day, spans in raw.items():
        day_key = f"{key}.{day}"
        if day not in WEEKDAYS:
            raise ContentError(path, day_key, f"unknown day; use one of {', '.join(WEEKDAYS)}")
        if spans is None:
            spans = []
        if not isinstance(spans, list):
            raise ContentError(path, day_key, 'must be a list like ["09:00-17:00"]')
        parsed = []
        for span in spans:
            match = _SPAN.match(str(span))
            if not match:
                raise ContentError(path, day_key, f'{span!r} is not a span like "09:00-17:00"')
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            try:
                start, end = time(h1, m1), time(h2, m2)
            except ValueError:
                raise ContentError(path, day_key, f"{span!r} is not a real time of day") from None
            if end <= start:
                raise ContentError(path, day_key, f"{span!r} ends before it starts")
            parsed.append((start, end))
        hours[day] = tuple(sorted(parsed))
    return hours


def load_clinic(path: Path | str | None = None) -> Clinic:
    """Read and check clinic.yml; every problem is a ContentError naming the file and key."""
    path = Path(path) if path else CLINIC_FILE
    doc = require_mapping(read_yaml(path), path, "")
    info = require_mapping(doc.get("clinic"), path, "clinic")
    timezone = require_str(info.get("timezone"), path, "clinic.timezone")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ContentError(path, "clinic.timezone", f"unknown timezone {timezone!r}") from None
    booking_raw = require_mapping(info.get("booking") or {}, path, "clinic.booking")
    booking_args = {}
    for name in BookingSettings.__dataclass_fields__:
        if name in booking_raw:
            booking_args[name] = _positive_int(booking_raw[name], path, f"clinic.booking.{name}")
    unknown_booking = set(booking_raw) - set(BookingSettings.__dataclass_fields__)
    if unknown_booking:
        raise ContentError(path, f"clinic.booking.{sorted(unknown_booking)[0]}", "unknown setting")

    treatments_raw = require_mapping(doc.get("treatments"), path, "treatments")
    treatments: dict[str, Treatment] = {}
    for tid, raw in treatments_raw.items():
        key = f"treatments.{tid}"
        raw = require_mapping(raw, path, key)
        treatments[tid] = Treatment(
            id=tid,
            name=require_str(raw.get("name"), path, f"{key}.name"),
            duration_minutes=_positive_int(raw.get("duration_minutes"), path, f"{key}.duration_minutes"),
            price=_decimal(raw.get("price"), path, f"{key}.price"),
            price_from=_decimal(raw.get("price_from"), path, f"{key}.price_from"),
            price_to=_decimal(raw.get("price_to"), path, f"{key}.price_to"),
            modality=_modality(tid, raw.get("modality"), path, f"{key}.modality"),
        )
        t = treatments[tid]
        if t.price_from is not None and t.price_to is not None and t.price_to < t.price_from:
            raise ContentError(path, f"{key}.price_to", "is lower than price_from")
    if CONSULTATION not in treatments:
        raise ContentError(path, "treatments.consultation", "is required (screening may need a clinician first)")

    practitioners = []
    for index, raw in enumerate(doc.get("practitioners") or []):
        key = f"practitioners[{index}]"
        raw = require_mapping(raw, path, key)
        offered = raw.get("treatments") or []
        for tid in offered:
            if tid not in treatments:
                raise ContentError(path, f"{key}.treatments", f"{tid!r} is not in the treatment catalogue")
        practitioners.append(
            Practitioner(
                id=require_str(raw.get("id"), path, f"{key}.id"),
                name=require_str(raw.get("name"), path, f"{key}.name"),
                role=str(raw.get("role") or "practitioner"),
                treatments=tuple(offered),
                hours=parse_hours(raw.get("hours"), path, f"{key}.hours"),
            )
        )
    ids = [p.id for p in practitioners]
    if len(ids) != len(set(ids)):
        raise ContentError(path, "practitioners", "two practitioners share an id")

    return Clinic(
        name=require_str(info.get("name"), path, "clinic.name"),
        timezone=timezone,
        currency=str(info.get("currency") or "GBP"),
        phone=info.get("phone"),
        email=info.get("email"),
        address=info.get("address"),
        website=info.get("website"),
        opening_hours=parse_hours(info.get("opening_hours"), path, "clinic.opening_hours"),
        booking=BookingSettings(**booking_args),
        notifications=require_mapping(info.get("notifications") or {"target": "file"}, path, "clinic.notifications"),
        treatments=treatments,
        wording=_wording(doc.get("wording"), path),
        practitioners=tuple(practitioners),
    )
