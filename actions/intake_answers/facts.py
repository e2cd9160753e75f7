"""Intake facts from one visitor message: the NLU's entities plus what the words around them say.

A Fact names the intake field it sets, the contract value, the screening question it answers and
whether the visitor said yes, no or "not sure" about it. Facts are only taken from what the visitor
says about themselves: denied ("no pacemaker"), unsure ("might be pregnant"), hypothetical ("what if
i get a fever?"), someone else's ("my mum has diabetes") and, outside a statement, questions ("is it
safe with a pacemaker?") are recognised as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Mapping, Protocol, Sequence

from actions.intake_answers.dates import DateMatch, find_dates
from actions.intake_answers.fact import NO, UNKNOWN, YES, Fact
from actions.intake_answers.negation import PAST_CUES, is_hypothetical, is_negated, is_uncertain, negation_cue
from actions.intake_answers.numbers import find_age
from actions.intake_answers.preferences import preference_facts
from actions.intake_answers.questions import question_for, rules_or_default
from actions.intake_answers.text import NUMBER_WORDS_PATTERN, Clause, clauses, normalise, words_to_number
from actions.lang import lexicon
from actions.screening import Rules
from actions.screening.vocabulary import AREAS, CONCERNS, CONDITIONS, MEDICATIONS, PROCEDURES, SYMPTOMS

ISOTRETINOIN = "isotretinoin"
LAST_DOSE = "isotretinoin_last_dose"

# Intents whose text is a statement even when it is phrased like a question ("is this normal? there is pus").
STATEMENT_INTENTS = frozenset({"inform", "report_symptoms", "affirm", "deny", "dont_know", "start_consultation"})
HEALTH_LABELS = frozenset({"life_stage", "medication", "condition", "procedure", "symptom", "treatment"})

# An unspecified laser or chemical peel is read as the kind with the longer wait (ablative laser:
# 12 weeks; deep peel: 3 months): the conservative choice until a clinician knows which it was.
# Surgery said without where is read as facial surgery (RF waits a year), and only when said as had.
PROCEDURE_DEFAULTS = {"laser": "laser_ablative", "chemical_peel": "chemical_peel_deep", "surgery": "surgery_face"}
NEEDS_PAST_VERB = frozenset({"surgery"})  # "is it an operation?" is not a procedure the visitor had
# The contract's yes/no fields the ruler finds among the conditions and life stages.
CONDITION_FLAGS = frozenset({"flare_settled", "severe_laxity"})
PREGNANCY_ENDED = "pregnancy_or_breastfeeding_ended"
# A pregnancy or breastfeeding that ended longer ago than this is no longer "recent" (X34 re-screen).
PREGNANCY_ENDED_RECENT_MONTHS = 12
# A treatment entity with a past date is a procedure the visitor had ("microneedling 3 weeks ago").
TREATMENT_PROCEDURES = {
    "microneedling": "microneedling",
    "microneedling_prp": "microneedling",
    "rf_microneedling": "rf_microneedling",
}

_LEXICON = lexicon.facts
_DAYS_SINCE = re.compile(_LEXICON.DAYS_SINCE_PATTERN.replace("{number}", NUMBER_WORDS_PATTERN))
_AIRWAY = re.compile(_LEXICON.AIRWAY_PATTERN)
_AIRWAY_DENIAL = re.compile(_LEXICON.AIRWAY_DENIAL_PATTERN)
_AIRWAY_QUESTION_BEFORE = re.compile(_LEXICON.AIRWAY_QUESTION_BEFORE_PATTERN)
AIRWAY = "breathing_difficulty_or_facial_swelling"
_WEEKS_SINCE = re.compile(_LEXICON.WEEKS_SINCE_PATTERN.replace("{number}", NUMBER_WORDS_PATTERN))
# clinical-kb section 6: redness and mild swelling are normal for 1-3 days; "anything that gets worse
# after day 2-3 is not normal"; redness lasting more than a week needs the clinic.
NORMAL_HEALING = "normal_redness_swelling"
NOT_SETTLING_FROM_DAY = 4
LONG_REDNESS_AFTER_DAYS = 7
# Longer ago than this, a date in the message is not about the healing now ("two years ago").
HEALING_WINDOW_DAYS = 90
_ISOTRETINOIN_PAST = re.compile(_LEXICON.ISOTRETINOIN_PAST_PATTERN)
_UNTIL = re.compile(_LEXICON.UNTIL_PATTERN)
_ISOTRETINOIN_PRESENT = re.compile(_LEXICON.ISOTRETINOIN_PRESENT_PATTERN)
_NEVER = re.compile(_LEXICON.NEVER_PATTERN)
_NOT_CURRENTLY = re.compile(_LEXICON.NOT_CURRENTLY_PATTERN)
_FUTURE_COURSE_END = re.compile(_LEXICON.FUTURE_COURSE_END_PATTERN)
_ASPIRIN_ANTIPLATELET = re.compile(_LEXICON.ASPIRIN_ANTIPLATELET_PATTERN)
_ASPIRIN_NSAID = re.compile(_LEXICON.ASPIRIN_NSAID_PATTERN)
_PROCEDURE_FUTURE = re.compile(_LEXICON.PROCEDURE_PLANNED_PATTERN)
_PAST_VERB = re.compile(_LEXICON.PAST_VERB_PATTERN)
_STOP_CUE = re.compile(_LEXICON.STOPPED_MEDICINE_PATTERN)
_STILL_CUE = re.compile(_LEXICON.STILL_ON_MEDICINE_PATTERN)
_CORRECTION_CUE = re.compile(_LEXICON.CORRECTION_PATTERN)
_PRONOUN_OBJECT = re.compile(_LEXICON.MEDICINE_PRONOUN_PATTERN)
_POOR_CONTROL = re.compile(_LEXICON.POOR_CONTROL_PATTERN)
_COLD_SORE_PAST_AFTER = re.compile(_LEXICON.COLD_SORE_PAST_AFTER_PATTERN)
_COLD_SORE_NOW = re.compile(_LEXICON.COLD_SORE_NOW_PATTERN)


class Context(Protocol):
    """What facts_from_message needs from the conversation so far (Answers provides it)."""

    @property
    def last_medication(self) -> str | None: ...


@dataclass(frozen=True)
class _Entity:
    label: str
    value: str
    start: int
    end: int
    text: str


def _entities(text: str, raw: Iterable[Mapping[str, Any]] | None) -> list[_Entity]:
    found = []
    lowered = normalise(text)
    for entity in raw or ():
        label, value = entity.get("entity"), entity.get("value")
        if not isinstance(label, str) or not isinstance(value, str):
            continue
        start, end = entity.get("start"), entity.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(text):
            surface = str(entity.get("text") or value).lower()
            start = lowered.find(surface)
            start, end = (start, start + len(surface)) if start >= 0 else (0, 0)
        found.append(_Entity(label, value, start, end, lowered[start:end]))
    return sorted(found, key=lambda e: e.start)


def _clause_index(all_clauses: Sequence[Clause], position: int) -> int:
    for index, clause in enumerate(all_clauses):
        if clause.start <= position < clause.end:
            return index
    for index, clause in enumerate(all_clauses):
        if position < clause.start:
            return max(index - 1, 0)
    return max(len(all_clauses) - 1, 0)


def _scope(text: str, entity: _Entity, entities: Sequence[_Entity]) -> tuple[int, int]:
    """The entity's clause plus the following clauses up to the next entity: "i was on accutane,
    stopped in january" belongs together; "..., had botox 2 weeks ago" does not."""
    all_clauses = clauses(text) or [Clause(0, len(text), False)]
    index = _clause_index(all_clauses, entity.start)
    start, end = all_clauses[index].start, all_clauses[index].end
    others = [e.start for e in entities if e is not entity]
    for clause in all_clauses[index + 1 :]:
        if any(clause.start <= position < clause.end for position in others):
            break
        end = clause.end
    own_clause_others = [p for p in others if start <= p < entity.start]
    if own_clause_others:
        start = max(start, max(own_clause_others))
    return min(start, entity.start), max(end, entity.end)


