"""The rules file is checked against the rows of docs/clinical-kb.md, read from the document: a row added
there must get a rule, and a rule may only cite a row the knowledge base has."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.content import ContentError
from actions.screening.knowledge_base import KB_FILE, knowledge_base_rows
from actions.screening.rules import RULES_FILE, load_rules


def kb_copy(tmp_path: Path, edit) -> Path:
    copy = tmp_path / "clinical-kb.md"
    copy.write_text(edit(KB_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    return copy


def test_the_rows_come_from_the_document_with_their_titles():
    rows = knowledge_base_rows()
    assert list(rows.rules) == [f"X{n:02d}" for n in range(1, 40)]
    assert list(rows.concerns) == [f"C{n}" for n in range(1, 14)]
    assert rows.rules["X21"].lower().startswith("isotretinoin")
    assert "Stretch marks" in rows.concerns["C9"]


def test_a_row_added_to_the_knowledge_base_makes_the_rules_file_incomplete(tmp_path):
    def add_row(text: str) -> str:
        anchor = next(line for line in text.splitlines() if line.startswith("| X39 |"))
        return text.replace(
            anchor, anchor + "\n| X40 | Gold thread implants in the area | CLINICIAN REVIEW | - | - | x | S1 |", 1
        )

    kb = kb_copy(tmp_path, add_row)
    with pytest.raises(
        ContentError, match=r"rules: missing clinical-kb rows: X40 \(Gold thread implants in the area\)"
    ):
        load_rules(RULES_FILE, knowledge_base=kb)


def test_a_rule_citing_a_row_the_knowledge_base_lacks_is_refused(tmp_path):
    def drop_x05(text: str) -> str:
        return "\n".join(line for line in text.splitlines() if not line.startswith("| X05 |"))

    kb = kb_copy(tmp_path, drop_x05)
    with pytest.raises(ContentError, match=r"'X05' is not a row of the clinical knowledge base"):
        load_rules(RULES_FILE, knowledge_base=kb)


def test_a_concern_row_added_to_the_knowledge_base_needs_a_concern_row_in_the_rules(tmp_path):
    def add_concern(text: str) -> str:
        anchor = next(line for line in text.splitlines() if line.startswith("| **C13** |"))
        return text.replace(anchor, anchor + "\n| **C14** | Rosacea redness | C | - | - | x | S1 |", 1)

    kb = kb_copy(tmp_path, add_concern)
    with pytest.raises(ContentError, match=r"concerns: missing clinical-kb rows: C14 \(Rosacea redness\)"):
        load_rules(RULES_FILE, knowledge_base=kb)


def test_without_the_knowledge_base_the_rules_cannot_be_checked(tmp_path):
    with pytest.raises(ContentError, match="clinical knowledge base is missing"):
        load_rules(RULES_FILE, knowledge_base=tmp_path / "absent.md")
