"""The booking service the conversation calls: free slots, holds, confirmation, changes, cancellation.

Every method returns a :class:`~actions.booking.results.Result`; bad input never raises. Each call is one
transaction: it either happens completely or not at all. Times come in and go out as aware UTC
datetimes; ``SlotOffer.label`` and friends present them in the clinic's timezone.

Typical conversation flow::

    service = BookingService()                      # CLINIC_DATABASE_URL, real clock
    offers = service.find_slots("microneedling", on_date="2026-04-14", part_of_day="afternoon").value
    held = service.hold(offers[0].key, consultation=ConsultationInput(decision=screening_decision),
                        sender_id=tracker.sender_id, channel="socketio")
    done = service.confirm(held.value.reference, ContactDetails("Ann Lee", phone="07911 123456"),
                           consent=["booking", "health_data"], sender_id=tracker.sender_id)
"""

from __future__ import annotations

import copy
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterable, Iterator, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.booking import store
from actions.booking.contacts import ContactDetails, clean_contact, normalise_identifier
from actions.booking.db import READ_ONLY, session_factory
from actions.booking.gate import CONSULTATION, ConsultationInput, check_allowed, record_fields
from actions.booking.models import (
    CANCELLED,
    CONFIRMED,
    CONSENT_PURPOSES,
    HELD,
    PENDING_CLINICAL_REVIEW,
    Appointment,
    AppointmentSeries,
    Consent,
    ConsultationRecord,
    Contact,
    PractitionerRow,
)
from actions.booking.outbox import enqueue
from actions.booking.results import ErrorCode, Refusal, Result, success
from actions.booking.schedule import (
    PARTS_OF_DAY,
    Candidate,
    ClinicContext,
    PractitionerInfo,
    TreatmentInfo,
    date_range,
    day_candidates,
    free_candidates,
    local_date,
    to_minutes,
)
from actions.booking.seed import DEFAULT_CLINIC_SLUG
from actions.booking.store import SNAPSHOT, Clock, SnapshotMemo, load_context, run, run_in, utc_now
from actions.booking.views import BookingView, SeriesOffer, SlotOffer, parse_series_key, parse_slot_key

MAX_SESSIONS = 12
MAX_INTERVAL_WEEKS = 26
MAX_OFFERS = 100
MAX_SENDER_ID = 255
MAX_CHANNEL = 64
ACTIVE_BOOKED = (CONFIRMED, PENDING_CLINICAL_REVIEW)


def has_conflict(
    session: Session, practitioner_id: int, start: datetime, end: datetime, now: datetime, exclude: Sequence[int] = ()
) -> bool:
    """Python-side check for a friendly early answer; the occupancy constraint is what guarantees it."""
    return bool(store.busy_times(session, [practitioner_id], start, end, now, exclude_appointment_ids=exclude))


