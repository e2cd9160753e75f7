"""Every rule in the rules file, one by one, against the clinical-kb row it encodes.

Each case is a healthy, fully answered intake plus the smallest change that triggers the rule. The
expected statuses are written here by hand from clinical-kb.md; `None` means the rule does not touch
that treatment. Two checks per case:
  * isolated: with only this rule loaded, each treatment gets exactly the expected status (and date),
    so removing or weakening the rule fails;
  * whole file: the rule appears in the reasons of every treatment it touches, and the final status
    is at least as restrictive as the rule asks.
"""

from __future__ import annotations

import dataclasses

import pytest
from screening_support import ALL, MN, PRP, RANK, RF, healthy, rule_ids

from actions.screening import decide, default_rules

D, E, R, C, P = "defer", "exclude", "clinician_review", "caution", "proceed"


def every(status):
    return {MN: status, PRP: status, RF: status}


def only(**per):
    return {MN: per.get("mn"), PRP: per.get("prp"), RF: per.get("rf")}


def cond(*values):
    return {"conditions": list(values)}


def meds(*values):
    return {"medications": list(values)}


def done(kind, when):
    return {"recent_procedures": [{"type": kind, "date": when}]}


# (rule key, intake changes, expected status per treatment, expected `until` per treatment or None)
CASES = [
    ("X01", cond("active_skin_infection"), every(D), every(None)),
    ("X01", cond("open_wound"), every(D), every(None)),
    ("X02", cond("active_acne"), every(D), every(None)),
    ("X02", {"concerns": ["active_acne"]}, every(D), every(None)),
    ("X03/flare", cond("eczema_flare"), every(D), None),
    ("X03/flare", cond("psoriasis_flare"), every(D), None),
    ("X03/flare", cond("rosacea_flare"), every(D), None),
    ("X03/settled", {"flare_settled": True}, every(R), None),
    ("X04", cond("active_cold_sore"), every(D), every(None)),
    ("X05", cond("cold_sore_history"), every(C), None),
    ("X05", cond("active_cold_sore"), every(C), None),
    ("X05", meds("antiviral"), every(C), None),
    ("X06", cond("suspicious_lesion"), every(E), None),
    ("X06", cond("skin_cancer_in_area"), every(E), None),
    ("X07", cond("recent_sunburn_or_tan"), every(D), every("2026-12-04")),
    ("X08", cond("tattoo_in_area"), {MN: R, PRP: R, RF: E}, None),
    ("X09", cond("keloid_history"), {MN: R, PRP: R, RF: E}, None),
    ("X10", cond("diabetes_uncontrolled"), every(D), every(None)),
    ("X11", cond("diabetes_controlled"), every(R), None),
    ("X12", cond("immunosuppressed"), {MN: R, PRP: R, RF: E}, None),
    ("X12", meds("immunosuppressant"), {MN: R, PRP: R, RF: E}, None),
    ("X12", meds("systemic_steroid"), {MN: R, PRP: R, RF: E}, None),
    ("X13", cond("chemotherapy_current"), every(E), None),
    ("X14", cond("radiation_to_area"), every(R), None),
    ("X15", cond("autoimmune_disease"), every(R), None),
    ("X16", cond("bleeding_disorder"), every(E), None),
    ("X16", cond("platelet_disorder"), every(E), None),
    ("X17", meds("anticoagulant"), every(R), None),
    ("X17", meds("antiplatelet"), every(R), None),
    ("X18", cond("platelet_disorder"), only(prp=E), None),
    ("X19", cond("anaemia"), only(prp=R), None),
    ("X19", cond("blood_cancer"), only(prp=R), None),
    ("X19", cond("fever_or_unwell"), only(prp=R), None),
    ("X19", cond("smoker"), only(prp=R), None),
    ("X20/nsaid", meds("nsaid"), only(prp=D, rf=C), only()),
    ("X20/systemic_steroid", meds("systemic_steroid"), only(prp=D), only()),
    ("X21", meds("isotretinoin_current"), every(E), None),
    ("X22", {"isotretinoin_last_dose": "2026-08-31"}, every(D), every("2027-02-28")),
    ("X22", {"isotretinoin_last_dose": "2026-11-20"}, every(D), every("2027-05-20")),
    ("X22", {"isotretinoin_last_dose": "2026-05-21"}, every(D), every("2026-11-21")),
    # A course known to have ended, on a day nobody knows: deferred with no date, never "no course".
    ("X22", {"isotretinoin_past_course": True}, every(D), every(None)),
    ("X23", meds("topical_retinoid"), every(D), every(None)),
    ("X23", meds("exfoliating_acids"), every(D), every(None)),
    ("X24/light_peel_or_nonablative", done("chemical_peel_light", "2026-11-10"), every(D), every("2026-12-01")),
    ("X24/light_peel_or_nonablative", done("laser_nonablative", "2026-11-10"), every(D), every("2026-12-01")),
    ("X24/rf_microneedling", done("rf_microneedling", "2026-11-10"), every(D), every("2026-12-01")),
    ("X24/microneedling", done("microneedling", "2026-11-10"), every(D), every("2026-11-24")),
    ("X24/ablative", done("laser_ablative", "2026-10-01"), every(D), every("2026-12-24")),
    ("X24/deep_peel", done("chemical_peel_deep", "2026-09-15"), every(D), every("2026-12-15")),
    ("X25/face", done("surgery_face", "2026-06-01"), {MN: R, PRP: R, RF: D}, only(rf="2027-06-01")),
    ("X25/elsewhere", done("surgery_other", "2026-10-30"), every(R), None),  # a caesarean 3 weeks ago
    ("X25/elsewhere", done("surgery_other", None), every(R), None),  # when: not known
    ("X26", done("botox", "2026-11-15"), every(D), every("2026-11-29")),
    ("X27/injectables", done("filler", "2026-03-01"), every(R), None),
    ("X27/injectables", done("threads", "2026-10-01"), every(R), None),
    ("X27/permanent", cond("permanent_filler_in_area"), {MN: R, PRP: R, RF: E}, None),
    ("X29", cond("implanted_electronic_device"), {MN: R, PRP: R, RF: E}, None),
    ("X30", cond("metal_implant_in_area"), {MN: P, PRP: P, RF: E}, None),
    ("X30", cond("permanent_filler_in_area"), {MN: P, PRP: P, RF: E}, None),
    ("X31", cond("metal_allergy"), every(R), None),
    ("X32", cond("gold_allergy"), only(rf=R), None),
    ("X33", cond("anaesthetic_allergy"), every(R), None),
    ("X33", {"pregnant": True}, every(R), None),
    ("X33", {"breastfeeding": True}, every(R), None),
    ("X34/now", {"pregnant": True}, every(D), every(None)),
    ("X34/now", {"breastfeeding": True}, every(D), every(None)),
    ("X34/rescreen", {"pregnancy_or_breastfeeding_ended": True}, every(R), None),
    ("X35", {"fitzpatrick": 4}, every(C), None),
    ("X35", {"fitzpatrick": 6}, every(C), None),
    ("X36/under_18", {"age": 17}, every(E), None),
    ("X36/under_18", {"age": 0}, every(E), None),
    ("X36/18_to_21", {"age": 18}, every(R), None),
    ("X36/18_to_21", {"age": 21}, every(R), None),
    ("X37", cond("needle_phobia"), {MN: P, PRP: C, RF: P}, None),
    ("X38", cond("fever_or_unwell"), {MN: D, PRP: E, RF: D}, every(None)),
    ("X39", {"severe_laxity": True}, every(R), None),
]
# Rows no intake question covers: kept in the file as advice, never triggered.
ADVICE_ONLY = {"X28": "vitamin C"}


