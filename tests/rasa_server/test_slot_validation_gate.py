"""Rasa asks the action server about volunteered facts only for messages that may carry them.

The gate (rasa_server/speedups/slot_validation_gate.py) must skip exactly the messages the action would answer with
nothing, and leave Rasa's own result unchanged when it skips.
"""

from __future__ import annotations

import asyncio
import inspect

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import rasa_server
from actions.conversation.journey import ValidateVolunteeredFacts
from contract.volunteering import CONSULTATION_FORM, may_volunteer_facts
from rasa_server.speedups import slot_validation_gate

rasa_server.install()  # installs the gate

DOMAIN = Domain.from_yaml(f"""
version: "3.1"
intents: [inform, ask_pain, affirm, start_consultation]
entities: [life_stage]
slots:
  concern:
    type: text
    mappings: [{{type: custom}}]
actions: [action_validate_slot_mappings]
forms:
  {CONSULTATION_FORM}:
    required_slots: [concern]
""")
EXTRACTED = [SlotSet("concern", "acne_scars")]


def tracker_after(text: str, intent: str, entities=(), active_loop: str | None = None) -> DialogueStateTracker:
    events = [ActiveLoop(active_loop)] if active_loop else []
    events.append(UserUttered(text, {"name": intent, "confidence": 0.9}, list(entities)))
    return DialogueStateTracker.from_events("visitor", events, slots=DOMAIN.slots)


def validate(tracker: DialogueStateTracker, monkeypatch) -> tuple[list, list[str]]:
    """What Rasa makes of the extracted slots, and which custom actions it asked the action server for."""
    asked: list[str] = []

    async def action_server(self, action_name, output_channel, nlg, tracker, domain):
        asked.append(action_name)
        return [SlotSet("answers", {"pregnant": True})]

    monkeypatch.setattr(ActionExtractSlots, "_run_custom_action", action_server)
    result = asyncio.run(
        ActionExtractSlots(None)._execute_validation_action(list(EXTRACTED), None, None, tracker, DOMAIN)
    )
    return result, asked


def test_the_switch_installs_the_gate():
    assert ActionExtractSlots._execute_validation_action is slot_validation_gate.execute_validation_action


@pytest.mark.parametrize(
    "text, intent, entities, loop",
    [
        ("does it hurt?", "ask_pain", [], None),
        ("/affirm", "affirm", [], None),
        (
            "btw im pregnant",
            "inform",
            [{"entity": "life_stage", "value": "pregnant", "start": 7, "end": 15}],
            CONSULTATION_FORM,
        ),
    ],
)
def test_messages_that_carry_no_volunteered_fact_skip_the_action_server(text, intent, entities, loop, monkeypatch):
    result, asked = validate(tracker_after(text, intent, entities, loop), monkeypatch)
    assert asked == []
    assert result == EXTRACTED


@pytest.mark.parametrize(
    "text, intent, entities",
    [
        ("btw im pregnant", "inform", [{"entity": "life_stage", "value": "pregnant", "start": 7, "end": 15}]),
        ("yes I still take it", "affirm", []),
        ('/inform{"life_stage": "pregnant"}', "inform", [{"entity": "life_stage", "value": "pregnant"}]),
    ],
)
def test_statements_outside_the_form_are_sent_to_the_action_server(text, intent, entities, monkeypatch):
    result, asked = validate(tracker_after(text, intent, entities), monkeypatch)
    assert asked == ["action_validate_slot_mappings"]
    assert SlotSet("answers", {"pregnant": True}) in result and SlotSet("concern", "acne_scars") in result


def test_the_gate_and_the_action_apply_the_same_rule():
    source = inspect.getsource(ValidateVolunteeredFacts.extract_answers)
    assert "may_volunteer_facts(" in source
    assert not may_volunteer_facts("ask_price", "how much is it?", [], None)
    assert may_volunteer_facts("dont_know", "not sure, maybe", [], None)


def test_the_action_has_no_slot_validations_the_gate_would_skip():
    validations = [name for name in dir(ValidateVolunteeredFacts) if name.startswith("validate_")]
    assert validations == [], "the gate skips turns: move these into the forms' validation, or widen the gate"
