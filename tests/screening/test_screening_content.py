"""The rules file is clinic-editable: changes take effect without code, mistakes name file and key."""

from __future__ import annotations

import re

import pytest
from screening_support import ALL, MN, PRP, RF, decide_with, healthy, rule_entry, rules_doc, untils, write_rules

from actions.content import ContentError
from actions.screening import decide, default_rules, load_rules

ISO_DOSE = {"isotretinoin_last_dose": "2026-08-31"}


def test_real_rules_file_loads_with_every_clinical_kb_row():
    rules = load_rules()
    assert rules.version == "2026-11-20"
    assert {rule.id for rule in rules.rules} == {f"X{n:02d}" for n in range(1, 40)}
    assert [row.id for row in rules.concerns] == [f"C{n}" for n in range(1, 14)]
    assert all(rule.choice == "conservative" for rule in rules.rules)


def test_changing_a_deferral_interval_changes_until_without_code(tmp_path):
    assert untils(decide(healthy(**ISO_DOSE))) == {m: "2027-02-28" for m in ALL}

    def twelve_months(doc):
        rule_entry(doc, "X22")["action"] = {"all": {"defer": {"after": "isotretinoin_last_dose", "months": 12}}}

    changed = decide_with(healthy(**ISO_DOSE), write_rules(tmp_path, twelve_months))
    assert untils(changed) == {m: "2027-08-31" for m in ALL}


def test_a_longer_interval_also_keeps_the_rule_applying_longer(tmp_path):
    old_dose = {"isotretinoin_last_dose": "2026-03-01"}  # more than 6 months ago
    assert decide(healthy(**old_dose))["modalities"][MN]["status"] == "proceed"

    def twelve_months(doc):
        rule_entry(doc, "X22")["action"] = {"all": {"defer": {"after": "isotretinoin_last_dose", "months": 12}}}

    changed = decide_with(healthy(**old_dose), write_rules(tmp_path, twelve_months))
    assert changed["modalities"][MN] == {
        "status": "defer",
        "until": "2027-03-01",
        "reasons": changed["modalities"][MN]["reasons"],
    }


def test_toxin_interval_is_editable(tmp_path):
    intake = healthy(recent_procedures=[{"type": "botox", "date": "2026-11-15"}])
    assert untils(decide(intake))[MN] == "2026-11-29"

    def thirty_days(doc):
        rule_entry(doc, "X26")["action"]["all"]["defer"]["days"] = 30

    assert untils(decide_with(intake, write_rules(tmp_path, thirty_days)))[MN] == "2026-12-15"


def test_switching_a_disagree_row_to_its_alternative(tmp_path):
    path = write_rules(tmp_path, lambda doc: rule_entry(doc, "X22")["disagree"].update(use="consensus_no_delay"))
    decision = decide_with(healthy(**ISO_DOSE), path)
    assert decision["modalities"][MN]["status"] == "clinician_review"
    assert decision["modalities"][PRP]["status"] == "clinician_review"
    assert decision["modalities"][RF]["status"] == "defer" and decision["modalities"][RF]["until"] == "2027-02-28"
    assert load_rules(path).rule("X22").choice == "consensus_no_delay"


def test_switching_the_pacemaker_row_lets_rf_go_to_review(tmp_path):
    path = write_rules(tmp_path, lambda doc: rule_entry(doc, "X29")["disagree"].update(use="cardiology_clearance"))
    decision = decide_with(healthy(conditions=["implanted_electronic_device"]), path)
    assert decision["modalities"][RF]["status"] == "clinician_review"


def test_every_disagree_row_names_an_alternative_or_says_why_not():
    doc = rules_doc()
    starred = {"X02", "X09", "X22", "X23", "X26", "X27", "X29", "X35"}
    for entry in doc["rules"]:
        if entry["id"] in starred and entry.get("case") in (None, "injectables"):
            assert entry["disagree"]["use"] == "conservative"
            assert entry["disagree"]["alternatives"], entry["id"]
    concern_rows = {row["id"]: row for row in doc["concerns"]}
    for row_id in ("C3", "C6", "C11"):
        assert concern_rows[row_id]["disagree"]["use"] == "conservative"
        assert concern_rows[row_id]["disagree"]["note"]


