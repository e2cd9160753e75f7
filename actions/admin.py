"""Command line for clinic staff.

    python -m actions.admin init-demo                      create/migrate the database, load clinic.yml
    python -m actions.admin today [--date 2026-04-14]      the day's appointments
    python -m actions.admin pending                        consultations waiting for a clinical review
    python -m actions.admin review confirm REF             the clinician agrees: consultation confirmed
    python -m actions.admin review reject REF [--reason]   it will not go ahead; the time is freed
    python -m actions.admin hours show                     weekly hours of the clinic and practitioners
    python -m actions.admin hours set PRACTITIONER DAY [09:00-13:00 ...]   (no span: not working)
    python -m actions.admin time-off add PRACTITIONER FROM TO [--reason]  (2026-04-14 or "2026-04-14 13:00")
    python -m actions.admin time-off list [PRACTITIONER] [--all]
    python -m actions.admin time-off remove ID
    python -m actions.admin handoffs [--all]               conversations waiting for a person
    python -m actions.admin handoff take ID --by NAME
    python -m actions.admin handoff close ID
    python -m actions.admin export --from DATE --to DATE [--output FILE.csv]
    python -m actions.admin forget (--phone P | --email E | --reference REF | --sender-id ID) [--dry-run]
    python -m actions.admin retention [--days N] [--dry-run]   (default N: $CLINIC_RETENTION_DAYS or 365)
    python -m actions.admin outbox [--deliver]             notifications not yet delivered

The database is CLINIC_DATABASE_URL (default var/clinic.db); the tracker store is TRACKER_DATABASE_URL.
Exit status: 0 done, 1 refused or failed (the reason is printed), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from sqlalchemy.exc import DBAPIError

from actions.booking.db import current_revision, get_engine, head_revision, session_factory, upgrade
from actions.booking.handoffs import ACTIVE, HandoffDesk
from actions.booking.models import HANDOFF_STATUSES
from actions.booking.outbox import NotificationConfigError, deliver_due, pending_notifications, target_from_settings
from actions.booking.privacy import DEFAULT_RETENTION_DAYS, RETENTION_DAYS_ENV, apply_retention, forget_person
from actions.booking.results import Result
from actions.booking.seed import prepare_database
from actions.booking.staff import StaffAppointment, StaffDesk
from actions.booking.store import utc_now
from actions.content import ContentError
from actions.content.clinic import load_clinic


class AdminError(Exception):
    """A problem to report to staff in one line, exiting with status 1."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command not in ("init-demo", "migrate"):
            _require_migrated()
        return args.handler(args) or 0
    except AdminError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except DBAPIError as exc:
        print(f"error: the clinic database is unavailable ({exc.__class__.__name__}).", file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m actions.admin",
        description="Clinic staff commands: appointments, reviews, hours, handoffs, exports, privacy.",
        epilog="Run a command with --help for its options.",
    )
    parser.add_argument("--clinic-file", help="clinic settings file (default actions/content/clinic.yml)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Callable, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    command("init-demo", cmd_init, "create or migrate the database and load the clinic from clinic.yml")
    command("migrate", cmd_migrate, "migrate the database to the newest version")

    today = command("today", cmd_today, "list the appointments of a day (default today)")
    today.add_argument("--date", type=_date, help="YYYY-MM-DD")
    command("pending", cmd_pending, "list consultations waiting for a clinical review")

    review = command("review", cmd_review, "confirm or reject a consultation waiting for review")
    review.add_argument("decision", choices=("confirm", "reject"))
    review.add_argument("reference")
    review.add_argument("--reason", help="why it is rejected (kept with the appointment)")

    hours = command("hours", cmd_hours, "show or change weekly working hours")
    hours.add_argument("action", choices=("show", "set"))
    hours.add_argument("practitioner", nargs="?")
    hours.add_argument("day", nargs="?", help="mon, tue, ... sun")
    hours.add_argument("spans", nargs="*", help="e.g. 09:00-13:00 14:00-18:00; none means not working")

    time_off = command("time-off", cmd_time_off, "add, list or remove a practitioner's time off")
    time_off.add_argument("action", choices=("add", "list", "remove"))
    time_off.add_argument("values", nargs="*", help="add: PRACTITIONER FROM TO; list: [PRACTITIONER]; remove: ID")
    time_off.add_argument("--reason")
    time_off.add_argument("--all", action="store_true", help="list: include past time off")

    handoffs = command("handoffs", cmd_handoffs, "list conversations waiting for a person")
    handoffs.add_argument("--all", action="store_true", help="include closed tickets")
    handoff = command("handoff", cmd_handoff, "take or close a handoff ticket")
    handoff.add_argument("action", choices=("take", "close"))
    handoff.add_argument("ticket", type=int)
    handoff.add_argument("--by", help="your name (take)")

    export = command("export", cmd_export, "export appointments as CSV")
    export.add_argument("--from", dest="first", type=_date, required=True, help="YYYY-MM-DD")
    export.add_argument("--to", dest="last", type=_date, required=True, help="YYYY-MM-DD (inclusive)")
    export.add_argument("--output", help="file to write (default: standard output)")

    forget = command("forget", cmd_forget, "delete a person's data, including their conversations")
    forget.add_argument("--phone")
    forget.add_argument("--email")
    forget.add_argument("--reference")
    forget.add_argument("--sender-id")
    forget.add_argument("--dry-run", action="store_true", help="only report what would be deleted")

    retention = command("retention", cmd_retention, "delete health records and conversations older than N days")
    retention.add_argument("--days", type=int, help=f"default ${RETENTION_DAYS_ENV} or {DEFAULT_RETENTION_DAYS}")
    retention.add_argument("--dry-run", action="store_true")

    outbox = command("outbox", cmd_outbox, "list undelivered notifications, or deliver them now")
    outbox.add_argument("--deliver", action="store_true")
    return parser


# --- commands -----------------------------------------------------------------------------------------


def cmd_init(args) -> int:
    try:
        clinic = load_clinic(args.clinic_file)
    except ContentError as exc:
        raise AdminError(str(exc)) from None
    report = prepare_database(clinic=clinic)
    print(f"database at version {current_revision()}")
    print(f"{clinic.name}: {report.text()}")
    return 0


def cmd_migrate(args) -> int:
    upgrade()
    print(f"database migrated to version {current_revision()}")
    return 0


def cmd_today(args) -> int:
    items = _value(StaffDesk().appointments_on(args.date))
    when = f"on {args.date.isoformat()}" if args.date else "today"
    print(f"Appointments {when}:" if items else f"No appointments {when}.")
    for item in items:
        print(_appointment_line(item))
    return 0


def cmd_pending(args) -> int:
    items = _value(StaffDesk().pending_reviews())
    if not items:
        print("No consultations waiting for review.")
    for item in items:
        print(_appointment_line(item))
        print(f"    screening next step: {item.next_step or 'not recorded'}")
        for reason in item.screening_reasons:
            print(f"    - {reason}")
    return 0


def cmd_review(args) -> int:
    desk = StaffDesk()
    result = (
        desk.confirm_review(args.reference)
        if args.decision == "confirm"
        else desk.reject_review(args.reference, args.reason)
    )
    view = _value(result)
    print(f"{view.reference}: {view.status}")
    return 0


def cmd_hours(args) -> int:
    desk = StaffDesk()
    if args.action == "show":
        table = _value(desk.hours())
        for who, days in table.items():
            if args.practitioner and who != args.practitioner:
                continue
            week = ", ".join(f"{day} {' '.join(spans)}" for day, spans in days.items()) or "no hours"
            print(f"{who}: {week}")
        return 0
    if not args.practitioner or not args.day:
        raise AdminError("usage: hours set PRACTITIONER DAY [SPAN ...]")
    spans = _value(desk.set_hours(args.practitioner, args.day, args.spans))
    print(f"{args.practitioner} {args.day}: {' '.join(spans) or 'not working'}")
    print("note: init-demo reloads clinic.yml and puts the file's hours back.")
    return 0


def cmd_time_off(args) -> int:
    desk = StaffDesk()
    values = args.values
    if args.action == "add":
        if len(values) != 3:
            raise AdminError('usage: time-off add PRACTITIONER FROM TO (dates like 2026-04-14 or "2026-04-14 13:00")')
        entry = _value(desk.add_time_off(values[0], values[1], values[2], args.reason))
        print(f"time off #{entry.id} for {entry.practitioner}: {entry.span_text}")
        for clash in entry.conflicts:
            print(f"WARNING: booked appointment in that time, rebook it: {clash.reference} {clash.label}")
        return 0
    if args.action == "list":
        entries = _value(desk.time_off(values[0] if values else None, include_past=args.all))
        if not entries:
            print("No time off.")
        for entry in entries:
            reason = f"  ({entry.reason})" if entry.reason else ""
            print(f"#{entry.id}  {entry.practitioner}  {entry.span_text}{reason}")
        return 0
    if len(values) != 1 or not values[0].isdigit():
        raise AdminError("usage: time-off remove ID")
    _value(desk.remove_time_off(int(values[0])))
    print(f"time off #{values[0]} removed")
    return 0


def cmd_handoffs(args) -> int:
    tickets = _value(HandoffDesk().list(HANDOFF_STATUSES if args.all else ACTIVE))
    if not tickets:
        print("No conversations waiting for a person.")
    for ticket in tickets:
        who = f" by {ticket.taken_by}" if ticket.taken_by else ""
        urgent = f"URGENT ({ticket.urgency})  " if ticket.urgency else ""
        print(
            f"#{ticket.id}  {urgent}{ticket.status}{who}  {ticket.created_at:%Y-%m-%d %H:%M} UTC  {ticket.channel}  "
            f"sender {ticket.sender_id}  reason: {ticket.reason}"
        )
        if ticket.summary:
            print("    " + ticket.summary.replace("\n", "\n    "))
    return 0


def cmd_handoff(args) -> int:
    desk = HandoffDesk()
    if args.action == "take":
        if not args.by:
            raise AdminError("say who takes it: handoff take ID --by NAME")
        ticket = _value(desk.take(args.ticket, args.by))
    else:
        ticket = _value(desk.close(args.ticket))
    print(f"#{ticket.id}: {ticket.status}" + (f" by {ticket.taken_by}" if ticket.taken_by else ""))
    return 0


def cmd_export(args) -> int:
    desk = StaffDesk()
    if args.output:
        path = Path(args.output)
        with path.open("w", encoding="utf-8", newline="") as handle:
            count = _value(desk.export_csv(args.first, args.last, handle))
        print(f"{count} appointment(s) written to {path}")
    else:
        _value(desk.export_csv(args.first, args.last, sys.stdout))
    return 0


def cmd_forget(args) -> int:
    if not any((args.phone, args.email, args.reference, args.sender_id)):
        raise AdminError("say who to forget: --phone, --email, --reference or --sender-id")
    report = _value(
        forget_person(
            phone=args.phone,
            email=args.email,
            reference=args.reference,
            sender_id=args.sender_id,
            dry_run=args.dry_run,
        )
    )
    print(report.text())
    return 1 if report.tracker.error else 0


def cmd_retention(args) -> int:
    days = args.days
    if days is None:
        raw = os.environ.get(RETENTION_DAYS_ENV, str(DEFAULT_RETENTION_DAYS))
        if not raw.strip().isdigit():
            raise AdminError(f"{RETENTION_DAYS_ENV} must be a whole number of days, not {raw!r}")
        days = int(raw)
    report = _value(apply_retention(days, dry_run=args.dry_run))
    print(report.text())
    return 1 if report.tracker.error else 0


def cmd_outbox(args) -> int:
    if args.deliver:
        try:
            target = target_from_settings(load_clinic(args.clinic_file).notifications)
        except (ContentError, NotificationConfigError) as exc:
            raise AdminError(str(exc)) from None
        report = deliver_due(session_factory(), target, utc_now)
        print(f"delivered {report.delivered}, failed {report.failed} ({target.description})")
        for error in report.errors:
            print(f"    {error}")
        return 1 if report.failed else 0
    messages = pending_notifications(session_factory())
    if not messages:
        print("Every notification has been delivered.")
    for message in messages:
        error = f"  last error: {message.last_error}" if message.last_error else ""
        print(
            f"#{message.id}  {message.kind}  attempts {message.attempts}  next {message.next_attempt_at:%Y-%m-%d %H:%M} UTC"
            f"  {message.subject}{error}"
        )
    return 0


# --- helpers ------------------------------------------------------------------------------------------


def _require_migrated() -> None:
    if current_revision(get_engine()) != head_revision():
        raise AdminError("the clinic database is not set up or is out of date; run: python -m actions.admin init-demo")


def _value(result: Result):
    if not result.ok:
        code = result.error_code.value if result.error_code is not None else "unknown"
        raise AdminError(f"{result.message} [{code}]")
    return result.value


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-04-14") from None


def _appointment_line(item: StaffAppointment) -> str:
    a = item.appointment
    start = a.start_local
    end = a.end.astimezone(start.tzinfo)
    contact = " ".join(x for x in (a.contact_name, item.phone, item.email) if x) or "(no contact)"
    series = f" [{a.series_reference} #{a.series_position}]" if a.series_reference else ""
    return (
        f"  {start:%Y-%m-%d %H:%M}-{end:%H:%M}  {a.reference}{series}  {a.status:<23}  {a.treatment_name}  "
        f"{a.practitioner_name}  {contact}"
    )


if __name__ == "__main__":
    sys.exit(main())
