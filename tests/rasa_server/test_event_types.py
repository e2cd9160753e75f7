"""Event classes found by type name from a table built once give what Rasa's stock walk gives."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import Event, UserUttered, deserialise_events
from rasa.shared.utils.common import all_subclasses

import rasa_server
from rasa_server.speedups import event_types

rasa_server.install()  # installs the table

TYPE_NAMES = sorted({cls.type_name for cls in all_subclasses(Event)})


def test_the_switch_installs_the_table():
    assert Event.resolve_by_type is event_types.resolve_by_type


@pytest.mark.parametrize("type_name", TYPE_NAMES)
def test_every_event_type_resolves_to_the_stock_class(type_name):
    assert event_types.resolve_by_type(type_name) is event_types._STOCK(type_name)


def test_unknown_names_behave_as_in_rasa():
    assert event_types.resolve_by_type("topic") is None
    assert event_types.resolve_by_type("no_such_event", UserUttered) is UserUttered
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        event_types.resolve_by_type("no_such_event")


def test_stored_events_come_back_as_the_same_events():
    stored = [
        {"event": "user", "text": "does it hurt?", "parse_data": {"intent": {"name": "ask_pain"}}},
        {"event": "action", "name": "action_answer_question"},
        {"event": "slot", "name": "topic", "value": "pain"},
        {"event": "active_loop", "name": "consultation_form"},
        {"event": "session_started"},
    ]
    events = deserialise_events(stored)
    assert [event.type_name for event in events] == ["user", "action", "slot", "active_loop", "session_started"]
    assert events[0].text == "does it hurt?" and events[2].value == "pain"
