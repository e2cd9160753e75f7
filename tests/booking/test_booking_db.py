"""The database module: default location, SQLite settings, lost connections, unconfigured databases."""

from __future__ import annotations

from datetime import datetime

import pytest
from booking_support import book, key, london
from sqlalchemy import create_engine, event, text
from sqlalchemy.pool import NullPool

from actions.booking import db as db_module
from actions.booking.db import make_engine, session_factory
from actions.booking.results import ErrorCode
from actions.booking.service import BookingService


def test_default_database_is_var_clinic_db_under_the_repository(monkeypatch, tmp_path):
    monkeypatch.delenv("CLINIC_DATABASE_URL", raising=False)
    monkeypatch.setattr(db_module, "VAR_DIR", tmp_path / "var")
    url = db_module.database_url()
    assert url == f"sqlite:///{tmp_path / 'var' / 'clinic.db'}"
    assert (tmp_path / "var").is_dir()
    assert db_module.VAR_DIR.name == "var"
    assert (db_module.REPO_ROOT / "actions" / "booking" / "db.py").is_file()
    monkeypatch.setenv("CLINIC_DATABASE_URL", "postgresql+psycopg2://u@h/d")
    assert db_module.database_url() == "postgresql+psycopg2://u@h/d"


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'clinic.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    engine.dispose()


def test_a_sqlite_file_keeps_its_connection_between_transactions(tmp_path):
    # opening one per transaction (SQLAlchemy 1.4's default) checkpointed the WAL on every close
    engine = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    connects = []
    event.listen(engine, "connect", lambda *_: connects.append(1))
    factory = session_factory(engine)
    for _ in range(3):
        with factory() as session, session.begin():
            session.execute(text("select 1"))
    assert len(connects) == 1
    with factory() as session, session.begin():
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def test_an_in_memory_sqlite_database_is_one_database_across_sessions():
    engine = make_engine("sqlite://")
    factory = session_factory(engine)
    with factory() as session, session.begin():
        session.execute(text("create table notes (body text)"))
        session.execute(text("insert into notes values ('kept')"))
    with factory() as session, session.begin():
        assert session.execute(text("select body from notes")).scalar() == "kept"
    engine.dispose()


def test_unreachable_database_gives_an_error_value(clock):
    engine = make_engine("postgresql+psycopg2://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 2})
    service = BookingService(session_factory(engine), clock=clock)
    for result in (
        service.find_slots("microneedling"),
        service.hold(key("microneedling", "dr-a", london(2026, 3, 3, 9))),
        service.cancel("K7M2QX9D", "07911123456"),
    ):
        assert not result.ok and result.error_code == ErrorCode.DATABASE_UNAVAILABLE
        assert result.message == "The clinic database is unavailable."


def test_a_database_without_a_clinic_says_so(db, clock):
    result = BookingService(db.factory, clock=clock).find_slots("microneedling")
    assert result.error_code == ErrorCode.CLINIC_NOT_CONFIGURED


def test_the_clock_must_be_timezone_aware(seeded):
    with pytest.raises(ValueError, match="timezone-aware"):
        BookingService(seeded.factory, clock=lambda: datetime(2026, 3, 2, 8, 0)).find_slots("microneedling")


@pytest.mark.postgresql_only  # a server-side connection kill: not generated for SQLite
def test_dropped_postgresql_connections_are_replaced(seeded, clock):
    service = BookingService(seeded.factory, clock=clock)
    assert service.find_slots("microneedling").ok  # the pool now holds a connection
    killer = create_engine(seeded.url, future=True, poolclass=NullPool)
    with killer.begin() as connection:
        killed = connection.execute(
            text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :name"),
            {"name": seeded.schema},
        ).scalar()
    killer.dispose()
    assert killed >= 1
    booked = book(service, key("microneedling", "dr-a", london(2026, 3, 3, 9, 0)))  # pre-ping reconnects
    assert booked.status == "confirmed"
