"""The action server gets the current turn's events; everything the actions read is unchanged.

rasa_server/speedups/action_call_payload.py replaces Rasa's whole-conversation payload. These tests hold it to its
claim: the payload is Rasa's own but for the events before the latest user message, every tracker read
the project's actions and rasa_sdk make answers the same from it, and no action reads further back.
"""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk import Tracker

import rasa_server
from actions.conversation import base, red_flags
from actions.conversation import turn as current_turn
from rasa_server.speedups import action_call_payload

rasa_server.install()  # installs the payload

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain.yml"))
FORMS = ("consultation_form", "booking_form", "appointment_form")


def user(text: str, intent: str, entities=(), channel: str = "rest") -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 0.93}, list(entities), input_channel=channel)


def turn(text: str, intent: str, *after, entities=(), channel: str = "rest") -> list:
    return [ActionExecuted("action_listen"), user(text, intent, entities, channel), *after]


def consultation() -> list:
    """A visitor's conversation up to the consultation's third answer, the way Rasa records one."""
    events = [ActionExecuted("action_session_start"), SessionStarted()]
    events += turn("hi", "greet", ActionExecuted("action_greet"), BotUttered("Hi, I'm the clinic's virtual assistant."))
    events += turn(
        "which treatment would suit me?",
        "start_consultation",
        ActionExecuted("action_start_consultation"),
        ActionExecuted("consultation_form"),
        ActiveLoop("consultation_form"),
        SlotSet("requested_slot", "consultation_answer"),
        SlotSet("current_question", "concern"),
        BotUttered(
            "What would you like to improve?", data={"buttons": [{"title": "Acne scars", "payload": "/inform"}]}
        ),
    )
    for number, (text, intent) in enumerate((("acne scars", "inform"), ("face", "inform"), ("/affirm", "affirm"))):
        events += turn(
            text,
            intent,
            ActionExecuted("consultation_form"),
            SlotSet("consultation_answer", text),
            SlotSet("answers", {f"q{i}": True for i in range(number + 1)}),
            SlotSet("current_question", f"q{number + 1}"),
            BotUttered(f"Question {number + 2}?"),
        )
    # a question in the middle of the form: answered, then the form asks again
    events += turn(
        "does it hurt?",
        "ask_pain",
        ActionExecuted("action_answer_question"),
        BotUttered("A little."),
        ActionExecuted("consultation_form"),
        BotUttered("Question 4?"),
        channel="webchat",
    )
    return events


def trackers() -> dict[str, DialogueStateTracker]:
    """Trackers at the moments Rasa calls the action server, in a long conversation."""
    base = consultation()
    cases = {
        "first message of the conversation": [
            ActionExecuted("action_session_start"),
            SessionStarted(),
            ActionExecuted("action_listen"),
            user("hi", "greet"),
        ],
        "no user message yet": [
            ActionExecuted("action_session_start"),
            SessionStarted(),
            SlotSet("handoff_open", False),
        ],
        "form validation with slot candidates appended": base
        + turn(
            "no, never", "deny", SlotSet("consultation_answer", "no"), SlotSet("requested_slot", "consultation_answer")
        ),
        "after the form's validation, asking the next question": base
        + turn(
            "no",
            "deny",
            ActionExecuted("consultation_form"),
            SlotSet("consultation_answer", "no"),
            SlotSet("answers", {"q0": True, "q4": False}),
        ),
        "a digression's answer, then the form again": base
        + turn(
            "how much is it",
            "ask_price",
            ActionExecuted("action_answer_question"),
            BotUttered("From £150."),
            ActionExecuted("consultation_form"),
        ),
        "booking form being activated": base
        + turn(
            '/ask_booking{"booking_choice": "microneedling"}',
            "ask_booking",
            ActionExecuted("action_start_booking"),
            SlotSet("booking_treatment", "microneedling"),
            ActionExecuted("booking_form"),
            ActiveLoop("booking_form"),
            SlotSet("requested_slot", "booking_slot"),
            entities=[{"entity": "booking_choice", "value": "microneedling"}],
        ),
        "a rewound message": base
        + turn(
            "asdfgh",
            "nlu_fallback",
            ActionExecuted("action_clarify"),
            UserUtteranceReverted(),
            ActionExecuted("consultation_form"),
        ),
        "after a restart": base
        + turn(
            "/restart",
            "restart",
            ActionExecuted("action_restart"),
            Restarted(),
            ActionExecuted("action_session_start"),
            SessionStarted(),
        ),
    }
    return {
        name: DialogueStateTracker.from_events("visitor-1", events, slots=DOMAIN.slots)
        for name, events in cases.items()
    }


TRACKERS = trackers()


