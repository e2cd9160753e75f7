"""Issue 17: what visitors type must never make an outcome less safe. Each reply goes through
answer_question, the code the chat uses for a screening answer, with the entities the NLU gives."""

from __future__ import annotations

from datetime import date

import pytest
from intake_support import TODAY, entities

from actions.intake_answers import Answers, answer_question
from actions.intake_answers.fact import UNKNOWN, YES

CASES = [
    # exceptions undo a denial: the visitor has one
    (
        "conditions.scarring",
        "deny",
        "no keloids except one on my ear",
        [("condition", "keloid_history", "keloids")],
        YES,
        ("conditions", "keloid_history"),
    ),
    (
        "conditions.scarring",
        "deny",
        "No keloid scars, apart from a small one on my shoulder",
        [("condition", "keloid_history", "keloid")],
        YES,
        ("conditions", "keloid_history"),
    ),
    (
        "conditions.cold_sores",
        "deny",
        "no cold sores other than one last summer",
        [("condition", "cold_sore_history", "cold sores")],
        YES,
        ("conditions", "cold_sore_history"),
    ),
    # stopping a medicine for the treatment is still taking it
    (
        "medications.blood_thinners",
        "inform",
        "I stopped my warfarin last week for this",
        [("medication", "anticoagulant", "warfarin")],
        YES,
        ("medications", "anticoagulant"),
    ),
    (
        "medications.blood_thinners",
        "inform",
        "i've stopped taking apixaban so i can have the treatment",
        [("medication", "anticoagulant", "apixaban")],
        YES,
        ("medications", "anticoagulant"),
    ),
    (
        "medications.blood_thinners",
        "inform",
        "quit my clopidogrel before the appointment",
        [("medication", "antiplatelet", "clopidogrel")],
        YES,
        ("medications", "antiplatelet"),
    ),
    # a long time since is a history, not a no
    (
        "conditions.cold_sores",
        "deny",
        "haven't had a cold sore in years",
        [("condition", "cold_sore_history", "cold sore")],
        YES,
        ("conditions", "cold_sore_history"),
    ),
    (
        "conditions.cold_sores",
        "deny",
        "I haven't had cold sores for ages",
        [("condition", "cold_sore_history", "cold sores")],
        YES,
        ("conditions", "cold_sore_history"),
    ),
]


@pytest.mark.parametrize(("question", "intent", "text", "named", "answer", "fact"), CASES)
def test_a_reply_that_looks_like_a_no_but_is_not(question, intent, text, named, answer, fact):
    result = answer_question(Answers.from_dict(None), question, intent, entities(text, *named), text, TODAY)
    assert result.answers.state(question) == answer
    field, value = fact
    assert value in (result.answers.to_intake(TODAY).get(field) or [])


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("pregnant", "No but my period is late"),
        ("pregnant", "no, though I've missed a period"),
        ("pregnant", "not that... well my period's a bit late"),
        ("conditions.scarring", "no except one on my ear"),
        ("conditions.cold_sores", "none apart from a small one years ago"),
    ],
)
def test_a_no_that_is_not_clean_leaves_the_question_unknown(question, text):
    result = answer_question(Answers.from_dict(None), question, "deny", [], text, TODAY)
    assert result.answers.state(question) == UNKNOWN


@pytest.mark.parametrize(
    ("question", "intent", "text", "named"),
    [
        ("conditions.scarring", "deny", "no keloids", [("condition", "keloid_history", "keloids")]),
        (
            "medications.blood_thinners",
            "inform",
            "I stopped warfarin two years ago",
            [("medication", "anticoagulant", "warfarin")],
        ),
        ("conditions.cold_sores", "deny", "I don't get cold sores", [("condition", "cold_sore_history", "cold sores")]),
        ("pregnant", "deny", "no", []),
    ],
)
def test_a_clean_no_stays_a_no(question, intent, text, named):
    result = answer_question(Answers.from_dict(None), question, intent, entities(text, *named), text, TODAY)
    assert result.answers.state(question) == "no"


MARCH = date(2026, 3, 10)
ISOTRETINOIN = "medications.isotretinoin"


def reply(answers, intent, text, phrase=None, today=MARCH):
    named = entities(text, ("medication", "isotretinoin", phrase)) if phrase else []
    return answer_question(answers, ISOTRETINOIN, intent, named, text, today)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("I'll finish roaccutane in April", "roaccutane"),
        ("coming off accutane end of April", "accutane"),
        ("I come off it next month", None),
        ("i'm due to finish accutane in may", "accutane"),
        ("on roaccutane till june", "roaccutane"),
        ("going to stop isotretinoin in a few weeks", "isotretinoin"),
    ],
)
def test_a_course_that_ends_later_is_a_course_taken_now(text, phrase):
    """Said in March, "April" is next month, not last April: the visitor is taking it now."""
    result = reply(Answers.from_dict(None), "inform", text, phrase)
    intake = result.answers.to_intake(MARCH)
    assert "isotretinoin_current" in (intake.get("medications") or [])
    assert intake.get("isotretinoin_last_dose") is None


def test_not_currently_asks_about_a_course_that_ended_in_the_last_6_months():
    first = reply(Answers.from_dict(None), "deny", "I'm not currently on roaccutane", "roaccutane")
    assert (first.status, first.needs) == ("need_detail", "isotretinoin_recent_course")
    assert first.answers.state(ISOTRETINOIN) == "partial"
    dated = reply(first.answers, "inform", "I finished my course in September")
    assert dated.answers.to_intake(MARCH)["isotretinoin_last_dose"] == "2025-09-30"
    assert reply(first.answers, "deny", "no").answers.state(ISOTRETINOIN) == "no"
    assert reply(first.answers, "dont_know", "not sure").answers.state(ISOTRETINOIN) == "unknown"
    ended = reply(first.answers, "affirm", "yes")
    assert (ended.status, ended.needs) == ("need_detail", "isotretinoin_last_dose")
    assert reply(ended.answers, "inform", "january").answers.to_intake(MARCH)["isotretinoin_last_dose"] == "2026-01-31"


def test_a_plain_no_still_answers_both_halves_of_the_isotretinoin_question():
    assert reply(Answers.from_dict(None), "deny", "no").answers.state(ISOTRETINOIN) == "no"
    assert reply(Answers.from_dict(None), "deny", "never taken it").answers.state(ISOTRETINOIN) == "no"
