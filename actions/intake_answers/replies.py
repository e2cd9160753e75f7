"""Is a reply to the assistant's own question the answer, or clearly something else?

When the assistant has just asked for a name, a phone number or e-mail address, a time, an age or a
booking reference, what the visitor types next is that answer unless it is clearly something else:
a red flag, a request for a person, "stop" or "cancel", or a question. This module decides that with
explicit rules on the words alone, so the answer never depends on what the intent classifier made of
them (a name like "Zelphine Quarrington" or "Joy Book" can look like any intent to it). The classifier
may still add evidence where the words decide nothing (``Reply.undecided``), never veto an answer.

    read_reply(text, expected, *, red_flag=False, today=None, region="GB") -> Reply
    other_move(text, *, red_flag=False) -> str | None      # RED_FLAG, PERSON, STOP, QUESTION or None
    name_answer(text) -> str | None                          # a name given when one was asked for

``expected`` is one of EXPECTED: "name", "contact", "reference", "age", "time". ``red_flag`` says the
message names a symptom (the entity ruler's ``symptom`` entities): safety comes before any answer.

How each kind is read:
- name: the name, unless the message is clearly something else. Names that are also words ("Hope",
  "April May", "Will Smith", "Dr No", "Joy Book") are names here; a reply made only of chat words
  ("yes", "next tuesday", "book please") is not.
- contact, reference, age, time: a value that parses is the answer whatever else the message says
  ("can you call me on 07700 900123", "cancel KD7P2QXM", "what about friday?"), except a red flag;
  a message in which no value parses is something else when it clearly is, else undecided.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from actions.intake_answers.contact import (
    name_words,
    parse_email,
    parse_name,
    parse_phone,
    parse_reference,
)
from actions.intake_answers.dates import parse_day_request
from actions.intake_answers.numbers import parse_age
from actions.intake_answers.text import normalise
from actions.lang import lexicon

RED_FLAG, PERSON, STOP, QUESTION = "red_flag", "person", "stop", "question"
NAME, CONTACT, REFERENCE, AGE, TIME = "name", "contact", "reference", "age", "time"
EXPECTED = (NAME, CONTACT, REFERENCE, AGE, TIME)

_LEXICON = lexicon.replies
# A person, not the assistant: "can I talk to someone", "real person please", "get me a human".
_PERSON = re.compile(_LEXICON.PERSON_PATTERN)
# Leaving the flow: "stop", "cancel", "never mind", "forget it", "no thanks", "not now".
_STOP = re.compile(_LEXICON.STOP_PATTERN)
# "what about friday?" and "how about the 10th" offer an answer rather than ask a question.
_ANSWER_OFFER = re.compile(_LEXICON.ANSWER_OFFER_PATTERN)
# "1", "the second one", "option 3", "last": a pick among the times just offered.
ORDINALS = _LEXICON.ORDINAL_POSITIONS
ORDINAL_PICK = re.compile(
    rf"^(?:(?:{_LEXICON.BEFORE_ORDINAL_PICK})\s*)?(?P<which>" + "|".join(sorted(ORDINALS, key=len, reverse=True)) + r")"
    rf"(?:\s+(?:{_LEXICON.AFTER_ORDINAL_PICK}))*$"
)


@dataclass(frozen=True)
class Reply:
    """How a reply reads: ``answer`` (the value as parsed) or ``other`` (what else it clearly is);
    neither when the words decide nothing."""

    answer: object | None = None
    other: str | None = None

    @property
    def undecided(self) -> bool:
        return self.answer is None and self.other is None


# A question's opening: a question word ("how long ...", "what is ..."), or a verb with its subject
# ("can I ...", "is it ...", "do you ..."): "Will Smith", "Can Yilmaz" and "Do Van Thanh" are names.
_WH_START = re.compile(_LEXICON.QUESTION_WORD_START_PATTERN)
_VERB_SUBJECT_START = re.compile(_LEXICON.VERB_SUBJECT_START_PATTERN)


def _words(text: str) -> str:
    """Lower-case words without punctuation; a hyphen or apostrophe inside a word keeps it one word, so
    the cues never match part of a name ("Anne-Stop" is no "stop")."""
    joined = re.sub(r"(?<=\w)['-](?=\w)", "_", normalise(text))
    return " ".join(re.sub(r"[!?.,;:]+", " ", joined).split())


def is_question(text: str) -> bool:
    """A question mark, or a question's opening words."""
    lowered = normalise(text)
    return "?" in text or bool(_WH_START.match(lowered) or _VERB_SUBJECT_START.match(lowered))


