"""A conversation's applied events worked out once per state of the conversation, not once per policy.

``DialogueStateTracker.applied_events`` (the events minus reverted ones, and minus the inner turns of
each form run) walks the whole conversation, and for every form step walks back through it again:
quadratic in a consultation of 27 questions. Rasa 3.6 calls it from ``past_states`` for each policy
(memoization, rules, TED) at every prediction, and a form turn predicts three or four actions; in
`make bench`'s profiles of consultation turns it was ~18 % of the Rasa server's CPU.

The result depends on the tracker's events alone, so it is kept on the tracker with the state it was
worked out for (the events container, how many events, which one is last) and worked out again when
any of them changes. Callers get a new list each time, as from the stock method. Loaded with the
project's channels (channels/__init__.py).
"""
from __future__ import annotations

from typing import Any, List

from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

_STOCK = DialogueStateTracker.applied_events
_MEMO = "_clinic_applied_events"


def _state(tracker: DialogueStateTracker) -> tuple[Any, ...]:
    events = tracker.events
    return id(events), len(events), id(events[-1]) if events else None


def applied_events(self: DialogueStateTracker) -> List[Event]:
    state = _state(self)
    memo = self.__dict__.get(_MEMO)
    if memo is None or memo[0] != state:
        memo = (state, _STOCK(self))
        self.__dict__[_MEMO] = memo
    return list(memo[1])


def install() -> None:
    """Idempotent: the stock method is replaced once."""
    if DialogueStateTracker.applied_events is _STOCK:
        DialogueStateTracker.applied_events = applied_events


__all__ = ["applied_events", "install"]
