"""Trigger kinds live in one registry (actions/screening/triggers.py): the loader, the engine and the
question planner all go through it, so a new kind is one registration and no other code."""

from __future__ import annotations

import pytest
from screening_support import healthy, rule_ids

from actions.content import ContentError
from actions.screening import decide
from actions.screening.rules import RULES_FILE, load_rules
from actions.screening.triggers import CONCERN_ROWS, RED_FLAGS, RULES, TRIGGERS, TriggerKind, keys_for


def test_each_part_of_the_file_allows_the_kinds_registered_for_it():
    assert keys_for(RED_FLAGS) == {"symptoms", "symptoms_all"}
    assert keys_for(CONCERN_ROWS) == {"concerns", "areas", "concerns_all"}
    assert {"conditions", "medications", "pregnant", "age_below", "recent_procedures"} <= keys_for(RULES)
    assert "symptoms" not in keys_for(RULES)


def test_every_registered_kind_is_used_by_the_shipped_rules():
    text = RULES_FILE.read_text(encoding="utf-8").split("\nrules:", 1)[1]
    unused = [key for key in TRIGGERS if f"{key}:" not in text]
    assert unused == []


def test_a_kind_registered_once_is_read_checked_applied_and_planned(tmp_path, monkeypatch):
    kind = TriggerKind(
        key="fitzpatrick_below",
        field="fitzpatrick",
        read=lambda reader, value, where: reader.whole(value, where),
        holds=lambda bound, intake: intake.fitzpatrick is not None and intake.fitzpatrick < bound,
        used_in=frozenset({RULES}),
    )
    monkeypatch.setitem(TRIGGERS, kind.key, kind)
    rules_copy = tmp_path / "screening_rules.yml"
    original = RULES_FILE.read_text(encoding="utf-8")
    assert "    when: {fitzpatrick_from: 4}\n" in original
    rules_copy.write_text(original.replace("    when: {fitzpatrick_from: 4}\n", "    when: {fitzpatrick_below: 3}\n"))
    rules = load_rules(rules_copy)

    def x35_applies(fitzpatrick: int) -> bool:
        return "X35" in rule_ids(decide(healthy(fitzpatrick=fitzpatrick), rules=rules), "microneedling")

    assert x35_applies(2) and not x35_applies(5)
    x35 = next(rule for rule in rules.rules if rule.id == "X35")
    assert x35.when is not None and ("fitzpatrick", None) in x35.when.mentions()

    rules_copy.write_text(
        original.replace("    when: {fitzpatrick_from: 4}\n", "    when: {fitzpatrick_below: four}\n")
    )
    with pytest.raises(ContentError, match=r"fitzpatrick_below: must be a whole number"):
        load_rules(rules_copy)


def test_an_unregistered_kind_is_refused_naming_its_key(tmp_path):
    rules_copy = tmp_path / "screening_rules.yml"
    original = RULES_FILE.read_text(encoding="utf-8")
    rules_copy.write_text(original.replace("    when: {fitzpatrick_from: 4}\n", "    when: {fitzpatrick_below: 3}\n"))
    with pytest.raises(ContentError, match=r"when\.fitzpatrick_below: unknown key"):
        load_rules(rules_copy)
