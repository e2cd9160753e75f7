"""Forgetting a person and deleting old data (retention), in the clinic database and Rasa's tracker store.

Forget: the person's contacts (and consents), their consultation records, handoff tickets and the
notifications about them are deleted; their appointments stay in the diary without any personal link
(future ones are cancelled, since nobody could be contacted about them); every conversation of theirs
(sender ids recorded on their appointments and tickets) is deleted from the tracker store's ``events``.

Retention: consultation records, closed handoff tickets, delivered notifications and tracker events
older than N days are deleted.

The tracker store is Rasa's SQL tracker store (table ``events``, columns ``sender_id`` and
``timestamp``); its URL comes from ``TRACKER_DATABASE_URL`` (default ``sqlite:///var/tracker.db``).
The two databases cannot share a transaction: the clinic data is deleted first, then the events; a
tracker failure is reported so the command can be run again (it is idempotent).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import column, delete, func, inspect, or_, select, table, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from actions.booking import store
from actions.booking.contacts import normalise_email, normalise_phone
from actions.booking.db import VAR_DIR, make_engine, session_factory
from actions.booking.models import (
    CANCELLED,
    CONFIRMED,
    HANDOFF_CLOSED,
    HELD,
    PENDING_CLINICAL_REVIEW,
    Appointment,
    AppointmentSeries,
    Consent,
    ConsultationRecord,
    Contact,
    HandoffTicket,
    OutboxMessage,
)
from actions.booking.results import ErrorCode, Refusal, Result, failure, success
from actions.booking.seed import DEFAULT_CLINIC_SLUG
from actions.booking.store import Clock, run, utc_now

TRACKER_URL_ENV = "TRACKER_DATABASE_URL"
RETENTION_DAYS_ENV = "CLINIC_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 365
EVENTS = table("events", column("sender_id"), column("timestamp"))


def tracker_database_url() -> str:
    url = os.environ.get(TRACKER_URL_ENV, "").strip()
    return url or f"sqlite:///{VAR_DIR / 'tracker.db'}"


@dataclass
class TrackerOutcome:
    events: int = 0
    note: str = ""
    error: str = ""


@dataclass
class ForgetReport:
    contacts: int = 0
    consents: int = 0
    consultation_records: int = 0
    appointments_unlinked: int = 0
    appointments_cancelled: int = 0
    handoff_tickets: int = 0
    notifications: int = 0
    references: list[str] = field(default_factory=list)
    sender_ids: list[str] = field(default_factory=list)
    tracker: TrackerOutcome = field(default_factory=TrackerOutcome)
    dry_run: bool = False

    def text(self) -> str:
        verb = "would delete" if self.dry_run else "deleted"
        lines = [
            f"{verb}: {self.contacts} contact(s), {self.consents} consent record(s), "
            f"{self.consultation_records} consultation record(s), {self.handoff_tickets} handoff ticket(s), "
            f"{self.notifications} notification(s), {self.tracker.events} conversation event(s) "
            f"from {len(self.sender_ids)} conversation(s)",
            f"appointments kept without personal links: {self.appointments_unlinked} "
            f"({', '.join(self.references) or 'none'}); future ones cancelled: {self.appointments_cancelled}",
        ]
        if self.tracker.note:
            lines.append(f"tracker store: {self.tracker.note}")
        if self.tracker.error:
            lines.append(f"tracker store NOT cleaned: {self.tracker.error}")
        return "\n".join(lines)


@dataclass
class RetentionReport:
    days: int
    cutoff: datetime
    consultation_records: int = 0
    handoff_tickets: int = 0
    notifications: int = 0
    tracker: TrackerOutcome = field(default_factory=TrackerOutcome)
    dry_run: bool = False

    def text(self) -> str:
        verb = "would delete" if self.dry_run else "deleted"
        lines = [
            f"older than {self.days} days (before {self.cutoff:%Y-%m-%d %H:%M} UTC), {verb}: "
            f"{self.consultation_records} consultation record(s), {self.handoff_tickets} closed handoff ticket(s), "
            f"{self.notifications} delivered notification(s), {self.tracker.events} conversation event(s)"
        ]
        if self.tracker.note:
            lines.append(f"tracker store: {self.tracker.note}")
        if self.tracker.error:
            lines.append(f"tracker store NOT cleaned: {self.tracker.error}")
        return "\n".join(lines)


class _Rollback(Exception):
    """Leaves a transaction without committing (dry runs) while returning what it found."""

    def __init__(self, value: Any) -> None:
        super().__init__("dry run")
        self.value = value


def forget_person(
    factory: sessionmaker | None = None,
    *,
    phone: str | None = None,
    email: str | None = None,
    reference: str | None = None,
    sender_id: str | None = None,
    tracker_url: str | None = None,
    clock: Clock = utc_now,
    dry_run: bool = False,
    clinic_slug: str = DEFAULT_CLINIC_SLUG,
) -> Result[ForgetReport]:
    """Delete everything personal about whoever matches any of phone, e-mail, booking reference or
    conversation id (the matches are followed: a phone finds bookings, bookings find conversations)."""
    factory = factory or session_factory()

    def operation(session: Session) -> Result[ForgetReport]:
        now = store.checked_now(clock)
        ctx = store.load_context(session, clinic_slug)
        if not any((phone, email, reference, sender_id)):
            raise Refusal(ErrorCode.INVALID_REQUEST, "Say who to forget: a phone, e-mail, reference or sender id.")
        contact_ids, appointment_ids, sender_ids, ticket_ids = _find_person(
            session,
            phone=normalise_phone(phone, store.phone_region(ctx)) if phone else None,
            email=normalise_email(email) if email else None,
            reference=store.normalise_reference(reference) if reference else None,
            sender_id=sender_id,
        )
        if not (contact_ids or appointment_ids or ticket_ids or sender_id):
            raise Refusal(ErrorCode.NOT_FOUND, "Nobody matched those details.")
        report = ForgetReport(dry_run=dry_run, sender_ids=sorted(sender_ids))
        _erase(session, report, contact_ids, appointment_ids, ticket_ids, now)
        if dry_run:
            raise _Rollback(report)
        return success(report)

    try:
        result = run(factory, operation)
    except _Rollback as rollback:
        result = success(rollback.value)
    if result.ok:
        report = result.unwrap()
        report.tracker = _tracker_delete(
            tracker_url, EVENTS.c.sender_id.in_(report.sender_ids), dry_run, bool(report.sender_ids)
        )
    return result


def _find_person(session: Session, *, phone, email, reference, sender_id):
    contact_ids: set[int] = set()
    appointment_ids: set[int] = set()
    sender_ids: set[str] = {sender_id} if sender_id else set()
    ticket_ids: set[int] = set()
    if phone or email:
        clauses = ([Contact.phone == phone] if phone else []) + ([Contact.email == email] if email else [])
        contact_ids |= set(session.scalars(select(Contact.id).where(or_(*clauses))))
    if reference:
        series_id = session.scalar(select(AppointmentSeries.id).where(AppointmentSeries.reference == reference))
        appointment_ids |= set(
            session.scalars(
                select(Appointment.id).where(
                    or_(Appointment.reference == reference, Appointment.series_id == series_id)
                    if series_id is not None
                    else Appointment.reference == reference
                )
            )
        )
    # Follow the links until nothing new turns up: contacts -> the same phone or e-mail elsewhere ->
    # appointments -> conversations -> tickets -> ...
    while True:
        before = (len(contact_ids), len(appointment_ids), len(sender_ids), len(ticket_ids))
        if contact_ids:
            known = session.execute(select(Contact.phone, Contact.email).where(Contact.id.in_(contact_ids))).all()
            phones = {row.phone for row in known if row.phone}
            emails = {row.email for row in known if row.email}
            contact_ids |= set(
                session.scalars(select(Contact.id).where(or_(Contact.phone.in_(phones), Contact.email.in_(emails))))
            )
        conditions = []
        if contact_ids:
            conditions.append(Appointment.contact_id.in_(contact_ids))
        if sender_ids:
            conditions.append(Appointment.sender_id.in_(sender_ids))
        if appointment_ids:
            conditions.append(Appointment.id.in_(appointment_ids))
        if conditions:
            for row in session.execute(
                select(Appointment.id, Appointment.contact_id, Appointment.sender_id).where(or_(*conditions))
            ):
                appointment_ids.add(row.id)
                if row.contact_id is not None:
                    contact_ids.add(row.contact_id)
                if row.sender_id:
                    sender_ids.add(row.sender_id)
        ticket_conditions = []
        if sender_ids:
            ticket_conditions.append(HandoffTicket.sender_id.in_(sender_ids))
        if contact_ids:
            ticket_conditions.append(HandoffTicket.contact_id.in_(contact_ids))
        if ticket_conditions:
            for row in session.execute(
                select(HandoffTicket.id, HandoffTicket.sender_id).where(or_(*ticket_conditions))
            ):
                ticket_ids.add(row.id)
                sender_ids.add(row.sender_id)
        if (len(contact_ids), len(appointment_ids), len(sender_ids), len(ticket_ids)) == before:
            return contact_ids, appointment_ids, sender_ids, ticket_ids


def _erase(session: Session, report: ForgetReport, contact_ids, appointment_ids, ticket_ids, now: datetime) -> None:
    appointments = (
        session.scalars(select(Appointment).where(Appointment.id.in_(appointment_ids)).with_for_update()).all()
        if appointment_ids
        else []
    )
    report.references = sorted(row.reference for row in appointments)
    record_ids = {row.consultation_record_id for row in appointments if row.consultation_record_id is not None}
    future = [
        row for row in appointments if row.status in (HELD, CONFIRMED, PENDING_CLINICAL_REVIEW) and row.ends_at > now
    ]
    if future:
        store.release(session, [row.id for row in future])
        for row in future:
            row.status, row.cancel_reason, row.hold_expires_at = CANCELLED, "person_forgotten", None
    report.appointments_cancelled = len(future)
    notification_conditions = []
    if appointment_ids:
        notification_conditions.append(OutboxMessage.appointment_id.in_(appointment_ids))
    if ticket_ids:
        notification_conditions.append(OutboxMessage.handoff_id.in_(ticket_ids))
    if notification_conditions:
        report.notifications = session.execute(delete(OutboxMessage).where(or_(*notification_conditions))).rowcount
    for row in appointments:
        row.contact_id = None
        row.sender_id = None
        row.channel = None
        row.consultation_record_id = None
        row.updated_at = now
    report.appointments_unlinked = len(appointments)
    session.flush()
    if record_ids:
        report.consultation_records = session.execute(
            delete(ConsultationRecord).where(ConsultationRecord.id.in_(record_ids))
        ).rowcount
    if ticket_ids:
        report.handoff_tickets = session.execute(delete(HandoffTicket).where(HandoffTicket.id.in_(ticket_ids))).rowcount
    if contact_ids:
        report.consents = session.execute(delete(Consent).where(Consent.contact_id.in_(contact_ids))).rowcount
        report.contacts = session.execute(delete(Contact).where(Contact.id.in_(contact_ids))).rowcount


def apply_retention(
    days: int,
    factory: sessionmaker | None = None,
    *,
    tracker_url: str | None = None,
    clock: Clock = utc_now,
    dry_run: bool = False,
) -> Result[RetentionReport]:
    """Delete health records, closed tickets, delivered notifications and tracker events older than
    ``days``. A consultation record counts from its latest appointment's end, so a record made long
    ago for an appointment still to come is kept."""
    factory = factory or session_factory()
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        return failure(ErrorCode.INVALID_REQUEST, "The retention age must be a whole number of days, 1 or more.")

    def operation(session: Session) -> Result[RetentionReport]:
        now = store.checked_now(clock)
        cutoff = now - timedelta(days=days)
        report = RetentionReport(days=days, cutoff=cutoff, dry_run=dry_run)
        recent_use = select(Appointment.consultation_record_id).where(
            Appointment.consultation_record_id.is_not(None), Appointment.ends_at >= cutoff
        )
        old_records = list(
            session.scalars(
                select(ConsultationRecord.id).where(
                    ConsultationRecord.created_at < cutoff, ConsultationRecord.id.not_in(recent_use)
                )
            )
        )
        if old_records:
            session.execute(
                update(Appointment)
                .where(Appointment.consultation_record_id.in_(old_records))
                .values(consultation_record_id=None)
                .execution_options(synchronize_session=False)
            )
            report.consultation_records = session.execute(
                delete(ConsultationRecord).where(ConsultationRecord.id.in_(old_records))
            ).rowcount
        old_tickets = select(HandoffTicket.id).where(
            HandoffTicket.status == HANDOFF_CLOSED, HandoffTicket.closed_at < cutoff
        )
        report.notifications = session.execute(
            delete(OutboxMessage)
            .where(
                or_(
                    OutboxMessage.delivered_at < cutoff,
                    OutboxMessage.handoff_id.in_(old_tickets),
                )
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        report.handoff_tickets = session.execute(
            delete(HandoffTicket)
            .where(HandoffTicket.status == HANDOFF_CLOSED, HandoffTicket.closed_at < cutoff)
            .execution_options(synchronize_session=False)
        ).rowcount
        if dry_run:
            raise _Rollback(report)
        return success(report)

    try:
        result = run(factory, operation)
    except _Rollback as rollback:
        result = success(rollback.value)
    if result.ok:
        report = result.unwrap()
        report.tracker = _tracker_delete(tracker_url, EVENTS.c.timestamp < report.cutoff.timestamp(), dry_run, True)
    return result


def _tracker_delete(url: str | None, condition, dry_run: bool, wanted: bool) -> TrackerOutcome:
    """Delete (or count, for a dry run) tracker events matching ``condition``."""
    outcome = TrackerOutcome()
    if not wanted:
        outcome.note = "no conversations to delete"
        return outcome
    url = url or tracker_database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).exists():
        outcome.note = f"no tracker database at {parsed.database}; nothing to delete"
        return outcome
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            if not inspect(connection).has_table("events"):
                outcome.note = "the tracker database has no events table; nothing to delete"
                return outcome
            if dry_run:
                outcome.events = connection.execute(select(func.count()).select_from(EVENTS).where(condition)).scalar()
            else:
                outcome.events = connection.execute(delete(EVENTS).where(condition)).rowcount
    except DBAPIError as exc:
        outcome.error = f"{exc.__class__.__name__}: {str(exc.orig).strip()[:300]}"
    finally:
        engine.dispose()
    return outcome
