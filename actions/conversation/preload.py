"""The clinic's content read when the action server starts, not when the first visitor needs it.

The action server imports every module of this package at start (``--actions actions.conversation``),
so this one reads the screening rules, the clinic's settings, answers and conversation texts, and
creates the booking service (its database engine) and resolves the booking tables' mappings, once,
before the first message. Without it the first visitor to reach a
screening result waited ~0.5 s longer for those reads (make bench's slowest turns). Each cache still
re-reads its file when the file changes (the operator's edits); this only moves the first read.

A broken content file stops the start: the server exits with the file and the key to fix, instead of
starting and answering visitors with silence. Once it runs, a broken edit keeps the last good version
in use (actions/content/watched.py). Anything else that fails here (the database not up yet) is logged
and tried again by the first action that needs it.

Then what start-up left in memory is frozen out of the garbage collector's full passes, as the Rasa
server does once its model is loaded (rasa_server/speedups/startup_heap.py: a full pass over start-up objects
otherwise lands on a visitor's message).
"""

from __future__ import annotations

import gc
import logging

from actions.booking.models import configure_mappings
from actions.content import ContentError
from actions.conversation.content import knowledge
from actions.conversation.services import booking_service, clinic
from actions.conversation.texts import journey_texts
from actions.screening import default_rules

log = logging.getLogger(__name__)


class ContentRefused(SystemExit):
    """The action server does not start: a content file is broken (the message names file and key)."""


def preload() -> None:
    for read in (default_rules, clinic, knowledge, journey_texts):
        try:
            read()
        except ContentError as error:
            log.critical("the action server does not start: %s", error)
            raise ContentRefused(f"The action server does not start: {error}") from None
    for start in (booking_service, configure_mappings):
        try:
            start()
        except Exception:  # the database may come up later; the first action that needs it tries again
            log.exception("preloading %s failed", start.__name__)
    gc.collect()
    gc.freeze()


preload()