def _nearest_date(
    text: str, entity: _Entity, entities: Sequence[_Entity], today: date, direction: str
) -> DateMatch | None:
    start, end = _scope(text, entity, entities)
    matches = [m for m in find_dates(text, today, direction) if start <= m.start and m.end <= end]  # type: ignore[arg-type]
    if not matches:
        return None
    return min(matches, key=lambda m: m.start - entity.end if m.start >= entity.end else 3 * (entity.start - m.end))


def _suppressed(text: str, entity: _Entity, intent: str | None) -> bool:
    """Health facts are not taken from hypotheticals, other people, or questions (unless the NLU says
    the message is a statement)."""
    if is_hypothetical(text, entity.start, entity.end):
        return True
    if intent is not None and intent not in STATEMENT_INTENTS:
        all_clauses = clauses(text)
        if all_clauses and all_clauses[_clause_index(all_clauses, entity.start)].is_question:
            return True
    return False


# Values about the past: "i used to get cold sores" / "i don't get them any more" confirm a history.
HISTORY_VALUES = frozenset({"cold_sore_history", "keloid_history", "radiation_to_area"})


def _polarity(text: str, entity: _Entity) -> str:
    if is_uncertain(text, entity.start, entity.end):
        return UNKNOWN
    cue = negation_cue(text, entity.start, entity.end)
    if cue is None or (entity.value in HISTORY_VALUES and cue in PAST_CUES):
        return YES
    return NO


