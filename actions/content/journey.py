"""journey.yml, the words of the consultation journey, read and checked whole.

Every section is a mapping of keys to a text, or to a list (buttons: texts, or [title, what it
sends] pairs). Every text's placeholders are well formed. ``required`` names the (section, key) pairs
the assistant says; a file without one of them is refused when it is read, at start-up or on an
edit, not when a visitor reaches that point of the conversation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from actions.content import CONTENT_DIR, ContentError, read_yaml, require_mapping
from actions.knowledge.render import WELL_FORMED, placeholder_names, stray_brace

JOURNEY_FILE = CONTENT_DIR / "journey.yml"

Journey = dict[str, dict[str, Any]]


def _check_text(value: Any, path: Path, key: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(path, key, "must be a non-empty text")
    if stray_brace(value):
        raise ContentError(path, key, "has a { or } that is not part of a {placeholder}")
    for name in placeholder_names(value):
        if not WELL_FORMED.match(name):
            raise ContentError(path, key, f"{{{name}}} is not a placeholder (lower-case letters and _)")


def _check_entry(value: Any, path: Path, key: str) -> None:
    if isinstance(value, list):
        if not value:
            raise ContentError(path, key, "must not be an empty list")
        for index, item in enumerate(value):
            where = f"{key}[{index}]"
            if isinstance(item, list):
                if len(item) != 2:
                    raise ContentError(path, where, "must be a [title, what it sends] pair")
                for part, text in enumerate(item):
                    _check_text(text, path, f"{where}[{part}]")
            else:
                _check_text(item, path, where)
    else:
        _check_text(value, path, key)


def load_journey(path: Path | str | None = None, required: Iterable[tuple[str, str]] = ()) -> Journey:
    """Read and check journey.yml; every problem is a ContentError naming the file and key."""
    path = Path(path) if path else JOURNEY_FILE
    doc = require_mapping(read_yaml(path), path, "")
    for section, entries in doc.items():
        entries = require_mapping(entries, path, str(section))
        for key, value in entries.items():
            _check_entry(value, path, f"{section}.{key}")
    for section, key in sorted(set(required)):
        if key not in (doc.get(section) or {}):
            raise ContentError(
                path, f"{section}.{key}", "is missing: the assistant says it (keep the key, edit the words)"
            )
    return doc


__all__ = ["JOURNEY_FILE", "Journey", "load_journey"]
