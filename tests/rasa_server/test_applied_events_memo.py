"""The applied events kept on a conversation are the stock ones, for every state of the conversation."""

from __future__ import annotations

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    Restarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

import rasa_server
from rasa_server.speedups import applied_events_memo

rasa_server.install()  # installs the memo

FORM = "consultation_form"


def user(text: str, intent: str = "inform") -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 0.9})


def consultation() -> list:
    """A form of several steps, a question in the middle (rejected form), a revert and a restart."""
    events = [
        ActionExecuted("action_listen"),
        user("which treatment suits me?", "start_consultation"),
        ActionExecuted(FORM),
        ActiveLoop(FORM),
        SlotSet("requested_slot", "consultation_answer"),
        BotUttered("What would you like to improve?"),
        ActionExecuted("action_listen"),
    ]
    for step in range(6):
        events += [
            user(f"answer {step}"),
            ActionExecuted(FORM),
            SlotSet("current_question", f"q{step}"),
            BotUttered(f"question {step}?"),
            ActionExecuted("action_listen"),
        ]
    events += [
        user("does it hurt?", "ask_pain"),
        ActionExecutionRejected(FORM),
        ActionExecuted("action_answer_question"),
        BotUttered("A little."),
        ActionExecuted(FORM),
        ActionExecuted("action_listen"),
        user("oops"),
        ActionExecuted("action_clarify"),
        UserUtteranceReverted(),
        ActionExecuted("action_answer_question"),
        ActionReverted(),
        user("no"),
        ActionExecuted(FORM),
        ActiveLoop(None),
        ActionExecuted("action_show_decision"),
        ActionExecuted("action_listen"),
        Restarted(),
        ActionExecuted("action_listen"),
        user("hi", "greet"),
    ]
    return events


def stock(tracker: DialogueStateTracker) -> list:
    return applied_events_memo._STOCK(tracker)


def test_the_switch_installs_the_memo():
    assert DialogueStateTracker.applied_events is applied_events_memo.applied_events


def test_every_state_of_a_conversation_gives_the_stock_applied_events():
    domain = Domain.empty()
    tracker = DialogueStateTracker("visitor", domain.slots)
    for event in consultation():
        tracker.update(event)
        assert tracker.applied_events() == stock(tracker)
        assert tracker.applied_events() == stock(tracker)  # answered from the memo


def test_callers_get_their_own_list():
    tracker = DialogueStateTracker.from_events("visitor", consultation()[:20])
    first = tracker.applied_events()
    first.clear()
    assert tracker.applied_events() == stock(tracker) != []


def test_a_bounded_history_that_drops_its_oldest_event_is_worked_out_again():
    tracker = DialogueStateTracker("visitor", [], max_event_history=5)
    for event in consultation()[:12]:
        tracker.update(event)
        assert len(tracker.events) <= 5
        assert tracker.applied_events() == stock(tracker)


def test_two_forms_and_a_form_first_named_late_give_the_stock_events():
    events = consultation()[:12] + [
        ActionExecuted("booking_form"),
        user("tuesday"),
        ActionExecuted("booking_form"),
        ActiveLoop("booking_form"),
        ActionExecuted("booking_form"),
        ActionExecuted("action_listen"),
        user("3pm"),
        ActionExecuted("booking_form"),
    ]
    tracker = DialogueStateTracker("visitor", [])
    for event in events:
        tracker.update(event)
        assert tracker.applied_events() == stock(tracker)


def test_added_events_are_carried_forward_without_a_new_pass_over_the_conversation(monkeypatch):
    passes = []
    original = applied_events_memo._STOCK
    monkeypatch.setattr(applied_events_memo, "_STOCK", lambda tracker: passes.append(1) or original(tracker))
    events = consultation()
    tracker = DialogueStateTracker.from_events("visitor", events[:10])
    tracker.applied_events()
    for event in events[10:]:
        tracker.update(event)
        tracker.applied_events()
    assert len(passes) == 1, "the form was named before; nothing after it needs a whole new pass"
