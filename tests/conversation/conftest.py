"""Helpers to run custom actions the way the action server does: a Tracker, a CollectingDispatcher."""

from __future__ import annotations

import pytest
from conversation_harness import make_tracker, run_action


@pytest.fixture
def tracker_factory():
    return make_tracker


@pytest.fixture
def run():
    return run_action


@pytest.fixture
def clinic_db(tmp_path, monkeypatch):
    """A migrated, seeded clinic database of its own, and a fixed clock (Fri 20 Nov 2026, 10:00 UTC)."""
    from datetime import datetime, timezone

    from actions.booking.seed import prepare_database
    from actions.conversation import services

    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    monkeypatch.setenv("CLINIC_DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    monkeypatch.setattr(services, "utc_now", lambda: datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc))
    services.reset_services()
    prepare_database()
    yield url
    services.reset_services()


@pytest.fixture
def fixed_today(monkeypatch):
    from datetime import datetime, timezone

    from actions.conversation import services

    monkeypatch.setattr(services, "utc_now", lambda: datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc))
