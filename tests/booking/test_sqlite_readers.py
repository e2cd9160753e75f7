"""On SQLite, searches and look-ups read a WAL snapshot instead of queueing behind a writer.

A writer (another process or thread) holds the write lock with BEGIN IMMEDIATE and has not committed;
times can still be offered and handoff status read, without waiting for the busy timeout, and what
they see is the last committed state. Writes still take the lock (so nothing is booked twice).
"""

from __future__ import annotations

import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import pytest
from booking_support import screened

from actions.booking.db import make_engine, session_factory, upgrade
from actions.booking.handoffs import HandoffDesk
from actions.booking.seed import seed_clinic
from actions.booking.service import BookingService
from actions.content.clinic import load_clinic

TREATMENT = "microneedling"
TEST_CLINIC_FILE = Path(__file__).with_name("clinic_test.yml")
MONDAY_MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


def clock() -> datetime:
    return MONDAY_MORNING


@pytest.fixture
def sqlite_file(tmp_path):
    path = tmp_path / "clinic.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    factory = session_factory(engine)
    seed_clinic(factory, load_clinic(TEST_CLINIC_FILE))
    yield path, factory
    engine.dispose()


@pytest.fixture
def writer_holding_the_lock(sqlite_file):
    path, _ = sqlite_file
    writer = sqlite3.connect(path, timeout=0, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    yield writer
    writer.execute("ROLLBACK")
    writer.close()


def test_offers_are_found_while_a_writer_holds_the_lock(sqlite_file, writer_holding_the_lock):
    _, factory = sqlite_file
    service = BookingService(factory, clock=clock)
    started = time.monotonic()
    found = service.find_slots(TREATMENT, days=7)
    series = service.find_series(TREATMENT, sessions=3, interval_weeks=(4, 6), days=7)
    assert found.ok and found.value, found
    assert series.ok and series.value, series
    assert time.monotonic() - started < 5  # a writer would wait up to the 30 s busy timeout


def test_handoff_status_is_read_while_a_writer_holds_the_lock(sqlite_file, writer_holding_the_lock):
    _, factory = sqlite_file
    desk = HandoffDesk(factory)
    assert desk.is_open("rest:someone") is False
    assert desk.status("rest:someone").ok
    assert desk.list().ok


def test_a_write_still_waits_for_the_lock(sqlite_file):
    path, factory = sqlite_file
    service = BookingService(factory, clock=clock)
    offer = service.find_slots(TREATMENT, days=7).value[0]
    writer = sqlite3.connect(path, timeout=0, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(service.hold, offer, consultation=screened(), sender_id="rest:visitor")
        time.sleep(1.5)
        assert not pending.done()  # queued behind the writer, not failed and not run beside it
        writer.execute("ROLLBACK")
        writer.close()
        held = pending.result(timeout=20)
    assert held.ok, held


def test_readers_see_the_last_committed_state(sqlite_file):
    path, factory = sqlite_file
    service = BookingService(factory, clock=clock)
    first = service.find_slots(TREATMENT, days=7, limit=1).value[0]
    writer = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("DELETE FROM practitioner_treatments")  # uncommitted: nobody can do anything
        again = service.find_slots(TREATMENT, days=7, limit=1)
        assert again.ok and again.value[0].start == first.start
    finally:
        writer.execute("ROLLBACK")
        writer.close()
