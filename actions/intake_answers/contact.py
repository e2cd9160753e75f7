"""Contact details and booking references typed in a chat: phone, e-mail, name, reference.

Each parser finds the value inside a sentence ("my number is 07911 123456") and returns None when
there is none, so the chat can ask again instead of failing. The booking service checks them again.
"""

from __future__ import annotations

import re

import phonenumbers

from actions.intake_answers.dates import MONTHS, WEEKDAYS
from actions.intake_answers.text import normalise
from actions.lang import lexicon

_LEXICON = lexicon.contact

# The booking backend's reference alphabet and length (actions/booking/store.py: no I, O, 0 or 1, so
# nothing can be misread); tests/intake_answers checks that the two stay the same.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8
MAX_NAME_LENGTH = 60
MAX_NAME_WORDS = 5

_EMAIL = re.compile(
    r"(?<![\w.+-])(?P<local>[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"\s*@\s*(?P<domain>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})\b",
    re.IGNORECASE,
)


def parse_phone(text: str, region: str = "GB") -> str | None:
    """The first valid phone number in ``text`` in E.164 form ("07911 123456" -> "+447911123456");
    numbers without a country code are read as ``region`` numbers. None when there is no valid one."""
    if not text or len(text) > 500:
        return None
    for match in phonenumbers.PhoneNumberMatcher(text, region):
        if phonenumbers.is_valid_number(match.number):
            return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    digits = re.sub(r"[\s().-]", "", text.strip())
    if re.fullmatch(r"\+?\d{7,15}", digits):
        try:
            number = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            return None
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def parse_email(text: str) -> str | None:
    """The first e-mail address in ``text``, in lower case ("Sarah@Example.com" -> "sarah@example.com"),
    or None. Spaces a phone keyboard puts around the "@" are removed."""
    if not text:
        return None
    match = _EMAIL.search(text.replace("mailto:", " "))
    if not match:
        return None
    address = f"{match['local']}@{match['domain']}".lower()
    return address if len(address) <= 254 and len(match["local"]) <= 64 else None


def parse_contact(text: str, region: str = "GB") -> str | None:
    """A phone number (E.164) or e-mail address (lower case) found in ``text``."""
    return parse_phone(text, region) or parse_email(text)


def looks_like_contact(text: str) -> bool:
    """An "@" or five digits: meant as a phone number or e-mail address, even if it is not a valid one."""
    return "@" in text or len(re.findall(r"\d", text)) >= 5


def first_name(name: str) -> str:
    """How to greet someone by name: "Priya" for "Priya Patel", the whole name after a title ("Dr No")."""
    words = name.split()
    if len(words) > 1 and words[0].rstrip(".").lower() in NAME_TITLES:
        return name
    return words[0] if words else name


_NAME_INTRO = re.compile(_LEXICON.NAME_INTRODUCTION_PATTERN, re.IGNORECASE)
# "Priya Patel, thanks": a trailing courtesy word, only as a word of its own ("Aa-ta" keeps its "ta").
_NAME_TRAILER = re.compile(rf"[\s,.!]*(?:(?<![^\s,.!])(?:{_LEXICON.NAME_TRAILING_WORDS}))?[\s,.!]*$", re.IGNORECASE)
_NAME_PART = re.compile(r"^[^\W\d_]+(?:['\u2019-][^\W\d_]+)*\.?$")
# Ordinary chat words: no name is made of these alone (a reply made of them is something else).
CHAT_WORDS = _LEXICON.CHAT_WORDS | set(MONTHS) | set(WEEKDAYS)
_MONTH_NAMES = frozenset(MONTHS)
NAME_TITLES = _LEXICON.NAME_TITLES


def _capitalise(part: str) -> str:
    pieces = re.split(r"(['\u2019-])", part)
    out = []
    for piece in pieces:
        out.append(piece[:1].upper() + piece[1:].lower() if piece not in ("'", "\u2019", "-") else piece)
    return "".join(out)


