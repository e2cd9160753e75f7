"""What visitors type changes the engine's decision as the rules say (through Answers -> decide)."""

from __future__ import annotations

from datetime import date

from intake_support import TODAY, entities

from actions.intake_answers import Answers, answer_question, apply_message
from actions.intake_answers.dates import add_months
from actions.screening import decide, default_rules, validate_intake

MN, PRP, RF = "microneedling", "microneedling_prp", "rf_microneedling"


def healthy() -> Answers:
    """A 30-year-old who answered every screening question no, wants acne scars on the face treated."""
    answers = Answers()
    for question in default_rules().questions:
        answers = answers.mark(question.id, "no")
    text = "im 30, acne scars on my face, downtime doesn't matter, money no object"
    answers = apply_message(
        answers, text, entities(text, ("concern", "acne_scars", "acne scars"), ("area", "face")), "inform", TODAY
    )[0]
    return answer_question(answers, "fitzpatrick", "inform", [], "type 2", TODAY).answers


def told(answers: Answers, text: str, *specs: tuple, intent: str = "inform") -> Answers:
    return apply_message(answers, text, entities(text, *specs), intent, TODAY)[0]


def decision(answers: Answers) -> dict:
    intake = answers.to_intake(TODAY)
    validate_intake(intake)
    return decide(intake, open_questions=answers.open_questions())


def statuses(result: dict) -> dict[str, str]:
    return {modality: value["status"] for modality, value in result["modalities"].items()}


def rules_of(result: dict, modality: str) -> set[str]:
    return {reason["rule"] for reason in result["modalities"][modality]["reasons"]}


def test_the_healthy_baseline_can_proceed():
    result = decision(healthy())
    assert statuses(result) == {MN: "proceed", PRP: "proceed", RF: "proceed"}
    assert result["next_step"] == "book_treatment"


def test_accutane_stopped_two_months_ago_defers_until_six_months_after_the_last_dose():
    answers = told(healthy(), "I finished accutane 2 months ago", ("medication", "isotretinoin", "accutane"))
    last_dose = date(2026, 9, 20)
    assert answers.isotretinoin_last_dose == last_dose
    result = decision(answers)
    for modality in (MN, PRP, RF):
        assert result["modalities"][modality]["status"] == "defer"
        assert result["modalities"][modality]["until"] == add_months(last_dose, 6).isoformat() == "2027-03-20"
        assert "X22" in rules_of(result, modality)


def test_accutane_taken_now_excludes_every_treatment():
    result = decision(told(healthy(), "im on roaccutane", ("medication", "isotretinoin", "roaccutane")))
    assert statuses(result) == {MN: "exclude", PRP: "exclude", RF: "exclude"}


def test_a_correction_moves_the_last_dose_and_the_deferral_with_it():
    answers = told(healthy(), "im on roaccutane", ("medication", "isotretinoin", "roaccutane"))
    answers = told(answers, "actually i stopped it in july")  # last dose 31 July -> wait until 31 January
    result = decision(answers)
    assert {m: (v["status"], v["until"]) for m, v in result["modalities"].items()} == {
        MN: ("defer", "2027-01-31"),
        PRP: ("defer", "2027-01-31"),
        RF: ("defer", "2027-01-31"),
    }
    answers = told(answers, "sorry, i mean i stopped it in january")  # more than 6 months ago: no wait
    assert statuses(decision(answers)) == {MN: "proceed", PRP: "proceed", RF: "proceed"}


def test_a_course_with_no_date_yet_is_unknown_not_no():
    result = decision(told(healthy(), "i used to take accutane", ("medication", "isotretinoin", "accutane")))
    assert all(status == "clinician_review" for status in statuses(result).values())
    assert "UNKNOWN" in rules_of(result, MN)


def test_pregnancy_volunteered_defers_every_treatment():
    result = decision(told(healthy(), "oh btw im pregnant", ("life_stage", "pregnant")))
    for modality in (MN, PRP, RF):
        assert result["modalities"][modality] == {**result["modalities"][modality], "status": "defer", "until": None}
        assert "X34" in rules_of(result, modality)


