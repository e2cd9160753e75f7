"""The entity_ruler's phrase files: canonical values only, one meaning per phrase, and what the
ruler finds in the messages visitors actually write (built with the project's own builder)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PATTERNS_DIR = ROOT / "spacy_pipeline" / "patterns"

# actions/screening/vocabulary.py and the intake contract (docs/intake-contract.md) (condition and symptom enums, areas, concerns).
CANONICAL: dict[str, set[str]] = {
    "treatment": {"microneedling", "microneedling_prp", "rf_microneedling", "home_roller"},
    "concern": {
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
    },
    "area": {"face", "neck", "chest", "body", "scalp", "under_eye"},
    "procedure": {
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
        "surgery_other",
        "surgery",  # said without where: read as facial surgery, the stricter
    },
    "condition": {
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
        # the contract's yes/no fields flare_settled and severe_laxity
        "flare_settled",
        "severe_laxity",
    },
    "medication": {
        "isotretinoin",
        "anticoagulant",
        "antiplatelet",
        "aspirin",
        "nsaid",
        "systemic_steroid",
        "immunosuppressant",
        "topical_retinoid",
        "exfoliating_acids",
        "antiviral",
    },
    # postpartum and breastfeeding_ended: the contract's pregnancy_or_breastfeeding_ended
    "life_stage": {"pregnant", "breastfeeding", "trying_to_conceive", "postpartum", "breastfeeding_ended"},
    "symptom": {
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
        "increasing_warmth",
        "widespread_hives",
        "anaesthetic_toxicity",
        "fainting_not_resolving",
    },
}


def pattern_files() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(PATTERNS_DIR.glob("*.yml"))}


def test_one_file_per_label_named_after_it():
    files = pattern_files()
    assert set(files) == set(CANONICAL)
    for stem, doc in files.items():
        assert doc["label"] == stem


@pytest.mark.parametrize("label", sorted(CANONICAL))
def test_values_are_canonical_and_all_covered(label):
    values = pattern_files()[label]["values"]
    assert set(values) - CANONICAL[label] == set(), "values outside the vocabulary"
    assert CANONICAL[label] - set(values) == set(), "canonical values without any phrase"


@pytest.mark.parametrize("label", sorted(CANONICAL))
def test_phrases_are_lowercase_strings(label):
    for value, phrases in pattern_files()[label]["values"].items():
        for phrase in phrases:
            assert isinstance(phrase, str), (value, phrase)
            assert phrase == phrase.lower() == " ".join(phrase.split()), (value, phrase)


def test_each_token_sequence_has_one_meaning():
    """Two spellings that tokenise alike ("blood-thinners" / "blood - thinners") must agree too."""
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    owner: dict[tuple[str, ...], tuple[str, str]] = {}
    clashes = []
    for label, doc in pattern_files().items():
        for value, phrases in doc["values"].items():
            for phrase in phrases:
                tokens = tuple(t.lower_ for t in tokenizer(phrase))
                if owner.setdefault(tokens, (label, value)) != (label, value):
                    clashes.append((phrase, owner[tokens], (label, value)))
    assert not clashes, clashes


@pytest.fixture(scope="module")
def nlp():
    from spacy_pipeline.build import build_nlp, read_phrases

    return build_nlp(read_phrases(PATTERNS_DIR))


def found(nlp, text: str) -> set[tuple[str, str]]:
    return {(ent.label_, ent.ent_id_) for ent in nlp(text).ents}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("does Morpheus 8 hurt", {("treatment", "rf_microneedling")}),
        ("how much is the vampire facial", {("treatment", "microneedling_prp")}),
        ("dermapen downtime?", {("treatment", "microneedling")}),
        ("is mirconeedling safe", {("treatment", "microneedling")}),
        ("dr pen from amazon any good", {("treatment", "home_roller")}),
        ("will it get rid of my pitted acne scars", {("concern", "acne_scars")}),
        (
            "does needling help stretchies on my tummy",
            {("treatment", "microneedling"), ("concern", "stretch_marks"), ("area", "body")},
        ),
        ("saggy jowls and a turkey neck", {("concern", "laxity")}),
        ("dark circles under my eyes", {("concern", "under_eye"), ("area", "under_eye")}),
        ("stretch marks from pregnancy on my boobs", {("concern", "stretch_marks"), ("area", "chest")}),
        ("i was on roacutane till march", {("medication", "isotretinoin")}),
        ("i take eliquis and baby aspirin", {("medication", "anticoagulant"), ("medication", "antiplatelet")}),
        ("i took nurofen and an aspirin", {("medication", "nsaid"), ("medication", "aspirin")}),
        ("im expecting my first in june", {("life_stage", "pregnant")}),
        ("im trying to get pregnant", {("life_stage", "trying_to_conceive")}),
        ("i had a c-section 3 weeks ago", {("procedure", "surgery_other")}),
        (
            "had a baby in august and stopped breastfeeding last month",
            {("life_stage", "postpartum"), ("life_stage", "breastfeeding_ended")},
        ),
        ("my eczema has calmed down now", {("condition", "flare_settled")}),
        ("i have a lot of hanging skin on my neck", {("condition", "severe_laxity"), ("area", "neck")}),
        ("still breast feeding my little one", {("life_stage", "breastfeeding")}),
        ("i have exczema and psoraisis", {("condition", "eczema_flare"), ("condition", "psoriasis_flare")}),
        ("i have haemophilia", {("condition", "bleeding_disorder")}),
        ("my hemophilia is mild", {("condition", "bleeding_disorder")}),
        ("i'm anaemic", {("condition", "anaemia")}),
        ("i have a pacemaker", {("condition", "implanted_electronic_device")}),
        ("i get cold sores", {("condition", "cold_sore_history")}),
        (
            "had botox and lip filler and a co2 laser",
            {("procedure", "botox"), ("procedure", "filler"), ("procedure", "laser_ablative")},
        ),
        ("there's pus and yellow crust", {("symptom", "pus_or_discharge")}),
        ("i have a fever and its spreading", {("symptom", "fever"), ("symptom", "spreading_redness")}),
        ("my lips are swelling and i cant breathe", {("symptom", "breathing_difficulty_or_facial_swelling")}),
        ("still red after 2 weeks", {("symptom", "redness_over_1_week")}),
        ("does it work on c section scars", {("concern", "surgical_scars")}),
        ("wud it help my stretchies from pregnancy", {("concern", "stretch_marks")}),
        ("is it more painful than laser", {("procedure", "laser")}),
        ("how many sessions for pretty bad scarring", {("concern", "acne_scars")}),
        ("is it safe during pregnancy", set()),  # a general question, not "i am pregnant"
        # the consultation journey's screening statements and after-care reports (issue 5)
        ("i was on isotretinon till june", {("medication", "isotretinoin")}),
        ("did a course of ro-accutane", {("medication", "isotretinoin")}),
        ("on bloodthinners since my op", {("medication", "anticoagulant")}),
        ("i take xarleto, used to be on marevan", {("medication", "anticoagulant")}),
        ("i bruise a lot and take elliquis", {("condition", "bleeding_disorder"), ("medication", "anticoagulant")}),
        ("i have a pace-maker", {("condition", "implanted_electronic_device")}),
        ("i’m expecting in may", {("life_stage", "pregnant")}),  # curly apostrophe from a phone keyboard
        ("still breastfeading", {("life_stage", "breastfeeding")}),
        ("scabs in a grid after my rf", {("symptom", "flaking"), ("treatment", "rf_microneedling")}),
        ("theres pus coming out and its seeping", {("symptom", "pus_or_discharge")}),
        ("came out in hives overnight", {("symptom", "rash_or_hives")}),
        ("i can’t breathe and my tongue is swelling", {("symptom", "breathing_difficulty_or_facial_swelling")}),
        ("i've got a cold sore at the moment", {("condition", "active_cold_sore")}),  # not "got a cold"
        (
            "i've got a cold sore outbreak since my prp",
            {("symptom", "cold_sore_outbreak"), ("treatment", "microneedling_prp")},
        ),
        ("i think my face is infected", {("symptom", "pus_or_discharge"), ("area", "face")}),
        ("the salon's needles weren't new", {("symptom", "unlicensed_venue_or_reused_needles")}),
        # issue 17: the emergency tier of clinical-kb section 6, and warmth that is not normal recovery
        (
            "my face is swollen and hot 4 days after rf",
            {
                ("area", "face"),
                ("symptom", "increasing_warmth"),
                ("treatment", "rf_microneedling"),
            },
        ),
        ("the skin is warm to the touch and throbbing", {("symptom", "increasing_warmth")}),
        ("ive got hives all over my body", {("symptom", "widespread_hives")}),
        ("covered in hives", {("symptom", "widespread_hives")}),
        ("racing heart after the numbing cream", {("symptom", "anaesthetic_toxicity")}),
        ("i had a seizure after the numbing cream", {("symptom", "anaesthetic_toxicity")}),
        ("my heart is pounding and i feel confused after the numbing", {("symptom", "anaesthetic_toxicity")}),
        ("i keep fainting", {("symptom", "fainting_not_resolving")}),
        ("i fainted and still feel faint", {("symptom", "fainting_not_resolving")}),
        ("diabetes, not well controlled", {("condition", "diabetes_uncontrolled")}),
        ("my diabetes is not well controlled", {("condition", "diabetes_uncontrolled")}),
    ],
)
def test_ruler_finds_what_visitors_mean(nlp, text, expected):
    assert found(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "does it burn",  # a pain question, not a burn injury
        "can i get back to work the next day",  # not the area "back"
        "what should i be expecting after",  # not pregnancy
        "will my skin peel",  # not a chemical peel
        "can it get infected",  # a risk question, not pus
        "do you numb the skin first",  # not numbness after RF
        "is it safe for black skin",
        "should i avoid blood thinning supplements like fish oil",  # pre-care, not an anticoagulant
        "what should i be expecting again after",  # not pregnancy
        "i fainted at a blood test once",  # the needle question's answer, not a red flag
        "im confused about the prices",  # not anaesthetic toxicity
        "is it ok in hot weather",  # not warmth of the skin
        "can i have it if i have epilepsy and seizures",  # a screening question, not toxicity
    ],
)
def test_ruler_leaves_ordinary_words_alone(nlp, text):
    assert found(nlp, text) - {("treatment", "microneedling")} == set(), found(nlp, text)
