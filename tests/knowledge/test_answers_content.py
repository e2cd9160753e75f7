"""Checks over the real answers.yml: complete, sourced, short, honest, and never a figure price."""

from __future__ import annotations

import re

import pytest
from knowledge_helpers import ALL_MESSAGES, ALL_TOPICS, REAL_ANSWERS, REAL_CLINIC

from actions.knowledge import load_knowledge, vocabulary

# Source IDs listed in clinical-kb.md §8 (the only sources answers may cite), plus `clinic`.
KB_SOURCES = {f"S{n}" for n in [*range(1, 70), 71, 72, 73, 74, 75, 76, 77, 78]} | {"S54b", "clinic"}
CONCERNS = [
    "acne_scars",
    "icepick_scars",
    "fine_lines",
    "wrinkles",
    "laxity",
    "pores_texture",
    "melasma",
    "hyperpigmentation",
    "pih",
    "stretch_marks",
    "surgical_scars",
    "hair_loss",
    "under_eye",
    "active_acne",
]
MAX_BUBBLE = 700


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge(REAL_ANSWERS, clinic=REAL_CLINIC)


def all_entries(knowledge):
    """(label, raw text, sources) for every default answer and variant."""
    for topic in knowledge.topics:
        content = knowledge.topic_content(topic)
        yield f"{topic}.default", content.answer, content.sources
        for index, variant in enumerate(content.variants):
            yield f"{topic}.variants[{index}]", variant.answer, variant.sources


def text_of(knowledge, topic, **when):
    return knowledge.answer(topic, **when).text.lower()


def test_vocabulary_matches_the_shared_notes():
    assert list(vocabulary.TOPICS) == ALL_TOPICS
    assert list(vocabulary.CONCERNS) == CONCERNS
    assert vocabulary.TREATMENTS == ("microneedling", "microneedling_prp", "rf_microneedling", "home_roller")
    assert vocabulary.AREAS == ("face", "neck", "chest", "body", "scalp", "under_eye")
    assert set(vocabulary.PROCEDURES) == {
        "botox",
        "filler",
        "threads",
        "chemical_peel",
        "chemical_peel_light",
        "chemical_peel_deep",
        "laser",
        "laser_nonablative",
        "laser_ablative",
        "surgery_face",
    }


def test_every_topic_and_message_is_present(knowledge):
    assert list(knowledge.topics) == ALL_TOPICS
    assert set(knowledge.message_names) == set(ALL_MESSAGES)


def test_every_answer_cites_known_sources(knowledge):
    for label, _, sources in all_entries(knowledge):
        assert sources, label
        unknown = set(sources) - KB_SOURCES
        assert not unknown, f"{label} cites sources not in clinical-kb.md: {unknown}"


def test_clinical_answers_cite_the_kb_not_only_the_clinic(knowledge):
    clinic_only = {"price", "booking", "opening_hours", "contact"}
    for label, _, sources in all_entries(knowledge):
        if label.split(".")[0] not in clinic_only:
            assert any(s.startswith("S") for s in sources), label


def test_no_price_is_written_as_a_figure_in_the_file():
    raw = REAL_ANSWERS.read_text(encoding="utf-8")
    assert not re.search(r"[£$€]\s*\d|\d\s*(?:GBP|USD|EUR|pounds|dollars|euros)\b", raw)


def test_texts_fit_a_chat_bubble(knowledge):
    for label, text, _ in all_entries(knowledge):
        rendered = knowledge.render(text)
        assert len(rendered) <= MAX_BUBBLE, f"{label} is {len(rendered)} characters"
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", rendered.replace("\n", " ")) if s]
        assert 1 <= len(sentences) <= 4, f"{label} has {len(sentences)} sentences"
    for name in knowledge.message_names:
        assert len(knowledge.message(name)) <= MAX_BUBBLE, name


def test_titles_fit_a_button(knowledge):
    for topic in knowledge.topics:
        assert 0 < len(knowledge.title(topic)) <= 20, topic


@pytest.mark.parametrize("concern", CONCERNS)
def test_every_concern_has_its_own_answer(knowledge, concern):
    answer = knowledge.answer("concerns", concern=concern)
    assert answer.matched == {"concern": concern}
    assert answer.text != knowledge.answer("concerns").text


@pytest.mark.parametrize(
    "concern", ["melasma", "hair_loss", "under_eye", "icepick_scars", "hyperpigmentation", "pih", "active_acne"]
)
def test_clinician_only_concerns_defer_to_a_clinician(knowledge, concern):
    text = text_of(knowledge, "concerns", concern=concern)
    assert "clinician" in text or "dermatologist" in text
    assert re.search(r"\b(confirm|assess|diagnos|advise)", text), "defers the judgement to the clinician"


@pytest.mark.parametrize("area", ["scalp", "under_eye"])
def test_clinician_only_areas_defer_to_a_clinician(knowledge, area):
    assert knowledge.answer("body_areas", area=area).matched == {"area": area}
    assert "clinician" in text_of(knowledge, "body_areas", area=area)


