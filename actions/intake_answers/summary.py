"""A short plain-language summary of the visitor's answers, for the clinician who reviews them."""

from __future__ import annotations

from datetime import date
from typing import Any

from actions.lang import lexicon
from actions.screening import Rules

_LEXICON = lexicon.summary


def label(value: str) -> str:
    return _LEXICON.VALUE_LABELS.get(value, value.replace("_", " "))


def question_label(question_id: str) -> str:
    return _LEXICON.QUESTION_LABELS.get(question_id, question_id.split(".")[-1].replace("_", " "))


def _day(value: date | None) -> str:
    return value.strftime(_LEXICON.DATE_FORMAT).lstrip("0") if value else _LEXICON.DATE_NOT_GIVEN


def _join(items: list[str]) -> str:
    return _LEXICON.LIST_SEPARATOR.join(items)


def summary_lines(answers: Any, rules: Rules) -> list[str]:
    """What the visitor said yes to, the dates they gave, what they were unsure about and what they
    said no to, one short line each; nothing about questions not reached."""
    lines: list[str] = []
    if answers.age is not None:
        lines.append(_LEXICON.AGE_LINE.format(age=answers.age))
    if answers.fitzpatrick is not None:
        lines.append(_LEXICON.SKIN_TYPE_LINE.format(skin_type=answers.fitzpatrick))
    if answers.concerns:
        lines.append(_LEXICON.CONCERNS_LINE.format(concerns=_join([label(v) for v in answers.concerns])))
    if answers.areas:
        lines.append(_LEXICON.AREAS_LINE.format(areas=_join([label(v) for v in answers.areas])))
    for name, line in _LEXICON.YES_LINES.items():
        if answers.state(name) == "yes":
            lines.append(line)
    for name, line in _LEXICON.FLAG_LINES.items():
        if answers.flags.get(name):
            lines.append(line)
    yes_values = [
        label(v)
        for q in rules.questions
        if q.values is not None and q.id in answers.questions
        for v in answers.questions[q.id].values
    ]
    if yes_values:
        lines.append(_LEXICON.SAID_YES_LINE.format(values=_join(yes_values)))
    if answers.isotretinoin_last_dose is not None:
        lines.append(_LEXICON.LAST_DOSE_LINE.format(day=_day(answers.isotretinoin_last_dose)))
    elif answers.awaiting == "isotretinoin_last_dose":
        lines.append(_LEXICON.LAST_DOSE_MISSING_LINE)
    if answers.recent_procedures:
        items = [
            _LEXICON.PROCEDURE_ITEM.format(procedure=label(item["type"]), day=_day(item["date"]))
            for item in answers.recent_procedures
        ]
        lines.append(_LEXICON.PROCEDURES_LINE.format(procedures=_join(items)))
    if answers.symptoms:
        lines.append(_LEXICON.SYMPTOMS_LINE.format(symptoms=_join([label(v) for v in answers.symptoms])))
    if answers.preferences:
        preferences = answers.preferences
        parts = [
            _LEXICON.DOWNTIME_ITEM.format(downtime=preferences["downtime"]) if preferences.get("downtime") else "",
            _LEXICON.BUDGET_ITEM.format(budget=preferences["budget"]) if preferences.get("budget") else "",
            _LEXICON.EVENT_ITEM.format(day=_day(preferences["event_date"])) if preferences.get("event_date") else "",
        ]
        if any(parts):
            lines.append(_LEXICON.PREFERENCES_LINE.format(preferences=_join([part for part in parts if part])))
    unsure = [question_label(q.id) for q in rules.questions if answers.state(q.id) == "unknown"]
    if unsure:
        lines.append(_LEXICON.UNSURE_LINE.format(questions=_join(unsure)))
    denied = [question_label(q.id) for q in rules.questions if answers.state(q.id) == "no"]
    if denied:
        lines.append(_LEXICON.SAID_NO_LINE.format(questions=_join(denied)))
    return lines
