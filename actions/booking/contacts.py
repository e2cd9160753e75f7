"""Checking and normalising what a visitor types as name, phone number and e-mail address."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers

from actions.booking.results import ErrorCode, Refusal

MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 254
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL_PART = re.compile(rf"^{_ATOM}(?:\.{_ATOM})*$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_TOP_LEVEL = re.compile(r"^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$")


@dataclass(frozen=True)
class ContactDetails:
    """What the visitor gave: a name and a phone number and/or an e-mail address, as typed."""

    name: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class CleanContact:
    name: str
    phone: str | None  # E.164, e.g. +447911123456
    email: str | None  # lower case, IDNA domain


def clean_name(raw: str | None) -> str:
    name = " ".join((raw or "").split())
    if not name or len(name) > MAX_NAME_LENGTH or not any(ch.isalpha() for ch in name):
        raise Refusal(ErrorCode.INVALID_NAME)
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise Refusal(ErrorCode.INVALID_NAME)
    return name


def normalise_phone(raw: str, default_region: str | None) -> str:
    """E.164 form of ``raw``; numbers without a country code are read as ``default_region`` ones."""
    text = (raw or "").strip()
    if not text or len(text) > 40:
        raise Refusal(ErrorCode.INVALID_PHONE)
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        raise Refusal(ErrorCode.INVALID_PHONE) from None
    if not phonenumbers.is_valid_number(number):
        raise Refusal(ErrorCode.INVALID_PHONE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    """A syntactically valid address in lower case with an ASCII (IDNA) domain."""
    text = (raw or "").strip()
    if text.startswith("mailto:"):
        text = text[len("mailto:") :]
    if not text or len(text) > MAX_EMAIL_LENGTH or text.count("@") != 1:
        raise Refusal(ErrorCode.INVALID_EMAIL)
    local, domain = text.split("@")
    if not local or len(local) > 64 or not _LOCAL_PART.match(local):
        raise Refusal(ErrorCode.INVALID_EMAIL)
    try:
        domain = domain.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:
        raise Refusal(ErrorCode.INVALID_EMAIL) from None
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or not _TOP_LEVEL.match(labels[-1]):
        raise Refusal(ErrorCode.INVALID_EMAIL)
    address = f"{local}@{domain}".lower()
    if len(address) > MAX_EMAIL_LENGTH:
        raise Refusal(ErrorCode.INVALID_EMAIL)
    return address


def clean_contact(details: ContactDetails, default_region: str | None) -> CleanContact:
    name = clean_name(details.name)
    phone_text = (details.phone or "").strip()
    email_text = (details.email or "").strip()
    if not phone_text and not email_text:
        raise Refusal(ErrorCode.CONTACT_REQUIRED)
    phone = normalise_phone(phone_text, default_region) if phone_text else None
    email = normalise_email(email_text) if email_text else None
    return CleanContact(name=name, phone=phone, email=email)


def normalise_identifier(raw: str | None, default_region: str | None) -> tuple[str, str]:
    """A phone number or e-mail address a visitor gives to prove a booking is theirs.

    Returns ("email", address) or ("phone", e164); raises Refusal for something that is neither.
    """
    text = (raw or "").strip()
    if not text:
        raise Refusal(ErrorCode.CONTACT_REQUIRED, "The look-up needs the phone number or e-mail address booked with.")
    if "@" in text:
        return "email", normalise_email(text)
    return "phone", normalise_phone(text, default_region)


def region_of(phone: str | None) -> str | None:
    """The region of the clinic's own number (e.g. GB), used for numbers typed without +country."""
    if not phone:
        return None
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(phone, None))
    except phonenumbers.NumberParseException:
        return None
