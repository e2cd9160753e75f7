"""The project's own spaCy pipeline (no downloadable models here): blank English, a lookup
lemmatizer and an entity_ruler built from the phrase files in spacy_pipeline/patterns/."""
