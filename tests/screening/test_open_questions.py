"""Question-level answers for the chat: a list field holds some answers while other questions of
the same field are still open or answered "I don't know"."""

from __future__ import annotations

import pytest

from actions.screening import decide, pending_questions

BASE = {
    "today": "2026-11-20",
    "age": 35,
    "fitzpatrick": 2,
    "concerns": ["acne_scars"],
    "areas": ["face"],
    "pregnant": False,
    "breastfeeding": False,
    "medications": [],
    "recent_procedures": [],
    "symptoms": [],
    "preferences": {"downtime": "any", "budget": "high"},
}


def test_pacemaker_known_and_bleeding_unknown_excludes_rf_and_keeps_the_unknown():
    intake = {**BASE, "conditions": ["implanted_electronic_device"]}
    open_decision = decide(intake, open_questions={"conditions.bleeding"})
    closed_decision = decide(intake)
    assert open_decision["modalities"]["rf_microneedling"]["status"] == "exclude"
    unknown = [r for r in open_decision["modalities"]["microneedling"]["reasons"] if r["rule"] == "UNKNOWN"]
    assert unknown, "an open bleeding question must show as UNKNOWN"
    assert not [r for r in closed_decision["modalities"]["microneedling"]["reasons"] if r["rule"] == "UNKNOWN"]


def test_open_question_never_counts_as_no():
    intake = {**BASE, "conditions": []}
    assert decide(intake)["modalities"]["microneedling"]["status"] == "proceed"
    assert (
        decide(intake, open_questions={"conditions.bleeding"})["modalities"]["microneedling"]["status"]
        == "clinician_review"
    )


def test_asked_decides_pending_question_by_question():
    intake = {**BASE, "conditions": ["implanted_electronic_device"], "medications": None}
    by_field = pending_questions(intake)
    assert "conditions.bleeding" not in by_field  # the field is filled, so field-level says answered
    by_question = pending_questions(
        intake,
        asked={"concerns", "areas", "age", "pregnant", "breastfeeding", "conditions.implanted_device", "preferences"},
    )
    assert "conditions.bleeding" in by_question
    assert "conditions.implanted_device" not in by_question


def test_unknown_question_ids_are_rejected():
    with pytest.raises(ValueError, match="conditions.nope"):
        decide(BASE, open_questions={"conditions.nope"})
    with pytest.raises(ValueError, match="bogus"):
        pending_questions(BASE, asked={"bogus"})