# --------------------------------------------------------------------------------------------------
# Per entity label


def _life_stage_facts(text: str, entity: _Entity, entities: Sequence[_Entity], today: date, rules: Rules) -> list[Fact]:
    answer = _polarity(text, entity)
    if entity.value in ("postpartum", "breastfeeding_ended"):
        if answer != YES or _long_ago(text, entity, entities, today, PREGNANCY_ENDED_RECENT_MONTHS):
            return []
        ended = [Fact(PREGNANCY_ENDED, True, None, YES)]
        if entity.value == "breastfeeding_ended":  # "stopped breastfeeding": not breastfeeding now
            return ended + [Fact("breastfeeding", False, question_for("breastfeeding", rules=rules), NO)]
        return ended
    if entity.value in ("pregnant", "breastfeeding"):
        value = None if answer == UNKNOWN else answer == YES
        return [Fact(entity.value, value, question_for(entity.value, rules=rules), answer)]
    if entity.value == "trying_to_conceive" and answer == YES:
        # Trying to conceive answers the pregnancy question as yes: the question asks "pregnant or
        # trying", the clinical rule (X34) waits until after pregnancy, and someone trying may be
        # pregnant without knowing yet. Conservative: treatment waits (defer), a clinician re-screens.
        return [Fact("pregnant", True, question_for("pregnant", rules=rules), YES)]
    return []


def _long_ago(text: str, entity: _Entity, entities: Sequence[_Entity], today: date, months: int) -> bool:
    """A past date said with the phrase is more than ``months`` ago ("had a baby 3 years ago")."""
    said = _nearest_date(text, entity, entities, today, "past")
    if said is None:
        return False
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return said.date < date(year, month + 1, min(today.day, 28))


def _number(text: str | None) -> int | None:
    if text is None:
        return None
    return int(text) if text.isdigit() else words_to_number(text)


def days_since_treatment(text: str, today: date) -> int | None:
    """The longest time the message says has passed ("5 days ago", "since last week", "day 6", "a week
    later", "for two weeks"), in days, within the healing window; None when it says none."""
    lowered = normalise(text)
    found = [(today - match.date).days for match in find_dates(text, today, "past")]
    for match in _DAYS_SINCE.finditer(lowered):
        found.append(_number(match.group("days") or match.group("day")) or 0)
    for match in _WEEKS_SINCE.finditer(lowered):
        weeks = _number(match.group("weeks") or match.group("for_weeks")) or 1
        more = "more" in match.group(0) or "over" in match.group(0)
        found.append(7 * weeks + (1 if more else 0))
    found = [days for days in found if 0 <= days <= HEALING_WINDOW_DAYS]
    return max(found) if found else None


