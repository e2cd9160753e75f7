"""The clinic content as the actions see it: loaded once, reloaded when a content file changes."""

from __future__ import annotations

import threading
from pathlib import Path

from actions.content import CONTENT_DIR
from actions.knowledge import Knowledge, load_knowledge

_WATCHED = (CONTENT_DIR / "answers.yml", CONTENT_DIR / "clinic.yml")
_lock = threading.Lock()
_cache: dict[str, object] = {}


def _stamp(paths: tuple[Path, ...]) -> tuple[float, ...]:
    return tuple(p.stat().st_mtime if p.exists() else 0.0 for p in paths)


def knowledge() -> Knowledge:
    """The current answers and clinic settings. An operator's edit is picked up on the next message;
    an edit that breaks the file raises ContentError (the action server log names file and key)."""
    stamp = _stamp(_WATCHED)
    with _lock:
        if _cache.get("stamp") != stamp:
            _cache["knowledge"] = load_knowledge()
            _cache["stamp"] = stamp
        return _cache["knowledge"]  # type: ignore[return-value]