def test_trying_to_conceive_defers_like_pregnancy():
    text = "we're trying for a baby"
    result = decision(told(healthy(), text, ("life_stage", "trying_to_conceive", "trying for a baby")))
    assert statuses(result) == {MN: "defer", PRP: "defer", RF: "defer"}


def test_not_sure_about_bleeding_disorders_is_reported_as_unknown():
    answers = answer_question(healthy(), "conditions.bleeding", "dont_know", [], "not sure", TODAY).answers
    result = decision(answers)
    for modality in (MN, PRP, RF):
        assert result["modalities"][modality]["status"] == "clinician_review"
        assert "UNKNOWN" in rules_of(result, modality)
    texts = [r["text"] for r in result["modalities"][MN]["reasons"] if r["rule"] == "UNKNOWN"]
    assert texts == [default_rules().question("conditions.bleeding").unknown]


def test_a_pacemaker_excludes_rf_only():
    result = decision(
        told(
            healthy(), "no allergies but i have a pacemaker", ("condition", "implanted_electronic_device", "pacemaker")
        )
    )
    assert statuses(result) == {MN: "clinician_review", PRP: "clinician_review", RF: "exclude"}


def test_a_volunteered_fact_alone_leaves_the_other_questions_unknown():
    text = "i have a pacemaker"
    answers = told(Answers(), text, ("condition", "implanted_electronic_device", "pacemaker"))
    result = decision(answers)
    assert result["modalities"][RF]["status"] == "exclude"
    unknown = {r["text"] for r in result["modalities"][MN]["reasons"] if r["rule"] == "UNKNOWN"}
    assert default_rules().question("conditions.bleeding").unknown in unknown


def test_recent_botox_defers_two_weeks_from_its_date():
    result = decision(told(healthy(), "had botox 1 week ago", ("procedure", "botox")))
    assert {m: (v["status"], v["until"]) for m, v in result["modalities"].items()} == {
        MN: ("defer", "2026-11-27"),
        PRP: ("defer", "2026-11-27"),
        RF: ("defer", "2026-11-27"),
    }
    assert statuses(decision(told(healthy(), "had botox 3 weeks ago", ("procedure", "botox")))) == {
        MN: "proceed",
        PRP: "proceed",
        RF: "proceed",
    }


def test_an_unspecified_laser_waits_as_long_as_an_ablative_one():
    result = decision(told(healthy(), "had a laser in october", ("procedure", "laser")))
    # the last day of October + 12 weeks
    assert {v["until"] for v in result["modalities"].values()} == {"2027-01-23"}


def test_plain_aspirin_goes_to_a_clinician_but_headache_aspirin_only_affects_prp():
    unspecified = decision(told(healthy(), "i take aspirin", ("medication", "aspirin")))
    assert statuses(unspecified) == {MN: "clinician_review", PRP: "clinician_review", RF: "clinician_review"}
    headaches = decision(told(healthy(), "aspirin for the odd headache", ("medication", "aspirin")))
    assert statuses(headaches) == {MN: "proceed", PRP: "defer", RF: "caution"}


def test_symptoms_after_a_treatment_trigger_triage():
    text = "i have a fever and the redness is spreading"
    answers = told(
        Answers(),
        text,
        ("symptom", "fever"),
        ("symptom", "spreading_redness", "redness is spreading"),
        intent="report_symptoms",
    )
    result = decision(answers)
    assert result["triage"] == "emergency" and result["recommendation"] == []


def test_multi_fact_message_end_to_end():
    text = "im 34, had botox 3 weeks ago and i get cold sores"
    answers = told(healthy(), text, ("procedure", "botox"), ("condition", "cold_sore_history", "cold sores"))
    intake = answers.to_intake(TODAY)
    assert intake["age"] == 34 and intake["conditions"] == ["cold_sore_history"]
    result = decision(answers)
    assert "X05" in rules_of(result, MN)
