"""Preferences from free text: downtime, budget and an event date ("no downtime please", "budget is
tight", "wedding on 12 december")."""

from __future__ import annotations

import re
from datetime import date

from actions.intake_answers.dates import find_dates
from actions.intake_answers.fact import Fact
from actions.intake_answers.text import normalise
from actions.lang import lexicon

_LEXICON = lexicon.preferences
EVENT_WORDS = _LEXICON.EVENT_WORDS


def _match(pattern: str, text: str) -> bool:
    return re.search(rf"\b(?:{pattern})\b", text) is not None


def downtime_preference(text: str) -> str | None:
    """ "no downtime", "can't have redness" -> minimal; "a few days is fine" -> some; "don't mind" -> any."""
    lowered = normalise(text)
    # "some" first: "don't mind a bit of redness" is some, not any.
    for choice, pattern in (
        ("some", _LEXICON.DOWNTIME_SOME),
        ("any", _LEXICON.DOWNTIME_ANY),
        ("minimal", _LEXICON.DOWNTIME_MINIMAL),
    ):
        if _match(pattern, lowered):
            return choice
    return None


def budget_preference(text: str) -> str | None:
    """ "cheapest", "tight budget" -> low; "mid range" -> medium; "money no object" -> high."""
    lowered = normalise(text)
    for choice, pattern in (
        ("high", _LEXICON.BUDGET_HIGH),
        ("medium", _LEXICON.BUDGET_MEDIUM),
        ("low", _LEXICON.BUDGET_LOW),
    ):
        if _match(pattern, lowered):
            return choice
    return None


def bare_choice(kind: str, text: str) -> str | None:
    """A one-word answer to a direct "how much downtime?" / "what budget?" question ("mid", "low")."""
    lowered = normalise(text).strip(" .!")
    for choice, pattern in _LEXICON.BARE_CHOICES[kind].items():
        if re.fullmatch(rf"(?:{pattern})(?:\s+(?:{_LEXICON.AFTER_BARE_CHOICE}))?", lowered):
            return choice
    return None


def event_date(text: str, today: date) -> tuple[bool, date | None]:
    """(an event was mentioned, its date): "wedding on 12 december", "a party in 3 weeks"."""
    lowered = normalise(text)
    events = [m for m in re.finditer(rf"\b(?:{EVENT_WORDS})\b", lowered)]
    if not events:
        return False, None
    dates = find_dates(text, today, "future")
    if not dates:
        return True, None
    event_start, event_end = events[0].span()
    nearest = min(dates, key=lambda m: m.start - event_end if m.start >= event_end else 2 * (event_start - m.end))
    return True, nearest.date


def preference_facts(text: str, today: date, question: str | None) -> list[Fact]:
    """Preference facts in ``text``: one per preference found (each a partial preferences dict)."""
    facts = []
    downtime = downtime_preference(text)
    if downtime:
        facts.append(Fact("preferences", {"downtime": downtime}, question))
    budget = budget_preference(text)
    if budget:
        facts.append(Fact("preferences", {"budget": budget}, question))
    mentioned, when = event_date(text, today)
    if when is not None:
        facts.append(Fact("preferences", {"event_date": when}, question))
    elif mentioned and re.search(rf"\b(?:{_LEXICON.OWN_EVENT})\b", normalise(text)):
        facts.append(Fact("preferences", {}, question, needs="event_date"))
    return facts
