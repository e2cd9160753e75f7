"""The rows of the clinical knowledge base the rules file must implement, read from the knowledge base.

docs/clinical-kb.md is where a contraindication row (X01, X02, ...) or a concern row (C1, C2, ...) is
described, with its sources. The rules loader reads the row ids from that document, so a row added
there makes screening_rules.yml incomplete (and refused, naming the row) until a rule implements it,
and a rule may only cite a row the knowledge base has. No list of ids is kept in code.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from actions.content import ContentError

KB_FILE = Path(__file__).resolve().parents[2] / "docs" / "clinical-kb.md"

# A table row whose first cell is the row's id: "| X01 | Active skin infection ... |", "| **C1** | ... |".
_RULE_ROW = re.compile(r"^\|\s*(X\d{2})\s*\|\s*([^|]*?)\s*\|", re.M)
_CONCERN_ROW = re.compile(r"^\|\s*\*\*(C\d+)\*\*\s*\|\s*([^|]*?)\s*\|", re.M)


@dataclass(frozen=True)
class KnowledgeBaseRows:
    rules: Mapping[str, str]  # X-row id -> its title, in the document's order
    concerns: Mapping[str, str]  # C-row id -> its title


def _rows(pattern: re.Pattern[str], text: str, path: Path, kind: str) -> dict[str, str]:
    rows: dict[str, str] = {}
    for row_id, title in pattern.findall(text):
        if row_id in rows:
            raise ContentError(path, row_id, f"the {kind} row appears twice")
        rows[row_id] = title.replace("**", "")
    if not rows:
        raise ContentError(path, "", f"no {kind} rows found (| X01 | ... | or | **C1** | ... |)")
    return rows


@functools.lru_cache(maxsize=4)
def _read(path: Path, stamp: int) -> KnowledgeBaseRows:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise ContentError(
            path, "", "the clinical knowledge base is missing: screening rules cannot be checked"
        ) from None
    return KnowledgeBaseRows(_rows(_RULE_ROW, text, path, "rule"), _rows(_CONCERN_ROW, text, path, "concern"))


def knowledge_base_rows(path: Path | None = None) -> KnowledgeBaseRows:
    path = path or KB_FILE
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _read(path, stamp)


__all__ = ["KB_FILE", "KnowledgeBaseRows", "knowledge_base_rows"]