_SELF_TREATMENT = re.compile(_LEXICON.SELF_TREATMENT_PATTERN)


_QUESTIONS_LEFT = re.compile(_LEXICON.QUESTIONS_LEFT_PATTERN)


def asks_questions_left(text: str) -> bool:
    """The message asks how much of the questionnaire is left ("how many more questions?")."""
    return bool(_QUESTIONS_LEFT.search(normalise(text)))


def asks_self_treatment(text: str) -> bool:
    """The message asks about treating something oneself ("can I put antibiotic cream on it?")."""
    return bool(_SELF_TREATMENT.search(normalise(text)))


def other_move(text: str, *, red_flag: bool = False) -> str | None:
    """What the message clearly is besides an answer, most important first, or None."""
    if red_flag:
        return RED_FLAG
    words = _words(text)
    if _PERSON.search(words):
        return PERSON
    if _STOP.search(words):
        return STOP
    if is_question(text):
        return QUESTION
    return None


def name_answer(text: str) -> str | None:
    """The name in a reply to "what name should I put the booking under?", also when the name is a word
    ("Hope", "Joy Book", "April May", "Dr No") and in "name's priya patel, mobile 07700900321"."""
    direct = parse_name(text, asked=True)
    if direct:
        return direct
    if not text:
        return None
    # A name with a contact detail beside it: drop the words with digits or an "@", then try each part.
    without_contact = " ".join(word for word in text.split() if "@" not in word and not re.search(r"\d", word))
    for part in re.split(_LEXICON.NAME_PARTS_SEPARATOR, without_contact):
        found = parse_name(part, asked=True) or parse_name(name_words(part), asked=True)
        if found:
            return found
    return None


def time_answer(text: str, today: date) -> str | None:
    """The words of a reply that names a time or day ("friday morning", "the 2nd one", "later")."""
    words = _words(text)
    if not words:
        return None
    if ORDINAL_PICK.match(words):
        return words
    request = parse_day_request(text, today)
    return words if not request.is_empty() else None


def read_reply(
    text: str, expected: str, *, red_flag: bool = False, today: date | None = None, region: str = "GB"
) -> Reply:
    """Read ``text`` as the reply to a question for ``expected`` (one of EXPECTED)."""
    if expected not in EXPECTED:
        raise ValueError(f"expected must be one of {', '.join(EXPECTED)}, not {expected!r}")
    text = text or ""
    if red_flag:
        return Reply(other=RED_FLAG)
    if expected == NAME:
        other = other_move(text)
        if other is not None:
            return Reply(other=other)
        return Reply(answer=name_answer(text))
    if expected == CONTACT:
        value: object | None = parse_phone(text, region) or parse_email(text)
    elif expected == REFERENCE:
        value = parse_reference(text)
    elif expected == AGE:
        value = parse_age(text)
    else:
        if today is None:
            raise ValueError("reading a time needs today's date")
        value = time_answer(text, today)
        if value is not None and _WH_START.match(normalise(text)) and not _ANSWER_OFFER.match(normalise(text)):
            value = None  # "when are you open on friday?" asks; "what about friday?" and "anything on friday?" answer
    if value is not None:
        return Reply(answer=value)
    return Reply(other=other_move(text))
