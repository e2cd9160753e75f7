"""actions.conversation.services: the booking side reads clinic.yml as it is now, like the answers."""

from __future__ import annotations

import os

import pytest

from actions.content import clinic as clinic_module
from actions.conversation import content, services


@pytest.fixture
def fresh_caches():
    services.reset_services()
    content.KNOWLEDGE.clear()
    yield
    services.reset_services()
    content.KNOWLEDGE.clear()


def test_a_price_edit_reaches_the_booking_side_and_the_answers_alike(tmp_path, monkeypatch, fresh_caches):
    edited = tmp_path / "clinic.yml"
    original = clinic_module.CLINIC_FILE.read_text(encoding="utf-8")
    edited.write_text(original, encoding="utf-8")
    monkeypatch.setattr(clinic_module, "CLINIC_FILE", edited)
    monkeypatch.setattr(services, "CLINIC_FILE", edited)
    monkeypatch.setattr(content, "_WATCHED", (content._WATCHED[0], edited))
    before = services.clinic().price_text("microneedling")
    assert before == "£220" and before in content.knowledge().render("{price:microneedling}")

    edited.write_text(original.replace("price: 220", "price: 240", 1), encoding="utf-8")
    os.utime(edited, ns=(1, edited.stat().st_mtime_ns + 1_000_000_000))  # a later edit, whatever the clock
    assert services.clinic().price_text("microneedling") == "£240"
    assert content.knowledge().render("{price:microneedling}") == "£240"


def test_a_broken_edit_keeps_the_last_good_settings_until_it_is_fixed(tmp_path, monkeypatch, fresh_caches, caplog):
    edited = tmp_path / "clinic.yml"
    original = clinic_module.CLINIC_FILE.read_text(encoding="utf-8")
    edited.write_text(original, encoding="utf-8")
    monkeypatch.setattr(clinic_module, "CLINIC_FILE", edited)
    monkeypatch.setattr(services, "CLINIC_FILE", edited)
    monkeypatch.setattr(content, "_WATCHED", (content._WATCHED[0], edited))
    assert services.clinic().price_text("microneedling") == "£220"
    assert content.knowledge().render("{price:microneedling}") == "£220"

    def edit(text: str, seconds: int) -> None:
        edited.write_text(text, encoding="utf-8")
        os.utime(edited, ns=(1, edited.stat().st_mtime_ns + seconds * 1_000_000_000))

    edit(original.replace("price: 220", "price: two hundred", 1), 1)
    with caplog.at_level("ERROR"):
        assert services.clinic().price_text("microneedling") == "£220"
        assert content.knowledge().render("{price:microneedling}") == "£220"
        services.clinic()
    assert caplog.text.count("treatments.microneedling.price") == 2  # once per reader, not per message
    assert "last good version" in caplog.text

    edit(original.replace("price: 220", "price: 250", 1), 2)
    assert services.clinic().price_text("microneedling") == "£250"
    assert content.knowledge().render("{price:microneedling}") == "£250"