class BookingService:
    def __init__(
        self,
        factory: sessionmaker | None = None,
        *,
        clock: Clock = utc_now,
        clinic_slug: str = DEFAULT_CLINIC_SLUG,
    ) -> None:
        self.factory = factory or session_factory()
        self.clock = clock
        self.clinic_slug = clinic_slug
        self._snapshot: Session | None = None

    @contextmanager
    def snapshot(self) -> Iterator["BookingService"]:
        """A service whose searches (find_slots, find_series) all read one snapshot of the database, in
        one read-only transaction that loads the clinic once: a search day by day costs one look-up of
        the clinic instead of one per day. Everything else it does is as usual (its own transaction)."""
        with self.factory() as session:
            with session.begin():
                session.connection(execution_options={READ_ONLY: True})
                session.info[SNAPSHOT] = SnapshotMemo()
                reader = copy.copy(self)
                reader._snapshot = session
                try:
                    yield reader
                finally:
                    reader._snapshot = None
                    session.info.pop(SNAPSHOT, None)

    def _search(self, operation: Any) -> Result:
        if self._snapshot is not None:
            return run_in(self._snapshot, operation)
        return run(self.factory, operation, read_only=True)

    # --- finding times ---------------------------------------------------------------------------------

    def find_slots(
        self,
        treatment: str,
        *,
        days: int | None = None,
        on_date: date | str | None = None,
        part_of_day: str | None = None,
        practitioner: str | None = None,
        limit: int = 6,
        per_day: int | None = None,
    ) -> Result[list[SlotOffer]]:
        """Free times for ``treatment`` in the next ``days`` days (default: the booking horizon), or on
        ``on_date``; optionally only in the ``part_of_day`` (morning/afternoon/evening) and with one
        practitioner. At most ``limit`` offers, at most ``per_day`` on one day, earliest first."""

        def operation(session: Session) -> Result[list[SlotOffer]]:
            now = self._now()
            ctx = load_context(session, self.clinic_slug)
            info = _treatment(ctx, treatment)
            practitioners = _practitioners(ctx, info, practitioner)
            part = _part_of_day(part_of_day)
            _check_count(limit, MAX_OFFERS, "limit")
            if per_day is not None:
                _check_count(per_day, MAX_OFFERS, "per_day")
            first_day, last_day = _day_range(ctx, now, days, on_date)
            busy = store.busy_times(session, [p.id for p in practitioners], *_utc_bounds(first_day, last_day), now)
            found = free_candidates(
                ctx,
                info,
                practitioners,
                date_range(first_day, last_day),
                busy,
                _earliest(ctx, now),
                part,
                grid=store.snapshot_grid(session),
            )
            return success(_pick(found, ctx, info, limit, per_day))

        return self._search(operation)

    def find_series(
        self,
        treatment: str,
        sessions: int,
        interval_weeks: tuple[int, int] | str | int = (4, 6),
        *,
        days: int | None = None,
        on_date: date | str | None = None,
        part_of_day: str | None = None,
        practitioner: str | None = None,
        limit: int = 3,
    ) -> Result[list[SeriesOffer]]:
        """Courses of ``sessions`` sessions, each ``interval_weeks`` (e.g. (4, 6) or "4-6") after the last.

        The first session follows the same rules as :meth:`find_slots`; each later one is the earliest
        free time in its window, preferring the first session's practitioner and time of day. Offers
        start on different days."""

        def operation(session: Session) -> Result[list[SeriesOffer]]:
            now = self._now()
            count = _check_count(sessions, MAX_SESSIONS, "sessions")
            interval = parse_interval(interval_weeks)
            _check_count(limit, MAX_OFFERS, "limit")
            ctx = load_context(session, self.clinic_slug)
            info = _treatment(ctx, treatment)
            practitioners = _practitioners(ctx, info, practitioner)
            part = _part_of_day(part_of_day)
            first_day, last_day = _day_range(ctx, now, days, on_date)
            final_day = last_day + timedelta(weeks=interval[1] * (count - 1))
            busy = store.busy_times(session, [p.id for p in practitioners], *_utc_bounds(first_day, final_day), now)
            earliest = _earliest(ctx, now)
            grid = store.snapshot_grid(session)
            planner = _SeriesPlanner(ctx, info, practitioners, busy, earliest, grid)
            firsts = free_candidates(
                ctx, info, practitioners, date_range(first_day, last_day), busy, earliest, part, grid=grid
            )
            offers: list[SeriesOffer] = []
            used_days: set[date] = set()
            for first in firsts:
                first_day_local = local_date(first.start, ctx.tz)
                if first_day_local in used_days:
                    continue
                chain = planner.chain(first, count, interval)
                if chain is None:
                    continue
                used_days.add(first_day_local)
                sessions_offered = tuple(_offer(c, ctx, info) for c in chain)
                offers.append(SeriesOffer(sessions=sessions_offered, interval_weeks=interval))
                if len(offers) >= limit:
                    break
            return success(offers)

        return self._search(operation)

    # --- holding and confirming -------------------------------------------------------------------------

    def hold(
        self,
        slot: SlotOffer | str,
        *,
        consultation: ConsultationInput | None = None,
        sender_id: str | None = None,
        channel: str | None = None,
    ) -> Result[BookingView]:
        """Keep an offered time for the clinic's hold_minutes while the visitor gives contact details.

        A conversation holds one thing at a time: a new hold with the same ``sender_id`` releases the
        conversation's earlier unconfirmed hold (the visitor changed their mind; nobody can sit on many).

        ``consultation`` carries the screening decision: required for a treatment, and it must allow that
        treatment (see actions.booking.gate); it is stored as the booking's consultation record."""
        key = slot.key if isinstance(slot, SlotOffer) else slot

        def operation(session: Session) -> Result[BookingView]:
            now = self._now()
            ctx = load_context(session, self.clinic_slug)
            _check_conversation(sender_id, channel)
            treatment_code, practitioner_code, start = parse_slot_key(key)
            info = _treatment(ctx, treatment_code)
            practitioner = _practitioner(ctx, practitioner_code)
            check_allowed(info.code, consultation.decision if consultation else None, modality=info.modality)
            end = _check_bookable(session, ctx, practitioner, info, start, now, within_horizon=True)
            _release_earlier_holds(session, sender_id, now)
            store.release_expired_holds(session, now, [practitioner.id])
            if has_conflict(session, practitioner.id, start, end, now):
                raise Refusal(ErrorCode.SLOT_TAKEN)
            record = _new_record(session, consultation, now)
            appointment = _new_appointment(
                session, ctx, practitioner, info, start, end, now, record, sender_id, channel
            )
            store.occupy(session, appointment)
            return success(store.booking_view("appointment", [appointment], ctx))

        return run(self.factory, operation)

    def hold_series(
        self,
        series: SeriesOffer | str,
        *,
        consultation: ConsultationInput | None = None,
        sender_id: str | None = None,
        channel: str | None = None,
    ) -> Result[BookingView]:
        """Hold every session of an offered course at once: all of them or none."""
        if isinstance(series, SeriesOffer):
            interval, keys = series.interval_weeks, [offer.key for offer in series.sessions]
        else:
            interval, keys = None, []

        def operation(session: Session) -> Result[BookingView]:
            nonlocal interval, keys
            if interval is None:
                interval, keys = parse_series_key(str(series))
            interval = parse_interval(interval)
            _check_count(len(keys), MAX_SESSIONS, "sessions")
            now = self._now()
            ctx = load_context(session, self.clinic_slug)
            _check_conversation(sender_id, channel)
            parsed = [parse_slot_key(key) for key in keys]
            if len({treatment for treatment, _, _ in parsed}) != 1:
                raise Refusal(ErrorCode.INVALID_SLOT, "All sessions of a course must be the same treatment.")
            info = _treatment(ctx, parsed[0][0])
            check_allowed(info.code, consultation.decision if consultation else None, modality=info.modality)
            planned: list[tuple[PractitionerInfo, datetime, datetime]] = []
            for index, (_, practitioner_code, start) in enumerate(parsed):
                practitioner = _practitioner(ctx, practitioner_code)
                end = _check_bookable(session, ctx, practitioner, info, start, now, within_horizon=index == 0)
                if planned:
                    _check_spacing(planned[-1][1], start, interval, ctx)
                planned.append((practitioner, start, end))
            _release_earlier_holds(session, sender_id, now)
            store.release_expired_holds(session, now, {p.id for p, _, _ in planned})
            for index, (practitioner, start, end) in enumerate(planned):
                if has_conflict(session, practitioner.id, start, end, now):
                    raise Refusal(ErrorCode.SLOT_TAKEN, session=index + 1)
            record = _new_record(session, consultation, now)
            course = AppointmentSeries(
                reference=store.new_reference(session),
                treatment_id=info.id,
                sessions=len(planned),
                interval_min_weeks=interval[0],
                interval_max_weeks=interval[1],
                created_at=now,
            )
            session.add(course)
            session.flush()
            rows = []
            for position, (practitioner, start, end) in enumerate(planned, start=1):
                row = _new_appointment(session, ctx, practitioner, info, start, end, now, record, sender_id, channel)
                row.series_id, row.series_position = course.id, position
                store.occupy(session, row)
                rows.append(row)
            session.flush()
            return success(store.booking_view("series", rows, ctx))

        return run(self.factory, operation)

    def confirm(
        self,
        reference: str,
        contact: ContactDetails,
        consent: Iterable[str],
        *,
        sender_id: str | None = None,
    ) -> Result[BookingView]:
        """Turn a hold (one appointment or a whole course) into a booking.

        ``consent`` must include "booking"; when screening answers are kept with the booking it must
        also include "health_data". A consultation after a screening that needs a clinician becomes
        ``pending_clinical_review``; everything else becomes ``confirmed``. The clinic is notified."""

        def operation(session: Session) -> Result[BookingView]:
            now = self._now()
            purposes = _consent_purposes(consent)
            ref = store.normalise_reference(reference)
            ctx = load_context(session, self.clinic_slug)
            clean = clean_contact(contact, store.phone_region(ctx))
            kind, rows = store.appointments_for_reference(session, ref, lock=True)
            if sender_id and any(row.sender_id and row.sender_id != sender_id for row in rows):
                raise Refusal(ErrorCode.NOT_FOUND)
            _check_confirmable(rows, now)
            record = rows[0].consultation
            if record is not None and record.decision is not None and "health_data" not in purposes:
                raise Refusal(
                    ErrorCode.CONSENT_REQUIRED,
                    "The screening answers are kept with this booking only with the health_data consent.",
                    missing="health_data",
                )
            needs_review = (
                rows[0].treatment.code == CONSULTATION
                and record is not None
                and (record.next_step == "book_consultation")
            )
            person = Contact(name=clean.name, phone=clean.phone, email=clean.email, created_at=now)
            person.consents = [Consent(purpose=purpose, given_at=now) for purpose in sorted(purposes)]
            session.add(person)
            session.flush()
            for row in rows:
                row.status = PENDING_CLINICAL_REVIEW if needs_review else CONFIRMED
                row.hold_expires_at = None
                row.contact = person
                row.updated_at = now
            session.flush()
            view = store.booking_view(kind, rows, ctx)
            _notify_booking(session, ctx, view, rows, now, "review_needed" if needs_review else "new_booking")
            return success(view)

        return run(self.factory, operation)

    def release_hold(self, reference: str, *, sender_id: str) -> Result[BookingView]:
        """Let go of a hold the visitor no longer wants (only from the conversation that made it)."""

        def operation(session: Session) -> Result[BookingView]:
            now = self._now()
            ref = store.normalise_reference(reference)
            ctx = load_context(session, self.clinic_slug)
            kind, rows = store.appointments_for_reference(session, ref, lock=True)
            if not sender_id or rows[0].sender_id != sender_id:
                raise Refusal(ErrorCode.NOT_FOUND)
            held = [row for row in rows if row.status == HELD]
            if not held:
                raise Refusal(ErrorCode.INVALID_STATE, "That time isn't being held any more.")
            _cancel_rows(session, held, "released", now)
            return success(store.booking_view(kind, rows, ctx))

        return run(self.factory, operation)

    # --- looking up, moving and cancelling ---------------------------------------------------------------

    def find_booking(
        self, reference: str, *, contact: str | None = None, sender_id: str | None = None
    ) -> Result[BookingView]:
        """A booking by reference, for its owner: the phone/e-mail on file, or the conversation that made it."""

        def operation(session: Session) -> Result[BookingView]:
            ref = store.normalise_reference(reference)
            ctx = load_context(session, self.clinic_slug)
            kind, rows = self._authorised_rows(session, ctx, ref, contact, sender_id)
            return success(store.booking_view(kind, rows, ctx))

        return run(self.factory, operation, read_only=True)

    def calendar_file(self, reference: str, *, contact: str | None = None, sender_id: str | None = None) -> Result[str]:
        """The .ics text for a confirmed (or pending) booking, to offer the visitor."""

        def operation(session: Session) -> Result[str]:
            now = self._now()
            ref = store.normalise_reference(reference)
            ctx = load_context(session, self.clinic_slug)
            _, rows = self._authorised_rows(session, ctx, ref, contact, sender_id)
            booked = [row for row in rows if row.status in ACTIVE_BOOKED]
            if not booked:
                raise Refusal(ErrorCode.INVALID_STATE, "That booking isn't confirmed, so there is no calendar entry.")
            return success(store.calendar_for(booked, ctx, now))

        return run(self.factory, operation, read_only=True)

    def reschedule(self, reference: str, contact: str, new_slot: SlotOffer | str) -> Result[BookingView]:
        """Move one appointment (a course's sessions each have their own reference) to an offered time.

        ``contact`` is the phone number or e-mail address on file. The old time is kept if the new one
        cannot be had."""
        key = new_slot.key if isinstance(new_slot, SlotOffer) else new_slot

        def operation(session: Session) -> Result[BookingView]:
            now = self._now()
            ref = store.normalise_reference(reference)
            ctx = load_context(session, self.clinic_slug)
            identifier = normalise_identifier(contact, store.phone_region(ctx))
            kind, rows = store.appointments_for_reference(session, ref, lock=True)
            if kind == "series":
                raise Refusal(
                    ErrorCode.INVALID_REQUEST,
                    "A course is moved one session at a time, by the session's reference.",
                    reason="course_reference",
                )
            row = rows[0]
            _verify(row, identifier)
            if row.status not in ACTIVE_BOOKED or row.starts_at <= now:
                raise Refusal(ErrorCode.INVALID_STATE)
            treatment_code, practitioner_code, start = parse_slot_key(key)
            if treatment_code != row.treatment.code:
                raise Refusal(
                    ErrorCode.INVALID_SLOT, "That time is for a different treatment.", reason="other_treatment"
                )
            practitioner = _practitioner(ctx, practitioner_code)
            if practitioner.id == row.practitioner_id and start == row.starts_at:
                raise Refusal(ErrorCode.INVALID_REQUEST, "The appointment is already at that time.", reason="same_time")
            info = _treatment(ctx, treatment_code)
            end = _check_bookable(session, ctx, practitioner, info, start, now, within_horizon=True)
            store.release_expired_holds(session, now, [practitioner.id])
            if has_conflict(session, practitioner.id, start, end, now, exclude=[row.id]):
                raise Refusal(ErrorCode.SLOT_TAKEN)
            previous = store.appointment_view(row, ctx).label
            store.release(session, [row.id])
            row.practitioner = session.get(PractitionerRow, practitioner.id)
            row.starts_at, row.ends_at = start, end
            row.sequence += 1
            row.updated_at = now
            session.flush()
            store.occupy(session, row)
            view = store.booking_view(kind, rows, ctx)
            _notify_booking(session, ctx, view, rows, now, "rescheduled", previous=previous)
            return success(view)

        return run(self.factory, operation)

    def cancel(self, reference: str, contact: str, *, reason: str | None = None) -> Result[BookingView]:
        """Cancel an appointment, or every remaining session of a course given the course reference."""

        def operation(session: Session) -> Result[BookingView]:
            now = self._now()
            ref = store.normalise_reference(reference)
            ctx = load_context(session, self.clinic_slug)
            identifier = normalise_identifier(contact, store.phone_region(ctx))
            kind, rows = store.appointments_for_reference(session, ref, lock=True)
            _verify(rows[0], identifier)
            cancellable = [row for row in rows if row.status in ACTIVE_BOOKED and row.starts_at > now]
            if not cancellable:
                raise Refusal(ErrorCode.INVALID_STATE, "There is nothing left to cancel on that booking.")
            _cancel_rows(session, cancellable, (reason or "visitor")[:64], now)
            view = store.booking_view(kind, rows, ctx)
            _notify_cancellation(session, ctx, view, cancellable, now)
            return success(view)

        return run(self.factory, operation)

    # --- helpers -----------------------------------------------------------------------------------------

    def _now(self) -> datetime:
        return store.checked_now(self.clock)

    def _authorised_rows(
        self, session: Session, ctx: ClinicContext, ref: str, contact: str | None, sender_id: str | None
    ) -> tuple[str, list[Appointment]]:
        if not contact and not sender_id:
            raise Refusal(
                ErrorCode.CONTACT_REQUIRED, "The look-up needs the phone number or e-mail address booked with."
            )
        identifier = normalise_identifier(contact, store.phone_region(ctx)) if contact else None
        kind, rows = store.appointments_for_reference(session, ref)
        if identifier is not None:
            _verify(rows[0], identifier)
        elif rows[0].sender_id != sender_id:
            raise Refusal(ErrorCode.NOT_FOUND)
        return kind, rows


