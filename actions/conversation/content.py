"""The clinic content as the actions see it: loaded once, reloaded when a content file changes."""

from __future__ import annotations

from actions.content import CONTENT_DIR
from actions.content.watched import Watched
from actions.knowledge import Knowledge, load_knowledge

_WATCHED = (CONTENT_DIR / "answers.yml", CONTENT_DIR / "clinic.yml")
KNOWLEDGE: Watched[Knowledge] = Watched(lambda: load_knowledge(*_WATCHED), lambda: _WATCHED)


def knowledge() -> Knowledge:
    """The current answers and clinic settings. An operator's edit is picked up on the next message; an
    edit that breaks a file keeps the last good answers, and the action server log names file and key
    (actions/content/watched.py)."""
    return KNOWLEDGE.get()
