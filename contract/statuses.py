"""The intake contract's closed lists that every side acts on (docs/intake-contract.md, version 1).

The screening engine emits them, the rules file and the clinic's catalogue (each treatment's
``modality``) are checked against them, the booking gate and the conversation act on them.
"""

from __future__ import annotations

CONTRACT_VERSION = 1

# The kinds of treatment a decision covers, each with its own status. A catalogue treatment (clinic.yml)
# is one of them, or the consultation.
MODALITIES = ("microneedling", "microneedling_prp", "rf_microneedling")

# Least to most restrictive; a modality's status is the maximum over every applying rule.
STATUSES = ("proceed", "caution", "clinician_review", "defer", "exclude")
STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}
# A treatment of a modality with one of these statuses may be booked.
BOOKABLE_STATUSES = ("proceed", "caution")

# Least to most urgent. Anything above normal_recovery suppresses recommendations.
TRIAGE_LEVELS = ("none", "normal_recovery", "contact_clinic", "see_doctor", "emergency")
TRIAGE_RANK = {level: rank for rank, level in enumerate(TRIAGE_LEVELS)}
SUPPRESSING_TRIAGE = ("contact_clinic", "see_doctor", "emergency")

NEXT_STEPS = ("book_treatment", "book_consultation", "see_doctor", "contact_clinic", "emergency")
# Next steps that allow no booking at all: the visitor needs a person, not a slot.
NOT_BOOKABLE_STEPS = ("emergency", "see_doctor", "contact_clinic")

__all__ = [
    "BOOKABLE_STATUSES",
    "CONTRACT_VERSION",
    "MODALITIES",
    "NEXT_STEPS",
    "NOT_BOOKABLE_STEPS",
    "STATUSES",
    "STATUS_RANK",
    "SUPPRESSING_TRIAGE",
    "TRIAGE_LEVELS",
    "TRIAGE_RANK",
]
