"""Splitting long texts within each provider's limit, numbered options, plain-text links."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasa_server.channels.render import numbered_options, plain_links, reply_hint, short_title, split_text, utf16_len


def test_short_text_is_one_part():
    assert split_text("  Hello there.  ", 1600) == ["Hello there."]


def test_empty_text_has_no_parts():
    assert split_text("   ", 100) == []


def test_paragraphs_are_kept_whole_when_they_fit():
    first, second = "A" * 60, "B" * 60
    assert split_text(f"{first}\n\n{second}", 100) == [first, second]


def test_a_cut_falls_between_sentences_before_between_words():
    text = "One sentence, a little longer. " + "word " * 30
    parts = split_text(text, 40)
    assert parts[0] == "One sentence, a little longer."
    assert parts[1].startswith("word word")


def test_a_word_longer_than_the_limit_is_cut_hard():
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_emoji_count_as_two_units():
    parts = split_text("😀" * 5, 4)
    assert parts == ["😀😀", "😀😀", "😀"]
    assert split_text("😀", 1) == ["😀"]  # cannot fit: sent whole rather than looping forever


@given(
    st.text(alphabet=st.sampled_from(list("abc .\n!é😀")), min_size=1, max_size=3000),
    st.sampled_from([20, 160, 1600]),
)
def test_parts_fit_the_limit_and_keep_every_visible_character_in_order(text, limit):
    parts = split_text(text, limit)
    assert all(utf16_len(part) <= limit for part in parts)
    visible = "".join(text.split())
    assert "".join("".join(parts).split()) == visible


def test_provider_sized_split_of_a_long_answer():
    sentence = "Microneedling makes tiny channels that prompt collagen renewal. "
    answer = sentence * 100  # about 6400 characters
    for limit in (1600, 2000, 4096):
        parts = split_text(answer, limit)
        assert all(len(part) <= limit for part in parts)
        fewest = -(-len(answer.strip()) // limit)
        assert fewest <= len(parts) <= fewest + 1
        assert all(part.endswith(".") for part in parts)


@pytest.mark.parametrize(
    "numbers, hint",
    [
        ([1], "Reply 1."),
        ([1, 2], "Reply 1 or 2."),
        ([1, 2, 3], "Reply 1, 2 or 3."),
        ([4, 5, 6, 7], "Reply 4, 5, 6 or 7."),
    ],
)
def test_reply_hint(numbers, hint):
    assert reply_hint(numbers) == hint


def test_numbered_options_list_each_title_with_its_number_and_the_hint():
    text = numbered_options("What would you like to know?", ["Pain", "Downtime", "Price"])
    assert text == "What would you like to know?\n\n1. Pain\n2. Downtime\n3. Price\n\nReply 1, 2 or 3."


def test_numbered_options_continue_the_numbering_of_the_turn():
    assert numbered_options("More:", ["Talk to a person"], first_number=4) == "More:\n\n4. Talk to a person\n\nReply 4."


def test_markdown_links_become_title_and_address():
    assert (
        plain_links("See [our prices](https://clinic.example/prices).")
        == "See our prices (https://clinic.example/prices)."
    )
    assert plain_links("[x](javascript:alert(1))") == "[x](javascript:alert(1))"


def test_short_title_cuts_with_an_ellipsis():
    assert short_title("Does microneedling hurt?", 20) == "Does microneedling…"
    assert len(short_title("Does microneedling hurt?", 20)) <= 20
    assert short_title("Downtime", 20) == "Downtime"
