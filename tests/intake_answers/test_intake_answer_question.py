"""Replies to the screening question the chat just asked."""

from __future__ import annotations

from datetime import date

import pytest
from intake_support import TODAY, entities

from actions.intake_answers import Answers, answer_question
from actions.screening.vocabulary import PROCEDURES

ISO_Q = "medications.isotretinoin"


def reply(question: str, text: str, *specs: tuple, intent: str | None = "inform", answers: Answers | None = None):
    return answer_question(answers or Answers(), question, intent, entities(text, *specs), text, TODAY)


@pytest.mark.parametrize(
    "text, intent",
    [
        ("I don't know", "dont_know"),
        ("not sure", None),
        ("no idea tbh", "inform"),
        ("dunno", None),
        ("can't remember", "inform"),
        ("idk", None),
    ],
)
def test_dont_know_is_always_a_valid_answer_and_never_no(text, intent):
    for question in ("conditions.bleeding", "pregnant", "age", "fitzpatrick", ISO_Q, "recent_procedures", "areas"):
        result = reply(question, text, intent=intent)
        assert result.status == "answered"
        assert result.answers.state(question) == "unknown"
        assert question in result.answers.open_questions() and question in result.answers.asked()


def test_no_idea_is_unsure_even_when_the_nlu_says_deny():
    assert reply("conditions.bleeding", "no idea", intent="deny").answers.state("conditions.bleeding") == "unknown"


def test_not_that_i_know_of_is_a_no():
    result = reply("conditions.bleeding", "not that i know of", intent="dont_know")
    assert result.answers.state("conditions.bleeding") == "no"


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        ("yes", "affirm", True),
        ("yeah", None, True),
        ("yep i am", None, True),
        ("no", "deny", False),
        ("nope", None, False),
        ("nah", None, False),
        ("definitely not", None, False),
    ],
)
def test_yes_and_no_to_a_yes_no_question(text, intent, expected):
    result = reply("breastfeeding", text, intent=intent)
    assert result.status == "answered"
    assert result.answers.to_intake(TODAY)["breastfeeding"] is expected


def test_trying_for_a_baby_answers_the_pregnancy_question_yes():
    text = "no but we're trying for a baby"
    result = reply("pregnant", text, ("life_stage", "trying_to_conceive", "trying for a baby"))
    assert result.answers.to_intake(TODAY)["pregnant"] is True


def test_an_unclear_reply_is_not_understood_and_changes_nothing():
    result = reply("pregnant", "what do you mean?", intent="why_ask")
    assert result.status == "not_understood" and result.answers == Answers()


def test_bare_yes_to_a_question_with_several_values_asks_which():
    result = reply("conditions.skin_now", "yes", intent="affirm")
    assert result.status == "choose"
    assert result.options == (
        "active_skin_infection",
        "open_wound",
        "active_acne",
        "eczema_flare",
        "psoriasis_flare",
        "rosacea_flare",
    )
    assert result.answers.state("conditions.skin_now") is None  # nothing recorded until they say which
    chosen = reply("conditions.skin_now", "eczema", ("condition", "eczema_flare", "eczema"), answers=result.answers)
    assert chosen.status == "answered" and chosen.answers.state("conditions.skin_now") == "yes"
    assert chosen.answers.to_intake(TODAY)["conditions"] == ["eczema_flare"]


def test_bare_yes_offers_only_the_values_not_already_denied():
    answers = reply("conditions.skin_now", "no eczema", ("condition", "eczema_flare", "eczema")).answers
    result = reply("conditions.skin_now", "yes", intent="affirm", answers=answers)
    assert "eczema_flare" not in result.options and "open_wound" in result.options


def test_bare_yes_to_a_single_value_question_records_the_value():
    result = reply("conditions.implanted_device", "yes i do", intent="affirm")
    assert result.answers.to_intake(TODAY)["conditions"] == ["implanted_electronic_device"]


