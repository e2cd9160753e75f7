"""Which screening question a contract value answers, from the rules file's `questions:` section."""

from __future__ import annotations

from actions.screening import Rules, default_rules
from actions.screening.vocabulary import LIST_FIELDS

ISOTRETINOIN_QUESTION_VALUE = "isotretinoin_current"


def rules_or_default(rules: Rules | None) -> Rules:
    return rules if rules is not None else default_rules()


def question_for(field: str, value: str | None = None, rules: Rules | None = None) -> str | None:
    """The question id a fact about ``field`` (and, for list fields, ``value``) answers.

    Each list value belongs to the one question whose ``values`` include it (``anticoagulant`` ->
    ``medications.blood_thinners``); ``isotretinoin_last_dose`` is asked with the isotretinoin
    question; other fields map to their field's question (``age`` -> ``age``). None for symptoms
    (no screening question; they drive triage) and unknown values.
    """
    rules = rules_or_default(rules)
    if field == "isotretinoin_last_dose":
        field, value = "medications", ISOTRETINOIN_QUESTION_VALUE
    for question in rules.questions:
        if question.field != field:
            continue
        if question.values is None or (value is not None and value in question.values):
            return question.id
    return None


def question_values(question_id: str, rules: Rules | None = None) -> tuple[str, ...]:
    """The values a list-field question covers, in the contract's order (stable buttons); () for a
    question about a whole field."""
    question = rules_or_default(rules).question(question_id)
    if question.values is None:
        return ()
    order = LIST_FIELDS.get(question.field, ())
    return tuple(sorted(question.values, key=lambda v: order.index(v) if v in order else len(order)))
