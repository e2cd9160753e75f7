"""Database plumbing shared by the service, the handoffs, the staff commands and privacy tools.

:func:`run` is the one way operations touch the database: one session, one transaction, rolled back
whole on a :class:`Refusal` or any error, and database failures turned into ``database_unavailable``.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable, Sequence, TypeVar

from sqlalchemy import delete, exists, insert, or_, select, update
from sqlalchemy.exc import DBAPIError, DisconnectionError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

from actions.booking.calendar import CalendarEvent, calendar_text
from actions.booking.contacts import region_of
from actions.booking.db import READ_ONLY
from actions.booking.models import (
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    HELD,
    NO_SHOW,
    PENDING_CLINICAL_REVIEW,
    Appointment,
    AppointmentSeries,
    ClinicHours,
    ClinicRow,
    ConsultationRecord,
    PractitionerHours,
    PractitionerRow,
    PractitionerTreatment,
    SlotOccupancy,
    TimeOff,
    TreatmentRow,
)
from actions.booking.results import ErrorCode, Refusal, Result, failure
from actions.booking.schedule import (
    Busy,
    ClinicContext,
    PractitionerInfo,
    TreatmentInfo,
    occupancy_cells,
)
from actions.booking.seed import DEFAULT_CLINIC_SLUG
from actions.booking.views import AppointmentView, BookingView

log = logging.getLogger(__name__)
T = TypeVar("T")
Clock = Callable[[], datetime]

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: nothing to misread
REFERENCE_LENGTH = 8  # 32**8 = 2**40 possibilities
# Statuses that keep practitioner time (holds only until they expire); see also the occupancy table.
BLOCKING_STATUSES = (PENDING_CLINICAL_REVIEW, CONFIRMED, COMPLETED, NO_SHOW)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def checked_now(clock: Clock) -> datetime:
    value = clock()
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("the clock must return timezone-aware datetimes")
    return value.astimezone(timezone.utc)


def run(factory: sessionmaker, operation: Callable[[Session], Result[T]], *, read_only: bool = False) -> Result[T]:
    """Run ``operation`` in one transaction; any Refusal or error rolls everything back.

    ``read_only`` operations (searches, look-ups) do not queue behind writers on SQLite (db.READ_ONLY)."""

    def transaction() -> Result[T]:
        with factory() as session:
            with session.begin():
                if read_only:
                    session.connection(execution_options={READ_ONLY: True})
                return operation(session)

    return outcome(transaction)


def run_in(session: Session, operation: Callable[[Session], Result[T]]) -> Result[T]:
    """Run a read-only ``operation`` in a transaction that ``session`` already has open (a snapshot)."""
    return outcome(lambda: operation(session))


def outcome(work: Callable[[], Result[T]]) -> Result[T]:
    """``work``'s result; a Refusal becomes its result and a database failure DATABASE_UNAVAILABLE."""
    try:
        return work()
    except Refusal as refusal:
        return refusal.result
    except (DBAPIError, DisconnectionError, PoolTimeoutError) as exc:
        if isinstance(exc, IntegrityError):
            log.exception("unexpected constraint violation")
        else:
            log.error("clinic database unavailable: %s: %s", exc.__class__.__name__, exc)
        return failure(ErrorCode.DATABASE_UNAVAILABLE)


# --- clinic -----------------------------------------------------------------------------------------

SNAPSHOT = "read_only_snapshot"


@dataclass
class SnapshotMemo:
    """What one read-only snapshot (BookingService.snapshot) works out once for all the searches in it;
    kept in ``session.info[SNAPSHOT]`` for the snapshot's lifetime."""

    contexts: dict[str, ClinicContext] = field(default_factory=dict)  # by clinic slug
    grid: dict = field(default_factory=dict)  # schedule.free_candidates' grid starts, by practitioner/treatment/day


def load_context(session: Session, slug: str = DEFAULT_CLINIC_SLUG) -> ClinicContext:
    """The clinic's settings, treatments and practitioners; in a read-only snapshot (BookingService.snapshot),
    loaded once for all the searches made in it."""
    memo = session.info.get(SNAPSHOT)
    if memo is None:
        return _load_context(session, slug)
    if slug not in memo.contexts:
        memo.contexts[slug] = _load_context(session, slug)
    return memo.contexts[slug]


