"""The lock store of the production topology (rasa_server/stores/lock_store.py): a message that waits behind the
ticket of an instance that died goes on once that ticket expires, however the two expiries fall."""

from __future__ import annotations

import asyncio
import time

import pytest
from rasa.core.lock_store import InMemoryLockStore

from rasa_server.stores.lock_store import InMemoryTicketLockStore, RedisTicketLockStore

LIFETIME = 1.0
POLL = 0.5


async def wait_behind_a_dead_ticket(store, head_start: float) -> float:
    """An instance takes the conversation's ticket and dies (never returns it); ``head_start`` seconds
    later the same message arrives at another instance. Returns how long that one waited."""
    store.issue_ticket("visitor", LIFETIME)  # the dead instance's
    await asyncio.sleep(head_start)
    began = time.monotonic()
    async with store.lock("visitor", lock_lifetime=LIFETIME, wait_time_in_seconds=POLL):
        waited = time.monotonic() - began
    return waited


@pytest.mark.parametrize("head_start", [0.05, 0.2, 0.3, 0.45])
def test_a_message_behind_a_dead_instance_goes_on_once_its_ticket_expires(head_start):
    waited = asyncio.run(asyncio.wait_for(wait_behind_a_dead_ticket(InMemoryTicketLockStore(), head_start), 10))
    assert LIFETIME - head_start - 0.05 <= waited <= LIFETIME - head_start + POLL + 0.5


def test_rasa_s_own_lock_store_waits_for_ever_there():
    """Why rasa_server/stores/lock_store.py exists: with Rasa's, the same wait never ends (here: not in 5 s)."""
    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(asyncio.wait_for(wait_behind_a_dead_ticket(InMemoryLockStore(), 0.2), 5))


def test_messages_of_a_conversation_still_take_turns():
    store = InMemoryTicketLockStore()
    inside: list[int] = []
    overlaps: list[int] = []

    async def message(number: int) -> None:
        async with store.lock("visitor", lock_lifetime=5, wait_time_in_seconds=0.01):
            if inside:
                overlaps.append(number)
            inside.append(number)
            await asyncio.sleep(0.05)
            inside.remove(number)

    async def all_at_once() -> None:
        await asyncio.gather(*(message(n) for n in range(5)))

    asyncio.run(all_at_once())
    assert overlaps == []
    assert store.get_lock("visitor") is None  # and nothing is left behind


def test_the_redis_store_reads_rasa_s_endpoint_settings():
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import EndpointConfig

    config = EndpointConfig(
        url="redis.internal",
        type="rasa_server.stores.lock_store.RedisTicketLockStore",
        port="6380",
        password="test-only",
        db="2",
        key_prefix="clinic",
    )
    store = LockStore.create(config)
    assert isinstance(store, RedisTicketLockStore)
    connection = store.red.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["db"]) == ("redis.internal", 6380, 2)
    assert store.key_prefix.startswith("clinic:")
