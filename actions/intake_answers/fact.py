"""Fact: one thing a visitor told us, ready for the intake (see facts.py for how they are found)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

YES, NO, UNKNOWN = "yes", "no", "unknown"


@dataclass(frozen=True)
class Fact:
    """One thing the visitor told us.

    ``field``: the intake field (``conditions``, ``pregnant``, ``isotretinoin_last_dose``,
    ``recent_procedures``, ``preferences``, ``age``...). ``value``: the contract value (an enum value,
    True/False, an int, a date, ``{"type", "date"}`` for a procedure, a partial preferences dict) or
    None when it is still missing. ``question``: the screening question id it answers (None for
    symptoms). ``answer``: "yes", "no" or "unknown" about that value. ``needs``: a detail still to ask
    ("isotretinoin_last_dose" when a finished course has no date yet, "event_date").
    """

    field: str
    value: Any
    question: str | None
    answer: str = YES
    needs: str | None = None

    def as_json(self) -> dict:
        value = self.value
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Mapping):
            value = {k: v.isoformat() if isinstance(v, date) else v for k, v in value.items()}
        return {
            "field": self.field,
            "value": value,
            "question": self.question,
            "answer": self.answer,
            "needs": self.needs,
        }
