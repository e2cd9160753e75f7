"""Outbox delivery and retries, the three targets, and the .ics calendar files."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
import urllib.error
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from booking_support import book, count, key, london, screened
from sqlalchemy import select

from actions.booking import outbox as outbox_module
from actions.booking.calendar import CalendarEvent, calendar_text, fold
from actions.booking.contacts import ContactDetails
from actions.booking.models import Appointment, OutboxMessage
from actions.booking.outbox import (
    FileTarget,
    Notification,
    NotificationConfigError,
    SmtpTarget,
    WebhookTarget,
    deliver_due,
    retry_delay,
    target_from_settings,
)
from actions.booking.worker import run_once

TUE_9 = key("microneedling", "dr-a", london(2026, 3, 3, 9, 0))


class RecordingTarget:
    description = "recording"

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.sent: list[Notification] = []
        self.calls = 0

    def send(self, notification: Notification) -> None:
        self.calls += 1
        if self.failures:
            self.failures -= 1
            raise ConnectionRefusedError("mail server down")
        self.sent.append(notification)


def rows(factory):
    with factory() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_failed_delivery_is_retried_and_delivered_exactly_once(service, seeded, clock):
    book(service, TUE_9)
    down = RecordingTarget(failures=1)
    report = deliver_due(seeded.factory, down, clock)
    assert (report.delivered, report.failed) == (0, 1) and "mail server down" in report.errors[0]
    [row] = rows(seeded.factory)
    assert row.delivered_at is None and row.attempts == 1 and "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at == clock() + timedelta(seconds=30)

    working = RecordingTarget()
    assert deliver_due(seeded.factory, working, clock).delivered == 0  # not due yet
    clock.advance(seconds=30)
    assert deliver_due(seeded.factory, working, clock).delivered == 1
    assert deliver_due(seeded.factory, working, clock).delivered == 0
    clock.advance(hours=5)
    assert deliver_due(seeded.factory, working, clock).delivered == 0
    assert [n.kind for n in working.sent] == ["new_booking"] and working.calls == 1
    [row] = rows(seeded.factory)
    assert row.delivered_at == clock() - timedelta(hours=5) and row.attempts == 2 and row.last_error is None


def test_retries_back_off_and_never_give_up(service, seeded, clock):
    book(service, TUE_9)
    down = RecordingTarget(failures=100)
    waits = []
    for _ in range(12):
        deliver_due(seeded.factory, down, clock)
        [row] = rows(seeded.factory)
        waits.append(row.next_attempt_at - clock())
        clock.set(row.next_attempt_at)
    assert waits[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert waits[-1] == timedelta(hours=1) and max(waits) == timedelta(hours=1)
    assert retry_delay(50) == timedelta(hours=1)
    assert rows(seeded.factory)[0].delivered_at is None
    working = RecordingTarget()
    assert deliver_due(seeded.factory, working, clock).delivered == 1


def test_no_notification_without_its_booking(service, seeded):
    held = service.hold(TUE_9, consultation=screened())
    failed = service.confirm(
        held.value.reference, ContactDetails("Ann", email="not-an-email"), ["booking", "health_data"]
    )
    assert not failed.ok
    assert count(seeded.factory, OutboxMessage) == 0


def test_worker_round_releases_expired_holds_and_delivers(service, seeded, clock):
    service.hold(key("microneedling", "dr-a", london(2026, 3, 3, 11, 0)), consultation=screened())
    book(service, TUE_9)
    clock.advance(minutes=11)
    target = RecordingTarget()
    released, report = run_once(seeded.factory, target, clock)
    assert released == 1 and report.delivered == 1
    with seeded.factory() as session:
        statuses = sorted(session.scalars(select(Appointment.status)))
    assert statuses == ["cancelled", "confirmed"]


def test_file_target_writes_json_and_calendar(service, seeded, clock, tmp_path):
    booked = book(service, TUE_9)
    target = target_from_settings({"target": "file", "directory": str(tmp_path / "outbox")})
    assert deliver_due(seeded.factory, target, clock).delivered == 1
    [json_file] = sorted((tmp_path / "outbox").glob("*.json"))
    document = json.loads(json_file.read_text())
    assert document["kind"] == "new_booking" and document["payload"]["reference"] == booked.reference
    [ics_file] = sorted((tmp_path / "outbox").glob("*.ics"))
    raw = ics_file.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert not list((tmp_path / "outbox").glob("*.part"))


def test_default_target_is_a_file_under_var_outbox():
    target = target_from_settings({"target": "file"})
    assert isinstance(target, FileTarget)
    assert target.directory.parts[-2:] == ("var", "outbox")
    assert isinstance(target_from_settings(None), FileTarget)


@pytest.mark.parametrize(
    "settings, problem",
    [
        ({"target": "carrier_pigeon"}, "unknown"),
        ({"target": "smtp", "from": "a@b.example", "to": "c@d.example"}, "host"),
        ({"target": "webhook"}, "url"),
        ({"target": "webhook", "url": "ftp://example.com"}, "https://"),
    ],
)
def test_bad_notification_settings_are_reported(settings, problem):
    with pytest.raises(NotificationConfigError, match=problem):
        target_from_settings(settings)


def _notification(**payload):
    return Notification(
        id=7,
        kind="new_booking",
        subject="New booking ABCD2345",
        payload={"reference": "ABCD2345", **payload},
        created_at=datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc),
    )


def test_webhook_target_posts_signed_json_and_raises_on_errors(monkeypatch):
    received = []
    answers = [500, 204]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(answers.pop(0))
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("TEST_HOOK_SECRET", "s3cret")
        target = target_from_settings(
            {
                "target": "webhook",
                "url": f"http://127.0.0.1:{server.server_port}/hook",
                "secret_env": "TEST_HOOK_SECRET",
            }
        )
        assert isinstance(target, WebhookTarget)
        with pytest.raises(urllib.error.HTTPError, match="500"):
            target.send(_notification())
        target.send(_notification())
    finally:
        server.shutdown()
        server.server_close()
    assert len(received) == 2
    headers, body = received[1]
    document = json.loads(body)
    assert document["id"] == "outbox-7" and document["payload"]["reference"] == "ABCD2345"
    assert headers["Idempotency-Key"] == "outbox-7"
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Clinic-Signature"] == f"sha256={expected}"


def test_smtp_target_sends_mail_with_the_calendar_attached(monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self, context):
            sent.append(("starttls",))

        def login(self, user, password):
            sent.append(("login", user, password))

        def send_message(self, message):
            sent.append(("message", message))

    monkeypatch.setattr(outbox_module.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "pw")
    target = target_from_settings(
        {
            "target": "smtp",
            "host": "mail.example.com",
            "port": 2525,
            "from": "bot@clinic.example",
            "to": ["desk@clinic.example"],
            "username": "bot",
            "password_env": "TEST_SMTP_PASSWORD",
        }
    )
    assert isinstance(target, SmtpTarget)
    ics = calendar_text(
        [
            CalendarEvent(
                "ABCD2345@clinic.example",
                datetime(2026, 3, 3, 9, tzinfo=timezone.utc),
                datetime(2026, 3, 3, 10, tzinfo=timezone.utc),
                "Microneedling",
            )
        ],
        datetime(2026, 3, 2, tzinfo=timezone.utc),
    )
    target.send(_notification(ics=ics, contact={"name": "Ann Lee", "phone": "+447911123456"}))
    assert sent[0] == ("connect", "mail.example.com", 2525)
    assert ("starttls",) in sent and ("login", "bot", "pw") in sent
    message = sent[-1][1]
    assert message["Subject"] == "New booking ABCD2345" and message["To"] == "desk@clinic.example"
    assert "outbox-7" in message["Message-ID"]
    body = message.get_body(("plain",)).get_content()
    assert "ABCD2345" in body and "Ann Lee" in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar" and attachment.get_filename() == "ABCD2345.ics"


# --- RFC 5545 --------------------------------------------------------------------------------------------


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_calendar_file_follows_rfc5545():
    start = datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc)
    description = "Reference K7M2QX9D; bring ID, arrive early.\nÄrzte café " + "long text " * 20
    text = calendar_text(
        [
            CalendarEvent(
                "K7M2QX9D@clinic.example",
                start,
                start + timedelta(hours=1),
                "Microneedling, face",
                "12 Example St, London",
                description,
                sequence=2,
            ),
            CalendarEvent(
                "P4RT2X8Z@clinic.example",
                start + timedelta(days=28),
                start + timedelta(days=28, hours=1),
                "Microneedling",
            ),
        ],
        datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc),
    )
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    physical = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    assert any(line.startswith(" ") for line in physical)  # the long description was folded
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 2
    assert "DTSTART:20260303T090000Z" in lines and "DTEND:20260303T100000Z" in lines
    assert "DTSTAMP:20260302T080000Z" in lines and "SEQUENCE:2" in lines
    assert "SUMMARY:Microneedling\\, face" in lines
    [desc] = [line for line in lines if line.startswith("DESCRIPTION:")]
    assert desc.startswith("DESCRIPTION:Reference K7M2QX9D\\; bring ID\\, arrive early.\\nÄrzte café long text")
    assert len({line for line in lines if line.startswith("UID:")}) == 2


def test_folding_never_splits_a_character():
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert folded.replace("\r\n ", "") == line
    assert re.fullmatch(r"[^\r\n]*(\r\n [^\r\n]+)+", folded)
