"""Shared helpers for the screening tests: a fully answered healthy intake and small readers."""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from actions.screening import RULES_FILE, decide, load_rules

TODAY = "2026-11-20"
MN, PRP, RF = "microneedling", "microneedling_prp", "rf_microneedling"
ALL = (MN, PRP, RF)
RANK = {"proceed": 0, "caution": 1, "clinician_review": 2, "defer": 3, "exclude": 4}
REPO = Path(__file__).resolve().parents[2]


def healthy(**overrides: Any) -> dict:
    """A 30-year-old with every safety question answered 'none'; overrides replace fields."""
    intake = {
        "today": TODAY,
        "age": 30,
        "fitzpatrick": 2,
        "concerns": ["acne_scars"],
        "areas": ["face"],
        "pregnant": False,
        "breastfeeding": False,
        "conditions": [],
        "medications": [],
        "recent_procedures": [],
        "symptoms": [],
        "preferences": {"downtime": "any", "budget": "high"},
    }
    intake.update(overrides)
    return intake


def statuses(decision: dict) -> dict[str, str]:
    return {name: entry["status"] for name, entry in decision["modalities"].items()}


def untils(decision: dict) -> dict[str, str | None]:
    return {name: entry["until"] for name, entry in decision["modalities"].items()}


def rule_ids(decision: dict, modality: str) -> list[str]:
    return [reason["rule"] for reason in decision["modalities"][modality]["reasons"]]


def ranked(decision: dict) -> list[str]:
    return [item["modality"] for item in decision["recommendation"]]


def item(decision: dict, modality: str) -> dict:
    return next(entry for entry in decision["recommendation"] if entry["modality"] == modality)


@lru_cache(maxsize=1)
def _parsed_rules() -> dict:
    return yaml.load(RULES_FILE.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def rules_doc() -> dict:
    """A fresh copy of the real rules file as plain data."""
    return copy.deepcopy(_parsed_rules())


def write_rules(tmp_path: Path, mutate) -> Path:
    """A copy of the real rules file with `mutate(doc)` applied (comments are not kept)."""
    doc = rules_doc()
    mutate(doc)
    path = tmp_path / "screening_rules.yml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def rule_entry(doc: dict, rule_id: str, case: str | None = None) -> dict:
    return next(r for r in doc["rules"] if r["id"] == rule_id and r.get("case") == case)


def decide_with(intake: dict, path: Path) -> dict:
    return decide(intake, rules=load_rules(path))