def payloads(tracker: DialogueStateTracker, action: str = "validate_consultation_form") -> tuple[dict, dict]:
    remote = RemoteAction(action, None)
    return action_call_payload._STOCK(remote, tracker, DOMAIN), remote._action_call_format(tracker, DOMAIN)


def sdk_tracker(payload: dict) -> Tracker:
    return Tracker.from_dict(copy.deepcopy(payload["tracker"]))


def test_the_switch_installs_the_payload():
    assert RemoteAction._action_call_format is action_call_payload.action_call_format


def test_a_long_conversation_sends_only_its_current_turn():
    tracker = TRACKERS["form validation with slot candidates appended"]
    stock, ours = payloads(tracker)
    assert len(stock["tracker"]["events"]) > 40
    sent = ours["tracker"]["events"]
    assert [e["event"] for e in sent] == ["user", "slot", "slot"]
    assert sent == stock["tracker"]["events"][-3:]


@pytest.mark.parametrize("name", list(TRACKERS))
def test_the_payload_is_rasas_own_but_for_the_earlier_events(name):
    tracker = TRACKERS[name]
    stock, ours = payloads(tracker)
    stock_events, our_events = stock["tracker"].pop("events"), ours["tracker"].pop("events")
    assert ours == stock
    assert our_events == stock_events[len(stock_events) - len(our_events) :]
    if any(e["event"] == "user" for e in stock_events):
        assert our_events[0]["event"] == "user"
        assert not any(e["event"] == "user" for e in our_events[1:])
    else:
        assert our_events == stock_events


@pytest.mark.parametrize("name", list(TRACKERS))
def test_every_tracker_read_of_the_actions_answers_the_same(name):
    stock, ours = (sdk_tracker(p) for p in payloads(TRACKERS[name]))

    def reads(t: Tracker) -> dict:
        return {
            "slots": t.current_slot_values(),
            "latest_message": t.latest_message,
            "active_loop": t.active_loop,
            "latest_action_name": t.latest_action_name,
            "paused": t.is_paused(),
            "followup": t.followup_action,
            "input_channel": t.get_latest_input_channel(),
            "slots_to_validate": t.slots_to_validate(),
            "intent": t.get_intent_of_latest_message(),
            "since_user": current_turn.events_since_user(t),
            "triaged_this_turn": red_flags.triaged_this_turn(t),
            **{f"activating {form}": base.activating(t, form) for form in FORMS},
            **{f"answered_now {form}": base.answered_now(t, form) for form in FORMS},
        }

    assert reads(ours) == reads(stock)


def test_the_payload_is_still_what_rasa_sends_when_the_domain_is_needed():
    stock, ours = payloads(TRACKERS["booking form being activated"], "action_ask_booking_slot")
    assert ("domain" in ours) == ("domain" in stock)
    if "domain" in stock:
        assert ours["domain"] == stock["domain"]


# Tracker methods that read events of earlier turns. An action that needs one of them needs the stock
# payload: take action_call_payload out of rasa_server.speedups.SPEEDUPS, or carry the fact in a slot.
EARLIER_TURN_READS = {
    "events",
    "applied_events",
    "get_last_event_for",
    "last_executed_action_has",
    "events_after_latest_restart",
    "idx_after_latest_restart",
}
# Functions allowed to read tracker.events: each reads the current turn only (from the end back to the
# latest user event).
CURRENT_TURN_READERS = {("actions/conversation/turn.py", "events_since_user")}


def event_reads(path: Path) -> list[tuple[str, int]]:
    """(enclosing function, line) of every `tracker.<earlier-turn read>` in a source file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if (
                isinstance(child, ast.Attribute)
                and child.attr in EARLIER_TURN_READS
                and isinstance(child.value, ast.Name)
                and child.value.id == "tracker"
            ):
                found.append((function, child.lineno))
            visit(child, name)

    visit(tree, "<module>")
    return found


def test_the_guard_finds_a_read_of_earlier_turns(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def last_bot_message(tracker):\n    return [e for e in tracker.applied_events() if e['event'] == 'bot'][-1]\n"
    )
    assert event_reads(sample) == [("last_bot_message", 2)]


def test_no_action_reads_events_of_earlier_turns():
    offending = []
    for path in sorted((ROOT / "actions").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        offending += [
            (relative, function, line)
            for function, line in event_reads(path)
            if (relative, function) not in CURRENT_TURN_READERS
        ]
    assert offending == [], (
        "these read events the action server no longer receives (see rasa_server/speedups/action_call_payload.py)"
    )
    for relative, function in CURRENT_TURN_READERS:
        assert event_reads(ROOT / relative), (
            f"{relative}:{function} no longer reads events: update CURRENT_TURN_READERS"
        )
