"""Rasa's Redis lock store, minus a message that waits forever behind an instance that died.

Rasa processes one message of a conversation at a time: each message takes a ticket (valid for
TICKET_LOCK_LIFETIME seconds) and waits until it is the first valid ticket. When an instance dies in
the middle of a message, its ticket is never returned; the message is sent again to another instance
(nginx), whose ticket was issued a moment after the dead one, with the same lifetime. Once the dead
ticket expires the waiting one is first, unless it has expired too by the time the waiter looks again
(it looks once a second, and the two expire less than a second apart): then no ticket is first, and
Rasa 3.6 keeps waiting for its own expired ticket for ever (the visitor's message times out). Here a
message whose ticket expired while it waited takes a new one and goes on waiting in line.

endpoints: `type: rasa_server.stores.lock_store.RedisTicketLockStore`, with the same settings as `type: redis`.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Optional

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig


class RequeueingLock(LockStore):
    """``lock()`` for a LockStore: a waiting message whose ticket expired takes a new ticket."""

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[TicketLock, None]:
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            while True:
                lock: Optional[TicketLock] = self.get_lock(conversation_id)
                if lock is not None and not lock.is_locked(ticket):
                    break
                if lock is None or not _holds(lock, ticket):
                    # Expired while waiting (or the lock went with it): back in line with a new ticket.
                    self.finish_serving(conversation_id, ticket)
                    ticket = self.issue_ticket(conversation_id, lock_lifetime)
                    continue
                await asyncio.sleep(wait_time_in_seconds)
                self.update_lock(conversation_id)
            yield lock
        finally:
            self.cleanup(conversation_id, ticket)


def _holds(lock: TicketLock, ticket: int) -> bool:
    """Whether ``ticket`` is still a valid ticket of ``lock``."""
    lock.remove_expired_tickets()
    return any(t.number == ticket for t in lock.tickets)


class RedisTicketLockStore(RequeueingLock, RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)


class InMemoryTicketLockStore(RequeueingLock, InMemoryLockStore):
    """The same waiting, in one process (for tests)."""