def test_concern_alternative_can_offer_prp_for_wrinkles(tmp_path):
    def switch(doc):
        next(row for row in doc["concerns"] if row["id"] == "C3")["disagree"]["use"] = "prp_for_rejuvenation"

    decision = decide_with(healthy(concerns=["wrinkles"]), write_rules(tmp_path, switch))
    assert [entry["modality"] for entry in decision["recommendation"]] == [MN, RF, PRP]
    prp = decision["recommendation"][2]
    assert any("mixed" in line for line in prp["why_not"])


def mutate_rule(rule_id, **changes):
    return lambda doc: rule_entry(doc, rule_id).update(changes)


BROKEN = [
    (lambda doc: doc.pop("rules_version"), "rules_version"),
    (lambda doc: doc.update(colour="red"), "colour"),
    (lambda doc: doc["rules"].remove(rule_entry(doc, "X16")), "rules"),
    (mutate_rule("X16", action={"all": "forbid"}), "rules[16].action.all"),
    (mutate_rule("X16", action={"laser": "exclude"}), "rules[16].action.laser"),
    (mutate_rule("X16", when={"conditions": ["vampirism"]}), "rules[16].when.conditions[0]"),
    (mutate_rule("X16", when={"moon_phase": "full"}), "rules[16].when.moon_phase"),
    (mutate_rule("X16", text=""), "rules[16].text"),
    (mutate_rule("X16", source="Wikipedia"), "rules[16].source"),
    (
        mutate_rule("X22", action={"all": {"defer": {"after": "isotretinoin_last_dose", "months": -6}}}),
        "rules[23].action.all.defer.months",
    ),
    (
        mutate_rule("X22", action={"all": {"defer": {"after": "isotretinoin_last_dose", "months": 6, "days": 3}}}),
        "rules[23].action.all.defer",
    ),
    (mutate_rule("X22", action={"all": {"defer": {"after": "procedure_date", "months": 6}}}), "rules[23].action"),
    (mutate_rule("X22", action={"all": "clinician_review"}), "rules[23].within"),
    (lambda doc: rule_entry(doc, "X22")["disagree"].update(use="whatever"), "rules[23].disagree.use"),
    (
        lambda doc: rule_entry(doc, "X22")["disagree"]["alternatives"]["consensus_no_delay"].update(
            action={"all": "maybe"}
        ),
        "rules[23].disagree.alternatives.consensus_no_delay.action.all",
    ),
    (
        lambda doc: next(q for q in doc["questions"] if q["id"] == "conditions.bleeding").update(critical_for=[]),
        "critical_for",
    ),
    (
        lambda doc: next(q for q in doc["questions"] if q["id"] == "conditions.bleeding")["values"].remove(
            "bleeding_disorder"
        ),
        "questions",
    ),
    (lambda doc: doc["red_flags"].pop(), "red_flags"),
    (lambda doc: doc["red_flags"][0].update(level="panic"), "red_flags[0].level"),
    (lambda doc: doc["concerns"].pop(0), "concerns"),
    (
        lambda doc: doc["concerns"][0]["offer"]["microneedling"].update(rank="first"),
        "concerns[0].offer.microneedling.rank",
    ),
    (lambda doc: doc["modalities"].pop("rf_microneedling"), "modalities.rf_microneedling"),
]


@pytest.mark.parametrize("mutate, key", BROKEN, ids=[k for _, k in BROKEN])
def test_mistakes_name_the_file_and_key(tmp_path, mutate, key):
    path = write_rules(tmp_path, mutate)
    with pytest.raises(ContentError) as raised:
        load_rules(path)
    assert raised.value.path == str(path)
    assert key in raised.value.key
    assert str(path) in str(raised.value)


