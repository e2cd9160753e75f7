"""Issue 17 part 4: the free-text safety suite (tests/intake_answers/free_text_safety.yml).

Each statement is typed as a visitor types it and goes through the code the chat runs: the project's
spaCy pipeline (blank English, lookup lemmatizer, entity_ruler; Rasa's SpacyNLP lowercases the text
first), the phrase -> canonical value map Rasa's EntitySynonymMapper uses (data/nlu/entity_synonyms.yml),
then answer_question (a reply to a screening question) or apply_message (a volunteered message), then
Answers.to_intake, the dict the screening engine receives. Red flags go to the engine's triage with the
symptoms found, as actions/conversation/triage.py does.

Row keys (see the data file's header): text, question, intent, today, expect | triage + flag, xfail.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.intake_answers import Answers, answer_question, apply_message, symptoms_in
from actions.screening import decide, default_rules, triage_reasons
from contract.statuses import TRIAGE_LEVELS, TRIAGE_RANK

ROOT = Path(__file__).resolve().parents[2]
DATA_FILE = Path(__file__).with_name("free_text_safety.yml")
SYNONYMS_FILE = ROOT / "data" / "nlu" / "entity_synonyms.yml"
MIN_STATEMENTS = 150
MIN_PHRASINGS = 3
ROW_KEYS = {"text", "question", "intent", "today", "expect", "triage", "flag", "xfail", "why"}
EXPECT_KEYS = {
    "age",
    "fitzpatrick",
    "pregnant",
    "breastfeeding",
    "isotretinoin_last_dose",
    "isotretinoin_past_course",
    "flare_settled",
    "pregnancy_or_breastfeeding_ended",
    "severe_laxity",
    "conditions",
    "medications",
    "recent_procedures",
    "state",
    "status",
    "needs",
}


def load_rows() -> list[dict[str, Any]]:
    doc = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return list(doc["statements"])


ROWS = load_rows()


def red_flag_rules() -> list:
    """The knowledge base's red flags: every section-6 rule above normal recovery."""
    return [flag for flag in default_rules().red_flags if TRIAGE_RANK[flag.level] > TRIAGE_RANK["normal_recovery"]]


def red_flag_symptoms() -> set[str]:
    values: set[str] = set()
    for flag in red_flag_rules():
        for key in ("symptoms", "symptoms_all"):
            values.update(flag.when.parts.get(key) or ())
    return values


def row_id(row: dict[str, Any]) -> str:
    kind = f"triage {row['triage']}" if "triage" in row else row.get("question") or "volunteered"
    return f"{kind}: {row['text'][:60]}"


def params(rows: list[dict[str, Any]]) -> list:
    return [
        pytest.param(row, id=row_id(row), marks=[pytest.mark.xfail(reason=row["xfail"], strict=True)])
        if row.get("xfail")
        else pytest.param(row, id=row_id(row))
        for row in rows
    ]


ANSWER_ROWS = [row for row in ROWS if "triage" not in row]
TRIAGE_ROWS = [row for row in ROWS if "triage" in row]


# -------------------------------------------------------------------------------------------------
# The chat's NLU, as Rasa runs it


@pytest.fixture(scope="module")
def nlp():
    from spacy_pipeline.build import build_nlp, read_phrases

    return build_nlp(read_phrases())