def parse_name(text: str, *, asked: bool = False) -> str | None:
    """A person's name from "my name is sarah jones", "it's Sarah", "sarah jones" -> "Sarah Jones".

    Names typed in one case (all lower or all upper) are capitalised word by word ("o'brien" ->
    "O'Brien", "anne-marie" -> "Anne-Marie"); mixed case is kept as typed ("McDonald"). None for text
    with digits, an "@", more than five words or 60 characters, or ordinary chat words ("yes",
    "next tuesday", "book please").

    ``asked``: the text answers "what name should I put the booking under?", so a name that is also a
    word is a name when the way it is typed says so: a title ("Dr No"), "my name is ...", or several
    words in Title Case ("Joy Book", "April May"); and months are names there ("April", "june").
    """
    if not text:
        return None
    raw = " ".join(text.split())
    if len(raw) > MAX_NAME_LENGTH + 20 or re.search(r"[\d@/\\<>{}\[\]=_#%&*+?]", raw):
        return None
    introduced = _NAME_INTRO.match(raw) is not None
    raw = _NAME_INTRO.sub("", raw, count=1)
    raw = _NAME_TRAILER.sub("", raw)
    raw = raw.strip(" ,.!")
    parts = raw.split()
    if not parts or len(parts) > MAX_NAME_WORDS or len(raw) > MAX_NAME_LENGTH:
        return None
    if not all(_NAME_PART.match(part) for part in parts):
        return None
    words = [normalise(part).strip(".") for part in parts]
    if all(word in NAME_TITLES for word in words):
        return None
    given = [word for word in words if word not in NAME_TITLES]
    not_names = CHAT_WORDS - _MONTH_NAMES if asked else CHAT_WORDS
    if any(word in not_names for word in given):
        typed_as_name = len(given) < len(words) or introduced or (len(parts) > 1 and all(_title_case(p) for p in parts))
        if not asked or not typed_as_name or all(word in not_names for word in given) and len(given) == len(words):
            return None
    if raw == raw.lower() or raw == raw.upper():
        return " ".join(_capitalise(part) for part in parts)
    return " ".join(part[:1].upper() + part[1:] for part in parts)


def _title_case(part: str) -> bool:
    return part[:1].isupper() and (len(part) == 1 or not part[1:].isupper())


_CONTACT_WORDS = re.compile(_LEXICON.CONTACT_INTRODUCTION_PATTERN, re.IGNORECASE)


def name_words(text: str) -> str:
    """``text`` without the words that introduce a contact detail ("my mobile is", "and email")."""
    return _CONTACT_WORDS.sub(" ", text)


def parse_reference(text: str) -> str | None:
    """An 8-character booking reference in ``text`` ("ref kd7p2qxm" -> "KD7P2QXM"), case-insensitive,
    from the booking alphabet (no I, O, 0, 1); one hyphen or space in the middle is allowed
    ("KD7P-2QXM"). A candidate made of letters only must be typed in capitals or follow "ref", since
    words like "saturday" fit the alphabet. None when there is none or more than one candidate."""
    if not text:
        return None
    upper = text.upper()
    letters = f"[{REFERENCE_ALPHABET}]"
    pattern = rf"(?<![A-Z0-9])({letters}{{4}})[\s-]?({letters}{{4}})(?![A-Z0-9])"
    found = {m[1] + m[2] for m in re.finditer(pattern, upper) if _looks_like_reference(m, text)}
    return found.pop() if len(found) == 1 else None


_REFERENCE_CUE = re.compile(_LEXICON.REFERENCE_CUE_PATTERN, re.IGNORECASE)


def _looks_like_reference(match: re.Match, text: str) -> bool:
    """Letters and digits; or, for an all-letter candidate (plain words like "saturday" or "pregnant"
    fit the alphabet), typed in capitals or after "ref"/"reference"/"booking"; all digits only after
    such a cue."""
    candidate = match[1] + match[2]
    if any(ch.isdigit() for ch in candidate) and any(ch.isalpha() for ch in candidate):
        return True
    if candidate.isdigit():
        return bool(_REFERENCE_CUE.search(text[: match.start()]))  # "23456789" alone could be anything
    typed = text[match.start() : match.end()]
    return typed.isupper() or bool(_REFERENCE_CUE.search(text[: match.start()]))
