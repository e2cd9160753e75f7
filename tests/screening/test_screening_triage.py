"""Section 6 red flags: each symptom's level, combinations, and what a red flag does to the rest."""

from __future__ import annotations

import pytest
from screening_support import healthy

from actions.screening import decide, triage_reasons

LEVEL_OF_SYMPTOM = {
    "normal_redness_swelling": "normal_recovery",
    "flaking": "normal_recovery",
    "pinpoint_bleeding": "normal_recovery",
    "worsening_after_72h": "contact_clinic",
    "pus_or_discharge": "contact_clinic",
    "blisters": "contact_clinic",
    "cold_sore_outbreak": "contact_clinic",
    "rash_or_hives": "contact_clinic",
    "redness_over_1_week": "contact_clinic",
    "spreading_redness": "contact_clinic",
    "persistent_bumps": "see_doctor",
    "new_dark_patches": "see_doctor",
    "fever": "see_doctor",
    "after_home_device": "see_doctor",
    "unlicensed_venue_or_reused_needles": "see_doctor",
    "breathing_difficulty_or_facial_swelling": "emergency",
    "burn_or_skin_breakdown": "emergency",
    "numbness_or_weakness": "emergency",
    "increasing_warmth": "contact_clinic",
    "widespread_hives": "emergency",
    "anaesthetic_toxicity": "emergency",
    "fainting_not_resolving": "emergency",
}


def test_every_symptom_of_the_contract_has_its_level_here():
    from actions.screening.vocabulary import SYMPTOMS

    assert set(LEVEL_OF_SYMPTOM) == set(SYMPTOMS)


def test_swelling_with_heat_days_after_rf_is_not_normal_recovery():
    decision = decide(healthy(symptoms=["normal_redness_swelling", "increasing_warmth"]))
    assert decision["triage"] == "contact_clinic" and decision["recommendation"] == []


@pytest.mark.parametrize("symptom, level", LEVEL_OF_SYMPTOM.items())
def test_each_symptom_has_its_section_6_level(symptom, level):
    decision = decide(healthy(symptoms=[symptom]))
    assert decision["triage"] == level
    if level == "normal_recovery":
        assert decision["recommendation"] and decision["next_step"] == "book_treatment"
    else:
        assert decision["recommendation"] == []
        assert decision["next_step"] == level


def test_fever_with_spreading_redness_is_an_emergency():
    decision = decide(healthy(symptoms=["spreading_redness", "fever"]))
    assert decision["triage"] == "emergency" and decision["next_step"] == "emergency"
    assert triage_reasons(healthy(symptoms=["spreading_redness", "fever"]))[0]["rule"] == "R16"


def test_most_urgent_symptom_wins():
    decision = decide(healthy(symptoms=["flaking", "blisters", "persistent_bumps"]))
    assert decision["triage"] == "see_doctor"


@pytest.mark.parametrize("symptoms", [None, []])
def test_no_symptoms_means_no_triage(symptoms):
    assert decide(healthy(symptoms=symptoms))["triage"] == "none"


def test_triage_reasons_give_readable_texts_most_urgent_first():
    reasons = triage_reasons(healthy(symptoms=["flaking", "burn_or_skin_breakdown"]))
    assert [r["level"] for r in reasons] == ["emergency", "normal_recovery"]
    assert all(r["text"] and r["source"].startswith("S") for r in reasons)
    assert "emergency" in reasons[0]["text"]


def test_red_flag_keeps_screening_results_visible():
    decision = decide(healthy(symptoms=["blisters"], conditions=["bleeding_disorder"]))
    assert decision["modalities"]["microneedling"]["status"] == "exclude"
    assert decision["next_step"] == "contact_clinic"
