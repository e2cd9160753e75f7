"""Recommendations: which treatments are suggested for which concern, in what order, and what is said."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from screening_support import MN, PRP, RF, healthy, item, ranked

from actions.content.clinic import CLINIC_FILE, load_clinic
from actions.screening import decide

# Concern -> treatments that may be suggested for it (clinical-kb section 2 "usually preferred").
OFFERED = {
    "acne_scars": {MN, PRP, RF},  # C1
    "fine_lines": {MN, RF},  # C3: PRP is not sold for wrinkles
    "wrinkles": {MN, RF},
    "laxity": {RF},  # C4: MN only "in exceptional cases", PRP no laxity benefit
    "pores_texture": {MN, RF},  # C5
    "stretch_marks": {MN, RF},  # C9
    "surgical_scars": {MN, RF},  # C10
}
CLINICIAN_REVIEW = ["icepick_scars", "melasma", "hyperpigmentation", "pih", "hair_loss", "under_eye", "active_acne"]


@pytest.mark.parametrize("concern, expected", OFFERED.items())
def test_each_self_service_concern_suggests_its_treatments(concern, expected):
    decision = decide(healthy(concerns=[concern]))
    assert set(ranked(decision)) == expected
    assert decision["next_step"] == "book_treatment"


@pytest.mark.parametrize("concern", CLINICIAN_REVIEW)
def test_clinician_review_concerns_go_to_consultation(concern):
    decision = decide(healthy(concerns=[concern]))
    assert decision["recommendation"] == []
    assert decision["next_step"] == "book_consultation"


def test_under_eye_area_needs_a_clinician_even_for_fine_lines():
    decision = decide(healthy(concerns=["fine_lines"], areas=["under_eye"]))
    assert decision["next_step"] == "book_consultation"
    assert all(any("under-eye" in line for line in entry["why_not"]) for entry in decision["recommendation"])


def test_mixed_concerns_say_why_a_consultation_comes_first():
    decision = decide(healthy(concerns=["acne_scars", "melasma"]))
    assert decision["next_step"] == "book_consultation"
    assert ranked(decision)[0] == MN
    assert any("melasma" in line for line in item(decision, MN)["why_not"])


def test_prp_is_never_sold_for_wrinkles_and_says_why():
    decision = decide(healthy(concerns=["wrinkles"]))
    assert PRP not in ranked(decision)
    first = decision["recommendation"][0]
    assert any("PRP" in line and "trial" in line for line in first["why"])


def test_fine_lines_start_with_plain_microneedling():
    assert ranked(decide(healthy(concerns=["fine_lines"]))) == [MN, RF]


def test_acne_scars_default_order_is_mn_then_prp_then_rf():
    assert ranked(decide(healthy(concerns=["acne_scars"]))) == [MN, PRP, RF]


def test_scars_with_laxity_put_rf_first_and_propose_the_prp_combination():
    decision = decide(healthy(concerns=["acne_scars", "laxity"]))
    assert ranked(decision)[0] == RF
    assert any("combine RF microneedling with PRP" in line for line in item(decision, RF)["why"])


def test_combination_is_dropped_when_prp_is_not_allowed():
    decision = decide(healthy(concerns=["acne_scars", "laxity"], conditions=["smoker"]))  # X19: PRP review
    assert PRP not in ranked(decision)
    assert not any("PRP" in line for line in item(decision, RF)["why"] if "combine" in line)


def test_combination_is_dropped_when_rf_is_not_allowed():
    decision = decide(healthy(concerns=["acne_scars", "laxity"], conditions=["tattoo_in_area"]))
    assert RF not in ranked(decision)
    assert not any("combine" in line for entry in decision["recommendation"] for line in entry["why"])


def test_combination_carries_the_prp_caution():
    decision = decide(healthy(concerns=["acne_scars", "laxity"], conditions=["needle_phobia"]))
    rf = item(decision, RF)
    assert any("combine" in line for line in rf["why"])
    assert any(line.startswith("Subject to clinician assessment") and "blood draw" in line for line in rf["why_not"])


def test_minimal_downtime_moves_rf_down():
    decision = decide(healthy(concerns=["acne_scars", "laxity"], preferences={"downtime": "minimal"}))
    assert ranked(decision)[0] == MN
    assert any("downtime" in line for line in item(decision, RF)["why_not"])


def test_low_budget_puts_the_cheapest_first():
    decision = decide(healthy(concerns=["stretch_marks"], preferences={"budget": "low"}))
    assert ranked(decision) == [MN, RF]
    assert any("lowest-cost" in line for line in item(decision, MN)["why"])


def test_no_rf_within_3_weeks_before_an_event():
    decision = decide(healthy(concerns=["acne_scars"], preferences={"event_date": "2026-12-10"}))  # 20 days
    assert RF not in ranked(decision)
    assert any(
        "RF microneedling isn't suggested before your event on 2026-12-10" in line
        for line in decision["recommendation"][0]["why"]
    )


def test_rf_is_back_three_weeks_or_more_before_the_event_with_a_planning_note():
    decision = decide(healthy(concerns=["acne_scars"], preferences={"event_date": "2026-12-11"}))  # 21 days
    assert RF in ranked(decision)
    assert any("at least 3 weeks before your event" in line for line in item(decision, RF)["why_not"])


def test_a_past_event_is_ignored():
    decision = decide(healthy(concerns=["acne_scars"], preferences={"event_date": "2026-11-01"}))
    assert ranked(decision) == [MN, PRP, RF]


def test_microneedling_close_to_an_event_warns_about_redness():
    decision = decide(healthy(concerns=["acne_scars"], preferences={"event_date": "2026-11-25"}))
    assert any("at least a week before your event" in line for line in item(decision, MN)["why_not"])


def test_laxity_with_rf_excluded_has_nothing_to_book():
    decision = decide(healthy(concerns=["laxity"], conditions=["implanted_electronic_device"]))
    assert decision["recommendation"] == []
    assert decision["next_step"] == "book_consultation"


def test_caution_is_labelled_and_names_the_risk():
    decision = decide(healthy(concerns=["acne_scars"], fitzpatrick=5))
    for entry in decision["recommendation"]:
        assert any(line.startswith("Subject to clinician assessment") and "PIH" in line for line in entry["why_not"])


def test_only_proceed_or_caution_treatments_are_ranked():
    decision = decide(healthy(concerns=["acne_scars"], conditions=["anaemia"]))
    assert decision["modalities"][PRP]["status"] == "clinician_review"
    assert ranked(decision) == [MN, RF]


def test_course_details_come_from_section_4b():
    decision = decide(healthy(concerns=["acne_scars"]))
    assert item(decision, MN)["sessions"] == "about 3" and item(decision, MN)["interval_weeks"] == "2-4"
    assert item(decision, RF)["interval_weeks"] == "4 (3-6)"
    assert "not standardised" in item(decision, PRP)["sessions"]
    assert "scabs" in item(decision, RF)["downtime"]


def test_prices_come_from_the_clinic_catalogue():
    decision = decide(healthy(concerns=["acne_scars"]))
    assert item(decision, MN)["price"] == "£220"
    assert item(decision, PRP)["price"] == "£350–£420"


def test_a_price_the_clinic_has_not_set_is_never_invented(tmp_path: Path):
    doc = yaml.safe_load(CLINIC_FILE.read_text())
    doc["treatments"]["rf_microneedling"].pop("price")
    path = tmp_path / "clinic.yml"
    path.write_text(yaml.safe_dump(doc))
    decision = decide(healthy(concerns=["acne_scars"]), clinic=load_clinic(path))
    assert item(decision, RF)["price"] == "the clinic will confirm the price"
    assert item(decision, MN)["price"] == "£220"


def test_without_concerns_nothing_is_ranked_but_booking_is_possible():
    decision = decide(healthy(concerns=None))
    assert decision["recommendation"] == []
    assert decision["next_step"] == "book_treatment"


def test_nothing_bookable_means_consultation():
    decision = decide(healthy(concerns=None, medications=["isotretinoin_current"]))
    assert decision["next_step"] == "book_consultation"
