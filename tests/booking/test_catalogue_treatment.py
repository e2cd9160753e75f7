"""The catalogue is the one source of treatments: a treatment added to a copy of clinic.yml (and only
there) is seeded, offered when its modality is suggested, found free times for, and booked, gated by its
modality's screening status like the treatments it shares a modality with."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from booking_support import ANN, screened

from actions.booking.results import ErrorCode
from actions.booking.seed import seed_clinic
from actions.booking.service import BookingService
from actions.content.clinic import CLINIC_FILE, load_clinic
from actions.conversation import services
from actions.conversation.decision import bookable_treatments, next_step_buttons
from actions.screening import decide

BODY = "microneedling_body"


def catalogue_with_a_new_treatment(folder: Path) -> Path:
    doc = yaml.safe_load(CLINIC_FILE.read_text(encoding="utf-8"))
    doc["treatments"][BODY] = {
        "name": "Body microneedling",
        "modality": "microneedling",
        "duration_minutes": 75,
        "price": 300,
    }
    for practitioner in doc["practitioners"]:
        if "microneedling" in practitioner["treatments"]:
            practitioner["treatments"].append(BODY)
    copy = folder / "clinic.yml"
    copy.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return copy


def stretch_marks_decision(clinic, **facts) -> dict:
    intake = {
        "today": "2026-03-02",
        "age": 34,
        "fitzpatrick": 2,
        "concerns": ["stretch_marks"],
        "areas": ["body"],
        "pregnant": False,
        "breastfeeding": False,
        "conditions": [],
        "medications": [],
        "recent_procedures": [],
        "symptoms": [],
        **facts,
    }
    return decide(intake, clinic=clinic)


@pytest.fixture
def catalogue(tmp_path):
    return load_clinic(catalogue_with_a_new_treatment(tmp_path))


def test_the_new_treatment_is_read_with_its_modality_and_price(catalogue):
    treatment = catalogue.treatments[BODY]
    assert (treatment.name, treatment.modality, treatment.duration_minutes) == (
        "Body microneedling",
        "microneedling",
        75,
    )
    assert catalogue.price_text(BODY) == "£300"
    assert [t.id for t in catalogue.treatments_of("microneedling")] == ["microneedling", BODY]


def test_the_new_treatment_is_booked_when_its_modality_is_allowed(db, catalogue, clock):
    seed_clinic(db.factory, catalogue)
    service = BookingService(db.factory, clock=clock)
    decision = stretch_marks_decision(catalogue)
    assert decision["next_step"] == "book_treatment"
    assert decision["modalities"]["microneedling"]["status"] in ("proceed", "caution")

    offers = service.find_slots(BODY, limit=3)
    assert offers.ok and offers.value, offers
    first = offers.value[0]
    assert first.treatment == BODY and first.treatment_name == "Body microneedling"
    assert (first.end - first.start).total_seconds() == 75 * 60

    held = service.hold(first.key, consultation=screened(decision), sender_id="conv-body", channel="webchat")
    assert held.ok, held
    done = service.confirm(held.value.reference, ANN, ["booking", "health_data"], sender_id="conv-body")
    assert done.ok, done
    assert done.value.status == "confirmed" and [a.treatment for a in done.value.appointments] == [BODY]


def test_the_new_treatment_is_refused_when_its_modality_must_wait(db, catalogue, clock):
    seed_clinic(db.factory, catalogue)
    service = BookingService(db.factory, clock=clock)
    decision = stretch_marks_decision(catalogue, medications=["isotretinoin_current"])
    assert decision["modalities"]["microneedling"]["status"] not in ("proceed", "caution")
    offers = service.find_slots(BODY, limit=1)
    assert offers.ok and offers.value
    held = service.hold(offers.value[0].key, consultation=screened(decision), sender_id="conv-body-2")
    assert not held.ok and held.error_code == ErrorCode.SCREENING_REQUIRES_REVIEW


def test_the_conversation_offers_the_new_treatment_where_its_modality_is_suggested(tmp_path, monkeypatch, catalogue):
    (tmp_path / "content").mkdir()
    copy = catalogue_with_a_new_treatment(tmp_path / "content")
    monkeypatch.setattr(services, "CLINIC_FILE", copy)
    services.reset_services()
    try:
        decision = stretch_marks_decision(catalogue)
        assert BODY in bookable_treatments(decision) and "microneedling" in bookable_treatments(decision)
        titles = [button["title"] for button in next_step_buttons(decision)]
        assert any("Body microneedling" in title for title in titles), titles
        payloads = [button["payload"] for button in next_step_buttons(decision)]
        assert f'/ask_booking{{"booking_choice": "{BODY}"}}' in payloads
    finally:
        services.reset_services()