def test_unreadable_file_is_a_content_error(tmp_path):
    path = tmp_path / "screening_rules.yml"
    path.write_text("rules: [unclosed")
    with pytest.raises(ContentError):
        load_rules(path)


def test_default_rules_follow_the_file_on_disk():
    assert default_rules() is default_rules()


# --- wording: never diagnose, never tell anyone to stop or change a medicine ----------------------

FORBIDDEN = [
    r"\bstop(s|ped|ping)?\b",
    r"\bdiscontinu",
    r"\bcome off\b",
    r"\bquit\b",
    r"\bpause\b",
    r"\bskip\b",
    r"(?<!do )\byou have\b",
    r"\byou've got\b",
    r"\byou are suffering\b",
    r"\bdiagnos",
    r"\byour (melasma|pih|keloid|acne|infection)\b",
    r"\bchange (your|the) (dose|medicine|medication)\b",
    r"\bwill (cure|remove|clear)\b",
    r"\bguarantee",
]
VISITOR_KEYS = {"text", "why", "why_not", "note", "not_offered", "ask", "unknown", "left_out_text", "upcoming_text"}
MEDICINE_WORDS = re.compile(r"blood thinner|isotretinoin|steroid|immune-dampening|retinoid|painkiller|medicine", re.I)


def visitor_texts(node, key=None):
    if isinstance(node, dict):
        for name, value in node.items():
            if name in VISITOR_KEYS or key in VISITOR_KEYS:
                yield from visitor_texts(value, name if name in VISITOR_KEYS else key)
            else:
                yield from visitor_texts(value, None)
    elif isinstance(node, list):
        for value in node:
            yield from visitor_texts(value, key)
    elif isinstance(node, str) and key in VISITOR_KEYS:
        yield node


def without_operator_notes(node):
    """Drop the `note` of disagree blocks and their alternatives: those are for the clinic, not visitors."""
    if isinstance(node, dict):
        cleaned = {}
        for name, value in node.items():
            if name == "disagree":
                value = {
                    **value,
                    "note": None,
                    "alternatives": {k: {**v, "note": None} for k, v in (value.get("alternatives") or {}).items()},
                }
            cleaned[name] = without_operator_notes(value)
        return cleaned
    if isinstance(node, list):
        return [without_operator_notes(value) for value in node]
    return node


def all_visitor_texts():
    return [text for text in visitor_texts(without_operator_notes(rules_doc())) if text]


def test_there_are_many_texts_to_check():
    assert len(all_visitor_texts()) > 150


@pytest.mark.parametrize("pattern", FORBIDDEN)
def test_no_text_diagnoses_or_tells_anyone_to_stop_a_medicine(pattern):
    offenders = [text for text in all_visitor_texts() if re.search(pattern, text, re.I)]
    assert offenders == []


def test_texts_about_prescribed_medicines_point_to_the_prescriber_or_clinician():
    doc = rules_doc()
    for entry in doc["rules"]:
        if entry["id"] in {"X12", "X17", "X20", "X21", "X23"}:
            for text in visitor_texts({"text": entry["text"]}):
                assert MEDICINE_WORDS.search(text) is None or re.search(r"prescriber|clinician", text), text


def test_decisions_only_use_texts_from_the_file():
    texts = set(all_visitor_texts())
    decision = decide(
        healthy(
            concerns=["acne_scars", "laxity"],
            fitzpatrick=5,
            conditions=["cold_sore_history"],
            preferences={"downtime": "minimal", "budget": "low", "event_date": "2026-12-30"},
        )
    )
    for entry in decision["modalities"].values():
        assert all(reason["text"] in texts for reason in entry["reasons"])
    for entry in decision["recommendation"]:
        for line in entry["why"] + entry["why_not"]:
            stripped = line.removeprefix("Subject to clinician assessment: ")
            assert stripped in texts or any(stripped == t.format(event_date="2026-12-30") for t in texts), line
