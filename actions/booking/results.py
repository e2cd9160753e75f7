"""Result values: every service call returns one instead of raising on a visitor's bad input.

``Result.ok`` says whether it worked; on failure ``error_code`` is one of :class:`ErrorCode` (stable, for
the conversation to branch on), ``details`` may name a ``reason`` where one code has several, and
``message`` is the service's own explanation for staff (``python -m actions.admin``) and logs. A visitor
reads the clinic's words instead: actions/content/journey.yml, ``booking.error_<code>[_<reason>]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, Mapping, TypeVar

T = TypeVar("T")


class ErrorCode(str, Enum):
    NOT_FOUND = "not_found"
    CONTACT_MISMATCH = "contact_mismatch"
    INVALID_REFERENCE = "invalid_reference"
    UNKNOWN_TREATMENT = "unknown_treatment"
    UNKNOWN_PRACTITIONER = "unknown_practitioner"
    INVALID_SLOT = "invalid_slot"
    INVALID_DATE = "invalid_date"
    DATE_IN_PAST = "date_in_past"
    DATE_TOO_FAR = "date_too_far"
    INVALID_PART_OF_DAY = "invalid_part_of_day"
    INVALID_REQUEST = "invalid_request"
    SLOT_IN_PAST = "slot_in_past"
    TOO_SHORT_NOTICE = "too_short_notice"
    SLOT_UNAVAILABLE = "slot_unavailable"
    SLOT_TAKEN = "slot_taken"
    HOLD_EXPIRED = "hold_expired"
    ALREADY_CONFIRMED = "already_confirmed"
    INVALID_STATE = "invalid_state"
    INVALID_NAME = "invalid_name"
    INVALID_PHONE = "invalid_phone"
    INVALID_EMAIL = "invalid_email"
    CONTACT_REQUIRED = "contact_required"
    CONSENT_REQUIRED = "consent_required"
    SCREENING_REQUIRED = "screening_required"
    SCREENING_REQUIRES_REVIEW = "screening_requires_review"
    SCREENING_NOT_BOOKABLE = "screening_not_bookable"
    INVALID_SCREENING = "invalid_screening"
    CLINIC_NOT_CONFIGURED = "clinic_not_configured"
    DATABASE_UNAVAILABLE = "database_unavailable"


# The service's default explanation of each code (for staff and logs); call sites may pass a more specific
# one. not_found and contact_mismatch read the same so that no reply confirms a reference exists.
MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.NOT_FOUND: "I couldn't find a booking with that reference and those contact details. "
    "Please check both and try again.",
    ErrorCode.CONTACT_MISMATCH: "I couldn't find a booking with that reference and those contact details. "
    "Please check both and try again.",
    ErrorCode.INVALID_REFERENCE: "That doesn't look like a booking reference: it has 8 letters and numbers, "
    "for example K7M2QX9D.",
    ErrorCode.UNKNOWN_TREATMENT: "I don't know that treatment. I can book a consultation, microneedling, "
    "microneedling with PRP or RF microneedling.",
    ErrorCode.UNKNOWN_PRACTITIONER: "I don't know that practitioner.",
    ErrorCode.INVALID_SLOT: "I couldn't read that appointment time. Please pick one of the times I offered.",
    ErrorCode.INVALID_DATE: "That date doesn't exist. Could you give it again, for example 14 April?",
    ErrorCode.DATE_IN_PAST: "That date has already passed. Which day would suit you?",
    ErrorCode.DATE_TOO_FAR: "I can only book a few weeks ahead. Could you choose an earlier date?",
    ErrorCode.INVALID_PART_OF_DAY: "Please choose morning, afternoon or evening.",
    ErrorCode.INVALID_REQUEST: "Something in that request didn't look right. Could you try again?",
    ErrorCode.SLOT_IN_PAST: "That time has already passed. Let me find you another one.",
    ErrorCode.TOO_SHORT_NOTICE: "That time is too soon for us to prepare. Let me find a slot a little later.",
    ErrorCode.SLOT_UNAVAILABLE: "That time isn't one we can offer. Please pick one of the times I suggested.",
    ErrorCode.SLOT_TAKEN: "Sorry, that time has just been taken. Let me find you another one.",
    ErrorCode.HOLD_EXPIRED: "I could only keep that time for a few minutes and it has been released. "
    "Let me check what's free now.",
    ErrorCode.ALREADY_CONFIRMED: "That booking is already confirmed.",
    ErrorCode.INVALID_STATE: "That booking can't be changed any more.",
    ErrorCode.INVALID_NAME: "Could you tell me your name?",
    ErrorCode.INVALID_PHONE: "That phone number doesn't look right. Could you type it again, with the country "
    "code if it isn't a local number?",
    ErrorCode.INVALID_EMAIL: "That e-mail address doesn't look right. Could you type it again?",
    ErrorCode.CONTACT_REQUIRED: "I need a phone number or an e-mail address so the clinic can reach you.",
    ErrorCode.CONSENT_REQUIRED: "I need your agreement to keep these details with your booking before I can "
    "confirm it.",
    ErrorCode.SCREENING_REQUIRED: "Before booking a treatment I need to ask a few safety questions.",
    ErrorCode.SCREENING_REQUIRES_REVIEW: "From your answers, our clinician needs to see you before a treatment. "
    "I can book you a consultation instead.",
    ErrorCode.SCREENING_NOT_BOOKABLE: "From your answers, this isn't something to book online. Please contact "
    "the clinic, or a doctor, as I mentioned.",
    ErrorCode.INVALID_SCREENING: "I couldn't use the screening answers for this booking. Let me ask the safety "
    "questions again.",
    ErrorCode.CLINIC_NOT_CONFIGURED: "Online booking isn't set up yet. Please contact the clinic directly.",
    ErrorCode.DATABASE_UNAVAILABLE: "Sorry, our booking system isn't answering right now. Please try again in "
    "a few minutes.",
}


@dataclass(frozen=True)
class Result(Generic[T]):
    ok: bool
    value: T | None = None
    error_code: ErrorCode | None = None
    message: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.ok

    def unwrap(self) -> T:
        """The value of a successful call; a failure, or a success without a value, raises ValueError."""
        if not self.ok or self.value is None:
            raise ValueError(f"the call gave no value ({self.error_code})")
        return self.value


def success(value: T | None = None, message: str = "") -> Result[T]:
    return Result(ok=True, value=value, message=message)


def failure(code: ErrorCode, message: str | None = None, **details: Any) -> Result:
    return Result(ok=False, error_code=code, message=message or MESSAGES[code], details=details)


class Refusal(Exception):
    """Raised inside a service transaction to abandon it and return ``failure(code, ...)``."""

    def __init__(self, code: ErrorCode, message: str | None = None, **details: Any) -> None:
        super().__init__(code.value)
        self.result = failure(code, message, **details)
