"""Phone, e-mail, name and booking reference from chat messages; consistent with the booking backend."""

from __future__ import annotations

import pytest

from actions.booking import store
from actions.booking.contacts import normalise_email, normalise_phone
from actions.intake_answers import parse_email, parse_name, parse_phone, parse_reference
from actions.intake_answers.contact import REFERENCE_ALPHABET, REFERENCE_LENGTH


@pytest.mark.parametrize(
    "text, expected",
    [
        ("07911 123456", "+447911123456"),
        ("my number is 07911123456 thanks", "+447911123456"),
        ("+44 7911 123456", "+447911123456"),
        ("0044 7911 123456", "+447911123456"),
        ("(07911) 123-456", "+447911123456"),
        ("call me on 0791 112 3456", "+447911123456"),
        ("020 7946 0958", "+442079460958"),
    ],
)
def test_phone_numbers(text, expected):
    assert parse_phone(text) == expected


def test_phone_region_for_numbers_without_country_code():
    assert parse_phone("(415) 555-2671", region="US") == "+14155552671"
    assert parse_phone("+1 415 555 2671") == "+14155552671"


@pytest.mark.parametrize("text", ["12345", "", "no phone", "07700 900123", "0791112345678901", "my ref is KD7P2QXM"])
def test_not_phone_numbers(text):
    # 07700 900xxx is Ofcom's drama range: not a valid number, and the booking backend refuses it too
    assert parse_phone(text) is None


def test_phone_numbers_agree_with_the_booking_backend():
    for text in ("07911 123456", "+44 7911 123456", "020 7946 0958"):
        assert parse_phone(text) == normalise_phone(text, "GB")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sarah@example.com", "sarah@example.com"),
        ("Sarah.Jones@Example.CO.UK thanks", "sarah.jones@example.co.uk"),
        ("my email is sarah @ example.com", "sarah@example.com"),
        ("it's s.jones+clinic@mail.example.org.", "s.jones+clinic@mail.example.org"),
        ("mailto:ann@example.com", "ann@example.com"),
    ],
)
def test_emails(text, expected):
    assert parse_email(text) == expected
    assert normalise_email(expected) == expected  # the booking backend accepts it unchanged


@pytest.mark.parametrize("text", ["", "nope", "a@b", "sarah at example dot com", "@example.com", "sarah@"])
def test_not_emails(text):
    assert parse_email(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my name is sarah jones", "Sarah Jones"),
        ("sarah jones", "Sarah Jones"),
        ("it's Sarah", "Sarah"),
        ("SARAH JONES", "Sarah Jones"),
        ("o'brien", "O'Brien"),
        ("anne-marie smith", "Anne-Marie Smith"),
        ("Sarah McDonald", "Sarah McDonald"),
        ("hi im sarah", "Sarah"),
        ("Dr Jane Smith", "Dr Jane Smith"),
        ("call me jo", "Jo"),
        ("zoë", "Zoë"),
        ("name: Priya Patel, thanks", "Priya Patel"),
    ],
)
def test_names(text, expected):
    assert parse_name(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "next tuesday",
        "sarah 123",
        "a" * 70,
        "book please",
        "Mrs",
        "sarah@example.com",
        "",
        "one two three four five six",
        "i'm pregnant",
        "no thanks",
        "07911 123456",
        "friday morning",
    ],
)
def test_not_names(text):
    assert parse_name(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ref KD7P2QXM", "KD7P2QXM"),
        ("kd7p2qxm", "KD7P2QXM"),
        ("my ref is kd7p-2qxm thanks", "KD7P2QXM"),
        ("KD7P 2QXM", "KD7P2QXM"),
        ("ABCDEFGH", "ABCDEFGH"),
        ("reference: abcdefgh", "ABCDEFGH"),
        ("booking ref 23456789", "23456789"),
    ],
)
def test_references(text, expected):
    assert parse_reference(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "see you saturday",
        "pregnant",
        "KD7P2QX",
        "KD7P2QXM and KD7P2QXN",
        "KD7P2Q0M",
        "KD7P2QIM",
        "",
        "12345678",
        "23456789",
    ],
)
def test_not_references(text):
    # "12345678" has a 1; "KD7P2Q0M" a zero: neither is in the booking alphabet
    assert parse_reference(text) is None


def test_reference_alphabet_is_the_booking_backends():
    assert REFERENCE_ALPHABET == store.REFERENCE_ALPHABET
    assert REFERENCE_LENGTH == store.REFERENCE_LENGTH
    assert store.normalise_reference(parse_reference("ref kd7p2qxm")) == "KD7P2QXM"
