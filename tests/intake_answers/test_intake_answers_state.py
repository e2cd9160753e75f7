"""The Answers state: recording facts, the slot dict round trip, asked / open question ids, intake."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from intake_support import TODAY, entities

from actions.intake_answers import Answers, Fact, apply_message
from actions.screening import default_rules, pending_questions, validate_intake

ISO_Q = "medications.isotretinoin"


def told(text: str, *specs: tuple, answers: Answers | None = None, intent: str = "inform") -> Answers:
    return apply_message(answers or Answers(), text, entities(text, *specs), intent, TODAY)[0]


def test_a_fresh_state_is_an_empty_intake():
    answers = Answers()
    assert answers.to_intake(TODAY) == {"today": "2026-11-20"}
    assert answers.asked() == set()
    assert answers.open_questions() == {q.id for q in default_rules().questions}
    assert Answers.from_dict(None) == answers and Answers.from_dict({}) == answers


def test_a_volunteered_single_value_answers_its_question():
    answers = told("i have a pacemaker", ("condition", "implanted_electronic_device", "pacemaker"))
    assert answers.state("conditions.implanted_device") == "yes"
    assert answers.to_intake(TODAY)["conditions"] == ["implanted_electronic_device"]
    assert "conditions.implanted_device" in answers.asked()
    # every other conditions question is still open although the field now holds a value
    assert {"conditions.bleeding", "conditions.skin_now"} <= answers.open_questions()
    assert "conditions.implanted_device" not in answers.open_questions()


def test_a_volunteered_value_of_a_several_value_question_leaves_it_to_ask():
    answers = told("i smoke", ("condition", "smoker", "smoke"))
    assert answers.state("conditions.prp_factors") == "partial"
    assert answers.to_intake(TODAY)["conditions"] == ["smoker"]
    assert "conditions.prp_factors" not in answers.asked()
    assert "conditions.prp_factors" in answers.open_questions()


def test_denying_every_value_of_a_question_answers_it_no():
    answers = told("i don't take blood thinners", ("medication", "anticoagulant", "blood thinners"), intent="deny")
    assert answers.state("medications.blood_thinners") == "no"
    assert answers.to_intake(TODAY)["medications"] == []
    answers = told("no eczema", ("condition", "eczema_flare", "eczema"), intent="deny")
    assert answers.state("conditions.skin_now") == "partial"  # infection, wounds, ... still to ask


def test_correction_replaces_a_yes_with_a_no_and_back():
    answers = told("btw im pregnant", ("life_stage", "pregnant"))
    assert answers.to_intake(TODAY)["pregnant"] is True
    answers = told("sorry i meant i'm not pregnant", ("life_stage", "pregnant"), answers=answers)
    assert answers.to_intake(TODAY)["pregnant"] is False
    answers = told("i have a pacemaker", ("condition", "implanted_electronic_device", "pacemaker"), answers=answers)
    answers = told(
        "actually no pacemaker, it was removed",
        ("condition", "implanted_electronic_device", "pacemaker"),
        answers=answers,
    )
    assert answers.state("conditions.implanted_device") == "no"
    assert answers.to_intake(TODAY)["conditions"] == []


def test_doubt_never_cancels_a_safety_yes():
    answers = told("i'm pregnant", ("life_stage", "pregnant"))
    answers = told("not sure if im pregnant", ("life_stage", "pregnant"), answers=answers)
    assert answers.to_intake(TODAY)["pregnant"] is True
    answers = answers.mark("conditions.implanted_device", "yes", ["implanted_electronic_device"])
    unsure = answers.mark("conditions.implanted_device", "unknown")
    assert unsure.to_intake(TODAY)["conditions"] == ["implanted_electronic_device"]
    assert "conditions.implanted_device" in unsure.open_questions()
    assert answers.mark("conditions.implanted_device", "no").state("conditions.implanted_device") == "yes"


def test_isotretinoin_course_then_correction_then_still_taking():
    answers = told("i was on accutane until march", ("medication", "isotretinoin", "accutane"))
    assert answers.to_intake(TODAY)["isotretinoin_last_dose"] == "2026-03-31"
    assert answers.to_intake(TODAY)["medications"] == []
    assert answers.state(ISO_Q) == "yes" and ISO_Q in answers.asked()
    answers = told("actually i stopped it in january", answers=answers)
    assert answers.to_intake(TODAY)["isotretinoin_last_dose"] == "2026-01-31"
    answers = told("oh wait, i'm still on it", answers=answers)
    intake = answers.to_intake(TODAY)
    assert intake["medications"] == ["isotretinoin_current"] and "isotretinoin_last_dose" not in intake


def test_a_past_course_without_a_date_waits_for_it_and_stays_open():
    answers = told("i used to take roaccutane", ("medication", "isotretinoin", "roaccutane"))
    assert answers.awaiting == "isotretinoin_last_dose"
    assert answers.state(ISO_Q) == "partial" and ISO_Q in answers.open_questions()
    assert "isotretinoin_last_dose" not in answers.to_intake(TODAY)


def test_procedures_and_preferences_accumulate():
    answers = told("had botox 2 weeks ago", ("procedure", "botox"))
    answers = told("and a laser in october", ("procedure", "laser"), answers=answers)
    answers = told("actually the botox was 3 weeks ago", ("procedure", "botox"), answers=answers)
    assert answers.to_intake(TODAY)["recent_procedures"] == [
        {"type": "laser_ablative", "date": "2026-10-31"},
        {"type": "botox", "date": "2026-10-30"},
    ]
    assert answers.state("recent_procedures") == "partial"  # other procedures are still to ask about
    answers = told("no downtime please", answers=answers)
    assert answers.state("preferences") == "partial"
    answers = told("and i'm on a tight budget. wedding on 12 december", answers=answers)
    assert answers.to_intake(TODAY)["preferences"] == {
        "downtime": "minimal",
        "budget": "low",
        "event_date": "2026-12-12",
    }
    assert answers.state("preferences") == "yes"


def test_an_event_without_a_date_waits_for_it():
    answers = told("i have a wedding coming up")
    assert answers.awaiting == "event_date"
    answers = told("the wedding is on 12 december", answers=answers)
    assert answers.awaiting is None and answers.preferences["event_date"] == date(2026, 12, 12)


def test_intake_is_valid_and_asked_feeds_pending_questions():
    text = "im 34, had botox 3 weeks ago and i get cold sores. btw i'm breastfeeding"
    answers = told(
        text, ("procedure", "botox"), ("condition", "cold_sore_history", "cold sores"), ("life_stage", "breastfeeding")
    )
    intake = answers.to_intake(TODAY)
    validate_intake(intake)
    assert intake["age"] == 34 and intake["breastfeeding"] is True and "pregnant" not in intake
    pending = pending_questions(intake, asked=answers.asked())
    assert "age" not in pending and "breastfeeding" not in pending
    # "i get cold sores" leaves "one right now?" to ask; one botox leaves other procedures to ask
    assert {"conditions.cold_sores", "recent_procedures", "pregnant", "conditions.bleeding"} <= set(pending)


def test_round_trip_through_a_json_slot():
    answers = told(
        "I was on accutane, stopped in january. had botox 2 weeks ago. no downtime. im 34",
        ("medication", "isotretinoin", "accutane"),
        ("procedure", "botox"),
    )
    answers = answers.mark("conditions.bleeding", "unknown").mark("conditions.skin_now", "yes", ["eczema_flare"])
    answers = told("i used to take it", answers=answers)
    slot = json.loads(json.dumps(answers.to_dict()))
    again = Answers.from_dict(slot)
    assert again == answers
    assert again.to_dict() == slot
    assert again.to_intake(TODAY) == answers.to_intake(TODAY)
    assert slot["questions"]["conditions.skin_now"] == {"answer": "yes", "values": ["eczema_flare"], "denied": []}
    assert slot["recent_procedures"] == [{"type": "botox", "date": "2026-11-06"}]


@pytest.mark.parametrize(
    "bad, key",
    [
        ({"version": 2}, "version"),
        ({"version": 1, "questions": {"age": {"answer": "maybe"}}}, "questions.age"),
        ({"version": 1, "age": "34"}, "age"),
        ({"version": 1, "isotretinoin_last_dose": "31/01/2026"}, "isotretinoin_last_dose"),
        ({"version": 1, "recent_procedures": [{"type": "tattoo"}]}, "recent_procedures[0]"),
        ({"version": 1, "awaiting": "shoe_size"}, "awaiting"),
        ({"version": 1, "preferences": {"colour": "blue"}}, "preferences"),
    ],
)
def test_a_broken_slot_is_refused_with_the_key(bad, key):
    with pytest.raises(ValueError, match=key.replace("[", r"\[").replace("]", r"\]")):
        Answers.from_dict(bad)


def test_apply_and_mark_leave_the_original_alone():
    answers = Answers()
    answers.apply([Fact("age", 40, "age")])
    answers.mark("pregnant", "no")
    assert answers == Answers()


def test_mark_refuses_unknown_questions_and_answers():
    with pytest.raises(KeyError):
        Answers().mark("conditions.nope", "no")
    with pytest.raises(ValueError):
        Answers().mark("pregnant", "maybe")


def test_summary_for_the_clinician():
    answers = told(
        "im 34, had botox 3 weeks ago and i get cold sores",
        ("procedure", "botox"),
        ("condition", "cold_sore_history", "cold sores"),
    )
    answers = answers.mark("pregnant", "no").mark("conditions.bleeding", "unknown")
    assert answers.summary().splitlines() == [
        "Age: 34",
        "Said yes to: gets cold sores",
        "Recent procedures: anti-wrinkle injections (Botox) (30 Oct 2026)",
        "Not sure about: bleeding or platelet conditions",
        "Said no to: pregnancy",
    ]


_QUESTION_IDS = [q.id for q in default_rules().questions]


@settings(max_examples=150, deadline=None)
@given(
    marks=st.lists(st.tuples(st.sampled_from(_QUESTION_IDS), st.sampled_from(["yes", "no", "unknown"])), max_size=12),
    age=st.one_of(st.none(), st.integers(1, 120)),
)
def test_any_sequence_of_answers_round_trips_and_gives_a_valid_intake(marks, age):
    answers = Answers()
    if age is not None:
        answers = answers.apply([Fact("age", age, "age")])
    rules = default_rules()
    for question_id, answer in marks:
        values = sorted(rules.question(question_id).values or ())[:1] if answer == "yes" else []
        answers = answers.mark(question_id, answer, values)
    assert Answers.from_dict(json.loads(json.dumps(answers.to_dict()))) == answers
    validate_intake(answers.to_intake(TODAY))
    assert answers.asked() | answers.open_questions() == set(_QUESTION_IDS)
    assert not {q for q in answers.asked() if answers.state(q) in ("yes", "no")} & answers.open_questions()


def test_a_named_procedure_after_none_reopens_nothing_but_records_it():
    answers = Answers().mark("recent_procedures", "no")
    assert answers.to_intake(TODAY)["recent_procedures"] == []
    answers = told("oh i forgot, had botox last week", ("procedure", "botox"), answers=answers)
    assert answers.state("recent_procedures") == "yes"
    assert answers.to_intake(TODAY)["recent_procedures"] == [{"type": "botox", "date": "2026-11-15"}]


def test_a_yes_after_not_sure_is_recorded_and_the_rest_stays_unknown():
    answers = Answers().mark("conditions.bleeding", "unknown")
    answers = told(
        "i have von willebrand disease", ("condition", "bleeding_disorder", "von willebrand disease"), answers=answers
    )
    assert answers.to_intake(TODAY)["conditions"] == ["bleeding_disorder"]
    assert answers.state("conditions.bleeding") == "unknown" and "conditions.bleeding" in answers.open_questions()


def test_volunteered_contract_flags_reach_the_intake_and_the_clinicians_summary():
    from actions.intake_answers import Fact

    answers = Answers.from_dict(None).apply(
        [Fact("pregnancy_or_breastfeeding_ended", True, None, "yes"), Fact("severe_laxity", True, None, "yes")]
    )
    answers = Answers.from_dict(answers.to_dict())  # survives the slot
    intake = answers.to_intake(date(2026, 11, 20))
    assert intake["pregnancy_or_breastfeeding_ended"] is True and intake["severe_laxity"] is True
    assert "flare_settled" not in intake  # never mentioned: unknown
    assert "Pregnancy or breastfeeding ended recently" in answers.summary()
    # A later "no" does not undo the stricter yes.
    again = answers.apply([Fact("severe_laxity", False, None, "no")])
    assert again.to_intake(date(2026, 11, 20))["severe_laxity"] is True


@pytest.mark.parametrize("flags", [{"moon": True}, {"severe_laxity": "yes"}, ["severe_laxity"]])
def test_a_damaged_flags_entry_is_refused(flags):
    data = {**Answers.from_dict(None).to_dict(), "flags": flags}
    with pytest.raises(ValueError, match="answers.flags"):
        Answers.from_dict(data)
