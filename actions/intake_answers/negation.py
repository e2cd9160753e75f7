"""Is an entity denied ("no pacemaker"), uncertain ("not sure if i have eczema") or hypothetical ("can
i have it if i'm pregnant?")? Cues count only shortly before the entity and inside its clause: "no
allergies but i have a pacemaker" leaves the pacemaker alone."""

from __future__ import annotations

import re

from actions.intake_answers.text import Token, clause_at, normalise, tokens

NEGATION_WINDOW = 5  # tokens between the cue and the entity: "i have never been diagnosed with a"

_NEGATION_WORDS = frozenset(
    {
        "not",
        "no",
        "never",
        "none",
        "nor",
        "neither",
        "without",
        "stopped",
        "quit",
        "quitted",
        "nope",
        "nah",
        "ceased",
        "discontinued",
        "cant",
        "cannot",
        "havent",
        "hasnt",
        "hadnt",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "aint",
        "wont",
        "nothing",
        "free",
    }
)
# "no" / "nope" answering the question, followed by a statement of its own: "no i take warfarin".
_ANSWER_PARTICLE_FOLLOWERS = frozenset(
    {
        "i",
        "i'm",
        "im",
        "i've",
        "ive",
        "my",
        "we",
        "it",
        "its",
        "it's",
        "but",
        "just",
        "only",
        "thats",
        "that's",
        "actually",
        "wait",
        "sorry",
        "yes",
        "yeah",
        "well",
    }
)
# After the entity, ending its sentence: "warfarin? not any more", "on roaccutane anymore".
_POST_NEGATIONS = re.compile(
    r"^\W*(?:(?:(?:not|no)\s+(?:any\s*more|longer)|any\s*more|no\s+more|not\s+now|not\s+currently)\s*(?:[.!,;?]|$)"
    r"|[?:\-\s]+(?:no|nope|nah|not\s+really|never)\W*$)"
)
_UNCERTAINTY = re.compile(
    r"\b(?:not\s+(?:sure|certain|100%?)|unsure|(?:don'?t|dont|do\s+not|doesn'?t)\s+know|dunno|no\s+idea|"
    r"(?:can'?t|cannot|cant|don'?t|dont)\s+(?:remember|recall)|might|maybe|possibly|perhaps|could\s+be|"
    r"i\s+think|not\s+that\s+i'?m\s+aware|i'?m\s+not\s+aware|idk|probably|think\s+so|may\s+(?:have|be))\b"
)
_HYPOTHETICAL = re.compile(
    r"\b(?:if|whether|in\s+case|incase|suppose|supposing|say\s+i|what\s+about|what\s+if|hypothetically|"
    r"should\s+i\s+(?:ever|get|become)|(?:when|once)\s+(?:you'?re|you\s+are|someone|people)|for\s+someone|"
    r"people\s+(?:who|with|on|that)|anyone\s+(?:who|with|on)|someone\s+(?:who|with|on)|my\s+(?:friend|sister|mum|mom|"
    r"daughter|partner|wife|husband|boyfriend|girlfriend|son|brother|dad|mother|father|colleague))\b"
)

# "not sure if i have ...", "can't remember whether ...": uncertainty about oneself, not a hypothetical.
_UNSURE_IF = re.compile(
    r"\b(?:not\s+sure|unsure|(?:don'?t|dont|do\s+not)\s+know|dunno|no\s+idea|(?:can'?t|cannot|cant)\s+remember|"
    r"not\s+certain|idk)\s+(?:if|whether)\b"
)


_NT_VERBS = frozenset(
    {"do", "does", "did", "is", "are", "was", "were", "have", "has", "had", "ca", "wo", "could", "should", "would"}
)
# Cues that end something that was true: "stopped", "used to", "no longer". For a history value
# ("i used to get cold sores") they confirm it rather than deny it.
PAST_CUES = frozenset(
    {"stopped", "quit", "quitted", "ceased", "discontinued", "used to", "no longer", "not anymore", "anymore"}
)


def _is_negation_cue(token: Token, following: Token | None) -> bool:
    word = token.text.replace("'", "")
    if word.endswith("nt") and word[:-2] in _NT_VERBS:
        return True  # don't, doesn't, haven't, can't, won't ...
    if word not in _NEGATION_WORDS:
        return False
    if word in ("no", "nope", "nah") and following is not None and following.text in _ANSWER_PARTICLE_FOLLOWERS:
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
    window = _before_in_clause(text, start, end)[-(NEGATION_WINDOW + 1) :]
    for index, token in enumerate(window):
        following = window[index + 1] if index + 1 < len(window) else None
        if token.text == "used" and following is not None and following.text == "to":
            return "used to"
        if not _is_negation_cue(token, following):
            continue
        if token.text in ("stopped", "quit") and following is not None and following.text in ("by", "at"):
            continue
        if token.text in ("no", "not") and following is not None and following.text in ("longer", "anymore"):
            return "no longer"
        if re.match(r"^[^.!?,;]*\b(?:any\s*more|no\s+more|these\s+days|nowadays)\b", normalise(text)[end:]):
            return "not anymore"  # "i don't get cold sores any more"
        return token.text
    after = _POST_NEGATIONS.match(normalise(text)[end:])
    if after:
        return "not anymore" if "more" in after.group() or "longer" in after.group() else "no"
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
    return bool(re.match(r"^\W*(?:maybe|i\s+think|not\s+sure|possibly|perhaps|\?\s*not\s+sure)\b", after))


def is_hypothetical(text: str, start: int, end: int) -> bool:
    """Whether the entity is part of a hypothetical or someone else's situation: "what if i get a fever
    after?", "can you do it if i'm pregnant", "my sister has a pacemaker"."""
    before = _UNSURE_IF.sub(" ", _clause_text_before(text, start, end))
    return bool(_HYPOTHETICAL.search(before))
