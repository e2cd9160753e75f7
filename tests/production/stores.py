"""Reading the topology's databases: conversations in the tracker store, bookings in the clinic database."""

from __future__ import annotations

import json
from typing import Iterable

import sqlalchemy as sa


def engine(url: str) -> sa.engine.Engine:
    return sa.create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True)


def conversation(tracker: sa.engine.Engine, sender_id: str) -> list[tuple[str, dict]]:
    """(type_name, event) of one conversation, in the order Rasa stored them."""
    with tracker.connect() as connection:
        rows = connection.execute(
            sa.text("select type_name, data from events where sender_id = :sender order by id"), {"sender": sender_id}
        ).all()
    return [(row.type_name, json.loads(row.data)) for row in rows]


def said_and_answered(events: Iterable[tuple[str, dict]]) -> tuple[list[str], list[str]]:
    """The visitor's texts and the assistant's texts, as stored."""
    user = [event.get("text") or "" for kind, event in events if kind == "user"]
    bot = [event.get("text") or "" for kind, event in events if kind == "bot"]
    return user, bot


def count(engine_: sa.engine.Engine, query: str, **params) -> int:
    with engine_.connect() as connection:
        return int(connection.execute(sa.text(query), params).scalar() or 0)
