"""Loading clinic.yml into the database: first start, re-runs that update in place, removals."""

from __future__ import annotations

import dataclasses
from datetime import time

from booking_support import book, count, key, london
from sqlalchemy import select

from actions.booking.models import (
    Appointment,
    ClinicHours,
    ClinicRow,
    PractitionerHours,
    PractitionerRow,
    PractitionerTreatment,
    TreatmentRow,
)
from actions.booking.results import ErrorCode
from actions.booking.seed import prepare_database, seed_clinic
from actions.content.clinic import load_clinic


def test_first_start_migrates_and_seeds_the_real_clinic_file(empty_db):
    report = prepare_database(empty_db.engine)
    assert report.clinic_created
    expected = load_clinic()
    with empty_db.factory() as session:
        clinic = session.scalars(select(ClinicRow)).one()
        assert clinic.name == expected.name and clinic.timezone == expected.timezone
        codes = set(session.scalars(select(TreatmentRow.code)))
        assert codes == set(expected.treatments)
        people = set(session.scalars(select(PractitionerRow.code)))
        assert people == {p.id for p in expected.practitioners}
    assert prepare_database(empty_db.engine).clinic_created is False


def test_reseeding_updates_in_place_and_never_duplicates(seeded, clinic, service):
    def counts():
        return [
            count(seeded.factory, model)
            for model in (
                ClinicRow,
                ClinicHours,
                TreatmentRow,
                PractitionerRow,
                PractitionerTreatment,
                PractitionerHours,
            )
        ]

    before = counts()
    assert before == [1, 6, 4, 2, 7, 7]
    again = seed_clinic(seeded.factory, clinic)
    assert not again.clinic_created and counts() == before
    with seeded.factory() as session:
        prices = dict(session.execute(select(TreatmentRow.code, TreatmentRow.price_minor)).all())
        ranges = session.execute(
            select(TreatmentRow.price_from_minor, TreatmentRow.price_to_minor).where(
                TreatmentRow.code == "microneedling_prp"
            )
        ).one()
    assert prices["rf_microneedling"] == 55050 and prices["consultation"] == 0
    assert tuple(ranges) == (35000, 42000)

    booked = book(service, key("microneedling", "nurse-b", london(2026, 3, 3, 10, 0)))
    longer = dataclasses.replace(clinic.treatments["microneedling"], duration_minutes=90, name="Microneedling (face)")
    dr_a = dataclasses.replace(clinic.practitioners[0], hours={"mon": ((time(9), time(12)),)})
    changed = dataclasses.replace(
        clinic,
        treatments={**clinic.treatments, "microneedling": longer},
        practitioners=(dr_a,),  # Nurse B has left
    )
    report = seed_clinic(seeded.factory, changed)
    assert report.deactivated == ["practitioner nurse-b"]
    assert count(seeded.factory, PractitionerRow) == 2 and count(seeded.factory, TreatmentRow) == 4
    offers = service.find_slots("microneedling", days=14, limit=100).value
    assert offers and {o.practitioner for o in offers} == {"dr-a"}
    assert all(o.treatment_name == "Microneedling (face)" and (o.end - o.start).seconds == 5400 for o in offers)
    assert {o.start_local.weekday() for o in offers} == {0} and max(o.start_local.hour for o in offers) == 10
    gone = service.hold(key("microneedling", "nurse-b", london(2026, 3, 5, 10, 0)))
    assert gone.error_code == ErrorCode.UNKNOWN_PRACTITIONER
    with seeded.factory() as session:
        kept = session.scalars(select(Appointment).where(Appointment.reference == booked.reference)).one()
        assert kept.status == "confirmed" and kept.practitioner.code == "nurse-b"
    restored = seed_clinic(seeded.factory, clinic)
    assert restored.deactivated == [] and counts() == before
