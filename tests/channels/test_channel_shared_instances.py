"""Several Rasa instances answering the same conversations (the production topology): the buttons a
visitor may press are those of the conversation's latest turn, whichever instance answered it.

A web chat session starts on whichever instance nginx picks, its messages then go to the instance its
session id hashes to, and to the other one while that one is down: an instance's memory of what it
offered a visitor can be several turns old. With a shared lock store (Redis: more than one instance)
the channel reads the latest turn from the shared tracker store instead.
"""

from __future__ import annotations

import asyncio
from typing import Any

import requests
from channel_harness import MENU_BUTTONS, ChannelServer
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_server.channels.webchat import SessionSigner, WebChatInput

SITE = "https://www.example-clinic.com"
SECRET = b"web-chat-secret-shared-by-every-instance"
AREA_BUTTONS = [
    {"title": "Face", "payload": '/inform{"area": "face"}'},
    {"title": "Neck", "payload": '/inform{"area": "neck"}'},
]
FACE = AREA_BUTTONS[0]["payload"]


def instance(tracker_store: Any, lock_store: Any) -> ChannelServer:
    channel = WebChatInput(SessionSigner(SECRET), allowed_origins={SITE})
    server = ChannelServer(channel, tracker_store=tracker_store)
    server.app.ctx.agent.lock_store = lock_store
    return server


def start_session(server: ChannelServer) -> dict[str, Any]:
    answer = requests.post(server.url + "/session", json={}, headers={"Origin": SITE}, timeout=10)
    assert answer.status_code == 200
    session = answer.json()
    assert [b["payload"] for b in session["messages"][0]["buttons"]] == [b["payload"] for b in MENU_BUTTONS]
    return session


def say(server: ChannelServer, session: dict[str, Any], message: str) -> requests.Response:
    body = {"session_id": session["session_id"], "signature": session["signature"], "message": message}
    return requests.post(server.url + "/webhook", json=body, headers={"Origin": SITE}, timeout=10)


def answered_elsewhere(store: InMemoryTrackerStore, sender_id: str) -> None:
    """What the tracker store holds once another instance has answered the visitor's next message."""
    events = [
        UserUttered("/greet"),
        BotUttered("Hello!", {"buttons": MENU_BUTTONS}),
        UserUttered("/ask_pain"),
        BotUttered("Which area would you like treated?", {"buttons": AREA_BUTTONS}),
    ]
    asyncio.run(store.save(DialogueStateTracker.from_events(sender_id, events)))


def test_a_button_offered_by_another_instance_is_a_button_here():
    store = InMemoryTrackerStore(Domain.empty())
    with instance(store, RedisLockStore(host="127.0.0.1", port=1)) as first:
        session = start_session(first)  # `first` remembers the menu it offered
        answered_elsewhere(store, session["session_id"])
        assert say(first, session, FACE).status_code == 200
        assert first.received[-1] == (session["session_id"], FACE)
        # and a payload of the menu `first` remembers is no longer one
        assert say(first, session, "/ask_downtime").status_code == 200
        assert first.received[-1] != (session["session_id"], "/ask_downtime")


class UnreadableTrackerStore(InMemoryTrackerStore):
    async def retrieve(self, sender_id: str):
        raise ConnectionError("the database is restarting")


def test_when_the_tracker_cannot_be_read_the_instance_goes_by_what_it_offered():
    with instance(UnreadableTrackerStore(Domain.empty()), RedisLockStore(host="127.0.0.1", port=1)) as server:
        session = start_session(server)
        assert say(server, session, "/ask_pain").status_code == 200
        assert server.received[-1] == (session["session_id"], "/ask_pain")


def test_one_process_alone_goes_by_what_it_offered_without_reading_the_tracker():
    class CountingTrackerStore(InMemoryTrackerStore):
        reads = 0

        async def retrieve(self, sender_id: str):
            CountingTrackerStore.reads += 1
            return await super().retrieve(sender_id)

    store = CountingTrackerStore(Domain.empty())
    with instance(store, InMemoryLockStore()) as server:
        session = start_session(server)
        assert say(server, session, "/ask_pain").status_code == 200
        assert server.received[-1] == (session["session_id"], "/ask_pain")
    assert CountingTrackerStore.reads == 0
