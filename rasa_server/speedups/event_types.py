"""Rasa finds an event's class by its type name once, not once per event.

Rasa 3.6 turns every stored event back into an object through ``Event.resolve_by_type``, which walks
the whole tree of Event subclasses (``rasa.shared.utils.common.all_subclasses``, with an
``inspect.isabstract`` check on each) for every single event. Loading a conversation of ~270 events
from the tracker store took ~10 ms in that walk alone, and Rasa loads the conversation on every
message (make bench profiles; tracker retrieval was a fifth of a consultation turn's CPU).

This module answers from a table of the same classes in the same order, built once; a name the table
does not know (a class imported later, "topic", an unknown name) goes to the stock method, so defaults
and errors are unchanged. Installed by the Rasa server's switch (rasa_server/__init__.py).
"""

from __future__ import annotations

from typing import Dict, Optional, Type

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_STOCK = Event.resolve_by_type
_CLASSES: Dict[str, Type[Event]] = {}


def resolve_by_type(type_name: str, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    if not _CLASSES:
        for cls in all_subclasses(Event):  # the stock method's order: its first match wins
            _CLASSES.setdefault(cls.type_name, cls)
    found = _CLASSES.get(type_name)
    return found if found is not None else _STOCK(type_name, default)


def install() -> None:
    """Idempotent: the stock method is replaced once."""
    if Event.__dict__["resolve_by_type"].__func__ is _STOCK:
        Event.resolve_by_type = staticmethod(resolve_by_type)


__all__ = ["install", "resolve_by_type"]
