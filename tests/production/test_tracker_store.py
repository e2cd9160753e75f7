"""The project's tracker store loads exactly the conversation Rasa's stock SQL store loads."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_server.stores.tracker_store import PrivateSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def session(number: int) -> list:
    return [
        ActionExecuted("action_session_start", timestamp=100.0 * number),
        SessionStarted(timestamp=100.0 * number + 1),
        ActionExecuted("action_listen", timestamp=100.0 * number + 2),
        UserUttered(f"does it hurt? ({number})", {"name": "ask_pain", "confidence": 0.9}, timestamp=100.0 * number + 3),
        SlotSet("current_question", "age", timestamp=100.0 * number + 4),
        BotUttered("A little.", timestamp=100.0 * number + 5),
        ActionExecuted("action_listen", timestamp=100.0 * number + 6),
    ]


def test_the_same_conversation_as_the_stock_store(tmp_path, domain):
    db = tmp_path / "tracker.db"
    ours = PrivateSQLTrackerStore(domain, dialect="sqlite", db=str(db))
    stock = SQLTrackerStore(domain, dialect="sqlite", db=str(db))
    tracker = DialogueStateTracker.from_events("visitor-1", session(1) + session(2), slots=domain.slots)
    asyncio.run(ours.save(tracker))

    latest, latest_stock = asyncio.run(ours.retrieve("visitor-1")), asyncio.run(stock.retrieve("visitor-1"))
    assert [e.as_dict() for e in latest.events] == [e.as_dict() for e in latest_stock.events]
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["does it hurt? (2)"]
    whole = asyncio.run(ours.retrieve_full_tracker("visitor-1"))
    assert [e.as_dict() for e in whole.events] == [e.as_dict() for e in tracker.events]
    assert whole.get_slot("current_question") == "age"
    assert asyncio.run(ours.retrieve("nobody")) is None


def test_on_a_sqlite_file_one_connection_in_wal_mode_and_other_writers_are_seen(tmp_path, domain):
    db = tmp_path / "tracker.db"
    ours = PrivateSQLTrackerStore(domain, dialect="sqlite", db=str(db))
    connects = []
    sa.event.listen(ours.engine, "connect", lambda *_: connects.append(1))
    tracker = DialogueStateTracker.from_events("visitor-1", session(1), slots=domain.slots)
    for _ in range(3):
        asyncio.run(ours.save(tracker))
        tracker = asyncio.run(ours.retrieve("visitor-1"))
    assert len(connects) == 1
    with ours.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    # the privacy tools delete a conversation from another process (their own engine)
    other = sa.create_engine(f"sqlite:///{db}")
    with other.begin() as connection:
        connection.execute(sa.text("delete from events where sender_id = 'visitor-1'"))
    other.dispose()
    assert asyncio.run(ours.retrieve("visitor-1")) is None
