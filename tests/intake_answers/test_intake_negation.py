"""Denied, unsure and hypothetical mentions: cues shortly before the entity, inside its clause."""

from __future__ import annotations

import pytest

from actions.intake_answers import is_hypothetical, is_negated, is_uncertain
from actions.intake_answers.negation import negation_cue


def span(text: str, phrase: str) -> tuple[str, int, int]:
    start = text.lower().index(phrase)
    return text, start, start + len(phrase)


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("i'm not pregnant", "pregnant"),
        ("I’m not pregnant", "pregnant"),
        ("im not pregant", "pregant"),
        ("no pacemaker", "pacemaker"),
        ("i don't take blood thinners", "blood thinners"),
        ("i dont take blood thinners", "blood thinners"),
        ("I do not currently take any blood thinners", "blood thinners"),
        ("never had a cold sore", "cold sore"),
        ("i have never been diagnosed with a bleeding disorder", "bleeding disorder"),
        ("i'm no longer breastfeeding", "breastfeeding"),
        ("i quit smoking", "smoking"),
        ("stopped the warfarin", "warfarin"),
        ("i haven't got diabetes", "diabetes"),
        ("don't have eczema or psoriasis", "psoriasis"),
        ("no eczema, psoriasis or rosacea", "eczema"),
        ("not on roaccutane anymore", "roaccutane"),
        ("warfarin? not any more", "warfarin"),
        ("pregnant? no", "pregnant"),
        ("i used to smoke", "smoke"),
    ],
)
def test_negated(text, phrase):
    assert is_negated(*span(text, phrase))


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("no allergies but i have a pacemaker", "pacemaker"),
        ("no allergies, i have a pacemaker", "pacemaker"),
        ("im not pregnant and i take warfarin", "warfarin"),
        ("no i take warfarin", "warfarin"),
        ("nope, i take eliquis", "eliquis"),
        ("i have a pacemaker", "pacemaker"),
        ("i get cold sores", "cold sores"),
        ("i don't smoke but i am diabetic", "diabetic"),
        ("nothing except a pacemaker", "pacemaker"),
        ("i don't know if i have eczema", "eczema"),  # unsure, not denied
        ("not sure if im pregnant", "pregnant"),
        ("I don't really like needles so no prp, but i do take ibuprofen", "ibuprofen"),
    ],
)
def test_not_negated(text, phrase):
    assert not is_negated(*span(text, phrase))


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("not sure if i have a bleeding disorder", "bleeding disorder"),
        ("i might be pregnant", "pregnant"),
        ("dunno about blood thinners", "blood thinners"),
        ("can't remember if i had a cold sore", "cold sore"),
        ("maybe eczema", "eczema"),
        ("eczema maybe", "eczema"),
    ],
)
def test_uncertain(text, phrase):
    assert is_uncertain(*span(text, phrase))


@pytest.mark.parametrize(
    "text, phrase, expected",
    [
        ("what if i get a fever after?", "fever", True),
        ("can i have microneedling if i'm pregnant?", "pregnant", True),
        ("my mum has diabetes", "diabetes", True),
        ("is it ok for people with a pacemaker", "pacemaker", True),
        ("not sure if i have a bleeding disorder", "bleeding disorder", False),
        ("btw im pregnant", "pregnant", False),
        ("i have a pacemaker, is that ok?", "pacemaker", False),
    ],
)
def test_hypothetical(text, phrase, expected):
    assert is_hypothetical(*span(text, phrase)) is expected


@pytest.mark.parametrize(
    "text, phrase, cue",
    [
        ("i used to get cold sores", "cold sores", "used to"),
        ("i don't get cold sores any more", "cold sores", "not anymore"),
        ("no longer breastfeeding", "breastfeeding", "no longer"),
        ("i'm not pregnant", "pregnant", "not"),
        ("i have a pacemaker", "pacemaker", None),
    ],
)
def test_the_cue_is_named_so_a_history_can_tell_past_from_never(text, phrase, cue):
    assert negation_cue(*span(text, phrase)) == cue