def split(key: str) -> tuple[str, str | None]:
    rule_id, _, case = key.partition("/")
    return rule_id, case or None


def isolated(key: str):
    rules = default_rules()
    return dataclasses.replace(rules, rules=(rules.rule(*split(key)),))


@pytest.mark.parametrize("key, change, expected, until", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_alone_gives_exactly_its_status(key, change, expected, until):
    decision = decide(healthy(**change), rules=isolated(key))
    rule_id = split(key)[0]
    for modality in ALL:
        entry = decision["modalities"][modality]
        if expected[modality] is None:
            assert entry["status"] == P and rule_id not in rule_ids(decision, modality), modality
        else:
            assert entry["status"] == expected[modality], modality
            assert rule_ids(decision, modality) == [rule_id], modality
            assert all(reason["text"] and reason["source"] for reason in entry["reasons"])
        if until is not None:
            assert entry["until"] == until[modality], modality


@pytest.mark.parametrize("key, change, expected, until", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_in_whole_file_is_listed_and_never_softened(key, change, expected, until):
    decision = decide(healthy(**change))
    rule_id = split(key)[0]
    for modality in ALL:
        if expected[modality] is None:
            continue
        assert rule_id in rule_ids(decision, modality), modality
        assert RANK[decision["modalities"][modality]["status"]] >= RANK[expected[modality]], modality


def test_every_rule_in_the_file_has_a_case_here():
    keys = {rule.key for rule in default_rules().rules}
    tested = {key for key, *_ in CASES} | set(ADVICE_ONLY)
    assert keys == tested


@pytest.mark.parametrize("rule_id, words", ADVICE_ONLY.items())
def test_advice_only_rows_are_kept_but_never_triggered(rule_id, words):
    rule = default_rules().rule(rule_id)
    assert rule.when is None
    assert all(words in text for text in rule.texts.values())
    everything = healthy(
        conditions=["needle_phobia", "metal_allergy", "smoker"],
        medications=["topical_retinoid"],
        concerns=["laxity", "wrinkles"],
    )
    decision = decide(everything)
    assert all(rule_id not in rule_ids(decision, m) for m in ALL)


@pytest.mark.parametrize(
    "change",
    [
        {"isotretinoin_last_dose": "2026-05-20"},  # exactly 6 months: the wait ends today
        {"isotretinoin_last_dose": "2025-01-01"},
        {"recent_procedures": [{"type": "botox", "date": "2026-11-06"}]},  # 14 days ago
        {"recent_procedures": [{"type": "chemical_peel_light", "date": "2026-10-30"}]},  # 21 days ago
        {"recent_procedures": [{"type": "laser_ablative", "date": "2026-08-28"}]},  # 12 weeks ago
        {"recent_procedures": [{"type": "chemical_peel_deep", "date": "2026-08-20"}]},  # 3 months ago
        {"recent_procedures": [{"type": "filler", "date": "2025-11-20"}]},  # 12 months ago
        {"recent_procedures": [{"type": "surgery_face", "date": "2025-11-20"}]},
        {"recent_procedures": [{"type": "surgery_other", "date": "2025-11-20"}]},
        {"isotretinoin_past_course": False},
        {"flare_settled": False, "pregnancy_or_breastfeeding_ended": False, "severe_laxity": False},
        {"fitzpatrick": 3},
        {"age": 22},
    ],
)
def test_rules_stop_applying_when_their_window_has_passed(change):
    decision = decide(healthy(**change))
    assert set(decision["modalities"][m]["status"] for m in ALL) == {P}
    assert all(decision["modalities"][m]["reasons"] == [] for m in ALL)


def test_surgery_wait_for_rf_ends_but_clinician_review_stays_within_the_year():
    decision = decide(healthy(recent_procedures=[{"type": "surgery_face", "date": "2026-01-10"}]))
    assert decision["modalities"][RF]["status"] == D and decision["modalities"][RF]["until"] == "2027-01-10"
    assert decision["modalities"][MN]["status"] == R


def test_procedure_with_unknown_date_is_treated_as_recent_without_a_date():
    decision = decide(healthy(recent_procedures=[{"type": "botox", "date": None}]))
    assert all(decision["modalities"][m]["status"] == D for m in ALL)
    assert all(decision["modalities"][m]["until"] is None for m in ALL)
