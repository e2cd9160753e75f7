"""Malformed intakes are rejected with an IntakeError naming the field; good ones are normalised."""

from __future__ import annotations

from datetime import date

import pytest
from screening_support import TODAY, healthy

from actions.screening import IntakeError, decide, validate_intake

BAD = [
    ({"age": 30}, "today"),  # today is required
    ({"today": "20-11-2026"}, "today"),
    ({"today": "2026-02-30"}, "today"),
    ({"today": 20261120}, "today"),
    ({"today": "2026-11-20T10:00:00"}, "today"),
    (healthy(colour="blue"), "colour"),
    (healthy(age=-1), "age"),
    (healthy(age=150), "age"),
    (healthy(age="30"), "age"),
    (healthy(age=30.5), "age"),
    (healthy(age=True), "age"),
    (healthy(fitzpatrick=0), "fitzpatrick"),
    (healthy(fitzpatrick=7), "fitzpatrick"),
    (healthy(fitzpatrick="III"), "fitzpatrick"),
    (healthy(pregnant="no"), "pregnant"),
    (healthy(breastfeeding=0), "breastfeeding"),
    (healthy(conditions="diabetes_controlled"), "conditions"),
    (healthy(conditions=["diabetes"]), "conditions[0]"),
    (healthy(conditions=["smoker", 3]), "conditions[1]"),
    (healthy(medications=["aspirin"]), "medications[0]"),
    (healthy(concerns=["acne"]), "concerns[0]"),
    (healthy(areas=["eyelid"]), "areas[0]"),
    (healthy(symptoms=["itchy"]), "symptoms[0]"),
    (healthy(isotretinoin_last_dose="2026-12-01"), "isotretinoin_last_dose"),  # future last dose
    (healthy(isotretinoin_last_dose="2026-13-01"), "isotretinoin_last_dose"),
    (healthy(isotretinoin_last_dose="1850-01-01"), "isotretinoin_last_dose"),
    (healthy(recent_procedures={"type": "botox"}), "recent_procedures"),
    (healthy(recent_procedures=["botox"]), "recent_procedures[0]"),
    (healthy(recent_procedures=[{"type": "facelift", "date": "2026-01-01"}]), "recent_procedures[0].type"),
    (healthy(recent_procedures=[{"date": "2026-01-01"}]), "recent_procedures[0].type"),
    (healthy(recent_procedures=[{"type": "botox", "date": "2026-11-21"}]), "recent_procedures[0].date"),
    (healthy(recent_procedures=[{"type": "botox", "date": "yesterday"}]), "recent_procedures[0].date"),
    (healthy(recent_procedures=[{"type": "botox", "when": "2026-01-01"}]), "recent_procedures[0].when"),
    (healthy(preferences="minimal"), "preferences"),
    (healthy(preferences={"downtime": "none"}), "preferences.downtime"),
    (healthy(preferences={"budget": 100}), "preferences.budget"),
    (healthy(preferences={"event_date": "2026-02-30"}), "preferences.event_date"),
    (healthy(preferences={"colour": "red"}), "preferences.colour"),
    (healthy(flare_settled="yes"), "flare_settled"),
    (healthy(severe_laxity=1), "severe_laxity"),
    (healthy(pregnancy_or_breastfeeding_ended="no"), "pregnancy_or_breastfeeding_ended"),
    (healthy(isotretinoin_past_course=False, isotretinoin_last_dose="2026-10-01"), "isotretinoin_past_course"),
    (healthy(recent_procedures=[{"type": "surgery", "date": "2026-10-01"}]), "recent_procedures[0].type"),
]


@pytest.mark.parametrize("intake, field", BAD, ids=[f for _, f in BAD])
def test_malformed_intake_names_the_field(intake, field):
    with pytest.raises(IntakeError) as raised:
        decide(intake)
    assert raised.value.field == field
    assert isinstance(raised.value, ValueError)
    assert str(raised.value).startswith(f"{field}: ")


@pytest.mark.parametrize("not_an_object", [None, [], "intake", 3])
def test_intake_must_be_an_object(not_an_object):
    with pytest.raises(IntakeError) as raised:
        validate_intake(not_an_object)
    assert raised.value.field == "intake"


def test_valid_intake_is_normalised():
    checked = validate_intake(
        healthy(conditions=["smoker", "smoker"], recent_procedures=[{"type": "botox", "date": "2026-11-01"}])
    )
    assert checked.today == date(2026, 11, 20)
    assert checked.conditions == ("smoker",)
    assert checked.recent_procedures[0].date == date(2026, 11, 1)


def test_python_dates_are_accepted_like_iso_strings():
    assert decide(healthy(today=date(2026, 11, 20))) == decide(healthy())


def test_null_means_unknown_and_empty_list_means_none():
    checked = validate_intake({"today": TODAY, "conditions": [], "medications": None})
    assert checked.conditions == () and checked.medications is None
    assert checked.answered("conditions") and not checked.answered("medications")


def test_last_dose_today_and_procedure_today_are_fine():
    decide(healthy(isotretinoin_last_dose=TODAY, recent_procedures=[{"type": "botox", "date": TODAY}]))
