"""Safety core: contraindication screening, triage and treatment recommendation (no Rasa imports).

Public API (the chat actions, a web intake form and the CLI all call exactly this):

    from actions.screening import decide, IntakeError, load_rules, validate_intake, pending_questions

    decide(intake, *, rules=None, clinic=None) -> dict      # the decision JSON of intake-contract.md
    validate_intake(intake) -> Intake                       # raises IntakeError(field, message)
    load_rules(path=None) -> Rules                          # raises ContentError(file, key, problem)
    pending_questions(intake, modalities=None, *, rules=None) -> list[str]   # question ids, section 7 order
    triage_reasons(intake, *, rules=None) -> list[dict]     # red flags behind the triage level
    clinician_review_notes(intake, *, rules=None) -> list[dict]  # why a concern needs a clinician

The clinical content lives in actions/content/screening_rules.yml (see docs/screening-rules.md).
"""

from actions.screening.engine import (
    clinician_review_notes,
    decide,
    default_rules,
    pending_questions,
    triage_reasons,
)
from actions.screening.intake import Intake, IntakeError, validate_intake
from actions.screening.rules import RULES_FILE, Rules, load_rules
from actions.screening.vocabulary import MODALITIES
from contract.statuses import STATUSES, TRIAGE_LEVELS

__all__ = [
    "MODALITIES",
    "RULES_FILE",
    "STATUSES",
    "TRIAGE_LEVELS",
    "Intake",
    "IntakeError",
    "Rules",
    "clinician_review_notes",
    "decide",
    "default_rules",
    "load_rules",
    "pending_questions",
    "triage_reasons",
    "validate_intake",
]
