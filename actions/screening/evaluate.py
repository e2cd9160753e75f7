"""Evaluate the screening rules for one intake: per treatment, the most restrictive status wins.

Dates come from ``intake.today`` only, never from the wall clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Collection, Iterable

from actions.screening.intake import Intake
from actions.screening.rules import Action, Rule, Rules, When
from actions.screening.vocabulary import MODALITIES
from contract.statuses import STATUS_RANK

UNKNOWN_RULE = "UNKNOWN"
UNKNOWN_STATUS = "clinician_review"  # an unanswered safety question is never treated as "no"


@dataclass(frozen=True)
class Reason:
    rule: str
    text: str
    source: str
    status: str  # the status this reason asks for (proceed reasons are notes for the clinician)

    def as_json(self) -> dict:
        return {"rule": self.rule, "text": self.text, "source": self.source}


@dataclass(frozen=True)
class ModalityDecision:
    status: str
    until: date | None
    reasons: tuple[Reason, ...]

    def as_json(self) -> dict:
        return {
            "status": self.status,
            "until": self.until.isoformat() if self.until else None,
            "reasons": [reason.as_json() for reason in self.reasons],
        }


def when_holds(when: When, intake: Intake) -> bool:
    """The undated parts of a trigger (a dated part is checked by `dated_anchors`)."""
    return when.holds(intake)


def dated_anchors(when: When, intake: Intake) -> list[date | None] | None:
    """Dates the trigger counts from (None inside the list: date unknown); None when undated."""
    return when.anchors(intake)


def rule_anchors(rule: Rule, intake: Intake) -> list[date | None] | None:
    """None when the rule does not apply; otherwise its live anchors ([] for undated rules)."""
    if rule.when is None or not when_holds(rule.when, intake):
        return None
    anchors = dated_anchors(rule.when, intake)
    if anchors is None:
        return []
    live = [anchor for anchor in anchors if anchor is None or intake.today < rule.window_end(anchor)]
    return live or None


def deferral_until(action: Action, anchors: list[date | None], today: date) -> date | None:
    deferral = action.deferral
    if deferral is None or deferral.interval is None:
        return None
    if deferral.after == "today":
        return deferral.interval.after(today)
    if not anchors or any(anchor is None for anchor in anchors):
        return None
    return max(deferral.interval.after(anchor) for anchor in anchors)  # type: ignore[arg-type]


@dataclass(frozen=True)
class _Applied:
    reason: Reason
    until: date | None
    open_ended: bool  # a deferral without a computable date


def applied_rules(intake: Intake, rules: Rules, modality: str) -> list[_Applied]:
    applied = []
    for rule in rules.rules:
        action = rule.actions.get(modality)
        if action is None:
            continue
        anchors = rule_anchors(rule, intake)
        if anchors is None:
            continue
        until = deferral_until(action, anchors, intake.today) if action.status == "defer" else None
        timed = action.deferral is not None and action.deferral.interval is not None
        if timed and until is not None and until <= intake.today:
            continue  # this treatment's wait is already over, though the rule still applies to others
        reason = Reason(rule.id, rule.texts[modality], rule.source, action.status)
        applied.append(_Applied(reason, until, action.status == "defer" and until is None))
    return applied


def unknown_reasons(intake: Intake, rules: Rules, modality: str, open_questions: Collection[str] = ()) -> list[Reason]:
    """UNKNOWN reasons: safety questions whose field is unanswered, or that are still open although
    their field holds other answers (a chat that asked about pacemakers but got "not sure" about
    bleeding disorders passes conditions=[...] plus open_questions={"conditions.bleeding"})."""
    return [
        Reason(UNKNOWN_RULE, question.unknown, question.source, UNKNOWN_STATUS)
        for question in rules.questions
        if modality in question.critical_for and (not intake.answered(question.field) or question.id in open_questions)
    ]


def combine(applied: Iterable[_Applied], unknown: Iterable[Reason]) -> ModalityDecision:
    applied = list(applied)
    reasons: list[Reason] = []
    for reason in [item.reason for item in applied] + list(unknown):
        if reason not in reasons:
            reasons.append(reason)
    status = max((reason.status for reason in reasons), key=STATUS_RANK.__getitem__, default="proceed")
    until = None
    if status == "defer":
        deferrals = [item for item in applied if item.reason.status == "defer"]
        if deferrals and not any(item.open_ended for item in deferrals):
            until = max(item.until for item in deferrals)  # type: ignore[type-var]
    return ModalityDecision(status, until, tuple(reasons))


def screen(
    intake: Intake, rules: Rules, *, with_unknown: bool = True, open_questions: Collection[str] = ()
) -> dict[str, ModalityDecision]:
    """Per treatment: status, re-screen date and every applying reason (UNKNOWN ones last)."""
    return {
        modality: combine(
            applied_rules(intake, rules, modality),
            unknown_reasons(intake, rules, modality, open_questions) if with_unknown else (),
        )
        for modality in MODALITIES
    }
