"""Properties over many generated intakes: more findings never relax a decision; same input, same output."""

from __future__ import annotations

import ast
import json
import random
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from screening_support import ALL, RANK

from actions.screening import decide, default_rules
from actions.screening.vocabulary import AREAS, CONCERNS, CONDITIONS, MEDICATIONS, PROCEDURES, SYMPTOMS
from contract.statuses import NEXT_STEPS, STATUSES, TRIAGE_LEVELS

RULES = default_rules()  # loaded once; the properties are about the engine
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def intakes(draw, answered: bool = False):
    today = draw(days)
    maybe = (lambda s: s) if answered else (lambda s: st.none() | s)
    subset = lambda values: st.lists(st.sampled_from(values), unique=True, max_size=4)  # noqa: E731
    past = st.integers(min_value=0, max_value=900).map(lambda n: (today - timedelta(days=n)).isoformat())
    procedure = st.fixed_dictionaries({"type": st.sampled_from(PROCEDURES), "date": st.none() | past})
    intake = {
        "today": today.isoformat(),
        "age": draw(maybe(st.integers(min_value=0, max_value=120))),
        "fitzpatrick": draw(maybe(st.integers(min_value=1, max_value=6))),
        "concerns": draw(maybe(subset(CONCERNS))),
        "areas": draw(maybe(subset(AREAS))),
        "pregnant": draw(maybe(st.booleans())),
        "breastfeeding": draw(maybe(st.booleans())),
        "conditions": draw(maybe(subset(CONDITIONS))),
        "medications": draw(maybe(subset(MEDICATIONS))),
        "isotretinoin_last_dose": draw(st.none() | past),
        "recent_procedures": draw(maybe(st.lists(procedure, max_size=3))),
        "symptoms": draw(st.none() | subset(SYMPTOMS)),
        "preferences": draw(
            st.none()
            | st.fixed_dictionaries(
                {
                    "downtime": st.none() | st.sampled_from(["minimal", "some", "any"]),
                    "budget": st.none() | st.sampled_from(["low", "medium", "high"]),
                    "event_date": st.none() | days.map(date.isoformat),
                }
            )
        ),
    }
    return intake


def assert_not_less_restrictive(before: dict, after: dict) -> None:
    for modality in ALL:
        old, new = before["modalities"][modality], after["modalities"][modality]
        assert RANK[new["status"]] >= RANK[old["status"]], modality
        if old["status"] == new["status"] == "defer" and old["until"] is None:
            assert new["until"] is None, modality  # an open-ended deferral stays open-ended
        if old["status"] == new["status"] == "defer" and old["until"] and new["until"]:
            assert new["until"] >= old["until"], modality


@SETTINGS
@given(intakes(), st.sampled_from(CONDITIONS))
def test_adding_a_condition_never_relaxes_any_treatment(intake, condition):
    more = dict(intake, conditions=sorted(set(intake["conditions"] or []) | {condition}))
    assert_not_less_restrictive(decide(intake, rules=RULES), decide(more, rules=RULES))


@SETTINGS
@given(intakes(), st.sampled_from(MEDICATIONS))
def test_adding_a_medication_never_relaxes_any_treatment(intake, medication):
    more = dict(intake, medications=sorted(set(intake["medications"] or []) | {medication}))
    assert_not_less_restrictive(decide(intake, rules=RULES), decide(more, rules=RULES))


@SETTINGS
@given(intakes(), st.sampled_from(PROCEDURES), st.integers(min_value=0, max_value=400) | st.none())
def test_adding_a_procedure_never_relaxes_any_treatment(intake, kind, days_ago):
    today = date.fromisoformat(intake["today"])
    when = None if days_ago is None else (today - timedelta(days=days_ago)).isoformat()
    more = dict(intake, recent_procedures=list(intake["recent_procedures"] or []) + [{"type": kind, "date": when}])
    assert_not_less_restrictive(decide(intake, rules=RULES), decide(more, rules=RULES))


HARMLESS_ANSWER = {
    "age": 30,
    "pregnant": False,
    "breastfeeding": False,
    "conditions": [],
    "medications": [],
    "recent_procedures": [],
}


@SETTINGS
@given(intakes(answered=True), st.sampled_from(sorted(HARMLESS_ANSWER)))
def test_an_unanswered_safety_question_is_never_better_than_answering_no(intake, field):
    answered_no = dict(intake, **{field: HARMLESS_ANSWER[field]})
    unknown = dict(intake, **{field: None})
    before, after = decide(answered_no, rules=RULES), decide(unknown, rules=RULES)
    assert_not_less_restrictive(before, after)
    for modality in ALL:
        assert RANK[after["modalities"][modality]["status"]] >= RANK["clinician_review"]
        assert "UNKNOWN" in [r["rule"] for r in after["modalities"][modality]["reasons"]]


@SETTINGS
@given(intakes(), st.randoms(use_true_random=False))
def test_same_intake_same_decision(intake, rng: random.Random):
    first = decide(intake, rules=RULES)
    assert decide(json.loads(json.dumps(intake)), rules=RULES) == first
    shuffled = {
        key: (rng.sample(value, len(value)) if isinstance(value, list) and key != "concerns" else value)
        for key, value in reversed(list(intake.items()))
    }
    assert decide(shuffled, rules=RULES)["modalities"] == first["modalities"]
    assert json.loads(json.dumps(first)) == first


@SETTINGS
@given(intakes())
def test_every_decision_keeps_the_contract(intake):
    decision = decide(intake, rules=RULES)
    assert decision["triage"] in TRIAGE_LEVELS and decision["next_step"] in NEXT_STEPS
    for modality in ALL:
        entry = decision["modalities"][modality]
        assert entry["status"] in STATUSES
        if entry["until"] is not None:
            assert entry["status"] == "defer" and entry["until"] > intake["today"]
        assert all(set(reason) == {"rule", "text", "source"} for reason in entry["reasons"])
    for entry in decision["recommendation"]:
        assert decision["modalities"][entry["modality"]]["status"] in ("proceed", "caution")
        assert set(entry) == {"modality", "sessions", "interval_weeks", "downtime", "price", "why", "why_not"}
    if decision["triage"] in ("contact_clinic", "see_doctor", "emergency"):
        assert decision["recommendation"] == [] and decision["next_step"] == decision["triage"]
    if decision["next_step"] == "book_treatment":
        assert any(decision["modalities"][m]["status"] in ("proceed", "caution") for m in ALL)


def test_the_engine_never_reads_the_wall_clock():
    package = Path(__file__).resolve().parents[2] / "actions" / "screening"
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in {"today", "now", "utcnow", "time"}:
                owner = node.value
                assert not (isinstance(owner, ast.Name) and owner.id in {"date", "datetime", "time"}), (
                    f"{path.name}:{node.lineno}"
                )
