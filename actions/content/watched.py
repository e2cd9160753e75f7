"""A clinic content file as the running assistant sees it: read once, re-read when it changes on disk.

The operator edits the content files while the assistant runs; the next message sees the edit. An edit
that breaks a file must not leave visitors with silence, so the last good version stays in use and the
problem (file and key, from ContentError) is logged once for that edit; the next good edit is picked up
as usual. With no good version at all (start-up), the error is raised: the action server then refuses
to start and says which file and key to fix (actions/conversation/preload.py).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Callable, Generic, Sequence, TypeVar

from actions.content import ContentError

T = TypeVar("T")
Stamp = tuple[tuple[int, int], ...]

log = logging.getLogger(__name__)


def stamp_of(paths: Sequence[Path]) -> Stamp:
    """What changes when a file is edited: modification time and size (0, 0 for a missing file)."""
    stamps = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            stamps.append((0, 0))
        else:
            stamps.append((stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


class Watched(Generic[T]):
    """``load()``'s value, re-read when any of ``paths()`` changes; the last good value outlives a broken edit.

    ``paths`` is called at each read, so a test (or a setting) that points a module at another file is
    followed."""

    def __init__(self, load: Callable[[], T], paths: Callable[[], Sequence[Path]]) -> None:
        self._load = load
        self._paths = paths
        self._lock = threading.Lock()
        self._value: T | None = None
        self._stamp: Stamp | None = None
        self._refused: Stamp | None = None  # the broken edit already reported

    @property
    def loaded(self) -> bool:
        return self._stamp is not None

    def clear(self) -> None:
        with self._lock:
            self._value, self._stamp, self._refused = None, None, None

    def get(self) -> T:
        stamp = stamp_of(self._paths())
        with self._lock:
            if self._stamp == stamp or (self._refused == stamp and self._stamp is not None):
                return self._value  # type: ignore[return-value]
            try:
                value = self._load()
            except ContentError as error:
                if self._stamp is None:
                    raise
                if self._refused != stamp:
                    self._refused = stamp
                    log.error("%s -- the assistant keeps using the last good version until this is fixed", error)
                return self._value  # type: ignore[return-value]
            self._value, self._stamp, self._refused = value, stamp, None
            return value


__all__ = ["Watched", "stamp_of"]
