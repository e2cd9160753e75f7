"""The visitor's reply to the screening question the chat just asked, and messages in general."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Mapping

from actions.intake_answers.answers import EVENT_DATE, LAST_DOSE, RECENT_COURSE, Answers
from actions.intake_answers.dates import parse_future_date, parse_past_date
from actions.intake_answers.fact import NO, UNKNOWN, YES, Fact
from actions.intake_answers.facts import (
    facts_from_message,
    isotretinoin_facts,
    mentions_isotretinoin_tense,
    says_not_currently,
)
from actions.intake_answers.numbers import parse_age, parse_fitzpatrick
from actions.intake_answers.preferences import bare_choice
from actions.intake_answers.questions import question_for, question_values, rules_or_default
from actions.intake_answers.text import normalise
from actions.lang import lexicon
from actions.screening import Rules
from actions.screening.vocabulary import PROCEDURES

ANSWERED, CHOOSE, NEED_DETAIL, NOT_UNDERSTOOD = "answered", "choose", "need_detail", "not_understood"

_LEXICON = lexicon.answering
# "not that i know of" is a no (shared vocabulary); checked before the "don't know" family.
_NO_TEXT = re.compile(_LEXICON.NO_REPLY_PATTERN)
_NOT_THAT_I_KNOW = re.compile(_LEXICON.NOT_THAT_I_KNOW_PATTERN)
_UNSURE_TEXT = re.compile(_LEXICON.UNSURE_REPLY_PATTERN)
_YES_TEXT = re.compile(_LEXICON.YES_REPLY_PATTERN)
_EXCEPTION = re.compile(_LEXICON.EXCEPTION_PATTERN)


@dataclass(frozen=True)
class AnswerResult:
    """What a reply did to the answers.

    ``status``: "answered" (the question is closed: yes/no/unknown); "choose" (a bare yes to a question
    with several values: ``options`` are the values to offer as buttons); "need_detail" (``needs``
    names the detail to ask next, e.g. "isotretinoin_last_dose"); "not_understood" (ask again).
    ``facts`` are every fact recorded, including ones volunteered about other questions.
    """

    answers: Answers
    status: str
    question: str
    options: tuple[str, ...] = ()
    needs: str | None = None
    facts: tuple[Fact, ...] = ()


def _polarity(intent: str | None, text: str) -> str | None:
    """yes / no / unknown from the intent and the words; None when the reply says neither."""
    lowered = normalise(text).strip()
    if _NOT_THAT_I_KNOW.search(lowered):
        return NO
    if intent == "dont_know" or _UNSURE_TEXT.search(lowered):  # "no idea" is unsure, whatever the intent
        return UNKNOWN
    no = intent == "deny" or (intent != "affirm" and bool(_NO_TEXT.match(lowered)))
    if no and _EXCEPTION.search(lowered):
        return UNKNOWN  # "no except one on my ear": not a clean no; the question stays open
    if intent in ("affirm", "deny"):
        return YES if intent == "affirm" else NO
    if _NO_TEXT.match(lowered):
        return NO
    if _YES_TEXT.match(lowered):
        return YES
    return None


def answer_question(
    answers: Answers,
    question_id: str,
    intent: str | None,
    entities: Iterable[Mapping[str, Any]] | None,
    text: str,
    today: date,
    *,
    rules: Rules | None = None,
) -> AnswerResult:
    """Record the reply to the screening question ``question_id`` the chat just asked.

    Entities name the values ("yes, a pacemaker", "i take eliquis"); affirm / deny / dont_know (or "not
    sure" in the words) answer yes / no / unknown; "I don't know" is always a valid answer and never a
    no. A bare yes to a question with several values (conditions.skin_now) returns CHOOSE with the
    values to offer; a yes to the isotretinoin question with a past date records the last dose; age
    and skin type are read from the words. Facts about other questions in the same reply are kept too.
    """
    rules = rules_or_default(rules)
    question = rules.question(question_id)
    volunteered = facts_from_message(text, entities, intent, today, context=answers, rules=rules)
    own = [fact for fact in volunteered if fact.question == question_id]
    others = [fact for fact in volunteered if fact.question != question_id]
    updated = answers.apply(others, rules)
    polarity = _polarity(intent, text)
    handler = _HANDLERS.get(question.field, _answer_list_question)
    if question_id == question_for(LAST_DOSE, rules=rules):  # asked together with the last dose
        handler = _answer_isotretinoin
    result = handler(updated, question_id, own, polarity, text, today, rules)
    return AnswerResult(
        result.answers, result.status, question_id, result.options, result.needs, tuple(others) + result.facts
    )


@dataclass(frozen=True)
class _Outcome:
    answers: Answers
    status: str
    options: tuple[str, ...] = ()
    needs: str | None = None
    facts: tuple[Fact, ...] = ()


def _closed(
    answers: Answers,
    question_id: str,
    answer: str,
    rules: Rules,
    facts: Iterable[Fact] = (),
    values: Iterable[str] = (),
) -> _Outcome:
    facts = tuple(facts)
    recorded = answers.apply(facts, rules).mark(question_id, answer, values, rules)
    return _Outcome(recorded, ANSWERED, facts=facts)


def _answer_scalar(
    answers: Answers, question_id: str, own: list[Fact], polarity: str | None, text: str, today: date, rules: Rules
) -> _Outcome:
    field = rules.question(question_id).field
    value = parse_age(text) if field == "age" else parse_fitzpatrick(text)
    if value is None and own:
        value = own[0].value
    if value is not None:
        return _closed(answers, question_id, YES, rules, [Fact(field, value, question_id)])
    if polarity == UNKNOWN:
        return _closed(answers, question_id, UNKNOWN, rules)
    return _Outcome(answers, NOT_UNDERSTOOD)


def _answer_boolean(
    answers: Answers, question_id: str, own: list[Fact], polarity: str | None, text: str, today: date, rules: Rules
) -> _Outcome:
    if own:
        answer = own[-1].answer
        return _closed(answers, question_id, answer, rules, own)
    if polarity is None:
        return _Outcome(answers, NOT_UNDERSTOOD)
    field = rules.question(question_id).field
    value = None if polarity == UNKNOWN else polarity == YES
    return _closed(answers, question_id, polarity, rules, [Fact(field, value, question_id, polarity)])


def _answer_collected(
    answers: Answers, question_id: str, own: list[Fact], polarity: str | None, text: str, today: date, rules: Rules
) -> _Outcome:
    """concerns / areas: the entities named."""
    if own:
        return _closed(answers, question_id, YES, rules, own)
    if polarity == UNKNOWN:
        return _closed(answers, question_id, UNKNOWN, rules)
    return _Outcome(answers, NOT_UNDERSTOOD)


def _answer_preferences(
    answers: Answers, question_id: str, own: list[Fact], polarity: str | None, text: str, today: date, rules: Rules
) -> _Outcome:
    facts = list(own)
    if answers.awaiting == EVENT_DATE and not any("event_date" in (f.value or {}) for f in facts):
        when = parse_future_date(text, today)
        if when is not None:
            facts.append(Fact("preferences", {"event_date": when}, question_id))
    if not facts:
        for kind in ("downtime", "budget"):
            choice = bare_choice(kind, text)
            if choice and not (kind == "budget" and bare_choice("downtime", text)):
                facts.append(Fact("preferences", {kind: choice}, question_id))
                break
    if facts:
        outcome = _closed(answers, question_id, YES, rules, facts)
        if outcome.answers.awaiting == EVENT_DATE:
            return _Outcome(outcome.answers, NEED_DETAIL, needs=EVENT_DATE, facts=outcome.facts)
        return outcome
    if polarity == NO:  # "no preference", "none": nothing in particular
        return _closed(answers, question_id, NO, rules)
    if polarity == UNKNOWN:
        return _closed(answers, question_id, UNKNOWN, rules)
    return _Outcome(answers, NOT_UNDERSTOOD)


def _answer_procedures(
    answers: Answers, question_id: str, own: list[Fact], polarity: str | None, text: str, today: date, rules: Rules
) -> _Outcome:
    if own:
        return _closed(answers, question_id, YES, rules, own)
    if polarity == NO:
        answer = YES if answers.recent_procedures else NO  # "no (others)": what was volunteered stays
        return _closed(answers, question_id, answer, rules)
    if polarity == UNKNOWN:
        return _closed(answers, question_id, UNKNOWN, rules)
    if polarity == YES:
        return _Outcome(answers, CHOOSE, options=PROCEDURES)
    return _Outcome(answers, NOT_UNDERSTOOD)


def _answer_isotretinoin(
    answers: Answers, question_id: str, own: list[Fact], polarity: str | None, text: str, today: date, rules: Rules
) -> _Outcome:
    """Taking it now, a course that ended (with its last dose), never, or not sure."""
    if answers.awaiting in (LAST_DOSE, RECENT_COURSE) and not own:
        when = parse_past_date(text, today)
        if when is not None:
            return _closed(answers, question_id, YES, rules, [Fact(LAST_DOSE, when, question_id)])
    if answers.awaiting == RECENT_COURSE and not own:
        # "Did a course end in the last 6 months?" after "not currently".
        if polarity == NO:
            return _closed(answers, question_id, NO, rules, [Fact(LAST_DOSE, None, question_id, NO)])
        if polarity == UNKNOWN:
            return _closed(answers, question_id, UNKNOWN, rules)
        if polarity == YES:
            recorded = answers.apply([Fact(LAST_DOSE, None, question_id, YES, needs=LAST_DOSE)], rules)
            return _Outcome(recorded, NEED_DETAIL, needs=LAST_DOSE)
    facts = own
    if not facts:
        if polarity == UNKNOWN:
            return _closed(answers, question_id, UNKNOWN, rules)
        if mentions_isotretinoin_tense(text) or parse_past_date(text, today) is not None:
            facts = isotretinoin_facts(text, polarity or YES, today, rules)  # "yes, stopped in march"
        elif polarity == YES:
            return _Outcome(answers, CHOOSE, options=("isotretinoin_current", LAST_DOSE))
        elif polarity == NO:
            facts = [
                Fact("medications", "isotretinoin_current", question_id, NO),
                Fact(LAST_DOSE, None, question_id, NO),
            ]
        else:
            return _Outcome(answers, NOT_UNDERSTOOD)
    recorded = answers.apply(facts, rules)
    if recorded.awaiting == LAST_DOSE and recorded.isotretinoin_last_dose is None:
        return _Outcome(recorded, NEED_DETAIL, needs=LAST_DOSE, facts=tuple(facts))
    if recorded.state(question_id) not in (YES, NO, UNKNOWN):
        if says_not_currently(text):
            # "Not currently" answers only "taking it now"; a course that ended recently is still to ask.
            return _Outcome(
                recorded.awaiting_detail(RECENT_COURSE), NEED_DETAIL, needs=RECENT_COURSE, facts=tuple(facts)
            )
        # A direct "not on it" also answers the question's "or a course in the last 6 months".
        recorded = recorded.mark(question_id, NO, (), rules)
    return _Outcome(recorded, ANSWERED, facts=tuple(facts))


def _answer_list_question(
    answers: Answers, question_id: str, own: list[Fact], polarity: str | None, text: str, today: date, rules: Rules
) -> _Outcome:
    """A question about some values of conditions / medications ("Do you get cold sores?")."""
    named_yes = [fact.value for fact in own if fact.answer == YES]
    if any(fact.answer == UNKNOWN for fact in own) or (polarity == UNKNOWN and not named_yes):
        # "eczema yes, not sure about psoriasis": the yes is kept and the question stays open
        return _closed(answers, question_id, UNKNOWN, rules, own, named_yes)
    if own:
        return _closed(answers, question_id, YES if named_yes else NO, rules, own, named_yes)
    if polarity == NO:
        return _closed(answers, question_id, NO, rules)
    if polarity == YES:
        values = question_values(question_id, rules)
        state = answers.questions.get(question_id)
        left = tuple(v for v in values if not state or v not in state.denied)
        if len(values) == 1:
            fact = Fact(rules.question(question_id).field, values[0], question_id)
            return _closed(answers, question_id, YES, rules, [fact], values)
        return _Outcome(answers, CHOOSE, options=left)
    return _Outcome(answers, NOT_UNDERSTOOD)


_HANDLERS = {
    "age": _answer_scalar,
    "fitzpatrick": _answer_scalar,
    "pregnant": _answer_boolean,
    "breastfeeding": _answer_boolean,
    "concerns": _answer_collected,
    "areas": _answer_collected,
    "preferences": _answer_preferences,
    "recent_procedures": _answer_procedures,
}


def apply_message(
    answers: Answers,
    text: str,
    entities: Iterable[Mapping[str, Any]] | None,
    intent: str | None,
    today: date,
    *,
    rules: Rules | None = None,
) -> tuple[Answers, list[Fact]]:
    """Facts volunteered in a message outside a question ("btw im pregnant", "actually i stopped it in
    january"), recorded; returns the new Answers and the facts. Corrections use ``answers`` as the
    context: the medicine discussed last."""
    rules = rules_or_default(rules)
    facts = facts_from_message(text, entities, intent, today, context=answers, rules=rules)
    return answers.apply(facts, rules), facts
