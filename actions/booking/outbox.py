"""Notifications to the clinic: written to the outbox in the booking's own transaction, delivered later.

Because a notification is a row committed together with the booking it describes, nothing is lost
when the target (mail server, webhook) is down: the worker retries with growing pauses until it works.
Delivery is at-least-once; each message carries a stable id (file name, Message-ID, Idempotency-Key)
so that a rare repeat after a crash can be recognised.

Targets (``clinic.notifications`` in clinic.yml)::

    notifications: {target: file, directory: var/outbox}                 # the default
    notifications: {target: smtp, host: smtp.example.com, port: 587, starttls: true,
                    username: bot, password_env: CLINIC_SMTP_PASSWORD,
                    from: assistant@example.com, to: [reception@example.com]}
    notifications: {target: webhook, url: https://example.com/hook,
                    secret_env: CLINIC_WEBHOOK_SECRET, timeout_seconds: 10}

Secrets are never written in clinic.yml: only the name of the environment variable that holds them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any, Mapping, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.booking.db import REPO_ROOT, VAR_DIR
from actions.booking.models import OutboxMessage
from actions.booking.store import Clock, checked_now

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
# A claimed message is not picked up by another worker for this long (a crashed worker's claim lapses).
CLAIM_LEASE = timedelta(minutes=5)


class NotificationConfigError(ValueError):
    """clinic.notifications names an unknown target or lacks a setting the target needs."""


@dataclass(frozen=True)
class Notification:
    id: int
    kind: str
    subject: str
    payload: Mapping[str, Any]
    created_at: datetime

    @property
    def message_key(self) -> str:
        return f"outbox-{self.id}"


class Target(Protocol):
    description: str

    def send(self, notification: Notification) -> None:
        """Deliver or raise; any exception means 'try again later'."""


def enqueue(
    session: Session,
    kind: str,
    subject: str,
    payload: Mapping[str, Any],
    now: datetime,
    appointment_id: int | None = None,
    handoff_id: int | None = None,
) -> OutboxMessage:
    """Add a notification in the caller's transaction (it is sent only if that transaction commits)."""
    row = OutboxMessage(
        kind=kind,
        subject=subject[:300],
        payload=json.loads(json.dumps(payload, default=str)),
        appointment_id=appointment_id,
        handoff_id=handoff_id,
        created_at=now,
        attempts=0,
        next_attempt_at=now,
    )
    session.add(row)
    return row


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... doubling up to one hour between attempts; never giving up."""
    doublings = min(max(attempts - 1, 0), 20)  # capped: 2**20 * 30 s is far past the longest pause
    return min(FIRST_RETRY * (2**doublings), LONGEST_RETRY)


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def deliver_due(factory: sessionmaker, target: Target, clock: Clock, batch: int = 50) -> DeliveryReport:
    """Send every notification that is due; record success or schedule the next attempt."""
    report = DeliveryReport()
    for notification in _claim(factory, checked_now(clock), batch):
        error = None
        try:
            target.send(notification)
        except Exception as exc:  # any failure of the target means "retry later", never a lost message
            error = f"{exc.__class__.__name__}: {exc}"[:1000]
            log.warning("notification %s (%s) not delivered: %s", notification.id, notification.kind, error)
        _record_attempt(factory, notification.id, checked_now(clock), error)
        if error is None:
            report.delivered += 1
        else:
            report.failed += 1
            report.errors.append(f"#{notification.id} {notification.kind}: {error}")
    return report


def _claim(factory: sessionmaker, now: datetime, batch: int) -> list[Notification]:
    with factory() as session, session.begin():
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.delivered_at.is_(None), OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        ).all()
        claimed = []
        for row in rows:
            row.next_attempt_at = now + CLAIM_LEASE
            claimed.append(Notification(row.id, row.kind, row.subject, dict(row.payload), row.created_at))
        return claimed


def _record_attempt(factory: sessionmaker, message_id: int, now: datetime, error: str | None) -> None:
    with factory() as session, session.begin():
        row = session.get(OutboxMessage, message_id, with_for_update=True)
        if row is None:  # deleted meanwhile (a person asked to be forgotten)
            return
        row.attempts += 1
        if error is None:
            row.delivered_at = now
            row.last_error = None
        else:
            row.last_error = error
            row.next_attempt_at = now + retry_delay(row.attempts)


def pending_notifications(factory: sessionmaker) -> list[OutboxMessage]:
    with factory() as session:
        return list(
            session.scalars(
                select(OutboxMessage).where(OutboxMessage.delivered_at.is_(None)).order_by(OutboxMessage.id)
            )
        )


# --- rendering ----------------------------------------------------------------------------------------


def render_text(notification: Notification) -> str:
    """The notification as a plain-text e-mail body for staff."""
    payload = notification.payload
    lines = [notification.subject, ""]
    for key in ("reference", "status", "treatment", "practitioner", "when", "reason", "channel", "sender_id"):
        if payload.get(key):
            lines.append(f"{key.replace('_', ' ').capitalize()}: {payload[key]}")
    for session in payload.get("sessions") or []:
        lines.append(f"- {session.get('reference')}: {session.get('label')}")
    contact = payload.get("contact") or {}
    for key in ("name", "phone", "email"):
        if contact.get(key):
            lines.append(f"Contact {key}: {contact[key]}")
    if payload.get("summary"):
        lines += ["", "Conversation summary:", str(payload["summary"])]
    if payload.get("action"):
        lines += ["", str(payload["action"])]
    return "\n".join(lines) + "\n"


# --- targets ------------------------------------------------------------------------------------------


class FileTarget:
    """Writes each notification as JSON (and its calendar as .ics) into a folder, default var/outbox/."""

    def __init__(self, directory: Path | str | None = None) -> None:
        directory = Path(directory) if directory else VAR_DIR / "outbox"
        self.directory = directory if directory.is_absolute() else REPO_ROOT / directory
        self.description = f"file ({self.directory})"

    def send(self, notification: Notification) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stem = f"{notification.id:08d}-{notification.kind}"
        document = {
            "id": notification.message_key,
            "kind": notification.kind,
            "subject": notification.subject,
            "created_at": notification.created_at.isoformat(),
            "payload": dict(notification.payload),
        }
        _write_atomic(self.directory / f"{stem}.json", json.dumps(document, indent=2, ensure_ascii=False))
        if notification.payload.get("ics"):
            _write_atomic(self.directory / f"{stem}.ics", str(notification.payload["ics"]), newline="")


def _write_atomic(path: Path, text: str, newline: str | None = None) -> None:
    partial = path.with_suffix(path.suffix + ".part")
    with partial.open("w", encoding="utf-8", newline=newline) as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(path)


class SmtpTarget:
    def __init__(
        self,
        host: str,
        sender: str,
        recipients: list[str],
        port: int = 587,
        starttls: bool = True,
        use_ssl: bool = False,
        username: str | None = None,
        password_env: str | None = None,
        timeout_seconds: float = 20,
    ) -> None:
        self.host, self.port, self.sender, self.recipients = host, port, sender, recipients
        self.starttls, self.use_ssl, self.username, self.password_env = starttls, use_ssl, username, password_env
        self.timeout = timeout_seconds
        self.description = f"smtp ({host}:{port} to {', '.join(recipients)})"

    def build_message(self, notification: Notification) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = notification.subject
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        message["Date"] = formatdate(localtime=False)
        domain = self.sender.rsplit("@", 1)[-1] if "@" in self.sender else None
        message["Message-ID"] = make_msgid(idstring=notification.message_key, domain=domain)
        message["X-Clinic-Notification"] = notification.message_key
        message.set_content(render_text(notification))
        ics = notification.payload.get("ics")
        if ics:
            method = "CANCEL" if "METHOD:CANCEL" in ics else "PUBLISH"
            message.add_attachment(
                ics.encode("utf-8"),
                maintype="text",
                subtype="calendar",
                filename=f"{notification.payload.get('reference', 'appointment')}.ics",
                params={"method": method},
            )
        return message

    def send(self, notification: Notification) -> None:
        message = self.build_message(notification)
        password = os.environ.get(self.password_env, "") if self.password_env else ""
        context = ssl.create_default_context()
        smtp = (
            smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            if self.use_ssl
            else smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        )
        with smtp:
            if self.starttls and not self.use_ssl:
                smtp.starttls(context=context)
            if self.username:
                smtp.login(self.username, password)
            smtp.send_message(message)


class WebhookTarget:
    """POSTs the notification as JSON; signs the body with HMAC-SHA256 when a secret is configured."""

    def __init__(self, url: str, secret_env: str | None = None, timeout_seconds: float = 10) -> None:
        self.url, self.secret_env, self.timeout = url, secret_env, timeout_seconds
        self.description = f"webhook ({url.split('?', 1)[0]})"

    def send(self, notification: Notification) -> None:
        body = json.dumps(
            {
                "id": notification.message_key,
                "kind": notification.kind,
                "subject": notification.subject,
                "created_at": notification.created_at.isoformat(),
                "payload": dict(notification.payload),
            }
        ).encode("utf-8")
        headers = {"Content-Type": "application/json", "Idempotency-Key": notification.message_key}
        secret = os.environ.get(self.secret_env, "") if self.secret_env else ""
        if secret:
            digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
            headers["X-Clinic-Signature"] = f"sha256={digest}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
            if not 200 <= response.status < 300:
                raise RuntimeError(f"webhook answered HTTP {response.status}")


def target_from_settings(settings: Mapping[str, Any] | None) -> Target:
    """The delivery target described by clinic.yml's ``clinic.notifications``."""
    settings = dict(settings or {})
    kind = settings.get("target", "file")
    try:
        if kind == "file":
            return FileTarget(settings.get("directory"))
        if kind == "smtp":
            recipients = settings["to"]
            recipients = [recipients] if isinstance(recipients, str) else list(recipients)
            return SmtpTarget(
                host=settings["host"],
                sender=settings["from"],
                recipients=recipients,
                port=int(settings.get("port", 587)),
                starttls=bool(settings.get("starttls", True)),
                use_ssl=bool(settings.get("ssl", False)),
                username=settings.get("username"),
                password_env=settings.get("password_env"),
                timeout_seconds=float(settings.get("timeout_seconds", 20)),
            )
        if kind == "webhook":
            url = str(settings["url"])
            if not url.startswith(("https://", "http://")):
                raise NotificationConfigError("clinic.notifications.url must start with https:// or http://")
            return WebhookTarget(url, settings.get("secret_env"), float(settings.get("timeout_seconds", 10)))
    except KeyError as missing:
        raise NotificationConfigError(f"clinic.notifications.{missing.args[0]} is required for target {kind}") from None
    raise NotificationConfigError(f"clinic.notifications.target {kind!r} is unknown; use file, smtp or webhook")
