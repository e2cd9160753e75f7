"""Tables of the clinic database (SQLAlchemy 1.4 declarative, 2.0 style).

Times are stored in UTC (:class:`UTCDateTime` refuses naive datetimes) and shown in the clinic's
timezone by the service layer. Weekly hours are wall-clock times in the clinic's timezone.

Health data (``consultation_records``) is kept apart from contact data (``contacts``) so that each can
be minimised and deleted on its own; an appointment links to both.

Double booking is prevented by ``slot_occupancy``: an active appointment owns one row per
:data:`OCCUPANCY_CELL_MINUTES` block of its practitioner's time, and the UNIQUE constraint on
(practitioner_id, slot_start) makes the database refuse a second owner of any block.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import configure_mappers, declarative_base, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base: Any = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))

# Occupancy granularity. Every slot grid in use (5, 10, 15, 20, 30, 60 minutes) and every real
# timezone offset is a multiple of it, so two appointments overlap exactly when they share a block.
OCCUPANCY_CELL_MINUTES = 5

HELD = "held"
PENDING_CLINICAL_REVIEW = "pending_clinical_review"
CONFIRMED = "confirmed"
CANCELLED = "cancelled"
COMPLETED = "completed"
NO_SHOW = "no_show"
APPOINTMENT_STATUSES = (HELD, PENDING_CLINICAL_REVIEW, CONFIRMED, CANCELLED, COMPLETED, NO_SHOW)
# Statuses whose appointment occupies practitioner time (a hold only until it expires).
ACTIVE_STATUSES = (HELD, PENDING_CLINICAL_REVIEW, CONFIRMED)

HANDOFF_OPEN = "open"
HANDOFF_TAKEN = "taken"
HANDOFF_CLOSED = "closed"
HANDOFF_STATUSES = (HANDOFF_OPEN, HANDOFF_TAKEN, HANDOFF_CLOSED)

NOTIFICATION_KINDS = ("new_booking", "review_needed", "handoff", "cancellation", "rescheduled")

CONSENT_PURPOSES = ("booking", "health_data", "reminders", "marketing")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime. PostgreSQL stores timestamptz; SQLite stores naive UTC text."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(DateTime())
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: the clinic database stores aware UTC times only")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def _created():
    return Column(UTCDateTime(), nullable=False, default=utcnow)


def _updated():
    return Column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)


class ClinicRow(Base):
    __tablename__ = "clinics"

    id = Column(Integer, primary_key=True)
    slug = Column(String(64), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    timezone = Column(String(64), nullable=False)
    currency = Column(String(3), nullable=False)
    phone = Column(String(40))
    email = Column(String(254))
    address = Column(String(400))
    website = Column(String(400))
    min_notice_hours = Column(Integer, nullable=False)
    hold_minutes = Column(Integer, nullable=False)
    slot_step_minutes = Column(Integer, nullable=False)
    horizon_days = Column(Integer, nullable=False)
    created_at = _created()
    updated_at = _updated()

    hours = relationship("ClinicHours", cascade="all, delete-orphan", order_by="ClinicHours.weekday")


class ClinicHours(Base):
    """One opening span of a weekday (0 = Monday), wall-clock time in the clinic's timezone."""

    __tablename__ = "clinic_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("closes > opens", name="span"),
    )

    id = Column(Integer, primary_key=True)
    clinic_id = Column(ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False, index=True)
    weekday = Column(SmallInteger, nullable=False)
    opens = Column(Time, nullable=False)
    closes = Column(Time, nullable=False)


class TreatmentRow(Base):
    __tablename__ = "treatments"
    __table_args__ = (
        UniqueConstraint("clinic_id", "code"),
        CheckConstraint("duration_minutes > 0", name="duration"),
    )

    id = Column(Integer, primary_key=True)
    clinic_id = Column(ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False)
    code = Column(String(64), nullable=False)
    name = Column(String(200), nullable=False)
    duration_minutes = Column(Integer, nullable=False)
    # The screening modality that decides whether it may be booked (clinic.yml); NULL for the consultation.
    modality = Column(String(32))
    # Prices in minor units (pence, cents): exact on every database.
    price_minor = Column(Integer)
    price_from_minor = Column(Integer)
    price_to_minor = Column(Integer)
    active = Column(Boolean, nullable=False, default=True)


