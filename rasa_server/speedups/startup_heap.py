"""The Rasa server's start-up objects are kept out of Python's garbage collector's full passes.

A loaded model (TensorFlow, spaCy, the graph's components) leaves the Rasa server with millions of
objects that live as long as the process. Python's collector walks all of them on each of its full
(generation 2) passes, which come every few hundred messages: `make bench` measured 400-450 ms each,
paid by whichever visitor's message is in flight (the slowest turns of a run). ``gc.freeze()`` once the
model is loaded moves those objects to the permanent generation, so full passes walk only what the
conversations since created (Python's documented use of gc.freeze). Garbage left from start-up is
collected first. Installed by the Rasa server's switch (rasa_server/__init__.py); the action server does
the same at the end of its start (actions/conversation/preload.py).
"""

from __future__ import annotations

import gc
import logging
from typing import Any

import rasa.core.run

log = logging.getLogger(__name__)

_STOCK = rasa.core.run.load_agent_on_start


def freeze_startup_objects() -> int:
    """Collect start-up garbage, then freeze what is left; returns how many objects were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
    """Rasa's own listener (rasa.core.run.load_agent_on_start), then the freeze."""
    agent = await _STOCK(*args, **kwargs)
    log.info("kept %d start-up objects out of the garbage collector's full passes", freeze_startup_objects())
    return agent


def install() -> None:
    """Idempotent. Channels are created before ``serve_application`` registers the listener, so the
    server registers this one."""
    if rasa.core.run.load_agent_on_start is _STOCK:
        rasa.core.run.load_agent_on_start = load_agent_on_start


__all__ = ["freeze_startup_objects", "install", "load_agent_on_start"]
