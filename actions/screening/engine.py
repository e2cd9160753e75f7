"""The public entry points: decide() (the contract's decision JSON) and pending_questions()."""

from __future__ import annotations

from typing import Any, Collection, Iterable, Mapping

from actions.content.clinic import Clinic, load_clinic
from actions.content.watched import Watched
from actions.screening.evaluate import screen
from actions.screening.intake import Intake, validate_intake
from actions.screening.recommend import match_concerns, recommend
from actions.screening.rules import RULES_FILE, Rules, affected_modalities, load_rules
from actions.screening.triage import triage
from actions.screening.vocabulary import MODALITIES
from contract.statuses import BOOKABLE_STATUSES, CONTRACT_VERSION, SUPPRESSING_TRIAGE

RULES: Watched[Rules] = Watched(lambda: load_rules(RULES_FILE), lambda: (RULES_FILE,))


def default_rules() -> Rules:
    """The clinic's rules file, re-read whenever it changes on disk (a broken edit keeps the last good
    rules: actions/content/watched.py)."""
    return RULES.get()


def decide(
    intake: Mapping[str, Any] | Intake,
    *,
    rules: Rules | None = None,
    clinic: Clinic | None = None,
    open_questions: Collection[str] = (),
) -> dict:
    """The contract's decision for one intake, as a plain JSON-serialisable dict.

    ``open_questions`` (question ids) are safety questions still unanswered, or answered "I don't
    know", although their intake field holds other answers: they count as unknown, never as "no".
    Raises IntakeError (a ValueError naming the field) for a malformed intake, and ContentError when
    the rules or clinic file is broken; never returns a partial decision.
    """
    checked = validate_intake(intake)
    rules = rules or default_rules()
    _check_question_ids(open_questions, rules)
    decisions = screen(checked, rules, open_questions=open_questions)
    level, _ = triage(checked, rules)
    recommendation: list[dict] = []
    if level in SUPPRESSING_TRIAGE:
        next_step = level
    else:
        concerns = match_concerns(checked, rules)
        loaded: list[Clinic] = [clinic] if clinic is not None else []

        def price_of(modality: str) -> str | None:
            if not loaded:
                loaded.append(load_clinic())
            return loaded[0].price_text(modality)

        recommendation = recommend(checked, decisions, rules, price_of, concerns)
        bookable = any(decision.status in BOOKABLE_STATUSES for decision in decisions.values())
        if concerns.review:
            next_step = "book_consultation"
        elif concerns.service:
            next_step = "book_treatment" if recommendation else "book_consultation"
        else:
            next_step = "book_treatment" if bookable else "book_consultation"
    return {
        "contract": CONTRACT_VERSION,
        "rules_version": rules.version,
        "triage": level,
        "modalities": {modality: decisions[modality].as_json() for modality in MODALITIES},
        "recommendation": recommendation,
        "next_step": next_step,
    }


def triage_reasons(intake: Mapping[str, Any] | Intake, *, rules: Rules | None = None) -> list[dict]:
    """The red flags behind the triage level, most urgent first: [{rule, level, text, source}]."""
    checked = validate_intake(intake)
    _, flags = triage(checked, rules or default_rules())
    return [{"rule": f.id, "level": f.level, "text": f.text, "source": f.source} for f in flags]


def clinician_review_notes(intake: Mapping[str, Any] | Intake, *, rules: Rules | None = None) -> list[dict]:
    """For concerns a clinician must see first: [{rule, text, source}] the visitor can read."""
    checked = validate_intake(intake)
    review = match_concerns(checked, rules or default_rules()).review
    return [{"rule": row.id, "text": row.text, "source": row.source} for row in review]


def pending_questions(
    intake: Mapping[str, Any] | Intake,
    modalities: Iterable[str] | None = None,
    *,
    rules: Rules | None = None,
    asked: Collection[str] | None = None,
) -> list[str]:
    """Question ids (rules file `questions`, clinical-kb section 7 order) still unanswered that could
    change the decision for the treatments in play.

    A question id is its intake field (``age``) or ``field.topic`` (``conditions.implanted_device``); the
    field is the part before the dot, and ``rules.question(id)`` gives its values and wording. In play:
    ``modalities`` when given, else the treatments the visitor's concerns could lead to (all three while
    concerns are unknown or a clinician must see them). A treatment already excluded by the answers so
    far is out of play: no answer can make it more restrictive.

    ``asked`` (question ids), when given, decides what is answered question by question instead of
    field by field: a chat fills a list field from its first answer on but still has to ask the
    field's other questions.
    """
    checked = validate_intake(intake)
    rules = rules or default_rules()
    in_play = _in_play(checked, rules, modalities)
    if not in_play:
        return []  # every treatment in question is already excluded: no answer changes that
    concerns = match_concerns(checked, rules)
    offered = {m for row in concerns.service for m in row.offers}
    pending = []
    if asked is not None:
        _check_question_ids(asked, rules)
    for question in rules.questions:
        if question.id in (asked or ()) or (asked is None and checked.answered(question.field)):
            continue
        if question.field in ("concerns", "areas"):
            pending.append(question.id)
        elif question.field == "preferences":
            if checked.concerns is None or offered & in_play:
                pending.append(question.id)
        elif affected_modalities(question, rules.rules) & in_play:
            pending.append(question.id)
    return pending


def _check_question_ids(ids: Collection[str], rules: Rules) -> None:
    known = {question.id for question in rules.questions}
    unknown = sorted(set(ids) - known)
    if unknown:
        raise ValueError(f"unknown question id(s): {', '.join(unknown)}")


def _in_play(intake: Intake, rules: Rules, modalities: Iterable[str] | None) -> frozenset[str]:
    if modalities is not None:
        chosen = frozenset(modalities)
        unknown = chosen - set(MODALITIES)
        if unknown:
            raise ValueError(f"unknown treatment(s): {', '.join(sorted(unknown))}")
    else:
        concerns = match_concerns(intake, rules)
        if intake.concerns is None or concerns.review or not concerns.service:
            chosen = frozenset(MODALITIES)
        else:
            chosen = frozenset(m for row in concerns.service for m in row.offers)
    decided = screen(intake, rules, with_unknown=False)
    return frozenset(m for m in chosen if decided[m].status != "exclude")
