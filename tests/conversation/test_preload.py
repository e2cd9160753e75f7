"""The action server reads the clinic's content at start, and does not start on a broken content file."""

from __future__ import annotations

import gc
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from actions.content import ContentError
from actions.conversation import content, preload, services, texts
from actions.screening import engine

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_actions_reads_every_content_file_once():
    # (the module's import ran preload(); clear and run it again to see what it fills)
    watched = (engine.RULES, services.CLINIC, content.KNOWLEDGE, texts.JOURNEY)
    for each in watched:
        each.clear()
    preload.preload()
    assert all(each.loaded for each in watched)
    assert "booking" in services._services


def test_a_broken_content_file_stops_the_start_and_names_the_file_and_key(monkeypatch, caplog):
    def broken():
        raise ContentError("actions/content/screening_rules.yml", "rules[3].modality", "is missing")

    monkeypatch.setattr(preload, "default_rules", broken)
    with caplog.at_level(logging.CRITICAL, logger=preload.__name__), pytest.raises(SystemExit) as stopped:
        preload.preload()
    assert "does not start: actions/content/screening_rules.yml: rules[3].modality: is missing" in str(stopped.value)
    assert "rules[3].modality" in caplog.text


def test_a_database_not_up_yet_is_logged_and_the_start_goes_on(monkeypatch, caplog):
    def unreachable():
        raise OSError("connection refused")

    monkeypatch.setattr(preload, "booking_service", unreachable)
    with caplog.at_level(logging.ERROR, logger=preload.__name__):
        preload.preload()
    assert "preloading unreachable failed" in caplog.text


def test_the_action_server_process_refuses_to_start_on_a_broken_journey_file(tmp_path):
    """The real start: rasa_sdk imports the package, preload reads a journey.yml that lacks a key."""
    journey = tmp_path / "journey.yml"
    original = texts.JOURNEY_FILE.read_text(encoding="utf-8")
    journey.write_text(original.replace("  held:", "  held_renamed:", 1), encoding="utf-8")
    assert journey.read_text() != original
    start = (
        "import actions.content.journey as j, actions.conversation.texts as t; "
        f"t.JOURNEY_FILE = j.JOURNEY_FILE = __import__('pathlib').Path({str(journey)!r}); "
        "from rasa_sdk.executor import ActionExecutor; ActionExecutor().register_package('actions.conversation')"
    )
    env = {**os.environ, "CLINIC_DATABASE_URL": "sqlite://"}
    done = subprocess.run([sys.executable, "-c", start], capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)
    assert done.returncode != 0
    assert f"The action server does not start: {journey}: booking.held: is missing" in done.stderr


def test_what_start_up_left_is_frozen_out_of_the_collectors_full_passes():
    gc.unfreeze()
    try:
        preload.preload()
        assert gc.get_freeze_count() > 0
        assert id(services.CLINIC) not in {id(o) for o in gc.get_objects()}
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
        cwd=ROOT,
    )
    assert out.stdout.split() == ["False", "True"], out.stderr[-2000:]
