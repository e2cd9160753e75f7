"""Placeholders in clinic-editable texts and how they are filled from clinic.yml.

Texts in answers.yml may contain ``{clinic_name}``, ``{opening_hours}``, ``{contact}``,
``{address}``, ``{website}``, ``{price_list}`` and ``{price:<treatment id>}``. Prices are only ever
taken from clinic.yml; a price the clinic has not configured becomes the clinic's own
``price_unknown`` message, never a figure.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping

from actions.content.clinic import Clinic

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
WELL_FORMED = re.compile(r"^(?:[a-z_]+|price:[a-z0-9_]+)$")
PRICE_PREFIX = "price:"
CLINIC_PLACEHOLDERS: tuple[str, ...] = (
    "clinic_name",
    "opening_hours",
    "contact",
    "address",
    "website",
    "price_list",
)

# A price written as a figure: "£220", "$ 99", "220€", "150 GBP", "EUR 90", "300 pounds".
FIGURE_PRICE = re.compile(
    r"[£$€¥]\s*\d[\d,.]*\d|[£$€¥]\s*\d"
    r"|\d[\d,.]*\s*[£€¥]"
    r"|\d[\d,.]*\s*(?:GBP|USD|EUR|AUD|CAD|pounds?|dollars?|euros?|quid)\b"
    r"|\b(?:GBP|USD|EUR|AUD|CAD)\s*\d[\d,.]*",
    re.IGNORECASE,
)


def placeholder_names(text: str) -> list[str]:
    """The names between braces, in order of appearance (``price:x`` kept whole)."""
    return PLACEHOLDER.findall(text)


def stray_brace(text: str) -> bool:
    """True when a brace is left over once every ``{...}`` pair is taken out."""
    rest = PLACEHOLDER.sub("", text)
    return "{" in rest or "}" in rest


def figure_price(text: str) -> str | None:
    """The first price written as a figure in ``text``, or None."""
    match = FIGURE_PRICE.search(text)
    return match.group(0) if match else None


class ClinicRenderer:
    """Fills placeholders from one clinic's settings."""

    def __init__(self, clinic: Clinic, price_unknown: str, detail_unknown: str) -> None:
        self.clinic = clinic
        self.price_unknown = price_unknown.strip()
        self.detail_unknown = detail_unknown.strip()
        self._values: dict[str, Callable[[], str]] = {
            "clinic_name": lambda: clinic.name,
            "opening_hours": clinic.opening_hours_text,
            "contact": clinic.contact_text,
            "address": lambda: clinic.address or self.detail_unknown,
            "website": lambda: clinic.website or self.detail_unknown,
            "price_list": self.price_list,
        }

    def price(self, treatment_id: str) -> str:
        return self.clinic.price_text(treatment_id) or self.price_unknown

    def price_list(self) -> str:
        """One line per treatment in clinic.yml, in the file's order."""
        lines = [f"- {t.name}: {self.price(t.id)}" for t in self.clinic.treatments.values()]
        return "\n".join(lines) if lines else self.price_unknown

    def value(self, name: str, extra: Mapping[str, object]) -> str:
        if name in extra:
            return str(extra[name])
        if name.startswith(PRICE_PREFIX):
            return self.price(name[len(PRICE_PREFIX) :])
        if name in self._values:
            return self._values[name]()
        raise KeyError(f"no value for placeholder {{{name}}}")

    def render(self, text: str, extra: Mapping[str, object] | None = None) -> str:
        extra = extra or {}
        return PLACEHOLDER.sub(lambda m: self.value(m.group(1), extra), text).strip()
