"""Choosing the answer variant that fits what the visitor is talking about."""

from __future__ import annotations

from typing import Collection, Mapping, Sequence

from actions.knowledge.model import Variant

Given = Mapping[str, "str | Sequence[str] | None"]


def _as_values(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(v for v in value if isinstance(v, str))


def _match(variant: Variant, given: Given) -> dict[str, str] | None:
    """The value used for each when-key, or None when any when-key is not satisfied."""
    used: dict[str, str] = {}
    for label, accepted in variant.when.items():
        hit = next((v for v in _as_values(given.get(label)) if v in accepted), None)
        if hit is None:
            return None
        used[label] = hit
    return used


def select_variant(
    variants: Sequence[Variant], given: Given, focus: Collection[str] = ()
) -> tuple[Variant | None, dict[str, str]]:
    """The most specific matching variant (most when-keys). Between equally specific variants, the
    one about what the visitor has just named (``focus``: entity labels of the latest message) wins,
    so "and with PRP?" after a stretch-marks question answers for PRP; remaining ties go to the
    first in the file.

    Returns (None, {}) when no variant matches, meaning the topic's default answer applies.
    """
    best: Variant | None = None
    best_rank = (-1, -1)
    best_used: dict[str, str] = {}
    for variant in variants:
        used = _match(variant, given)
        if used is None:
            continue
        rank = (variant.specificity, sum(1 for label in variant.when if label in focus))
        if rank > best_rank:
            best, best_rank, best_used = variant, rank, used
    return best, best_used
