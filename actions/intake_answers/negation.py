"""Is an entity denied ("no pacemaker"), uncertain ("not sure if i have eczema") or hypothetical ("can
i have it if i'm pregnant?")? Cues count only shortly before the entity and inside its clause: "no
allergies but i have a pacemaker" leaves the pacemaker alone."""

from __future__ import annotations

import re

from actions.intake_answers.text import Token, clause_at, normalise, tokens
from actions.lang import lexicon

NEGATION_WINDOW = 5  # tokens between the cue and the entity: "i have never been diagnosed with a"

_LEXICON = lexicon.negation
_POST_NEGATIONS = re.compile(_LEXICON.AFTER_ENTITY_NEGATION_PATTERN)
_UNCERTAINTY = re.compile(_LEXICON.UNCERTAINTY_PATTERN)
_HYPOTHETICAL = re.compile(_LEXICON.HYPOTHETICAL_PATTERN)
_UNSURE_IF = re.compile(_LEXICON.UNSURE_IF_PATTERN)
_EXCEPTION_AFTER = re.compile(_LEXICON.EXCEPTION_AFTER_PATTERN)
_FOR_THE_TREATMENT = re.compile(_LEXICON.FOR_THE_TREATMENT_PATTERN)
_LONG_AGO_AFTER = re.compile(_LEXICON.LONG_AGO_AFTER_PATTERN)
# Cues that end something that was true ("stopped", "used to", "no longer"): for a history value they
# confirm it rather than deny it.
PAST_CUES = _LEXICON.PAST_CUES


def _is_negation_cue(token: Token, following: Token | None) -> bool:
    word = token.text.replace("'", "")
    suffix = _LEXICON.NOT_SUFFIX
    if word.endswith(suffix) and word[: -len(suffix)] in _LEXICON.NOT_SUFFIX_VERBS:
        return True  # don't, doesn't, haven't, can't, won't ...
    if word not in _LEXICON.NEGATION_WORDS:
        return False
    if (
        word in _LEXICON.ANSWER_PARTICLES
        and following is not None
        and following.text in _LEXICON.ANSWER_PARTICLE_FOLLOWERS
    ):
        return False
    return True


def _before_in_clause(text: str, start: int, end: int) -> list[Token]:
    clause = clause_at(text, start, end)
    return tokens(text, clause.start, start)


def _clause_text_before(text: str, start: int, end: int) -> str:
    clause = clause_at(text, start, end)
    return normalise(text)[clause.start : start]


def negation_cue(text: str, start: int, end: int) -> str | None:
    """The cue that denies the entity at ``text[start:end]`` ("not", "no longer", "used to", "n't" ...),
    or None; see ``is_negated``."""
    if is_uncertain(text, start, end):
        return None
    cue = _denying_cue(text, start, end)
    if cue is None:
        return None
    rest = normalise(text)[end:]
    if _EXCEPTION_AFTER.match(rest):
        return None  # "no keloids except one on my ear": there is one
    if cue in _LEXICON.STOPPING_CUES and _FOR_THE_TREATMENT.search(normalise(text)):
        return None  # stopped for the treatment: still taking it, as far as screening goes
    if _LONG_AGO_AFTER.match(rest):
        return _LEXICON.CUE_NOT_ANYMORE  # "haven't had a cold sore in years": a history
    return cue


def _denying_cue(text: str, start: int, end: int) -> str | None:
    window = _before_in_clause(text, start, end)[-(NEGATION_WINDOW + 1) :]
    for index, token in enumerate(window):
        following = window[index + 1] if index + 1 < len(window) else None
        if (token.text, following.text if following is not None else None) == _LEXICON.USED_TO:
            return _LEXICON.CUE_USED_TO
        if not _is_negation_cue(token, following):
            continue
        if (
            token.text in _LEXICON.STOPPING_VERBS
            and following is not None
            and following.text in _LEXICON.NOT_STOPPING_AFTER
        ):
            continue
        if (
            token.text in _LEXICON.NO_LONGER_FIRST
            and following is not None
            and following.text in _LEXICON.NO_LONGER_SECOND
        ):
            return _LEXICON.CUE_NO_LONGER
        if re.match(_LEXICON.NO_MORE_LATER_PATTERN, normalise(text)[end:]):
            return _LEXICON.CUE_NOT_ANYMORE  # "i don't get cold sores any more"
        return token.text
    after = _POST_NEGATIONS.match(normalise(text)[end:])
    if after:
        longer = any(marker in after.group() for marker in _LEXICON.NO_LONGER_MARKERS)
        return _LEXICON.CUE_NOT_ANYMORE if longer else _LEXICON.CUE_NO
    return None


def is_negated(text: str, start: int, end: int) -> bool:
    """Whether the entity at ``text[start:end]`` is denied: a negation cue ("not", "no", "n't", "never",
    "no longer", "quit", "stopped", "used to", "don't have") at most a few words before it in the same
    clause ("i'm not pregnant", "no pacemaker", "i don't take blood thinners"), or "not anymore" / a
    closing "no" right after it ("pregnant? no"). A "no" that answers the question and starts a
    statement ("no, i take warfarin") is not a cue, and uncertainty ("i don't know if i have eczema")
    is not a denial (see ``is_uncertain``).
    """
    return negation_cue(text, start, end) is not None


def is_uncertain(text: str, start: int, end: int) -> bool:
    """Whether the visitor is unsure about the entity: "not sure if i'm pregnant", "i might have eczema",
    "dunno about blood thinners", "can't remember if i had a cold sore" (cue before it, same clause)."""
    before = _clause_text_before(text, start, end)
    if _UNCERTAINTY.search(before):
        return True
    after = normalise(text)[end : clause_at(text, start, end).end]
    return bool(re.match(_LEXICON.UNCERTAINTY_AFTER_PATTERN, after))


def is_hypothetical(text: str, start: int, end: int) -> bool:
    """Whether the entity is part of a hypothetical or someone else's situation: "what if i get a fever
    after?", "can you do it if i'm pregnant", "my sister has a pacemaker"."""
    before = _UNSURE_IF.sub(" ", _clause_text_before(text, start, end))
    return bool(_HYPOTHETICAL.search(before))
