"""Copy the clinic's settings (clinic.yml, read by actions.content.clinic) into the database.

Idempotent: running it again updates the rows in place and never duplicates them. Treatments and
practitioners that disappeared from clinic.yml are deactivated (their past appointments still point to
them), and weekly hours are replaced by the file's. Time off lives only in the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from actions.booking.models import (
    ClinicHours,
    ClinicRow,
    PractitionerHours,
    PractitionerRow,
    PractitionerTreatment,
    TreatmentRow,
)
from actions.content.clinic import WEEKDAYS, Clinic, load_clinic

DEFAULT_CLINIC_SLUG = "default"


@dataclass
class SeedReport:
    clinic_created: bool
    treatments: list[str] = field(default_factory=list)
    practitioners: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)

    def text(self) -> str:
        verb = "created" if self.clinic_created else "updated"
        lines = [
            f"clinic {verb}",
            f"treatments: {', '.join(self.treatments)}",
            f"practitioners: {', '.join(self.practitioners)}",
        ]
        if self.deactivated:
            lines.append(f"no longer in clinic.yml, deactivated: {', '.join(self.deactivated)}")
        return "\n".join(lines)


def prepare_database(engine: Engine | None = None, clinic: Clinic | None = None) -> SeedReport:
    """What a first start needs: migrate the database (creating it) and load the clinic from clinic.yml."""
    from actions.booking.db import get_engine, session_factory, upgrade

    engine = engine or get_engine()
    upgrade(engine)
    return seed_clinic(session_factory(engine), clinic)


def seed_clinic(factory: sessionmaker, clinic: Clinic | None = None, slug: str = DEFAULT_CLINIC_SLUG) -> SeedReport:
    """Create or update the clinic ``slug`` from ``clinic`` (default: load_clinic())."""
    clinic = clinic or load_clinic()
    with factory() as session, session.begin():
        return _sync(session, clinic, slug)


def _sync(session: Session, clinic: Clinic, slug: str) -> SeedReport:
    row = session.scalars(select(ClinicRow).where(ClinicRow.slug == slug)).one_or_none()
    report = SeedReport(clinic_created=row is None)
    if row is None:
        row = ClinicRow(slug=slug)
        session.add(row)
    row.name = clinic.name
    row.timezone = clinic.timezone
    row.currency = clinic.currency
    row.phone, row.email, row.address, row.website = clinic.phone, clinic.email, clinic.address, clinic.website
    row.min_notice_hours = clinic.booking.min_notice_hours
    row.hold_minutes = clinic.booking.hold_minutes
    row.slot_step_minutes = clinic.booking.slot_step_minutes
    row.horizon_days = clinic.booking.horizon_days
    session.flush()
    session.execute(delete(ClinicHours).where(ClinicHours.clinic_id == row.id))
    for weekday, day in enumerate(WEEKDAYS):
        for opens, closes in clinic.opening_hours.get(day, ()):
            session.add(ClinicHours(clinic_id=row.id, weekday=weekday, opens=opens, closes=closes))

    treatments = _sync_treatments(session, row.id, clinic, report)
    _sync_practitioners(session, row.id, clinic, treatments, report)
    return report


def _sync_treatments(session: Session, clinic_id: int, clinic: Clinic, report: SeedReport) -> dict[str, TreatmentRow]:
    existing = {t.code: t for t in session.scalars(select(TreatmentRow).where(TreatmentRow.clinic_id == clinic_id))}
    for code, treatment in clinic.treatments.items():
        row = existing.get(code)
        if row is None:
            row = existing[code] = TreatmentRow(clinic_id=clinic_id, code=code)
            session.add(row)
        row.name = treatment.name
        row.duration_minutes = treatment.duration_minutes
        row.modality = treatment.modality
        row.price_minor = _minor(treatment.price)
        row.price_from_minor = _minor(treatment.price_from)
        row.price_to_minor = _minor(treatment.price_to)
        row.active = True
        report.treatments.append(code)
    for code, row in existing.items():
        if code not in clinic.treatments and row.active:
            row.active = False
            report.deactivated.append(f"treatment {code}")
    session.flush()
    return existing


def _minor(amount: Decimal | None) -> int | None:
    """Decimal pounds/euros to whole pence/cents."""
    return None if amount is None else int((amount * 100).to_integral_value(ROUND_HALF_UP))


def _sync_practitioners(
    session: Session, clinic_id: int, clinic: Clinic, treatments: dict[str, TreatmentRow], report: SeedReport
) -> None:
    existing = {
        p.code: p for p in session.scalars(select(PractitionerRow).where(PractitionerRow.clinic_id == clinic_id))
    }
    listed = set()
    for position, practitioner in enumerate(clinic.practitioners):
        listed.add(practitioner.id)
        row = existing.get(practitioner.id)
        if row is None:
            row = existing[practitioner.id] = PractitionerRow(clinic_id=clinic_id, code=practitioner.id)
            session.add(row)
        row.name, row.role, row.position, row.active = practitioner.name, practitioner.role, position, True
        session.flush()
        session.execute(delete(PractitionerTreatment).where(PractitionerTreatment.practitioner_id == row.id))
        session.execute(delete(PractitionerHours).where(PractitionerHours.practitioner_id == row.id))
        for code in practitioner.treatments:
            session.add(PractitionerTreatment(practitioner_id=row.id, treatment_id=treatments[code].id))
        for weekday, day in enumerate(WEEKDAYS):
            for starts, ends in practitioner.hours.get(day, ()):
                session.add(PractitionerHours(practitioner_id=row.id, weekday=weekday, starts=starts, ends=ends))
        report.practitioners.append(practitioner.id)
    for code, row in existing.items():
        if code not in listed and row.active:
            row.active = False
            report.deactivated.append(f"practitioner {code}")
    session.flush()
    # Relationship collections loaded before the bulk deletes above are stale now.
    session.expire_all()
