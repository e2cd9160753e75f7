"""Intake validation: turn the contract's JSON-shaped mapping into a checked, immutable Intake.

Every problem raises IntakeError naming the offending field (dotted for nested values, e.g.
``recent_procedures[1].date``), so the CLI, the chat and a web form can all say exactly what is wrong.
``None`` (or a missing field) means "not asked yet / unknown"; an empty list means "asked, none".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Mapping

from actions.screening.vocabulary import (
    BUDGET_PREFERENCES,
    DOWNTIME_PREFERENCES,
    INTAKE_FIELDS,
    LATER_FLAGS,
    LIST_FIELDS,
    PREFERENCE_FIELDS,
    PROCEDURE_FIELDS,
    PROCEDURES,
)

MAX_AGE = 120
EARLIEST_DATE = date(1900, 1, 1)


class IntakeError(ValueError):
    """The intake is malformed; ``field`` names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class Procedure:
    type: str
    date: date | None  # None: the visitor does not know when; treated as recent


@dataclass(frozen=True)
class Preferences:
    downtime: str | None = None
    budget: str | None = None
    event_date: date | None = None


@dataclass(frozen=True)
class Intake:
    today: date
    age: int | None = None
    fitzpatrick: int | None = None
    concerns: tuple[str, ...] | None = None
    areas: tuple[str, ...] | None = None
    pregnant: bool | None = None
    breastfeeding: bool | None = None
    conditions: tuple[str, ...] | None = None
    medications: tuple[str, ...] | None = None
    isotretinoin_last_dose: date | None = None
    recent_procedures: tuple[Procedure, ...] | None = None
    symptoms: tuple[str, ...] | None = None
    preferences: Preferences | None = None
    isotretinoin_past_course: bool | None = None  # a course has ended (when: isotretinoin_last_dose)
    flare_settled: bool | None = None  # an eczema/psoriasis/dermatitis/rosacea flare has just settled
    pregnancy_or_breastfeeding_ended: bool | None = None  # recently: the re-screen after pregnancy
    severe_laxity: bool | None = None  # severe sagging with hanging skin

    def answered(self, field: str) -> bool:
        return getattr(self, field) is not None


def validate_intake(raw: Mapping[str, Any] | Intake) -> Intake:
    """Check an intake against the contract and return it as an Intake (raises IntakeError)."""
    if isinstance(raw, Intake):
        return raw
    if not isinstance(raw, Mapping):
        raise IntakeError("intake", f"must be a JSON object, got {_kind(raw)}")
    for key in raw:
        if key not in INTAKE_FIELDS:
            raise IntakeError(str(key), "unknown field")
    if raw.get("today") is None:
        raise IntakeError("today", "is required (the date the decision is computed for)")
    today = _date(raw["today"], "today")
    values: dict[str, Any] = {"today": today}
    values["age"] = _whole_number(raw.get("age"), "age", 0, MAX_AGE)
    values["fitzpatrick"] = _whole_number(raw.get("fitzpatrick"), "fitzpatrick", 1, 6)
    for field, allowed in LIST_FIELDS.items():
        values[field] = _enum_list(raw.get(field), field, allowed)
    values["pregnant"] = _bool(raw.get("pregnant"), "pregnant")
    values["breastfeeding"] = _bool(raw.get("breastfeeding"), "breastfeeding")
    values["isotretinoin_last_dose"] = _past_date(raw.get("isotretinoin_last_dose"), "isotretinoin_last_dose", today)
    values["recent_procedures"] = _procedures(raw.get("recent_procedures"), today)
    values["preferences"] = _preferences(raw.get("preferences"))
    for flag in LATER_FLAGS:
        values[flag] = _bool(raw.get(flag), flag)
    if values["isotretinoin_past_course"] is False and values["isotretinoin_last_dose"] is not None:
        raise IntakeError("isotretinoin_past_course", "is false, but isotretinoin_last_dose gives the end of a course")
    return Intake(**values)


def _kind(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "an object"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _whole_number(value: Any, field: str, low: int, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise IntakeError(field, f"must be a whole number, got {_kind(value)}")
    if not low <= value <= high:
        raise IntakeError(field, f"must be between {low} and {high}, got {value}")
    return value


def _bool(value: Any, field: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise IntakeError(field, f"must be true or false, got {_kind(value)}")


def _date(value: Any, field: str) -> date:
    if isinstance(value, datetime):
        raise IntakeError(field, "must be a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, date):
        parsed = value
    elif isinstance(value, str):
        try:
            if len(value) != 10:
                raise ValueError
            parsed = date.fromisoformat(value)
        except ValueError:
            raise IntakeError(field, f"must be a real date written YYYY-MM-DD, got {value!r}") from None
    else:
        raise IntakeError(field, f"must be a date written YYYY-MM-DD, got {_kind(value)}")
    if parsed < EARLIEST_DATE:
        raise IntakeError(field, f"{parsed.isoformat()} is not a plausible date")
    return parsed


def _past_date(value: Any, field: str, today: date) -> date | None:
    if value is None:
        return None
    parsed = _date(value, field)
    if parsed > today:
        raise IntakeError(field, f"{parsed.isoformat()} is after today ({today.isoformat()})")
    return parsed


def _enum_list(value: Any, field: str, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, (list, tuple)):
        raise IntakeError(field, f"must be a list, got {_kind(value)}")
    seen: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise IntakeError(f"{field}[{index}]", f"must be text, got {_kind(item)}")
        if item not in allowed:
            raise IntakeError(f"{field}[{index}]", f"unknown value {item!r}")
        if item not in seen:
            seen.append(item)
    return tuple(seen)


def _procedures(value: Any, today: date) -> tuple[Procedure, ...] | None:
    if value is None:
        return None
    if not isinstance(value, (list, tuple)):
        raise IntakeError("recent_procedures", f"must be a list, got {_kind(value)}")
    procedures = []
    for index, item in enumerate(value):
        where = f"recent_procedures[{index}]"
        if not isinstance(item, Mapping):
            raise IntakeError(
                where, f'must be an object like {{"type": "botox", "date": "2026-01-31"}}, got {_kind(item)}'
            )
        for key in item:
            if key not in PROCEDURE_FIELDS:
                raise IntakeError(f"{where}.{key}", "unknown field")
        kind = item.get("type")
        if not isinstance(kind, str):
            raise IntakeError(f"{where}.type", f"must be text, got {_kind(kind)}")
        if kind not in PROCEDURES:
            raise IntakeError(f"{where}.type", f"unknown value {kind!r}")
        procedures.append(Procedure(kind, _past_date(item.get("date"), f"{where}.date", today)))
    return tuple(procedures)


def _preferences(value: Any) -> Preferences | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise IntakeError("preferences", f"must be an object, got {_kind(value)}")
    for key in value:
        if key not in PREFERENCE_FIELDS:
            raise IntakeError(f"preferences.{key}", "unknown field")
    downtime, budget = value.get("downtime"), value.get("budget")
    for key, choice, allowed in (("downtime", downtime, DOWNTIME_PREFERENCES), ("budget", budget, BUDGET_PREFERENCES)):
        if choice is not None and (not isinstance(choice, str) or choice not in allowed):
            raise IntakeError(f"preferences.{key}", f"must be one of {', '.join(allowed)}, got {choice!r}")
    event = value.get("event_date")
    return Preferences(downtime, budget, _date(event, "preferences.event_date") if event is not None else None)
