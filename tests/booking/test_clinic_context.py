"""The clinic's settings, treatments and practitioners as the booking service reads them.

store._load_context reads plain columns (it runs in every hold, confirmation and search); these tests
hold it to what the ORM's mapped rows and relationships say, including after staff deactivate a
treatment or a practitioner and add a second span to a day.
"""

from __future__ import annotations

from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from actions.booking import store
from actions.booking.models import ClinicRow, PractitionerHours, PractitionerRow, TreatmentRow
from actions.booking.seed import DEFAULT_CLINIC_SLUG


def from_mapped_rows(session) -> dict:
    """What the mapped rows say, through their relationships (the reference)."""
    clinic = session.scalars(
        select(ClinicRow).where(ClinicRow.slug == DEFAULT_CLINIC_SLUG).options(selectinload(ClinicRow.hours))
    ).one()
    opening: dict[int, list] = {}
    for span in clinic.hours:
        opening.setdefault(span.weekday, []).append((span.opens, span.closes))
    practitioners = session.scalars(
        select(PractitionerRow)
        .where(PractitionerRow.clinic_id == clinic.id, PractitionerRow.active.is_(True))
        .order_by(PractitionerRow.position, PractitionerRow.id)
    ).all()
    people = []
    for p in practitioners:
        hours: dict[int, list] = {}
        for span in p.hours:
            hours.setdefault(span.weekday, []).append((span.starts, span.ends))
        people.append(
            (
                p.id,
                p.code,
                p.name,
                p.role,
                frozenset(t.code for t in p.treatments if t.active),
                {day: tuple(sorted(spans)) for day, spans in hours.items()},
            )
        )
    treatments = session.scalars(
        select(TreatmentRow).where(TreatmentRow.clinic_id == clinic.id, TreatmentRow.active.is_(True))
    ).all()
    return {
        "clinic": (
            clinic.id,
            clinic.name,
            clinic.timezone,
            clinic.currency,
            clinic.phone,
            clinic.email,
            clinic.address,
            clinic.website,
            clinic.min_notice_hours,
            clinic.hold_minutes,
            clinic.slot_step_minutes,
            clinic.horizon_days,
        ),
        "opening": {day: tuple(sorted(spans)) for day, spans in opening.items()},
        "treatments": {t.code: (t.id, t.name, t.duration_minutes) for t in treatments},
        "practitioners": people,
    }


def as_loaded(session) -> dict:
    ctx = store.load_context(session, DEFAULT_CLINIC_SLUG)
    return {
        "clinic": (
            ctx.id,
            ctx.name,
            ctx.timezone,
            ctx.currency,
            ctx.phone,
            ctx.email,
            ctx.address,
            ctx.website,
            ctx.min_notice_hours,
            ctx.hold_minutes,
            ctx.slot_step_minutes,
            ctx.horizon_days,
        ),
        "opening": ctx.opening_hours,
        "treatments": {code: (t.id, t.name, t.duration_minutes) for code, t in ctx.treatments.items()},
        "practitioners": [(p.id, p.code, p.name, p.role, p.treatments, p.hours) for p in ctx.practitioners],
    }


def test_the_loaded_clinic_is_what_its_rows_say(seeded):
    with seeded.factory() as session:
        loaded = as_loaded(session)
        assert loaded == from_mapped_rows(session)
    assert loaded["clinic"][1] == "Test Skin Clinic" and loaded["clinic"][-1] == 28
    assert [p[1] for p in loaded["practitioners"]][:2] == ["dr-a", "nurse-b"]
    assert loaded["practitioners"][1][4] == {"consultation", "microneedling", "microneedling_prp"}
    assert loaded["opening"][5] == ((time(10), time(14)),) and 6 not in loaded["opening"]


def test_deactivated_treatments_and_practitioners_and_split_days_are_read_as_staff_left_them(seeded):
    with seeded.factory() as session, session.begin():
        session.execute(
            TreatmentRow.__table__.update().where(TreatmentRow.code == "microneedling_prp").values(active=False)
        )
        nurse = session.scalars(select(PractitionerRow).where(PractitionerRow.code == "nurse-b")).one()
        dr_a = session.scalars(select(PractitionerRow).where(PractitionerRow.code == "dr-a")).one()
        nurse.active = False
        session.add(PractitionerHours(practitioner_id=dr_a.id, weekday=5, starts=time(10), ends=time(12)))
        session.add(PractitionerHours(practitioner_id=dr_a.id, weekday=5, starts=time(8), ends=time(9)))
        session.flush()
        loaded = as_loaded(session)
        assert loaded == from_mapped_rows(session)
    assert "microneedling_prp" not in loaded["treatments"]
    assert "nurse-b" not in [p[1] for p in loaded["practitioners"]]
    dr = next(p for p in loaded["practitioners"] if p[1] == "dr-a")
    assert "microneedling_prp" not in dr[4] and "rf_microneedling" in dr[4]
    assert dr[5][5] == ((time(8), time(9)), (time(10), time(12)))
