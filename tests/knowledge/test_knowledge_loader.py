"""answers.yml is checked strictly: a mistake names the file and the key, with the problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from knowledge_helpers import REAL_CLINIC, minimal_answers, write_yaml

from actions.content import ContentError
from actions.content.clinic import load_clinic
from actions.knowledge import load_knowledge


@pytest.fixture(scope="module")
def clinic():
    return load_clinic(REAL_CLINIC)


def load_doc(tmp_path: Path, doc, clinic):
    return load_knowledge(write_yaml(tmp_path / "answers.yml", doc), clinic=clinic)


def error_for(tmp_path: Path, doc, clinic) -> ContentError:
    with pytest.raises(ContentError) as caught:
        load_doc(tmp_path, doc, clinic)
    return caught.value


def pain_with_variants(*whens):
    doc = minimal_answers()
    doc["topics"]["pain"]["variants"] = [
        {"when": when, "answer": f"Variant {i}.", "sources": ["S11"]} for i, when in enumerate(whens)
    ]
    return doc


def test_minimal_valid_file_loads(tmp_path, clinic):
    knowledge = load_doc(tmp_path, minimal_answers(), clinic)
    assert knowledge.answer("pain").text == "Default answer for pain."


def test_unknown_when_value_names_file_key_and_value(tmp_path, clinic):
    doc = pain_with_variants({"treatment": "rf_microneedling"}, {"concern": "acne_scars"}, {"treatment": "prpp"})
    err = error_for(tmp_path, doc, clinic)
    assert "answers.yml: topics.pain.variants[2].when.treatment: unknown value 'prpp'" in str(err)
    assert "microneedling_prp" in str(err)  # the allowed values are listed
    assert err.key == "topics.pain.variants[2].when.treatment"


def test_unknown_value_inside_a_when_list(tmp_path, clinic):
    doc = pain_with_variants({"concern": ["wrinkles", "wrinkels"]})
    err = error_for(tmp_path, doc, clinic)
    assert "answers.yml: topics.pain.variants[0].when.concern: unknown value 'wrinkels'" in str(err)


def test_unknown_when_entity(tmp_path, clinic):
    err = error_for(tmp_path, pain_with_variants({"treatmnt": "microneedling"}), clinic)
    assert "answers.yml: topics.pain.variants[0].when.treatmnt: unknown entity" in str(err)


def test_empty_when(tmp_path, clinic):
    err = error_for(tmp_path, pain_with_variants({}), clinic)
    assert "answers.yml: topics.pain.variants[0].when: must name at least one of" in str(err)


def test_duplicate_when_could_never_be_chosen(tmp_path, clinic):
    doc = pain_with_variants({"concern": ["wrinkles", "fine_lines"]}, {"concern": ["fine_lines", "wrinkles"]})
    err = error_for(tmp_path, doc, clinic)
    assert "answers.yml: topics.pain.variants[1].when: is the same as variants[0].when" in str(err)


def test_unknown_placeholder(tmp_path, clinic):
    doc = minimal_answers()
    doc["topics"]["price"]["answer"] = "Our prices: {prices}"
    err = error_for(tmp_path, doc, clinic)
    assert "answers.yml: topics.price.answer: unknown placeholder {prices}" in str(err)


def test_unknown_treatment_in_price_placeholder(tmp_path, clinic):
    doc = minimal_answers()
    doc["topics"]["price"]["variants"] = [
        {"when": {"treatment": "microneedling"}, "answer": "It costs {price:botox}.", "sources": ["clinic"]}
    ]
    err = error_for(tmp_path, doc, clinic)
    assert "answers.yml: topics.price.variants[0].answer: unknown treatment in placeholder {price:botox}" in str(err)


def test_stray_brace(tmp_path, clinic):
    doc = minimal_answers()
    doc["topics"]["contact"]["answer"] = "Call {clinic_name on {contact}."
    err = error_for(tmp_path, doc, clinic)
    assert "answers.yml: topics.contact.answer: has a '{' or '}'" in str(err)


def test_unknown_placeholder_in_message(tmp_path, clinic):
    doc = minimal_answers()
    doc["messages"]["greet"] = "Hi from {clinic}!"
    err = error_for(tmp_path, doc, clinic)
    assert "answers.yml: messages.greet: unknown placeholder {clinic}" in str(err)


def test_missing_variant_answer(tmp_path, clinic):
    doc = pain_with_variants({"treatment": "rf_microneedling"})
    del doc["topics"]["pain"]["variants"][0]["answer"]
    err = error_for(tmp_path, doc, clinic)
    assert "answers.yml: topics.pain.variants[0].answer: must be a non-empty text" in str(err)


def test_missing_sources(tmp_path, clinic):
    doc = minimal_answers()
    del doc["topics"]["risks"]["sources"]
    err = error_for(tmp_path, doc, clinic)
    assert "answers.yml: topics.risks.sources: is missing" in str(err)


def test_empty_variant_sources(tmp_path, clinic):
    doc = pain_with_variants({"treatment": "rf_microneedling"})
    doc["topics"]["pain"]["variants"][0]["sources"] = []
    err = error_for(tmp_path, doc, clinic)
    assert "answers.yml: topics.pain.variants[0].sources: must be a non-empty list" in str(err)


@pytest.mark.parametrize("bad", ["PubMed", "S 9", "s9", "S9a"])
def test_malformed_source_id(tmp_path, clinic, bad):
    doc = minimal_answers()
    doc["topics"]["risks"]["sources"] = ["S28", bad]
    err = error_for(tmp_path, doc, clinic)
    assert f"answers.yml: topics.risks.sources[1]: {bad!r} is not valid here" in str(err)


def test_malformed_kb_reference(tmp_path, clinic):
    doc = minimal_answers()
    doc["topics"]["risks"]["kb"] = ["4c", "Z9"]
    err = error_for(tmp_path, doc, clinic)
    assert "answers.yml: topics.risks.kb[1]: 'Z9' is not valid here" in str(err)


@pytest.mark.parametrize("text", ["It costs £220.", "Only $ 99 today", "From 350 GBP", "EUR 90 per session", "220€"])
def test_price_written_as_figure_is_refused(tmp_path, clinic, text):
    doc = minimal_answers()
    doc["topics"]["price"]["answer"] = text
    err = error_for(tmp_path, doc, clinic)
    assert "answers.yml: topics.price.answer: writes a price as a figure" in str(err)
    assert "{price:microneedling}" in str(err)  # tells the operator what to use instead


def test_price_figure_in_a_message_is_refused(tmp_path, clinic):
    doc = minimal_answers()
    doc["messages"]["out_of_scope"] = "Botox is £150 elsewhere."
    err = error_for(tmp_path, doc, clinic)
    assert "answers.yml: messages.out_of_scope: writes a price as a figure ('£150')" in str(err)


def test_numbers_that_are_not_prices_are_fine(tmp_path, clinic):
    doc = minimal_answers()
    doc["topics"]["downtime"]["answer"] = "It settles in 2–3 days; avoid makeup for 24 hours and use SPF 30+."
    assert "SPF 30+" in load_doc(tmp_path, doc, clinic).answer("downtime").text


def test_missing_topic(tmp_path, clinic):
    doc = minimal_answers()
    del doc["topics"]["contact"]
    err = error_for(tmp_path, doc, clinic)
    assert "answers.yml: topics.contact: is missing" in str(err)


def test_unknown_topic(tmp_path, clinic):
    doc = minimal_answers()
    doc["topics"]["prices"] = doc["topics"]["price"]
    err = error_for(tmp_path, doc, clinic)
    assert "answers.yml: topics.prices: unknown topic" in str(err)


def test_misspelt_topic_key(tmp_path, clinic):
    doc = minimal_answers()
    doc["topics"]["pain"]["answr"] = "typo"
    err = error_for(tmp_path, doc, clinic)
    assert "answers.yml: topics.pain.answr: unknown key" in str(err)


def test_missing_and_unknown_messages(tmp_path, clinic):
    doc = minimal_answers()
    del doc["messages"]["greet"]
    assert "answers.yml: messages.greet: is missing" in str(error_for(tmp_path, doc, clinic))
    doc = minimal_answers()
    doc["messages"]["greeting"] = "Hi"
    assert "answers.yml: messages.greeting: unknown message" in str(error_for(tmp_path, doc, clinic))


def test_price_unknown_must_not_contain_placeholders(tmp_path, clinic):
    doc = minimal_answers()
    doc["messages"]["price_unknown"] = "call {contact}"
    err = error_for(tmp_path, doc, clinic)
    assert "answers.yml: messages.price_unknown: must be plain text without placeholders" in str(err)


def test_unknown_top_level_key(tmp_path, clinic):
    doc = minimal_answers()
    doc["topic"] = {}
    assert "answers.yml: topic: unknown key" in str(error_for(tmp_path, doc, clinic))


def test_topics_must_be_a_mapping(tmp_path, clinic):
    doc = minimal_answers()
    doc["topics"] = ["pain"]
    assert "answers.yml: topics: must be a mapping" in str(error_for(tmp_path, doc, clinic))


def test_yaml_syntax_error_names_file_and_line(tmp_path, clinic):
    path = tmp_path / "answers.yml"
    path.write_text("topics:\n  pain:\n    answer: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_knowledge(path, clinic=clinic)
    assert "answers.yml: not valid YAML (line" in str(caught.value)


def test_missing_file(tmp_path, clinic):
    with pytest.raises(ContentError) as caught:
        load_knowledge(tmp_path / "answers.yml", clinic=clinic)
    assert str(caught.value).endswith("answers.yml: file not found")
