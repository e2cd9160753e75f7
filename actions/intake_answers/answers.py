"""Answers: what a visitor has told us so far, question by question, kept in one Rasa slot as a dict.

Per screening question id the state is one of
    yes      answered yes; ``values`` says which of the question's values (list fields)
    no       answered no
    unknown  "I don't know" / "not sure": never treated as no (decide() gets it as an open question)
    partial  something was volunteered ("btw i smoke") but the question as a whole is still to ask
plus the value-carrying fields (age, skin type, concerns, areas, isotretinoin last dose, recent
procedures, symptoms, preferences). ``to_intake`` gives the contract intake for decide(); ``asked`` and
``open_questions`` give the question ids for pending_questions(asked=...) and decide(open_questions=...).
A safety "yes" is never dropped by a later "not sure" or a bare "no" to a broader question; only an
explicit denial of that value ("actually i don't have a pacemaker") removes it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping

from actions.intake_answers.fact import NO, UNKNOWN, YES, Fact
from actions.intake_answers.questions import question_for, question_values, rules_or_default
from actions.intake_answers.summary import summary_lines
from actions.screening import Rules
from actions.screening.vocabulary import LATER_FLAGS, LIST_FIELDS, PREFERENCE_FIELDS, PROCEDURES

FORMAT_VERSION = 1
PARTIAL = "partial"
STATES = (YES, NO, UNKNOWN, PARTIAL)
CLOSED = frozenset({YES, NO, UNKNOWN})
LAST_DOSE = "isotretinoin_last_dose"
ISOTRETINOIN_CURRENT = "isotretinoin_current"
EVENT_DATE = "event_date"
# "Not currently" on isotretinoin leaves the question's other half: did a course end in the last 6 months?
RECENT_COURSE = "isotretinoin_recent_course"
NEEDS = (LAST_DOSE, EVENT_DATE, RECENT_COURSE)
_SCALAR_FIELDS = ("age", "fitzpatrick")
_COLLECTED_FIELDS = ("concerns", "areas", "symptoms")
_BOOLEAN_FIELDS = ("pregnant", "breastfeeding")


@dataclass
class QuestionState:
    """The answer to one screening question: its state, the values said yes to and those said no to."""

    answer: str
    values: list[str] = field(default_factory=list)
    denied: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"answer": self.answer, "values": list(self.values), "denied": list(self.denied)}


@dataclass
class Answers:
    """Everything the visitor has told us; JSON-serialisable with ``to_dict`` / ``from_dict``."""

    questions: dict[str, QuestionState] = field(default_factory=dict)
    age: int | None = None
    fitzpatrick: int | None = None
    isotretinoin_last_dose: date | None = None
    concerns: list[str] | None = None
    areas: list[str] | None = None
    recent_procedures: list[dict] | None = None  # [{"type": procedure, "date": date | None}]
    symptoms: list[str] | None = None
    preferences: dict | None = None  # {"downtime", "budget", "event_date": date}
    awaiting: str | None = None  # a detail to ask next: "isotretinoin_last_dose" or "event_date"
    last_medication: str | None = None  # the medicine discussed last ("isotretinoin", "anticoagulant", ...)
    # The contract's optional yes/no fields no question asks (vocabulary.LATER_FLAGS), as volunteered:
    # {"severe_laxity": True, ...}; a field never mentioned stays out (unknown).
    flags: dict[str, bool] = field(default_factory=dict)

    # ---------------------------------------------------------------------------------------------
    # Serialisation

    def to_dict(self) -> dict:
        """A plain JSON-serialisable dict (dates as YYYY-MM-DD), the shape ``from_dict`` reads."""
        return {
            "version": FORMAT_VERSION,
            "questions": {qid: state.as_dict() for qid, state in sorted(self.questions.items())},
            "age": self.age,
            "fitzpatrick": self.fitzpatrick,
            "isotretinoin_last_dose": _iso(self.isotretinoin_last_dose),
            "concerns": _copy_list(self.concerns),
            "areas": _copy_list(self.areas),
            "recent_procedures": None
            if self.recent_procedures is None
            else [{"type": item["type"], "date": _iso(item["date"])} for item in self.recent_procedures],
            "symptoms": _copy_list(self.symptoms),
            "preferences": None
            if self.preferences is None
            else {key: _iso(value) if isinstance(value, date) else value for key, value in self.preferences.items()},
            "awaiting": self.awaiting,
            "last_medication": self.last_medication,
            "flags": dict(sorted(self.flags.items())),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> "Answers":
        """Read a dict written by ``to_dict`` (None or {} is a fresh conversation). Raises ValueError
        naming the key when the dict is not one (a slot edited by hand or from another version)."""
        if not data:
            return cls()
        if not isinstance(data, Mapping):
            raise ValueError("answers: must be a dict")
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"answers.version: expected {FORMAT_VERSION}, got {data.get('version')!r}")
        questions = {}
        for qid, raw in (data.get("questions") or {}).items():
            if not isinstance(raw, Mapping) or raw.get("answer") not in STATES:
                raise ValueError(f"answers.questions.{qid}: needs an answer among {', '.join(STATES)}")
            questions[str(qid)] = QuestionState(
                raw["answer"],
                _strings(raw.get("values"), f"questions.{qid}.values"),
                _strings(raw.get("denied"), f"questions.{qid}.denied"),
            )
        procedures = data.get("recent_procedures")
        if procedures is not None:
            procedures = [_procedure_from_dict(item, index) for index, item in enumerate(procedures)]
        preferences = data.get("preferences")
        if preferences is not None:
            if not isinstance(preferences, Mapping) or set(preferences) - set(PREFERENCE_FIELDS):
                raise ValueError(f"answers.preferences: only {', '.join(PREFERENCE_FIELDS)}")
            preferences = dict(preferences)
            if preferences.get(EVENT_DATE):
                preferences[EVENT_DATE] = _date(preferences[EVENT_DATE], "preferences.event_date")
        awaiting = data.get("awaiting")
        if awaiting is not None and awaiting not in NEEDS:
            raise ValueError(f"answers.awaiting: unknown detail {awaiting!r}")
        flags = data.get("flags") or {}
        if not isinstance(flags, Mapping) or any(
            name not in LATER_FLAGS or not isinstance(value, bool) for name, value in flags.items()
        ):
            raise ValueError(f"answers.flags: only {', '.join(LATER_FLAGS)}, each true or false")
        return cls(
            questions=questions,
            age=_int_or_none(data.get("age"), "age"),
            fitzpatrick=_int_or_none(data.get("fitzpatrick"), "fitzpatrick"),
            isotretinoin_last_dose=_date(data.get(LAST_DOSE), LAST_DOSE) if data.get(LAST_DOSE) else None,
            concerns=_strings_or_none(data.get("concerns"), "concerns"),
            areas=_strings_or_none(data.get("areas"), "areas"),
            recent_procedures=procedures,
            symptoms=_strings_or_none(data.get("symptoms"), "symptoms"),
            preferences=preferences,
            awaiting=awaiting,
            last_medication=data.get("last_medication"),
            flags=dict(flags),
        )

    # ---------------------------------------------------------------------------------------------
    # Reading

    def state(self, question_id: str) -> str | None:
        """ "yes", "no", "unknown", "partial", or None when nothing is known about the question."""
        found = self.questions.get(question_id)
        return found.answer if found else None

    def asked(self, rules: Rules | None = None) -> set[str]:
        """Question ids answered yes, no or "don't know": for pending_questions(..., asked=...)."""
        known = {question.id for question in rules_or_default(rules).questions}
        return {qid for qid, state in self.questions.items() if state.answer in CLOSED and qid in known}

    def open_questions(self, rules: Rules | None = None) -> set[str]:
        """Question ids not answered yes or no (unknown, partly answered or not asked): for
        decide(..., open_questions=...), so a field holding other answers never hides them."""
        return {
            question.id for question in rules_or_default(rules).questions if self.state(question.id) not in (YES, NO)
        }

    def to_intake(self, today: date, rules: Rules | None = None) -> dict:
        """The contract intake (intake-contract.md) for actions.screening.decide; ``today`` is set.

        List fields are filled from the answered questions (None while no question of the field has
        any answer); isotretinoin_current comes from the isotretinoin question.
        """
        rules = rules_or_default(rules)
        intake: dict[str, Any] = {"today": today.isoformat()}
        if self.age is not None:
            intake["age"] = self.age
        if self.fitzpatrick is not None:
            intake["fitzpatrick"] = self.fitzpatrick
        for name in ("concerns", "areas", "symptoms"):
            if getattr(self, name) is not None:
                intake[name] = list(getattr(self, name))
        for name in _BOOLEAN_FIELDS:
            answer = self.state(question_for(name, rules=rules) or name)
            if answer in (YES, NO):
                intake[name] = answer == YES
        for name in ("conditions", "medications"):
            values = self._list_field(name, rules)
            if values is not None:
                intake[name] = values
        if self.isotretinoin_last_dose is not None:
            intake[LAST_DOSE] = min(self.isotretinoin_last_dose, today).isoformat()
        procedures_question = question_for("recent_procedures", rules=rules)
        if self.recent_procedures is not None or self.state(procedures_question or "") is not None:
            intake["recent_procedures"] = [
                {"type": item["type"], "date": _iso(None if item["date"] is None else min(item["date"], today))}
                for item in self.recent_procedures or ()
            ]
        intake.update(self.flags)
        if self.preferences is not None:
            intake["preferences"] = {
                key: _iso(value) if isinstance(value, date) else value
                for key, value in self.preferences.items()
                if value is not None
            }
        return intake

    def _list_field(self, name: str, rules: Rules) -> list[str] | None:
        states = [self.questions[q.id] for q in rules.questions if q.field == name and q.id in self.questions]
        if not states:
            return None
        values: list[str] = []
        for state in states:
            values.extend(value for value in state.values if value in LIST_FIELDS[name] and value not in values)
        return values

    # ---------------------------------------------------------------------------------------------
    # Changing (every change returns a new Answers; the original is left as it was)

    def apply(self, facts: Iterable[Fact], rules: Rules | None = None) -> "Answers":
        """These facts recorded as volunteered: they answer single-value questions, and leave a
        question with several values "partial" (still to ask) unless every value is known."""
        rules = rules_or_default(rules)
        updated = copy.deepcopy(self)
        for fact in facts:
            updated._record(fact, rules)
        return updated

    def mark(self, question_id: str, answer: str, values: Iterable[str] = (), rules: Rules | None = None) -> "Answers":
        """Close ``question_id`` with ``answer`` ("yes" with ``values``, "no" or "unknown"), as a direct
        answer to it: values not named count as no. A yes already recorded stays (see module doc)."""
        if answer not in CLOSED:
            raise ValueError(f"answer must be one of yes, no, unknown; got {answer!r}")
        rules = rules_or_default(rules)
        rules.question(question_id)  # raises KeyError for an unknown id
        updated = copy.deepcopy(self)
        updated._close(question_id, answer, list(values), rules)
        return updated

    def awaiting_detail(self, detail: str) -> "Answers":
        """A copy that asks ``detail`` (one of NEEDS) next."""
        if detail not in NEEDS:
            raise ValueError(f"unknown detail {detail!r}")
        updated = copy.deepcopy(self)
        updated.awaiting = detail
        return updated

    def _state(self, question_id: str) -> QuestionState:
        return self.questions.setdefault(question_id, QuestionState(PARTIAL))

    def _close(self, question_id: str, answer: str, values: list[str], rules: Rules) -> None:
        state = self._state(question_id)
        question = rules.question(question_id)
        if question.values is not None:
            for value in values:
                if value not in state.values:
                    state.values.append(value)
                if value in state.denied:
                    state.denied.remove(value)
        if state.values and answer == NO and question.values is not None:
            answer = YES  # a bare no keeps a yes already given for a value of this question
        # ("not sure" keeps it too: the values stay in the intake and the question stays open)
        if question.id == question_for(LAST_DOSE, rules=rules) and answer == NO and self.isotretinoin_last_dose:
            answer = YES  # a finished course with a date was already given
        if question.field in _BOOLEAN_FIELDS and state.answer == YES and answer == UNKNOWN:
            answer = YES
        state.answer = answer
        if question.id == question_for(LAST_DOSE, rules=rules) and self.awaiting in (LAST_DOSE, RECENT_COURSE):
            self.awaiting = None  # closed: the date is given, or "not sure" stands for it
        if question.field == "preferences" and self.awaiting == EVENT_DATE and answer in (NO, UNKNOWN):
            self.awaiting = None  # "no event" / "not sure when": nothing more to ask
        if answer == YES and question.field in ("age", "fitzpatrick") and getattr(self, question.field) is None:
            state.answer = UNKNOWN
        if answer == NO and question.field == "recent_procedures" and self.recent_procedures is None:
            self.recent_procedures = []
        if answer == NO and question.field == "preferences" and self.preferences is None:
            self.preferences = {}

    def _record(self, fact: Fact, rules: Rules) -> None:
        question = fact.question or question_for(fact.field, fact.value if isinstance(fact.value, str) else None, rules)
        if fact.field in _SCALAR_FIELDS:
            self._record_scalar(fact, question)
        elif fact.field in _BOOLEAN_FIELDS:
            self._record_boolean(fact, question)
        elif fact.field in _COLLECTED_FIELDS:
            self._record_collected(fact, question)
        elif fact.field == "preferences":
            self._record_preferences(fact, question)
        elif fact.field == "recent_procedures":
            self._record_procedure(fact, question)
        elif fact.field == LAST_DOSE:
            self._record_last_dose(fact, question, rules)
        elif fact.field in ("conditions", "medications") and question is not None:
            self._record_value(fact, question, rules)
        elif fact.field in LATER_FLAGS:
            self._record_flag(fact)

    def _record_flag(self, fact: Fact) -> None:
        """A yes stays (each flag's yes is the stricter reading); doubt records nothing."""
        if fact.answer == YES:
            self.flags[fact.field] = True
        elif fact.answer == NO and not self.flags.get(fact.field):
            self.flags[fact.field] = False

    def _record_scalar(self, fact: Fact, question: str | None) -> None:
        if fact.answer == UNKNOWN or fact.value is None:
            if getattr(self, fact.field) is None and question:
                self._state(question).answer = UNKNOWN
            return
        setattr(self, fact.field, int(fact.value))
        if question:
            self._state(question).answer = YES

    def _record_boolean(self, fact: Fact, question: str | None) -> None:
        state = self._state(question or fact.field)
        if fact.answer == UNKNOWN:
            state.answer = YES if state.answer == YES else UNKNOWN  # doubt never cancels a yes
        else:
            state.answer = YES if fact.value else NO

    def _record_collected(self, fact: Fact, question: str | None) -> None:
        if fact.answer != YES or not isinstance(fact.value, str):
            return
        current = getattr(self, fact.field) or []
        if fact.value not in current:
            current.append(fact.value)
        setattr(self, fact.field, current)
        if question:
            self._state(question).answer = YES

    def _record_preferences(self, fact: Fact, question: str | None) -> None:
        preferences = self.preferences if self.preferences is not None else {}
        for key, value in dict(fact.value or {}).items():
            if value is not None:
                preferences[key] = value
        self.preferences = preferences
        if fact.needs == EVENT_DATE and not preferences.get(EVENT_DATE):
            self.awaiting = EVENT_DATE
        elif self.awaiting == EVENT_DATE and preferences.get(EVENT_DATE):
            self.awaiting = None
        if question:
            state = self._state(question)
            if state.answer not in CLOSED:
                state.answer = YES if preferences.get("downtime") and preferences.get("budget") else PARTIAL

    def _record_procedure(self, fact: Fact, question: str | None) -> None:
        item = fact.value if isinstance(fact.value, Mapping) else {}
        if item.get("type") not in PROCEDURES or fact.answer != YES:
            return
        procedures = [p for p in self.recent_procedures or () if p["type"] != item["type"]]
        procedures.append({"type": item["type"], "date": item.get("date")})
        self.recent_procedures = procedures
        if question:
            state = self._state(question)
            if state.answer == NO:
                state.answer = YES  # "none" corrected by a named one: the question stays answered
            elif state.answer not in (YES, UNKNOWN):
                state.answer = PARTIAL  # other procedures are still to ask about

    def _record_last_dose(self, fact: Fact, question: str | None, rules: Rules) -> None:
        question = question or question_for(LAST_DOSE, rules=rules)
        if question is None:
            return
        state = self._state(question)
        self.last_medication = "isotretinoin"
        if fact.answer == UNKNOWN:
            state.answer = state.answer if state.answer == YES else UNKNOWN
            return
        if fact.answer == NO:  # never had a course
            if self.awaiting == LAST_DOSE:
                self.awaiting = None
            if ISOTRETINOIN_CURRENT not in state.values and self.isotretinoin_last_dose is None:
                state.answer = NO if ISOTRETINOIN_CURRENT in state.denied else PARTIAL
            return
        # A finished course: not taking it now.
        if ISOTRETINOIN_CURRENT in state.values:
            state.values.remove(ISOTRETINOIN_CURRENT)
        if ISOTRETINOIN_CURRENT not in state.denied:
            state.denied.append(ISOTRETINOIN_CURRENT)
        if fact.value is None:
            self.isotretinoin_last_dose = None
            self.awaiting = LAST_DOSE
            state.answer = PARTIAL
        else:
            self.isotretinoin_last_dose = fact.value
            if self.awaiting in (LAST_DOSE, RECENT_COURSE):
                self.awaiting = None
            state.answer = YES

    def _record_value(self, fact: Fact, question: str, rules: Rules) -> None:
        value = fact.value
        state = self._state(question)
        all_values = set(question_values(question, rules))
        closed_before = state.answer in CLOSED
        if fact.field == "medications":
            self.last_medication = "isotretinoin" if value == ISOTRETINOIN_CURRENT else value
        if fact.answer == UNKNOWN:
            if value not in state.values:
                state.answer = UNKNOWN if state.answer != YES else YES
            return
        if fact.answer == YES:
            if value not in state.values:
                state.values.append(value)
            if value in state.denied:
                state.denied.remove(value)
            if value == ISOTRETINOIN_CURRENT:
                self.isotretinoin_last_dose = None
                if self.awaiting == LAST_DOSE:
                    self.awaiting = None
                state.answer = YES  # taking it now decides the question whatever the last course
                return
            if state.answer != UNKNOWN:  # after "not sure", the other values stay unknown
                state.answer = YES if closed_before or set(state.values) | set(state.denied) >= all_values else PARTIAL
            return
        if value in state.values:
            state.values.remove(value)
        if value not in state.denied:
            state.denied.append(value)
        if value == ISOTRETINOIN_CURRENT:
            # Not taking it now; the question also asks about a course that ended in the last 6 months.
            state.answer = (
                YES if self.isotretinoin_last_dose else (NO if closed_before and state.answer == NO else PARTIAL)
            )
            return
        if closed_before:
            state.answer = YES if state.values else NO
        elif set(state.denied) >= all_values:
            state.answer = NO
        else:
            state.answer = YES if state.values and set(state.values) | set(state.denied) >= all_values else PARTIAL

    # ---------------------------------------------------------------------------------------------
    # For the clinician

    def summary(self, rules: Rules | None = None) -> str:
        """A few plain lines of what the visitor told us (for the clinician)."""
        return "\n".join(summary_lines(self, rules_or_default(rules)))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _copy_list(values: list[str] | None) -> list[str] | None:
    return None if values is None else list(values)


def _strings(values: Any, key: str) -> list[str]:
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"answers.{key}: must be a list of text")
    return list(values)


def _strings_or_none(values: Any, key: str) -> list[str] | None:
    return None if values is None else _strings(values, key)


def _int_or_none(value: Any, key: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"answers.{key}: must be a whole number")
    return value


def _date(value: Any, key: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"answers.{key}: must be a date written YYYY-MM-DD, got {value!r}") from None


def _procedure_from_dict(item: Any, index: int) -> dict:
    if not isinstance(item, Mapping) or item.get("type") not in PROCEDURES:
        raise ValueError(f"answers.recent_procedures[{index}]: needs a known type")
    when = item.get("date")
    return {"type": item["type"], "date": _date(when, f"recent_procedures[{index}].date") if when else None}
