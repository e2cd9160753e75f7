"""actions.conversation.base: what a visitor reads when the booking service says no, and the typed calls
into the service."""

from __future__ import annotations

import asyncio

import pytest

from actions.booking.gate import check_allowed
from actions.booking.results import ErrorCode, Refusal, failure, success
from actions.conversation import base
from actions.conversation.base import booking_call, error_text
from actions.conversation.texts import journey_texts, say

SERVICE_WORDS = "SERVICE-ONLY EXPLANATION"


def test_every_code_of_the_booking_service_has_the_clinics_own_words():
    booking = journey_texts()["booking"]
    missing = [code.value for code in ErrorCode if not isinstance(booking.get(f"error_{code.value}"), str)]
    assert missing == []


@pytest.mark.parametrize("code", list(ErrorCode))
def test_a_visitor_never_reads_the_services_own_explanation(code):
    shown = error_text(failure(code, SERVICE_WORDS))
    assert SERVICE_WORDS not in shown
    assert shown == say("booking", f"error_{code.value}")


def test_a_section_of_its_own_comes_first_then_the_booking_texts():
    assert error_text(failure(ErrorCode.DATABASE_UNAVAILABLE), "appointments") == say(
        "appointments", "error_database_unavailable"
    )
    assert error_text(failure(ErrorCode.SLOT_TAKEN), "appointments") == say("booking", "error_slot_taken")


@pytest.mark.parametrize("step", ["emergency", "see_doctor", "contact_clinic"])
def test_a_decision_that_allows_no_booking_says_why_in_the_clinics_words(step):
    with pytest.raises(Refusal) as refused:
        check_allowed("microneedling", {"next_step": step, "modalities": {}}, modality="microneedling")
    shown = error_text(refused.value.result)
    assert shown == say("booking", f"error_screening_not_bookable_{step}")
    assert shown != say("booking", "error_screening_not_bookable")


def test_a_reason_without_words_of_its_own_gets_the_codes_words():
    result = failure(ErrorCode.INVALID_REQUEST, SERVICE_WORDS, reason="something_new")
    assert error_text(result) == say("booking", "error_invalid_request")


class _Service:
    """Stands in for the booking service: records the call it gets."""

    def __init__(self, outcome):
        self.outcome, self.calls = outcome, []

    def find_booking(self, reference, **kwargs):
        self.calls.append((reference, kwargs))
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def _call(monkeypatch, outcome):
    service = _Service(outcome)
    monkeypatch.setattr(base.services, "booking_service", lambda: service)
    result = asyncio.run(booking_call(_Service.find_booking, "K7M2QX9D", contact="x@example.com"))
    return service, result


def test_a_call_names_the_service_method_and_passes_its_arguments(monkeypatch):
    service, result = _call(monkeypatch, success("found"))
    assert result.ok and result.value == "found"
    assert service.calls == [("K7M2QX9D", {"contact": "x@example.com"})]


@pytest.mark.parametrize("outcome", [RuntimeError("secret internals"), "not a Result"])
def test_a_broken_call_becomes_database_unavailable(monkeypatch, outcome):
    _, result = _call(monkeypatch, outcome)
    assert not result.ok and result.error_code == ErrorCode.DATABASE_UNAVAILABLE
