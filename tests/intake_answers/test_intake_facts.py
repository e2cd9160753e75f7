"""Facts from whole messages: entities as the NLU gives them plus the words around them.
TODAY is Friday 20 November 2026."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from intake_support import TODAY, entities

from actions.intake_answers import Fact, facts_from_message, question_for


def facts(text: str, *specs: tuple, intent: str | None = "inform", today: date = TODAY, context=None) -> list[tuple]:
    found = facts_from_message(text, entities(text, *specs), intent, today, context=context)
    return [(f.field, f.value, f.question, f.answer, f.needs) for f in found]


ISO_Q = "medications.isotretinoin"


def test_every_contract_value_maps_to_the_question_that_lists_it():
    assert question_for("conditions", "implanted_electronic_device") == "conditions.implanted_device"
    assert question_for("conditions", "platelet_disorder") == "conditions.bleeding"
    assert question_for("medications", "antiplatelet") == "medications.blood_thinners"
    assert question_for("medications", "nsaid") == "medications.painkillers"
    assert question_for("isotretinoin_last_dose") == ISO_Q
    assert question_for("age") == "age"
    assert question_for("recent_procedures") == "recent_procedures"
    assert question_for("symptoms", "fever") is None


# --- life stage -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, phrase, expected",
    [
        ("btw im pregnant", "pregnant", ("pregnant", True, "pregnant", "yes", None)),
        ("i'm expecting!", "i'm expecting", ("pregnant", True, "pregnant", "yes", None)),
        ("Im 12 weeks pregnent", "pregnent", ("pregnant", True, "pregnant", "yes", None)),
        ("i'm not pregnant", "pregnant", ("pregnant", False, "pregnant", "no", None)),
        ("not sure if im pregnant", "pregnant", ("pregnant", None, "pregnant", "unknown", None)),
    ],
)
def test_pregnancy(text, phrase, expected):
    assert facts(text, ("life_stage", "pregnant", phrase)) == [expected]


def test_breastfeeding_yes_and_stopped():
    assert facts("still breastfeeding", ("life_stage", "breastfeeding")) == [
        ("breastfeeding", True, "breastfeeding", "yes", None)
    ]
    assert facts("i stopped breastfeeding in may", ("life_stage", "breastfeeding")) == [
        ("breastfeeding", False, "breastfeeding", "no", None)
    ]


def test_trying_to_conceive_answers_the_pregnancy_question_yes():
    assert facts("we're trying for a baby", ("life_stage", "trying_to_conceive", "trying for a baby")) == [
        ("pregnant", True, "pregnant", "yes", None)
    ]


def test_hypothetical_pregnancy_is_not_a_fact():
    text = "can i have microneedling if i'm pregnant?"
    assert facts(text, ("life_stage", "pregnant"), intent="ask_candidacy") == []
    assert facts("is it safe while breastfeeding?", ("life_stage", "breastfeeding"), intent="ask_candidacy") == []


def test_a_statement_before_a_question_is_a_fact():
    assert facts("im pregnant, is it safe?", ("life_stage", "pregnant"), intent="ask_candidacy") == [
        ("pregnant", True, "pregnant", "yes", None)
    ]
    assert facts(
        "im on accutane can i still have it?", ("medication", "isotretinoin", "accutane"), intent="ask_candidacy"
    ) == [("medications", "isotretinoin_current", ISO_Q, "yes", None)]


# --- isotretinoin -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, phrase, expected",
    [
        ("im on roaccutane", "roaccutane", ("medications", "isotretinoin_current", ISO_Q, "yes", None)),
        ("currently taking accutane", "accutane", ("medications", "isotretinoin_current", ISO_Q, "yes", None)),
        ("i've been on accutane for 3 months", "accutane", ("medications", "isotretinoin_current", ISO_Q, "yes", None)),
        ("roaccutane", "roaccutane", ("medications", "isotretinoin_current", ISO_Q, "yes", None)),
        ("I stopped accutane in March", "accutane", ("isotretinoin_last_dose", date(2026, 3, 31), ISO_Q, "yes", None)),
        (
            "i was on accutane until march",
            "accutane",
            ("isotretinoin_last_dose", date(2026, 3, 31), ISO_Q, "yes", None),
        ),
        (
            "finished roaccutane 2 months ago",
            "roaccutane",
            ("isotretinoin_last_dose", date(2026, 9, 20), ISO_Q, "yes", None),
        ),
        (
            "last dose of accutane was in may",
            "accutane",
            ("isotretinoin_last_dose", date(2026, 5, 31), ISO_Q, "yes", None),
        ),
        (
            "I was on accutane, stopped in january",
            "accutane",
            ("isotretinoin_last_dose", date(2026, 1, 31), ISO_Q, "yes", None),
        ),
        (
            "came off acutane on 15/09/2026",
            "acutane",
            ("isotretinoin_last_dose", date(2026, 9, 15), ISO_Q, "yes", None),
        ),
        (
            "took accutane years ago",
            "accutane",
            ("isotretinoin_last_dose", None, ISO_Q, "yes", "isotretinoin_last_dose"),
        ),
        (
            "i used to take accutane",
            "accutane",
            ("isotretinoin_last_dose", None, ISO_Q, "yes", "isotretinoin_last_dose"),
        ),
        (
            "not on accutane anymore",
            "accutane",
            ("isotretinoin_last_dose", None, ISO_Q, "yes", "isotretinoin_last_dose"),
        ),
        ("i'm not on accutane", "accutane", ("medications", "isotretinoin_current", ISO_Q, "no", None)),
        # "until" with a present tense is the end of a course still running, not a past one
        ("i'm on accutane until march", "accutane", ("medications", "isotretinoin_current", ISO_Q, "yes", None)),
        (
            "taking roaccutane till next month",
            "roaccutane",
            ("medications", "isotretinoin_current", ISO_Q, "yes", None),
        ),
    ],
)
def test_isotretinoin_now_or_a_past_course(text, phrase, expected):
    assert facts(text, ("medication", "isotretinoin", phrase)) == [expected]


def test_never_taken_isotretinoin_answers_now_and_past():
    assert facts("never taken accutane", ("medication", "isotretinoin", "accutane"), intent="deny") == [
        ("medications", "isotretinoin_current", ISO_Q, "no", None),
        ("isotretinoin_last_dose", None, ISO_Q, "no", None),
    ]


def test_correction_without_an_entity_updates_the_medicine_discussed_last():
    before = SimpleNamespace(last_medication="isotretinoin")  # what Answers remembers
    assert facts("actually i stopped it in january", context=before) == [
        ("isotretinoin_last_dose", date(2026, 1, 31), ISO_Q, "yes", None)
    ]
    assert facts("sorry, i finished it 6 weeks ago", context=before) == [
        ("isotretinoin_last_dose", date(2026, 10, 9), ISO_Q, "yes", None)
    ]
    assert facts("oh wait i'm still on it", context=before) == [
        ("medications", "isotretinoin_current", ISO_Q, "yes", None)
    ]
    assert facts("actually i was on it until june", context=before) == [
        ("isotretinoin_last_dose", date(2026, 6, 30), ISO_Q, "yes", None)
    ]
    assert facts("it's until march", context=before) == []  # a course still running: not a stop
    assert facts("actually i stopped it in january") == []  # nothing discussed before: nothing to correct


def test_correction_of_another_medicine_is_a_no():
    before = SimpleNamespace(last_medication="anticoagulant")
    assert facts("actually i stopped taking it last month", context=before) == [
        ("medications", "anticoagulant", "medications.blood_thinners", "no", None)
    ]


# --- aspirin and other medicines ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("i take aspirin", "antiplatelet"),  # unsaid: the conservative reading
        ("my gp prescribed aspirin", "antiplatelet"),
        ("low dose aspirin every morning", "antiplatelet"),
        ("75mg aspirin", "antiplatelet"),
        ("baby aspirin", "antiplatelet"),
        ("aspirin for headaches", "nsaid"),
        ("i take asprin occasionally", "nsaid"),
        ("just aspirin i bought at boots when i need it", "nsaid"),
    ],
)
def test_aspirin(text, expected):
    phrase = "asprin" if "asprin" in text else "aspirin"
    question = "medications.blood_thinners" if expected == "antiplatelet" else "medications.painkillers"
    assert facts(text, ("medication", "aspirin", phrase)) == [("medications", expected, question, "yes", None)]


def test_no_aspirin_says_nothing_about_other_blood_thinners():
    assert facts("i don't take aspirin", ("medication", "aspirin")) == []


@pytest.mark.parametrize(
    "text, value, phrase, answer",
    [
        ("i take eliquis", "anticoagulant", "eliquis", "yes"),
        ("on warferin", "anticoagulant", "warferin", "yes"),
        ("i use retinol every night", "topical_retinoid", "retinol", "yes"),
        ("prednisolone for my asthma", "systemic_steroid", "prednisolone", "yes"),
        ("i don't take ibuprofen", "nsaid", "ibuprofen", "no"),
        ("no i take warfarin", "anticoagulant", "warfarin", "yes"),
        ("i stopped the methotrexate", "immunosuppressant", "methotrexate", "no"),
    ],
)
def test_other_medicines_map_one_to_one(text, value, phrase, answer):
    assert facts(text, ("medication", value, phrase)) == [
        ("medications", value, question_for("medications", value), answer, None)
    ]


def test_no_blood_thinners_covers_both_kinds():
    assert facts("i don't take blood thinners", ("medication", "anticoagulant", "blood thinners"), intent="deny") == [
        ("medications", "anticoagulant", "medications.blood_thinners", "no", None),
        ("medications", "antiplatelet", "medications.blood_thinners", "no", None),
    ]


# --- conditions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, phrase, answer",
    [
        ("i have a pacemaker", "implanted_electronic_device", "pacemaker", "yes"),
        ("no pacemaker", "implanted_electronic_device", "pacemaker", "no"),
        ("no allergies but i have a pacemaker", "implanted_electronic_device", "pacemaker", "yes"),
        ("i get cold sores", "cold_sore_history", "cold sores", "yes"),
        ("i've never had a cold sore", "cold_sore_history", "cold sore", "no"),
        ("not sure if i have a bleeding disorder", "bleeding_disorder", "bleeding disorder", "unknown"),
        ("type 1 diabetic, well controlled", "diabetes_controlled", "diabetic", "yes"),
        ("i quit smoking last year", "smoker", "smoking", "no"),
        ("i smoke", "smoker", "smoke", "yes"),
        ("i used to smoke", "smoker", "smoke", "no"),
        # a history is confirmed, not denied, by "used to" / "not any more"
        ("i used to get cold sores", "cold_sore_history", "cold sores", "yes"),
        ("i don't get cold sores any more", "cold_sore_history", "cold sores", "yes"),
        ("pregnant? no. cold sores? yes", "cold_sore_history", "cold sores", "yes"),
    ],
)
def test_conditions_map_one_to_one(text, value, phrase, answer):
    assert facts(text, ("condition", value, phrase)) == [
        ("conditions", value, question_for("conditions", value), answer, None)
    ]


def test_questions_and_other_people_are_not_facts():
    assert (
        facts(
            "is it safe with a pacemaker?",
            ("condition", "implanted_electronic_device", "pacemaker"),
            intent="ask_candidacy",
        )
        == []
    )
    assert facts("my mum has diabetes", ("condition", "diabetes_controlled", "diabetes")) == []


def test_a_list_of_denials_negates_every_item():
    text = "i dont have eczema or psoriasis"
    assert facts(
        text, ("condition", "eczema_flare", "eczema"), ("condition", "psoriasis_flare", "psoriasis"), intent="deny"
    ) == [
        ("conditions", "eczema_flare", "conditions.skin_now", "no", None),
        ("conditions", "psoriasis_flare", "conditions.skin_now", "no", None),
    ]


# --- procedures --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, phrase, expected",
    [
        ("botox 2 weeks ago", "botox", "botox", {"type": "botox", "date": date(2026, 11, 6)}),
        ("had a laser in october", "laser", "laser", {"type": "laser_ablative", "date": date(2026, 10, 31)}),
        ("had fraxel last month", "laser", "fraxel", {"type": "laser_ablative", "date": date(2026, 10, 31)}),
        ("i had a chemical peel", "chemical_peel", "chemical peel", {"type": "chemical_peel_deep", "date": None}),
        (
            "glycolic peel on the 12th",
            "chemical_peel_light",
            "glycolic peel",
            {"type": "chemical_peel_light", "date": date(2026, 11, 12)},
        ),
        ("lip filler in august", "filler", "lip filler", {"type": "filler", "date": date(2026, 8, 31)}),
        ("had a facelift in 2025", "surgery_face", "facelift", {"type": "surgery_face", "date": date(2025, 12, 31)}),
        ("got tox yesterday", "botox", "tox", {"type": "botox", "date": date(2026, 11, 19)}),
    ],
)
def test_procedures_with_dates(text, value, phrase, expected):
    assert facts(text, ("procedure", value, phrase)) == [
        ("recent_procedures", expected, "recent_procedures", "yes", None)
    ]


def test_a_treatment_had_before_is_a_procedure_but_a_wished_one_is_not():
    assert facts("had microneedling 3 weeks ago", ("treatment", "microneedling")) == [
        ("recent_procedures", {"type": "microneedling", "date": date(2026, 10, 30)}, "recent_procedures", "yes", None)
    ]
    assert facts("did morpheus8 last month", ("treatment", "rf_microneedling", "morpheus8")) == [
        (
            "recent_procedures",
            {"type": "rf_microneedling", "date": date(2026, 10, 31)},
            "recent_procedures",
            "yes",
            None,
        )
    ]
    assert facts("i want microneedling in march", ("treatment", "microneedling")) == []
    assert facts("i'd like prp microneedling", ("treatment", "microneedling_prp", "prp microneedling")) == []


def test_planned_or_denied_procedures_are_not_recent():
    assert facts("getting botox next week", ("procedure", "botox")) == []
    assert facts("never had botox", ("procedure", "botox")) == []


def test_two_procedures_each_get_their_own_date():
    text = "had botox 2 weeks ago and had a laser in october"
    assert facts(text, ("procedure", "botox"), ("procedure", "laser")) == [
        ("recent_procedures", {"type": "botox", "date": date(2026, 11, 6)}, "recent_procedures", "yes", None),
        ("recent_procedures", {"type": "laser_ablative", "date": date(2026, 10, 31)}, "recent_procedures", "yes", None),
    ]


# --- symptoms, concerns, areas, age -----------------------------------------------------------------


def test_symptoms_only_when_they_happen():
    assert facts(
        "i have a fever and there is pus",
        ("symptom", "fever"),
        ("symptom", "pus_or_discharge", "pus"),
        intent="report_symptoms",
    ) == [("symptoms", "fever", None, "yes", None), ("symptoms", "pus_or_discharge", None, "yes", None)]
    assert facts("what if i get a fever after?", ("symptom", "fever"), intent="ask_risks") == []
    assert facts("no fever", ("symptom", "fever"), intent="report_symptoms") == []


def test_concerns_and_areas():
    text = "i have acne scars on my face and neck but not my chest"
    assert facts(
        text, ("concern", "acne_scars", "acne scars"), ("area", "face"), ("area", "neck"), ("area", "chest")
    ) == [
        ("concerns", "acne_scars", "concerns", "yes", None),
        ("areas", "face", "areas", "yes", None),
        ("areas", "neck", "areas", "yes", None),
    ]


def test_age_volunteered():
    assert facts("btw im 29") == [("age", 29, "age", "yes", None)]
    assert facts("im 34 weeks pregnant", ("life_stage", "pregnant", "weeks pregnant")) == [
        ("pregnant", True, "pregnant", "yes", None)
    ]


# --- preferences -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("no downtime please", {"downtime": "minimal"}),
        ("i can't have redness, i work front of house", {"downtime": "minimal"}),
        ("need to be back to work the next day", {"downtime": "minimal"}),
        ("a few days is fine", {"downtime": "some"}),
        ("don't mind a bit of redness", {"downtime": "some"}),
        ("i don't mind", {"downtime": "any"}),
        ("downtime isn't a problem", {"downtime": "any"}),
        ("downtime would be a problem", {"downtime": "minimal"}),
        ("whatever's cheapest", {"budget": "low"}),
        ("budget is tight", {"budget": "low"}),
        ("mid range budget", {"budget": "medium"}),
        ("money no object", {"budget": "high"}),
        ("i don't mind paying for the best", {"budget": "high"}),
    ],
)
def test_preferences(text, expected):
    assert facts(text) == [("preferences", expected, "preferences", "yes", None)]


def test_event_dates():
    assert facts("wedding on 12 december") == [
        ("preferences", {"event_date": date(2026, 12, 12)}, "preferences", "yes", None)
    ]
    assert facts("a party in 3 weeks") == [
        ("preferences", {"event_date": date(2026, 12, 11)}, "preferences", "yes", None)
    ]
    assert facts("i have a wedding coming up") == [("preferences", {}, "preferences", "yes", "event_date")]


# --- several facts in one message ------------------------------------------------------------------


def test_multi_fact_message():
    text = "im 34, had botox 3 weeks ago and i get cold sores"
    assert facts(text, ("procedure", "botox"), ("condition", "cold_sore_history", "cold sores")) == [
        ("age", 34, "age", "yes", None),
        ("recent_procedures", {"type": "botox", "date": date(2026, 10, 30)}, "recent_procedures", "yes", None),
        ("conditions", "cold_sore_history", "conditions.cold_sores", "yes", None),
    ]


def test_multi_fact_message_with_a_course_and_a_procedure():
    text = "I was on accutane, stopped in january. had botox 2 weeks ago. no downtime pls"
    assert facts(text, ("medication", "isotretinoin", "accutane"), ("procedure", "botox")) == [
        ("isotretinoin_last_dose", date(2026, 1, 31), ISO_Q, "yes", None),
        ("recent_procedures", {"type": "botox", "date": date(2026, 11, 6)}, "recent_procedures", "yes", None),
        ("preferences", {"downtime": "minimal"}, "preferences", "yes", None),
    ]


def test_entities_without_offsets_are_found_in_the_text():
    found = facts_from_message(
        "i have a pacemaker",
        [{"entity": "condition", "value": "implanted_electronic_device", "text": "pacemaker"}],
        "inform",
        TODAY,
    )
    assert found == [Fact("conditions", "implanted_electronic_device", "conditions.implanted_device")]


def test_unknown_entity_values_are_ignored():
    assert facts("i have a thing", ("condition", "made_up_condition", "thing")) == []


def test_fact_as_json_uses_iso_dates():
    fact = Fact("recent_procedures", {"type": "botox", "date": date(2026, 11, 6)}, "recent_procedures")
    assert fact.as_json() == {
        "field": "recent_procedures",
        "value": {"type": "botox", "date": "2026-11-06"},
        "question": "recent_procedures",
        "answer": "yes",
        "needs": None,
    }