def test_named_values_answer_the_question_and_the_rest_count_as_no():
    result = reply(
        "conditions.bleeding",
        "yes, von willebrand disease",
        ("condition", "bleeding_disorder", "von willebrand disease"),
    )
    assert result.answers.state("conditions.bleeding") == "yes"
    assert result.answers.to_intake(TODAY)["conditions"] == ["bleeding_disorder"]
    assert "conditions.bleeding" not in result.answers.open_questions()


def test_a_bare_no_keeps_a_yes_given_earlier_for_the_same_question():
    answers = reply("areas", "i smoke btw", ("condition", "smoker", "smoke")).answers
    assert answers.state("conditions.prp_factors") == "partial"
    result = reply("conditions.prp_factors", "no", intent="deny", answers=answers)
    assert result.answers.state("conditions.prp_factors") == "yes"
    assert result.answers.to_intake(TODAY)["conditions"] == ["smoker"]


def test_a_yes_with_a_doubt_keeps_the_yes_and_the_question_open():
    text = "eczema yes, not sure about psoriasis"
    result = reply(
        "conditions.skin_now",
        text,
        ("condition", "eczema_flare", "eczema"),
        ("condition", "psoriasis_flare", "psoriasis"),
    )
    assert result.answers.to_intake(TODAY)["conditions"] == ["eczema_flare"]
    assert result.answers.state("conditions.skin_now") == "unknown"
    assert "conditions.skin_now" in result.answers.open_questions()


def test_no_but_something_else():
    text = "no but i have eczema right now"
    result = reply("conditions.skin_now", text, ("condition", "eczema_flare", "eczema"), intent="deny")
    assert result.answers.to_intake(TODAY)["conditions"] == ["eczema_flare"]


@pytest.mark.parametrize(
    "text, intent, last_dose, medications",
    [
        ("yes, stopped in march", "affirm", "2026-03-31", []),
        ("finished it 2 months ago", "inform", "2026-09-20", []),
        ("yes i'm still on it", "affirm", None, ["isotretinoin_current"]),
        ("currently yes", "affirm", None, ["isotretinoin_current"]),
        ("no", "deny", None, []),
        ("no, never", "deny", None, []),
    ],
)
def test_isotretinoin_question(text, intent, last_dose, medications):
    result = reply(ISO_Q, text, intent=intent)
    assert result.status == "answered"
    intake = result.answers.to_intake(TODAY)
    assert intake.get("isotretinoin_last_dose") == last_dose
    assert intake["medications"] == medications
    assert result.answers.state(ISO_Q) in ("yes", "no")


def test_isotretinoin_named_with_a_date():
    text = "i was on roaccutane till september"
    result = reply(ISO_Q, text, ("medication", "isotretinoin", "roaccutane"))
    assert result.answers.to_intake(TODAY)["isotretinoin_last_dose"] == "2026-09-30"


def test_bare_yes_to_isotretinoin_asks_now_or_finished():
    result = reply(ISO_Q, "yes", intent="affirm")
    assert result.status == "choose" and result.options == ("isotretinoin_current", "isotretinoin_last_dose")


def test_a_finished_course_without_a_date_asks_for_it_then_takes_it():
    first = reply(ISO_Q, "yes but i stopped", intent="affirm")
    assert first.status == "need_detail" and first.needs == "isotretinoin_last_dose"
    second = reply(ISO_Q, "end of august", answers=first.answers)
    assert second.status == "answered"
    assert second.answers.to_intake(TODAY)["isotretinoin_last_dose"] == "2026-08-31"
    assert second.answers.awaiting is None


def test_a_finished_course_whose_date_is_not_known_stays_unknown():
    first = reply(ISO_Q, "i had a course of accutane", ("medication", "isotretinoin", "accutane"))
    assert first.status == "need_detail"
    second = reply(ISO_Q, "can't remember", intent="dont_know", answers=first.answers)
    assert second.answers.state(ISO_Q) == "unknown" and ISO_Q in second.answers.open_questions()
    assert second.answers.awaiting is None


def test_not_on_it_answers_the_isotretinoin_question_no():
    text = "i'm not on accutane"
    result = reply(ISO_Q, text, ("medication", "isotretinoin", "accutane"), intent="deny")
    assert result.answers.state(ISO_Q) == "no"