def snapshot_grid(session: Session) -> dict | None:
    """The grid starts already worked out in this read-only snapshot, for schedule.free_candidates; None
    outside a snapshot (each transaction loads its own clinic)."""
    memo = session.info.get(SNAPSHOT)
    return None if memo is None else memo.grid


def _load_context(session: Session, slug: str) -> ClinicContext:
    # Plain column queries, not ORM objects: every hold, confirmation and search loads the clinic, and
    # building mapped rows with their relationships cost ~5 ms of the ~6 (make bench).
    clinic = session.execute(select(*ClinicRow.__table__.columns).where(ClinicRow.slug == slug)).one_or_none()
    if clinic is None:
        raise Refusal(ErrorCode.CLINIC_NOT_CONFIGURED)
    opening: dict[int, list] = {}
    for weekday, opens, closes in session.execute(
        select(ClinicHours.weekday, ClinicHours.opens, ClinicHours.closes).where(ClinicHours.clinic_id == clinic.id)
    ):
        opening.setdefault(weekday, []).append((opens, closes))
    treatments = session.execute(
        select(
            TreatmentRow.id, TreatmentRow.code, TreatmentRow.name, TreatmentRow.duration_minutes, TreatmentRow.modality
        )
        .where(TreatmentRow.clinic_id == clinic.id, TreatmentRow.active.is_(True))
        .order_by(TreatmentRow.id)
    ).all()
    practitioners = session.execute(
        select(PractitionerRow.id, PractitionerRow.code, PractitionerRow.name, PractitionerRow.role)
        .where(PractitionerRow.clinic_id == clinic.id, PractitionerRow.active.is_(True))
        .order_by(PractitionerRow.position, PractitionerRow.id)
    ).all()
    ids = [p.id for p in practitioners]
    skills: dict[int, set[str]] = {i: set() for i in ids}
    hours: dict[int, dict[int, list]] = {i: {} for i in ids}
    if ids:
        for practitioner_id, code in session.execute(
            select(PractitionerTreatment.practitioner_id, TreatmentRow.code)
            .join(TreatmentRow, TreatmentRow.id == PractitionerTreatment.treatment_id)
            .where(PractitionerTreatment.practitioner_id.in_(ids), TreatmentRow.active.is_(True))
        ):
            skills[practitioner_id].add(code)
        for practitioner_id, weekday, starts, ends in session.execute(
            select(
                PractitionerHours.practitioner_id,
                PractitionerHours.weekday,
                PractitionerHours.starts,
                PractitionerHours.ends,
            ).where(PractitionerHours.practitioner_id.in_(ids))
        ):
            hours[practitioner_id].setdefault(weekday, []).append((starts, ends))
    return ClinicContext(
        id=clinic.id,
        name=clinic.name,
        timezone=clinic.timezone,
        currency=clinic.currency,
        phone=clinic.phone,
        email=clinic.email,
        address=clinic.address,
        website=clinic.website,
        min_notice_hours=clinic.min_notice_hours,
        hold_minutes=clinic.hold_minutes,
        slot_step_minutes=clinic.slot_step_minutes,
        horizon_days=clinic.horizon_days,
        opening_hours={day: tuple(sorted(spans)) for day, spans in opening.items()},
        treatments={t.code: TreatmentInfo(t.id, t.code, t.name, t.duration_minutes, t.modality) for t in treatments},
        practitioners=tuple(
            PractitionerInfo(
                id=p.id,
                code=p.code,
                name=p.name,
                role=p.role,
                treatments=frozenset(skills[p.id]),
                hours={day: tuple(sorted(spans)) for day, spans in hours[p.id].items()},
            )
            for p in practitioners
        ),
    )


def phone_region(ctx: ClinicContext) -> str | None:
    return region_of(ctx.phone)


# --- references -------------------------------------------------------------------------------------


