"""Reading and strictly checking answers.yml.

Every problem is a ContentError naming the file and the key, for example
``answers.yml: topics.pain.variants[2].when.treatment: unknown value 'prpp'; use one of ...``,
so that a clinic operator who mistypes the file knows where to look.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from actions.content import CONTENT_DIR, ContentError, read_yaml, require_mapping, require_str
from actions.content.clinic import Clinic, load_clinic
from actions.knowledge.knowledge import Knowledge
from actions.knowledge.model import TopicContent, Variant
from actions.knowledge.render import (
    CLINIC_PLACEHOLDERS,
    PRICE_PREFIX,
    WELL_FORMED,
    figure_price,
    placeholder_names,
    stray_brace,
)
from actions.knowledge.vocabulary import ENTITY_VALUES, TOPICS
from contract.statuses import MODALITIES

ANSWERS_FILE = CONTENT_DIR / "answers.yml"

# Conversation messages every answers.yml must define.
MESSAGE_NAMES: tuple[str, ...] = (
    "greet",
    "goodbye",
    "thank",
    "acknowledge",
    "bot_challenge",
    "out_of_scope",
    "clarify",
    "human_contact",
    "not_medical_advice",
    "price_unknown",
    "detail_unknown",
    "followup_unclear",
)
# These are put inside other texts, so they must not contain placeholders themselves.
PLAIN_MESSAGES = ("price_unknown", "detail_unknown")

TOPIC_KEYS = {"title", "answer", "sources", "kb", "variants"}
VARIANT_KEYS = {"when", "answer", "sources", "kb"}
SOURCE_ID = re.compile(r"^(?:S\d{1,3}b?|clinic)$")
KB_REF = re.compile(r"^(?:C\d{1,2}|X\d{1,2}|[0-8][a-f]?)$")


class _Checker:
    """Validation helpers bound to one file and one clinic."""

    def __init__(self, path: Path, clinic: Clinic) -> None:
        self.path = path
        self.price_ids = set(clinic.treatments) | set(MODALITIES) | {"consultation"}

    def fail(self, key: str, problem: str) -> ContentError:
        return ContentError(self.path, key, problem)

    def no_unknown_keys(self, raw: dict, allowed: set[str], key: str) -> None:
        unknown = sorted(str(k) for k in set(raw) - allowed)
        if unknown:
            where = f"{key}.{unknown[0]}" if key else unknown[0]
            raise self.fail(where, f"unknown key; allowed here: {', '.join(sorted(allowed))}")

    def text(self, value: Any, key: str, placeholders: bool = True) -> str:
        text = require_str(value, self.path, key)
        price = figure_price(text)
        if price:
            raise self.fail(
                key,
                f"writes a price as a figure ({price!r}); use a placeholder such as "
                "{price:microneedling} or {price_list} so prices come from clinic.yml",
            )
        if stray_brace(text):
            raise self.fail(key, "has a '{' or '}' that is not part of a {placeholder}")
        for name in placeholder_names(text):
            if not placeholders:
                raise self.fail(key, f"must be plain text without placeholders, found {{{name}}}")
            self.placeholder(name, key)
        return text.strip()

    def placeholder(self, name: str, key: str) -> None:
        if WELL_FORMED.match(name) and name.startswith(PRICE_PREFIX):
            treatment_id = name[len(PRICE_PREFIX) :]
            if treatment_id not in self.price_ids:
                raise self.fail(
                    key,
                    f"unknown treatment in placeholder {{{name}}}; use one of {', '.join(sorted(self.price_ids))}",
                )
            return
        if name not in CLINIC_PLACEHOLDERS:
            known = ", ".join([*(f"{{{p}}}" for p in CLINIC_PLACEHOLDERS), "{price:<treatment>}"])
            raise self.fail(key, f"unknown placeholder {{{name}}}; use one of {known}")

    def id_list(self, value: Any, key: str, pattern: re.Pattern, what: str, required: bool) -> tuple[str, ...]:
        if value is None and not required:
            return ()
        if value is None:
            raise self.fail(key, f"is missing; list the {what}")
        if not isinstance(value, list) or not value:
            raise self.fail(key, f"must be a non-empty list of {what}")
        items = []
        for index, item in enumerate(value):
            item_text = str(item) if isinstance(item, (str, int)) and not isinstance(item, bool) else None
            if item_text is None or not pattern.match(item_text):
                raise self.fail(f"{key}[{index}]", f"{item!r} is not valid here; expected {what}")
            items.append(item_text)
        return tuple(items)

    def sources(self, value: Any, key: str) -> tuple[str, ...]:
        return self.id_list(
            value, key, SOURCE_ID, "clinical-kb source IDs like S9 (or 'clinic' for clinic.yml facts)", True
        )

    def kb(self, value: Any, key: str) -> tuple[str, ...]:
        return self.id_list(value, key, KB_REF, 'clinical-kb rows or sections like C1, X28 or "4c"', False)

    def when(self, value: Any, key: str) -> dict[str, tuple[str, ...]]:
        raw = require_mapping(value, self.path, key)
        if not raw:
            raise self.fail(key, "must name at least one of " + ", ".join(ENTITY_VALUES))
        when: dict[str, tuple[str, ...]] = {}
        for label, wanted in raw.items():
            label_key = f"{key}.{label}"
            if label not in ENTITY_VALUES:
                raise self.fail(label_key, f"unknown entity; use one of {', '.join(ENTITY_VALUES)}")
            values = wanted if isinstance(wanted, list) else [wanted]
            if not values:
                raise self.fail(label_key, "must be a value or a non-empty list of values")
            allowed = ENTITY_VALUES[label]
            for item in values:
                if item not in allowed:
                    raise self.fail(label_key, f"unknown value {item!r}; use one of {', '.join(allowed)}")
            when[label] = tuple(values)
        return when

    def variant(self, raw: Any, key: str) -> Variant:
        raw = require_mapping(raw, self.path, key)
        self.no_unknown_keys(raw, VARIANT_KEYS, key)
        return Variant(
            when=self.when(raw.get("when"), f"{key}.when"),
            answer=self.text(raw.get("answer"), f"{key}.answer"),
            sources=self.sources(raw.get("sources"), f"{key}.sources"),
            kb=self.kb(raw.get("kb"), f"{key}.kb"),
        )

    def topic(self, name: str, raw: Any) -> TopicContent:
        key = f"topics.{name}"
        raw = require_mapping(raw, self.path, key)
        self.no_unknown_keys(raw, TOPIC_KEYS, key)
        variants_raw = raw.get("variants") or []
        if not isinstance(variants_raw, list):
            raise self.fail(f"{key}.variants", "must be a list of {when, answer, sources} entries")
        variants: list[Variant] = []
        for index, item in enumerate(variants_raw):
            variant = self.variant(item, f"{key}.variants[{index}]")
            for earlier_index, earlier in enumerate(variants):
                if _same_when(earlier, variant):
                    raise self.fail(
                        f"{key}.variants[{index}].when",
                        f"is the same as variants[{earlier_index}].when, so it could never be chosen",
                    )
            variants.append(variant)
        return TopicContent(
            name=name,
            title=self.text(raw.get("title"), f"{key}.title", placeholders=False),
            answer=self.text(raw.get("answer"), f"{key}.answer"),
            sources=self.sources(raw.get("sources"), f"{key}.sources"),
            kb=self.kb(raw.get("kb"), f"{key}.kb"),
            variants=tuple(variants),
        )

    def topics(self, raw: Any) -> dict[str, TopicContent]:
        raw = require_mapping(raw, self.path, "topics")
        for name in raw:
            if name not in TOPICS:
                raise self.fail(f"topics.{name}", f"unknown topic; the assistant knows: {', '.join(TOPICS)}")
        for name in TOPICS:
            if name not in raw:
                raise self.fail(f"topics.{name}", "is missing; every topic needs an answer")
        return {name: self.topic(name, item) for name, item in raw.items()}

    def messages(self, raw: Any) -> dict[str, str]:
        raw = require_mapping(raw, self.path, "messages")
        for name in raw:
            if name not in MESSAGE_NAMES:
                raise self.fail(f"messages.{name}", f"unknown message; the assistant uses: {', '.join(MESSAGE_NAMES)}")
        for name in MESSAGE_NAMES:
            if name not in raw:
                raise self.fail(f"messages.{name}", "is missing")
        return {
            name: self.text(raw[name], f"messages.{name}", placeholders=name not in PLAIN_MESSAGES)
            for name in MESSAGE_NAMES
        }


def _same_when(first: Variant, second: Variant) -> bool:
    def normal(variant: Variant) -> dict[str, frozenset[str]]:
        return {label: frozenset(values) for label, values in variant.when.items()}

    return normal(first) == normal(second)


def load_knowledge(answers_path: Path | str | None = None, clinic: Clinic | Path | str | None = None) -> Knowledge:
    """Read and check answers.yml (default: actions/content/answers.yml) for a clinic.

    ``clinic`` is a loaded Clinic, a path to a clinic.yml, or None for the default clinic.yml.
    Raises ContentError naming the file and the key on any problem.
    """
    path = Path(answers_path) if answers_path else ANSWERS_FILE
    if not isinstance(clinic, Clinic):
        clinic = load_clinic(clinic)
    checker = _Checker(path, clinic)
    doc = require_mapping(read_yaml(path), path, "")
    checker.no_unknown_keys(doc, {"topics", "messages"}, "")
    topics = checker.topics(doc.get("topics"))
    messages = checker.messages(doc.get("messages"))
    return Knowledge(topics, messages, clinic, path)
