"""docs/intake-contract.md says what the engine accepts: its field list and closed vocabularies are the
engine's own (actions/screening/vocabulary.py), so the document a clinic's web form is built from
cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from actions.screening import vocabulary

DOC = (Path(__file__).resolve().parents[2] / "docs" / "intake-contract.md").read_text(encoding="utf-8")


def listed(name: str) -> set[str]:
    """The backquoted values of the paragraph that starts with ``name:``."""
    match = re.search(rf"^{name}: (.+?)(?:\n\n|\Z)", DOC, re.MULTILINE | re.DOTALL)
    assert match, f"docs/intake-contract.md has no '{name}:' list"
    return set(re.findall(r"`([a-z_0-9]+)`", match.group(1)))


@pytest.mark.parametrize(
    "name, values",
    [
        ("concern", vocabulary.CONCERNS),
        ("condition", vocabulary.CONDITIONS),
        ("medication", vocabulary.MEDICATIONS),
        ("procedure", vocabulary.PROCEDURES),
        ("symptom", vocabulary.SYMPTOMS),
    ],
)
def test_each_vocabulary_of_the_document_is_the_engines(name, values):
    assert listed(name) == set(values)


def test_the_intake_fields_of_the_document_are_the_engines():
    table = re.findall(r"^\| `([a-z_]+)` \|", DOC, re.MULTILINE)
    assert table == list(vocabulary.INTAKE_FIELDS)


def test_the_areas_of_the_document_are_the_engines():
    row = next(line for line in DOC.splitlines() if line.startswith("| `areas` |"))
    assert set(re.findall(r"`([a-z_]+)`", row)) - {"areas"} == set(vocabulary.AREAS)
