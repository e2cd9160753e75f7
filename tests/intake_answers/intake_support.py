"""Helpers for the intake_answers tests: entities as the NLU gives them, and fixed days."""

from __future__ import annotations

from datetime import date

# A Friday; relative phrases in the tests are worked out by hand from it.
TODAY = date(2026, 11, 20)
# Early in the year: month names later than February mean last year for past dates.
FEBRUARY = date(2026, 2, 10)


def entity(text: str, label: str, value: str, phrase: str | None = None, occurrence: int = 0) -> dict:
    """The NLU's entity for ``phrase`` (default: ``value``) as it appears in ``text``."""
    phrase = phrase or value
    lowered, start = text.lower(), -1
    for _ in range(occurrence + 1):
        start = lowered.index(phrase.lower(), start + 1)
    return {"entity": label, "value": value, "start": start, "end": start + len(phrase)}


def entities(text: str, *specs: tuple) -> list[dict]:
    """entities("had botox", ("procedure", "botox")) -> the list of entity dicts."""
    return [entity(text, *spec) for spec in specs]
