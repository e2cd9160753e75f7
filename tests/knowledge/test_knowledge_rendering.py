"""Placeholders are filled from clinic.yml; prices never come from anywhere else."""

from __future__ import annotations

import re

import pytest
from knowledge_helpers import (
    DETAIL_UNKNOWN,
    PRICE_UNKNOWN,
    REAL_ANSWERS,
    clinic_doc,
    minimal_answers,
    without_prices,
    write_yaml,
)

from actions.knowledge import load_knowledge

REAL_PRICE_UNKNOWN = "the clinic will confirm the price at your consultation"


def custom_clinic(tmp_path, name="clinic.yml", **changes):
    doc = clinic_doc()
    doc["clinic"]["name"] = "Rosewood Skin Studio"
    doc["treatments"]["microneedling"]["price"] = 199
    doc["treatments"]["microneedling_prp"].update(price_from=300, price_to=380)
    rf = doc["treatments"]["rf_microneedling"]
    rf.pop("price", None)
    rf["price_from"] = 500
    doc["clinic"]["opening_hours"] = {"mon": ["08:30-16:00"], "sat": ["10:00-13:00"]}
    for key, value in changes.items():
        doc["clinic"][key] = value
    return write_yaml(tmp_path / name, doc)


@pytest.fixture
def real_with_custom_clinic(tmp_path):
    return load_knowledge(REAL_ANSWERS, clinic=custom_clinic(tmp_path))


@pytest.fixture
def real_without_prices(tmp_path):
    doc = without_prices(clinic_doc())
    doc["clinic"]["phone"] = None  # so that any digit in a price answer would be an invented figure
    return load_knowledge(REAL_ANSWERS, clinic=write_yaml(tmp_path / "clinic.yml", doc))


def test_treatment_prices_come_from_clinic_yml(real_with_custom_clinic):
    knowledge = real_with_custom_clinic
    assert "£199" in knowledge.answer("price", treatment="microneedling").text
    assert "£300–£380" in knowledge.answer("price", treatment="microneedling_prp").text
    assert "from £500" in knowledge.answer("price", treatment="rf_microneedling").text
    assert "Rosewood Skin Studio" in knowledge.answer("price", treatment="microneedling").text


def test_price_list_has_every_treatment_of_the_clinic(real_with_custom_clinic):
    text = real_with_custom_clinic.answer("price").text
    assert "- Consultation with a clinician: free" in text
    assert "- Microneedling: £199" in text
    assert "- Microneedling with PRP: £300–£380" in text
    assert "- RF microneedling: from £500" in text
    assert text.index("Consultation") < text.index("Microneedling: £199") < text.index("RF microneedling")


def test_other_currency(tmp_path):
    knowledge = load_knowledge(REAL_ANSWERS, clinic=custom_clinic(tmp_path, currency="EUR"))
    assert "€199" in knowledge.answer("price", treatment="microneedling").text


def test_no_configured_price_gives_price_unknown_and_no_figure(real_without_prices):
    knowledge = real_without_prices
    content = knowledge.topic_content("price")
    whens = [{}] + [{k: v[0] for k, v in variant.when.items()} for variant in content.variants]
    for when in whens:
        text = knowledge.answer("price", **when).text
        assert REAL_PRICE_UNKNOWN in text, when
        assert not re.search(r"\d", text), f"a figure appeared without a configured price: {text!r}"
        assert not re.search(r"[£$€]", text)
    assert REAL_PRICE_UNKNOWN in knowledge.answer("booking").text


def test_price_list_marks_only_unpriced_treatments(tmp_path):
    doc = clinic_doc()
    doc["treatments"]["rf_microneedling"].pop("price")
    knowledge = load_knowledge(REAL_ANSWERS, clinic=write_yaml(tmp_path / "clinic.yml", doc))
    text = knowledge.answer("price").text
    assert f"- RF microneedling: {REAL_PRICE_UNKNOWN}" in text
    assert "- Microneedling: £220" in text
    assert (
        f"RF microneedling at Demo Skin Clinic: {REAL_PRICE_UNKNOWN}."
        in knowledge.answer("price", treatment="rf_microneedling").text
    )