def _airway_report(lowered: str, match: re.Match) -> bool:
    """The airway phrase reports what is happening: not denied ("lips not swollen") and not a question
    about what could happen ("will my lips swell?"; the ruler's own phrases still count there)."""
    sentence_start = max(lowered.rfind(mark, 0, match.start()) for mark in ".!?") + 1
    before = lowered[sentence_start : match.start()]
    return not (
        is_negated(lowered, match.start(), match.end())
        or _AIRWAY_DENIAL.search(match.group(0))
        or _AIRWAY_QUESTION_BEFORE.search(before)
    )


def symptoms_in(text: str, symptoms: Iterable[str], today: date) -> list[str]:
    """The symptoms a message names: the entity ruler's (``symptoms``), airway signs in loose wording
    ("lips r swelling", "breathing weird", unless plainly denied), and how long the usual healing has
    lasted: redness and swelling described from day 4 on are not settling as they should
    (worsening_after_72h, contact the clinic), past a week it is redness lasting over a week
    (clinical-kb section 6). Only ever adds to what the ruler found."""
    named = set(symptoms)
    lowered = normalise(text)
    if any(_airway_report(lowered, match) for match in _AIRWAY.finditer(lowered)):
        named.add(AIRWAY)
    if NORMAL_HEALING in named:
        days = days_since_treatment(text, today)
        if days is not None and days >= NOT_SETTLING_FROM_DAY:
            named.add("worsening_after_72h")
        if days is not None and days > LONG_REDNESS_AFTER_DAYS:
            named.add("redness_over_1_week")
    return sorted(named)


def mentions_isotretinoin_tense(text: str) -> bool:
    """Whether the words say taking it now or a finished course ("still", "stopped", "until", "ago")."""
    lowered = normalise(text)
    return bool(
        _ISOTRETINOIN_PAST.search(lowered)
        or _UNTIL.search(lowered)
        or _ISOTRETINOIN_PRESENT.search(lowered)
        or _NEVER.search(lowered)
        or _NOT_CURRENTLY.search(lowered)
        or _FUTURE_COURSE_END.search(lowered)
    )


def says_not_currently(text: str) -> bool:
    """ "Not currently", "not at the moment": not taking it now, which says nothing of a recent course."""
    return bool(_NOT_CURRENTLY.search(normalise(text)))


def isotretinoin_facts(region: str, answer: str, today: date, rules: Rules) -> list[Fact]:
    """Facts about isotretinoin from the words around it (``region``): taking it now, a finished course
    with its last dose ("until march", "stopped 2 months ago"), a finished course without a date yet,
    never taken, or not sure."""
    question = question_for("medications", "isotretinoin_current", rules=rules)
    lowered = normalise(region)
    if answer == UNKNOWN:
        return [Fact("medications", "isotretinoin_current", question, UNKNOWN)]
    if answer == NO and _NEVER.search(lowered):
        return [Fact("medications", "isotretinoin_current", question, NO), Fact(LAST_DOSE, None, question, NO)]
    if answer != NO and _FUTURE_COURSE_END.search(lowered):
        # A course that ends later is a course taken now, whatever date reading "april" gets.
        return [Fact("medications", "isotretinoin_current", question, YES)]
    still = bool(re.search(_LEXICON.STILL_OR_CURRENTLY_PATTERN, lowered)) and answer == YES
    present = bool(_ISOTRETINOIN_PRESENT.search(lowered))
    past = bool(_ISOTRETINOIN_PAST.search(lowered) or (_UNTIL.search(lowered) and not present))
    last_dose = find_dates(region, today, "past")
    future_only = [m for m in find_dates(region, today, "future") if m.date > today]
    if still or (not past and present and answer == YES):
        return [Fact("medications", "isotretinoin_current", question, YES)]
    if past or (last_dose and answer == YES and not future_only):
        if last_dose:
            return [Fact(LAST_DOSE, last_dose[0].date, question, YES)]
        return [Fact(LAST_DOSE, None, question, YES, needs=LAST_DOSE)]
    if answer == NO:
        return [Fact("medications", "isotretinoin_current", question, NO)]  # not now; a recent course is still to ask
    # Named without tense ("accutane", "roaccutane 20mg"): taking it now, the conservative reading.
    return [Fact("medications", "isotretinoin_current", question, YES)]


