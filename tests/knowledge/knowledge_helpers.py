"""Builders for small answers.yml / clinic.yml files used by the knowledge tests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
REAL_ANSWERS = REPO / "actions" / "content" / "answers.yml"
REAL_CLINIC = REPO / "actions" / "content" / "clinic.yml"

ALL_TOPICS = [
    "what_is",
    "how_it_works",
    "concerns",
    "body_areas",
    "pain",
    "downtime",
    "risks",
    "aftercare",
    "precare",
    "sessions",
    "results_timeline",
    "results_duration",
    "price",
    "skin_type",
    "evidence",
    "comparison",
    "home_roller",
    "candidacy",
    "booking",
    "opening_hours",
    "contact",
]
ALL_MESSAGES = [
    "greet",
    "goodbye",
    "thank",
    "acknowledge",
    "bot_challenge",
    "out_of_scope",
    "clarify",
    "human_contact",
    "not_medical_advice",
    "price_unknown",
    "detail_unknown",
    "followup_unclear",
]
PRICE_UNKNOWN = "ask us about the price at your consultation"
DETAIL_UNKNOWN = "ask the front desk"


def minimal_answers() -> dict[str, Any]:
    """A valid answers document: every topic and message, no variants."""
    topics = {
        name: {"title": f"T {name}", "answer": f"Default answer for {name}.", "sources": ["S1"]} for name in ALL_TOPICS
    }
    messages = {name: f"Message {name} from {{clinic_name}}." for name in ALL_MESSAGES}
    messages["price_unknown"] = PRICE_UNKNOWN
    messages["detail_unknown"] = DETAIL_UNKNOWN
    return {"topics": topics, "messages": messages}


def write_yaml(path: Path, doc: Any) -> Path:
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def clinic_doc() -> dict[str, Any]:
    """A copy of the real clinic.yml as a dict, to be changed by a test."""
    return copy.deepcopy(yaml.safe_load(REAL_CLINIC.read_text(encoding="utf-8")))


def without_prices(doc: dict[str, Any]) -> dict[str, Any]:
    for treatment in doc["treatments"].values():
        for key in ("price", "price_from", "price_to"):
            treatment.pop(key, None)
    return doc
