"""Rasa's SQL tracker store, minus personal data in its error messages.

When the database fails in the middle of a write (a restart, a lost connection), SQLAlchemy's error
carries the statement's parameters, which for the `events` table are the conversation's messages and
slots as JSON, and Rasa logs that error at ERROR level. `hide_parameters` makes SQLAlchemy leave them
out; Rasa 3.6 offers no setting for it, hence this class (endpoints: `type: deploy.tracker_store.
PrivateSQLTrackerStore`, with the same settings as `type: SQL`).
"""
from __future__ import annotations

from typing import Any

from rasa.core.tracker_store import SQLTrackerStore


class PrivateSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.engine.hide_parameters = True
