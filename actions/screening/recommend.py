"""Rank the treatments a visitor may book for their concerns and preferences (clinical-kb section 2).

Only treatments whose status is proceed or caution are ranked. The score of a treatment is the sum of
its rank in each of the visitor's self-service concerns (3 when a concern does not offer it) plus the
preference penalties from the rules file; ties go to the cheaper, lower-downtime treatment (the order
of `modalities` in the rules file). A combination (e.g. RF microneedling with PRP) never becomes a
separate entry: when every part is allowed, its line is added to the first part's `why`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

from actions.screening.evaluate import ModalityDecision, when_holds
from actions.screening.intake import Intake
from actions.screening.rules import NOT_OFFERED_RANK, ConcernRow, Rules
from contract.statuses import BOOKABLE_STATUSES

PRICE_UNKNOWN = "the clinic will confirm the price"
CAUTION_PREFIX = "Subject to clinician assessment: "

PriceLookup = Callable[[str], "str | None"]


@dataclass(frozen=True)
class ConcernMatch:
    review: tuple[ConcernRow, ...]  # clinician-review rows: no self-service suggestion
    service: tuple[ConcernRow, ...]  # rows that may suggest treatments, visitor's own order first


def match_concerns(intake: Intake, rules: Rules) -> ConcernMatch:
    matched = [row for row in rules.concerns if when_holds(row.when, intake)]
    order = list(intake.concerns or ())

    def priority(row: ConcernRow) -> int:
        named = [order.index(value) for name, value in row.when.mentions() if name == "concerns" and value in order]
        return min(named, default=len(order))

    matched.sort(key=priority)  # stable: file order among equals
    return ConcernMatch(
        tuple(r for r in matched if r.clinician_review), tuple(r for r in matched if not r.clinician_review)
    )


def _add(lines: list[str], *texts: str | None) -> None:
    for text in texts:
        if text and text not in lines:
            lines.append(text)


def _days_to_event(intake: Intake) -> int | None:
    event = intake.preferences.event_date if intake.preferences else None
    if event is None or event < intake.today:
        return None  # no event, or it has passed: nothing to plan around
    return (event - intake.today).days


def recommend(
    intake: Intake,
    decisions: Mapping[str, ModalityDecision],
    rules: Rules,
    price_of: PriceLookup,
    concerns: ConcernMatch | None = None,
) -> list[dict]:
    """The ranked suggestions (contract `recommendation`), best first; [] when nothing is suggested."""
    concerns = concerns or match_concerns(intake, rules)
    if not concerns.service:
        return []
    order = list(rules.modalities)
    days_to_event = _days_to_event(intake)
    event = intake.preferences.event_date if intake.preferences is not None else None
    event_date = event.isoformat() if days_to_event is not None and event is not None else ""
    offered = [m for m in order if any(m in row.offers for row in concerns.service)]
    allowed = [m for m in offered if decisions[m].status in BOOKABLE_STATUSES]
    left_out = [
        m
        for m in allowed
        if days_to_event is not None and (rules.events.get(m) and rules.events[m].leave_out_days or 0) > days_to_event
    ]
    candidates = [m for m in allowed if m not in left_out]
    effects = _preference_effects(intake, rules)

    def score(modality: str) -> tuple[int, int]:
        concern_score = sum(
            row.offers[modality].rank if modality in row.offers else NOT_OFFERED_RANK for row in concerns.service
        )
        penalty = sum(effect.penalty for effect in effects.get(modality, ()))
        return concern_score + penalty, order.index(modality)

    ranked = sorted(candidates, key=score)
    items = [_item(m, intake, decisions, rules, concerns, effects, price_of, days_to_event, event_date) for m in ranked]
    if items:
        first_why = items[0]["why"]
        for modality in left_out:
            left_out_text = rules.events[modality].left_out_text  # the rules file gives one wherever leave_out is set
            if left_out_text:
                _add(first_why, left_out_text.format(event_date=event_date))
        for row in concerns.service:
            for modality, note in row.not_offered.items():
                if modality not in ranked:
                    _add(first_why, note)
    _add_combinations(items, intake, decisions, rules)
    return items


def _preference_effects(intake: Intake, rules: Rules) -> dict[str, list]:
    effects: dict[str, list] = {}
    preferences = intake.preferences
    if preferences is None:
        return effects
    for name, choice in (("downtime", preferences.downtime), ("budget", preferences.budget)):
        if choice is None:
            continue
        for modality, effect in rules.preferences.get(name, {}).get(choice, {}).items():
            effects.setdefault(modality, []).append(effect)
    return effects


def _item(
    modality: str,
    intake: Intake,
    decisions: Mapping[str, ModalityDecision],
    rules: Rules,
    concerns: ConcernMatch,
    effects: dict[str, list],
    price_of: PriceLookup,
    days_to_event: int | None,
    event_date: str,
) -> dict:
    info = rules.modalities[modality]
    offers = [row.offers[modality] for row in concerns.service if modality in row.offers]
    sessions = next((offer.sessions for offer in offers if offer.sessions), info.sessions)
    interval = next((offer.interval_weeks for offer in offers if offer.interval_weeks), info.interval_weeks)
    why: list[str] = []
    why_not: list[str] = []
    for offer in offers:
        _add(why, *offer.why)
        _add(why_not, *offer.why_not)
    for row in concerns.service:
        if modality in row.offers:
            _add(why_not, row.note)
        else:
            _add(why_not, row.not_offered.get(modality))
    for effect in effects.get(modality, ()):
        _add(why, effect.why)
        _add(why_not, effect.why_not)
    for reason in decisions[modality].reasons:
        _add(why_not, CAUTION_PREFIX + reason.text if reason.status == "caution" else reason.text)
    event = rules.events.get(modality)
    if days_to_event is not None and event and event.upcoming_text:
        if event.warn_days is None or days_to_event < event.warn_days:
            _add(why_not, event.upcoming_text.format(event_date=event_date))
    for row in concerns.review:
        _add(why_not, row.text)
    price = price_of(modality)
    return {
        "modality": modality,
        "sessions": sessions,
        "interval_weeks": interval,
        "downtime": info.downtime,
        "price": price if price else PRICE_UNKNOWN,
        "why": why,
        "why_not": why_not,
    }


def _add_combinations(
    items: list[dict], intake: Intake, decisions: Mapping[str, ModalityDecision], rules: Rules
) -> None:
    by_modality = {item["modality"]: item for item in items}
    for combo in rules.combinations:
        lead = by_modality.get(combo.parts[0])
        if lead is None or not when_holds(combo.when, intake):
            continue
        if not all(decisions[part].status in BOOKABLE_STATUSES for part in combo.parts):
            continue
        _add(lead["why"], combo.text)
        for part in combo.parts[1:]:
            for reason in decisions[part].reasons:
                if reason.status == "caution":
                    _add(lead["why_not"], CAUTION_PREFIX + reason.text)
