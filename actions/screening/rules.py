"""Read and check the clinic-editable screening rules (actions/content/screening_rules.yml).

Every mistake raises ContentError naming the file and the key (e.g. ``rules[21].action``), so an operator
who mistypes the file is told where to look. The loaded Rules object is immutable; the evaluator never
touches the YAML.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Mapping

from actions.content import CONTENT_DIR, ContentError, read_yaml
from actions.screening.intake import Intake
from actions.screening.knowledge_base import KnowledgeBaseRows, knowledge_base_rows
from actions.screening.triggers import CONCERN_ROWS, RED_FLAGS, RULES, TRIGGERS, dated_anchor_names, keys_for
from actions.screening.vocabulary import (
    AREAS,
    BUDGET_PREFERENCES,
    CONCERNS,
    CONDITIONS,
    DOWNTIME_PREFERENCES,
    MEDICATIONS,
    MODALITIES,
    SYMPTOMS,
)
from contract.statuses import STATUS_RANK, STATUSES, TRIAGE_LEVELS

RULES_FILE = CONTENT_DIR / "screening_rules.yml"

NOT_OFFERED_RANK = 3  # a treatment not offered for one of the visitor's concerns counts this much
INTERVAL_UNITS = ("days", "weeks", "months")
DEFERRAL_ANCHORS = ("today",) + dated_anchor_names()
CONSERVATIVE = "conservative"
_SOURCE_ID = re.compile(r"^S\d+[a-z]?$")

# Fields a screening question can fill (symptoms belong to triage; isotretinoin_last_dose is asked
# with medications.isotretinoin).
_QUESTION_FIELDS = {
    "concerns": CONCERNS,
    "areas": AREAS,
    "conditions": CONDITIONS,
    "medications": MEDICATIONS,
    "age": None,
    "pregnant": None,
    "breastfeeding": None,
    "fitzpatrick": None,
    "recent_procedures": None,
    "preferences": None,
}
# Wanting something treated is not a safety answer: these fields never make a question critical.
_WISH_FIELDS = frozenset({"concerns", "areas", "preferences"})


# --------------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True)
class Interval:
    unit: str  # days | weeks | months
    amount: int

    def after(self, start: date) -> date:
        if self.unit == "days":
            return date.fromordinal(start.toordinal() + self.amount)
        if self.unit == "weeks":
            return date.fromordinal(start.toordinal() + 7 * self.amount)
        months = start.month - 1 + self.amount
        year, month = start.year + months // 12, months % 12 + 1
        return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Deferral:
    after: str | None = None  # None: open-ended; else one of DEFERRAL_ANCHORS
    interval: Interval | None = None


@dataclass(frozen=True)
class Action:
    status: str
    deferral: Deferral | None = None


@dataclass(frozen=True)
class When:
    """A trigger: every part must hold; ``either`` holds when at least one of its Whens holds.

    ``parts`` maps a trigger kind's key (actions/screening/triggers.py) to its value as read from the
    file; at most one part is dated (it gives the dates a deferral counts from)."""

    parts: Mapping[str, Any] = field(default_factory=dict)
    either: tuple["When", ...] = ()

    @property
    def dated_by(self) -> str | None:
        """The anchor a deferral in this rule can count from, if the trigger is dated."""
        return next((TRIGGERS[key].dated_by for key in self.parts if TRIGGERS[key].dated_by), None)

    def mentions(self) -> set[tuple[str, str | None]]:
        """(intake field, value) pairs this trigger reads; value None for scalar fields."""
        pairs: set[tuple[str, str | None]] = set()
        for key, value in self.parts.items():
            kind = TRIGGERS[key]
            named = list(kind.values_named(value))
            if named:
                pairs.update((kind.field, item) for item in named)
            else:
                pairs.add((kind.field, None))
        for option in self.either:
            pairs |= option.mentions()
        return pairs

    def holds(self, intake: Intake) -> bool:
        """The undated parts hold (a dated part is checked by ``anchors``), and one ``either`` option does."""
        if not all(TRIGGERS[key].holds(value, intake) for key, value in self.parts.items()):
            return False
        return not self.either or any(option.holds(intake) for option in self.either)

    def anchors(self, intake: Intake) -> list[date | None] | None:
        """The dates the trigger counts from (None inside the list: date unknown); None when undated."""
        for key, value in self.parts.items():
            anchors = TRIGGERS[key].anchors
            if anchors is not None:
                return anchors(value, intake)
        return None


@dataclass(frozen=True)
class Rule:
    id: str
    case: str | None
    title: str
    when: When | None  # None: no intake question covers it (pre-care advice only)
    within: Interval | None
    actions: Mapping[str, Action]
    texts: Mapping[str, str]
    source: str
    sources: tuple[str, ...]
    choice: str = CONSERVATIVE
    alternatives: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.id}/{self.case}" if self.case else self.id

    def window_end(self, anchor: date) -> date:
        """While today is before this date, a dated trigger at ``anchor`` still applies."""
        ends = [self.within.after(anchor)] if self.within else []
        for action in self.actions.values():
            deferral = action.deferral
            if deferral and deferral.interval and deferral.after == (self.when.dated_by if self.when else None):
                ends.append(deferral.interval.after(anchor))
        return max(ends)


@dataclass(frozen=True)
class Offer:
    modality: str
    rank: int
    evidence: str
    sessions: str | None
    interval_weeks: str | None
    why: tuple[str, ...]
    why_not: tuple[str, ...]


@dataclass(frozen=True)
class ConcernRow:
    id: str
    title: str
    when: When
    clinician_review: bool
    text: str | None
    note: str | None
    offers: Mapping[str, Offer]
    not_offered: Mapping[str, str]
    source: str
    sources: tuple[str, ...]
    choice: str = CONSERVATIVE


@dataclass(frozen=True)
class Question:
    id: str
    field: str
    values: frozenset[str] | None  # for list fields: the answers this question covers
    kb: str
    critical_for: frozenset[str]
    source: str
    ask: str
    unknown: str


@dataclass(frozen=True)
class RedFlag:
    id: str
    title: str
    when: When
    level: str
    text: str
    source: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class PreferenceEffect:
    penalty: int = 0
    why: str | None = None
    why_not: str | None = None


@dataclass(frozen=True)
class EventRule:
    leave_out_days: int | None = None
    warn_days: int | None = None
    left_out_text: str | None = None
    upcoming_text: str | None = None


@dataclass(frozen=True)
class Combination:
    id: str
    title: str
    parts: tuple[str, ...]
    when: When
    text: str
    source: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ModalityInfo:
    downtime: str
    sessions: str
    interval_weeks: str


@dataclass(frozen=True)
class Rules:
    path: str
    version: str
    modalities: Mapping[str, ModalityInfo]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    concerns: tuple[ConcernRow, ...]
    preferences: Mapping[str, Mapping[str, Mapping[str, PreferenceEffect]]]
    events: Mapping[str, EventRule]
    event_source: str
    combinations: tuple[Combination, ...]
    red_flags: tuple[RedFlag, ...]

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def rule(self, rule_id: str, case: str | None = None) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id and rule.case == case:
                return rule
        raise KeyError(f"{rule_id}/{case}" if case else rule_id)


# --------------------------------------------------------------------------------------------------
# Loading


def load_rules(path: Path | str | None = None, knowledge_base: Path | None = None) -> Rules:
    """Read and check the screening rules file against the rows of the clinical knowledge base
    (docs/clinical-kb.md); every problem is a ContentError naming file and key."""
    path = Path(path) if path else RULES_FILE
    return _Loader(path, knowledge_base_rows(knowledge_base)).load(read_yaml(path))


class _Loader:
    def __init__(self, path: Path, kb: KnowledgeBaseRows) -> None:
        self.path = path
        self.kb = kb

    def fail(self, key: str, problem: str) -> ContentError:
        return ContentError(self.path, key, problem)

    # -- small typed readers ------------------------------------------------------------------------
    def mapping(self, value: Any, key: str, allowed: Iterable[str] | None = None, required: Iterable[str] = ()) -> dict:
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a mapping, got {type(value).__name__}")
        if allowed is not None:
            for name in value:
                if name not in allowed:
                    raise self.fail(f"{key}.{name}" if key else str(name), "unknown key")
        for name in required:
            if name not in value:
                raise self.fail(f"{key}.{name}" if key else name, "is required")
        return value

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty text")
        return value.strip()

    def texts(self, value: Any, key: str) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(key, "must be a list of texts")
        return tuple(self.text(item, f"{key}[{index}]") for index, item in enumerate(value))

    def whole(self, value: Any, key: str, low: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise self.fail(key, f"must be a whole number of at least {low}, got {value!r}")
        return value

    def choice(self, value: Any, key: str, allowed: Iterable[str]) -> str:
        allowed = tuple(allowed)
        if value not in allowed:
            raise self.fail(key, f"{value!r} is not one of: {', '.join(allowed)}")
        return value

    def values(self, value: Any, key: str, vocabulary: tuple[str, ...]) -> frozenset[str]:
        if not isinstance(value, list) or not value:
            raise self.fail(key, "must be a non-empty list")
        for index, item in enumerate(value):
            if item not in vocabulary:
                raise self.fail(f"{key}[{index}]", f"unknown value {item!r}")
        return frozenset(value)

    def modality_set(self, value: Any, key: str) -> frozenset[str]:
        if value == "all":
            return frozenset(MODALITIES)
        if value is None or value == []:
            return frozenset()
        return self.values(value, key, MODALITIES)

    def sources(self, entry: dict, key: str) -> tuple[str, tuple[str, ...]]:
        source = self.text(entry.get("source"), f"{key}.source")
        listed = entry.get("sources", [])
        if not isinstance(listed, list):
            raise self.fail(f"{key}.sources", "must be a list of source IDs")
        for index, item in enumerate(listed):
            if not isinstance(item, str) or not _SOURCE_ID.match(item):
                raise self.fail(f"{key}.sources[{index}]", f"{item!r} is not a source ID like S12")
        if source != "none":
            if not _SOURCE_ID.match(source):
                raise self.fail(f"{key}.source", f"{source!r} is not a source ID like S12 (or 'none')")
            if listed and source not in listed:
                raise self.fail(f"{key}.source", f"{source} is not among the row's sources")
        return source, tuple(listed)

    def interval(self, value: Any, key: str) -> Interval:
        value = self.mapping(value, key, INTERVAL_UNITS)
        if len(value) != 1:
            raise self.fail(key, "give exactly one of days, weeks or months")
        unit, amount = next(iter(value.items()))
        return Interval(unit, self.whole(amount, f"{key}.{unit}", low=1))

    # -- sections ------------------------------------------------------------------------------------
    def load(self, doc: Any) -> Rules:
        doc = self.mapping(
            doc,
            "",
            allowed=(
                "rules_version",
                "modalities",
                "questions",
                "rules",
                "concerns",
                "preferences",
                "events",
                "combinations",
                "red_flags",
            ),
            required=("rules_version", "modalities", "questions", "rules", "concerns", "red_flags"),
        )
        version = self.text(doc["rules_version"], "rules_version")
        modalities = self.modalities(doc["modalities"])
        rules = self.rules(doc["rules"])
        concerns = self.concerns(doc["concerns"])
        red_flags = self.red_flags(doc["red_flags"])
        questions = self.questions(doc["questions"], rules)
        preferences = self.preferences(doc.get("preferences") or {})
        events, event_source = self.events(doc.get("events") or {})
        combinations = self.combinations(doc.get("combinations") or [])
        return Rules(
            str(self.path),
            version,
            modalities,
            questions,
            rules,
            concerns,
            preferences,
            events,
            event_source,
            combinations,
            red_flags,
        )

    def modalities(self, raw: Any) -> dict[str, ModalityInfo]:
        raw = self.mapping(raw, "modalities", allowed=MODALITIES, required=MODALITIES)
        infos = {}
        for name in MODALITIES:
            key = f"modalities.{name}"
            entry = self.mapping(
                raw[name], key, ("downtime", "sessions", "interval_weeks"), ("downtime", "sessions", "interval_weeks")
            )
            infos[name] = ModalityInfo(
                *(self.text(entry[part], f"{key}.{part}") for part in ("downtime", "sessions", "interval_weeks"))
            )
        return infos

    def when(self, raw: Any, key: str, allowed: frozenset[str], nested: bool = False) -> When:
        raw = self.mapping(raw, key, allowed=allowed | {"any"})
        if not raw:
            raise self.fail(key, "needs at least one condition")
        parts: dict[str, Any] = {}
        either: tuple[When, ...] = ()
        for name, value in raw.items():
            where = f"{key}.{name}"
            if name == "any":
                if not isinstance(value, list) or len(value) < 2:
                    raise self.fail(where, "must be a list of at least two alternatives")
                either = tuple(
                    self.when(item, f"{where}[{index}]", allowed, nested=True) for index, item in enumerate(value)
                )
                continue
            kind = TRIGGERS[name]
            parts[name] = kind.read(self, value, where)
            if nested and kind.dated_by:
                raise self.fail(where, "dated triggers cannot sit inside `any`")
        if sum(1 for name in parts if TRIGGERS[name].dated_by) > 1:
            raise self.fail(key, "use one dated trigger per rule")
        return When(parts, either)

    def action(self, value: Any, key: str) -> Action:
        if isinstance(value, str):
            return Action(self.choice(value, key, STATUSES))
        value = self.mapping(value, key, allowed=("defer",), required=("defer",))
        spec = value["defer"] or {}
        spec = self.mapping(spec, f"{key}.defer", allowed=("after",) + INTERVAL_UNITS)
        if not spec:
            return Action("defer", Deferral())
        if "after" not in spec:
            raise self.fail(
                f"{key}.defer.after", "is required with an interval (today, procedure_date or isotretinoin_last_dose)"
            )
        after = self.choice(spec["after"], f"{key}.defer.after", DEFERRAL_ANCHORS)
        units = {unit: spec[unit] for unit in INTERVAL_UNITS if unit in spec}
        return Action("defer", Deferral(after, self.interval(units, f"{key}.defer")))

    def actions(self, raw: Any, key: str) -> dict[str, Action]:
        raw = self.mapping(raw, key, allowed=MODALITIES + ("all",))
        if not raw:
            raise self.fail(key, "must name at least one treatment (or all)")
        actions = {}
        if "all" in raw:
            base = self.action(raw["all"], f"{key}.all")
            actions = {name: base for name in MODALITIES}
        for name in MODALITIES:
            if name in raw:
                actions[name] = self.action(raw[name], f"{key}.{name}")
        return actions

    def modality_texts(self, raw: Any, key: str, modalities: Iterable[str]) -> dict[str, str]:
        if isinstance(raw, str) or raw is None:
            text = self.text(raw, key)
            return {name: text for name in modalities}
        raw = self.mapping(raw, key, allowed=MODALITIES + ("all",))
        texts = {}
        for name in modalities:
            if name in raw:
                texts[name] = self.text(raw[name], f"{key}.{name}")
            elif "all" in raw:
                texts[name] = self.text(raw["all"], f"{key}.all")
            else:
                raise self.fail(key, f"has no text for {name}")
        return texts

    def variants(self, entry: dict, key: str, overridable: tuple[str, ...]) -> tuple[dict, str, tuple[str, ...], list]:
        """Apply a `disagree` choice: the entry as written, or with a named alternative's keys replacing it."""
        if "disagree" not in entry:
            return entry, CONSERVATIVE, (), []
        block = self.mapping(
            entry["disagree"], f"{key}.disagree", ("use", "note", "alternatives"), ("use", "note", "alternatives")
        )
        self.text(block["note"], f"{key}.disagree.note")
        alternatives = self.mapping(block["alternatives"] or {}, f"{key}.disagree.alternatives")
        names = tuple(alternatives)
        use = self.choice(block["use"], f"{key}.disagree.use", (CONSERVATIVE,) + names)
        base = {name: value for name, value in entry.items() if name != "disagree"}
        merged_all = []
        for name, alternative in alternatives.items():
            where = f"{key}.disagree.alternatives.{name}"
            alternative = self.mapping(alternative, where, allowed=("note",) + overridable, required=("note",))
            self.text(alternative["note"], f"{where}.note")
            overrides = {k: v for k, v in alternative.items() if k != "note"}
            merged_all.append(({**base, **overrides}, where))
        chosen = (
            base if use == CONSERVATIVE else {**base, **{k: v for k, v in alternatives[use].items() if k != "note"}}
        )
        return chosen, use, names, merged_all

    def rules(self, raw: Any) -> tuple[Rule, ...]:
        if not isinstance(raw, list):
            raise self.fail("rules", "must be a list")
        rules: list[Rule] = []
        seen: set[Any] = set()
        cased: dict[str, list[Any]] = {}
        for index, entry in enumerate(raw):
            key = f"rules[{index}]"
            entry = self.mapping(
                entry,
                key,
                ("id", "case", "title", "when", "within", "action", "text", "source", "sources", "disagree"),
                ("id", "title", "when", "action", "text", "source"),
            )
            chosen, use, names, alternatives = self.variants(
                entry, key, ("when", "within", "action", "text", "source", "sources")
            )
            for variant, where in alternatives:
                self.rule(variant, where, use, names)  # every alternative must be valid too
            rule = self.rule(chosen, key, use, names)
            if rule.key in seen:
                raise self.fail(f"{key}.id", f"{rule.key} appears twice")
            seen.add(rule.key)
            cased.setdefault(rule.id, []).append(rule.case)
            rules.append(rule)
        for rule_id, cases in cased.items():
            if len(cases) > 1 and None in cases:
                raise self.fail("rules", f"{rule_id} has several entries, so each needs a `case` name")
        missing = [rule_id for rule_id in self.kb.rules if rule_id not in cased]
        if missing:
            raise self.fail(
                "rules", "missing clinical-kb rows: " + "; ".join(f"{m} ({self.kb.rules[m]})" for m in missing)
            )
        return tuple(rules)

    def rule(self, entry: dict, key: str, use: str, names: tuple[str, ...]) -> Rule:
        rule_id = self.text(entry["id"], f"{key}.id")
        if rule_id not in self.kb.rules:
            raise self.fail(
                f"{key}.id", f"{rule_id!r} is not a row of the clinical knowledge base (docs/clinical-kb.md)"
            )
        case = self.text(entry["case"], f"{key}.case") if entry.get("case") is not None else None
        when = None if entry["when"] is None else self.when(entry["when"], f"{key}.when", keys_for(RULES))
        within = self.interval(entry["within"], f"{key}.within") if entry.get("within") is not None else None
        actions = self.actions(entry["action"], f"{key}.action")
        dated_by = when.dated_by if when else None
        for name, action in actions.items():
            after = action.deferral.after if action.deferral else None
            if after in dated_anchor_names() and after != dated_by:
                raise self.fail(f"{key}.action.{name}", f"counts from {after}, but `when` has no such trigger")
        if dated_by:
            dated_deferrals = [a for a in actions.values() if a.deferral and a.deferral.after == dated_by]
            if within is None and not dated_deferrals:
                raise self.fail(f"{key}.within", "a dated trigger needs `within` or a deferral counted from that date")
        elif within is not None:
            raise self.fail(
                f"{key}.within", "only applies to dated triggers (recent_procedures, isotretinoin_last_dose)"
            )
        texts = self.modality_texts(entry["text"], f"{key}.text", actions)
        source, sources = self.sources(entry, key)
        return Rule(
            rule_id,
            case,
            self.text(entry["title"], f"{key}.title"),
            when,
            within,
            actions,
            texts,
            source,
            sources,
            use,
            names,
        )

    def concerns(self, raw: Any) -> tuple[ConcernRow, ...]:
        if not isinstance(raw, list):
            raise self.fail("concerns", "must be a list")
        rows, seen, covered = [], set(), set()
        for index, entry in enumerate(raw):
            key = f"concerns[{index}]"
            entry = self.mapping(
                entry,
                key,
                (
                    "id",
                    "title",
                    "when",
                    "clinician_review",
                    "text",
                    "note",
                    "offer",
                    "not_offered",
                    "source",
                    "sources",
                    "disagree",
                ),
                ("id", "title", "when", "source"),
            )
            chosen, use, names, alternatives = self.variants(
                entry, key, ("clinician_review", "text", "note", "offer", "not_offered", "source", "sources")
            )
            for variant, where in alternatives:
                self.concern(variant, where, use)
            row = self.concern(chosen, key, use)
            if row.id in seen:
                raise self.fail(f"{key}.id", f"{row.id} appears twice")
            seen.add(row.id)
            covered |= {value for name, value in row.when.mentions() if name == "concerns"}
            rows.append(row)
        missing = [row_id for row_id in self.kb.concerns if row_id not in seen]
        if missing:
            raise self.fail(
                "concerns", "missing clinical-kb rows: " + "; ".join(f"{m} ({self.kb.concerns[m]})" for m in missing)
            )
        uncovered = [concern for concern in CONCERNS if concern not in covered]
        if uncovered:
            raise self.fail("concerns", f"no row handles the concern(s): {', '.join(uncovered)}")
        return tuple(rows)

    def concern(self, entry: dict, key: str, use: str) -> ConcernRow:
        row_id = self.text(entry["id"], f"{key}.id")
        if row_id not in self.kb.concerns:
            raise self.fail(
                f"{key}.id", f"{row_id!r} is not a concern row of the clinical knowledge base (docs/clinical-kb.md)"
            )
        review = entry.get("clinician_review", False)
        if not isinstance(review, bool):
            raise self.fail(f"{key}.clinician_review", "must be true or false")
        offers_raw = entry.get("offer") or {}
        if review and offers_raw:
            raise self.fail(f"{key}.offer", "a clinician_review concern offers nothing")
        if not review and not offers_raw:
            raise self.fail(f"{key}.offer", "must offer at least one treatment (or set clinician_review: true)")
        text = self.text(entry.get("text"), f"{key}.text") if review or entry.get("text") is not None else None
        offers = {}
        for name, offer in self.mapping(offers_raw, f"{key}.offer", allowed=MODALITIES).items():
            where = f"{key}.offer.{name}"
            offer = self.mapping(
                offer,
                where,
                ("rank", "evidence", "sessions", "interval_weeks", "why", "why_not"),
                ("rank", "evidence", "why"),
            )
            offers[name] = Offer(
                name,
                self.whole(offer["rank"], f"{where}.rank"),
                self.text(offer["evidence"], f"{where}.evidence"),
                self.text(offer["sessions"], f"{where}.sessions") if "sessions" in offer else None,
                self.text(offer["interval_weeks"], f"{where}.interval_weeks") if "interval_weeks" in offer else None,
                self.texts(offer["why"], f"{where}.why"),
                self.texts(offer.get("why_not") or [], f"{where}.why_not"),
            )
        not_offered = {
            name: self.text(note, f"{key}.not_offered.{name}")
            for name, note in self.mapping(
                entry.get("not_offered") or {}, f"{key}.not_offered", allowed=MODALITIES
            ).items()
        }
        overlap = set(not_offered) & set(offers)
        if overlap:
            raise self.fail(f"{key}.not_offered", f"{sorted(overlap)[0]} is also offered")
        source, sources = self.sources(entry, key)
        note = self.text(entry["note"], f"{key}.note") if entry.get("note") is not None else None
        return ConcernRow(
            row_id,
            self.text(entry["title"], f"{key}.title"),
            self.when(entry["when"], f"{key}.when", keys_for(CONCERN_ROWS)),
            review,
            text,
            note,
            offers,
            not_offered,
            source,
            sources,
            use,
        )

    def red_flags(self, raw: Any) -> tuple[RedFlag, ...]:
        if not isinstance(raw, list):
            raise self.fail("red_flags", "must be a list")
        flags, seen, covered = [], set(), set()
        for index, entry in enumerate(raw):
            key = f"red_flags[{index}]"
            entry = self.mapping(
                entry,
                key,
                ("id", "title", "when", "level", "text", "source", "sources"),
                ("id", "title", "when", "level", "text", "source"),
            )
            flag_id = self.text(entry["id"], f"{key}.id")
            if flag_id in seen:
                raise self.fail(f"{key}.id", f"{flag_id} appears twice")
            seen.add(flag_id)
            when = self.when(entry["when"], f"{key}.when", keys_for(RED_FLAGS))
            covered |= {value for _, value in when.mentions()}
            level = self.choice(entry["level"], f"{key}.level", TRIAGE_LEVELS[1:])
            source, sources = self.sources(entry, key)
            flags.append(
                RedFlag(
                    flag_id,
                    self.text(entry["title"], f"{key}.title"),
                    when,
                    level,
                    self.text(entry["text"], f"{key}.text"),
                    source,
                    sources,
                )
            )
        uncovered = [symptom for symptom in SYMPTOMS if symptom not in covered]
        if uncovered:
            raise self.fail("red_flags", f"no red flag handles the symptom(s): {', '.join(uncovered)}")
        return tuple(flags)

    def questions(self, raw: Any, rules: tuple[Rule, ...]) -> tuple[Question, ...]:
        if not isinstance(raw, list):
            raise self.fail("questions", "must be a list")
        questions: list[Any] = []
        seen: set[str] = set()
        owner: dict[str, str] = {}
        for index, entry in enumerate(raw):
            key = f"questions[{index}]"
            entry = self.mapping(
                entry,
                key,
                ("id", "field", "values", "kb", "critical_for", "source", "ask", "unknown"),
                ("id", "field", "kb", "critical_for", "source", "ask", "unknown"),
            )
            question_id = self.text(entry["id"], f"{key}.id")
            if question_id in seen:
                raise self.fail(f"{key}.id", f"{question_id} appears twice")
            seen.add(question_id)
            field_name = self.choice(entry["field"], f"{key}.field", _QUESTION_FIELDS)
            vocabulary = _QUESTION_FIELDS[field_name]
            if vocabulary is not None and field_name not in ("concerns", "areas"):
                values = self.values(entry.get("values"), f"{key}.values", vocabulary)
                for value in values:
                    if value in owner:
                        raise self.fail(f"{key}.values", f"{value} is already asked by {owner[value]}")
                    owner[value] = question_id
            elif "values" in entry:
                raise self.fail(f"{key}.values", f"{field_name} is asked as a whole; remove `values`")
            else:
                values = None
            if not _SOURCE_ID.match(str(entry["source"])):
                raise self.fail(f"{key}.source", f"{entry['source']!r} is not a source ID like S12")
            questions.append(
                Question(
                    question_id,
                    field_name,
                    values,
                    self.text(entry["kb"], f"{key}.kb"),
                    self.modality_set(entry["critical_for"], f"{key}.critical_for"),
                    entry["source"],
                    self.text(entry["ask"], f"{key}.ask"),
                    self.text(entry["unknown"], f"{key}.unknown"),
                )
            )
        for vocabulary_field, vocabulary in (("conditions", CONDITIONS), ("medications", MEDICATIONS)):
            unasked = [value for value in vocabulary if value not in owner]
            if unasked:
                raise self.fail("questions", f"no question asks about {vocabulary_field}: {', '.join(unasked)}")
        fields = {question.field for question in questions}
        for needed in (
            "age",
            "pregnant",
            "breastfeeding",
            "fitzpatrick",
            "recent_procedures",
            "concerns",
            "areas",
            "preferences",
        ):
            if needed not in fields:
                raise self.fail("questions", f"no question fills {needed}")
        for index, question in enumerate(questions):
            missing = blocking_modalities(question, rules) - question.critical_for
            if missing:
                raise self.fail(
                    f"questions[{index}].critical_for",
                    f"an answer to {question.id} can block {', '.join(sorted(missing))}, so it must be critical for it",
                )
        return tuple(questions)

    def preferences(self, raw: Any) -> dict:
        raw = self.mapping(raw, "preferences", allowed=("downtime", "budget"))
        result: dict[str, Any] = {}
        for name, choices in (("downtime", DOWNTIME_PREFERENCES), ("budget", BUDGET_PREFERENCES)):
            section = self.mapping(raw.get(name) or {}, f"preferences.{name}", allowed=choices)
            result[name] = {}
            for choice_name, effects in section.items():
                where = f"preferences.{name}.{choice_name}"
                effects = self.mapping(effects or {}, where, allowed=MODALITIES)
                result[name][choice_name] = {
                    modality: self.preference_effect(effect, f"{where}.{modality}")
                    for modality, effect in effects.items()
                }
        return result

    def preference_effect(self, raw: Any, key: str) -> PreferenceEffect:
        raw = self.mapping(raw, key, allowed=("penalty", "why", "why_not"))
        return PreferenceEffect(
            self.whole(raw.get("penalty", 0), f"{key}.penalty"),
            self.text(raw["why"], f"{key}.why") if "why" in raw else None,
            self.text(raw["why_not"], f"{key}.why_not") if "why_not" in raw else None,
        )

    def events(self, raw: Any) -> tuple[dict[str, EventRule], str]:
        raw = self.mapping(raw, "events", allowed=("source",) + MODALITIES)
        source = str(raw.get("source", "S66"))
        if not _SOURCE_ID.match(source):
            raise self.fail("events.source", f"{source!r} is not a source ID like S12")
        events = {}
        for name in MODALITIES:
            if name not in raw:
                continue
            key = f"events.{name}"
            entry = self.mapping(raw[name], key, ("leave_out_days", "warn_days", "left_out_text", "upcoming_text"))
            leave_out = (
                self.whole(entry["leave_out_days"], f"{key}.leave_out_days", 1) if "leave_out_days" in entry else None
            )
            if leave_out and "left_out_text" not in entry:
                raise self.fail(f"{key}.left_out_text", "is required with leave_out_days")
            events[name] = EventRule(
                leave_out,
                self.whole(entry["warn_days"], f"{key}.warn_days", 1) if "warn_days" in entry else None,
                self.text(entry["left_out_text"], f"{key}.left_out_text") if "left_out_text" in entry else None,
                self.text(entry["upcoming_text"], f"{key}.upcoming_text") if "upcoming_text" in entry else None,
            )
        return events, source

    def combinations(self, raw: Any) -> tuple[Combination, ...]:
        if not isinstance(raw, list):
            raise self.fail("combinations", "must be a list")
        combos = []
        for index, entry in enumerate(raw):
            key = f"combinations[{index}]"
            entry = self.mapping(
                entry,
                key,
                ("id", "title", "parts", "when", "text", "source", "sources"),
                ("id", "title", "parts", "when", "text", "source"),
            )
            parts = entry["parts"]
            if not isinstance(parts, list) or len(parts) < 2 or len(set(parts)) != len(parts):
                raise self.fail(f"{key}.parts", "must list at least two different treatments")
            self.values(parts, f"{key}.parts", MODALITIES)
            source, sources = self.sources(entry, key)
            combos.append(
                Combination(
                    self.text(entry["id"], f"{key}.id"),
                    self.text(entry["title"], f"{key}.title"),
                    tuple(parts),
                    self.when(entry["when"], f"{key}.when", keys_for(CONCERN_ROWS)),
                    self.text(entry["text"], f"{key}.text"),
                    source,
                    sources,
                )
            )
        return tuple(combos)


def question_rules(question: Question, rules: Iterable[Rule]) -> list[Rule]:
    """The rules an answer to this question can trigger."""
    found = []
    for rule in rules:
        if rule.when is None:
            continue
        for name, value in rule.when.mentions():
            if name == question.field and (question.values is None or value in question.values):
                found.append(rule)
                break
    return found


def blocking_modalities(question: Question, rules: Iterable[Rule]) -> frozenset[str]:
    """Treatments an answer to this question can make clinician_review or worse (safety-critical)."""
    if question.field in _WISH_FIELDS:
        return frozenset()
    blocked = set()
    for rule in question_rules(question, rules):
        blocked |= {
            name
            for name, action in rule.actions.items()
            if STATUS_RANK[action.status] >= STATUS_RANK["clinician_review"]
        }
    return frozenset(blocked)


def affected_modalities(question: Question, rules: Iterable[Rule]) -> frozenset[str]:
    """Treatments whose status an answer to this question can change (caution or worse)."""
    changed = set(question.critical_for)
    for rule in question_rules(question, rules):
        changed |= {name for name, action in rule.actions.items() if action.status != "proceed"}
    return frozenset(changed)
