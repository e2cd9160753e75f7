"""Checks shared by the live tests: the tracker store holds every message, bookings are whole."""

from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa
import stores
from journeys import JourneyResult, Persona

START_PAYLOAD = "/greet"


def missing_from_tracker(tracker: sa.engine.Engine, result: JourneyResult) -> list[str]:
    """What the visitor sent or received that the tracker store does not hold, in order (empty: all there)."""
    visitor = result.visitor
    if not visitor.session_id:
        return ["no session"]
    user, bot = stores.said_and_answered(stores.conversation(tracker, visitor.session_id))
    sent = [
        START_PAYLOAD if turn.sent == "<new session>" else turn.sent for turn in visitor.turns if turn.status == 200
    ]
    received = [m.get("text") or "" for turn in visitor.turns if turn.status == 200 for m in turn.messages]
    problems = []
    if not _in_order(sent, user):
        problems.append(
            f"visitor messages: sent {len(sent)}, stored {len(user)} (first difference {_first_difference(sent, user)})"
        )
    if not _in_order(received, bot):
        problems.append(f"assistant messages: received {len(received)}, stored {len(bot)}")
    return problems


def _in_order(expected: list[str], stored: list[str]) -> bool:
    """Every expected message is stored, in the same order (a message stored twice does not count as lost)."""
    position = 0
    for text in expected:
        while position < len(stored) and stored[position].strip() != text.strip():
            position += 1
        if position == len(stored):
            return False
        position += 1
    return True


def _first_difference(expected: list[str], stored: list[str]) -> str:
    for index, (a, b) in enumerate(zip(expected, stored)):
        if a.strip() != b.strip():
            return f"#{index}: sent {a!r}, stored {b!r}"
    return f"lengths {len(expected)} / {len(stored)}"


def bookings_of(clinic: sa.engine.Engine, personas: Iterable[Persona]) -> dict[str, list[dict]]:
    """Appointments (not cancelled) per persona phone, with their contact and consents."""
    phones = {p.phone_digits: p for p in personas}
    found: dict[str, list[dict]] = {digits: [] for digits in phones}
    with clinic.connect() as connection:
        rows = (
            connection.execute(
                sa.text(
                    "select a.id, a.reference, a.status, a.contact_id, a.consultation_record_id, c.phone, "
                    "(select count(*) from consents k where k.contact_id = c.id) as consents, "
                    "(select count(*) from slot_occupancy o where o.appointment_id = a.id) as cells "
                    "from appointments a join contacts c on c.id = a.contact_id where a.status <> 'cancelled'"
                )
            )
            .mappings()
            .all()
        )
    for row in rows:
        digits = "".join(ch for ch in (row["phone"] or "") if ch.isdigit())
        if digits in found:
            found[digits].append(dict(row))
    return found


def contacts_without_booking(clinic: sa.engine.Engine, personas: Iterable[Persona]) -> list[str]:
    """Contacts of these personas that no appointment points to: a booking half-written."""
    wanted = {p.phone_digits for p in personas}
    with clinic.connect() as connection:
        rows = connection.execute(
            sa.text(
                "select c.phone from contacts c where not exists (select 1 from appointments a where a.contact_id = c.id)"
            )
        ).all()
    return [row.phone for row in rows if "".join(ch for ch in row.phone or "" if ch.isdigit()) in wanted]


def forget(topology, personas: Iterable[Persona], sender_ids: Iterable[str] = ()) -> int:
    """Delete these visitors everywhere (the clinic's "forget me", by phone and by conversation id),
    which also frees their times; returns how many conversation events went."""
    from actions.booking.db import make_engine, session_factory
    from actions.booking.privacy import forget_person

    engine = make_engine(topology.clinic_url)
    factory = session_factory(engine)
    events = 0
    try:
        for who in [{"phone": p.phone} for p in personas] + [{"sender_id": s} for s in sender_ids if s]:
            result = forget_person(factory, tracker_url=topology.tracker_url, **who)
            if result.ok:
                assert not result.value.tracker.error, result.value.tracker.error
                events += result.value.tracker.events
    finally:
        engine.dispose()
    return events


def forget_results(topology, results: Iterable[JourneyResult]) -> int:
    results = list(results)
    return forget(topology, [r.persona for r in results], [r.visitor.session_id for r in results])
