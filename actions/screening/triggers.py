"""The kinds of trigger a `when` of the rules file can use, each described once, in this registry.

A kind says which key it has in the rules file, which intake field it reads, how its value is read
from the file (checked, with errors naming file and key), whether it holds for an intake, which parts
of the file may use it and, for a dated trigger, which dates a deferral counts from. The loader, the
engine and the question planner go through the registry, so a new kind of trigger is one ``register``
call here and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable, Protocol

from actions.screening.intake import Intake
from actions.screening.vocabulary import AREAS, CONCERNS, CONDITIONS, MEDICATIONS, PROCEDURES, SYMPTOMS

# Where a `when` appears in the rules file.
RULES = "rules"  # contraindication rules
CONCERN_ROWS = "concerns"  # concern rows and combinations
RED_FLAGS = "red_flags"


class Reader(Protocol):
    """What a kind needs from the rules file's loader to read its value."""

    def values(self, value: Any, key: str, vocabulary: tuple[str, ...]) -> frozenset[str]: ...

    def whole(self, value: Any, key: str, low: int = 0) -> int: ...

    def fail(self, key: str, problem: str) -> Exception: ...


@dataclass(frozen=True)
class TriggerKind:
    key: str  # the key in a `when` mapping
    field: str  # the intake field it reads
    read: Callable[[Reader, Any, str], Any]  # the file's value -> the value ``holds`` is given
    holds: Callable[[Any, Intake], bool]  # for a dated kind: whether it applies at all (dates aside)
    used_in: frozenset[str]
    values_named: Callable[[Any], Iterable[str]] = lambda value: ()  # vocabulary values it reads
    dated_by: str | None = None  # the deferral anchor of a dated trigger
    anchors: Callable[[Any, Intake], list[date | None]] | None = None  # its dates (None inside: unknown)


TRIGGERS: dict[str, TriggerKind] = {}


def register(kind: TriggerKind) -> TriggerKind:
    if kind.key in TRIGGERS:
        raise ValueError(f"trigger kind {kind.key!r} registered twice")
    if (kind.dated_by is None) != (kind.anchors is None):
        raise ValueError(f"trigger kind {kind.key!r}: a dated kind needs both dated_by and anchors")
    TRIGGERS[kind.key] = kind
    return kind


def keys_for(place: str) -> frozenset[str]:
    """The trigger keys a `when` in ``place`` (RULES, CONCERN_ROWS, RED_FLAGS) may use."""
    return frozenset(key for key, kind in TRIGGERS.items() if place in kind.used_in)


def dated_anchor_names() -> tuple[str, ...]:
    return tuple(dict.fromkeys(kind.dated_by for kind in TRIGGERS.values() if kind.dated_by))


# --- the kinds ----------------------------------------------------------------------------------------


def _given(intake: Intake, name: str) -> Any:
    return getattr(intake, name)


def _any_of(key: str, vocabulary: tuple[str, ...], used_in: Iterable[str]) -> TriggerKind:
    """Holds when the visitor named any of the listed values."""
    return register(
        TriggerKind(
            key=key,
            field=key,
            read=lambda reader, value, where: reader.values(value, where, vocabulary),
            holds=lambda values, intake: bool(_given(intake, key)) and bool(values & set(_given(intake, key))),
            used_in=frozenset(used_in),
            values_named=lambda values: values,
        )
    )


def _all_of(key: str, target: str, vocabulary: tuple[str, ...], used_in: Iterable[str]) -> TriggerKind:
    """Holds when the visitor named every listed value."""
    return register(
        TriggerKind(
            key=key,
            field=target,
            read=lambda reader, value, where: reader.values(value, where, vocabulary),
            holds=lambda values, intake: _given(intake, target) is not None and values <= set(_given(intake, target)),
            used_in=frozenset(used_in),
            values_named=lambda values: values,
        )
    )


def _read_true(reader: Reader, value: Any, where: str) -> bool:
    if value is not True:
        raise reader.fail(where, "must be true")
    return True


def _flag(key: str) -> TriggerKind:
    """Holds when the visitor said yes (unknown does not hold: the question stays open)."""
    return register(
        TriggerKind(
            key=key,
            field=key,
            read=_read_true,
            holds=lambda wanted, intake: _given(intake, key) is wanted,
            used_in=frozenset({RULES}),
        )
    )


def _bound(key: str, target: str, holds: Callable[[int, int], bool]) -> TriggerKind:
    """Holds when the visitor's number is known and on the bound's side."""
    return register(
        TriggerKind(
            key=key,
            field=target,
            read=lambda reader, value, where: reader.whole(value, where),
            holds=lambda bound, intake: _given(intake, target) is not None and holds(_given(intake, target), bound),
            used_in=frozenset({RULES}),
        )
    )


def _isotretinoin_course_ends(intake: Intake) -> list[date | None]:
    """When the course ended; a course known to have ended on an unknown date counts from an unknown day
    (so it defers, with no date), never as "no course"."""
    if intake.isotretinoin_last_dose is not None:
        return [intake.isotretinoin_last_dose]
    return [None] if intake.isotretinoin_past_course else []


def _read_recent(reader: Reader, value: Any, where: str) -> bool:
    if value != "recent":
        raise reader.fail(where, "must be 'recent'")
    return True


for _key, _vocabulary in (("conditions", CONDITIONS), ("medications", MEDICATIONS)):
    _any_of(_key, _vocabulary, {RULES})
_any_of("concerns", CONCERNS, {RULES, CONCERN_ROWS})
_any_of("areas", AREAS, {RULES, CONCERN_ROWS})
_any_of("symptoms", SYMPTOMS, {RED_FLAGS})
_all_of("concerns_all", "concerns", CONCERNS, {RULES, CONCERN_ROWS})
_all_of("symptoms_all", "symptoms", SYMPTOMS, {RED_FLAGS})
_flag("pregnant")
_flag("breastfeeding")
_bound("age_below", "age", lambda value, bound: value < bound)
_bound("age_from", "age", lambda value, bound: value >= bound)
_bound("fitzpatrick_from", "fitzpatrick", lambda value, bound: value >= bound)
register(
    TriggerKind(
        key="recent_procedures",
        field="recent_procedures",
        read=lambda reader, value, where: reader.values(value, where, PROCEDURES),
        holds=lambda types, intake: True,
        used_in=frozenset({RULES}),
        dated_by="procedure_date",
        anchors=lambda types, intake: [p.date for p in intake.recent_procedures or () if p.type in types],
    )
)
register(
    TriggerKind(
        key="isotretinoin_last_dose",
        field="isotretinoin_last_dose",
        read=_read_recent,
        holds=lambda recent, intake: True,
        used_in=frozenset({RULES}),
        dated_by="isotretinoin_last_dose",
        anchors=lambda recent, intake: _isotretinoin_course_ends(intake),
    )
)
for _later in ("flare_settled", "pregnancy_or_breastfeeding_ended", "severe_laxity"):
    _flag(_later)

__all__ = [
    "CONCERN_ROWS",
    "RED_FLAGS",
    "RULES",
    "TRIGGERS",
    "TriggerKind",
    "dated_anchor_names",
    "keys_for",
    "register",
]
