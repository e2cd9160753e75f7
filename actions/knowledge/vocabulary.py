"""The fixed vocabulary shared by the content, the NLU patterns and the domain.

This is the one place in code that lists the canonical entity values the actions and the
answer content understand, and the answer topics (one per FAQ intent ``ask_<topic>``).
It mirrors the project's vocabulary notes; change both together. The spaCy pattern builder,
the domain checks and the answers.yml validator import from here.
"""

from __future__ import annotations

TREATMENTS: tuple[str, ...] = (
    "microneedling",
    "microneedling_prp",
    "rf_microneedling",
    "home_roller",
)

CONCERNS: tuple[str, ...] = (
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

AREAS: tuple[str, ...] = ("face", "neck", "chest", "body", "scalp", "under_eye")

PROCEDURES: tuple[str, ...] = (
    "botox",
    "filler",
    "threads",
    "chemical_peel",
    "chemical_peel_light",
    "chemical_peel_deep",
    "laser",
    "laser_nonablative",
    "laser_ablative",
    "surgery_face",
)

# Entity label -> its canonical values (the keys a variant's `when:` may use).
ENTITY_VALUES: dict[str, tuple[str, ...]] = {
    "treatment": TREATMENTS,
    "concern": CONCERNS,
    "area": AREAS,
    "procedure": PROCEDURES,
}

# Answer topics: intent ask_<topic> is answered from answers.yml topic <topic>.
TOPICS: tuple[str, ...] = (
    "what_is",
    "how_it_works",
    "concerns",
    "body_areas",
    "pain",
    "downtime",
    "risks",
    "aftercare",
    "precare",
    "sessions",
    "results_timeline",
    "results_duration",
    "price",
    "skin_type",
    "evidence",
    "comparison",
    "home_roller",
    "candidacy",
    "booking",
    "opening_hours",
    "contact",
)