# --- validation -----------------------------------------------------------------------------------------


def parse_interval(value: Any) -> tuple[int, int]:
    """(min, max) weeks from (4, 6), [4, 6], "4-6", "4–6" or 4."""
    low: int | None = None
    high: int | None = None
    if isinstance(value, bool):
        pass
    elif isinstance(value, int):
        low = high = value
    elif isinstance(value, str):
        parts = value.replace("–", "-").replace(" ", "").split("-")
        if len(parts) in (1, 2) and all(part.isdigit() for part in parts):
            low, high = int(parts[0]), int(parts[-1])
    elif (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        low, high = value
    if low is None or high is None or not 1 <= low <= high <= MAX_INTERVAL_WEEKS:
        raise Refusal(
            ErrorCode.INVALID_REQUEST,
            f"The interval between sessions must be between 1 and {MAX_INTERVAL_WEEKS} weeks, like 4-6.",
        )
    return int(low), int(high)


def parse_day(value: date | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise Refusal(ErrorCode.INVALID_DATE)


def _check_count(value: Any, maximum: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise Refusal(ErrorCode.INVALID_REQUEST, field=name)
    return value


def _check_conversation(sender_id: str | None, channel: str | None) -> None:
    if sender_id is not None and (not isinstance(sender_id, str) or len(sender_id) > MAX_SENDER_ID):
        raise Refusal(ErrorCode.INVALID_REQUEST, field="sender_id")
    if channel is not None and (not isinstance(channel, str) or len(channel) > MAX_CHANNEL):
        raise Refusal(ErrorCode.INVALID_REQUEST, field="channel")


def _consent_purposes(consent: Iterable[str]) -> set[str]:
    if isinstance(consent, str):
        consent = [consent]
    purposes = set(consent or ())
    unknown = purposes - set(CONSENT_PURPOSES)
    if unknown:
        raise Refusal(ErrorCode.INVALID_REQUEST, field="consent", unknown=sorted(map(str, unknown)))
    if "booking" not in purposes:
        raise Refusal(ErrorCode.CONSENT_REQUIRED, missing="booking")
    return purposes


def _part_of_day(value: str | None) -> str | None:
    if value is None:
        return None
    part = str(value).strip().lower()
    if part not in PARTS_OF_DAY:
        raise Refusal(ErrorCode.INVALID_PART_OF_DAY)
    return part


def _treatment(ctx: ClinicContext, code: str) -> TreatmentInfo:
    info = ctx.treatments.get(code) if isinstance(code, str) else None
    if info is None:
        raise Refusal(ErrorCode.UNKNOWN_TREATMENT)
    return info


def _practitioner(ctx: ClinicContext, code: str) -> PractitionerInfo:
    practitioner = ctx.practitioner(code) if isinstance(code, str) else None
    if practitioner is None:
        raise Refusal(ErrorCode.UNKNOWN_PRACTITIONER)
    return practitioner


def _practitioners(ctx: ClinicContext, info: TreatmentInfo, code: str | None) -> list[PractitionerInfo]:
    if code is not None:
        practitioner = _practitioner(ctx, code)
        if info.code not in practitioner.treatments:
            raise Refusal(
                ErrorCode.SLOT_UNAVAILABLE, f"{practitioner.name} doesn't offer {info.name}.", reason="not_offered"
            )
        return [practitioner]
    return [p for p in ctx.practitioners if info.code in p.treatments]


def _today(ctx: ClinicContext, now: datetime) -> date:
    return now.astimezone(ctx.tz).date()


def _day_range(ctx: ClinicContext, now: datetime, days: int | None, on_date: date | str | None) -> tuple[date, date]:
    today = _today(ctx, now)
    horizon_end = today + timedelta(days=ctx.horizon_days)
    if on_date is not None:
        day = parse_day(on_date)
        if day < today:
            raise Refusal(ErrorCode.DATE_IN_PAST)
        if day > horizon_end:
            raise Refusal(ErrorCode.DATE_TOO_FAR, horizon_days=ctx.horizon_days)
        return day, day
    if days is None:
        return today, horizon_end
    _check_count(days, 10_000, "days")
    return today, today + timedelta(days=min(days, ctx.horizon_days))


def _utc_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """A UTC range safely covering the local days first..last in any timezone."""
    start = datetime.combine(first - timedelta(days=1), time(0), tzinfo=timezone.utc)
    end = datetime.combine(last + timedelta(days=2), time(0), tzinfo=timezone.utc)
    return start, end


def _earliest(ctx: ClinicContext, now: datetime) -> datetime:
    return now + timedelta(hours=ctx.min_notice_hours)


def _check_bookable(
    session: Session,
    ctx: ClinicContext,
    practitioner: PractitionerInfo,
    info: TreatmentInfo,
    start: datetime,
    now: datetime,
    within_horizon: bool,
) -> datetime:
    """Refuse a start time the clinic would never offer; returns the appointment's end."""
    if start <= now:
        raise Refusal(ErrorCode.SLOT_IN_PAST)
    if start < _earliest(ctx, now):
        raise Refusal(ErrorCode.TOO_SHORT_NOTICE, min_notice_hours=ctx.min_notice_hours)
    if within_horizon and local_date(start, ctx.tz) > _today(ctx, now) + timedelta(days=ctx.horizon_days):
        raise Refusal(ErrorCode.DATE_TOO_FAR, horizon_days=ctx.horizon_days)
    if info.code not in practitioner.treatments:
        raise Refusal(
            ErrorCode.SLOT_UNAVAILABLE, f"{practitioner.name} doesn't offer {info.name}.", reason="not_offered"
        )
    if not any(c.start == start for c in day_candidates(ctx, practitioner, info, local_date(start, ctx.tz))):
        raise Refusal(ErrorCode.SLOT_UNAVAILABLE, reason="outside_hours")
    end = start + timedelta(minutes=info.duration_minutes)
    if store.time_off_overlaps(session, practitioner.id, start, end):
        raise Refusal(ErrorCode.SLOT_UNAVAILABLE, f"{practitioner.name} isn't working at that time.", reason="time_off")
    return end


def _check_spacing(previous: datetime, start: datetime, interval: tuple[int, int], ctx: ClinicContext) -> None:
    gap = (local_date(start, ctx.tz) - local_date(previous, ctx.tz)).days
    if not interval[0] * 7 <= gap <= interval[1] * 7:
        raise Refusal(
            ErrorCode.INVALID_SLOT, f"Sessions of this course need to be {interval[0]}–{interval[1]} weeks apart."
        )


def _check_confirmable(rows: Sequence[Appointment], now: datetime) -> None:
    if all(row.status in ACTIVE_BOOKED for row in rows):
        raise Refusal(ErrorCode.ALREADY_CONFIRMED)
    expired = any(
        (row.status == HELD and row.hold_expires_at is not None and row.hold_expires_at <= now)
        or (row.status == CANCELLED and row.cancel_reason == "hold_expired")
        for row in rows
    )
    if expired:
        raise Refusal(ErrorCode.HOLD_EXPIRED)
    if any(row.status != HELD for row in rows):
        raise Refusal(ErrorCode.INVALID_STATE)


def _verify(row: Appointment, identifier: tuple[str, str]) -> None:
    kind, value = identifier
    person = row.contact
    on_file = None if person is None else (person.email if kind == "email" else person.phone)
    if on_file is None or on_file != value:
        raise Refusal(ErrorCode.CONTACT_MISMATCH)


# --- building rows ----------------------------------------------------------------------------------------


def _new_record(session: Session, consultation: ConsultationInput | None, now: datetime) -> ConsultationRecord | None:
    if consultation is None:
        return None
    record = ConsultationRecord(created_at=now, **record_fields(consultation))
    session.add(record)
    session.flush()
    return record


def _new_appointment(
    session: Session,
    ctx: ClinicContext,
    practitioner: PractitionerInfo,
    info: TreatmentInfo,
    start: datetime,
    end: datetime,
    now: datetime,
    record: ConsultationRecord | None,
    sender_id: str | None,
    channel: str | None,
) -> Appointment:
    row = Appointment(
        reference=store.new_reference(session),
        clinic_id=ctx.id,
        practitioner_id=practitioner.id,
        treatment_id=info.id,
        status=HELD,
        starts_at=start,
        ends_at=end,
        hold_expires_at=now + timedelta(minutes=ctx.hold_minutes),
        consultation_record_id=record.id if record is not None else None,
        sender_id=sender_id,
        channel=channel,
        sequence=0,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row


def _release_earlier_holds(session: Session, sender_id: str | None, now: datetime) -> None:
    if not sender_id:
        return
    earlier = session.scalars(
        select(Appointment)
        .where(Appointment.sender_id == sender_id, Appointment.status == HELD, Appointment.hold_expires_at > now)
        .with_for_update()
    ).all()
    if earlier:
        _cancel_rows(session, earlier, "replaced", now)


def _cancel_rows(session: Session, rows: Sequence[Appointment], reason: str, now: datetime) -> None:
    store.release(session, [row.id for row in rows])
    for row in rows:
        was_hold = row.status == HELD
        row.status = CANCELLED
        row.cancel_reason = reason
        row.hold_expires_at = None
        row.updated_at = now
        if was_hold and row.consultation_record_id is not None:
            record_id = row.consultation_record_id
            row.consultation_record_id = None
            session.flush()
            store.drop_unused_records(session, [record_id])
    session.flush()


# --- choosing offers -------------------------------------------------------------------------------------


def _offer(candidate: Candidate, ctx: ClinicContext, info: TreatmentInfo) -> SlotOffer:
    return SlotOffer(
        treatment=info.code,
        treatment_name=info.name,
        practitioner=candidate.practitioner.code,
        practitioner_name=candidate.practitioner.name,
        start=candidate.start,
        end=candidate.end,
        timezone=ctx.timezone,
    )


def _pick(
    found: Sequence[Candidate], ctx: ClinicContext, info: TreatmentInfo, limit: int, per_day: int | None
) -> list[SlotOffer]:
    offers: list[SlotOffer] = []
    per_day_count: dict[date, int] = {}
    for candidate in found:
        day = local_date(candidate.start, ctx.tz)
        if per_day is not None and per_day_count.get(day, 0) >= per_day:
            continue
        per_day_count[day] = per_day_count.get(day, 0) + 1
        offers.append(_offer(candidate, ctx, info))
        if len(offers) >= limit:
            break
    return offers


class _SeriesPlanner:
    """Chains sessions: each the earliest free time in [previous + min weeks, previous + max weeks],
    same practitioner first, then the time of day closest to the first session's."""

    def __init__(self, ctx, info, practitioners, busy, earliest, grid=None) -> None:
        self.ctx, self.info, self.practitioners, self.busy, self.earliest = ctx, info, practitioners, busy, earliest
        self.grid = grid
        self._by_day: dict[date, list[Candidate]] = {}

    def free_on(self, day: date) -> list[Candidate]:
        if day not in self._by_day:
            self._by_day[day] = free_candidates(
                self.ctx, self.info, self.practitioners, [day], self.busy, self.earliest, grid=self.grid
            )
        return self._by_day[day]

    def chain(self, first: Candidate, count: int, interval: tuple[int, int]) -> list[Candidate] | None:
        tz = self.ctx.tz
        wall_minutes = to_minutes(first.start.astimezone(tz).time())
        chain = [first]
        while len(chain) < count:
            previous_day = local_date(chain[-1].start, tz)
            window = date_range(
                previous_day + timedelta(weeks=interval[0]), previous_day + timedelta(weeks=interval[1])
            )
            best = None
            for offset, day in enumerate(window):
                for candidate in self.free_on(day):
                    score = (
                        candidate.practitioner.id != first.practitioner.id,
                        offset,
                        abs(to_minutes(candidate.start.astimezone(tz).time()) - wall_minutes),
                    )
                    if best is None or score < best[0]:
                        best = (score, candidate)
            if best is None:
                return None
            chain.append(best[1])
        return chain


# --- notifications ---------------------------------------------------------------------------------------


def _booking_payload(ctx: ClinicContext, view: BookingView, rows: Sequence[Appointment]) -> dict[str, Any]:
    first = view.appointments[0]
    person = rows[0].contact
    return {
        "clinic": ctx.name,
        "reference": view.reference,
        "status": view.status,
        "treatment": first.treatment_name,
        "practitioner": first.practitioner_name,
        "when": first.label,
        "sessions": [
            {
                "reference": a.reference,
                "label": a.label,
                "start": a.start.isoformat(),
                "start_local": a.start_local.isoformat(),
                "practitioner": a.practitioner,
                "status": a.status,
            }
            for a in view.appointments
        ],
        "contact": {"name": person.name, "phone": person.phone, "email": person.email} if person else None,
        "channel": rows[0].channel,
    }


def _notify_booking(
    session: Session,
    ctx: ClinicContext,
    view: BookingView,
    rows: Sequence[Appointment],
    now: datetime,
    kind: str,
    previous: str | None = None,
) -> None:
    payload = _booking_payload(ctx, view, rows)
    payload["ics"] = store.calendar_for(rows, ctx, now)
    first = view.appointments[0]
    if kind == "review_needed":
        subject = f"Clinical review needed {view.reference}: {first.label}"
        payload["action"] = (
            "The screening says a clinician must review this visitor before the consultation is confirmed. "
            f"See: python -m actions.admin pending; then: python -m actions.admin review confirm {view.reference} "
            f"(or review reject {view.reference})"
        )
    elif kind == "rescheduled":
        subject = f"Rescheduled {view.reference}: now {first.label}"
        payload["previous"] = previous
    else:
        count = len(view.appointments)
        subject = f"New booking {view.reference}: {first.label}" + (
            f" (+{count - 1} more sessions)" if count > 1 else ""
        )
    enqueue(session, kind, subject, payload, now, appointment_id=rows[0].id)


def _notify_cancellation(
    session: Session, ctx: ClinicContext, view: BookingView, cancelled: Sequence[Appointment], now: datetime
) -> None:
    payload = _booking_payload(ctx, view, cancelled)
    payload["cancelled"] = [row.reference for row in cancelled]
    payload["ics"] = store.calendar_for(cancelled, ctx, now, cancelled=True)
    subject = f"Cancelled {view.reference}: " + "; ".join(
        store.appointment_view(row, ctx).label for row in cancelled[:3]
    )
    enqueue(session, "cancellation", subject, payload, now, appointment_id=cancelled[0].id)
