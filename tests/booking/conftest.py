"""Fixtures for the booking tests: every database test runs on SQLite and on a real PostgreSQL.

PostgreSQL comes from TEST_POSTGRES_URL (``scripts/ensure-postgres.sh`` starts one and prints it).
Without it the PostgreSQL half is skipped loudly, except in CI (``CI`` set), where it fails.
Each PostgreSQL test gets its own schema, dropped afterwards; each SQLite test its own file.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.schema import CreateSchema, DropSchema

from actions.booking.db import make_engine, session_factory, upgrade
from actions.booking.seed import seed_clinic
from actions.booking.service import BookingService
from actions.content.clinic import load_clinic

TEST_CLINIC_FILE = Path(__file__).with_name("clinic_test.yml")
POSTGRES_ENV = "TEST_POSTGRES_URL"
_skipped_postgres: list[str] = []


class FakeClock:
    """An injectable clock: returns ``value`` until moved with :meth:`advance` or :meth:`set`."""

    def __init__(self, value: datetime) -> None:
        self.value = value

    def __call__(self) -> datetime:
        return self.value

    def advance(self, **delta) -> None:
        self.value += timedelta(**delta)

    def set(self, value: datetime) -> None:
        self.value = value


@dataclass
class TestDatabase:
    kind: str
    url: str
    engine: Engine
    factory: sessionmaker
    schema: str | None = None  # PostgreSQL: the test's schema, also its connections' application_name

    __test__ = False  # not a test class


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        reason = (
            "PostgreSQL database tests NOT RUN: TEST_POSTGRES_URL is not set. "
            "Run: TEST_POSTGRES_URL=$(scripts/ensure-postgres.sh) .venv/bin/python -m pytest tests/booking"
        )
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI is set: PostgreSQL is required)", pytrace=False)
        _skipped_postgres.append(reason)
        pytest.skip(reason)
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:  # a URL was given, so an unreachable server is a failure, never a skip
        shown = make_url(url).render_as_string(hide_password=True)
        pytest.fail(f"TEST_POSTGRES_URL={shown} does not answer: {exc.__class__.__name__}: {exc}", pytrace=False)
    finally:
        engine.dispose()
    return url


def pytest_terminal_summary(terminalreporter):
    if _skipped_postgres:
        terminalreporter.write_sep("!", "PostgreSQL booking tests were SKIPPED", red=True, bold=True)
        terminalreporter.write_line(_skipped_postgres[0])


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(request, tmp_path) -> TestDatabase:
    """An empty database, not migrated (SQLite file or a fresh PostgreSQL schema)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'clinic.db'}"
        engine = make_engine(url)
        yield TestDatabase("sqlite", url, engine, session_factory(engine))
        engine.dispose()
        return
    base_url = request.getfixturevalue("postgres_url")
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base_url, future=True, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(CreateSchema(schema))
    engine = make_engine(
        base_url,
        connect_args={"options": f"-csearch_path={schema}", "application_name": schema},
        pool_size=20,
        max_overflow=40,
    )
    try:
        yield TestDatabase("postgresql", base_url, engine, session_factory(engine), schema)
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(DropSchema(schema, cascade=True))
        admin.dispose()


@pytest.fixture
def db(empty_db) -> TestDatabase:
    """A migrated clinic database without a clinic."""
    upgrade(empty_db.engine)
    return empty_db


@pytest.fixture
def clinic():
    return load_clinic(TEST_CLINIC_FILE)


@pytest.fixture
def seeded(db, clinic) -> TestDatabase:
    seed_clinic(db.factory, clinic)
    return db


# Monday 2 March 2026, 08:00 in London (GMT, UTC+0). British Summer Time starts Sunday 29 March.
MONDAY_MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_MORNING)


@pytest.fixture
def service(seeded, clock) -> BookingService:
    return BookingService(seeded.factory, clock=clock)


def pytest_collection_modifyitems(config, items):
    """Tests marked postgresql_only are not generated for SQLite at all (rather than skipped there)."""
    keep = [item for item in items if not (item.get_closest_marker("postgresql_only") and "sqlite" in item.nodeid)]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        items[:] = keep
