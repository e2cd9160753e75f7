"""The answer content as loaded from answers.yml, and the answer handed to the actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True)
class Variant:
    """An answer used instead of the topic's default when the conversation matches ``when``."""

    when: Mapping[str, tuple[str, ...]]  # entity label -> accepted values (any of them)
    answer: str
    sources: tuple[str, ...]
    kb: tuple[str, ...] = ()

    @property
    def specificity(self) -> int:
        return len(self.when)


@dataclass(frozen=True)
class TopicContent:
    name: str
    title: str
    answer: str
    sources: tuple[str, ...]
    kb: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()


@dataclass(frozen=True)
class Answer:
    """What the assistant says for one topic, rendered for the clinic, with its references."""

    topic: str
    text: str
    sources: tuple[str, ...]
    kb: tuple[str, ...]
    matched: dict[str, str] = field(default_factory=dict)  # when-keys of the chosen variant
