"""What a screening decision allows the visitor to book (intake-contract.md, contract version 1).

The booking service never decides clinical questions itself; it takes the screening engine's decision
(``next_step`` and the per-modality ``status``) and refuses what the decision does not allow:

* ``book_treatment``: a treatment whose modality (clinic.yml) has the status ``proceed`` or ``caution``,
  or a consultation;
* ``book_consultation``: only a consultation, which then waits in ``pending_clinical_review``;
* ``contact_clinic``, ``see_doctor``, ``emergency``: nothing; the visitor needs a person, not a slot.

A treatment (anything but the consultation) cannot be booked without a decision at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from actions.booking.results import ErrorCode, Refusal
from contract.statuses import BOOKABLE_STATUSES, NEXT_STEPS, NOT_BOOKABLE_STEPS

CONSULTATION = "consultation"


@dataclass(frozen=True)
class ConsultationInput:
    """Health data to keep with a booking: the screening decision and what the visitor told us."""

    decision: Mapping[str, Any] | None = None  # the screening engine's decision JSON
    concerns: Sequence[str] = ()
    preferences: Mapping[str, Any] = field(default_factory=dict)
    recommended_plan: Any = None  # default: the decision's "recommendation"


def next_step_of(decision: Mapping[str, Any] | None) -> str | None:
    if decision is None:
        return None
    if not isinstance(decision, Mapping):
        raise Refusal(ErrorCode.INVALID_SCREENING, reason="decision is not a mapping")
    step = decision.get("next_step")
    if step not in NEXT_STEPS:
        raise Refusal(ErrorCode.INVALID_SCREENING, reason=f"unknown next_step {step!r}")
    modalities = decision.get("modalities", {})
    if not isinstance(modalities, Mapping):
        raise Refusal(ErrorCode.INVALID_SCREENING, reason="modalities is not a mapping")
    return step


def check_allowed(treatment_code: str, decision: Mapping[str, Any] | None, *, modality: str | None) -> bool:
    """Raise Refusal if ``decision`` does not allow booking ``treatment_code``, a treatment of ``modality``
    (the catalogue's; None for the consultation): the decision's status for that modality decides.

    Returns True when the booking must wait for a clinician (a consultation after ``book_consultation``).
    """
    step = next_step_of(decision)
    if step in NOT_BOOKABLE_STEPS:
        raise Refusal(
            ErrorCode.SCREENING_NOT_BOOKABLE, f"The screening's next step is {step}: nothing to book.", next_step=step
        )
    if treatment_code == CONSULTATION:
        return step == "book_consultation"
    if step is None or decision is None:
        raise Refusal(ErrorCode.SCREENING_REQUIRED)
    status = None
    entry = decision.get("modalities", {}).get(modality) if modality is not None else None
    if isinstance(entry, Mapping):
        status = entry.get("status")
    if step != "book_treatment" or status not in BOOKABLE_STATUSES:
        raise Refusal(ErrorCode.SCREENING_REQUIRES_REVIEW, next_step=step, status=status)
    return False


def record_fields(consultation: ConsultationInput) -> dict[str, Any]:
    """Columns of a ConsultationRecord, with everything forced through JSON (nothing unserialisable)."""
    decision = consultation.decision
    plan = consultation.recommended_plan
    if plan is None and decision is not None:
        plan = decision.get("recommendation")
    try:
        fields = json.loads(
            json.dumps(
                {
                    "decision": decision,
                    "concerns": [str(c) for c in consultation.concerns],
                    "preferences": dict(consultation.preferences or {}),
                    "recommended_plan": plan,
                }
            )
        )
    except (TypeError, ValueError):
        raise Refusal(ErrorCode.INVALID_SCREENING, reason="not JSON-serialisable") from None
    fields["rules_version"] = (
        str(decision.get("rules_version"))[:40] if decision and decision.get("rules_version") else None
    )
    fields["next_step"] = next_step_of(decision)
    return fields