def _aspirin_kind(region: str) -> str:
    """Prescribed or low-dose aspirin is an antiplatelet (X17, clinician review); aspirin bought for the
    odd headache is an NSAID (X20, PRP). When the words don't say, antiplatelet: the conservative
    choice, since it sends the visitor to a clinician rather than letting a blood thinner pass."""
    lowered = normalise(region)
    if _ASPIRIN_ANTIPLATELET.search(lowered):
        return "antiplatelet"
    if _ASPIRIN_NSAID.search(lowered):
        return "nsaid"
    return "antiplatelet"


def _medication_facts(text: str, entity: _Entity, entities: Sequence[_Entity], today: date, rules: Rules) -> list[Fact]:
    answer = _polarity(text, entity)
    start, end = _scope(text, entity, entities)
    region = text[start:end]
    if entity.value == ISOTRETINOIN:
        return isotretinoin_facts(region, answer, today, rules)
    if entity.value == "aspirin":
        if answer == NO:
            return []  # "no aspirin" says nothing about other blood thinners or painkillers
        kind = _aspirin_kind(region)
        return [Fact("medications", kind, question_for("medications", kind, rules), answer)]
    if entity.value not in MEDICATIONS:
        return []
    facts = [Fact("medications", entity.value, question_for("medications", entity.value, rules), answer)]
    if answer == NO and _LEXICON.BLOOD_THINNER_WORD in entity.text and entity.value == "anticoagulant":
        # "no blood thinners" covers both kinds the blood-thinner question asks about.
        facts.append(Fact("medications", "antiplatelet", question_for("medications", "antiplatelet", rules), NO))
    return facts


def _procedure_facts(text: str, entity: _Entity, entities: Sequence[_Entity], today: date, rules: Rules) -> list[Fact]:
    """A procedure the visitor had, with the date near it ("botox 2 weeks ago", "had a laser in october");
    no date -> date None, which the engine treats as recent. Planned ones ("getting botox next week")
    and treatments merely named ("microneedling in march?") are not recent procedures."""
    if _polarity(text, entity) != YES:
        return []
    kind = (
        TREATMENT_PROCEDURES.get(entity.value)
        if entity.label == "treatment"
        else PROCEDURE_DEFAULTS.get(entity.value, entity.value)
    )
    if kind not in PROCEDURES:
        return []
    start, _ = _scope(text, entity, entities)
    before = normalise(text)[start : entity.start]
    past = _nearest_date(text, entity, entities, today, "past")
    future = _nearest_date(text, entity, entities, today, "future")
    either_way = past is not None and future is not None and (past.start, past.end) == (future.start, future.end)
    future_only = future is not None and not either_way and future.date > today
    if _PROCEDURE_FUTURE.search(before) or (future_only and past is None):
        return []
    had = bool(_PAST_VERB.search(before))
    if (entity.label == "treatment" or entity.value in NEEDS_PAST_VERB) and not had and (past is None or either_way):
        return []
    # "botox in march" without a verb: recorded as had (the latest day of March), the conservative reading.
    day = past.date if past is not None else None
    return [Fact("recent_procedures", {"type": kind, "date": day}, question_for("recent_procedures", rules=rules))]


def _condition_values(text: str, entity: _Entity, entities: Sequence[_Entity]) -> list[str]:
    """The conditions the words around the phrase mean: diabetes said to be poorly controlled is
    uncontrolled; a cold sore in the past ("only one, ages ago") is a history of cold sores, and one now
    as well as in the past ("got one right now, I get them every winter") is both."""
    if entity.value == "diabetes_controlled":
        start, end = _scope(text, entity, entities)
        if _POOR_CONTROL.search(normalise(text)[start:end]):
            return ["diabetes_uncontrolled"]
    if entity.value == "active_cold_sore" and (
        _COLD_SORE_PAST_AFTER.match(normalise(text)[entity.end :])
        or negation_cue(text, entity.start, entity.end) in PAST_CUES  # "haven't had a cold sore in years"
    ):
        start, end = _scope(text, entity, entities)
        if _COLD_SORE_NOW.search(normalise(text)[start:end]):
            return ["active_cold_sore", "cold_sore_history"]
        return ["cold_sore_history"]
    return [entity.value]


