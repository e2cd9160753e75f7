"""Age and skin type from what visitors type."""

from __future__ import annotations

import pytest

from actions.intake_answers import parse_age, parse_fitzpatrick
from actions.intake_answers.numbers import find_age


@pytest.mark.parametrize(
    "text, expected",
    [
        ("34", 34),
        ("i'm 34", 34),
        ("I’m 34", 34),
        ("im 34", 34),
        ("34 years old", 34),
        ("34yrs old", 34),
        ("25yo", 25),
        ("thirty four", 34),
        ("thirty-four", 34),
        ("i am thirty four", 34),
        ("age: 45", 45),
        ("aged 52", 52),
        ("I'm 17", 17),
        ("17", 17),
        ("about 40", 40),
        ("a hundred and two", 102),
        ("120", 120),
        ("im 34, had botox 3 weeks ago and i get cold sores", 34),
        ("Im 22yrs old", 22),
        ("i just turned 22", 22),
        # "N next month" / "turning N" is N-1 today: the rules' age limits are about today
        ("im 34 next month", 33),
        ("turning 18 soon", 17),
        ("i'll be 22 in march", 22 - 1),
        ("nearly 18", 17),
        # A birthday still to come, however it is said: one year younger today (issue 17)
        ("I'm 22 in January", 21),
        ("I'm 18 in two weeks", 17),
        ("im 22 in a few months", 21),
        ("22 next march", 21),
        ("im 25 in 3 weeks", 24),
        ("25 later this year", 24),
        ("I'm 21 and 22 in may", 21),
        # ... but an age already reached stays as it is
        ("I turned 22 in January", 22),
        ("just turned 18 last month", 18),
        ("i'm 22, may i book?", 22),
    ],
)
def test_ages(text, expected):
    assert parse_age(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "0",
        "150",
        "-3",
        "im 34 weeks pregnant",
        "im 5'4",
        "im in my 30s",
        "not telling",
        "im fine",
        "im 100% sure",
        "",
        "a",
        "i was 34",
        "im on accutane",
    ],
)
def test_not_an_age(text):
    assert parse_age(text) is None


def test_a_bare_number_is_only_an_age_as_an_answer():
    assert parse_age("34") == 34
    assert find_age("34") is None  # volunteered facts need "i'm", "years old", ...
    assert find_age("my daughter is 16") is None
    assert find_age("btw im 29") == 29


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3", 3),
        ("type 4", 4),
        ("type iv", 4),
        ("Type III", 3),
        ("fitzpatrick 5", 5),
        ("VI", 6),
        ("i think type 3", 3),
        ("skin type 5 i think", 5),
        ("always burn never tan", 1),
        ("I always burn and never tan", 1),
        ("very pale, i can't tan", 1),
        ("i burn easily", 2),
        ("burn easy, tan a little", 2),
        ("usually burn", 2),
        ("sometimes burn then tan", 3),
        ("I burn then tan", 3),
        ("burn at first then tan", 3),
        ("rarely burn", 4),
        ("i tan easily and rarely burn", 4),
        ("olive skin", 4),
        ("very rarely burn, brown skin", 5),
        ("brown skin", 5),
        ("never burn, black skin", 6),
        ("i never burn", 6),
    ],
)
def test_fitzpatrick(text, expected):
    assert parse_fitzpatrick(text) == expected


@pytest.mark.parametrize("text", ["not sure", "", "7", "i dunno", "12 years", "normal"])
def test_fitzpatrick_unknown(text):
    assert parse_fitzpatrick(text) is None
