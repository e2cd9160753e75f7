"""The staff command line, run as staff run it: ``python -m actions.admin ...`` in a subprocess."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from booking_support import ANN, LONDON, NEEDS_CLINICIAN, count, screened
from sqlalchemy import create_engine, text

from actions.booking.contacts import ContactDetails
from actions.booking.db import make_engine, session_factory
from actions.booking.handoffs import HandoffDesk
from actions.booking.models import TreatmentRow
from actions.booking.service import BookingService

REPO_ROOT = Path(__file__).resolve().parents[2]
TEST_CLINIC = Path(__file__).with_name("clinic_test.yml")


@pytest.fixture
def cli(tmp_path):
    settings = yaml.safe_load(TEST_CLINIC.read_text())
    settings["clinic"]["notifications"] = {"target": "file", "directory": str(tmp_path / "outbox")}
    clinic_file = tmp_path / "clinic.yml"
    clinic_file.write_text(yaml.safe_dump(settings))
    env = {
        **os.environ,
        "CLINIC_DATABASE_URL": f"sqlite:///{tmp_path / 'clinic.db'}",
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "PYTHONPATH": str(REPO_ROOT),
    }

    def run(*args, env_overrides=None):
        return subprocess.run(
            [sys.executable, "-m", "actions.admin", "--clinic-file", str(clinic_file), *args],
            cwd=REPO_ROOT,
            env={**env, **(env_overrides or {})},
            capture_output=True,
            text=True,
            timeout=120,
        )

    run.url = env["CLINIC_DATABASE_URL"]
    run.tracker_url = env["TRACKER_DATABASE_URL"]
    run.tmp = tmp_path
    return run


def test_commands_need_an_initialised_database(cli):
    result = cli("today")
    assert result.returncode == 1 and "init-demo" in result.stderr


def test_init_demo_is_idempotent(cli):
    first = cli("init-demo")
    assert first.returncode == 0, first.stderr
    assert "clinic created" in first.stdout and "dr-a, nurse-b" in first.stdout
    second = cli("init-demo")
    assert second.returncode == 0 and "clinic updated" in second.stdout
    engine = make_engine(cli.url)
    assert count(session_factory(engine), TreatmentRow) == 4
    engine.dispose()


def test_bad_usage_and_unavailable_database(cli):
    assert cli("review", "maybe", "K7M2QX9D").returncode == 2
    assert cli("export", "--from", "2026-02-30", "--to", "2026-03-01").returncode == 2
    down = cli("today", env_overrides={"CLINIC_DATABASE_URL": "postgresql+psycopg2://x@127.0.0.1:1/none"})
    assert down.returncode == 1 and "unavailable" in down.stderr and "Traceback" not in down.stderr


def test_staff_day(cli):
    assert cli("init-demo").returncode == 0
    engine = make_engine(cli.url)
    factory = session_factory(engine)
    service = BookingService(factory)  # the real clock: the CLI uses it too
    [offer] = service.find_slots("microneedling", practitioner="dr-a", limit=1).value
    held = service.hold(offer, consultation=screened(), sender_id="conv-ann", channel="rest")
    booked = service.confirm(held.value.reference, ANN, ["booking", "health_data"]).value
    day = offer.start_local.date().isoformat()
    [consult] = service.find_slots("consultation", practitioner="nurse-b", limit=1).value
    first_day, last_day = sorted([day, consult.start_local.date().isoformat()])
    pending = service.hold(consult, consultation=screened(NEEDS_CLINICIAN), sender_id="conv-carl")
    formula_name = ContactDetails("=HYPERLINK(evil) Carl", email="carl@example.com")
    assert service.confirm(pending.value.reference, formula_name, ["booking", "health_data"]).ok
    ticket = HandoffDesk(factory).open("conv-ann", "rest", "visitor_asked", "Wants to talk about aftercare").value
    engine.dispose()

    today = cli("today", "--date", day)
    assert today.returncode == 0 and booked.reference in today.stdout and "+447911123456" in today.stdout
    listed = cli("pending")
    assert pending.value.reference in listed.stdout and "X29" in listed.stdout
    confirmed = cli("review", "confirm", pending.value.reference.lower())
    assert confirmed.returncode == 0 and "confirmed" in confirmed.stdout
    again = cli("review", "confirm", pending.value.reference)
    assert again.returncode == 1 and "not waiting for a clinical review" in again.stderr
    unknown = cli("review", "reject", "K7M2QX9D")
    assert unknown.returncode == 1 and "no booking" in unknown.stderr

    handoffs = cli("handoffs")
    assert f"#{ticket.id}" in handoffs.stdout and "aftercare" in handoffs.stdout
    assert cli("handoff", "take", str(ticket.id)).returncode == 1
    taken = cli("handoff", "take", str(ticket.id), "--by", "Sam")
    assert taken.returncode == 0 and "taken by Sam" in taken.stdout
    assert cli("handoff", "close", str(ticket.id)).returncode == 0
    assert "No conversations" in cli("handoffs").stdout
    assert cli("handoff", "close", "999").returncode == 1

    assert "dr-a: mon 09:00-17:00" in cli("hours", "show").stdout
    changed = cli("hours", "set", "dr-a", "sat", "10:00-13:00")
    assert changed.returncode == 0 and "sat 10:00-13:00" in cli("hours", "show", "dr-a").stdout
    assert cli("hours", "set", "dr-a", "sat", "13:00-10:00").returncode == 1
    assert cli("hours", "set", "dr-x", "sat").returncode == 1

    off = cli("time-off", "add", "dr-a", day, day, "--reason", "course")
    assert off.returncode == 0 and "WARNING" in off.stdout and booked.reference in off.stdout
    listing = cli("time-off", "list", "dr-a")
    assert "course" in listing.stdout and "Europe/London" in listing.stdout
    time_off_id = listing.stdout.split()[0].lstrip("#")
    assert cli("time-off", "remove", time_off_id).returncode == 0
    assert cli("time-off", "remove", time_off_id).returncode == 1
    assert cli("time-off", "add", "dr-a", "2026-02-30", "2026-03-01").returncode == 1

    output = cli.tmp / "export.csv"
    exported = cli("export", "--from", first_day, "--to", last_day, "--output", str(output))
    assert exported.returncode == 0
    rows = list(csv.DictReader(output.open(newline="")))
    by_reference = {row["reference"]: row for row in rows}
    assert by_reference[booked.reference]["contact_phone"] == "+447911123456"
    assert by_reference[booked.reference]["start_local"] == offer.start.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")
    assert by_reference[pending.value.reference]["contact_name"] == "'=HYPERLINK(evil) Carl"
    assert by_reference[pending.value.reference]["status"] == "confirmed"

    pending_mail = cli("outbox")
    assert pending_mail.returncode == 0 and "new_booking" in pending_mail.stdout
    delivered = cli("outbox", "--deliver")
    assert delivered.returncode == 0 and "delivered 4" in delivered.stdout  # 2 bookings, review, handoff
    assert len(list((cli.tmp / "outbox").glob("*.json"))) == 4
    assert "Every notification has been delivered" in cli("outbox").stdout

    tracker = create_engine(cli.tracker_url, future=True)
    with tracker.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), type_name VARCHAR(255), timestamp FLOAT, data TEXT)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO events (sender_id, type_name, timestamp) VALUES ('conv-ann', 'user', 1), ('conv-other', 'user', 2)"
            )
        )
    dry = cli("forget", "--phone", "07911 123456", "--dry-run")
    assert dry.returncode == 0 and "would delete: 1 contact(s)" in dry.stdout
    forgotten = cli("forget", "--phone", "07911 123456")
    assert forgotten.returncode == 0, forgotten.stderr
    assert "deleted: 1 contact(s)" in forgotten.stdout and "1 conversation event(s)" in forgotten.stdout
    with tracker.connect() as connection:
        assert connection.execute(text("SELECT sender_id FROM events")).scalars().all() == ["conv-other"]
    tracker.dispose()
    assert cli("forget", "--phone", "07911 123456").returncode == 1
    assert cli("forget").returncode == 1

    kept = cli("retention", "--days", "30")
    assert kept.returncode == 0 and "0 consultation record(s)" in kept.stdout
    assert cli("retention", "--days", "0").returncode == 1
    assert cli("retention", env_overrides={"CLINIC_RETENTION_DAYS": "soon"}).returncode == 1


def test_migration_and_worker_commands(cli):
    env = {**os.environ, "CLINIC_DATABASE_URL": cli.url, "PYTHONPATH": str(REPO_ROOT)}

    def module(*args):
        return subprocess.run(
            [sys.executable, "-m", *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
        )

    assert module("actions.booking.db", "current").stdout.strip() == "empty"
    upgraded = module("actions.booking.db", "upgrade")
    assert upgraded.returncode == 0 and "database at 0003" in upgraded.stdout
    assert module("actions.booking.db", "current").stdout.strip() == "0003"
    assert cli("init-demo").returncode == 0
    engine = make_engine(cli.url)
    factory = session_factory(engine)
    HandoffDesk(factory).open("conv-w", "rest", "visitor_asked", "please call me")
    engine.dispose()
    clinic_file = cli.tmp / "clinic.yml"
    worker = module("actions.booking.worker", "--once", "--clinic-file", str(clinic_file))
    assert worker.returncode == 0, worker.stderr
    assert "delivered 1" in worker.stderr and len(list((cli.tmp / "outbox").glob("*-handoff.json"))) == 1
