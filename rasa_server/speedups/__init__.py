"""Replacements of Rasa 3.6.21 internals that give Rasa's own answers faster (`make bench` measured each).

Switched on together by ``rasa_server.install()``, which checks the Rasa release first. Each module
replaces one thing, keeps the stock function as ``_STOCK`` and has an idempotent ``install()``.
"""

from __future__ import annotations

from rasa_server.speedups import (
    action_call_payload,
    action_response_validation,
    applied_events_memo,
    event_types,
    settled_prediction,
    slot_validation_gate,
    startup_heap,
)

SPEEDUPS = (
    action_call_payload,
    action_response_validation,
    applied_events_memo,
    event_types,
    settled_prediction,
    slot_validation_gate,
    startup_heap,
)

__all__ = ["SPEEDUPS"]
