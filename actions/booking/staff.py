"""What clinic staff do with the booking data: day lists, clinical reviews, hours, time off, exports.

Used by ``python -m actions.admin``; every method returns a Result like the visitor-facing service.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Sequence, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from actions.booking import store
from actions.booking.db import session_factory
from actions.booking.models import (
    CANCELLED,
    CONFIRMED,
    HELD,
    PENDING_CLINICAL_REVIEW,
    Appointment,
    PractitionerHours,
    PractitionerRow,
    TimeOff,
)
from actions.booking.outbox import enqueue
from actions.booking.results import ErrorCode, Refusal, Result, success
from actions.booking.schedule import ClinicContext
from actions.booking.seed import DEFAULT_CLINIC_SLUG
from actions.booking.store import Clock, load_context, run, utc_now
from actions.booking.views import AppointmentView, BookingView
from actions.content import ContentError
from actions.content.clinic import WEEKDAYS, parse_hours

_FORMULA_START = ("=", "@", "\t", "\r")


@dataclass(frozen=True)
class StaffAppointment:
    appointment: AppointmentView
    phone: str | None
    email: str | None
    channel: str | None
    next_step: str | None
    screening_reasons: tuple[str, ...]


@dataclass(frozen=True)
class TimeOffView:
    id: int
    practitioner: str
    start: datetime
    end: datetime
    reason: str | None
    timezone: str
    conflicts: tuple[AppointmentView, ...] = ()

    @property
    def span_text(self) -> str:
        """'2026-04-14 13:00 to 2026-04-16 00:00 (Europe/London)'."""
        tz = ZoneInfo(self.timezone)
        return (
            f"{self.start.astimezone(tz):%Y-%m-%d %H:%M} to {self.end.astimezone(tz):%Y-%m-%d %H:%M} ({self.timezone})"
        )


class StaffDesk:
    def __init__(
        self, factory: sessionmaker | None = None, *, clock: Clock = utc_now, clinic_slug: str = DEFAULT_CLINIC_SLUG
    ) -> None:
        self.factory = factory or session_factory()
        self.clock = clock
        self.clinic_slug = clinic_slug

    # --- lists ---------------------------------------------------------------------------------------

    def appointments_on(self, day: date | None = None) -> Result[list[StaffAppointment]]:
        """Every booked appointment starting on ``day`` (clinic time; default today), cancelled ones too."""

        def operation(session: Session) -> Result[list[StaffAppointment]]:
            now = store.checked_now(self.clock)
            ctx = load_context(session, self.clinic_slug)
            wanted = day or now.astimezone(ctx.tz).date()
            start, end = _local_day_bounds(wanted, ctx)
            rows = session.scalars(
                _appointment_query()
                .where(Appointment.starts_at >= start, Appointment.starts_at < end, Appointment.status != HELD)
                .order_by(Appointment.starts_at)
            ).all()
            return success([_staff_view(row, ctx) for row in rows if not _expired_hold(row)])

        return run(self.factory, operation)

    def pending_reviews(self) -> Result[list[StaffAppointment]]:
        def operation(session: Session) -> Result[list[StaffAppointment]]:
            ctx = load_context(session, self.clinic_slug)
            rows = session.scalars(
                _appointment_query()
                .where(Appointment.status == PENDING_CLINICAL_REVIEW)
                .order_by(Appointment.starts_at)
            ).all()
            return success([_staff_view(row, ctx) for row in rows])

        return run(self.factory, operation)

    # --- clinical review -------------------------------------------------------------------------------

    def confirm_review(self, reference: str) -> Result[BookingView]:
        """A clinician has looked at the screening: the consultation goes ahead."""
        return self._review(reference, approve=True, reason=None)

    def reject_review(self, reference: str, reason: str | None = None) -> Result[BookingView]:
        """The consultation will not go ahead (the clinic contacts the visitor); its time is freed."""
        return self._review(reference, approve=False, reason=reason)

    def _review(self, reference: str, approve: bool, reason: str | None) -> Result[BookingView]:
        def operation(session: Session) -> Result[BookingView]:
            now = store.checked_now(self.clock)
            ref = store.normalise_reference(reference)
            ctx = load_context(session, self.clinic_slug)
            try:
                kind, rows = store.appointments_for_reference(session, ref, lock=True)
            except Refusal:
                raise Refusal(ErrorCode.NOT_FOUND, f"There is no booking with reference {ref}.") from None
            pending = [row for row in rows if row.status == PENDING_CLINICAL_REVIEW]
            if not pending:
                raise Refusal(ErrorCode.INVALID_STATE, f"{ref} is not waiting for a clinical review.")
            if approve:
                for row in pending:
                    row.status, row.updated_at = CONFIRMED, now
                session.flush()
                view = store.booking_view(kind, rows, ctx)
                first = view.appointments[0]
                person = rows[0].contact
                enqueue(
                    session,
                    "new_booking",
                    f"New booking {view.reference} (review passed): {first.label}",
                    {
                        "clinic": ctx.name,
                        "reference": view.reference,
                        "status": view.status,
                        "treatment": first.treatment_name,
                        "practitioner": first.practitioner_name,
                        "when": first.label,
                        "contact": {"name": person.name, "phone": person.phone, "email": person.email}
                        if person
                        else None,
                        "ics": store.calendar_for(pending, ctx, now),
                    },
                    now,
                    appointment_id=rows[0].id,
                )
                return success(view)
            store.release(session, [row.id for row in pending])
            for row in pending:
                row.status, row.cancel_reason, row.updated_at = CANCELLED, (reason or "review_rejected")[:64], now
            session.flush()
            return success(store.booking_view(kind, rows, ctx))

        return run(self.factory, operation)

    # --- hours and time off ------------------------------------------------------------------------------

    def hours(self) -> Result[dict[str, dict[str, list[str]]]]:
        """Weekly working hours per practitioner: {code: {"mon": ["09:00-17:00"], ...}}."""

        def operation(session: Session) -> Result[dict[str, dict[str, list[str]]]]:
            ctx = load_context(session, self.clinic_slug)
            table = {"clinic": _spans_text(ctx.opening_hours)}
            for practitioner in ctx.practitioners:
                table[practitioner.code] = _spans_text(practitioner.hours)
            return success(table)

        return run(self.factory, operation)

    def set_hours(self, practitioner: str, weekday: str, spans: Sequence[str]) -> Result[list[str]]:
        """Replace one weekday's working hours (e.g. ["09:00-13:00", "14:00-18:00"]; [] = not working).

        Note: ``init-demo`` (re-seeding from clinic.yml) puts the file's hours back."""

        def operation(session: Session) -> Result[list[str]]:
            row = self._practitioner_row(session, practitioner)
            day = (weekday or "").strip().lower()[:3]
            if day not in WEEKDAYS:
                raise Refusal(ErrorCode.INVALID_REQUEST, f"Unknown weekday {weekday!r}; use mon, tue, ... sun.")
            try:
                parsed = parse_hours({day: list(spans)}, "admin", "hours")[day]
            except ContentError as exc:
                raise Refusal(ErrorCode.INVALID_REQUEST, exc.problem) from None
            index = WEEKDAYS.index(day)
            session.execute(
                delete(PractitionerHours).where(
                    PractitionerHours.practitioner_id == row.id, PractitionerHours.weekday == index
                )
            )
            for starts, ends in parsed:
                session.add(PractitionerHours(practitioner_id=row.id, weekday=index, starts=starts, ends=ends))
            return success([f"{a:%H:%M}-{b:%H:%M}" for a, b in parsed])

        return run(self.factory, operation)

    def add_time_off(
        self, practitioner: str, start: datetime | date | str, end: datetime | date | str, reason: str | None = None
    ) -> Result[TimeOffView]:
        """Block a practitioner's time. Dates without a time mean whole days (``end`` inclusive);
        times without a zone are clinic time. Booked appointments in the way are reported, not moved."""

        def operation(session: Session) -> Result[TimeOffView]:
            now = store.checked_now(self.clock)
            ctx = load_context(session, self.clinic_slug)
            row = self._practitioner_row(session, practitioner)
            starts_at = _moment(start, ctx, end_of_day=False)
            ends_at = _moment(end, ctx, end_of_day=True)
            if ends_at <= starts_at:
                raise Refusal(ErrorCode.INVALID_REQUEST, "The time off ends before it starts.")
            entry = TimeOff(
                practitioner_id=row.id, starts_at=starts_at, ends_at=ends_at, reason=(reason or None), created_at=now
            )
            session.add(entry)
            session.flush()
            in_the_way = session.scalars(
                _appointment_query()
                .where(
                    Appointment.practitioner_id == row.id,
                    Appointment.status.in_((CONFIRMED, PENDING_CLINICAL_REVIEW)),
                    Appointment.starts_at < ends_at,
                    Appointment.ends_at > starts_at,
                )
                .order_by(Appointment.starts_at)
            ).all()
            return success(
                TimeOffView(
                    entry.id,
                    row.code,
                    starts_at,
                    ends_at,
                    entry.reason,
                    ctx.timezone,
                    tuple(store.appointment_view(a, ctx) for a in in_the_way),
                )
            )

        return run(self.factory, operation)

    def time_off(self, practitioner: str | None = None, include_past: bool = False) -> Result[list[TimeOffView]]:
        def operation(session: Session) -> Result[list[TimeOffView]]:
            now = store.checked_now(self.clock)
            ctx = load_context(session, self.clinic_slug)
            query = (
                select(TimeOff, PractitionerRow.code)
                .join(PractitionerRow, PractitionerRow.id == TimeOff.practitioner_id)
                .order_by(TimeOff.starts_at)
            )
            if practitioner:
                query = query.where(PractitionerRow.id == self._practitioner_row(session, practitioner).id)
            if not include_past:
                query = query.where(TimeOff.ends_at > now)
            return success(
                [
                    TimeOffView(t.id, code, t.starts_at, t.ends_at, t.reason, ctx.timezone)
                    for t, code in session.execute(query)
                ]
            )

        return run(self.factory, operation)

    def remove_time_off(self, time_off_id: int) -> Result[int]:
        def operation(session: Session) -> Result[int]:
            entry = session.get(TimeOff, time_off_id)
            if entry is None:
                raise Refusal(ErrorCode.NOT_FOUND, f"There is no time off #{time_off_id}.")
            session.delete(entry)
            return success(time_off_id)

        return run(self.factory, operation)

    # --- export ------------------------------------------------------------------------------------------

    def export_csv(self, first_day: date, last_day: date, out: TextIO) -> Result[int]:
        """Write appointments starting first_day..last_day (clinic time) as CSV; returns the row count."""

        def operation(session: Session) -> Result[int]:
            if last_day < first_day:
                raise Refusal(ErrorCode.INVALID_REQUEST, "The export ends before it starts.")
            ctx = load_context(session, self.clinic_slug)
            start, _ = _local_day_bounds(first_day, ctx)
            _, end = _local_day_bounds(last_day, ctx)
            rows = session.scalars(
                _appointment_query()
                .where(Appointment.starts_at >= start, Appointment.starts_at < end, Appointment.status != HELD)
                .order_by(Appointment.starts_at)
            ).all()
            writer = csv.writer(out)
            writer.writerow(EXPORT_COLUMNS)
            for row in rows:
                item = _staff_view(row, ctx)
                a = item.appointment
                writer.writerow(
                    [
                        _cell(value)
                        for value in (
                            a.reference,
                            a.series_reference or "",
                            a.status,
                            a.treatment,
                            a.practitioner,
                            a.start_local.strftime("%Y-%m-%d %H:%M"),
                            a.end.astimezone(ctx.tz).strftime("%Y-%m-%d %H:%M"),
                            a.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                            a.contact_name or "",
                            item.phone or "",
                            item.email or "",
                            item.channel or "",
                        )
                    ]
                )
            return success(len(rows))

        return run(self.factory, operation)

    def _practitioner_row(self, session: Session, code: str) -> PractitionerRow:
        ctx = load_context(session, self.clinic_slug)
        row = session.scalars(
            select(PractitionerRow).where(PractitionerRow.clinic_id == ctx.id, PractitionerRow.code == code)
        ).one_or_none()
        if row is None:
            known = ", ".join(p.code for p in ctx.practitioners)
            raise Refusal(ErrorCode.UNKNOWN_PRACTITIONER, f"No practitioner {code!r}; known: {known}.")
        return row


