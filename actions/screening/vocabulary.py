"""The closed vocabularies of the intake contract (docs/intake-contract.md, version 1).

Everything the engine accepts or emits is spelled here once (the status lists, which the Rasa server
and the booking side share, in contract/statuses.py); the rules file is checked against it.
"""

from __future__ import annotations

from contract.statuses import MODALITIES as MODALITIES  # (re-exported: the engine's vocabulary)

CONCERNS = (
    "acne_scars",
    "icepick_scars",
    "fine_lines",
    "wrinkles",
    "laxity",
    "pores_texture",
    "melasma",
    "hyperpigmentation",
    "pih",
    "stretch_marks",
    "surgical_scars",
    "hair_loss",
    "under_eye",
    "active_acne",
)
AREAS = ("face", "neck", "chest", "body", "scalp", "under_eye")
CONDITIONS = (
    "active_skin_infection",
    "open_wound",
    "active_acne",
    "eczema_flare",
    "psoriasis_flare",
    "rosacea_flare",
    "active_cold_sore",
    "cold_sore_history",
    "suspicious_lesion",
    "skin_cancer_in_area",
    "recent_sunburn_or_tan",
    "tattoo_in_area",
    "keloid_history",
    "diabetes_controlled",
    "diabetes_uncontrolled",
    "immunosuppressed",
    "chemotherapy_current",
    "radiation_to_area",
    "autoimmune_disease",
    "bleeding_disorder",
    "platelet_disorder",
    "anaemia",
    "blood_cancer",
    "fever_or_unwell",
    "metal_allergy",
    "gold_allergy",
    "anaesthetic_allergy",
    "needle_phobia",
    "implanted_electronic_device",
    "metal_implant_in_area",
    "permanent_filler_in_area",
    "smoker",
)
MEDICATIONS = (
    "isotretinoin_current",
    "anticoagulant",
    "antiplatelet",
    "nsaid",
    "systemic_steroid",
    "immunosuppressant",
    "topical_retinoid",
    "exfoliating_acids",
    "antiviral",
)
PROCEDURES = (
    "botox",
    "filler",
    "threads",
    "chemical_peel_light",
    "chemical_peel_deep",
    "laser_nonablative",
    "laser_ablative",
    "surgery_face",
    "microneedling",
    "rf_microneedling",
    # added in contract version 1, compatibly (new values only):
    "surgery_other",
)
SYMPTOMS = (
    "normal_redness_swelling",
    "flaking",
    "pinpoint_bleeding",
    "worsening_after_72h",
    "pus_or_discharge",
    "blisters",
    "cold_sore_outbreak",
    "rash_or_hives",
    "redness_over_1_week",
    "persistent_bumps",
    "new_dark_patches",
    "fever",
    "spreading_redness",
    "breathing_difficulty_or_facial_swelling",
    "burn_or_skin_breakdown",
    "numbness_or_weakness",
    "after_home_device",
    "unlicensed_venue_or_reused_needles",
    # added in contract version 1, compatibly (new values only):
    "increasing_warmth",
    "widespread_hives",
    "anaesthetic_toxicity",
    "fainting_not_resolving",
)
DOWNTIME_PREFERENCES = ("minimal", "some", "any")
BUDGET_PREFERENCES = ("low", "medium", "high")

# The enum behind every list-valued intake field.
LIST_FIELDS = {
    "concerns": CONCERNS,
    "areas": AREAS,
    "conditions": CONDITIONS,
    "medications": MEDICATIONS,
    "symptoms": SYMPTOMS,
}
# Every intake field, in the contract's order; only `today` is required.
INTAKE_FIELDS = (
    "today",
    "age",
    "fitzpatrick",
    "concerns",
    "areas",
    "pregnant",
    "breastfeeding",
    "conditions",
    "medications",
    "isotretinoin_last_dose",
    "recent_procedures",
    "symptoms",
    "preferences",
    # added in contract version 1, compatibly (optional; missing means not known, as for every field):
    "isotretinoin_past_course",
    "flare_settled",
    "pregnancy_or_breastfeeding_ended",
    "severe_laxity",
)
# The optional yes/no fields added compatibly; each triggers its rule only when true.
LATER_FLAGS = ("isotretinoin_past_course", "flare_settled", "pregnancy_or_breastfeeding_ended", "severe_laxity")
PREFERENCE_FIELDS = ("downtime", "budget", "event_date")
PROCEDURE_FIELDS = ("type", "date")