@pytest.mark.parametrize("text, expected", [("34", 34), ("i'm 34", 34), ("thirty four", 34), ("I'm 17", 17)])
def test_age_question(text, expected):
    assert reply("age", text).answers.to_intake(TODAY)["age"] == expected


def test_age_question_rejects_implausible_ages():
    result = reply("age", "200")
    assert result.status == "not_understood" and "age" not in result.answers.to_intake(TODAY)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("always burn never tan", 1),
        ("i burn easily", 2),
        ("sometimes burn then tan", 3),
        ("rarely burn", 4),
        ("very rarely burn, brown skin", 5),
        ("never burn, black skin", 6),
        ("type 3", 3),
        ("4", 4),
    ],
)
def test_fitzpatrick_question(text, expected):
    assert reply("fitzpatrick", text).answers.to_intake(TODAY)["fitzpatrick"] == expected


def test_procedures_question():
    text = "botox 3 weeks ago and a glycolic peel last week"
    result = reply(
        "recent_procedures", text, ("procedure", "botox"), ("procedure", "chemical_peel_light", "glycolic peel")
    )
    assert result.answers.state("recent_procedures") == "yes"
    assert result.answers.to_intake(TODAY)["recent_procedures"] == [
        {"type": "botox", "date": "2026-10-30"},
        {"type": "chemical_peel_light", "date": "2026-11-15"},
    ]
    assert reply("recent_procedures", "none", intent="deny").answers.to_intake(TODAY)["recent_procedures"] == []
    asked_which = reply("recent_procedures", "yes", intent="affirm")
    assert asked_which.status == "choose" and asked_which.options == PROCEDURES


def test_no_more_procedures_keeps_the_one_volunteered():
    answers = reply("age", "im 30, had filler in june", ("procedure", "filler")).answers
    result = reply("recent_procedures", "no", intent="deny", answers=answers)
    assert result.answers.state("recent_procedures") == "yes"
    assert result.answers.to_intake(TODAY)["recent_procedures"] == [{"type": "filler", "date": "2026-06-30"}]


def test_preferences_question():
    result = reply("preferences", "minimal downtime, mid range budget, wedding on 12 december")
    assert result.answers.to_intake(TODAY)["preferences"] == {
        "downtime": "minimal",
        "budget": "medium",
        "event_date": "2026-12-12",
    }
    assert result.answers.state("preferences") == "yes"
    assert reply("preferences", "no preference", intent="deny").answers.to_intake(TODAY)["preferences"] == {}


def test_an_event_date_asked_for_after_the_event():
    first = reply("preferences", "no downtime, i've got a wedding")
    assert first.status == "need_detail" and first.needs == "event_date"
    assert first.answers.awaiting == "event_date"
    second = reply("preferences", "on the 12th", answers=first.answers)
    assert second.answers.preferences["event_date"] == date(2026, 12, 12)


def test_concerns_and_areas_questions():
    text = "acne scars and some fine lines"
    result = reply("concerns", text, ("concern", "acne_scars", "acne scars"), ("concern", "fine_lines", "fine lines"))
    assert result.answers.to_intake(TODAY)["concerns"] == ["acne_scars", "fine_lines"]
    result = reply("areas", "face and neck", ("area", "face"), ("area", "neck"), answers=result.answers)
    assert result.answers.to_intake(TODAY)["areas"] == ["face", "neck"]
    assert {"concerns", "areas"} <= result.answers.asked()


def test_facts_volunteered_in_a_reply_are_kept():
    text = "no, but btw i'm pregnant"
    result = reply("conditions.bleeding", text, ("life_stage", "pregnant"), intent="deny")
    assert result.answers.state("conditions.bleeding") == "no"
    assert result.answers.to_intake(TODAY)["pregnant"] is True
    assert any(fact.field == "pregnant" for fact in result.facts)


def test_unknown_question_id_is_refused():
    with pytest.raises(KeyError):
        reply("conditions.nope", "yes", intent="affirm")
