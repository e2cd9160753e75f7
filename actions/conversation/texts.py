"""The journey's visitor-facing texts (actions/content/journey.yml), rendered with the clinic's details.

    say("consent", "ask")                      -> the text, placeholders filled
    say("booking", "held", slot="Tue 3 March")  -> extra placeholders given by the caller

journey.yml is clinic-editable and re-read when it changes; a missing key is a KeyError naming it.
"""

from __future__ import annotations

import threading
from typing import Any

from actions.content import CONTENT_DIR, ContentError, read_yaml
from actions.conversation.content import knowledge

JOURNEY_FILE = CONTENT_DIR / "journey.yml"
_lock = threading.Lock()
_cache: dict[str, Any] = {}


def journey_texts() -> dict[str, Any]:
    stamp = JOURNEY_FILE.stat().st_mtime_ns if JOURNEY_FILE.exists() else 0
    with _lock:
        if _cache.get("stamp") != stamp:
            doc = read_yaml(JOURNEY_FILE)
            if not isinstance(doc, dict):
                raise ContentError(JOURNEY_FILE, "", "must be a mapping of sections")
            _cache["doc"], _cache["stamp"] = doc, stamp
        return _cache["doc"]


def raw(section: str, key: str) -> Any:
    """The unrendered entry (a text, a list or a mapping) at section.key."""
    try:
        return journey_texts()[section][key]
    except (KeyError, TypeError):
        raise KeyError(f"journey.yml has no {section}.{key}") from None


def say(section: str, key: str, **extra: Any) -> str:
    text = raw(section, key)
    if not isinstance(text, str):
        raise ContentError(JOURNEY_FILE, f"{section}.{key}", "must be a text")
    return knowledge().render(text, **extra)
