"""Age and skin type (Fitzpatrick phototype) from what a visitor types."""

from __future__ import annotations

import re

from actions.intake_answers.text import NUMBER_WORDS_PATTERN, normalise, words_to_number
from actions.lang import lexicon

MIN_AGE, MAX_AGE = 1, 120

_NUMBER = rf"(?P<number>\d{{1,3}}|{NUMBER_WORDS_PATTERN})"
_LEXICON = lexicon.numbers
# Units that make a number something other than an age ("34 weeks pregnant", "2 months", "75mg").
_NOT_YEARS = rf"(?!\s*(?:-\s*)?(?:{_LEXICON.NOT_AGE_UNITS}))"
_YEARS_OLD = _LEXICON.YEARS_OLD_PATTERN
# "im 34", "i am thirty four", "aged 34", "age: 34", "i'm 34 years old"; "turning 34",
# "34 next month" and "nearly 34" mean the visitor is 33 today.
_CUED_AGE = re.compile(
    rf"\b(?P<cue>{_LEXICON.AGE_CUES})\s+(?:{_LEXICON.AGE_CUE_FILLERS})?"
    rf"{_NUMBER}\b{_NOT_YEARS}(?P<years>{_YEARS_OLD})?"
    rf"(?P<soon>{_LEXICON.AGE_REACHED_SOON_PATTERN})?"
)
_YEARS_OLD_AGE = re.compile(rf"\b{_NUMBER}(?P<years>{_YEARS_OLD})")


def _number(raw: str) -> int | None:
    raw = raw.strip()
    return int(raw) if raw.isdigit() else words_to_number(raw)


def _plausible(age: int | None) -> int | None:
    return age if age is not None and MIN_AGE <= age <= MAX_AGE else None


def find_age(text: str) -> int | None:
    """An age stated explicitly ("i'm 34", "34 years old", "aged thirty four"), for volunteered facts.

    A bare number is not taken here (it could be a time or a price); ``parse_age`` takes it as the
    answer to the age question. "turning 18", "18 next month" and "nearly 18" give 17: the age today.
    """
    lowered = normalise(text)
    for match in _CUED_AGE.finditer(lowered):
        age = _number(match["number"])
        if age is None:
            continue
        cue = " ".join(match["cue"].split())
        if cue not in _LEXICON.AGE_REACHED_CUES and (match["soon"] or cue in _LEXICON.AGE_NOT_REACHED_CUES):
            age -= 1
        return _plausible(age)
    years_old = _YEARS_OLD_AGE.search(lowered)
    return _plausible(_number(years_old["number"])) if years_old else None


def parse_age(text: str) -> int | None:
    """The visitor's age today from an answer to "how old are you?" ("34", "i'm 34", "34 years old",
    "thirty four", "im 34 next month" -> 33), or None. Implausible ages (below 1, above 120) give None;
    a minor's age is returned as it is (the screening rules decide what 17 means).

    "34 next month" / "turning 34" / "nearly 34" give 33, because the rules' thresholds (18, 22) are
    about the age today: "18 next month" is a 17-year-old.
    """
    explicit = find_age(text)
    if explicit is not None:
        return explicit
    lowered = normalise(text).strip(" .!?")
    bare = re.fullmatch(
        rf"(?:{_LEXICON.APPROXIMATELY})?{_NUMBER}(?:\s*(?:{_LEXICON.YEARS}))?(?P<soon>{_LEXICON.BARE_AGE_REACHED_SOON_PATTERN})?",
        lowered,
    )
    if bare:
        age = _number(bare["number"])
        if age is not None and bare["soon"]:
            age -= 1
        return _plausible(age)
    numbers = re.findall(r"\b\d{1,3}\b", lowered)
    if len(numbers) == 1 and re.search(rf"\b(?:{_LEXICON.AGE_WORDS})\b", lowered):
        return _plausible(int(numbers[0]))
    return None


# --------------------------------------------------------------------------------------------------
# Fitzpatrick phototype

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}
# Descriptions, most specific first: "always burn never tan" must not read as "never ... burn".
_FITZPATRICK_DESCRIPTIONS = _LEXICON.SKIN_TYPE_DESCRIPTIONS


def parse_fitzpatrick(text: str) -> int | None:
    """Skin phototype 1-6 from a number ("3", "type iv", "fitzpatrick 5") or a description: "always burn
    never tan" 1, "burn easily" 2, "sometimes burn then tan" 3, "rarely burn" 4, "very rarely burn,
    brown skin" 5, "never burn, black skin" 6. None when it cannot tell."""
    lowered = normalise(text)
    single_number = len(re.findall(r"\b\d+\b", lowered)) == 1
    for numbered in re.finditer(
        rf"\b(?P<cue>{_LEXICON.SKIN_TYPE_CUES})?\s*(?P<n>[1-6]|i{{1,3}}|iv|vi?)\b"
        rf"(?!\s*(?:{_LEXICON.NOT_SKIN_TYPE_AFTER}))",
        lowered,
    ):
        value = numbered["n"]
        if value.isdigit():
            if single_number:
                return int(value)
        elif numbered["cue"] or lowered.strip(" .!") == value:
            return _ROMAN[value]  # roman numerals only with "type"/"fitzpatrick" or alone ("i" is a word)
    for value, pattern in _FITZPATRICK_DESCRIPTIONS:
        if re.search(rf"\b(?:{pattern})", lowered):
            return value
    return None
