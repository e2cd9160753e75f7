"""Handing a conversation to a person: tickets staff pick up, and a flag that keeps the assistant quiet.

While a conversation has an open or taken ticket, :meth:`HandoffDesk.is_open` is true and the assistant
should only say that a person will answer. Staff take and close tickets (``python -m actions.admin``).
A red flag the visitor names makes the ticket urgent (:meth:`HandoffDesk.mark_urgent`): listed first,
and the staff are told at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from actions.booking.db import READ_ONLY, session_factory
from actions.booking.models import HANDOFF_CLOSED, HANDOFF_OPEN, HANDOFF_TAKEN, HandoffTicket
from actions.booking.outbox import enqueue
from actions.booking.results import ErrorCode, Refusal, Result, failure, success
from actions.booking.store import Clock, checked_now, run, utc_now
from contract.statuses import SUPPRESSING_TRIAGE, TRIAGE_RANK

log = logging.getLogger(__name__)
ACTIVE = (HANDOFF_OPEN, HANDOFF_TAKEN)
MAX_SUMMARY = 10_000


@dataclass(frozen=True)
class HandoffView:
    id: int
    status: str
    reason: str
    summary: str
    channel: str
    sender_id: str
    taken_by: str | None
    created_at: datetime
    taken_at: datetime | None
    closed_at: datetime | None
    urgency: str | None = None
    urgent_at: datetime | None = None
    is_new: bool = False


def _view(row: HandoffTicket, is_new: bool = False) -> HandoffView:
    return HandoffView(
        id=row.id,
        status=row.status,
        reason=row.reason,
        summary=row.summary,
        channel=row.channel,
        sender_id=row.sender_id,
        taken_by=row.taken_by,
        created_at=row.created_at,
        taken_at=row.taken_at,
        closed_at=row.closed_at,
        urgency=row.urgency,
        urgent_at=row.urgent_at,
        is_new=is_new,
    )


def _text(value: str | None, limit: int, name: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise Refusal(ErrorCode.INVALID_REQUEST, field=name)
    return value.strip()


def _urgency(level: str) -> str:
    if level not in SUPPRESSING_TRIAGE:
        raise Refusal(ErrorCode.INVALID_REQUEST, field="urgency")
    return level


class HandoffDesk:
    def __init__(self, factory: sessionmaker | None = None, *, clock: Clock = utc_now) -> None:
        self.factory = factory or session_factory()
        self.clock = clock

    def open(
        self, sender_id: str, channel: str, reason: str, summary: str = "", *, urgency: str | None = None
    ) -> Result[HandoffView]:
        """Open a ticket for this conversation, or return the one already open (``is_new`` False).
        ``urgency``: the triage level of a red flag named in the same message (see :meth:`mark_urgent`)."""
        if urgency is not None:
            if urgency not in SUPPRESSING_TRIAGE:
                return failure(ErrorCode.INVALID_REQUEST, field="urgency")
            opened = self.open(sender_id, channel, reason, summary)
            if not opened.ok or opened.value is None:
                return opened
            marked = self.mark_urgent(sender_id, urgency, "")
            if not marked.ok or marked.value is None:
                return opened
            return success(replace(marked.value, is_new=opened.value.is_new))

        def operation(session: Session) -> Result[HandoffView]:
            now = checked_now(self.clock)
            sender = _text(sender_id, 255, "sender_id")
            existing = self._active(session, sender)
            if existing is not None:
                return success(_view(existing))
            ticket = HandoffTicket(
                reason=_text(reason, 64, "reason"),
                summary=(summary or "")[:MAX_SUMMARY],
                channel=_text(channel, 64, "channel"),
                sender_id=sender,
                status=HANDOFF_OPEN,
                created_at=now,
                updated_at=now,
            )
            try:
                with session.begin_nested():
                    session.add(ticket)
                    session.flush()
            except IntegrityError:  # another request opened one for this conversation just now
                opened = self._active(session, sender)
                if opened is None:  # and it is already closed again: nothing was opened here
                    raise
                return success(_view(opened))
            enqueue(
                session,
                "handoff",
                f"A visitor wants a person (ticket #{ticket.id}, {ticket.reason})",
                {
                    "ticket": ticket.id,
                    "reason": ticket.reason,
                    "summary": ticket.summary,
                    "channel": ticket.channel,
                    "sender_id": ticket.sender_id,
                    "action": f"python -m actions.admin handoff take {ticket.id} --by YOUR_NAME",
                },
                now,
                handoff_id=ticket.id,
            )
            return success(_view(ticket, is_new=True))

        return run(self.factory, operation)

    def mark_urgent(self, sender_id: str, level: str, symptoms: str) -> Result[HandoffView | None]:
        """The visitor named a red flag (``level``: emergency, see_doctor or contact_clinic) while a person
        has the conversation: the active ticket becomes urgent, at the most urgent level seen, and the
        staff are told at once (one notification per rise in level). None when no ticket is active."""

        def operation(session: Session) -> Result[HandoffView | None]:
            now = checked_now(self.clock)
            wanted = _urgency(level)
            row = self._active(session, _text(sender_id, 255, "sender_id"), for_update=True)
            if row is None:
                return success(None)
            if row.urgency is not None and TRIAGE_RANK[row.urgency] >= TRIAGE_RANK[wanted]:
                return success(_view(row))
            row.urgency, row.urgent_at, row.updated_at = wanted, now, now
            enqueue(
                session,
                "handoff",
                f"URGENT ({wanted}): red flag while waiting for a person (ticket #{row.id})",
                {
                    "ticket": row.id,
                    "urgency": wanted,
                    "symptoms": (symptoms or "")[:500],
                    "channel": row.channel,
                    "sender_id": row.sender_id,
                    "action": f"python -m actions.admin handoff take {row.id} --by YOUR_NAME",
                },
                now,
                handoff_id=row.id,
            )
            return success(_view(row))

        return run(self.factory, operation)

    def is_open(self, sender_id: str) -> bool:
        """True while a person has (or is about to have) this conversation.

        If the database cannot be reached this answers False (and logs): an assistant that keeps talking
        is better than one that silently stops answering everybody."""
        try:
            with self.factory() as session:
                session.connection(execution_options={READ_ONLY: True})
                return self._active(session, sender_id) is not None
        except DBAPIError as exc:
            log.error("handoff status unknown, database unavailable: %s", exc)
            return False

    def status(self, sender_id: str) -> Result[HandoffView | None]:
        def operation(session: Session) -> Result[HandoffView | None]:
            row = self._active(session, sender_id)
            return success(_view(row) if row is not None else None)

        return run(self.factory, operation, read_only=True)

    def take(self, ticket_id: int, staff: str) -> Result[HandoffView]:
        def operation(session: Session) -> Result[HandoffView]:
            now = checked_now(self.clock)
            name = _text(staff, 200, "staff")
            row = self._ticket(session, ticket_id)
            if row.status == HANDOFF_CLOSED:
                raise Refusal(ErrorCode.INVALID_STATE, f"Ticket #{row.id} is already closed.")
            if row.status == HANDOFF_TAKEN and row.taken_by != name:
                raise Refusal(ErrorCode.INVALID_STATE, f"Ticket #{row.id} is already taken by {row.taken_by}.")
            if row.status == HANDOFF_OPEN:
                row.status, row.taken_by, row.taken_at, row.updated_at = HANDOFF_TAKEN, name, now, now
            return success(_view(row))

        return run(self.factory, operation)

    def close(self, ticket_id: int) -> Result[HandoffView]:
        def operation(session: Session) -> Result[HandoffView]:
            now = checked_now(self.clock)
            row = self._ticket(session, ticket_id)
            if row.status == HANDOFF_CLOSED:
                raise Refusal(ErrorCode.INVALID_STATE, f"Ticket #{row.id} is already closed.")
            row.status, row.closed_at, row.updated_at = HANDOFF_CLOSED, now, now
            return success(_view(row))

        return run(self.factory, operation)

    def list(self, statuses: tuple[str, ...] = ACTIVE) -> Result[list[HandoffView]]:
        """Tickets in ``statuses``: the most urgent first, then the oldest first."""

        def operation(session: Session) -> Result[list[HandoffView]]:
            rows = session.scalars(
                select(HandoffTicket).where(HandoffTicket.status.in_(statuses)).order_by(HandoffTicket.created_at)
            )
            views = [_view(row) for row in rows]
            return success(sorted(views, key=lambda v: -TRIAGE_RANK[v.urgency] if v.urgency else 0))

        return run(self.factory, operation, read_only=True)

    @staticmethod
    def _active(session: Session, sender_id: str, *, for_update: bool = False) -> HandoffTicket | None:
        query = select(HandoffTicket).where(HandoffTicket.sender_id == sender_id, HandoffTicket.status.in_(ACTIVE))
        return session.scalars(query.with_for_update() if for_update else query).first()

    @staticmethod
    def _ticket(session: Session, ticket_id: int) -> HandoffTicket:
        if isinstance(ticket_id, bool) or not isinstance(ticket_id, int):
            raise Refusal(ErrorCode.INVALID_REQUEST, field="ticket_id")
        row = session.get(HandoffTicket, ticket_id, with_for_update=True)
        if row is None:
            raise Refusal(ErrorCode.NOT_FOUND, f"There is no handoff ticket #{ticket_id}.")
        return row


def is_handoff_open(sender_id: str, factory: sessionmaker | None = None) -> bool:
    """Shortcut for the conversation: is a person handling ``sender_id``'s conversation?"""
    return HandoffDesk(factory).is_open(sender_id)
