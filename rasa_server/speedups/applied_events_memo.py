"""A conversation's applied events worked out once, then carried forward as events are added.

``DialogueStateTracker.applied_events`` (the events minus reverted ones, and minus the inner turns of
each form run) walks the whole conversation, and for every form step walks back through it again:
quadratic in a consultation of 27 questions. Rasa 3.6 calls it from ``past_states`` for each policy
(memoization, rules, TED) at every prediction, and a form turn predicts three or four actions; in
`make bench`'s profiles of consultation turns it was ~18 % of the Rasa server's CPU.

The stock method is one pass over the events that keeps a list of applied events, given the names of
the conversation's forms (``loop_names``). So the list is kept on the tracker with the events it was
worked out from; when events have only been added since, and they name no new form, the pass goes on
from where it stopped (the same step as Rasa's, below). Anything else (another events container, a
bounded history that dropped old events, a new form) is worked out afresh by the stock method. Callers
get a new list each time, as from the stock method. Installed by the Rasa server's switch
(rasa_server/__init__.py); tests/rasa_server/test_applied_events_memo.py compares every state of a
conversation with the stock method.
"""

from __future__ import annotations

from itertools import islice
from typing import Any, List, NamedTuple, Optional

from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

_STOCK = DialogueStateTracker.applied_events
_MEMO = "_clinic_applied_events"


class _Memo(NamedTuple):
    container: int  # id() of the tracker's events deque
    length: int  # len() of the events deque
    last: Optional[Event]
    loop_names: frozenset
    applied: List[Event]


def _loop_names(events: Any) -> frozenset:
    return frozenset(event.name for event in events if isinstance(event, ActiveLoop) and event.name)


def _apply(tracker: DialogueStateTracker, event: Event, applied: List[Event], loop_names: frozenset) -> List[Event]:
    """One step of the stock method's pass (rasa/shared/core/trackers.py, applied_events)."""
    if isinstance(event, (Restarted, SessionStarted)):
        return []
    if isinstance(event, ActionReverted):
        tracker._undo_till_previous(ActionExecuted, applied)
    elif isinstance(event, UserUtteranceReverted):
        tracker._undo_till_previous(UserUttered, applied)
        tracker._undo_till_previous(ActionExecuted, applied)
    elif (
        isinstance(event, ActionExecuted)
        and event.action_name in loop_names
        and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
    ):
        tracker._undo_till_previous_loop_execution(event.action_name, applied)
    else:
        applied.append(event)
    return applied


def _carried_forward(tracker: DialogueStateTracker, memo: _Memo) -> Optional[_Memo]:
    events = tracker.events
    if memo.container != id(events) or len(events) < memo.length:
        return None
    if memo.length and events[memo.length - 1] is not memo.last:
        return None
    added = list(islice(events, memo.length, None))  # only the new events, not a copy of them all
    if not _loop_names(added) <= memo.loop_names:
        return None
    applied = list(memo.applied)
    for event in added:
        applied = _apply(tracker, event, applied, memo.loop_names)
    return _Memo(id(events), len(events), events[-1] if events else None, memo.loop_names, applied)


def applied_events(self: DialogueStateTracker) -> List[Event]:
    events = self.events
    memo: Optional[_Memo] = self.__dict__.get(_MEMO)
    if (
        memo is not None
        and memo.container == id(events)
        and memo.length == len(events)
        and (not events or events[-1] is memo.last)
    ):
        return list(memo.applied)
    carried = _carried_forward(self, memo) if memo is not None else None
    if carried is None:
        carried = _Memo(id(events), len(events), events[-1] if events else None, _loop_names(events), _STOCK(self))
    self.__dict__[_MEMO] = carried
    return list(carried.applied)


def install() -> None:
    """Idempotent: the stock method is replaced once."""
    if DialogueStateTracker.applied_events is _STOCK:
        DialogueStateTracker.applied_events = applied_events


__all__ = ["applied_events", "install"]
