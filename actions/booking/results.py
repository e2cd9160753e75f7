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


# The service's default explanation of each code, for staff (the admin command) and logs, never shown to a
# visitor; call sites may pass a more specific one. not_found and contact_mismatch read the same so that
# no reply confirms a reference exists.
MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.NOT_FOUND: "No booking matches this reference and contact detail.",
    ErrorCode.CONTACT_MISMATCH: "No booking matches this reference and contact detail.",
    ErrorCode.INVALID_REFERENCE: "Not a booking reference (8 letters and digits).",
    ErrorCode.UNKNOWN_TREATMENT: "Not a treatment of the clinic's catalogue (clinic.yml).",
    ErrorCode.UNKNOWN_PRACTITIONER: "Not a practitioner of the clinic.",
    ErrorCode.INVALID_SLOT: "The slot key cannot be read.",
    ErrorCode.INVALID_DATE: "Not a valid date.",
    ErrorCode.DATE_IN_PAST: "The date has passed.",
    ErrorCode.DATE_TOO_FAR: "The date is beyond the booking horizon.",
    ErrorCode.INVALID_PART_OF_DAY: "The part of day must be morning, afternoon or evening.",
    ErrorCode.INVALID_REQUEST: "The request is malformed.",
    ErrorCode.SLOT_IN_PAST: "The slot starts in the past.",
    ErrorCode.TOO_SHORT_NOTICE: "The slot is inside the clinic's minimum notice.",
    ErrorCode.SLOT_UNAVAILABLE: "The slot is outside the practitioner's hours or not on the clinic's grid.",
    ErrorCode.SLOT_TAKEN: "The slot is already taken.",
    ErrorCode.HOLD_EXPIRED: "The hold expired and the slot was released.",
    ErrorCode.ALREADY_CONFIRMED: "The booking is already confirmed.",
    ErrorCode.INVALID_STATE: "The booking's status does not allow this change.",
    ErrorCode.INVALID_NAME: "The name is missing or is not a name.",
    ErrorCode.INVALID_PHONE: "The phone number is not valid.",
    ErrorCode.INVALID_EMAIL: "The e-mail address is not valid.",
    ErrorCode.CONTACT_REQUIRED: "A phone number or an e-mail address is required.",
    ErrorCode.CONSENT_REQUIRED: "The consent to keep the booking's details was not given.",
    ErrorCode.SCREENING_REQUIRED: "A treatment needs a screening decision.",
    ErrorCode.SCREENING_REQUIRES_REVIEW: "The screening decision requires a clinician before this treatment.",
    ErrorCode.SCREENING_NOT_BOOKABLE: "The screening's next step allows no booking.",
    ErrorCode.INVALID_SCREENING: "The screening decision is malformed.",
    ErrorCode.CLINIC_NOT_CONFIGURED: "The clinic is not in the database (python -m actions.admin init-demo).",
    ErrorCode.DATABASE_UNAVAILABLE: "The clinic database is unavailable.",
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