def test_treatment_missing_from_catalogue_gets_price_unknown(tmp_path):
    doc = clinic_doc()
    del doc["treatments"]["rf_microneedling"]
    for practitioner in doc["practitioners"]:
        practitioner["treatments"] = [t for t in practitioner["treatments"] if t != "rf_microneedling"]
    knowledge = load_knowledge(REAL_ANSWERS, clinic=write_yaml(tmp_path / "clinic.yml", doc))
    assert REAL_PRICE_UNKNOWN in knowledge.answer("price", treatment="rf_microneedling").text
    assert "RF microneedling" not in knowledge.answer("price").text.split("\n", 1)[1]


def test_price_unknown_text_is_the_clinics_own(tmp_path):
    doc = minimal_answers()
    doc["topics"]["price"]["answer"] = "Microneedling: {price:microneedling}. List:\n{price_list}"
    answers = write_yaml(tmp_path / "answers.yml", doc)
    clinic = write_yaml(tmp_path / "clinic.yml", without_prices(clinic_doc()))
    text = load_knowledge(answers, clinic=clinic).answer("price").text
    assert text.startswith(f"Microneedling: {PRICE_UNKNOWN}.")
    assert f"- Consultation with a clinician: {PRICE_UNKNOWN}" in text


def test_clinic_details_and_missing_details(tmp_path):
    doc = minimal_answers()
    doc["topics"]["contact"]["answer"] = "{clinic_name}: {contact}. {address}. {website}."
    answers = write_yaml(tmp_path / "answers.yml", doc)
    full = load_knowledge(answers, clinic=custom_clinic(tmp_path, name="full.yml"))
    text = full.answer("contact").text
    assert "Rosewood Skin Studio: +44 20 7946 0123 or hello@demo-skin-clinic.example." in text
    assert "12 Example Street, London W1 0AA" in text
    sparse = load_knowledge(answers, clinic=custom_clinic(tmp_path, name="sparse.yml", address=None, website=None))
    text = sparse.answer("contact").text
    assert text.endswith(f"{DETAIL_UNKNOWN}. {DETAIL_UNKNOWN}.")
    assert "None" not in text


def test_messages_render_clinic_settings(real_with_custom_clinic):
    knowledge = real_with_custom_clinic
    assert "Rosewood Skin Studio" in knowledge.message("greet")
    human = knowledge.message("human_contact")
    assert "+44 20 7946 0123" in human
    assert "Mon 08:30–16:00" in human and "Sat 10:00–13:00" in human
    assert "Mon 08:30–16:00" in knowledge.answer("opening_hours").text
    assert knowledge.message("price_unknown") == REAL_PRICE_UNKNOWN


def test_message_extra_values_override_placeholders(real_with_custom_clinic):
    assert "Other Clinic" in real_with_custom_clinic.message("greet", clinic_name="Other Clinic")


def test_clinic_may_be_given_as_a_path_or_loaded(tmp_path):
    from actions.content.clinic import load_clinic

    path = custom_clinic(tmp_path)
    assert load_knowledge(REAL_ANSWERS, clinic=path).clinic.name == "Rosewood Skin Studio"
    assert load_knowledge(REAL_ANSWERS, clinic=load_clinic(path)).clinic.name == "Rosewood Skin Studio"


@pytest.mark.parametrize("fixture", ["real_with_custom_clinic", "real_without_prices"])
def test_every_placeholder_of_the_real_file_resolves(fixture, request):
    knowledge = request.getfixturevalue(fixture)
    texts = []
    for topic in knowledge.topics:
        content = knowledge.topic_content(topic)
        texts += [knowledge.render(content.answer)] + [knowledge.render(v.answer) for v in content.variants]
    texts += [knowledge.message(name) for name in knowledge.message_names]
    assert len(texts) > 100
    for text in texts:
        assert "{" not in text and "}" not in text, text
        assert "None" not in text, text
