"""The action server reads the clinic's content at start; a broken file is logged, never fatal there."""

from __future__ import annotations

import gc
import logging
import os
import subprocess
import sys
from pathlib import Path

from actions.conversation import content, preload, services, texts
from actions.screening import engine


def test_importing_the_actions_reads_every_content_file_once():
    # (the module's import ran preload(); clear and run it again to see what it fills)
    engine._cache.clear(), services._clinic_cache.clear(), content._cache.clear(), texts._cache.clear()
    preload.preload()
    assert engine._cache and "clinic" in services._clinic_cache
    assert "knowledge" in content._cache and "doc" in texts._cache
    assert "booking" in services._services


def test_a_broken_content_file_is_logged_and_the_rest_still_read(monkeypatch, caplog):
    def broken():
        raise ValueError("screening_rules.yml: rules[3].modality is missing")

    monkeypatch.setattr(preload, "default_rules", broken)
    services._clinic_cache.clear()
    with caplog.at_level(logging.ERROR, logger=preload.__name__):
        preload.preload()
    assert "preloading broken failed" in caplog.text
    assert "clinic" in services._clinic_cache


def test_what_start_up_left_is_frozen_out_of_the_collectors_full_passes():
    gc.unfreeze()
    try:
        preload.preload()
        assert gc.get_freeze_count() > 0
        assert id(services._clinic_cache) not in {id(o) for o in gc.get_objects()}
    finally:
        gc.unfreeze()


def test_the_booking_tables_mappings_are_resolved_at_start_not_by_the_first_search():
    check = (
        "from actions.booking.models import Appointment; print(Appointment.__mapper__.configured); "
        "import actions.conversation.preload; print(Appointment.__mapper__.configured)"
    )
    env = {**os.environ, "CLINIC_DATABASE_URL": "sqlite://"}
    out = subprocess.run(
        [sys.executable, "-c", check],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.stdout.split() == ["False", "True"], out.stderr[-2000:]