def _entity_facts(
    text: str, entity: _Entity, entities: Sequence[_Entity], intent: str | None, today: date, rules: Rules
) -> list[Fact]:
    if entity.label in HEALTH_LABELS and _suppressed(text, entity, intent):
        return []
    if entity.label == "life_stage":
        return _life_stage_facts(text, entity, entities, today, rules)
    if entity.label == "medication":
        return _medication_facts(text, entity, entities, today, rules)
    if entity.label == "condition" and entity.value in CONDITION_FLAGS:
        answer = _polarity(text, entity)
        return [Fact(entity.value, None if answer == UNKNOWN else answer == YES, None, answer)]
    if entity.label == "condition" and entity.value in CONDITIONS:
        facts = []
        for value in _condition_values(text, entity, entities):
            answer = _polarity(text, _Entity(entity.label, value, entity.start, entity.end, entity.text))
            facts.append(Fact("conditions", value, question_for("conditions", value, rules), answer))
        return facts
    if entity.label in ("procedure", "treatment"):
        return _procedure_facts(text, entity, entities, today, rules)
    if entity.label == "symptom" and entity.value in SYMPTOMS and _polarity(text, entity) == YES:
        return [Fact("symptoms", entity.value, None)]
    if entity.label == "concern" and entity.value in CONCERNS and not is_negated(text, entity.start, entity.end):
        return [Fact("concerns", entity.value, question_for("concerns", rules=rules))]
    if entity.label == "area" and entity.value in AREAS and not is_negated(text, entity.start, entity.end):
        return [Fact("areas", entity.value, question_for("areas", rules=rules))]
    return []


def correction_facts(text: str, context: Context | None, today: date, rules: Rules | None = None) -> list[Fact]:
    """A message without a medicine that changes the one discussed last: "actually i stopped it in
    january" (isotretinoin: the last dose), "i'm still on it" (taking it now), "i stopped them" (another
    medicine: no longer taken)."""
    last = getattr(context, "last_medication", None) if context is not None else None
    if not last:
        return []
    rules = rules_or_default(rules)
    lowered = normalise(text)
    refers = bool(_PRONOUN_OBJECT.search(lowered) or _CORRECTION_CUE.search(lowered) or len(lowered.split()) <= 8)
    if not refers:
        return []
    question = question_for("medications", "isotretinoin_current" if last == ISOTRETINOIN else last, rules)
    if _STILL_CUE.search(lowered):
        value = "isotretinoin_current" if last == ISOTRETINOIN else last
        return [Fact("medications", value, question, YES)]
    if not _STOP_CUE.search(lowered):
        return []
    if last == ISOTRETINOIN:
        found = find_dates(text, today, "past")
        if found:
            return [Fact(LAST_DOSE, found[0].date, question, YES)]
        return [Fact(LAST_DOSE, None, question, YES, needs=LAST_DOSE)]
    return [Fact("medications", last, question, NO)]


def facts_from_message(
    text: str,
    entities: Iterable[Mapping[str, Any]] | None,
    intent: str | None,
    today: date,
    *,
    context: Context | None = None,
    rules: Rules | None = None,
) -> list[Fact]:
    """Every intake fact in one visitor message, in the order they appear.

    ``entities`` are the NLU's ({"entity", "value", "start", "end"}, canonical values of the shared
    vocabulary); ``intent`` the NLU's intent name; ``today`` anchors relative dates; ``context`` (an
    Answers) lets "actually i stopped it in january" correct the medicine discussed last.
    """
    rules = rules_or_default(rules)
    text = text or ""
    found = _entities(text, entities)
    facts: list[Fact] = []
    age = find_age(text)
    if age is not None:
        facts.append(Fact("age", age, question_for("age", rules=rules)))
    for entity in found:
        for fact in _entity_facts(text, entity, found, intent, today, rules):
            if fact not in facts:
                facts.append(fact)
    facts.extend(preference_facts(text, today, question_for("preferences", rules=rules)))
    if not any(e.label == "medication" for e in found):
        facts.extend(correction_facts(text, context, today, rules))
    return facts