def test_prp_for_wrinkles_is_no_better_than_saline(knowledge):
    for concern in ("wrinkles", "fine_lines"):
        answer = knowledge.answer("evidence", treatment="microneedling_prp", concern=concern)
        assert answer.matched == {"treatment": "microneedling_prp", "concern": concern}
        assert "no better than" in answer.text and "saline" in answer.text
        assert "S47" in answer.sources


def test_prp_for_acne_scars_is_supported(knowledge):
    answer = knowledge.answer("evidence", treatment="microneedling_prp", concern="acne_scars")
    assert answer.matched == {"treatment": "microneedling_prp", "concern": "acne_scars"}
    assert answer.text.startswith("Yes")
    assert "no better" not in answer.text
    assert "S23" in answer.sources


def test_prp_is_explained_with_blood_draw_and_centrifuge(knowledge):
    for topic in ("what_is", "how_it_works"):
        text = text_of(knowledge, topic, treatment="microneedling_prp")
        assert "blood" in text and "centrifuge" in text


def test_rf_risks_mention_the_fda_2025_safety_communication(knowledge):
    answer = knowledge.answer("risks", treatment="rf_microneedling")
    text = answer.text.lower()
    assert "fda" in text and "15 october 2025" in text and "safety communication" in text
    for harm in ("burns", "scarring", "fat loss", "nerve damage"):
        assert harm in text
    assert "home" in text
    assert "S3" in answer.sources


def test_rf_is_explained_with_scabs_and_not_for_home_use(knowledge):
    assert "scabs" in text_of(knowledge, "downtime", treatment="rf_microneedling")
    assert "scabs" in text_of(knowledge, "comparison")
    assert "not for home use" in text_of(knowledge, "what_is", treatment="rf_microneedling")
    assert "not for home use" in text_of(knowledge, "home_roller", treatment="rf_microneedling")


def test_precare_says_no_vitamin_c_right_before(knowledge):
    assert "vitamin c" in text_of(knowledge, "precare") and "right before" in text_of(knowledge, "precare")
    assert "ibuprofen" in text_of(knowledge, "precare", treatment="microneedling_prp")


def test_evidence_is_honest_about_fda_authorised_uses(knowledge):
    text = text_of(knowledge, "evidence")
    for fact in ("acne scars", "wrinkles", "abdominal scars", "22", "off-label"):
        assert fact in text


def test_candidacy_is_general_and_points_to_screening(knowledge):
    text = text_of(knowledge, "candidacy")
    for fact in ("pregnant", "isotretinoin", "clinician", "screening", "not medical advice"):
        assert fact in text
    assert "pacemaker" in text_of(knowledge, "candidacy", treatment="rf_microneedling")


def test_home_rollers_are_compared_with_professional_treatment(knowledge):
    text = text_of(knowledge, "home_roller")
    assert "don't give the same results" in text and "infection" in text


@pytest.mark.parametrize(
    "topic",
    [
        "what_is",
        "how_it_works",
        "pain",
        "downtime",
        "risks",
        "aftercare",
        "sessions",
        "results_timeline",
        "evidence",
        "price",
    ],
)
@pytest.mark.parametrize("treatment", ["microneedling_prp", "rf_microneedling", "home_roller"])
def test_treatment_follow_ups_have_their_own_answer(knowledge, topic, treatment):
    assert knowledge.answer(topic, treatment=treatment).matched == {"treatment": treatment}


@pytest.mark.parametrize("concern", ["acne_scars", "stretch_marks", "surgical_scars", "hair_loss"])
def test_sessions_by_concern(knowledge, concern):
    assert knowledge.answer("sessions", concern=concern).matched == {"concern": concern}


@pytest.mark.parametrize("procedure", ["laser", "laser_ablative", "chemical_peel", "chemical_peel_deep", "botox"])
def test_comparison_by_procedure(knowledge, procedure):
    assert knowledge.answer("comparison", procedure=procedure).matched == {"procedure": procedure}


@pytest.mark.parametrize("area", ["neck", "scalp", "under_eye", "chest", "body", "face"])
def test_body_areas_by_area(knowledge, area):
    assert knowledge.answer("body_areas", area=area).matched == {"area": area}


def test_greeting_discloses_a_virtual_assistant_not_a_clinician(knowledge):
    text = knowledge.message("greet")
    assert "Demo Skin Clinic" in text
    assert "virtual assistant" in text and "not a clinician" in text


def test_conversation_messages_say_what_they_must(knowledge):
    assert "not a person" in knowledge.message("bot_challenge")
    out_of_scope = knowledge.message("out_of_scope")
    assert "microneedling" in out_of_scope and "consultation" in out_of_scope
    assert knowledge.message("clarify").startswith("I'm not sure I got that")
    human = knowledge.message("human_contact")
    assert "+44 20 7946 0123" in human and "Sat 10:00–14:00" in human
    assert "not medical advice" in knowledge.message("not_medical_advice")
