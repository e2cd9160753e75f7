"""Unanswered safety questions are never treated as 'no' (contract: rule UNKNOWN)."""

from __future__ import annotations

import pytest
from screening_support import ALL, MN, PRP, RANK, RF, TODAY, healthy, rule_ids

from actions.screening import decide, default_rules, pending_questions

# Field -> treatments it can block, judged from clinical-kb (a field is unanswered as a whole).
CRITICAL_FIELDS = {
    "age": ALL,  # X36: under 18 exclude
    "pregnant": ALL,  # X34
    "breastfeeding": ALL,  # X34
    "conditions": ALL,  # X16 bleeding disorder, X13, X01...
    "medications": ALL,  # X21 isotretinoin, X17 blood thinners
    "recent_procedures": ALL,  # X24-X27
}


@pytest.mark.parametrize("field, blocked", CRITICAL_FIELDS.items())
def test_unanswered_safety_field_blocks_self_booking(field, blocked):
    decision = decide(healthy(**{field: None}))
    for modality in blocked:
        entry = decision["modalities"][modality]
        assert entry["status"] == "clinician_review"
        assert "UNKNOWN" in rule_ids(decision, modality)
    assert decision["recommendation"] == []
    assert decision["next_step"] == "book_consultation"


@pytest.mark.parametrize(
    "field", ["fitzpatrick", "concerns", "areas", "preferences", "symptoms", "isotretinoin_last_dose"]
)
def test_unanswered_non_safety_field_does_not_block(field):
    decision = decide(healthy(**{field: None}))
    assert all(decision["modalities"][m]["status"] == "proceed" for m in ALL)


def test_unknown_reasons_are_specific_to_each_treatment():
    decision = decide(healthy(conditions=None))
    texts = {m: " ".join(r["text"] for r in decision["modalities"][m]["reasons"]) for m in ALL}
    assert "PRP" in texts[PRP] and "anaemia" in texts[PRP]
    assert "anaemia" not in texts[MN] and "anaemia" not in texts[RF]
    assert "pacemaker" in texts[RF]
    assert "bleeding" in texts[MN] and "bleeding" in texts[RF]


def test_unknown_never_hides_a_harder_stop():
    decision = decide(healthy(pregnant=True, conditions=None))
    assert all(decision["modalities"][m]["status"] == "defer" for m in ALL)
    assert all({"X34", "UNKNOWN"} <= set(rule_ids(decision, m)) for m in ALL)


def test_an_empty_intake_is_valid_and_blocks_everything():
    decision = decide({"today": TODAY})
    assert all(RANK[decision["modalities"][m]["status"]] >= RANK["clinician_review"] for m in ALL)
    assert decision["next_step"] == "book_consultation"


def test_every_question_that_can_block_a_treatment_is_critical_for_it():
    rules = default_rules()
    by_id = {q.id: q for q in rules.questions}
    assert by_id["conditions.bleeding"].critical_for == set(ALL)
    assert by_id["medications.blood_thinners"].critical_for == set(ALL)
    assert by_id["medications.isotretinoin"].critical_for == set(ALL)
    assert by_id["pregnant"].critical_for == set(ALL)
    assert by_id["conditions.prp_factors"].critical_for == {PRP}
    assert by_id["medications.painkillers"].critical_for == {PRP}
    assert by_id["fitzpatrick"].critical_for == set()
    assert by_id["conditions.needles"].critical_for == set()


# --- pending_questions: only what could still change the decision, in section 7 order -------------


def test_everything_is_pending_for_an_empty_intake_in_section_7_order():
    pending = pending_questions({"today": TODAY})
    assert pending[:5] == ["concerns", "areas", "age", "pregnant", "breastfeeding"]
    assert pending.index("medications.isotretinoin") < pending.index("conditions.bleeding")
    assert pending.index("conditions.bleeding") < pending.index("recent_procedures")
    assert pending.index("recent_procedures") < pending.index("conditions.implanted_device")
    assert pending.index("fitzpatrick") < pending.index("conditions.unwell") < pending.index("preferences")
    assert pending[-1] == "preferences"


def test_prp_questions_are_only_asked_when_prp_is_in_play():
    for_wrinkles = pending_questions({"today": TODAY, "concerns": ["wrinkles"]})  # PRP is not offered
    for_scars = pending_questions({"today": TODAY, "concerns": ["acne_scars"]})
    prp_only = {"conditions.prp_factors", "conditions.needles"}
    assert not prp_only & set(for_wrinkles)
    assert prp_only <= set(for_scars)
    # Painkillers matter for PRP (defer) and for RF (caution), not for plain microneedling.
    assert "medications.painkillers" in for_wrinkles
    assert "medications.painkillers" not in pending_questions({"today": TODAY}, modalities=[MN])


def test_rf_only_questions_follow_the_treatments_in_play():
    assert "conditions.allergies" in pending_questions({"today": TODAY}, modalities=[RF])
    assert "conditions.needles" not in pending_questions({"today": TODAY}, modalities=[RF])
    assert "conditions.needles" in pending_questions({"today": TODAY}, modalities=[PRP])


def test_answered_fields_are_not_pending():
    pending = pending_questions(healthy(fitzpatrick=None))
    assert pending == ["fitzpatrick"]


def test_nothing_pending_once_all_is_answered():
    assert pending_questions(healthy()) == []


def test_excluded_treatments_are_out_of_play():
    pacemaker = {"today": TODAY, "concerns": ["laxity"], "conditions": ["implanted_electronic_device"]}
    assert pending_questions(pacemaker, modalities=[RF]) == []
    assert pending_questions(pacemaker) == []  # laxity only offers RF, which is excluded
    scars_too = dict(pacemaker, concerns=["acne_scars", "laxity"])
    assert "medications.isotretinoin" in pending_questions(scars_too)  # plain MN is still possible
    assert not any(q.startswith("conditions.") for q in pending_questions(scars_too))  # answered as a whole
    assert pending_questions(healthy(age=None, medications=["isotretinoin_current"])) == []


def test_unknown_treatment_name_is_refused():
    with pytest.raises(ValueError):
        pending_questions({"today": TODAY}, modalities=["laser"])