EXPORT_COLUMNS = (
    "reference",
    "series_reference",
    "status",
    "treatment",
    "practitioner",
    "start_local",
    "end_local",
    "start_utc",
    "contact_name",
    "contact_phone",
    "contact_email",
    "channel",
)


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas in visitor-typed text (phone numbers like +44... stay as they are)."""
    text = str(value)
    if text.startswith(_FORMULA_START) or (text[:1] in "+-" and not text[1:2].isdigit()):
        return "'" + text
    return text


def _appointment_query():
    return select(Appointment).options(
        selectinload(Appointment.treatment),
        selectinload(Appointment.practitioner),
        selectinload(Appointment.series),
        selectinload(Appointment.contact),
        selectinload(Appointment.consultation),
    )


def _expired_hold(row: Appointment) -> bool:
    return row.status == CANCELLED and row.cancel_reason in ("hold_expired", "released", "replaced")


def _staff_view(row: Appointment, ctx: ClinicContext) -> StaffAppointment:
    record = row.consultation
    reasons: list[str] = []
    if record is not None and isinstance(record.decision, dict):
        for modality, entry in (record.decision.get("modalities") or {}).items():
            if not isinstance(entry, dict):
                continue
            for reason in entry.get("reasons") or []:
                if isinstance(reason, dict):
                    reasons.append(f"{modality} {entry.get('status')}: {reason.get('rule')} {reason.get('text')}")
    return StaffAppointment(
        appointment=store.appointment_view(row, ctx),
        phone=row.contact.phone if row.contact else None,
        email=row.contact.email if row.contact else None,
        channel=row.channel,
        next_step=record.next_step if record is not None else None,
        screening_reasons=tuple(reasons),
    )


def _local_day_bounds(day: date, ctx: ClinicContext) -> tuple[datetime, datetime]:
    tz = ctx.tz
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(timezone.utc)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(timezone.utc)
    return start, end


def _moment(value: datetime | date | str, ctx: ClinicContext, end_of_day: bool) -> datetime:
    """A UTC instant from a datetime, a date (start of day, or end of day for ``end_of_day``) or text."""
    if isinstance(value, str):
        text = value.strip().replace("T", " ")
        try:
            value = datetime.strptime(text, "%Y-%m-%d %H:%M") if " " in text else date.fromisoformat(text)
        except ValueError:
            raise Refusal(
                ErrorCode.INVALID_DATE, f"{text!r} is not a date (2026-04-14) or time (2026-04-14 13:00)."
            ) from None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=ctx.tz)
        return value.astimezone(timezone.utc)
    if isinstance(value, date):
        day = value + timedelta(days=1) if end_of_day else value
        return datetime.combine(day, time(0), tzinfo=ctx.tz).astimezone(timezone.utc)
    raise Refusal(ErrorCode.INVALID_DATE)


def _spans_text(hours) -> dict[str, list[str]]:
    return {
        WEEKDAYS[day]: [f"{a:%H:%M}-{b:%H:%M}" for a, b in hours.get(day, ())] for day in range(7) if hours.get(day)
    }