def normalise_reference(raw: str | None) -> str:
    text = "".join((raw or "").split()).replace("-", "").upper() if isinstance(raw, str) else ""
    if len(text) != REFERENCE_LENGTH or any(ch not in REFERENCE_ALPHABET for ch in text):
        raise Refusal(ErrorCode.INVALID_REFERENCE)
    return text


def new_reference(session: Session) -> str:
    while True:
        reference = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        taken = session.scalar(
            select(
                or_(
                    exists().where(Appointment.reference == reference),
                    exists().where(AppointmentSeries.reference == reference),
                )
            )
        )
        if not taken:
            return reference


def appointments_for_reference(session: Session, reference: str, lock: bool = False) -> tuple[str, list[Appointment]]:
    """('appointment' or 'series', rows) for a normalised reference; Refusal(not_found) if unknown."""
    query = select(Appointment).where(Appointment.reference == reference)
    if lock:
        query = query.with_for_update()
    row = session.scalars(query).one_or_none()
    if row is not None:
        return "appointment", [row]
    series_id = session.scalar(select(AppointmentSeries.id).where(AppointmentSeries.reference == reference))
    if series_id is None:
        raise Refusal(ErrorCode.NOT_FOUND)
    query = select(Appointment).where(Appointment.series_id == series_id).order_by(Appointment.series_position)
    if lock:
        query = query.with_for_update()
    return "series", list(session.scalars(query))


# --- holds, busy times and occupancy -----------------------------------------------------------------


def release_expired_holds(session: Session, now: datetime, practitioner_ids: Iterable[int] | None = None) -> int:
    """Cancel holds whose time is up, free their occupancy and drop the health data kept only for them."""
    # FOR UPDATE: a hold being confirmed right now is locked by that transaction; once it commits,
    # PostgreSQL re-checks this WHERE and skips the row, so a confirmed booking is never released.
    query = (
        select(Appointment.id, Appointment.consultation_record_id)
        .where(Appointment.status == HELD, Appointment.hold_expires_at <= now)
        .with_for_update()
    )
    if practitioner_ids is not None:
        query = query.where(Appointment.practitioner_id.in_(list(practitioner_ids)))
    rows = session.execute(query).all()
    if not rows:
        return 0
    ids = [row.id for row in rows]
    records = {row.consultation_record_id for row in rows if row.consultation_record_id is not None}
    session.execute(delete(SlotOccupancy).where(SlotOccupancy.appointment_id.in_(ids)))
    session.execute(
        update(Appointment)
        .where(Appointment.id.in_(ids), Appointment.status == HELD)
        .values(status=CANCELLED, cancel_reason="hold_expired", consultation_record_id=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if records:
        drop_unused_records(session, records)
    return len(ids)


def drop_unused_records(session: Session, record_ids: Iterable[int]) -> int:
    """Delete consultation records no appointment points to any more."""
    record_ids = list(record_ids)
    still_used = set(
        session.scalars(
            select(Appointment.consultation_record_id).where(Appointment.consultation_record_id.in_(record_ids))
        )
    )
    unused = [rid for rid in record_ids if rid not in still_used]
    if unused:
        session.execute(delete(ConsultationRecord).where(ConsultationRecord.id.in_(unused)))
    return len(unused)


def busy_times(
    session: Session,
    practitioner_ids: Sequence[int],
    start: datetime,
    end: datetime,
    now: datetime,
    exclude_appointment_ids: Sequence[int] = (),
) -> list[Busy]:
    """Appointments, unexpired holds and time off of these practitioners overlapping [start, end)."""
    if not practitioner_ids:
        return []
    appointments = select(Appointment.practitioner_id, Appointment.starts_at, Appointment.ends_at).where(
        Appointment.practitioner_id.in_(list(practitioner_ids)),
        Appointment.starts_at < end,
        Appointment.ends_at > start,
        or_(
            Appointment.status.in_(BLOCKING_STATUSES),
            (Appointment.status == HELD) & (Appointment.hold_expires_at > now),
        ),
    )
    if exclude_appointment_ids:
        appointments = appointments.where(Appointment.id.not_in(list(exclude_appointment_ids)))
    time_off = select(TimeOff.practitioner_id, TimeOff.starts_at, TimeOff.ends_at).where(
        TimeOff.practitioner_id.in_(list(practitioner_ids)), TimeOff.starts_at < end, TimeOff.ends_at > start
    )
    return [Busy(*row) for row in session.execute(appointments)] + [Busy(*row) for row in session.execute(time_off)]


def time_off_overlaps(session: Session, practitioner_id: int, start: datetime, end: datetime) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    TimeOff.practitioner_id == practitioner_id, TimeOff.starts_at < end, TimeOff.ends_at > start
                )
            )
        )
    )