@pytest.fixture(scope="module")
def synonyms() -> dict[str, str]:
    """EntitySynonymMapper's table: each example (lowercased) and each canonical value to the value."""
    doc = yaml.safe_load(SYNONYMS_FILE.read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for item in doc["nlu"]:
        value = str(item["synonym"])
        for line in str(item["examples"]).splitlines():
            example = line.strip().removeprefix("- ").strip()
            if example:
                table[example.lower()] = value
        table.setdefault(value.lower(), value)
    return table


def chat_entities(nlp, synonyms: dict[str, str], text: str) -> list[dict[str, Any]]:
    """The entities the actions receive for ``text``: SpacyNLP (case_sensitive false) lowercases the
    text, SpacyEntityExtractor gives the ruler's spans, EntitySynonymMapper maps the span's text."""
    doc = nlp(text.lower())
    found = []
    for ent in doc.ents:
        value = synonyms.get(ent.text.lower(), ent.text)
        # The chat only knows a value through the synonyms file: it must agree with the ruler's own id.
        assert value == ent.ent_id_, f"{ent.text!r}: synonyms give {value!r}, the ruler {ent.ent_id_!r}"
        found.append({"entity": ent.label_, "value": value, "start": ent.start_char, "end": ent.end_char})
    return found


def as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# -------------------------------------------------------------------------------------------------
# The data file itself


def test_the_suite_holds_at_least_150_distinct_statements():
    texts = [" ".join(row["text"].lower().split()) for row in ROWS]
    duplicates = [text for text, n in Counter(texts).items() if n > 1]
    assert not duplicates, duplicates
    assert len(texts) >= MIN_STATEMENTS


def test_rows_are_well_formed():
    questions = {q.id for q in default_rules().questions}
    for row in ROWS:
        assert set(row) <= ROW_KEYS, (row["text"], set(row) - ROW_KEYS)
        assert isinstance(row["text"], str) and row["text"].strip()
        as_date(row["today"])
        assert row.get("question") is None or row["question"] in questions, row
        if "triage" in row:
            assert row["triage"] in TRIAGE_LEVELS, row
            assert "expect" not in row, row
        else:
            assert row.get("intent") in ("inform", "affirm", "deny", "dont_know"), row
            assert row.get("expect") and set(row["expect"]) <= EXPECT_KEYS, row


def test_the_suite_uses_several_fixed_todays_across_month_and_year_ends():
    todays = {as_date(row["today"]) for row in ROWS}
    assert any(d.month == 1 and d.day <= 15 for d in todays), "an early-January today (year wrap)"
    assert any(d.month == 12 and d.day >= 15 for d in todays), "a late-December today"
    assert any(4 <= d.month <= 9 for d in todays), "a mid-year today"


def test_every_red_flag_of_the_knowledge_base_is_phrased_at_least_three_ways():
    """The rules above normal recovery (clinical-kb section 6), and each symptom they read."""
    rules = red_flag_rules()
    assert rules
    per_flag = Counter(row["flag"] for row in TRIAGE_ROWS if row.get("flag") and not row.get("xfail"))
    thin = {flag.id: per_flag[flag.id] for flag in rules if per_flag[flag.id] < MIN_PHRASINGS}
    assert not thin, f"red flags phrased fewer than {MIN_PHRASINGS} ways: {thin}"


def test_every_red_flag_symptom_is_found_in_at_least_three_statements(nlp, synonyms):
    per_symptom: Counter[str] = Counter()
    for row in TRIAGE_ROWS:
        if row.get("xfail"):
            continue
        found = {e["value"] for e in chat_entities(nlp, synonyms, row["text"]) if e["entity"] == "symptom"}
        per_symptom.update(found)
    thin = {value: per_symptom[value] for value in sorted(red_flag_symptoms()) if per_symptom[value] < MIN_PHRASINGS}
    assert not thin, f"red-flag symptoms found in fewer than {MIN_PHRASINGS} statements: {thin}"


# -------------------------------------------------------------------------------------------------
# The statements


def _check_list(intake: dict, field: str, spec: Any) -> None:
    got = intake.get(field)
    if spec is None:  # not asked / unknown: the engine must not receive an answer
        assert got is None, f"{field}: expected no answer, got {got}"
        return
    if isinstance(spec, list):  # exactly these values
        assert got is not None and sorted(got) == sorted(spec), f"{field}: {got} != {spec}"
        return
    assert got is not None or not spec.get("has"), f"{field}: no answer, expected {spec.get('has')}"
    for value in spec.get("has", ()):
        assert value in got, f"{field}: {value} missing from {got}"
    for value in spec.get("lacks", ()):
        assert value not in (got or ()), f"{field}: {value} must not be in {got}"


def _check_procedures(intake: dict, spec: Any) -> None:
    got = intake.get("recent_procedures")
    if spec is None:
        assert got is None, f"recent_procedures: expected no answer, got {got}"
        return
    items = [(p["type"], p["date"]) for p in got or ()]
    for wanted in spec.get("has", ()):
        assert (wanted["type"], wanted.get("date")) in items, f"recent_procedures: {wanted} not in {items}"


@pytest.mark.parametrize("row", params(ANSWER_ROWS))
def test_a_statement_gives_the_engine_the_facts_it_means(row, nlp, synonyms):
    text, today, question = row["text"], as_date(row["today"]), row.get("question")
    entities = chat_entities(nlp, synonyms, text)
    if question:
        result = answer_question(Answers.from_dict(None), question, row["intent"], entities, text, today)
        answers, status, needs = result.answers, result.status, result.needs
    else:
        answers, _ = apply_message(Answers.from_dict(None), text, entities, row["intent"], today)
        status = needs = None
    intake = answers.to_intake(today)
    decide(intake)  # the engine accepts what it is given
    expect = row["expect"]
    for field in (
        "age",
        "fitzpatrick",
        "pregnant",
        "breastfeeding",
        "isotretinoin_last_dose",
        "isotretinoin_past_course",
        "flare_settled",
        "pregnancy_or_breastfeeding_ended",
        "severe_laxity",
    ):
        if field in expect:
            wanted = expect[field]
            wanted = wanted.isoformat() if isinstance(wanted, date) else wanted
            assert intake.get(field) == wanted, f"{field}: {intake.get(field)!r} != {wanted!r} ({entities})"
    for field in ("conditions", "medications"):
        if field in expect:
            _check_list(intake, field, expect[field])
    if "recent_procedures" in expect:
        _check_procedures(intake, expect["recent_procedures"])
    for question_id, state in (expect.get("state") or {}).items():
        allowed = state if isinstance(state, list) else [state]  # a list: any of these (an open question)
        assert answers.state(question_id) in allowed, f"{question_id}: {answers.state(question_id)} not in {allowed}"
    if "status" in expect:
        assert status == expect["status"], (status, needs)
    if "needs" in expect:
        assert needs == expect["needs"], (status, needs)


@pytest.mark.parametrize("row", params(TRIAGE_ROWS))
def test_a_red_flag_statement_gets_the_knowledge_base_triage(row, nlp, synonyms):
    today = as_date(row["today"])
    named = {e["value"] for e in chat_entities(nlp, synonyms, row["text"]) if e["entity"] == "symptom"}
    symptoms = symptoms_in(row["text"], named, today)  # as the chat's red-flag check does
    intake = {"today": today.isoformat(), "symptoms": symptoms}
    assert decide(intake)["triage"] == row["triage"], symptoms
    if row.get("flag"):
        deciding = [r["rule"] for r in triage_reasons(intake) if r["level"] == row["triage"]]
        assert row["flag"] in deciding, (symptoms, deciding)
