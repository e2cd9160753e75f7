"""A short plain-language summary of the visitor's answers, for the clinician who reviews them."""

from __future__ import annotations

from datetime import date
from typing import Any

from actions.screening import Rules

_LABELS = {
    "isotretinoin_current": "isotretinoin (taking now)",
    "anticoagulant": "anticoagulant (blood thinner)",
    "antiplatelet": "antiplatelet (incl. prescribed aspirin)",
    "nsaid": "anti-inflammatory painkillers (NSAID)",
    "systemic_steroid": "steroid tablets/injections",
    "topical_retinoid": "retinoid creams",
    "implanted_electronic_device": "implanted electronic device (e.g. pacemaker)",
    "pih": "dark marks after inflammation (PIH)",
    "cold_sore_history": "gets cold sores",
    "active_cold_sore": "cold sore now",
    "recent_sunburn_or_tan": "recent sunburn or tan",
    "laser_ablative": "laser (ablative, or type not said)",
    "chemical_peel_deep": "chemical peel (deep, or type not said)",
    "botox": "anti-wrinkle injections (Botox)",
}
_QUESTION_LABELS = {
    "age": "age",
    "pregnant": "pregnancy",
    "breastfeeding": "breastfeeding",
    "fitzpatrick": "skin type",
    "recent_procedures": "recent procedures",
    "preferences": "preferences",
    "concerns": "concerns",
    "areas": "areas",
    "medications.isotretinoin": "isotretinoin",
    "medications.blood_thinners": "blood thinners",
    "medications.painkillers": "anti-inflammatory painkillers",
    "medications.steroids_immunosuppressants": "steroids or immunosuppressants",
    "medications.antiviral": "antiviral tablets",
    "medications.skincare": "retinoids or acids",
    "conditions.bleeding": "bleeding or platelet conditions",
    "conditions.prp_factors": "anaemia, blood cancer or smoking",
    "conditions.diabetes": "diabetes",
    "conditions.cancer_treatment": "cancer treatment or radiotherapy",
    "conditions.immune": "autoimmune or weakened immunity",
    "conditions.scarring": "keloid scarring",
    "conditions.cold_sores": "cold sores",
    "conditions.skin_now": "skin in the area now",
    "conditions.moles": "moles or skin cancer",
    "conditions.tattoo": "tattoos in the area",
    "conditions.sun": "recent sun or tan",
    "conditions.implanted_device": "implanted devices",
    "conditions.implants_in_area": "implants or permanent filler",
    "conditions.allergies": "allergies",
    "conditions.needles": "needle worries",
    "conditions.unwell": "feeling unwell",
}


def label(value: str) -> str:
    return _LABELS.get(value, value.replace("_", " "))


def question_label(question_id: str) -> str:
    return _QUESTION_LABELS.get(question_id, question_id.split(".")[-1].replace("_", " "))


def _day(value: date | None) -> str:
    return value.strftime("%d %b %Y").lstrip("0") if value else "date not given"


def summary_lines(answers: Any, rules: Rules) -> list[str]:
    """What the visitor said yes to, the dates they gave, what they were unsure about and what they
    said no to, one short line each; nothing about questions not reached."""
    lines: list[str] = []
    if answers.age is not None:
        lines.append(f"Age: {answers.age}")
    if answers.fitzpatrick is not None:
        lines.append(f"Skin type (Fitzpatrick): {answers.fitzpatrick}")
    if answers.concerns:
        lines.append("Wants treated: " + ", ".join(label(v) for v in answers.concerns))
    if answers.areas:
        lines.append("Areas: " + ", ".join(label(v) for v in answers.areas))
    for name in ("pregnant", "breastfeeding"):
        if answers.state(name) == "yes":
            lines.append(f"{name.capitalize()}: yes")
    yes_values = [
        label(v)
        for q in rules.questions
        if q.values is not None and q.id in answers.questions
        for v in answers.questions[q.id].values
    ]
    if yes_values:
        lines.append("Said yes to: " + ", ".join(yes_values))
    if answers.isotretinoin_last_dose is not None:
        lines.append(f"Isotretinoin course finished, last dose {_day(answers.isotretinoin_last_dose)}")
    elif answers.awaiting == "isotretinoin_last_dose":
        lines.append("Isotretinoin course finished, last dose date not given")
    if answers.recent_procedures:
        lines.append(
            "Recent procedures: "
            + ", ".join(f"{label(item['type'])} ({_day(item['date'])})" for item in answers.recent_procedures)
        )
    if answers.symptoms:
        lines.append("Symptoms after a treatment: " + ", ".join(label(v) for v in answers.symptoms))
    if answers.preferences:
        parts = [
            f"{answers.preferences['downtime']} downtime" if answers.preferences.get("downtime") else "",
            f"{answers.preferences['budget']} budget" if answers.preferences.get("budget") else "",
            f"event {_day(answers.preferences['event_date'])}" if answers.preferences.get("event_date") else "",
        ]
        if any(parts):
            lines.append("Preferences: " + ", ".join(part for part in parts if part))
    unsure = [question_label(q.id) for q in rules.questions if answers.state(q.id) == "unknown"]
    if unsure:
        lines.append("Not sure about: " + ", ".join(unsure))
    denied = [question_label(q.id) for q in rules.questions if answers.state(q.id) == "no"]
    if denied:
        lines.append("Said no to: " + ", ".join(denied))
    return lines
