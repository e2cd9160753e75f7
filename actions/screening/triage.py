"""Post-treatment symptoms (clinical-kb section 6): the highest applying red-flag level wins."""

from __future__ import annotations

from actions.screening.evaluate import when_holds
from actions.screening.intake import Intake
from actions.screening.rules import RedFlag, Rules
from contract.statuses import TRIAGE_RANK


def triage(intake: Intake, rules: Rules) -> tuple[str, list[RedFlag]]:
    """The triage level and the red flags behind it, most urgent first (level 'none' without symptoms)."""
    if not intake.symptoms:
        return "none", []
    flags = [flag for flag in rules.red_flags if when_holds(flag.when, intake)]
    flags.sort(key=lambda flag: -TRIAGE_RANK[flag.level])  # stable: file order within a level
    return (flags[0].level if flags else "none"), flags