class PractitionerTreatment(Base):
    __tablename__ = "practitioner_treatments"

    practitioner_id = Column(ForeignKey("practitioners.id", ondelete="CASCADE"), primary_key=True)
    treatment_id = Column(ForeignKey("treatments.id", ondelete="CASCADE"), primary_key=True)


class PractitionerRow(Base):
    __tablename__ = "practitioners"
    __table_args__ = (UniqueConstraint("clinic_id", "code"),)

    id = Column(Integer, primary_key=True)
    clinic_id = Column(ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False)
    code = Column(String(64), nullable=False)
    name = Column(String(200), nullable=False)
    role = Column(String(64), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    # Seed order from clinic.yml: first listed is offered first when two are free at the same time.
    position = Column(Integer, nullable=False, default=0)

    treatments = relationship(TreatmentRow, secondary="practitioner_treatments", order_by=TreatmentRow.id)
    hours = relationship("PractitionerHours", cascade="all, delete-orphan", order_by="PractitionerHours.weekday")


class PractitionerHours(Base):
    """One working span of a weekday (0 = Monday), wall-clock time in the clinic's timezone."""

    __tablename__ = "practitioner_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("ends > starts", name="span"),
    )

    id = Column(Integer, primary_key=True)
    practitioner_id = Column(ForeignKey("practitioners.id", ondelete="CASCADE"), nullable=False, index=True)
    weekday = Column(SmallInteger, nullable=False)
    starts = Column(Time, nullable=False)
    ends = Column(Time, nullable=False)


class TimeOff(Base):
    __tablename__ = "time_off"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="span"),)

    id = Column(Integer, primary_key=True)
    practitioner_id = Column(ForeignKey("practitioners.id", ondelete="CASCADE"), nullable=False, index=True)
    starts_at = Column(UTCDateTime(), nullable=False)
    ends_at = Column(UTCDateTime(), nullable=False)
    reason = Column(String(200))
    created_at = _created()


class Contact(Base):
    """Who to reach about a booking. Phones are E.164, e-mails normalised (see contacts.py)."""

    __tablename__ = "contacts"
    __table_args__ = (CheckConstraint("phone IS NOT NULL OR email IS NOT NULL", name="reachable"),)

    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False)
    phone = Column(String(20), index=True)
    email = Column(String(254), index=True)
    created_at = _created()

    consents = relationship("Consent", cascade="all, delete-orphan", passive_deletes=True)


class Consent(Base):
    """What the person agreed to (one of CONSENT_PURPOSES) and when."""

    __tablename__ = "consents"
    __table_args__ = (
        UniqueConstraint("contact_id", "purpose"),
        CheckConstraint(f"purpose IN ({_in(CONSENT_PURPOSES)})", name="purpose"),
    )

    id = Column(Integer, primary_key=True)
    contact_id = Column(ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False)
    purpose = Column(String(32), nullable=False)
    given_at = Column(UTCDateTime(), nullable=False)


class ConsultationRecord(Base):
    """Health data: the screening decision snapshot and the visitor's concerns, preferences and plan."""

    __tablename__ = "consultation_records"

    id = Column(Integer, primary_key=True)
    rules_version = Column(String(40))
    next_step = Column(String(40))
    decision = Column(JSON)
    concerns = Column(JSON, nullable=False, default=list)
    preferences = Column(JSON, nullable=False, default=dict)
    recommended_plan = Column(JSON)
    created_at = _created()


