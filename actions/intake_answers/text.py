"""Small text helpers shared by the parsers: normalising, tokens with offsets, clauses, numbers in words.

Every helper keeps character offsets of the visitor's original text (the NLU's entity ``start``/``end``
point into it), so normalising never changes the length of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actions.lang import lexicon

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})

# Punctuation that ends a clause; "?" and "!" also end sentences.
_BREAK_PUNCTUATION = re.compile(r"[,;.!?()\n]|(?<=\s)-(?=\s)|\u2013|\u2014")
_LEXICON = lexicon.text
# Words that start a new clause with its own polarity ("no allergies but i have a pacemaker").
_BREAK_WORDS = re.compile(rf"\b(?:{_LEXICON.CLAUSE_BREAK_WORDS})\b")
# After "and"/"or"/"also"/"plus", a clause break only when a new statement starts (a pronoun or a
# verb of its own), so "no eczema or psoriasis" keeps both negated but "no eczema and i take warfarin"
# does not negate warfarin.
_STATEMENT_STARTERS = re.compile(rf"\s*(?:{_LEXICON.STATEMENT_STARTERS})\b")
# A question starting in the middle of a message starts a new clause: "im on accutane can i have it".
_QUESTION_OPENERS = re.compile(rf"\b(?:{_LEXICON.MID_QUESTION_VERBS})\s+(?:{_LEXICON.MID_QUESTION_SUBJECTS})\b")
QUESTION_START = re.compile(rf"^\s*(?:{_LEXICON.QUESTION_OPENING_WORDS})\b")


def normalise(text: str) -> str:
    """Lower case with plain apostrophes; the same length as ``text`` so offsets still match."""
    lowered = (text or "").translate(_APOSTROPHES)
    folded = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in lowered)
    return folded


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


_TOKEN = re.compile(r"[a-z0-9]+(?:['/:.\-][a-z0-9]+)*'?|[a-z0-9]")


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word tokens of the normalised ``text`` between ``start`` and ``end``, with their offsets."""
    lowered = normalise(text)
    stop = len(lowered) if end is None else end
    return [Token(m.group(), m.start() + start, m.end() + start) for m in _TOKEN.finditer(lowered[start:stop])]


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    is_question: bool


def clause_breaks(text: str) -> list[tuple[int, int]]:
    """Spans of the clause separators in ``text`` (punctuation, "but", "and i", a question opener)."""
    lowered = normalise(text)
    spans = [(m.start(), m.end()) for m in _BREAK_PUNCTUATION.finditer(lowered)]
    for match in _BREAK_WORDS.finditer(lowered):
        word = match.group()
        if word in _LEXICON.COORDINATORS and not _STATEMENT_STARTERS.match(lowered, match.end()):
            continue
        spans.append((match.start(), match.end()))
    for match in _QUESTION_OPENERS.finditer(lowered):
        if match.start() > 0:
            spans.append((match.start(), match.start()))
    return sorted(spans)


def clauses(text: str) -> list[Clause]:
    """The message cut into clauses; a clause is a question when it ends with "?" or starts like one."""
    lowered = normalise(text)
    result: list[Clause] = []
    position = 0
    for start, end in clause_breaks(text) + [(len(lowered), len(lowered))]:
        if start < position:
            continue
        if lowered[position:start].strip():
            ends_with_question = lowered[start:end] == "?" or lowered[start:].lstrip().startswith("?")
            opens_question = bool(QUESTION_START.match(lowered[position:start]))
            result.append(Clause(position, start, ends_with_question or opens_question))
        position = max(end, start)
    return result


def clause_at(text: str, start: int, end: int | None = None) -> Clause:
    """The clause holding the character at ``start`` (a whole-text clause when the text is one)."""
    for clause in clauses(text):
        if clause.start <= start < clause.end or (end is not None and clause.start < end <= clause.end):
            return clause
    return Clause(0, len(text or ""), False)


# "thirty four", "thirty-four", "a hundred and two", "one hundred": a run of number words.
NUMBER_WORDS_PATTERN = _LEXICON.NUMBER_WORDS_PATTERN


def words_to_number(words: str) -> int | None:
    """ "thirty four" -> 34, "a hundred and two" -> 102, "seventeen" -> 17; None when not a number."""
    parts = [
        part for part in re.split(r"[\s-]+", words.strip().lower()) if part and part not in _LEXICON.NUMBER_JOINERS
    ]
    total = 0
    for index, part in enumerate(parts):
        following = parts[index + 1] if index + 1 < len(parts) else None
        if part in _LEXICON.ONE_BEFORE_HUNDRED:
            if following != _LEXICON.HUNDRED:
                return None
            total += 1
        elif part in _LEXICON.NUMBERS_BELOW_TWENTY:
            total += _LEXICON.NUMBERS_BELOW_TWENTY[part]
        elif part in _LEXICON.TENS:
            total += _LEXICON.TENS[part]
        elif part == _LEXICON.HUNDRED:
            total = (total or 1) * 100
        else:
            return None
    return total if parts else None
