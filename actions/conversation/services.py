"""What the actions share: the clinic's date, the booking backend, and running blocking work off the
event loop. The clinic core does the work; this module only wires it to the action server."""

from __future__ import annotations

import asyncio
import functools
import threading
from datetime import date, datetime, timezone
from typing import Any, Callable, TypeVar

from actions.booking.handoffs import HandoffDesk
from actions.booking.service import BookingService
from actions.content.clinic import CLINIC_FILE, Clinic, load_clinic
from actions.content.watched import Watched

T = TypeVar("T")


def utc_now() -> datetime:
    """The clock every action uses (tests replace it)."""
    return datetime.now(timezone.utc)


CLINIC: Watched[Clinic] = Watched(lambda: load_clinic(CLINIC_FILE), lambda: (CLINIC_FILE,))


def clinic() -> Clinic:
    """clinic.yml as it is now: an operator's edit (a price, the hours) is picked up on the next message,
    as the answers pick it up (actions.conversation.content), so the two never disagree; a broken edit
    keeps the last good settings (actions/content/watched.py)."""
    return CLINIC.get()


def clinic_today() -> date:
    """Today in the clinic's timezone: the `today` of every screening decision."""
    return utc_now().astimezone(clinic().tz).date()


_services: dict[str, Any] = {}
_services_lock = threading.Lock()


def booking_service() -> BookingService:
    """One BookingService per process (it opens a session per call; never a shared session)."""
    with _services_lock:
        if "booking" not in _services:
            _services["booking"] = BookingService(clock=lambda: utc_now())
        return _services["booking"]


def handoff_desk() -> HandoffDesk:
    with _services_lock:
        if "handoffs" not in _services:
            _services["handoffs"] = HandoffDesk(clock=lambda: utc_now())
        return _services["handoffs"]


def reset_services() -> None:
    """Forget cached services and settings (tests point them at another database)."""
    with _services_lock:
        _services.clear()
    CLINIC.clear()


async def off_loop(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking database work in a worker thread so the action server keeps serving others."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(fn, *args, **kwargs))
