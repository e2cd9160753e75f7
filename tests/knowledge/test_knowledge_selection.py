"""Choosing the answer: the most specific matching variant wins, ties go to the first, else default."""

from __future__ import annotations

import pytest
from knowledge_helpers import ALL_TOPICS, REAL_CLINIC, minimal_answers, write_yaml

from actions.content.clinic import load_clinic
from actions.knowledge import load_knowledge

PAIN_VARIANTS = [
    ({"treatment": "rf_microneedling"}, "RF pain.", ["S25"], ["4c"]),
    ({"treatment": "rf_microneedling", "concern": "acne_scars"}, "RF pain for acne scars.", ["S25", "S1"], ["C1"]),
    ({"concern": "acne_scars"}, "Pain for acne scars.", ["S1"], []),
    ({"concern": ["acne_scars", "wrinkles"]}, "Pain for scars or wrinkles.", ["S9"], []),
    ({"area": "neck", "concern": "wrinkles", "treatment": "microneedling"}, "Plain neck wrinkles.", ["S5"], []),
]


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory):
    doc = minimal_answers()
    doc["topics"]["pain"]["kb"] = ["4a"]
    doc["topics"]["pain"]["variants"] = [
        {"when": when, "answer": answer, "sources": sources, **({"kb": kb} if kb else {})}
        for when, answer, sources, kb in PAIN_VARIANTS
    ]
    path = write_yaml(tmp_path_factory.mktemp("sel") / "answers.yml", doc)
    return load_knowledge(path, clinic=load_clinic(REAL_CLINIC))


def test_no_entities_gives_the_default(knowledge):
    answer = knowledge.answer("pain")
    assert answer.text == "Default answer for pain."
    assert (answer.sources, answer.kb, answer.matched) == (("S1",), ("4a",), {})


def test_single_key_variant(knowledge):
    answer = knowledge.answer("pain", treatment="rf_microneedling")
    assert answer.text == "RF pain."
    assert answer.sources == ("S25",)
    assert answer.kb == ("4c",)
    assert answer.matched == {"treatment": "rf_microneedling"}


def test_most_specific_variant_wins_even_when_later_in_file(knowledge):
    answer = knowledge.answer("pain", treatment="rf_microneedling", concern="acne_scars")
    assert answer.text == "RF pain for acne scars."
    assert answer.matched == {"treatment": "rf_microneedling", "concern": "acne_scars"}
    assert answer.sources == ("S25", "S1")


def test_three_keys_beat_one(knowledge):
    answer = knowledge.answer("pain", treatment="microneedling", concern="wrinkles", area="neck")
    assert answer.text == "Plain neck wrinkles."
    assert answer.matched == {"area": "neck", "concern": "wrinkles", "treatment": "microneedling"}


def test_partial_match_of_a_multi_key_variant_does_not_count(knowledge):
    # neck + wrinkles without the treatment: the 3-key variant is not satisfied; the list variant is.
    assert knowledge.answer("pain", concern="wrinkles", area="neck").text == "Pain for scars or wrinkles."


def test_tie_goes_to_the_first_in_file(knowledge):
    # acne_scars matches variants 2 and 3, both with one key: the earlier one wins.
    assert knowledge.answer("pain", concern="acne_scars").text == "Pain for acne scars."
    # rf + wrinkles matches variant 0 (treatment) and 3 (concern list): variant 0 is first.
    answer = knowledge.answer("pain", treatment="rf_microneedling", concern="wrinkles")
    assert answer.text == "RF pain."
    assert answer.matched == {"treatment": "rf_microneedling"}


def test_what_was_just_named_breaks_the_tie(knowledge):
    # rf + wrinkles tie at one key each; the visitor has just said "wrinkles", so that variant wins.
    answer = knowledge.answer("pain", treatment="rf_microneedling", concern="wrinkles", focus={"concern"})
    assert answer.text == "Pain for scars or wrinkles."
    # focus never beats a more specific variant
    answer = knowledge.answer("pain", treatment="microneedling", concern="wrinkles", area="neck", focus={"area"})
    assert answer.matched == {"area": "neck", "concern": "wrinkles", "treatment": "microneedling"}


def test_list_in_when_matches_any_value(knowledge):
    answer = knowledge.answer("pain", concern="wrinkles")
    assert answer.text == "Pain for scars or wrinkles."
    assert answer.matched == {"concern": "wrinkles"}


def test_no_matching_variant_falls_back_to_default(knowledge):
    assert knowledge.answer("pain", concern="fine_lines").text == "Default answer for pain."
    assert knowledge.answer("pain", treatment="microneedling_prp", area="face").matched == {}


def test_unknown_entity_value_falls_back_to_default(knowledge):
    assert knowledge.answer("pain", treatment="prpp").text == "Default answer for pain."


def test_several_values_for_one_entity(knowledge):
    answer = knowledge.answer("pain", treatment=["microneedling", "rf_microneedling"])
    assert answer.text == "RF pain."
    assert answer.matched == {"treatment": "rf_microneedling"}


def test_topic_without_variants_ignores_entities(knowledge):
    answer = knowledge.answer("risks", treatment="rf_microneedling", concern="melasma")
    assert answer.text == "Default answer for risks."
    assert answer.matched == {}


def test_unknown_topic_is_a_clear_key_error(knowledge):
    with pytest.raises(KeyError) as caught:
        knowledge.answer("prices")
    assert "unknown topic 'prices'" in str(caught.value)
    assert "price" in str(caught.value)  # lists the known topics
    with pytest.raises(KeyError):
        knowledge.title("prices")


def test_unknown_message_is_a_clear_key_error(knowledge):
    with pytest.raises(KeyError) as caught:
        knowledge.message("hello")
    assert "unknown message 'hello'" in str(caught.value)


def test_topics_and_titles(knowledge):
    assert knowledge.topics == tuple(ALL_TOPICS)
    assert knowledge.title("pain") == "T pain"