def occupy(session: Session, appointment: Appointment) -> None:
    """Claim the appointment's blocks; the UNIQUE constraint refuses any block already owned.

    One multi-row insert: as mapped objects, the ~12 blocks of an hour were inserted one statement
    each (the ORM reads back every new id), a third of the time a hold took."""
    if appointment.id is None:
        session.flush()
    blocks = [
        {"practitioner_id": appointment.practitioner_id, "slot_start": cell, "appointment_id": appointment.id}
        for cell in occupancy_cells(appointment.starts_at, appointment.ends_at)
    ]
    try:
        session.execute(insert(SlotOccupancy), blocks)
    except IntegrityError as exc:
        if "slot_occupancy" in str(exc.orig).lower() or "uq_slot_occupancy" in str(exc.orig).lower():
            raise Refusal(ErrorCode.SLOT_TAKEN) from None
        raise


def release(session: Session, appointment_ids: Iterable[int]) -> None:
    session.execute(delete(SlotOccupancy).where(SlotOccupancy.appointment_id.in_(list(appointment_ids))))


# --- views ------------------------------------------------------------------------------------------


def appointment_view(row: Appointment, ctx: ClinicContext) -> AppointmentView:
    return AppointmentView(
        reference=row.reference,
        status=row.status,
        treatment=row.treatment.code,
        treatment_name=row.treatment.name,
        practitioner=row.practitioner.code,
        practitioner_name=row.practitioner.name,
        start=row.starts_at,
        end=row.ends_at,
        timezone=ctx.timezone,
        hold_expires_at=row.hold_expires_at if row.status == HELD else None,
        series_reference=row.series.reference if row.series is not None else None,
        series_position=row.series_position,
        contact_name=row.contact.name if row.contact is not None else None,
    )


def booking_view(kind: str, rows: Sequence[Appointment], ctx: ClinicContext) -> BookingView:
    views = tuple(appointment_view(row, ctx) for row in rows)
    reference = views[0].series_reference if kind == "series" else None
    return BookingView(reference=reference or views[0].reference, appointments=views)


def calendar_for(rows: Sequence[Appointment], ctx: ClinicContext, now: datetime, cancelled: bool = False) -> str:
    domain = _calendar_domain(ctx)
    events = [
        CalendarEvent(
            uid=f"{row.reference}@{domain}",
            start=row.starts_at,
            end=row.ends_at,
            summary=f"{row.treatment.name} at {ctx.name}",
            location=ctx.address or "",
            description=f"Booking reference {row.reference} with {row.practitioner.name}. "
            f"To change or cancel, contact {ctx.name}" + (f" on {ctx.phone}." if ctx.phone else "."),
            status="CANCELLED"
            if cancelled
            else ("TENTATIVE" if row.status == PENDING_CLINICAL_REVIEW else "CONFIRMED"),
            sequence=row.sequence,
        )
        for row in rows
    ]
    return calendar_text(events, now, method="CANCEL" if cancelled else "PUBLISH")


def _calendar_domain(ctx: ClinicContext) -> str:
    if ctx.email and "@" in ctx.email:
        return ctx.email.split("@", 1)[1]
    if ctx.website:
        return ctx.website.split("//", 1)[-1].split("/", 1)[0]
    return "clinic.invalid"


def utc(value: datetime) -> datetime:
    return value.astimezone(timezone.utc)


def add_minutes(value: datetime, minutes: int) -> datetime:
    return value + timedelta(minutes=minutes)
