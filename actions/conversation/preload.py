"""The clinic's content read when the action server starts, not when the first visitor needs it.

The action server imports every module of this package at start (``--actions actions.conversation``),
so this one reads the screening rules, the clinic's settings, answers and conversation texts, and
creates the booking service (its database engine) and resolves the booking tables' mappings, once,
before the first message. Without it the first visitor to reach a
screening result waited ~0.5 s longer for those reads (make bench's slowest turns). Each cache still
re-reads its file when the file changes (the operator's edits); this only moves the first read. A
broken content file is logged here and does not stop the server: the actions report it as before.

Then what start-up left in memory is frozen out of the garbage collector's full passes, as the Rasa
server does once its model is loaded (channels/startup_heap.py: a full pass over start-up objects
otherwise lands on a visitor's message).
"""

from __future__ import annotations

import gc
import logging

from actions.booking.models import configure_mappings
from actions.conversation.content import knowledge
from actions.conversation.services import booking_service, clinic
from actions.conversation.texts import journey_texts
from actions.screening import default_rules

log = logging.getLogger(__name__)


def preload() -> None:
    for read in (default_rules, clinic, knowledge, journey_texts, booking_service, configure_mappings):
        try:
            read()
        except Exception:  # the same error reaches the visitor-facing action, which handles it
            log.exception("preloading %s failed", read.__name__)
    gc.collect()
    gc.freeze()


preload()