class AppointmentSeries(Base):
    """A course of sessions booked together (e.g. 3 sessions 4-6 weeks apart)."""

    __tablename__ = "appointment_series"

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)
    treatment_id = Column(ForeignKey("treatments.id"), nullable=False)
    sessions = Column(Integer, nullable=False)
    interval_min_weeks = Column(Integer, nullable=False)
    interval_max_weeks = Column(Integer, nullable=False)
    created_at = _created()


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint(f"status IN ({_in(APPOINTMENT_STATUSES)})", name="status"),
        CheckConstraint("ends_at > starts_at", name="span"),
        Index("ix_appointments_practitioner_start", "practitioner_id", "starts_at"),
    )

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)
    clinic_id = Column(ForeignKey("clinics.id"), nullable=False)
    practitioner_id = Column(ForeignKey("practitioners.id"), nullable=False)
    treatment_id = Column(ForeignKey("treatments.id"), nullable=False)
    status = Column(String(32), nullable=False, index=True)
    starts_at = Column(UTCDateTime(), nullable=False)
    ends_at = Column(UTCDateTime(), nullable=False)
    hold_expires_at = Column(UTCDateTime())
    series_id = Column(ForeignKey("appointment_series.id", ondelete="SET NULL"), index=True)
    series_position = Column(Integer)
    contact_id = Column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    consultation_record_id = Column(ForeignKey("consultation_records.id", ondelete="SET NULL"), index=True)
    sender_id = Column(String(255), index=True)
    channel = Column(String(64))
    cancel_reason = Column(String(64))
    # RFC 5545 SEQUENCE: bumped on every reschedule so calendars replace the old event.
    sequence = Column(Integer, nullable=False, default=0)
    created_at = _created()
    updated_at = _updated()

    practitioner = relationship(PractitionerRow)
    treatment = relationship(TreatmentRow)
    series = relationship(AppointmentSeries)
    contact = relationship(Contact)
    consultation = relationship(ConsultationRecord)


class SlotOccupancy(Base):
    """One OCCUPANCY_CELL_MINUTES block of a practitioner's time owned by an active appointment."""

    __tablename__ = "slot_occupancy"
    __table_args__ = (UniqueConstraint("practitioner_id", "slot_start", name="uq_slot_occupancy_practitioner_slot"),)

    id = Column(Integer, primary_key=True)
    practitioner_id = Column(ForeignKey("practitioners.id", ondelete="CASCADE"), nullable=False)
    slot_start = Column(UTCDateTime(), nullable=False)
    appointment_id = Column(ForeignKey("appointments.id", ondelete="CASCADE"), nullable=False, index=True)


class HandoffTicket(Base):
    """A conversation a person should pick up; while open or taken the assistant stays quiet."""

    __tablename__ = "handoff_tickets"
    __table_args__ = (
        CheckConstraint(f"status IN ({_in(HANDOFF_STATUSES)})", name="status"),
        # At most one active (open or taken) ticket per conversation, even under concurrency.
        Index(
            "uq_handoff_tickets_active_sender",
            "sender_id",
            unique=True,
            sqlite_where=text("status != 'closed'"),
            postgresql_where=text("status != 'closed'"),
        ),
    )

    id = Column(Integer, primary_key=True)
    reason = Column(String(64), nullable=False)
    summary = Column(Text, nullable=False, default="")
    channel = Column(String(64), nullable=False)
    sender_id = Column(String(255), nullable=False, index=True)
    contact_id = Column(ForeignKey("contacts.id", ondelete="SET NULL"))
    status = Column(String(16), nullable=False, default=HANDOFF_OPEN)
    taken_by = Column(String(200))
    # The triage level of a red flag the visitor named while waiting (contract.statuses.TRIAGE_LEVELS):
    # the staff see the ticket first. None: not urgent.
    urgency = Column(String(32))
    urgent_at = Column(UTCDateTime())
    created_at = _created()
    updated_at = _updated()
    taken_at = Column(UTCDateTime())
    closed_at = Column(UTCDateTime())


class OutboxMessage(Base):
    """A notification to the clinic, delivered (and retried) by the outbox worker."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_in(NOTIFICATION_KINDS)})", name="kind"),
        Index("ix_outbox_due", "delivered_at", "next_attempt_at"),
    )

    id = Column(Integer, primary_key=True)
    kind = Column(String(32), nullable=False)
    subject = Column(String(300), nullable=False)
    payload = Column(JSON, nullable=False)
    appointment_id = Column(ForeignKey("appointments.id", ondelete="SET NULL"), index=True)
    handoff_id = Column(ForeignKey("handoff_tickets.id", ondelete="SET NULL"), index=True)
    created_at = _created()
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(UTCDateTime(), nullable=False)
    delivered_at = Column(UTCDateTime())
    last_error = Column(Text)


def configure_mappings() -> None:
    """Resolve the mapped classes' relationships now. SQLAlchemy otherwise does it on the first query
    of the process, ~15 ms of the first booking search after the action server starts (it reads no
    database)."""
    configure_mappers()
