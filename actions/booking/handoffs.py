"""Handing a conversation to a person: tickets staff pick up, and a flag that keeps the assistant quiet.

While a conversation has an open or taken ticket, :meth:`HandoffDesk.is_open` is true and the assistant
should only say that a person will answer. Staff take and close tickets (``python -m actions.admin``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from actions.booking.db import READ_ONLY, session_factory
from actions.booking.models import HANDOFF_CLOSED, HANDOFF_OPEN, HANDOFF_TAKEN, HandoffTicket
from actions.booking.outbox import enqueue
from actions.booking.results import ErrorCode, Refusal, Result, success
from actions.booking.store import Clock, checked_now, run, utc_now

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
        is_new=is_new,
    )


def _text(value: str | None, limit: int, name: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise Refusal(ErrorCode.INVALID_REQUEST, field=name)
    return value.strip()


class HandoffDesk:
    def __init__(self, factory: sessionmaker | None = None, *, clock: Clock = utc_now) -> None:
        self.factory = factory or session_factory()
        self.clock = clock

    def open(self, sender_id: str, channel: str, reason: str, summary: str = "") -> Result[HandoffView]:
        """Open a ticket for this conversation, or return the one already open (``is_new`` False)."""

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
        def operation(session: Session) -> Result[list[HandoffView]]:
            rows = session.scalars(
                select(HandoffTicket).where(HandoffTicket.status.in_(statuses)).order_by(HandoffTicket.created_at)
            )
            return success([_view(row) for row in rows])

        return run(self.factory, operation, read_only=True)

    @staticmethod
    def _active(session: Session, sender_id: str) -> HandoffTicket | None:
        return session.scalars(
            select(HandoffTicket).where(HandoffTicket.sender_id == sender_id, HandoffTicket.status.in_(ACTIVE))
        ).first()

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
