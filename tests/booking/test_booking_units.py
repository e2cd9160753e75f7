"""Pure pieces: contact normalisation, references, the schedule arithmetic, the screening gate."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.booking.contacts import (
    ContactDetails,
    clean_contact,
    normalise_email,
    normalise_identifier,
    normalise_phone,
    region_of,
)
from actions.booking.gate import check_allowed
from actions.booking.results import ErrorCode, Refusal
from actions.booking.schedule import intersect, local_instant, occupancy_cells, overlaps
from actions.booking.service import parse_interval
from actions.booking.store import REFERENCE_ALPHABET, REFERENCE_LENGTH, normalise_reference
from actions.booking.views import parse_slot_key, slot_key

LONDON = ZoneInfo("Europe/London")


def code_of(call, *args, **kwargs):
    with pytest.raises(Refusal) as caught:
        call(*args, **kwargs)
    return caught.value.result.error_code


@pytest.mark.parametrize(
    "typed, region, expected",
    [
        ("07911 123456", "GB", "+447911123456"),
        ("(07911) 123-456", "GB", "+447911123456"),
        ("+44 7911 123456", None, "+447911123456"),
        ("0044 7911 123456", "GB", "+447911123456"),
        ("+1 202-555-0142", "GB", "+12025550142"),
        ("+49 30 901820", "GB", "+4930901820"),
    ],
)
def test_phone_numbers_become_e164(typed, region, expected):
    assert normalise_phone(typed, region) == expected


@pytest.mark.parametrize("typed", ["", "12", "07911", "+44 7911 12345678901", "call me", "0791112345x", "1" * 50])
def test_malformed_phone_numbers_are_refused(typed):
    assert code_of(normalise_phone, typed, "GB") == ErrorCode.INVALID_PHONE


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Ann.Lee@Example.COM", "ann.lee@example.com"),
        ("  mailto:ann+clinic@example.co.uk ", "ann+clinic@example.co.uk"),
        ("ann@bücher.example", "ann@xn--bcher-kva.example"),
        ("o'neil@example.ie", "o'neil@example.ie"),
    ],
)
def test_email_addresses_are_normalised(typed, expected):
    assert normalise_email(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ann",
        "ann@",
        "@example.com",
        "ann@example",
        "ann@@example.com",
        "ann lee@example.com",
        "ann@-example.com",
        "ann@example.c",
        "ann..lee@example.com",
        "a" * 65 + "@example.com",
        "ann@" + "a" * 64 + ".com",
        "ann@example.com\nBcc: x@y.z",
    ],
)
def test_malformed_email_addresses_are_refused(typed):
    assert code_of(normalise_email, typed) == ErrorCode.INVALID_EMAIL


def test_contact_needs_a_name_and_a_way_to_reach():
    assert code_of(clean_contact, ContactDetails(" ", phone="07911123456"), "GB") == ErrorCode.INVALID_NAME
    assert code_of(clean_contact, ContactDetails("123", phone="07911123456"), "GB") == ErrorCode.INVALID_NAME
    assert code_of(clean_contact, ContactDetails("Ann\x00", phone="07911123456"), "GB") == ErrorCode.INVALID_NAME
    assert code_of(clean_contact, ContactDetails("Ann"), "GB") == ErrorCode.CONTACT_REQUIRED
    clean = clean_contact(ContactDetails("  Ann   Lee ", email="ANN@EXAMPLE.COM"), "GB")
    assert (clean.name, clean.phone, clean.email) == ("Ann Lee", None, "ann@example.com")
    assert normalise_identifier("07911 123456", "GB") == ("phone", "+447911123456")
    assert normalise_identifier("Ann@Example.com", "GB") == ("email", "ann@example.com")
    assert code_of(normalise_identifier, "", "GB") == ErrorCode.CONTACT_REQUIRED
    assert region_of("+44 20 7946 0123") == "GB" and region_of(None) is None


def test_references():
    assert len(REFERENCE_ALPHABET) == 32 and not set("IO01") & set(REFERENCE_ALPHABET)
    reference = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    assert normalise_reference(f" {reference[:4].lower()}-{reference[4:]} ") == reference
    for bad in ("", "K7M2QX9", "K7M2QX9DD", "K7M2QX9O", "K7M2 QX9!", None, 12345678):
        assert code_of(normalise_reference, bad) == ErrorCode.INVALID_REFERENCE


def test_slot_keys_round_trip():
    start = datetime(2026, 3, 3, 9, 30, tzinfo=timezone.utc)
    assert parse_slot_key(slot_key("microneedling", "dr-a", start)) == ("microneedling", "dr-a", start)
    for bad in ("", "microneedling|dr-a|2026-03-03T09:30", "microneedling|dr-a|2026-13-03T09:30Z", "a|b|c", None):
        assert code_of(parse_slot_key, bad) == ErrorCode.INVALID_SLOT


def test_intervals():
    assert parse_interval("4-6") == (4, 6) == parse_interval("4–6") == parse_interval((4, 6)) == parse_interval([4, 6])
    assert parse_interval(4) == (4, 4) == parse_interval("4")
    for bad in ("six", "6-4", 0, 27, (1, 2, 3), True, None, "4-6-8"):
        assert code_of(parse_interval, bad) == ErrorCode.INVALID_REQUEST


def test_local_times_across_daylight_saving():
    assert local_instant(date(2026, 3, 29), 60, LONDON) is None  # 01:00 does not exist that night
    assert local_instant(date(2026, 3, 29), 120, LONDON) == datetime(2026, 3, 29, 1, 0, tzinfo=timezone.utc)
    assert local_instant(date(2026, 3, 28), 600, LONDON) == datetime(2026, 3, 28, 10, 0, tzinfo=timezone.utc)
    assert local_instant(date(2026, 3, 30), 600, LONDON) == datetime(2026, 3, 30, 9, 0, tzinfo=timezone.utc)
    assert local_instant(date(2026, 10, 25), 90, LONDON) == datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)


def test_intersect_spans():
    clinic = ((time(9), time(13)), (time(14), time(18)))
    person = ((time(10), time(17)),)
    assert intersect(clinic, person) == [(600, 780), (840, 1020)]
    assert intersect(clinic, ()) == []


five_minute_steps = st.integers(min_value=0, max_value=24 * 12).map(lambda n: n * 5)
durations = st.sampled_from([5, 15, 30, 45, 60, 90, 120])


@given(five_minute_steps, durations, five_minute_steps, durations)
def test_occupancy_blocks_overlap_exactly_when_appointments_do(a_start, a_len, b_start, b_len):
    base = datetime(2026, 3, 3, 0, 0, tzinfo=timezone.utc)
    a = (base + timedelta(minutes=a_start), base + timedelta(minutes=a_start + a_len))
    b = (base + timedelta(minutes=b_start), base + timedelta(minutes=b_start + b_len))
    shared = set(occupancy_cells(*a)) & set(occupancy_cells(*b))
    assert bool(shared) == overlaps(*a, *b)
    assert len(occupancy_cells(*a)) == a_len // 5


def test_occupancy_is_conservative_off_the_grid():
    start = datetime(2026, 3, 3, 9, 2, tzinfo=timezone.utc)
    cells = occupancy_cells(start, start + timedelta(minutes=10))
    assert cells == [datetime(2026, 3, 3, 9, m, tzinfo=timezone.utc) for m in (0, 5, 10)]


def test_gate_without_a_database():
    assert check_allowed("consultation", None, modality=None) is False
    assert check_allowed("consultation", {"next_step": "book_consultation", "modalities": {}}, modality=None) is True
    proceed = {"next_step": "book_treatment", "modalities": {"microneedling": {"status": "caution"}}}
    assert check_allowed("microneedling", proceed, modality="microneedling") is False
    assert code_of(check_allowed, "microneedling_prp", proceed, modality="microneedling_prp") == (
        ErrorCode.SCREENING_REQUIRES_REVIEW
    )
    assert code_of(check_allowed, "microneedling", "book_treatment", modality="microneedling") == (
        ErrorCode.INVALID_SCREENING
    )
    # A catalogue treatment is judged by its modality's status, whatever its own id.
    assert check_allowed("microneedling_body", proceed, modality="microneedling") is False
    assert (
        code_of(check_allowed, "rf_body", proceed, modality="rf_microneedling") == ErrorCode.SCREENING_REQUIRES_REVIEW
    )
    assert code_of(check_allowed, "microneedling", proceed, modality=None) == ErrorCode.SCREENING_REQUIRES_REVIEW
