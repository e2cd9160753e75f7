"""Migrations: an empty database upgrades to the models exactly, downgrades and upgrades again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from actions.booking.db import current_revision, downgrade, head_revision, upgrade
from actions.booking.models import Base

TABLES = {
    "clinics",
    "clinic_hours",
    "treatments",
    "practitioners",
    "practitioner_treatments",
    "practitioner_hours",
    "time_off",
    "contacts",
    "consents",
    "consultation_records",
    "appointment_series",
    "appointments",
    "slot_occupancy",
    "handoff_tickets",
    "outbox",
}


def tables(engine):
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_from_empty_matches_the_models(empty_db):
    engine = empty_db.engine
    assert tables(engine) == set() and current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision() == "0003"
    assert tables(engine) == TABLES == set(Base.metadata.tables)
    with engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
        )
    assert differences == []
    unique = {tuple(c["column_names"]) for c in inspect(engine).get_unique_constraints("slot_occupancy")}
    assert ("practitioner_id", "slot_start") in unique


def test_downgrade_and_upgrade_again(empty_db):
    engine = empty_db.engine
    upgrade(engine)
    downgrade(engine, "base")
    assert tables(engine) == set() and current_revision(engine) is None
    upgrade(engine)
    upgrade(engine)  # already at head: nothing to do
    assert tables(engine) == TABLES


def test_a_catalogue_from_before_modalities_gets_each_treatments_modality(empty_db):
    engine = empty_db.engine
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO clinics (slug, name, timezone, currency, min_notice_hours, hold_minutes, "
                "slot_step_minutes, horizon_days, created_at, updated_at) VALUES ('demo', 'Demo', "
                "'Europe/London', 'GBP', 24, 10, 30, 28, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        clinic_id = connection.execute(text("SELECT id FROM clinics")).scalar_one()
        for code in ("consultation", "microneedling", "rf_microneedling", "microneedling_prp"):
            connection.execute(
                text(
                    "INSERT INTO treatments (clinic_id, code, name, duration_minutes, active) "
                    "VALUES (:clinic, :code, :code, 60, :active)"
                ),
                {"clinic": clinic_id, "code": code, "active": True},
            )
    upgrade(engine)
    with engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT code, modality FROM treatments")).all())
    assert rows == {
        "consultation": None,
        "microneedling": "microneedling",
        "rf_microneedling": "rf_microneedling",
        "microneedling_prp": "microneedling_prp",
    }
