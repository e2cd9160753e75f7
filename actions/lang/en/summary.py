"""Words of the clinician's summary of a visitor's answers: labels of values and questions, and the
text of each line (intake_answers.summary). Lines are ``str.format`` templates."""

from __future__ import annotations

# How a contract value reads to the clinician (others: the value with spaces for underscores).
VALUE_LABELS = {
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
# How a screening question reads in the lists of unsure and denied questions.
QUESTION_LABELS = {
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

LIST_SEPARATOR = ", "
DATE_FORMAT = "%d %b %Y"  # strftime; a leading zero of the day is dropped
DATE_NOT_GIVEN = "date not given"
AGE_LINE = "Age: {age}"
SKIN_TYPE_LINE = "Skin type (Fitzpatrick): {skin_type}"
CONCERNS_LINE = "Wants treated: {concerns}"
AREAS_LINE = "Areas: {areas}"
# A yes to pregnancy or breastfeeding, by intake field.
YES_LINES = {"pregnant": "Pregnant: yes", "breastfeeding": "Breastfeeding: yes"}
# The contract's volunteered yes/no fields, when said yes.
FLAG_LINES = {
    "isotretinoin_past_course": "Isotretinoin course finished (date unknown)",
    "flare_settled": "A skin flare in the area has recently settled",
    "pregnancy_or_breastfeeding_ended": "Pregnancy or breastfeeding ended recently",
    "severe_laxity": "Describes severe sagging / hanging skin",
}
SAID_YES_LINE = "Said yes to: {values}"
LAST_DOSE_LINE = "Isotretinoin course finished, last dose {day}"
LAST_DOSE_MISSING_LINE = "Isotretinoin course finished, last dose date not given"
PROCEDURES_LINE = "Recent procedures: {procedures}"
PROCEDURE_ITEM = "{procedure} ({day})"
SYMPTOMS_LINE = "Symptoms after a treatment: {symptoms}"
DOWNTIME_ITEM = "{downtime} downtime"
BUDGET_ITEM = "{budget} budget"
EVENT_ITEM = "event {day}"
PREFERENCES_LINE = "Preferences: {preferences}"
UNSURE_LINE = "Not sure about: {questions}"
SAID_NO_LINE = "Said no to: {questions}"
