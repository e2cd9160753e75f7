"""clinic.yml: the real file loads; every mistake an operator can make is named by file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.content import ContentError
from actions.content.clinic import CLINIC_FILE, load_clinic


def write_clinic(tmp_path: Path, mutate) -> Path:
    doc = yaml.safe_load(CLINIC_FILE.read_text())
    mutate(doc)
    path = tmp_path / "clinic.yml"
    path.write_text(yaml.safe_dump(doc))
    return path


def test_real_clinic_file_loads_with_prices_and_hours():
    clinic = load_clinic()
    assert clinic.price_text("microneedling") == "£220"
    assert clinic.price_text("microneedling_prp") == "£350–£420"
    assert clinic.price_text("consultation") == "free"
    assert "Sun closed" in clinic.opening_hours_text()
    assert all(set(p.treatments) <= set(clinic.treatments) for p in clinic.practitioners)


def test_price_left_out_means_none_never_a_figure(tmp_path):
    path = write_clinic(tmp_path, lambda d: d["treatments"]["rf_microneedling"].pop("price"))
    assert load_clinic(path).price_text("rf_microneedling") is None


@pytest.mark.parametrize(
    "mutate, key",
    [
        (lambda d: d["clinic"].update(timezone="Mars/Olympus"), "clinic.timezone"),
        (lambda d: d["clinic"]["opening_hours"].update(mon=["9-5"]), "clinic.opening_hours.mon"),
        (lambda d: d["clinic"]["opening_hours"].update(tue=["18:00-09:00"]), "clinic.opening_hours.tue"),
        (lambda d: d["clinic"]["opening_hours"].update(funday=[]), "clinic.opening_hours.funday"),
        (lambda d: d["treatments"]["microneedling"].update(price="cheap"), "treatments.microneedling.price"),
        (lambda d: d["treatments"]["microneedling"].update(price=-5), "treatments.microneedling.price"),
        (
            lambda d: d["treatments"]["microneedling"].update(duration_minutes=0),
            "treatments.microneedling.duration_minutes",
        ),
        (lambda d: d["treatments"]["microneedling_prp"].update(price_to=1), "treatments.microneedling_prp.price_to"),
        (lambda d: d["treatments"].pop("consultation"), "treatments.consultation"),
        (lambda d: d["practitioners"][0].update(treatments=["botox"]), "practitioners[0].treatments"),
        (lambda d: d["clinic"]["booking"].update(hold_minutes="ten"), "clinic.booking.hold_minutes"),
        (lambda d: d["clinic"].pop("name"), "clinic.name"),
        (lambda d: d["treatments"]["microneedling"].update(modality="laser"), "treatments.microneedling.modality"),
        (
            lambda d: d["treatments"]["consultation"].update(modality="microneedling"),
            "treatments.consultation.modality",
        ),
        (
            lambda d: d["treatments"].update(body={"name": "Body", "duration_minutes": 60, "price": 1}),
            "treatments.body.modality",
        ),
        (lambda d: d.pop("wording"), "wording"),
        (lambda d: d["wording"].update(price_from="from"), "wording.price_from"),
        (lambda d: d["wording"].update(weekdays=["Mon", "Tue"]), "wording.weekdays"),
        (lambda d: d["wording"].update(closed=""), "wording.closed"),
        (lambda d: d["wording"].update(shut="shut"), "wording.shut"),
    ],
)
def test_mistakes_are_named_by_file_and_key(tmp_path, mutate, key):
    path = write_clinic(tmp_path, mutate)
    with pytest.raises(ContentError) as err:
        load_clinic(path)
    assert err.value.key == key
    assert str(path) in str(err.value) and key in str(err.value)


def test_broken_yaml_names_the_file_and_line(tmp_path):
    path = tmp_path / "clinic.yml"
    path.write_text("clinic:\n  name: [unclosed\n")
    with pytest.raises(ContentError, match=r"clinic.yml.*not valid YAML \(line"):
        load_clinic(path)


def test_a_treatment_named_after_a_modality_is_that_modality_unless_told(tmp_path):
    def unnamed(doc):
        for treatment in doc["treatments"].values():
            treatment.pop("modality", None)

    clinic = load_clinic(write_clinic(tmp_path, unnamed))
    assert {t.id: t.modality for t in clinic.treatments.values()} == {
        "consultation": None,
        "microneedling": "microneedling",
        "microneedling_prp": "microneedling_prp",
        "rf_microneedling": "rf_microneedling",
    }


def test_the_clinics_details_read_in_the_words_of_its_wording(tmp_path):
    def german(doc):
        doc["wording"] = {
            "free": "kostenlos",
            "price_from": "ab {amount}",
            "price_range": "{low} bis {high}",
            "weekdays": ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"],
            "closed": "geschlossen",
            "contact_or": "oder",
            "no_contact": "die Kontaktdaten auf unserer Website",
        }
        doc["treatments"]["rf_microneedling"] = {"name": "RF", "duration_minutes": 90, "price_from": 500}

    clinic = load_clinic(write_clinic(tmp_path, german))
    assert clinic.price_text("consultation") == "kostenlos"
    assert clinic.price_text("microneedling_prp") == "£350 bis £420"
    assert clinic.price_text("rf_microneedling") == "ab £500"
    assert clinic.opening_hours_text().splitlines()[0] == "Mo–Di 09:00–18:00"
    assert clinic.opening_hours_text().splitlines()[-1] == "So geschlossen"
    assert " oder " in clinic.contact_text()


def test_a_course_price_is_the_session_price_times_the_sessions_in_each_form_of_price():
    from actions.content.clinic import load_clinic

    clinic = load_clinic()
    assert clinic.price_text("microneedling", 3) == "£660"
    assert clinic.price_text("microneedling_prp", 3) == clinic.wording.price_range.format(low="£1,050", high="£1,260")
    assert clinic.price_text("consultation", 2) == clinic.wording.free
