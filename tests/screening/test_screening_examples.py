"""The five worked examples of intake-contract.md, as a visitor or a web form would send them."""

from __future__ import annotations

import json

from screening_support import ALL, MN, PRP, RF, TODAY, ranked, rule_ids, statuses

from actions.screening import decide

HEALTHY_ANSWERS = {
    "pregnant": False,
    "breastfeeding": False,
    "conditions": [],
    "medications": [],
    "recent_procedures": [],
}


def test_example_a_healthy_acne_scars_minimal_downtime():
    decision = decide(
        {
            "today": TODAY,
            "age": 28,
            "fitzpatrick": 3,
            "concerns": ["acne_scars"],
            "preferences": {"downtime": "minimal"},
            **HEALTHY_ANSWERS,
        }
    )
    assert statuses(decision) == {MN: "proceed", PRP: "proceed", RF: "proceed"}
    assert ranked(decision)[:2] == [MN, PRP]
    assert decision["next_step"] == "book_treatment"
    assert decision["triage"] == "none"
    assert decision["contract"] == 1 and decision["rules_version"] == "2026-11-20"
    first = decision["recommendation"][0]
    assert first["price"] == "£220" and first["downtime"] and first["sessions"] and first["interval_weeks"]
    assert any("FDA" in line for line in first["why"])
    assert any("PRP" in line for line in decision["recommendation"][1]["why"])


def test_example_b_age_21_on_isotretinoin():
    decision = decide({"today": TODAY, "age": 21, "concerns": ["acne_scars"], "medications": ["isotretinoin_current"]})
    assert statuses(decision) == {MN: "exclude", PRP: "exclude", RF: "exclude"}
    for modality in ALL:
        assert {"X21", "X36"} <= set(rule_ids(decision, modality))
        assert decision["modalities"][modality]["until"] is None
    assert decision["recommendation"] == []
    assert decision["next_step"] == "book_consultation"


def test_example_c_pregnant_wants_prp_for_pigmentation():
    decision = decide({"today": TODAY, "age": 32, "pregnant": True, "concerns": ["hyperpigmentation"]})
    assert statuses(decision) == {MN: "defer", PRP: "defer", RF: "defer"}
    assert all(decision["modalities"][m]["until"] is None for m in ALL)
    assert all("X34" in rule_ids(decision, m) for m in ALL)
    assert decision["recommendation"] == []
    assert decision["next_step"] == "book_consultation"


def test_example_f_caesarean_three_weeks_ago():
    decision = decide(
        {
            "today": TODAY,
            "age": 34,
            "fitzpatrick": 2,
            "concerns": ["acne_scars"],
            **HEALTHY_ANSWERS,
            "recent_procedures": [{"type": "surgery_other", "date": "2026-10-30"}],
        }
    )
    assert statuses(decision) == {MN: "clinician_review", PRP: "clinician_review", RF: "clinician_review"}
    assert all(rule_ids(decision, m) == ["X25"] for m in ALL)
    assert decision["next_step"] == "book_consultation"


def test_example_g_a_finished_isotretinoin_course_on_an_unknown_date():
    decision = decide(
        {
            "today": TODAY,
            "age": 29,
            "fitzpatrick": 2,
            "concerns": ["acne_scars"],
            **HEALTHY_ANSWERS,
            "isotretinoin_past_course": True,
        }
    )
    assert statuses(decision) == {MN: "defer", PRP: "defer", RF: "defer"}
    assert all(decision["modalities"][m]["until"] is None and rule_ids(decision, m) == ["X22"] for m in ALL)
    assert decision["next_step"] == "book_consultation"


def test_example_d_66_pacemaker_anticoagulant_wants_rf_for_laxity():
    decision = decide(
        {
            "today": TODAY,
            "age": 66,
            "conditions": ["implanted_electronic_device"],
            "medications": ["anticoagulant"],
            "concerns": ["laxity"],
        }
    )
    assert statuses(decision) == {MN: "clinician_review", PRP: "clinician_review", RF: "exclude"}
    assert "X29" in rule_ids(decision, RF)
    assert {"X17", "X29"} <= set(rule_ids(decision, MN))
    assert decision["next_step"] == "book_consultation"
    assert decision["recommendation"] == []


def test_example_d_with_every_other_answer_given_is_still_the_same():
    decision = decide(
        {
            "today": TODAY,
            "age": 66,
            "conditions": ["implanted_electronic_device"],
            "medications": ["anticoagulant"],
            "concerns": ["laxity"],
            "pregnant": False,
            "breastfeeding": False,
            "recent_procedures": [],
        }
    )
    assert statuses(decision) == {MN: "clinician_review", PRP: "clinician_review", RF: "exclude"}
    assert all("UNKNOWN" not in rule_ids(decision, m) for m in ALL)


def test_example_e_fever_and_spreading_redness_after_rf_elsewhere():
    decision = decide(
        {
            "today": TODAY,
            "symptoms": ["fever", "spreading_redness"],
            "recent_procedures": [{"type": "rf_microneedling", "date": "2026-11-18"}],
        }
    )
    assert decision["triage"] == "emergency"
    assert decision["recommendation"] == []
    assert decision["next_step"] == "emergency"


def test_decisions_are_plain_json():
    decision = decide({"today": TODAY, "age": 28, "concerns": ["acne_scars"], **HEALTHY_ANSWERS})
    assert json.loads(json.dumps(decision)) == decision
    assert list(decision) == ["contract", "rules_version", "triage", "modalities", "recommendation", "next_step"]
    assert list(decision["modalities"]) == list(ALL)
