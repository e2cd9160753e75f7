"""What the production tests' visitors type for the classifier to read is what the model was trained on.

Those tests measure the servers (load, faults, concurrency, data protection). A sentence the model never
saw may be read differently by a model trained on another machine, and then a load test fails for a
reason that has nothing to do with the servers (issue 14). Names, phone numbers and ages are read from
the words themselves (actions.intake_answers.replies), so any recognisable ones do."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from journeys import FAQ_QUESTIONS, Persona

ROOT = Path(__file__).resolve().parents[2]
# Typed, outside FAQ_QUESTIONS: the request to book, an area typed again after a fault, deleting data.
OTHER_TYPED = {
    "i'd like to book microneedling": "ask_booking",
    "just my face": "inform",
    "delete my data": "delete_data",
    "yes": "affirm",
}


def training_examples() -> dict[str, str]:
    examples: dict[str, str] = {}
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if "intent" not in item:
                continue
            for line in str(item.get("examples") or "").splitlines():
                text = line.strip()
                if text.startswith("- "):
                    examples[text[2:].strip()] = item["intent"]
    return examples


@pytest.mark.parametrize("question", FAQ_QUESTIONS)
def test_every_question_of_the_load_is_a_training_example_of_a_question(question):
    assert training_examples().get(question, "").startswith("ask_"), question


@pytest.mark.parametrize("text, intent", sorted(OTHER_TYPED.items()))
def test_every_other_text_the_visitors_type_is_a_training_example(text, intent):
    assert training_examples().get(text) == intent
    if text == "i'd like to book microneedling":
        assert Persona(0, "run").booking_request == text
